#ifndef PUBLISH_H
#define PUBLISH_H

/*
 * publish.h: publishing a review, in one phase or in two.
 *
 * One phase (`review --reporter github|gitlab`): publish_build() renders
 * the review into a `struct forge_review`, publish_send() hands it to the
 * forge's publisher.
 *
 * Two phases, for pull requests from forks: the untrusted job runs
 * `review --reporter R --no-publish --format json > review.json` with no
 * token; the JSON document then carries a "publish" object (publish_json()):
 *
 *   "publish": { "version": 1, "number": 7 | null,
 *     "base": SHA, "head": SHA,
 *     "summary": MARKDOWN, "status": {"state": "success"|"failure",
 *                                     "description": TEXT},
 *     "comments": [{"path", "old_path" (or null), "line", "side": "RIGHT",
 *                   "old_line" (context lines, else null), "fingerprint",
 *                   "title", "body"}],      only the diff-visible lines
 *     "live": [FINGERPRINT...] }            every finding still new
 *
 * A trusted job (`escape-review publish --from review.json --reporter R`,
 * a token, no checkout, no go) reads it back with publish_read(), which
 * trusts nothing in it: the version, every size (PUBLISH_MAX_*), every path
 * (relative, inside the repository: no "..", no absolute or empty
 * component, no backslash or control character), the SHAs (40 or 64 hex
 * digits, equal to the context's when the CI names them), the number
 * (equal to the context's when it names one), fingerprints (hex), and no
 * body may carry our hidden markers.  Anything else is ER_EINPUT (exit 2)
 * with one line naming the field, and nothing is sent.
 *
 * Owns: the two-phase document ("publish") and checking it on the way
 * back.  Never: analyses findings, renders them but through render.h, or
 * sends a request but through the publishers (github.h, gitlab.h).
 */

#include <stddef.h>

struct cJSON;
struct forge_context;
struct forge_flags;
struct forge_review;
struct review;

#define PUBLISH_VERSION 1
#define PUBLISH_MAX_FILE (256u << 20)     /* the whole review.json */
#define PUBLISH_MAX_BODY 1000000u         /* a comment or the summary */
#define PUBLISH_MAX_TITLE 4096u
#define PUBLISH_MAX_PATH 4096u
#define PUBLISH_MAX_COMMENTS 10000u
#define PUBLISH_MAX_LIVE 1000000u
#define PUBLISH_MAX_LINE 100000000

/*
 * Render `rv` with the templates of `dir` into `out` (released first): the
 * summary, the status (failure when `failing`), one comment per new
 * finding on a line the change shows (added, or context), and every new
 * finding's fingerprint as live (resolve_fixed set).  0 or ER_ETEMPLATE.
 */
int publish_build(struct forge_review *out, const struct review *rv, const char *dir,
		  int failing);

/* The "publish" object of `fr` (number 0: null).  Caller frees. */
struct cJSON *publish_json(const struct forge_review *fr, long number);

/*
 * Read and validate the "publish" object of the JSON document at `path`
 * (see above) into `out` (released first); *number gets its number (0
 * when null).  0 or ER_EINPUT with the message set.
 */
int publish_read(struct forge_review *out, long *number, const char *path);

/*
 * Check `fr` and `number` (from publish_read) against `ctx`: its head and
 * base SHAs and its number, when known, must be the file's.  0 or
 * ER_EINPUT.
 */
int publish_check_context(const struct forge_review *fr, long number,
			  const struct forge_context *ctx);

/*
 * Publish `fr` to the forge of `ctx` (github_publish or gitlab_publish
 * over a client from forge_http_client_init).  Returns what they return:
 * 0, ER_EPUBLISH, or FORGE_READONLY.
 */
int publish_send(const struct forge_context *ctx, struct forge_review *fr, int verbose,
		 int dry_run);

/*
 * `escape-review publish --from FILE --reporter R` (cmd_publish.c parses
 * the options): read and check `path`, find the context for `reporter`
 * ("github", "gitlab" or "auto") with the flags `ff`, then publish it.
 * 0, ER_EUSAGE, ER_EINPUT (the file is refused: nothing sent),
 * ER_EPUBLISH, or FORGE_READONLY (error_last() explains).
 */
int publish_file(const char *path, const char *reporter, struct forge_flags *ff, int verbose);

#endif
