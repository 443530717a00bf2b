/*
 * test_config.c: .escape-review.json: every key, the defaults, the exact
 * one-line messages for unknown keys, wrong types and text that is not
 * JSON, command-line overrides and sources, and the exclude patterns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

static int parse(struct config *c, const char *text)
{
	config_release(c);
	return config_parse(c, text, strlen(text), ".escape-review.json");
}

static void test_defaults(void **state)
{
	struct config c;
	int k;

	(void)state;
	config_init(&c);
	assert_int_equal(c.fail_on, SEVERITY_ERROR);
	assert_int_equal(c.hook_fail_on, SEVERITY_WARNING);
	assert_int_equal(c.hook_block_on_error, 0);
	assert_int_equal(c.mode, MODE_DEFAULT);
	assert_int_equal(c.max_flow, 12);
	assert_null(c.build_flags);
	for (k = 0; k < CONFIG_KEY__COUNT; k++)
		assert_int_equal(c.source[k], CONFIG_SRC_DEFAULT);
	config_release(&c);
}

static void test_every_key(void **state)
{
	struct config c;
	const struct rule_override *o;

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c,
		"{ \"$schema\": \"x\", \"fail_on\": \"warning\", \"mode\": \"all\",\n"
		"  \"hook\": { \"fail_on\": \"error\", \"on_error\": \"block\" },\n"
		"  \"exclude\": [\"vendor\", \"*_gen.go\"], \"build_flags\": \"-tags=x\",\n"
		"  \"gcflags\": \"-l\", \"max_flow\": 0, \"rules\": { \"ER001\": \"info\", \"er010\": \"off\" },\n"
		"  \"template_dir\": \"t\", \"github\": { \"api_url\": \"https://ghe.example/api/v3\" },\n"
		"  \"gitlab\": { \"api_url\": \"https://gl.example/api/v4\" } }"), 0);
	assert_int_equal(c.fail_on, SEVERITY_WARNING);
	assert_int_equal(c.mode, MODE_ALL);
	assert_int_equal(c.hook_fail_on, SEVERITY_ERROR);
	assert_int_equal(c.hook_block_on_error, 1);
	assert_int_equal(c.exclude_nr, 2);
	assert_string_equal(c.exclude[1], "*_gen.go");
	assert_string_equal(c.build_flags, "-tags=x");
	assert_string_equal(c.gcflags, "-l");
	assert_int_equal(c.max_flow, 0);
	assert_int_equal(c.policy.nr, 2);
	o = &c.policy.items[0];
	assert_string_equal(o->id, "ER001");
	assert_int_equal(o->severity, SEVERITY_INFO);
	assert_false(o->disabled);
	o = &c.policy.items[1];
	assert_string_equal(o->id, "ER010"); /* rule ids in any case, as `rules er010` */
	assert_true(o->disabled);
	assert_string_equal(c.template_dir, "t");
	assert_string_equal(c.github_api_url, "https://ghe.example/api/v3");
	assert_string_equal(c.gitlab_api_url, "https://gl.example/api/v4");
	assert_int_equal(c.source[CONFIG_MAX_FLOW], CONFIG_SRC_FILE);
	assert_int_equal(c.source[CONFIG_GITLAB_API_URL], CONFIG_SRC_FILE);
	config_release(&c);

	config_init(&c);
	assert_true(c.hot_share > 0.0099 && c.hot_share < 0.0101);
	assert_int_equal(parse(&c, "{\"profile\": {\"hot_share\": \"0.5%\"}}"), 0);
	assert_true(c.hot_share > 0.0049 && c.hot_share < 0.0051);
	assert_int_equal(c.source[CONFIG_PROFILE_HOT_SHARE], CONFIG_SRC_FILE);
	config_release(&c);
}

