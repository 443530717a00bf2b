/*
 * forge.c: the publishers' shared ground: the review data handed over by
 * main.c, where to publish (CI environment and flags), and the bodies
 * (markers, summary overflow section, safe cuts) both forges use.
 */
#include "forge.h"
#include "mustache.h"
#include "errors.h"
#include "http.h"
#include "util.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_EVENT_FILE (16u << 20)

/* ---- review ---- */

void forge_review_init(struct forge_review *rv)
{
	struct forge_review blank = FORGE_REVIEW_INIT;

	*rv = blank;
}

void forge_review_release(struct forge_review *rv)
{
	size_t i;

	for (i = 0; i < rv->comments_nr; i++) {
		struct forge_comment *fc = &rv->comments[i];

		free(fc->path);
		free(fc->old_path);
		free(fc->fingerprint);
		free(fc->title);
		free(fc->body);
	}
	free(rv->comments);
	for (i = 0; i < rv->live_nr; i++)
		free(rv->live[i]);
	free(rv->live);
	free(rv->summary);
	free(rv->status_state);
	free(rv->status_description);
	free(rv->head_sha);
	free(rv->base_sha);
	forge_review_init(rv);
}

/* Keep the hex digits of a fingerprint, lower-cased: it goes into an HTML
 * comment and is compared with what forge_find_fingerprint() reads back. */
static char *clean_fingerprint(const char *fp)
{
	struct strbuf sb = STRBUF_INIT;

	for (; fp && *fp; fp++)
		if (isxdigit((unsigned char)*fp))
			strbuf_addch(&sb, tolower((unsigned char)*fp));
	return strbuf_detach(&sb, NULL);
}

struct forge_comment *forge_review_add(struct forge_review *rv, const char *path,
				       const char *old_path, int line, int old_line,
				       const char *fingerprint, const char *title,
				       const char *body)
{
	struct forge_comment *fc;

	ALLOC_GROW(rv->comments, rv->comments_nr + 1, rv->comments_alloc);
	fc = &rv->comments[rv->comments_nr++];
	memset(fc, 0, sizeof(*fc));
	fc->path = xstrdup(path);
	fc->old_path = xstrdup_or_null(old_path);
	fc->line = line;
	fc->old_line = old_line;
	fc->fingerprint = clean_fingerprint(fingerprint);
	fc->title = xstrdup_or_null(title);
	fc->body = xstrdup(body ? body : "");
	fc->state = FORGE_PENDING;
	return fc;
}

void forge_review_add_live(struct forge_review *rv, const char *fingerprint)
{
	ALLOC_GROW(rv->live, rv->live_nr + 1, rv->live_alloc);
	rv->live[rv->live_nr++] = clean_fingerprint(fingerprint);
}

int forge_review_is_live(const struct forge_review *rv, const char *fingerprint)
{
	size_t i;

	for (i = 0; i < rv->live_nr; i++)
		if (!strcmp(rv->live[i], fingerprint))
			return 1;
	return 0;
}

/* ---- context ---- */

void forge_context_release(struct forge_context *ctx)
{
	struct forge_context blank = FORGE_CONTEXT_INIT;
	volatile char *p = ctx->token;

	while (p && *p)
		*p++ = '\0';
	free(ctx->token);
	free(ctx->api_url);
	free(ctx->repo_slug);
	free(ctx->base_sha);
	free(ctx->head_sha);
	*ctx = blank;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static long parse_number(const char *s)
{
	char *end;
	long n;

	if (!s)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || end == s || n <= 0)
		return -1;
	return n;
}

static int valid_api_url(const char *url)
{
	return starts_with(url, "https://") || starts_with(url, "http://");
}

