/*
 * publish_driver.c: test driver for the publishers.  Reads a forge_review
 * from a small JSON file, builds the context from the environment and
 * flags, and runs the real github_publish() / gitlab_publish() over the
 * real HTTP client (against the stand-in servers of tests/http/).
 *
 * usage: publish_driver [-v] [--dry-run] [--pr N] [--repo-slug S]
 *          [--api-url URL] [--base SHA] [--head SHA] [--timeout-ms N]
 *          [--connect-timeout-ms N] [--max-retry-wait-ms N]
 *          [--max-attempts N] github|gitlab|auto REVIEW.json
 *
 * Exit: 0 published, 1 error (one line on stderr), 2 usage,
 * 3 read-only (FORGE_READONLY; the message on stderr).  On success prints
 * "posted=N existing=N over_limit=N refused=N" on stdout, and
 * "resolved=N reopened=N" when the file lists the "live" fingerprints.
 */
#include "errors.h"
#include "forge.h"
#include "github.h"
#include "gitlab.h"
#include "http.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

static int num(const cJSON *o, const char *name)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(n) ? n->valueint : 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int read_review(struct forge_review *rv, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *j, *it;
	long n = strbuf_read_file(&sb, path, 1 << 20);

	if (n < 0 || n > (1 << 20)) {
		fprintf(stderr, "publish_driver: cannot read %s\n", path);
		strbuf_release(&sb);
		return -1;
	}
	j = cJSON_ParseWithLength(sb.buf, sb.len);
	strbuf_release(&sb);
	if (!cJSON_IsObject(j)) {
		fprintf(stderr, "publish_driver: %s is not a JSON object\n", path);
		cJSON_Delete(j);
		return -1;
	}
	rv->summary = dup_or_null(str(j, "summary"));
	rv->status_state = dup_or_null(str(j, "status_state"));
	rv->status_description = dup_or_null(str(j, "status_description"));
	rv->head_sha = dup_or_null(str(j, "head_sha"));
	rv->base_sha = dup_or_null(str(j, "base_sha"));
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "comments")) {
		const char *body = str(it, "body");
		long repeat = num(it, "repeat_body"); /* for over-limit bodies */
		struct strbuf big = STRBUF_INIT;

		if (repeat > 0) {
			while (repeat--)
				strbuf_addstr(&big, body ? body : "");
			body = big.buf;
		}
		forge_review_add(rv, str(it, "path") ? str(it, "path") : "", str(it, "old_path"),
				 num(it, "line"), num(it, "old_line"), str(it, "fingerprint"),
				 str(it, "title"), body);
		strbuf_release(&big);
	}
	/* "live": the fingerprints still reported; present: resolve the rest */
	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "live"))) {
		rv->resolve_fixed = 1;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "live"))
			if (cJSON_IsString(it))
				forge_review_add_live(rv, it->valuestring);
	}
	cJSON_Delete(j);
	return 0;
}

static long arg_long(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 0) {
		fprintf(stderr, "publish_driver: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct forge_flags flags = FORGE_FLAGS_INIT;
	struct forge_context ctx = FORGE_CONTEXT_INIT;
	struct forge_review rv = FORGE_REVIEW_INIT;
	struct http_client c;
	long timeout = -1, connect_timeout = -1, max_wait = -1, attempts = -1;
	int verbose = 0, i, ret, rc = 0;
	size_t k, counts[5] = { 0 };

	util_init();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-v")) {
			verbose = 1;
			continue;
		} else if (!strcmp(a, "--dry-run")) {
			flags.dry_run = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "publish_driver: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--pr"))
			flags.pr = arg_long(v);
		else if (!strcmp(a, "--repo-slug"))
			flags.repo_slug = v;
		else if (!strcmp(a, "--api-url"))
			flags.api_url = v;
		else if (!strcmp(a, "--base"))
			flags.base_sha = v;
		else if (!strcmp(a, "--head"))
			flags.head_sha = v;
		else if (!strcmp(a, "--timeout-ms"))
			timeout = arg_long(v);
		else if (!strcmp(a, "--connect-timeout-ms"))
			connect_timeout = arg_long(v);
		else if (!strcmp(a, "--max-retry-wait-ms"))
			max_wait = arg_long(v);
		else if (!strcmp(a, "--max-attempts"))
			attempts = arg_long(v);
		else {
			fprintf(stderr, "publish_driver: unknown option %s\n", a);
			return 2;
		}
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: publish_driver [options] github|gitlab|auto REVIEW.json\n");
		return 2;
	}
	if (read_review(&rv, argv[i + 1]))
		return 2;
	ret = forge_context_from_env(&ctx, argv[i], &flags);
	if (ret) {
		fprintf(stderr, "publish_driver: %s\n", error_last());
		forge_review_release(&rv);
		return 1;
	}
	forge_http_client_init(&c, &ctx);
	c.verbose = verbose;
	c.dry_run = flags.dry_run;
	if (timeout >= 0)
		c.timeout_ms = timeout;
	if (connect_timeout >= 0)
		c.connect_timeout_ms = connect_timeout;
	if (max_wait >= 0)
		c.max_retry_wait_ms = max_wait;
	if (attempts > 0)
		c.max_attempts = (int)attempts;

	if (ctx.kind == FORGE_GITHUB)
		ret = github_publish(&ctx, &rv, &c);
	else
		ret = gitlab_publish(&ctx, &rv, &c);
	if (ret == FORGE_READONLY) {
		fprintf(stderr, "publish_driver: read-only: %s\n", error_last());
		rc = 3;
	} else if (ret) {
		fprintf(stderr, "publish_driver: %s\n", error_last());
		rc = 1;
	} else {
		for (k = 0; k < rv.comments_nr; k++)
			counts[rv.comments[k].state]++;
		printf("posted=%zu existing=%zu over_limit=%zu refused=%zu\n",
		       counts[FORGE_POSTED], counts[FORGE_EXISTING], counts[FORGE_OVER_LIMIT],
		       counts[FORGE_REFUSED]);
		if (rv.resolve_fixed)
			printf("resolved=%zu reopened=%zu\n", rv.resolved_nr, rv.reopened_nr);
	}
	http_client_release(&c);
	forge_context_release(&ctx);
	forge_review_release(&rv);
	return rc;
}
