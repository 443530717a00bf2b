/*
 * test_checklist.c: the catalog's invariants, classification of hand-built
 * findings (rule, severity and the exact why sentence), package
 * initialisation, loops and zero-size values (locate's facts), the source
 * and chain readers (literals holding brackets, '=', '+'), policy
 * overrides, the presentation order, and that docs/rules.md is what the
 * catalog generates.  The Go 1.26 tests classify real compiler output (Go
 * 1.19's beside it where it differs) read by the real parser.
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
#include "parse.h"
#include "gosrc.h"
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
	flow_facts_add_callee(&f->facts, xstrdup(c));
}

static void assert_classified(struct finding *f, const char *line, const char *rule,
			      enum severity sev, const char *why)
{
	assert_int_equal(checklist_classify(f, line, NULL, 0), 0);
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
			  "but as a constant it needs no allocation");
	finding_free(f);

	/* a number first is no constant when a name follows: boxed, ER001 */
	f = mk(VERDICT_ESCAPES, "4 * indent escapes to heap", "4 * indent");
	flow(f, "flow: {heap} = {storage for ... argument}", DST_HEAP | DST_DOTS_ARG);
	step(f, 36, "from ... argument (slice-literal-element)", REASON_SLICE_LIT_ELEM);
	step(f, 36, "from fmt.Println(... argument...) (call parameter)", REASON_CALL_PARAM);
	callee(f, "fmt.Println");
	assert_classified(f, NULL, "ER001", SEVERITY_WARNING,
			  "4 * indent is boxed into an interface to be passed to fmt.Println at score.go:36");
	finding_free(f);

	f = mk(VERDICT_ESCAPES, "key{} escapes to heap", "key{}");
	step(f, 40, "from key{} (spill)", REASON_SPILL);
	step(f, 40, "from Sink = key{} (assign)", REASON_ASSIGN);
	assert_classified(f, NULL, "ER005", SEVERITY_INFO,
			  "key{} is boxed into an interface at score.go:40, but as a zero value it "
			  "needs no allocation with Go 1.25 and newer, which box it from read-only "
			  "data (up to 1 KiB; Go 1.24 and older allocate it unless it has zero size)");
	finding_free(f);
}

/* A literal's finding, `subject` escaping, of the locate's `lit_kind`. */
static struct finding *literal(const char *subject, unsigned lit_kind)
{
	struct strbuf msg = STRBUF_INIT;
	struct finding *f;

	strbuf_addf(&msg, "%s escapes to heap", subject);
	f = mk(VERDICT_ESCAPES, msg.buf, subject);
	f->lit_kind = lit_kind;
	strbuf_release(&msg);
	return f;
}

/*
 * A struct or array literal of constants boxed into an interface: Go 1.26
 * lays it out in read-only data (testing.AllocsPerRun: 0; Go 1.19: 1).
 * The compiler prints T{...}; the source line at its column (the '{')
 * says what is inside.  A name may be a variable, a nested literal a
 * slice, a type not resolved a slice or a map: those stay allocations.
 */
