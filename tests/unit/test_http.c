/*
 * test_http.c: the pure parts of http.h (Link parsing, retry delays, token
 * redaction, same-origin check, query and path-segment encoding) and the
 * paths of http_request() that send nothing (dry run, refusals).
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

#include "errors.h"
#include "http.h"
#include "strbuf.h"
#include "util.h"

static char *link_next(const char *header)
{
	struct strbuf sb = STRBUF_INIT;

	if (!http_link_next(&sb, header)) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static void expect_link(const char *header, const char *want)
{
	char *got = link_next(header);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_link_github(void **state)
{
	(void)state;
	expect_link("<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; "
		    "rel=\"next\", <https://api.github.com/repositories/1/issues/7/comments?"
		    "per_page=100&page=5>; rel=\"last\"",
		    "https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2");
	/* next after prev and first */
	expect_link("<https://h/x?page=1>; rel=\"prev\", <https://h/x?page=1>; rel=\"first\", "
		    "<https://h/x?page=3>; rel=\"next\"", "https://h/x?page=3");
	/* the last page has no next */
	expect_link("<https://h/x?page=1>; rel=\"prev\", <https://h/x?page=1>; rel=\"first\"", NULL);
	expect_link("", NULL);
}

static void test_link_forms(void **state)
{
	(void)state;
	/* unquoted, upper case, extra parameters, several rel values */
	expect_link("<https://h/a>; rel=NEXT", "https://h/a");
	expect_link("<https://h/a>; title=\"x, y\"; rel=\"prev next\"", "https://h/a");
	expect_link("<https://h/a>;rel=\"nextpage\", <https://h/b>; rel=\"next\"", "https://h/b");
	/* commas and semicolons inside the URL */
	expect_link("<https://h/a?q=1,2;3>; rel=\"next\"", "https://h/a?q=1,2;3");
	/* malformed */
	expect_link("https://h/a; rel=\"next\"", NULL);
	expect_link("<https://h/a; rel=\"next\"", NULL);
}

static void test_retry_backoff(void **state)
{
	(void)state;
	/* no jitter: base * 2^(attempt-1) */
	assert_int_equal(http_retry_delay_ms(100, 1, NULL, 0, 0), 100);
	assert_int_equal(http_retry_delay_ms(100, 2, NULL, 0, 0), 200);
	assert_int_equal(http_retry_delay_ms(100, 3, NULL, 0, 0), 400);
	/* jitter in [0, delay/2]: 1000 % 51 = 31 */
	assert_int_equal(http_retry_delay_ms(100, 1, NULL, 0, 1000), 131);
	assert_int_equal(http_retry_delay_ms(100, 1, NULL, 0, 50), 150);
	/* capped at 60 s (+ jitter) */
	assert_int_equal(http_retry_delay_ms(1000, 30, NULL, 0, 0), 60000);
	assert_int_equal(http_retry_delay_ms(1000, 30, NULL, 0, 30000), 90000);
	/* a zero base still waits */
	assert_int_equal(http_retry_delay_ms(0, 1, NULL, 0, 0), 1);
}

static void test_retry_headers(void **state)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	time_t now = 1445412470; /* 10 s before Wed, 21 Oct 2015 07:28:00 GMT */

	(void)state;
	r.status = 429;
	r.retry_after = xstrdup("3");
	assert_int_equal(http_retry_delay_ms(100, 1, &r, now, 7), 3000);
	free(r.retry_after);
	r.retry_after = xstrdup("Wed, 21 Oct 2015 07:28:00 GMT");
	assert_int_equal(http_retry_delay_ms(100, 1, &r, now, 7), 10000);
	assert_int_equal(http_retry_delay_ms(100, 1, &r, now + 20, 7), 0);
	free(r.retry_after);
	r.retry_after = xstrdup("99999999999");
	assert_int_equal(http_retry_delay_ms(100, 1, &r, now, 7), 86400L * 1000);
	free(r.retry_after);
	r.retry_after = NULL;

	/* primary rate limit: until the reset, plus a second */
	r.status = 403;
	r.ratelimit_remaining = 0;
	r.ratelimit_reset = now + 5;
	assert_int_equal(http_retry_delay_ms(100, 1, &r, now, 7), 6000);
	r.ratelimit_reset = now - 5;
	assert_int_equal(http_retry_delay_ms(100, 1, &r, now, 7), 1000);
	/* remaining but no reset, or requests left: plain backoff */
	r.ratelimit_reset = -1;
	assert_int_equal(http_retry_delay_ms(100, 2, &r, now, 0), 200);
	r.ratelimit_remaining = 5;
	r.ratelimit_reset = now + 5;
	assert_int_equal(http_retry_delay_ms(100, 2, &r, now, 0), 200);
	http_response_release(&r);
}

