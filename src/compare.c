/*
 * compare.c: fingerprints, matching head findings against base findings,
 * the JSON cache of a base analysis, and the baseline file (compare.h).
 */
#include "compare.h"
#include "diff.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#define CACHE_VERSION 2  /* 2: steps carry "inlined" and "outside", facts "func" */
#define MAX_CACHE_BYTES (256u << 20)
#define MAX_BASELINE_BYTES (64u << 20)

/* "F.func1.2" -> "F"; "glob..func3" stays (package level). */
static size_t toplevel_len(const char *fn)
{
	const char *p;

	if (!fn)
		return 0;
	if (starts_with(fn, "glob..func"))
		return strlen("glob..");
	p = strstr(fn, ".func");
	while (p) {
		const char *q = p + 5;

		if (*q >= '0' && *q <= '9')
			return (size_t)(p - fn);
		p = strstr(q, ".func");
	}
	return strlen(fn);
}

/* The message without FILE:LINE:COL positions. */
static void strip_positions(struct strbuf *out, const char *m)
{
	while (*m) {
		if (*m == ':' && m[1] >= '0' && m[1] <= '9') {
			const char *q = m + 1;

			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == ':' && q[1] >= '0' && q[1] <= '9') {
				q++;
				while (*q >= '0' && *q <= '9')
					q++;
			}
			/* drop the path before it too (back to a space) */
			while (out->len && out->buf[out->len - 1] != ' ')
				strbuf_setlen(out, out->len - 1);
			m = q;
			continue;
		}
		strbuf_addch(out, *m++);
	}
}

static void base_key(struct strbuf *k, const struct finding *f, const char *file, int with_file)
{
	strbuf_reset(k);
	strbuf_addstr(k, f->package ? f->package : "");
	strbuf_addch(k, 0);
	if (with_file)
		strbuf_addstr(k, file ? file : "");
	strbuf_addch(k, 0);
	strbuf_add(k, f->function ? f->function : "", toplevel_len(f->function));
	strbuf_addch(k, 0);
	strip_positions(k, f->message ? f->message : "");
	strbuf_addch(k, 0);
}

static _Thread_local const struct finding_list *sort_list; /* qsort has no context argument */

static int cmp_pos(const void *a, const void *b)
{
	const struct finding *x = sort_list->items[*(const size_t *)a];
	const struct finding *y = sort_list->items[*(const size_t *)b];

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->message, y->message);
}

/*
 * The key, with its occurrence index, of every finding: malloc'd
 * length-prefixed strings parallel to l->items (keys contain NULs).
 */
static char **make_keys(const struct finding_list *l, const struct change *c, int with_file)
{
	char **keys = xcalloc(l->nr ? l->nr : 1, sizeof(*keys));
	size_t *order = xmalloc((l->nr ? l->nr : 1) * sizeof(*order));
	struct strmap counts = STRMAP_INIT;
	struct strbuf k = STRBUF_INIT;
	size_t i;

	for (i = 0; i < l->nr; i++)
		order[i] = i;
	sort_list = l;
	if (l->nr > 1)
		qsort(order, l->nr, sizeof(*order), cmp_pos);
	for (i = 0; i < l->nr; i++) {
		const struct finding *f = l->items[order[i]];
		const char *file = f->file, *renamed;
		size_t n;
		char *key;

		if (c && file && (renamed = change_renamed_to(c, file)))
			file = renamed;
		base_key(&k, f, file, with_file);
		n = (size_t)(uintptr_t)strmap_get(&counts, k.buf, k.len);
		strmap_put(&counts, k.buf, k.len, (void *)(uintptr_t)(n + 1));
		strbuf_addf(&k, "%zu", n);
		key = xmalloc(sizeof(size_t) + k.len + 1);
		memcpy(key, &k.len, sizeof(size_t));
		memcpy(key + sizeof(size_t), k.buf, k.len + 1);
		keys[order[i]] = key;
	}
	free(order);
	strmap_release(&counts);
	strbuf_release(&k);
	return keys;
}

#define KEY_LEN(k) (*(const size_t *)(const void *)(k))
#define KEY_DATA(k) ((k) + sizeof(size_t))

static void free_keys(char **keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

void compare_fingerprint(struct finding_list *l, const struct change *renames)
{
	char **keys = make_keys(l, renames, 1);
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		unsigned long long h = strmap_hash(KEY_DATA(keys[i]), KEY_LEN(keys[i]));
		char hex[17];

		snprintf(hex, sizeof(hex), "%016llx", h);
		free(f->fingerprint);
		f->fingerprint = xstrdup(hex);
	}
	free_keys(keys, l->nr);
}

