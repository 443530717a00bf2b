/*
 * summary.c: per-function escape summaries (leaking parameters, inlining)
 * gathered from one revision's findings, and their differences between
 * base and head (summary.h).
 */
#include "summary.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTES_HEADER "escape-review inline notes 1\n"
#define NOTES_MAX (64u << 20)

static void index_key(struct strbuf *k, const char *package, const char *function)
{
	strbuf_reset(k);
	strbuf_addstr(k, package);
	strbuf_addch(k, '\0');
	strbuf_addstr(k, function);
}

static const char *pooled(struct summary *s, const char *str)
{
	if (!s->pool)
		s->pool = strpool_new();
	return strpool_intern(s->pool, str, strlen(str));
}

static struct summary_entry *get_entry(struct summary *s, const char *package,
				       const char *function, const char *file, int line)
{
	struct strbuf *k = &s->key;
	struct summary_entry *e;
	uintptr_t at;

	if (s->last) {
		e = &s->items[s->last - 1];
		if (!strcmp(e->function, function) && !strcmp(e->package, package))
			return e;
	}
	for (; s->indexed < s->nr; s->indexed++) {
		e = &s->items[s->indexed];
		index_key(k, e->package, e->function);
		strmap_put(&s->index, k->buf, k->len, (void *)(uintptr_t)(s->indexed + 1));
	}
	index_key(k, package, function);
	at = (uintptr_t)strmap_get(&s->index, k->buf, k->len);
	if (at) {
		s->last = at;
		return &s->items[at - 1];
	}
	ALLOC_GROW(s->items, s->nr + 1, s->alloc);
	e = &s->items[s->nr++];
	s->last = s->nr;
	memset(e, 0, sizeof(*e));
	e->package = pooled(s, package);
	e->function = pooled(s, function);
	e->file = pooled(s, file ? file : "");
	e->line = line;
	s->sorted = 0;
	return e;
}

static void entry_add_line(struct summary *s, struct summary_entry *e, const char *text)
{
	size_t i;

	for (i = 0; i < e->lines_nr; i++)
		if (!strcmp(e->lines[i], text))
			return;
	ALLOC_GROW(e->lines, e->lines_nr + 1, e->lines_alloc);
	e->lines[e->lines_nr++] = pooled(s, text);
}

/* The package of a finding: its import path, else its directory (in `dir`). */
static const char *finding_package(struct strbuf *dir, const struct finding *f)
{
	const char *slash;

	if (f->package)
		return f->package;
	strbuf_reset(dir);
	slash = strrchr(f->file, '/');
	if (slash)
		strbuf_add(dir, f->file, (size_t)(slash - f->file));
	else
		strbuf_addch(dir, '.');
	return dir->buf;
}

void summary_add_findings(struct summary *s, const struct finding_list *l)
{
	struct strbuf dir = STRBUF_INIT;
	size_t i;

	struct strbuf moved = STRBUF_INIT;

	for (i = 0; i < l->nr; i++) {
		const struct finding *f = l->items[i];
		struct summary_entry *e;
		const char *line = f->message;

		if (f->verdict == VERDICT_MOVED && f->moved_param && f->subject) {
			/* what export data says of it, though -m prints no leak */
			strbuf_reset(&moved);
			strbuf_addf(&moved, "leaking param: %s", f->subject);
			line = moved.buf;
		} else if (f->verdict != VERDICT_LEAK_PARAM && f->verdict != VERDICT_LEAK_CONTENT) {
			continue;
		}
		e = get_entry(s, finding_package(&dir, f), f->function ? f->function : "", f->file, f->line);
		entry_add_line(s, e, line);
	}
	strbuf_release(&moved);
	strbuf_release(&dir);
}

void summary_add_line(struct summary *s, const char *package, const char *function,
		      const char *file, int line, const char *text)
{
	struct summary_entry *e = get_entry(s, package, function, file, line);

	e->has_inline = 1;
	entry_add_line(s, e, text);
}

/*
 * Can an importer call `func` ("F", "(*T).M", "T.M", "F[go.shape.int]")?
 * Its last name is exported and it is no closure ("F.func1", "F.gowrap2").
 */
static int importer_callable(const char *func)
{
	size_t n = strcspn(func, "["), k;
	const char *p, *name = func;

	for (p = func; p < func + n; p++)
		if (*p == '.')
			name = p + 1;
	k = starts_with(name, "func") ? 4 : starts_with(name, "gowrap") ? 6 : 0;
	if (name != func && k && name[k] && strspn(name + k, "0123456789") == strcspn(name + k, "["))
		return 0;
	return *name >= 'A' && *name <= 'Z';
}

