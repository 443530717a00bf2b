#ifndef UTIL_H
#define UTIL_H

/*
 * util.h: the library's one-time set-up, fatal allocation wrappers and
 * small string helpers shared by every module.  Out-of-memory is fatal:
 * x*() never return NULL.  It owns nothing but those helpers; it must never
 * know a finding, a repository or the command line.
 */

#include <stddef.h>

/*
 * Set up the library once, before anything else runs and before any
 * thread starts: main() and every test or driver that reaches cJSON call
 * it first.  It makes cJSON allocate through xmalloc(), so running out of
 * memory inside any cJSON call (parsing, building, printing) is fatal
 * with a message, as everywhere else, instead of a NULL that code would
 * have to check after every call.  Calling it again changes nothing.
 */
void util_init(void);

__attribute__((noreturn, format(printf, 1, 2)))
void die(const char *fmt, ...);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup() of NULL is NULL */
char *xstrdup_or_null(const char *s);

/* Grow `*arr` (of `*alloc` elements of `size` bytes) to hold `nr` items. */
void xgrow(void **arr, size_t *alloc, size_t nr, size_t size);
#define ALLOC_GROW(arr, nr, alloc) \
	xgrow((void **)&(arr), &(alloc), (nr), sizeof(*(arr)))

/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);
/* If `s` starts with `prefix`, set *rest past it and return 1. */
int skip_prefix(const char *s, const char *prefix, const char **rest);

/*
 * Length (1-4) of the valid UTF-8 sequence at the start of s[0..n), or 0
 * when it is not valid UTF-8 (overlong forms and surrogates included).
 */
size_t utf8_seq_len(const char *s, size_t n);

/* Path join with one '/', malloc'd. */
char *path_join(const char *a, const char *b);

struct strbuf;

/* Create `dir` and the directories above it that are missing (as
 * `mkdir -p`; what cannot be made is left for the caller's open to say). */
void mkdirs(const char *dir);
/* Write `content` to `path` through a temporary file beside it, renamed
 * over it: a reader sees the old file or the new, never a part.  0, or
 * ER_ERROR with the message set. */
int write_file_atomically(const char *path, const struct strbuf *content);

/* Remove the directory tree `dir` (symbolic links are removed, never
 * followed); 0 when it is gone (or was never there), -1 with errno. */
int remove_tree(const char *dir);

#endif
