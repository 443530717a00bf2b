/*
 * main.c: the command line.  Parses options, calls the stages (review.h
 * wires the pipeline), prints the report, and maps error codes to the
 * documented exit codes (errors.h).  Nothing else happens here.
 */
#include "ack.h"
#include "checklist.h"
#include "compare.h"
#include "config.h"
#include "diff.h"
#include "errors.h"
#include "forge.h"
#include "formats.h"
#include "github.h"
#include "gitlab.h"
#include "hook.h"
#include "http.h"
#include "packages.h"
#include "profile.h"
#include "release.h"
#include "report.h"
#include "review.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: escape-review [-C DIR] [review] [options]\n"
"       escape-review baseline update|check [--changed | PACKAGE...] [options]\n"
"       escape-review report --base REV [--head REV] [--profile FILE]...\n"
"                     [--format html|markdown|json]   (two releases compared)\n"
"       escape-review rules [ID] [--format text|json|markdown]\n"
"       escape-review config [--format text|json] [review options]\n"
"       escape-review hook pre-push REMOTE [URL]   (git's pre-push hook)\n"
"       escape-review render TEMPLATE --data FILE.json [--partials DIR]\n"
"                     [--escape html|markdown|none]   (preview a template)\n"
"       escape-review --version | --help\n";

/* (three strings: C17 compilers need not support longer literals) */
static const char usage_text_review[] =
"\n"
"Review the heap allocations a Go change introduces, as the Go compiler\n"
"reports them (go build -gcflags=-m=2), limited to the packages it touches.\n"
"\n"
"Revisions:\n"
"  --base REV            compare against REV: the change is base...head (merge-base)\n"
"  --head REV            the revision under review (default HEAD)\n"
"  --worktree            review uncommitted changes against HEAD (the default\n"
"                        when no --base is given)\n"
"  --tests               include _test.go files (compiled with go test -c)\n"
"Analysis:\n"
"  --mode MODE           new (default): findings the change introduces, wherever\n"
"                        they are in the changed packages, compared with the\n"
"                        base revision (whose analysis is cached); added:\n"
"                        findings on added lines (the default with --input);\n"
"                        context: in the change's hunks; file: in changed\n"
"                        files; all: every finding of the analysed packages\n"
"  --show-baseline       also list findings accepted by .escape-baseline.json\n"
"  --all-packages        analyse every package of every module, not only the\n"
"                        changed ones\n"
"  --no-cache            analyse the base revision even when it is cached\n"
"  --build-flags FLAGS   extra go build flags, split at white space\n"
"                        (e.g. '-tags=integration')\n"
"  --gcflags FLAGS       extra compiler flags, appended after -m=2 (e.g. -l)\n"
"  --input FILE          read compiler output from FILE ('-': stdin) instead of\n"
"                        running go; with --mode all no repository is needed\n"
"  --max-flow N          keep at most N steps of each reason chain (default 12,\n"
"                        0 keeps all)\n"

"Output:\n"
"  --format FMT          text (default), json, markdown (the summary comment,\n"
"                        from templates), comments (each new finding's inline\n"
"                        comment), status (a commit status line), sarif\n"
"                        (SARIF 2.1.0), rdjson (reviewdog), github-actions\n"
"                        (workflow command annotations), template-data (what\n"
"                        templates see; docs/templates.md)\n"
"  --template-dir DIR    templates for markdown, comments and status (default:\n"
"                        $ESCAPE_REVIEW_TEMPLATES, else the installed ones)\n"
"  --max-comment-bytes N cut each rendered comment to N bytes, with a note\n"
"                        (default 65000)\n"
"  --explain             text: print the whole reason chain under each finding\n"
"  --fail-on LEVEL       none|info|warning|error (default error): exit 1 when a\n"
"                        reported finding is at or above LEVEL\n"
"  -v, --verbose         print the go commands (and HTTP requests) that run\n"
"Publishing (see docs/publishing.md):\n"
"  --reporter R          local (default): print only; github or gitlab: also\n"
"                        post inline comments on lines of the diff, one sticky\n"
"                        summary and a commit status; auto: from GITHUB_ACTIONS\n"
"                        or GITLAB_CI.  The token comes from GITHUB_TOKEN or\n"
"                        GITLAB_TOKEN only; base and head default to the pull or\n"
"                        merge request's\n"
"  --pr N, --repo-slug OWNER/REPO, --api-url URL\n"
"                        where to publish, for CI systems other than GitHub\n"
"                        Actions and GitLab CI\n"
"  --dry-run             print each request that would be sent; send nothing\n"
"  -C DIR                run as if started in DIR\n";

