/*
 * mustache.c: the Mustache renderer.  A template is parsed whole into a
 * tree (standalone lines and set-delimiter tags are resolved here, errors
 * carry line numbers), then the tree is rendered against a stack of
 * cJSON contexts, loading and caching partials on the way.
 */
#include "mustache.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DELIM_MAX 16
#define NO_POS ((size_t)-1)

enum node_type {
	NODE_TEXT,
	NODE_VAR,       /* {{x}}: escaped */
	NODE_RAW,       /* {{{x}}} and {{&x}} */
	NODE_CODE,      /* {{`x}}: code (a code span in Markdown) */
	NODE_SECTION,   /* {{#x}}, also the root of a template */
	NODE_INVERTED,  /* {{^x}} */
	NODE_PARTIAL,   /* {{>x}} */
};

struct node {
	enum node_type type;
	int line;
	const char *text;   /* NODE_TEXT: bytes of the template source */
	size_t len;
	char *name;         /* the tag's name, trimmed */
	char *path;         /* name split at '.' into NUL-terminated parts */
	size_t parts;       /* 0 for "." */
	char *indent;       /* standalone partial: its line's indentation */
	struct node **kids;
	size_t kids_nr, kids_alloc;
};

struct tmpl {
	char *name;         /* as messages show it */
	struct node root;
};

/* A loaded partial: by name and indentation (the source is indented). */
struct partial {
	char *name;
	char *indent;
	struct strbuf src;
	struct tmpl *tmpl;  /* NULL: not found, and that is fine */
};

struct parser {
	struct tmpl *t;
	const char *src;
	size_t len;
	char otag[DELIM_MAX + 1], ctag[DELIM_MAX + 1];
	size_t olen, clen;
	size_t line_pos;    /* lines are counted up to here ... */
	int line;           /* ... and this is the line there */
};

/* What the Markdown written so far says about its current block. */
struct md_scan {
	size_t pos;         /* the output is read up to here, */
	size_t line;        /* where the current line starts */
	unsigned html : 1;  /* a line of the block begins with an HTML tag */
	unsigned table : 1; /* a line of the block is a table's delimiter row */
};

struct render {
	struct strbuf *out;
	struct md_scan scan;
	size_t out_start;
	enum mustache_escape esc;
	const struct mustache_loader *loader;
	const cJSON **stack;
	size_t stack_nr, stack_alloc;
	struct partial **partials;
	size_t partials_nr, partials_alloc;
	unsigned depth, partial_depth;
	unsigned long steps;  /* nodes rendered so far */
};

__attribute__((format(printf, 3, 4)))
static int tmpl_error(const char *name, int line, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	error_set(ER_ETEMPLATE, "template %s:%d: %s", name, line, msg.buf);
	strbuf_release(&msg);
	return ER_ETEMPLATE;
}

/* ---- the tree ---- */

static void node_free(struct node *n);

static void node_release(struct node *n)
{
	size_t i;

	for (i = 0; i < n->kids_nr; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->path);
	free(n->indent);
}

/* Recursion is bounded: sections nest at most MUSTACHE_MAX_NESTING deep. */
static void node_free(struct node *n)
{
	if (!n)
		return;
	node_release(n);
	free(n);
}

static struct node *node_add(struct node *parent, enum node_type type, int line)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->type = type;
	n->line = line;
	ALLOC_GROW(parent->kids, parent->kids_nr + 1, parent->kids_alloc);
	parent->kids[parent->kids_nr++] = n;
	return n;
}

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	node_release(&t->root);
	free(t->name);
	free(t);
}

/* ---- parsing ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t find(const char *s, size_t len, size_t from, const char *needle, size_t nlen)
{
	size_t i;

	if (nlen > len)
		return NO_POS;
	for (i = from; i + nlen <= len; i++)
		if (s[i] == needle[0] && !memcmp(s + i, needle, nlen))
			return i;
	return NO_POS;
}

/* The line of offset `off`; offsets are asked for in increasing order. */
static int line_at(struct parser *p, size_t off)
{
	for (; p->line_pos < off; p->line_pos++)
		if (p->src[p->line_pos] == '\n')
			p->line++;
	return p->line;
}

/* A tag's text for messages, at most 40 bytes of it. */
static void tag_text(struct strbuf *sb, const struct parser *p, size_t open, size_t end)
{
	size_t n = end - open;

	strbuf_add(sb, p->src + open, n > 40 ? 40 : n);
	if (n > 40)
		strbuf_addstr(sb, "...");
}

