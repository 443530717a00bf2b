/*
 * contract.c: performance contracts (contract.h): reading the directives
 * with the one Go lexer (gosrc.h), and checking them against the
 * findings and the parser's notes of the same analysis.
 */
#include "compat.h"
#include "contract.h"
#include "checklist.h"
#include "gosrc.h"
#include "packages.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SOURCE (16u << 20)
#define MAX_DIR_FILES 4096
#define MAX_DEPTH 32
#define DIRECTIVE "//escape:"

void contract_list_release(struct contract_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->items[i].file);
		free(l->items[i].directive);
		free(l->items[i].unknown);
		free(l->items[i].func);
		free(l->items[i].package_dir);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

const char *contract_scope(const struct contract *c)
{
	return c->func ? "function" : "line";
}

/* What each line of a file holds (1-based). */
struct line_info {
	unsigned code : 1;      /* a token that is not a comment */
	unsigned comment : 1;   /* a comment starts on it */
	unsigned func : 1;      /* its first code token is `func` */
};

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

/* Read the words after "//escape:" into c (NULL when it is //escape:ok). */
static int read_words(struct contract *c, const char *s, size_t n)
{
	size_t len = 0, i = 0;

	while (len < n && s[len] != ' ' && s[len] != '\t' && s[len] != '\r')
		len++;
	if ((len == 2 && !memcmp(s, "ok", 2)) || (len > 2 && !memcmp(s, "ok", 2) && s[2] == '['))
		return 0;
	c->directive = xstrndup(s, len);
	while (i <= len) {
		size_t e = i;

		while (e < len && s[e] != ',')
			e++;
		if (e - i == 4 && !memcmp(s + i, "none", 4))
			c->kinds |= CONTRACT_NONE;
		else if (e - i == 6 && !memcmp(s + i, "inline", 6))
			c->kinds |= CONTRACT_INLINE;
		else if (e - i == 3 && !memcmp(s + i, "bce", 3))
			c->kinds |= CONTRACT_BCE;
		else if (!c->unknown)
			c->unknown = xstrndup(s + i, e - i);
		i = e + 1;
	}
	return 1;
}

/* The declaration `func` at line `fl`: its name and last line, from the scan. */
static void function_scope(struct contract *c, const struct goscopes *sc, int fl, int nlines)
{
	size_t i;

	for (i = 0; i < sc->nr; i++) {
		const struct goscope *s = &sc->items[i];

		if (s->kind == GOSCOPE_FUNC && !s->literal && s->start_line == fl) {
			c->func = xstrdup(s->name);
			c->first = fl;
			c->last = s->end_line > nlines ? nlines : s->end_line;
			return;
		}
	}
	c->first = c->last = fl;
}

/* Where an alone directive at `line` applies: the function below its comment block, or the next line. */
static void place(struct contract *c, const struct line_info *li, int nlines,
		  const struct goscopes *sc)
{
	int l = c->line + 1;

	while (l <= nlines && !li[l].code && li[l].comment)
		l++;
	if (l <= nlines && li[l].func && (l == c->line + 1 || !li[c->line + 1].code)) {
		function_scope(c, sc, l, nlines);
		if (c->func)
			return;
	}
	c->first = c->last = c->line + 1;
}

void contract_scan_text(struct contract_list *out, const char *path, const char *src, size_t len)
{
	struct golex lx;
	struct gotoken t;
	struct line_info *li;
	struct goscopes sc = GOSCOPES_INIT;
	size_t i, start = out->nr;
	int nlines = 1, last_line = 0;

	if (!memmem(src, len, DIRECTIVE, sizeof(DIRECTIVE) - 1))
		return;
	for (i = 0; i < len; i++)
		nlines += src[i] == '\n';
	li = xcalloc((size_t)nlines + 2, sizeof(*li));
	golex_init(&lx, src, len, GOLEX_CODE);
	while (golex_next(&lx, &t) != GOTOK_EOF) {
		if (t.line > nlines)
			break;
		if (t.kind == GOTOK_NEWLINE)
			continue;
		if (t.kind == GOTOK_COMMENT || t.kind == GOTOK_BLOCK) {
			li[t.line].comment = 1;
			if (t.kind == GOTOK_COMMENT && t.len >= sizeof(DIRECTIVE) - 1 &&
			    !memcmp(src + t.off, DIRECTIVE, sizeof(DIRECTIVE) - 1)) {
				struct contract c = { 0 };
				size_t w = sizeof(DIRECTIVE) - 1;

				if (!read_words(&c, src + t.off + w, t.len - w))
					continue;
				c.file = xstrdup(path);
				c.line = t.line;
				c.column = t.col;
				/* after code: covers its line (first = 0 marks "alone") */
				c.first = c.last = li[t.line].code ? t.line : 0;
				c.package_dir = dir_of(path);
				ALLOC_GROW(out->items, out->nr + 1, out->alloc);
				out->items[out->nr++] = c;
			}
			continue;
		}
		if (!li[t.line].code && t.line != last_line)
			li[t.line].func = gotok_is(&lx, &t, "func");
		li[t.line].code = 1;
		last_line = t.line;
	}
	if (out->nr > start) {
		goscopes_scan(&sc, src, len);
		for (i = start; i < out->nr; i++)
			if (!out->items[i].first)
				place(&out->items[i], li, nlines, &sc);
		goscopes_release(&sc);
	}
	free(li);
}

