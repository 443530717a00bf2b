/*
 * test_gosrc.c: the Go lexer (raw strings across lines, runes like '"',
 * block comments holding //, strings holding //escape:ok, numbers,
 * operators, start states) and the line comment it finds; the structure
 * scan names functions as the compiler does (F, T.M, (*T).M, (*L).Get,
 * F.func1, F.func2.1, glob..func1), is not fooled by `func` and braces in
 * comments, strings, raw strings and runes, does not take func types for
 * literals, finds loop bodies (past composite literals and func literals
 * in the header), package-level var specs and type declarations;
 * zero-size types; gosrc_is_generated; gosrc_locate on real files
 * (functions, package initialisation named after the variable, loops,
 * zero-size types from another file of the package, line states), the
 * same with the files read ahead (gosrc_preload_start), and that its
 * one-pass sweep agrees with the lookup of every position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "finding.h"
#include "gosrc.h"
#include "strbuf.h"
#include "util.h"


static const char src[] =
	"package p\n"                                              /* 1 */
	"\n"                                                       /* 2 */
	"// func Fake() { not code }\n"                            /* 3 */
	"/* func Fake2() {\n"                                      /* 4 */
	"   } */\n"                                                /* 5 */
	"var glob = func() int { return 1 }\n"                     /* 6 */
	"var s = \"func X() { \\\" }\"\n"                          /* 7 */
	"var r = `func Y() {\n"                                    /* 8 */
	"}`\n"                                                     /* 9 */
	"var c = '{'\n"                                            /* 10 */
	"type T struct{ cb func(int) error }\n"                    /* 11 */
	"type L[K comparable] struct{ m map[K]int }\n"             /* 12 */
	"func F(cb func() int, x struct{}) (func(), interface{}) {\n" /* 13 */
	"\tg := func(a int) { _ = a }\n"                           /* 14 */
	"\th := func() {\n"                                        /* 15 */
	"\t\tk := func() {}\n"                                     /* 16 */
	"\t\t_ = k\n"                                              /* 17 */
	"\t}\n"                                                    /* 18 */
	"\t_ = \"}\"\n"                                            /* 19 */
	"\treturn h, struct{}{}\n"                                 /* 20 */
	"}\n"                                                      /* 21 */
	"func (t T) M() struct{ a int } { return struct{ a int }{} }\n" /* 22 */
	"func (t *T) P() interface{ X() } {\n"                     /* 23 */
	"\tvar f func(int) (bool, error)\n"                        /* 24 */
	"\t_ = f\n"                                                /* 25 */
	"\treturn nil\n"                                           /* 26 */
	"}\n"                                                      /* 27 */
	"func (l *L[K]) Get(k K) int { return l.m[k] }\n"          /* 28 */
	"func (L[K]) Len() int { return 0 }\n"                     /* 29 */
	"func Generic[T any](x T) func() T {\n"                    /* 30 */
	"\treturn func() T { return x }\n"                         /* 31 */
	"}\n"                                                      /* 32 */
	"func Decl(int) int\n"                                     /* 33 */
	"func init() { go func() {}() }\n";                        /* 34 */

struct want {
	const char *name;
	int sl, sc, el, ec;
};

static void test_names(void **state)
{
	static const struct want w[] = {
		{ "glob..func1", 6, 16, 6, 34 },
		{ "F", 13, 1, 21, 1 },
		{ "F.func1", 14, 11, 14, 27 },
		{ "F.func2", 15, 11, 18, 2 },
		{ "F.func2.1", 16, 12, 16, 16 },
		{ "T.M", 22, 1, 22, 59 },
		{ "(*T).P", 23, 1, 27, 1 },
		{ "(*L).Get", 28, 1, 28, 45 },
		{ "L.Len", 29, 1, 29, 34 },
		{ "Generic", 30, 1, 32, 1 },
		{ "Generic.func1", 31, 13, 31, 29 },
		/* without a body: its signature, where its parameters are */
		{ "Decl", 33, 1, 33, 19 },
		{ "init", 34, 1, 34, 30 },
		{ "init.func1", 34, 22, 34, 26 },
	};
	struct goscopes sc = GOSCOPES_INIT;
	size_t i, n = 0;

	(void)state;
	goscopes_scan(&sc, src, sizeof(src) - 1);
	for (i = 0; i < sc.nr; i++) {
		const struct goscope *f = &sc.items[i];

		if (f->kind != GOSCOPE_FUNC)
			continue;
		assert_true(n < sizeof(w) / sizeof(w[0]));
		assert_string_equal(f->name, w[n].name);
		assert_int_equal(f->start_line, w[n].sl);
		assert_int_equal(f->start_col, w[n].sc);
		assert_int_equal(f->end_line, w[n].el);
		assert_int_equal(f->end_col, w[n].ec);
		assert_int_equal(f->init, !strcmp(f->name, "init"));
		assert_int_equal(f->literal, strstr(f->name, "func") != NULL);
		/* type parameters, or a method of a generic type (L[K]);
		 * a closure is not itself one */
		assert_int_equal(f->generic, !strcmp(f->name, "(*L).Get") ||
						     !strcmp(f->name, "L.Len") ||
						     !strcmp(f->name, "Generic"));
		n++;
	}
	assert_int_equal(n, sizeof(w) / sizeof(w[0]));
	/* the var specs of lines 6 to 10, and the types of 11 and 12 (a generic one is left out) */
	assert_int_equal(sc.types_nr, 1);
	assert_string_equal(sc.types[0].name, "T");
	assert_string_equal(sc.types[0].expr, "struct{ cb func(int) error }");
	goscopes_release(&sc);
	assert_int_equal(sc.nr, 0);
	assert_null(sc.items);
}

