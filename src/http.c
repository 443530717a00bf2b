/*
 * http.c: JSON over HTTPS with libcurl for the publishers: bounded reads,
 * retries with backoff, pagination, same-origin checks and token
 * redaction.  The only file that includes <curl/curl.h>; libcurl itself is
 * loaded (dlopen) the first time a request or URL needs it, so a review
 * that publishes nothing never maps it and its 20 dependencies.
 */
#include "http.h"
#include "errors.h"
#include "util.h"

#include <cJSON.h>
#include <curl/curl.h>
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef ER_VERSION
#define ER_VERSION "unknown"
#endif

#define USER_AGENT "escape-review/" ER_VERSION
#define MAX_HEADER_VALUE 8192
#define MAX_API_MESSAGE 300
#define MAX_BACKOFF_MS 60000L

/*
 * libcurl, loaded on first use.  Linking it costs every run of the program
 * the dynamic loader's work on libcurl and the twenty libraries it pulls in
 * (GnuTLS, OpenSSL, Kerberos, LDAP, ...): about half of a hook's start-up
 * here, for the one command in ten that publishes.  ER_CURL_LIB is the
 * library's name as the dynamic loader looks it up (the Makefile sets it
 * for Homebrew's keg-only curl).
 */
#ifndef ER_CURL_LIB
#ifdef __APPLE__
#define ER_CURL_LIB "libcurl.4.dylib"
#else
#define ER_CURL_LIB "libcurl.so.4"
#endif
#endif

struct curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *h);
	void (*easy_reset)(CURL *h);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode cc);
	time_t (*getdate)(const char *date, const time_t *unused);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *h);
	CURLUcode (*url_get)(CURLU *h, CURLUPart what, char **part, unsigned int flags);
	CURLUcode (*url_set)(CURLU *h, CURLUPart what, const char *part, unsigned int flags);
	void (*free)(void *p);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

static struct curl_api curl_fns;

/* dlsym's object pointer into a function pointer, the way POSIX allows; 0 when missing. */
static int curl_sym(void *lib, void *fn, size_t size, const char *name)
{
	void *p = dlsym(lib, name);

	if (p)
		memcpy(fn, &p, size);
	return !!p;
}

#define CURL_SYM(lib, field, name) curl_sym(lib, &curl_fns.field, sizeof(curl_fns.field), name)

/*
 * Load and initialise libcurl once; ER_EPUBLISH naming the library and what
 * to install when it cannot be (the findings were printed before anything
 * is published: exit code 4).
 */
static int curl_load(void)
{
	static int state; /* 1 loaded, -1 failed */
	static char *msg;
	void *lib;

	if (state > 0)
		return 0;
	if (state < 0)
		return error_set(ER_EPUBLISH, "%s", msg);
	lib = dlopen(ER_CURL_LIB, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *why = dlerror();

		error_set(ER_EPUBLISH, "cannot load %s (%s): install libcurl (Debian/Ubuntu: apt-get install libcurl4)",
			  ER_CURL_LIB, why ? why : "not found");
	} else if (!CURL_SYM(lib, global_init, "curl_global_init") ||
		   !CURL_SYM(lib, easy_init, "curl_easy_init") ||
		   !CURL_SYM(lib, easy_cleanup, "curl_easy_cleanup") ||
		   !CURL_SYM(lib, easy_reset, "curl_easy_reset") ||
		   !CURL_SYM(lib, easy_setopt, "curl_easy_setopt") ||
		   !CURL_SYM(lib, easy_perform, "curl_easy_perform") ||
		   !CURL_SYM(lib, easy_getinfo, "curl_easy_getinfo") ||
		   !CURL_SYM(lib, easy_strerror, "curl_easy_strerror") ||
		   !CURL_SYM(lib, getdate, "curl_getdate") || !CURL_SYM(lib, url, "curl_url") ||
		   !CURL_SYM(lib, url_cleanup, "curl_url_cleanup") ||
		   !CURL_SYM(lib, url_get, "curl_url_get") || !CURL_SYM(lib, url_set, "curl_url_set") ||
		   !CURL_SYM(lib, free, "curl_free") ||
		   !CURL_SYM(lib, slist_append, "curl_slist_append") ||
		   !CURL_SYM(lib, slist_free_all, "curl_slist_free_all")) {
		error_set(ER_EPUBLISH, "%s lacks functions escape-review calls: install libcurl 7.62 or newer (Debian/Ubuntu: apt-get install libcurl4)",
			  ER_CURL_LIB);
	} else if (curl_fns.global_init(CURL_GLOBAL_DEFAULT)) {
		error_set(ER_EPUBLISH, "cannot initialise libcurl (%s)", ER_CURL_LIB);
	} else {
		state = 1;
		return 0;
	}
	state = -1;
	msg = xstrdup(error_last());
	return error_set(ER_EPUBLISH, "%s", msg);
}