static void scan_file(struct contract_list *out, const char *root, const char *rel)
{
	struct strbuf src = STRBUF_INIT;
	char *full = path_join(root, rel);

	if (strbuf_read_file(&src, full, MAX_SOURCE) >= 0 && src.len <= MAX_SOURCE)
		contract_scan_text(out, rel, src.buf, src.len);
	strbuf_release(&src);
	free(full);
}

static int is_dir(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISDIR(st.st_mode);
}

/* The .go files of directory `rel` (and, with `recursive`, the packages below it). */
static void scan_dir(struct contract_list *out, const char *root, const char *rel, int recursive,
		     int tests, int depth)
{
	char *full = *rel ? path_join(root, rel) : xstrdup(root);
	DIR *d = depth <= MAX_DEPTH ? opendir(full) : NULL;
	struct dirent *e;
	unsigned n = 0;

	while (d && (e = readdir(d)) && n++ < MAX_DIR_FILES) {
		const char *name = e->d_name;
		char *sub;

		if (name[0] == '.' || name[0] == '_')
			continue;
		sub = *rel ? path_join(rel, name) : xstrdup(name);
		if (ends_with(name, ".go")) {
			if (tests || !ends_with(name, "_test.go"))
				scan_file(out, root, sub);
		} else if (recursive && strcmp(name, "vendor") && strcmp(name, "testdata")) {
			char *subfull = path_join(root, sub), *mod = path_join(subfull, "go.mod");
			struct stat st;

			if (is_dir(subfull) && stat(mod, &st))
				scan_dir(out, root, sub, 1, tests, depth + 1);
			free(subfull);
			free(mod);
		}
		free(sub);
	}
	if (d)
		closedir(d);
	free(full);
}

void contract_scan_pkgset(struct contract_list *out, const char *root, const struct pkgset *set,
			  int tests)
{
	size_t i, j;

	for (i = 0; i < set->nr; i++) {
		const struct gomodule *m = &set->mods[i];

		for (j = 0; j < m->pkgs_nr; j++) {
			struct strbuf rel = STRBUF_INIT;
			const char *p = m->pkgs[j];
			int recursive = ends_with(p, "/...") || !strcmp(p, "...");

			strbuf_addstr(&rel, m->dir);
			if (starts_with(p, "./"))
				p += 2;
			else if (!strcmp(p, "."))
				p = "";
			if (*p && strcmp(p, "...")) {
				if (rel.len)
					strbuf_addch(&rel, '/');
				strbuf_addstr(&rel, p);
			}
			if (recursive) {
				size_t cut = rel.len >= 4 && ends_with(rel.buf, "/...") ? 4 : 0;

				if (!cut && ends_with(rel.buf, "..."))
					cut = 3;
				strbuf_setlen(&rel, rel.len - cut);
			}
			scan_dir(out, root, rel.buf, recursive, tests, 0);
			strbuf_release(&rel);
		}
	}
}

int contract_dir_has_bce(const struct contract_list *l, const char *dir)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if ((l->items[i].kinds & CONTRACT_BCE) && !strcmp(l->items[i].package_dir, dir))
			return 1;
	return 0;
}

/* ---- checking ---- */

/* One file's text, lines and functions, read once for its contracts. */
struct source {
	char *path;
	struct strbuf text;
	struct goscopes scopes;
	const char **lines;   /* line starts, 1-based; lines[nr + 1] = end */
	int nr;
};

