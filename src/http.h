#ifndef HTTP_H
#define HTTP_H

/*
 * http.h: the one HTTP client of the program, shared by the GitHub and
 * GitLab publishers.  Only http.c talks to libcurl.
 *
 * A `struct http_client` holds the API base URL, the token and how it is
 * sent (`Authorization: Bearer TOKEN` for GitHub, `PRIVATE-TOKEN: TOKEN`
 * for GitLab), timeouts and the retry budget.  http_request() sends one
 * JSON request and reads a bounded JSON answer:
 *
 *	struct http_client c;
 *	struct http_response r = HTTP_RESPONSE_INIT;
 *
 *	http_client_init(&c, "https://api.github.com", token, HTTP_AUTH_BEARER,
 *			 "GITHUB_TOKEN");
 *	ret = http_request(&r, &c, "POST", "/repos/o/r/issues/7/comments", body);
 *	...
 *	http_response_release(&r);
 *	http_client_release(&c);
 *
 * Security:
 *  - TLS peer and host verification are always on; libcurl's default CA
 *    store and the usual proxy variables (https_proxy, no_proxy) apply.
 *  - Redirects are never followed, and an absolute URL (a pagination
 *    `next` link) is only requested when it has the scheme, host and port
 *    of `base_url`: the token is never sent anywhere else.
 *  - The token never reaches stdout, stderr, a file or an error message:
 *    verbose logs and errors name the method, the path, the status and the
 *    API's `message` field, and pass through http_redact() anyway.
 *
 * Retries: connection failures (and, for GET/PUT/PATCH/DELETE, timeouts
 * and broken connections), 5xx, 429 and GitHub's secondary rate limit (403
 * with `retry-after`, or with `x-ratelimit-remaining: 0`) are retried with
 * exponential backoff plus jitter (http_retry_delay_ms()), honouring
 * `Retry-After` and `x-ratelimit-reset`, at most `max_attempts` times and
 * while the sum of the waits stays within `max_retry_wait_ms`.  A POST is
 * not retried after a timeout or a connection lost mid-request: the server
 * may have acted on it, and a retry could post a comment twice.
 *
 * Dry run: nothing at all is sent.  Each request that would be sent
 * (method, URL, JSON body) is printed to `dry_run_out` (stdout unless
 * set), and answered with status 0 and no JSON; http_get_all() answers an
 * empty list.  Publishers therefore see "nothing exists yet" and print
 * every write they would do.
 *
 * Owns: libcurl, the token on the wire, retries and bounded answers.
 * Never: knows a forge's endpoints or findings, logs or returns the
 * token, or turns TLS verification off.
 */

#include "strbuf.h"
#include <stdio.h>
#include <time.h>

struct cJSON;

/* Largest response body accepted; a bigger one is an error. */
#define HTTP_MAX_BODY (8u << 20)
/* Most pages http_get_all() follows. */
#define HTTP_MAX_PAGES 100

enum http_auth {
	HTTP_AUTH_BEARER,        /* Authorization: Bearer TOKEN (GitHub) */
	HTTP_AUTH_PRIVATE_TOKEN, /* PRIVATE-TOKEN: TOKEN (GitLab) */
};

struct http_client {
	char *base_url;          /* "https://api.github.com", no trailing '/' */
	char *token;             /* secret, or NULL to send no credentials */
	enum http_auth auth;
	char *token_name;        /* "GITHUB_TOKEN": named by 401 errors */
	long connect_timeout_ms; /* default 10000 */
	long timeout_ms;         /* whole request, default 30000 */
	long retry_base_ms;      /* first backoff step, default 1000, or
				  * $ESCAPE_REVIEW_RETRY_BASE_MS */
	long max_retry_wait_ms;  /* sum of all waits of one request, default 60000 */
	int max_attempts;        /* default 5 */
	unsigned verbose : 1;    /* log each request and status to stderr */
	unsigned dry_run : 1;    /* send nothing, print what would be sent */
	FILE *dry_run_out;       /* NULL: stdout */
	unsigned long requests;  /* requests actually sent (attempts) */
	void *curl;              /* the reused libcurl handle (http.c only) */
};

/*
 * Set up a client with the defaults above.  `base_url` and `token` are
 * copied; `token` may be NULL; `token_name` (e.g. "GITHUB_TOKEN") may be
 * NULL.  Reads ESCAPE_REVIEW_RETRY_BASE_MS from the environment.
 */
