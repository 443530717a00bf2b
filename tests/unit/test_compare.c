/*
 * test_compare.c: fingerprints (the documented FNV-1a value, stable under
 * line shifts and renames, the occurrence index, closure suffixes,
 * positions in messages), compare_match's statuses and fixed list and its
 * file-less second pass, the cache round trip of every cached field, and
 * the baseline's write/read/apply and its errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "diff.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

static struct finding *mk(const char *file, int line, const char *function, const char *message)
{
	struct finding *f = finding_new();

	f->package = xstrdup("example.com/m");
	f->file = xstrdup(file);
	f->line = line;
	f->column = 2;
	f->function = xstrdup_or_null(function);
	f->message = xstrdup(message);
	f->subject = xstrdup("p");
	return f;
}

static char *fp_of(struct finding *f, const struct change *c)
{
	struct finding_list l = FINDING_LIST_INIT;
	char *fp;

	finding_list_add(&l, f);
	compare_fingerprint(&l, c);
	fp = xstrdup(f->fingerprint);
	free(l.items);
	return fp;
}

static void test_fingerprint_value(void **state)
{
	struct finding *f = mk("main.go", 20, "NewPoint", "moved to heap: p");
	char *fp;

	(void)state;
	/* FNV-1a 64 of "example.com/m\0main.go\0NewPoint\0moved to heap: p\0" "0" */
	fp = fp_of(f, NULL);
	assert_string_equal(fp, "12f6037768346839");
	free(fp);
	finding_free(f);
}

static void test_fingerprint_stability(void **state)
{
	struct finding *a = mk("main.go", 20, "NewPoint", "moved to heap: p");
	struct finding *b = mk("main.go", 95, "NewPoint", "moved to heap: p");
	struct finding *c = mk("main.go", 20, "Other", "moved to heap: p");
	struct finding *d = mk("old.go", 20, "NewPoint", "moved to heap: p");
	struct finding *e = mk("x.go", 1, "F.func2.1", "func literal escapes to heap");
	struct finding *g = mk("x.go", 9, "F", "func literal escapes to heap");
	struct finding *h = mk("x.go", 1, "glob..func3", "moved to heap: v");
	struct finding *i = mk("x.go", 1, "glob..", "moved to heap: v");
	struct finding *j = mk("x.go", 3, "F", "x.go:12:5: leaks to y.go:3");
	struct finding *k = mk("x.go", 3, "F", "x.go:99:1: leaks to y.go:7");
	struct change ch;
	char *renames[2] = { "old.go", "main.go" };
	char *fa, *fb, *fc, *fd, *fd2, *fe, *fg, *fh, *fi, *fj, *fk;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.renames = renames;
	ch.renames_nr = 2;
	fa = fp_of(a, NULL);
	fb = fp_of(b, NULL);
	fc = fp_of(c, NULL);
	fd = fp_of(d, NULL);
	fd2 = fp_of(d, &ch);
	fe = fp_of(e, NULL);
	fg = fp_of(g, NULL);
	fh = fp_of(h, NULL);
	fi = fp_of(i, NULL);
	fj = fp_of(j, NULL);
	fk = fp_of(k, NULL);
	/* the line does not count, the function does */
	assert_string_equal(fa, fb);
	assert_string_not_equal(fa, fc);
	/* a renamed file keeps it through the change's renames */
	assert_string_not_equal(fa, fd);
	assert_string_equal(fa, fd2);
	/* closure suffixes are dropped, package-level literals are "glob.." */
	assert_string_equal(fe, fg);
	assert_string_equal(fh, fi);
	/* positions inside the message do not count */
	assert_string_equal(fj, fk);
	assert_int_equal(strlen(fa), 16);
	free(fa); free(fb); free(fc); free(fd); free(fd2); free(fe); free(fg);
	free(fh); free(fi); free(fj); free(fk);
	finding_free(a); finding_free(b); finding_free(c); finding_free(d); finding_free(e);
	finding_free(g); finding_free(h); finding_free(i); finding_free(j); finding_free(k);
}

static void test_occurrence(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	(void)state;
	/* listed out of order: the occurrence follows line and column */
	finding_list_add(&l, mk("main.go", 30, "NewPoint", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 20, "NewPoint", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 25, "Other", "moved to heap: p"));
	compare_fingerprint(&l, NULL);
	assert_string_equal(l.items[1]->fingerprint, "12f6037768346839");
	assert_string_equal(l.items[0]->fingerprint, "12f6027768346686");
	assert_string_not_equal(l.items[2]->fingerprint, l.items[0]->fingerprint);
	finding_list_release(&l);
}

