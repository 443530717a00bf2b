/*
 * options.c: the one table of command-line options (options.h), parsing
 * argv against it, and the usage text made from it.  Values that are
 * settings go to config_set(); the rest to struct cli_args.
 */
#include "options.h"
#include "profile.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum opt_kind { OPT_KIND_SECTION, OPT_KIND_STRING, OPT_KIND_SWITCH, OPT_KIND_CONFIG, OPT_KIND_CALL };

struct option {
	enum opt_kind kind;
	const char *name;     /* "--mode"; a section's heading */
	const char *alias;    /* "-v", or NULL */
	const char *arg;      /* "MODE"; NULL for a switch */
	unsigned cmds;        /* CMD_* bits */
	size_t offset;        /* OPT_STRING, OPT_SWITCH: the field in struct cli_args */
	int key;              /* OPT_CONFIG: enum config_key */
	int (*call)(struct cli_args *a, const char *value);
	const char *help;     /* NULL: not listed */
};

#define OPT_SECTION(title) { OPT_KIND_SECTION, title, NULL, NULL, ~0u, 0, 0, NULL, NULL }
#define OPT_STRING(n, arg, cmds, field, help) \
	{ OPT_KIND_STRING, n, NULL, arg, cmds, offsetof(struct cli_args, field), 0, NULL, help }
#define OPT_SWITCH(n, cmds, field, help) \
	{ OPT_KIND_SWITCH, n, NULL, NULL, cmds, offsetof(struct cli_args, field), 0, NULL, help }
#define OPT_CONFIG(n, arg, cmds, key, help) \
	{ OPT_KIND_CONFIG, n, NULL, arg, cmds, 0, key, NULL, help }
#define OPT_CALL(n, arg, cmds, fn, help) \
	{ OPT_KIND_CALL, n, NULL, arg, cmds, 0, 0, fn, help }

#define REVIEWS (CMD_REVIEW | CMD_BASELINE)

static int choose(const char *const *names, size_t nr, const char *v)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(v, names[i]))
			return (int)i;
	return -1;
}

/* "a, b or c" */
static void list_names(struct strbuf *out, const char *const *names, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		strbuf_addf(out, "%s%s", i ? (i + 1 == nr ? " or " : ", ") : "", names[i]);
}

static int bad_choice(const char *opt, const char *v, const char *const *names, size_t nr)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	list_names(&sb, names, nr);
	ret = error_set(ER_EUSAGE, "unknown %s '%s' (%s)", opt, v, sb.buf);
	strbuf_release(&sb);
	return ret;
}

#define CHOOSE(a, field, opt, v, names) \
	(choose(names, ARRAY_SIZE(names), v) < 0 ? bad_choice(opt, v, names, ARRAY_SIZE(names)) : \
	 ((a)->field = (v), 0))

static int set_review_format(struct cli_args *a, const char *v)
{
	static const char *const formats[] = {
		"text", "json", "markdown", "comments", "status", "sarif", "rdjson",
		"github-actions", "template-data",
	};

	return CHOOSE(a, format, "--format", v, formats);
}

/* `baseline check`: the findings outside the baseline (update prints text) */
static int set_baseline_format(struct cli_args *a, const char *v)
{
	static const char *const formats[] = { "text", "json", "sarif", "rdjson", "github-actions" };

	return CHOOSE(a, format, "--format", v, formats);
}

static int set_report_format(struct cli_args *a, const char *v)
{
	static const char *const formats[] = { "html", "markdown", "json" };

	return CHOOSE(a, format, "--format", v, formats);
}

static int set_profile(struct cli_args *a, const char *v)
{
	if (a->profiles_nr == PROFILE_MAX_FILES)
		return error_set(ER_EUSAGE, "at most %d --profile files: merge them with `go tool pprof -proto`",
				 PROFILE_MAX_FILES);
	a->profiles = xrealloc(a->profiles, (a->profiles_nr + 1) * sizeof(*a->profiles));
	a->profiles[a->profiles_nr++] = v;
	return 0;
}

static int set_rules_format(struct cli_args *a, const char *v)
{
	static const char *const formats[] = { "text", "json", "markdown" };

	return CHOOSE(a, format, "--format", v, formats);
}