static const char usage_text_more[] =
"Profiles (review, baseline check and report; docs/report.md):\n"
"  --profile FILE        weight findings by a pprof heap or CPU profile (read\n"
"                        with go tool pprof; repeatable): bytes at each line,\n"
"                        the heaviest first\n"
"  --hot-share SHARE     a finding at or above SHARE of the profile is hot and\n"
"                        raised one severity (default 1%)\n"
"\n"
"Exit codes:\n"
"  0  nothing at or above --fail-on\n"
"  1  findings at or above --fail-on\n"
"  2  usage, configuration or repository error (an unknown revision is named),\n"
"     or --input whose every finding lies outside the directory\n"
"  3  the analysis failed: build errors (the compiler's messages are shown),\n"
"     or no go on PATH\n"
"  4  publishing failed (the findings were printed first)\n"
"\n"
"Baseline (.escape-baseline.json at the repository root): `baseline update`\n"
"analyses every package of the repository's modules and writes their\n"
"findings; with --changed (the packages the change touches) or PACKAGE\n"
"directories (DIR/... for a tree) only those packages' entries are replaced\n"
"and every other entry is kept.  It prints what it added and removed.\n"
"`baseline check` exits 1 when findings outside the baseline exist and lists\n"
"the stale entries of the packages it analysed.\n"
"\n"
"Configuration: .escape-review.json at the repository root (fail_on, hook,\n"
"mode, exclude, build_flags, gcflags, max_flow, rules, ...); options given\n"
"here override it; `escape-review config` shows each value and its source.\n"
"A finding whose line (or the line above) has `//escape:ok REASON` is\n"
"acknowledged: listed, but not counted for --fail-on.\n"
"\n"
"The pre-push hook (hooks/pre-push, install.sh --hook) reviews the pushed\n"
"commits and writes to stderr.  ESCAPE_REVIEW_SKIP=1 skips it.  Exit codes:\n"
"  0  nothing at or above hook.fail_on (default warning), or the review\n"
"     could not run and hook.on_error is allow (the default; a warning says so)\n"
"  1  findings at or above hook.fail_on: the push is blocked\n"
"  2  usage or configuration error\n"
"  3  the review could not run and hook.on_error is block\n"
"\n"
"Colour is used on a terminal unless NO_COLOR is set.\n";

int er_exit_code(int code)
{
	switch (code) {
	case ER_OK: return EXIT_CLEAN;
	case ER_EUSAGE:
	case ER_ECONFIG:
	case ER_EREPO:
	case ER_ETEMPLATE:
	case ER_EINPUT: return EXIT_USAGE;
	case ER_EANALYSIS:
	case ER_ENOGO: return EXIT_ANALYSIS;
	case ER_EPUBLISH: return EXIT_PUBLISH;
	default: return EXIT_ANALYSIS;
	}
}

static int fail(int code)
{
	const char *msg = error_last();

	fprintf(stderr, "escape-review: %s\n", *msg ? msg : "unknown error");
	return er_exit_code(code);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("escape-review: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(see escape-review --help)\n", stderr);
	return EXIT_USAGE;
}

/* Match "--name VALUE" or "--name=VALUE"; advances *i past a separate value. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n])
		return 0;
	if (*i + 1 >= argc) {
		*value = NULL;
		return 1;
	}
	*value = argv[++*i];
	return 1;
}

static void print_out(const struct strbuf *sb)
{
	fwrite(sb->buf, 1, sb->len, stdout);
}

static int cmd_rules(int argc, char **argv)
{
	const char *format = "text", *id = NULL, *v;
	const struct rule *rules;
	size_t nr, i;
	int k;

	for (k = 0; k < argc; k++) {
		if (opt_value(argc, argv, &k, "--format", &v)) {
			if (!v)
				return usage_error("%s needs a value", "--format");
			format = v;
		} else if (argv[k][0] == '-') {
			return usage_error("unknown option for rules: %s", argv[k]);
		} else {
			id = argv[k];
		}
	}
	rules = checklist_rules(&nr);
	if (id && !checklist_find(id))
		return usage_error("no rule %s: `escape-review rules` lists them", id);
	if (!strcmp(format, "json")) {
		cJSON *arr = cJSON_CreateArray();
		char *s;

		for (i = 0; i < nr; i++) {
			cJSON *o;

			if (id && strcmp(id, rules[i].id))
				continue;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", rules[i].id);
			cJSON_AddStringToObject(o, "title", rules[i].title);
			cJSON_AddStringToObject(o, "severity", severity_name(rules[i].severity));
			cJSON_AddStringToObject(o, "why", rules[i].explanation);
			cJSON_AddStringToObject(o, "fix", rules[i].fix);
			cJSON_AddStringToObject(o, "example", rules[i].bad);
			cJSON_AddStringToObject(o, "good", rules[i].good);
			cJSON_AddStringToObject(o, "anchor", rules[i].anchor);
			if (rules[i].go_min)
				cJSON_AddNumberToObject(o, "go_min", rules[i].go_min);
			if (rules[i].go_max)
				cJSON_AddNumberToObject(o, "go_max", rules[i].go_max);
			if (rules[i].compilers)
				cJSON_AddStringToObject(o, "compilers", rules[i].compilers);
			cJSON_AddItemToArray(arr, o);
		}
		s = cJSON_Print(arr);
		puts(s);
		free(s);
		cJSON_Delete(arr);
		return 0;
	}
	if (!strcmp(format, "markdown")) {
		struct strbuf md = STRBUF_INIT;

		checklist_write_markdown(&md);
		print_out(&md);
		strbuf_release(&md);
		return 0;
	}
	if (strcmp(format, "text"))
		return usage_error("unknown --format for rules: %s (text, json or markdown)", format);
	for (i = 0; i < nr; i++) {
		if (id && strcmp(id, rules[i].id))
			continue;
		if (!id) {
			printf("%s  %-7s  %s\n", rules[i].id, severity_name(rules[i].severity),
			       rules[i].title);
			continue;
		}
		printf("%s: %s (%s)\n\n%s\n\nFix: %s\n", rules[i].id, rules[i].title,
		       severity_name(rules[i].severity), rules[i].explanation, rules[i].fix);
		if (rules[i].compilers)
			printf("\nCompilers: %s\n", rules[i].compilers);
		if (*rules[i].bad)
			printf("\nTriggers it:\n%s\n", rules[i].bad);
		if (*rules[i].good)
			printf("\nFixed:\n%s\n", rules[i].good);
	}
	return 0;
}

/* `render TEMPLATE --data FILE.json [--partials DIR] [--escape html|markdown|none]` */
static int cmd_render(int argc, char **argv)
{
	static const char *const escapes[] = { "html", "markdown", "none" };
	const char *tmpl = NULL, *data = NULL, *partials = NULL, *v;
	struct strbuf out = STRBUF_INIT;
	int k, ret, esc = -1;

	for (k = 0; k < argc; k++) {
		const char *a = argv[k];

		if (opt_value(argc, argv, &k, "--data", &v) ||
		    opt_value(argc, argv, &k, "--partials", &v) ||
		    opt_value(argc, argv, &k, "--escape", &v)) {
			if (!v)
				return usage_error("%s needs a value", a);
			if (starts_with(a, "--data"))
				data = v;
			else if (starts_with(a, "--partials"))
				partials = v;
			else {
				for (esc = 0; esc < 3; esc++)
					if (!strcmp(v, escapes[esc]))
						break;
				if (esc == 3)
					return usage_error("unknown --escape '%s' (html, markdown or none)", v);
			}
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option for render: %s", a);
		} else if (tmpl) {
			return usage_error("render takes one template, not also '%s'", a);
		} else {
			tmpl = a;
		}
	}
	if (!tmpl || !data)
		return usage_error("%s", "usage: escape-review render TEMPLATE --data FILE.json [--partials DIR] [--escape html|markdown|none]");
	ret = report_render_file(&out, tmpl, data, partials, esc);
	if (ret) {
		strbuf_release(&out);
		return fail(ret);
	}
	print_out(&out);
	strbuf_release(&out);
	return EXIT_CLEAN;
}

