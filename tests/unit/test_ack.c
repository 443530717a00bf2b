/*
 * test_ack.c: the //escape:ok marker: where it counts (its line, alone on
 * the line above), rule lists, the required reason, markers inside
 * strings, runes, raw strings and block comments, lines that start inside
 * a multi-line raw string or block comment, and ack_apply().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "strbuf.h"
#include "util.h"

static enum ack_kind parse(struct ack *a, const char *line, int alone)
{
	return ack_parse_line(a, line, alone);
}

static void test_marker_with_reason(void **state)
{
	struct ack a = ACK_INIT;

	(void)state;
	assert_int_equal(parse(&a, "\ts := Student{ID: id} //escape:ok returned to the caller", 0), ACK_OK);
	assert_string_equal(a.reason, "returned to the caller");
	assert_null(a.rules);
	assert_true(ack_covers(&a, "ER010"));
	assert_true(ack_covers(&a, NULL));
	/* trailing white space is not part of the reason */
	assert_int_equal(parse(&a, "x() //escape:ok   pooled \t ", 0), ACK_OK);
	assert_string_equal(a.reason, "pooled");
	ack_release(&a);
}

static void test_rules(void **state)
{
	struct ack a = ACK_INIT;

	(void)state;
	assert_int_equal(parse(&a, "f(x) //escape:ok ER001,ER005 logged once", 0), ACK_OK);
	assert_string_equal(a.rules, "ER001,ER005");
	assert_string_equal(a.reason, "logged once");
	assert_true(ack_covers(&a, "ER001"));
	assert_true(ack_covers(&a, "ER005"));
	assert_false(ack_covers(&a, "ER00"));
	assert_false(ack_covers(&a, "ER0010"));
	assert_false(ack_covers(&a, "ER010"));
	assert_false(ack_covers(&a, NULL));
	/* a rule list and no reason: acknowledges nothing */
	assert_int_equal(parse(&a, "f(x) //escape:ok ER001", 0), ACK_NO_REASON);
	assert_false(ack_covers(&a, "ER001"));
	/* not a rule list: part of the reason */
	assert_int_equal(parse(&a, "f(x) //escape:ok ER001, cheap", 0), ACK_OK);
	assert_null(a.rules);
	assert_string_equal(a.reason, "ER001, cheap");
	assert_int_equal(parse(&a, "f(x) //escape:ok errors are rare", 0), ACK_OK);
	assert_null(a.rules);
	ack_release(&a);
}

static void test_no_reason_and_near_misses(void **state)
{
	struct ack a = ACK_INIT;

	(void)state;
	assert_int_equal(parse(&a, "x := y //escape:ok", 0), ACK_NO_REASON);
	assert_null(a.reason);
	assert_false(ack_covers(&a, "ER001"));
	assert_int_equal(parse(&a, "x := y //escape:ok   ", 0), ACK_NO_REASON);
	assert_int_equal(parse(&a, "x := y // escape:ok spaced", 0), ACK_NONE);
	assert_int_equal(parse(&a, "x := y //escape:okay fine", 0), ACK_NONE);
	assert_int_equal(parse(&a, "x := y // TODO //escape:ok later", 0), ACK_NONE);
	assert_int_equal(parse(&a, "x := y", 0), ACK_NONE);
	assert_int_equal(parse(&a, NULL, 0), ACK_NONE);
	ack_release(&a);
}

static void test_literals_and_comments(void **state)
{
	struct ack a = ACK_INIT;

	(void)state;
	assert_int_equal(parse(&a, "log.Print(\"//escape:ok not a comment\")", 0), ACK_NONE);
	assert_int_equal(parse(&a, "log.Print(\"a \\\" //escape:ok b\")", 0), ACK_NONE);
	assert_int_equal(parse(&a, "s := `raw //escape:ok x`", 0), ACK_NONE);
	assert_int_equal(parse(&a, "r := '\"' //escape:ok after a rune", 0), ACK_OK);
	assert_string_equal(a.reason, "after a rune");
	assert_int_equal(parse(&a, "s := \"//\" + x //escape:ok after a string", 0), ACK_OK);
	assert_string_equal(a.reason, "after a string");
	assert_int_equal(parse(&a, "f(/* //escape:ok no */ x)", 0), ACK_NONE);
	assert_int_equal(parse(&a, "f(/* c */ x) //escape:ok after a block", 0), ACK_OK);
	assert_int_equal(parse(&a, "f(x) /* //escape:ok unterminated", 0), ACK_NONE);
	ack_release(&a);
}

static void test_alone(void **state)
{
	struct ack a = ACK_INIT;

	(void)state;
	assert_int_equal(parse(&a, "\t//escape:ok the caller keeps it", 1), ACK_OK);
	assert_string_equal(a.reason, "the caller keeps it");
	assert_int_equal(parse(&a, "\tx := 1 //escape:ok not alone", 1), ACK_NONE);
	assert_int_equal(parse(&a, "\t//escape:ok", 1), ACK_NO_REASON);
	ack_release(&a);
}

static struct finding *mk(const char *file, int line, const char *rule, const char *src,
			  const char *above)
{
	struct finding *f = finding_new();

	f->file = xstrdup(file);
	f->line = line;
	f->rule = rule;
	f->source = xstrdup_or_null(src);
	f->source_above = xstrdup_or_null(above);
	f->status = STATUS_NEW;
	return f;
}

