/*
 * cmd_review.c: `review` (the default command) and `baseline update|check`:
 * options to review_opts, review_run(), then the report in the format asked
 * for, and publishing to GitHub or GitLab after the findings are printed.
 */
#include "cmd.h"
#include "compare.h"
#include "errors.h"
#include "forge.h"
#include "formats.h"
#include "options.h"
#include "publish.h"
#include "release.h"
#include "render.h"
#include "report.h"
#include "review.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The configuration's template_dir, relative to the file's directory (the
 * repository root) unless absolute. */
static const char *config_template_dir(struct config *cfg)
{
	const char *slash;
	char *dir, *joined;

	if (cfg->source[CONFIG_TEMPLATE_DIR] != CONFIG_SRC_FILE || cfg->template_dir[0] == '/' ||
	    !cfg->path ||
	    !(slash = strrchr(cfg->path, '/')))
		return cfg->template_dir;
	dir = xstrndup(cfg->path, (size_t)(slash - cfg->path));
	joined = path_join(dir, cfg->template_dir);
	free(cfg->template_dir);
	cfg->template_dir = joined;
	free(dir);
	return cfg->template_dir;
}

static int format_review(struct strbuf *out, const struct review *rv, const char *format,
			 const char *dir, size_t max);

/* `baseline update`: the entries of the analysed packages become their
 * findings, the others stay; it says what it did. */
static int update_baseline(struct review *rv, const struct baseline_scope *scope, int verbose)
{
	struct baseline_update up;
	char *path = path_join(rv->workdir, ".escape-baseline.json");
	int ret = baseline_update(&up, path, &rv->findings, scope);
	size_t i;

	free(path);
	if (ret) {
		baseline_update_release(&up);
		return cmd_fail(ret);
	}
	for (i = 0; i < up.removed; i++)
		printf("  - %s\n", up.removed_lines[i]);
	for (i = 0; verbose && i < up.added; i++)
		printf("  + %s\n", up.added_lines[i]);
	printf("escape-review: baseline: +%zu -%zu, %zu entr%s in .escape-baseline.json%s",
	       up.added, up.removed, up.total, up.total == 1 ? "y" : "ies",
	       up.written ? "" : " (unchanged)");
	if (up.kept)
		printf("; %zu of packages not analysed kept as they were", up.kept);
	putchar('\n');
	baseline_update_release(&up);
	return EXIT_CLEAN;
}

/* The stale entries of `bl` (baseline_stale()) as a JSON array of the
 * entries' objects (each line is one, printed by baseline_parse()). */
static cJSON *stale_json(const struct baseline *bl)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < bl->nr; i++) {
		cJSON *o;

		if (!baseline_stale(bl, i))
			continue;
		o = cJSON_Parse(bl->lines[i]);
		cJSON_AddItemToArray(arr, o ? o : cJSON_CreateString(bl->lines[i]));
	}
	return arr;
}

/*
 * `baseline check`: the findings outside the baseline in `a->format`
 * (text: then the stale entries of the analysed packages and a count;
 * json: the review's document with a "stale" array), exit 1 when any.
 * Findings in the baseline are counted, not listed, as a review does.
 */