/* The loaded library's functions: only after curl_load() succeeded. */
static const struct curl_api *curl_api(void)
{
	return &curl_fns;
}

static void wipe(char *s)
{
	volatile char *p = s;

	if (!s)
		return;
	while (*p)
		*p++ = '\0';
}

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 0)
		return dflt;
	return n;
}

void http_client_init(struct http_client *c, const char *base_url, const char *token,
		      enum http_auth auth, const char *token_name)
{
	size_t len;

	memset(c, 0, sizeof(*c));
	len = strlen(base_url);
	while (len && base_url[len - 1] == '/')
		len--;
	c->base_url = xstrndup(base_url, len);
	c->token = xstrdup_or_null(token);
	c->auth = auth;
	c->token_name = xstrdup_or_null(token_name);
	c->connect_timeout_ms = 10000;
	c->timeout_ms = 30000;
	c->retry_base_ms = env_long("ESCAPE_REVIEW_RETRY_BASE_MS", 1000);
	c->max_retry_wait_ms = 60000;
	c->max_attempts = 5;
}

void http_client_release(struct http_client *c)
{
	if (c->curl)
		curl_api()->easy_cleanup(c->curl);
	wipe(c->token);
	free(c->token);
	free(c->base_url);
	free(c->token_name);
	memset(c, 0, sizeof(*c));
}

void http_response_release(struct http_response *r)
{
	strbuf_release(&r->body);
	cJSON_Delete(r->json);
	free(r->link_next);
	free(r->next_page);
	free(r->retry_after);
	r->json = NULL;
	r->link_next = r->next_page = r->retry_after = NULL;
	r->status = 0;
	r->ratelimit_remaining = -1;
	r->ratelimit_reset = -1;
}

/* ---- pure helpers ---- */

void http_redact(struct strbuf *out, const char *s, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	const char *hit;

	if (!n) {
		strbuf_addstr(out, s);
		return;
	}
	while ((hit = strstr(s, secret))) {
		strbuf_add(out, s, hit - s);
		strbuf_addstr(out, "[REDACTED]");
		s = hit + n;
	}
	strbuf_addstr(out, s);
}

void http_escape_segment(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			strbuf_addch(out, ch);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[ch >> 4]);
			strbuf_addch(out, hex[ch & 15]);
		}
	}
}

/* Does the rel parameter value `v` (len n, unquoted) contain token "next"? */
static int rel_has_next(const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start;

		while (i < n && v[i] == ' ')
			i++;
		start = i;
		while (i < n && v[i] != ' ')
			i++;
		if (i - start == 4 && !strncasecmp(v + start, "next", 4))
			return 1;
	}
	return 0;
}

int http_link_next(struct strbuf *out, const char *link)
{
	const char *p = link;

	while (p && *p) {
		const char *url, *url_end;
		int is_next = 0;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p != '<')
			return 0;
		url = p + 1;
		url_end = strchr(url, '>');
		if (!url_end)
			return 0;
		p = url_end + 1;
		/* parameters: ; name=value or ; name="value", up to ',' */
		while (*p && *p != ',') {
			const char *name, *val;
			size_t name_len, val_len;

			while (*p == ' ' || *p == '\t' || *p == ';')
				p++;
			if (!*p || *p == ',')
				break;
			name = p;
			while (*p && *p != '=' && *p != ';' && *p != ',' && *p != ' ')
				p++;
			name_len = p - name;
			while (*p == ' ')
				p++;
			if (*p != '=')
				continue;
			p++;
			while (*p == ' ')
				p++;
			if (*p == '"') {
				val = ++p;
				while (*p && *p != '"')
					p++;
				val_len = p - val;
				if (*p)
					p++;
			} else {
				val = p;
				while (*p && *p != ';' && *p != ',' && *p != ' ')
					p++;
				val_len = p - val;
			}
			if (name_len == 3 && !strncasecmp(name, "rel", 3) &&
			    rel_has_next(val, val_len))
				is_next = 1;
		}
		if (is_next) {
			strbuf_reset(out);
			strbuf_add(out, url, url_end - url);
			return 1;
		}
	}
	return 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