/* One matching pass: returns how many base findings got a partner. */
static void match_pass(struct finding_list *head, unsigned char *head_done,
		       struct finding_list *base, unsigned char *base_done, int with_file)
{
	char **hk = make_keys(head, NULL, with_file);
	char **bk = make_keys(base, NULL, with_file);
	struct strmap m = STRMAP_INIT;
	size_t i;

	/* base findings' paths were already mapped when fingerprinted: use
	 * the fingerprint for the exact pass, keys for the file-less pass */
	for (i = 0; i < base->nr; i++) {
		if (base_done[i])
			continue;
		if (with_file)
			strmap_put(&m, base->items[i]->fingerprint, strlen(base->items[i]->fingerprint),
				   (void *)(uintptr_t)(i + 1));
		else
			strmap_put(&m, KEY_DATA(bk[i]), KEY_LEN(bk[i]), (void *)(uintptr_t)(i + 1));
	}
	for (i = 0; i < head->nr; i++) {
		uintptr_t hit;

		if (head_done[i])
			continue;
		if (with_file)
			hit = (uintptr_t)strmap_remove(&m, head->items[i]->fingerprint,
						       strlen(head->items[i]->fingerprint));
		else
			hit = (uintptr_t)strmap_remove(&m, KEY_DATA(hk[i]), KEY_LEN(hk[i]));
		if (hit) {
			head_done[i] = 1;
			base_done[hit - 1] = 1;
		}
	}
	strmap_release(&m);
	free_keys(hk, head->nr);
	free_keys(bk, base->nr);
}

void compare_match(struct finding_list *head, struct finding_list *base,
		   struct finding_list *fixed)
{
	unsigned char *hd = xcalloc(head->nr + 1, 1), *bd = xcalloc(base->nr + 1, 1);
	size_t i;

	match_pass(head, hd, base, bd, 1);
	match_pass(head, hd, base, bd, 0);
	for (i = 0; i < head->nr; i++)
		head->items[i]->status = hd[i] ? STATUS_EXISTING : STATUS_NEW;
	for (i = 0; i < base->nr; i++) {
		if (bd[i]) {
			finding_free(base->items[i]);
		} else {
			base->items[i]->status = STATUS_FIXED;
			finding_list_add(fixed, base->items[i]);
		}
	}
	base->nr = 0;
	finding_list_release(base);
	free(hd);
	free(bd);
}

/* ---- cache ---- */

static void put_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
}

static cJSON *raw_json(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject(), *fa, *arr;
	char hex[32];
	size_t i;

	put_str(o, "package", f->package);
	put_str(o, "file", f->file);
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddNumberToObject(o, "column", f->column);
	cJSON_AddNumberToObject(o, "verdict", f->verdict);
	put_str(o, "message", f->message);
	put_str(o, "subject", f->subject);
	put_str(o, "function", f->function);
	put_str(o, "source", f->source);
	put_str(o, "source_above", f->source_above);
	cJSON_AddBoolToObject(o, "flow_truncated", f->flow_truncated);
	arr = cJSON_AddArrayToObject(o, "flow");
	for (i = 0; i < f->flow_nr; i++) {
		cJSON *s = cJSON_CreateObject();

		put_str(s, "file", f->flow[i].file);
		cJSON_AddNumberToObject(s, "line", f->flow[i].line);
		cJSON_AddNumberToObject(s, "column", f->flow[i].column);
		put_str(s, "text", f->flow[i].text);
		put_str(s, "inlined", f->flow[i].inlined);
		if (f->flow[i].outside)
			cJSON_AddBoolToObject(s, "outside", 1);
		cJSON_AddItemToArray(arr, s);
	}
	fa = cJSON_AddObjectToObject(o, "facts");
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)f->facts.reasons);
	cJSON_AddStringToObject(fa, "reasons", hex);
	cJSON_AddNumberToObject(fa, "dsts", f->facts.dsts);
	cJSON_AddNumberToObject(fa, "steps", f->facts.steps);
	cJSON_AddNumberToObject(fa, "flows", f->facts.flows);
	cJSON_AddNumberToObject(fa, "derefs", f->facts.derefs);
	cJSON_AddBoolToObject(fa, "cycle", f->facts.cycle_warning);
	put_str(fa, "leak_dst", f->facts.leak_dst);
	put_str(fa, "func", f->facts.func);
	arr = cJSON_AddArrayToObject(fa, "callees");
	for (i = 0; i < f->facts.callees_nr; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(f->facts.callees[i]));
	return o;
}

static char *get_str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static int get_int(const cJSON *o, const char *k, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	/* in range first: converting an out-of-range double to int is undefined */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= -2147483648.0 && v->valuedouble <= 2147483647.0))
		return def;
	return (int)v->valuedouble;
}

static struct finding *raw_from_json(const cJSON *o)
{
	struct finding *f = finding_new();
	const cJSON *fa = cJSON_GetObjectItemCaseSensitive(o, "facts"), *arr, *it;
	char *reasons;

