/*
 * test_forge.c: forge.h without a network: bodies (safe cuts, markers,
 * the summary's overflow section, Markdown escaping) and the publishing
 * context read from GitHub Actions / GitLab CI variables and flags.
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

#include "errors.h"
#include "forge.h"
#include "mustache.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>

/* longer than any note */
#define Z "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
#define NOTE "\n\n*(truncated: this text was longer than the forge accepts)*"

static void test_cut_body(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t note = strlen(NOTE);

	(void)state;
	strbuf_addstr(&sb, "short");
	forge_cut_body(&sb, 5);
	assert_string_equal(sb.buf, "short");

	/* "é" is two bytes: a cut in its middle backs up one byte */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "ab\xc3\xa9\xc3\xa9" Z);
	forge_cut_body(&sb, note + 3);
	assert_string_equal(sb.buf, "ab" NOTE);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "ab\xc3\xa9\xc3\xa9" Z);
	forge_cut_body(&sb, note + 4);
	assert_string_equal(sb.buf, "ab\xc3\xa9" NOTE);
	assert_true(sb.len <= note + 4);

	/* a four-byte sequence */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80" Z);
	forge_cut_body(&sb, note + 7);
	assert_string_equal(sb.buf, "\xf0\x9f\x98\x80" NOTE);

	/* no room for the note: a bare safe cut */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "a\xc3\xa9\xc3\xa9");
	forge_cut_body(&sb, 4);
	assert_string_equal(sb.buf, "a\xc3\xa9");
	strbuf_release(&sb);
}

static void test_add_cut(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	forge_add_cut(&sb, "a\xc3\xa9z", 2);
	assert_string_equal(sb.buf, "a");
	strbuf_reset(&sb);
	forge_add_cut(&sb, "a\xc3\xa9z", 3);
	assert_string_equal(sb.buf, "a\xc3\xa9");
	strbuf_reset(&sb);
	forge_add_cut(&sb, "abc", 140);
	assert_string_equal(sb.buf, "abc");
	strbuf_release(&sb);
}

static void test_fingerprint_roundtrip(void **state)
{
	struct forge_review rv = FORGE_REVIEW_INIT;
	struct forge_comment *fc;
	struct strbuf sb = STRBUF_INIT, fp = STRBUF_INIT;

	(void)state;
	fc = forge_review_add(&rv, "a.go", NULL, 3, 0, "DEAD-beef -->x", NULL, "body");
	assert_string_equal(fc->fingerprint, "deadbeef");
	forge_inline_body(&sb, fc, 1000);
	assert_string_equal(sb.buf, "body\n\n<!-- escape-review:fp=deadbeef -->");
	assert_int_equal(forge_find_fingerprint(&fp, sb.buf), 1);
	assert_string_equal(fp.buf, "deadbeef");
	assert_int_equal(forge_find_fingerprint(&fp, "no marker"), 0);
	assert_int_equal(forge_find_fingerprint(&fp, "<!-- escape-review:fp=12 x -->"), 0);
	assert_int_equal(forge_find_fingerprint(&fp, NULL), 0);

	/* an inline body over the limit keeps its marker and fits */
	free(fc->body);
	fc->body = xmalloc(3001);
	memset(fc->body, 'x', 3000);
	fc->body[3000] = '\0';
	strbuf_reset(&sb);
	forge_inline_body(&sb, fc, 200);
	assert_int_equal(sb.len, 200);
	assert_true(strbuf_ends_with(&sb, NOTE "\n\n<!-- escape-review:fp=deadbeef -->"));
	strbuf_release(&sb);
	strbuf_release(&fp);
	forge_review_release(&rv);
}