static void test_constant_literals(void **state)
{
	static const char none[] =
		" is boxed into an interface at score.go:30, but as a literal of constants it needs no allocation with Go 1.25 and newer, which box it from read-only data (Go 1.24 and older allocate it)";
	static const struct {
		const char *subject;
		unsigned lit_kind;
		const char *line;
		int col;
		const char *rule; /* ER005: nothing allocated */
	} cases[] = {
		{ "U{...}", LIT_VALUE, "\tsink = U{1, 2}", 10, "ER005" },
		{ "U{...}", LIT_VALUE, "\tsink = U{A: -1, B: 0x2 << 3} // c", 10, "ER005" },
		{ "V{...}", LIT_VALUE, "\tsink = V{\"a\", `b`, 'c', 1.5, true, nil}", 10, "ER005" },
		{ "[2]int{...}", LIT_UNKNOWN, "\tsink = [2]int{5, 6}", 15, "ER005" },
		{ "[...]int{...}", LIT_UNKNOWN, "\tsink = [...]int{0: 5, 3: 6}", 17, "ER005" },
		{ "U{...}", LIT_VALUE, "\tsink = U{n, 2}", 10, "ER002" },
		{ "U{...}", LIT_VALUE, "\tsink = U{maxN, 2}", 10, "ER002" },
		{ "U{...}", LIT_VALUE, "\tsink = U{A: n}", 10, "ER002" },
		{ "U{...}", LIT_VALUE, "\tsink = U{len(s), 2}", 10, "ER002" },
		{ "U{...}", LIT_VALUE, "\tsink = U{p.X, 2}", 10, "ER002" },
		{ "V{...}", LIT_VALUE, "\tsink = V{U{1, 2}, 3}", 10, "ER002" },
		{ "V{...}", LIT_VALUE, "\tsink = V{[]int{1}}", 10, "ER002" },
		{ "U{...}", LIT_VALUE, "\tsink = U{1,", 10, "ER002" },
		{ "U{...}", LIT_VALUE, "\tsink = U{1, 2}", 2, "ER002" },
		{ "U{...}", LIT_UNKNOWN, "\tsink = U{1, 2}", 10, "ER002" },
		{ "U{...}", LIT_SLICE, "\tsink = U{1, 2}", 10, "ER029" },
		{ "[]int{...}", LIT_UNKNOWN, "\tsink = []int{1, 2}", 14, "ER029" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct finding *f = literal(cases[i].subject, cases[i].lit_kind);
		struct strbuf why = STRBUF_INIT;

		f->column = cases[i].col;
		flow(f, "flow: {heap} = &{storage for U{...}}", DST_HEAP);
		step(f, 30, "from U{...} (spill)", REASON_SPILL);
		step(f, 30, "from sink = U{...} (assign)", REASON_ASSIGN);
		assert_int_equal(checklist_classify(f, cases[i].line, NULL, 0), 0);
		if (strcmp(f->rule, cases[i].rule))
			fail_msg("%s at %d: %s, not %s", cases[i].line, cases[i].col, f->rule,
				 cases[i].rule);
		if (!strcmp(cases[i].rule, "ER005")) {
			strbuf_addf(&why, "%s%s", cases[i].subject, none);
			assert_string_equal(f->why, why.buf);
			assert_int_equal(f->severity, SEVERITY_INFO);
		} else {
			assert_int_equal(f->severity, SEVERITY_WARNING);
		}
		strbuf_release(&why);
		finding_free(f);
	}
}

/*
 * The compiler decides: Go 1.25 and newer box a literal of constants and a
 * zero value from read-only data (ER005), Go 1.24 and older allocate them
 * (testing.AllocsPerRun: 1 on go1.19 to go1.24.0, 0 on go1.25.0 and
 * go1.26.8), unless the type has zero size.  Not known (0): ER005, and the
 * finding says its classification depends on it.
 */
static void test_literals_by_compiler(void **state)
{
	static const struct {
		const char *subject, *line;
		int col, go_minor;
		const char *zero_size;
		const char *rule;
		int dependent, old;
	} cases[] = {
		{ "U{...}", "\tsink = U{1, 2}", 10, 0, NULL, "ER005", 1, 0 },
		{ "U{...}", "\tsink = U{1, 2}", 10, 25, NULL, "ER005", 1, 0 },
		{ "U{...}", "\tsink = U{1, 2}", 10, 26, NULL, "ER005", 1, 0 },
		{ "U{...}", "\tsink = U{1, 2}", 10, 24, NULL, "ER002", 1, 1 },
		{ "U{...}", "\tsink = U{1, 2}", 10, 19, NULL, "ER002", 1, 1 },
		{ "U{}", "\tsink = U{}", 10, 0, NULL, "ER005", 1, 0 },
		{ "U{}", "\tsink = U{}", 10, 26, NULL, "ER005", 1, 0 },
		{ "U{}", "\tsink = U{}", 10, 24, NULL, "ER002", 1, 1 },
		/* zero size: nothing allocated by any compiler */
		{ "U{}", "\tsink = U{}", 10, 19, "U", "ER005", 0, 0 },
		{ "U{}", "\tsink = U{}", 10, 26, "U", "ER005", 0, 0 },
		/* a name in it: an allocation for every compiler */
		{ "U{...}", "\tsink = U{n, 2}", 10, 19, NULL, "ER002", 0, 0 },
		{ "U{...}", "\tsink = U{n, 2}", 10, 26, NULL, "ER002", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct finding *f = literal(cases[i].subject, LIT_VALUE);

		f->column = cases[i].col;
		f->zero_size = cases[i].zero_size ? xstrdup(cases[i].zero_size) : NULL;
		flow(f, "flow: {heap} = &{storage for U{...}}", DST_HEAP);
		step(f, 30, "from U{...} (spill)", REASON_SPILL);
		step(f, 30, "from sink = U{...} (assign)", REASON_ASSIGN);
		assert_int_equal(checklist_classify(f, cases[i].line, NULL, cases[i].go_minor), 0);
		if (strcmp(f->rule, cases[i].rule) || (int)f->go_dependent != cases[i].dependent ||
		    (int)f->go_old != cases[i].old)
			fail_msg("case %zu (%s, Go 1.%d): %s dependent %u old %u", i, cases[i].line,
				 cases[i].go_minor, f->rule, f->go_dependent, f->go_old);
		assert_int_equal(f->severity, strcmp(cases[i].rule, "ER005") ? SEVERITY_WARNING
									 : SEVERITY_INFO);
		if (cases[i].zero_size)
			assert_string_equal(f->why, "U{} is boxed into an interface at score.go:30; U has "
						    "zero size, so nothing is actually allocated");
		finding_free(f);
	}
}

/* When a classification is made again: for another compiler, known. */
static void test_for_other_go(void **state)
{
	struct finding *f = literal("U{...}", LIT_VALUE);

	(void)state;
	f->column = 10;
	step(f, 30, "from sink = U{...} (assign)", REASON_ASSIGN);
	checklist_classify_finding(f, "\tsink = U{1, 2}", 0);
	assert_int_equal(checklist_for_other_go(f, 0), 0);
	assert_int_equal(checklist_for_other_go(f, 26), 0);
	assert_int_equal(checklist_for_other_go(f, 25), 0);
	assert_int_equal(checklist_for_other_go(f, 24), 1);
	assert_int_equal(checklist_for_other_go(f, 19), 1);
	checklist_classify_finding(f, "\tsink = U{1, 2}", 19);
	assert_string_equal(f->rule, "ER002");
	assert_string_equal(f->why, "U{...} is boxed into an interface that is stored in sink at score.go:30");
	assert_int_equal(checklist_for_other_go(f, 19), 0);
	assert_int_equal(checklist_for_other_go(f, 24), 0);
	assert_int_equal(checklist_for_other_go(f, 25), 1);
	assert_int_equal(checklist_for_other_go(f, 0), 0);
	/* one the compiler does not decide */
	checklist_classify_finding(f, "\tsink = U{n, 2}", 0);
	assert_int_equal(checklist_for_other_go(f, 19), 0);
	finding_free(f);
}

/*
 * T{} and T{...} of a map or a slice type: the message reads like a
 * struct's zero value; the package's declaration (lit_kind, set by the
 * locate) says what it is.  A map literal allocates; an empty slice
 * literal, named or not, has no backing array.
 */
static void test_literal_kinds(void **state)
{
	static const struct {
		const char *subject;
		unsigned lit_kind;
		const char *rule;
		enum severity sev;
		const char *why;
	} cases[] = {
		{ "table{}", LIT_MAP, "ER029", SEVERITY_WARNING,
		  "the backing store of table{} is allocated on the heap because it is returned at score.go:19" },
		{ "table{...}", LIT_MAP, "ER029", SEVERITY_WARNING,
		  "the backing store of table{...} is allocated on the heap because it is returned at score.go:19" },
		{ "names{...}", LIT_SLICE, "ER029", SEVERITY_WARNING,
		  "the backing store of names{...} is allocated on the heap because it is returned at score.go:19" },
		{ "names{}", LIT_SLICE, "ER005", SEVERITY_INFO,
		  "names{} is an empty slice literal that is returned at score.go:19: with no elements it has no backing array to allocate" },
		{ "[]int{}", LIT_UNKNOWN, "ER005", SEVERITY_INFO,
		  "[]int{} is an empty slice literal that is returned at score.go:19: with no elements it has no backing array to allocate" },
		{ "[]struct {}{}", LIT_UNKNOWN, "ER005", SEVERITY_INFO,
		  "[]struct {}{} is an empty slice literal that is returned at score.go:19: with no elements it has no backing array to allocate" },
		{ "[]int{...}", LIT_UNKNOWN, "ER029", SEVERITY_WARNING,
		  "the backing store of []int{...} is allocated on the heap because it is returned at score.go:19" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct finding *f = literal(cases[i].subject, cases[i].lit_kind);

		flow(f, "flow: ~r0 = &{storage for x}", DST_RESULT);
		step(f, 19, "from x (spill)", REASON_SPILL);
		step(f, 19, "from return x (return)", REASON_RETURN);
		assert_classified(f, NULL, cases[i].rule, cases[i].sev, cases[i].why);
		finding_free(f);
	}
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

/*
 * `leaking param: p`: the parameter itself leaks.  The sentence follows the
 * path that reaches the heap (hops that go on where the last one ended),
 * not a dereference that &p.f undoes or that lies on a path to a result.
 */
static void test_leaking_param_heap_path(void **state)
{
	struct finding *f;

	(void)state;
	/* c.mu.Lock(): &c.mu, handed on (Go 1.26's arrows) */
	f = mk(VERDICT_LEAK_PARAM, "leaking param: c", "c");
	f->facts.leak_dst = xstrdup("{heap}");
	flow(f, "flow: sync.m \xe2\x86\x90 c", DST_NAMED);
	step(f, 31, "from c.mu (dot of pointer)", REASON_DOT_PTR);
	step(f, 31, "from c.mu (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from sync.m := c.mu (assign-pair)", REASON_ASSIGN_PAIR);
	flow(f, "flow: {heap} \xe2\x86\x90 sync.m", DST_HEAP);
	step(f, 31, "from (*sync.Mutex).lockSlow(sync.m) (call parameter)", REASON_CALL_PARAM);
	assert_classified(f, NULL, "ER035", SEVERITY_INFO,
			  "parameter c leaks to the heap because it is passed to "
			  "(*sync.Mutex).lockSlow at score.go:31, so callers' arguments escape");
	finding_free(f);

	/* passed on to the heap, and dereferenced on a path to a result (Go
	 * 1.19's "=") */
	f = mk(VERDICT_LEAK_PARAM, "leaking param: tr", "tr");
	f->facts.leak_dst = xstrdup("{heap}");
	flow(f, "flow: {heap} = tr", DST_HEAP);
	step(f, 32, "from (*Reader).next(tr) (call parameter)", REASON_CALL_PARAM);
	flow(f, "flow: ~r1 = *tr", DST_RESULT);
	step(f, 33, "from tr.err (dot of pointer)", REASON_DOT_PTR);
	step(f, 33, "from return nil, tr.err (return)", REASON_RETURN);
	assert_classified(f, NULL, "ER035", SEVERITY_INFO,
			  "parameter tr leaks to the heap because it is passed to (*Reader).next at "
			  "score.go:32, so callers' arguments escape");
	finding_free(f);

	/* a type switch on the way to the heap: the dynamic value leaks */
	f = mk(VERDICT_LEAK_PARAM, "leaking param: v", "v");
	f->facts.leak_dst = xstrdup("{heap}");
	flow(f, "flow: x \xe2\x86\x90 v", DST_NAMED);
	step(f, 34, "from case *int: last = x (switch case)", REASON_SWITCH_CASE);
	flow(f, "flow: {heap} \xe2\x86\x90 x", DST_HEAP);
	step(f, 35, "from last = x (assign)", REASON_ASSIGN);
	assert_classified(f, NULL, "ER032", SEVERITY_INFO,
			  "parameter v is bound in a type switch at score.go:34 and leaks to the heap");
	finding_free(f);

	/* a type switch on a path that ends elsewhere (a literal's storage),
	 * and another path to the heap */
	f = mk(VERDICT_LEAK_PARAM, "leaking param: p", "p");
	f->facts.leak_dst = xstrdup("{heap}");
	flow(f, "flow: {heap} \xe2\x86\x90 p", DST_HEAP);
	step(f, 36, "from p (interface-converted)", REASON_INTERFACE_CONVERTED);
	step(f, 36, "from formatter.Format(p, verb) (call parameter)", REASON_CALL_PARAM);
	flow(f, "flow: f \xe2\x86\x90 p", DST_NAMED);
	step(f, 37, "from case []byte: fmtBytes(f) (switch case)", REASON_SWITCH_CASE);
	flow(f, "flow: {storage for v} \xe2\x86\x90 f", DST_NAMED);
	step(f, 38, "from v (interface-converted)", REASON_INTERFACE_CONVERTED);
	assert_classified(f, NULL, "ER035", SEVERITY_INFO,
			  "parameter p leaks to the heap because it is passed to formatter.Format at "
			  "score.go:36, so callers' arguments escape");
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
	assert_int_equal(checklist_classify(f, NULL, &p, 0), 0);
	assert_string_equal(f->rule, "ER035");
	assert_int_equal(f->severity, SEVERITY_ERROR);

	/* replacing an override; -1 keeps the default severity */
	checklist_policy_set(&p, "ER035", -1, 0);
	assert_int_equal(p.nr, 1);
	assert_int_equal(checklist_classify(f, NULL, &p, 0), 0);
	assert_int_equal(f->severity, SEVERITY_INFO);

	checklist_policy_set(&p, "ER035", -1, 1);
	assert_int_equal(checklist_classify(f, NULL, &p, 0), 1);
	assert_string_equal(f->rule, "ER035");

	/* an override of another rule does not apply */
	checklist_policy_release(&p);
	checklist_policy_set(&p, "ER001", SEVERITY_ERROR, 1);
	assert_int_equal(checklist_classify(f, NULL, &p, 0), 0);
	assert_int_equal(f->severity, SEVERITY_INFO);
	checklist_policy_release(&p);
	assert_int_equal(p.nr, 0);
	assert_null(p.items);
	finding_free(f);
}

/* Issue 11 item 13: once per process, whatever the line looks like. */
static void test_package_initialisation(void **state)
{
	struct finding *f = mk(VERDICT_ESCAPES, "&errors.errorString{...} escapes to heap",
			       "&errors.errorString{...}");

	(void)state;
	/* var ( ErrB = errors.New("b") ): an indented spec line */
	f->line = 11;
	f->column = 16;
	f->function = xstrdup("ErrB");
	f->in_init = 1;
	flow(f, "flow: ~R0 = &{storage for &errors.errorString{...}}", DST_RESULT);
	step(f, 11, "from &errors.errorString{...} (spill)", REASON_SPILL);
	step(f, 11, "from error(&errors.errorString{...}) (interface-converted)",
	     REASON_INTERFACE_CONVERTED);
	step(f, 11, "from ~R0 = error(&errors.errorString{...}) (assign-pair)", REASON_ASSIGN_PAIR);
	flow(f, "flow: {heap} = ~R0", DST_HEAP);
	step(f, 11, "from ErrB = ~R0 (assign)", REASON_ASSIGN);
	assert_classified(f, "\tErrB = errors.New(\"b\")", "ER039", SEVERITY_INFO,
			  "&errors.errorString{...} is stored in ErrB at score.go:11, once, when the "
			  "package is initialised");
	/* the same finding outside package initialisation is a per-call allocation */
	f->in_init = 0;
	assert_classified(f, "\tErrB = errors.New(\"b\")", "ER011", SEVERITY_WARNING,
			  "&errors.errorString{...} is allocated on the heap because it is stored in "
			  "ErrB at score.go:11");
	/* a line that only looks like a package-level var, inside a function */
	assert_classified(f, "var x = errors.New(\"b\")", "ER011", SEVERITY_WARNING,
			  "&errors.errorString{...} is allocated on the heap because it is stored in "
			  "ErrB at score.go:11");
	finding_free(f);

	/* func init's body, in a loop */
	f = mk(VERDICT_ESCAPES, "new(int) escapes to heap", "new(int)");
	f->line = 20;
	f->function = xstrdup("init");
	f->in_init = 1;
	f->in_loop = 1;
	f->loop_line = 19;
	flow(f, "flow: {heap} = &{storage for new(int)}", DST_HEAP);
	step(f, 20, "from new(int) (spill)", REASON_SPILL);
	step(f, 20, "from table[fmt.Sprint(i)] = new(int) (assign)", REASON_ASSIGN);
	assert_classified(f, "\t\ttable[fmt.Sprint(i)] = new(int)", "ER039", SEVERITY_INFO,
			  "new(int) is stored in table[fmt.Sprint(i)] at score.go:20, once per "
			  "iteration of the loop at score.go:19, only when the package is initialised");
	finding_free(f);

	/* a constant boxed there allocates nothing: no clause */
	f = mk(VERDICT_ESCAPES, "1 escapes to heap", "1");
	f->in_init = 1;
	flow(f, "flow: {heap} = {storage for ... argument}", DST_HEAP | DST_DOTS_ARG);
	step(f, 11, "from fmt.Errorf(\"a %d\", ... argument...) (call parameter)", REASON_CALL_PARAM);
	callee(f, "fmt.Errorf");
	assert_classified(f, NULL, "ER005", SEVERITY_INFO,
			  "1 is boxed into an interface to be passed to fmt.Errorf at score.go:11, "
			  "but as a constant it needs no allocation");
	finding_free(f);
}

/* Issue 11 item 14: once per iteration of the loop around it. */
static void test_loops(void **state)
{
	struct finding *f = mk(VERDICT_MOVED, "moved to heap: v", "v");

	(void)state;
	f->line = 27;
	f->column = 3;
	f->in_loop = 1;
	f->loop_line = 26;
	flow(f, "flow: {heap} = &v", DST_HEAP);
	step(f, 28, "from &v (address-of)", REASON_ADDRESS_OF);
	step(f, 28, "from append(out, &v) (call parameter)", REASON_CALL_PARAM);
	callee(f, "append");
	assert_classified(f, "\t\tv := x", "ER030", SEVERITY_WARNING,
			  "the address of v is appended to a slice that escapes at score.go:28, once "
			  "per iteration of the loop at score.go:26");
	finding_free(f);

	/* ER025 names the loop in its own sentence */
	f = mk(VERDICT_ESCAPES, "func literal escapes to heap", "func literal");
	f->column = 9;
	f->in_loop = 1;
	f->loop_line = 29;
	flow(f, "flow: {heap} = &{storage for func literal}", DST_HEAP);
	step(f, 30, "from func literal (spill)", REASON_SPILL);
	assert_classified(f, "\t\tdefer func() {", "ER025", SEVERITY_ERROR,
			  "the deferred closure at score.go:30 is heap-allocated on every iteration "
			  "of the loop at score.go:29");
	finding_free(f);

	/* a parameter's leak is a summary: nothing is allocated per iteration */
	f = mk(VERDICT_LEAK_PARAM, "leaking param: p", "p");
	f->in_loop = 1;
	f->loop_line = 29;
	f->facts.leak_dst = xstrdup("{heap}");
	flow(f, "flow: {heap} = p", DST_HEAP);
	step(f, 78, "from G = p (assign)", REASON_ASSIGN);
	assert_classified(f, NULL, "ER035", SEVERITY_INFO,
			  "parameter p leaks to the heap because it is stored in G at score.go:78, "
			  "so callers' arguments escape");
	finding_free(f);

	/* panic's argument is boxed only when panicking */
	f = mk(VERDICT_ESCAPES, "n escapes to heap", "n");
	f->in_loop = 1;
	f->loop_line = 29;
	flow(f, "flow: {heap} = &{storage for n}", DST_HEAP);
	step(f, 30, "from n (spill)", REASON_SPILL);
	step(f, 30, "from panic(n) (call parameter)", REASON_CALL_PARAM);
	callee(f, "panic");
	assert_classified(f, "\t\tpanic(n)", "ER004", SEVERITY_INFO,
			  "n is boxed into an interface to be passed to panic at score.go:30");
	finding_free(f);
}

/* Issue 11 item 7: `p := Path{}; return &p` with a zero-size Path. */
static void test_zero_size(void **state)
{
	struct checklist_policy p = CHECKLIST_POLICY_INIT;
	struct finding *f = mk(VERDICT_MOVED, "moved to heap: p", "p");

	(void)state;
	f->zero_size = xstrdup("Path");
	f->in_loop = 1;
	f->loop_line = 20;
	flow(f, "flow: ~r0 = &p", DST_RESULT);
	step(f, 31, "from &p (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from return &p (return)", REASON_RETURN);
	assert_classified(f, "\tp := Path{}", "ER010", SEVERITY_INFO,
			  "the address of p is returned at score.go:31; Path has zero size, so "
			  "nothing is actually allocated");
	/* nothing allocated stays info even where the configuration raises the rule */
	checklist_policy_set(&p, "ER010", SEVERITY_ERROR, 0);
	assert_int_equal(checklist_classify(f, NULL, &p, 0), 0);
	assert_int_equal(f->severity, SEVERITY_INFO);
	checklist_policy_release(&p);
	finding_free(f);

	f = mk(VERDICT_ESCAPES, "&Path{} escapes to heap", "&Path{}");
	f->zero_size = xstrdup("Path");
	flow(f, "flow: ~r0 = &{storage for &Path{}}", DST_RESULT);
	step(f, 39, "from &Path{} (spill)", REASON_SPILL);
	step(f, 39, "from return &Path{} (return)", REASON_RETURN);
	assert_classified(f, "\treturn &Path{}", "ER011", SEVERITY_INFO,
			  "&Path{} is allocated on the heap because it is returned at score.go:39; "
			  "Path has zero size, so nothing is actually allocated");
	finding_free(f);

	/* without the fact, the usual warning */
	f = mk(VERDICT_MOVED, "moved to heap: p", "p");
	flow(f, "flow: ~r0 = &p", DST_RESULT);
	step(f, 31, "from &p (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from return &p (return)", REASON_RETURN);
	assert_classified(f, "\tp := Point{}", "ER010", SEVERITY_WARNING,
			  "the address of p is returned at score.go:31");
	finding_free(f);
}

/* The readers of chain steps and source lines skip what is inside literals. */
static void test_literals_in_text(void **state)
{
	struct finding *f = mk(VERDICT_ESCAPES, "x escapes to heap", "x");

	(void)state;
	/* a string holding ") (" and "=" in the call: the callee is still log.Printf */
	flow(f, "flow: {heap} = {storage for ... argument}", DST_HEAP | DST_DOTS_ARG);
	step(f, 32, "from log.Printf(\"a) (b = c\", ... argument...) (call parameter)",
	     REASON_CALL_PARAM);
	callee(f, "log.Printf");
	assert_classified(f, NULL, "ER001", SEVERITY_WARNING,
			  "x is boxed into an interface to be passed to log.Printf at score.go:32");
	finding_free(f);

	/* an assignment whose index holds " = " */
	f = mk(VERDICT_MOVED, "moved to heap: x", "x");
	flow(f, "flow: {heap} = &x", DST_HEAP);
	step(f, 62, "from &x (address-of)", REASON_ADDRESS_OF);
	step(f, 62, "from m[\"k = v\"] = &x (assign)", REASON_ASSIGN);
	assert_classified(f, "\tx := 1", "ER013", SEVERITY_WARNING,
			  "the address of x is stored in m[\"k = v\"] at score.go:62");
	finding_free(f);

	/* a constant string holding " + " is a constant, a call on one is a call */
	f = mk(VERDICT_ESCAPES, "\"a + b\" escapes to heap", "\"a + b\"");
	flow(f, "flow: {heap} = {storage for ... argument}", DST_HEAP | DST_DOTS_ARG);
	step(f, 36, "from fmt.Println(... argument...) (call parameter)", REASON_CALL_PARAM);
	callee(f, "fmt.Println");
	assert_classified(f, NULL, "ER005", SEVERITY_INFO,
			  "\"a + b\" is boxed into an interface to be passed to fmt.Println at "
			  "score.go:36, but as a constant it needs no allocation");
	finding_free(f);

	/* `for` and `:=` inside a comment or string declare nothing */
	f = mk(VERDICT_MOVED, "moved to heap: v", "v");
	flow(f, "flow: {heap} = &v", DST_HEAP);
	step(f, 31, "from &v (address-of)", REASON_ADDRESS_OF);
	step(f, 31, "from append(out, &v) (call parameter)", REASON_CALL_PARAM);
	callee(f, "append");
	assert_classified(f, "\tfor \"v\" != s { // v := 1", "ER030", SEVERITY_WARNING,
			  "the address of v is appended to a slice that escapes at score.go:31");
	free(f->why);
	f->why = NULL;
	assert_classified(f, "\tfor i, v := range xs { // v", "ER017", SEVERITY_ERROR,
			  "the address of loop variable v is passed to append at score.go:31, "
			  "so it outlives the iteration");
	/* a line that starts inside a raw string: its `for` is text */
	f->source = xstrdup("for _, v := range xs {`");
	f->source_state = GOLEX_IN_RAW;
	assert_classified(f, f->source, "ER030", SEVERITY_WARNING,
			  "the address of v is appended to a slice that escapes at score.go:31");
	finding_free(f);

	/* a method value named in a string is not a method value */
	f = mk(VERDICT_ESCAPES, "s.Close escapes to heap", "s.Close");
	flow(f, "flow: {heap} = &{storage for s.Close}", DST_HEAP);
	step(f, 40, "from s.Close (spill)", REASON_SPILL);
	step(f, 40, "from G = s.Close (assign)", REASON_ASSIGN);
	assert_classified(f, "\tG = s.Close", "ER026", SEVERITY_WARNING,
			  "the method value s.Close is stored in G at score.go:40");
	free(f->why);
	f->why = NULL;
	assert_classified(f, "\tlog(\"s.Close\"); s.Close()", "ER002", SEVERITY_WARNING,
			  "s.Close is boxed into an interface that is stored in G at score.go:40");
	finding_free(f);
}

/* finding_list_sort: by position, findings in loops first within their severity. */
static void test_rank(void **state)
{
	static const struct {
		int line;
		enum severity sev;
		int loop;
	} in[] = {
		{ 50, SEVERITY_WARNING, 1 }, { 10, SEVERITY_INFO, 0 }, { 20, SEVERITY_WARNING, 0 },
		{ 40, SEVERITY_INFO, 1 }, { 30, SEVERITY_WARNING, 0 }, { 60, SEVERITY_ERROR, 0 },
		{ 70, SEVERITY_WARNING, 1 },
	};
	/* by position: 10i 20w 30w 40i 50w 60e 70w; the warnings' places take
	 * 50 70 20 30, the infos' 40 10, the error stays */
	static const int want[] = { 40, 50, 70, 10, 20, 60, 30 };
	struct finding_list l = FINDING_LIST_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct finding *f = mk(VERDICT_MOVED, "moved to heap: x", "x");

		f->line = in[i].line;
		f->severity = in[i].sev;
		f->in_loop = in[i].loop;
		finding_list_add(&l, f);
	}
	finding_list_sort(&l);
	for (i = 0; i < l.nr; i++)
		assert_int_equal(l.items[i]->line, want[i]);
	/* without loops: position order */
	for (i = 0; i < l.nr; i++)
		l.items[i]->in_loop = 0;
	finding_list_sort(&l);
	for (i = 0; i < l.nr; i++)
		assert_int_equal(l.items[i]->line, 10 * (int)(i + 1));
	finding_list_release(&l);
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


/* ------------------------------------------------------------------ */
/* Real output of Go 1.26 and Go 1.19, through the parser              */
/* ------------------------------------------------------------------ */

/* Parse `m2` and classify every finding with line N of `src` (lines
 * separated by '\n', the first is line 1). */
static void classify_output(struct finding_list *out, const char *m2, const char *src)
{
	static const struct parse_opts opts = { .prefix = "" };
	struct parser *p = parser_new(&opts);
	size_t i;

	parser_feed(p, m2, strlen(m2));
	parser_finish(p);
	parser_take_findings(p, out);
	parser_free(p);
	for (i = 0; i < out->nr; i++) {
		struct finding *f = out->items[i];
		const char *line = src;
		int n;
		char *text;

		for (n = 1; line && n < f->line; n++) {
			line = strchr(line, '\n');
			if (line)
				line++;
		}
		text = line ? xstrndup(line, strcspn(line, "\n")) : NULL;
		assert_int_equal(checklist_classify(f, text, NULL, 0), 0);
		free(text);
	}
}

static void expect_rule(const struct finding_list *l, int line, int col, const char *message,
			const char *rule, const char *why)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const struct finding *f = l->items[i];

		if (f->line == line && f->column == col && !strcmp(f->message, message)) {
			assert_string_equal(f->rule, rule);
			if (why)
				assert_string_equal(f->why, why);
			return;
		}
	}
	fail_msg("no finding %d:%d: %s", line, col, message);
}

static char *read_data(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path, 1 << 20) < 0)
		fail_msg("cannot read %s (run from the repository root)", path);
	return strbuf_detach(&sb, NULL);
}

