/*
 * test_checklist.c: the catalog's invariants, classification of hand-built
 * findings (rule, severity and the exact why sentence), policy overrides,
 * and that docs/rules.md is what the catalog generates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "strbuf.h"
#include "util.h"

/* A finding as the parser would build it; steps are "from ..." or "flow: ...". */
static struct finding *mk(enum verdict v, const char *message, const char *subject)
{
	struct finding *f = finding_new();

	f->file = xstrdup("pkg/score.go");
	f->line = 30;
	f->column = 2;
	f->verdict = v;
	f->message = xstrdup(message);
	f->subject = xstrdup(subject);
	return f;
}

static void step(struct finding *f, int line, const char *text, enum flow_reason r)
{
	finding_add_step(f, "pkg/score.go", line, 5, text);
	f->facts.steps++;
	if (r != REASON__COUNT)
		f->facts.reasons |= 1ULL << r;
}

static void flow(struct finding *f, const char *text, unsigned dst)
{
	finding_add_step(f, "pkg/score.go", f->line, f->column, text);
	f->facts.flows++;
	f->facts.steps++;
	f->facts.dsts |= dst;
}

static void callee(struct finding *f, const char *c)
{
	f->facts.callees[f->facts.callees_nr++] = xstrdup(c);
}

static void assert_classified(struct finding *f, const char *line, const char *rule,
			      enum severity sev, const char *why)
{
	assert_int_equal(checklist_classify(f, line, NULL), 0);
	assert_string_equal(f->rule, rule);
	assert_int_equal(f->severity, sev);
	assert_string_equal(f->why, why);
}

static void test_catalog_invariants(void **state)
{
	size_t nr, i;
	const struct rule *r = checklist_rules(&nr);

	(void)state;
	assert_true(nr >= 30);
	assert_string_equal(r[0].id, CHECKLIST_GENERIC_RULE);
	for (i = 0; i < nr; i++) {
		char id[32], anchor[32];

		snprintf(id, sizeof(id), "ER%03zu", i);
		snprintf(anchor, sizeof(anchor), "er%03zu", i);
		/* unique and ascending: ids are exactly ER000, ER001, ... */
		assert_string_equal(r[i].id, id);
		assert_string_equal(r[i].anchor, anchor);
		assert_true(strlen(r[i].title) > 0);
		assert_true(strlen(r[i].explanation) > 40);
		assert_true(strlen(r[i].fix) > 10);
		assert_true(strlen(r[i].bad) > 0);
		assert_true(strlen(r[i].good) > 0);
		assert_true(strcmp(r[i].bad, r[i].good) != 0);
		assert_true(r[i].severity >= SEVERITY_INFO && r[i].severity <= SEVERITY_ERROR);
		assert_ptr_equal(checklist_find(id), &r[i]);
	}
	assert_null(checklist_find("ER999"));
	assert_null(checklist_find(""));
}

/* The seed article's case: a value boxed for log.Printf. */
static void test_fmt_log_boxing(void **state)
{
	struct finding *f = mk(VERDICT_ESCAPES, "result escapes to heap", "result");

	(void)state;
	flow(f, "flow: {storage for ... argument} = &{storage for result}", DST_DOTS_ARG);
	step(f, 32, "from result (spill)", REASON_SPILL);
	step(f, 32, "from ... argument (slice-literal-element)", REASON_SLICE_LIT_ELEM);
	flow(f, "flow: {heap} = {storage for ... argument}", DST_HEAP);
	step(f, 32, "from ... argument (spill)", REASON_SPILL);
	step(f, 32, "from log.Printf(\"avg: %.2f\", ... argument...) (call parameter)",
	     REASON_CALL_PARAM);
	callee(f, "log.Printf");
	assert_classified(f, "\tlog.Printf(\"avg: %.2f\", result)", "ER001", SEVERITY_WARNING,
			  "result is boxed into an interface to be passed to log.Printf at score.go:32");
	finding_free(f);
}

static void test_constant_boxed_is_info(void **state)
{
	struct finding *f = mk(VERDICT_ESCAPES, "42 escapes to heap", "42");

	(void)state;
	flow(f, "flow: {heap} = {storage for ... argument}", DST_HEAP | DST_DOTS_ARG);
	step(f, 36, "from ... argument (slice-literal-element)", REASON_SLICE_LIT_ELEM);
	step(f, 36, "from fmt.Println(... argument...) (call parameter)", REASON_CALL_PARAM);
	callee(f, "fmt.Println");
	assert_classified(f, NULL, "ER005", SEVERITY_INFO,
			  "42 is boxed into an interface to be passed to fmt.Println at score.go:36, "
			  "but as a constant or zero-size value it needs no allocation");
	finding_free(f);

	f = mk(VERDICT_ESCAPES, "key{} escapes to heap", "key{}");
	step(f, 40, "from key{} (spill)", REASON_SPILL);
	step(f, 40, "from Sink = key{} (assign)", REASON_ASSIGN);
	assert_classified(f, NULL, "ER005", SEVERITY_INFO,
			  "key{} is boxed into an interface at score.go:40, but as a constant or "
			  "zero-size value it needs no allocation");
	finding_free(f);
}