static int valid_github_slug(const char *slug)
{
	const char *slash = strchr(slug, '/');
	const char *p;

	if (!slash || slash == slug || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (p = slug; *p; p++)
		if (p != slash && !isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return 0;
	return strcmp(slash + 1, ".") && strcmp(slash + 1, "..");
}

static const char *json_str(const cJSON *obj, const char *a, const char *b, const char *c)
{
	const cJSON *it = obj;

	if (a)
		it = cJSON_GetObjectItemCaseSensitive(it, a);
	if (b)
		it = cJSON_GetObjectItemCaseSensitive(it, b);
	if (c)
		it = cJSON_GetObjectItemCaseSensitive(it, c);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int github_event(struct forge_context *ctx, const char *path, long *number,
			const char **head, const char **base, cJSON **keep)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *ev = NULL;
	const cJSON *pr, *num;
	const char *head_repo, *base_repo;
	double d;
	long n;
	int ret = 0;

	n = strbuf_read_file(&sb, path, MAX_EVENT_FILE);
	if (n < 0) {
		ret = error_set(ER_EINPUT, "GitHub reporter: cannot read GITHUB_EVENT_PATH %s: %s",
				path, strerror(errno));
		goto out;
	}
	if ((size_t)n > MAX_EVENT_FILE) {
		ret = error_set(ER_EINPUT, "GitHub reporter: event file %s is larger than %u MiB",
				path, MAX_EVENT_FILE >> 20);
		goto out;
	}
	ev = cJSON_ParseWithLength(sb.buf, sb.len);
	if (!cJSON_IsObject(ev)) {
		ret = error_set(ER_EINPUT, "GitHub reporter: event file %s is not a JSON object",
				path);
		goto out;
	}
	pr = cJSON_GetObjectItemCaseSensitive(ev, "pull_request");
	if (!cJSON_IsObject(pr)) {
		/* workflow_run: the run's head; its pull request unless from a fork */
		const cJSON *run = cJSON_GetObjectItemCaseSensitive(ev, "workflow_run");

		*head = json_str(run, "head_sha", NULL, NULL);
		num = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
			cJSON_GetObjectItemCaseSensitive(run, "pull_requests"), 0), "number");
		if (forge_valid_id(&d, num))
			*number = (long)d;
		*keep = ev;
		ev = NULL;
		goto out; /* not a pull request event: the caller says what is missing */
	}
	num = cJSON_GetObjectItemCaseSensitive(pr, "number");
	if (forge_valid_id(&d, num))
		*number = (long)d;
	*head = json_str(pr, "head", "sha", NULL);
	*base = json_str(pr, "base", "sha", NULL);
	head_repo = json_str(pr, "head", "repo", "full_name");
	base_repo = json_str(pr, "base", "repo", "full_name");
	/* a deleted fork has head.repo null: read-only as well */
	if (!head_repo || !base_repo || strcasecmp(head_repo, base_repo)) {
		const char *name = env("GITHUB_EVENT_NAME");

		ctx->fork_readonly = !name || strcmp(name, "pull_request_target");
	}
	*keep = ev;
	ev = NULL;
out:
	cJSON_Delete(ev);
	strbuf_release(&sb);
	return ret;
}

static int context_github(struct forge_context *ctx, const struct forge_flags *fl)
{
	const char *event_path = env("GITHUB_EVENT_PATH");
	const char *head = NULL, *base = NULL, *v;
	long number = 0;
	cJSON *ev = NULL;
	int ret = 0;

	ctx->kind = FORGE_GITHUB;
	v = fl->api_url ? fl->api_url : env("GITHUB_API_URL");
	ctx->api_url = xstrdup(v ? v : "https://api.github.com");
	if (!valid_api_url(ctx->api_url)) {
		ret = error_set(ER_EUSAGE, "GitHub reporter: API URL '%s' is not an http(s) URL",
				ctx->api_url);
		goto out;
	}
	v = fl->repo_slug ? fl->repo_slug : env("GITHUB_REPOSITORY");
	if (!v) {
		ret = error_set(ER_EUSAGE, "GitHub reporter: no repository: set GITHUB_REPOSITORY "
				"or pass --repo-slug OWNER/REPO");
		goto out;
	}
	if (!valid_github_slug(v)) {
		ret = error_set(ER_EUSAGE, "GitHub reporter: repository '%s' is not OWNER/REPO", v);
		goto out;
	}
	ctx->repo_slug = xstrdup(v);
	if (event_path && (ret = github_event(ctx, event_path, &number, &head, &base, &ev)))
		goto out;
	if (fl->pr)
		number = fl->pr;
	if (number <= 0)
		number = fl->fallback_pr;
	if (number <= 0) {
		ret = error_set(ER_EUSAGE, "GitHub reporter: no pull request number: set "
				"GITHUB_EVENT_PATH to a pull_request event or pass --pr N");
		goto out;
	}
	ctx->number = number;
	ctx->head_sha = xstrdup_or_null(fl->head_sha ? fl->head_sha : head);
	ctx->base_sha = xstrdup_or_null(fl->base_sha ? fl->base_sha : base);
	ctx->token = xstrdup_or_null(env("GITHUB_TOKEN"));
	if (!ctx->token && !fl->dry_run && !ctx->fork_readonly) {
		ret = error_set(ER_EUSAGE, "GitHub reporter: no token: set GITHUB_TOKEN "
				"(in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})");
		goto out;
	}
out:
	cJSON_Delete(ev);
	return ret;
}