	f->package = get_str(o, "package");
	f->file = get_str(o, "file");
	f->line = get_int(o, "line", 0);
	f->column = get_int(o, "column", 0);
	f->verdict = (enum verdict)get_int(o, "verdict", 0);
	if (f->verdict > VERDICT_LEAK_CONTENT)
		f->verdict = VERDICT_ESCAPES;
	f->message = get_str(o, "message");
	f->subject = get_str(o, "subject");
	f->function = get_str(o, "function");
	f->source = get_str(o, "source");
	f->source_above = get_str(o, "source_above");
	f->flow_truncated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "flow_truncated"));
	arr = cJSON_GetObjectItemCaseSensitive(o, "flow");
	cJSON_ArrayForEach(it, arr) {
		const cJSON *file = cJSON_GetObjectItemCaseSensitive(it, "file");
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");

		if (cJSON_IsString(file) && cJSON_IsString(text)) {
			struct flow_step *st;

			finding_add_step(f, file->valuestring, get_int(it, "line", 0),
					 get_int(it, "column", 0), text->valuestring);
			st = &f->flow[f->flow_nr - 1];
			st->inlined = get_str(it, "inlined");
			st->outside = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "outside"));
		}
	}
	if (fa) {
		reasons = get_str(fa, "reasons");
		f->facts.reasons = reasons ? strtoull(reasons, NULL, 16) : 0;
		free(reasons);
		f->facts.dsts = (unsigned)get_int(fa, "dsts", 0);
		f->facts.steps = (unsigned)get_int(fa, "steps", 0);
		f->facts.flows = (unsigned)get_int(fa, "flows", 0);
		f->facts.derefs = get_int(fa, "derefs", -1);
		f->facts.cycle_warning = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fa, "cycle"));
		f->facts.leak_dst = get_str(fa, "leak_dst");
		f->facts.func = get_str(fa, "func");
		arr = cJSON_GetObjectItemCaseSensitive(fa, "callees");
		cJSON_ArrayForEach(it, arr)
			if (cJSON_IsString(it) && f->facts.callees_nr < FACTS_MAX_CALLEES)
				f->facts.callees[f->facts.callees_nr++] = xstrdup(it->valuestring);
	}
	if (!f->file || !f->message || !f->subject) {
		finding_free(f);
		return NULL;
	}
	return f;
}

static int write_atomically(const char *path, const struct strbuf *content)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *fp;
	int ret = 0;

	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fp = fopen(tmp.buf, "w");
	if (!fp) {
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(content->buf, 1, content->len, fp) != content->len) {
		fclose(fp);
		unlink(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fclose(fp)) {
		unlink(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp.buf, path) < 0) {
		unlink(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
	}
out:
	strbuf_release(&tmp);
	return ret;
}

int compare_cache_write(const char *path, const struct finding_list *l)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int ret;

	strbuf_addf(&sb, "{\"version\":%d,\"findings\":[\n", CACHE_VERSION);
	for (i = 0; i < l->nr; i++) {
		cJSON *o = raw_json(l->items[i]);
		char *s = cJSON_PrintUnformatted(o);

		strbuf_addstr(&sb, s);
		strbuf_addstr(&sb, i + 1 < l->nr ? ",\n" : "\n");
		free(s);
		cJSON_Delete(o);
	}
	strbuf_addstr(&sb, "]}\n");
	ret = write_atomically(path, &sb);
	strbuf_release(&sb);
	return ret;
}

int compare_cache_parse(struct finding_list *out, const char *buf, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(buf, len);
	const cJSON *arr, *it;
	int ret = ER_ERROR;

	if (!doc || get_int(doc, "version", 0) != CACHE_VERSION)
		goto out;
	arr = cJSON_GetObjectItemCaseSensitive(doc, "findings");
	if (!cJSON_IsArray(arr))
		goto out;
	cJSON_ArrayForEach(it, arr) {
		struct finding *f = raw_from_json(it);

		if (f)
			finding_list_add(out, f);
	}
	ret = 0;
out:
	cJSON_Delete(doc);
	return ret;
}