/* Name of a variable or section: "." or parts separated by single dots,
 * no white space.  Fills `path` / `parts`. */
static int set_name(struct node *n, const char *name, size_t len)
{
	size_t i;

	n->name = xstrndup(name, len);
	if (len == 1 && name[0] == '.')
		return 0;
	if (!len || name[0] == '.' || name[len - 1] == '.')
		return -1;
	n->path = xstrndup(name, len);
	n->parts = 1;
	for (i = 0; i < len; i++) {
		if (is_space(name[i]))
			return -1;
		if (name[i] == '.') {
			if (name[i + 1] == '.')
				return -1;
			n->path[i] = '\0';
			n->parts++;
		}
	}
	return 0;
}

static int valid_partial_name(const char *name, size_t len)
{
	size_t i;

	if (!len || len > 200 || name[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
		if (c == '.' && i + 1 < len && name[i + 1] == '.')
			return 0;
	}
	return 1;
}

/* {{=OPEN CLOSE=}}: two delimiters without white space or '='. */
static int set_delimiters(struct parser *p, const char *s, size_t len)
{
	size_t a = 0, b, c, d, e;

	while (a < len && is_space(s[a]))
		a++;
	for (b = a; b < len && !is_space(s[b]); b++)
		;
	for (c = b; c < len && is_space(s[c]); c++)
		;
	for (d = c; d < len && !is_space(s[d]); d++)
		;
	for (e = d; e < len && is_space(s[e]); e++)
		;
	if (b == a || d == c || e != len || b - a > DELIM_MAX || d - c > DELIM_MAX ||
	    memchr(s + a, '=', b - a) || memchr(s + c, '=', d - c))
		return -1;
	memcpy(p->otag, s + a, b - a);
	p->otag[b - a] = '\0';
	p->olen = b - a;
	memcpy(p->ctag, s + c, d - c);
	p->ctag[d - c] = '\0';
	p->clen = d - c;
	return 0;
}

static void add_text(struct node *parent, const char *s, size_t len, int line)
{
	struct node *n;

	if (!len)
		return;
	n = node_add(parent, NODE_TEXT, line);
	n->text = s;
	n->len = len;
}

/*
 * If the tag [open, after) stands alone on its line (only blanks around
 * it), return 1 with *line_start at the start of the line and *next after
 * its line ending (or at the end of the template).
 */
static int standalone(const struct parser *p, size_t open, size_t after,
		      size_t *line_start, size_t *next)
{
	size_t ls = open, e = after;

	while (ls > 0 && p->src[ls - 1] != '\n') {
		if (!is_blank(p->src[ls - 1]))
			return 0;
		ls--;
	}
	while (e < p->len && is_blank(p->src[e]))
		e++;
	if (e < p->len && p->src[e] == '\r' && e + 1 < p->len && p->src[e + 1] == '\n')
		e += 2;
	else if (e < p->len && p->src[e] == '\n')
		e++;
	else if (e < p->len)
		return 0;
	*line_start = ls;
	*next = e;
	return 1;
}

/*
 * One tag's content src[a..b) of `kind` ('#', '/', '>', ... or 0 for a
 * variable) on `line`, added under `cur`; sections open and close on the
 * stack `open_sections` (`nr` of `alloc`).  `indent` (`indent_len` bytes):
 * a standalone partial's indentation, or NULL.  0 or a template error.
 */
static int parse_tag(struct tmpl *t, struct node *cur, const char *src, size_t a, size_t b,
		     char kind, int line, const char *tag, const char *indent, size_t indent_len,
		     struct node ***open_sections, size_t *nr, size_t *alloc)
{
	struct node *n;

	if (a == b)
		return tmpl_error(t->name, line, "empty tag '%s'", tag);
	if (!kind && (src[a] == '$' || src[a] == '<'))
		return tmpl_error(t->name, line, "tag '%s': template inheritance "
				 "is not supported", tag);

	switch (kind) {
	case '/': {
		struct node *top = *nr ? (*open_sections)[*nr - 1] : NULL;

		if (!top)
			return tmpl_error(t->name, line, "closing tag '%s' without an "
					 "open section", tag);
		if (strlen(top->name) != b - a || memcmp(top->name, src + a, b - a))
			return tmpl_error(t->name, line, "closing tag '%s' does not match "
					 "section '%s' opened on line %d",
					 tag, top->name, top->line);
		(*nr)--;
		return 0;
	}
	case '>':
		if (!valid_partial_name(src + a, b - a))
			return tmpl_error(t->name, line, "bad partial name in '%s' (use "
					 "letters, digits, '_', '-', '.')", tag);
		n = node_add(cur, NODE_PARTIAL, line);
		n->name = xstrndup(src + a, b - a);
		if (indent)
			n->indent = xstrndup(indent, indent_len);
		return 0;
	case '#':
	case '^':
		n = node_add(cur, kind == '#' ? NODE_SECTION : NODE_INVERTED, line);
		break;
	case '&':
	case '{':
		n = node_add(cur, NODE_RAW, line);
		break;
	case '`':
		n = node_add(cur, NODE_CODE, line);
		break;
	default:
		n = node_add(cur, NODE_VAR, line);
		break;
	}
	if (set_name(n, src + a, b - a))
		return tmpl_error(t->name, line, "bad name in tag '%s'", tag);
	if (n->type == NODE_SECTION || n->type == NODE_INVERTED) {
		if (*nr >= MUSTACHE_MAX_NESTING)
			return tmpl_error(t->name, line, "sections nested more than %d deep",
					 MUSTACHE_MAX_NESTING);
		ALLOC_GROW(*open_sections, *nr + 1, *alloc);
		(*open_sections)[(*nr)++] = n;
	}
	return 0;
}

static int parse(struct tmpl *t, const char *src, size_t len)
{
	struct parser p = { t, src, len, "{{", "}}", 2, 2, 0, 1 };
	struct node **open_sections = NULL;
	size_t nr = 0, alloc = 0, pos = 0;
	struct strbuf tag = STRBUF_INIT;
	int ret = 0;

	for (;;) {
		struct node *cur = nr ? open_sections[nr - 1] : &t->root;
		char close[DELIM_MAX + 2];
		size_t open, in, end, after, closelen, ls = 0, next = 0, a, b;
		int line, alone = 0;
		char kind = 0;

		open = find(src, len, pos, p.otag, p.olen);
		if (open == NO_POS) {
			add_text(cur, src + pos, len - pos, line_at(&p, pos));
			break;
		}
		line = line_at(&p, open);
		in = open + p.olen;
		if (in < len && src[in] && strchr("#^/!>&{=`", src[in]))
			kind = src[in++];
		if (kind == '{' || kind == '=') {
			close[0] = kind == '{' ? '}' : '=';
			memcpy(close + 1, p.ctag, p.clen + 1);
			closelen = p.clen + 1;
		} else {
			memcpy(close, p.ctag, p.clen + 1);
			closelen = p.clen;
		}
		end = find(src, len, in, close, closelen);
		strbuf_reset(&tag);
		if (end == NO_POS) {
			tag_text(&tag, &p, open, len);
			ret = tmpl_error(t->name, line, "tag '%s' is not closed (no '%s')",
					 tag.buf, close);
			goto out;
		}
		after = end + closelen;
		tag_text(&tag, &p, open, after);

		if (kind && strchr("#^/!>=", kind))
			alone = standalone(&p, open, after, &ls, &next) && ls >= pos;
		if (alone) {
			add_text(cur, src + pos, ls - pos, line);
			pos = next;
		} else {
			add_text(cur, src + pos, open - pos, line);
			pos = after;
		}
		if (kind == '!')
			continue;
		if (kind == '=') {
			if (set_delimiters(&p, src + in, end - in)) {
				ret = tmpl_error(t->name, line, "bad set-delimiter tag '%s' "
						 "(expected two delimiters without white space "
						 "or '=', as in {{=<%% %%>=}})", tag.buf);
				goto out;
			}
			continue;
		}

		for (a = in; a < end && is_space(src[a]); a++)
			;
		for (b = end; b > a && is_space(src[b - 1]); b--)
			;
		ret = parse_tag(t, cur, src, a, b, kind, line, tag.buf, alone ? src + ls : NULL,
				open - ls, &open_sections, &nr, &alloc);
		if (ret)
			goto out;
	}
	if (nr) {
		struct node *top = open_sections[nr - 1];

		ret = tmpl_error(t->name, top->line, "section '%s' is not closed", top->name);
	}
out:
	strbuf_release(&tag);
	free(open_sections);
	return ret;
}

static int tmpl_parse(struct tmpl **out, const char *src, size_t len, const char *name)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	int ret;

	t->name = xstrdup(name);
	t->root.type = NODE_SECTION;
	if (len > MUSTACHE_MAX_TEMPLATE)
		ret = tmpl_error(t->name, 1, "larger than %u bytes", MUSTACHE_MAX_TEMPLATE);
	else
		ret = parse(t, src, len);
	if (ret) {
		tmpl_free(t);
		t = NULL;
	}
	*out = t;
	return ret;
}