static void expect_error(const char *text, const char *msg)
{
	struct config c;

	config_init(&c);
	assert_int_equal(parse(&c, text), ER_ECONFIG);
	assert_string_equal(error_last(), msg);
	config_release(&c);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{\"hook\": {\"fail_on\": \"sometimes\"}}",
		".escape-review.json: key \"hook.fail_on\": expected one of none|info|warning|error, got \"sometimes\"");
	expect_error("{\"bogus\": 1}",
		".escape-review.json: key \"bogus\": unknown key; known keys are fail_on, hook, mode, scope, exclude, build_flags, gcflags, max_flow, rules, template_dir, github, gitlab, profile");
	/* a likely typo names the nearest key */
	expect_error("{\"exlude\": []}",
		".escape-review.json: key \"exlude\": unknown key; did you mean \"exclude\"? (known keys are fail_on, hook, mode, scope, exclude, build_flags, gcflags, max_flow, rules, template_dir, github, gitlab, profile)");
	expect_error("{\"fail-on\": \"error\"}",
		".escape-review.json: key \"fail-on\": unknown key; did you mean \"fail_on\"? (known keys are fail_on, hook, mode, scope, exclude, build_flags, gcflags, max_flow, rules, template_dir, github, gitlab, profile)");
	expect_error("{\"hook\": {\"fail-on\": \"error\"}}",
		".escape-review.json: key \"hook.fail-on\": unknown key; hook knows fail_on, on_error");
	expect_error("{\"github\": {\"token\": \"x\"}}",
		".escape-review.json: key \"github.token\": unknown key; github knows api_url");
	expect_error("{\"profile\": {\"hot_share\": \"0\"}}",
		".escape-review.json: key \"profile.hot_share\": expected a share of the profile above 0 and at most 100%, as \"1%\" or \"0.01\", got \"0\"");
	expect_error("{\"profile\": {\"files\": []}}",
		".escape-review.json: key \"profile.files\": unknown key; profile knows hot_share");
	expect_error("{\"max_flow\": \"12\"}",
		".escape-review.json: key \"max_flow\": expected a whole number from 0 to 100000, got \"12\"");
	expect_error("{\"max_flow\": 1.5}",
		".escape-review.json: key \"max_flow\": expected a whole number from 0 to 100000, got 1.5");
	expect_error("{\"max_flow\": -1}",
		".escape-review.json: key \"max_flow\": expected a whole number from 0 to 100000, got -1");
	expect_error("{\"exclude\": \"vendor\"}",
		".escape-review.json: key \"exclude\": expected an array of glob patterns, got \"vendor\"");
	expect_error("{\"exclude\": [\"a\", 3]}",
		".escape-review.json: key \"exclude[1]\": expected a non-empty string (a glob pattern), got 3");
	expect_error("{\"rules\": {\"ER999\": \"off\"}}",
		".escape-review.json: key \"rules.ER999\": no such rule (`escape-review rules` lists them)");
	expect_error("{\"rules\": {\"ER001\": \"loud\"}}",
		".escape-review.json: key \"rules.ER001\": expected one of error|warning|info|off, got \"loud\"");
	expect_error("{\"hook\": true}",
		".escape-review.json: key \"hook\": expected an object, got true");
	expect_error("{\"mode\": \"default\"}",
		".escape-review.json: key \"mode\": expected one of added|context|file|all|new, got \"default\"");
	expect_error("{\"gcflags\": [\"-l\"]}",
		".escape-review.json: key \"gcflags\": expected a string, got [\"-l\"]");
	expect_error("{\"fail_on\": \"error\", \"fail_on\": \"none\"}",
		".escape-review.json: key \"fail_on\": given twice");
	expect_error("{\"rules\": {\"ER001\": \"off\", \"er001\": \"error\"}}",
		".escape-review.json: key \"rules.er001\": given twice");
	expect_error("{\"github\": {\"api_url\": \"ftp://x\"}}",
		".escape-review.json: key \"github.api_url\": expected an http:// or https:// URL, got \"ftp://x\"");
	expect_error("[1, 2]",
		".escape-review.json: expected a JSON object ({ \"fail_on\": ... }) at the top");
}

static void test_not_json(void **state)
{
	(void)state;
	expect_error("{\n  \"fail_on\": \"warning\",\n  \"mode\": added\n}",
		".escape-review.json: not valid JSON: parsing stopped at line 3, column 11");
	expect_error("{\"fail_on\": \"warning\"",
		".escape-review.json: not valid JSON: parsing stopped at line 1, column 21");
	expect_error("{} {}",
		".escape-review.json: not valid JSON: parsing stopped at line 1, column 4");
	expect_error("",
		".escape-review.json: not valid JSON: parsing stopped at line 1, column 1");
}

