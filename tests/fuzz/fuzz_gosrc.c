/*
 * fuzz_gosrc.c: the Go source scan (gosrc.h) on arbitrary bytes: every
 * function found must have a sane extent, and lookups must not fail.
 */
#include "fuzz.h"
#include "gosrc.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gofuncs fns = GOFUNCS_INIT;
	const char *s = (const char *)data;
	size_t i;
	int line;

	gofuncs_scan(&fns, s, size);
	for (i = 0; i < fns.nr; i++) {
		if (!fns.items[i].name || fns.items[i].start_line < 1)
			abort();
		if (fns.items[i].end_line < fns.items[i].start_line)
			abort();
	}
	for (line = 0; line < 40; line += 3)
		(void)gofuncs_at(&fns, line, line % 7);
	gofuncs_release(&fns);
	(void)gosrc_is_generated(s, size);
	return 0;
}