/* ---- escaping ---- */

void mustache_escape_html(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, *s); break;
		}
	}
}

static int lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * The invisible space that goes after s[0] (or, for "www." and "GH-1",
 * before it; `start` is the value's first byte): 1 after, -1 before, 0.
 */
static int zwsp_at(const char *start, const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (c == '.' && s - start >= 3 && lower(s[-3]) == 'w' && lower(s[-2]) == 'w' &&
	    lower(s[-1]) == 'w')
		return -1;
	if (c == '-' && s - start >= 2 && lower(s[-2]) == 'g' && lower(s[-1]) == 'h' &&
	    s[1] >= '0' && s[1] <= '9')
		return -1;
	if (strchr("@#!~%$&", c) && s[1] && !is_space(s[1]))
		return 1;
	if ((c == '{' || c == '[') && (s[1] == '+' || s[1] == '-'))
		return 1;
	return c == ':' && s[1] == '/' && s[2] == '/';
}

/*
 * The byte of a value's start `s` (after its leading blanks) that would
 * begin a block there, a heading, quote, list item, thematic break or
 * setext underline ("# x", "> x", "- x", "+ x", "===", "1. x", "1) x"),
 * or NULL.
 */
static const char *block_start(const char *s)
{
	const char *d = s;

	if (*s && strchr("#>-+=", *s))
		return s;
	while (*d >= '0' && *d <= '9')
		d++;
	return d > s && d - s <= 9 && (*d == '.' || *d == ')') ? d : NULL;
}

/*
 * `s` without its leading blanks and without the control characters that
 * are dropped (all below 0x20 but tab, CR and LF, and 0x7f): dropped first,
 * so that none can hide "www." or "http://" from zwsp_at().
 */
static const char *clean_prose(struct strbuf *sb, const char *s)
{
	const char *p;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\r' || c == '\n')
			strbuf_addch(sb, c);
	}
	for (p = sb->buf; is_blank(*p); p++)
		;
	return p;
}

