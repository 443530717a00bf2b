#ifndef OPTIONS_H
#define OPTIONS_H

/*
 * options.h: the command line's options, all in one table (options.c, as
 * git's parse-options and curl's argument table).  An entry is an option's
 * name, its argument, the commands taking it, where its value goes and its
 * help text; the usage text (--help) and the options `escape-review config`
 * takes are made from the same table.  A value that is also a setting of
 * .escape-review.json (--mode, --fail-on, --max-flow, ...) goes through
 * config_set(), so the file and the option are validated by one setter.
 *
 * This module owns parsing argv into a struct cli_args; it must never run
 * a review, read a file, or print anything but the usage text.
 *
 * Adding an option is one line in options.c's table plus its field here:
 *
 *	OPT_STRING("--repo-slug", "OWNER/REPO", CMD_REVIEW, repo_slug, "where to publish"),
 *	OPT_SWITCH("--dry-run", CMD_REVIEW, dry_run, "send nothing"),
 *	OPT_CONFIG("--mode", "MODE", CMD_REVIEW | CMD_CONFIG, CONFIG_MODE, "..."),
 *	OPT_CALL("--pr", "N", CMD_REVIEW, set_pr, "..."),
 *	OPT_SECTION("Output:"),
 *
 * OPT_STRING stores the argument in a `const char *` field, OPT_SWITCH sets
 * an `int` field to 1, OPT_CONFIG calls config_set() on cli->config, and
 * OPT_CALL calls `int fn(struct cli_args *, const char *value)`, which
 * returns 0 or error_set(ER_EUSAGE, ...).  A help text is wrapped to the
 * terminal's 80 columns; an option may appear twice with different
 * commands (--format takes other values for `rules`).
 */

#include "config.h"

#include <stddef.h>
#include <stdio.h>

/* The commands, as bits: an option lists those taking it. */
enum cli_command {
	CMD_REVIEW = 1 << 0,
	CMD_BASELINE = 1 << 1,
	CMD_CONFIG = 1 << 2,
	CMD_RULES = 1 << 3,
	CMD_RENDER = 1 << 4,
	CMD_CHECK = 1 << 5,       /* check: every performance contract */
	CMD_CONTRACTS = 1 << 6,   /* contracts: the list */
	CMD_REPORT = 1 << 7,      /* report: two releases compared */
	CMD_PUBLISH = 1 << 8,     /* publish --from FILE: the second phase (publish.h) */
};

/* Every value an option sets.  Zeroed, then cli_args_init(). */
struct cli_args {
	struct config *config;        /* OPT_CONFIG values (source "command line") */
	const char *base, *head;      /* revisions */
	const char *input;            /* --input FILE */
	const char *go_version;       /* --go-version: the compiler of --input's log */
	const char *from;             /* publish --from FILE */
	const char *format;           /* NULL: the command's default */
	const char *reporter;         /* "local" (default), "github", "gitlab", "auto" */
	const char *repo_slug, *api_url;
	long pr;                      /* 0: unset */
	size_t max_comment_bytes;
	size_t max_dependents;        /* 0: the review's default */
	int worktree, tests, show_baseline, all_packages, no_cache;
	const char *cache_dir;        /* --cache-dir DIR */
	int explain, dry_run, verbose, changed;
	int no_publish;               /* --no-publish: the JSON document only */
	const char *data, *partials;  /* render */
	int escape;                   /* render --escape: -1 unset, else enum mustache escape */
	const char **profiles;        /* --profile FILE, repeatable (profile.h) */
	size_t profiles_nr;
	const char **operands;        /* the arguments that are not options, in order */
	size_t operands_nr;
};

void cli_args_init(struct cli_args *a, struct config *config);
void cli_args_release(struct cli_args *a);

/*
 * Parse argv[0..argc) for the command `cmd` (one CMD_* bit), called `name`
 * in messages ("rules").  Options take "--name VALUE" or "--name=VALUE";
 * arguments that are not options are appended to a->operands (the command
 * decides whether it takes any).  0, or ER_EUSAGE with one line set
 * (error_last()) naming the option and what to do.
 */
int options_parse(struct cli_args *a, enum cli_command cmd, const char *name, int argc,
		  char **argv);

/* The options of commands `cmds` with their help, as --help lists them. */
void options_usage(FILE *out, unsigned cmds);

#endif
