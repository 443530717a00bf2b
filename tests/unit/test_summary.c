/*
 * test_summary.c: per-function escape summaries and their differences:
 * leak lines appearing and going (plain, content, to result), order and
 * other verdicts not counting, functions found at one revision only,
 * inlining notes compared only when both sides have them, the words and
 * the parameters of a change, and its name; the parser's inlining notes
 * as summaries (whether an importer-callable function inlines, not its
 * cost) and saved next to a cached analysis.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "summary.h"
#include "util.h"

#include <unistd.h>

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

/* A parameter moved to the heap leaks, as export data says: to callers it
 * is `leaking param: s` (a local moved to the heap is nothing to them). */
static void test_moved_param(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;

	(void)state;
	add(&b, "m", "Count", VERDICT_MOVED, "moved to heap: n", 5);
	add(&h, "m", "Count", VERDICT_MOVED, "moved to heap: s", 5);
	h.items[0]->subject = xstrdup("s");
	h.items[0]->moved_param = 1;
	/* the same leak, printed two ways: no change */
	add(&b, "m", "Quote", VERDICT_LEAK_PARAM, "leaking param: v", 9);
	add(&h, "m", "Quote", VERDICT_MOVED, "moved to heap: v", 9);
	h.items[1]->subject = xstrdup("v");
	h.items[1]->moved_param = 1;
	diff(&cs, &b, &h);
	assert_int_equal(cs.nr, 1);
	assert_string_equal(cs.items[0]->function, "Count");
	assert_string_equal(cs.items[0]->before, "");
	assert_string_equal(cs.items[0]->after, "leaking param: s");
	assert_string_equal(cs.items[0]->what, "now keeps its argument s");
	assert_int_equal(cs.items[0]->params_nr, 1);
	assert_string_equal(cs.items[0]->params[0], "s");
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

/* get_entry() tries the entry it gave last first: a function of the same
 * name in another package, between two findings of one, is its own. */
static void test_same_name_interleaved(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;

	(void)state;
	add(&b, "m/a", "F", VERDICT_LEAK_PARAM, "leaking param: p", 3);
	add(&h, "m/a", "F", VERDICT_LEAK_PARAM, "leaking param: p", 3);
	add(&h, "m/b", "F", VERDICT_LEAK_PARAM, "leaking param: q", 5);
	add(&h, "m/a", "F", VERDICT_LEAK_PARAM, "leaking param: r", 3);
	add(&h, "m/a", "G", VERDICT_LEAK_PARAM, "leaking param: s", 8);
	add(&h, "m/a", "F", VERDICT_LEAK_PARAM, "leaking param: p", 3);
	diff(&cs, &b, &h);
	assert_int_equal(cs.nr, 3);
	assert_string_equal(cs.items[0]->package, "m/a");
	assert_string_equal(cs.items[0]->function, "F");
	assert_string_equal(cs.items[0]->before, "leaking param: p");
	assert_string_equal(cs.items[0]->after, "leaking param: p; leaking param: r");
	assert_string_equal(cs.items[1]->package, "m/a");
	assert_string_equal(cs.items[1]->function, "G");
	assert_string_equal(cs.items[1]->after, "leaking param: s");
	assert_string_equal(cs.items[2]->package, "m/b");
	assert_string_equal(cs.items[2]->function, "F");
	assert_string_equal(cs.items[2]->after, "leaking param: q");
	assert_int_equal(cs.items[2]->line, 5);
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

static void note(struct parse_note_list *l, enum parse_note_kind kind, const char *fn, int line,
		 const char *reason)
{
	struct parse_note *nt;

	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	nt = &l->items[l->nr++];
	memset(nt, 0, sizeof(*nt));
	nt->kind = kind;
	nt->package = xstrdup("example.com/m/lib");
	nt->file = xstrdup("lib/lib.go");
	nt->line = line;
	nt->column = 6;
	nt->func = xstrdup(fn);
	nt->reason = reason ? xstrdup(reason) : NULL;
	nt->text = xstrdup("as printed");
	nt->cost = nt->budget = -1;
}

static void test_notes(void **state)
{
	struct parse_note_list nb = PARSE_NOTE_LIST_INIT, nh = PARSE_NOTE_LIST_INIT;
	struct summary sb = SUMMARY_INIT, sh = SUMMARY_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;

	(void)state;
	note(&nb, NOTE_CAN_INLINE, "Add", 6, NULL);
	note(&nh, NOTE_CANNOT_INLINE, "Add", 6, "function too complex: cost 84 exceeds budget 80");
	/* another cost, still inlinable: no change */
	note(&nb, NOTE_CAN_INLINE, "Read", 20, NULL);
	note(&nh, NOTE_CAN_INLINE, "Read", 20, NULL);
	/* what no importer calls: unexported, a closure; a call is no summary */
	note(&nb, NOTE_CAN_INLINE, "lower", 30, NULL);
	note(&nh, NOTE_CANNOT_INLINE, "lower", 30, "function too complex: cost 90 exceeds budget 80");
	note(&nb, NOTE_CAN_INLINE, "Add.func1", 7, NULL);
	note(&nh, NOTE_CANNOT_INLINE, "Add.func1", 7, "unhandled op CLOSURE");
	note(&nb, NOTE_INLINING_CALL, "Read", 12, NULL);
	/* a method of an exported name counts */
	note(&nb, NOTE_CANNOT_INLINE, "(*T).Get", 40, "marked go:noinline");
	note(&nh, NOTE_CAN_INLINE, "(*T).Get", 40, NULL);
	summary_add_notes(&sb, &nb);
	summary_add_notes(&sh, &nh);
	summary_diff(&cs, &sb, &sh);
	assert_int_equal(cs.nr, 2);
	assert_string_equal(cs.items[0]->function, "(*T).Get");
	assert_string_equal(cs.items[0]->before, "cannot inline");
	assert_string_equal(cs.items[0]->after, "can inline");
	assert_string_equal(cs.items[0]->what, "is now inlined");
	assert_string_equal(cs.items[1]->function, "Add");
	assert_string_equal(cs.items[1]->what,
			    "is no longer inlined (function too complex: cost 84 exceeds budget 80)");
	summary_changes_release(&cs);
	summary_release(&sb);
	summary_release(&sh);
	parse_note_list_release(&nb);
	parse_note_list_release(&nh);
}

static void test_notes_file(void **state)
{
	struct parse_note_list nl = PARSE_NOTE_LIST_INIT, back = PARSE_NOTE_LIST_INIT;
	char dir[] = "/tmp/test_summary.XXXXXX", path[64], bad[64];
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/e.inline", dir);
	snprintf(bad, sizeof(bad), "%s/bad.inline", dir);
	assert_int_equal(summary_notes_read(&back, path, "k\nv"), 1);
	note(&nl, NOTE_CAN_INLINE, "Read", 20, NULL);
	note(&nl, NOTE_CANNOT_INLINE, "Add", 6, "function too complex: cost 84 exceeds budget 80");
	note(&nl, NOTE_CAN_INLINE, "lower", 30, NULL);
	note(&nl, NOTE_INLINING_CALL, "Read", 12, NULL);
	assert_int_equal(summary_notes_write(path, "k\nv", &nl), 0);
	/* another key: not trusted, nothing added */
	assert_int_equal(summary_notes_read(&back, path, "k\nw"), ER_EINPUT);
	assert_int_equal(back.nr, 0);
	assert_int_equal(summary_notes_read(&back, path, "k\nv"), 0);
	assert_int_equal(back.nr, 2);
	assert_int_equal(back.items[0].kind, NOTE_CAN_INLINE);
	assert_string_equal(back.items[0].func, "Read");
	assert_string_equal(back.items[0].package, "example.com/m/lib");
	assert_int_equal(back.items[0].line, 20);
	assert_int_equal(back.items[1].kind, NOTE_CANNOT_INLINE);
	assert_string_equal(back.items[1].reason, "function too complex: cost 84 exceeds budget 80");
	assert_string_equal(back.items[1].text,
			    "cannot inline Add: function too complex: cost 84 exceeds budget 80");
	fp = fopen(bad, "w");
	assert_non_null(fp);
	fputs("escape-review inline notes 1\nkey 3\nk\nv\ncan\tm\tf.go\tx\tF\t\n", fp);
	fclose(fp);
	assert_int_equal(summary_notes_read(&back, bad, "k\nv"), ER_EINPUT);
	assert_int_equal(back.nr, 2);
	unlink(bad);
	unlink(path);
	rmdir(dir);
	parse_note_list_release(&nl);
	parse_note_list_release(&back);
}

/* Many functions, a function found again after summary_diff() sorted the
 * set (its index rebuilt), one name in two packages: one entry each. */
static void test_many_functions(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;
	struct summary sb = SUMMARY_INIT, sh = SUMMARY_INIT;
	char fn[32];
	int i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		snprintf(fn, sizeof(fn), "F%04d", 2999 - i);
		add(&b, "example.com/m/store", fn, VERDICT_LEAK_PARAM, "leaking param: p", i + 1);
		add(&h, "example.com/m/store", fn, VERDICT_LEAK_PARAM, "leaking param: p", i + 1);
	}
	add(&b, "example.com/m/other", "F0007", VERDICT_LEAK_PARAM, "leaking param: q", 5);
	add(&h, "example.com/m/other", "F0007", VERDICT_LEAK_PARAM, "leaking param: q", 5);
	summary_add_findings(&sb, &b);
	summary_add_findings(&sh, &h);
	assert_int_equal(sb.nr, 3001);
	summary_diff(&cs, &sb, &sh);
	assert_int_equal(cs.nr, 0);
	summary_changes_release(&cs);
	/* sorted now: F0007 of store moved; a second line joins its entry */
	summary_add_line(&sh, "example.com/m/store", "F0007", "store/store.go", 2993,
			 "leaking param content: r");
	summary_add_line(&sh, "example.com/m/store", "F3000", "store/store.go", 3001,
			 "leaking param: s");
	assert_int_equal(sh.nr, 3002);
	summary_diff(&cs, &sb, &sh);
	assert_int_equal(cs.nr, 2);
	assert_string_equal(cs.items[0]->package, "example.com/m/store");
	assert_string_equal(cs.items[0]->function, "F0007");
	assert_string_equal(cs.items[0]->before, "leaking param: p");
	assert_string_equal(cs.items[0]->after, "leaking param content: r; leaking param: p");
	assert_string_equal(cs.items[1]->function, "F3000");
	summary_changes_release(&cs);
	summary_release(&sb);
	summary_release(&sh);
	finding_list_release(&b);
	finding_list_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_leak),
		cmocka_unit_test(test_moved_param),
		cmocka_unit_test(test_same_in_another_order),
		cmocka_unit_test(test_same_name_interleaved),
		cmocka_unit_test(test_content_and_result),
		cmocka_unit_test(test_one_side_only),
		cmocka_unit_test(test_inlining),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_notes_file),
		cmocka_unit_test(test_many_functions),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