static void test_match(void **state)
{
	struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
	struct finding_list fixed = FINDING_LIST_INIT;

	(void)state;
	finding_list_add(&head, mk("main.go", 12, "A", "moved to heap: a"));  /* existing */
	finding_list_add(&head, mk("main.go", 40, "B", "moved to heap: b"));  /* new */
	finding_list_add(&head, mk("moved.go", 3, "M", "moved to heap: m")); /* existing, other file */
	finding_list_add(&head, mk("main.go", 50, "D", "moved to heap: d"));  /* new: 2nd of two */
	finding_list_add(&head, mk("main.go", 49, "D", "moved to heap: d"));  /* existing */
	finding_list_add(&base, mk("main.go", 10, "A", "moved to heap: a"));
	finding_list_add(&base, mk("main.go", 60, "C", "moved to heap: c"));  /* fixed */
	finding_list_add(&base, mk("main.go", 70, "M", "moved to heap: m"));
	finding_list_add(&base, mk("main.go", 45, "D", "moved to heap: d"));
	compare_fingerprint(&head, NULL);
	compare_fingerprint(&base, NULL);
	compare_match(&head, &base, &fixed);
	assert_int_equal(head.items[0]->status, STATUS_EXISTING);
	assert_int_equal(head.items[1]->status, STATUS_NEW);
	assert_int_equal(head.items[2]->status, STATUS_EXISTING);
	assert_int_equal(head.items[3]->status, STATUS_NEW);
	assert_int_equal(head.items[4]->status, STATUS_EXISTING);
	assert_int_equal(fixed.nr, 1);
	assert_string_equal(fixed.items[0]->message, "moved to heap: c");
	assert_int_equal(fixed.items[0]->status, STATUS_FIXED);
	assert_int_equal(base.nr, 0);
	assert_null(base.items);

	/* nothing at base: all new; nothing at head: all fixed */
	compare_match(&head, &base, &fixed);
	assert_int_equal(head.items[0]->status, STATUS_NEW);
	assert_int_equal(fixed.nr, 1);
	compare_match(&base, &head, &fixed);
	assert_int_equal(fixed.nr, 6);
	assert_int_equal(fixed.items[5]->status, STATUS_FIXED);
	assert_int_equal(head.nr, 0);
	finding_list_release(&fixed);
}

static char *tmpfile_path(void)
{
	char path[] = "/tmp/test_compare.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	return xstrdup(path);
}

static void write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(s, fp);
	fclose(fp);
}

