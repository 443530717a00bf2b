/*
 * jsonw.c: JSON written into a cJSON tree or as cJSON_PrintUnformatted()'s
 * text straight into a strbuf (jsonw.h).  Text strings are copied in runs
 * between the bytes that need an escape; integers without printf.
 */
#include "jsonw.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void jsonw_init_text(struct jsonw *w, struct strbuf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->depth = -1;
}

void jsonw_init_tree(struct jsonw *w, struct cJSON *container)
{
	memset(w, 0, sizeof(*w));
	w->open[0] = container;
}

/* Write the escape of a byte cJSON escapes (below 0x20, '"', '\\') at o; past it. */
static char *put_escape(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	*o++ = '\\';
	switch (c) {
	case '"': *o++ = '"'; return o;
	case '\\': *o++ = '\\'; return o;
	case '\b': *o++ = 'b'; return o;
	case '\f': *o++ = 'f'; return o;
	case '\n': *o++ = 'n'; return o;
	case '\r': *o++ = 'r'; return o;
	case '\t': *o++ = 't'; return o;
	}
	*o++ = 'u';
	*o++ = '0';
	*o++ = '0';
	*o++ = hex[c >> 4];
	*o++ = hex[c & 15];
	return o;
}

void jsonw_quote(struct strbuf *out, const char *s, size_t len, int utf8)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	char *o;

	/* room for the worst case: every byte \u00xx (U+FFFD takes 3) */
	if (len > (SIZE_MAX - 2) / 6)
		die("jsonw: a string of %zu bytes", len);
	strbuf_grow(out, len * 6 + 2);
	o = out->buf + out->len;
	*o++ = '"';
	while (i < len) {
		unsigned char c = u[i];

		if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x80 || !utf8)) {
			*o++ = (char)c;
			i++;
		} else if (c < 0x80) {
			o = put_escape(o, c);
			i++;
		} else if ((n = utf8_seq_len(s + i, len - i))) {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*o++ = '"';
	strbuf_setlen(out, (size_t)(o - out->buf));
}

/* Text: the separator before a value and its key. */
static void text_key(struct jsonw *w, const char *key)
{
	if (w->depth >= 0) {
		if (w->members[w->depth])
			strbuf_addch(w->out, ',');
		w->members[w->depth] = 1;
	}
	if (key) {
		jsonw_quote(w->out, key, strlen(key), 0);
		strbuf_addch(w->out, ':');
	}
}

/* Tree: add `item` to the innermost container. */
static void tree_add(struct jsonw *w, const char *key, cJSON *item)
{
	cJSON *c = w->open[w->depth];

	if (!item)
		die("out of memory");
	if (cJSON_IsArray(c))
		cJSON_AddItemToArray(c, item);
	else
		cJSON_AddItemToObject(c, key ? key : "", item);
}

static void begin(struct jsonw *w, const char *key, int array)
{
	cJSON *c = NULL;

	if (w->depth + 1 >= JSONW_MAX_DEPTH)
		die("jsonw: containers nested deeper than %d", JSONW_MAX_DEPTH);
	if (w->out) {
		text_key(w, key);
		strbuf_addch(w->out, array ? '[' : '{');
	} else {
		c = array ? cJSON_CreateArray() : cJSON_CreateObject();
		tree_add(w, key, c);
	}
	w->depth++;
	w->open[w->depth] = c;
	w->members[w->depth] = 0;
}

static void end(struct jsonw *w, int array)
{
	if (w->out)
		strbuf_addch(w->out, array ? ']' : '}');
	w->depth--;
}

void jsonw_object_begin(struct jsonw *w, const char *key)
{
	begin(w, key, 0);
}

void jsonw_object_end(struct jsonw *w)
{
	end(w, 0);
}

void jsonw_array_begin(struct jsonw *w, const char *key)
{
	begin(w, key, 1);
}

void jsonw_array_end(struct jsonw *w)
{
	end(w, 1);
}

static void str(struct jsonw *w, const char *key, const char *s, int utf8)
{
	if (!s)
		return;
	if (w->out) {
		text_key(w, key);
		jsonw_quote(w->out, s, strlen(s), utf8);
	} else if (utf8) {
		/* the value itself made valid (the tree escapes it when printed) */
		struct strbuf sb = STRBUF_INIT;
		size_t n = strlen(s), i, len;

		for (i = 0; i < n; i += len) {
			len = utf8_seq_len(s + i, n - i);
			if (!len) {
				strbuf_add(&sb, "\xef\xbf\xbd", 3);
				len = 1;
			} else {
				strbuf_add(&sb, s + i, len);
			}
		}
		tree_add(w, key, cJSON_CreateString(sb.buf));
		strbuf_release(&sb);
	} else {
		tree_add(w, key, cJSON_CreateString(s));
	}
}

void jsonw_str(struct jsonw *w, const char *key, const char *s)
{
	str(w, key, s, 0);
}

void jsonw_str_utf8(struct jsonw *w, const char *key, const char *s)
{
	str(w, key, s, 1);
}

void jsonw_num(struct jsonw *w, const char *key, double v)
{
	cJSON *n;
	char *s;

	if (!w->out) {
		tree_add(w, key, cJSON_CreateNumber(v));
		return;
	}
	text_key(w, key);
	if (v >= INT_MIN && v <= INT_MAX && v == (double)(int)v && !(v == 0 && signbit(v))) {
		strbuf_addint(w->out, (int)v);
		return;
	}
	/* fractions, huge values, -0, NaN: exactly as cJSON prints them */
	n = cJSON_CreateNumber(v);
	s = n ? cJSON_PrintUnformatted(n) : NULL;
	if (!s)
		die("out of memory");
	strbuf_addstr(w->out, s);
	free(s);
	cJSON_Delete(n);
}

void jsonw_int(struct jsonw *w, const char *key, long long v)
{
	if (w->out && v >= INT_MIN && v <= INT_MAX) {
		text_key(w, key);
		strbuf_addint(w->out, v);
		return;
	}
	jsonw_num(w, key, (double)v);
}

void jsonw_bool(struct jsonw *w, const char *key, int v)
{
	if (w->out) {
		text_key(w, key);
		strbuf_addstr(w->out, v ? "true" : "false");
	} else {
		tree_add(w, key, cJSON_CreateBool(v));
	}
}

void jsonw_null(struct jsonw *w, const char *key)
{
	if (w->out) {
		text_key(w, key);
		strbuf_add(w->out, "null", 4);
	} else {
		tree_add(w, key, cJSON_CreateNull());
	}
}
