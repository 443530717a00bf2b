/*
 * gosrc.c: the Go lexer, the structure scan (functions, loops, package-level
 * var specs and type declarations: a token loop over a stack of open
 * brackets) and the locate stage of gosrc.h, which sweeps a file's findings
 * in position order against its scopes, sorted by start.
 */
#include "compat.h"
#include "gosrc.h"
#include "errors.h"
#include "finding.h"
#include "rec.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The lexer                                                            */
/* ------------------------------------------------------------------ */

static int is_letter(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

void golex_init(struct golex *lx, const char *s, size_t len, enum golex_state start)
{
	lx->s = s;
	lx->len = len;
	lx->i = 0;
	lx->line = 1;
	lx->col = 1;
	lx->state = start;
	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
		/* a byte order mark, which Go ignores at the start of a file
		 * (it lexed as an identifier: "\ufeffpackage") */
		lx->i = 3;
		lx->col = 4;
	}
}

/* Move to byte `to` (not before i) of a stretch without newlines. */
static void skip_to(struct golex *lx, size_t to)
{
	lx->col += (int)(to - lx->i);
	lx->i = to;
}

/* Move to byte `to` over text that may hold newlines. */
static void skip_lines_to(struct golex *lx, size_t to)
{
	const char *p = lx->s + lx->i, *end = lx->s + to, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		lx->line++;
		lx->col = 1;
		p = nl + 1;
	}
	lx->col += (int)(end - p);
	lx->i = to;
}

/* After a raw string's opening backtick (or at the start, inside one). */
static void rest_of_raw(struct golex *lx, struct gotoken *t)
{
	const char *q = memchr(lx->s + lx->i, '`', lx->len - lx->i);

	if (q) {
		skip_lines_to(lx, (size_t)(q - lx->s) + 1);
	} else {
		skip_lines_to(lx, lx->len);
		t->open = 1;
	}
}

/* After a block comment's opening (or at the start, inside one). */
static void rest_of_block(struct golex *lx, struct gotoken *t)
{
	size_t i = lx->i;
	const char *q;

	while ((q = memchr(lx->s + i, '*', lx->len - i)) && (size_t)(q - lx->s) + 1 < lx->len &&
	       q[1] != '/')
		i = (size_t)(q - lx->s) + 1;
	if (q && (size_t)(q - lx->s) + 1 < lx->len) {
		skip_lines_to(lx, (size_t)(q - lx->s) + 2);
	} else {
		skip_lines_to(lx, lx->len);
		t->open = 1;
	}
}

/* An interpreted string or rune: ends at its quote or before the line's end. */
static void rest_of_quoted(struct golex *lx, struct gotoken *t, char q)
{
	const char *s = lx->s;
	size_t i = lx->i;

	while (i < lx->len && s[i] != q && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < lx->len && s[i + 1] != '\n')
			i++;
		i++;
	}
	if (i < lx->len && s[i] == q)
		i++;
	else
		t->open = 1;
	skip_to(lx, i);
}

static void rest_of_number(struct golex *lx)
{
	const char *s = lx->s;
	size_t i = lx->i;
	int hex = i + 1 < lx->len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');

	while (i < lx->len) {
		unsigned char c = (unsigned char)s[i];

		if ((c == '+' || c == '-') && i > 0) {
			char e = s[i - 1];

			if (hex ? (e != 'p' && e != 'P') : (e != 'e' && e != 'E'))
				break;
		} else if (!is_letter(c) && !is_digit(c) && c != '.') {
			break;
		}
		i++;
	}
	skip_to(lx, i);
}

/* Length of the operator at s (n bytes left), longest match; 0: none. */
static size_t op_len(const char *s, size_t n)
{
	char c = s[0], d = n >= 2 ? s[1] : 0, e = n >= 3 ? s[2] : 0;

	switch (c) {
	case '<':
		if (d == '<')
			return e == '=' ? 3 : 2;
		return d == '=' || d == '-' ? 2 : 1;
	case '>':
		if (d == '>')
			return e == '=' ? 3 : 2;
		return d == '=' ? 2 : 1;
	case '&':
		if (d == '^')
			return e == '=' ? 3 : 2;
		return d == '&' || d == '=' ? 2 : 1;
	case '.':
		return d == '.' && e == '.' ? 3 : 1;
	case '|':
		return d == '|' || d == '=' ? 2 : 1;
	case '+':
		return d == '+' || d == '=' ? 2 : 1;
	case '-':
		return d == '-' || d == '=' ? 2 : 1;
	case '=': case '!': case '*': case '/': case '%': case '^': case ':':
		return d == '=' ? 2 : 1;
	case '(': case ')': case '[': case ']': case '{': case '}': case ',': case ';': case '~':
		return 1;
	default:
		return 0;
	}
}

enum gotok golex_next(struct golex *lx, struct gotoken *t)
{
	const char *s = lx->s;
	size_t n, i;

	t->open = 0;
	if (lx->state != GOLEX_CODE) {
		t->off = lx->i;
		t->line = lx->line;
		t->col = lx->col;
		if (lx->state == GOLEX_IN_RAW) {
			t->kind = GOTOK_RAW;
			rest_of_raw(lx, t);
		} else {
			t->kind = GOTOK_BLOCK;
			rest_of_block(lx, t);
		}
		lx->state = GOLEX_CODE;
		t->len = lx->i - t->off;
		return t->kind;
	}
	for (i = lx->i; i < lx->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
					 s[i] == '\f' || s[i] == '\v'); i++)
		;
	skip_to(lx, i);
	t->off = i;
	t->line = lx->line;
	t->col = lx->col;
	t->len = 0;
	if (i >= lx->len)
		return t->kind = GOTOK_EOF;
	n = lx->len - i;
	if (s[i] == '\n') {
		t->kind = GOTOK_NEWLINE;
		lx->i++;
		lx->line++;
		lx->col = 1;
	} else if (n >= 2 && s[i] == '/' && s[i + 1] == '/') {
		const char *nl = memchr(s + i, '\n', n);

		t->kind = GOTOK_COMMENT;
		skip_to(lx, nl ? (size_t)(nl - s) : lx->len);
	} else if (n >= 2 && s[i] == '/' && s[i + 1] == '*') {
		t->kind = GOTOK_BLOCK;
		skip_to(lx, i + 2);
		rest_of_block(lx, t);
	} else if (s[i] == '"' || s[i] == '\'') {
		t->kind = s[i] == '"' ? GOTOK_STRING : GOTOK_RUNE;
		skip_to(lx, i + 1);
		rest_of_quoted(lx, t, s[i]);
	} else if (s[i] == '`') {
		t->kind = GOTOK_RAW;
		skip_to(lx, i + 1);
		rest_of_raw(lx, t);
	} else if (is_letter((unsigned char)s[i])) {
		size_t e = i + 1;

		while (e < lx->len && (is_letter((unsigned char)s[e]) || is_digit((unsigned char)s[e])))
			e++;
		t->kind = GOTOK_IDENT;
		skip_to(lx, e);
	} else if (is_digit((unsigned char)s[i]) ||
		   (n >= 2 && s[i] == '.' && is_digit((unsigned char)s[i + 1]))) {
		t->kind = GOTOK_NUMBER;
		rest_of_number(lx);
	} else {
		size_t k = op_len(s + i, n);

		t->kind = k ? GOTOK_OP : GOTOK_OTHER;
		skip_to(lx, i + (k ? k : 1));
	}
	t->len = lx->i - t->off;
	return t->kind;
}

int gotok_is(const struct golex *lx, const struct gotoken *t, const char *w)
{
	if ((t->kind != GOTOK_IDENT && t->kind != GOTOK_OP) || !t->len || lx->s[t->off] != w[0])
		return 0;
	return t->len == strlen(w) && !memcmp(lx->s + t->off, w, t->len);
}