static void source_load(struct source *s, const char *root, const char *path)
{
	char *full;

	if (s->path && !strcmp(s->path, path))
		return;
	free(s->path);
	free(s->lines);
	goscopes_release(&s->scopes);
	strbuf_release(&s->text);
	memset(s, 0, sizeof(*s));
	strbuf_init(&s->text, 0);
	s->path = xstrdup(path);
	full = path_join(root, path);
	if (strbuf_read_file(&s->text, full, MAX_SOURCE) < 0 || s->text.len > MAX_SOURCE)
		strbuf_reset(&s->text);
	free(full);
	{
		size_t i, n = 1, k = 1;

		for (i = 0; i < s->text.len; i++)
			n += s->text.buf[i] == '\n';
		s->lines = xcalloc(n + 2, sizeof(*s->lines));
		s->lines[1] = s->text.buf;
		for (i = 0; i < s->text.len; i++)
			if (s->text.buf[i] == '\n')
				s->lines[++k] = s->text.buf + i + 1;
		s->lines[k + 1] = s->text.buf + s->text.len + 1;
		s->nr = (int)k;
	}
	goscopes_scan(&s->scopes, s->text.buf, s->text.len);
}

static void source_release(struct source *s)
{
	free(s->path);
	free(s->lines);
	goscopes_release(&s->scopes);
	strbuf_release(&s->text);
}

/* Line `l`'s tokens (comments left out), in `tk`. */
static void line_tokens(struct gotokens *tk, const struct source *s, int l)
{
	const char *b, *e;

	if (l < 1 || l > s->nr) {
		gotokens_lex(tk, "", 0, GOLEX_CODE);
		return;
	}
	b = s->lines[l];
	e = s->lines[l + 1] - 1;
	gotokens_lex(tk, b, (size_t)(e - b), GOLEX_CODE);
}

static int is_word(const struct gotokens *tk, size_t i, const char *const *words)
{
	for (; *words; words++)
		if (gotokens_is(tk, i, *words))
			return 1;
	return 0;
}

/* Identifiers before '(' that are no calls: keywords, builtins, predeclared types. */
static const char *const not_calls[] = {
	"func", "if", "for", "switch", "return", "go", "defer", "select", "case", "range",
	"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
	"max", "min", "new", "panic", "print", "println", "real", "recover",
	"bool", "byte", "rune", "string", "error", "any", "int", "int8", "int16", "int32",
	"int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64",
	"complex64", "complex128", "interface", "struct", "map", "chan", NULL,
};

/* A type declared in the file's package text: a conversion, not a call. */
static int is_local_type(const struct source *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->scopes.types_nr; i++)
		if (strlen(s->scopes.types[i].name) == n && !memcmp(s->scopes.types[i].name, name, n))
			return 1;
	return 0;
}

struct call {
	const char *name;
	size_t len;
	int col;      /* of the '(' */
	const char *qual;  /* "hot.Mid" of X.NAME( as written, else NAME */
	size_t qual_len;
};

/* The calls written on line `l`: NAME( or X.NAME( that is not a conversion. */
static size_t line_calls(struct call *out, size_t max, const struct source *s, int l)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t i, n = 0;

	line_tokens(&tk, s, l);
	for (i = 0; i + 1 < tk.nr && n < max; i++) {
		const struct gotoken *t = &tk.t[i];

		if (t->kind != GOTOK_IDENT || !gotokens_is(&tk, i + 1, "(") ||
		    is_word(&tk, i, not_calls) || is_local_type(s, tk.lx.s + t->off, t->len))
			continue;
		out[n].name = out[n].qual = tk.lx.s + t->off;
		out[n].len = out[n].qual_len = t->len;
		out[n].col = tk.t[i + 1].col;
		if (i >= 2 && gotokens_is(&tk, i - 1, ".") && tk.t[i - 2].kind == GOTOK_IDENT &&
		    tk.t[i - 2].off + tk.t[i - 2].len + 1 == t->off) {
			out[n].qual = tk.lx.s + tk.t[i - 2].off;
			out[n].qual_len = t->len + tk.t[i - 2].len + 1;
		}
		n++;
	}
	gotokens_release(&tk);
	return n;
}