static int worst_at_or_above(const struct review *rv, int fail_on)
{
	size_t i;

	if (fail_on == SEVERITY_NONE)
		return 0;
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		if ((f->status == STATUS_NEW || f->status == STATUS_EXISTING) &&
		    (int)f->severity >= fail_on)
			return 1;
	}
	return 0;
}

/* The repository's .escape-review.json (config.h); released in main(). */
/* escape-review's version, and the Go it would run (tested: GO_SUPPORTED). */
static int print_version(void)
{
	struct build_opts bo = { 0 };
	struct strbuf v = STRBUF_INIT;
	char *which = run_which("go");

	printf("escape-review %s\n", ER_VERSION);
	if (go_version(&v, &bo))
		printf("go: not found on PATH (tested with %s)\n", GO_SUPPORTED);
	else
		printf("go: %s (%s)%s\n", v.buf, which ? which : "go",
		       go_version_supported(v.buf) ? "" : ", outside the tested " GO_SUPPORTED);
	strbuf_release(&v);
	free(which);
	return 0;
}

static struct config config;

/* Start from the configuration: options parsed afterwards override it. */
static void apply_config(struct review_opts *ro, int *fail_on)
{
	*fail_on = config.fail_on;
	ro->mode = (enum review_mode)config.mode;
	ro->build.build_flags = config.build_flags;
	ro->build.gcflags = config.gcflags;
	ro->build.max_flow = config.max_flow;
	ro->policy = &config.policy;
}

/* The configuration's template_dir, relative to the file's directory (the
 * repository root) unless absolute. */
static const char *config_template_dir(void)
{
	const char *slash;
	char *dir, *joined;

	if (!config.template_dir || config.template_dir[0] == '/' || !config.path ||
	    !(slash = strrchr(config.path, '/')))
		return config.template_dir;
	dir = xstrndup(config.path, (size_t)(slash - config.path));
	joined = path_join(dir, config.template_dir);
	free(config.template_dir);
	config.template_dir = joined;
	free(dir);
	return config.template_dir;
}

/* Drop the findings in excluded files (config "exclude"). */
static void exclude_findings(struct review *rv)
{
	config_filter(&config, &rv->findings);
	config_filter(&config, &rv->fixed);
}

/* Mark the findings acknowledged by //escape:ok; warnings go to stderr. */
static void acknowledge(struct review *rv)
{
	struct strbuf warnings = STRBUF_INIT;

	ack_apply(&rv->findings, &warnings);
	fputs(warnings.buf, stderr);
	strbuf_release(&warnings);
}

/*
 * `baseline update`: the entries of the analysed packages become their
 * findings, the others stay.  `baseline check`: exit 1 when findings
 * outside it exist, and list the stale entries of the analysed packages.
 */
