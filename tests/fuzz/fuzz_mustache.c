/*
 * fuzz_mustache.c: the Mustache renderer (mustache.h).  The input is a
 * template, then optionally a NUL byte and JSON data to render it over;
 * the first byte picks the escaping.  Partials resolve to a fixed template
 * so that recursion and partial indentation are reached.
 */
#include "fuzz.h"
#include "mustache.h"
#include "strbuf.h"

#include <cJSON.h>
#include <string.h>

static int load(void *data, const char *name, struct strbuf *out)
{
	(void)data;
	if (!strcmp(name, "none"))
		return MUSTACHE_NOT_FOUND;
	strbuf_addstr(out, "[{{name}}{{#items}}{{>item}}{{/items}}]\n");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mustache_loader loader = { load, NULL, ".mustache", 1 };
	struct strbuf out = STRBUF_INIT;
	const char *s, *nul;
	size_t tlen;
	cJSON *json = NULL;

	if (!size)
		return 0;
	s = (const char *)data + 1;
	size--;
	nul = memchr(s, '\0', size);
	tlen = nul ? (size_t)(nul - s) : size;
	if (nul)
		json = cJSON_ParseWithLength(nul + 1, size - tlen - 1);
	(void)mustache_check(s, tlen, "fuzz");
	(void)mustache_render(&out, s, tlen, "fuzz", json, (enum mustache_escape)(data[0] % 3),
			      &loader);
	strbuf_release(&out);
	cJSON_Delete(json);
	return 0;
}
