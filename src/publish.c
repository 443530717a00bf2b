/*
 * publish.c: a review turned into what the forges are sent (rendered once),
 * written into the JSON document for a later, trusted publishing job, and
 * read back from it with every field checked, for `escape-review publish`.
 */
#include "publish.h"
#include "errors.h"
#include "finding.h"
#include "forge.h"
#include "github.h"
#include "gitlab.h"
#include "http.h"
#include "render.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- building ---- */

int publish_build(struct forge_review *out, const struct review *rv, const char *dir,
		  int failing)
{
	struct strbuf sb = STRBUF_INIT, title = STRBUF_INIT;
	size_t i;
	int ret;

	forge_review_release(out);
	if ((ret = report_render(&sb, rv, "summary.md", dir)))
		goto out;
	out->summary = strbuf_detach(&sb, NULL);
	if ((ret = report_render(&sb, rv, "status.txt", dir)))
		goto out;
	strbuf_trim(&sb);
	out->status_description = strbuf_detach(&sb, NULL);
	out->status_state = xstrdup(failing ? "failure" : "success");
	out->head_sha = xstrdup_or_null(rv->head[0] ? rv->head : NULL);
	out->base_sha = xstrdup_or_null(rv->base[0] ? rv->base : NULL);
	out->resolve_fixed = 1;
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		if (f->status != STATUS_NEW)
			continue;
		forge_review_add_live(out, f->fingerprint);
		/* inline only where the pull request shows the line: added or context */
		if (!(f->added_line || f->in_hunk))
			continue;
		strbuf_reset(&sb);
		if ((ret = report_render_finding(&sb, rv, f, dir)))
			goto out;
		strbuf_reset(&title);
		strbuf_addf(&title, "%s %s", f->rule ? f->rule : "", f->message);
		forge_review_add(out, f->file, f->old_path, f->line, f->added_line ? 0 : f->old_line,
				 f->fingerprint, title.buf, sb.buf);
	}
out:
	strbuf_release(&sb);
	strbuf_release(&title);
	return ret;
}

static void add_str_or_null(cJSON *o, const char *name, const char *v)
{
	if (v)
		http_json_add_str(o, name, v);
	else if (!cJSON_AddNullToObject(o, name))
		die("out of memory");
}

static void add_num_or_null(cJSON *o, const char *name, double v)
{
	if (v > 0)
		http_json_add_num(o, name, v);
	else if (!cJSON_AddNullToObject(o, name))
		die("out of memory");
}

cJSON *publish_json(const struct forge_review *fr, long number)
{
	cJSON *o = http_json_object(), *st = http_json_object(), *arr, *live;
	size_t i;

	http_json_add_num(o, "version", PUBLISH_VERSION);
	add_num_or_null(o, "number", (double)number);
	add_str_or_null(o, "base", fr->base_sha);
	add_str_or_null(o, "head", fr->head_sha);
	add_str_or_null(o, "summary", fr->summary);
	add_str_or_null(st, "state", fr->status_state);
	add_str_or_null(st, "description", fr->status_description);
	cJSON_AddItemToObject(o, "status", st);
	if (!(arr = cJSON_AddArrayToObject(o, "comments")) ||
	    !(live = cJSON_AddArrayToObject(o, "live")))
		die("out of memory");
	for (i = 0; i < fr->comments_nr; i++) {
		const struct forge_comment *fc = &fr->comments[i];
		cJSON *c = http_json_object();

		http_json_add_str(c, "path", fc->path);
		add_str_or_null(c, "old_path", fc->old_path);
		http_json_add_num(c, "line", fc->line);
		http_json_add_str(c, "side", "RIGHT");
		add_num_or_null(c, "old_line", fc->old_line);
		http_json_add_str(c, "fingerprint", fc->fingerprint);
		add_str_or_null(c, "title", fc->title);
		http_json_add_str(c, "body", fc->body);
		cJSON_AddItemToArray(arr, c);
	}
	for (i = 0; i < fr->live_nr; i++) {
		cJSON *s = cJSON_CreateString(fr->live[i]);

		if (!s)
			die("out of memory");
		cJSON_AddItemToArray(live, s);
	}
	return o;
}

/* ---- reading untrusted data ---- */

static int refuse(const char *path, const char *what)
{
	return error_set(ER_EINPUT, "publish: %s: %s; it comes from an untrusted job, so "
			 "nothing was sent (write it with `escape-review review --format json "
			 "--reporter R --no-publish` of this version)", path, what);
}

static int is_hex(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!strchr("0123456789abcdef", s[n]))
			return 0;
	return n >= min && n <= max;
}

/* Relative, inside the repository: no "..", ".", empty, absolute component,
 * no backslash or control character. */