static int finish_baseline(const char *action, struct review *rv, struct baseline *bl,
			   const struct pkgset *analysed, int tests, int verbose)
{
	struct baseline_scope scope = { analysed, tests, &config };
	struct strbuf out = STRBUF_INIT;
	struct report_opts rep = { 0 };
	size_t i, outside = 0, stale = 0;

	if (!rv->workdir) {
		fputs("escape-review: the baseline lives in the work tree, and this repository has none\n", stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(action, "update")) {
		struct baseline_update up;
		char *path = path_join(rv->workdir, ".escape-baseline.json");
		int ret = baseline_update(&up, path, &rv->findings, &scope);

		free(path);
		if (ret) {
			baseline_update_release(&up);
			return fail(ret);
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
	baseline_set_scope(bl, &scope);
	for (i = 0; i < rv->findings.nr; i++) {
		struct finding *f = rv->findings.items[i];

		if (f->status == STATUS_BASELINE || f->status == STATUS_ACKNOWLEDGED) {
			finding_free(f);
			continue;
		}
		rv->findings.items[outside++] = f;
	}
	rv->findings.nr = outside;
	report_text(&out, rv, &rep);
	for (i = 0; i < bl->nr; i++)
		if (baseline_stale(bl, i)) {
			if (!stale++)
				strbuf_addstr(&out, "stale baseline entries (no longer found; `escape-review baseline update` removes them):\n");
			strbuf_addf(&out, "  %s\n", bl->lines[i]);
		}
	strbuf_addf(&out, "escape-review: %zu finding%s outside the baseline, %zu stale entr%s\n",
		    outside, outside == 1 ? "" : "s", stale, stale == 1 ? "y" : "ies");
	print_out(&out);
	strbuf_release(&out);
	return outside ? EXIT_FINDINGS : EXIT_CLEAN;
}

static const char *const review_formats[] = {
	"text", "json", "markdown", "comments", "status", "sarif", "rdjson", "github-actions",
	"template-data",
};

static int review_format_known(const char *format)
{
	size_t i;

	for (i = 0; i < sizeof(review_formats) / sizeof(review_formats[0]); i++)
		if (!strcmp(format, review_formats[i]))
			return 1;
	return 0;
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

/*
 * Publishing: the review has been printed; render the bodies from the
 * templates, then hand them to the forge's publisher.  Returns 0, a
 * negative ER_* code (exit 4), or FORGE_READONLY (nothing written).
 */
static int publish(const struct review *rv, const struct forge_context *ctx, const char *dir,
		   int failing, int verbose, int dry_run)
{
	struct forge_review fr;
	struct http_client c;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int ret;

	forge_review_init(&fr);
	if ((ret = report_render(&sb, rv, "summary.md", dir)))
		goto out;
	fr.summary = strbuf_detach(&sb, NULL);
	if ((ret = report_render(&sb, rv, "status.txt", dir)))
		goto out;
	strbuf_trim(&sb);
	fr.status_description = strbuf_detach(&sb, NULL);
	fr.status_state = xstrdup(failing ? "failure" : "success");
	fr.head_sha = xstrdup_or_null(rv->head[0] ? rv->head : NULL);
	fr.base_sha = xstrdup_or_null(rv->base[0] ? rv->base : NULL);
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];
		struct strbuf title = STRBUF_INIT;

		/* inline only where the pull request shows the line: added or context */
		if (f->status != STATUS_NEW || !(f->added_line || f->in_hunk))
			continue;
		strbuf_reset(&sb);
		if ((ret = report_render_finding(&sb, rv, f, dir)))
			goto out;
		strbuf_addf(&title, "%s %s", f->rule ? f->rule : "", f->message);
		forge_review_add(&fr, f->file, f->old_path, f->line, f->added_line ? 0 : f->old_line,
				 f->fingerprint, title.buf, sb.buf);
		strbuf_release(&title);
	}
	forge_http_client_init(&c, ctx);
	c.verbose = verbose;
	c.dry_run = dry_run;
	ret = ctx->kind == FORGE_GITHUB ? github_publish(ctx, &fr, &c) : gitlab_publish(ctx, &fr, &c);
	http_client_release(&c);
out:
	strbuf_release(&sb);
	forge_review_release(&fr);
	return ret;
}

static int cmd_review(int argc, char **argv, const char *baseline_action)
{
	struct baseline bl = BASELINE_INIT;
	struct pkgset analysed = PKGSET_INIT;
	struct review_opts ro = { 0 };
	struct review rv = { 0 };
	struct report_opts rep = { 0 };
	const char *format = "text", *v, *template_dir, *reporter = "local";
	size_t max_comment = REPORT_MAX_COMMENT_BYTES;
	int fail_on = SEVERITY_ERROR, ret, k, explain = 0, dry_run = 0, changed = 0, npkgs = 0;
	struct forge_flags ff = FORGE_FLAGS_INIT;
	struct forge_context ctx = FORGE_CONTEXT_INIT;
	const char *profiles[PROFILE_MAX_FILES];
	size_t profiles_nr = 0;
	double hot_share = PROFILE_HOT_SHARE;
	struct profile prof = PROFILE_INIT;

	if ((ret = config_load_repo(&config)))
		return fail(ret);
	apply_config(&ro, &fail_on);
	template_dir = config_template_dir();
	for (k = 0; k < argc; k++) {
		const char *a = argv[k];

		if (opt_value(argc, argv, &k, "--base", &v) ||
		    opt_value(argc, argv, &k, "--head", &v) ||
		    opt_value(argc, argv, &k, "--mode", &v) ||
		    opt_value(argc, argv, &k, "--format", &v) ||
		    opt_value(argc, argv, &k, "--fail-on", &v) ||
		    opt_value(argc, argv, &k, "--build-flags", &v) ||
		    opt_value(argc, argv, &k, "--gcflags", &v) ||
		    opt_value(argc, argv, &k, "--input", &v) ||
		    opt_value(argc, argv, &k, "--template-dir", &v) ||
		    opt_value(argc, argv, &k, "--max-comment-bytes", &v) ||
		    opt_value(argc, argv, &k, "--reporter", &v) ||
		    opt_value(argc, argv, &k, "--pr", &v) ||
		    opt_value(argc, argv, &k, "--repo-slug", &v) ||
		    opt_value(argc, argv, &k, "--api-url", &v) ||
		    opt_value(argc, argv, &k, "--max-flow", &v) ||
		    opt_value(argc, argv, &k, "--profile", &v) ||
		    opt_value(argc, argv, &k, "--hot-share", &v)) {
			if (!v)
				return usage_error("%s needs a value", a);
			if (starts_with(a, "--profile") && profiles_nr == PROFILE_MAX_FILES)
				return usage_error("at most %s --profile files: merge them with `go tool pprof -proto`", "64");
			else if (starts_with(a, "--profile"))
				profiles[profiles_nr++] = v;
			else if (starts_with(a, "--hot-share") && (hot_share = profile_parse_share(v)) < 0)
				return usage_error("--hot-share takes a share of the profile above 0 and at most 100%%, as 1%% or 0.01, not '%s'", v);
			else if (starts_with(a, "--base"))
				ro.base = v;
			else if (starts_with(a, "--head"))
				ro.head = v;
			else if (starts_with(a, "--mode")) {
				int m = review_mode_parse(v);

				if (m < 0)
					return usage_error("unknown --mode '%s' (new, added, context, file or all)", v);
				ro.mode = (enum review_mode)m;
			} else if (starts_with(a, "--format"))
				format = v;
			else if (starts_with(a, "--fail-on")) {
				fail_on = severity_parse(v);
				if (fail_on < 0)
					return usage_error("unknown --fail-on '%s' (none, info, warning or error)", v);
			} else if (starts_with(a, "--build-flags"))
				ro.build.build_flags = v;
			else if (starts_with(a, "--gcflags"))
				ro.build.gcflags = v;
			else if (starts_with(a, "--input"))
				ro.input = v;
			else if (starts_with(a, "--template-dir"))
				template_dir = v;
			else if (starts_with(a, "--reporter")) {
				if (strcmp(v, "local") && strcmp(v, "github") && strcmp(v, "gitlab") &&
				    strcmp(v, "auto"))
					return usage_error("unknown --reporter '%s' (local, github, gitlab or auto)", v);
				reporter = v;
			} else if (starts_with(a, "--pr")) {
				char *end;
				long n = strtol(v, &end, 10);

				if (*end || n <= 0)
					return usage_error("--pr takes a pull or merge request number, not '%s'", v);
				ff.pr = n;
			} else if (starts_with(a, "--repo-slug"))
				ff.repo_slug = v;
			else if (starts_with(a, "--api-url"))
				ff.api_url = v;
			else if (starts_with(a, "--max-comment-bytes")) {
				char *end;
				long n = strtol(v, &end, 10);

				if (*end || n < 256 || n > 100000000)
					return usage_error("--max-comment-bytes takes a number from 256 to 100000000, not '%s'", v);
				max_comment = (size_t)n;
			}
			else if (starts_with(a, "--max-flow")) {
				char *end;
				long n = strtol(v, &end, 10);

				if (*end || n < 0 || n > 100000)
					return usage_error("--max-flow takes a number from 0 to 100000, not '%s'", v);
				ro.build.max_flow = (int)n;
			}
		} else if (!strcmp(a, "--worktree")) {
			ro.worktree = 1;
		} else if (!strcmp(a, "--tests")) {
			ro.tests = 1;
		} else if (!strcmp(a, "--show-baseline")) {
			ro.show_baseline = 1;
		} else if (!strcmp(a, "--no-cache")) {
			ro.no_cache = 1;
		} else if (!strcmp(a, "--all-packages")) {
			ro.all_packages = 1;
		} else if (!strcmp(a, "--explain")) {
			explain = 1;
		} else if (!strcmp(a, "--dry-run")) {
			dry_run = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ro.verbose = ro.build.verbose = 1;
		} else if (baseline_action && !strcmp(a, "--changed")) {
			changed = 1;
		} else if (baseline_action && a[0] != '-') {
			argv[npkgs++] = argv[k]; /* package directories, gathered in front */
		} else {
			return usage_error("unknown option: %s", a);
		}
	}
	if (!review_format_known(format))
		return usage_error("unknown --format '%s' (text, json, markdown, comments, status, sarif, rdjson, github-actions or template-data)", format);
	if (ro.worktree && ro.head)
		return usage_error("%s", "--worktree and --head cannot be used together");
	if (strcmp(reporter, "local") && !baseline_action) {
		/* where to publish, and (unless given) the base and head under review */
		ff.dry_run = dry_run;
		ff.base_sha = ro.base;
		ff.head_sha = ro.head;
		if ((ret = forge_context_from_env(&ctx, reporter, &ff)))
			return fail(ret);
		if (!ff.api_url && ctx.kind == FORGE_GITHUB && config.github_api_url) {
			free(ctx.api_url);
			ctx.api_url = xstrdup(config.github_api_url);
		} else if (!ff.api_url && ctx.kind == FORGE_GITLAB && config.gitlab_api_url) {
			free(ctx.api_url);
			ctx.api_url = xstrdup(config.gitlab_api_url);
		}
		if (!ro.base && !ro.worktree)
			ro.base = ctx.base_sha;
		if (!ro.head && !ro.worktree)
			ro.head = ctx.head_sha;
	}

	if (baseline_action) {
		ro.mode = MODE_ALL;
		ro.no_baseline = !strcmp(baseline_action, "update");
		ro.show_baseline = 1;
		ro.baseline_out = &bl;
		/* every package unless narrowed: what is not analysed is kept */
		ro.all_packages = !changed && !npkgs;
		ro.packages = (const char *const *)argv;
		ro.packages_nr = npkgs;
		ro.packages_out = &analysed;
		if (changed && npkgs)
			return usage_error("%s", "baseline: give --changed or packages, not both");
	}
	/* the profiles first: a bad one fails before the build */
	ret = profile_read_all(&prof, profiles, profiles_nr, &ro.build);
	if (!ret)
		ret = review_run(&rv, &ro);
	if (!ret)
		exclude_findings(&rv);
	if (!ret && profiles_nr)
		profile_apply(&rv, &prof, hot_share);
	profile_release(&prof);
	if (ret) {
		review_release(&rv);
		baseline_release(&bl);
		return fail(ret);
	}
	if (baseline_action) {
		acknowledge(&rv);
		ret = finish_baseline(baseline_action, &rv, &bl, &analysed, ro.tests, ro.verbose);
		review_release(&rv);
		baseline_release(&bl);
		pkgset_release(&analysed);
		return ret;
	}
	acknowledge(&rv);
	if (!strcmp(format, "json")) {
		report_json_write(stdout, &rv);
	} else if (strcmp(format, "text") && strcmp(format, "template-data")) {
		struct strbuf out = STRBUF_INIT;

		ret = format_review(&out, &rv, format, report_template_dir(template_dir), max_comment);
		if (ret) {
			strbuf_release(&out);
			review_release(&rv);
			return fail(ret);
		}
		print_out(&out);
		strbuf_release(&out);
	} else if (!strcmp(format, "template-data")) {
		cJSON *doc = report_template_data(&rv);
		char *s = cJSON_Print(doc);

		puts(s);
		free(s);
		cJSON_Delete(doc);
	} else {
		struct strbuf out = STRBUF_INIT;

		rep.explain = explain;
		rep.color = isatty(1) && !getenv("NO_COLOR");
		report_text(&out, &rv, &rep);
		print_out(&out);
		strbuf_release(&out);
	}
	fflush(stdout);
	ret = worst_at_or_above(&rv, fail_on) ? EXIT_FINDINGS : EXIT_CLEAN;
	if (strcmp(reporter, "local")) {
		/* the findings are printed: publishing can fail without losing them */
		int pub = publish(&rv, &ctx, report_template_dir(template_dir),
				  ret == EXIT_FINDINGS, ro.verbose, dry_run);

		if (pub == FORGE_READONLY) {
			struct strbuf ann = STRBUF_INIT;

			fprintf(stderr, "escape-review: %s\n", error_last());
			if (ctx.kind == FORGE_GITHUB) {
				fputs("escape-review: writing the findings as GitHub Actions annotations instead\n", stderr);
				format_github_actions(&ann, &rv);
				print_out(&ann);
				fflush(stdout);
			}
			strbuf_release(&ann);
		} else if (pub < 0) {
			ret = fail(pub);
		}
	}
	forge_context_release(&ctx);
	review_release(&rv);
	return ret;
}

/*
 * `report --base REV --head REV`: the release report (release.h) of every
 * package at both revisions, weighted by --profile files.
 */
static int cmd_report(int argc, char **argv)
{
	struct review_opts ro = { 0 };
	struct review rv = { 0 };
	struct strbuf out = STRBUF_INIT;
	const char *profiles[PROFILE_MAX_FILES], *format = "html", *base = NULL, *head = "HEAD";
	const char *template_dir, *v;
	size_t profiles_nr = 0;
	double hot_share = PROFILE_HOT_SHARE;
	struct profile prof = PROFILE_INIT;
	int fail_on, ret, k;

	if ((ret = config_load_repo(&config)))
		return fail(ret);
	apply_config(&ro, &fail_on);
	template_dir = config_template_dir();
	for (k = 0; k < argc; k++) {
		const char *a = argv[k];

		if (!opt_value(argc, argv, &k, "--base", &v) && !opt_value(argc, argv, &k, "--head", &v) &&
		    !opt_value(argc, argv, &k, "--format", &v) && !opt_value(argc, argv, &k, "--profile", &v) &&
		    !opt_value(argc, argv, &k, "--hot-share", &v) &&
		    !opt_value(argc, argv, &k, "--template-dir", &v) &&
		    !opt_value(argc, argv, &k, "--build-flags", &v) &&
		    !opt_value(argc, argv, &k, "--gcflags", &v)) {
			if (!strcmp(a, "--no-cache"))
				ro.no_cache = 1;
			else if (!strcmp(a, "--tests"))
				ro.tests = 1;
			else
				return usage_error("unknown report option: %s (usage: escape-review report --base REV [--head REV] [--profile FILE] [--format html|markdown|json])", a);
			continue;
		}
		if (!v)
			return usage_error("%s needs a value", a);
		if (starts_with(a, "--base"))
			base = v;
		else if (starts_with(a, "--head"))
			head = v;
		else if (starts_with(a, "--format"))
			format = v;
		else if (starts_with(a, "--template-dir"))
			template_dir = v;
		else if (starts_with(a, "--build-flags"))
			ro.build.build_flags = v;
		else if (starts_with(a, "--gcflags"))
			ro.build.gcflags = v;
		else if (starts_with(a, "--hot-share") && (hot_share = profile_parse_share(v)) < 0)
			return usage_error("--hot-share takes a share of the profile above 0 and at most 100%%, as 1%% or 0.01, not '%s'", v);
		else if (starts_with(a, "--profile") && profiles_nr == PROFILE_MAX_FILES)
			return usage_error("at most %s --profile files: merge them with `go tool pprof -proto`", "64");
		else if (starts_with(a, "--profile"))
			profiles[profiles_nr++] = v;
	}
	if (!base)
		return usage_error("%s", "report needs --base REV (the older release), and --head REV unless it is HEAD");
	if (strcmp(format, "html") && strcmp(format, "markdown") && strcmp(format, "json"))
		return usage_error("unknown report --format '%s' (html, markdown or json)", format);
	release_review_opts(&ro, base, head);
	ret = profile_read_all(&prof, profiles, profiles_nr, &ro.build);
	if (!ret)
		ret = review_run(&rv, &ro);
	if (!ret) {
		exclude_findings(&rv);
		acknowledge(&rv);
	}
	if (!ret && profiles_nr)
		profile_apply(&rv, &prof, hot_share);
	profile_release(&prof);
	if (!ret)
		ret = release_render(&out, &rv, base, head, format, report_template_dir(template_dir));
	if (!ret)
		print_out(&out);
	strbuf_release(&out);
	review_release(&rv);
	return ret ? fail(ret) : EXIT_CLEAN;
}

/*
 * `config`: the effective configuration and where each value came from.
 * The review options that map to settings override them here too.
 */
static int cmd_config(int argc, char **argv)
{
	static const struct { const char *flag; enum config_key key; } flags[] = {
		{ "--fail-on", CONFIG_FAIL_ON }, { "--mode", CONFIG_MODE },
		{ "--build-flags", CONFIG_BUILD_FLAGS }, { "--gcflags", CONFIG_GCFLAGS },
		{ "--max-flow", CONFIG_MAX_FLOW },
	};
	const char *format = "text", *v;
	size_t f;
	int k, ret;

	if ((ret = config_load_repo(&config)))
		return fail(ret);
	for (k = 0; k < argc; k++) {
		const char *a = argv[k];

		if (opt_value(argc, argv, &k, "--format", &v)) {
			if (!v)
				return usage_error("%s needs a value", a);
			format = v;
			continue;
		}
		for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			if (opt_value(argc, argv, &k, flags[f].flag, &v))
				break;
		if (f == sizeof(flags) / sizeof(flags[0]))
			return usage_error("unknown option for config: %s", a);
		if (!v)
			return usage_error("%s needs a value", a);
		if ((ret = config_set(&config, flags[f].key, v, flags[f].flag)))
			return fail(ret);
	}
	if (!strcmp(format, "json")) {
		cJSON *doc = config_describe_json(&config);
		char *s = cJSON_Print(doc);

		puts(s);
		free(s);
		cJSON_Delete(doc);
	} else if (!strcmp(format, "text")) {
		struct strbuf out = STRBUF_INIT;

		config_describe_text(&out, &config);
		print_out(&out);
		strbuf_release(&out);
	} else {
		return usage_error("unknown --format for config: %s (text or json)", format);
	}
	return EXIT_CLEAN;
}

/* The hook's own failure: per hook.on_error, allow with a warning or block (exit 3). */
static int hook_failed(int code)
{
	const char *msg = error_last();

	fprintf(stderr, "escape-review: %s\n", *msg ? msg : "unknown error");
	if (code == ER_ECONFIG || code == ER_EUSAGE)
		return er_exit_code(code);
	if (config.hook_block_on_error) {
		fputs("escape-review: push blocked: the review could not run and hook.on_error is \"block\" (push anyway once: ESCAPE_REVIEW_SKIP=1 git push)\n", stderr);
		return EXIT_ANALYSIS;
	}
	fputs("escape-review: warning: the review could not run; the push goes ahead (hook.on_error is \"allow\")\n", stderr);
	return EXIT_CLEAN;
}

/* Review one pushed range, report on stderr; *blocked when it reaches hook.fail_on. */
static int hook_review(const struct push_range *r, int *blocked)
{
	struct review_opts ro = { 0 };
	struct review rv = { 0 };
	struct report_opts rep = { 0 };
	struct strbuf out = STRBUF_INIT;
	int fail_on, ret;

	apply_config(&ro, &fail_on);
	/* the hook's own default is new-versus-base; a mode in the file wins */
	if (config.source[CONFIG_MODE] != CONFIG_SRC_FILE)
		ro.mode = MODE_NEW;
	ro.base = r->from_root ? NULL : r->base;
	ro.base_empty = r->from_root;
	ro.head = r->head;
	fprintf(stderr, "escape-review: %s %.12s..%.12s%s\n", r->ref, r->base, r->head,
		r->from_root ? " (nothing of it is on the remote yet: reviewing the whole tree)" : "");
	ret = review_run(&rv, &ro);
	if (!ret) {
		exclude_findings(&rv);
		acknowledge(&rv);
		rep.explain = 1;
		rep.color = isatty(2) && !getenv("NO_COLOR");
		report_text(&out, &rv, &rep);
		fputs(out.buf, stderr);
		if (worst_at_or_above(&rv, config.hook_fail_on))
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
static int cmd_hook(int argc, char **argv)
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
		return usage_error("%s", "usage: escape-review hook pre-push REMOTE [URL] (ref lines on stdin), or hook pre-commit");
	if ((ret = config_load_repo(&config)))
		return fail(ret);
	if (!strcmp(argv[0], "pre-commit")) {
		const char *from = getenv("PRE_COMMIT_FROM_REF"), *to = getenv("PRE_COMMIT_TO_REF");

		if (!from || !to || !*from || !*to) {
			fputs("escape-review: PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF are not set (not pre-commit's pre-push stage, or a first push): nothing reviewed\n", stderr);
			return EXIT_CLEAN;
		}
		if (strlen(from) != GIT_OID_HEXSZ || strlen(to) != GIT_OID_HEXSZ)
			return usage_error("%s", "PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF must be commit ids");
		push_ranges_add(&ranges, from, to, "pre-commit", 0);
	} else {
		if ((ret = push_updates_read(&updates, stdin)) || (ret = repo_open(&repo, ".")) ||
		    (ret = hook_ranges(&ranges, repo, argv[1], &updates)))
			goto out;
	}
	if (!ranges.nr)
		fputs("escape-review: no new commits to review in this push\n", stderr);
	for (i = 0; i < ranges.nr; i++)
		if ((ret = hook_review(&ranges.items[i], &blocked)))
			goto out;
	if (blocked) {
		fprintf(stderr,
			"escape-review: push blocked: findings at or above %s (hook.fail_on)\n"
			"  accept one by saying why, on its line or alone on the line above:\n"
			"      //escape:ok <reason>        (or //escape:ok ER001 <reason> for one rule)\n"
			"  push anyway, this once:  ESCAPE_REVIEW_SKIP=1 git push   (or: git push --no-verify)\n",
			severity_name((enum severity)config.hook_fail_on));
	}
out:
	push_updates_release(&updates);
	push_ranges_release(&ranges);
	git_repository_free(repo);
	if (ret)
		return hook_failed(ret);
	return blocked ? EXIT_FINDINGS : EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	int i = 1, ret;

	util_init();
	while (i < argc) {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc)
				return usage_error("%s needs a directory", "-C");
			if (chdir(argv[i + 1]) < 0) {
				fprintf(stderr, "escape-review: cannot change to directory %s: %s\n", argv[i + 1], strerror(errno));
				return EXIT_USAGE;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			fputs(usage_text_review, stdout);
			fputs(usage_text_more, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			return print_version();
		} else {
			break;
		}
	}
	config_init(&config);
	git_libgit2_init();
	if (i < argc && !strcmp(argv[i], "rules"))
		ret = cmd_rules(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "config"))
		ret = cmd_config(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "render"))
		ret = cmd_render(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "hook"))
		ret = cmd_hook(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "report"))
		ret = cmd_report(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "review"))
		ret = cmd_review(argc - i - 1, argv + i + 1, NULL);
	else if (i < argc && !strcmp(argv[i], "baseline")) {
		if (i + 1 >= argc || (strcmp(argv[i + 1], "update") && strcmp(argv[i + 1], "check")))
			ret = usage_error("%s", "usage: escape-review baseline update|check [--changed | PACKAGE...] [review options]");
		else
			ret = cmd_review(argc - i - 2, argv + i + 2, argv[i + 1]);
	} else
		ret = cmd_review(argc - i, argv + i, NULL);
	config_release(&config);
	git_libgit2_shutdown();
	return ret;
}
