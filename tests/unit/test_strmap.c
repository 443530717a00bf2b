/*
 * test_strmap.c: the open-addressing map: put/get/replace/remove, the
 * backward shift that keeps probe chains intact under collisions
 * (including a cluster that wraps around the table's end), many keys with
 * rehashing, keys with NUL bytes, iteration, and the FNV-1a vectors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

#define V(n) ((void *)(uintptr_t)(n))

static void test_basic(void **state)
{
	struct strmap m = STRMAP_INIT;

	(void)state;
	assert_null(strmap_get(&m, "a", 1));
	assert_null(strmap_remove(&m, "a", 1));
	assert_null(strmap_put(&m, "a", 1, V(1)));
	assert_null(strmap_put(&m, "bb", 2, V(2)));
	assert_int_equal(m.nr, 2);
	assert_ptr_equal(strmap_get(&m, "a", 1), V(1));
	assert_ptr_equal(strmap_get(&m, "bb", 2), V(2));
	/* the length is part of the key */
	assert_null(strmap_get(&m, "bb", 1));
	assert_null(strmap_get(&m, "a", 0));
	/* replacing returns the old value and keeps the count */
	assert_ptr_equal(strmap_put(&m, "a", 1, V(3)), V(1));
	assert_int_equal(m.nr, 2);
	assert_ptr_equal(strmap_get(&m, "a", 1), V(3));
	assert_ptr_equal(strmap_remove(&m, "a", 1), V(3));
	assert_null(strmap_get(&m, "a", 1));
	assert_null(strmap_remove(&m, "a", 1));
	assert_int_equal(m.nr, 1);
	/* the empty key is a key */
	assert_null(strmap_put(&m, "", 0, V(9)));
	assert_ptr_equal(strmap_get(&m, "", 0), V(9));
	strmap_release(&m);
	assert_int_equal(m.nr, 0);
	assert_int_equal(m.cap, 0);
	assert_null(m.slots);
	/* usable after release */
	assert_null(strmap_put(&m, "x", 1, V(4)));
	assert_ptr_equal(strmap_get(&m, "x", 1), V(4));
	strmap_release(&m);
}

static void test_key_copied(void **state)
{
	struct strmap m = STRMAP_INIT;
	char key[] = "mutable";

	(void)state;
	strmap_put(&m, key, 7, V(1));
	key[0] = 'M';
	assert_ptr_equal(strmap_get(&m, "mutable", 7), V(1));
	assert_null(strmap_get(&m, key, 7));
	strmap_release(&m);
}

static void test_nul_keys(void **state)
{
	struct strmap m = STRMAP_INIT;

	(void)state;
	strmap_put(&m, "a\0b", 3, V(1));
	strmap_put(&m, "a\0c", 3, V(2));
	strmap_put(&m, "a", 1, V(3));
	strmap_put(&m, "a\0", 2, V(4));
	assert_int_equal(m.nr, 4);
	assert_ptr_equal(strmap_get(&m, "a\0b", 3), V(1));
	assert_ptr_equal(strmap_get(&m, "a\0c", 3), V(2));
	assert_ptr_equal(strmap_get(&m, "a", 1), V(3));
	assert_ptr_equal(strmap_get(&m, "a\0", 2), V(4));
	assert_ptr_equal(strmap_remove(&m, "a\0b", 3), V(1));
	assert_null(strmap_get(&m, "a\0b", 3));
	assert_ptr_equal(strmap_get(&m, "a\0c", 3), V(2));
	assert_ptr_equal(strmap_get(&m, "a", 1), V(3));
	strmap_release(&m);
}

/* Keys "kN" whose home slot in a table of 16 is `home`. */
static int keys_with_home(size_t home, char out[][16], int want)
{
	int n = 0, i;

	for (i = 0; i < 100000 && n < want; i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%d", i);
		if ((strmap_table_hash(k, strlen(k)) & 15) == home)
			memcpy(out[n++], k, sizeof(k));
	}
	return n;
}

static size_t slot_of(const struct strmap *m, const char *k)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key && m->slots[i].keylen == strlen(k) &&
		    !memcmp(m->slots[i].key, k, strlen(k)))
			return i;
	return (size_t)-1;
}

