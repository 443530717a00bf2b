#ifndef JSONW_H
#define JSONW_H

/*
 * jsonw.h: one interface for writing JSON either into a cJSON tree or as
 * text appended to a strbuf, the text byte for byte what
 * cJSON_PrintUnformatted() prints of the tree the same calls build.  A
 * serialiser written once against it fills the documents built in memory
 * (templates, the cache) and streams the long ones (the JSON report of
 * tens of thousands of findings) without a tree or printf.
 *
 * Owns: JSON's syntax in the text (separators, string escapes as cJSON
 * writes them: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx,
 * every other byte as it is; numbers as cJSON prints them).  Never: which
 * members a document has (its callers decide).
 *
 * A writer starts inside one container: jsonw_init_tree() inside the
 * caller's cJSON object or array; jsonw_init_text() before the first
 * value, which is the document (usually jsonw_object_begin(w, NULL)).
 * `key` names the member inside an object; it is NULL inside an array and
 * for the document itself.  Containers nest at most JSONW_MAX_DEPTH deep.
 */

#include <stddef.h>

struct cJSON;
struct strbuf;

#define JSONW_MAX_DEPTH 16

struct jsonw {
	struct strbuf *out;                       /* text: appended here; NULL for a tree */
	struct cJSON *open[JSONW_MAX_DEPTH];      /* tree: the open containers */
	unsigned char members[JSONW_MAX_DEPTH];   /* text: 1 once a container has a value */
	int depth;                                /* the innermost open container; -1 none */
};

void jsonw_init_text(struct jsonw *w, struct strbuf *out);
void jsonw_init_tree(struct jsonw *w, struct cJSON *container);

void jsonw_object_begin(struct jsonw *w, const char *key);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w, const char *key);
void jsonw_array_end(struct jsonw *w);

/* A string as it is; NULL writes nothing (as cJSON_AddStringToObject). */
void jsonw_str(struct jsonw *w, const char *key, const char *s);
/* A string made valid UTF-8: each byte of an invalid sequence becomes
 * U+FFFD; NULL writes nothing. */
void jsonw_str_utf8(struct jsonw *w, const char *key, const char *s);
void jsonw_int(struct jsonw *w, const char *key, long long v);
void jsonw_num(struct jsonw *w, const char *key, double v);
void jsonw_bool(struct jsonw *w, const char *key, int v);
void jsonw_null(struct jsonw *w, const char *key);

/* Append `s` (its first `len` bytes) as a JSON string, quotes included;
 * `utf8` as jsonw_str_utf8. */
void jsonw_quote(struct strbuf *out, const char *s, size_t len, int utf8);

#endif
