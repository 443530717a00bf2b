#ifndef COMPARE_H
#define COMPARE_H

/*
 * compare.h: new versus base, and the baseline of accepted escapes.
 *
 * Fingerprint.  A finding is identified by what it is, not where it is:
 *   fingerprint = hex(FNV-1a 64 of
 *       package NUL file NUL function NUL message NUL occurrence)
 * where `file` is the head-side path (a base finding's path is mapped
 * through the change's renames first), `function` is the enclosing
 * top-level function (closure suffixes such as ".func2" are dropped, so
 * adding a closure does not renumber the others' findings), `message` is
 * the verdict with compiler positions (FILE.go:LINE[:COL]) removed and
 * nothing else (`b[:2]` and `c[:3]` stay different), and `occurrence`
 * counts earlier findings with the same other fields in the same function
 * (by line and column).  Line shifts, reformatting and renamed files keep
 * the fingerprint; findings of a function moved to another file of the
 * package are matched in a second pass that ignores the file.
 *
 * Cache.  The base analysis is cached as JSON (the raw findings before
 * classification, so a changed rule policy applies to it too) under the
 * repository's git directory: GITDIR/escape-review/cache/KEY.json, KEY a
 * hash of everything that determines it (base tree, Go version, build
 * flags, compiler flags, tests, the packages).
 *
 * Baseline.  `.escape-baseline.json` at the repository root lists accepted
 * findings, sorted, one entry per line: fingerprint, rule, location and
 * message.  Entries found again get status "baseline".
 */

#include "finding.h"
#include "strmap.h"

struct change;
struct config;
struct pkgset;
struct strbuf;

/* Set f->fingerprint on every finding of `l`.  `renames` maps base paths to
 * head paths (may be NULL: paths are used as they are). */
void compare_fingerprint(struct finding_list *l, const struct change *renames);

/*
 * Match head findings against base findings (both fingerprinted).  Head
 * findings with a partner get STATUS_EXISTING, the others STATUS_NEW; base
 * findings without a partner are moved to `fixed` (STATUS_FIXED).  `base`
 * is emptied.
 */
void compare_match(struct finding_list *head, struct finding_list *base,
		   struct finding_list *fixed);

/* Cache of an analysis: write / read the raw findings (paths as stored). */
int compare_cache_write(const char *path, const struct finding_list *l);
/* 0 and the findings appended, or ER_ERROR when there is no usable cache. */
int compare_cache_read(struct finding_list *out, const char *path);
/* The same from `len` bytes in memory (the fuzz target's entry point). */
int compare_cache_parse(struct finding_list *out, const char *buf, size_t len);

struct baseline {
	struct strmap fps;     /* fingerprint -> entry index + 1 */
	char **lines;          /* the entries as read, for `baseline check` */
	char **fingerprints;
	char **files;          /* each entry's file (from its location); "" when unknown */
	char **rules;          /* each entry's rule; "" when unknown */
	size_t nr, alloc;
	unsigned char *seen;   /* per entry: found again in this review */
	unsigned char *in_scope; /* per entry: analysed by this review (baseline_set_scope) */
};

#define BASELINE_INIT { STRMAP_INIT, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }

/* Read the baseline file; a missing file is an empty baseline (returns 0).
 * A malformed file is ER_EINPUT naming the file and what is wrong. */
int baseline_read(struct baseline *b, const char *path);
/* The same from `len` bytes in memory; `path` names them in messages. */
int baseline_parse(struct baseline *b, const char *buf, size_t len, const char *path);
void baseline_release(struct baseline *b);
/* Mark findings in the baseline STATUS_BASELINE; returns how many. */
size_t baseline_apply(struct baseline *b, struct finding_list *l);
/*
 * Write the findings of `l` as a baseline file (sorted by fingerprint, one
 * entry a line), all of it: acknowledged findings (//escape:ok) are left
 * out, they are accepted by their comment.
 */
int baseline_write(const char *path, const struct finding_list *l);

/*
 * What one review covered.  An entry is in scope when its file is in one of
 * `packages` (repository-relative module directories and package patterns
 * "./x", "./x/..."), unless it is a _test.go file and the review left tests
 * out, or its rule is turned off or its file excluded in `config`.  Only
 * entries in scope can be found stale or be replaced: what was not analysed
 * can be neither confirmed nor refuted.
 */
struct baseline_scope {
	const struct pkgset *packages;
	int tests;
	const struct config *config;   /* may be NULL */
};

/* Set b->in_scope for every entry. */
void baseline_set_scope(struct baseline *b, const struct baseline_scope *s);
/* Entry i is stale: in scope (or no scope was set) and not found again. */
int baseline_stale(const struct baseline *b, size_t i);

struct baseline_update {
	size_t added;           /* entries the file did not have */
	size_t removed;         /* entries in scope no longer found */
	size_t kept;            /* entries out of scope, kept as they were */
	size_t total;           /* entries in the file now */
	int written;            /* the file changed (0: already up to date) */
	char **removed_lines;   /* the removed entries as they were */
	size_t removed_alloc;
	char **added_lines;     /* the added entries */
	size_t added_alloc;
};

/*
 * `baseline update`: the entries in scope are replaced by the findings of
 * `l` (the review of those packages; acknowledged ones left out), every
 * other entry is kept byte for byte.  The file is written (atomically)
 * only when its text changes.  A malformed existing file is ER_EINPUT and
 * is left alone.
 */
int baseline_update(struct baseline_update *res, const char *path,
		    const struct finding_list *l, const struct baseline_scope *s);
void baseline_update_release(struct baseline_update *res);

#endif