int compare_cache_read(struct finding_list *out, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	long n;
	int ret = ER_ERROR;

	n = strbuf_read_file(&sb, path, MAX_CACHE_BYTES);
	if (n >= 0 && (size_t)n <= MAX_CACHE_BYTES)
		ret = compare_cache_parse(out, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

/* ---- baseline ---- */

int baseline_read(struct baseline *b, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	long n;
	int ret = 0;

	n = strbuf_read_file(&sb, path, MAX_BASELINE_BYTES);
	if (n < 0) {
		if (errno != ENOENT)
			ret = error_set(ER_EINPUT, "cannot read the baseline %s: %s", path, strerror(errno));
	} else if ((size_t)n > MAX_BASELINE_BYTES) {
		ret = error_set(ER_EINPUT, "the baseline %s is larger than %u MiB", path,
				MAX_BASELINE_BYTES >> 20);
	} else {
		ret = baseline_parse(b, sb.buf, sb.len, path);
	}
	strbuf_release(&sb);
	return ret;
}

int baseline_parse(struct baseline *b, const char *buf, size_t len, const char *path)
{
	cJSON *doc;
	const cJSON *arr, *it;
	int ret = 0;

	doc = cJSON_ParseWithLength(buf, len);
	arr = doc ? cJSON_GetObjectItemCaseSensitive(doc, "findings") : NULL;
	if (!cJSON_IsArray(arr)) {
		ret = error_set(ER_EINPUT,
				"the baseline %s is not an escape-review baseline (expected a JSON object with a \"findings\" array); regenerate it with `escape-review baseline update`",
				path);
		goto out;
	}
	cJSON_ArrayForEach(it, arr) {
		const cJSON *fp = cJSON_GetObjectItemCaseSensitive(it, "fingerprint");
		char *line;

		if (!cJSON_IsString(fp)) {
			ret = error_set(ER_EINPUT, "the baseline %s has an entry without a \"fingerprint\"; regenerate it with `escape-review baseline update`",
					path);
			goto out;
		}
		ALLOC_GROW(b->fingerprints, b->nr + 1, b->alloc);
		b->lines = xrealloc(b->lines, b->alloc * sizeof(*b->lines));
		b->fingerprints[b->nr] = xstrdup(fp->valuestring);
		line = cJSON_PrintUnformatted(it);
		b->lines[b->nr] = xstrdup(line);
		free(line);
		b->nr++;
		strmap_put(&b->fps, fp->valuestring, strlen(fp->valuestring),
			   (void *)(uintptr_t)b->nr);
	}
	free(b->seen);
	b->seen = xcalloc(b->nr + 1, 1);
out:
	cJSON_Delete(doc);
	return ret;
}

void baseline_release(struct baseline *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		free(b->lines[i]);
		free(b->fingerprints[i]);
	}
	free(b->lines);
	free(b->fingerprints);
	free(b->seen);
	strmap_release(&b->fps);
	memset(b, 0, sizeof(*b));
}

size_t baseline_apply(struct baseline *b, struct finding_list *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		uintptr_t hit;

		if (!f->fingerprint)
			continue;
		hit = (uintptr_t)strmap_get(&b->fps, f->fingerprint, strlen(f->fingerprint));
		if (!hit)
			continue;
		if (b->seen)
			b->seen[hit - 1] = 1;
		f->status = STATUS_BASELINE;
		n++;
	}
	return n;
}

static int cmp_fp(const void *a, const void *b)
{
	const struct finding *x = *(struct finding *const *)a, *y = *(struct finding *const *)b;

	return strcmp(x->fingerprint ? x->fingerprint : "", y->fingerprint ? y->fingerprint : "");
}

int baseline_write(const char *path, const struct finding_list *l)
{
	struct strbuf sb = STRBUF_INIT, loc = STRBUF_INIT;
	struct finding **order = xmalloc((l->nr ? l->nr : 1) * sizeof(*order));
	size_t i, k = 0;
	int ret;

	if (l->nr)
		memcpy(order, l->items, l->nr * sizeof(*order));
	if (l->nr > 1)
		qsort(order, l->nr, sizeof(*order), cmp_fp);
	strbuf_addstr(&sb, "{\"version\": 1, \"findings\": [\n");
	for (i = 0; i < l->nr; i++) {
		if (!order[i]->fingerprint ||
		    (k && !strcmp(order[k - 1]->fingerprint, order[i]->fingerprint)))
			continue;
		order[k++] = order[i];
	}
	for (i = 0; i < k; i++) {
		const struct finding *f = order[i];
		cJSON *o = cJSON_CreateObject();
		char *s;

		cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
		cJSON_AddStringToObject(o, "rule", f->rule ? f->rule : "");
		strbuf_reset(&loc);
		strbuf_addf(&loc, "%s:%d", f->file, f->line);
		if (f->function)
			strbuf_addf(&loc, " %s", f->function);
		cJSON_AddStringToObject(o, "location", loc.buf);
		cJSON_AddStringToObject(o, "message", f->message);
		s = cJSON_PrintUnformatted(o);
		strbuf_addf(&sb, "  %s%s\n", s, i + 1 < k ? "," : "");
		free(s);
		cJSON_Delete(o);
	}
	strbuf_addstr(&sb, "]}\n");
	ret = write_atomically(path, &sb);
	free(order);
	strbuf_release(&sb);
	strbuf_release(&loc);
	return ret;
}