#define BOXED_GENERIC " is boxed into an interface in generic code (a type-parameter value, " \
		      "compiled once per GC shape) and "

/* tests/unit/data/go126: Go 1.26's generic code, append, zero-size make */
static void test_go126_output(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	char *m2 = read_data("tests/unit/data/go126-m2.txt");
	char *src = read_data("tests/unit/data/go126/g.go");

	(void)state;
	classify_output(&l, m2, src);
	/* the box in Box's body compiled for the shape, in the wrapper of
	 * Box[int] (reported at the func line) and where UseBox inlined Box */
	expect_rule(&l, 14, 9, "v escapes to heap", "ER034", "v" BOXED_GENERIC "is returned at g.go:14");
	expect_rule(&l, 13, 6, "v escapes to heap", "ER034", "v" BOXED_GENERIC "is returned at g.go:13");
	expect_rule(&l, 18, 12, "v escapes to heap", "ER034", "v" BOXED_GENERIC "is returned at g.go:18");
	/* append's backing array, returned: not ER030 (what append stores) */
	expect_rule(&l, 24, 15, "append escapes to heap", "ER029",
		    "the backing array that append allocates is on the heap because the slice is "
		    "returned at g.go:26");
	/* zero-size elements: nothing allocated */
	expect_rule(&l, 58, 17, "make([]struct {}, n) escapes to heap", "ER005",
		    "make([]struct {}, n) has elements of zero size: the heap allocation at g.go:58 "
		    "is the runtime's shared zero-size base and allocates nothing");
	/* fmt.Println inlined: the callee is still the call the source makes */
	expect_rule(&l, 62, 19, "n escapes to heap", "ER001",
		    "n is boxed into an interface to be passed to fmt.Println at g.go:62");
	expect_rule(&l, 62, 14, "\"n\" escapes to heap", "ER005", NULL);
	expect_rule(&l, 74, 8, "... argument escapes to heap", "ER009", NULL);
	expect_rule(&l, 73, 7, "leaking param: t", "ER035", NULL);
	finding_list_release(&l);
	free(m2);
	free(src);
}