/* Does line `l` index or slice something (X[, X)[, X][ not followed by ']')? */
static int line_indexes(const struct source *s, int l)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t i;
	int found = 0;

	line_tokens(&tk, s, l);
	for (i = 1; i < tk.nr && !found; i++) {
		const struct gotoken *p = &tk.t[i - 1];

		if (!gotokens_is(&tk, i, "[") || gotokens_is(&tk, i + 1, "]"))
			continue;
		found = (p->kind == GOTOK_IDENT && !is_word(&tk, i - 1, not_calls)) ||
			p->kind == GOTOK_STRING || gotokens_is(&tk, i - 1, ")") ||
			gotokens_is(&tk, i - 1, "]");
	}
	gotokens_release(&tk);
	return found;
}

static int line_has_code(const struct source *s, int l)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t i;
	int found = 0;

	line_tokens(&tk, s, l);
	for (i = 0; i < tk.nr; i++)
		found |= tk.t[i].kind != GOTOK_NEWLINE;
	gotokens_release(&tk);
	return found;
}

/* A contract finding of `c` at file:line:col. */
static struct finding *contract_finding(struct finding_list *out, const struct contract *c,
					const struct source *s, const char *rule, int line,
					int col, const char *word)
{
	struct finding *f = finding_new();
	const char *fn = c->func ? c->func : goscopes_func_at(&s->scopes, line, col);

	f->file = xstrdup(c->file);
	f->line = line;
	f->column = col;
	f->verdict = VERDICT_ESCAPES;
	f->rule = rule;
	f->severity = SEVERITY_ERROR;
	f->function = xstrdup_or_null(fn);
	if (line >= 1 && line <= s->nr) {
		const char *b = s->lines[line], *e = s->lines[line + 1] - 1;

		f->source = xstrndup(b, (size_t)(e - b));
	}
	f->contract = xcalloc(1, sizeof(*f->contract));
	f->contract->directive = xstrdup(c->directive);
	f->contract->scope = contract_scope(c);
	f->contract->file = xstrdup(c->file);
	f->contract->line = c->line;
	f->contract->func = xstrdup_or_null(c->func);
	f->subject = xstrdup(word ? word : c->directive);
	finding_list_add(out, f);
	return f;
}

static void set_text(char **dst, struct strbuf *sb)
{
	free(*dst);
	*dst = strbuf_detach(sb, NULL);
}

/* The place a contract is written, for sentences: "//escape:none at a.go:12". */
static void where(struct strbuf *sb, const struct contract *c, const char *word)
{
	(void)word;
	strbuf_addf(sb, "//escape:%s at %s:%d", c->directive, c->file, c->line);
	if (c->func)
		strbuf_addf(sb, " (function %s)", c->func);
}

/* escape:none: every allocation inside breaks it, with its chain. */
static void check_none(struct finding_list *out, size_t nr, const struct contract *c,
		       const struct source *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < nr; i++) {
		struct finding *a = out->items[i], *f;
		int depends; /* on the compiler: checklist_for_other_go() */

		if (a->contract || strcmp(a->file, c->file) || a->line < c->first ||
		    a->line > c->last || (a->verdict != VERDICT_MOVED && a->verdict != VERDICT_ESCAPES) ||
		    a->zero_size)
			continue;
		/* the compiler is not known here: a literal only Go 1.24 and
		 * older allocate breaks the contract on those (go_before), as
		 * they classify it; classify_all() knows the compiler */
		checklist_classify(a, a->source, NULL, 0);
		depends = a->go_dependent;
		if (!depends && a->rule && !strcmp(a->rule, "ER005"))
			continue; /* a constant or zero-size value: nothing allocated */
		if (depends)
			checklist_classify(a, a->source, NULL, CHECKLIST_GO_STATIC_BOX - 1);
		f = contract_finding(out, c, s, CONTRACT_RULE_NONE, a->line, a->column, "none");
		f->contract->go_before = depends ? CHECKLIST_GO_STATIC_BOX : 0;
		f->package = xstrdup_or_null(a->package);
		strbuf_addf(&sb, "escape:none broken: %s", a->message);
		set_text(&f->message, &sb);
		where(&sb, c, "none");
		strbuf_addf(&sb, " promises no heap allocation, and %s (%s)%s", a->why ? a->why : a->message,
			    a->rule ? a->rule : "",
			    depends ? " with Go 1.24 and older, which allocate it (Go 1.25 and newer box it from read-only data)" : "");
		set_text(&f->why, &sb);
		if (depends)
			checklist_classify(a, a->source, NULL, 0);
		f->facts.steps = a->facts.steps;
		for (j = 0; j < a->flow_nr; j++)
			finding_add_step(f, a->flow[j].file, a->flow[j].line, a->flow[j].column,
					 a->flow[j].text);
		f->flow_truncated = a->flow_truncated;
	}
	strbuf_release(&sb);
}