static int set_config_format(struct cli_args *a, const char *v)
{
	static const char *const formats[] = { "text", "json" };

	return CHOOSE(a, format, "--format", v, formats);
}

static int set_reporter(struct cli_args *a, const char *v)
{
	static const char *const reporters[] = { "local", "github", "gitlab", "auto" };

	return CHOOSE(a, reporter, "--reporter", v, reporters);
}

static int set_escape(struct cli_args *a, const char *v)
{
	static const char *const escapes[] = { "html", "markdown", "none" };
	int i = choose(escapes, ARRAY_SIZE(escapes), v);

	if (i < 0)
		return bad_choice("--escape", v, escapes, ARRAY_SIZE(escapes));
	a->escape = i;
	return 0;
}

/* A whole number in [min, max], or -1. */
static long number(const char *v, long min, long max)
{
	char *end;
	long n = *v ? strtol(v, &end, 10) : -1;

	return *v && !*end && n >= min && n <= max ? n : -1;
}

static int set_pr(struct cli_args *a, const char *v)
{
	if ((a->pr = number(v, 1, 1000000000L)) < 0)
		return error_set(ER_EUSAGE, "--pr takes a pull or merge request number, not '%s'", v);
	return 0;
}

/* A count option's value in [min, max] into `out`, or the usage error naming it. */
static int count_arg(size_t *out, const char *name, const char *v, long min, long max)
{
	long n = number(v, min, max);

	if (n < 0)
		return error_set(ER_EUSAGE, "%s takes a number from %ld to %ld, not '%s'", name, min, max, v);
	*out = (size_t)n;
	return 0;
}

static int set_max_comment(struct cli_args *a, const char *v)
{
	return count_arg(&a->max_comment_bytes, "--max-comment-bytes", v, 256, 100000000L);
}

static int set_max_dependents(struct cli_args *a, const char *v)
{
	return count_arg(&a->max_dependents, "--max-dependents", v, 1, 100000L);
}

/* A Go release as `go version` names it: go1.N, then nothing, .P, rcK or
 * betaK. */
static int set_go_version(struct cli_args *a, const char *v)
{
	static const char digits[] = "0123456789";
	const char *p = v;

	if (skip_prefix(v, "go1.", &p) && *p >= '1' && *p <= '9') {
		p += strspn(p, digits);
		if (*p == '.' || skip_prefix(p, "rc", &p) || skip_prefix(p, "beta", &p)) {
			p += *p == '.';
			p = strspn(p, digits) ? p + strspn(p, digits) : "-";
		}
		if (!*p) {
			a->go_version = v;
			return 0;
		}
	}
	return error_set(ER_EUSAGE, "--go-version takes a Go release as `go version` names it (go1.24.3), not '%s'",
			 v);
}

static int set_verbose(struct cli_args *a, const char *v)
{
	(void)v;
	a->verbose = 1;
	return 0;
}