long http_retry_delay_ms(long base_ms, int attempt, const struct http_response *r,
			 time_t now, unsigned rnd)
{
	long delay;
	int i;

	if (r && r->retry_after) {
		const char *v = r->retry_after;

		while (*v == ' ')
			v++;
		if (all_digits(v)) {
			if (strlen(v) > 6)
				return 86400L * 1000;
			return atol(v) * 1000;
		} else {
			/* an HTTP date; without libcurl, as if it did not parse */
			time_t t = curl_load() ? (time_t)-1 : curl_api()->getdate(v, NULL);

			if (t != -1)
				return t > now ? (long)(t - now) * 1000 : 0;
		}
	}
	if (r && r->ratelimit_remaining == 0 && r->ratelimit_reset > 0) {
		if (r->ratelimit_reset > now + 86400)
			return 86400L * 1000;
		delay = (long)(r->ratelimit_reset - now) * 1000 + 1000;
		return delay < 1000 ? 1000 : delay;
	}
	if (base_ms <= 0)
		base_ms = 1;
	delay = base_ms;
	for (i = 1; i < attempt && delay < MAX_BACKOFF_MS; i++)
		delay *= 2;
	if (delay > MAX_BACKOFF_MS)
		delay = MAX_BACKOFF_MS;
	return delay + (long)(rnd % (unsigned long)(delay / 2 + 1));
}

static int url_part(CURLU *h, CURLUPart what, char **out, unsigned flags)
{
	*out = NULL;
	return curl_api()->url_get(h, what, out, flags) == CURLUE_OK;
}