long gosrc_line_comment(const char *line, size_t len, enum golex_state start, int *alone)
{
	struct golex lx;
	struct gotoken t;
	int first = 1;

	golex_init(&lx, line, len, start);
	while (golex_next(&lx, &t) != GOTOK_EOF && t.kind != GOTOK_NEWLINE) {
		if (t.kind == GOTOK_COMMENT) {
			if (alone)
				*alone = first && start == GOLEX_CODE;
			return (long)t.off + 2;
		}
		first = 0;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* The structure scan                                                   */
/* ------------------------------------------------------------------ */

struct frame {
	char kind;          /* '(', '[' or '{' */
	long scope;         /* the FUNC or LOOP whose body this is, or -1 */
	int counter;        /* closures numbered inside this function */
	long pending_loop;  /* a `for` whose body is the next body-like '{' here, or -1 */
	/* a '{' where a `for` (of the frame below) waited for its body: the
	 * loop, or -1; whether it was the body is told when it closes */
	long maybe_loop;
	int open_line, open_col; /* where this frame's bracket is */
	unsigned group : 1; /* the '(' of a package-level `var (` or `type (` */
};

struct scanner {
	struct golex lx;
	struct gotoken t;           /* the current token, not yet handled */
	struct goscopes *out;
	struct frame *stack;
	size_t nr, alloc;
	int glob_counter;
	int prev_ends;              /* the last significant token may end a statement */
	unsigned char *states;      /* per line: enum golex_state at its start, or NULL */
	size_t states_nr;
	/* package-level declarations */
	char decl;                  /* 0, 'v' (var) or 't' (type) */
	int decl_group;             /* inside its ( ... ) */
	int spec_open;
	long spec_scope;            /* VAR: the scope of the open spec */
	char *type_name;            /* TYPE: the open spec's name, NULL: not recorded */
	size_t type_off;            /* TYPE: where its expression starts */
};

/* The lexer, marking the lines that start inside a multi-line token. */
static enum gotok lex(struct scanner *st, struct gotoken *t)
{
	golex_next(&st->lx, t);
	if (st->states && (t->kind == GOTOK_RAW || t->kind == GOTOK_BLOCK)) {
		int l;

		/* the lines after its first one start inside it */
		for (l = t->line + 1; l <= st->lx.line && (size_t)l < st->states_nr; l++)
			st->states[l] = t->kind == GOTOK_RAW ? GOLEX_IN_RAW : GOLEX_IN_BLOCK;
	}
	return t->kind;
}

static int ends_statement(const struct scanner *st, const struct gotoken *t)
{
	switch (t->kind) {
	case GOTOK_IDENT: case GOTOK_NUMBER: case GOTOK_STRING: case GOTOK_RUNE: case GOTOK_RAW:
		return 1;
	case GOTOK_OP: {
		const char *o = st->lx.s + t->off;

		if (t->len == 1)
			return *o == ')' || *o == ']' || *o == '}';
		return t->len == 2 && (o[0] == '+' || o[0] == '-') && o[1] == o[0];
	}
	default:
		return 0;
	}
}

/* Move to the next token that is not a comment (newlines are tokens). */
static void advance(struct scanner *st)
{
	if (st->t.kind == GOTOK_NEWLINE)
		st->prev_ends = 0;
	else if (st->t.kind != GOTOK_COMMENT && st->t.kind != GOTOK_BLOCK)
		st->prev_ends = ends_statement(st, &st->t);
	do
		lex(st, &st->t);
	while (st->t.kind == GOTOK_COMMENT || st->t.kind == GOTOK_BLOCK);
}

/* The current token is `w` (inlined: strlen of a literal is a constant). */
static inline int is(const struct scanner *st, const char *w)
{
	const struct gotoken *t = &st->t;

	return (t->kind == GOTOK_IDENT || t->kind == GOTOK_OP) && t->len == strlen(w) &&
	       st->lx.s[t->off] == w[0] && !memcmp(st->lx.s + t->off, w, t->len);
}

/* The current token's byte when it is a one-byte operator, else 0. */
static inline char op(const struct scanner *st)
{
	return st->t.kind == GOTOK_OP && st->t.len == 1 ? st->lx.s[st->t.off] : 0;
}

static int is_open(const struct scanner *st)
{
	char c = op(st);

	return c == '(' || c == '[' || c == '{';
}

static int is_close(const struct scanner *st)
{
	char c = op(st);

	return c == ')' || c == ']' || c == '}';
}

/* At an opening bracket: move past its match (or to the end). */
static void skip_group(struct scanner *st)
{
	int depth = 0;

	while (st->t.kind != GOTOK_EOF) {
		if (is_open(st))
			depth++;
		else if (is_close(st))
			depth--;
		advance(st);
		if (depth <= 0)
			return;
	}
}

static void skip_newlines(struct scanner *st)
{
	while (st->t.kind == GOTOK_NEWLINE)
		advance(st);
}

/*
 * After a signature's parameters: skip the result type; returns 1 at a
 * body's '{', 0 anywhere else (a func type: newline, ',', ')', '=', ...).
 */
static int skip_result_to_body(struct scanner *st)
{
	for (;;) {
		if (is(st, "{"))
			return 1;
		if (is(st, "(") || is(st, "[")) {
			skip_group(st);
		} else if (is(st, "struct") || is(st, "interface")) {
			advance(st);
			if (is(st, "{"))
				skip_group(st);
		} else if (is(st, "func")) {
			advance(st);
			if (is(st, "("))
				skip_group(st);
		} else if (st->t.kind == GOTOK_IDENT || is(st, "*") || is(st, ".") || is(st, "<-")) {
			advance(st);
		} else {
			return 0;
		}
	}
}

static long add_scope(struct scanner *st, enum goscope_kind kind, char *name, int line, int col)
{
	struct goscopes *out = st->out;

	ALLOC_GROW(out->items, out->nr + 1, out->alloc);
	out->items[out->nr] = (struct goscope){ .kind = kind, .name = name, .start_line = line,
						.start_col = col, .end_line = INT_MAX };
	return (long)out->nr++;
}

static void push(struct scanner *st, char kind, long scope)
{
	struct frame *f;

	ALLOC_GROW(st->stack, st->nr + 1, st->alloc);
	f = &st->stack[st->nr++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->scope = scope;
	f->pending_loop = -1;
	f->maybe_loop = -1;
	f->open_line = st->t.line;
	f->open_col = st->t.col;
}

/* Enter the body at the current '{' of function scope `fn`. */
static void enter_body(struct scanner *st, long fn)
{
	push(st, '{', fn);
	advance(st);
}

/* The innermost frame that is a function's body, or NULL. */
static struct frame *owner_frame(struct scanner *st)
{
	size_t k;

	for (k = st->nr; k-- > 0;)
		if (st->stack[k].scope >= 0 && st->out->items[st->stack[k].scope].kind == GOSCOPE_FUNC)
			return &st->stack[k];
	return NULL;
}

static void set_end(struct scanner *st, long scope);

/* At a function literal's '(': if a body follows, record and enter it. */
static void finish_literal(struct scanner *st, struct frame *owner, int line)
{
	struct strbuf name = STRBUF_INIT;
	int col = st->t.col;
	long fn;

	skip_group(st);
	if (!skip_result_to_body(st))
		return;
	if (owner) {
		const struct goscope *o = &st->out->items[owner->scope];

		/* F.func1, and closures of closures F.func1.1 */
		strbuf_addf(&name, o->literal ? "%s.%d" : "%s.func%d", o->name, ++owner->counter);
	} else {
		strbuf_addf(&name, "glob..func%d", ++st->glob_counter);
	}
	fn = add_scope(st, GOSCOPE_FUNC, strbuf_detach(&name, NULL), line, col);
	st->out->items[fn].literal = 1;
	enter_body(st, fn);
}

/*
 * After a declaration's name: type parameters, signature, then the body.
 * A declaration without one (assembly, //go:linkname) is a function from
 * `func` to the end of its signature, where its parameters are.
 */
static void finish_decl(struct scanner *st, struct strbuf *name, int line, int col, int init,
			int generic)
{
	long fn;

	if (is(st, "[")) {
		generic = 1;
		skip_group(st);
	}
	if (is(st, "("))
		skip_group(st);
	if (skip_result_to_body(st)) {
		fn = add_scope(st, GOSCOPE_FUNC, strbuf_detach(name, NULL), line, col);
		st->out->items[fn].init = init;
		st->out->items[fn].generic = generic;
		enter_body(st, fn);
	} else {
		fn = add_scope(st, GOSCOPE_FUNC, strbuf_detach(name, NULL), line, col);
		st->out->items[fn].generic = generic;
		set_end(st, fn);
	}
	strbuf_release(name);
}

/* At a receiver's '(': "(t *T[K])" -> "(*T)", "(T)" -> "T"; moves past it.
 * *generic: the type has type parameters ("[K]"). */
static void receiver_name(struct scanner *st, struct strbuf *out, int *generic)
{
	struct gotoken tok[3];
	size_t n = 0, i = 0;
	int depth = 0, ptr = 0;

	*generic = 0;
	while (st->t.kind != GOTOK_EOF) {
		if (depth == 1 && is(st, "["))
			*generic = 1;
		if (is_open(st))
			depth++;
		else if (is_close(st))
			depth--;
		else if (depth == 1 && n < 3 && st->t.kind != GOTOK_NEWLINE)
			tok[n++] = st->t;
		advance(st);
		if (depth <= 0)
			break;
	}
	/* a variable's name is followed by the type */
	if (n >= 2 && tok[0].kind == GOTOK_IDENT &&
	    (tok[1].kind == GOTOK_IDENT || gotok_is(&st->lx, &tok[1], "*")))
		i = 1;
	if (i < n && gotok_is(&st->lx, &tok[i], "*")) {
		ptr = 1;
		i++;
	}
	if (i >= n || tok[i].kind != GOTOK_IDENT)
		return;
	if (ptr)
		strbuf_addstr(out, "(*");
	strbuf_add(out, st->lx.s + tok[i].off, tok[i].len);
	if (ptr)
		strbuf_addch(out, ')');
}

/* At the `func` keyword. */
static void scan_func(struct scanner *st)
{
	int line = st->t.line, col = st->t.col;
	struct frame *owner = owner_frame(st);
	struct strbuf name = STRBUF_INIT;

	advance(st);
	if (owner || st->nr) {
		if (is(st, "("))
			finish_literal(st, owner, line);
		return;
	}
	if (st->t.kind == GOTOK_IDENT) {
		/* func Name[...](...) */
		int init = is(st, "init");

		strbuf_add(&name, st->lx.s + st->t.off, st->t.len);
		advance(st);
		finish_decl(st, &name, line, col, init, 0);
		return;
	}
	if (is(st, "(")) {
		/* func (recv) Name(...), or a literal in a package-level expression */
		struct golex save_lx = st->lx;
		struct gotoken save_t = st->t;
		int save_ends = st->prev_ends, generic;

		receiver_name(st, &name, &generic);
		if (st->t.kind == GOTOK_IDENT) {
			struct gotoken m = st->t;

			advance(st);
			/* a method's name is followed by its parameters; in
			 * `var v = func() T {` the word is a result type */
			if (is(st, "(")) {
				strbuf_addch(&name, '.');
				strbuf_add(&name, st->lx.s + m.off, m.len);
				finish_decl(st, &name, line, col, 0, generic);
				return;
			}
		}
		strbuf_release(&name);
		st->lx = save_lx;
		st->t = save_t;
		st->prev_ends = save_ends;
		finish_literal(st, NULL, line);
	}
}

/*
 * At the '}' of a '{' where a `for` waited for its body: was it the body?
 * A composite literal in the header (`range []int{1, 2} {`) is followed
 * by more of the header; a body by the end of the statement.  One token
 * looked at, then the scanner is back where it was.
 */
static int closes_loop_body(struct scanner *st)
{
	struct golex save_lx = st->lx;
	struct gotoken save_t = st->t;
	int save_ends = st->prev_ends, body;

	advance(st);
	body = st->t.kind == GOTOK_NEWLINE || st->t.kind == GOTOK_EOF || is(st, ";") ||
	       is(st, "}") || is(st, ")");
	st->lx = save_lx;
	st->t = save_t;
	st->prev_ends = save_ends;
	return body;
}

/* The loop `loop` has its body from line:col on. */
static void start_loop(struct scanner *st, long loop, int line, int col)
{
	st->out->items[loop].start_line = line;
	st->out->items[loop].start_col = col;
}

static void set_end(struct scanner *st, long scope)
{
	st->out->items[scope].end_line = st->t.line;
	st->out->items[scope].end_col = st->t.col;
}

/* ---- package-level var and type specs ---- */

static void start_spec(struct scanner *st)
{
	st->spec_open = 1;
	if (st->decl == 'v') {
		/* the names: a, b, c */
		struct golex save_lx = st->lx;
		struct gotoken save_t = st->t;
		int save_ends = st->prev_ends, line = st->t.line, col = st->t.col;
		struct strbuf names = STRBUF_INIT;

		for (;;) {
			strbuf_add(&names, st->lx.s + st->t.off, st->t.len);
			advance(st);
			if (!is(st, ","))
				break;
			advance(st);
			skip_newlines(st);
			if (st->t.kind != GOTOK_IDENT)
				break;
			strbuf_addch(&names, ',');
		}
		st->lx = save_lx;
		st->t = save_t;
		st->prev_ends = save_ends;
		st->spec_scope = add_scope(st, GOSCOPE_VAR, strbuf_detach(&names, NULL), line, col);
	} else {
		/* Name [= ] expr; generic types (Name[K any]) are not recorded */
		struct golex save_lx = st->lx;
		struct gotoken save_t = st->t, name = st->t;
		int save_ends = st->prev_ends, generic = 0;

		advance(st);
		if (is(st, "=")) {
			advance(st);
		} else if (is(st, "[")) {
			advance(st);
			if (st->t.kind == GOTOK_IDENT) {
				advance(st);
				generic = !is(st, "]");
			}
			st->lx = save_lx;
			st->t = save_t;
			advance(st);
		}
		free(st->type_name);
		st->type_name = generic ? NULL : xstrndup(st->lx.s + name.off, name.len);
		st->type_off = st->t.off;
		st->lx = save_lx;
		st->t = save_t;
		st->prev_ends = save_ends;
	}
}

/* The open spec ends at the current token. */
static void end_spec(struct scanner *st)
{
	if (!st->spec_open)
		return;
	st->spec_open = 0;
	if (st->decl == 'v' && st->spec_scope >= 0) {
		if (st->t.kind == GOTOK_EOF)
			st->out->items[st->spec_scope].end_line = INT_MAX;
		else
			set_end(st, st->spec_scope);
		st->spec_scope = -1;
	} else if (st->decl == 't' && st->type_name) {
		struct goscopes *out = st->out;
		size_t end = st->t.off;

		while (end > st->type_off && (st->lx.s[end - 1] == ' ' || st->lx.s[end - 1] == '\t'))
			end--;
		ALLOC_GROW(out->types, out->types_nr + 1, out->types_alloc);
		out->types[out->types_nr].name = st->type_name;
		out->types[out->types_nr].expr =
			xstrndup(st->lx.s + st->type_off, end > st->type_off ? end - st->type_off : 0);
		out->types_nr++;
		st->type_name = NULL;
	}
}

/*
 * The declaration state machine, before the token is handled as usual:
 * `var`/`type` at top level, their specs, and in a var spec the '=' and
 * the commas of the initialiser.
 */
static void track_decl(struct scanner *st)
{
	size_t level = st->decl_group ? 1 : 0;

	if (!st->decl) {
		if (!st->nr && (is(st, "var") || is(st, "type"))) {
			st->decl = is(st, "var") ? 'v' : 't';
			st->decl_group = 0;
			st->spec_open = 0;
			st->spec_scope = -1;
		}
		return;
	}
	if (st->t.kind == GOTOK_EOF) {
		end_spec(st);
		st->decl = 0;
		return;
	}
	if (!st->spec_open && !st->decl_group && is(st, "(") && !st->nr) {
		st->decl_group = 1;
		return; /* the frame is pushed with `group` set by the caller */
	}
	if (st->nr != level)
		return;
	if ((st->t.kind == GOTOK_NEWLINE && st->prev_ends) || is(st, ";")) {
		end_spec(st);
		if (!st->decl_group)
			st->decl = 0;
	} else if (st->decl_group && is(st, ")")) {
		end_spec(st);
		st->decl = 0;
	} else if (!st->spec_open && st->t.kind == GOTOK_IDENT && !is(st, "var") &&
		   !is(st, "type")) {
		start_spec(st);
	} else if (st->spec_open && st->decl == 'v' && st->spec_scope >= 0) {
		struct goscope *v = &st->out->items[st->spec_scope];

		if (is(st, "=") && !v->eq_line) {
			v->eq_line = st->t.line;
			v->eq_col = st->t.col;
		} else if (is(st, ",") && v->eq_line) {
			ALLOC_GROW(v->commas, v->commas_nr + 2, v->commas_alloc);
			v->commas[v->commas_nr++] = st->t.line;
			v->commas[v->commas_nr++] = st->t.col;
		}
	} else if (!st->spec_open && st->t.kind != GOTOK_NEWLINE) {
		/* not a declaration after all (broken text) */
		st->decl = 0;
	}
}

/* Pop frames down to (and including) the innermost one of `kind`. */
static void close_frame(struct scanner *st, char kind)
{
	size_t k;

	for (k = st->nr; k-- > 0;)
		if (st->stack[k].kind == kind)
			break;
	if (k == (size_t)-1) {
		/* unmatched: a '}' closes whatever is open, others are ignored */
		if (kind != '{' || !st->nr)
			return;
		k = 0;
	}
	while (st->nr > k) {
		struct frame *f = &st->stack[--st->nr];

		if (f->maybe_loop >= 0 && st->nr && st->stack[st->nr - 1].pending_loop == f->maybe_loop &&
		    closes_loop_body(st)) {
			/* it was the body: the loop spans it */
			start_loop(st, f->maybe_loop, f->open_line, f->open_col);
			set_end(st, f->maybe_loop);
			st->stack[st->nr - 1].pending_loop = -1;
		}
		if (f->scope >= 0)
			set_end(st, f->scope);
		if (f->group && st->decl) {
			end_spec(st);
			st->decl = 0;
		}
	}
}

static int cmp_scope(const void *a, const void *b)
{
	const struct goscope *x = a, *y = b;

	if (x->start_line != y->start_line)
		return x->start_line < y->start_line ? -1 : 1;
	if (x->start_col != y->start_col)
		return x->start_col < y->start_col ? -1 : 1;
	/* same start: the outer (longer) one first */
	if (x->end_line != y->end_line)
		return x->end_line > y->end_line ? -1 : 1;
	if (x->end_col != y->end_col)
		return x->end_col > y->end_col ? -1 : 1;
	return 0;
}

static void scan(struct goscopes *out, const char *src, size_t len, unsigned char *states,
		 size_t states_nr)
{
	struct scanner st;
	size_t base = out->nr, i, k;

	memset(&st, 0, sizeof(st));
	golex_init(&st.lx, src, len, GOLEX_CODE);
	st.out = out;
	st.states = states;
	st.states_nr = states_nr;
	st.spec_scope = -1;
	st.t.kind = GOTOK_NEWLINE;
	advance(&st);
	while (st.t.kind != GOTOK_EOF) {
		int group_open;

		track_decl(&st);
		group_open = st.decl && st.decl_group && !st.nr && is(&st, "(");
		if (is(&st, "func")) {
			scan_func(&st);
		} else if (is(&st, "for")) {
			if (st.nr && owner_frame(&st)) {
				long loop = add_scope(&st, GOSCOPE_LOOP, NULL, 0, 0);

				st.out->items[loop].for_line = st.t.line;
				st.stack[st.nr - 1].pending_loop = loop;
			}
			advance(&st);
		} else if (is(&st, "{")) {
			struct frame *top = st.nr ? &st.stack[st.nr - 1] : NULL;

			long maybe = top ? top->pending_loop : -1;

			push(&st, '{', -1);
			st.stack[st.nr - 1].maybe_loop = maybe; /* told at its '}' */
			advance(&st);
		} else if (is(&st, "(") || is(&st, "[")) {
			push(&st, st.lx.s[st.t.off], -1);
			st.stack[st.nr - 1].group = group_open;
			advance(&st);
		} else if (is(&st, "}")) {
			close_frame(&st, '{');
			advance(&st);
		} else if (is(&st, ")") || is(&st, "]")) {
			if (st.nr && st.stack[st.nr - 1].kind == (is(&st, ")") ? '(' : '['))
				close_frame(&st, st.stack[st.nr - 1].kind);
			advance(&st);
		} else {
			advance(&st);
		}
	}
	track_decl(&st);
	/* a '{' still open at the end, where a `for` waited, is its body
	 * (what the end of the statement would have told) */
	for (i = 0; i < st.nr; i++) {
		struct frame *f = &st.stack[i];

		if (f->maybe_loop >= 0 && i && st.stack[i - 1].pending_loop == f->maybe_loop) {
			start_loop(&st, f->maybe_loop, f->open_line, f->open_col);
			st.stack[i - 1].pending_loop = -1;
		}
	}
	free(st.type_name);
	free(st.stack);

	/* drop loops whose body never came; order by start */
	for (i = k = base; i < out->nr; i++) {
		if (out->items[i].kind == GOSCOPE_LOOP && !out->items[i].start_line) {
			free(out->items[i].name);
			free(out->items[i].commas);
			continue;
		}
		out->items[k++] = out->items[i];
	}
	out->nr = k;
	if (out->nr - base > 1)
		qsort(out->items + base, out->nr - base, sizeof(*out->items), cmp_scope);
}

void goscopes_scan(struct goscopes *out, const char *src, size_t len)
{
	scan(out, src, len, NULL, 0);
}

void goscopes_release(struct goscopes *sc)
{
	size_t i;

	for (i = 0; i < sc->nr; i++) {
		free(sc->items[i].name);
		free(sc->items[i].commas);
	}
	free(sc->items);
	for (i = 0; i < sc->types_nr; i++) {
		free(sc->types[i].name);
		free(sc->types[i].expr);
	}
	free(sc->types);
	memset(sc, 0, sizeof(*sc));
}

static int pos_le(int l1, int c1, int l2, int c2)
{
	return l1 < l2 || (l1 == l2 && c1 <= c2);
}

const char *goscopes_func_at(const struct goscopes *sc, int line, int col)
{
	const struct goscope *best = NULL;
	size_t i;

	for (i = 0; i < sc->nr; i++) {
		const struct goscope *s = &sc->items[i];

		if (s->kind == GOSCOPE_FUNC &&
		    pos_le(s->start_line, s->start_col, line, col ? col : 1) &&
		    pos_le(line, col, s->end_line, s->end_col))
			best = s; /* sorted by start: a later one is inside */
	}
	return best ? best->name : NULL;
}

/* ------------------------------------------------------------------ */
/* Zero-size types                                                      */
/* ------------------------------------------------------------------ */

void gotokens_lex(struct gotokens *tk, const char *s, size_t len, enum golex_state start)
{
	struct gotoken t;

	tk->nr = 0;
	golex_init(&tk->lx, s, len, start);
	while (golex_next(&tk->lx, &t) != GOTOK_EOF) {
		if (t.kind == GOTOK_COMMENT || t.kind == GOTOK_BLOCK)
			continue;
		ALLOC_GROW(tk->t, tk->nr + 1, tk->alloc);
		tk->t[tk->nr++] = t;
	}
}

void gotokens_release(struct gotokens *tk)
{
	free(tk->t);
	tk->t = NULL;
	tk->nr = tk->alloc = 0;
}

int gotokens_is(const struct gotokens *tk, size_t i, const char *w)
{
	return i < tk->nr && gotok_is(&tk->lx, &tk->t[i], w);
}

int gotokens_open(const struct gotokens *tk, size_t i)
{
	return gotokens_is(tk, i, "(") || gotokens_is(tk, i, "[") || gotokens_is(tk, i, "{");
}

int gotokens_close(const struct gotokens *tk, size_t i)
{
	return gotokens_is(tk, i, ")") || gotokens_is(tk, i, "]") || gotokens_is(tk, i, "}");
}

size_t gotokens_match(const struct gotokens *tk, size_t i, size_t e)
{
	int depth = 0;

	for (; i < e && i < tk->nr; i++) {
		if (gotokens_open(tk, i))
			depth++;
		else if (gotokens_close(tk, i) && --depth == 0)
			return i;
	}
	return e;
}

struct pkgtypes;

struct zctx {
	const struct gotype *types;
	size_t nr;
	int depth;
	int missing;        /* a name was looked up and not found */
	/* instead of types/nr: a package's types, read as far as a lookup needs */
	struct pkgtypes *pkg;
};

static const struct gotype *pkg_type(struct pkgtypes *pt, const char *name, size_t n);

static int zero_text(struct zctx *z, const char *s, size_t len);

static const char *const builtin_types =
	" bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64"
	" rune string uint uint8 uint16 uint32 uint64 uintptr any comparable ";

static int is_builtin_type(const char *s, size_t n)
{
	const char *p = builtin_types;

	while ((p = strstr(p, " ")) && p[1]) {
		const char *e = strchr(p + 1, ' ');

		if ((size_t)(e - p - 1) == n && !memcmp(p + 1, s, n))
			return 1;
		p = e;
	}
	return 0;
}

/* Is a NUMBER token's text zero ("0", "0x00", "0_0")? */
static int number_is_zero(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 2 && s[0] == '0' && strchr("xXoObB", s[1]))
		i = 2;
	for (; i < n; i++)
		if (s[i] != '0' && s[i] != '_')
			return 0;
	return 1;
}

/* [*b, *e) without the newlines around it and the parentheses around all of it. */
static void type_trim(const struct gotokens *tk, size_t *b, size_t *e)
{
	for (;;) {
		while (*b < *e && tk->t[*b].kind == GOTOK_NEWLINE)
			(*b)++;
		while (*e > *b && tk->t[*e - 1].kind == GOTOK_NEWLINE)
			(*e)--;
		if (*b >= *e || !gotokens_is(tk, *b, "(") || gotokens_match(tk, *b, *e) != *e - 1)
			return;
		(*b)++;
		(*e)--;
	}
}

/* The declaration of the type named by token i in `z`'s types (its
 * package's, read as far as needed), or NULL; a name that is no builtin
 * and not found sets z->missing. */
static const struct gotype *zctx_find(struct zctx *z, const struct gotokens *tk, size_t i)
{
	const char *name = tk->lx.s + tk->t[i].off;
	size_t n = tk->t[i].len, k;

	if (z->pkg) {
		const struct gotype *ty = pkg_type(z->pkg, name, n);

		if (ty)
			return ty;
	}
	for (k = 0; !z->pkg && k < z->nr; k++)
		if (strlen(z->types[k].name) == n && !memcmp(z->types[k].name, name, n))
			return &z->types[k];
	if (!is_builtin_type(name, n))
		z->missing = 1;
	return NULL;
}

/*
 * The next field of the struct body [*i, end): to a newline or ';' at its
 * level, its tag left out.  Sets [*fb, *fe) to it (empty for an empty
 * line), *type_at to where its type starts (*fb when it is embedded: T,
 * pkg.T, *T; else after its names, `a, b T`), and *i past it.
 */
static void struct_field_next(const struct gotokens *tk, size_t *i, size_t end, size_t *fb,
			      size_t *type_at, size_t *fe)
{
	size_t k;
	int depth = 0;

	*fb = *i;
	for (k = *i; k < end; k++) {
		if (gotokens_open(tk, k))
			depth++;
		else if (gotokens_close(tk, k))
			depth--;
		else if (!depth && (tk->t[k].kind == GOTOK_NEWLINE || gotokens_is(tk, k, ";")))
			break;
	}
	*i = k + 1;
	if (k > *fb && (tk->t[k - 1].kind == GOTOK_STRING || tk->t[k - 1].kind == GOTOK_RAW))
		k--; /* a tag */
	*fe = k;
	*type_at = *fb;
	if (*fe - *fb > 1 && tk->t[*fb].kind == GOTOK_IDENT && !gotokens_is(tk, *fb + 1, ".")) {
		*type_at = *fb + 1;
		while (gotokens_is(tk, *type_at, ",") && *type_at + 1 < *fe &&
		       tk->t[*type_at + 1].kind == GOTOK_IDENT)
			*type_at += 2;
	}
}

/* Is the type spelled by tokens [b, e) zero-size? */
static int zero_range(struct zctx *z, const struct gotokens *tk, size_t b, size_t e)
{
	type_trim(tk, &b, &e);
	if (b >= e)
		return 0;
	if (gotokens_is(tk, b, "struct") && gotokens_is(tk, b + 1, "{") && gotokens_match(tk, b + 1, e) == e - 1) {
		size_t i = b + 2, end = e - 1, fb, type_at, fe;

		while (i < end) {
			struct_field_next(tk, &i, end, &fb, &type_at, &fe);
			if (fe > fb && !zero_range(z, tk, type_at, fe))
				return 0;
		}
		return 1;
	}
	if (gotokens_is(tk, b, "[")) {
		size_t close = gotokens_match(tk, b, e);

		if (close != b + 2 || tk->t[b + 1].kind != GOTOK_NUMBER)
			return 0; /* a slice, or a length that is not a literal */
		if (number_is_zero(tk->lx.s + tk->t[b + 1].off, tk->t[b + 1].len))
			return 1;
		return zero_range(z, tk, close + 1, e);
	}
	if (e == b + 1 && tk->t[b].kind == GOTOK_IDENT) {
		const struct gotype *ty = zctx_find(z, tk, b);
		int r;

		if (!ty || z->depth >= 8)
			return 0;
		z->depth++;
		r = zero_text(z, ty->expr, strlen(ty->expr));
		z->depth--;
		return r;
	}
	return 0;
}

static int zero_text(struct zctx *z, const char *s, size_t len)
{
	struct gotokens tk = GOTOKENS_INIT;
	int r;

	gotokens_lex(&tk, s, len, GOLEX_CODE);
	r = zero_range(z, &tk, 0, tk.nr);
	gotokens_release(&tk);
	return r;
}

int gosrc_type_is_zero(const char *expr, size_t len, const struct gotype *types, size_t nr)
{
	struct zctx z = { types, nr, 0, 0, NULL };

	return zero_text(&z, expr, len);
}

/* ------------------------------------------------------------------ */
/* Generated files                                                      */
/* ------------------------------------------------------------------ */

int gosrc_is_generated(const char *src, size_t len)
{
	size_t i = len >= 3 && !memcmp(src, "\xef\xbb\xbf", 3) ? 3 : 0; /* a byte order mark */

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

/* The systems and architectures a file name's last elements may name
 * (the go command's known lists, the future ones included). */
static const char *const known_os[] = {
	"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
};
static const char *const known_arch[] = {
	"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
	"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
	"riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
};

static int known_word(const char *const *v, size_t n, const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i]) == len && !memcmp(v[i], w, len))
			return 1;
	return 0;
}