static const struct option options[] = {
	OPT_SECTION("Revisions:"),
	OPT_STRING("--base", "REV", REVIEWS | CMD_REPORT | CMD_PUBLISH, base,
		   "compare against REV: the change is base...head (merge-base)"),
	OPT_STRING("--head", "REV", REVIEWS | CMD_REPORT | CMD_PUBLISH, head, "the revision under review (default HEAD)"),
	OPT_SWITCH("--worktree", REVIEWS, worktree,
		   "review uncommitted changes against HEAD (the default when no --base is given)"),
	OPT_SWITCH("--tests", REVIEWS | CMD_CHECK | CMD_CONTRACTS | CMD_REPORT, tests,
		   "include _test.go files (compiled with go test -c)"),
	OPT_SWITCH("--changed", CMD_BASELINE, changed,
		   "baseline: only the packages the change touches"),
	OPT_SECTION("Analysis:"),
	OPT_CONFIG("--mode", "MODE", CMD_REVIEW | CMD_CONFIG, CONFIG_MODE,
		   "new (default): findings the change introduces, wherever they are in the changed "
		   "packages, compared with the base revision (whose analysis is cached); added: "
		   "findings on added lines (the default with --input); context: in the change's "
		   "hunks; file: in changed files; all: every finding of the analysed packages"),
	OPT_CONFIG("--scope", "SCOPE", CMD_REVIEW | CMD_CONFIG, CONFIG_SCOPE,
		   "dependents (default): when a changed function's escape summary changes (a "
		   "parameter now leaks, ...), also review the packages importing it, round by "
		   "round; changed: only the changed packages"),
	OPT_CALL("--max-dependents", "N", CMD_REVIEW, set_max_dependents,
		 "analyse at most N importing packages (default 200); the rest are named"),
	OPT_SWITCH("--show-baseline", CMD_REVIEW, show_baseline,
		   "also list findings accepted by .escape-baseline.json"),
	OPT_SWITCH("--all-packages", REVIEWS, all_packages,
		   "analyse every package of every module, not only the changed ones"),
	OPT_SWITCH("--no-cache", REVIEWS | CMD_REPORT, no_cache, "neither read nor write the analysis cache (base and head) and the work tree's memories, nor take go env's remembered answer"),
	OPT_STRING("--cache-dir", "DIR", REVIEWS | CMD_REPORT, cache_dir,
		   "keep the analysis cache in DIR (default: $ESCAPE_REVIEW_CACHE, else "
		   ".git/escape-review/cache); CI can save and restore it between runs"),
	OPT_CONFIG("--build-flags", "FLAGS", REVIEWS | CMD_REPORT | CMD_CONFIG | CMD_CHECK, CONFIG_BUILD_FLAGS,
		   "extra go build flags, split at white space (e.g. '-tags=integration')"),
	OPT_CONFIG("--gcflags", "FLAGS", REVIEWS | CMD_REPORT | CMD_CONFIG | CMD_CHECK, CONFIG_GCFLAGS,
		   "extra compiler flags, appended after -m=2 (e.g. -l)"),
	OPT_STRING("--input", "FILE", CMD_REVIEW, input,
		   "read compiler output from FILE ('-': stdin) instead of running go; with "
		   "--mode all no repository is needed"),
	OPT_CALL("--go-version", "GO", CMD_REVIEW, set_go_version,
		 "with --input: the Go release whose compiler wrote the log (go1.24.3, as `go "
		 "version` prints it); it decides a few classifications (ER005: Go 1.25 and newer "
		 "box constant and zero-value literals from read-only data). Without it the log's "
		 "explanations tell (Go 1.25 writes 'flow: a \xe2\x86\x90 b', the older 'flow: a = b'); "
		 "a log without them is read as the newer compilers print it"),
	OPT_CONFIG("--max-flow", "N", REVIEWS | CMD_CONFIG, CONFIG_MAX_FLOW,
		   "keep at most N steps of each reason chain (default 12, 0 keeps all)"),
	OPT_SECTION("Profiles (docs/report.md):"),
	OPT_CALL("--profile", "FILE", CMD_REVIEW | CMD_REPORT, set_profile,
		 "weight findings by a pprof heap or CPU profile (read with go tool pprof; "
		 "repeatable): bytes at each line, the heaviest first"),
	OPT_CONFIG("--hot-share", "SHARE", CMD_REVIEW | CMD_REPORT | CMD_CONFIG, CONFIG_PROFILE_HOT_SHARE,
		 "a finding at or above SHARE of the profile is hot and raised one severity "
		 "(default 1%)"),
	OPT_SECTION("Output:"),
	OPT_CALL("--format", "FMT", CMD_REVIEW, set_review_format,
		 "text (default), json, markdown (the summary comment, from templates), comments "
		 "(each new finding's inline comment), status (a commit status line), sarif (SARIF "
		 "2.1.0), rdjson (reviewdog), github-actions (workflow command annotations), "
		 "template-data (what templates see; docs/templates.md)"),
	OPT_CALL("--format", "FMT", CMD_BASELINE, set_baseline_format, NULL),
	OPT_CALL("--format", "FMT", CMD_REPORT, set_report_format, NULL),
	OPT_CALL("--format", "FMT", CMD_RULES, set_rules_format, NULL),
	OPT_CALL("--format", "FMT", CMD_CONFIG | CMD_CHECK | CMD_CONTRACTS, set_config_format, NULL),
	OPT_CONFIG("--template-dir", "DIR", CMD_REVIEW | CMD_REPORT | CMD_CONFIG, CONFIG_TEMPLATE_DIR,
		   "templates for markdown, comments and status (default: $ESCAPE_REVIEW_TEMPLATES, "
		   "else the installed ones)"),
	OPT_CALL("--max-comment-bytes", "N", CMD_REVIEW, set_max_comment,
		 "cut each rendered comment to N bytes, with a note (default 65000)"),
	OPT_SWITCH("--explain", REVIEWS, explain, "text: print the whole reason chain under each finding"),
	OPT_CONFIG("--fail-on", "LEVEL", CMD_REVIEW | CMD_CONFIG, CONFIG_FAIL_ON,
		   "none|info|warning|error (default error): exit 1 when a reported finding is at "
		   "or above LEVEL"),
	{ OPT_KIND_CALL, "--verbose", "-v", NULL, REVIEWS | CMD_CHECK | CMD_PUBLISH, 0, 0, set_verbose,
	  "print the go commands (and HTTP requests) that run" },
	OPT_SECTION("Publishing (see docs/publishing.md):"),
	OPT_CALL("--reporter", "R", CMD_REVIEW | CMD_PUBLISH, set_reporter,
		 "local (default): print only; github or gitlab: also post inline comments on lines "
		 "of the diff, one sticky summary and a commit status; auto: from GITHUB_ACTIONS or "
		 "GITLAB_CI.  The token comes from GITHUB_TOKEN or GITLAB_TOKEN only; base and head "
		 "default to the pull or merge request's"),
	OPT_CALL("--pr", "N", CMD_REVIEW | CMD_PUBLISH, set_pr, "the pull or merge request to publish on"),
	OPT_STRING("--repo-slug", "OWNER/REPO", CMD_REVIEW | CMD_PUBLISH, repo_slug, "the repository to publish on"),
	OPT_STRING("--api-url", "URL", CMD_REVIEW | CMD_PUBLISH, api_url,
		   "the forge's API (--pr, --repo-slug and --api-url: for CI systems other than "
		   "GitHub Actions and GitLab CI)"),
	OPT_SWITCH("--dry-run", CMD_REVIEW | CMD_PUBLISH, dry_run, "print each request that would be sent; send nothing"),
	OPT_SWITCH("--no-publish", CMD_REVIEW, no_publish,
		   "with --reporter: send nothing and need no token; --format json then carries "
		   "what to publish, for `escape-review publish --from FILE` in a trusted job "
		   "(docs/integrations.md: pull requests from forks)"),
	OPT_STRING("--from", "FILE", CMD_PUBLISH, from,
		   "publish: the review written by --no-publish --format json; it is checked "
		   "before anything is sent"),
	OPT_STRING("--data", "FILE.json", CMD_RENDER, data, NULL),
	OPT_STRING("--partials", "DIR", CMD_RENDER, partials, NULL),
	OPT_CALL("--escape", "html|markdown|none", CMD_RENDER, set_escape, NULL),
};