static void test_loop_variable_is_error(void **state)
{
	struct finding *f = mk(VERDICT_MOVED, "moved to heap: v", "v");

	(void)state;
	flow(f, "flow: {heap} = &v", DST_HEAP);
	step(f, 31, "from &v (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from append(out, &v) (call parameter)", REASON_CALL_PARAM);
	callee(f, "append");
	assert_classified(f, "\tfor _, v := range xs {", "ER017", SEVERITY_ERROR,
			  "the address of loop variable v is passed to append at score.go:31, "
			  "so it outlives the iteration");
	finding_free(f);

	/* the same chain for a variable not declared by the loop: ER030 */
	f = mk(VERDICT_MOVED, "moved to heap: v", "v");
	flow(f, "flow: {heap} = &v", DST_HEAP);
	step(f, 31, "from &v (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from append(out, &v) (call parameter)", REASON_CALL_PARAM);
	callee(f, "append");
	assert_classified(f, "\tv := 1", "ER030", SEVERITY_WARNING,
			  "the address of v is appended to a slice that escapes at score.go:31");
	finding_free(f);
}

static void test_defer_and_go_closures(void **state)
{
	struct finding *f = mk(VERDICT_ESCAPES, "func literal escapes to heap", "func literal");

	(void)state;
	f->column = 9;
	flow(f, "flow: {heap} = &{storage for func literal}", DST_HEAP);
	step(f, 30, "from func literal (spill)", REASON_SPILL);
	assert_classified(f, "\t\tdefer func() {", "ER025", SEVERITY_ERROR,
			  "the deferred closure at score.go:30 is heap-allocated on every iteration "
			  "of the loop around it");
	free(f->why);
	f->why = NULL;
	f->column = 5;
	assert_classified(f, "\tgo func() {", "ER024", SEVERITY_INFO,
			  "the closure started as a goroutine at score.go:30 outlives the go statement");
	/* "go" as part of an identifier is not the keyword */
	f->column = 10;
	assert_classified(f, "\tcargo := func() {", "ER037", SEVERITY_WARNING,
			  "the closure flows to the heap (spill) at score.go:30");
	finding_free(f);
}

static void test_address_stored(void **state)
{
	struct finding *f = mk(VERDICT_MOVED, "moved to heap: x", "x");

	(void)state;
	flow(f, "flow: {heap} = &x", DST_HEAP);
	step(f, 58, "from &x (address-of)", REASON_ADDRESS_OF);
	step(f, 58, "from G = &x (assign)", REASON_ASSIGN);
	assert_classified(f, "\tx := 1", "ER012", SEVERITY_WARNING,
			  "the address of x is stored in G at score.go:58");
	finding_free(f);

	f = mk(VERDICT_MOVED, "moved to heap: x", "x");
	flow(f, "flow: {heap} = &x", DST_HEAP);
	step(f, 62, "from &x (address-of)", REASON_ADDRESS_OF);
	step(f, 62, "from h.p = &x (assign)", REASON_ASSIGN);
	assert_classified(f, "\tx := 1", "ER013", SEVERITY_WARNING,
			  "the address of x is stored in h.p at score.go:62");
	finding_free(f);

	f = mk(VERDICT_MOVED, "moved to heap: now", "now");
	flow(f, "flow: ~r0 = &now", DST_RESULT);
	step(f, 11, "from &now (address-of)", REASON_ADDRESS_OF);
	step(f, 11, "from Event{...} (struct literal element)", REASON_STRUCT_LIT_ELEM);
	step(f, 12, "from return Event{...} (return)", REASON_RETURN);
	assert_classified(f, "\tnow := time.Now()", "ER013", SEVERITY_WARNING,
			  "the address of now is stored in Event{...} at score.go:11, which is "
			  "returned");
	finding_free(f);

	f = mk(VERDICT_MOVED, "moved to heap: n", "n");
	flow(f, "flow: ~r0 = &n", DST_RESULT);
	step(f, 31, "from &n (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from return &n (return)", REASON_RETURN);
	assert_classified(f, "\tn := 0", "ER010", SEVERITY_WARNING,
			  "the address of n is returned at score.go:31");
	finding_free(f);
}

