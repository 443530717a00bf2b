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

struct ours {                   /* a diff discussion started by us (marker) */
	char *id;               /* the discussion id (hex) */
	char *fp;
	int resolved;
	int matched;            /* same fingerprint, path and line as a comment
				 * of this review */
};

struct gl {
	const struct forge_context *ctx;
	struct forge_review *rv;
	struct http_client *c;
	struct strbuf mr;       /* "/projects/ID/merge_requests/IID" */
	struct strbuf project;  /* "/projects/ID" */
	char *base, *start, *head;
	int wrote;
	struct ours *ours;
	size_t ours_nr, ours_alloc;
};

static int check_readonly(struct gl *g, int ret, const struct http_response *r)
{
	struct strbuf target = STRBUF_INIT;

	strbuf_addf(&target, "merge request !%ld", g->ctx->number);
	ret = forge_check_readonly(&g->wrote, ret, r->status, "GitLab", target.buf, "");
	strbuf_release(&target);
	return ret;
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
	} else if (!g->c->dry_run) {
		/* they go into positions, notes and the status's path */
		if ((ret = forge_check_sha("GitLab", "the merge request's base commit", base)) ||
		    (ret = forge_check_sha("GitLab", "the merge request's start commit", start)) ||
		    (ret = forge_check_sha("GitLab", "the merge request's head commit", head)))
			goto out;
	}
	g->base = xstrdup(base);
	g->start = xstrdup(start);
	g->head = xstrdup(head);
out:
	http_response_release(&r);
	return ret;
}

/* Hex discussion ids only: the id goes into a request path. */
static int valid_discussion_id(const char *id)
{
	size_t n = 0;

	for (; id && id[n]; n++)
		if (!strchr("0123456789abcdef", id[n]))
			return 0;
	return n > 0 && n <= 64;
}

/* Remember a discussion whose first note is ours; mark the comments it
 * already carries. */
static void note_ours(struct gl *g, const cJSON *disc, const cJSON *note, const char *fp)
{
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(disc, "id"));
	const cJSON *pos = cJSON_GetObjectItemCaseSensitive(note, "position");
	const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pos, "new_path"));
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(pos, "new_line");
	struct ours *o;
	size_t i;

	if (!valid_discussion_id(id))
		return;
	ALLOC_GROW(g->ours, g->ours_nr + 1, g->ours_alloc);
	o = &g->ours[g->ours_nr++];
	o->id = xstrdup(id);
	o->fp = xstrdup(fp);
	o->resolved = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(note, "resolved"));
	o->matched = 0;
	for (i = 0; p && cJSON_IsNumber(line) && i < g->rv->comments_nr; i++) {
		struct forge_comment *fc = &g->rv->comments[i];

		if (fc->line == line->valuedouble && !strcmp(fc->path, p) &&
		    !strcmp(fc->fingerprint, fp)) {
			fc->state = FORGE_EXISTING;
			o->matched = 1;
		}
	}
}

static int mark_existing(struct gl *g)
{
	struct strbuf path = STRBUF_INIT, fp = STRBUF_INIT;
	cJSON *all = NULL;
	const cJSON *disc;
	int ret;

	strbuf_addf(&path, "%s/discussions?per_page=100", g->mr.buf);
	ret = http_get_all(&all, g->c, path.buf);
	if (ret)
		goto out;
	cJSON_ArrayForEach(disc, all) {
		/* the first note starts the discussion: replies are not ours */
		const cJSON *note = cJSON_GetArrayItem(
			cJSON_GetObjectItemCaseSensitive(disc, "notes"), 0);
		const char *body = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(note, "body"));

		if (body && forge_find_fingerprint(&fp, body))
			note_ours(g, disc, note, fp.buf);
	}
out:
	cJSON_Delete(all);
	strbuf_release(&path);
	strbuf_release(&fp);
	return ret;
}

/* Leave the note on our discussion `o`, then resolve (fixed) or reopen it. */
static int mark_discussion(struct gl *g, const struct ours *o, int fixed)
{
	struct http_response r = HTTP_RESPONSE_INIT;
	struct strbuf path = STRBUF_INIT, note = STRBUF_INIT;
	cJSON *req = http_json_object(), *put = http_json_object();
	int ret;

	forge_thread_note(&note, fixed, g->head);
	http_json_add_str(req, "body", note.buf);
	if (!cJSON_AddBoolToObject(put, "resolved", fixed))
		die("out of memory");
	strbuf_addf(&path, "%s/discussions/%s/notes", g->mr.buf, o->id);
	ret = check_readonly(g, http_request(&r, g->c, "POST", path.buf, req), &r);
	strbuf_setlen(&path, path.len - strlen("/notes"));
	if (!ret)
		ret = check_readonly(g, http_request(&r, g->c, "PUT", path.buf, put), &r);
	if (!ret)
		fixed ? g->rv->resolved_nr++ : g->rv->reopened_nr++;
	cJSON_Delete(req);
	cJSON_Delete(put);
	strbuf_release(&path);
	strbuf_release(&note);
	http_response_release(&r);
	return ret;
}

/* Our discussions: resolved when their finding is gone, reopened when it
 * is back on the same line.  Anyone else's are never touched. */
static int resolve_discussions(struct gl *g)
{
	size_t i;
	int ret = 0;

	if (!g->rv->resolve_fixed)
		return 0;
	for (i = 0; !ret && i < g->ours_nr; i++) {
		const struct ours *o = &g->ours[i];

		if (!o->resolved && !forge_review_is_live(g->rv, o->fp))
			ret = mark_discussion(g, o, 1);
		else if (o->resolved && o->matched)
			ret = mark_discussion(g, o, 0);
	}
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
	struct strbuf list = STRBUF_INIT, notes = STRBUF_INIT;
	struct forge_summary_api api = { NULL, NULL, NULL, "PUT", FORGE_GITLAB_BODY_MAX };
	int ret;

	strbuf_addf(&notes, "%s/notes", g->mr.buf);
	strbuf_addf(&list, "%s?per_page=100", notes.buf);
	api.list = list.buf;
	api.create = api.update = notes.buf;
	/* a failed listing leaves r.status 0: returned as it is */
	ret = check_readonly(g, forge_post_summary(&r, g->c, g->rv, &api), &r);
	strbuf_release(&list);
	strbuf_release(&notes);
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
	struct gl g = { ctx, rv, c, STRBUF_INIT, STRBUF_INIT, NULL, NULL, NULL, 0, NULL, 0, 0 };
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
		ret = resolve_discussions(&g);
	if (!ret)
		ret = post_summary(&g);
	if (!ret)
		ret = post_status(&g);
	strbuf_release(&g.mr);
	strbuf_release(&g.project);
	while (g.ours_nr) {
		g.ours_nr--;
		free(g.ours[g.ours_nr].id);
		free(g.ours[g.ours_nr].fp);
	}
	free(g.ours);
	free(g.base);
	free(g.start);
	free(g.head);
	return ret;
}
