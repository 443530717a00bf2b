/*
 * test_options.c: the one option table: "--name VALUE" and "--name=VALUE",
 * switches and aliases, operands, per-command options, values that are
 * settings validated by the same setter as the file (config_set), the
 * exact messages, and the usage text listing every option from the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "errors.h"
#include "options.h"
#include "util.h"

static int parse(struct cli_args *a, struct config *c, enum cli_command cmd, const char *line)
{
	char *copy = xstrdup(line), *argv[32], *tok;
	int argc = 0, ret;

	for (tok = strtok(copy, " "); tok && argc < 32; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	cli_args_release(a);
	cli_args_init(a, c);
	ret = options_parse(a, cmd, "test", argc, argv);
	free(copy); /* the tests read no string value after this */
	return ret;
}

static void test_review(void **state)
{
	struct config c;
	struct cli_args a;

	(void)state;
	config_init(&c);
	cli_args_init(&a, &c);
	assert_int_equal(parse(&a, &c, CMD_REVIEW,
			       "--base main --worktree --tests -v --mode=file --max-flow 3 --pr=12 "
			       "--format sarif --reporter github --max-comment-bytes 300"), 0);
	assert_non_null(a.base);
	assert_int_equal(a.worktree, 1);
	assert_int_equal(a.tests, 1);
	assert_int_equal(a.verbose, 1);
	assert_int_equal(a.pr, 12);
	assert_int_equal(a.max_comment_bytes, 300);
	assert_int_equal(c.mode, MODE_FILE);
	assert_int_equal(c.source[CONFIG_MODE], CONFIG_SRC_CLI);
	assert_int_equal(c.max_flow, 3);
	assert_int_equal(c.source[CONFIG_FAIL_ON], CONFIG_SRC_DEFAULT);
	assert_int_equal(a.operands_nr, 0);
	cli_args_release(&a);
	config_release(&c);
}