static void test_at(void **state)
{
	struct goscopes fns = GOSCOPES_INIT;

	(void)state;
	goscopes_scan(&fns, src, sizeof(src) - 1);
	assert_null(goscopes_func_at(&fns, 3, 5));
	assert_null(goscopes_func_at(&fns, 11, 0));
	assert_string_equal(goscopes_func_at(&fns, 6, 25), "glob..func1");
	assert_string_equal(goscopes_func_at(&fns, 14, 2), "F");
	assert_string_equal(goscopes_func_at(&fns, 14, 20), "F.func1");
	assert_string_equal(goscopes_func_at(&fns, 16, 3), "F.func2");
	assert_string_equal(goscopes_func_at(&fns, 16, 14), "F.func2.1");
	/* col 0: the start of the line */
	assert_string_equal(goscopes_func_at(&fns, 17, 0), "F.func2");
	assert_string_equal(goscopes_func_at(&fns, 19, 6), "F");
	assert_string_equal(goscopes_func_at(&fns, 24, 6), "(*T).P");
	assert_string_equal(goscopes_func_at(&fns, 28, 40), "(*L).Get");
	assert_string_equal(goscopes_func_at(&fns, 31, 20), "Generic.func1");
	assert_string_equal(goscopes_func_at(&fns, 33, 11), "Decl");
	assert_null(goscopes_func_at(&fns, 100, 1));
	goscopes_release(&fns);
}

static void test_unterminated(void **state)
{
	static const char *const bad[] = {
		"package p\nfunc F() {\n\ts := \"abc\n\tx := 1\n}\n",
		"package p\nfunc F() { /* never closed",
		"package p\nfunc F() { `raw",
		"package p\nfunc (",
		"package p\nfunc",
		"func F[",
		"}}}} func G() {",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct goscopes fns = GOSCOPES_INIT;

		goscopes_scan(&fns, bad[i], strlen(bad[i]));
		goscopes_release(&fns);
	}
	{
		/* an interpreted string stops at the line end: the body still closes */
		struct goscopes fns = GOSCOPES_INIT;

		goscopes_scan(&fns, bad[0], strlen(bad[0]));
		assert_int_equal(fns.nr, 1);
		assert_string_equal(fns.items[0].name, "F");
		assert_int_equal(fns.items[0].end_line, 5);
		goscopes_release(&fns);
		/* an open body runs to the end */
		goscopes_scan(&fns, bad[6], strlen(bad[6]));
		assert_int_equal(fns.nr, 1);
		assert_string_equal(fns.items[0].name, "G");
		assert_int_equal(fns.items[0].end_line, 0x7fffffff);
		goscopes_release(&fns);
	}
}

static void test_is_generated(void **state)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
		{ "// Code generated by stringer; DO NOT EDIT.\n\npackage p\n", 1 },
		{ "\xef\xbb\xbf// Code generated by x. DO NOT EDIT.\npackage p\n", 1 },
		{ "// Copyright\n\n// Code generated by x. DO NOT EDIT.\r\npackage p\n", 1 },
		{ "package p\n// Code generated by x. DO NOT EDIT.\n", 0 },
		{ "// Code generated by x. DO NOT EDIT\npackage p\n", 0 },
		{ "// Code generated DO NOT EDIT.\npackage p\n", 0 },
		{ "//Code generated by x. DO NOT EDIT.\npackage p\n", 0 },
		{ "// Code generated by x. DO NOT EDIT.", 1 },
		{ "", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(gosrc_is_generated(cases[i].s, strlen(cases[i].s)), cases[i].want);
}

