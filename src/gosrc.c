/*
 * gosrc.c: the light Go source scan of gosrc.h.  A single pass keeps a
 * stack of open braces; `func` either opens a declaration (at top level)
 * or, when a body follows its signature, a function literal.
 */
#include "gosrc.h"
#include "finding.h"
#include "strbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct scan {
	const char *s;
	size_t len, i;
	int line, col;
};

struct frame {
	int depth;          /* brace depth of the body's '{' */
	size_t fn;          /* index in out->items, or (size_t)-1 for a plain block */
	int counter;        /* closures numbered inside this function */
	int lit;            /* the function is a literal */
};

static int is_ident(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static void advance(struct scan *sc)
{
	if (sc->i >= sc->len)
		return;
	if (sc->s[sc->i] == '\n') {
		sc->line++;
		sc->col = 1;
	} else {
		sc->col++;
	}
	sc->i++;
}

/* Skip a comment, string or rune starting at i; returns 1 if one was skipped. */
static int skip_literal(struct scan *sc)
{
	const char *s = sc->s;
	char q;

	if (sc->i + 1 < sc->len && s[sc->i] == '/' && s[sc->i + 1] == '/') {
		while (sc->i < sc->len && s[sc->i] != '\n')
			advance(sc);
		return 1;
	}
	if (sc->i + 1 < sc->len && s[sc->i] == '/' && s[sc->i + 1] == '*') {
		advance(sc);
		advance(sc);
		while (sc->i < sc->len && !(s[sc->i] == '*' && sc->i + 1 < sc->len && s[sc->i + 1] == '/'))
			advance(sc);
		advance(sc);
		advance(sc);
		return 1;
	}
	q = s[sc->i];
	if (q == '"' || q == '\'' || q == '`') {
		advance(sc);
		while (sc->i < sc->len && s[sc->i] != q) {
			if (q != '`' && s[sc->i] == '\n')
				break; /* unterminated: stop at the line end */
			if (q != '`' && s[sc->i] == '\\')
				advance(sc);
			advance(sc);
		}
		advance(sc);
		return 1;
	}
	return 0;
}

/* Skip spaces and comments; stops at a newline unless `newlines`. */
static void skip_space(struct scan *sc, int newlines)
{
	while (sc->i < sc->len) {
		char c = sc->s[sc->i];

		if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
			advance(sc);
		} else if (c == '/' && sc->i + 1 < sc->len &&
			   (sc->s[sc->i + 1] == '/' || sc->s[sc->i + 1] == '*')) {
			if (sc->s[sc->i + 1] == '/' && !newlines)
				return;
			skip_literal(sc);
		} else {
			return;
		}
	}
}

/* At an opening bracket: skip to after its match. */
static void skip_group(struct scan *sc)
{
	int depth = 0;

	while (sc->i < sc->len) {
		char c = sc->s[sc->i];

		if (skip_literal(sc))
			continue;
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}')
			depth--;
		advance(sc);
		if (!depth)
			return;
	}
}

static int next_word(struct scan *sc, const char *w)
{
	size_t n = strlen(w);

	return sc->i + n <= sc->len && !memcmp(sc->s + sc->i, w, n) &&
	       (sc->i + n == sc->len || !is_ident((unsigned char)sc->s[sc->i + n]));
}

/*
 * After a signature's parameter list: skip the result type and report
 * whether a body '{' follows (sc is then at the '{').
 */
static int skip_result_to_body(struct scan *sc)
{
	for (;;) {
		char c;

		skip_space(sc, 0);
		if (sc->i >= sc->len)
			return 0;
		c = sc->s[sc->i];
		if (c == '{')
			return 1;
		if (c == '(' || c == '[') {
			skip_group(sc);
			continue;
		}
		if (next_word(sc, "struct") || next_word(sc, "interface")) {
			while (sc->i < sc->len && is_ident((unsigned char)sc->s[sc->i]))
				advance(sc);
			skip_space(sc, 0);
			if (sc->i < sc->len && sc->s[sc->i] == '{')
				skip_group(sc);
			continue;
		}
		if (next_word(sc, "func")) {
			/* a func-typed result: func(...) T */
			advance(sc); advance(sc); advance(sc); advance(sc);
			skip_space(sc, 0);
			if (sc->i < sc->len && sc->s[sc->i] == '(')
				skip_group(sc);
			continue;
		}
		if (is_ident((unsigned char)c) || c == '*' || c == '.' || c == '<' || c == '-') {
			advance(sc);
			continue;
		}
		return 0; /* newline, ',', ')', '=', ';', ... : a func type */
	}
}