static void test_collisions_backward_shift(void **state)
{
	struct strmap m = STRMAP_INIT;
	char a[3][16], b[2][16];

	(void)state;
	assert_int_equal(keys_with_home(5, a, 3), 3);
	assert_int_equal(keys_with_home(6, b, 2), 2);
	/* cluster: a0@5 a1@6 a2@7 b0@8 b1@9 (b's home is 6) */
	strmap_put(&m, a[0], strlen(a[0]), V(10));
	strmap_put(&m, a[1], strlen(a[1]), V(11));
	strmap_put(&m, a[2], strlen(a[2]), V(12));
	strmap_put(&m, b[0], strlen(b[0]), V(20));
	strmap_put(&m, b[1], strlen(b[1]), V(21));
	assert_int_equal(m.cap, 16);
	assert_int_equal(slot_of(&m, a[0]), 5);
	assert_int_equal(slot_of(&m, a[1]), 6);
	assert_int_equal(slot_of(&m, a[2]), 7);
	assert_int_equal(slot_of(&m, b[0]), 8);
	assert_int_equal(slot_of(&m, b[1]), 9);

	/* removing the head shifts the whole cluster back by one */
	assert_ptr_equal(strmap_remove(&m, a[0], strlen(a[0])), V(10));
	assert_int_equal(slot_of(&m, a[1]), 5);
	assert_int_equal(slot_of(&m, a[2]), 6);
	assert_int_equal(slot_of(&m, b[0]), 7);
	assert_int_equal(slot_of(&m, b[1]), 8);
	assert_null(m.slots[9].key);
	/* removing a1 (now @5): a2 (home 5) moves to 5, b0 and b1 (home 6) to 6 and 7 */
	assert_ptr_equal(strmap_remove(&m, a[1], strlen(a[1])), V(11));
	assert_int_equal(slot_of(&m, a[2]), 5);
	assert_int_equal(slot_of(&m, b[0]), 6);
	assert_int_equal(slot_of(&m, b[1]), 7);
	/* removing b0 (@6, its home): b1 (home 6) moves into it */
	assert_ptr_equal(strmap_remove(&m, b[0], strlen(b[0])), V(20));
	assert_int_equal(slot_of(&m, a[2]), 5);
	assert_int_equal(slot_of(&m, b[1]), 6);
	assert_null(m.slots[7].key);
	assert_ptr_equal(strmap_get(&m, a[2], strlen(a[2])), V(12));
	assert_ptr_equal(strmap_get(&m, b[1], strlen(b[1])), V(21));
	assert_int_equal(m.nr, 2);
	strmap_release(&m);
}

static void test_collisions_wrap(void **state)
{
	struct strmap m = STRMAP_INIT;
	char a[3][16], z[1][16], o[1][16];

	(void)state;
	assert_int_equal(keys_with_home(15, a, 3), 3);
	assert_int_equal(keys_with_home(0, z, 1), 1);
	assert_int_equal(keys_with_home(1, o, 1), 1);
	/* a0@15 a1@0 a2@1 z0@2 o0@3: a cluster across the end */
	strmap_put(&m, a[0], strlen(a[0]), V(1));
	strmap_put(&m, a[1], strlen(a[1]), V(2));
	strmap_put(&m, a[2], strlen(a[2]), V(3));
	strmap_put(&m, z[0], strlen(z[0]), V(4));
	strmap_put(&m, o[0], strlen(o[0]), V(5));
	assert_int_equal(slot_of(&m, a[0]), 15);
	assert_int_equal(slot_of(&m, a[1]), 0);
	assert_int_equal(slot_of(&m, a[2]), 1);
	assert_int_equal(slot_of(&m, z[0]), 2);
	assert_int_equal(slot_of(&m, o[0]), 3);

	/* remove at 15: a1 wraps back to 15, a2 to 0, z0 (home 0) to 1, o0 (home 1) to 2 */
	assert_ptr_equal(strmap_remove(&m, a[0], strlen(a[0])), V(1));
	assert_int_equal(slot_of(&m, a[1]), 15);
	assert_int_equal(slot_of(&m, a[2]), 0);
	assert_int_equal(slot_of(&m, z[0]), 1);
	assert_int_equal(slot_of(&m, o[0]), 2);
	/* remove at 0 (a2): z0 (home 0) moves to 0, o0 (home 1) to 1 */
	assert_ptr_equal(strmap_remove(&m, a[2], strlen(a[2])), V(3));
	assert_int_equal(slot_of(&m, z[0]), 0);
	assert_int_equal(slot_of(&m, o[0]), 1);
	/* remove at 0 (z0): o0 is at its home 1 and must stay */
	assert_ptr_equal(strmap_remove(&m, z[0], strlen(z[0])), V(4));
	assert_int_equal(slot_of(&m, o[0]), 1);
	assert_null(m.slots[0].key);
	assert_ptr_equal(strmap_get(&m, a[1], strlen(a[1])), V(2));
	assert_ptr_equal(strmap_get(&m, o[0], strlen(o[0])), V(5));
	assert_int_equal(m.nr, 2);
	strmap_release(&m);
}

