#ifndef DEPENDENTS_H
#define DEPENDENTS_H

/*
 * dependents.h: escapes a change induces in packages that import it.
 *
 * A caller in another package sees a function only through its escape
 * summary (summary.h): its leaking parameters and whether it inlines.  When the changed packages' summaries differ between
 * base and head, the packages of the repository's modules that import a
 * package whose summaries changed are analysed at head and at base (by the
 * caller's `analyse`), and compared: what is new there is induced by the
 * change, what went is fixed by it.  Their own changed summaries start the
 * next round, until nothing changes or no importer is left (a fixpoint),
 * or `max` dependents were analysed (the rest are named in `skipped`).
 * A changed generic function counts as a changed summary: its package
 * compiles no body of it, the importers that instantiate it do, and report
 * what it allocates (in its file, or where it is inlined).
 *
 * The import graph is the head revision's, from one
 *   go list -e -f '{{.ImportPath}} {{.Module.Path}} {{.Imports}}' ./...
 * per module (run from the module's root), cached under
 * GITDIR/escape-review/deps/ by tree, module, Go version, go environment
 * and build flags.  With no summary change and no generic function changed
 * no go list runs and nothing else is built.
 *
 * Owns: the import graph, its cache and the rounds of importers analysed.
 * Never: builds or parses itself (the caller's `analyse` does), formats
 * output, or touches the network.
 */

#include "finding.h"
#include "packages.h"
#include "summary.h"

/* A generic function the diff changed, in a changed package. */
struct dependents_generic {
	const char *moddir;        /* repository-relative module directory */
	const char *pkg;           /* "./x" or "." */
	const char *function;      /* the compiler's name: "Sum", "(*List).Push" */
	const char *file;
	int line;
};

struct dependents_opts {
	const char *head_root;     /* the head checkout (absolute) */
	const char *gitdir;        /* for the graph's cache; NULL: none */
	const char *tree;          /* head tree id for the cache key; NULL: not cached */
	const char *go_version;
	const char *go_env;        /* go_env_key()'s lines (GOOS, GOARCH, ...), for the key */
	const struct build_opts *build; /* its build flags (-tags) go to go list too */
	size_t max;                /* dependents analysed at most */
	/* generic functions the diff changed: each starts the first round
	 * like a changed summary (a function whose body its own package never
	 * compiles is compiled in the packages that instantiate it) */
	const struct dependents_generic *generics;
	size_t generics_nr;
	int verbose;               /* print each round on stderr */
	/*
	 * Analyse `set` at head and base: the raw findings (located, not
	 * classified, contracts checked) into `head` and `base`, the parser's
	 * inlining notes into `head_notes` and `base_notes`.  Returns 0 or an
	 * ER_* code with the message set.
	 */
	int (*analyse)(void *ctx, struct finding_list *head, struct finding_list *base,
		       struct parse_note_list *head_notes, struct parse_note_list *base_notes,
		       const struct pkgset *set);
	/* Classify and fingerprint one side's findings (base: is_base). */
	void (*classify)(void *ctx, struct finding_list *l, int is_base);
	void *ctx;
};

/*
 * The contracts of the importers (contract.h) are checked as in the changed
 * packages: one broken by this change is found (STATUS_NEW, induced_by
 * naming the changed callee), one already broken at base is found too
 * (STATUS_EXISTING, no cause), one that holds again is fixed.
 */
struct dependents_result {
	struct finding_list found;  /* induced new findings (STATUS_NEW, induced_by set) */
	struct finding_list fixed;  /* induced fixed findings (STATUS_FIXED, induced_by set) */
	struct summary_changes changes; /* every summary change, round by round */
	size_t analysed;            /* dependent packages analysed */
	size_t rounds;
	char **skipped;             /* import paths left out by `max` */
	size_t skipped_nr, skipped_alloc;
};

#define DEPENDENTS_RESULT_INIT { FINDING_LIST_INIT, FINDING_LIST_INIT, SUMMARY_CHANGES_INIT, 0, 0, NULL, 0, 0 }

/*
 * The base's side of dependents_changes(), ready before the head's analysis
 * ends: the summaries of the changed packages' raw findings at base and of
 * their inlining notes (NULL: none) into `out` (summary_release()).
 */
void dependents_base(struct summary *out, const struct finding_list *base0,
		     const struct parse_note_list *base_notes0);

/*
 * The head's side: compare the summaries of `head0` (the changed packages'
 * raw findings, and their inlining notes, NULL: none) with the base's,
 * `base` (dependents_base(), given notes when head_notes0 is given), into
 * res->changes.  Reads the findings' package, function, file, line,
 * message and verdict only, so it may run beside a thread that
 * fingerprints or matches them; touches nothing else.
 */
void dependents_changes(struct dependents_result *res, const struct finding_list *head0,
			const struct parse_note_list *head_notes0, struct summary *base);
/* The same, the head's summary begun in `head` (summary_add_findings() of
 * the findings before `head0`'s, in their order), which it releases. */
void dependents_changes_from(struct dependents_result *res, struct summary *head,
			     const struct finding_list *head0,
			     const struct parse_note_list *head_notes0, struct summary *base);

/*
 * Follow res->changes (dependents_changes()) through the importers of
 * `changed` (the changed packages).  Returns 0, or an ER_* code (message
 * set) when the graph or an analysis failed; what was found before stays
 * in `res`.
 */
int dependents_follow(struct dependents_result *res, const struct dependents_opts *o,
		      const struct pkgset *changed);
void dependents_result_release(struct dependents_result *res);

#endif