void cli_args_init(struct cli_args *a, struct config *config)
{
	memset(a, 0, sizeof(*a));
	a->config = config;
	a->reporter = "local";
	a->max_comment_bytes = 65000;
	a->escape = -1;
}

void cli_args_release(struct cli_args *a)
{
	free(a->operands);
	a->operands = NULL;
	free(a->profiles);
	a->profiles = NULL;
	a->profiles_nr = 0;
	a->operands_nr = 0;
}

static int set_option(struct cli_args *a, const struct option *o, const char *v)
{
	switch (o->kind) {
	case OPT_KIND_STRING:
		*(const char **)(void *)((char *)a + o->offset) = v;
		return 0;
	case OPT_KIND_SWITCH:
		*(int *)(void *)((char *)a + o->offset) = 1;
		return 0;
	case OPT_KIND_CONFIG:
		return config_set(a->config, (enum config_key)o->key, v, o->name);
	case OPT_KIND_CALL:
		return o->call(a, v);
	default:
		return 0;
	}
}

/* The entry for `arg` ("--mode", "--mode=x", "-v") taken by one of `cmds`; *eq past '='. */
static const struct option *find_option(const char *arg, unsigned cmds, const char **eq)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const struct option *o = &options[i];
		size_t n = strlen(o->name);

		if (o->kind == OPT_KIND_SECTION || !(o->cmds & cmds))
			continue;
		if (o->alias && !strcmp(arg, o->alias)) {
			*eq = NULL;
			return o;
		}
		if (strncmp(arg, o->name, n) || (arg[n] && (arg[n] != '=' || !o->arg)))
			continue;
		*eq = arg[n] ? arg + n + 1 : NULL;
		return o;
	}
	return NULL;
}