static void test_many_keys(void **state)
{
	struct strmap m = STRMAP_INIT;
	char k[32];
	size_t i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		snprintf(k, sizeof(k), "key/%zu", i);
		assert_null(strmap_put(&m, k, strlen(k), V(i + 1)));
	}
	assert_int_equal(m.nr, 20000);
	assert_true(m.cap >= 20000 * 4 / 3);
	assert_int_equal(m.cap & (m.cap - 1), 0);
	for (i = 0; i < 20000; i += 2) {
		snprintf(k, sizeof(k), "key/%zu", i);
		assert_ptr_equal(strmap_remove(&m, k, strlen(k)), V(i + 1));
	}
	assert_int_equal(m.nr, 10000);
	for (i = 0; i < 20000; i++) {
		snprintf(k, sizeof(k), "key/%zu", i);
		if (i % 2)
			assert_ptr_equal(strmap_get(&m, k, strlen(k)), V(i + 1));
		else
			assert_null(strmap_get(&m, k, strlen(k)));
	}
	strmap_release(&m);
}

/* Keys live in the map's blocks: thousands of short ones and one longer
 * than a block, each NUL-terminated and where it was put through the
 * table's growth; a removal that empties the map frees them, and the map
 * takes keys again. */
static void test_key_blocks(void **state)
{
	struct strmap m = STRMAP_INIT;
	const struct strmap_entry *e;
	const char *first, *again;
	size_t i, it = 0, seen = 0, biglen = 100000;
	char k[32], *big = malloc(biglen);

	(void)state;
	assert_non_null(big);
	memset(big, 'b', biglen);
	big[77] = '\0';
	first = strmap_intern(&m, "first", 5);
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "k%zu", i);
		assert_null(strmap_put(&m, k, strlen(k), V(i + 1)));
	}
	assert_null(strmap_put(&m, big, biglen, V(9)));
	assert_ptr_equal(strmap_intern(&m, "first", 5), first);
	assert_string_equal(first, "first");
	while (strmap_next(&m, &it, &e)) {
		assert_int_equal(e->key[e->keylen], '\0');
		if (e->keylen == biglen) {
			assert_memory_equal(e->key, big, biglen);
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	assert_ptr_equal(strmap_get(&m, big, biglen), V(9));
	assert_ptr_equal(strmap_get(&m, "k4999", 5), V(5000));
	assert_non_null(m.keys);
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "k%zu", i);
		assert_ptr_equal(strmap_remove(&m, k, strlen(k)), V(i + 1));
	}
	assert_ptr_equal(strmap_remove(&m, big, biglen), V(9));
	assert_non_null(m.keys); /* "first" is still in */
	assert_ptr_equal(strmap_remove(&m, "first", 5), (void *)1);
	assert_int_equal(m.nr, 0);
	assert_null(m.keys);
	assert_null(strmap_put(&m, "k1", 2, V(2)));
	again = strmap_intern(&m, "first", 5);
	assert_string_equal(again, "first");
	assert_ptr_equal(strmap_get(&m, "k1", 2), V(2));
	strmap_release(&m);
	assert_null(m.keys);
	assert_int_equal(m.nr, 0);
	free(big);
}