static int check_baseline(struct review *rv, const struct baseline *bl, const struct cli_args *a)
{
	const char *format = a->format ? a->format : "text";
	struct strbuf out = STRBUF_INIT;
	size_t i, n, kept = 0, outside = 0, stale = 0;
	int ret = 0;

	for (i = 0; i < rv->findings.nr; i++) {
		struct finding *f = rv->findings.items[i];

		if (f->status == STATUS_BASELINE) {
			rv->hidden_baseline++;
			finding_free(f);
			continue;
		}
		outside += f->status != STATUS_ACKNOWLEDGED;
		rv->findings.items[kept++] = f;
	}
	rv->findings.nr = kept;
	for (i = 0; i < bl->nr; i++)
		stale += baseline_stale(bl, i) != 0;
	if (!strcmp(format, "json")) {
		cJSON *arr = stale_json(bl);

		report_json_write_extra(stdout, rv, "stale", arr);
		cJSON_Delete(arr);
		cmd_flush();
	} else if (strcmp(format, "text")) {
		ret = format_review(&out, rv, format, NULL, 0);
	} else {
		struct report_opts rep = { 0 };

		rep.explain = a->explain;
		rep.color = isatty(1) && !getenv("NO_COLOR");
		report_text(&out, rv, &rep);
		for (i = 0, n = 0; i < bl->nr; i++) {
			if (!baseline_stale(bl, i))
				continue;
			if (!n++)
				strbuf_addstr(&out, "stale baseline entries (no longer found; `escape-review baseline update` removes them):\n");
			strbuf_addf(&out, "  %s\n", bl->lines[i]);
		}
		strbuf_addf(&out, "escape-review: %zu finding%s outside the baseline, %zu stale entr%s\n",
			    outside, outside == 1 ? "" : "s", stale, stale == 1 ? "y" : "ies");
	}
	cmd_print(&out);
	strbuf_release(&out);
	if (ret)
		return cmd_fail(ret);
	return outside ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* `baseline update` writes the file; `baseline check` reports against it. */
static int finish_baseline(const char *action, struct review *rv, struct baseline *bl,
			   const struct pkgset *analysed, const struct cli_args *a,
			   const struct config *cfg)
{
	struct baseline_scope scope = { analysed, a->tests, cfg };

	if (!rv->workdir) {
		fputs("escape-review: the baseline lives in the work tree, and this repository has none\n", stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(action, "update"))
		return update_baseline(rv, &scope, a->verbose);
	baseline_set_scope(bl, &scope);
	return check_baseline(rv, bl, a);
}

/*
 * The formats rendered from templates (markdown: the summary; comments:
 * each new finding's inline comment after a "==> FILE:LINE" line; status:
 * the status line), each cut to `max` bytes, and the machine formats.
 */
static int format_review(struct strbuf *out, const struct review *rv, const char *format,
			 const char *dir, size_t max)
{
	size_t i;
	int ret = 0;

	if (!strcmp(format, "sarif")) {
		format_sarif(out, rv);
	} else if (!strcmp(format, "rdjson")) {
		format_rdjson(out, rv);
	} else if (!strcmp(format, "github-actions")) {
		format_github_actions(out, rv);
	} else if (!strcmp(format, "markdown")) {
		if (!(ret = report_render(out, rv, "summary.md", dir)))
			report_cut(out, max);
	} else if (!strcmp(format, "status")) {
		if (!(ret = report_render(out, rv, "status.txt", dir)))
			strbuf_addch(out, '\n');
	} else if (!strcmp(format, "comments")) {
		for (i = 0; i < rv->findings.nr && !ret; i++) {
			const struct finding *f = rv->findings.items[i];
			struct strbuf body = STRBUF_INIT;

			if (f->status != STATUS_NEW)
				continue;
			ret = report_render_finding(&body, rv, f, dir);
			report_cut(&body, max);
			strbuf_addf(out, "==> %s:%d\n", f->file, f->line);
			strbuf_addbuf(out, &body);
			strbuf_release(&body);
		}
	}
	return ret;
}

/* The review options from the configuration (with the options parsed into it) and `a`. */
static void review_opts_from(struct review_opts *ro, const struct cli_args *a,
			     const struct config *cfg)
{
	memset(ro, 0, sizeof(*ro));
	ro->mode = cfg->mode;
	ro->scope = cfg->scope;
	ro->max_dependents = a->max_dependents;
	ro->build.build_flags = cfg->build_flags;
	ro->build.gcflags = cfg->gcflags;
	ro->build.max_flow = cfg->max_flow;
	ro->config = cfg;
	ro->base = a->base;
	ro->head = a->head;
	ro->worktree = a->worktree;
	ro->tests = a->tests;
	ro->input = a->input;
	ro->input_go = a->go_version;
	ro->show_baseline = a->show_baseline;
	ro->no_cache = a->no_cache;
	ro->cache_dir = a->cache_dir;
	ro->all_packages = a->all_packages;
	ro->verbose = ro->build.verbose = a->verbose;
	ro->profiles = a->profiles;
	ro->profiles_nr = a->profiles_nr;
	ro->hot_share = cfg->hot_share;
}

/* What `review`, `baseline` and `report` hold: the options parsed, the
 * review's options made from them, and the review. */
struct review_cmd {
	struct cli_args a;
	struct review_opts ro;
	struct review rv;
};

static void review_cmd_release(struct review_cmd *rc)
{
	review_release(&rc->rv);
	cli_args_release(&rc->a);
}

/* Parse the options of `review`, `baseline` or `report` (cmd) into `rc`
 * (released with review_cmd_release() whatever this returns). */
static int parse_review(struct review_cmd *rc, enum cli_command cmd, int argc, char **argv,
			struct config *cfg)
{
	struct cli_args *a = &rc->a;
	struct review_opts *ro = &rc->ro;
	int ret;

	memset(rc, 0, sizeof(*rc));
	cli_args_init(a, cfg);
	if ((ret = config_load_repo(cfg)))
		return ret;
	if ((ret = options_parse(a, cmd, cmd == CMD_REVIEW ? "review" :
				 cmd == CMD_REPORT ? "report" : "baseline", argc, argv)))
		return ret;
	if ((cmd == CMD_REVIEW || cmd == CMD_REPORT) && a->operands_nr)
		return error_set(ER_EUSAGE, "unknown option: %s (see escape-review --help)", a->operands[0]);
	if (a->worktree && a->head)
		return error_set(ER_EUSAGE, "--worktree and --head cannot be used together");
	if (a->go_version && !a->input)
		return error_set(ER_EUSAGE, "--go-version names the compiler of an --input log; without --input the review asks go");
	review_opts_from(ro, a, cfg);
	return 0;
}

/* Where to publish, and (unless given) the base and head under review. */
static int forge_setup(struct forge_context *ctx, struct review_opts *ro, const struct cli_args *a,
		       const struct config *cfg)
{
	struct forge_flags ff = FORGE_FLAGS_INIT;
	int ret;

	ff.dry_run = a->dry_run || a->no_publish;
	ff.base_sha = ro->base;
	ff.head_sha = ro->head;
	ff.pr = a->pr;
	ff.repo_slug = a->repo_slug;
	ff.api_url = a->api_url;
	if ((ret = forge_context_from_env(ctx, a->reporter, &ff)))
		return ret;
	if (!ff.api_url && ctx->kind == FORGE_GITHUB && cfg->github_api_url) {
		free(ctx->api_url);
		ctx->api_url = xstrdup(cfg->github_api_url);
	} else if (!ff.api_url && ctx->kind == FORGE_GITLAB && cfg->gitlab_api_url) {
		free(ctx->api_url);
		ctx->api_url = xstrdup(cfg->gitlab_api_url);
	}
	if (!ro->base && !ro->worktree)
		ro->base = ctx->base_sha;
	if (!ro->head && !ro->worktree)
		ro->head = ctx->head_sha;
	return 0;
}

/* Print the review in a->format on stdout; JSON carries `fr` (when
 * publishing) as its "publish" object.  0 or a negative code. */
static int print_review(const struct review *rv, const struct cli_args *a, const char *template_dir,
			const struct forge_review *fr, long number)
{
	const char *format = a->format ? a->format : "text";
	struct strbuf out = STRBUF_INIT;
	int ret = 0;

	if (!strcmp(format, "json") && fr) {
		cJSON *pj = publish_json(fr, number);

		report_json_write_extra(stdout, rv, "publish", pj);
		cJSON_Delete(pj);
	} else if (!strcmp(format, "json")) {
		report_json_write(stdout, rv);
	} else if (!strcmp(format, "template-data")) {
		cJSON *doc = report_template_data(rv);
		char *s = cJSON_Print(doc);

		puts(s);
		free(s);
		cJSON_Delete(doc);
	} else if (!strcmp(format, "text")) {
		struct report_opts rep = { 0 };

		rep.explain = a->explain;
		rep.color = isatty(1) && !getenv("NO_COLOR");
		report_text(&out, rv, &rep);
		cmd_print(&out);
	} else if (!(ret = format_review(&out, rv, format, report_template_dir(template_dir),
					 a->max_comment_bytes))) {
		cmd_print(&out);
	}
	strbuf_release(&out);
	cmd_flush();
	return ret;
}

/* Publish after printing; the exit code `ret` unless publishing fails. */
static int publish_review(const struct review *rv, const struct forge_context *ctx,
			  struct forge_review *fr, const struct cli_args *a, int ret)
{
	int pub = publish_send(ctx, fr, a->verbose, a->dry_run);

	if (pub == FORGE_READONLY) {
		struct strbuf ann = STRBUF_INIT;

		fprintf(stderr, "escape-review: %s\n", error_last());
		/* annotations on stdout, unless it holds the JSON document */
		if (ctx->kind == FORGE_GITHUB && !(a->format && !strcmp(a->format, "json"))) {
			fputs("escape-review: writing the findings as GitHub Actions annotations instead\n", stderr);
			format_github_actions(&ann, rv);
			cmd_print(&ann);
			cmd_flush();
		}
		strbuf_release(&ann);
	} else if (pub < 0) {
		ret = cmd_fail(pub);
	}
	return ret;
}

int cmd_review(int argc, char **argv, struct config *cfg)
{
	struct review_cmd rc;
	struct forge_context ctx = FORGE_CONTEXT_INIT;
	struct forge_review fr = FORGE_REVIEW_INIT;
	const char *template_dir;
	int ret, publishing;

	ret = parse_review(&rc, CMD_REVIEW, argc, argv, cfg);
	template_dir = config_template_dir(cfg);
	publishing = strcmp(rc.a.reporter, "local");
	if (!ret && publishing)
		ret = forge_setup(&ctx, &rc.ro, &rc.a, cfg);
	/* freed before the end only in the builds that check for leaks */
	rc.ro.exiting = !cmd_free_at_exit();
	if (!ret)
		ret = review_run(&rc.rv, &rc.ro);
	if (ret) {
		ret = cmd_fail(ret);
		goto out;
	}
	/* rendered once: printed in the JSON document and sent the same */
	if ((publishing && (ret = publish_build(&fr, &rc.rv, report_template_dir(template_dir),
						review_fails(&rc.rv, cfg->fail_on)))) ||
	    (ret = print_review(&rc.rv, &rc.a, template_dir, publishing ? &fr : NULL, ctx.number))) {
		ret = cmd_fail(ret);
		goto out;
	}
	ret = review_fails(&rc.rv, cfg->fail_on) ? EXIT_FINDINGS : EXIT_CLEAN;
	if (publishing && !rc.a.no_publish)
		ret = publish_review(&rc.rv, &ctx, &fr, &rc.a, ret);
out:
	forge_review_release(&fr);
	forge_context_release(&ctx);
	if (cmd_free_at_exit())
		review_cmd_release(&rc);
	return ret;
}

int cmd_review_packages(struct review *rv, struct review_opts *ro, const char *const *pkgs,
			size_t nr, struct pkgset *analysed)
{
	int ret;

	ro->packages = pkgs;
	ro->packages_nr = nr;
	ro->packages_out = analysed;
	ret = review_run(rv, ro);
	return ret ? cmd_fail(ret) : 0;
}

/* `baseline update|check [--changed | PACKAGE...]` */
int cmd_baseline(int argc, char **argv, struct config *cfg)
{
	const char *action = argv[0];
	struct baseline bl = BASELINE_INIT;
	struct pkgset analysed = PKGSET_INIT;
	struct review_cmd rc;
	int ret;

	ret = parse_review(&rc, CMD_BASELINE, argc - 1, argv + 1, cfg);
	if (!ret && rc.a.changed && rc.a.operands_nr)
		ret = error_set(ER_EUSAGE, "baseline: give --changed or packages, not both");
	if (!ret && !strcmp(action, "update") && (rc.a.format || rc.a.explain))
		ret = error_set(ER_EUSAGE, "baseline update prints what it did as text; %s is for baseline check",
				rc.a.format ? "--format" : "--explain");
	if (ret) {
		ret = cmd_fail(ret);
		goto out;
	}
	rc.ro.mode = MODE_ALL;
	rc.ro.no_baseline = !strcmp(action, "update");
	rc.ro.show_baseline = 1;
	rc.ro.baseline_out = &bl;
	/* every package unless narrowed: what is not analysed is kept */
	rc.ro.all_packages = !rc.a.changed && !rc.a.operands_nr;
	if ((ret = cmd_review_packages(&rc.rv, &rc.ro, rc.a.operands, rc.a.operands_nr, &analysed)))
		goto out;
	ret = finish_baseline(action, &rc.rv, &bl, &analysed, &rc.a, cfg);
out:
	baseline_release(&bl);
	pkgset_release(&analysed);
	review_cmd_release(&rc);
	return ret;
}

/*
 * `report --base REV [--head REV] [--profile F] --format html|markdown|json`:
 * the release report (release.h), every package at both revisions.
 */
int cmd_report(int argc, char **argv, struct config *cfg)
{
	struct review_cmd rc;
	struct strbuf out = STRBUF_INIT;
	const char *template_dir;
	int ret;

	ret = parse_review(&rc, CMD_REPORT, argc, argv, cfg);
	template_dir = config_template_dir(cfg);
	if (!ret && !rc.a.base)
		ret = error_set(ER_EUSAGE, "report needs --base REV (the older release), and --head REV unless it is HEAD");
	if (!ret) {
		release_review_opts(&rc.ro, rc.a.base, rc.a.head ? rc.a.head : "HEAD");
		ret = review_run(&rc.rv, &rc.ro);
	}
	if (!ret)
		ret = release_render(&out, &rc.rv, rc.a.base, rc.a.head ? rc.a.head : "HEAD",
				     rc.a.format ? rc.a.format : "html", report_template_dir(template_dir));
	if (!ret)
		cmd_print(&out);
	ret = ret ? cmd_fail(ret) : EXIT_CLEAN;
	strbuf_release(&out);
	review_cmd_release(&rc);
	return ret;
}
