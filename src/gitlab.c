/*
 * gitlab.c: the GitLab publisher: deduplicated diff discussions (one per
 * finding, a refused position moves to the summary), a sticky summary note
 * and a commit status, through http.h.
 */
#include "gitlab.h"
#include "errors.h"
#include "forge.h"
#include "http.h"
#include "util.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_DESCRIPTION_MAX 140

struct gl {
	const struct forge_context *ctx;
	struct forge_review *rv;
	struct http_client *c;
	struct strbuf mr;       /* "/projects/ID/merge_requests/IID" */
	struct strbuf project;  /* "/projects/ID" */
	char *base, *start, *head;
	int wrote;
};

static int check_readonly(struct gl *g, int ret, const struct http_response *r)
{
	struct strbuf msg = STRBUF_INIT;

	if (!ret) {
		g->wrote = 1;
		return 0;
	}
	if (g->wrote || r->status != 403)
		return ret;
	strbuf_addf(&msg, "GitLab reporter: the token cannot write to merge request !%ld "
		    "(%s); nothing was posted", g->ctx->number, error_last());
	error_set(ER_EPUBLISH, "%s", msg.buf);
	strbuf_release(&msg);
	return FORGE_READONLY;
}

static const char *first_of(const char *a, const char *b, const char *c)
{
	return a ? a : b ? b : c;
}

static int diff_refs(struct gl *g)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	const cJSON *refs;
	const char *base, *start, *head;
	int ret;

	ret = http_request(&r, g->c, "GET", g->mr.buf, NULL);
	if (ret)
		goto out;
	refs = cJSON_GetObjectItemCaseSensitive(r.json, "diff_refs");
	base = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(refs, "base_sha"));
	start = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(refs, "start_sha"));
	head = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(refs, "head_sha"));
	base = first_of(base, g->ctx->base_sha, g->rv->base_sha);
	head = first_of(head, g->ctx->head_sha, g->rv->head_sha);
	start = first_of(start, base, NULL);
	if (!base || !head) {
		if (!g->c->dry_run) {
			ret = error_set(ER_EPUBLISH, "GET %s: the answer has no diff_refs, and no "
					"base and head SHA are known", g->mr.buf);
			goto out;
		}
		base = start = base ? base : "BASE_SHA";
		head = head ? head : "HEAD_SHA";
	}
	g->base = xstrdup(base);
	g->start = xstrdup(start);
	g->head = xstrdup(head);
out:
	http_response_release(&r);
	return ret;
}

static int mark_existing(struct gl *g)
{
	struct strbuf path = STRBUF_INIT, fp = STRBUF_INIT;
	cJSON *all = NULL;
	const cJSON *disc, *note;
	size_t i;
	int ret;

	strbuf_addf(&path, "%s/discussions?per_page=100", g->mr.buf);
	ret = http_get_all(&all, g->c, path.buf);
	if (ret)
		goto out;
	cJSON_ArrayForEach(disc, all) {
		cJSON_ArrayForEach(note, cJSON_GetObjectItemCaseSensitive(disc, "notes")) {
			const char *body = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(note, "body"));
			const cJSON *pos = cJSON_GetObjectItemCaseSensitive(note, "position");
			const char *p = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(pos, "new_path"));
			const cJSON *line = cJSON_GetObjectItemCaseSensitive(pos, "new_line");

			if (!body || !p || !cJSON_IsNumber(line) ||
			    !forge_find_fingerprint(&fp, body))
				continue;
			for (i = 0; i < g->rv->comments_nr; i++) {
				struct forge_comment *fc = &g->rv->comments[i];

				if (fc->line == line->valueint && !strcmp(fc->path, p) &&
				    !strcmp(fc->fingerprint, fp.buf))
					fc->state = FORGE_EXISTING;
			}
		}
	}
out:
	cJSON_Delete(all);
	strbuf_release(&path);
	strbuf_release(&fp);
	return ret;
}

static int post_discussion(struct gl *g, struct forge_comment *fc, const char *path)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf body = STRBUF_INIT;
	cJSON *req = http_json_object(), *pos = http_json_object();
	int ret;

	forge_inline_body(&body, fc, FORGE_GITLAB_BODY_MAX);
	http_json_add_str(req, "body", body.buf);
	http_json_add_str(pos, "position_type", "text");
	http_json_add_str(pos, "base_sha", g->base);
	http_json_add_str(pos, "start_sha", g->start);
	http_json_add_str(pos, "head_sha", g->head);
	http_json_add_str(pos, "old_path", fc->old_path ? fc->old_path : fc->path);
	http_json_add_str(pos, "new_path", fc->path);
	if (fc->old_line > 0)
		http_json_add_num(pos, "old_line", fc->old_line);
	http_json_add_num(pos, "new_line", fc->line);
	cJSON_AddItemToObject(req, "position", pos);
	ret = http_request(&r, g->c, "POST", path, req);
	if (!ret) {
		g->wrote = 1;
		fc->state = FORGE_POSTED;
	} else if (r.status == 400) {
		error_clear();
		fc->state = FORGE_REFUSED;
		ret = 0;
	} else {
		ret = check_readonly(g, ret, &r);
	}
	cJSON_Delete(req);
	strbuf_release(&body);
	http_response_release(&r);
	return ret;
}

