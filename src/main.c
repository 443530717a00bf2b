/*
 * main.c: the command line.  Picks the command (cmd.h), which parses its
 * options (options.h), calls the pipeline (review.h) and prints; main maps
 * error codes to the documented exit codes (errors.h).  Nothing else
 * happens here.
 */
#include "cmd.h"
#include "config.h"
#include "errors.h"
#include "options.h"
#include "repo.h"
#include "strbuf.h"
#include "util.h"

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
"       escape-review check|contracts [--format text|json] [--tests] [PACKAGE...]\n"
"       escape-review hook pre-push REMOTE [URL]   (git's pre-push hook)\n"
"       escape-review publish --from REVIEW.json --reporter github|gitlab|auto\n"
"                     [--pr N] [--repo-slug S] [--api-url URL] [--head SHA]\n"
"                     (publish a review written with --no-publish --format json)\n"
"       escape-review render TEMPLATE --data FILE.json [--partials DIR]\n"
"                     [--escape html|markdown|none]   (preview a template)\n"
"       escape-review --version | --help\n"
"\n"
"Review the heap allocations a Go change introduces, as the Go compiler\n"
"reports them (go build -gcflags=-m=2), limited to the packages it touches.\n"
"\n"
;

static const char usage_text_more[] =
"  -C DIR                run as if started in DIR\n"
"\n"
"Exit codes:\n"
"  0  nothing at or above --fail-on\n"
"  1  findings at or above --fail-on\n"
"  2  usage, configuration or repository error (an unknown revision is named),\n"
"     or --input whose every finding lies outside the directory\n"
"  3  the analysis failed: build errors (the compiler's messages are shown),\n"
"     or no go on PATH; or the output could not be written\n"
"  4  publishing failed (the findings were printed first)\n"
"\n"
"Baseline (.escape-baseline.json at the repository root): `baseline update`\n"
"analyses every package of the repository's modules and writes their\n"
"findings; with --changed (the packages the change touches) or PACKAGE\n"
"directories (DIR/... for a tree) only those packages' entries are replaced\n"
"and every other entry is kept.  It prints what it added and removed.\n"
"`baseline check` exits 1 when findings outside the baseline exist and lists\n"
"the stale entries of the packages it analysed (--format json: a \"stale\"\n"
"array; sarif, rdjson or github-actions: the findings outside it).  baseline\n"
"takes --base, --head, --worktree, --tests, --changed, --all-packages,\n"
"--no-cache, --cache-dir, --build-flags, --gcflags, --max-flow, --format,\n"
"--explain and -v.\n"
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

/*
 * What a command holds when it ends (a review's tens of thousands of
 * findings) goes back with the process, at once: freeing it string by
 * string costs more than writing it out.  Builds that check for leaks free
 * everything: AddressSanitizer's (GCC says so) and any made with
 * -DER_FREE_AT_EXIT (make check-asan and check-valgrind).
 */
#if defined(ER_FREE_AT_EXIT) || defined(__SANITIZE_ADDRESS__)
#define FREE_AT_EXIT 1
#else
#define FREE_AT_EXIT 0
#endif

int cmd_free_at_exit(void)
{
	return FREE_AT_EXIT;
}

int cmd_fail(int code)
{
	const char *msg = error_last();

	fprintf(stderr, "escape-review: %s\n", *msg ? msg : "unknown error");
	return er_exit_code(code);
}

int cmd_usage_error(const char *fmt, const char *arg)
{
	fputs("escape-review: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(see escape-review --help)\n", stderr);
	return EXIT_USAGE;
}

void cmd_print(const struct strbuf *sb)
{
	fwrite(sb->buf, 1, sb->len, stdout);
}

/* errno of the first failed write to stdout, 0 when none failed. */
static int stdout_errno;

void cmd_flush(void)
{
	if (fflush(stdout) && !stdout_errno)
		stdout_errno = errno ? errno : EIO;
}

/*
 * What was printed must have been written (as git does): a full disk or a
 * closed pipe is exit 3 with a message, never a silent success.
 */
static int check_stdout(int ret)
{
	cmd_flush();
	if (!stdout_errno && !ferror(stdout))
		return ret;
	fprintf(stderr, "escape-review: cannot write the output to stdout: %s\n",
		strerror(stdout_errno ? stdout_errno : EIO));
	return EXIT_ANALYSIS;
}

/* The repository's .escape-review.json (config.h), loaded by the commands. */
static struct config config;

int main(int argc, char **argv)
{
	int i = 1, ret;

	util_init();
	while (i < argc) {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc)
				return cmd_usage_error("%s needs a directory", "-C");
			if (chdir(argv[i + 1]) < 0) {
				fprintf(stderr, "escape-review: cannot change to directory %s: %s\n", argv[i + 1], strerror(errno));
				return EXIT_USAGE;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			options_usage(stdout, CMD_REVIEW | CMD_BASELINE | CMD_PUBLISH);
			fputs(usage_text_more, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			return cmd_version();
		} else {
			break;
		}
	}
	config_init(&config);
	repo_global_init();
	if (i < argc && !strcmp(argv[i], "rules"))
		ret = cmd_rules(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "config"))
		ret = cmd_config(argc - i - 1, argv + i + 1, &config);
	else if (i < argc && !strcmp(argv[i], "render"))
		ret = cmd_render(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "hook"))
		ret = cmd_hook(argc - i - 1, argv + i + 1, &config);
	else if (i < argc && !strcmp(argv[i], "check"))
		ret = cmd_check(argc - i - 1, argv + i + 1, &config);
	else if (i < argc && !strcmp(argv[i], "contracts"))
		ret = cmd_contracts(argc - i - 1, argv + i + 1, &config);
	else if (i < argc && !strcmp(argv[i], "report"))
		ret = cmd_report(argc - i - 1, argv + i + 1, &config);
	else if (i < argc && !strcmp(argv[i], "review"))
		ret = cmd_review(argc - i - 1, argv + i + 1, &config);
	else if (i < argc && !strcmp(argv[i], "publish"))
		ret = cmd_publish(argc - i - 1, argv + i + 1);
	else if (i < argc && !strcmp(argv[i], "baseline")) {
		if (i + 1 >= argc || (strcmp(argv[i + 1], "update") && strcmp(argv[i + 1], "check")))
			ret = cmd_usage_error("%s", "usage: escape-review baseline update|check [--changed | PACKAGE...] [options] (see escape-review --help)");
		else
			ret = cmd_baseline(argc - i - 1, argv + i + 1, &config);
	} else
		ret = cmd_review(argc - i, argv + i, &config);
	config_release(&config);
	git_libgit2_shutdown();
	return check_stdout(ret);
}
