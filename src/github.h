#ifndef GITHUB_H
#define GITHUB_H

/*
 * github.h: publish a review to a GitHub pull request.
 *
 *  - Inline comments: existing review comments are read first (all pages
 *    of GET /repos/O/R/pulls/N/comments); a comment whose fingerprint
 *    marker is already on the same path and line is not posted again.  At
 *    most FORGE_MAX_INLINE new ones go out in one review (POST
 *    /repos/O/R/pulls/N/reviews, event COMMENT, commit_id = head, side
 *    RIGHT).  GitHub refuses the whole review with 422 when one line is
 *    outside the diff without saying which, so the batch is then bisected
 *    until each refused comment is alone; refused ones go to the summary.
 *  - Sticky summary: the issue comment that starts with
 *    FORGE_SUMMARY_MARKER (searched through all pages; a quote of it in
 *    someone's reply does not count) is PATCHed, or one is POSTed.  It is
 *    written after the inline comments so it can list those not posted.
 *  - Threads of fixed findings (when rv->resolve_fixed): when a comment of
 *    ours exists, the pull request's review threads are read through
 *    GraphQL (POST /graphql, or /api/graphql beside GitHub Enterprise's
 *    /api/v3: the `reviewThreads` query, 100 per page); a thread started
 *    by our comment whose fingerprint is no longer live gets a reply
 *    (POST /repos/O/R/pulls/N/comments/ID/replies, forge_thread_note) and
 *    the `resolveReviewThread` mutation; a resolved one whose finding is
 *    back on the same line gets the reply and `unresolveReviewThread`.
 *    GraphQL's errors (answered with 200) are failures.  Threads started
 *    by anyone else are never touched.
 *  - Commit status: POST /repos/O/R/statuses/HEAD with context
 *    "escape-review" (skipped when rv->status_state is NULL).
 *
 * The head commit is ctx->head_sha, else rv->head_sha, else read from
 * GET /repos/O/R/pulls/N.
 *
 * Returns 0, ER_EPUBLISH (message set, e.g. "POST /repos/o/r/issues/7/
 * comments failed: 401 Bad credentials (check GITHUB_TOKEN)"), or
 * FORGE_READONLY without writing anything when the pull request comes from
 * a fork (read-only token), or when the first write is refused with 403:
 * error_last() then says so, and main.c falls back to annotations.
 *
 * Owns: GitHub's endpoints, their order and GitHub's answers.  Never:
 * renders or filters findings (forge.h hands it text), reads the
 * repository, or talks HTTP but through http.h.
 */

struct forge_context;
struct forge_review;
struct http_client;

int github_publish(const struct forge_context *ctx, struct forge_review *rv,
		   struct http_client *c);

#endif
