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
 * zero-size types from another file of the package, line states), and
 * that its one-pass sweep agrees with the lookup of every position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	assert_null(goscopes_func_at(&fns, 33, 3));
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

	(void)state;
	/* tests/unit/data/escape/main.go, the program of the parser tests */
	finding_list_add(&l, at("escape/main.go", 57, 9));
	finding_list_add(&l, at("escape/sub/sub.go", 6, 2));
	finding_list_add(&l, at("escape/main.go", 20, 2));
	finding_list_add(&l, at("escape/missing.go", 1, 1));
	finding_list_add(&l, at("escape/main.go", 1, 1));
	gosrc_locate(&l, "tests/unit/data");
	/* the list keeps its order */
	assert_int_equal(l.items[0]->line, 57);
	assert_string_equal(l.items[0]->function, "Closure");
	assert_string_equal(l.items[0]->source, "\treturn func() int {");
	assert_string_equal(l.items[0]->source_above, "\tc := 0");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_is_generated),
		cmocka_unit_test(test_locate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