static void test_iteration(void **state)
{
	struct strmap m = STRMAP_INIT;
	const struct strmap_entry *e;
	unsigned char seen[100] = { 0 };
	size_t it = 0, n = 0, i;
	char k[16];

	(void)state;
	assert_int_equal(strmap_next(&m, &it, &e), 0);
	for (i = 0; i < 100; i++) {
		snprintf(k, sizeof(k), "%zu", i);
		strmap_put(&m, k, strlen(k), V(i + 1));
	}
	for (i = 0; i < 100; i += 3) {
		snprintf(k, sizeof(k), "%zu", i);
		strmap_remove(&m, k, strlen(k));
	}
	it = 0;
	while (strmap_next(&m, &it, &e)) {
		size_t v = (uintptr_t)e->value - 1;

		snprintf(k, sizeof(k), "%zu", v);
		assert_int_equal(e->keylen, strlen(k));
		assert_memory_equal(e->key, k, e->keylen);
		assert_int_equal(seen[v], 0);
		seen[v] = 1;
		n++;
	}
	assert_int_equal(n, m.nr);
	assert_int_equal(n, 66);
	for (i = 0; i < 100; i++)
		assert_int_equal(seen[i], i % 3 != 0);
	strmap_release(&m);
}

static void test_hash_vectors(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values */
	assert_true(strmap_hash("", 0) == 0xcbf29ce484222325ULL);
	assert_true(strmap_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(strmap_hash("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(strmap_hash("a\0b", 3) != strmap_hash("a\0c", 3));
	/* carried on: the same value as hashing the whole at once */
	assert_true(strmap_hash_continue(strmap_hash("foo", 3), "bar", 3) == 0x85944171f73967e8ULL);
	assert_true(strmap_hash_continue(strmap_hash("a\0", 2), "b", 1) == strmap_hash("a\0b", 3));
	assert_true(strmap_hash_continue(0xcbf29ce484222325ULL, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(strmap_hash_continue(strmap_hash("a", 1), "", 0) == 0xaf63dc4c8601ec8cULL);
}

static void test_intern_and_pool(void **state)
{
	struct strmap m = STRMAP_INIT;
	struct strpool *p = strpool_new();
	const char *a, *b, *c;
	char buf[8];

	(void)state;
	a = strmap_intern(&m, "from x (spill)", 6);
	assert_string_equal(a, "from x");
	memcpy(buf, "from x", 7);
	b = strmap_intern(&m, buf, 6);
	/* equal strings share the map's copy, not the caller's buffer */
	assert_ptr_equal(a, b);
	assert_ptr_not_equal(b, buf);
	assert_int_equal(m.nr, 1);
	c = strmap_intern(&m, "from x", 5);
	assert_ptr_not_equal(a, c);
	assert_string_equal(c, "from ");
	assert_int_equal(m.nr, 2);
	strmap_release(&m);

	a = strpool_intern(p, "a.go", 4);
	assert_ptr_equal(strpool_intern(p, "a.go", 4), a);
	/* a second reference keeps the strings after the first is dropped */
	assert_ptr_equal(strpool_ref(p), p);
	strpool_unref(p);
	assert_string_equal(strpool_intern(p, "a.go", 4), "a.go");
	strpool_unref(p);
	strpool_unref(NULL);
}

/* Many strings (the table grows), one larger than a block's quarter (a
 * block of its own), NUL bytes inside, and a compacted pool that finds its
 * strings again. */
static void test_pool_compact(void **state)
{
	struct strpool *p = strpool_new();
	const char **got = malloc(5000 * sizeof(*got));
	char *big = malloc(40000), buf[32];
	const char *bigc, *nul;
	size_t i;

	(void)state;
	memset(big, 'x', 40000);
	for (i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "from s%zu (spill)", i);

		got[i] = strpool_intern(p, buf, (size_t)n);
		if (i == 2500)
			bigc = strpool_intern(p, big, 40000);
	}
	nul = strpool_intern(p, "a\0b", 3);
	assert_ptr_not_equal(strpool_intern(p, "a\0c", 3), nul);
	assert_ptr_not_equal(strpool_intern(p, "a", 1), nul);
	assert_int_equal(memcmp(nul, "a\0b", 4), 0);
	assert_int_equal(strlen(bigc), 40000);
	strpool_compact(p);
	strpool_compact(p);
	for (i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "from s%zu (spill)", i);

		assert_ptr_equal(strpool_intern(p, buf, (size_t)n), got[i]);
		assert_string_equal(got[i], buf);
	}
	assert_ptr_equal(strpool_intern(p, big, 40000), bigc);
	assert_ptr_equal(strpool_intern(p, "a\0b", 3), nul);
	strpool_unref(p);
	free(big);
	free(got);
}

/*
 * One pool, two threads interning at once (the parser and the thread that
 * places the findings, input.h), one of them compacting now and then:
 * every string comes back with its bytes, and equal strings as one copy.
 * Without the pool's lock one thread grows or drops the table under the
 * other's feet (a run of this test without it crashed or lost strings).
 */
#define POOL_RACE_N 100000

struct pool_racer {
	struct strpool *p;
	char tag;                   /* its own strings: "a 17", "b 17"; both: "s 17" */
	const char **own, **shared;
	int compact;
	pthread_mutex_t *go_lock;
	pthread_cond_t *go;
	int *started;
};

static void *pool_race(void *data)
{
	struct pool_racer *r = data;
	char buf[32];
	int i, n;

	pthread_mutex_lock(r->go_lock);
	if (++*r->started == 2)
		pthread_cond_broadcast(r->go);
	while (*r->started < 2)
		pthread_cond_wait(r->go, r->go_lock);
	pthread_mutex_unlock(r->go_lock);
	for (i = 0; i < POOL_RACE_N; i++) {
		n = snprintf(buf, sizeof(buf), "%c %d", r->tag, i);
		r->own[i] = strpool_intern(r->p, buf, (size_t)n);
		n = snprintf(buf, sizeof(buf), "s %d", r->tag == 'a' ? i : POOL_RACE_N - 1 - i);
		r->shared[r->tag == 'a' ? i : POOL_RACE_N - 1 - i] = strpool_intern(r->p, buf, (size_t)n);
		if (r->compact && i % 1000 == 999)
			strpool_compact(r->p);
	}
	return NULL;
}

static void test_pool_threads(void **state)
{
	pthread_mutex_t go_lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t go = PTHREAD_COND_INITIALIZER;
	int started = 0, i;
	struct pool_racer a = { NULL, 'a', NULL, NULL, 0, &go_lock, &go, &started };
	struct pool_racer b = { NULL, 'b', NULL, NULL, 1, &go_lock, &go, &started };
	pthread_t th;
	char buf[32];

	(void)state;
	a.p = strpool_new();
	b.p = strpool_ref(a.p);
	a.own = xcalloc(POOL_RACE_N, sizeof(char *));
	b.own = xcalloc(POOL_RACE_N, sizeof(char *));
	a.shared = xcalloc(POOL_RACE_N, sizeof(char *));
	b.shared = xcalloc(POOL_RACE_N, sizeof(char *));
	assert_int_equal(pthread_create(&th, NULL, pool_race, &b), 0);
	pool_race(&a);
	pthread_join(th, NULL);
	for (i = 0; i < POOL_RACE_N; i++) {
		snprintf(buf, sizeof(buf), "a %d", i);
		assert_string_equal(a.own[i], buf);
		assert_ptr_equal(strpool_intern(a.p, buf, strlen(buf)), a.own[i]);
		snprintf(buf, sizeof(buf), "b %d", i);
		assert_string_equal(b.own[i], buf);
		assert_ptr_equal(strpool_intern(a.p, buf, strlen(buf)), b.own[i]);
		snprintf(buf, sizeof(buf), "s %d", i);
		assert_string_equal(a.shared[i], buf);
		assert_ptr_equal(a.shared[i], b.shared[i]);
	}
	free(a.own);
	free(b.own);
	free(a.shared);
	free(b.shared);
	strpool_unref(b.p);
	strpool_unref(a.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_key_copied),
		cmocka_unit_test(test_nul_keys),
		cmocka_unit_test(test_collisions_backward_shift),
		cmocka_unit_test(test_collisions_wrap),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_key_blocks),
		cmocka_unit_test(test_iteration),
		cmocka_unit_test(test_hash_vectors),
		cmocka_unit_test(test_intern_and_pool),
		cmocka_unit_test(test_pool_compact),
		cmocka_unit_test(test_pool_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
