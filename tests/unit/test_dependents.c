/*
 * test_dependents.c: the head's side of the dependents' check begun early
 * (dependents_changes_from(): the summary of the findings located while
 * the build was awaited, the rest added after) gives every summary change
 * dependents_changes() gives from the whole list, the same words, for any
 * cut of the list; the rounds through importers are e2e's (t53).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dependents.h"
#include "strbuf.h"
#include "summary.h"
#include "util.h"

static void add(struct finding_list *l, const char *fn, const char *file, int line,
		enum verdict v, const char *msg)
{
	struct finding *f = finding_new();

	f->package = xstrdup("example.com/m/store");
	f->file = xstrdup(file);
	f->line = line;
	f->function = xstrdup(fn);
	f->verdict = v;
	f->message = xstrdup(msg);
	finding_list_add(l, f);
}

static void changes_text(struct strbuf *sb, const struct summary_changes *cs)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < cs->nr; i++)
		strbuf_addf(sb, "%s.%s %s:%d [%s] -> [%s] %s\n", cs->items[i]->package,
			    cs->items[i]->function, cs->items[i]->file, cs->items[i]->line,
			    cs->items[i]->before, cs->items[i]->after, cs->items[i]->what);
}

static void test_changes_from(void **state)
{
	struct finding_list base = FINDING_LIST_INIT, head = FINDING_LIST_INIT;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	struct summary bs = SUMMARY_INIT;
	size_t cut;

	(void)state;
	add(&base, "Observe", "store/store.go", 9, VERDICT_LEAK_CONTENT, "leaking param content: p");
	add(&base, "Keep", "store/keep.go", 3, VERDICT_LEAK_PARAM, "leaking param: q");
	add(&base, "Same", "store/keep.go", 20, VERDICT_LEAK_PARAM, "leaking param: s");
	/* the head: Observe's leak changes and moves to another line of a
	 * function found twice, Keep's goes, New appears, Same stays */
	add(&head, "Observe", "store/store.go", 10, VERDICT_LEAK_PARAM, "leaking param: p");
	add(&head, "Same", "store/keep.go", 21, VERDICT_LEAK_PARAM, "leaking param: s");
	add(&head, "New", "store/new.go", 4, VERDICT_LEAK_PARAM, "leaking param: r to result ~r0 level=0");
	add(&head, "Observe", "store/store.go", 12, VERDICT_LEAK_CONTENT, "leaking param content: p");
	add(&head, "Observe", "store/store.go", 14, VERDICT_ESCAPES, "p escapes to heap");
	dependents_base(&bs, &base, NULL);
	{
		struct dependents_result all = DEPENDENTS_RESULT_INIT;

		dependents_changes(&all, &head, NULL, &bs);
		changes_text(&want, &all.changes);
		dependents_result_release(&all);
	}
	assert_string_equal(want.buf,
		"example.com/m/store.Keep store/keep.go:3 [leaking param: q] -> [] no longer keeps its argument q\n"
		"example.com/m/store.New store/new.go:4 [] -> [leaking param: r to result ~r0 level=0] now returns its argument r\n"
		"example.com/m/store.Observe store/store.go:10 [leaking param content: p] -> [leaking param content: p; leaking param: p] now keeps its argument p\n");
	for (cut = 0; cut <= head.nr; cut++) {
		struct dependents_result res = DEPENDENTS_RESULT_INIT;
		struct summary pre = SUMMARY_INIT;
		struct finding_list first = { head.items, cut, 0 };
		struct finding_list rest = { head.items + cut, head.nr - cut, 0 };

		summary_add_findings(&pre, &first);
		dependents_changes_from(&res, &pre, &rest, NULL, &bs);
		changes_text(&got, &res.changes);
		if (strcmp(got.buf, want.buf))
			fail_msg("cut at %zu:\n%s", cut, got.buf);
		dependents_result_release(&res);
	}
	summary_release(&bs);
	finding_list_release(&base);
	finding_list_release(&head);
	strbuf_release(&want);
	strbuf_release(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_from),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
