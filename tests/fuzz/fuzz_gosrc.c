/*
 * fuzz_gosrc.c: the Go lexer and structure scan (gosrc.h) on arbitrary
 * bytes, from each start state: tokens tile the text in order, every scope
 * has a sane extent, lookups and zero-size checks must not fail.
 */
#include "fuzz.h"
#include "gosrc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct goscopes sc = GOSCOPES_INIT;
	const char *s = (const char *)data;
	struct golex lx;
	struct gotoken t;
	size_t i, end = 0;
	int line, st;

	for (st = GOLEX_CODE; st <= GOLEX_IN_BLOCK; st++) {
		golex_init(&lx, s, size, (enum golex_state)st);
		end = 0;
		while (golex_next(&lx, &t) != GOTOK_EOF) {
			if (t.off < end || t.off + t.len > size || (!t.len && t.kind != GOTOK_RAW &&
								    t.kind != GOTOK_BLOCK))
				abort();
			end = t.off + t.len;
		}
		(void)gosrc_line_comment(s, size, (enum golex_state)st, NULL);
	}
	goscopes_scan(&sc, s, size);
	for (i = 0; i < sc.nr; i++) {
		if (sc.items[i].start_line < 1)
			abort();
		if (sc.items[i].kind != GOSCOPE_LOOP && !sc.items[i].name)
			abort();
		if (sc.items[i].end_line < sc.items[i].start_line)
			abort();
		if (i && sc.items[i].start_line < sc.items[i - 1].start_line)
			abort();
	}
	for (line = 0; line < 40; line += 3)
		(void)goscopes_func_at(&sc, line, line % 7);
	for (i = 0; i < sc.types_nr; i++)
		(void)gosrc_type_is_zero(sc.types[i].expr, strlen(sc.types[i].expr), sc.types,
					 sc.types_nr);
	(void)gosrc_type_is_zero(s, size, sc.types, sc.types_nr);
	goscopes_release(&sc);
	(void)gosrc_is_generated(s, size);
	return 0;
}