static void test_summary_body(void **state)
{
	struct forge_review rv = FORGE_REVIEW_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	rv.summary = xstrdup("## Summary\n\n3 findings.\n");
	forge_review_add(&rv, "p/a_b.go", NULL, 4, 0, "aa", "ER001 *x* escapes", "**ER001** x")
		->state = FORGE_POSTED;
	forge_review_add(&rv, "p/c.go", NULL, 9, 8, "bb", "ER002 y", "**ER002** y")
		->state = FORGE_REFUSED;
	forge_review_add(&rv, "p/d.go", NULL, 1, 0, "cc", NULL, "**ER003** z")
		->state = FORGE_OVER_LIMIT;
	forge_review_add(&rv, "p/e.go", NULL, 2, 0, "dd", "ER004", "**ER004** w")
		->state = FORGE_EXISTING;
	forge_summary_body(&sb, &rv, FORGE_GITHUB_BODY_MAX);
	assert_string_equal(sb.buf,
		"<!-- escape-review:summary -->\n## Summary\n\n3 findings.\n\n"
		"### Findings not posted inline (2)\n\n"
		"- `p/c.go:9`: `ER002 y` (the forge refused this line as outside the diff)\n"
		"- `p/d.go:1` (over the limit of inline comments per run)\n"
		"\n<details><summary>Details</summary>\n\n"
		"#### `p/c.go:9`\n\n**ER002** y\n\n"
		"#### `p/d.go:1`\n\n**ER003** z\n\n"
		"</details>\n");

	/* nothing moved: marker and summary only */
	rv.comments[1].state = FORGE_POSTED;
	rv.comments[2].state = FORGE_POSTED;
	strbuf_reset(&sb);
	forge_summary_body(&sb, &rv, FORGE_GITHUB_BODY_MAX);
	assert_string_equal(sb.buf, "<!-- escape-review:summary -->\n## Summary\n\n3 findings.\n");

	/* cut to the limit, marker kept */
	free(rv.summary);
	rv.summary = xstrdup("## Summary\n\n"
			     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	strbuf_reset(&sb);
	forge_summary_body(&sb, &rv, 120);
	assert_int_equal(sb.len, 120);
	assert_string_equal(sb.buf, FORGE_SUMMARY_MARKER "\n## Summary\n\nxxxxxxxxxxxxxxxxx" NOTE);
	strbuf_release(&sb);
	forge_review_release(&rv);
}

/* ---- context ---- */

static const char *const ci_vars[] = {
	"GITHUB_ACTIONS", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME", "GITHUB_REPOSITORY",
	"GITHUB_API_URL", "GITHUB_TOKEN", "GITLAB_CI", "CI_API_V4_URL", "CI_PROJECT_ID",
	"CI_MERGE_REQUEST_IID", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_COMMIT_SHA",
	"CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "GITLAB_TOKEN", "CI_JOB_TOKEN", NULL,
};

static char event_path[64];

static int clear_env(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; ci_vars[i]; i++)
		unsetenv(ci_vars[i]);
	return 0;
}

static int remove_event(void **state)
{
	if (event_path[0])
		unlink(event_path);
	event_path[0] = '\0';
	return clear_env(state);
}

static void write_event(const char *json)
{
	FILE *fp;

	strcpy(event_path, "/tmp/test_forge_event_XXXXXX");
	fp = fdopen(mkstemp(event_path), "w");
	assert_non_null(fp);
	fputs(json, fp);
	fclose(fp);
	setenv("GITHUB_EVENT_PATH", event_path, 1);
}

#define EVENT(head_repo) \
	"{\"pull_request\": {\"number\": 12, " \
	"\"head\": {\"sha\": \"aaaa\", \"repo\": " head_repo "}, " \
	"\"base\": {\"sha\": \"bbbb\", \"repo\": {\"full_name\": \"Octo/Repo\"}}}}"

static void test_github_context(void **state)
{
	struct forge_context ctx = FORGE_CONTEXT_INIT;

	(void)state;
	write_event(EVENT("{\"full_name\": \"octo/repo\"}"));
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_REPOSITORY", "octo/repo", 1);
	setenv("GITHUB_TOKEN", "ghp_X", 1);
	setenv("GITHUB_EVENT_NAME", "pull_request", 1);
	assert_int_equal(forge_context_from_env(&ctx, "auto", NULL), 0);
	assert_int_equal(ctx.kind, FORGE_GITHUB);
	assert_string_equal(ctx.api_url, "https://api.github.com");
	assert_string_equal(ctx.repo_slug, "octo/repo");
	assert_int_equal(ctx.number, 12);
	assert_string_equal(ctx.head_sha, "aaaa");
	assert_string_equal(ctx.base_sha, "bbbb");
	assert_string_equal(ctx.token, "ghp_X");
	assert_int_equal(ctx.fork_readonly, 0);

	/* flags win over the environment */
	{
		struct forge_flags fl = FORGE_FLAGS_INIT;

		fl.pr = 99;
		fl.repo_slug = "a/b";
		fl.api_url = "https://ghe.example/api/v3";
		fl.head_sha = "cccc";
		assert_int_equal(forge_context_from_env(&ctx, "github", &fl), 0);
		assert_int_equal(ctx.number, 99);
		assert_string_equal(ctx.repo_slug, "a/b");
		assert_string_equal(ctx.api_url, "https://ghe.example/api/v3");
		assert_string_equal(ctx.head_sha, "cccc");
		assert_string_equal(ctx.base_sha, "bbbb");
	}
	forge_context_release(&ctx);
	assert_null(ctx.token);
}