/* Prose in Markdown (a paragraph, list item, heading or table cell). */
static void text_markdown(struct strbuf *out, const char *value)
{
	struct strbuf clean = STRBUF_INIT;
	const char *s = clean_prose(&clean, value), *start = s, *block = block_start(s);

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int z = zwsp_at(start, s);

		if (c == '\r' || c == '\n') {
			if (c == '\r' && s[1] == '\n')
				s++;
			strbuf_addstr(out, "<br>");
			continue;
		}
		if (c == '\t') {
			strbuf_addch(out, ' ');
			continue;
		}
		if (z < 0)
			strbuf_addstr(out, MUSTACHE_ZWSP);
		if (strchr("\\`*[]|<$~", c) || s == block ||
		    (c == '_' && !(s > start && is_alnum(s[-1]) && is_alnum(s[1]))))
			strbuf_addch(out, '\\');
		strbuf_addch(out, c);
		if (z > 0)
			strbuf_addstr(out, MUSTACHE_ZWSP);
	}
	strbuf_release(&clean);
}

/* `s` with HTML's escapes, newlines as `br` (code: spaces), no controls
 * (tabs: spaces in prose, kept in code). */
static void html_text(struct strbuf *out, const char *s, int prose)
{
	const char *start = s;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int z = prose ? zwsp_at(start, s) : 0;

		if (c == '\r' || c == '\n') {
			if (c == '\r' && s[1] == '\n')
				s++;
			strbuf_addstr(out, prose ? "<br>" : " ");
			continue;
		}
		if (c == '\t') {
			strbuf_addch(out, prose ? ' ' : '\t');
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (z < 0)
			strbuf_addstr(out, MUSTACHE_ZWSP);
		switch (c) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		default: strbuf_addch(out, c); break;
		}
		if (z > 0)
			strbuf_addstr(out, MUSTACHE_ZWSP);
	}
}

void mustache_markdown_text(struct strbuf *out, const char *s, enum mustache_md_place where)
{
	if (where == MUSTACHE_MD_HTML) {
		struct strbuf clean = STRBUF_INIT;

		html_text(out, clean_prose(&clean, s), 1);
		strbuf_release(&clean);
	} else {
		text_markdown(out, s);
	}
}