static int valid_repo_path(const char *p)
{
	const char *seg = p;

	if (!*p || strlen(p) > PUBLISH_MAX_PATH)
		return 0;
	for (;; p++) {
		if (*p == '/' || !*p) {
			size_t n = (size_t)(p - seg);

			if (!n || (n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2)))
				return 0;
			if (!*p)
				return 1;
			seg = p + 1;
		} else if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\') {
			return 0;
		}
	}
}

static int has_marker(const char *s)
{
	return strstr(s, "<!-- escape-review:") != NULL;
}

/* A string field: NULL when absent or null (when allowed), else checked. */
static int get_text(const char **out, const cJSON *o, const char *name, size_t max,
		    int nullable, const char *path)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
	struct strbuf what = STRBUF_INIT;
	int ret = 0;

	*out = NULL;
	if ((!it || cJSON_IsNull(it)) && nullable)
		return 0;
	if (!cJSON_IsString(it))
		strbuf_addf(&what, "\"%s\" is not a string", name);
	else if (strlen(it->valuestring) > max)
		strbuf_addf(&what, "\"%s\" is larger than %zu bytes", name, max);
	else if (has_marker(it->valuestring))
		strbuf_addf(&what, "\"%s\" carries an escape-review marker", name);
	else
		*out = it->valuestring;
	if (what.len)
		ret = refuse(path, what.buf);
	strbuf_release(&what);
	return ret;
}

static int get_line(int *out, const cJSON *o, const char *name, int nullable)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = 0;
	if ((!it || cJSON_IsNull(it)) && nullable)
		return 0;
	if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > PUBLISH_MAX_LINE ||
	    it->valuedouble != (double)(int)it->valuedouble)
		return -1;
	*out = (int)it->valuedouble;
	return 0;
}

static int read_comment(struct forge_review *out, const cJSON *c, size_t i, const char *path)
{
	const char *p, *old_path, *fp, *title, *body, *side;
	struct strbuf what = STRBUF_INIT;
	int line, old_line, ret;

	strbuf_addf(&what, "comments[%zu]", i);
	if (!cJSON_IsObject(c))
		strbuf_addstr(&what, " is not an object");
	else if ((ret = get_text(&p, c, "path", PUBLISH_MAX_PATH, 0, path)) ||
		 (ret = get_text(&old_path, c, "old_path", PUBLISH_MAX_PATH, 1, path)) ||
		 (ret = get_text(&fp, c, "fingerprint", 64, 0, path)) ||
		 (ret = get_text(&title, c, "title", PUBLISH_MAX_TITLE, 1, path)) ||
		 (ret = get_text(&body, c, "body", PUBLISH_MAX_BODY, 0, path)) ||
		 (ret = get_text(&side, c, "side", 8, 0, path)))
		goto out;
	else if (!valid_repo_path(p) || (old_path && !valid_repo_path(old_path)))
		strbuf_addstr(&what, ": a path is not a relative path inside the repository "
			      "(empty, absolute, '..', '.', backslash or control character)");
	else if (get_line(&line, c, "line", 0) || get_line(&old_line, c, "old_line", 1))
		strbuf_addf(&what, ": a line is not a number from 1 to %d", PUBLISH_MAX_LINE);
	else if (strcmp(side, "RIGHT"))
		strbuf_addstr(&what, ": side is not \"RIGHT\"");
	else if (!is_hex(fp, 1, 64))
		strbuf_addstr(&what, ": the fingerprint is not hexadecimal");
	else {
		forge_review_add(out, p, old_path, line, old_line, fp, title, body);
		strbuf_reset(&what);
	}
	ret = what.len ? refuse(path, what.buf) : 0;
out:
	strbuf_release(&what);
	return ret;
}

/* The "publish" object: version, number, SHAs, status, summary. */
static int read_head(struct forge_review *out, long *number, const cJSON *pub,
		     const char *path)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(pub, "version");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(pub, "number");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(pub, "status");
	const char *head, *base, *summary, *state, *desc;
	int ret;

	if (!cJSON_IsNumber(v) || v->valuedouble != PUBLISH_VERSION)
		return refuse(path, "\"publish\".\"version\" is not 1");
	if (n && !cJSON_IsNull(n) && (!cJSON_IsNumber(n) || n->valuedouble < 1 ||
				      n->valuedouble > 1e12 ||
				      n->valuedouble != (double)(long)n->valuedouble))
		return refuse(path, "\"number\" is not a pull or merge request number");
	*number = cJSON_IsNumber(n) ? (long)n->valuedouble : 0;
	if ((ret = get_text(&head, pub, "head", 64, 0, path)) ||
	    (ret = get_text(&base, pub, "base", 64, 1, path)) ||
	    (ret = get_text(&summary, pub, "summary", PUBLISH_MAX_BODY, 0, path)) ||
	    (ret = get_text(&state, st, "state", 16, 0, path)) ||
	    (ret = get_text(&desc, st, "description", 1024, 1, path)))
		return ret;
	if (!forge_valid_sha(head) || (base && !forge_valid_sha(base)))
		return refuse(path, "\"head\" or \"base\" is not a commit SHA (40 or 64 "
			      "lower-case hex digits)");
	if (strcmp(state, "success") && strcmp(state, "failure"))
		return refuse(path, "\"status\".\"state\" is neither \"success\" nor \"failure\"");
	out->head_sha = xstrdup(head);
	out->base_sha = xstrdup_or_null(base);
	out->summary = xstrdup(summary);
	out->status_state = xstrdup(state);
	out->status_description = xstrdup(desc ? desc : "");
	return 0;
}