static void test_errors(void **state)
{
	struct config c;
	struct cli_args a;

	(void)state;
	config_init(&c);
	cli_args_init(&a, &c);
	/* a setting's value: the same setter and message as `config` */
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--mode newest"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown --mode 'newest' (added|context|file|all|new)");
	assert_int_equal(parse(&a, &c, CMD_CONFIG, "--fail-on sometimes"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown --fail-on 'sometimes' (none|info|warning|error)");
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--max-flow=-1"), ER_EUSAGE);
	assert_string_equal(error_last(), "--max-flow takes a number from 0 to 100000, not '-1'");
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--format yaml"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown --format 'yaml' (text, json, markdown, comments, status, sarif, rdjson, github-actions or template-data)");
	assert_int_equal(parse(&a, &c, CMD_RULES, "--format sarif"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown --format 'sarif' (text, json or markdown)");
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--pr 0"), ER_EUSAGE);
	assert_string_equal(error_last(), "--pr takes a pull or merge request number, not '0'");
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--base"), ER_EUSAGE);
	assert_string_equal(error_last(), "--base needs a value (REV)");
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--bogus"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown option: --bogus (see escape-review --help)");
	/* an option of another command */
	assert_int_equal(parse(&a, &c, CMD_CONFIG, "--base x"), ER_EUSAGE);
	assert_string_equal(error_last(), "--base is not an option of test, which takes --mode, --scope, "
			    "--build-flags, --gcflags, --max-flow, --hot-share, --format, --template-dir, "
			    "--fail-on");
	assert_int_equal(parse(&a, &c, CMD_CONFIG, "--bogus"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown option for test: --bogus (see escape-review --help)");
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--changed"), ER_EUSAGE);
	assert_string_equal(error_last(), "--changed is not an option of review (see escape-review --help)");
	/* baseline takes what it uses: no mode, publishing or profile */
	assert_int_equal(parse(&a, &c, CMD_BASELINE, "--mode=new"), ER_EUSAGE);
	assert_string_equal(error_last(), "--mode is not an option of test, which takes --base, --head, "
			    "--worktree, --tests, --changed, --all-packages, --no-cache, --cache-dir, "
			    "--build-flags, --gcflags, --max-flow, --format, --explain, --verbose");
	assert_int_equal(parse(&a, &c, CMD_BASELINE, "--reporter github"), ER_EUSAGE);
	assert_int_equal(parse(&a, &c, CMD_BASELINE, "--fail-on none"), ER_EUSAGE);
	assert_int_equal(parse(&a, &c, CMD_BASELINE, "--input x.log"), ER_EUSAGE);
	assert_int_equal(parse(&a, &c, CMD_BASELINE, "--format markdown"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown --format 'markdown' (text, json, sarif, rdjson or github-actions)");
	{
		char *argv[] = { "--format", "sarif", "--explain", "-v", "--changed" };

		cli_args_release(&a);
		cli_args_init(&a, &c);
		assert_int_equal(options_parse(&a, CMD_BASELINE, "baseline", 5, argv), 0);
		assert_string_equal(a.format, "sarif");
		assert_true(a.explain && a.verbose && a.changed);
	}
	/* a switch takes no value */
	assert_int_equal(parse(&a, &c, CMD_REVIEW, "--tests=1"), ER_EUSAGE);
	cli_args_release(&a);
	config_release(&c);
}

static void test_operands(void **state)
{
	struct config c;
	struct cli_args a;

	(void)state;
	config_init(&c);
	cli_args_init(&a, &c);
	assert_int_equal(parse(&a, &c, CMD_BASELINE, "./a --changed b/... -"), 0);
	assert_int_equal(a.changed, 1);
	assert_int_equal(a.operands_nr, 3);
	assert_int_equal(parse(&a, &c, CMD_RENDER, "t.mustache --data d.json --escape none"), 0);
	assert_int_equal(a.escape, 2);
	assert_int_equal(a.operands_nr, 1);
	cli_args_release(&a);
	config_release(&c);
}

/* --help lists every option of review and baseline, each once, from the table. */
static void test_usage(void **state)
{
	static const char *const listed[] = {
		"--base REV", "--head REV", "--worktree", "--tests", "--changed", "--mode MODE",
		"--show-baseline", "--all-packages", "--no-cache", "--build-flags FLAGS",
		"--gcflags FLAGS", "--input FILE", "--max-flow N", "--format FMT",
		"--template-dir DIR", "--max-comment-bytes N", "--explain", "--fail-on LEVEL",
		"-v, --verbose", "--reporter R", "--pr N", "--repo-slug OWNER/REPO", "--api-url URL",
		"--dry-run", "--no-publish",
	};
	char buf[16384];
	FILE *f = tmpfile();
	size_t n, i, lines = 0;

	(void)state;
	assert_non_null(f);
	options_usage(f, CMD_REVIEW | CMD_BASELINE);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	for (i = 0; i < ARRAY_SIZE(listed); i++) {
		char want[64];
		const char *hit;

		snprintf(want, sizeof(want), "\n  %s ", listed[i]);
		hit = strstr(buf, want);
		if (!hit) { /* a long name is alone on its line */
			snprintf(want, sizeof(want), "\n  %s\n", listed[i]);
			hit = strstr(buf, want);
		}
		assert_non_null(hit);
		assert_null(strstr(hit + 1, want));
	}
	assert_null(strstr(buf, "--data"));       /* render's own */
	for (i = 0; i < n; i++)
		if (buf[i] == '\n')
			lines++;
	assert_true(strstr(buf, "Revisions:\n") != NULL);
	/* no line is wider than 80 columns */
	for (i = 0; i < n; ) {
		size_t len = strcspn(buf + i, "\n");

		assert_true(len <= 80);
		i += len + 1;
	}
	assert_true(lines > ARRAY_SIZE(listed));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_usage),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
