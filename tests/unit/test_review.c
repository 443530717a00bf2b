/*
 * test_review.c: review_run()'s stages on a real git repository in a
 * temporary directory with the real go: exclusion before the build (no
 * package built, nothing counted), the mode's hidden count, acknowledgements
 * and the baseline applied inside the pipeline, and review_fails().
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "errors.h"
#include "review.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

static char root[64];
static char cwd[4096];

static void put(const char *rel, const char *text)
{
	char *p = path_join(root, rel);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void git(const char *a, const char *b, const char *c)
{
	const char *argv[] = { "git", "-c", "user.name=T", "-c", "user.email=t@example.com",
			       "-c", "commit.gpgsign=false", a, b, c, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	cp.argv = argv;
	cp.dir = root;
	assert_int_equal(child_capture(&cp, NULL, NULL, 0), 0);
}

/* c1: S stores &x; c2: adds T (a new finding), S unchanged (an existing one) */
static int setup(void **state)
{
	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	snprintf(root, sizeof(root), "%s", "/tmp/er-test-review.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	git("init", "-q", root);
	put("go.mod", "module example.com/r\n\ngo 1.19\n");
	put("r.go", "package r\n\nvar Sink *int\n\nfunc S() { x := 1; Sink = &x }\n");
	git("add", "-A", ".");
	git("commit", "-qm", "c1");
	git("tag", "c1", "HEAD");
	put("r.go", "package r\n\nvar Sink *int\n\nfunc S() { x := 1; Sink = &x }\n\n"
	    "func T() { y := 2; Sink = &y }\n");
	git("commit", "-qam", "c2");
	return chdir(root);
}

static int teardown(void **state)
{
	const char *argv[] = { "rm", "-rf", root, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	(void)state;
	if (chdir(cwd))
		return -1;
	cp.argv = argv;
	return child_run(&cp);
}

static int run(struct review *rv, const struct config *c, enum review_mode mode, int worktree)
{
	struct review_opts ro = { 0 };

	memset(rv, 0, sizeof(*rv));
	ro.base = "c1";
	ro.worktree = worktree;
	ro.mode = mode;
	ro.config = c;
	ro.build.max_flow = 12;
	ro.no_cache = 1;
	if (review_run(rv, &ro))
		fail_msg("review_run: %s", error_last());
	return 0;
}

static void test_new_and_hidden(void **state)
{
	struct review rv;

	(void)state;
	assert_int_equal(run(&rv, NULL, MODE_NEW, 0), 0);
	assert_int_equal(rv.findings.nr, 1);
	assert_string_equal(rv.findings.items[0]->message, "moved to heap: y");
	assert_int_equal(rv.findings.items[0]->line, 7);
	assert_int_equal(rv.findings.items[0]->status, STATUS_NEW);
	assert_int_equal(rv.hidden_existing, 1);
	assert_int_equal(rv.analysed_packages, 1);
	assert_true(review_fails(&rv, SEVERITY_WARNING));
	assert_false(review_fails(&rv, SEVERITY_NONE));
	review_release(&rv);
}

static void test_excluded_before_the_build(void **state)
{
	static const char json[] = "{\"exclude\": [\"r.go\"]}";
	struct config c;
	struct review rv;

	(void)state;
	config_init(&c);
	assert_int_equal(config_parse(&c, json, strlen(json), "t"), 0);
	assert_int_equal(run(&rv, &c, MODE_NEW, 0), 0);
	/* nothing built, nothing found, nothing hidden: counted after exclusion */
	assert_int_equal(rv.analysed_packages, 0);
	assert_int_equal(rv.findings.nr, 0);
	assert_int_equal(rv.hidden_existing, 0);
	review_release(&rv);
	config_release(&c);
}

static void test_acknowledged_in_the_pipeline(void **state)
{
	struct review rv;

	(void)state;
	put("r.go", "package r\n\nvar Sink *int\n\nfunc S() { x := 1; Sink = &x }\n\n"
	    "func T() { y := 2; Sink = &y } //escape:ok kept on purpose\n");
	assert_int_equal(run(&rv, NULL, MODE_ALL, 1), 0);
	assert_int_equal(rv.findings.nr, 2);
	assert_int_equal(rv.findings.items[0]->status, STATUS_EXISTING);
	assert_int_equal(rv.findings.items[1]->status, STATUS_ACKNOWLEDGED);
	assert_string_equal(rv.findings.items[1]->ack_reason, "kept on purpose");
	/* the acknowledged one does not count; the existing one does */
	assert_true(review_fails(&rv, SEVERITY_WARNING));
	review_release(&rv);
	git("checkout", "-q", "r.go");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_hidden),
		cmocka_unit_test(test_excluded_before_the_build),
		cmocka_unit_test(test_acknowledged_in_the_pipeline),
	};

	int ret;

	util_init();
	git_libgit2_init();
	ret = cmocka_run_group_tests(tests, setup, teardown);
	git_libgit2_shutdown();
	return ret;
}
