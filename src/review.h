#ifndef REVIEW_H
#define REVIEW_H

/*
 * review.h: one review, the pipeline's stages wired in order:
 *   revisions and diff (diff.h) -> packages (packages.h) -> the go process
 *   and the parser (parse.h) -> locate (gosrc.h) -> checklist (checklist.h)
 *   -> filter by mode / compare with the base (compare.h).
 * main.c and the hook call it; it prints nothing.
 */

#include "checklist.h"
#include "config.h"
#include "finding.h"
#include "packages.h"

struct baseline;

struct review_opts {
	const char *base;        /* base revision; NULL: none */
	int base_empty;          /* no base revision: the whole tree of head is new */
	const char *head;        /* head revision; NULL: HEAD */
	int worktree;            /* review uncommitted changes against HEAD (or base) */
	int tests;               /* _test.go files too */
	enum review_mode mode;
	const char *input;       /* compiler output file ("-": stdin) instead of running go */
	struct build_opts build;
	const struct checklist_policy *policy;
	int verbose;
	int all_packages;        /* every package of every module, not only the changed ones */
	int keep_existing;       /* MODE_NEW: list the existing findings too (the release report) */
	int show_baseline;       /* list findings accepted by the baseline */
	int no_baseline;         /* do not read .escape-baseline.json */
	int no_cache;            /* do not read or write the base analysis cache */
	const char *baseline_path; /* default: .escape-baseline.json at the repository root */
	struct baseline *baseline_out; /* when set: receives the baseline read (for stale entries) */
	const char *const *packages;   /* analyse these package directories (pkgset_add_args) */
	size_t packages_nr;
	struct pkgset *packages_out;   /* when set: receives the packages analysed */
};

/*
 * Run the review in the repository containing the current directory (or,
 * with `input` and MODE_ALL, without one).  On success `out` holds the
 * findings the mode keeps, classified, fingerprinted, sorted by file and
 * line.  In MODE_NEW (the default when not reading --input) the changed
 * packages are analysed at the base revision too (a libgit2 checkout under
 * GITDIR/escape-review/base, its result cached, built concurrently with
 * head) and only findings without a partner there are kept; base findings
 * without a partner at head are in out->fixed.  Findings listed in the
 * baseline file get STATUS_BASELINE and are dropped unless show_baseline.
 * Warnings (a base that does not build, ...) go to stderr.
 */
int review_run(struct review *out, const struct review_opts *opts);

/* 1 when a finding that counts (new or existing: not baseline, not
 * acknowledged) is at or above `fail_on`; never for SEVERITY_NONE. */
int review_fails(const struct review *rv, enum severity fail_on);

#endif
