/*
 * test_run.c: the one child-process helper (run.h) with real programs:
 * captured and bounded streams, exit codes and signals, a program that is
 * not there, the working directory and the environment, streamed stderr,
 * and run_which().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

static int sh(const char *script, struct strbuf *out, struct strbuf *err, size_t max,
	      const char *dir, const char *const *env)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	cp.argv = argv;
	cp.dir = dir;
	cp.env = env;
	return child_capture(&cp, out, err, max);
}

static void test_capture(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(sh("printf 'to out'; printf 'to err' >&2; exit 3", &out, &err, 1024,
			    NULL, NULL), 3);
	assert_string_equal(out.buf, "to out");
	assert_string_equal(err.buf, "to err");
	strbuf_reset(&out);
	/* bounded: the rest is read and dropped, the child finishes */
	assert_int_equal(sh("i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done",
			    &out, NULL, 100, NULL, NULL), 0);
	assert_int_equal(out.len, 100);
	assert_memory_equal(out.buf, "0123456789\n0123456789\n", 22);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_status(void **state)
{
	(void)state;
	assert_int_equal(sh("exit 0", NULL, NULL, 0, NULL, NULL), 0);
	assert_int_equal(sh("exit 255", NULL, NULL, 0, NULL, NULL), 255);
	/* killed by signal 9: 128 + 9 */
	assert_int_equal(sh("kill -9 $$", NULL, NULL, 0, NULL, NULL), 137);
}

static void test_not_found(void **state)
{
	const char *argv[] = { "escape-review-no-such-program", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	int ret;

	(void)state;
	cp.argv = argv;
	ret = child_capture(&cp, NULL, NULL, 0);
	assert_true(ret < 0);
	assert_int_equal(cp.spawn_errno, ENOENT);
	assert_non_null(strstr(error_last(), "escape-review-no-such-program"));
	assert_null(run_which("escape-review-no-such-program"));
}

static void test_dir_env(void **state)
{
	const char *env[] = { "ER_TEST_SET=yes", "HOME", NULL };
	struct strbuf out = STRBUF_INIT;
	char *which = run_which("sh");

	(void)state;
	assert_int_equal(sh("pwd", &out, NULL, 1024, "/", NULL), 0);
	assert_string_equal(out.buf, "/\n");
	strbuf_reset(&out);
	setenv("HOME", "/somewhere", 1);
	assert_int_equal(sh("echo \"$ER_TEST_SET-${HOME-unset}\"", &out, NULL, 1024, NULL, env), 0);
	assert_string_equal(out.buf, "yes-unset\n");
	/* the name is never read by a shell: a ';' is part of the argument */
	strbuf_reset(&out);
	{
		const char *argv[] = { "printf", "%s", "a; echo injected", NULL };
		struct child_process cp = CHILD_PROCESS_INIT;

		cp.argv = argv;
		assert_int_equal(child_capture(&cp, &out, NULL, 1024), 0);
		assert_string_equal(out.buf, "a; echo injected");
	}
	assert_non_null(which);
	assert_int_equal(which[0], '/');
	free(which);
	strbuf_release(&out);
}

static void collect(void *data, const char *buf, size_t len)
{
	strbuf_add(data, buf, len);
}

static void test_stream(void **state)
{
	const char *argv[] = { "sh", "-c", "i=0; while [ $i -lt 500 ]; do echo line $i >&2; i=$((i+1)); done; echo done", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;

	(void)state;
	cp.argv = argv;
	assert_int_equal(child_stream_stderr(&cp, collect, &err, &out, 1024), 0);
	assert_string_equal(out.buf, "done\n");
	assert_int_equal(strncmp(err.buf, "line 0\nline 1\n", 14), 0);
	assert_non_null(strstr(err.buf, "\nline 499\n"));
	strbuf_release(&err);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_dir_env),
		cmocka_unit_test(test_stream),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