/* A file name's last element after a '_' ("linux" of "x_linux.go", "amd64"
 * of "x_linux_amd64_test.go") into `*elem` and `*n`, when it is a known
 * system or architecture (its '_' is elem[-1]). */
static int name_constrained(const char *path, const char **elem, size_t *n)
{
	const char *base = strrchr(path, '/'), *u = NULL;
	size_t len, i;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 3 && !strcmp(base + len - 3, ".go"))
		len -= 3;
	if (len > 5 && !memcmp(base + len - 5, "_test", 5))
		len -= 5;
	for (i = 0; i < len; i++)
		if (base[i] == '_')
			u = base + i + 1;
	*elem = u;
	*n = u ? (size_t)(base + len - u) : 0;
	return u && (known_word(known_os, ARRAY_SIZE(known_os), u, *n) ||
		     known_word(known_arch, ARRAY_SIZE(known_arch), u, *n));
}

/* The next token that is no comment or newline. */
static enum gotok next_code(struct golex *lx, struct gotoken *t)
{
	enum gotok k;

	while ((k = golex_next(lx, t)) == GOTOK_NEWLINE || k == GOTOK_COMMENT || k == GOTOK_BLOCK)
		;
	return k;
}

/* After the package clause: an import of "C" (cgo, left out when cgo is off). */
static int imports_c(struct golex *lx)
{
	struct gotoken t;
	int group = 0, spec = 0; /* inside import ( ... ); after `import` */

	while (next_code(lx, &t) != GOTOK_EOF) {
		if (t.kind == GOTOK_STRING && (group || spec)) {
			if (t.len == 3 && !memcmp(lx->s + t.off, "\"C\"", 3))
				return 1;
			spec = 0;
		} else if (group) {
			group = !gotok_is(lx, &t, ")");
		} else if (gotok_is(lx, &t, "import")) {
			spec = 1;
		} else if (spec && gotok_is(lx, &t, "(")) {
			group = 1;
			spec = 0;
		} else if (!(spec && (t.kind == GOTOK_IDENT || gotok_is(lx, &t, "."))) &&
			   !gotok_is(lx, &t, ";")) {
			return 0; /* the first declaration: the imports are over */
		}
	}
	return 0;
}

