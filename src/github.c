/*
 * github.c: the GitHub publisher: deduplicated inline comments in one
 * review (bisected on 422), a sticky summary issue comment and a commit
 * status, through http.h.
 */
#include "github.h"
#include "errors.h"
#include "forge.h"
#include "http.h"
#include "util.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_DESCRIPTION_MAX 140

struct gh {
	const struct forge_context *ctx;
	struct forge_review *rv;
	struct http_client *c;
	const char *head;
	int wrote;              /* a write succeeded: 403 is no longer "read-only" */
};

/*
 * A write refused with 403 before anything was written: the token is
 * read-only (fork, missing permissions).  Turn it into FORGE_READONLY.
 */
static int check_readonly(struct gh *g, int ret, const struct http_response *r)
{
	struct strbuf msg = STRBUF_INIT;

	if (!ret) {
		g->wrote = 1;
		return 0;
	}
	if (g->wrote || r->status != 403)
		return ret;
	strbuf_addf(&msg, "GitHub reporter: the token cannot write to pull request #%ld "
		    "(%s); nothing was posted: use --format github-actions for annotations",
		    g->ctx->number, error_last());
	error_set(ER_EPUBLISH, "%s", msg.buf);
	strbuf_release(&msg);
	return FORGE_READONLY;
}

static int head_sha(struct gh *g, char **out)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT;
	const cJSON *head, *sha;
	int ret = 0;

	*out = NULL;
	if (g->ctx->head_sha || g->rv->head_sha) {
		*out = xstrdup(g->ctx->head_sha ? g->ctx->head_sha : g->rv->head_sha);
		return 0;
	}
	strbuf_addf(&path, "/repos/%s/pulls/%ld", g->ctx->repo_slug, g->ctx->number);
	ret = http_request(&r, g->c, "GET", path.buf, NULL);
	if (ret)
		goto out;
	head = cJSON_GetObjectItemCaseSensitive(r.json, "head");
	sha = cJSON_GetObjectItemCaseSensitive(head, "sha");
	if (cJSON_IsString(sha))
		*out = xstrdup(sha->valuestring);
	else if (g->c->dry_run)
		*out = xstrdup("HEAD_SHA");
	else
		ret = error_set(ER_EPUBLISH, "GET %s: the answer has no head.sha", path.buf);
out:
	strbuf_release(&path);
	http_response_release(&r);
	return ret;
}

/* Mark comments whose marker is already on the same path and line. */
static int mark_existing(struct gh *g)
{
	struct strbuf path = STRBUF_INIT, fp = STRBUF_INIT;
	cJSON *all = NULL;
	const cJSON *it;
	size_t i;
	int ret;

	strbuf_addf(&path, "/repos/%s/pulls/%ld/comments?per_page=100", g->ctx->repo_slug,
		    g->ctx->number);
	ret = http_get_all(&all, g->c, path.buf);
	if (ret)
		goto out;
	cJSON_ArrayForEach(it, all) {
		const cJSON *body = cJSON_GetObjectItemCaseSensitive(it, "body");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");
		const cJSON *line = cJSON_GetObjectItemCaseSensitive(it, "line");

		if (!cJSON_IsString(body) || !cJSON_IsString(p) || !cJSON_IsNumber(line) ||
		    !forge_find_fingerprint(&fp, body->valuestring))
			continue;
		for (i = 0; i < g->rv->comments_nr; i++) {
			struct forge_comment *fc = &g->rv->comments[i];

			if (fc->line == line->valueint && !strcmp(fc->path, p->valuestring) &&
			    !strcmp(fc->fingerprint, fp.buf))
				fc->state = FORGE_EXISTING;
		}
	}
out:
	cJSON_Delete(all);
	strbuf_release(&path);
	strbuf_release(&fp);
	return ret;
}

/* Post `items` as one review; on 422 bisect until refused ones are alone. */
static int post_batch(struct gh *g, const char *path, struct forge_comment **items, size_t nr)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf text = STRBUF_INIT;
	cJSON *req = http_json_object(), *arr, *one;
	size_t i;
	int ret;

	http_json_add_str(req, "commit_id", g->head);
	strbuf_addf(&text, "escape-review: %zu finding%s on lines of this change.", nr,
		    nr == 1 ? "" : "s");
	http_json_add_str(req, "body", text.buf);
	http_json_add_str(req, "event", "COMMENT");
	if (!(arr = cJSON_AddArrayToObject(req, "comments")))
		die("out of memory");
	for (i = 0; i < nr; i++) {
		one = http_json_object();
		http_json_add_str(one, "path", items[i]->path);
		http_json_add_num(one, "line", items[i]->line);
		http_json_add_str(one, "side", "RIGHT");
		strbuf_reset(&text);
		forge_inline_body(&text, items[i], FORGE_GITHUB_BODY_MAX);
		http_json_add_str(one, "body", text.buf);
		cJSON_AddItemToArray(arr, one);
	}
	ret = http_request(&r, g->c, "POST", path, req);
	if (!ret) {
		g->wrote = 1;
		for (i = 0; i < nr; i++)
			items[i]->state = FORGE_POSTED;
	} else if (r.status == 422) {
		error_clear();
		if (nr == 1) {
			items[0]->state = FORGE_REFUSED;
			ret = 0;
		} else {
			ret = post_batch(g, path, items, nr / 2);
			if (!ret)
				ret = post_batch(g, path, items + nr / 2, nr - nr / 2);
		}
	} else {
		ret = check_readonly(g, ret, &r);
	}
	cJSON_Delete(req);
	strbuf_release(&text);
	http_response_release(&r);
	return ret;
}