static void test_cache_round_trip(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, r = FINDING_LIST_INIT;
	struct finding *f = mk("pkg/a b.go", 7, "(*T).M.func1", "\"x\\\"y\" escapes to heap");
	struct finding *g = finding_new();
	char *path = tmpfile_path();
	struct finding *x;

	(void)state;
	f->column = 13;
	f->verdict = VERDICT_LEAK_CONTENT;
	free(f->subject);
	f->subject = xstrdup("\"x\\\"y\"");
	f->source = xstrdup("\tsink = \"x\\\"y\" // é\t");
	f->source_above = xstrdup("");
	f->flow_truncated = 1;
	finding_add_step(f, "pkg/a b.go", 7, 13, "flow: {heap} = &x");
	finding_add_step(f, "$GOROOT/src/fmt/print.go", 300, 0, "from f(x) (call parameter)");
	f->facts.reasons = (1ULL << REASON_CALLEE_OPERAND) | (1ULL << REASON_ADDRESS_OF);
	f->facts.dsts = DST_HEAP | DST_NAMED;
	f->facts.steps = 9;
	f->facts.flows = 4;
	f->facts.derefs = 2;
	f->facts.cycle_warning = 1;
	f->facts.leak_dst = xstrdup("{storage for x}");
	f->facts.callees[0] = xstrdup("log.Printf");
	f->facts.callees[1] = xstrdup("(*sync.Pool).Put");
	f->facts.callees_nr = 2;
	f->fingerprint = xstrdup("not cached");
	finding_list_add(&l, f);
	/* the minimum: file, message, subject; derefs -1 */
	g->file = xstrdup("b.go");
	g->message = xstrdup("moved to heap: y");
	g->subject = xstrdup("y");
	finding_list_add(&l, g);

	assert_int_equal(compare_cache_write(path, &l), 0);
	assert_int_equal(compare_cache_read(&r, path), 0);
	assert_int_equal(r.nr, 2);
	x = r.items[0];
	assert_string_equal(x->package, "example.com/m");
	assert_string_equal(x->file, "pkg/a b.go");
	assert_int_equal(x->line, 7);
	assert_int_equal(x->column, 13);
	assert_int_equal(x->verdict, VERDICT_LEAK_CONTENT);
	assert_string_equal(x->message, f->message);
	assert_string_equal(x->subject, "\"x\\\"y\"");
	assert_string_equal(x->function, "(*T).M.func1");
	assert_string_equal(x->source, f->source);
	assert_string_equal(x->source_above, "");
	assert_int_equal(x->flow_truncated, 1);
	assert_int_equal(x->flow_nr, 2);
	assert_string_equal(x->flow[1].file, "$GOROOT/src/fmt/print.go");
	assert_int_equal(x->flow[1].line, 300);
	assert_int_equal(x->flow[1].column, 0);
	assert_string_equal(x->flow[1].text, "from f(x) (call parameter)");
	assert_string_equal(x->flow[0].text, "flow: {heap} = &x");
	assert_true(x->facts.reasons == f->facts.reasons);
	assert_int_equal(x->facts.dsts, DST_HEAP | DST_NAMED);
	assert_int_equal(x->facts.steps, 9);
	assert_int_equal(x->facts.flows, 4);
	assert_int_equal(x->facts.derefs, 2);
	assert_int_equal(x->facts.cycle_warning, 1);
	assert_string_equal(x->facts.leak_dst, "{storage for x}");
	assert_int_equal(x->facts.callees_nr, 2);
	assert_string_equal(x->facts.callees[0], "log.Printf");
	assert_string_equal(x->facts.callees[1], "(*sync.Pool).Put");
	/* what a later stage sets is not cached */
	assert_null(x->fingerprint);
	x = r.items[1];
	assert_null(x->package);
	assert_null(x->function);
	assert_null(x->source);
	assert_int_equal(x->facts.derefs, -1);
	assert_null(x->facts.leak_dst);
	assert_int_equal(x->flow_nr, 0);
	finding_list_release(&r);

	/* unusable caches */
	write_file(path, "{\"version\":2,\"findings\":[]}");
	assert_int_equal(compare_cache_read(&r, path), ER_ERROR);
	write_file(path, "{\"version\":1,\"findings\":{}}");
	assert_int_equal(compare_cache_read(&r, path), ER_ERROR);
	write_file(path, "{\"version\":1,\"findings\":[");
	assert_int_equal(compare_cache_read(&r, path), ER_ERROR);
	/* entries without file, message or subject are skipped; bad numbers default */
	write_file(path, "{\"version\":1,\"findings\":[{\"file\":\"a.go\"},"
			 "{\"file\":\"a.go\",\"message\":\"m\",\"subject\":\"s\",\"line\":1e300,"
			 "\"verdict\":99,\"column\":-7,\"facts\":{\"derefs\":\"x\"}}]}");
	assert_int_equal(compare_cache_read(&r, path), 0);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.items[0]->line, 0);
	assert_int_equal(r.items[0]->column, -7);
	assert_int_equal(r.items[0]->verdict, VERDICT_ESCAPES);
	assert_int_equal(r.items[0]->facts.derefs, -1);
	finding_list_release(&r);
	unlink(path);
	assert_int_equal(compare_cache_read(&r, path), ER_ERROR);
	free(path);
	finding_list_release(&l);
}