void summary_add_notes(struct summary *s, const struct parse_note_list *nl)
{
	size_t i;

	for (i = 0; i < nl->nr; i++) {
		const struct parse_note *nt = &nl->items[i];
		struct summary_entry *e;
		int can = nt->kind == NOTE_CAN_INLINE;

		if ((!can && nt->kind != NOTE_CANNOT_INLINE) || !nt->package || !nt->func ||
		    !importer_callable(nt->func))
			continue;
		e = get_entry(s, nt->package, nt->func, nt->file, nt->line);
		e->has_inline = 1;
		entry_add_line(s, e, can ? "can inline" : "cannot inline");
		if (!can && !e->inline_reason)
			e->inline_reason = pooled(s, nt->reason ? nt->reason : "");
	}
}

void summary_release(struct summary *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free(s->items[i].lines);
	free(s->items);
	strpool_unref(s->pool);
	strmap_release(&s->index);
	strbuf_release(&s->key);
	memset(s, 0, sizeof(*s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct summary_entry *x = a, *y = b;
	int c = strcmp(x->package, y->package);

	return c ? c : strcmp(x->function, y->function);
}

void summary_sort(struct summary *s)
{
	size_t i;

	if (s->sorted)
		return;
	for (i = 0; i < s->nr; i++)
		if (s->items[i].lines_nr > 1)
			qsort(s->items[i].lines, s->items[i].lines_nr, sizeof(char *), cmp_str);
	if (s->nr > 1)
		qsort(s->items, s->nr, sizeof(s->items[0]), cmp_entry);
	s->sorted = 1;
	/* the indices moved: indexed again by the next get_entry() */
	strmap_release(&s->index);
	s->indexed = 0;
	s->last = 0;
}

static int is_leak(const char *line)
{
	return starts_with(line, "leaking param");
}

/* The lines shown: the leaks, and the inlining lines when `inl`. */
static void joined(struct strbuf *out, const struct summary_entry *e, int inl)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->lines_nr; i++) {
		if (!is_leak(e->lines[i]) && !inl)
			continue;
		if (out->len)
			strbuf_addstr(out, "; ");
		strbuf_addstr(out, e->lines[i]);
	}
}

/* Inlining is compared when both sides have it, and counts when it differs. */
static int inline_differs(const struct summary_entry *b, const struct summary_entry *h)
{
	size_t i, j;

	if (!b || !h || !b->has_inline || !h->has_inline)
		return 0;
	for (i = j = 0; i < b->lines_nr || j < h->lines_nr; i++, j++) {
		while (i < b->lines_nr && is_leak(b->lines[i]))
			i++;
		while (j < h->lines_nr && is_leak(h->lines[j]))
			j++;
		if ((i < b->lines_nr) != (j < h->lines_nr) ||
		    (i < b->lines_nr && strcmp(b->lines[i], h->lines[j])))
			return 1;
	}
	return 0;
}

static int has_line(const struct summary_entry *e, const char *line)
{
	size_t i;

	for (i = 0; e && i < e->lines_nr; i++)
		if (!strcmp(e->lines[i], line))
			return 1;
	return 0;
}

static void add_param(struct summary_change *c, const char *line)
{
	const char *p = strchr(line, ':');
	size_t n, i;

	if (!p)
		return;
	p += strspn(p + 1, " ") + 1;
	n = strcspn(p, " ");
	for (i = 0; i < c->params_nr; i++)
		if (strlen(c->params[i]) == n && !strncmp(c->params[i], p, n))
			return;
	ALLOC_GROW(c->params, c->params_nr + 1, c->params_alloc);
	c->params[c->params_nr++] = xstrndup(p, n);
}

/* "now keeps its argument p" for a leak line that appeared (or went). */
static void describe_leak(struct strbuf *out, const char *line, int now)
{
	const char *p = strchr(line, ':'), *to;
	size_t n;

	if (!p)
		return;
	p += strspn(p + 1, " ") + 1;
	n = strcspn(p, " ");
	to = strstr(p, " to result ");
	if (out->len)
		strbuf_addstr(out, " and ");
	strbuf_addstr(out, now ? "now " : "no longer ");
	if (to)
		strbuf_addf(out, "%s its argument %.*s", "returns", (int)n, p);
	else if (starts_with(line, "leaking param content"))
		strbuf_addf(out, "%s what its argument %.*s points to", "keeps",
			    (int)n, p);
	else
		strbuf_addf(out, "%s its argument %.*s", "keeps", (int)n, p);
}