int http_same_origin(const char *base, const char *url)
{
	CURLU *a, *b;
	char *as = NULL, *ah = NULL, *ap = NULL, *bs = NULL, *bh = NULL, *bp = NULL, *bu = NULL;
	int same = 0;

	if (curl_load())
		return 0;
	a = curl_api()->url();
	b = curl_api()->url();
	if (!a || !b)
		die("out of memory");
	if (curl_api()->url_set(a, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_api()->url_set(b, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (!url_part(a, CURLUPART_SCHEME, &as, 0) || !url_part(b, CURLUPART_SCHEME, &bs, 0) ||
	    !url_part(a, CURLUPART_HOST, &ah, 0) || !url_part(b, CURLUPART_HOST, &bh, 0) ||
	    !url_part(a, CURLUPART_PORT, &ap, CURLU_DEFAULT_PORT) ||
	    !url_part(b, CURLUPART_PORT, &bp, CURLU_DEFAULT_PORT))
		goto out;
	if (url_part(b, CURLUPART_USER, &bu, 0))
		goto out; /* credentials in a next link: never */
	same = !strcasecmp(as, bs) && !strcasecmp(ah, bh) && !strcmp(ap, bp);
out:
	curl_api()->free(as); curl_api()->free(ah); curl_api()->free(ap);
	curl_api()->free(bs); curl_api()->free(bh); curl_api()->free(bp); curl_api()->free(bu);
	curl_api()->url_cleanup(a);
	curl_api()->url_cleanup(b);
	return same;
}

void http_set_query_param(struct strbuf *url, const char *name, const char *value)
{
	struct strbuf out = STRBUF_INIT;
	char *hash = strchr(url->buf, '#');
	char *q, *p;
	size_t name_len = strlen(name);
	int done = 0;

	if (hash)
		strbuf_setlen(url, hash - url->buf);
	q = strchr(url->buf, '?');
	if (!q) {
		strbuf_addf(url, "?%s=%s", name, value);
		return;
	}
	strbuf_add(&out, url->buf, q - url->buf + 1);
	p = q + 1;
	while (*p) {
		char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int match = len >= name_len && !strncmp(p, name, name_len) &&
			    (len == name_len || p[name_len] == '=');

		if (len && (!match || !done)) {
			if (out.buf[out.len - 1] != '?')
				strbuf_addch(&out, '&');
			if (match) {
				strbuf_addf(&out, "%s=%s", name, value);
				done = 1;
			} else {
				strbuf_add(&out, p, len);
			}
		}
		p += len;
		if (*p == '&')
			p++;
	}
	if (!done) {
		if (out.buf[out.len - 1] != '?')
			strbuf_addch(&out, '&');
		strbuf_addf(&out, "%s=%s", name, value);
	}
	strbuf_reset(url);
	strbuf_addbuf(url, &out);
	strbuf_release(&out);
}

/* ---- one request ---- */

struct sink {
	struct http_response *r;
	int too_large;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;

	if (s->r->body.len + n > HTTP_MAX_BODY) {
		s->too_large = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	strbuf_add(&s->r->body, data, n);
	return n;
}

static void set_str(char **dst, const char *v, size_t n)
{
	free(*dst);
	*dst = n ? xstrndup(v, n > MAX_HEADER_VALUE ? MAX_HEADER_VALUE : n) : NULL;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	struct http_response *r = s->r;
	size_t n = size * nmemb, name_len;
	const char *colon, *v, *end = data + n;

	if (n >= 5 && !memcmp(data, "HTTP/", 5)) {
		/* a new response (after 100 Continue): forget earlier headers */
		set_str(&r->link_next, NULL, 0);
		set_str(&r->next_page, NULL, 0);
		set_str(&r->retry_after, NULL, 0);
		r->ratelimit_remaining = r->ratelimit_reset = -1;
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon)
		return n;
	name_len = colon - data;
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
#define IS(h) (name_len == strlen(h) && !strncasecmp(data, h, name_len))
	if (IS("link")) {
		struct strbuf link = STRBUF_INIT, next = STRBUF_INIT;

		strbuf_add(&link, v, end - v);
		if (http_link_next(&next, link.buf))
			set_str(&r->link_next, next.buf, next.len);
		strbuf_release(&link);
		strbuf_release(&next);
	} else if (IS("x-next-page")) {
		set_str(&r->next_page, v, end - v);
	} else if (IS("retry-after")) {
		set_str(&r->retry_after, v, end - v);
	} else if (IS("x-ratelimit-remaining") || IS("x-ratelimit-reset")) {
		char num[32];
		size_t len = (size_t)(end - v) < sizeof(num) - 1 ? (size_t)(end - v) : sizeof(num) - 1;
		long val;

		memcpy(num, v, len);
		num[len] = '\0';
		val = all_digits(num) && len < 19 ? atol(num) : -1;
		if (IS("x-ratelimit-remaining"))
			r->ratelimit_remaining = val;
		else
			r->ratelimit_reset = val;
	}
#undef IS
	return n;
}

static int token_is_clean(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t < 0x20 || *t == 0x7f)
			return 0;
	return 1;
}

/* The path shown in logs and errors: the part after scheme://authority. */
static const char *display_path(const char *path_or_url)
{
	const char *p = strstr(path_or_url, "://");

	if (!p)
		return path_or_url;
	p = strchr(p + 3, '/');
	return p ? p : "/";
}

static void verbose_log(struct http_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void verbose_log(struct http_client *c, const char *fmt, ...)
{
	struct strbuf raw = STRBUF_INIT, safe = STRBUF_INIT;
	va_list ap;

	if (!c->verbose)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&raw, fmt, ap);
	va_end(ap);
	http_redact(&safe, raw.buf, c->token);
	fprintf(stderr, "escape-review: http: %s\n", safe.buf);
	strbuf_release(&raw);
	strbuf_release(&safe);
}

static long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* One attempt.  Returns the libcurl code; the answer is in `r`. */
static CURLcode perform(struct http_client *c, struct http_response *r, const char *method,
			const char *url, const char *json, int *too_large, char *errbuf)
{
	struct curl_slist *hdrs = NULL;
	struct strbuf auth = STRBUF_INIT;
	struct sink sink = { r, 0 };
	CURL *h;
	CURLcode cc;

	if (!c->curl && !(c->curl = curl_api()->easy_init()))
		die("cannot initialise libcurl");
	h = c->curl;
	curl_api()->easy_reset(h);
	http_response_release(r);
	errbuf[0] = '\0';

	if (c->auth == HTTP_AUTH_BEARER) {
		hdrs = curl_api()->slist_append(hdrs, "Accept: application/vnd.github+json");
		hdrs = curl_api()->slist_append(hdrs, "X-GitHub-Api-Version: 2022-11-28");
	} else {
		hdrs = curl_api()->slist_append(hdrs, "Accept: application/json");
	}
	if (json)
		hdrs = curl_api()->slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_api()->slist_append(hdrs, "Expect:");
	if (c->token && *c->token) {
		strbuf_addstr(&auth, c->auth == HTTP_AUTH_BEARER ? "Authorization: Bearer "
								  : "PRIVATE-TOKEN: ");
		strbuf_addstr(&auth, c->token);
		hdrs = curl_api()->slist_append(hdrs, auth.buf);
	}
	if (!hdrs)
		die("out of memory");

	curl_api()->easy_setopt(h, CURLOPT_URL, url);
	curl_api()->easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_api()->easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
	curl_api()->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_api()->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_api()->easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_api()->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_api()->easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_api()->easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_api()->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_api()->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_api()->easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_api()->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_api()->easy_setopt(h, CURLOPT_HEADERDATA, &sink);
	if (!strcmp(method, "GET")) {
		curl_api()->easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(method, "POST"))
			curl_api()->easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		curl_api()->easy_setopt(h, CURLOPT_POSTFIELDS, json ? json : "");
	}

	cc = curl_api()->easy_perform(h);
	curl_api()->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	/* nothing of the request may outlive it (header list with the token,
	 * pointers to our stack): reset the handle, keeping its connections */
	curl_api()->easy_reset(h);
	for (struct curl_slist *it = hdrs; it; it = it->next)
		wipe(it->data);
	curl_api()->slist_free_all(hdrs);
	wipe(auth.buf);
	strbuf_release(&auth);
	*too_large = sink.too_large;
	if (cc == CURLE_OK && r->body.len)
		r->json = cJSON_ParseWithLength(r->body.buf, r->body.len);
	return cc;
}

static int retryable_status(const struct http_response *r)
{
	if (r->status >= 500 && r->status <= 599)
		return 1;
	if (r->status == 429)
		return 1;
	if (r->status == 403 && (r->retry_after || r->ratelimit_remaining == 0))
		return 1;
	return 0;
}

static int idempotent(const char *method)
{
	return !strcmp(method, "GET") || !strcmp(method, "PUT") ||
	       !strcmp(method, "PATCH") || !strcmp(method, "DELETE");
}

static int retryable_curl(CURLcode cc, const char *method)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return 1; /* nothing was sent */
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return idempotent(method);
	default:
		return 0;
	}
}