int gosrc_module_path(struct strbuf *out, const char *gomod, size_t len)
{
	const char *p = gomod, *end = gomod + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;

		if (!eol)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(eol - p) > 7 && !memcmp(p, "module", 6) && (p[6] == ' ' || p[6] == '\t')) {
			for (p += 7; p < eol && (*p == ' ' || *p == '\t'); p++)
				;
			if (p < eol && (*p == '"' || *p == '`')) {
				q = memchr(p + 1, *p, (size_t)(eol - p - 1));
				p++;
			} else {
				for (q = p; q < eol && *q != ' ' && *q != '\t' && *q != '\r' &&
					    !(*q == '/' && q + 1 < eol && q[1] == '/'); q++)
					;
			}
			if (q && q > p) {
				strbuf_add(out, p, (size_t)(q - p));
				return 0;
			}
			return -1;
		}
		p = eol + 1;
	}
	return -1;
}

/* A constraint line for a message: its printable bytes, 120 at most, no
 * trailing blanks (a CR). */
static void add_line(struct strbuf *why, const char *c, size_t len)
{
	char *line;

	while (len && (c[len - 1] == '\r' || c[len - 1] == ' ' || c[len - 1] == '\t'))
		len--;
	line = xstrndup(c, len);
	strbuf_add_printable(why, line, 120);
	free(line);
}

int gosrc_build_constraint(struct strbuf *why, const char *path, const char *src, size_t len)
{
	struct golex lx;
	struct gotoken t;
	const char *plus = NULL, *elem;
	size_t plus_len = 0, elem_len;

	if (name_constrained(path, &elem, &elem_len)) {
		if (why)
			strbuf_addf(why, "its name's _%.*s", (int)elem_len, elem);
		return 1;
	}
	golex_init(&lx, src, len, GOLEX_CODE);
	while (golex_next(&lx, &t) != GOTOK_EOF) {
		const char *c = src + t.off;

		if (t.kind == GOTOK_NEWLINE || t.kind == GOTOK_BLOCK)
			continue;
		if (t.kind != GOTOK_COMMENT)
			break; /* the package clause: no constraint after it counts */
		if (t.len > 10 && !memcmp(c, "//go:build", 10) && (c[10] == ' ' || c[10] == '\t')) {
			if (why)
				add_line(why, c, t.len);
			return 1;
		}
		if (!plus && t.len > 9 && !memcmp(c, "// +build", 9) && (c[9] == ' ' || c[9] == '\t')) {
			plus = c;
			plus_len = t.len;
		}
	}
	if (plus) {
		if (why)
			add_line(why, plus, plus_len);
		return 1;
	}
	/* package NAME, then the imports */
	if (!gotok_is(&lx, &t, "package") || next_code(&lx, &t) != GOTOK_IDENT || !imports_c(&lx))
		return 0;
	if (why)
		strbuf_addstr(why, "import \"C\", which cgo builds");
	return 1;
}

/* ------------------------------------------------------------------ */
/* Locate                                                               */
/* ------------------------------------------------------------------ */

#define MAX_SOURCE (16u << 20)
#define MAX_PACKAGE_FILES 4096

/* One source file, indexed once: line starts, their lexer states, scopes. */
struct srcfile {
	struct strbuf text;
	size_t *start;              /* start[l - 1]: offset of line l */
	size_t lines, alloc;
	unsigned char *state;       /* state[l]: enum golex_state at line l's start */
	struct goscopes sc;
};

/* `sf`'s line starts, and room for its lexer states (srcfile_index()). */
static void srcfile_lines(struct srcfile *sf)
{
	const char *s = sf->text.buf, *p = s, *end = s + sf->text.len;

	sf->lines = 0;
	ALLOC_GROW(sf->start, 1, sf->alloc);
	sf->start[sf->lines++] = 0;
	while ((p = memchr(p, '\n', (size_t)(end - p))) && ++p < end) {
		ALLOC_GROW(sf->start, sf->lines + 1, sf->alloc);
		sf->start[sf->lines++] = (size_t)(p - s);
	}
	free(sf->state);
	sf->state = xcalloc(sf->lines + 2, 1);
}

static void srcfile_index(struct srcfile *sf)
{
	srcfile_lines(sf);
	scan(&sf->sc, sf->text.buf, sf->text.len, sf->state, sf->lines + 2);
}

static void srcfile_reset(struct srcfile *sf)
{
	strbuf_reset(&sf->text);
	goscopes_release(&sf->sc);
	sf->lines = 0;
}

static void srcfile_release(struct srcfile *sf)
{
	strbuf_release(&sf->text);
	goscopes_release(&sf->sc);
	free(sf->start);
	free(sf->state);
}

/* Line `line` without its newline (and '\r'); *n its length; NULL when out of range. */
static const char *line_at(const struct srcfile *sf, int line, size_t *n)
{
	const char *l, *nl;
	size_t i;

	if (line < 1 || (size_t)line > sf->lines || !sf->text.len)
		return NULL;
	i = sf->start[line - 1];
	l = sf->text.buf + i;
	nl = memchr(l, '\n', sf->text.len - i);
	*n = nl ? (size_t)(nl - l) : sf->text.len - i;
	if (*n && l[*n - 1] == '\r')
		(*n)--;
	return l;
}

static char *line_text(const struct srcfile *sf, int line)
{
	size_t n;
	const char *l = line_at(sf, line, &n);

	return l ? xstrndup(l, n) : NULL;
}

/* The line's text when it may hold an acknowledgement ("escape:ok", ack.h), else NULL. */
static char *marker_line_text(const struct srcfile *sf, int line)
{
	size_t n;
	const char *l = line_at(sf, line, &n);

	return l && memmem(l, n, "escape:ok", 9) ? xstrndup(l, n) : NULL;
}

static unsigned line_state(const struct srcfile *sf, int line)
{
	return line >= 1 && (size_t)line <= sf->lines ? sf->state[line] : GOLEX_CODE;
}