/* Box, Store and Print of the rules' ER034 fixture family, both compilers */
static void test_generic_boxing_both_compilers(void **state)
{
	static const char src[] =
		"package a\n"
		"\n"
		"import \"fmt\"\n"
		"\n"
		"var sink interface{}\n"
		"\n"
		"func Box[T any](v T) interface{} {\n"
		"\treturn v\n"
		"}\n"
		"\n"
		"func Print[T any](v T, n int) {\n"
		"\tfmt.Println(v)\n"
		"\tfmt.Println(n)\n"
		"}\n"
		"\n"
		"func Store[T any](v T) {\n"
		"\tsink = v\n"
		"}\n"
		"\n"
		"type List[T any] struct{ items []T }\n"
		"\n"
		"func New[T any]() *List[T] {\n"
		"\treturn &List[T]{}\n"
		"}\n";
	/* go1.19.8 build -gcflags='-m=2 -l' */
	static const char m2_119[] =
		"# exp/a\n"
		"a/a.go:8:2: unsafe.Pointer(v) escapes to heap:\n"
		"a/a.go:8:2:   flow: ~r0 = &{storage for unsafe.Pointer(v)}:\n"
		"a/a.go:8:2:     from unsafe.Pointer(v) (spill) at a/a.go:8:2\n"
		"a/a.go:8:2:     from return <node EFACE> (return) at a/a.go:8:2\n"
		"a/a.go:8:2: unsafe.Pointer(v) escapes to heap\n"
		"a/a.go:12:13: unsafe.Pointer(v) escapes to heap:\n"
		"a/a.go:12:13:   flow: {storage for ... argument} = &{storage for unsafe.Pointer(v)}:\n"
		"a/a.go:12:13:     from unsafe.Pointer(v) (spill) at a/a.go:12:13\n"
		"a/a.go:12:13:     from ... argument (slice-literal-element) at a/a.go:12:13\n"
		"a/a.go:12:13:   flow: {heap} = {storage for ... argument}:\n"
		"a/a.go:12:13:     from ... argument (spill) at a/a.go:12:13\n"
		"a/a.go:12:13:     from fmt.Println(... argument...) (call parameter) at a/a.go:12:13\n"
		"a/a.go:12:13: ... argument does not escape\n"
		"a/a.go:12:13: unsafe.Pointer(v) escapes to heap\n"
		"a/a.go:17:7: unsafe.Pointer(v) escapes to heap:\n"
		"a/a.go:17:7:   flow: {heap} = &{storage for unsafe.Pointer(v)}:\n"
		"a/a.go:17:7:     from unsafe.Pointer(v) (spill) at a/a.go:17:7\n"
		"a/a.go:17:7:     from sink = unsafe.Pointer(v) (assign) at a/a.go:17:7\n"
		"a/a.go:17:7: unsafe.Pointer(v) escapes to heap\n"
		"a/a.go:23:9: &List[go.shape.string_0]{} escapes to heap:\n"
		"a/a.go:23:9:   flow: ~r0 = &{storage for &List[go.shape.string_0]{}}:\n"
		"a/a.go:23:9:     from &List[go.shape.string_0]{} (spill) at a/a.go:23:9\n"
		"a/a.go:23:9:     from return &List[go.shape.string_0]{} (return) at a/a.go:23:2\n"
		"a/a.go:23:9: &List[go.shape.string_0]{} escapes to heap\n";
	/* go1.26.8 build -gcflags='-m=2 -l' */
	static const char m2_126[] =
		"# exp/a\n"
		"a/a.go:8:9: v escapes to heap in Box[go.shape.int]:\n"
		"a/a.go:8:9:   flow: ~r0 \xe2\x86\x90 &{storage for v}:\n"
		"a/a.go:8:9:     from v (spill) at a/a.go:8:9\n"
		"a/a.go:8:9:     from return v (return) at a/a.go:8:2\n"
		"a/a.go:8:9: v escapes to heap\n"
		"a/a.go:12:14: v escapes to heap in Print[go.shape.int]:\n"
		"a/a.go:12:14:   flow: {storage for ... argument} \xe2\x86\x90 &{storage for v}:\n"
		"a/a.go:12:14:     from v (spill) at a/a.go:12:14\n"
		"a/a.go:12:14:     from ... argument (slice-literal-element) at a/a.go:12:13\n"
		"a/a.go:12:14:   flow: {heap} \xe2\x86\x90 {storage for ... argument}:\n"
		"a/a.go:12:14:     from ... argument (spill) at a/a.go:12:13\n"
		"a/a.go:12:14:     from fmt.Println(... argument...) (call parameter) at a/a.go:12:13\n"
		"a/a.go:12:13: ... argument does not escape\n"
		"a/a.go:12:14: v escapes to heap\n"
		"a/a.go:17:9: v escapes to heap in Store[go.shape.string]:\n"
		"a/a.go:17:9:   flow: {heap} \xe2\x86\x90 &{storage for v}:\n"
		"a/a.go:17:9:     from v (spill) at a/a.go:17:9\n"
		"a/a.go:17:9:     from sink = v (assign) at a/a.go:17:7\n"
		"a/a.go:17:9: v escapes to heap\n"
		"a/a.go:23:9: &List[go.shape.string]{} escapes to heap in New[go.shape.string]:\n"
		"a/a.go:23:9:   flow: ~r0 \xe2\x86\x90 &{storage for &List[go.shape.string]{}}:\n"
		"a/a.go:23:9:     from &List[go.shape.string]{} (spill) at a/a.go:23:9\n"
		"a/a.go:23:9:     from return &List[go.shape.string]{} (return) at a/a.go:23:2\n"
		"a/a.go:23:9: &List[go.shape.string]{} escapes to heap\n";
	struct finding_list l = FINDING_LIST_INIT;

	(void)state;
	classify_output(&l, m2_119, src);
	assert_int_equal(l.nr, 4);
	expect_rule(&l, 8, 2, "unsafe.Pointer(v) escapes to heap", "ER034",
		    "unsafe.Pointer(v)" BOXED_GENERIC "is returned at a.go:8");
	/* fmt is the more specific reason: ER001 on both compilers */
	expect_rule(&l, 12, 13, "unsafe.Pointer(v) escapes to heap", "ER001",
		    "unsafe.Pointer(v) is boxed into an interface to be passed to fmt.Println at a.go:12");
	expect_rule(&l, 17, 7, "unsafe.Pointer(v) escapes to heap", "ER034",
		    "unsafe.Pointer(v)" BOXED_GENERIC "is stored in sink at a.go:17");
	/* a composite literal of a generic type is not a boxing */
	expect_rule(&l, 23, 9, "&List[go.shape.string_0]{} escapes to heap", "ER011", NULL);
	finding_list_release(&l);

	classify_output(&l, m2_126, src);
	assert_int_equal(l.nr, 4);
	expect_rule(&l, 8, 9, "v escapes to heap", "ER034", "v" BOXED_GENERIC "is returned at a.go:8");
	expect_rule(&l, 12, 14, "v escapes to heap", "ER001",
		    "v is boxed into an interface to be passed to fmt.Println at a.go:12");
	expect_rule(&l, 17, 9, "v escapes to heap", "ER034",
		    "v" BOXED_GENERIC "is stored in sink at a.go:17");
	expect_rule(&l, 23, 9, "&List[go.shape.string]{} escapes to heap", "ER011", NULL);
	finding_list_release(&l);
}