static void test_apply(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct strbuf w = STRBUF_INIT;
	struct finding *base;

	(void)state;
	finding_list_add(&l, mk("a.go", 10, "ER010", "\ts := S{} //escape:ok returned", "func F() *S {"));
	finding_list_add(&l, mk("a.go", 20, "ER001", "\tlog.Print(x)", "\t//escape:ok ER001 once per run"));
	finding_list_add(&l, mk("a.go", 30, "ER030", "\tkeep(&x) //escape:ok ER001 wrong rule", NULL));
	finding_list_add(&l, mk("a.go", 40, "ER001", "\tf(x) //escape:ok", NULL));
	finding_list_add(&l, mk("a.go", 40, "ER010", "\tf(x) //escape:ok", NULL));
	finding_list_add(&l, mk("b.go", 5, "ER001", "\tg(y)", "\t//escape:ok"));
	base = mk("c.go", 1, "ER001", "f() //escape:ok accepted", NULL);
	base->status = STATUS_BASELINE;
	finding_list_add(&l, base);

	assert_int_equal(ack_apply(&l, &w), 2);
	assert_int_equal(l.items[0]->status, STATUS_ACKNOWLEDGED);
	assert_string_equal(l.items[0]->ack_reason, "returned");
	assert_int_equal(l.items[1]->status, STATUS_ACKNOWLEDGED);
	assert_string_equal(l.items[1]->ack_reason, "once per run");
	assert_int_equal(l.items[2]->status, STATUS_NEW);
	assert_null(l.items[2]->ack_reason);
	assert_int_equal(l.items[3]->status, STATUS_NEW);
	assert_int_equal(l.items[4]->status, STATUS_NEW);
	assert_int_equal(l.items[5]->status, STATUS_NEW);
	assert_int_equal(l.items[6]->status, STATUS_BASELINE);
	/* one warning per marker: a.go:40 once for its two findings; b.go's is on line 4 */
	assert_string_equal(w.buf,
		"escape-review: a.go:40: //escape:ok needs a reason (//escape:ok <why this allocation is fine>); without one it acknowledges nothing\n"
		"escape-review: b.go:4: //escape:ok needs a reason (//escape:ok <why this allocation is fine>); without one it acknowledges nothing\n");
	finding_list_release(&l);
	strbuf_release(&w);
}

static void test_multi_line_literals(void **state)
{
	struct ack a = ACK_INIT;

	(void)state;
	/* the line holds the rest of a raw string opened above: its marker is text */
	assert_int_equal(ack_parse_text(&a, "//escape:ok inside a raw string", GOLEX_IN_RAW, 0),
			 ACK_NONE);
	assert_int_equal(ack_parse_text(&a, "//escape:ok inside a comment", GOLEX_IN_BLOCK, 1),
			 ACK_NONE);
	/* after the literal ends, a comment counts, but is never alone */
	assert_int_equal(ack_parse_text(&a, "`; p := &T{} //escape:ok after it", GOLEX_IN_RAW, 0),
			 ACK_OK);
	assert_string_equal(a.reason, "after it");
	assert_int_equal(ack_parse_text(&a, "` //escape:ok after it", GOLEX_IN_RAW, 1), ACK_NONE);
	assert_int_equal(ack_parse_text(&a, "*/ x := f() //escape:ok ER001 after it",
					GOLEX_IN_BLOCK, 0), ACK_OK);
	assert_string_equal(a.rules, "ER001");
	/* the same text read as code */
	assert_int_equal(ack_parse_text(&a, "//escape:ok inside a raw string", GOLEX_CODE, 1),
			 ACK_OK);
	ack_release(&a);
}

static void test_apply_states(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct strbuf w = STRBUF_INIT;
	struct finding *f;

	(void)state;
	/* s := `raw / //escape:ok ... / `; p := &T{}: the line above is inside the string */
	f = mk("a.go", 12, "ER011", "`; p := &T{}", "//escape:ok inside a raw string");
	f->source_state = GOLEX_IN_RAW;
	f->source_above_state = GOLEX_IN_RAW;
	finding_list_add(&l, f);
	/* and a marker-like line without a reason inside a block comment warns of nothing */
	f = mk("a.go", 20, "ER011", "*/ p := &T{}", "//escape:ok");
	f->source_state = GOLEX_IN_BLOCK;
	f->source_above_state = GOLEX_IN_BLOCK;
	finding_list_add(&l, f);
	/* after the raw string, on the finding's line: accepted */
	f = mk("a.go", 30, "ER011", "`; p := &T{} //escape:ok built once", NULL);
	f->source_state = GOLEX_IN_RAW;
	finding_list_add(&l, f);
	assert_int_equal(ack_apply(&l, &w), 1);
	assert_int_equal(l.items[0]->status, STATUS_NEW);
	assert_int_equal(l.items[1]->status, STATUS_NEW);
	assert_int_equal(l.items[2]->status, STATUS_ACKNOWLEDGED);
	assert_string_equal(l.items[2]->ack_reason, "built once");
	assert_int_equal(w.len, 0);
	finding_list_release(&l);
	strbuf_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marker_with_reason),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_no_reason_and_near_misses),
		cmocka_unit_test(test_literals_and_comments),
		cmocka_unit_test(test_alone),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_multi_line_literals),
		cmocka_unit_test(test_apply_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
