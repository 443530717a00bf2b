#ifndef CMD_H
#define CMD_H

/*
 * cmd.h: the commands main() dispatches to, one file each (cmd_review.c:
 * review and baseline; cmd_hook.c: hook; cmd_tools.c: rules, render,
 * config, --version), and the few helpers they share.  A command parses
 * its options (options.h), calls the stages, prints, and returns an exit
 * code (errors.h).  Commands own the printing; they must never analyse,
 * filter or count findings themselves (that is review_run's) nor map a
 * code to an exit code other than through cmd_fail().
 */

#include "config.h"

struct pkgset;
struct review;
struct review_opts;
struct strbuf;

/* `cfg` is the configuration, loaded by the command when it needs it. */
int cmd_review(int argc, char **argv, struct config *cfg);
/* The release report (release.h). */
int cmd_report(int argc, char **argv, struct config *cfg);
/* argv[0] is "update" or "check". */
int cmd_baseline(int argc, char **argv, struct config *cfg);
int cmd_hook(int argc, char **argv, struct config *cfg);
int cmd_rules(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_config(int argc, char **argv, struct config *cfg);
int cmd_version(void);
/* `publish --from FILE` (cmd_publish.c, publish.h). */
int cmd_publish(int argc, char **argv);
/* cmd_contracts.c: `check` and `contracts` (performance contracts, contract.h) */
int cmd_check(int argc, char **argv, struct config *cfg);
int cmd_contracts(int argc, char **argv, struct config *cfg);

/* Print "escape-review: MESSAGE" (error_last()) and return the exit code of `code`. */
int cmd_fail(int code);
/* Print "escape-review: " fmt (with `arg`) and the --help hint; EXIT_USAGE. */
int cmd_usage_error(const char *fmt, const char *arg);
/*
 * review_run() over the package directories `pkgs` (with `nr` 0: what
 * ro->all_packages says), those analysed put in `analysed` (`check` and
 * `baseline`).  0, or cmd_fail()'s exit code.
 */
int cmd_review_packages(struct review *rv, struct review_opts *ro, const char *const *pkgs,
			size_t nr, struct pkgset *analysed);
/*
 * 1 when a command frees what it holds before it returns to main() (the
 * builds that check for leaks), 0 when the exit returns the memory (the
 * others: freeing a review's findings one by one only costs time).
 */
int cmd_free_at_exit(void);
/* Write `sb` to stdout. */
void cmd_print(const struct strbuf *sb);
/* Flush stdout, remembering why it failed: main() exits 3 with that message. */
void cmd_flush(void);

#endif