/* Shape types in subjects and callees (Go 1.26, standard library and the
 * compiler's own tests) */
static void test_go126_shapes(void **state)
{
	/* net/http/mapping.go:30 */
	static const char mapping[] =
		"net/http/mapping.go:30:17: map[go.shape.string]go.shape.*uint8{} escapes to heap in "
		"(*mapping[go.shape.string,go.shape.*uint8]).add:\n"
		"net/http/mapping.go:30:17:   flow: {heap} \xe2\x86\x90 &{storage for "
		"map[go.shape.string]go.shape.*uint8{}}:\n"
		"net/http/mapping.go:30:17:     from map[go.shape.string]go.shape.*uint8{} (spill) at "
		"net/http/mapping.go:30:17\n"
		"net/http/mapping.go:30:17:     from h.m = map[go.shape.string]go.shape.*uint8{} "
		"(assign) at net/http/mapping.go:30:8\n"
		"net/http/mapping.go:30:17: map[go.shape.string]go.shape.*uint8{} escapes to heap\n";
	/* test/escape_unique.go:49: a generic callee is no interface method */
	static const char unique[] =
		"escape_unique.go:49:34: s escapes to heap in f5:\n"
		"escape_unique.go:49:34:   flow: {heap} \xe2\x86\x90 &{storage for s}:\n"
		"escape_unique.go:49:34:     from s (spill) at escape_unique.go:49:34\n"
		"escape_unique.go:49:34:     from viaInterface{...} (struct literal element) at "
		"escape_unique.go:49:33\n"
		"escape_unique.go:49:34:     from unique.Make[go.shape.struct { p.s interface {} }]"
		"(&unique..dict.Make[p.viaInterface], viaInterface{...}) (call parameter) at "
		"escape_unique.go:49:20\n"
		"escape_unique.go:49:34: s escapes to heap\n";
	/* a constant converted to the shape type where Box was inlined */
	static const char inlined[] =
		"bad.go:8:12: inlining call to Box[go.shape.int]\n"
		"bad.go:8:12: go.shape.int(3) escapes to heap in UseBox:\n"
		"bad.go:8:12:   flow: ~r0 \xe2\x86\x90 &{storage for go.shape.int(3)}:\n"
		"bad.go:8:12:     from go.shape.int(3) (spill) at bad.go:8:12\n"
		"bad.go:8:12:     from ~r0 = go.shape.int(3) (assign-pair) at bad.go:8:12\n"
		"bad.go:8:12:   flow: ~r0 \xe2\x86\x90 ~r0:\n"
		"bad.go:8:12:     from return ~r0 (return) at bad.go:8:2\n"
		"bad.go:8:12: go.shape.int(3) escapes to heap\n";
	struct finding_list l = FINDING_LIST_INIT;
	char line30[64];

	(void)state;
	memset(line30, '\n', 29);
	strcpy(line30 + 29, "\t\t\th.m = map[K]V{}");
	classify_output(&l, mapping, line30);
	expect_rule(&l, 30, 17, "map[go.shape.string]go.shape.*uint8{} escapes to heap", "ER029",
		    "the backing store of map[go.shape.string]go.shape.*uint8{} is allocated on the "
		    "heap because it is stored in h.m at mapping.go:30");
	finding_list_release(&l);
	/* not ER020 (an interface method call); the shape left out of the name */
	classify_output(&l, unique, "");
	assert_int_equal(l.nr, 1);
	expect_rule(&l, 49, 34, "s escapes to heap", "ER002",
		    "s is boxed into an interface that is passed to unique.Make at "
		    "escape_unique.go:49");
	finding_list_release(&l);
	/* the constant 3 of a shape type: nothing allocated */
	classify_output(&l, inlined, "");
	expect_rule(&l, 8, 12, "go.shape.int(3) escapes to heap", "ER005",
		    "go.shape.int(3) is boxed into an interface to be passed to Box at bad.go:8, but "
		    "as a constant it needs no allocation");
	finding_list_release(&l);
}