/*
 * The type declarations of a package's directory, read file by file (in
 * the directory's order) only as far as a lookup needs: the first
 * declaration of a name is the one reading them all would find first.
 * The _test.go files count for a test file's findings only: a package
 * built without its tests never sees them (an external test package may
 * even declare the same names).
 */
struct pkgtypes {
	struct goscopes sc;         /* the types of files[0..next) */
	char **files;               /* the directory's .go files (paths) */
	size_t files_nr, files_alloc, next;
	/* the names of its struct types' fields (1) and of its methods (2),
	 * read at the first pkg_member_is_field() */
	struct strmap members;
	int members_read;
};

static struct pkgtypes *package_types(struct strmap *cache, const char *root, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t dn = slash ? (size_t)(slash - file) : 0;
	int tests = ends_with(file, "_test.go");
	char key[PATH_MAX + 2];
	struct pkgtypes *pt;
	struct strbuf dir = STRBUF_INIT;
	DIR *d;
	struct dirent *de;

	if (dn > PATH_MAX)
		dn = PATH_MAX; /* no such directory: an empty package */
	/* the directory, and for a test file's lookups a NUL and 't' */
	memcpy(key, file, dn);
	key[dn] = '\0';
	key[dn + 1] = 't';
	pt = strmap_get(cache, key, dn + (tests ? 2 : 0));
	if (pt)
		return pt;
	pt = xcalloc(1, sizeof(*pt));
	strmap_put(cache, key, dn + (tests ? 2 : 0), pt);
	strbuf_addstr(&dir, root);
	if (dn) {
		strbuf_addch(&dir, '/');
		strbuf_add(&dir, file, dn);
	}
	d = opendir(dir.buf);
	while (d && (de = readdir(d)) && pt->files_nr < MAX_PACKAGE_FILES) {
		if (!ends_with(de->d_name, ".go") || de->d_name[0] == '.' ||
		    (!tests && ends_with(de->d_name, "_test.go")))
			continue;
		ALLOC_GROW(pt->files, pt->files_nr + 1, pt->files_alloc);
		pt->files[pt->files_nr++] = path_join(dir.buf, de->d_name);
	}
	if (d)
		closedir(d);
	strbuf_release(&dir);
	return pt;
}

/* Read the package's next file that declares a type; 0 when none is left. */
static int pkg_read_more(struct pkgtypes *pt)
{
	struct strbuf src = STRBUF_INIT;
	size_t before = pt->sc.types_nr;

	while (pt->next < pt->files_nr && pt->sc.types_nr == before) {
		const char *path = pt->files[pt->next++];

		strbuf_reset(&src);
		/* a file without the bytes "type" declares none: not scanned */
		if (strbuf_read_file(&src, path, MAX_SOURCE) >= 0 && src.len <= MAX_SOURCE &&
		    memmem(src.buf, src.len, "type", 4)) {
			struct goscopes one = GOSCOPES_INIT;
			size_t i;

			goscopes_scan(&one, src.buf, src.len);
			for (i = 0; i < one.types_nr; i++) {
				ALLOC_GROW(pt->sc.types, pt->sc.types_nr + 1, pt->sc.types_alloc);
				pt->sc.types[pt->sc.types_nr++] = one.types[i];
			}
			one.types_nr = 0;
			goscopes_release(&one);
		}
	}
	strbuf_release(&src);
	return pt->sc.types_nr > before;
}

/* The types of the package's next file, from its scan (`sc`) rather than
 * read and scanned again. */
static void pkg_take_types(struct pkgtypes *pt, const struct goscopes *sc)
{
	size_t i;

	for (i = 0; i < sc->types_nr; i++) {
		ALLOC_GROW(pt->sc.types, pt->sc.types_nr + 1, pt->sc.types_alloc);
		pt->sc.types[pt->sc.types_nr].name = xstrdup(sc->types[i].name);
		pt->sc.types[pt->sc.types_nr++].expr = xstrdup(sc->types[i].expr);
	}
	pt->next++;
}

/* The package's first declaration of the type `name`, or NULL. */
static const struct gotype *pkg_type(struct pkgtypes *pt, const char *name, size_t n)
{
	size_t i = 0;

	do {
		for (; i < pt->sc.types_nr; i++)
			if (strlen(pt->sc.types[i].name) == n && !memcmp(pt->sc.types[i].name, name, n))
				return &pt->sc.types[i];
	} while (pkg_read_more(pt));
	return NULL;
}

/* A field's name: 1 unless a method has it (2). */
static void field_put(struct strmap *m, const char *name, size_t n, void *one)
{
	if (!strmap_get(m, name, n))
		strmap_put(m, name, n, one);
}

/* Each field name of the struct type `expr` (one level: names, or an
 * embedded type's name), marked 1 in `m` unless marked already. */
static void struct_fields(struct strmap *m, const char *expr)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t i, end, fb, type_at, fe, k;

	gotokens_lex(&tk, expr, strlen(expr), GOLEX_CODE);
	if (tk.nr < 3 || !gotokens_is(&tk, 0, "struct") || !gotokens_is(&tk, 1, "{"))
		goto out;
	end = gotokens_match(&tk, 1, tk.nr);
	for (i = 2; i < end;) {
		struct_field_next(&tk, &i, end, &fb, &type_at, &fe);
		if (fe <= fb)
			continue;
		if (type_at == fb) {
			/* embedded: T, pkg.T or *T is a field named T */
			if (tk.t[fe - 1].kind == GOTOK_IDENT)
				field_put(m, tk.lx.s + tk.t[fe - 1].off, tk.t[fe - 1].len, (void *)1);
			continue;
		}
		for (k = fb; k < type_at; k += 2)
			field_put(m, tk.lx.s + tk.t[k].off, tk.t[k].len, (void *)1);
	}
out:
	gotokens_release(&tk);
}

/* 1: `name` is a field of a struct type of the package and the name of
 * none of its methods; else 0 (a method, or not known). */
static int pkg_member_is_field(struct pkgtypes *pt, const char *name, size_t n)
{
	struct strbuf src = STRBUF_INIT;
	size_t f, i;

	if (!pt->members_read) {
		pt->members_read = 1;
		for (f = 0; f < pt->files_nr; f++) {
			struct goscopes one = GOSCOPES_INIT;

			strbuf_reset(&src);
			if (strbuf_read_file(&src, pt->files[f], MAX_SOURCE) < 0 || src.len > MAX_SOURCE)
				continue;
			goscopes_scan(&one, src.buf, src.len);
			for (i = 0; i < one.nr; i++) {
				const struct goscope *s = &one.items[i];
				const char *dot = s->kind == GOSCOPE_FUNC && !s->literal ?
						  strrchr(s->name, '.') : NULL;

				if (dot) /* (*T).M, T.M */
					strmap_put(&pt->members, dot + 1, strlen(dot + 1), (void *)2);
			}
			for (i = 0; i < one.types_nr; i++)
				struct_fields(&pt->members, one.types[i].expr);
			goscopes_release(&one);
		}
		strbuf_release(&src);
	}
	return (uintptr_t)strmap_get(&pt->members, name, n) == 1;
}

static void pkgtypes_free(struct pkgtypes *pt)
{
	while (pt->files_nr)
		free(pt->files[--pt->files_nr]);
	free(pt->files);
	goscopes_release(&pt->sc);
	strmap_release(&pt->members);
	free(pt);
}

/*
 * The type a moved variable was declared with, from the tokens of its line
 * (`p := T{}`, `a, p := x, T{}`, `var p T`, `var p = T{}`, a parameter
 * `p T`): sets [*b, *e) to the type's tokens; 0 when not found.
 */
static int declared_type(const struct gotokens *tk, int col, const char *name, size_t *b, size_t *e)
{
	size_t i, k, at, idx = 0;
	size_t n = strlen(name);

	for (at = 0; at < tk->nr; at++)
		if (tk->t[at].col == col)
			break;
	if (at == tk->nr || tk->t[at].kind != GOTOK_IDENT || tk->t[at].len != n ||
	    memcmp(tk->lx.s + tk->t[at].off, name, n))
		return 0;
	/* which of the names before := or = */
	for (k = at; k >= 2 && gotokens_is(tk, k - 1, ",") && tk->t[k - 2].kind == GOTOK_IDENT; k -= 2)
		idx++;
	for (k = at + 1; gotokens_is(tk, k, ",") && k + 1 < tk->nr && tk->t[k + 1].kind == GOTOK_IDENT; k += 2)
		;
	if (gotokens_is(tk, k, ":=") || gotokens_is(tk, k, "=")) {
		/* the idx-th expression on the right */
		size_t s = k + 1, x;
		int depth = 0;

		for (x = s; x <= tk->nr; x++) {
			int stop = x == tk->nr || (!depth && (gotokens_is(tk, x, ",") || gotokens_is(tk, x, ";") ||
							      tk->t[x].kind == GOTOK_NEWLINE));

			if (!stop) {
				if (gotokens_open(tk, x))
					depth++;
				else if (gotokens_close(tk, x) && --depth < 0)
					stop = 1;
			}
			if (!stop)
				continue;
			if (!idx--) {
				/* T{...}: the type is what comes before the last group */
				size_t open;

				if (x == s || !gotokens_is(tk, x - 1, "}"))
					return 0;
				for (open = x - 1; open > s; open--)
					if (gotokens_is(tk, open, "{") && gotokens_match(tk, open, x) == x - 1)
						break;
				if (open == s || gotokens_is(tk, s, "&"))
					return 0;
				*b = s;
				*e = open;
				return 1;
			}
			if (x == tk->nr || !gotokens_is(tk, x, ","))
				return 0;
			s = x + 1;
		}
		return 0;
	}
	/* names followed by a type: up to '=', ',', ')', ';' or the line's end */
	*b = k;
	{
		int depth = 0;

		for (i = k; i < tk->nr; i++) {
			if (gotokens_open(tk, i))
				depth++;
			else if (gotokens_close(tk, i) && --depth < 0)
				break;
			if (!depth && (gotokens_is(tk, i, "=") || gotokens_is(tk, i, ",") || gotokens_is(tk, i, ";") ||
				       tk->t[i].kind == GOTOK_NEWLINE))
				break;
		}
	}
	*e = i;
	return *e > *b;
}

/* The type of a moved variable or of an escaping &T{...}, T{...} or new(T), if zero-size. */
static char *zero_size_of(const struct finding *f, const struct srcfile *sf, struct strmap *cache,
			  const char *root)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t b = 0, e = 0;
	char *ret = NULL;
	int found = 0;

	if (!f->subject || !*f->subject)
		return NULL;
	if (f->verdict == VERDICT_MOVED) {
		size_t n;
		const char *l = line_at(sf, f->line, &n);

		if (!l)
			return NULL;
		gotokens_lex(&tk, l, n, line_state(sf, f->line));
		found = declared_type(&tk, f->column, f->subject, &b, &e);
	} else if (f->verdict == VERDICT_ESCAPES) {
		int addr;

		gotokens_lex(&tk, f->subject, strlen(f->subject), GOLEX_CODE);
		addr = gotokens_is(&tk, 0, "&");
		if (tk.nr >= 3 + (size_t)addr && gotokens_is(&tk, tk.nr - 1, "}")) {
			size_t open;

			/* the type before the literal's braces (`T{}` boxed, or `&T{}`) */
			for (open = tk.nr - 1; open > (size_t)addr; open--)
				if (gotokens_is(&tk, open, "{") && gotokens_match(&tk, open, tk.nr) == tk.nr - 1)
					break;
			b = (size_t)addr;
			e = open;
			found = open > (size_t)addr && gotokens_is(&tk, open, "{");
		} else if (gotokens_is(&tk, 0, "new") && gotokens_is(&tk, 1, "(") &&
			   gotokens_match(&tk, 1, tk.nr) == tk.nr - 1 && tk.nr > 3) {
			b = 2;
			e = tk.nr - 1;
			found = 1;
		}
	}
	if (found && e > b) {
		struct zctx z = { sf->sc.types, sf->sc.types_nr, 0, 0, NULL };
		int zero = zero_range(&z, &tk, b, e);

		if (!zero && z.missing) {
			/* a name declared in another file of the package */
			struct zctx z2 = { NULL, 0, 0, 0, package_types(cache, root, f->file) };

			zero = zero_range(&z2, &tk, b, e);
		}
		if (zero) {
			size_t from = tk.t[b].off, to = tk.t[e - 1].off + tk.t[e - 1].len;

			ret = xstrndup(tk.lx.s + from, to - from);
		}
	}
	gotokens_release(&tk);
	return ret;
}