/* What callers see now, from the lines that appeared and went. */
static void describe(struct summary_change *c, const struct summary_entry *b,
		     const struct summary_entry *h, int inl)
{
	struct strbuf what = STRBUF_INIT;
	size_t i;

	for (i = 0; h && i < h->lines_nr; i++)
		if (is_leak(h->lines[i]) && !has_line(b, h->lines[i])) {
			describe_leak(&what, h->lines[i], 1);
			add_param(c, h->lines[i]);
		}
	for (i = 0; b && i < b->lines_nr; i++)
		if (is_leak(b->lines[i]) && !has_line(h, b->lines[i])) {
			describe_leak(&what, b->lines[i], 0);
			add_param(c, b->lines[i]);
		}
	if (inl) {
		int was = 0, is = 0;

		for (i = 0; i < b->lines_nr; i++)
			was |= starts_with(b->lines[i], "can inline");
		for (i = 0; i < h->lines_nr; i++)
			is |= starts_with(h->lines[i], "can inline");
		if (was != is) {
			if (what.len)
				strbuf_addstr(&what, " and ");
			strbuf_addstr(&what, is ? "is now inlined" : "is no longer inlined");
			if (!is && h->inline_reason && *h->inline_reason)
				strbuf_addf(&what, " (%s)", h->inline_reason);
		} else if (!what.len) {
			strbuf_addstr(&what, "is inlined differently");
		}
	}
	c->what = strbuf_detach(&what, NULL);
}

/* Whether joined() would give `b` and `h` the same lines (then the same text). */
static int same_shown(const struct summary_entry *b, const struct summary_entry *h, int inl)
{
	size_t i = 0, j = 0;

	if (!b || !h)
		return 0;
	for (;;) {
		while (i < b->lines_nr && !inl && !is_leak(b->lines[i]))
			i++;
		while (j < h->lines_nr && !inl && !is_leak(h->lines[j]))
			j++;
		if (i == b->lines_nr || j == h->lines_nr)
			return i == b->lines_nr && j == h->lines_nr;
		if (strcmp(b->lines[i++], h->lines[j++]))
			return 0;
	}
}