static void test_callees(void **state)
{
	struct finding *f = mk(VERDICT_MOVED, "moved to heap: x", "x");

	(void)state;
	flow(f, "flow: {heap} = &x", DST_HEAP);
	step(f, 26, "from &x (address-of)", REASON_ADDRESS_OF);
	step(f, 26, "from i.M(&x) (call parameter)", REASON_CALL_PARAM);
	callee(f, "i.M");
	assert_classified(f, "\tx := 1", "ER020", SEVERITY_WARNING,
			  "the address of x is passed to the interface method call i.M at "
			  "score.go:26, which the compiler cannot see");
	finding_free(f);

	/* a package function is not an interface method */
	f = mk(VERDICT_MOVED, "moved to heap: x", "x");
	flow(f, "flow: {heap} = &x", DST_HEAP);
	step(f, 26, "from &x (address-of)", REASON_ADDRESS_OF);
	step(f, 26, "from strings.Keep(&x) (call parameter)", REASON_CALL_PARAM);
	callee(f, "strings.Keep");
	assert_classified(f, "\tx := 1", "ER018", SEVERITY_WARNING,
			  "the address of x is passed to strings.Keep at score.go:26, which keeps it");
	finding_free(f);

	f = mk(VERDICT_ESCAPES, "b escapes to heap", "b");
	flow(f, "flow: {heap} = &{storage for b}", DST_HEAP);
	step(f, 40, "from b (spill)", REASON_SPILL);
	step(f, 40, "from (*sync.Pool).Put(pool, b) (call parameter)", REASON_CALL_PARAM);
	callee(f, "(*sync.Pool).Put");
	assert_classified(f, "\tpool.Put(b)", "ER006", SEVERITY_WARNING,
			  "b is boxed into an interface to be passed to (*sync.Pool).Put at score.go:40");
	finding_free(f);

	f = mk(VERDICT_ESCAPES, "v escapes to heap", "v");
	flow(f, "flow: {heap} = &{storage for v}", DST_HEAP);
	step(f, 46, "from v (spill)", REASON_SPILL);
	step(f, 46, "from context.WithValue(ctx, key{}, v) (call parameter)", REASON_CALL_PARAM);
	callee(f, "context.WithValue");
	assert_classified(f, NULL, "ER008", SEVERITY_WARNING,
			  "v is boxed into an interface to be stored by context.WithValue at "
			  "score.go:46");
	finding_free(f);
}

static void test_leaks_are_info(void **state)
{
	struct finding *f = mk(VERDICT_LEAK_PARAM, "leaking param: p", "p");

	(void)state;
	f->facts.leak_dst = xstrdup("{heap}");
	f->facts.derefs = 0;
	flow(f, "flow: {heap} = p", DST_HEAP);
	step(f, 78, "from G = p (assign)", REASON_ASSIGN);
	assert_classified(f, "func keep(p *int) {", "ER035", SEVERITY_INFO,
			  "parameter p leaks to the heap because it is stored in G at score.go:78, "
			  "so callers' arguments escape");
	finding_free(f);

	f = mk(VERDICT_LEAK_PARAM, "leaking param: e to result ~r0 level=0", "e");
	f->facts.leak_dst = xstrdup("~r0");
	flow(f, "flow: ~r0 = e", DST_RESULT);
	step(f, 30, "from e.s (dot)", REASON_DOT);
	step(f, 30, "from return e.s (return)", REASON_RETURN);
	assert_classified(f, NULL, "ER036", SEVERITY_INFO,
			  "parameter e flows to result ~r0 at score.go:30, so callers' arguments "
			  "live as long as the result");
	finding_free(f);

	f = mk(VERDICT_LEAK_CONTENT, "leaking param content: xs", "xs");
	f->facts.leak_dst = xstrdup("{heap}");
	flow(f, "flow: {temp} = xs", DST_NAMED);
	flow(f, "flow: x = *{temp}", DST_NAMED);
	step(f, 118, "from for loop (range-deref)", REASON_RANGE_DEREF);
	flow(f, "flow: {heap} = x", DST_HEAP);
	step(f, 118, "from G = x (assign)", REASON_ASSIGN);
	assert_classified(f, NULL, "ER032", SEVERITY_INFO,
			  "what parameter xs points to is ranged over at score.go:118 and leaks to "
			  "the heap");
	finding_free(f);
}