/* Map, slice, or struct or array: the kind of the type spelled by tokens
 * [b, e), through the package's names (as zero_range looks them up); 0 for
 * anything else. */
static unsigned lit_kind_range(struct zctx *z, const struct gotokens *tk, size_t b, size_t e)
{
	type_trim(tk, &b, &e);
	if (b >= e)
		return LIT_UNKNOWN;
	if (gotokens_is(tk, b, "map") && gotokens_is(tk, b + 1, "["))
		return LIT_MAP;
	if (gotokens_is(tk, b, "[") && gotokens_is(tk, b + 1, "]"))
		return LIT_SLICE;
	if (gotokens_is(tk, b, "[") || gotokens_is(tk, b, "struct"))
		return LIT_VALUE;
	if (e == b + 1 && tk->t[b].kind == GOTOK_IDENT) {
		const struct gotype *ty = zctx_find(z, tk, b);
		struct gotokens sub = GOTOKENS_INIT;
		unsigned kind;

		if (!ty || z->depth >= 8)
			return LIT_UNKNOWN;
		z->depth++;
		gotokens_lex(&sub, ty->expr, strlen(ty->expr), GOLEX_CODE);
		kind = lit_kind_range(z, &sub, 0, sub.nr);
		gotokens_release(&sub);
		z->depth--;
		return kind;
	}
	return LIT_UNKNOWN;
}

static char *import_path(const struct srcfile *sf, const char *name, size_t n);

/*
 * The repository directory of the import path `path` when it is a package
 * of `f`'s module ("" for the root), else NULL.  The module's path and
 * directory are what f->package and f->file's directory leave before the
 * elements they end with alike ("example.com/m/a" in "m/a": the module
 * "example.com" at the root, where "example.com/m/token" is "m/token").
 */
static char *module_dir(const struct finding *f, const char *path)
{
	const char *pkg = f->package, *slash;
	size_t pn, dn, mn;
	struct strbuf dir = STRBUF_INIT;

	if (!pkg || !f->file || strchr(pkg, ' '))
		return NULL;
	pn = strlen(pkg);
	slash = strrchr(f->file, '/');
	dn = slash ? (size_t)(slash - f->file) : 0;
	/* the common suffix, whole elements */
	while (dn && pn && pkg[pn - 1] == f->file[dn - 1]) {
		size_t k = 0;

		while (k < dn && k < pn && pkg[pn - 1 - k] == f->file[dn - 1 - k] &&
		       f->file[dn - 1 - k] != '/')
			k++;
		if (k == dn) {
			dn = 0;
			pn -= k;
			break;
		}
		if (k == pn || f->file[dn - 1 - k] != '/' || pkg[pn - 1 - k] != '/')
			break;
		dn -= k + 1;
		pn -= k + 1;
	}
	if (pn && pkg[pn - 1] == '/')
		pn--;
	mn = pn; /* the module's path is pkg[0, mn), its directory f->file[0, dn) */
	if (strncmp(path, pkg, mn) || (path[mn] && path[mn] != '/'))
		return NULL;
	strbuf_add(&dir, f->file, dn);
	if (path[mn]) {
		if (dir.len)
			strbuf_addch(&dir, '/');
		strbuf_addstr(&dir, path + mn + 1);
	}
	return strbuf_detach(&dir, NULL);
}

/* lit_kind of an escaping `T{...}` whose T is a name of the package, or
 * `pkg.T{...}` of a package of the same module. */
static unsigned lit_kind_of(const struct finding *f, const struct srcfile *sf, struct strmap *cache,
			    const char *root)
{
	struct gotokens tk = GOTOKENS_INIT;
	unsigned kind = LIT_UNKNOWN;
	size_t n;

	if (f->verdict != VERDICT_ESCAPES || !f->subject || f->subject[0] == '&' ||
	    (n = strlen(f->subject)) < 3 || f->subject[n - 1] != '}')
		return LIT_UNKNOWN;
	gotokens_lex(&tk, f->subject, n, GOLEX_CODE);
	if (tk.nr >= 3 && tk.t[0].kind == GOTOK_IDENT && gotokens_is(&tk, 1, "{") &&
	    gotokens_match(&tk, 1, tk.nr) == tk.nr - 1) {
		struct zctx z = { sf->sc.types, sf->sc.types_nr, 0, 0, NULL };

		kind = lit_kind_range(&z, &tk, 0, 1);
		if (kind == LIT_UNKNOWN && z.missing) {
			/* a name declared in another file of the package */
			struct zctx z2 = { NULL, 0, 0, 0, package_types(cache, root, f->file) };

			kind = lit_kind_range(&z2, &tk, 0, 1);
		}
	} else if (tk.nr >= 5 && tk.t[0].kind == GOTOK_IDENT && gotokens_is(&tk, 1, ".") &&
		   tk.t[2].kind == GOTOK_IDENT && gotokens_is(&tk, 3, "{") &&
		   gotokens_match(&tk, 3, tk.nr) == tk.nr - 1) {
		/* pkg.T{...}: T in the imported package's directory */
		char *path = import_path(sf, tk.lx.s + tk.t[0].off, tk.t[0].len);
		char *dir = path ? module_dir(f, path) : NULL;

		if (dir) {
			char *file = path_join(dir, "x.go");
			struct zctx z = { NULL, 0, 0, 0, package_types(cache, root, file) };

			kind = lit_kind_range(&z, &tk, 2, 3);
			free(file);
		}
		free(dir);
		free(path);
	}
	gotokens_release(&tk);
	return kind;
}

/*
 * The path of the package `sf` imports under the name [name, name + n):
 * its alias, or the last element of its path (a major version "v2"
 * skipped, a ".v3" suffix cut: gopkg.in/yaml.v3 is yaml); NULL when none.
 * The imports are read up to the first declaration the scan found.
 */
static char *import_path(const struct srcfile *sf, const char *name, size_t n)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t end = sf->text.len, i;
	char *found = NULL;

	if (sf->sc.nr && sf->sc.items[0].start_line >= 1 &&
	    (size_t)sf->sc.items[0].start_line <= sf->lines)
		end = sf->start[sf->sc.items[0].start_line - 1];
	gotokens_lex(&tk, sf->text.buf, end, GOLEX_CODE);
	for (i = 1; i < tk.nr && !found; i++) {
		const struct gotoken *t = &tk.t[i], *before = &tk.t[i - 1];
		const char *p = tk.lx.s + t->off + 1, *e = tk.lx.s + t->off + t->len - 1, *last, *dot;
		const char *path_end;

		if (t->kind != GOTOK_STRING || e <= p)
			continue;
		if (before->kind == GOTOK_IDENT && !gotokens_is(&tk, i - 1, "import")) {
			/* `alias "path"` */
			if (before->len == n && !memcmp(tk.lx.s + before->off, name, n))
				found = xstrndup(p, (size_t)(e - p));
			continue;
		}
		if (!gotokens_is(&tk, i - 1, "import") && !gotokens_is(&tk, i - 1, "(") &&
		    before->kind != GOTOK_NEWLINE && !gotokens_is(&tk, i - 1, ";"))
			continue; /* `. "path"`, `_ "path"`, or not an import spec */
		path_end = e;
		for (last = e; last > p && last[-1] != '/'; last--)
			;
		if (last > p && e - last >= 2 && *last == 'v' &&
		    strspn(last + 1, "0123456789") >= (size_t)(e - last - 1)) {
			/* ".../v2": the element before it */
			for (e = last - 1, last = e; last > p && last[-1] != '/'; last--)
				;
		}
		if ((dot = memchr(last, '.', (size_t)(e - last))) && dot + 1 < e && dot[1] == 'v')
			e = dot; /* gopkg.in/yaml.v3 */
		if ((size_t)(e - last) == n && !memcmp(last, name, n))
			found = xstrndup(p, (size_t)(path_end - p));
	}
	gotokens_release(&tk);
	return found;
}

static int file_imports(const struct srcfile *sf, const char *name, size_t n)
{
	char *path = import_path(sf, name, n);

	free(path);
	return path != NULL;
}

/*
 * An escaping `x.Name` or `x.y.Name` (Name exported): sets sel_pkg when x
 * is a name `sf` imports (x.Name only), else sel_field when Name is a
 * field of the package's structs and no method of it.
 */
static void selector_of(struct finding *f, const struct srcfile *sf, struct strmap *cache,
			const char *root)
{
	const char *s = f->subject, *dot, *last;
	size_t i;

	if (f->verdict != VERDICT_ESCAPES || !s || !(dot = strchr(s, '.')) || dot == s ||
	    !(last = strrchr(s, '.')) || !isupper((unsigned char)last[1]))
		return;
	for (i = 0; s[i]; i++)
		if (s[i] != '.' && !isalnum((unsigned char)s[i]) && s[i] != '_')
			return;
	if (dot == last && file_imports(sf, s, (size_t)(dot - s)))
		f->sel_pkg = 1;
	else if (pkg_member_is_field(package_types(cache, root, f->file), last + 1, strlen(last + 1)))
		f->sel_field = 1;
}

/* The next token of `lx` that is no comment nor newline. */
static enum gotok sig_next(struct golex *lx, struct gotoken *t)
{
	enum gotok k;

	while ((k = golex_next(lx, t)) == GOTOK_COMMENT || k == GOTOK_BLOCK || k == GOTOK_NEWLINE)
		;
	return k;
}

/*
 * After the '(' or '[' just read: read to its match.  With `fn`, 1 when
 * line:col lies between the two (positions in `lx` count from `func`'s
 * line, and its first line's columns from `func`'s column).
 */
static int sig_group(struct golex *lx, const struct goscope *fn, const struct gotoken *open,
		     int line, int col)
{
	struct gotoken t;
	int depth = 1, l0 = fn->start_line, c0 = fn->start_col;
	enum gotok k = GOTOK_OP;

	while (depth && (k = sig_next(lx, &t)) != GOTOK_EOF)
		if (k == GOTOK_OP && (gotok_is(lx, &t, "(") || gotok_is(lx, &t, "[") ||
				      gotok_is(lx, &t, "{")))
			depth++;
		else if (k == GOTOK_OP && (gotok_is(lx, &t, ")") || gotok_is(lx, &t, "]") ||
					   gotok_is(lx, &t, "}")))
			depth--;
	if (depth)
		return 0;
	return pos_le(open->line + l0 - 1, open->col + (open->line == 1 ? c0 - 1 : 0), line, col) &&
	       pos_le(line, col, t.line + l0 - 1, t.col + (t.line == 1 ? c0 - 1 : 0));
}

/*
 * Is line:col inside the receiver's or the parameters' parentheses of the
 * declaration `fn` (`func (r T) Name[P any](params) results {`)?  The
 * signature is read token by token, to its parameters' end.
 */
