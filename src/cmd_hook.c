/*
 * cmd_hook.c: `hook pre-push REMOTE [URL]` and `hook pre-commit`: the
 * pushed ranges (hook.h), one review each, the report on stderr, and the
 * hook's exit codes (a push is blocked at hook.fail_on).
 */
#include "cmd.h"
#include "ack.h"
#include "repo.h"
#include "errors.h"
#include "hook.h"
#include "render.h"
#include "report.h"
#include "review.h"
#include "strbuf.h"
#include "util.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The hook's own failure: per hook.on_error, allow with a warning or block (exit 3). */
static int hook_failed(int code, const struct config *cfg)
{
	const char *msg = error_last();

	fprintf(stderr, "escape-review: %s\n", *msg ? msg : "unknown error");
	if (code == ER_ECONFIG || code == ER_EUSAGE)
		return er_exit_code(code);
	if (cfg->hook_block_on_error) {
		fputs("escape-review: push blocked: the review could not run and hook.on_error is \"block\" (push anyway once: ESCAPE_REVIEW_SKIP=1 git push)\n", stderr);
		return EXIT_ANALYSIS;
	}
	fputs("escape-review: warning: the review could not run; the push goes ahead (hook.on_error is \"allow\")\n", stderr);
	return EXIT_CLEAN;
}

/* Review one pushed range, report on stderr; *blocked when it reaches hook.fail_on. */
static int hook_review(const struct push_range *r, int *blocked, const struct config *cfg)
{
	struct review_opts ro = { 0 };
	struct review rv = { 0 };
	struct report_opts rep = { 0 };
	struct strbuf out = STRBUF_INIT;
	int ret;

	ro.mode = cfg->mode;
	ro.build.build_flags = cfg->build_flags;
	ro.build.gcflags = cfg->gcflags;
	ro.build.max_flow = cfg->max_flow;
	ro.policy = &cfg->policy;
	/* the hook's own default is new-versus-base; a mode in the file wins */
	if (cfg->source[CONFIG_MODE] != CONFIG_SRC_FILE)
		ro.mode = MODE_NEW;
	ro.base = r->from_root ? NULL : r->base;
	ro.base_empty = r->from_root;
	ro.head = r->head;
	fprintf(stderr, "escape-review: %s %.12s..%.12s%s\n", r->ref, r->base, r->head,
		r->from_root ? " (nothing of it is on the remote yet: reviewing the whole tree)" : "");
	ret = review_run(&rv, &ro);
	if (!ret) {
		config_filter(cfg, &rv.findings);
		config_filter(cfg, &rv.fixed);
		ack_apply(&rv.findings, &out);
		fputs(out.buf, stderr);
		strbuf_reset(&out);
		rep.explain = 1;
		rep.color = isatty(2) && !getenv("NO_COLOR");
		report_text(&out, &rv, &rep);
		fputs(out.buf, stderr);
		if (review_fails(&rv, cfg->hook_fail_on))
			*blocked = 1;
	}
	strbuf_release(&out);
	review_release(&rv);
	return ret;
}

static int skip_requested(void)
{
	const char *s = getenv("ESCAPE_REVIEW_SKIP");

	return s && *s && strcmp(s, "0");
}

/*
 * `hook pre-push REMOTE [URL]` (git's pre-push hook: ref lines on stdin) and
 * `hook pre-commit` (pre-commit's pre-push stage: PRE_COMMIT_FROM_REF and
 * PRE_COMMIT_TO_REF).  Everything goes to stderr; exit codes in --help.
 */
int cmd_hook(int argc, char **argv, struct config *cfg)
{
	struct push_updates updates = PUSH_UPDATES_INIT;
	struct push_ranges ranges = PUSH_RANGES_INIT;
	git_repository *repo = NULL;
	size_t i;
	int ret = 0, blocked = 0;

	if (skip_requested()) {
		fputs("escape-review: ESCAPE_REVIEW_SKIP is set: the escape review was skipped\n", stderr);
		return EXIT_CLEAN;
	}
	if (argc < 1 || (strcmp(argv[0], "pre-push") && strcmp(argv[0], "pre-commit")) ||
	    (!strcmp(argv[0], "pre-push") && (argc < 2 || argc > 3)) ||
	    (!strcmp(argv[0], "pre-commit") && argc != 1))
		return cmd_usage_error("%s", "usage: escape-review hook pre-push REMOTE [URL] (ref lines on stdin), or hook pre-commit");
	if ((ret = config_load_repo(cfg)))
		return cmd_fail(ret);
	if (!strcmp(argv[0], "pre-commit")) {
		const char *from = getenv("PRE_COMMIT_FROM_REF"), *to = getenv("PRE_COMMIT_TO_REF");

		if (!from || !to || !*from || !*to) {
			fputs("escape-review: PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF are not set (not pre-commit's pre-push stage, or a first push): nothing reviewed\n", stderr);
			return EXIT_CLEAN;
		}
		if (strlen(from) != GIT_OID_HEXSZ || strlen(to) != GIT_OID_HEXSZ)
			return cmd_usage_error("%s", "PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF must be commit ids");
		push_ranges_add(&ranges, from, to, "pre-commit", 0);
	} else {
		if ((ret = push_updates_read(&updates, stdin)) || (ret = repo_open(&repo, ".")) ||
		    (ret = hook_ranges(&ranges, repo, argv[1], &updates)))
			goto out;
	}
	if (!ranges.nr)
		fputs("escape-review: no new commits to review in this push\n", stderr);
	for (i = 0; i < ranges.nr; i++)
		if ((ret = hook_review(&ranges.items[i], &blocked, cfg)))
			goto out;
	if (blocked) {
		fprintf(stderr,
			"escape-review: push blocked: findings at or above %s (hook.fail_on)\n"
			"  accept one by saying why, on its line or alone on the line above:\n"
			"      //escape:ok <reason>        (or //escape:ok ER001 <reason> for one rule)\n"
			"  push anyway, this once:  ESCAPE_REVIEW_SKIP=1 git push   (or: git push --no-verify)\n",
			severity_name((enum severity)cfg->hook_fail_on));
	}
out:
	push_updates_release(&updates);
	push_ranges_release(&ranges);
	git_repository_free(repo);
	if (ret)
		return hook_failed(ret, cfg);
	return blocked ? EXIT_FINDINGS : EXIT_CLEAN;
}
