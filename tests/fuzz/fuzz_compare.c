/*
 * fuzz_compare.c: the readers of files this program wrote but anyone can
 * edit: the base-analysis cache and the baseline (compare.h), through
 * their from-memory entry points.  The first byte picks the reader; cached
 * findings are then fingerprinted, matched and checked against a baseline
 * read from the same bytes.  A cache entry is also read lazily, each
 * finding then completed (check_lazy).  The first byte's second and third
 * bits leave out every other base or head finding, and the match then
 * pairs kept lines (an unchanged file): one side holds the other's
 * findings, so each of the smaller side is paired, and the rest of the
 * base is fixed.
 */
#include "fuzz.h"
#include "compare.h"
#include "diff.h"
#include "errors.h"

#include <stdlib.h>
#include <string.h>

static void no_release(struct finding_deferred *d)
{
	(void)d;
}

/* Read `s` lazily and complete every finding: what the whole read took
 * (`ret` 0, its findings `l`) is taken alike and completes to the same;
 * what it refused may be taken (the rests are not parsed until read), and
 * completing it must say so rather than read out of bounds. */
static void check_lazy(const struct finding_list *l, int ret, const char *s, size_t size)
{
	struct finding_deferred owner = { 1, no_release, "fuzz" };
	struct finding_list lazy = FINDING_LIST_INIT;
	size_t i;
	int lret = compare_cache_parse_lazy(&lazy, s, size, NULL, &owner);

	if (!ret && (lret || lazy.nr != l->nr))
		abort();
	for (i = 0; i < lazy.nr; i++) {
		const struct finding *a = ret ? NULL : l->items[i], *b = lazy.items[i];
		int c = compare_cache_complete(lazy.items[i]);

		if (!a)
			continue;
		if (c != 1 || a->line != b->line || a->flow_nr != b->flow_nr || a->rule != b->rule ||
		    (a->why == NULL) != (b->why == NULL) || (a->why && strcmp(a->why, b->why)) ||
		    a->facts.callees_nr != b->facts.callees_nr || (a->source == NULL) != (b->source == NULL))
			abort();
	}
	finding_list_release(&lazy);
	if (owner.refs != 1)
		abort();
	error_clear();
}

/* Leave out every other finding of `l`. */
static void drop_odd(struct finding_list *l)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++)
		if (i % 2)
			finding_free(l->items[i]);
		else
			l->items[k++] = l->items[i];
	l->nr = k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct finding_list l = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
	struct finding_list fixed = FINDING_LIST_INIT;
	struct baseline b = BASELINE_INIT;
	const char *s;
	int ret;

	if (!size)
		return 0;
	s = (const char *)data + 1;
	size--;
	if (data[0] & 1) {
		(void)baseline_parse(&b, s, size, "fuzz.json");
		baseline_release(&b);
		return 0;
	}
	ret = compare_cache_parse(&l, s, size, NULL);
	check_lazy(&l, ret, s, size);
	if (ret == 0) {
		static const struct change unchanged;
		size_t i, kept, existing = 0;

		(void)compare_cache_parse(&base, s, size, NULL);
		if (data[0] & 2)
			drop_odd(&base);
		if (data[0] & 4)
			drop_odd(&l);
		kept = base.nr;
		compare_fingerprint(&l, NULL);
		compare_fingerprint(&base, NULL);
		if (!baseline_parse(&b, s, size, "fuzz.json"))
			(void)baseline_apply(&b, &l);
		compare_match(&l, &base, &fixed, NULL, data[0] & 6 ? &unchanged : NULL);
		/* one side holds the other's findings: each of the smaller is
		 * paired, the rest of the base is fixed */
		for (i = 0; i < l.nr; i++)
			existing += l.items[i]->status == STATUS_EXISTING;
		if (existing != (l.nr < kept ? l.nr : kept) || fixed.nr != kept - existing)
			abort();
	}
	baseline_release(&b);
	finding_list_release(&l);
	finding_list_release(&base);
	finding_list_release(&fixed);
	return 0;
}