/* The name a note gives a function, without receiver: "(*T).Get" -> "Get". */
static int note_names(const char *func, const char *name, size_t n)
{
	const char *dot = strrchr(func, '.');
	const char *base = dot ? dot + 1 : func;

	return strlen(base) == n && !memcmp(base, name, n);
}

static const struct parse_note *find_note(const struct parse_note_list *nl,
					  enum parse_note_kind kind, const char *file, int line,
					  int col, const char *func, size_t func_len)
{
	size_t i;

	for (i = 0; i < nl->nr; i++) {
		const struct parse_note *nt = &nl->items[i];

		if (nt->kind != kind)
			continue;
		if (file && (strcmp(nt->file, file) || nt->line != line || (col && nt->column != col)))
			continue;
		if (func && (!nt->func || !note_names(nt->func, func, func_len)))
			continue;
		return nt;
	}
	return NULL;
}

static void check_inline_line(struct finding_list *out, const struct contract *c,
			      const struct source *s, const struct parse_note_list *nl)
{
	struct call calls[32];
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = line_calls(calls, 32, s, c->first);

	if (!n) {
		struct finding *f = contract_finding(out, c, s, CONTRACT_RULE_EMPTY, c->line,
						     c->column, "inline");

		strbuf_addf(&sb, "escape:inline has nothing to check: no call on line %d", c->first);
		set_text(&f->message, &sb);
		where(&sb, c, "inline");
		strbuf_addstr(&sb, " covers a line without a function or method call");
		set_text(&f->why, &sb);
	}
	for (i = 0; i < n; i++) {
		const struct parse_note *why;
		struct finding *f;

		if (find_note(nl, NOTE_INLINING_CALL, c->file, c->first, calls[i].col, NULL, 0))
			continue;
		why = find_note(nl, NOTE_CANNOT_INLINE, NULL, 0, 0, calls[i].name, calls[i].len);
		f = contract_finding(out, c, s, CONTRACT_RULE_INLINE, c->first, calls[i].col, "inline");
		/* the callee as written ("hot.Mid"): a change to it in another
		 * package is named as the cause (dependents.h) */
		flow_facts_add_callee(&f->facts, xstrndup(calls[i].qual, calls[i].qual_len));
		strbuf_addf(&sb, "escape:inline broken: call to %.*s not inlined", (int)calls[i].qual_len,
			    calls[i].qual);
		set_text(&f->message, &sb);
		where(&sb, c, "inline");
		strbuf_addf(&sb, " promises every call on line %d is inlined; ", c->first);
		if (why) {
			strbuf_addf(&sb, "the compiler says: %s", why->text);
			f->package = xstrdup_or_null(why->package);
		} else {
			strbuf_addf(&sb, "the compiler did not inline %.*s (it printed no reason here: the callee is in another package, or a value)",
				    (int)calls[i].len, calls[i].name);
		}
		set_text(&f->why, &sb);
	}
	strbuf_release(&sb);
}

/* The calls `F(` of the plain function F in one file of its package. */
static void check_callers_in(struct finding_list *out, const struct contract *c,
			     const struct source *s, const struct parse_note_list *nl,
			     const char *rel, const struct source *caller)
{
	struct gotokens tk = GOTOKENS_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = strlen(c->func);

	gotokens_lex(&tk, caller->text.buf, caller->text.len, GOLEX_CODE);
	for (i = 0; i + 1 < tk.nr; i++) {
		const struct gotoken *t = &tk.t[i], *paren = &tk.t[i + 1];
		struct finding *f;

		if (t->kind != GOTOK_IDENT || t->len != n || memcmp(tk.lx.s + t->off, c->func, n) ||
		    !gotokens_is(&tk, i + 1, "(") ||
		    (i && (gotokens_is(&tk, i - 1, ".") || gotokens_is(&tk, i - 1, "func"))))
			continue;
		if (find_note(nl, NOTE_INLINING_CALL, rel, paren->line, paren->col, NULL, 0))
			continue;
		f = contract_finding(out, c, s, CONTRACT_RULE_INLINE, paren->line, paren->col,
				     "inline");
		free(f->file);
		f->file = xstrdup(rel);
		free(f->function);
		f->function = xstrdup_or_null(goscopes_func_at(&caller->scopes, paren->line,
								paren->col));
		free(f->source);
		f->source = NULL;
		strbuf_addf(&sb, "escape:inline broken: call to %s not inlined", c->func);
		set_text(&f->message, &sb);
		where(&sb, c, "inline");
		strbuf_addf(&sb, " promises every call to %s is inlined, and the compiler did not inline this one (a go or defer statement, or a caller too large to inline into)",
			    c->func);
		set_text(&f->why, &sb);
	}
	gotokens_release(&tk);
	strbuf_release(&sb);
}

