/*
 * test_report.c: the JSON report's findings array.  A long array (thousands
 * of findings) is rendered by two threads in turn; its text must be, byte
 * for byte, the findings rendered one after the other in order, and parse
 * as JSON with every finding in its place.
 */
#define _XOPEN_SOURCE 700 /* fileno */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "report.h"
#include "review.h"
#include "strbuf.h"
#include "util.h"

static struct finding *made(size_t i)
{
	struct finding *f = finding_new();
	char text[64];

	snprintf(text, sizeof(text), "pkg/f%zu.go", i % 97);
	f->file = xstrdup(text);
	f->line = (int)i + 1;
	f->column = (int)(i % 13) + 1;
	f->package = xstrdup("example.com/pkg");
	snprintf(text, sizeof(text), "moved to heap: v%zu", i);
	f->message = xstrdup(text);
	f->subject = xstrdup(text + 15);
	f->function = xstrdup(i % 3 ? "F" : "(*T).M");
	f->rule = "ER010";
	f->severity = SEVERITY_WARNING;
	f->why = xstrdup(i % 5 ? "the address of v is returned" : "quote \" and tab \t");
	snprintf(text, sizeof(text), "%016zx", i * 2654435761u);
	f->fingerprint = xstrdup(text);
	if (i % 4 == 0)
		finding_add_step(f, f->file, f->line, 2, "flow: ~r0 = &v");
	return f;
}

/* The array's text as one writer renders it, finding after finding. */
static void sequential(struct strbuf *out, const struct finding_list *l)
{
	struct jsonw w;
	size_t i;

	strbuf_addstr(out, "\t\"findings\":\t[");
	for (i = 0; i < l->nr; i++) {
		strbuf_addstr(out, i ? ",\n\t\t" : "\n\t\t");
		jsonw_init_text(&w, out);
		report_finding_jsonw(&w, l->items[i]);
	}
	strbuf_addstr(out, l->nr ? "\n\t],\n" : "],\n");
}

static void check(size_t n)
{
	struct review rv;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	FILE *fp = tmpfile();
	const char *at, *end;
	cJSON *doc, *arr;
	size_t i;

	memset(&rv, 0, sizeof(rv));
	rv.mode = "all";
	for (i = 0; i < n; i++)
		finding_list_add(&rv.findings, made(i));
	assert_non_null(fp);
	assert_int_equal(report_json_write(fp, &rv), 0);
	rewind(fp);
	assert_true(strbuf_read_fd(&got, fileno(fp), 1 << 28) >= 0);
	fclose(fp);
	sequential(&want, &rv.findings);
	at = strstr(got.buf, "\t\"findings\":\t[");
	assert_non_null(at);
	end = strstr(at, "\t\"fixed\":");
	assert_non_null(end);
	assert_int_equal((size_t)(end - at), want.len);
	assert_memory_equal(at, want.buf, want.len);
	doc = cJSON_Parse(got.buf);
	assert_non_null(doc);
	arr = cJSON_GetObjectItem(doc, "findings");
	assert_int_equal(cJSON_GetArraySize(arr), (int)n);
	for (i = 0; i < n; i += n / 7 + 1)
		assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, (int)i), "line")->valueint,
				 (int)i + 1);
	cJSON_Delete(doc);
	review_release(&rv);
	strbuf_release(&want);
	strbuf_release(&got);
}

static void test_short_array(void **state)
{
	(void)state;
	check(0);
	check(1);
	check(300);
}

/* 2,048 findings and more: two threads; an odd and an even count of chunks */
static void test_long_array(void **state)
{
	(void)state;
	check(2048);
	check(5000);
	check(8 * 256 + 17);
	check(9 * 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_array),
		cmocka_unit_test(test_long_array),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
