/*
 * strmap.c: the string-keyed hash map of strmap.h.  Deletion uses backward
 * shift so no tombstones accumulate.
 */
#include "strmap.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

unsigned long long strmap_hash(const char *key, size_t len)
{
	unsigned long long h = 14695981039346656037ULL; /* FNV-1a offset basis */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * Eight bytes at a time (the map hashes every key it looks up, and most
 * are tens of bytes long), mixed by multiplication with odd constants and
 * folded so the low bits (the slot) depend on all of them.
 */
size_t strmap_table_hash(const char *key, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)len * 0xff51afd7ed558ccdULL), w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 31;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, key + i, len - i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return (size_t)h;
}

/* The slot holding the key, or the empty slot where it would go. */
static size_t find_slot(const struct strmap *m, const char *key, size_t keylen, size_t hash)
{
	size_t i = hash & (m->cap - 1);

	while (m->slots[i].key) {
		if (m->slots[i].hash == hash && m->slots[i].keylen == keylen &&
		    !memcmp(m->slots[i].key, key, keylen))
			return i;
		i = (i + 1) & (m->cap - 1);
	}
	return i;
}

/* The empty slot where an entry of `hash`, known absent, goes. */
static size_t free_slot(const struct strmap *m, size_t hash)
{
	size_t i = hash & (m->cap - 1);

	while (m->slots[i].key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *strmap_get(const struct strmap *m, const char *key, size_t keylen)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = find_slot(m, key, keylen, strmap_table_hash(key, keylen));
	return m->slots[i].key ? m->slots[i].value : NULL;
}

static void rehash(struct strmap *m, size_t cap)
{
	struct strmap_entry *old = m->slots;
	size_t oldcap = m->cap, i;

	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			m->slots[free_slot(m, old[i].hash)] = old[i];
	free(old);
}

void *strmap_put(struct strmap *m, const char *key, size_t keylen, void *value)
{
	size_t i, hash = strmap_table_hash(key, keylen);
	void *prev;

	if ((m->nr + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? m->cap * 2 : 16);
	i = find_slot(m, key, keylen, hash);
	if (m->slots[i].key) {
		prev = m->slots[i].value;
		m->slots[i].value = value;
		return prev;
	}
	m->slots[i].key = xstrndup(key, keylen);
	m->slots[i].keylen = keylen;
	m->slots[i].hash = hash;
	m->slots[i].value = value;
	m->nr++;
	return NULL;
}

void *strmap_remove(struct strmap *m, const char *key, size_t keylen)
{
	size_t i, j;
	void *value;

	if (!m->cap)
		return NULL;
	i = find_slot(m, key, keylen, strmap_table_hash(key, keylen));
	if (!m->slots[i].key)
		return NULL;
	value = m->slots[i].value;
	free(m->slots[i].key);
	m->slots[i].key = NULL;
	m->nr--;
	/* backward-shift the cluster after i */
	j = i;
	for (;;) {
		size_t home;

		j = (j + 1) & (m->cap - 1);
		if (!m->slots[j].key)
			break;
		home = m->slots[j].hash & (m->cap - 1);
		/* can the entry at j move to i? only if home is not in (i, j] cyclically */
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			m->slots[i] = m->slots[j];
			m->slots[j].key = NULL;
			i = j;
		}
	}
	return value;
}

void strmap_release(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->nr = 0;
}

int strmap_next(const struct strmap *m, size_t *iter, const struct strmap_entry **e)
{
	while (*iter < m->cap) {
		size_t i = (*iter)++;

		if (m->slots[i].key) {
			*e = &m->slots[i];
			return 1;
		}
	}
	return 0;
}

const char *strmap_intern(struct strmap *m, const char *key, size_t keylen)
{
	size_t i, hash = strmap_table_hash(key, keylen);

	if ((m->nr + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? m->cap * 2 : 16);
	i = find_slot(m, key, keylen, hash);
	if (!m->slots[i].key) {
		m->slots[i].key = xstrndup(key, keylen);
		m->slots[i].keylen = keylen;
		m->slots[i].hash = hash;
		m->slots[i].value = (void *)1;
		m->nr++;
	}
	return m->slots[i].key;
}

struct strpool {
	struct strmap map;
	unsigned long refs;
};

struct strpool *strpool_new(void)
{
	struct strpool *p = xcalloc(1, sizeof(*p));

	p->refs = 1;
	return p;
}

struct strpool *strpool_ref(struct strpool *p)
{
	p->refs++;
	return p;
}

void strpool_unref(struct strpool *p)
{
	if (!p || --p->refs)
		return;
	strmap_release(&p->map);
	free(p);
}

const char *strpool_intern(struct strpool *p, const char *s, size_t len)
{
	return strmap_intern(&p->map, s, len);
}
