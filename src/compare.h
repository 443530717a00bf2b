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
	size_t nr, alloc;
	unsigned char *seen;   /* per entry: found again in this review */
};

#define BASELINE_INIT { STRMAP_INIT, NULL, NULL, 0, 0, NULL }

/* Read the baseline file; a missing file is an empty baseline (returns 0).
 * A malformed file is ER_EINPUT naming the file and what is wrong. */
int baseline_read(struct baseline *b, const char *path);
/* The same from `len` bytes in memory; `path` names them in messages. */
int baseline_parse(struct baseline *b, const char *buf, size_t len, const char *path);
void baseline_release(struct baseline *b);
/* Mark findings in the baseline STATUS_BASELINE; returns how many. */
size_t baseline_apply(struct baseline *b, struct finding_list *l);
/* Write `l` as a baseline file (sorted by fingerprint, one entry a line). */
int baseline_write(const char *path, const struct finding_list *l);

#endif