static void test_generic_rule_and_empty_chain(void **state)
{
	/* a moved variable without a chain: nothing more specific claims it */
	struct finding *f = mk(VERDICT_MOVED, "moved to heap: x", "x");

	(void)state;
	assert_classified(f, NULL, "ER000", SEVERITY_WARNING,
			  "the address of x flows to the heap at score.go:30");
	finding_free(f);

	f = mk(VERDICT_ESCAPES, "x escapes to heap", "x");
	flow(f, "flow: {heap} = &x", DST_HEAP);
	step(f, 33, "from *p = x (assign)", REASON_ASSIGN);
	step(f, 33, "from x (mystery)", REASON_OTHER);
	assert_classified(f, NULL, "ER002", SEVERITY_WARNING,
			  "x is boxed into an interface that flows to the heap (other) at "
			  "score.go:33");
	finding_free(f);
}

static void test_too_large_and_make(void **state)
{
	struct finding *f = mk(VERDICT_ESCAPES, "make([]int, n) escapes to heap", "make([]int, n)");

	(void)state;
	flow(f, "flow: {heap} = &{storage for make([]int, n)}", DST_HEAP);
	step(f, 100, "from make([]int, n) (non-constant size)", REASON_NON_CONST_SIZE);
	assert_classified(f, NULL, "ER027", SEVERITY_WARNING,
			  "make([]int, n) has a size that is not a compile-time constant at "
			  "score.go:100");
	finding_free(f);

	f = mk(VERDICT_MOVED, "moved to heap: a", "a");
	flow(f, "flow: {heap} = &a", DST_HEAP);
	step(f, 44, "from a (too large for stack)", REASON_TOO_LARGE);
	assert_classified(f, "\tvar a [11 << 20]byte", "ER028", SEVERITY_WARNING,
			  "a is too large for the stack at score.go:44");
	finding_free(f);
}

static void test_policy(void **state)
{
	struct checklist_policy p = CHECKLIST_POLICY_INIT;
	struct finding *f = mk(VERDICT_LEAK_PARAM, "leaking param: p", "p");

	(void)state;
	f->facts.leak_dst = xstrdup("{heap}");
	checklist_policy_set(&p, "ER035", SEVERITY_ERROR, 0);
	assert_int_equal(checklist_classify(f, NULL, &p), 0);
	assert_string_equal(f->rule, "ER035");
	assert_int_equal(f->severity, SEVERITY_ERROR);

	/* replacing an override; -1 keeps the default severity */
	checklist_policy_set(&p, "ER035", -1, 0);
	assert_int_equal(p.nr, 1);
	assert_int_equal(checklist_classify(f, NULL, &p), 0);
	assert_int_equal(f->severity, SEVERITY_INFO);

	checklist_policy_set(&p, "ER035", -1, 1);
	assert_int_equal(checklist_classify(f, NULL, &p), 1);
	assert_string_equal(f->rule, "ER035");

	/* an override of another rule does not apply */
	checklist_policy_release(&p);
	checklist_policy_set(&p, "ER001", SEVERITY_ERROR, 1);
	assert_int_equal(checklist_classify(f, NULL, &p), 0);
	assert_int_equal(f->severity, SEVERITY_INFO);
	checklist_policy_release(&p);
	assert_int_equal(p.nr, 0);
	assert_null(p.items);
	finding_free(f);
}

static void test_markdown(void **state)
{
	struct strbuf md = STRBUF_INIT, file = STRBUF_INIT;
	size_t nr, i;
	const struct rule *r = checklist_rules(&nr);

	(void)state;
	checklist_write_markdown(&md);
	assert_true(starts_with(md.buf, "# Escape checklist\n"));
	for (i = 0; i < nr; i++) {
		char needle[64];

		snprintf(needle, sizeof(needle), "<a id=\"%s\"></a>\n## %s: ", r[i].anchor, r[i].id);
		assert_non_null(strstr(md.buf, needle));
	}
	/* the committed docs/rules.md is the generated text (run from the tree root) */
	if (strbuf_read_file(&file, "docs/rules.md", 1 << 20) >= 0)
		assert_string_equal(file.buf, md.buf);
	else
		fail_msg("docs/rules.md not found: run the unit tests from the source root");
	strbuf_release(&md);
	strbuf_release(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_invariants),
		cmocka_unit_test(test_fmt_log_boxing),
		cmocka_unit_test(test_constant_boxed_is_info),
		cmocka_unit_test(test_loop_variable_is_error),
		cmocka_unit_test(test_defer_and_go_closures),
		cmocka_unit_test(test_address_stored),
		cmocka_unit_test(test_callees),
		cmocka_unit_test(test_leaks_are_info),
		cmocka_unit_test(test_generic_rule_and_empty_chain),
		cmocka_unit_test(test_too_large_and_make),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_markdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