static int context_gitlab(struct forge_context *ctx, const struct forge_flags *fl)
{
	const char *v;
	long number;

	ctx->kind = FORGE_GITLAB;
	v = fl->api_url ? fl->api_url : env("CI_API_V4_URL");
	if (!v)
		return error_set(ER_EUSAGE, "GitLab reporter: no API URL: set CI_API_V4_URL "
				 "or pass --api-url https://HOST/api/v4");
	ctx->api_url = xstrdup(v);
	if (!valid_api_url(v))
		return error_set(ER_EUSAGE, "GitLab reporter: API URL '%s' is not an http(s) URL", v);
	v = fl->repo_slug ? fl->repo_slug : env("CI_PROJECT_ID");
	if (!v)
		return error_set(ER_EUSAGE, "GitLab reporter: no project: set CI_PROJECT_ID "
				 "or pass --repo-slug ID|GROUP/PROJECT");
	ctx->repo_slug = xstrdup(v);
	number = fl->pr;
	if (!number) {
		number = parse_number(env("CI_MERGE_REQUEST_IID"));
		if (number < 0)
			return error_set(ER_EUSAGE, "GitLab reporter: CI_MERGE_REQUEST_IID "
					 "is not a number");
	}
	if (number <= 0)
		number = fl->fallback_pr;
	if (number <= 0)
		return error_set(ER_EUSAGE, "GitLab reporter: no merge request iid: run in a "
				 "merge request pipeline (CI_MERGE_REQUEST_IID) or pass --pr N");
	ctx->number = number;
	v = fl->base_sha ? fl->base_sha : env("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	ctx->base_sha = xstrdup_or_null(v);
	v = fl->head_sha;
	if (!v)
		v = env("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA");
	if (!v)
		v = env("CI_COMMIT_SHA");
	ctx->head_sha = xstrdup_or_null(v);
	ctx->token = xstrdup_or_null(env("GITLAB_TOKEN"));
	if (!ctx->token && env("CI_JOB_TOKEN"))
		ctx->job_token_only = 1;
	else if (!ctx->token && !fl->dry_run)
		return error_set(ER_EUSAGE, "GitLab reporter: no token: set GITLAB_TOKEN to a "
				 "project or personal access token with the api scope");
	return 0;
}

int forge_context_from_env(struct forge_context *ctx, const char *reporter,
			   const struct forge_flags *flags)
{
	struct forge_flags none = FORGE_FLAGS_INIT;
	const char *v;
	int ret;

	forge_context_release(ctx);
	if (!flags)
		flags = &none;
	if (flags->pr < 0)
		return error_set(ER_EUSAGE, "--pr must be a positive number");
	if (!reporter || !strcmp(reporter, "auto")) {
		if ((v = env("GITHUB_ACTIONS")) && !strcmp(v, "true"))
			reporter = "github";
		else if ((v = env("GITLAB_CI")) && !strcmp(v, "true"))
			reporter = "gitlab";
		else
			return error_set(ER_EUSAGE, "reporter auto: neither GitHub Actions "
					 "(GITHUB_ACTIONS) nor GitLab CI (GITLAB_CI) detected: "
					 "pass --reporter github|gitlab");
	}
	if (!strcmp(reporter, "github"))
		ret = context_github(ctx, flags);
	else if (!strcmp(reporter, "gitlab"))
		ret = context_gitlab(ctx, flags);
	else
		return error_set(ER_EUSAGE, "unknown reporter '%s' (github, gitlab, auto)", reporter);
	if (ret)
		forge_context_release(ctx);
	return ret;
}

void forge_http_client_init(struct http_client *c, const struct forge_context *ctx)
{
	if (ctx->kind == FORGE_GITHUB)
		http_client_init(c, ctx->api_url, ctx->token, HTTP_AUTH_BEARER, "GITHUB_TOKEN");
	else
		http_client_init(c, ctx->api_url, ctx->token, HTTP_AUTH_PRIVATE_TOKEN,
				 "GITLAB_TOKEN");
}

/* ---- bodies ---- */

#define CUT_NOTE "\n\n*(truncated: this text was longer than the forge accepts)*"

/* Largest cut <= `max` that does not split a UTF-8 sequence of `s`. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	size_t cut = len < max ? len : max;

	while (cut > 0 && cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

void forge_cut_body(struct strbuf *sb, size_t max)
{
	size_t note = strlen(CUT_NOTE);

	if (sb->len <= max)
		return;
	if (max <= note) {
		strbuf_setlen(sb, utf8_cut(sb->buf, sb->len, max));
		return;
	}
	strbuf_setlen(sb, utf8_cut(sb->buf, sb->len, max - note));
	strbuf_addstr(sb, CUT_NOTE);
}

void forge_add_cut(struct strbuf *out, const char *s, size_t max)
{
	strbuf_add(out, s, utf8_cut(s, strlen(s), max));
}

void forge_inline_body(struct strbuf *out, const struct forge_comment *fc, size_t max)
{
	struct strbuf body = STRBUF_INIT, marker = STRBUF_INIT;

	strbuf_addf(&marker, "\n\n" FORGE_FP_MARKER_PREFIX "%s" FORGE_FP_MARKER_SUFFIX,
		    fc->fingerprint);
	strbuf_addstr(&body, fc->body);
	forge_cut_body(&body, max > marker.len ? max - marker.len : 0);
	strbuf_addbuf(out, &body);
	strbuf_addbuf(out, &marker);
	strbuf_release(&body);
	strbuf_release(&marker);
}

int forge_find_fingerprint(struct strbuf *out, const char *body)
{
	const char *p = body ? strstr(body, FORGE_FP_MARKER_PREFIX) : NULL;

	if (!p)
		return 0;
	p += strlen(FORGE_FP_MARKER_PREFIX);
	strbuf_reset(out);
	while (isxdigit((unsigned char)*p))
		strbuf_addch(out, tolower((unsigned char)*p++));
	return out->len > 0 && starts_with(p, FORGE_FP_MARKER_SUFFIX);
}

static int moved(const struct forge_comment *fc)
{
	return fc->state == FORGE_OVER_LIMIT || fc->state == FORGE_REFUSED;
}

/* `path:line` as a code span (a paragraph, list item or heading). */
static void add_location_code(struct strbuf *out, const struct forge_comment *fc)
{
	struct strbuf loc = STRBUF_INIT;

	strbuf_addf(&loc, "%s:%d", fc->path, fc->line);
	mustache_markdown_code(out, loc.buf, MUSTACHE_MD_TEXT);
	strbuf_release(&loc);
}

void forge_summary_body(struct strbuf *out, const struct forge_review *rv, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, nr = 0;

	strbuf_addstr(&sb, FORGE_SUMMARY_MARKER "\n");
	strbuf_addstr(&sb, rv->summary ? rv->summary : "");
	for (i = 0; i < rv->comments_nr; i++)
		nr += moved(&rv->comments[i]);
	if (nr) {
		strbuf_rtrim(&sb);
		strbuf_addf(&sb, "\n\n### Findings not posted inline (%zu)\n\n", nr);
		for (i = 0; i < rv->comments_nr; i++) {
			const struct forge_comment *fc = &rv->comments[i];

			if (!moved(fc))
				continue;
			strbuf_addstr(&sb, "- ");
			add_location_code(&sb, fc);
			if (fc->title && *fc->title) {
				strbuf_addstr(&sb, ": ");
				mustache_markdown_code(&sb, fc->title, MUSTACHE_MD_TEXT);
			}
			strbuf_addstr(&sb, fc->state == FORGE_REFUSED
					   ? " (the forge refused this line as outside the diff)\n"
					   : " (over the limit of inline comments per run)\n");
		}
		strbuf_addstr(&sb, "\n<details><summary>Details</summary>\n\n");
		for (i = 0; i < rv->comments_nr; i++) {
			const struct forge_comment *fc = &rv->comments[i];

			if (!moved(fc))
				continue;
			strbuf_addstr(&sb, "#### ");
			add_location_code(&sb, fc);
			strbuf_addf(&sb, "\n\n%s\n\n", fc->body);
		}
		strbuf_addstr(&sb, "</details>\n");
	}
	forge_cut_body(&sb, max);
	strbuf_addbuf(out, &sb);
	strbuf_release(&sb);
}

/* ---- shared writes ---- */

int forge_check_readonly(int *wrote, int ret, long status, const char *forge,
			 const char *target, const char *hint)
{
	struct strbuf msg = STRBUF_INIT;

	if (!ret) {
		*wrote = 1;
		return 0;
	}
	if (*wrote || status != 403)
		return ret;
	strbuf_addf(&msg, "%s reporter: the token cannot write to %s (%s); nothing was posted%s",
		    forge, target, error_last(), hint);
	error_set(ER_EPUBLISH, "%s", msg.buf);
	strbuf_release(&msg);
	return FORGE_READONLY;
}

int forge_post_summary(struct http_response *r, struct http_client *c,
		       const struct forge_review *rv, const struct forge_summary_api *api)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	cJSON *all = NULL, *req = http_json_object();
	const cJSON *it;
	double id = -1;
	int ret;

	ret = http_get_all(&all, c, api->list);
	if (ret)
		goto out;
	cJSON_ArrayForEach(it, all) {
		const char *b = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "body"));
		const cJSON *i = cJSON_GetObjectItemCaseSensitive(it, "id");

		if (b && starts_with(b, FORGE_SUMMARY_MARKER) && forge_valid_id(&id, i))
			break;
	}
	forge_summary_body(&body, rv, api->body_max);
	http_json_add_str(req, "body", body.buf);
	if (id >= 0) {
		strbuf_addf(&path, "%s/%.0f", api->update, id);
		ret = http_request(r, c, api->update_method, path.buf, req);
	} else {
		ret = http_request(r, c, "POST", api->create, req);
	}
