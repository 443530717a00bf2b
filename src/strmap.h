#ifndef STRMAP_H
#define STRMAP_H

/*
 * strmap.h: a string-keyed hash map (open addressing, linear probing).
 * Keys are copied and owned by the map (they may contain NUL bytes: every
 * function takes the key's length); values are the caller's pointers,
 * which the map never frees.  It owns the table and its keys; it must
 * never own or free the values.
 */

#include <stddef.h>

struct strmap_entry {
	char *key;
	size_t keylen;
	void *value;
};

struct strmap {
	struct strmap_entry *slots;
	size_t cap, nr;
};

#define STRMAP_INIT { NULL, 0, 0 }

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

/* FNV-1a 64-bit hash, exposed for fingerprints. */
unsigned long long strmap_hash(const char *key, size_t len);

#endif