void mustache_escape_markdown(struct strbuf *out, const char *s)
{
	text_markdown(out, s);
}

void mustache_markdown_code(struct strbuf *out, const char *s, enum mustache_md_place where)
{
	struct strbuf body = STRBUF_INIT;
	size_t run = 0, longest = 0, i;
	int pad;

	if (where == MUSTACHE_MD_HTML) {
		if (*s) {
			strbuf_addstr(out, "<code>");
			html_text(out, s, 0);
			strbuf_addstr(out, "</code>");
		}
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\r' || c == '\n') {
			if (c == '\r' && s[1] == '\n')
				s++;
			c = ' ';
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			continue;
		}
		run = c == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
		if (c == '|' && where == MUSTACHE_MD_TABLE)
			strbuf_addch(&body, '\\');
		strbuf_addch(&body, c);
	}
	if (body.len) {
		for (i = 0; i < body.len && body.buf[i] == ' '; i++)
			;
		pad = body.buf[0] == '`' || body.buf[body.len - 1] == '`' ||
		      (body.buf[0] == ' ' && body.buf[body.len - 1] == ' ' && i < body.len);
		strbuf_addchars(out, '`', longest + 1);
		if (pad)
			strbuf_addch(out, ' ');
		strbuf_addbuf(out, &body);
		if (pad)
			strbuf_addch(out, ' ');
		strbuf_addchars(out, '`', longest + 1);
	}
	strbuf_release(&body);
}

/* ---- where a value lands in a Markdown document ---- */

/* The line [s, e) begins an HTML block (over-approximated: any tag). */
static int html_line(const char *s, const char *e)
{
	int n = 0;

	while (s < e && *s == ' ' && n++ < 3)
		s++;
	return e - s >= 2 && s[0] == '<' &&
	       ((lower(s[1]) >= 'a' && lower(s[1]) <= 'z') || (s[1] && strchr("/!?", s[1])));
}

/* The line [s, e) is a table's delimiter row: | - : and blanks, a | and a -. */
static int delimiter_row(const char *s, const char *e)
{
	int bar = 0, dash = 0;

	for (; s < e; s++) {
		if (*s == '|')
			bar = 1;
		else if (*s == '-')
			dash = 1;
		else if (*s != ':' && !is_space(*s))
			return 0;
	}
	return bar && dash;
}

/*
 * Where the end of `out` is: the lines after out->buf[scan->pos] are read
 * once (so a long comment is read in linear time), a block being the lines
 * since the last blank one.
 */
static enum mustache_md_place md_place(struct md_scan *scan, const struct strbuf *out)
{
	const char *b = out->buf, *nl, *cur;

	while (scan->pos < out->len && (nl = memchr(b + scan->pos, '\n', out->len - scan->pos))) {
		const char *ls = b + scan->line, *p = ls;

		while (p < nl && is_space(*p))
			p++;
		if (p == nl) {
			scan->html = scan->table = 0;
		} else {
			scan->html |= html_line(ls, nl);
			scan->table |= delimiter_row(ls, nl);
		}
		scan->pos = scan->line = (size_t)(nl - b) + 1;
	}
	scan->pos = out->len;
	cur = b + scan->line;
	if (scan->html || html_line(cur, b + out->len))
		return MUSTACHE_MD_HTML;
	while (cur < b + out->len && is_blank(*cur))
		cur++;
	if (scan->table || (cur < b + out->len && *cur == '|'))
		return MUSTACHE_MD_TABLE;
	return MUSTACHE_MD_TEXT;
}

/* ---- rendering ---- */

static void push(struct render *r, const cJSON *v)
{
	ALLOC_GROW(r->stack, r->stack_nr + 1, r->stack_alloc);
	r->stack[r->stack_nr++] = v;
}

static const cJSON *lookup(const struct render *r, const struct node *n)
{
	const cJSON *v = NULL;
	const char *part = n->path;
	size_t i;

	if (!n->parts)
		return r->stack_nr ? r->stack[r->stack_nr - 1] : NULL;
	for (i = r->stack_nr; i-- > 0;) {
		if (cJSON_IsObject(r->stack[i]) &&
		    (v = cJSON_GetObjectItemCaseSensitive(r->stack[i], part)))
			break;
	}
	for (i = 1; v && i < n->parts; i++) {
		part += strlen(part) + 1;
		v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, part) : NULL;
	}
	return v;
}

