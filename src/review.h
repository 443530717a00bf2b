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
#include "finding.h"
#include "packages.h"

enum review_mode {
	MODE_DEFAULT,   /* new when a base is known, else added */
	MODE_ADDED,     /* findings on lines the change added */
	MODE_CONTEXT,   /* findings inside the change's hunks */
	MODE_FILE,      /* findings in files the change touched */
	MODE_ALL,       /* every finding of the analysed packages */
	MODE_NEW,       /* findings with no partner at the base revision */
};

/* "added" -> MODE_ADDED ...; -1 when unknown. */
int review_mode_parse(const char *s);
const char *review_mode_name(enum review_mode m);

struct review_opts {
	const char *base;        /* base revision; NULL: none */
	const char *head;        /* head revision; NULL: HEAD */
	int worktree;            /* review uncommitted changes against HEAD (or base) */
	int tests;               /* _test.go files too */
	enum review_mode mode;
	const char *input;       /* compiler output file ("-": stdin) instead of running go */
	struct build_opts build;
	const struct checklist_policy *policy;
	int verbose;
	/* out: how many `go` processes were started (for tests and benchmarks) */
};

/*
 * Run the review in the repository containing the current directory (or,
 * with `input` and MODE_ALL, without one).  On success `out` holds the
 * findings the mode keeps, classified, sorted by file and line.
 */
int review_run(struct review *out, const struct review_opts *opts);

#endif