/* ER027 is reported by Go 1.19 to 1.24 only; the others by every compiler */
static void test_rule_compilers(void **state)
{
	const struct rule *r = checklist_find("ER027");
	size_t nr, i;
	const struct rule *all = checklist_rules(&nr);

	(void)state;
	assert_true(checklist_rule_applies(r, 19));
	assert_true(checklist_rule_applies(r, 24));
	assert_false(checklist_rule_applies(r, 25));
	assert_false(checklist_rule_applies(r, 26));
	assert_non_null(r->compilers);
	for (i = 0; i < nr; i++) {
		/* a bound comes with its sentence, and the other way round */
		assert_int_equal(!!(all[i].go_min || all[i].go_max), all[i].compilers != NULL);
		if (all[i].compilers)
			continue;
		assert_true(checklist_rule_applies(&all[i], 19));
		assert_true(checklist_rule_applies(&all[i], 26));
	}
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
		cmocka_unit_test(test_package_initialisation),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_literal_kinds),
		cmocka_unit_test(test_leaking_param_heap_path),
		cmocka_unit_test(test_constant_literals),
		cmocka_unit_test(test_literals_by_compiler),
		cmocka_unit_test(test_for_other_go),
		cmocka_unit_test(test_literals_in_text),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_go126_output),
		cmocka_unit_test(test_generic_boxing_both_compilers),
		cmocka_unit_test(test_go126_shapes),
		cmocka_unit_test(test_rule_compilers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