static size_t add_func(struct gofuncs *out, char *name, int line, int col)
{
	ALLOC_GROW(out->items, out->nr + 1, out->alloc);
	out->items[out->nr].name = name;
	out->items[out->nr].start_line = line;
	out->items[out->nr].start_col = col;
	out->items[out->nr].end_line = 0x7fffffff;
	out->items[out->nr].end_col = 0;
	return out->nr++;
}

/* Receiver "(t *T[K])" -> "(*T)" or "T". */
static void receiver_name(struct strbuf *out, const char *r, size_t n)
{
	size_t i = 1, end = n ? n - 1 : 0, start;
	int ptr = 0;

	/* skip the receiver's variable name if there is a type after it */
	while (i < end && (r[i] == ' ' || r[i] == '\t'))
		i++;
	start = i;
	while (i < end && is_ident((unsigned char)r[i]))
		i++;
	while (i < end && (r[i] == ' ' || r[i] == '\t'))
		i++;
	if (i >= end || r[i] == '[')
		i = start; /* only a type */
	if (i < end && r[i] == '*') {
		ptr = 1;
		i++;
		while (i < end && r[i] == ' ')
			i++;
	}
	start = i;
	while (i < end && (is_ident((unsigned char)r[i]) || r[i] == '.'))
		i++;
	if (ptr)
		strbuf_addstr(out, "(*");
	strbuf_add(out, r + start, i - start);
	if (ptr)
		strbuf_addch(out, ')');
}

struct scanner {
	struct scan sc;
	struct gofuncs *out;
	struct frame *stack;
	size_t nr, alloc;
	int depth, glob_counter;
};

static void push_frame(struct scanner *st, size_t fn, int lit)
{
	ALLOC_GROW(st->stack, st->nr + 1, st->alloc);
	st->stack[st->nr].depth = ++st->depth;
	st->stack[st->nr].fn = fn;
	st->stack[st->nr].counter = 0;
	st->stack[st->nr].lit = lit;
	st->nr++;
}

/* After the name of a declaration: skip type parameters and the signature;
 * at a body, record the function (taking `name`) and enter the body. */
static void finish_decl(struct scanner *st, struct strbuf *name, int line, int col)
{
	struct scan *sc = &st->sc;

	skip_space(sc, 0);
	if (sc->i < sc->len && sc->s[sc->i] == '[') {
		skip_group(sc);
		skip_space(sc, 0);
	}
	if (sc->i < sc->len && sc->s[sc->i] == '(')
		skip_group(sc);
	if (skip_result_to_body(sc)) {
		push_frame(st, add_func(st->out, strbuf_detach(name, NULL), line, col), 0);
		advance(sc);
	}
	strbuf_release(name);
}

/* At a function literal's '(': if a body follows, record and enter it. */
static void finish_literal(struct scanner *st, const struct frame *owner, int line, int col)
{
	struct scan *sc = &st->sc;
	struct strbuf name = STRBUF_INIT;

	skip_group(sc);
	if (!skip_result_to_body(sc))
		return;
	if (owner) {
		const char *on = st->out->items[owner->fn].name;
		int n = ++((struct frame *)owner)->counter;

		/* F.func1, and closures of closures F.func1.1 */
		strbuf_addf(&name, owner->lit ? "%s.%d" : "%s.func%d", on, n);
	} else {
		strbuf_addf(&name, "glob..func%d", ++st->glob_counter);
	}
	push_frame(st, add_func(st->out, strbuf_detach(&name, NULL), line, col + 4), 1);
	advance(sc);
}