/*
 * `arg` is no option of `cmd` (called `name`): an option of another command
 * is named as such, with the ones `cmd` takes.
 */
static int unknown_option(const char *arg, enum cli_command cmd, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *v;
	size_t i;
	int ret;

	if (cmd == CMD_REVIEW && find_option(arg, ~0u, &v))
		return error_set(ER_EUSAGE, "%.*s is not an option of review (see escape-review --help)",
				 (int)strcspn(arg, "="), arg);
	if (!find_option(arg, ~0u, &v)) {
		if (cmd == CMD_REVIEW)
			return error_set(ER_EUSAGE, "unknown option: %s (see escape-review --help)", arg);
		return error_set(ER_EUSAGE, "unknown option for %s: %s (see escape-review --help)",
				 name, arg);
	}
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const struct option *o = &options[i];

		if (o->kind != OPT_KIND_SECTION && (o->cmds & cmd) &&
		    find_option(o->name, cmd, &v) == o) /* the first of a name */
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", o->name);
	}
	ret = error_set(ER_EUSAGE, "%.*s is not an option of %s, which takes %s",
			(int)strcspn(arg, "="), arg, name, sb.len ? sb.buf : "none");
	strbuf_release(&sb);
	return ret;
}

int options_parse(struct cli_args *a, enum cli_command cmd, const char *name, int argc,
		  char **argv)
{
	int k, ret;

	for (k = 0; k < argc; k++) {
		const char *arg = argv[k], *v = NULL;
		const struct option *o;

		if (arg[0] != '-' || !arg[1]) {
			a->operands = xrealloc(a->operands, (a->operands_nr + 1) * sizeof(*a->operands));
			a->operands[a->operands_nr++] = arg;
			continue;
		}
		if (!(o = find_option(arg, cmd, &v)))
			return unknown_option(arg, cmd, name);
		if (o->arg && !v) {
			if (k + 1 >= argc)
				return error_set(ER_EUSAGE, "%s needs a value (%s)", o->name, o->arg);
			v = argv[++k];
		}
		if ((ret = set_option(a, o, v)))
			return ret;
	}
	return 0;
}

/* `text` wrapped at `width` columns, each line after the first indented by `indent`. */
static void wrap(struct strbuf *out, const char *text, size_t col, size_t indent, size_t width)
{
	const char *p = text;

	while (*p) {
		const char *w = p;
		size_t n;

		while (*w == ' ')
			w++;
		n = strcspn(w, " ");
		if (col > indent && col + 1 + n > width) {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			col = indent;
			p = w;
		} else if (col > indent) {
			strbuf_add(out, p, (size_t)(w - p));
			col += (size_t)(w - p);
		}
		strbuf_add(out, w, n);
		col += n;
		p = w + n;
	}
	strbuf_addch(out, '\n');
}

void options_usage(FILE *out, unsigned cmds)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const struct option *o = &options[i];
		size_t start = sb.len;

		if (o->kind == OPT_KIND_SECTION) {
			strbuf_addf(&sb, "%s\n", o->name);
			continue;
		}
		if (!(o->cmds & cmds) || !o->help)
			continue;
		strbuf_addstr(&sb, "  ");
		if (o->alias)
			strbuf_addf(&sb, "%s, ", o->alias);
		strbuf_addf(&sb, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		if (sb.len - start >= 23)
			strbuf_addf(&sb, "\n%*s", 24, "");
		else
			strbuf_addf(&sb, "%*s", (int)(24 - (sb.len - start)), "");
		wrap(&sb, o->help, 24, 24, 80);
	}
	fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
}
