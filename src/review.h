#ifndef REVIEW_H
#define REVIEW_H

/*
 * review.h: one review, the pipeline's stages wired in order:
 *   revisions and diff (diff.h) -> packages, less the excluded ones
 *   (packages.h, config.h) -> the go process and the parser (parse.h) ->
 *   locate (gosrc.h) -> checklist with the rule overrides (checklist.h) ->
 *   compare with the base (compare.h) -> policy: exclusion, the mode (and
 *   what it hides, counted), the baseline, acknowledgements (ack.h) ->
 *   weighting by --profile files (profile.h), read before the build.
 * It owns the order of the stages and every policy decision, so the CLI,
 * the hook and `baseline` behave alike.  It must never format a report,
 * touch the network or decide an exit code; its only output is warnings
 * on stderr.
 */

#include "checklist.h"
#include "config.h"
#include "finding.h"
#include "packages.h"
#include "profile.h"

struct baseline;

struct review_opts {
	const char *base;        /* base revision; NULL: none */
	int base_empty;          /* no base revision: the whole tree of head is new */
	const char *head;        /* head revision; NULL: HEAD */
	int worktree;            /* review uncommitted changes against HEAD (or base) */
	int tests;               /* _test.go files too */
	enum review_mode mode;
	const char *input;       /* compiler output file ("-": stdin) instead of running go */
	const char *input_go;    /* the Go release that wrote `input` ("go1.24.3"), or NULL */
	struct build_opts build;
	const struct config *config; /* exclude, rules; NULL: none */
	int verbose;
	int all_packages;        /* every package of every module, not only the changed ones */
	int keep_existing;       /* MODE_NEW: list the existing findings too (the release report) */
	int show_baseline;       /* list findings accepted by the baseline */
	int no_baseline;         /* do not read .escape-baseline.json */
	int no_acknowledge;      /* do not apply //escape:ok markers */
	int no_cache;            /* do not read or write the base analysis cache */
	const char *cache_dir;   /* --cache-dir, or NULL (compare.h: base_cache_init) */
	const char *baseline_path; /* default: .escape-baseline.json at the repository root */
	struct baseline *baseline_out; /* when set: receives the baseline read (for stale entries) */
	const char *const *packages;   /* analyse these package directories (pkgset_add_args) */
	size_t packages_nr;
	struct pkgset *packages_out;   /* when set: receives the packages analysed */
	/* --scope: SCOPE_DEPENDENTS (default) also follows changed escape
	 * summaries into importing packages (dependents.h), MODE_NEW only */
	enum review_scope scope;
	size_t max_dependents;         /* 0: REVIEW_MAX_DEPENDENTS */
	/* --profile (profile.h): read before the build (a bad file fails
	 * first), the findings weighted after every other stage */
	const char *const *profiles;
	size_t profiles_nr;
	double hot_share;              /* a weighted finding at or above it is hot */
	/* the process ends once the review is printed: what a review_run()
	 * that succeeds only held in memory (the work tree's head analysis,
	 * the repository) is left to the exit instead of freed piece by
	 * piece; children and threads are waited for all the same */
	int exiting;
};

/*
 * A review: what one run found.  `findings` are the findings reported
 * (status new, existing, baseline or acknowledged), `fixed` the base
 * findings that have no partner at head (new-versus-base mode).
 */
struct review {
	const char *mode;            /* "added", "context", "file", "all", "new" */
	char base[41], head[41];     /* commit ids, "" when unknown */
	char *go_version;            /* "go1.19.8" or NULL */
	char *workdir;               /* the repository's work tree, or NULL */
	struct finding_list findings;
	struct finding_list fixed;
	/* what the review read and does not show (matched at base, hidden by
	 * the mode): freed with it, not one by one while it runs (the CLI
	 * exits without freeing) */
	struct finding_list dropped;
	unsigned analysed_packages;
	unsigned hidden_existing;    /* existing findings not listed (new mode) */
	unsigned hidden_baseline;    /* baseline findings not listed */
	unsigned base_cached : 1;    /* the base analysis came from the cache */
	unsigned dependents;         /* importing packages analysed (dependents.h) */
	char **not_analysed;         /* importers left out by --max-dependents */
	size_t not_analysed_nr;
	/* the changed files (and their packages with no file built) the
	 * build constraints leave out: not reviewed (packages_unbuilt) */
	struct unbuilt not_built;
	/* the changed Go files in no module (no go.mod above them): not reviewed */
	char **no_module;
	size_t no_module_nr;
	struct profile_stats profile; /* --profile: what weighting found */
};

void review_release(struct review *rv);

#define REVIEW_MAX_DEPENDENTS 200

/*
 * Run the review in the repository containing the current directory (or,
 * with `input` and MODE_ALL, without one).  On success `out` holds the
 * findings the mode keeps, classified, fingerprinted, sorted by file and
 * line.  In MODE_NEW (the default when not reading --input) the changed
 * packages are analysed at the base revision too (a libgit2 checkout under
 * GITDIR/escape-review/base, built concurrently with head) and only
 * findings without a partner there are kept; base findings without a
 * partner at head are in out->fixed.  The analysis of a committed revision,
 * base or head, is read from the analysis cache (compare.h) when its key
 * matches and written to it otherwise, unless no_cache or the key cannot
 * see what decides it (the work tree, pkgset_outside_root, contracts; -v
 * says why).  With SCOPE_DEPENDENTS,
 * findings that appear (or go) in importing packages because a changed
 * function's escape summary changed are added too, with induced_by set.  Findings listed in the
 * baseline file get STATUS_BASELINE and are dropped unless show_baseline.
 * With opts->config, files it excludes are not built (their packages are
 * not given to go when every changed file of theirs is excluded) and their
 * findings are dropped before anything is counted; findings accepted by
 * //escape:ok get STATUS_ACKNOWLEDGED (unless no_acknowledge).
 * out->analysed_packages is the number of packages built (or, for --input,
 * the directories the findings are in).
 * Warnings (a base that does not build, a reason-less //escape:ok, ...) go
 * to stderr.
 */
int review_run(struct review *out, const struct review_opts *opts);

/* 1 when a finding that counts (new or existing: not baseline, not
 * acknowledged) is at or above `fail_on`; never for SEVERITY_NONE. */
int review_fails(const struct review *rv, enum severity fail_on);

#endif