/* At the `func` keyword. */
static void scan_func(struct scanner *st)
{
	struct scan *sc = &st->sc;
	const char *src = sc->s;
	int line = sc->line, col = sc->col;
	struct frame *owner = NULL;
	struct strbuf name = STRBUF_INIT;
	size_t k;

	advance(sc); advance(sc); advance(sc); advance(sc);
	skip_space(sc, 0);
	for (k = st->nr; k-- > 0;)
		if (st->stack[k].fn != (size_t)-1) {
			owner = &st->stack[k];
			break;
		}
	if (owner || st->depth != 0) {
		if (sc->i < sc->len && src[sc->i] == '(')
			finish_literal(st, owner, line, col);
		return;
	}
	if (sc->i < sc->len && src[sc->i] != '(') {
		/* func Name[...](...) */
		size_t ns = sc->i;

		while (sc->i < sc->len && is_ident((unsigned char)src[sc->i]))
			advance(sc);
		strbuf_add(&name, src + ns, sc->i - ns);
		finish_decl(st, &name, line, col);
		return;
	}
	if (sc->i < sc->len) {
		/* func (recv) Name(...), or a literal in a package-level expression */
		size_t rs = sc->i;
		struct scan save = *sc;

		skip_group(sc);
		k = sc->i;
		skip_space(sc, 0);
		if (sc->i < sc->len && is_ident((unsigned char)src[sc->i])) {
			size_t ns = sc->i, ne;

			while (sc->i < sc->len && is_ident((unsigned char)src[sc->i]))
				advance(sc);
			ne = sc->i;
			skip_space(sc, 0);
			/* a method's name is followed by its parameters; in
			 * `var v = func() T {` the word is a result type */
			if (sc->i < sc->len && src[sc->i] == '(') {
				receiver_name(&name, src + rs, k - rs);
				strbuf_addch(&name, '.');
				strbuf_add(&name, src + ns, ne - ns);
				finish_decl(st, &name, line, col);
				return;
			}
		}
		*sc = save;
		finish_literal(st, NULL, line, col);
	}
}

void gofuncs_scan(struct gofuncs *out, const char *src, size_t len)
{
	struct scanner st = { { src, len, 0, 1, 1 }, out, NULL, 0, 0, 0, 0 };
	struct scan *sc = &st.sc;

	while (sc->i < sc->len) {
		char c = src[sc->i];

		if (skip_literal(sc))
			continue;
		if (c == '{') {
			push_frame(&st, (size_t)-1, 0);
			advance(sc);
		} else if (c == '}') {
			if (st.nr) {
				st.nr--;
				if (st.stack[st.nr].fn != (size_t)-1) {
					out->items[st.stack[st.nr].fn].end_line = sc->line;
					out->items[st.stack[st.nr].fn].end_col = sc->col;
				}
			}
			if (st.depth)
				st.depth--;
			advance(sc);
		} else if (is_ident((unsigned char)c)) {
			if ((sc->i == 0 || !is_ident((unsigned char)src[sc->i - 1])) &&
			    next_word(sc, "func")) {
				scan_func(&st);
				continue;
			}
			while (sc->i < sc->len && is_ident((unsigned char)src[sc->i]))
				advance(sc);
		} else {
			advance(sc);
		}
	}
	free(st.stack);
}

void gofuncs_release(struct gofuncs *fns)
{
	size_t i;

	for (i = 0; i < fns->nr; i++)
		free(fns->items[i].name);
	free(fns->items);
	fns->items = NULL;
	fns->nr = fns->alloc = 0;
}

static int pos_le(int l1, int c1, int l2, int c2)
{
	return l1 < l2 || (l1 == l2 && c1 <= c2);
}