static const char *reason_phrase(long status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return NULL;
	}
}

/* "Bad credentials", plus the first of GitHub's "errors" when present; the
 * reason phrase when the answer has no message. */
static void api_message(struct strbuf *out, const struct http_response *r)
{
	const cJSON *msg, *errs, *first;
	size_t start = out->len;

	msg = cJSON_GetObjectItemCaseSensitive(r->json, "message");
	if (!msg)
		msg = cJSON_GetObjectItemCaseSensitive(r->json, "error");
	if (cJSON_IsString(msg) && msg->valuestring[0]) {
		const char *m = msg->valuestring;
		char status[24];

		/* GitLab repeats the status: {"message": "401 Unauthorized"} */
		snprintf(status, sizeof(status), "%ld ", r->status);
		skip_prefix(m, status, &m);
		strbuf_addf(out, " %s", m);
	} else if (msg && (cJSON_IsObject(msg) || cJSON_IsArray(msg))) {
		char *s = cJSON_PrintUnformatted(msg);

		if (s)
			strbuf_addf(out, " %s", s);
		free(s);
	}
	if (out->len == start && reason_phrase(r->status))
		strbuf_addf(out, " %s", reason_phrase(r->status));
	errs = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
	first = cJSON_IsArray(errs) ? cJSON_GetArrayItem(errs, 0) : NULL;
	if (cJSON_IsObject(first))
		first = cJSON_GetObjectItemCaseSensitive(first, "message");
	if (cJSON_IsString(first))
		strbuf_addf(out, " (%s)", first->valuestring);
	/* one line, bounded */
	for (size_t i = start; i < out->len; i++)
		if (out->buf[i] == '\n' || out->buf[i] == '\r')
			out->buf[i] = ' ';
	if (out->len - start > MAX_API_MESSAGE) {
		size_t cut = start + MAX_API_MESSAGE;

		while (cut > start && ((unsigned char)out->buf[cut] & 0xC0) == 0x80)
			cut--;
		strbuf_setlen(out, cut);
		strbuf_addstr(out, "...");
	}
}

