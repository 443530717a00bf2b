/*
 * strmap.c: the string-keyed hash map of strmap.h.  Deletion uses backward
 * shift so no tombstones accumulate.
 */
#include "strmap.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

unsigned long long strmap_hash(const char *key, size_t len)
{
	return strmap_hash_continue(14695981039346656037ULL, key, len); /* FNV-1a offset basis */
}

unsigned long long strmap_hash_continue(unsigned long long h, const char *more, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)more[i];
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
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* the same word as the memcpy below, without a call: the last
		 * eight bytes shifted down, or the bytes one by one */
		if (len >= 8) {
			memcpy(&w, key + len - 8, 8);
			w >>= 8 * (8 - (len - i));
		} else {
			size_t k;

			for (k = len; k-- > 0;)
				w = w << 8 | (unsigned char)key[k];
		}
#else
		memcpy(&w, key + i, len - i);
#endif
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return (size_t)h;
}

/*
 * The keys' bytes, each NUL-terminated, in blocks doubling from
 * KEYS_FIRST to KEYS_MAX bytes (a longer key gets a block of its own):
 * a map of thousands of short keys (fingerprints, pointers) allocated
 * each of them before.
 */
#define KEYS_FIRST 1024
#define KEYS_MAX (64u << 10)

struct strmap_keys {
	struct strmap_keys *next;
	size_t used, size;
	char bytes[];
};

static char *key_copy(struct strmap *m, const char *key, size_t keylen)
{
	struct strmap_keys *b = m->keys;
	char *s;

	if (keylen > SIZE_MAX / 2)
		die("out of memory: a key of %zu bytes", keylen);
	if (!b || b->size - b->used <= keylen) {
		size_t size = b ? (b->size < KEYS_MAX ? b->size * 2 : KEYS_MAX) : KEYS_FIRST;

		if (size <= keylen)
			size = keylen + 1;
		b = xmalloc(sizeof(*b) + size);
		b->next = m->keys;
		b->used = 0;
		b->size = size;
		m->keys = b;
	}
	s = b->bytes + b->used;
	memcpy(s, key, keylen);
	s[keylen] = '\0';
	b->used += keylen + 1;
	return s;
}

static void keys_free(struct strmap *m)
{
	while (m->keys) {
		struct strmap_keys *next = m->keys->next;

		free(m->keys);
		m->keys = next;
	}
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
	m->slots[i].key = key_copy(m, key, keylen);
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
	m->slots[i].key = NULL; /* its bytes stay in their block */
	if (!--m->nr)
		keys_free(m);
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
	keys_free(m);
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
		m->slots[i].key = key_copy(m, key, keylen);
		m->slots[i].keylen = keylen;
		m->slots[i].hash = hash;
		m->slots[i].value = (void *)1;
		m->nr++;
	}
	return m->slots[i].key;
}

/*
 * The pool's strings live in blocks, each as its length (4 bytes), its
 * bytes and a NUL, so a block can be walked to rebuild the table; the
 * table holds each string's place and the high half of its hash.
 */
#define POOL_BLOCK (64u << 10)

struct pool_block {
	struct pool_block *next;
	size_t used, size;
	char data[];
};

struct pool_slot {
	const char *s;      /* NULL: empty */
	uint32_t tag;       /* high bits of the string's strmap_table_hash */
};

struct strpool {
	/* the findings of a parse are placed in one thread (input.h) while
	 * the next are parsed in another: every use takes the lock */
	pthread_mutex_t lock;
	struct pool_block *blocks;    /* the newest first */
	struct pool_slot *slots;      /* NULL after strpool_compact */
	size_t cap, nr;
	unsigned long refs;
};

struct strpool *strpool_new(void)
{
	struct strpool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->lock, NULL);
	p->refs = 1;
	return p;
}

struct strpool *strpool_ref(struct strpool *p)
{
	pthread_mutex_lock(&p->lock);
	p->refs++;
	pthread_mutex_unlock(&p->lock);
	return p;
}

void strpool_unref(struct strpool *p)
{
	unsigned long left;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	left = --p->refs;
	pthread_mutex_unlock(&p->lock);
	if (left)
		return;
	pthread_mutex_destroy(&p->lock);
	while (p->blocks) {
		struct pool_block *b = p->blocks;

		p->blocks = b->next;
		free(b);
	}
	free(p->slots);
	free(p);
}