static int in_parameters(const struct srcfile *sf, const struct goscope *fn, int line, int col)
{
	struct golex lx;
	struct gotoken t;
	size_t from;

	if (fn->start_line < 1 || (size_t)fn->start_line > sf->lines || line < fn->start_line)
		return 0;
	from = sf->start[fn->start_line - 1] + (size_t)(fn->start_col > 0 ? fn->start_col - 1 : 0);
	if (from >= sf->text.len)
		return 0;
	golex_init(&lx, sf->text.buf + from, sf->text.len - from, GOLEX_CODE);
	if (sig_next(&lx, &t) != GOTOK_IDENT || !gotok_is(&lx, &t, "func"))
		return 0;
	if (sig_next(&lx, &t) == GOTOK_OP && gotok_is(&lx, &t, "(")) { /* the receiver */
		if (sig_group(&lx, fn, &t, line, col))
			return 1;
		sig_next(&lx, &t);
	}
	if (t.kind != GOTOK_IDENT)
		return 0;
	if (sig_next(&lx, &t) == GOTOK_OP && gotok_is(&lx, &t, "[")) { /* type parameters */
		sig_group(&lx, fn, &t, 0, 0);
		sig_next(&lx, &t);
	}
	return t.kind == GOTOK_OP && gotok_is(&lx, &t, "(") && sig_group(&lx, fn, &t, line, col);
}

/* Can an importer call the function named `name` ("F", "(*T).M", "T.M")? */
static int exported_function(const char *name)
{
	const char *dot = strrchr(name, '.');

	return isupper((unsigned char)(dot ? dot[1] : name[0]));
}

/* The name a package-level var spec gives the expression at line:col. */
static char *var_name_at(const struct goscope *v, int line, int col)
{
	const char *names = v->name, *p;
	size_t idx = 0, k, count = 1;

	for (p = names; *p; p++)
		count += *p == ',';
	if (count > 1 && v->commas_nr / 2 + 1 == count)
		for (k = 0; k < v->commas_nr; k += 2)
			if (pos_le(v->commas[k], v->commas[k + 1], line, col))
				idx++;
	for (p = names; idx && (p = strchr(p, ',')); idx--)
		p++;
	if (!p)
		p = names;
	return xstrndup(p, strcspn(p, ","));
}

/* finding_cmp() within one file: by line, column and message. */
static int cmp_position(const void *a, const void *b)
{
	const struct finding *x = *(struct finding *const *)a, *y = *(struct finding *const *)b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->message ? x->message : "", y->message ? y->message : "");
}

/*
 * The findings of `list` (not empty) grouped by file, the files in the
 * order they first come (no file: a group of its own), each group in
 * position order: what locate_all() visits.  A qsort by finding_cmp()
 * compared the file names at every step (go/ssa's 1,752 findings: 1.0
 * million instructions, after the compiler's output); here a file is
 * looked up when it changes, and a group sorted by numbers.
 */
static struct finding **by_file(const struct finding_list *list)
{
	struct finding **order = xmalloc(list->nr * sizeof(*order));
	size_t *group = xmalloc(list->nr * sizeof(*group));
	size_t *start = xcalloc(list->nr + 2, sizeof(*start));
	struct strmap groups = STRMAP_INIT;
	const char *last = NULL;
	size_t i, g, n = 1, last_g = 0; /* group 0: no file */

	for (i = 0; i < list->nr; i++) {
		const char *file = list->items[i]->file;

		if (!file) {
			g = 0;
		} else if (last && (file == last || !strcmp(file, last))) {
			g = last_g;
		} else {
			g = (size_t)(uintptr_t)strmap_get(&groups, file, strlen(file));
			if (!g) {
				g = n++;
				strmap_put(&groups, file, strlen(file), (void *)(uintptr_t)g);
			}
			last = file;
			last_g = g;
		}
		group[i] = g;
		start[g + 1]++;
	}
	for (g = 1; g <= n; g++)
		start[g] += start[g - 1];
	for (i = 0; i < list->nr; i++)
		order[start[group[i]]++] = list->items[i];
	for (g = n; g > 0; g--) /* each start[g] moved to the end of group g: back one */
		start[g] = start[g - 1];
	start[0] = 0;
	for (g = 0; g < n; g++)
		if (start[g + 1] - start[g] > 1)
			qsort(order + start[g], start[g + 1] - start[g], sizeof(*order), cmp_position);
	strmap_release(&groups);
	free(group);
	free(start);
	return order;
}

/* The sweep over one file's findings (sorted by position) and its scopes. */
/* Which findings get the zero-size check (NULL: all). */
struct locate_shown {
	int (*fn)(void *data, const struct finding *f);
	void *data;
};

static void locate_file(struct finding **fs, size_t nr, const struct srcfile *sf,
			struct strmap *types, const char *root, const struct locate_shown *shown)
{
	const struct goscopes *sc = &sf->sc;
	size_t *stack = xmalloc((sc->nr + 1) * sizeof(*stack));
	size_t depth = 0, next = 0, i;

	for (i = 0; i < nr; i++) {
		struct finding *f = fs[i];
		int line = f->line, col = f->column ? f->column : 1;
		const struct goscope *fn = NULL, *loop = NULL, *var = NULL;
		size_t k;

		while (next < sc->nr && pos_le(sc->items[next].start_line, sc->items[next].start_col,
					       line, col)) {
			const struct goscope *s = &sc->items[next];

			while (depth && !pos_le(s->start_line, s->start_col,
						sc->items[stack[depth - 1]].end_line,
						sc->items[stack[depth - 1]].end_col))
				depth--;
			stack[depth++] = next++;
		}
		while (depth && !pos_le(line, f->column, sc->items[stack[depth - 1]].end_line,
					sc->items[stack[depth - 1]].end_col))
			depth--;
		for (k = depth; k-- > 0;) {
			const struct goscope *s = &sc->items[stack[k]];

			if (s->kind == GOSCOPE_FUNC) {
				fn = s;
				break;
			}
			if (s->kind == GOSCOPE_LOOP && !loop)
				loop = s;
			if (s->kind == GOSCOPE_VAR && !var)
				var = s;
		}
		if (fn) {
			if (!f->function)
				f->function = xstrdup(fn->name);
			if (f->verdict == VERDICT_MOVED && !fn->literal && !f->moved_param &&
			    exported_function(fn->name))
				f->moved_param = in_parameters(sf, fn, line, col) & 1;
			f->in_init = fn->init;
			var = NULL;
		} else if (var) {
			/* package initialisation: named after the variable it sets */
			if (!f->function || !strcmp(f->function, "init")) {
				free(f->function);
				f->function = var_name_at(var, line, col);
			}
			f->in_init = 1;
		}
		f->in_loop = !!loop;
		f->located = 1;
		f->loop_line = loop ? loop->for_line : 0;
		if (!f->source)
			f->source = line_text(sf, f->line);
		if (!f->source_above && f->line > 1)
			f->source_above = marker_line_text(sf, f->line - 1);
		f->source_state = line_state(sf, f->line);
		f->source_above_state = line_state(sf, f->line - 1);
		if (!f->zero_size && (!shown->fn || shown->fn(shown->data, f))) {
			f->zero_size = zero_size_of(f, sf, types, root);
			if (!f->lit_kind)
				f->lit_kind = lit_kind_of(f, sf, types, root) & 3;
			if (!f->sel_pkg && !f->sel_field)
				selector_of(f, sf, types, root);
		}
	}
	free(stack);
}

/*
 * What a locate reads, read ahead (gosrc_preload_start) while the compiler
 * runs: the .go files of the packages' directories, indexed, and each
 * directory's type declarations, as far as PRELOAD_MAX_FILES and
 * PRELOAD_MAX_BYTES allow.
 */
struct gosrc_preload {
	pthread_t th;
	int started;
	char *root;
	char *cache;                /* the scans' file (scope cache), or NULL */
	char **dirs;                /* repository-relative, "" for the root */
	size_t dirs_nr;
	struct strmap files;        /* relative path -> struct srcfile * */
	struct strmap types;        /* as locate's: directory -> struct pkgtypes */
	int tests;                  /* the _test.go files too */
};

/* Bounds of a read ahead: beyond them the locate reads what it needs. */
#define PRELOAD_MAX_FILES 512
#define PRELOAD_MAX_BYTES (32u << 20)

/*
 * The scope cache: each file's scan (its scopes, type declarations and
 * lexer states by line), by its path and the hash and length of its bytes,
 * so a file read ahead again with the same bytes is not scanned again (the
 * scan is most of a read ahead: 15 million instructions for go/ssa's 23
 * files).  SCOPES_HEAD, then one record a file in rec.h's tokens, each
 * ended by a newline: PATH BODY, the body a string (so a record is passed
 * over by its length) of these tokens:
 *
 *   LENGTH HASH NSCOPES [KIND FLAGS (init 1, literal 2) START_LINE
 *   START_COL END_LINE END_COL FOR_LINE EQ_LINE EQ_COL NAME NCOMMAS
 *   [LINE COL]...]... NTYPES [NAME EXPR]... STATES
 *
 * NCOMMAS counts the ints after it (goscope.commas_nr), two a comma;
 * STATES is a string of the file's lines + 2 bytes.  A record taken is
 * copied into the new cache as it is.  A file not in this form, or a body
 * that does not parse, is not used (and the file is written again).
 */
/* the number changes with what scan() finds; a cache from another version
 * of the program is not used */
#define SCOPES_HEAD "escape-review scopes 3 " ER_VERSION "\n"
#define SCOPES_MAX (64u << 20)

static uint64_t text_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	return h * 0xc4ceb9fe1a85ec53ULL;
}

/* The record of `sf` (scanned, types not taken yet) under `rel`, to
 * `out`; its body made in `body`. */
static void scopes_put(struct strbuf *out, struct strbuf *body, const char *rel,
		       const struct srcfile *sf, uint64_t hash)
{
	struct strbuf *sb = body;
	size_t i, k;

	strbuf_reset(body);
	rec_put_u64(sb, sf->text.len);
	rec_put_u64(sb, hash);
	rec_put_num(sb, (long long)sf->sc.nr);
	for (i = 0; i < sf->sc.nr; i++) {
		const struct goscope *g = &sf->sc.items[i];

		rec_put_num(sb, g->kind);
		rec_put_num(sb, g->init | (g->literal << 1));
		rec_put_num(sb, g->start_line);
		rec_put_num(sb, g->start_col);
		rec_put_num(sb, g->end_line);
		rec_put_num(sb, g->end_col);
		rec_put_num(sb, g->for_line);
		rec_put_num(sb, g->eq_line);
		rec_put_num(sb, g->eq_col);
		rec_put_str(sb, g->name);
		rec_put_num(sb, (long long)g->commas_nr);
		for (k = 0; k < g->commas_nr; k++)
			rec_put_num(sb, g->commas[k]);
	}
	rec_put_num(sb, (long long)sf->sc.types_nr);
	for (i = 0; i < sf->sc.types_nr; i++) {
		rec_put_str(sb, sf->sc.types[i].name);
		rec_put_str(sb, sf->sc.types[i].expr);
	}
	rec_put_mem(sb, (const char *)sf->state, sf->lines + 2);
	rec_put_str(out, rel);
	rec_put_mem(out, body->buf, body->len);
	strbuf_addch(out, '\n');
}

static int rd_int(struct rec_rd *r)
{
	return (int)rec_rd_num(r, INT_MIN, INT_MAX);
}

/* A count of items of at least `min` bytes each in what is left. */
static size_t rd_count(struct rec_rd *r, size_t min)
{
	return (size_t)rec_rd_num(r, 0, (long long)((size_t)(r->end - r->p) / min));
}

/* A record's body (`r` its bytes) into `sf` (its lines counted): 0, or -1
 * when it does not parse or is for other bytes. */