static int read_publish(struct forge_review *out, long *number, const cJSON *doc,
			const char *path)
{
	const cJSON *pub = cJSON_GetObjectItemCaseSensitive(doc, "publish");
	const cJSON *comments, *live, *it;
	size_t i = 0;
	int ret;

	if (!cJSON_IsObject(pub))
		return refuse(path, "no \"publish\" object");
	if ((ret = read_head(out, number, pub, path)))
		return ret;
	comments = cJSON_GetObjectItemCaseSensitive(pub, "comments");
	live = cJSON_GetObjectItemCaseSensitive(pub, "live");
	if (!cJSON_IsArray(comments) || !cJSON_IsArray(live))
		return refuse(path, "\"comments\" or \"live\" is not a list");
	if ((size_t)cJSON_GetArraySize(comments) > PUBLISH_MAX_COMMENTS ||
	    (size_t)cJSON_GetArraySize(live) > PUBLISH_MAX_LIVE)
		return refuse(path, "more comments or live fingerprints than a review has");
	cJSON_ArrayForEach(it, comments)
		if ((ret = read_comment(out, it, i++, path)))
			return ret;
	out->resolve_fixed = 1;
	cJSON_ArrayForEach(it, live) {
		if (!cJSON_IsString(it) || !is_hex(it->valuestring, 1, 64))
			return refuse(path, "a \"live\" fingerprint is not hexadecimal");
		forge_review_add_live(out, it->valuestring);
	}
	return 0;
}

int publish_read(struct forge_review *out, long *number, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *doc = NULL;
	long n;
	int ret;

	forge_review_release(out);
	*number = 0;
	n = strbuf_read_file(&sb, path, PUBLISH_MAX_FILE);
	if (n < 0)
		ret = error_set(ER_EINPUT, "publish: cannot read %s: %s", path, strerror(errno));
	else if ((size_t)n > PUBLISH_MAX_FILE)
		ret = refuse(path, "larger than 256 MiB");
	else if (!cJSON_IsObject(doc = cJSON_ParseWithLength(sb.buf, sb.len)))
		ret = refuse(path, "not a JSON object");
	else
		ret = read_publish(out, number, doc, path);
	if (ret)
		forge_review_release(out);
	cJSON_Delete(doc);
	strbuf_release(&sb);
	return ret;
}

int publish_check_context(const struct forge_review *fr, long number,
			  const struct forge_context *ctx)
{
	if (ctx->head_sha && strcmp(ctx->head_sha, fr->head_sha))
		return error_set(ER_EINPUT, "publish: the file reviews head %s, but the pull "
				 "request's head is %s: nothing was sent", fr->head_sha,
				 ctx->head_sha);
	if (ctx->base_sha && fr->base_sha && strcmp(ctx->base_sha, fr->base_sha))
		return error_set(ER_EINPUT, "publish: the file reviews base %s, but the pull "
				 "request's base is %s: nothing was sent", fr->base_sha,
				 ctx->base_sha);
	if (number && ctx->number != number)
		return error_set(ER_EINPUT, "publish: the file is for #%ld, but the pull request "
				 "is #%ld: nothing was sent", number, ctx->number);
	return 0;
}

/* ---- sending ---- */

int publish_send(const struct forge_context *ctx, struct forge_review *fr, int verbose,
		 int dry_run)
{
	struct http_client c;
	int ret;

	forge_http_client_init(&c, ctx);
	c.verbose = verbose;
	c.dry_run = dry_run;
	ret = ctx->kind == FORGE_GITHUB ? github_publish(ctx, fr, &c) : gitlab_publish(ctx, fr, &c);
	http_client_release(&c);
	return ret;
}

int publish_file(const char *path, const char *reporter, struct forge_flags *ff, int verbose)
{
	struct forge_context ctx = FORGE_CONTEXT_INIT;
	struct forge_review fr = FORGE_REVIEW_INIT;
	int ret;
	long number;

	if ((ret = publish_read(&fr, &number, path)))
		goto out;
	ff->fallback_pr = number;
	if ((ret = forge_context_from_env(&ctx, reporter, ff)) ||
	    (ret = publish_check_context(&fr, number, &ctx)))
		goto out;
	ret = publish_send(&ctx, &fr, verbose, ff->dry_run);
out:
	forge_review_release(&fr);
	forge_context_release(&ctx);
	return ret;
}
