#ifndef STRMAP_H
#define STRMAP_H

/*
 * strmap.h: a string-keyed hash map (open addressing, linear probing).
 * Keys are copied and owned by the map (they may contain NUL bytes: every
 * function takes the key's length); values are the caller's pointers,
 * which the map never frees.  It owns the table and its keys; it must
 * never own or free the values.  The keys are copied into blocks of the
 * map's (no allocation per key), freed with the map, or when a removal
 * leaves it empty.
 */

#include <stddef.h>

struct strmap_entry {
	char *key;
	size_t keylen;
	void *value;
	size_t hash;    /* the table's hash of the key (the map's own) */
};

struct strmap_keys;

struct strmap {
	struct strmap_entry *slots;
	size_t cap, nr;
	struct strmap_keys *keys; /* the blocks holding the keys (strmap.c) */
};

#define STRMAP_INIT { NULL, 0, 0, NULL }

/* The value stored under the key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key, size_t keylen);
/* Store `value` (non-NULL) under the key; returns the value it replaced or NULL. */
void *strmap_put(struct strmap *m, const char *key, size_t keylen, void *value);
/* Remove the key; returns its value or NULL. */
void *strmap_remove(struct strmap *m, const char *key, size_t keylen);
/* Free the keys and the table (not the values); the map is empty afterwards. */
void strmap_release(struct strmap *m);

/* Iterate: `for (i = 0; strmap_next(m, &i, &e); )` visits every entry. */
int strmap_next(const struct strmap *m, size_t *iter, const struct strmap_entry **e);

/*
 * The map's own copy of the key (NUL-terminated), inserting it (with the
 * value (void *)1) when absent: equal strings share one copy, which lives
 * until the map is released.
 */
const char *strmap_intern(struct strmap *m, const char *key, size_t keylen);

/*
 * A reference-counted set of interned strings shared by the findings of one
 * parse: the compiler repeats a chain's step texts and file names hundreds
 * of thousands of times (the standard library's log: 918,826 steps, 58,950
 * distinct texts), so each is stored once.  strpool_new() returns one
 * reference; the pool is freed when the last is dropped.  Its functions
 * may be called from several threads at once (a lock each).
 */
struct strpool;
struct strpool *strpool_new(void);
struct strpool *strpool_ref(struct strpool *p);
/* Drop a reference; NULL does nothing. */
void strpool_unref(struct strpool *p);
/* The pool's copy of s[0..len) (NUL-terminated), stored when absent: equal
 * strings share one copy, which lives as long as the pool. */
const char *strpool_intern(struct strpool *p, const char *s, size_t len);
/*
 * Free the lookup table (the strings stay where they are): a parse calls
 * it when its interning is over.  A later strpool_intern builds the table
 * again from the strings.
 */
void strpool_compact(struct strpool *p);

/* The hash the table places a key by (its slot: the low bits); kept in
 * strmap_entry.hash. */
size_t strmap_table_hash(const char *key, size_t len);

/* FNV-1a 64-bit hash, exposed for fingerprints (the table uses its own). */
unsigned long long strmap_hash(const char *key, size_t len);
/* The hash `h` (strmap_hash's) carried on over `len` more bytes:
 * strmap_hash("ab") == strmap_hash_continue(strmap_hash("a"), "b"). */
unsigned long long strmap_hash_continue(unsigned long long h, const char *more, size_t len);

#endif