/* What gosrc_build_constraint() says constrains a file, for its warning. */
static void test_build_constraint(void **state)
{
	static const struct {
		const char *path, *s, *why; /* "": not constrained */
	} cases[] = {
		{ "a_windows.go", "package p\n", "its name's _windows" },
		{ "dir/x_linux_amd64_test.go", "package p\n", "its name's _amd64" },
		{ "a.go", "// +build ignore\n\n//go:build go1.27 && !http2legacy\r\n\npackage p\n",
		  "//go:build go1.27 && !http2legacy" },
		{ "a.go", "// Old.\n\n// +build   ignore\t\n\npackage p\n", "// +build   ignore" },
		{ "a.go", "//go:build \x01x\npackage p\n", "//go:build ?x" },
		{ "a.go", "package p\n\nimport \"C\"\n", "import \"C\", which cgo builds" },
		{ "a.go", "package p\n", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf why = STRBUF_INIT;
		int got = gosrc_build_constraint(&why, cases[i].path, cases[i].s, strlen(cases[i].s));

		assert_int_equal(got, *cases[i].why != '\0');
		assert_int_equal(got, gosrc_build_constraint(NULL, cases[i].path, cases[i].s,
							     strlen(cases[i].s)));
		assert_string_equal(why.len ? why.buf : "", cases[i].why);
		strbuf_release(&why);
	}
}

static void test_module_path(void **state)
{
	static const struct {
		const char *gomod, *want; /* NULL: none */
	} cases[] = {
		{ "module example.com/m\n\ngo 1.26\n", "example.com/m" },
		{ "// a comment\n\tmodule  example.com/m // the path\r\ngo 1.19\n", "example.com/m" },
		{ "module \"example.com/q\"\n", "example.com/q" },
		{ "module `example.com/r`", "example.com/r" },
		{ "module myapp", "myapp" },
		{ "go 1.26\nrequire example.com/x v1.0.0\n", NULL },
		{ "modules example.com/m\n", NULL },
		{ "module\n", NULL },
		{ "module \"\"\n", NULL },
		{ "", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		int ret = gosrc_module_path(&sb, cases[i].gomod, strlen(cases[i].gomod));

		if (cases[i].want) {
			assert_int_equal(ret, 0);
			assert_string_equal(sb.buf, cases[i].want);
		} else {
			assert_int_equal(ret, -1);
			assert_int_equal(sb.len, 0);
		}
		strbuf_release(&sb);
	}
}

static void test_build_constrained(void **state)
{
	static const struct {
		const char *path, *s;
		int want;
	} cases[] = {
		/* names: the last element after a '_' (before _test) */
		{ "a_windows.go", "package p\n", 1 },
		{ "dir/x_linux_amd64.go", "package p\n", 1 },
		{ "x_arm64_test.go", "package p\n", 1 },
		{ "x_wasip1.go", "package p\n", 1 },
		{ "linux.go", "package p\n", 0 },
		{ "windows_test.go", "package p\n", 0 },
		{ "http_client.go", "package p\n", 0 },
		{ "x_linux2.go", "package p\n", 0 },
		{ "linux_dir/a.go", "package p\n", 0 },
		{ "x_windows_helper.go", "package p\n", 0 },
		/* lines before the package clause */
		{ "a.go", "//go:build linux\n\npackage p\n", 1 },
		{ "a.go", "// Copyright\n\n/* block */\n// +build ignore\n\npackage p\n", 1 },
		{ "a.go", "//go:build\tlinux\r\npackage p\n", 1 },
		{ "a.go", "package p\n\n//go:build linux\n", 0 },
		{ "a.go", "//go:builder\npackage p\n", 0 },
		{ "a.go", "// go:build linux\npackage p\n", 0 },
		{ "a.go", "/*\n//go:build linux\n*/\npackage p\n", 0 },
		{ "a.go", "", 0 },
		{ "a.go", "\xef\xbb\xbf//go:build ignore\n\npackage p\n", 1 },
		/* cgo: an import of "C", alone or in a group */
		{ "a.go", "package p\n\n// #include <stdlib.h>\nimport \"C\"\n", 1 },
		{ "a.go", "package p\nimport (\n\t\"fmt\"\n\t/* c */ \"C\"\n)\n", 1 },
		{ "a.go", "package p; import \"os\"; import \"C\"\n", 1 },
		{ "a.go", "package p\nimport c \"C\"\n", 1 },
		{ "a.go", "package p\nimport \"CC\"\n", 0 },
		{ "a.go", "package p\nfunc f() { _ = \"C\" }\nimport \"C\"\n", 0 },
		{ "a.go", "package p\nvar s = \"C\"\n", 0 },
		{ "a.go", "// import \"C\"\npackage p\n", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (gosrc_build_constraint(NULL, cases[i].path, cases[i].s, strlen(cases[i].s)) != cases[i].want)
			fail_msg("%s: %s", cases[i].path, cases[i].s);
}

/* Tokens as "K:text@line:col" (K: I N S R W C B L O X; "!" when open), space-separated. */
static void render_tokens(struct strbuf *out, const char *s, size_t len, enum golex_state start)
{
	static const char kinds[] = "EINSRWCBLOX";
	struct golex lx;
	struct gotoken t;

	strbuf_reset(out);
	golex_init(&lx, s, len, start);
	while (golex_next(&lx, &t) != GOTOK_EOF) {
		if (out->len)
			strbuf_addch(out, ' ');
		strbuf_addf(out, "%c%s:", kinds[t.kind], t.open ? "!" : "");
		if (t.kind != GOTOK_NEWLINE)
			strbuf_add(out, s + t.off, t.len);
		strbuf_addf(out, "@%d:%d", t.line, t.col);
	}
}

static void test_lexer(void **state)
{
	static const char text[] =
		"s := `a\n"                               /* 1: a raw string across lines */
		"b` + \"x//y\\\"\" // c\n"                /* 2: a string holding // and \" */
		"r := '\"'; q := '\\''\n"                 /* 3: runes '"' and '\'' */
		"/* a // b */ x\n"                        /* 4: a block comment holding // */
		"n := 0x1p-2 + 1e+5 - .5 + 1_000i\n"      /* 5: numbers and their signs */
		"a &^= b... <-ch $\n"                     /* 6: longest operators, a stray byte */
		"\"open\n"                                /* 7: an unterminated string */
		"`never closed";                          /* 8: and raw string */
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	render_tokens(&sb, text, sizeof(text) - 1, GOLEX_CODE);
	assert_string_equal(sb.buf,
		"I:s@1:1 O::=@1:3 W:`a\nb`@1:6 O:+@2:4 S:\"x//y\\\"\"@2:6 C:// c@2:15 L:@2:19 "
		"I:r@3:1 O::=@3:3 R:'\"'@3:6 O:;@3:9 I:q@3:11 O::=@3:13 R:'\\''@3:16 L:@3:20 "
		"B:/* a // b */@4:1 I:x@4:14 L:@4:15 "
		"I:n@5:1 O::=@5:3 N:0x1p-2@5:6 O:+@5:13 N:1e+5@5:15 O:-@5:20 N:.5@5:22 O:+@5:25 "
		"N:1_000i@5:27 L:@5:33 "
		"I:a@6:1 O:&^=@6:3 I:b@6:7 O:...@6:8 O:<-@6:12 I:ch@6:14 X:$@6:17 L:@6:18 "
		"S!:\"open@7:1 L:@7:6 W!:`never closed@8:1");

	/* from inside a raw string or a block comment: the first token is its rest */
	render_tokens(&sb, "x` // y", 7, GOLEX_IN_RAW);
	assert_string_equal(sb.buf, "W:x`@1:1 C:// y@1:4");
	render_tokens(&sb, "a // b */ c", 11, GOLEX_IN_BLOCK);
	assert_string_equal(sb.buf, "B:a // b */@1:1 I:c@1:11");
	render_tokens(&sb, "still inside", 12, GOLEX_IN_RAW);
	assert_string_equal(sb.buf, "W!:still inside@1:1");
	/* a hex mantissa's 'e' is a digit, not an exponent: 0x1e, +, 2 */
	render_tokens(&sb, "0x1e+2", 6, GOLEX_CODE);
	assert_string_equal(sb.buf, "N:0x1e@1:1 O:+@1:5 N:2@1:6");
	/* a byte order mark at the start is not an identifier's bytes, and
	 * counts in the columns as the compiler counts it */
	render_tokens(&sb, "\xef\xbb\xbfpackage p", 12, GOLEX_CODE);
	assert_string_equal(sb.buf, "I:package@1:4 I:p@1:12");
	/* UTF-8 letters are identifier bytes */
	render_tokens(&sb, "h\xc3\xa9llo := 1", 11, GOLEX_CODE);
	assert_string_equal(sb.buf, "I:h\xc3\xa9llo@1:1 O::=@1:8 N:1@1:11");
	strbuf_release(&sb);
}

static void test_line_comment(void **state)
{
	static const struct {
		const char *line;
		enum golex_state start;
		long at;
		int alone;
	} cases[] = {
		{ "x := 1 // c", GOLEX_CODE, 9, 0 },
		{ "\t// c", GOLEX_CODE, 3, 1 },
		{ "log.Print(\"//escape:ok not a comment\")", GOLEX_CODE, -1, 0 },
		{ "s := `//escape:ok raw`", GOLEX_CODE, -1, 0 },
		{ "r := '\"' // after a rune holding a quote", GOLEX_CODE, 11, 0 },
		{ "r := '\\'' // after an escaped quote", GOLEX_CODE, 12, 0 },
		{ "f(/* // */ x) // after a block holding //", GOLEX_CODE, 16, 0 },
		{ "f(x) /* // unterminated", GOLEX_CODE, -1, 0 },
		/* lines inside a multi-line raw string or block comment */
		{ "//escape:ok inside a raw string", GOLEX_IN_RAW, -1, 0 },
		{ "`; p := &T{} // after it", GOLEX_IN_RAW, 15, 0 },
		{ "// inside a block comment", GOLEX_IN_BLOCK, -1, 0 },
		{ "*/ // after it", GOLEX_IN_BLOCK, 5, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int alone = -1;
		long at = gosrc_line_comment(cases[i].line, strlen(cases[i].line), cases[i].start,
					     &alone);

		if (at != cases[i].at)
			fail_msg("%s: comment at %ld, want %ld", cases[i].line, at, cases[i].at);
		if (at >= 0)
			assert_int_equal(alone, cases[i].alone);
	}
}

/* The n-th loop (from 0, by the start of its body) whose `for` is on for_line. */
static const struct goscope *find_loop(const struct goscopes *sc, int for_line, int n)
{
	size_t i;

	for (i = 0; i < sc->nr; i++)
		if (sc->items[i].kind == GOSCOPE_LOOP && sc->items[i].for_line == for_line && !n--)
			return &sc->items[i];
	return NULL;
}

static void test_loops_vars_types(void **state)
{
	static const char text[] =
		"package p\n"                                            /* 1 */
		"var (\n"                                                /* 2 */
		"\ta, b = f(1,\n"                                        /* 3 */
		"\t\t2), g()\n"                                          /* 4 */
		"\tc int\n"                                              /* 5 */
		")\n"                                                    /* 6 */
		"var d = []int{1, 2}; var e = 3\n"                       /* 7 */
		"type (\n"                                               /* 8 */
		"\tE struct{} // empty\n"                                /* 9 */
		"\tA = [0]int\n"                                         /* 10 */
		"\tG[K any] struct{}\n"                                  /* 11 */
		"\tArr [4]E\n"                                           /* 12 */
		")\n"                                                    /* 13 */
		"func F(xs []int) {\n"                                   /* 14 */
		"\tfor _, x := range []struct{ a int }{{1}} {\n"         /* 15 */
		"\t\tfor i := 0; i < x.a; i++ { _ = i }\n"               /* 16 */
		"\t}\n"                                                  /* 17 */
		"\tfor f := func() bool { for { return true } }; f(); {\n" /* 18 */
		"\t\tbreak\n"                                            /* 19 */
		"\t}\n"                                                  /* 20 */
		"\tfor range xs {\n"                                     /* 21 */
		"\t\tgo func() { for { } }()\n"                          /* 22 */
		"\t}\n"                                                  /* 23 */
		"}\n";                                                   /* 24 */
	struct goscopes sc = GOSCOPES_INIT;
	const struct goscope *l;
	size_t i, vars = 0;

	(void)state;
	goscopes_scan(&sc, text, sizeof(text) - 1);
	/* loops: their bodies, past a composite literal and a func literal in the header */
	assert_non_null(l = find_loop(&sc, 15, 0));
	assert_int_equal(l->start_line, 15);
	assert_int_equal(l->start_col, 43);
	assert_int_equal(l->end_line, 17);
	assert_int_equal(l->end_col, 2);
	assert_non_null(l = find_loop(&sc, 16, 0));
	assert_int_equal(l->start_col, 28);
	assert_int_equal(l->end_line, 16);
	assert_int_equal(l->end_col, 36);
	/* the literal's own loop first, then the loop whose header holds it */
	assert_non_null(l = find_loop(&sc, 18, 0));
	assert_int_equal(l->start_col, 29);
	assert_int_equal(l->end_col, 43);
	assert_non_null(l = find_loop(&sc, 18, 1));
	assert_int_equal(l->start_line, 18);
	assert_int_equal(l->start_col, 53);
	assert_int_equal(l->end_line, 20);
	assert_non_null(l = find_loop(&sc, 21, 0));
	assert_int_equal(l->start_col, 15);
	assert_int_equal(l->end_line, 23);
	assert_non_null(l = find_loop(&sc, 22, 0));
	assert_int_equal(l->start_col, 19);
	assert_null(find_loop(&sc, 22, 1));
	/* six in all */
	for (i = 0; i < sc.nr; i++)
		vars += sc.items[i].kind == GOSCOPE_LOOP;
	assert_int_equal(vars, 6);
	assert_string_equal(goscopes_func_at(&sc, 18, 30), "F.func1");
	assert_string_equal(goscopes_func_at(&sc, 22, 16), "F.func2");
	assert_string_equal(goscopes_func_at(&sc, 19, 3), "F");

	/* package-level var specs: names, the '=' and the initialiser's commas */
	vars = 0;
	for (i = 0; i < sc.nr; i++) {
		const struct goscope *v = &sc.items[i];

		if (v->kind != GOSCOPE_VAR)
			continue;
		switch (vars++) {
		case 0:
			assert_string_equal(v->name, "a,b");
			assert_int_equal(v->start_line, 3);
			assert_int_equal(v->start_col, 2);
			assert_int_equal(v->end_line, 4);
			assert_int_equal(v->eq_line, 3);
			assert_int_equal(v->eq_col, 7);
			/* f(1, 2)'s comma is inside the call: one top-level comma */
			assert_int_equal(v->commas_nr, 2);
			assert_int_equal(v->commas[0], 4);
			assert_int_equal(v->commas[1], 5);
			break;
		case 1:
			assert_string_equal(v->name, "c");
			assert_int_equal(v->eq_line, 0);
			break;
		case 2:
			assert_string_equal(v->name, "d");
			assert_int_equal(v->start_line, 7);
			assert_int_equal(v->end_line, 7);
			assert_int_equal(v->end_col, 20);
			assert_int_equal(v->commas_nr, 0);
			break;
		case 3:
			assert_string_equal(v->name, "e");
			assert_int_equal(v->start_col, 26);
			break;
		}
	}
	assert_int_equal(vars, 4);

	/* type declarations; the generic one is left out */
	assert_int_equal(sc.types_nr, 3);
	assert_string_equal(sc.types[0].name, "E");
	assert_string_equal(sc.types[0].expr, "struct{} // empty");
	assert_string_equal(sc.types[1].name, "A");
	assert_string_equal(sc.types[1].expr, "[0]int");
	assert_string_equal(sc.types[2].name, "Arr");
	assert_string_equal(sc.types[2].expr, "[4]E");
	for (i = 0; i < sc.types_nr; i++)
		assert_true(gosrc_type_is_zero(sc.types[i].expr, strlen(sc.types[i].expr), sc.types,
					       sc.types_nr));
	goscopes_release(&sc);
}

static void test_zero_size(void **state)
{
	static const struct gotype types[] = {
		{ (char *)"Path", (char *)"struct{}" },
		{ (char *)"Empty", (char *)"struct {\n\t_ [0]func()\n\tp, q Path `json:\"p\"`\n}" },
		{ (char *)"Point", (char *)"struct{ X, Y int }" },
		{ (char *)"Loop", (char *)"Loop2" },
		{ (char *)"Loop2", (char *)"Loop" },
		{ (char *)"Ptr", (char *)"*Path" },
	};
	static const struct {
		const char *expr;
		int zero;
	} cases[] = {
		{ "struct{}", 1 }, { "struct {\n}", 1 }, { "[0]int", 1 }, { "[0x0]Point", 1 },
		{ "[3]Path", 1 }, { "[3]struct{ a [0]int }", 1 }, { "(Path)", 1 }, { "Empty", 1 },
		{ "struct{ Path; e Empty }", 1 },
		{ "Point", 0 }, { "[1]int", 0 }, { "[N]Path", 0 }, { "[]Path", 0 }, { "*Path", 0 },
		{ "Ptr", 0 }, { "int", 0 }, { "pkg.Empty", 0 }, { "struct{ *Path }", 0 },
		{ "struct{ a int; Path }", 0 }, { "Loop", 0 }, { "Unknown", 0 }, { "", 0 },
		{ "map[int]Path", 0 }, { "func()", 0 }, { "interface{}", 0 }, { "G[int]", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (gosrc_type_is_zero(cases[i].expr, strlen(cases[i].expr), types,
				       sizeof(types) / sizeof(types[0])) != cases[i].zero)
			fail_msg("%s: want zero-size %d", cases[i].expr, cases[i].zero);
}

static struct finding *at(const char *file, int line, int col)
{
	struct finding *f = finding_new();

	f->file = xstrdup(file);
	f->line = line;
	f->column = col;
	f->message = xstrdup("m");
	return f;
}

static void test_locate(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	/* tests/unit/data/escape/main.go, the program of the parser tests */
	finding_list_add(&l, at("escape/main.go", 57, 9));
	finding_list_add(&l, at("escape/sub/sub.go", 6, 2));
	finding_list_add(&l, at("escape/main.go", 20, 2));
	finding_list_add(&l, at("escape/missing.go", 1, 1));
	finding_list_add(&l, at("escape/main.go", 1, 1));
	if (*state) {
		/* escape/ read ahead: escape/sub/ is read when it is needed */
		const char *dirs[] = { "escape" };
		struct gosrc_preload *pre = gosrc_preload_start("tests/unit/data", dirs, 1, 0, NULL);

		gosrc_locate_preloaded(&l, "tests/unit/data", pre);
		gosrc_preload_free(pre);
	} else {
		gosrc_locate(&l, "tests/unit/data");
	}
	/* the list keeps its order */
	assert_int_equal(l.items[0]->line, 57);
	assert_string_equal(l.items[0]->function, "Closure");
	assert_string_equal(l.items[0]->source, "\treturn func() int {");
	assert_null(l.items[0]->source_above); /* "\tc := 0": no acknowledgement */
	assert_string_equal(l.items[1]->function, "(*L).Get");
	assert_string_equal(l.items[1]->source, "\tv := 0");
	assert_string_equal(l.items[2]->function, "NewPoint");
	assert_null(l.items[3]->function);
	assert_null(l.items[3]->source);
	assert_null(l.items[4]->function);
	assert_string_equal(l.items[4]->source, "package main");
	assert_null(l.items[4]->source_above);
	finding_list_release(&l);
}

static struct finding *verdict_at(const char *file, int line, int col, enum verdict v,
				  const char *subject)
{
	struct finding *f = at(file, line, col);

	f->verdict = v;
	f->subject = xstrdup(subject);
	return f;
}

/*
 * tests/unit/data/locate: package-level var initialisers named after their
 * variable, func init, loops (the finding's own function's only), a line
 * after a multi-line raw string, zero-size types declared in types.go.
 */
/* `cache`: the scope cache the read ahead uses (gosrc.h), or NULL. */
static void locate_scopes(int preload, const char *cache)
{
	static const struct {
		int line, col;
		enum verdict v;
		const char *subject;
		const char *function;
		int in_init, loop_line;
		const char *zero;
		unsigned lit;  /* lit_kind */
	} w[] = {
		{ 8, 22, VERDICT_ESCAPES, "&errors.errorString{...}", "ErrA", 1, 0, NULL, LIT_UNKNOWN },
		{ 11, 25, VERDICT_ESCAPES, "&errors.errorString{...}", "ErrB", 1, 0, NULL, LIT_UNKNOWN },
		{ 11, 42, VERDICT_ESCAPES, "&errors.errorString{...}", "ErrC", 1, 0, NULL, LIT_UNKNOWN },
		{ 12, 30, VERDICT_ESCAPES, "map[string]*int{}", "table", 1, 0, NULL, LIT_UNKNOWN },
		/* a package-level closure's body runs per call */
		{ 13, 38, VERDICT_ESCAPES, "&Point{}", "glob..func1", 0, 0, NULL, LIT_UNKNOWN },
		{ 20, 19, VERDICT_ESCAPES, "i", "init", 1, 19, NULL, LIT_UNKNOWN },
		{ 20, 29, VERDICT_ESCAPES, "new(int)", "init", 1, 19, NULL, LIT_UNKNOWN },
		{ 22, 5, VERDICT_ESCAPES, "func literal", "init", 1, 0, NULL, LIT_UNKNOWN },
		{ 27, 3, VERDICT_MOVED, "v", "Loops", 0, 26, NULL, LIT_UNKNOWN },
		/* the closure's body is not per iteration of the loop around the closure */
		{ 31, 22, VERDICT_MOVED, "n", "Loops.func1", 0, 0, NULL, LIT_UNKNOWN },
		/* its inlined copy at the call is */
		{ 32, 22, VERDICT_MOVED, "n", "Loops", 0, 30, NULL, LIT_UNKNOWN },
		{ 36, 9, VERDICT_ESCAPES, "&Point{}", "Loops", 0, 0, NULL, LIT_UNKNOWN },
		{ 42, 11, VERDICT_MOVED, "e", "Zero", 0, 0, "Empty", LIT_UNKNOWN },
		{ 43, 2, VERDICT_MOVED, "p", "Zero", 0, 0, "Path", LIT_UNKNOWN },
		{ 44, 6, VERDICT_MOVED, "a", "Zero", 0, 0, "[0]int", LIT_UNKNOWN },
		{ 45, 2, VERDICT_MOVED, "n", "Zero", 0, 0, NULL, LIT_UNKNOWN },
		/* T{} of a map type (through a name of types.go declared in
		 * a.go), of a slice type, of a struct (a value) */
		{ 52, 9, VERDICT_ESCAPES, "Table{}", "Literals", 0, 0, NULL, LIT_MAP },
		{ 52, 18, VERDICT_ESCAPES, "table{...}", "Literals", 0, 0, NULL, LIT_MAP },
		{ 52, 33, VERDICT_ESCAPES, "Names{}", "Literals", 0, 0, NULL, LIT_SLICE },
		{ 52, 42, VERDICT_ESCAPES, "Point{}", "Literals", 0, 0, NULL, LIT_VALUE },
		/* boxed zero values: of a zero-size type, or not */
		{ 56, 13, VERDICT_ESCAPES, "Path{}", "Boxed", 0, 0, "Path", LIT_VALUE },
		{ 56, 25, VERDICT_ESCAPES, "struct {}{}", "Boxed", 0, 0, "struct {}", LIT_UNKNOWN },
		{ 56, 37, VERDICT_ESCAPES, "NotEmpty{}", "Boxed", 0, 0, NULL, LIT_VALUE },
	};
	struct finding_list l = FINDING_LIST_INIT;
	size_t i;

	/* in reverse: the list keeps its order whatever it is */
	for (i = sizeof(w) / sizeof(w[0]); i-- > 0;)
		finding_list_add(&l, verdict_at("locate/a.go", w[i].line, w[i].col, w[i].v,
						w[i].subject));
	/* as Go 1.26 names package initialisation: the variable's name wins */
	l.items[l.nr - 1]->function = xstrdup("init");
	if (preload) {
		/* read ahead: the same answers (types.go's declarations too) */
		const char *dirs[] = { "locate", "nope" };
		struct gosrc_preload *pre = gosrc_preload_start("tests/unit/data", dirs, 2, 0, cache);

		gosrc_locate_preloaded(&l, "tests/unit/data", pre);
		gosrc_preload_free(pre);
	} else {
		gosrc_locate(&l, "tests/unit/data");
	}
	for (i = 0; i < l.nr; i++) {
		const struct finding *f = l.items[l.nr - 1 - i];

		assert_int_equal(f->line, w[i].line);
		if (!f->function || strcmp(f->function, w[i].function))
			fail_msg("%d:%d: function %s, want %s", f->line, f->column,
				 f->function ? f->function : "(null)", w[i].function);
		assert_int_equal(f->in_init, w[i].in_init);
		assert_int_equal(f->in_loop, w[i].loop_line > 0);
		assert_int_equal(f->loop_line, w[i].loop_line);
		if (w[i].zero)
			assert_string_equal(f->zero_size, w[i].zero);
		else
			assert_null(f->zero_size);
		if (f->lit_kind != w[i].lit)
			fail_msg("%d:%d %s: lit_kind %u, want %u", f->line, f->column, f->subject,
				 f->lit_kind, w[i].lit);
	}
	/* line 36 starts inside the raw string of line 34, and so does 35 */
	{
		const struct finding *f = l.items[l.nr - 1 - 11];

		assert_string_equal(f->source, "`; p := &Point{} //escape:ok after the raw string");
		assert_string_equal(f->source_above, "//escape:ok inside a raw string");
		assert_int_equal(f->source_state, GOLEX_IN_RAW);
		assert_int_equal(f->source_above_state, GOLEX_IN_RAW);
		f = l.items[l.nr - 1 - 10];
		assert_int_equal(f->source_state, GOLEX_CODE);
		assert_int_equal(f->source_above_state, GOLEX_CODE);
	}
	finding_list_release(&l);
}

/* sel_pkg: the subject's first element is a name the file imports;
 * sel_field: its last is a field of the package's structs, no method. */
static void test_locate_selectors(void **state)
{
	static const struct {
		int col;
		const char *subject;
		unsigned sel_pkg, sel_field;
	} w[] = {
		{ 9, "rand.N", 1, 0 },         /* "math/rand/v2" */
		{ 22, "str.ToUpper", 1, 0 },   /* str "strings" */
		{ 35, "p.X", 0, 1 },           /* Point, in a.go */
		{ 35, "strings.ToUpper", 0, 0 }, /* imported as str */
		{ 35, "q.p.Left", 0, 1 },
		{ 35, "q.Right", 0, 1 },
		{ 35, "q.Point", 0, 1 },       /* embedded */
		{ 35, "q.Len", 0, 0 },         /* a field, and a method of Point */
		{ 35, "q.Missing", 0, 0 },
		{ 35, "rand.n", 0, 0 },
	};
	struct finding_list l = FINDING_LIST_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		finding_list_add(&l, verdict_at("locate/b.go", 11, w[i].col, VERDICT_ESCAPES,
						w[i].subject));
	gosrc_locate(&l, "tests/unit/data");
	for (i = 0; i < l.nr; i++)
		if (l.items[i]->sel_pkg != w[i].sel_pkg || l.items[i]->sel_field != w[i].sel_field)
			fail_msg("%s: sel_pkg %u sel_field %u, want %u %u", w[i].subject,
				 l.items[i]->sel_pkg, l.items[i]->sel_field, w[i].sel_pkg,
				 w[i].sel_field);
	finding_list_release(&l);
}

/* lit_kind of pkg.T{...}: T looked up in the directory of the imported
 * package when it is one of the finding's module (from its package's
 * path and its file's directory). */
static void test_locate_other_package(void **state)
{
	static const struct {
		const char *package, *subject;
		unsigned lit;
	} w[] = {
		{ "example.com/mod/locate", "kinds.Table{}", LIT_MAP },
		{ "example.com/mod/locate", "k2.List{...}", LIT_SLICE },
		{ "example.com/mod/locate", "kinds.Pair{...}", LIT_VALUE },
		{ "example.com/mod/locate", "kinds.Grid{...}", LIT_VALUE },
		{ "example.com/mod/locate", "kinds.Missing{}", LIT_UNKNOWN },
		{ "example.com/mod/locate", "other.Table{}", LIT_UNKNOWN }, /* no such import */
		/* another module: its packages are not in this directory */
		{ "example.com/elsewhere/locate", "kinds.Table{}", LIT_UNKNOWN },
		/* through the alias */
		{ "example.com/mod/locate", "k2.Table{...}", LIT_MAP },
	};
	struct finding_list l = FINDING_LIST_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct finding *f = verdict_at("locate/c.go", 9, 18, VERDICT_ESCAPES, w[i].subject);

		f->package = xstrdup(w[i].package);
		finding_list_add(&l, f);
	}
	gosrc_locate(&l, "tests/unit/data");
	for (i = 0; i < l.nr; i++)
		if (l.items[i]->lit_kind != w[i].lit)
			fail_msg("%s in %s: lit_kind %u, want %u", w[i].subject, w[i].package,
				 l.items[i]->lit_kind, w[i].lit);
	finding_list_release(&l);
}

/* moved_param: a `moved to heap` of a parameter or receiver of a
 * function an importer can call, not of its body nor its results. */
static void test_locate_moved_param(void **state)
{
	static const struct {
		int line, col;
		const char *subject;
		unsigned moved_param;
	} w[] = {
		{ 22, 7, "p", 1 },   /* the receiver of Len */
		{ 27, 7, "p", 1 },   /* of Swap */
		{ 27, 21, "q", 1 },
		{ 27, 32, "keep", 0 }, /* the body */
		{ 30, 2, "n", 1 },   /* the signature's second line */
		{ 30, 9, "t", 1 },
		{ 30, 15, "r", 0 },  /* a named result */
		{ 34, 12, "x", 0 },  /* local: no importer calls it */
	};
	struct finding_list l = FINDING_LIST_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		finding_list_add(&l, verdict_at("locate/b.go", w[i].line, w[i].col, VERDICT_MOVED,
						w[i].subject));
	gosrc_locate(&l, "tests/unit/data");
	for (i = 0; i < l.nr; i++)
		if (l.items[i]->moved_param != w[i].moved_param)
			fail_msg("%d:%d %s: moved_param %u, want %u", w[i].line, w[i].col,
				 w[i].subject, l.items[i]->moved_param, w[i].moved_param);
	finding_list_release(&l);
}

/*
 * The same answers from the scope cache: written by the first read ahead,
 * taken as it is by the second (not rewritten), and written again, byte
 * for byte, when it was cut short; and a file whose bytes changed is
 * scanned again.
 */
static void test_locate_scopes(void **state)
{
	char dir[] = "/tmp/test_gosrc_scopes.XXXXXX";
	struct strbuf sb = STRBUF_INIT, first = STRBUF_INIT;
	struct stat st1, st2;
	char *cache;
	FILE *fp;

	(void)state;
	locate_scopes(0, NULL);
	locate_scopes(1, NULL);
	assert_non_null(mkdtemp(dir));
	cache = path_join(dir, "scopes");
	locate_scopes(1, cache);
	assert_int_equal(stat(cache, &st1), 0);
	assert_true(st1.st_size > 100);
	assert_true(strbuf_read_file(&first, cache, 1 << 20) == st1.st_size);
	locate_scopes(1, cache);
	assert_int_equal(stat(cache, &st2), 0);
	assert_true(st1.st_ino == st2.st_ino && st1.st_mtime == st2.st_mtime);
	assert_memory_equal(first.buf, "escape-review scopes 3 " ER_VERSION "\n",
			    strlen("escape-review scopes 3 " ER_VERSION "\n"));
	/* a cache cut short: its whole records are taken, the rest scanned,
	 * and it is written again as it was (every field taken back as
	 * scanned) */
	assert_int_equal(truncate(cache, st1.st_size / 2), 0);
	locate_scopes(1, cache);
	assert_true(strbuf_read_file(&sb, cache, 1 << 20) == st1.st_size);
	assert_memory_equal(sb.buf, first.buf, first.len);
	/* a file changed to bytes of the same length: scanned again */
	{
		const char *dirs[] = { "p" };
		struct finding_list l = FINDING_LIST_INIT;
		struct gosrc_preload *pre;
		char *sub = path_join(dir, "p"), *file = path_join(dir, "p/p.go");
		int k;

		assert_int_equal(mkdir(sub, 0700), 0);
		for (k = 0; k < 2; k++) {
			fp = fopen(file, "w");
			assert_non_null(fp);
			fputs(k ? "package p\n\nfunc B() {\n\tx := 1\n}\n" : "package p\n\nfunc A() {\n\tx := 1\n}\n", fp);
			assert_int_equal(fclose(fp), 0);
			finding_list_add(&l, at("p/p.go", 4, 2));
			pre = gosrc_preload_start(dir, dirs, 1, 0, cache);
			gosrc_locate_preloaded(&l, dir, pre);
			gosrc_preload_free(pre);
			assert_string_equal(l.items[k]->function, k ? "B" : "A");
		}
		finding_list_release(&l);
		unlink(file);
		rmdir(sub);
		free(file);
		free(sub);
	}
	unlink(cache);
	rmdir(dir);
	free(cache);
	strbuf_release(&sb);
	strbuf_release(&first);
}

/*
 * The sweep of gosrc_locate gives every position of a large file the
 * function goscopes_func_at() finds for it, and the loop around it.
 */
static void test_locate_sweep(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct goscopes sc = GOSCOPES_INIT;
	struct finding_list l = FINDING_LIST_INIT;
	char dir[] = "/tmp/test_gosrc.XXXXXX";
	char *path;
	FILE *fp;
	int n, line, lines;
	size_t i;

	(void)state;
	strbuf_addstr(&text, "package p\n\nvar X = func() int { return 1 }()\n\n");
	for (n = 0; n < 300; n++) {
		strbuf_addf(&text, "func F%d(xs []int) (out []*int) {\n", n);
		strbuf_addstr(&text, "\tfor _, x := range xs {\n\t\tv := x\n");
		if (n % 3 == 0)
			strbuf_addstr(&text, "\t\tf := func() *int { w := v; return &w }\n\t\t_ = f\n");
		strbuf_addstr(&text, "\t\tout = append(out, &v)\n\t}\n\ts := \"}\" // {\n\t_ = s\n"
				    "\treturn out\n}\n\n");
	}
	assert_non_null(mkdtemp(dir));
	path = path_join(dir, "p.go");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite(text.buf, 1, text.len, fp);
	fclose(fp);
	goscopes_scan(&sc, text.buf, text.len);
	for (lines = 1, i = 0; i < text.len; i++)
		lines += text.buf[i] == '\n';
	/* two findings per line: its start and column 3; scattered order */
	for (line = lines; line >= 1; line--) {
		finding_list_add(&l, at("p.go", line, 0));
		finding_list_add(&l, at("p.go", line, 3));
	}
	finding_list_add(&l, at("p.go", 3, 33));
	gosrc_locate(&l, dir);
	/* X's initialiser calls a literal: package initialisation, named X */
	assert_string_equal(l.items[l.nr - 1]->function, "X");
	assert_int_equal(l.items[l.nr - 1]->in_init, 1);
	l.nr--;
	finding_free(l.items[l.nr]);
	for (i = 0; i < l.nr; i++) {
		const struct finding *f = l.items[i];
		const char *want = goscopes_func_at(&sc, f->line, f->column);

		size_t k;
		int loop = 0;

		if (!want != !f->function || (want && strcmp(want, f->function)))
			fail_msg("%d:%d: %s, want %s", f->line, f->column,
				 f->function ? f->function : "(null)", want ? want : "(null)");
		/* the loop: the innermost around the position, inside that function */
		for (k = 0; k < sc.nr; k++) {
			const struct goscope *s = &sc.items[k];
			int c = f->column ? f->column : 1;

			if ((s->start_line < f->line || (s->start_line == f->line && s->start_col <= c)) &&
			    (f->line < s->end_line || (f->line == s->end_line && f->column <= s->end_col))) {
				if (s->kind == GOSCOPE_FUNC)
					loop = 0;
				else if (s->kind == GOSCOPE_LOOP)
					loop = s->for_line;
			}
		}
		if (f->loop_line != loop)
			fail_msg("%d:%d: loop at %d, want %d", f->line, f->column, f->loop_line, loop);
	}
	/* a sample, against the text: line 7 is F0's `v := x`, 8 its closure */
	for (i = 0; i < l.nr; i++) {
		const struct finding *f = l.items[i];

		if (f->line == 7 && f->column == 3) {
			assert_string_equal(f->function, "F0");
			assert_int_equal(f->loop_line, 6);
		}
		if (f->line == 8 && f->column == 3) {
			assert_string_equal(f->source, "\t\tf := func() *int { w := v; return &w }");
			assert_string_equal(f->function, "F0");
		}
		if (f->line == 3 && f->column == 3)
			assert_null(f->function); /* `var`, before the spec */
	}
	finding_list_release(&l);
	goscopes_release(&sc);
	unlink(path);
	rmdir(dir);
	free(path);
	strbuf_release(&text);
}

/*
 * tests/unit/data/testtypes: a non-test file's zero-size lookup sees the
 * package's own files only (b.go's Empty), not a_test.go's `shadow`, which
 * only a test file's finding sees.  Whatever the directory's order.
 */
static void locate_test_types(int preload, int tests)
{
	struct finding_list l = FINDING_LIST_INIT;

	finding_list_add(&l, verdict_at("testtypes/a.go", 5, 2, VERDICT_MOVED, "e"));
	finding_list_add(&l, verdict_at("testtypes/a.go", 12, 2, VERDICT_MOVED, "s"));
	finding_list_add(&l, verdict_at("testtypes/a_test.go", 7, 2, VERDICT_MOVED, "s"));
	if (preload) {
		const char *dirs[] = { "testtypes" };
		struct gosrc_preload *pre = gosrc_preload_start("tests/unit/data", dirs, 1, tests, NULL);

		gosrc_locate_preloaded(&l, "tests/unit/data", pre);
		gosrc_preload_free(pre);
	} else {
		gosrc_locate(&l, "tests/unit/data");
	}
	assert_string_equal(l.items[0]->zero_size, "Empty");
	assert_string_equal(l.items[1]->function, "Odd");
	assert_null(l.items[1]->zero_size);
	assert_string_equal(l.items[2]->function, "helper");
	assert_string_equal(l.items[2]->zero_size, "shadow");
	finding_list_release(&l);
}

static void test_locate_test_types(void **state)
{
	(void)state;
	locate_test_types(0, 0);
	locate_test_types(1, 0);
	locate_test_types(1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexer),
		cmocka_unit_test(test_line_comment),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_loops_vars_types),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_locate_selectors),
		cmocka_unit_test(test_locate_moved_param),
		cmocka_unit_test(test_locate_other_package),
		cmocka_unit_test(test_is_generated),
		cmocka_unit_test(test_build_constrained),
		cmocka_unit_test(test_module_path),
		cmocka_unit_test(test_build_constraint),
		cmocka_unit_test(test_locate),
		cmocka_unit_test_prestate(test_locate, (void *)"preloaded"),
		cmocka_unit_test(test_locate_scopes),
		cmocka_unit_test(test_locate_sweep),
		cmocka_unit_test(test_locate_test_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
