#ifndef GOSRC_H
#define GOSRC_H

/*
 * gosrc.h: a light scan of Go source text that finds the functions in it,
 * to name the function a finding is in.  Not a parser: it tokenises just
 * enough (comments, interpreted and raw strings, runes, brackets) to find
 * `func` declarations and function literals and the extent of their
 * bodies, and names them the way the compiler does:
 *   F, T.M, (*T).M, F.func1 for F's first closure, F.func1.2 for the
 *   second closure inside that one, glob..func1 for a package-level one.
 * Type parameters are left out of names: (*L[K]).Get is "(*L).Get".
 */

#include <stddef.h>

struct gofunc {
	char *name;
	int start_line, start_col;  /* the `func` keyword (a literal: its '(') */
	int end_line, end_col;      /* the closing brace of the body */
};

struct gofuncs {
	struct gofunc *items;
	size_t nr, alloc;
};

#define GOFUNCS_INIT { NULL, 0, 0 }

/* Scan `len` bytes of Go source, appending to `out`. */
void gofuncs_scan(struct gofuncs *out, const char *src, size_t len);
void gofuncs_release(struct gofuncs *fns);

/* Name of the innermost function containing line:col (col 0: start of
 * line), or NULL when the position is outside every function. */
const char *gofuncs_at(const struct gofuncs *fns, int line, int col);

/* True when the source starts with a generated-code marker line
 * (`// Code generated ... DO NOT EDIT.` before the package clause). */
int gosrc_is_generated(const char *src, size_t len);

struct finding_list;

/*
 * The locate stage: for every finding, read its file under `root` (an
 * absolute path as it is) (bounded, once per file) and set finding.function, finding.source
 * (the text of its line) and finding.source_above (the line before).  Files that cannot be read are skipped.
 */
void gosrc_locate(struct finding_list *list, const char *root);

#endif