static void fmt_seconds(struct strbuf *out, long ms)
{
	if (ms % 1000)
		strbuf_addf(out, "%.1f s", ms / 1000.0);
	else
		strbuf_addf(out, "%ld s", ms / 1000);
}

static int fail(struct http_client *c, const char *method, const char *path,
		const struct strbuf *why)
{
	struct strbuf raw = STRBUF_INIT, safe = STRBUF_INIT;
	const char *rest;
	int ret;

	/* name the path as the API documents it, without the base URL */
	if (!skip_prefix(path, c->base_url, &rest) || *rest != '/')
		rest = display_path(path);
	strbuf_addf(&raw, "%s %s failed: %s", method, rest, why->buf);
	http_redact(&safe, raw.buf, c->token);
	ret = error_set(ER_EPUBLISH, "%s", safe.buf);
	strbuf_release(&raw);
	strbuf_release(&safe);
	return ret;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static unsigned next_random(void)
{
	static uint32_t state;

	if (!state)
		state = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

/* --dry-run: the request that would be sent, the token redacted. */
static void print_dry_run(const struct http_client *c, const char *method, const char *url,
			  const struct cJSON *body)
{
	FILE *fp = c->dry_run_out ? c->dry_run_out : stdout;
	struct strbuf safe = STRBUF_INIT;

	http_redact(&safe, url, c->token);
	fprintf(fp, "dry-run: %s %s%s\n", method, safe.buf,
		strcmp(method, "GET") ? "" : " (not sent; treated as empty)");
	if (body) {
		char *pretty = cJSON_Print(body);

		strbuf_reset(&safe);
		http_redact(&safe, pretty ? pretty : "", c->token);
		fprintf(fp, "%s\n", safe.buf);
		free(pretty);
	}
	strbuf_release(&safe);
}

int http_request(struct http_response *out, struct http_client *c, const char *method,
		 const char *path_or_url, const struct cJSON *body)
{
	struct strbuf url = STRBUF_INIT, why = STRBUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	char *json = NULL;
	long waited = 0, started;
	int attempt, ret = 0, too_large = 0;
	CURLcode cc = CURLE_OK;

	http_response_release(out);
	if ((ret = curl_load()))
		goto out;
	if (starts_with(path_or_url, "http://") || starts_with(path_or_url, "https://")) {
		if (!http_same_origin(c->base_url, path_or_url)) {
			strbuf_addstr(&why, "refusing to follow a URL outside the API's origin "
					    "(the token is only sent to the configured API URL)");
			ret = fail(c, method, path_or_url, &why);
			goto out;
		}
		strbuf_addstr(&url, path_or_url);
	} else {
		strbuf_addstr(&url, c->base_url);
		if (path_or_url[0] != '/')
			strbuf_addch(&url, '/');
		strbuf_addstr(&url, path_or_url);
	}
	if (body && !(json = cJSON_PrintUnformatted(body)))
		die("out of memory");

	if (c->dry_run) {
		print_dry_run(c, method, url.buf, body);
		goto out;
	}
	if (c->token && !token_is_clean(c->token)) {
		strbuf_addf(&why, "the token%s%s contains a control character",
			    c->token_name ? " in " : "", c->token_name ? c->token_name : "");
		ret = fail(c, method, path_or_url, &why);
		goto out;
	}

	for (attempt = 1;; attempt++) {
		long delay;
		int again;

		verbose_log(c, "%s %s", method, url.buf);
		started = now_ms();
		cc = perform(c, out, method, url.buf, json, &too_large, errbuf);
		c->requests++;
		if (cc == CURLE_OK)
			verbose_log(c, "%s %s -> %ld (%ld ms)", method, display_path(url.buf),
				    out->status, now_ms() - started);
		else
			verbose_log(c, "%s %s -> error: %s", method, display_path(url.buf),
				    errbuf[0] ? errbuf : curl_api()->easy_strerror(cc));
		if (cc == CURLE_OK && out->status >= 200 && out->status < 300)
			goto out;
		if (too_large)
			break;
		again = cc == CURLE_OK ? retryable_status(out) : retryable_curl(cc, method);
		if (!again || attempt >= c->max_attempts)
			break;
		delay = http_retry_delay_ms(c->retry_base_ms, attempt,
					    cc == CURLE_OK ? out : NULL, time(NULL), next_random());
		if (waited + delay > c->max_retry_wait_ms) {
			if (cc == CURLE_OK) {
				strbuf_addf(&why, "%ld", out->status);
				api_message(&why, out);
				strbuf_addstr(&why, " (retrying would wait ");
			} else {
				strbuf_addf(&why, "%s (retrying would wait ",
					    errbuf[0] ? errbuf : curl_api()->easy_strerror(cc));
			}
			fmt_seconds(&why, waited + delay);
			strbuf_addstr(&why, " in all, more than the ");
			fmt_seconds(&why, c->max_retry_wait_ms);
			strbuf_addstr(&why, " allowed)");
			ret = fail(c, method, path_or_url, &why);
			goto out;
		}
		verbose_log(c, "retrying %s %s in %ld ms (attempt %d of %d)", method,
			    display_path(url.buf), delay, attempt + 1, c->max_attempts);
		sleep_ms(delay);
		waited += delay;
	}

	if (too_large) {
		strbuf_addf(&why, "the answer is larger than %u MiB", HTTP_MAX_BODY >> 20);
	} else if (cc == CURLE_OPERATION_TIMEDOUT) {
		strbuf_addstr(&why, "timed out (no answer within ");
		fmt_seconds(&why, c->timeout_ms);
		strbuf_addf(&why, "; %s)", errbuf[0] ? errbuf : curl_api()->easy_strerror(cc));
	} else if (cc != CURLE_OK) {
		strbuf_addstr(&why, errbuf[0] ? errbuf : curl_api()->easy_strerror(cc));
	} else {
		strbuf_addf(&why, "%ld", out->status);
		api_message(&why, out);
		if (out->status == 401)
			strbuf_addf(&why, " (check %s)", c->token_name ? c->token_name : "the token");
		else if (out->status == 403 && !retryable_status(out))
			strbuf_addstr(&why, " (the token may lack the permission for this)");
		else if (out->status == 404)
			strbuf_addstr(&why, " (check the repository or project, the number, "
					    "and the token's access to them)");
	}
	if (attempt > 1)
		strbuf_addf(&why, ", after %d attempts", attempt);
	ret = fail(c, method, path_or_url, &why);
out:
	free(json);
	strbuf_release(&url);
	strbuf_release(&why);
	return ret;
}

int http_get_all(cJSON **out, struct http_client *c, const char *path)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf url = STRBUF_INIT, why = STRBUF_INIT;
	cJSON *all = cJSON_CreateArray(), *item;
	int pages = 0, ret = 0;

	if (!all)
		die("out of memory");
	*out = NULL;
	strbuf_addstr(&url, path);
	for (;;) {
		if (++pages > HTTP_MAX_PAGES) {
			strbuf_addf(&why, "more than %d pages", HTTP_MAX_PAGES);
			ret = fail(c, "GET", path, &why);
			goto out;
		}
		ret = http_request(&r, c, "GET", url.buf, NULL);
		if (ret)
			goto out;
		if (c->dry_run)
			break;
		if (!cJSON_IsArray(r.json)) {
			strbuf_addf(&why, "%ld, but the answer is not a JSON list", r.status);
			ret = fail(c, "GET", url.buf, &why);
			goto out;
		}
		while ((item = cJSON_DetachItemFromArray(r.json, 0)))
			cJSON_AddItemToArray(all, item);
		/* GitLab's x-next-page first: its Link URLs carry the instance's
		 * external_url, which may differ from the API URL we were given */
		if (r.next_page && all_digits(r.next_page)) {
			http_set_query_param(&url, "page", r.next_page);
		} else if (r.link_next) {
			strbuf_reset(&url);
			strbuf_addstr(&url, r.link_next);
		} else {
			break;
		}
	}
	*out = all;
	all = NULL;
out:
	cJSON_Delete(all);
	http_response_release(&r);
	strbuf_release(&url);
	strbuf_release(&why);
	return ret;
}

cJSON *http_json_object(void)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		die("out of memory");
	return o;
}

void http_json_add_str(cJSON *o, const char *name, const char *value)
{
	if (!cJSON_AddStringToObject(o, name, value))
		die("out of memory");
}

void http_json_add_num(cJSON *o, const char *name, double value)
{
	if (!cJSON_AddNumberToObject(o, name, value))
		die("out of memory");
}