static int truthy(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v) || cJSON_IsInvalid(v))
		return 0;
	if (cJSON_IsArray(v))
		return v->child != NULL;
	if (cJSON_IsString(v) || cJSON_IsRaw(v))
		return v->valuestring && *v->valuestring;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	return 1;
}

static void format_number(struct strbuf *sb, double d)
{
	char buf[64];
	int prec;

	if (d == 0) {
		strbuf_addch(sb, '0');
		return;
	}
	if (d >= -1e15 && d <= 1e15 && (double)(long long)d == d) {
		strbuf_addf(sb, "%lld", (long long)d);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	snprintf(buf, sizeof(buf), "%.*g", prec, d);
	strbuf_addstr(sb, buf);
}

static void interpolate(struct render *r, const cJSON *v, enum mustache_escape esc, int code)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *s;

	if (!v || cJSON_IsNull(v) || cJSON_IsInvalid(v))
		return;
	if (cJSON_IsString(v) || cJSON_IsRaw(v)) {
		s = v->valuestring ? v->valuestring : "";
	} else if (cJSON_IsNumber(v)) {
		format_number(&tmp, v->valuedouble);
		s = tmp.buf;
	} else if (cJSON_IsBool(v)) {
		s = cJSON_IsTrue(v) ? "true" : "false";
	} else {
		char *json = cJSON_PrintUnformatted(v);

		if (!json)
			die("out of memory");
		strbuf_addstr(&tmp, json);
		cJSON_free(json);
		s = tmp.buf;
	}
	switch (esc) {
	case MUSTACHE_ESCAPE_HTML:
		if (code && *s)
			strbuf_addstr(r->out, "<code>");
		mustache_escape_html(r->out, s);
		if (code && *s)
			strbuf_addstr(r->out, "</code>");
		break;
	case MUSTACHE_ESCAPE_MARKDOWN:
		if (code)
			mustache_markdown_code(r->out, s, md_place(&r->scan, r->out));
		else
			mustache_markdown_text(r->out, s, md_place(&r->scan, r->out));
		break;
	case MUSTACHE_ESCAPE_NONE:
		strbuf_addstr(r->out, s);
		break;
	}
	strbuf_release(&tmp);
}

static void partial_free(struct partial *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->indent);
	strbuf_release(&p->src);
	tmpl_free(p->tmpl);
	free(p);
}

/* Prefix every non-empty line of `src` with `indent`. */
static void indent_lines(struct strbuf *out, const char *src, size_t len, const char *indent)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(src + i, '\n', len - i);
		size_t eol = nl ? (size_t)(nl - src) : len;
		int empty = eol == i || (eol == i + 1 && src[i] == '\r');

		if (!empty)
			strbuf_addstr(out, indent);
		strbuf_add(out, src + i, eol - i + (nl != NULL));
		i = eol + 1;
	}
}

static int load_partial(struct render *r, const struct tmpl *t, const struct node *n,
			struct tmpl **out)
{
	const struct mustache_loader *l = r->loader;
	const char *indent = n->indent ? n->indent : "";
	struct strbuf raw = STRBUF_INIT, name = STRBUF_INIT;
	struct partial *p = NULL;
	size_t i;
	int ret;

	for (i = 0; i < r->partials_nr; i++) {
		p = r->partials[i];
		if (!strcmp(p->name, n->name) && !strcmp(p->indent, indent)) {
			*out = p->tmpl;
			return 0;
		}
	}
	ret = l ? l->load(l->data, n->name, &raw) : MUSTACHE_NOT_FOUND;
	if (ret < 0)
		goto out;
	if (ret == MUSTACHE_NOT_FOUND && !(l && l->missing_ok)) {
		ret = tmpl_error(t->name, n->line, "partial '%s' not found", n->name);
		goto out;
	}
	p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(n->name);
	p->indent = xstrdup(indent);
	strbuf_init(&p->src, 0);
	ALLOC_GROW(r->partials, r->partials_nr + 1, r->partials_alloc);
	r->partials[r->partials_nr++] = p;
	if (ret == MUSTACHE_NOT_FOUND) {
		ret = 0;
		goto out;
	}
	indent_lines(&p->src, raw.buf, raw.len, indent);
	strbuf_addf(&name, "%s%s", n->name, l->suffix ? l->suffix : "");
	ret = tmpl_parse(&p->tmpl, p->src.buf, p->src.len, name.buf);
out:
	*out = ret ? NULL : p->tmpl;
	strbuf_release(&raw);
	strbuf_release(&name);
	return ret;
}