static int post_inline(struct gh *g)
{
	struct forge_comment **batch;
	struct strbuf path = STRBUF_INIT;
	size_t i, nr = 0;
	int ret;

	ret = mark_existing(g);
	if (ret)
		return ret;
	batch = xcalloc(g->rv->comments_nr + 1, sizeof(*batch));
	for (i = 0; i < g->rv->comments_nr; i++) {
		struct forge_comment *fc = &g->rv->comments[i];

		if (fc->state != FORGE_PENDING)
			continue;
		if (nr >= FORGE_MAX_INLINE)
			fc->state = FORGE_OVER_LIMIT;
		else
			batch[nr++] = fc;
	}
	strbuf_addf(&path, "/repos/%s/pulls/%ld/reviews", g->ctx->repo_slug, g->ctx->number);
	if (nr)
		ret = post_batch(g, path.buf, batch, nr);
	free(batch);
	strbuf_release(&path);
	return ret;
}

static int post_summary(struct gh *g)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	cJSON *all = NULL, *req = http_json_object();
	const cJSON *it;
	double id = -1;
	int ret;

	strbuf_addf(&path, "/repos/%s/issues/%ld/comments?per_page=100", g->ctx->repo_slug,
		    g->ctx->number);
	ret = http_get_all(&all, g->c, path.buf);
	if (ret)
		goto out;
	cJSON_ArrayForEach(it, all) {
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(it, "body");
		const cJSON *i = cJSON_GetObjectItemCaseSensitive(it, "id");

		if (cJSON_IsString(b) && cJSON_IsNumber(i) &&
		    starts_with(b->valuestring, FORGE_SUMMARY_MARKER)) {
			id = i->valuedouble;
			break;
		}
	}
	forge_summary_body(&body, g->rv, FORGE_GITHUB_BODY_MAX);
	http_json_add_str(req, "body", body.buf);
	strbuf_reset(&path);
	if (id >= 0) {
		strbuf_addf(&path, "/repos/%s/issues/comments/%.0f", g->ctx->repo_slug, id);
		ret = http_request(&r, g->c, "PATCH", path.buf, req);
	} else {
		strbuf_addf(&path, "/repos/%s/issues/%ld/comments", g->ctx->repo_slug,
			    g->ctx->number);
		ret = http_request(&r, g->c, "POST", path.buf, req);
	}
	ret = check_readonly(g, ret, &r);
out:
	cJSON_Delete(all);
	cJSON_Delete(req);
	strbuf_release(&path);
	strbuf_release(&body);
	http_response_release(&r);
	return ret;
}

static int post_status(struct gh *g)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT, desc = STRBUF_INIT;
	cJSON *req;
	int ret;

	if (!g->rv->status_state)
		return 0;
	req = http_json_object();
	http_json_add_str(req, "state", g->rv->status_state);
	forge_add_cut(&desc, g->rv->status_description ? g->rv->status_description : "",
		      STATUS_DESCRIPTION_MAX);
	http_json_add_str(req, "description", desc.buf);
	http_json_add_str(req, "context", "escape-review");
	strbuf_addf(&path, "/repos/%s/statuses/%s", g->ctx->repo_slug, g->head);
	ret = check_readonly(g, http_request(&r, g->c, "POST", path.buf, req), &r);
	cJSON_Delete(req);
	strbuf_release(&path);
	strbuf_release(&desc);
	http_response_release(&r);
	return ret;
}

static int valid_sha(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!strchr("0123456789abcdefABCDEF", s[n]))
			return 0;
	return n >= 7;
}

int github_publish(const struct forge_context *ctx, struct forge_review *rv,
		   struct http_client *c)
{
	struct gh g = { ctx, rv, c, NULL, 0 };
	char *head = NULL;
	int ret;

	if (ctx->fork_readonly)
		return error_set(FORGE_READONLY, "GitHub reporter: pull request #%ld comes from a "
				 "fork, so its token is read-only: nothing was posted; use "
				 "--format github-actions for annotations", ctx->number);
	ret = head_sha(&g, &head);
	if (ret)
		goto out;
	if (!c->dry_run && !valid_sha(head)) {
		ret = error_set(ER_EPUBLISH, "GitHub reporter: head commit '%s' is not a SHA",
				head);
		goto out;
	}
	g.head = head;
	ret = post_inline(&g);
	if (!ret)
		ret = post_summary(&g);
	if (!ret)
		ret = post_status(&g);
out:
	free(head);
	return ret;
}
