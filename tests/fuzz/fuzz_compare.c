/*
 * fuzz_compare.c: the readers of files this program wrote but anyone can
 * edit: the base-analysis cache and the baseline (compare.h), through
 * their from-memory entry points.  The first byte picks the reader; cached
 * findings are then fingerprinted, matched and checked against a baseline
 * read from the same bytes.
 */
#include "fuzz.h"
#include "compare.h"
#include "errors.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct finding_list l = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
	struct finding_list fixed = FINDING_LIST_INIT;
	struct baseline b = BASELINE_INIT;
	const char *s;

	if (!size)
		return 0;
	s = (const char *)data + 1;
	size--;
	if (data[0] & 1) {
		(void)baseline_parse(&b, s, size, "fuzz.json");
		baseline_release(&b);
		return 0;
	}
	if (compare_cache_parse(&l, s, size, NULL) == 0) {
		(void)compare_cache_parse(&base, s, size, NULL);
		compare_fingerprint(&l, NULL);
		compare_fingerprint(&base, NULL);
		if (!baseline_parse(&b, s, size, "fuzz.json"))
			(void)baseline_apply(&b, &l);
		compare_match(&l, &base, &fixed);
	}
	baseline_release(&b);
	finding_list_release(&l);
	finding_list_release(&base);
	finding_list_release(&fixed);
	return 0;
}
