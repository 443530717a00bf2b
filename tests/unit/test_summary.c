/*
 * test_summary.c: per-function escape summaries and their differences:
 * leak lines appearing and going (plain, content, to result), order and
 * other verdicts not counting, functions found at one revision only,
 * inlining notes compared only when both sides have them, the words and
 * the parameters of a change, and its name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "util.h"

static void add(struct finding_list *l, const char *pkg, const char *fn, enum verdict v,
		const char *msg, int line)
{
	struct finding *f = finding_new();

	f->package = xstrdup(pkg);
	f->file = xstrdup("store/store.go");
	f->line = line;
	f->function = xstrdup(fn);
	f->verdict = v;
	f->message = xstrdup(msg);
	finding_list_add(l, f);
}

/* Diff the summaries of two lists into `cs`. */
static void diff(struct summary_changes *cs, struct finding_list *b, struct finding_list *h)
{
	struct summary sb = SUMMARY_INIT, sh = SUMMARY_INIT;

	summary_add_findings(&sb, b);
	summary_add_findings(&sh, h);
	summary_diff(cs, &sb, &sh);
	summary_release(&sb);
	summary_release(&sh);
}

static void test_new_leak(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;
	char *name;

	(void)state;
	add(&b, "example.com/m/store", "Count", VERDICT_MOVED, "moved to heap: x", 20);
	add(&h, "example.com/m/store", "Observe", VERDICT_LEAK_PARAM, "leaking param: p", 9);
	add(&h, "example.com/m/store", "Count", VERDICT_MOVED, "moved to heap: y", 20);
	diff(&cs, &b, &h);
	assert_int_equal(cs.nr, 1);
	assert_string_equal(cs.items[0]->package, "example.com/m/store");
	assert_string_equal(cs.items[0]->function, "Observe");
	assert_string_equal(cs.items[0]->file, "store/store.go");
	assert_int_equal(cs.items[0]->line, 9);
	assert_string_equal(cs.items[0]->before, "");
	assert_string_equal(cs.items[0]->after, "leaking param: p");
	assert_string_equal(cs.items[0]->what, "now keeps its argument p");
	assert_int_equal(cs.items[0]->params_nr, 1);
	assert_string_equal(cs.items[0]->params[0], "p");
	assert_null(cs.items[0]->root);
	name = summary_change_name(cs.items[0]);
	assert_string_equal(name, "store.Observe");
	free(name);
	summary_changes_release(&cs);
	finding_list_release(&b);
	finding_list_release(&h);
}

static void test_same_in_another_order(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;

	(void)state;
	add(&b, "m/a", "F", VERDICT_LEAK_PARAM, "leaking param: p", 3);
	add(&b, "m/a", "F", VERDICT_LEAK_CONTENT, "leaking param content: q", 3);
	add(&h, "m/a", "F", VERDICT_LEAK_CONTENT, "leaking param content: q", 7);
	add(&h, "m/a", "F", VERDICT_LEAK_PARAM, "leaking param: p", 7);
	add(&h, "m/a", "G", VERDICT_ESCAPES, "s escapes to heap", 9);
	diff(&cs, &b, &h);
	assert_int_equal(cs.nr, 0);
	summary_changes_release(&cs);
	finding_list_release(&b);
	finding_list_release(&h);
}

static void test_content_and_result(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;

	(void)state;
	add(&b, "m", "(*T).Put", VERDICT_LEAK_PARAM, "leaking param: s to result ~r0 level=0", 4);
	add(&h, "m", "(*T).Put", VERDICT_LEAK_CONTENT, "leaking param content: b", 4);
	diff(&cs, &b, &h);
	assert_int_equal(cs.nr, 1);
	assert_string_equal(cs.items[0]->before, "leaking param: s to result ~r0 level=0");
	assert_string_equal(cs.items[0]->after, "leaking param content: b");
	assert_string_equal(cs.items[0]->what,
			    "now keeps what its argument b points to and no longer returns its argument s");
	assert_int_equal(cs.items[0]->params_nr, 2);
	assert_string_equal(cs.items[0]->params[0], "b");
	assert_string_equal(cs.items[0]->params[1], "s");
	{
		char *name = summary_change_name(cs.items[0]);

		assert_string_equal(name, "m.(*T).Put");
		free(name);
	}
	summary_changes_release(&cs);
	finding_list_release(&b);
	finding_list_release(&h);
}

static void test_one_side_only(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;
	struct summary sb = SUMMARY_INIT, sh = SUMMARY_INIT;

	(void)state;
	/* a function that went, with its leak: callers no longer see it leak */
	add(&b, "m/b", "Old", VERDICT_LEAK_PARAM, "leaking param: p", 2);
	summary_add_findings(&sb, &b);
	summary_add_findings(&sh, &h);
	/* a new function's inlining note alone is no change: no caller knew it */
	summary_add_line(&sh, "m/b", "New", "b/b.go", 5, "can inline with cost 4");
	summary_diff(&cs, &sb, &sh);
	assert_int_equal(cs.nr, 1);
	assert_string_equal(cs.items[0]->function, "Old");
	assert_string_equal(cs.items[0]->before, "leaking param: p");
	assert_string_equal(cs.items[0]->after, "");
	assert_string_equal(cs.items[0]->what, "no longer keeps its argument p");
	summary_changes_release(&cs);
	summary_release(&sb);
	summary_release(&sh);
	finding_list_release(&b);
}

static void test_inlining(void **state)
{
	struct summary sb = SUMMARY_INIT, sh = SUMMARY_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;

	(void)state;
	summary_add_line(&sb, "m", "F", "f.go", 3, "can inline with cost 9");
	summary_add_line(&sh, "m", "F", "f.go", 3, "cannot inline: function too complex");
	summary_add_line(&sb, "m", "G", "f.go", 8, "can inline with cost 9");
	summary_add_line(&sh, "m", "G", "f.go", 8, "can inline with cost 12");
	summary_add_line(&sb, "m", "H", "f.go", 12, "can inline with cost 2");
	summary_add_line(&sh, "m", "H", "f.go", 12, "can inline with cost 2");
	summary_diff(&cs, &sb, &sh);
	assert_int_equal(cs.nr, 2);
	assert_string_equal(cs.items[0]->function, "F");
	assert_string_equal(cs.items[0]->what, "is no longer inlined");
	assert_string_equal(cs.items[0]->after, "cannot inline: function too complex");
	assert_string_equal(cs.items[1]->function, "G");
	assert_string_equal(cs.items[1]->what, "is inlined differently");
	summary_changes_release(&cs);
	summary_release(&sb);
	summary_release(&sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_leak),
		cmocka_unit_test(test_same_in_another_order),
		cmocka_unit_test(test_content_and_result),
		cmocka_unit_test(test_one_side_only),
		cmocka_unit_test(test_inlining),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