static int post_inline(struct gl *g)
{
	struct strbuf path = STRBUF_INIT;
	size_t i, posted = 0;
	int ret;

	ret = mark_existing(g);
	strbuf_addf(&path, "%s/discussions", g->mr.buf);
	for (i = 0; !ret && i < g->rv->comments_nr; i++) {
		struct forge_comment *fc = &g->rv->comments[i];

		if (fc->state != FORGE_PENDING)
			continue;
		if (posted >= FORGE_MAX_INLINE) {
			fc->state = FORGE_OVER_LIMIT;
			continue;
		}
		posted++;
		ret = post_discussion(g, fc, path.buf);
	}
	strbuf_release(&path);
	return ret;
}

static int post_summary(struct gl *g)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	cJSON *all = NULL, *req = http_json_object();
	const cJSON *it;
	double id = -1;
	int ret;

	strbuf_addf(&path, "%s/notes?per_page=100", g->mr.buf);
	ret = http_get_all(&all, g->c, path.buf);
	if (ret)
		goto out;
	cJSON_ArrayForEach(it, all) {
		const char *b = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "body"));
		const cJSON *i = cJSON_GetObjectItemCaseSensitive(it, "id");

		if (b && cJSON_IsNumber(i) && starts_with(b, FORGE_SUMMARY_MARKER)) {
			id = i->valuedouble;
			break;
		}
	}
	forge_summary_body(&body, g->rv, FORGE_GITLAB_BODY_MAX);
	http_json_add_str(req, "body", body.buf);
	strbuf_reset(&path);
	if (id >= 0) {
		strbuf_addf(&path, "%s/notes/%.0f", g->mr.buf, id);
		ret = http_request(&r, g->c, "PUT", path.buf, req);
	} else {
		strbuf_addf(&path, "%s/notes", g->mr.buf);
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

static int post_status(struct gl *g)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT, desc = STRBUF_INIT, sha = STRBUF_INIT;
	const char *state = g->rv->status_state;
	cJSON *req;
	int ret;

	if (!state)
		return 0;
	if (!strcmp(state, "failure"))
		state = "failed";
	req = http_json_object();
	http_json_add_str(req, "state", state);
	http_json_add_str(req, "name", "escape-review");
	forge_add_cut(&desc, g->rv->status_description ? g->rv->status_description : "",
		      STATUS_DESCRIPTION_MAX);
	http_json_add_str(req, "description", desc.buf);
	http_escape_segment(&sha, first_of(g->ctx->head_sha, g->head, NULL));
	strbuf_addf(&path, "%s/statuses/%s", g->project.buf, sha.buf);
	ret = check_readonly(g, http_request(&r, g->c, "POST", path.buf, req), &r);
	cJSON_Delete(req);
	strbuf_release(&path);
	strbuf_release(&desc);
	strbuf_release(&sha);
	http_response_release(&r);
	return ret;
}

int gitlab_publish(const struct forge_context *ctx, struct forge_review *rv,
		   struct http_client *c)
{
	struct gl g = { ctx, rv, c, STRBUF_INIT, STRBUF_INIT, NULL, NULL, NULL, 0 };
	int ret;

	if (ctx->job_token_only)
		return error_set(FORGE_READONLY, "GitLab reporter: only CI_JOB_TOKEN is available, "
				 "and it cannot write merge request notes or commit statuses: "
				 "nothing was posted; set GITLAB_TOKEN to a project or personal "
				 "access token with the api scope");
	strbuf_addstr(&g.project, "/projects/");
	http_escape_segment(&g.project, ctx->repo_slug);
	strbuf_addf(&g.mr, "%s/merge_requests/%ld", g.project.buf, ctx->number);
	ret = diff_refs(&g);
	if (!ret)
		ret = post_inline(&g);
	if (!ret)
		ret = post_summary(&g);
	if (!ret)
		ret = post_status(&g);
	strbuf_release(&g.mr);
	strbuf_release(&g.project);
	free(g.base);
	free(g.start);
	free(g.head);
	return ret;
}
