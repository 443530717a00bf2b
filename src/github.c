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

struct ours {                   /* an inline comment of ours (marker) */
	double id;
	char *fp;
	int matched;            /* same fingerprint, path and line as a comment
				 * of this review */
};

struct gh {
	const struct forge_context *ctx;
	struct forge_review *rv;
	struct http_client *c;
	const char *head;
	int wrote;              /* a write succeeded: 403 is no longer "read-only" */
	struct ours *ours;
	size_t ours_nr, ours_alloc;
};

/* A write refused with 403 before anything was written: the token is
 * read-only (fork, missing permissions). */
static int check_readonly(struct gh *g, int ret, const struct http_response *r)
{
	struct strbuf target = STRBUF_INIT;

	strbuf_addf(&target, "pull request #%ld", g->ctx->number);
	ret = forge_check_readonly(&g->wrote, ret, r->status, "GitHub", target.buf,
				   ": use --format github-actions for annotations");
	strbuf_release(&target);
	return ret;
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

		double id;
		struct ours *o;

		/* the id goes into a reply's path: a comment without a valid
		 * one is not taken for ours */
		if (!cJSON_IsString(body) || !cJSON_IsString(p) ||
		    !forge_valid_id(&id, cJSON_GetObjectItemCaseSensitive(it, "id")) ||
		    !forge_find_fingerprint(&fp, body->valuestring))
			continue;
		ALLOC_GROW(g->ours, g->ours_nr + 1, g->ours_alloc);
		o = &g->ours[g->ours_nr++];
		o->id = id;
		o->fp = xstrdup(fp.buf);
		o->matched = 0;
		for (i = 0; cJSON_IsNumber(line) && i < g->rv->comments_nr; i++) {
			struct forge_comment *fc = &g->rv->comments[i];

			if (fc->line == line->valuedouble && !strcmp(fc->path, p->valuestring) &&
			    !strcmp(fc->fingerprint, fp.buf)) {
				fc->state = FORGE_EXISTING;
				o->matched = 1;
			}
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

/* ---- threads of fixed findings (GraphQL: REST cannot resolve) ---- */

#define THREADS_QUERY \
	"query($owner: String!, $name: String!, $number: Int!, $after: String) { " \
	"repository(owner: $owner, name: $name) { pullRequest(number: $number) { " \
	"reviewThreads(first: 100, after: $after) { pageInfo { hasNextPage endCursor } " \
	"nodes { id isResolved comments(first: 1) { nodes { databaseId } } } } } } }"
#define THREAD_MUTATION(name) \
	"mutation($threadId: ID!) { " name "(input: {threadId: $threadId}) { " \
	"thread { id isResolved } } }"

/* https://api.github.com/graphql; GitHub Enterprise: https://HOST/api/graphql
 * beside https://HOST/api/v3. */
static void graphql_url(struct strbuf *out, const char *api)
{
	size_t n = strlen(api);

	if (n >= 7 && !strcmp(api + n - 7, "/api/v3")) {
		strbuf_add(out, api, n - 7);
		strbuf_addstr(out, "/api/graphql");
	} else {
		strbuf_addstr(out, api);
		strbuf_addstr(out, "/graphql");
	}
}

/* POST one GraphQL request (takes `vars`); errors come back with 200. */
static int graphql(struct gh *g, struct http_response *r, const char *query, cJSON *vars,
		   const char *what)
{
	struct strbuf url = STRBUF_INIT;
	cJSON *req = http_json_object();
	const cJSON *errs;
	int ret;

	http_json_add_str(req, "query", query);
	cJSON_AddItemToObject(req, "variables", vars);
	graphql_url(&url, g->c->base_url);
	ret = check_readonly(g, http_request(r, g->c, "POST", url.buf, req), r);
	errs = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
	if (!ret && cJSON_GetArraySize(errs) > 0) {
		const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(errs, 0), "message"));

		ret = error_set(ER_EPUBLISH, "GraphQL %s failed: %s", what,
				msg ? msg : "(no message)");
	}
	cJSON_Delete(req);
	strbuf_release(&url);
	return ret;
}

/* Every review thread of the pull request, all pages, into *out. */
static int list_threads(struct gh *g, cJSON **out)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	const char *slash = strchr(g->ctx->repo_slug, '/');
	char *owner = xstrndup(g->ctx->repo_slug, (size_t)(slash - g->ctx->repo_slug));
	char *after = NULL;
	int ret = 0, page;

	*out = cJSON_CreateArray();
	if (!*out)
		die("out of memory");
	for (page = 0; !ret && page < HTTP_MAX_PAGES; page++) {
		cJSON *vars = http_json_object(), *nodes, *it;
		const cJSON *threads, *info;

		http_json_add_str(vars, "owner", owner);
		http_json_add_str(vars, "name", slash + 1);
		http_json_add_num(vars, "number", (double)g->ctx->number);
		if (after)
			http_json_add_str(vars, "after", after);
		else if (!cJSON_AddNullToObject(vars, "after"))
			die("out of memory");
		if ((ret = graphql(g, &r, THREADS_QUERY, vars, "reviewThreads")))
			break;
		threads = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
				r.json, "data"), "repository"), "pullRequest"), "reviewThreads");
		nodes = cJSON_GetObjectItemCaseSensitive(threads, "nodes");
		while (cJSON_IsArray(nodes) && (it = nodes->child))
			cJSON_AddItemToArray(*out, cJSON_DetachItemViaPointer(nodes, it));
		info = cJSON_GetObjectItemCaseSensitive(threads, "pageInfo");
		free(after);
		after = xstrdup_or_null(cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(info, "endCursor")));
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(info, "hasNextPage")) || !after)
			break;
	}
	free(after);
	free(owner);
	http_response_release(&r);
	if (ret) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return ret;
}

