/*
 * test_jsonw.c: the JSON writer's text is byte for byte what cJSON prints
 * of the tree the same calls build: string escapes (control characters,
 * quotes, backslash, DEL, U+2028, invalid UTF-8 kept or made U+FFFD),
 * numbers (integers, past int, fractions, -0, NaN), nesting and empty
 * containers; and a finding with every optional part written by the
 * report's serialiser as text equals cJSON's print of its tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "jsonw.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"

/* Write `fill` both ways; the text must be `want` and cJSON's print of the tree. */
static void both(void (*fill)(struct jsonw *w), const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;
	cJSON *o = cJSON_CreateObject();
	char *printed;

	jsonw_init_text(&w, &sb);
	jsonw_object_begin(&w, NULL);
	fill(&w);
	jsonw_object_end(&w);
	jsonw_init_tree(&w, o);
	fill(&w);
	printed = cJSON_PrintUnformatted(o);
	assert_string_equal(sb.buf, want);
	assert_string_equal(printed, want);
	free(printed);
	cJSON_Delete(o);
	strbuf_release(&sb);
}

static void fill_strings(struct jsonw *w)
{
	jsonw_str(w, "ctl", "a\"b\\c\b\f\n\r\t\x01\x1f\x7f" "d");
	jsonw_str(w, "u2028", "x\xe2\x80\xa8y");
	jsonw_str(w, "empty", "");
	jsonw_str(w, "absent", NULL);
	jsonw_str(w, "k\"ey", "v");
}

static void test_strings(void **state)
{
	(void)state;
	both(fill_strings, "{\"ctl\":\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f" "d\","
			   "\"u2028\":\"x\xe2\x80\xa8y\",\"empty\":\"\",\"k\\\"ey\":\"v\"}");
}

static void fill_utf8(struct jsonw *w)
{
	jsonw_str_utf8(w, "bad", "a\xff" "b\xc3(\xe2\x80");
	jsonw_str_utf8(w, "good", "\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\n");
	jsonw_str(w, "raw", "a\xff" "b");
}

/* Invalid sequences become U+FFFD byte by byte (with jsonw_str_utf8 only). */
static void test_utf8(void **state)
{
	(void)state;
	both(fill_utf8, "{\"bad\":\"a\xef\xbf\xbd" "b\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\","
			"\"good\":\"\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\\n\",\"raw\":\"a\xff" "b\"}");
}

static void fill_numbers(struct jsonw *w)
{
	jsonw_int(w, "zero", 0);
	jsonw_int(w, "neg", -17);
	jsonw_int(w, "max", 2147483647);
	jsonw_int(w, "big", 3000000000LL);
	jsonw_num(w, "half", 0.5);
	jsonw_num(w, "third", 1.0 / 3);
	jsonw_num(w, "negzero", -0.0);
	jsonw_num(w, "nan", NAN);
	jsonw_num(w, "whole", 12.0);
	jsonw_bool(w, "t", 1);
	jsonw_bool(w, "f", 0);
	jsonw_null(w, "n");
}

static void test_numbers(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;

	(void)state;
	/* the text equals cJSON's print whatever that is for -0 and 1/3 */
	jsonw_init_text(&w, &sb);
	jsonw_object_begin(&w, NULL);
	fill_numbers(&w);
	jsonw_object_end(&w);
	assert_non_null(strstr(sb.buf, "{\"zero\":0,\"neg\":-17,\"max\":2147483647,"
				       "\"big\":3000000000,\"half\":0.5,\"third\":0.33333333333333"));
	assert_non_null(strstr(sb.buf, "\"nan\":null,\"whole\":12,\"t\":true,\"f\":false,\"n\":null}"));
	both(fill_numbers, sb.buf);
	strbuf_release(&sb);
}

static void fill_nested(struct jsonw *w)
{
	jsonw_array_begin(w, "empty");
	jsonw_array_end(w);
	jsonw_object_begin(w, "obj");
	jsonw_object_end(w);
	jsonw_array_begin(w, "arr");
	jsonw_str(w, NULL, "a");
	jsonw_object_begin(w, NULL);
	jsonw_int(w, "x", 1);
	jsonw_array_begin(w, "in");
	jsonw_int(w, NULL, 2);
	jsonw_null(w, NULL);
	jsonw_array_end(w);
	jsonw_object_end(w);
	jsonw_bool(w, NULL, 0);
	jsonw_array_end(w);
	jsonw_str(w, "last", "z");
}

static void test_nested(void **state)
{
	(void)state;
	both(fill_nested, "{\"empty\":[],\"obj\":{},\"arr\":[\"a\",{\"x\":1,\"in\":[2,null]},false],"
			  "\"last\":\"z\"}");
}

static struct finding *rich_finding(void)
{
	struct finding *f = finding_new();

	f->file = xstrdup("dir/caf\xe9.go");
	f->line = 12;
	f->column = 3;
	f->message = xstrdup("&T{...} escapes to heap");
	f->package = xstrdup("example.com/m/dir");
	f->function = NULL;
	f->rule = "ER001";
	f->severity = SEVERITY_WARNING;
	f->why = xstrdup("why \"quoted\"\n");
	f->status = STATUS_ACKNOWLEDGED;
	f->in_loop = 1;
	f->loop_line = 10;
	f->fingerprint = xstrdup("0123456789abcdef");
	f->profiled = 1;
	f->weight = 0.125;
	f->hot = 1;
	f->alloc_bytes = 5000000000ULL;
	f->alloc_objects = 3;
	f->cpu_flat = 0.1;
	f->cpu_cum = 0.3;
	f->ack_reason = xstrdup("pooled\t");
	f->contract = xcalloc(1, sizeof(*f->contract));
	f->contract->directive = xstrdup("none");
	f->contract->scope = "function";
	f->contract->file = xstrdup("dir/a.go");
	f->contract->line = 9;
	f->induced_by = xcalloc(1, sizeof(*f->induced_by));
	f->induced_by->package = xstrdup("example.com/m/store");
	f->induced_by->function = xstrdup("Observe");
	f->induced_by->file = xstrdup("store/s.go");
	f->induced_by->line = 4;
	f->induced_by->before = xstrdup("");
	f->induced_by->after = xstrdup("p");
	f->induced_by->why = xstrdup("because");
	finding_add_step(f, "dir/a.go", 12, 3, "flow: {heap} \xe2\x86\x90 &T{...}");
	finding_add_step(f, "", 0, 0, "from \x01 (spill)");
	f->flow_truncated = 1;
	return f;
}

/* The report's serialiser as text is cJSON's print of report_finding_json(). */
static void test_finding(void **state)
{
	struct finding *f = rich_finding();
	struct strbuf sb = STRBUF_INIT;
	struct jsonw w;
	cJSON *o;
	char *printed;

	(void)state;
	jsonw_init_text(&w, &sb);
	report_finding_jsonw(&w, f);
	o = report_finding_json(f);
	printed = cJSON_PrintUnformatted(o);
	assert_string_equal(sb.buf, printed);
	assert_non_null(strstr(sb.buf, "\"file\":\"dir/caf\xef\xbf\xbd.go\",\"line\":12,"
				       "\"column\":3,\"function\":null,"));
	assert_non_null(strstr(sb.buf, "\"alloc_bytes\":5000000000,"));
	assert_non_null(strstr(sb.buf, "\"text\":\"from \\u0001 (spill)\"}],\"flow_truncated\":true}"));
	free(printed);
	cJSON_Delete(o);
	strbuf_release(&sb);
	finding_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_finding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