void http_client_init(struct http_client *c, const char *base_url, const char *token,
		      enum http_auth auth, const char *token_name);
/* Free the contents (the token is wiped first). */
void http_client_release(struct http_client *c);

struct http_response {
	long status;            /* HTTP status, 0 when none was received */
	struct strbuf body;     /* raw body (bounded by HTTP_MAX_BODY) */
	struct cJSON *json;     /* parsed body, NULL when empty or not JSON */
	char *link_next;        /* Link: <URL>; rel="next", or NULL */
	char *next_page;        /* x-next-page, NULL when absent or empty */
	char *retry_after;      /* Retry-After as sent, or NULL */
	long ratelimit_remaining; /* x-ratelimit-remaining, -1 when absent */
	long ratelimit_reset;   /* x-ratelimit-reset (epoch seconds), -1 when absent */
};

#define HTTP_RESPONSE_INIT { 0, STRBUF_INIT, NULL, NULL, NULL, NULL, -1, -1 }

/* Free the contents; the response is reusable (HTTP_RESPONSE_INIT state). */
void http_response_release(struct http_response *r);

/*
 * Send `method` to `path_or_url`: a path ("/repos/o/r/pulls/7/comments?
 * per_page=100", appended to base_url) or an absolute URL of the same
 * origin as base_url.  `body` (may be NULL) is sent as JSON.  `out` is
 * released first and then holds the final answer.
 *
 * Returns 0 for a 2xx answer.  Otherwise ER_EPUBLISH with the message set,
 * e.g. "POST /repos/o/r/issues/7/comments failed: 401 Bad credentials
 * (check GITHUB_TOKEN)" or "GET /x failed: timed out after 30 s"; when an
 * answer was received `out->status` and `out->json` hold it, so a caller
 * can handle an expected refusal (422, 400) itself.
 */
/* Request bodies are built with these: out-of-memory is fatal, as
 * everywhere (cJSON's own functions return NULL instead). */
struct cJSON *http_json_object(void);
void http_json_add_str(struct cJSON *o, const char *name, const char *value);
void http_json_add_num(struct cJSON *o, const char *name, double value);

int http_request(struct http_response *out, struct http_client *c, const char *method,
		 const char *path_or_url, const struct cJSON *body);

/*
 * GET `path` and every following page (GitLab's x-next-page, which
 * replaces the `page` query parameter, else Link rel="next"), at most
 * HTTP_MAX_PAGES pages.  Every page must be a JSON array; their items are
 * collected into *out (a new array the caller cJSON_Delete()s; empty in
 * dry-run).  0 or ER_EPUBLISH with the message set (*out is then NULL).
 */
int http_get_all(struct cJSON **out, struct http_client *c, const char *path);

/* ---- pure helpers (exposed for the unit tests) ---- */

/*
 * Find the URL of rel="next" in a Link header value
 * (`<https://x/y?page=2>; rel="next", <...>; rel="last"`).  Returns 1 and
 * sets `out` to the URL, or 0 when there is none.
 */
int http_link_next(struct strbuf *out, const char *link);

/*
 * How long to wait (ms) before retry number `attempt` (1 for the first
 * retry).  Retry-After (seconds or an HTTP date) wins; then, when
 * x-ratelimit-remaining is 0, the time until x-ratelimit-reset (+1 s);
 * else base_ms * 2^(attempt-1), capped at 60 s, plus jitter in
 * [0, that/2] taken from `rnd`.  `r` may be NULL (connection error);
 * `now` is the current time in epoch seconds.
 */
long http_retry_delay_ms(long base_ms, int attempt, const struct http_response *r,
			 time_t now, unsigned rnd);

/* Append `s` to `out` with every occurrence of `secret` (when non-empty)
 * replaced by "[REDACTED]". */
void http_redact(struct strbuf *out, const char *s, const char *secret);

/* 1 when `url` is absolute and has the scheme, host and port (default
 * ports filled in) of `base`, else 0. */
int http_same_origin(const char *base, const char *url);

/* Set query parameter `name` of `url` to `value`: replace it when present,
 * else append it with '?' or '&'.  Any fragment is dropped. */
void http_set_query_param(struct strbuf *url, const char *name, const char *value);

/* Percent-encode `s` as one path segment (everything but unreserved
 * characters A-Z a-z 0-9 - . _ ~): "group/proj" -> "group%2Fproj". */
void http_escape_segment(struct strbuf *out, const char *s);

#endif