const char *gofuncs_at(const struct gofuncs *fns, int line, int col)
{
	const struct gofunc *best = NULL;
	size_t i;

	for (i = 0; i < fns->nr; i++) {
		const struct gofunc *f = &fns->items[i];

		if (pos_le(f->start_line, f->start_col, line, col ? col : 1) &&
		    pos_le(line, col, f->end_line, f->end_col)) {
			if (!best || pos_le(best->start_line, best->start_col, f->start_line,
					    f->start_col))
				best = f;
		}
	}
	return best ? best->name : NULL;
}

int gosrc_is_generated(const char *src, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *l = src + i, *nl = memchr(l, '\n', len - i);
		size_t n = nl ? (size_t)(nl - l) : len - i;

		if (n >= 7 && !memcmp(l, "package", 7) && (n == 7 || l[7] == ' ' || l[7] == '\t'))
			return 0;
		if (n && l[n - 1] == '\r')
			n--;
		/* ^// Code generated .* DO NOT EDIT\.$ */
		if (n >= 18 + 13 && !memcmp(l, "// Code generated ", 18) &&
		    !memcmp(l + n - 13, " DO NOT EDIT.", 13))
			return 1;
		i += (nl ? (size_t)(nl - l) : len - i) + 1;
	}
	return 0;
}

#define MAX_SOURCE (16u << 20)

/* Offsets of the starts of every line of `src` (one pass per file). */
struct line_index {
	size_t *start;
	size_t nr, alloc;
};

static void line_index_build(struct line_index *li, const char *src, size_t len)
{
	size_t i;

	li->nr = 0;
	ALLOC_GROW(li->start, 1, li->alloc);
	li->start[li->nr++] = 0;
	for (i = 0; i < len; i++)
		if (src[i] == '\n' && i + 1 < len) {
			ALLOC_GROW(li->start, li->nr + 1, li->alloc);
			li->start[li->nr++] = i + 1;
		}
}

static char *line_text(const struct line_index *li, const char *src, size_t len, int line)
{
	size_t i, n;
	const char *nl;

	if (line < 1 || (size_t)line > li->nr || !len)
		return NULL;
	i = li->start[line - 1];
	nl = memchr(src + i, '\n', len - i);
	n = nl ? (size_t)(nl - (src + i)) : len - i;
	if (n && src[i + n - 1] == '\r')
		n--;
	return xstrndup(src + i, n);
}

void gosrc_locate(struct finding_list *list, const char *root)
{
	struct finding_list sorted = *list;
	struct finding **order;
	struct strbuf src = STRBUF_INIT;
	struct gofuncs fns = GOFUNCS_INIT;
	struct line_index li = { NULL, 0, 0 };
	const char *cur = NULL;
	int ok = 0;
	size_t i;

	/* visit the findings grouped by file, without reordering the list */
	if (!list->nr)
		return;
	order = xmalloc(list->nr * sizeof(*order));
	memcpy(order, list->items, list->nr * sizeof(*order));
	sorted.items = order;
	finding_list_sort(&sorted);
	for (i = 0; i < list->nr; i++) {
		struct finding *f = order[i];

		if (!f->file)
			continue;
		if (!cur || strcmp(cur, f->file)) {
			char *path = f->file[0] == '/' ? xstrdup(f->file) : path_join(root, f->file);

			strbuf_reset(&src);
			gofuncs_release(&fns);
			ok = strbuf_read_file(&src, path, MAX_SOURCE) >= 0 && src.len <= MAX_SOURCE;
			if (ok) {
				gofuncs_scan(&fns, src.buf, src.len);
				line_index_build(&li, src.buf, src.len);
			}
			free(path);
			cur = f->file;
		}
		if (!ok)
			continue;
		if (!f->function) {
			const char *fn = gofuncs_at(&fns, f->line, f->column);

			f->function = xstrdup_or_null(fn);
		}
		if (!f->source)
			f->source = line_text(&li, src.buf, src.len, f->line);
		if (!f->source_above && f->line > 1)
			f->source_above = line_text(&li, src.buf, src.len, f->line - 1);
	}
	free(order);
	free(li.start);
	gofuncs_release(&fns);
	strbuf_release(&src);
}