static int render_nodes(struct render *r, const struct tmpl *t, const struct node *parent);

static int enter(struct render *r, const struct tmpl *t, const struct node *n)
{
	if (r->depth >= MUSTACHE_MAX_NESTING)
		return tmpl_error(t->name, n->line, "sections and partials nested more "
				  "than %d deep", MUSTACHE_MAX_NESTING);
	r->depth++;
	return 0;
}

static int render_section(struct render *r, const struct tmpl *t, const struct node *n)
{
	const cJSON *v = lookup(r, n), *el;
	int ret = 0;

	if (n->type == NODE_INVERTED ? truthy(v) : !truthy(v))
		return 0;
	if ((ret = enter(r, t, n)))
		return ret;
	if (n->type == NODE_INVERTED) {
		ret = render_nodes(r, t, n);
	} else if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(el, v) {
			push(r, el);
			ret = render_nodes(r, t, n);
			r->stack_nr--;
			if (ret)
				break;
		}
	} else {
		push(r, v);
		ret = render_nodes(r, t, n);
		r->stack_nr--;
	}
	r->depth--;
	return ret;
}

static int render_partial(struct render *r, const struct tmpl *t, const struct node *n)
{
	struct tmpl *pt;
	int ret;

	if (r->partial_depth >= MUSTACHE_MAX_PARTIAL_DEPTH)
		return tmpl_error(t->name, n->line, "partials nested more than %d deep "
				  "(does partial '%s' include itself?)",
				  MUSTACHE_MAX_PARTIAL_DEPTH, n->name);
	if ((ret = load_partial(r, t, n, &pt)) || !pt)
		return ret;
	if ((ret = enter(r, t, n)))
		return ret;
	r->partial_depth++;
	ret = render_nodes(r, pt, &pt->root);
	r->partial_depth--;
	r->depth--;
	return ret;
}

static int render_nodes(struct render *r, const struct tmpl *t, const struct node *parent)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < parent->kids_nr && !ret; i++) {
		const struct node *n = parent->kids[i];

		if (++r->steps > MUSTACHE_MAX_STEPS) {
			ret = tmpl_error(t->name, n->line, "more than %u tags and texts "
					 "rendered (sections or partials repeating without end?)",
					 MUSTACHE_MAX_STEPS);
			break;
		}
		switch (n->type) {
		case NODE_TEXT:
			strbuf_add(r->out, n->text, n->len);
			break;
		case NODE_VAR:
			interpolate(r, lookup(r, n), r->esc, 0);
			break;
		case NODE_RAW:
			interpolate(r, lookup(r, n), MUSTACHE_ESCAPE_NONE, 0);
			break;
		case NODE_CODE:
			interpolate(r, lookup(r, n), r->esc, 1);
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			ret = render_section(r, t, n);
			break;
		case NODE_PARTIAL:
			ret = render_partial(r, t, n);
			break;
		}
		if (!ret && r->out->len - r->out_start > MUSTACHE_MAX_OUTPUT)
			ret = tmpl_error(t->name, n->line, "output larger than %u bytes",
					 MUSTACHE_MAX_OUTPUT);
	}
	return ret;
}

static int render_tmpl(struct strbuf *out, const struct tmpl *t, const cJSON *data,
		       enum mustache_escape esc, const struct mustache_loader *loader)
{
	struct render r;
	size_t i;
	int ret;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.out_start = out->len;
	/* a block starts with this output; a line may have begun before it */
	r.scan.pos = r.scan.line = out->len;
	while (r.scan.line > 0 && out->buf[r.scan.line - 1] != '\n')
		r.scan.line--;
	r.esc = esc;
	r.loader = loader;
	if (data)
		push(&r, data);
	ret = render_nodes(&r, t, &t->root);
	if (ret)
		strbuf_setlen(out, r.out_start);
	for (i = 0; i < r.partials_nr; i++)
		partial_free(r.partials[i]);
	free(r.partials);
	free(r.stack);
	return ret;
}

int mustache_render(struct strbuf *out, const char *tmpl, size_t len, const char *tmpl_name,
		    const cJSON *data, enum mustache_escape esc,
		    const struct mustache_loader *partials)
{
	struct tmpl *t;
	int ret;

	ret = tmpl_parse(&t, tmpl, len, tmpl_name ? tmpl_name : "(inline)");
	if (!ret)
		ret = render_tmpl(out, t, data, esc, partials);
	tmpl_free(t);
	return ret;
}