static void expect_redact(const char *s, const char *secret, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	http_redact(&sb, s, secret);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_redact(void **state)
{
	(void)state;
	expect_redact("Authorization: Bearer ghp_ABC then ghp_ABC.", "ghp_ABC",
		      "Authorization: Bearer [REDACTED] then [REDACTED].");
	expect_redact("ghp_ABCghp_ABC", "ghp_ABC", "[REDACTED][REDACTED]");
	expect_redact("nothing secret", "ghp_ABC", "nothing secret");
	expect_redact("empty secret", "", "empty secret");
	expect_redact("no secret", NULL, "no secret");
}

static void test_same_origin(void **state)
{
	(void)state;
	assert_int_equal(http_same_origin("https://api.github.com",
					  "https://api.github.com/repos/o/r?page=2"), 1);
	assert_int_equal(http_same_origin("https://ghe.example/api/v3",
					  "https://GHE.example:443/api/v3/x"), 1);
	assert_int_equal(http_same_origin("http://127.0.0.1:8080/api/v4",
					  "http://127.0.0.1:8080/api/v4/projects?page=2"), 1);
	/* another port, scheme or host */
	assert_int_equal(http_same_origin("http://127.0.0.1:8080", "http://127.0.0.1:8081/x"), 0);
	assert_int_equal(http_same_origin("https://api.github.com", "http://api.github.com/x"), 0);
	assert_int_equal(http_same_origin("https://api.github.com",
					  "https://api.github.com.evil.example/x"), 0);
	assert_int_equal(http_same_origin("https://api.github.com",
					  "https://api.github.com@evil.example/x"), 0);
	/* credentials in the link, relative and garbage URLs */
	assert_int_equal(http_same_origin("https://api.github.com",
					  "https://u:p@api.github.com/x"), 0);
	assert_int_equal(http_same_origin("https://api.github.com", "/repos/o/r"), 0);
	assert_int_equal(http_same_origin("https://api.github.com", "https://"), 0);
}

static void expect_query(const char *url, const char *name, const char *value,
			 const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, url);
	http_set_query_param(&sb, name, value);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_set_query_param(void **state)
{
	(void)state;
	expect_query("/projects/1/notes", "page", "2", "/projects/1/notes?page=2");
	expect_query("/notes?per_page=100", "page", "2", "/notes?per_page=100&page=2");
	expect_query("/notes?per_page=100&page=2", "page", "3", "/notes?per_page=100&page=3");
	expect_query("/notes?page=2&per_page=100", "page", "3", "/notes?page=3&per_page=100");
	expect_query("/notes?page=1&x=y&page=9", "page", "3", "/notes?page=3&x=y");
	expect_query("/notes?pages=1&apage=2&page", "page", "3", "/notes?pages=1&apage=2&page=3");
	expect_query("/notes?a=1&&b=2#frag", "page", "4", "/notes?a=1&b=2&page=4");
	expect_query("/notes?", "page", "2", "/notes?page=2");
	expect_query("https://h/api/v4/x?page=1", "page", "2", "https://h/api/v4/x?page=2");
}

static void expect_segment(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	http_escape_segment(&sb, s);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_escape_segment(void **state)
{
	(void)state;
	expect_segment("group/proj", "group%2Fproj");
	expect_segment("group/sub/proj.x", "group%2Fsub%2Fproj.x");
	expect_segment("42", "42");
	expect_segment("a b~c.d_e-f", "a%20b~c.d_e-f");
	expect_segment("\xc3\xa9?#%", "%C3%A9%3F%23%25");
	expect_segment("", "");
}

/* Dry run: the exact text printed, nothing sent (the host does not exist). */
static void test_dry_run(void **state)
{
	struct http_client c;
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf got = STRBUF_INIT;
	cJSON *body = cJSON_CreateObject(), *all = NULL;
	FILE *fp = tmpfile();

	(void)state;
	assert_non_null(fp);
	cJSON_AddStringToObject(body, "body", "hi");
	http_client_init(&c, "https://ghe.invalid/api/v3/", "ghp_SECRET", HTTP_AUTH_BEARER,
			 "GITHUB_TOKEN");
	assert_string_equal(c.base_url, "https://ghe.invalid/api/v3");
	c.dry_run = 1;
	c.dry_run_out = fp;
	assert_int_equal(http_request(&r, &c, "POST", "/repos/o/r/issues/7/comments", body), 0);
	assert_int_equal(r.status, 0);
	assert_null(r.json);
	assert_int_equal(http_get_all(&all, &c, "/repos/o/r/issues/7/comments?per_page=100"), 0);
	assert_non_null(all);
	assert_int_equal(cJSON_GetArraySize(all), 0);
	assert_int_equal(c.requests, 0);
	rewind(fp);
	assert_true(strbuf_read_fd(&got, fileno(fp), 4096) > 0);
	assert_string_equal(got.buf,
			    "dry-run: POST https://ghe.invalid/api/v3/repos/o/r/issues/7/comments\n"
			    "{\n\t\"body\":\t\"hi\"\n}\n"
			    "dry-run: GET https://ghe.invalid/api/v3/repos/o/r/issues/7/comments"
			    "?per_page=100 (not sent; treated as empty)\n");
	fclose(fp);
	cJSON_Delete(all);
	cJSON_Delete(body);
	strbuf_release(&got);
	http_response_release(&r);
	http_client_release(&c);
}

/* Refusals that happen before anything is sent. */
static void test_refusals(void **state)
{
	struct http_client c;
	struct http_response r = HTTP_RESPONSE_INIT;

	(void)state;
	http_client_init(&c, "https://api.github.invalid", "ghp_SECRET", HTTP_AUTH_BEARER,
			 "GITHUB_TOKEN");
	assert_int_equal(http_request(&r, &c, "GET",
				      "https://evil.invalid/repos/o/r/pulls/7/comments?page=2", NULL),
			 ER_EPUBLISH);
	assert_string_equal(error_last(),
			    "GET /repos/o/r/pulls/7/comments?page=2 failed: refusing to follow a "
			    "URL outside the API's origin (the token is only sent to the "
			    "configured API URL)");
	http_client_release(&c);

	/* a token that could inject a header is never sent, nor printed */
	http_client_init(&c, "https://api.github.invalid", "ghp_SECRET\r\nX-Evil: 1",
			 HTTP_AUTH_BEARER, "GITHUB_TOKEN");
	assert_int_equal(http_request(&r, &c, "GET", "/user", NULL), ER_EPUBLISH);
	assert_string_equal(error_last(),
			    "GET /user failed: the token in GITHUB_TOKEN contains a control character");
	assert_int_equal(c.requests, 0);
	http_client_release(&c);
	http_response_release(&r);
}

static void test_retry_base_env(void **state)
{
	struct http_client c;

	(void)state;
	setenv("ESCAPE_REVIEW_RETRY_BASE_MS", "25", 1);
	http_client_init(&c, "https://h", NULL, HTTP_AUTH_PRIVATE_TOKEN, NULL);
	assert_int_equal(c.retry_base_ms, 25);
	assert_null(c.token);
	http_client_release(&c);
	setenv("ESCAPE_REVIEW_RETRY_BASE_MS", "x", 1);
	http_client_init(&c, "https://h", NULL, HTTP_AUTH_PRIVATE_TOKEN, NULL);
	assert_int_equal(c.retry_base_ms, 1000);
	assert_int_equal(c.max_retry_wait_ms, 60000);
	assert_int_equal(c.max_attempts, 5);
	http_client_release(&c);
	unsetenv("ESCAPE_REVIEW_RETRY_BASE_MS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_github),
		cmocka_unit_test(test_link_forms),
		cmocka_unit_test(test_retry_backoff),
		cmocka_unit_test(test_retry_headers),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_same_origin),
		cmocka_unit_test(test_set_query_param),
		cmocka_unit_test(test_escape_segment),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_retry_base_env),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
