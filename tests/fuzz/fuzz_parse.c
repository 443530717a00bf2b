/*
 * fuzz_parse.c: the compiler-output parser (parse.h).  The first byte
 * picks the options, the chunk size and whether the flows are cut for
 * display; the rest is fed as go's stderr.  The findings then go through
 * fingerprinting as in a review.
 */
#include "fuzz.h"
#include "compare.h"
#include "parse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 1, 3, 7, 64, 4096, (size_t)-1 };
	struct parse_opts o = { .prefix = "" };
	struct finding_list l = FINDING_LIST_INIT;
	struct parse_stats st;
	struct parser *p;
	size_t chunk, i, fl;
	int line, col, cut;
	const char *msg;
	char *norm;

	if (!size)
		return 0;
	cut = data[0] & 1 ? 2 : 0;
	o.prefix = data[0] & 2 ? "sub/" : "";
	o.root_abs = data[0] & 4 ? "/r" : NULL;
	o.keep_outside = (data[0] >> 3) & 1;
	o.keep_notes = (data[0] >> 7) & 1;
	chunk = chunks[(data[0] >> 4) % 6];
	o.file_digests = 1;
	data++;
	size--;

	p = parser_new(&o);
	for (i = 0; i < size; i += chunk)
		parser_feed(p, (const char *)data + i, size - i < chunk ? size - i : chunk);
	parser_finish(p);
	parser_take_findings(p, &l);
	{
		struct parse_note_list nl = PARSE_NOTE_LIST_INIT;

		parser_take_notes(p, &nl);
		for (i = 0; i < nl.nr; i++)
			if (!nl.items[i].file || !nl.items[i].text)
				abort();
		parse_note_list_release(&nl);
	}
	for (i = 0; i < l.nr; i++)
		finding_cut_flow(l.items[i], cut);
	(void)strlen(parser_errors(p));
	parser_stats(p, &st);
	{
		/* every file's digest once, sorted, its lines some of those read */
		struct parse_digest_list dl = PARSE_DIGEST_LIST_INIT;
		unsigned long long lines = 0;

		parse_digest_list_add_parser(&dl, p);
		for (i = 0; i < dl.nr; i++) {
			if (!dl.v[i].path || !dl.v[i].lines ||
			    (i && strcmp(dl.v[i - 1].path, dl.v[i].path) >= 0))
				abort();
			lines += dl.v[i].lines;
		}
		if (lines > st.lines)
			abort();
		parse_digest_list_release(&dl);
	}
	parser_free(p);
	compare_fingerprint(&l, NULL);
	finding_list_release(&l);

	if (parse_position((const char *)data, size, &fl, &line, &col, &msg) && fl > size)
		abort();
	norm = parse_normalize_path(&o, (const char *)data, size);
	free(norm);
	return 0;
}