static uint32_t pool_len(const char *s)
{
	uint32_t n;

	memcpy(&n, s - sizeof(n), sizeof(n));
	return n;
}

/* The slot holding the string, or the empty one where it would go. */
static size_t pool_slot(const struct strpool *p, const char *s, size_t len, size_t hash)
{
	size_t i = hash & (p->cap - 1);
	uint32_t tag = (uint32_t)((uint64_t)hash >> 32);

	for (; p->slots[i].s; i = (i + 1) & (p->cap - 1))
		if (p->slots[i].tag == tag && pool_len(p->slots[i].s) == len &&
		    !memcmp(p->slots[i].s, s, len))
			break;
	return i;
}

static void pool_place(struct strpool *p, const char *s, size_t len)
{
	size_t hash = strmap_table_hash(s, len), i = pool_slot(p, s, len, hash);

	p->slots[i].s = s;
	p->slots[i].tag = (uint32_t)((uint64_t)hash >> 32);
}

/* A table of `cap` slots holding every string of the blocks. */
static void pool_rebuild(struct strpool *p, size_t cap)
{
	const struct pool_block *b;

	free(p->slots);
	p->slots = xcalloc(cap, sizeof(*p->slots));
	p->cap = cap;
	for (b = p->blocks; b; b = b->next) {
		size_t at = 0;

		while (at < b->used) {
			const char *s = b->data + at + sizeof(uint32_t);
			uint32_t n = pool_len(s);

			pool_place(p, s, n);
			at += sizeof(uint32_t) + n + 1;
		}
	}
}

/* A copy of s[0..len) in the newest block (a new one when it is full). */
static const char *pool_store(struct strpool *p, const char *s, size_t len)
{
	size_t need = sizeof(uint32_t) + len + 1;
	uint32_t n = (uint32_t)len;
	char *at;

	if (len > UINT32_MAX - 8)
		die("strpool: string of %zu bytes", len);
	if (!p->blocks || p->blocks->size - p->blocks->used < need) {
		size_t size = need > POOL_BLOCK / 4 ? need : POOL_BLOCK - sizeof(struct pool_block);
		struct pool_block *b = xmalloc(sizeof(*b) + size);

		b->used = 0;
		b->size = size;
		/* a string of its own block goes behind the current one, which
		 * keeps its room */
		if (need > POOL_BLOCK / 4 && p->blocks) {
			b->next = p->blocks->next;
			p->blocks->next = b;
		} else {
			b->next = p->blocks;
			p->blocks = b;
		}
		at = b->data;
		b->used = need;
	} else {
		at = p->blocks->data + p->blocks->used;
		p->blocks->used += need;
	}
	memcpy(at, &n, sizeof(n));
	memcpy(at + sizeof(n), s, len);
	at[sizeof(n) + len] = '\0';
	p->nr++;
	return at + sizeof(n);
}

/* The smallest table size holding `n` strings under three quarters full. */
static size_t pool_cap(size_t n)
{
	size_t cap = 16;

	while ((n + 1) * 4 >= cap * 3)
		cap *= 2;
	return cap;
}

const char *strpool_intern(struct strpool *p, const char *s, size_t len)
{
	size_t hash = strmap_table_hash(s, len), i;
	const char *copy;

	pthread_mutex_lock(&p->lock);
	if (!p->slots || (p->nr + 1) * 4 >= p->cap * 3)
		pool_rebuild(p, p->slots && p->cap ? p->cap * 2 : pool_cap(p->nr + 1));
	i = pool_slot(p, s, len, hash);
	copy = p->slots[i].s;
	if (!copy) {
		copy = pool_store(p, s, len);
		p->slots[i].s = copy;
		p->slots[i].tag = (uint32_t)((uint64_t)hash >> 32);
	}
	pthread_mutex_unlock(&p->lock);
	return copy;
}

void strpool_compact(struct strpool *p)
{
	pthread_mutex_lock(&p->lock);
	free(p->slots);
	p->slots = NULL;
	p->cap = 0;
	pthread_mutex_unlock(&p->lock);
}