static int scopes_get(struct rec_rd *r, struct srcfile *sf, uint64_t hash)
{
	unsigned long long len = rec_rd_u64(r, ' '), h = rec_rd_u64(r, ' ');
	size_t i, nr, k, n;
	const char *st;

	if (len != sf->text.len || h != hash)
		return -1;
	nr = rd_count(r, 20);
	for (i = 0; i < nr && !r->bad; i++) {
		struct goscope g;
		long long flags;

		memset(&g, 0, sizeof(g));
		g.kind = (enum goscope_kind)rec_rd_num(r, GOSCOPE_FUNC, GOSCOPE_VAR);
		flags = rec_rd_num(r, 0, 3);
		g.init = flags & 1;
		g.literal = (flags >> 1) & 1;
		g.start_line = rd_int(r);
		g.start_col = rd_int(r);
		g.end_line = rd_int(r);
		g.end_col = rd_int(r);
		g.for_line = rd_int(r);
		g.eq_line = rd_int(r);
		g.eq_col = rd_int(r);
		g.name = rec_rd_dup(r);
		g.commas_nr = rd_count(r, 2); /* ints: a line and a column a comma */
		if (g.commas_nr % 2)
			r->bad = 1;
		if (g.commas_nr && !r->bad) {
			g.commas = xcalloc(g.commas_nr, sizeof(int));
			g.commas_alloc = g.commas_nr;
		}
		for (k = 0; k < g.commas_nr && !r->bad; k++)
			g.commas[k] = rd_int(r);
		ALLOC_GROW(sf->sc.items, sf->sc.nr + 1, sf->sc.alloc);
		sf->sc.items[sf->sc.nr++] = g; /* freed with the file when bad */
	}
	nr = rd_count(r, 4);
	for (i = 0; i < nr && !r->bad; i++) {
		struct gotype t;

		t.name = rec_rd_dup(r);
		t.expr = rec_rd_dup(r);
		ALLOC_GROW(sf->sc.types, sf->sc.types_nr + 1, sf->sc.types_alloc);
		sf->sc.types[sf->sc.types_nr++] = t;
	}
	st = rec_rd_str(r, &n);
	if (r->bad || !st || n != sf->lines + 2 || r->p != r->end)
		return -1;
	memcpy(sf->state, st, n);
	return 0;
}

/* The cache file's records by path: each the offset + 1 of its start in
 * `buf`; 0, or -1 when it is not there or not in its form. */
static int scopes_load(struct strbuf *buf, struct strmap *by_path, const char *path)
{
	struct rec_rd r;
	size_t head = strlen(SCOPES_HEAD), n;

	if (!path || strbuf_read_file(buf, path, SCOPES_MAX) <= 0 || buf->len >= SCOPES_MAX ||
	    buf->len < head || memcmp(buf->buf, SCOPES_HEAD, head))
		return -1;
	r.p = buf->buf + head;
	r.end = buf->buf + buf->len;
	r.bad = 0;
	while (r.p < r.end && !r.bad) {
		size_t at = (size_t)(r.p - buf->buf), blen;
		const char *rel = rec_rd_str(&r, &n);

		if (!rel || !rec_rd_str(&r, &blen))
			return -1;
		rec_rd_char(&r, '\n');
		strmap_put(by_path, rel, n, (void *)(uintptr_t)(at + 1));
	}
	return r.bad ? -1 : 0;
}

/* The cache written (its directory made); nothing is said when it is not:
 * only a speed-up is lost. */
static void scopes_write(const char *path, const struct strbuf *sb)
{
	char *slash = strrchr(path, '/');

	if (slash) {
		char *dir = xstrndup(path, (size_t)(slash - path));

		mkdirs(dir);
		free(dir);
	}
	if (write_file_atomically(path, sb))
		error_clear();
}

/* `sf`'s scan from the cache `buf` when it holds one for these bytes of
 * `rel` (the record then copied to `now`), else scanned here (`*changed`
 * set).  1 when taken. */
static int scopes_scan_or_take(struct srcfile *sf, const char *rel, size_t rel_len, uint64_t hash,
			       const struct strbuf *buf, struct strmap *by_path, struct strbuf *now,
			       int *changed)
{
	uintptr_t at = by_path ? (uintptr_t)strmap_get(by_path, rel, rel_len) : 0;
	struct rec_rd r, body;
	size_t n;

	if (at) {
		r.p = buf->buf + at - 1;
		r.end = buf->buf + buf->len;
		r.bad = 0;
		rec_rd_str(&r, &n);
		body.p = rec_rd_str(&r, &n);
		body.end = body.p ? body.p + n : NULL;
		body.bad = !body.p;
		rec_rd_char(&r, '\n');
		if (!r.bad && !body.bad && !scopes_get(&body, sf, hash)) {
			strbuf_add(now, buf->buf + at - 1, (size_t)(r.p - (buf->buf + at - 1)));
			return 1;
		}
		goscopes_release(&sf->sc); /* what a bad record left */
		memset(sf->state, 0, sf->lines + 2);
	}
	*changed = 1;
	scan(&sf->sc, sf->text.buf, sf->text.len, sf->state, sf->lines + 2);
	return 0;
}

static void *preload_run(void *data)
{
	struct gosrc_preload *pre = data;
	struct strbuf rel = STRBUF_INIT, old = STRBUF_INIT, now = STRBUF_INIT, body = STRBUF_INIT;
	struct strmap by_path = STRMAP_INIT;
	size_t i, j, dir_len, files = 0, bytes = 0;
	int cached, changed;

	compat_thread_batch(1); /* beside the compiler, as the review's work (compat.h) */
	cached = pre->cache && !scopes_load(&old, &by_path, pre->cache);
	changed = !cached;
	strbuf_addstr(&now, SCOPES_HEAD);

	for (i = 0; i < pre->dirs_nr; i++) {
		struct pkgtypes *pt;

		strbuf_reset(&rel);
		strbuf_addstr(&rel, pre->dirs[i]);
		if (rel.len)
			strbuf_addch(&rel, '/');
		dir_len = rel.len;
		/* package_types() takes a file's directory, and a test file's
		 * takes the _test.go files too */
		strbuf_addstr(&rel, pre->tests ? "x_test.go" : "x.go");
		pt = package_types(&pre->types, pre->root, rel.buf);
		for (j = 0; j < pt->files_nr && files < PRELOAD_MAX_FILES && bytes < PRELOAD_MAX_BYTES; j++) {
			const char *name = strrchr(pt->files[j], '/') + 1;
			struct srcfile *sf = xcalloc(1, sizeof(*sf));

			strbuf_init(&sf->text, 0);
			strbuf_setlen(&rel, dir_len);
			strbuf_addstr(&rel, name);
			if (strbuf_read_file(&sf->text, pt->files[j], MAX_SOURCE) >= 0 &&
			    sf->text.len <= MAX_SOURCE) {
				uint64_t hash = pre->cache ? text_hash(sf->text.buf, sf->text.len) : 0;

				srcfile_lines(sf);
				if (!scopes_scan_or_take(sf, rel.buf, rel.len, hash, &old,
							 cached ? &by_path : NULL, &now, &changed) &&
				    pre->cache)
					scopes_put(&now, &body, rel.buf, sf, hash);
				if (pt->next == j) /* its types, as pkg_read_more() would scan them */
					pkg_take_types(pt, &sf->sc);
				strmap_put(&pre->files, rel.buf, rel.len, sf);
				files++;
				bytes += sf->text.len;
			} else {
				srcfile_release(sf);
				free(sf);
			}
		}
		/* the directory's types, within the same bounds (past them a
		 * lookup reads on from where this stopped) */
		while (files < PRELOAD_MAX_FILES && bytes < PRELOAD_MAX_BYTES && pkg_read_more(pt))
			;
	}
	/* rewritten when a file was scanned, or one is no longer read */
	if (pre->cache && (changed || by_path.nr != files) && now.len < SCOPES_MAX)
		scopes_write(pre->cache, &now);
	strbuf_release(&rel);
	strbuf_release(&old);
	strbuf_release(&now);
	strbuf_release(&body);
	strmap_release(&by_path);
	return NULL;
}

struct gosrc_preload *gosrc_preload_start(const char *root, const char *const *dirs, size_t nr,
					  int tests, const char *cache)
{
	struct gosrc_preload *pre = xcalloc(1, sizeof(*pre));
	size_t i;

	pre->tests = tests;
	pre->cache = cache ? xstrdup(cache) : NULL;
	pre->root = xstrdup(root);
	pre->dirs = xcalloc(nr + 1, sizeof(*pre->dirs));
	for (i = 0; i < nr; i++)
		pre->dirs[i] = xstrdup(dirs[i]);
	pre->dirs_nr = nr;
	pre->started = !pthread_create(&pre->th, NULL, preload_run, pre);
	return pre;
}

void gosrc_preload_free(struct gosrc_preload *pre)
{
	const struct strmap_entry *e;
	size_t it;

	if (!pre)
		return;
	if (pre->started)
		pthread_join(pre->th, NULL);
	for (it = 0; strmap_next(&pre->files, &it, &e);) {
		srcfile_release(e->value);
		free(e->value);
	}
	strmap_release(&pre->files);
	for (it = 0; strmap_next(&pre->types, &it, &e);)
		pkgtypes_free(e->value);
	strmap_release(&pre->types);
	while (pre->dirs_nr)
		free(pre->dirs[--pre->dirs_nr]);
	free(pre->dirs);
	free(pre->root);
	free(pre->cache);
	free(pre);
}

static void locate_all(struct finding_list *list, const char *root, struct gosrc_preload *pre,
		       const struct locate_shown *shown)
{
	struct finding **order;
	struct srcfile sf;
	struct strmap own = STRMAP_INIT, *types = &own;
	const struct strmap_entry *e;
	size_t i, j, it;

	if (pre && pre->started) {
		pthread_join(pre->th, NULL);
		pre->started = 0;
	}
	if (pre && !strcmp(pre->root, root))
		types = &pre->types;
	else
		pre = NULL;
	if (!list->nr)
		goto out;
	memset(&sf, 0, sizeof(sf));
	strbuf_init(&sf.text, 0);
	/* visit the findings grouped by file, in position order, without
	 * reordering the list */
	order = by_file(list);
	for (i = 0; i < list->nr; i = j) {
		const char *file = order[i]->file;
		const struct srcfile *ready;
		char *path;

		for (j = i + 1; j < list->nr && file && order[j]->file && !strcmp(order[j]->file, file); j++)
			;
		if (!file)
			continue;
		if (pre && (ready = strmap_get(&pre->files, file, strlen(file)))) {
			locate_file(order + i, j - i, ready, types, root, shown);
			continue;
		}
		srcfile_reset(&sf);
		if (!ends_with(file, ".go")) {
			/* a //line directive's file (gram.y): not Go, so no
			 * function or scope is read from it */
			srcfile_index(&sf);
			locate_file(order + i, j - i, &sf, types, root, shown);
			continue;
		}
		path = file[0] == '/' ? xstrdup(file) : path_join(root, file);
		if (strbuf_read_file(&sf.text, path, MAX_SOURCE) >= 0 && sf.text.len <= MAX_SOURCE) {
			srcfile_index(&sf);
			locate_file(order + i, j - i, &sf, types, root, shown);
		}
		free(path);
	}
	free(order);
	srcfile_release(&sf);
out:
	for (it = 0; strmap_next(&own, &it, &e);)
		pkgtypes_free(e->value);
	strmap_release(&own);
}

void gosrc_locate_preloaded(struct finding_list *list, const char *root,
			    struct gosrc_preload *pre)
{
	const struct locate_shown all = { NULL, NULL };

	locate_all(list, root, pre, &all);
}

void gosrc_locate(struct finding_list *list, const char *root)
{
	gosrc_locate_preloaded(list, root, NULL);
}

void gosrc_locate_shown(struct finding_list *list, const char *root, struct gosrc_preload *pre,
			int (*shown)(void *data, const struct finding *f), void *data)
{
	const struct locate_shown some = { shown, data };

	locate_all(list, root, pre, &some);
}
