#ifndef GITLAB_H
#define GITLAB_H

/*
 * gitlab.h: publish a review to a GitLab merge request.
 *
 *  - The diff refs (base, start and head SHA) come from GET
 *    /projects/ID/merge_requests/IID, falling back to the context's and
 *    the review's SHAs in a dry run.
 *  - Inline comments: diff discussions, POST /projects/ID/merge_requests/
 *    IID/discussions with a text position (old_path and new_path always;
 *    new_line alone for an added line; old_line and new_line for an
 *    unchanged context line).  Existing discussions are read first (all
 *    pages) and a fingerprint marker already on the same path and line is
 *    not posted again.  At most FORGE_MAX_INLINE are posted per run; a 400
 *    (invalid position) moves that one comment to the summary and the rest
 *    are still posted.
 *  - Discussions of fixed findings (when rv->resolve_fixed): a discussion
 *    whose first note is ours and whose fingerprint is no longer live gets
 *    a note (POST .../discussions/ID/notes, forge_thread_note) and is
 *    resolved (PUT .../discussions/ID, resolved=true); a resolved one whose
 *    finding is back on the same line gets the note and resolved=false.
 *    Anyone else's discussions are never touched.
 *  - Sticky summary: the merge request note that starts with
 *    FORGE_SUMMARY_MARKER is updated (PUT .../notes/NOTE_ID) or one is POSTed, after the inline
 *    comments.
 *  - Commit status: POST /projects/ID/statuses/SHA, name "escape-review",
 *    state "success" or "failed" ("failure" is mapped to "failed").
 *
 * A project path ID ("group/project") is URL-encoded ("group%2Fproject").
 *
 * Returns 0, ER_EPUBLISH with the message set, or FORGE_READONLY without
 * writing when only CI_JOB_TOKEN is available (it cannot write notes) or
 * the first write is refused with 403; error_last() then says so.
 *
 * Owns: GitLab's endpoints, their order and GitLab's answers.  Never:
 * renders or filters findings (forge.h hands it text), reads the
 * repository, or talks HTTP but through http.h.
 */

struct forge_context;
struct forge_review;
struct http_client;

int gitlab_publish(const struct forge_context *ctx, struct forge_review *rv,
		   struct http_client *c);

#endif