out:
	cJSON_Delete(all);
	cJSON_Delete(req);
	strbuf_release(&path);
	strbuf_release(&body);
	return ret;
}

int forge_valid_id(double *out, const cJSON *id)
{
	double v;

	if (!cJSON_IsNumber(id))
		return 0;
	v = id->valuedouble;
	if (!(v >= 1 && v <= 9007199254740991.0) || v != (double)(long long)v)
		return 0;
	*out = v;
	return 1;
}

int forge_valid_sha(const char *s)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if (!strchr("0123456789abcdef", s[n]) || n == 64)
			return 0;
	return n == 40 || n == 64;
}

int forge_check_sha(const char *forge, const char *what, const char *sha)
{
	struct strbuf shown = STRBUF_INIT;
	int ret;

	if (forge_valid_sha(sha))
		return 0;
	strbuf_add_printable(&shown, sha ? sha : "", 64);
	ret = error_set(ER_EPUBLISH, "%s reporter: %s '%s' is not a full SHA (40 or 64 "
			"lower-case hex digits): nothing was posted; give --head and --base as full "
			"SHAs (git rev-parse REV)", forge, what, shown.buf);
	strbuf_release(&shown);
	return ret;
}

void forge_thread_note(struct strbuf *out, int fixed, const char *sha)
{
	strbuf_addf(out, "escape-review: %s in %s", fixed ? "fixed" : "reintroduced", sha);
}