/* Every call to an inlinable plain function in the .go files of its package. */
static void check_callers(struct finding_list *out, const struct contract *c,
			  const struct source *s, const struct parse_note_list *nl, const char *root)
{
	char *dir = *c->package_dir ? path_join(root, c->package_dir) : xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned nfiles = 0;

	while (d && (e = readdir(d)) && nfiles++ < MAX_DIR_FILES) {
		struct source caller = { 0 };
		char *rel;

		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".go") ||
		    ends_with(e->d_name, "_test.go"))
			continue;
		rel = *c->package_dir ? path_join(c->package_dir, e->d_name) : xstrdup(e->d_name);
		source_load(&caller, root, rel);
		check_callers_in(out, c, s, nl, rel, &caller);
		source_release(&caller);
		free(rel);
	}
	if (d)
		closedir(d);
	free(dir);
}

static void check_inline_func(struct finding_list *out, const struct contract *c,
			      const struct source *s, const struct parse_note_list *nl,
			      const char *root)
{
	const struct parse_note *why;
	struct strbuf sb = STRBUF_INIT;
	struct finding *f;
	size_t i;

	for (i = 0; i < nl->nr; i++) {
		const struct parse_note *nt = &nl->items[i];

		if (nt->kind == NOTE_CAN_INLINE && nt->line == c->first && !strcmp(nt->file, c->file) &&
		    !strcmp(nt->func, c->func)) {
			if (!strpbrk(c->func, ".()"))
				check_callers(out, c, s, nl, root);
			return;
		}
	}
	why = find_note(nl, NOTE_CANNOT_INLINE, c->file, c->first, 0, NULL, 0);
	f = contract_finding(out, c, s, CONTRACT_RULE_INLINE, c->first,
			     why ? why->column : 1, "inline");
	strbuf_addf(&sb, "escape:inline broken: %s is not inlinable", c->func);
	set_text(&f->message, &sb);
	where(&sb, c, "inline");
	strbuf_addf(&sb, " promises %s can be inlined; ", c->func);
	if (why) {
		strbuf_addf(&sb, "the compiler says: %s", why->text);
		f->package = xstrdup_or_null(why->package);
	} else {
		strbuf_addstr(&sb, "the compiler printed no inlining decision for it");
	}
	set_text(&f->why, &sb);
	strbuf_release(&sb);
}

static void check_bce(struct finding_list *out, const struct contract *c, const struct source *s,
		      const struct parse_note_list *nl)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (!c->func && !line_indexes(s, c->first)) {
		struct finding *f = contract_finding(out, c, s, CONTRACT_RULE_EMPTY, c->line,
						     c->column, "bce");

		strbuf_addf(&sb, "escape:bce has nothing to check: no index or slice expression on line %d",
			    c->first);
		set_text(&f->message, &sb);
		where(&sb, c, "bce");
		strbuf_addstr(&sb, " covers a line that indexes and slices nothing");
		set_text(&f->why, &sb);
	}
	for (i = 0; i < nl->nr; i++) {
		const struct parse_note *nt = &nl->items[i];
		struct finding *f;

		if (nt->kind != NOTE_BOUNDS_CHECK || strcmp(nt->file, c->file) || nt->line < c->first ||
		    nt->line > c->last)
			continue;
		f = contract_finding(out, c, s, CONTRACT_RULE_BCE, nt->line, nt->column, "bce");
		f->package = xstrdup_or_null(nt->package);
		strbuf_addf(&sb, "escape:bce broken: %s", nt->text);
		set_text(&f->message, &sb);
		where(&sb, c, "bce");
		strbuf_addf(&sb, " promises no bounds check, and the compiler left one (%s) at %s:%d:%d",
			    nt->reason, nt->file, nt->line, nt->column);
		set_text(&f->why, &sb);
	}
	strbuf_release(&sb);
}

