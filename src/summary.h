#ifndef SUMMARY_H
#define SUMMARY_H

/*
 * summary.h: per-function escape summaries, what callers in other packages
 * see of a function through export data, and how they differ between two
 * revisions.
 *
 * A function's summary is the set of its lines among
 *   leaking param: p
 *   leaking param content: p
 *   leaking param: p to result ~r0 level=0
 * (the compiler's verdicts on its parameters; no line means nothing leaks).
 * A parameter moved to the heap (finding.moved_param) is `leaking param:
 * p`: its value is stored in the heap, what its callers pass escapes, and
 * export data says so, though -m prints only `moved to heap: p`.
 * and, when notes are added, whether it inlines (summary_add_notes: the
 * lines "can inline" / "cannot inline" from the compiler's
 *   can inline F with cost N / cannot inline F: REASON
 * for the functions an importer can call; inlining lines are compared only
 * when both revisions have them).
 * Functions are keyed by package (import path) and name as locate names
 * them ("Observe", "(*T).M").  A difference in a function that exists at
 * both revisions is a summary change: callers in importing packages may
 * now allocate (or stop allocating) without changing themselves.
 *
 * Owns: the summaries' sets and their differences, and the inlining notes
 * file kept next to a cached analysis.  Never: runs go,
 * opens repositories, formats output, or decides what a change induces
 * (dependents.h does).
 */

#include "finding.h"
#include "parse.h"
#include "strbuf.h"
#include "strmap.h"
#include <stddef.h>

/* An entry's strings are the summary's (its pool), not the entry's. */
struct summary_entry {
	const char *package;   /* import path ("example.com/m/store") */
	const char *function;  /* "Observe", "(*T).M" */
	const char *file;      /* where the function is (repository-relative) */
	int line;
	const char **lines;    /* summary lines, sorted, distinct */
	size_t lines_nr, lines_alloc;
	unsigned has_inline : 1; /* an inlining note was added */
	const char *inline_reason; /* summary_add_notes: why it cannot inline, or NULL */
};

struct summary {
	struct summary_entry *items;
	size_t nr, alloc;
	int sorted;
	/* "package\0function" to index + 1 of items[0..indexed) (a package's
	 * summaries have thousands of functions: found by hash, not by scan) */
	struct strmap index;
	size_t indexed;
	struct strbuf key; /* get_entry()'s, kept between calls */
	size_t last;       /* index + 1 of get_entry()'s last entry (0: none):
			    * a function's findings come together */
	/* the entries' strings, each once (a package's path, its files and
	 * its leak lines repeat): one pool freed whole */
	struct strpool *pool;
};

#define SUMMARY_INIT { NULL, 0, 0, 0, STRMAP_INIT, 0, STRBUF_INIT, 0, NULL }

/* The leaking-param findings of `l`, and its parameters moved to the heap
 * as leaks (other verdicts are ignored). */
void summary_add_findings(struct summary *s, const struct finding_list *l);
/*
 * One line of a function's summary from elsewhere (the parser's inlining
 * notes): `text` as "can inline with cost 9" or "cannot inline: REASON".
 */
void summary_add_line(struct summary *s, const char *package, const char *function,
		      const char *file, int line, const char *text);
/*
 * The parser's inlining notes (NOTE_CAN_INLINE, NOTE_CANNOT_INLINE) of the
 * functions an importer can call (exported names, methods included, not
 * closures) as the lines "can inline" / "cannot inline": whether it
 * inlines, not its cost, so that a callee growing past the inlining budget
 * (or shrinking under it) is a summary change and an edit that only moves
 * its cost is not.  The reason it cannot inline is kept for describing
 * the change.
 */
void summary_add_notes(struct summary *s, const struct parse_note_list *nl);
void summary_release(struct summary *s);

/*
 * The notes summary_add_notes() reads, saved next to a cached analysis
 * (which keeps findings only) and read back with it, trusted only for the
 * same `key` (the entry's, stored in the file and compared on read).
 * Reading returns 0, 1 when there is no file, or ER_EINPUT (message set)
 * when it is not one or was written for another key (then nothing is
 * added).  Writing is atomic (a temporary file renamed); it returns 0 or
 * ER_ERROR with the message set.
 */
int summary_notes_write(const char *path, const char *key, const struct parse_note_list *nl);
int summary_notes_read(struct parse_note_list *out, const char *path, const char *key);

struct summary_change {
	char *package, *function, *file;
	int line;
	char *before, *after;  /* the summary lines joined with "; ", "" for none */
	/* what callers see now, in words: "now keeps its argument p" */
	char *what;
	/* the parameters whose leaks changed, for matching callers' flows */
	char **params;
	size_t params_nr, params_alloc;
	/* the change in this diff it follows from (a dependent's summary that
	 * changed because of it), or NULL when the diff changed it itself */
	const struct summary_change *root;
	/* a generic function the diff changed: it has no summary (its
	 * package's build compiles no body of it), and what it allocates is
	 * found where it is instantiated (dependents.h) */
	unsigned generic : 1;
};

struct summary_changes {
	struct summary_change **items;
	size_t nr, alloc;
};

#define SUMMARY_CHANGES_INIT { NULL, 0, 0 }

/* Sort `s` as summary_diff() reads it (once: a sorted summary is left). */
void summary_sort(struct summary *s);

/*
 * Append to `out` every function present at both revisions whose summary
 * differs (a function found only at one of them has no callers that
 * compiled against the other; it has no leak lines there either way, so it
 * counts when its leak lines differ from none).  Sorted by package, then
 * function.
 */
void summary_diff(struct summary_changes *out, struct summary *base, struct summary *head);
void summary_changes_release(struct summary_changes *c);

/* "store.Observe": the package's last element and the function. */
char *summary_change_name(const struct summary_change *c);

#endif
