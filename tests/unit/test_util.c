/*
 * test_util.c: util_init() makes running out of memory inside cJSON fatal
 * (the test runs itself as a child that asks cJSON for more memory than
 * exists: with util_init() it dies with the fatal message, without it
 * cJSON hands back NULL), cJSON works through the hooks (a document large
 * enough to grow print buffers, printed, parsed back, freed with free()),
 * and util_init() may be called again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "strbuf.h"
#include "util.h"

#define CHILD_ENV "ER_TEST_UTIL_CHILD"

static const char *argv0;

/* In the child: ask cJSON for SIZE_MAX / 2 bytes, say what came back. */
static int child(const char *what)
{
	void *p;

	if (!strcmp(what, "hooked"))
		util_init();
	else if (strcmp(what, "plain"))
		return 2;
	p = cJSON_malloc(SIZE_MAX / 2);
	printf("cJSON_malloc returned %s\n", p ? "memory" : "NULL");
	cJSON_free(p);
	return 0;
}

/* Run this test binary as the child `what`; its exit code, its output. */
static int run_child(const char *what, struct strbuf *out, struct strbuf *err)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf var = STRBUF_INIT, asan = STRBUF_INIT, tsan = STRBUF_INIT;
	const char *argv[] = { argv0, NULL }, *env[4];
	const char *old = getenv("ASAN_OPTIONS"), *told = getenv("TSAN_OPTIONS");
	int rc;

	strbuf_addf(&var, "%s=%s", CHILD_ENV, what);
	/* under ASan or ThreadSanitizer, a refused malloc returns NULL
	 * instead of aborting */
	strbuf_addf(&asan, "ASAN_OPTIONS=%s%sallocator_may_return_null=1",
		    old ? old : "", old && *old ? ":" : "");
	strbuf_addf(&tsan, "TSAN_OPTIONS=%s%sallocator_may_return_null=1",
		    told ? told : "", told && *told ? " " : "");
	env[0] = var.buf;
	env[1] = asan.buf;
	env[2] = tsan.buf;
	env[3] = NULL;
	cp.argv = argv;
	cp.env = env;
	rc = child_capture(&cp, out, err, 1 << 16);
	strbuf_release(&var);
	strbuf_release(&asan);
	strbuf_release(&tsan);
	return rc;
}

static void test_cjson_oom_is_fatal(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	char want[128];

	(void)state;
	assert_int_equal(run_child("hooked", &out, &err), 128);
	snprintf(want, sizeof(want), "escape-review: fatal: out of memory (%zu bytes)\n",
		 (size_t)(SIZE_MAX / 2));
	/* the last line (ASan may warn about the refused size before it) */
	if (!ends_with(err.buf, want) || (err.len > strlen(want) &&
					  err.buf[err.len - strlen(want) - 1] != '\n'))
		fail_msg("stderr was: %s", err.buf);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
	strbuf_release(&err);
}

/* The same child without util_init(): cJSON returns NULL, which is what
 * the test above would see if the hooks were not installed. */
static void test_cjson_without_init_returns_null(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(run_child("plain", &out, &err), 0);
	assert_string_equal(out.buf, "cJSON_malloc returned NULL\n");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_cjson_through_hooks(void **state)
{
	cJSON *arr, *back;
	char *text, name[32];
	int i;

	(void)state;
	util_init();
	util_init();
	arr = cJSON_CreateArray();
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "item %d", i);
		cJSON_AddItemToArray(arr, cJSON_CreateString(name));
	}
	/* printing grows its buffer many times: with the hooks, by
	 * allocating anew and copying (cJSON uses realloc only without) */
	text = cJSON_PrintUnformatted(arr);
	assert_non_null(text);
	assert_true(strlen(text) > 50000);
	assert_int_equal(strncmp(text, "[\"item 0\",\"item 1\",", 19), 0);
	back = cJSON_Parse(text);
	assert_non_null(back);
	assert_int_equal(cJSON_GetArraySize(back), 5000);
	assert_string_equal(cJSON_GetArrayItem(back, 4999)->valuestring, "item 4999");
	assert_true(cJSON_Compare(arr, back, 1));
	free(text);  /* the hooks free with free(): callers may too */
	cJSON_Delete(back);
	cJSON_Delete(arr);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cjson_oom_is_fatal),
		cmocka_unit_test(test_cjson_without_init_returns_null),
		cmocka_unit_test(test_cjson_through_hooks),
	};
	const char *what = getenv(CHILD_ENV);

	(void)argc;
	argv0 = argv[0];
	if (what)
		return child(what);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