/* Reply to our comment `o` with the note, and resolve or reopen its thread. */
static int mark_thread(struct gh *g, const struct ours *o, const char *thread, int fixed)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT, note = STRBUF_INIT;
	cJSON *req = http_json_object(), *vars = http_json_object();
	int ret;

	forge_thread_note(&note, fixed, g->head);
	http_json_add_str(req, "body", note.buf);
	http_json_add_str(vars, "threadId", thread);
	strbuf_addf(&path, "/repos/%s/pulls/%ld/comments/%.0f/replies", g->ctx->repo_slug,
		    g->ctx->number, o->id);
	ret = check_readonly(g, http_request(&r, g->c, "POST", path.buf, req), &r);
	if (!ret && fixed)
		ret = graphql(g, &r, THREAD_MUTATION("resolveReviewThread"), vars,
			      "resolveReviewThread");
	else if (!ret)
		ret = graphql(g, &r, THREAD_MUTATION("unresolveReviewThread"), vars,
			      "unresolveReviewThread");
	else
		cJSON_Delete(vars);
	if (!ret)
		fixed ? g->rv->resolved_nr++ : g->rv->reopened_nr++;
	cJSON_Delete(req);
	strbuf_release(&path);
	strbuf_release(&note);
	http_response_release(&r);
	return ret;
}

/*
 * Threads started by a comment of ours: resolved when its finding is no
 * longer reported, reopened when it is back on the same line.  Threads
 * started by anyone else are never touched.
 */
static int resolve_threads(struct gh *g)
{
	cJSON *threads = NULL;
	const cJSON *t;
	size_t i;
	int ret;

	if (!g->rv->resolve_fixed || !g->ours_nr)
		return 0;
	if ((ret = list_threads(g, &threads)))
		return ret;
	cJSON_ArrayForEach(t, threads) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "id"));
		int resolved = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "isResolved"));
		const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(t, "comments"), "nodes"), 0);
		const cJSON *dbid = cJSON_GetObjectItemCaseSensitive(first, "databaseId");

		for (i = 0; id && cJSON_IsNumber(dbid) && !ret && i < g->ours_nr; i++) {
			const struct ours *o = &g->ours[i];

			if (o->id != dbid->valuedouble)
				continue;
			if (!resolved && !forge_review_is_live(g->rv, o->fp))
				ret = mark_thread(g, o, id, 1);
			else if (resolved && o->matched)
				ret = mark_thread(g, o, id, 0);
		}
		if (ret)
			break;
	}
	cJSON_Delete(threads);
	return ret;
}

static int post_summary(struct gh *g)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf list = STRBUF_INIT, create = STRBUF_INIT, update = STRBUF_INIT;
	struct forge_summary_api api = { NULL, NULL, NULL, "PATCH", FORGE_GITHUB_BODY_MAX };
	int ret;

	strbuf_addf(&create, "/repos/%s/issues/%ld/comments", g->ctx->repo_slug, g->ctx->number);
	strbuf_addf(&list, "%s?per_page=100", create.buf);
	strbuf_addf(&update, "/repos/%s/issues/comments", g->ctx->repo_slug);
	api.list = list.buf;
	api.create = create.buf;
	api.update = update.buf;
	/* a failed listing leaves r.status 0: returned as it is */
	ret = check_readonly(g, forge_post_summary(&r, g->c, g->rv, &api), &r);
	strbuf_release(&list);
	strbuf_release(&create);
	strbuf_release(&update);
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

int github_publish(const struct forge_context *ctx, struct forge_review *rv,
		   struct http_client *c)
{
	struct gh g = { ctx, rv, c, NULL, 0, NULL, 0, 0 };
	char *head = NULL;
	int ret;

	if (ctx->fork_readonly)
		return error_set(FORGE_READONLY, "GitHub reporter: pull request #%ld comes from a "
				 "fork, so its token is read-only: nothing was posted; use "
				 "--format github-actions for annotations", ctx->number);
	ret = head_sha(&g, &head);
	if (ret)
		goto out;
	if (!c->dry_run && (ret = forge_check_sha("GitHub", "the head commit", head)))
		goto out;
	g.head = head;
	ret = post_inline(&g);
	if (!ret)
		ret = resolve_threads(&g);
	if (!ret)
		ret = post_summary(&g);
	if (!ret)
		ret = post_status(&g);
out:
	while (g.ours_nr)
		free(g.ours[--g.ours_nr].fp);
	free(g.ours);
	free(head);
	return ret;
}