static void check_one(struct finding_list *out, size_t nr, const struct contract *c,
		      const struct source *s, const struct parse_note_list *nl, const char *root)
{
	struct strbuf sb = STRBUF_INIT;

	if (c->unknown) {
		struct finding *f = contract_finding(out, c, s, CONTRACT_RULE_UNKNOWN, c->line,
						     c->column, NULL);

		strbuf_addf(&sb, "unknown contract directive '%s' in //escape:%s", c->unknown,
			    c->directive);
		set_text(&f->message, &sb);
		strbuf_addf(&sb, "//escape:%s at %s:%d names '%s', which is no contract: the directives are none, inline and bce (and ok, the acknowledgement)",
			    c->directive, c->file, c->line, c->unknown);
		set_text(&f->why, &sb);
	}
	if ((c->kinds & CONTRACT_NONE) && !c->func && !line_has_code(s, c->first)) {
		struct finding *f = contract_finding(out, c, s, CONTRACT_RULE_EMPTY, c->line,
						     c->column, "none");

		strbuf_addf(&sb, "escape:none has nothing to check: no code on line %d", c->first);
		set_text(&f->message, &sb);
		where(&sb, c, "none");
		strbuf_addstr(&sb, " covers a line without code");
		set_text(&f->why, &sb);
	} else if (c->kinds & CONTRACT_NONE) {
		check_none(out, nr, c, s);
	}
	if ((c->kinds & CONTRACT_INLINE) && c->func)
		check_inline_func(out, c, s, nl, root);
	else if (c->kinds & CONTRACT_INLINE)
		check_inline_line(out, c, s, nl);
	if (c->kinds & CONTRACT_BCE)
		check_bce(out, c, s, nl);
	strbuf_release(&sb);
}

void contract_check(struct finding_list *out, const struct contract_list *l,
		    const struct parse_note_list *notes, const char *root)
{
	static const struct parse_note_list none = PARSE_NOTE_LIST_INIT;
	struct source s = { 0 };
	size_t i, nr = out->nr;

	if (!notes)
		notes = &none;
	for (i = 0; i < l->nr; i++) {
		source_load(&s, root, l->items[i].file);
		check_one(out, nr, &l->items[i], &s, notes, root);
	}
	source_release(&s);
}

/* ---- the review's stage ---- */

void contract_run_prepare(struct contract_run *r, struct build_opts *b, const char *root,
			  const struct pkgset *set, int tests)
{
	size_t i, j;

	contract_scan_pkgset(&r->list, root, set, tests);
	if (!r->list.nr)
		return;
	b->notes = &r->notes;
	for (i = 0; i < r->list.nr; i++) {
		const struct contract *c = &r->list.items[i];

		if (!(c->kinds & CONTRACT_BCE))
			continue;
		for (j = 0; j < r->bce_nr && strcmp(r->bce[j], c->package_dir); j++)
			;
		if (j < r->bce_nr)
			continue;
		ALLOC_GROW(r->bce, r->bce_nr + 1, r->bce_alloc);
		r->bce[r->bce_nr++] = xstrdup(c->package_dir);
	}
	b->bce_dirs = (const char *const *)r->bce;
	b->bce_dirs_nr = r->bce_nr;
}

void contract_run_check(struct contract_run *r, struct finding_list *findings, const char *root)
{
	if (r->list.nr)
		contract_check(findings, &r->list, &r->notes, root);
}

void contract_run_release(struct contract_run *r)
{
	size_t i;

	contract_list_release(&r->list);
	parse_note_list_release(&r->notes);
	for (i = 0; i < r->bce_nr; i++)
		free(r->bce[i]);
	free(r->bce);
	memset(r, 0, sizeof(*r));
}

int contract_any(const char *root, const struct pkgset *set, int tests)
{
	struct contract_list l = CONTRACT_LIST_INIT;
	int any;

	contract_scan_pkgset(&l, root, set, tests);
	any = l.nr > 0;
	contract_list_release(&l);
	return any;
}