static void test_github_fork(void **state)
{
	struct forge_context ctx = FORGE_CONTEXT_INIT;

	(void)state;
	setenv("GITHUB_REPOSITORY", "octo/repo", 1);
	setenv("GITHUB_EVENT_NAME", "pull_request", 1);
	write_event(EVENT("{\"full_name\": \"someone/repo\"}"));
	/* no token needed: nothing will be written */
	assert_int_equal(forge_context_from_env(&ctx, "github", NULL), 0);
	assert_int_equal(ctx.fork_readonly, 1);
	unlink(event_path);

	write_event(EVENT("null"));
	assert_int_equal(forge_context_from_env(&ctx, "github", NULL), 0);
	assert_int_equal(ctx.fork_readonly, 1);

	/* pull_request_target runs with a writable token */
	setenv("GITHUB_EVENT_NAME", "pull_request_target", 1);
	setenv("GITHUB_TOKEN", "ghp_X", 1);
	assert_int_equal(forge_context_from_env(&ctx, "github", NULL), 0);
	assert_int_equal(ctx.fork_readonly, 0);
	forge_context_release(&ctx);
}

static void test_github_missing(void **state)
{
	struct forge_context ctx = FORGE_CONTEXT_INIT;
	struct forge_flags fl = FORGE_FLAGS_INIT;

	(void)state;
	assert_int_equal(forge_context_from_env(&ctx, "github", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitHub reporter: no repository: set GITHUB_REPOSITORY "
			    "or pass --repo-slug OWNER/REPO");
	setenv("GITHUB_REPOSITORY", "octo/../x", 1);
	assert_int_equal(forge_context_from_env(&ctx, "github", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitHub reporter: repository 'octo/../x' is not OWNER/REPO");
	setenv("GITHUB_REPOSITORY", "octo/repo", 1);
	/* a push event has no pull_request */
	write_event("{\"ref\": \"refs/heads/main\"}");
	assert_int_equal(forge_context_from_env(&ctx, "github", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitHub reporter: no pull request number: set "
			    "GITHUB_EVENT_PATH to a pull_request event or pass --pr N");
	fl.pr = 3;
	assert_int_equal(forge_context_from_env(&ctx, "github", &fl), ER_EUSAGE);
	assert_string_equal(error_last(), "GitHub reporter: no token: set GITHUB_TOKEN (in a "
			    "workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})");
	assert_null(ctx.repo_slug);
	fl.dry_run = 1;
	assert_int_equal(forge_context_from_env(&ctx, "github", &fl), 0);
	assert_null(ctx.token);
	unlink(event_path);
	/* a broken event file */
	write_event("{not json");
	assert_int_equal(forge_context_from_env(&ctx, "github", &fl), ER_EINPUT);
	assert_true(starts_with(error_last(), "GitHub reporter: event file /tmp/test_forge_event_"));
	assert_true(ends_with(error_last(), " is not a JSON object"));
	forge_context_release(&ctx);
}

static void test_gitlab_context(void **state)
{
	struct forge_context ctx = FORGE_CONTEXT_INIT;

	(void)state;
	setenv("GITLAB_CI", "true", 1);
	setenv("CI_API_V4_URL", "https://gitlab.example/api/v4", 1);
	setenv("CI_PROJECT_ID", "1234", 1);
	setenv("CI_MERGE_REQUEST_IID", "5", 1);
	setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", "bbbb", 1);
	setenv("CI_COMMIT_SHA", "mmmm", 1);
	setenv("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "", 1);
	setenv("GITLAB_TOKEN", "glpat-X", 1);
	assert_int_equal(forge_context_from_env(&ctx, "auto", NULL), 0);
	assert_int_equal(ctx.kind, FORGE_GITLAB);
	assert_string_equal(ctx.api_url, "https://gitlab.example/api/v4");
	assert_string_equal(ctx.repo_slug, "1234");
	assert_int_equal(ctx.number, 5);
	assert_string_equal(ctx.base_sha, "bbbb");
	assert_string_equal(ctx.head_sha, "mmmm");
	assert_int_equal(ctx.job_token_only, 0);

	/* merged results pipeline: the source branch's head, not the merge commit */
	setenv("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "ssss", 1);
	assert_int_equal(forge_context_from_env(&ctx, "gitlab", NULL), 0);
	assert_string_equal(ctx.head_sha, "ssss");

	/* only the job token */
	unsetenv("GITLAB_TOKEN");
	setenv("CI_JOB_TOKEN", "job", 1);
	assert_int_equal(forge_context_from_env(&ctx, "gitlab", NULL), 0);
	assert_int_equal(ctx.job_token_only, 1);
	assert_null(ctx.token);
	unsetenv("CI_JOB_TOKEN");
	assert_int_equal(forge_context_from_env(&ctx, "gitlab", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitLab reporter: no token: set GITLAB_TOKEN to a "
			    "project or personal access token with the api scope");

	setenv("CI_MERGE_REQUEST_IID", "x5", 1);
	assert_int_equal(forge_context_from_env(&ctx, "gitlab", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitLab reporter: CI_MERGE_REQUEST_IID is not a number");
	unsetenv("CI_MERGE_REQUEST_IID");
	assert_int_equal(forge_context_from_env(&ctx, "gitlab", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitLab reporter: no merge request iid: run in a merge "
			    "request pipeline (CI_MERGE_REQUEST_IID) or pass --pr N");
	unsetenv("CI_API_V4_URL");
	assert_int_equal(forge_context_from_env(&ctx, "gitlab", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "GitLab reporter: no API URL: set CI_API_V4_URL or "
			    "pass --api-url https://HOST/api/v4");
	forge_context_release(&ctx);
}

static void test_reporter_choice(void **state)
{
	struct forge_context ctx = FORGE_CONTEXT_INIT;

	(void)state;
	assert_int_equal(forge_context_from_env(&ctx, "auto", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "reporter auto: neither GitHub Actions (GITHUB_ACTIONS) "
			    "nor GitLab CI (GITLAB_CI) detected: pass --reporter github|gitlab");
	assert_int_equal(forge_context_from_env(&ctx, "gitea", NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "unknown reporter 'gitea' (github, gitlab, auto)");
	forge_context_release(&ctx);
}

/* What may go into a request path: whole ids from 1 to 2^53 - 1, full SHAs. */
static void test_valid_id_sha(void **state)
{
	static const char *const ids = "[1, 0, -1, 1.5, 9007199254740991, 9007199254740992, "
				       "1e300, \"5\", null, 4213]";
	static const int want[] = { 1, 0, 0, 0, 1, 0, 0, 0, 0, 1 };
	cJSON *arr = cJSON_Parse(ids);
	const cJSON *it;
	double v = -1;
	size_t i = 0;

	(void)state;
	assert_non_null(arr);
	cJSON_ArrayForEach(it, arr) {
		double got = -1;

		assert_int_equal(forge_valid_id(&got, it), want[i]);
		if (want[i])
			assert_true(got == it->valuedouble);
		else
			assert_true(got == -1); /* untouched */
		i++;
	}
	assert_int_equal(i, 10);
	assert_int_equal(forge_valid_id(&v, cJSON_GetArrayItem(arr, 4)), 1);
	assert_true(v == 9007199254740991.0);
	cJSON_Delete(arr);

	assert_true(forge_valid_sha("0123456789abcdef0123456789abcdef01234567"));
	assert_true(forge_valid_sha("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(forge_valid_sha("0123456789abcdef0123456789abcdef0123456"));   /* 39 */
	assert_false(forge_valid_sha("0123456789abcdef0123456789abcdef012345678")); /* 41 */
	assert_false(forge_valid_sha("0123456789ABCDEF0123456789abcdef01234567"));
	assert_false(forge_valid_sha("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"));
	assert_false(forge_valid_sha("0123456"));
	assert_false(forge_valid_sha(""));
	assert_false(forge_valid_sha(NULL));

	assert_int_equal(forge_check_sha("GitHub", "the head commit",
					 "0123456789abcdef0123456789abcdef01234567"), 0);
	assert_int_equal(forge_check_sha("GitLab", "the merge request's head commit",
					 "abc\n\x7f" Z), ER_EPUBLISH);
	assert_string_equal(error_last(), "GitLab reporter: the merge request's head commit 'abc??"
			    "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...' is not "
			    "a full SHA (40 or 64 lower-case hex digits): nothing was posted; give --head and --base as full SHAs (git rev-parse REV)");
	assert_int_equal(forge_check_sha("GitHub", "the head commit", NULL), ER_EPUBLISH);
	assert_string_equal(error_last(), "GitHub reporter: the head commit '' is not a full SHA "
			    "(40 or 64 lower-case hex digits): nothing was posted; give --head and --base as full SHAs (git rev-parse REV)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_body),
		cmocka_unit_test(test_add_cut),
		cmocka_unit_test(test_fingerprint_roundtrip),
		cmocka_unit_test(test_summary_body),
		cmocka_unit_test(test_valid_id_sha),
		cmocka_unit_test_setup_teardown(test_github_context, clear_env, remove_event),
		cmocka_unit_test_setup_teardown(test_github_fork, clear_env, remove_event),
		cmocka_unit_test_setup_teardown(test_github_missing, clear_env, remove_event),
		cmocka_unit_test_setup_teardown(test_gitlab_context, clear_env, remove_event),
		cmocka_unit_test_setup_teardown(test_reporter_choice, clear_env, remove_event),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
