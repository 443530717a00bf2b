/*
 * test_contract.c: reading performance contracts (contract.h) from Go
 * text: a directive after code covers its line, alone it covers the next
 * line, in the comment block right above a func declaration the whole
 * function; several words, unknown words, //escape:ok (not a contract),
 * directives inside strings and block comments (not directives).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "contract.h"
#include "util.h"

static void scan(struct contract_list *l, const char *src)
{
	contract_scan_text(l, "pkg/a.go", src, strlen(src));
}

static void check(const struct contract *c, int line, const char *directive, unsigned kinds,
		  const char *func, int first, int last)
{
	assert_string_equal(c->file, "pkg/a.go");
	assert_string_equal(c->package_dir, "pkg");
	assert_int_equal(c->line, line);
	assert_string_equal(c->directive, directive);
	assert_int_equal(c->kinds, kinds);
	if (func)
		assert_string_equal(c->func, func);
	else
		assert_null(c->func);
	assert_int_equal(c->first, first);
	assert_int_equal(c->last, last);
}

static void test_placement(void **state)
{
	static const char src[] =
		"package p\n"                                   /* 1 */
		"\n"                                            /* 2 */
		"// F sums.\n"                                  /* 3 */
		"//\n"                                          /* 4 */
		"//escape:none,bce\n"                           /* 5 */
		"func F(xs []int) int {\n"                      /* 6 */
		"\tf := func() int { return xs[0] }\n"          /* 7 */
		"\treturn f() //escape:inline\n"                /* 8 */
		"}\n"                                           /* 9 */
		"\n"                                            /* 10 */
		"func G(xs []int) int {\n"                      /* 11 */
		"\t//escape:bce\n"                              /* 12 */
		"\treturn xs[1]\n"                              /* 13 */
		"}\n"                                           /* 14 */
		"\n"                                            /* 15 */
		"//escape:inline\n"                             /* 16 */
		"\n"                                            /* 17 */
		"func H() {}\n"                                 /* 18 */
		"\n"                                            /* 19 */
		"func (t *T) M() { //escape:none\n"             /* 20 */
		"}\n";                                          /* 21 */
	struct contract_list l = CONTRACT_LIST_INIT;

	(void)state;
	scan(&l, src);
	assert_int_equal(l.nr, 5);
	/* in F's doc comment: the whole body, its closure included */
	check(&l.items[0], 5, "none,bce", CONTRACT_NONE | CONTRACT_BCE, "F", 6, 9);
	assert_string_equal(contract_scope(&l.items[0]), "function");
	assert_int_equal(l.items[0].column, 1);
	/* after code: its own line */
	check(&l.items[1], 8, "inline", CONTRACT_INLINE, NULL, 8, 8);
	assert_int_equal(l.items[1].column, 13);
	assert_string_equal(contract_scope(&l.items[1]), "line");
	/* alone inside a body: the next line */
	check(&l.items[2], 12, "bce", CONTRACT_BCE, NULL, 13, 13);
	/* a blank line between it and the func: not the doc comment, the next line */
	check(&l.items[3], 16, "inline", CONTRACT_INLINE, NULL, 17, 17);
	/* after the code of a func line: that line only */
	check(&l.items[4], 20, "none", CONTRACT_NONE, NULL, 20, 20);
	contract_list_release(&l);
}

static void test_words(void **state)
{
	static const char src[] =
		"package p\n"
		"var s = \"//escape:none\" // a string is no directive\n"
		"/* //escape:none in a block comment */\n"
		"var a = 1 //escape:ok the acknowledgement is not a contract\n"
		"var b = 2 //escape:ok[ER001] neither\n"
		"var c = f() //escape:noalloc,inline spelt wrong\n"
		"var d = g() //escape:\n"
		"var e = h() // escape:none (a space after //: an ordinary comment)\n"
		"var x = `\n//escape:none inside a raw string\n`\n";
	struct contract_list l = CONTRACT_LIST_INIT;

	(void)state;
	scan(&l, src);
	assert_int_equal(l.nr, 2);
	check(&l.items[0], 6, "noalloc,inline", CONTRACT_INLINE, NULL, 6, 6);
	assert_string_equal(l.items[0].unknown, "noalloc");
	check(&l.items[1], 7, "", 0, NULL, 7, 7);
	assert_string_equal(l.items[1].unknown, "");
	assert_false(contract_dir_has_bce(&l, "pkg"));
	contract_list_release(&l);
	scan(&l, "package p\n\nfunc f(xs []int) int { return xs[0] } //escape:bce\n");
	assert_int_equal(l.nr, 1);
	assert_true(contract_dir_has_bce(&l, "pkg"));
	assert_false(contract_dir_has_bce(&l, "other"));
	contract_list_release(&l);
	/* no directive at all: nothing, and no scan */
	scan(&l, "package p\n// escape analysis\n");
	assert_int_equal(l.nr, 0);
	contract_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_words),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