int mustache_render_name(struct strbuf *out, const char *name, const cJSON *data,
			 enum mustache_escape esc, const struct mustache_loader *loader)
{
	struct strbuf src = STRBUF_INIT, display = STRBUF_INIT;
	int ret;

	strbuf_addf(&display, "%s%s", name, loader->suffix ? loader->suffix : "");
	if (!valid_partial_name(name, strlen(name))) {
		ret = error_set(ER_ETEMPLATE, "bad template name '%s'", name);
		goto out;
	}
	ret = loader->load(loader->data, name, &src);
	if (ret == MUSTACHE_NOT_FOUND)
		ret = error_set(ER_ETEMPLATE, "template %s not found", display.buf);
	if (ret)
		goto out;
	ret = mustache_render(out, src.buf, src.len, display.buf, data, esc, loader);
out:
	strbuf_release(&src);
	strbuf_release(&display);
	return ret;
}

int mustache_check(const char *tmpl, size_t len, const char *tmpl_name)
{
	struct tmpl *t;
	int ret = tmpl_parse(&t, tmpl, len, tmpl_name ? tmpl_name : "(inline)");

	tmpl_free(t);
	return ret;
}

/* ---- the directory loader ---- */

int mustache_load_dir(void *dir, const char *name, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	long n;
	int ret = 0;

	if (!valid_partial_name(name, strlen(name)))
		return error_set(ER_ETEMPLATE, "bad template name '%s'", name);
	strbuf_addf(&path, "%s/%s.mustache", (const char *)dir, name);
	n = strbuf_read_file(out, path.buf, MUSTACHE_MAX_TEMPLATE);
	if (n < 0 && errno == ENOENT)
		ret = MUSTACHE_NOT_FOUND;
	else if (n < 0)
		ret = error_set(ER_ETEMPLATE, "cannot read template %s: %s", path.buf,
				strerror(errno));
	else if ((size_t)n > MUSTACHE_MAX_TEMPLATE)
		ret = error_set(ER_ETEMPLATE, "template %s is larger than %u bytes",
				path.buf, MUSTACHE_MAX_TEMPLATE);
	strbuf_release(&path);
	return ret;
}

/* ---- cutting ---- */

/*
 * The fence that is still open at the end of `s` (its character and
 * length in *fc / *flen), or *flen = 0.
 */
static void open_fence(const char *s, size_t len, char *fc, size_t *flen)
{
	size_t i = 0;

	*flen = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t eol = nl ? (size_t)(nl - s) : len, j = i, run;
		char c;

		while (j < eol && j - i < 3 && s[j] == ' ')
			j++;
		c = j < eol ? s[j] : 0;
		for (run = 0; j < eol && s[j] == c && (c == '`' || c == '~'); j++)
			run++;
		if (run >= 3) {
			if (!*flen) {
				*fc = c;
				*flen = run;
			} else if (c == *fc && run >= *flen) {
				while (j < eol && is_space(s[j]))
					j++;
				if (j == eol)
					*flen = 0;
			}
		}
		i = eol + 1;
	}
}

int mustache_cut(struct strbuf *sb, size_t max_bytes, const char *note)
{
	struct strbuf tail = STRBUF_INIT;
	size_t keep, nlen = strlen(note);

	if (sb->len <= max_bytes)
		return 0;
	/* the last line end that fits */
	for (keep = max_bytes; keep > 0 && sb->buf[keep - 1] != '\n'; keep--)
		;
	for (;;) {
		char fc = 0;
		size_t flen;

		strbuf_reset(&tail);
		open_fence(sb->buf, keep, &fc, &flen);
		if (keep && flen) {
			strbuf_addchars(&tail, fc, flen);
			strbuf_addch(&tail, '\n');
		}
		if (keep && nlen)
			strbuf_addch(&tail, '\n');
		strbuf_add(&tail, note, nlen);
		if (!keep || keep + tail.len <= max_bytes)
			break;
		for (keep--; keep > 0 && sb->buf[keep - 1] != '\n'; keep--)
			;
	}
	strbuf_setlen(sb, keep);
	if (tail.len > max_bytes) {
		keep = max_bytes;
		while (keep > 0 && ((unsigned char)tail.buf[keep] & 0xC0) == 0x80)
			keep--;
		strbuf_setlen(&tail, keep);
	}
	strbuf_addbuf(sb, &tail);
	strbuf_release(&tail);
	return 1;
}