static void test_cli(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "{\"fail_on\": \"warning\", \"max_flow\": 3}"), 0);
	assert_int_equal(config_set(&c, CONFIG_FAIL_ON, "info", "--fail-on"), 0);
	assert_int_equal(c.fail_on, SEVERITY_INFO);
	assert_int_equal(c.source[CONFIG_FAIL_ON], CONFIG_SRC_CLI);
	assert_int_equal(c.source[CONFIG_MAX_FLOW], CONFIG_SRC_FILE);
	assert_int_equal(config_set(&c, CONFIG_MAX_FLOW, "x", "--max-flow"), ER_EUSAGE);
	assert_string_equal(error_last(), "--max-flow takes a number from 0 to 100000, not 'x'");
	assert_int_equal(config_set(&c, CONFIG_MODE, "newest", "--mode"), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown --mode 'newest' (added|context|file|all|new)");
	assert_int_equal(config_set(&c, CONFIG_MODE, "file", "--mode"), 0);
	assert_int_equal(c.mode, MODE_FILE);
	config_release(&c);
}

static void test_describe(void **state)
{
	struct config c;
	struct strbuf sb = STRBUF_INIT;
	cJSON *doc;
	char *s;

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "{\"rules\": {\"ER010\": \"off\"}, \"exclude\": [\"gen\"]}"), 0);
	c.path = xstrdup("/repo/.escape-review.json");
	config_set(&c, CONFIG_GCFLAGS, "-l", "--gcflags");
	config_describe_text(&sb, &c);
	assert_non_null(strstr(sb.buf, "# configuration file: /repo/.escape-review.json\n"));
	assert_non_null(strstr(sb.buf, "\nfail_on         error                    (default)\n"));
	assert_non_null(strstr(sb.buf, "\nrules           ER010=off                (/repo/.escape-review.json)\n"));
	assert_non_null(strstr(sb.buf, "\nexclude         gen                      (/repo/.escape-review.json)\n"));
	assert_non_null(strstr(sb.buf, "\ngcflags         -l                       (command line)\n"));
	doc = config_describe_json(&c);
	s = cJSON_PrintUnformatted(doc);
	assert_non_null(strstr(s, "\"rules\":{\"value\":{\"ER010\":\"off\"},\"source\":\"/repo/.escape-review.json\"}"));
	assert_non_null(strstr(s, "\"max_flow\":{\"value\":12,\"source\":\"default\"}"));
	assert_non_null(strstr(s, "\"build_flags\":{\"value\":null,\"source\":\"default\"}"));
	free(s);
	cJSON_Delete(doc);
	strbuf_release(&sb);
	config_release(&c);
}

static void test_exclude(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "{\"exclude\": [\"vendor\", \"*_gen.go\", \"/internal/g?n\", \"api/*.pb.go\"]}"), 0);
	assert_true(config_excluded(&c, "vendor/a/b.go"));
	assert_true(config_excluded(&c, "x/vendor/b.go"));
	assert_false(config_excluded(&c, "vendored/b.go"));
	assert_true(config_excluded(&c, "x_gen.go"));
	assert_true(config_excluded(&c, "pkg/deep/x_gen.go"));
	assert_false(config_excluded(&c, "pkg/x_gen.go.txt"));
	assert_true(config_excluded(&c, "internal/gen/a/b.go"));
	assert_true(config_excluded(&c, "internal/gun/b.go"));
	assert_false(config_excluded(&c, "x/internal/gen/b.go"));
	assert_true(config_excluded(&c, "api/v.pb.go"));
	assert_false(config_excluded(&c, "api/v1/v.pb.go"));   /* '*' does not cross '/' */
	assert_false(config_excluded(&c, "campus/score.go"));
	assert_false(config_excluded(&c, NULL));
	config_release(&c);
}

static void test_filter(void **state)
{
	struct config c;
	struct finding_list l = FINDING_LIST_INIT;
	const char *files[] = { "a/x_gen.go", "a/x.go", "vendor/v.go", "b/y.go" };
	size_t i;

	(void)state;
	config_init(&c);
	assert_int_equal(parse(&c, "{\"exclude\": [\"vendor\", \"*_gen.go\"]}"), 0);
	for (i = 0; i < 4; i++) {
		struct finding *f = finding_new();

		f->file = xstrdup(files[i]);
		finding_list_add(&l, f);
	}
	assert_int_equal(config_filter(&c, &l), 2);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0]->file, "a/x.go");
	assert_string_equal(l.items[1]->file, "b/y.go");
	finding_list_release(&l);
	config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_filter),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