static void add_change(struct summary_changes *out, const struct summary_entry *b,
		       const struct summary_entry *h)
{
	int inl = inline_differs(b, h);
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	const struct summary_entry *at = h ? h : b;
	struct summary_change *c;

	if (same_shown(b, h, inl)) /* a function whose summary did not change: most */
		return;
	joined(&before, b, inl);
	joined(&after, h, inl);
	if (!strcmp(before.buf, after.buf)) {
		strbuf_release(&before);
		strbuf_release(&after);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->package = xstrdup(at->package);
	c->function = xstrdup(at->function);
	c->file = xstrdup(at->file);
	c->line = at->line;
	c->before = strbuf_detach(&before, NULL);
	c->after = strbuf_detach(&after, NULL);
	describe(c, b, h, inl);
	ALLOC_GROW(out->items, out->nr + 1, out->alloc);
	out->items[out->nr++] = c;
}

void summary_diff(struct summary_changes *out, struct summary *base, struct summary *head)
{
	size_t i = 0, j = 0;

	summary_sort(base);
	summary_sort(head);
	while (i < base->nr || j < head->nr) {
		int c = i == base->nr ? 1 : j == head->nr ? -1 :
			cmp_entry(&base->items[i], &head->items[j]);

		if (c < 0)
			add_change(out, &base->items[i++], NULL);
		else if (c > 0)
			add_change(out, NULL, &head->items[j++]);
		else
			add_change(out, &base->items[i++], &head->items[j++]);
	}
}

void summary_changes_release(struct summary_changes *cs)
{
	size_t i, j;

	for (i = 0; i < cs->nr; i++) {
		struct summary_change *c = cs->items[i];

		free(c->package);
		free(c->function);
		free(c->file);
		free(c->before);
		free(c->after);
		free(c->what);
		for (j = 0; j < c->params_nr; j++)
			free(c->params[j]);
		free(c->params);
		free(c);
	}
	free(cs->items);
	memset(cs, 0, sizeof(*cs));
}

char *summary_change_name(const struct summary_change *c)
{
	const char *slash = strrchr(c->package, '/');
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s.%s", slash ? slash + 1 : c->package, c->function);
	return strbuf_detach(&sb, NULL);
}

/* ---- the notes saved next to a cached analysis ---- */

int summary_notes_write(const char *path, const char *key, const struct parse_note_list *nl)
{
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	FILE *fp;
	size_t i;
	int ret = 0, ok;

	strbuf_addf(&sb, "%skey %zu\n%s\n", NOTES_HEADER, strlen(key), key);
	for (i = 0; i < nl->nr; i++) {
		const struct parse_note *nt = &nl->items[i];
		int can = nt->kind == NOTE_CAN_INLINE;

		if ((!can && nt->kind != NOTE_CANNOT_INLINE) || !nt->package || !nt->func ||
		    !importer_callable(nt->func) || strpbrk(nt->package, "\t\n") ||
		    strpbrk(nt->file, "\t\n") || strpbrk(nt->func, "\t\n") ||
		    (nt->reason && strpbrk(nt->reason, "\t\n")))
			continue;
		strbuf_addf(&sb, "%s\t%s\t%s\t%d\t%s\t%s\n", can ? "can" : "cannot", nt->package,
			    nt->file, nt->line, nt->func, !can && nt->reason ? nt->reason : "");
	}
	strbuf_addf(&tmp, "%s.tmp", path);
	fp = fopen(tmp.buf, "w");
	ok = fp && fwrite(sb.buf, 1, sb.len, fp) == sb.len;
	if (fp && fclose(fp))
		ok = 0;
	if (!ok || rename(tmp.buf, path)) {
		remove(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s", path);
	}
	strbuf_release(&sb);
	strbuf_release(&tmp);
	return ret;
}

/* One line "can|cannot TAB PACKAGE TAB FILE TAB LINE TAB FUNC TAB REASON". */
static int notes_parse_line(struct parse_note_list *out, char *line)
{
	char *f[6], *end;
	struct parse_note *nt;
	long ln;
	size_t i;

	for (i = 0; i < 6; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if (i < 5 && !line)
			return -1;
		if (line)
			*line++ = '\0';
	}
	ln = strtol(f[3], &end, 10);
	if (line || *end || ln < 1 || ln > 100000000 || !*f[1] || !*f[2] || !*f[4] ||
	    (strcmp(f[0], "can") && strcmp(f[0], "cannot")))
		return -1;
	ALLOC_GROW(out->items, out->nr + 1, out->alloc);
	nt = &out->items[out->nr++];
	memset(nt, 0, sizeof(*nt));
	nt->kind = strcmp(f[0], "can") ? NOTE_CANNOT_INLINE : NOTE_CAN_INLINE;
	nt->package = xstrdup(f[1]);
	nt->file = xstrdup(f[2]);
	nt->line = (int)ln;
	nt->column = 1;
	nt->func = xstrdup(f[4]);
	nt->cost = nt->budget = -1;
	if (nt->kind == NOTE_CANNOT_INLINE) {
		struct strbuf text = STRBUF_INIT;

		nt->reason = xstrdup(f[5]);
		strbuf_addf(&text, "cannot inline %s: %s", f[4], f[5]);
		nt->text = strbuf_detach(&text, NULL);
	} else {
		struct strbuf text = STRBUF_INIT;

		strbuf_addf(&text, "can inline %s", f[4]);
		nt->text = strbuf_detach(&text, NULL);
	}
	return 0;
}

/* Past the header and the key (as written by summary_notes_write), or NULL. */
static char *notes_body(struct strbuf *sb, const char *key)
{
	size_t h = strlen(NOTES_HEADER), n = strlen(key);
	char *p = sb->buf + h, *end;
	unsigned long long len;

	if (!strbuf_starts_with(sb, NOTES_HEADER) || !strbuf_ends_with(sb, "\n") ||
	    strncmp(p, "key ", 4))
		return NULL;
	len = strtoull(p + 4, &end, 10);
	if (*end != '\n' || len != n || (size_t)(sb->buf + sb->len - end) < n + 2 ||
	    memcmp(end + 1, key, n) || end[1 + n] != '\n')
		return NULL;
	return end + n + 2;
}

int summary_notes_read(struct parse_note_list *out, const char *path, const char *key)
{
	struct parse_note_list got = PARSE_NOTE_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *line, *nl;
	int ret = 0;
	size_t i;

	if (strbuf_read_file(&sb, path, NOTES_MAX) < 0) {
		strbuf_release(&sb);
		return 1;
	}
	if (!(line = notes_body(&sb, key))) {
		ret = error_set(ER_EINPUT, "ignoring the inlining notes %s: not written for this cache entry",
				path);
		goto out;
	}
	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		if (notes_parse_line(&got, line) < 0) {
			ret = error_set(ER_EINPUT, "ignoring the inlining notes %s: malformed note %zu",
					path, got.nr + 1);
			goto out;
		}
	}
	for (i = 0; i < got.nr; i++) {
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		out->items[out->nr++] = got.items[i];
	}
	got.nr = 0;
out:
	parse_note_list_release(&got);
	strbuf_release(&sb);
	return ret;
}