static void test_baseline(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct baseline b = BASELINE_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *path = tmpfile_path();
	size_t i;

	(void)state;
	finding_list_add(&l, mk("b.go", 9, "G", "moved to heap: b"));
	finding_list_add(&l, mk("a.go", 3, NULL, "leaking param: \"q\""));
	finding_list_add(&l, mk("c.go", 1, "H", "moved to heap: c"));
	finding_list_add(&l, mk("d.go", 1, "H", "no fingerprint"));
	finding_list_add(&l, mk("b.go", 9, "G", "moved to heap: b"));
	l.items[0]->fingerprint = xstrdup("00000000000000bb");
	l.items[0]->rule = "ER001";
	l.items[1]->fingerprint = xstrdup("00000000000000aa");
	l.items[2]->fingerprint = xstrdup("00000000000000cc");
	l.items[2]->rule = "ER017";
	l.items[4]->fingerprint = xstrdup("00000000000000bb");
	assert_int_equal(baseline_write(path, &l), 0);
	assert_true(strbuf_read_file(&sb, path, 1 << 20) > 0);
	assert_string_equal(sb.buf,
		"{\"version\": 1, \"findings\": [\n"
		"  {\"fingerprint\":\"00000000000000aa\",\"rule\":\"\",\"location\":\"a.go:3\",\"message\":\"leaking param: \\\"q\\\"\"},\n"
		"  {\"fingerprint\":\"00000000000000bb\",\"rule\":\"ER001\",\"location\":\"b.go:9 G\",\"message\":\"moved to heap: b\"},\n"
		"  {\"fingerprint\":\"00000000000000cc\",\"rule\":\"ER017\",\"location\":\"c.go:1 H\",\"message\":\"moved to heap: c\"}\n"
		"]}\n");

	assert_int_equal(baseline_read(&b, path), 0);
	assert_int_equal(b.nr, 3);
	assert_string_equal(b.fingerprints[0], "00000000000000aa");
	assert_string_equal(b.fingerprints[2], "00000000000000cc");
	assert_string_equal(b.lines[1],
		"{\"fingerprint\":\"00000000000000bb\",\"rule\":\"ER001\",\"location\":\"b.go:9 G\",\"message\":\"moved to heap: b\"}");

	finding_list_add(&h, mk("x.go", 1, "X", "x"));
	finding_list_add(&h, mk("y.go", 1, "Y", "y"));
	finding_list_add(&h, mk("z.go", 1, "Z", "z"));
	h.items[0]->fingerprint = xstrdup("00000000000000cc");
	h.items[1]->fingerprint = xstrdup("00000000000000dd");
	assert_int_equal(baseline_apply(&b, &h), 1);
	assert_int_equal(h.items[0]->status, STATUS_BASELINE);
	assert_int_equal(h.items[1]->status, STATUS_NEW);
	assert_int_equal(h.items[2]->status, STATUS_NEW);
	for (i = 0; i < 3; i++)
		assert_int_equal(b.seen[i], i == 2);
	baseline_release(&b);
	assert_int_equal(b.nr, 0);

	/* an empty list writes an empty baseline, which reads back */
	{
		struct finding_list none = FINDING_LIST_INIT;

		assert_int_equal(baseline_write(path, &none), 0);
		assert_int_equal(baseline_read(&b, path), 0);
		assert_int_equal(b.nr, 0);
		baseline_release(&b);
	}
	finding_list_release(&h);
	finding_list_release(&l);
	strbuf_release(&sb);
	unlink(path);
	/* a missing file is an empty baseline */
	assert_int_equal(baseline_read(&b, path), 0);
	assert_int_equal(b.nr, 0);
	baseline_release(&b);
	free(path);
}

static void test_baseline_malformed(void **state)
{
	static const char *const bad[] = {
		"not json",
		"[]",
		"{\"findings\": {}}",
		"{\"findings\": [{\"fingerprint\": \"aa\"}, {\"rule\": \"ER001\"}]}",
		"{\"findings\": [{\"fingerprint\": 12}]}",
	};
	char *path = tmpfile_path();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct baseline b = BASELINE_INIT;

		write_file(path, bad[i]);
		error_clear();
		assert_int_equal(baseline_read(&b, path), ER_EINPUT);
		assert_non_null(strstr(error_last(), path));
		assert_non_null(strstr(error_last(), i < 3 ? "is not an escape-review baseline"
							   : "without a \"fingerprint\""));
		baseline_release(&b);
	}
	/* the memory entry point names what it is given */
	{
		struct baseline b = BASELINE_INIT;

		assert_int_equal(baseline_parse(&b, "{}", 2, "<stdin>"), ER_EINPUT);
		assert_non_null(strstr(error_last(), "the baseline <stdin> is not"));
		baseline_release(&b);
	}
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_value),
		cmocka_unit_test(test_fingerprint_stability),
		cmocka_unit_test(test_occurrence),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_cache_round_trip),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
