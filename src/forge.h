#ifndef FORGE_H
#define FORGE_H

/*
 * forge.h: what a publisher (github.h, gitlab.h) is given, and where it
 * publishes.
 *
 * main.c builds a `struct forge_review` from the review: every text in it
 * is already rendered (Markdown from the templates); publishers never
 * render findings.  It also builds a `struct forge_context` with
 * forge_context_from_env() (CI environment, overridden by flags), and an
 * HTTP client for it with forge_http_client_init().
 *
 * A publisher returns 0 when everything was published, a negative ER_*
 * code (message set) on failure, or FORGE_READONLY when it did not try to
 * write because the token cannot (a GitHub pull request from a fork, a
 * GitLab pipeline with only CI_JOB_TOKEN): error_last() then explains it,
 * and main.c falls back to another output (`--format github-actions`
 * annotations, say).
 *
 * Publishers record in each comment's `state` what became of it; the ones
 * that could not be posted inline (over FORGE_MAX_INLINE, or refused by the
 * forge as outside the diff) are listed in the summary, which is therefore
 * written after the inline comments.
 *
 * Owns: the context (CI environment and flags), the rendered review handed
 * to a publisher, and the forges' shared comment rules (markers, limits).
 * Never: renders findings, decides policy, or talks HTTP but through
 * http.h.
 */

#include "strbuf.h"
#include <stddef.h>

struct cJSON;

struct http_client;
struct http_response;

/* Positive result of a publisher: nothing written, the token is read-only. */
#define FORGE_READONLY 1
/* Most inline comments posted per run; the rest go into the summary. */
#define FORGE_MAX_INLINE 30
/* Hidden markers: the sticky summary, and each inline comment's finding. */
#define FORGE_SUMMARY_MARKER "<!-- escape-review:summary -->"
#define FORGE_FP_MARKER_PREFIX "<!-- escape-review:fp="
#define FORGE_FP_MARKER_SUFFIX " -->"
/* Comment body limits, in bytes (the forges count characters: bytes are
 * never fewer). */
#define FORGE_GITHUB_BODY_MAX 65536
#define FORGE_GITLAB_BODY_MAX 1000000

enum forge_comment_state {
	FORGE_PENDING = 0,    /* not looked at yet */
	FORGE_POSTED,         /* posted by this run */
	FORGE_EXISTING,       /* already there (same fingerprint, path, line) */
	FORGE_OVER_LIMIT,     /* more than FORGE_MAX_INLINE: in the summary */
	FORGE_REFUSED,        /* the forge refused the position: in the summary */
};

struct forge_comment {          /* one inline comment candidate */
	char *path;             /* repository-relative new path */
	char *old_path;         /* old path (renames); NULL: same as path */
	int line;               /* new-side line */
	int old_line;           /* old-side line of an unchanged context line,
				 * 0 when the line was added */
	char *fingerprint;      /* stable id of the finding (hex) */
	char *title;            /* one line of plain text ("ER012 x escapes to
				 * heap"), listed (as code) in the summary when
				 * the comment cannot be posted inline; may be NULL */
	char *body;             /* Markdown body, already rendered */
	enum forge_comment_state state; /* set by the publisher */
};

struct forge_review {
	char *summary;              /* Markdown of the sticky summary, rendered */
	struct forge_comment *comments; /* only lines visible in the diff */
	size_t comments_nr, comments_alloc;
	char *status_state;         /* "success" or "failure" */
	char *status_description;   /* cut to 140 bytes by the publishers */
	char *head_sha, *base_sha;  /* of the reviewed change (fallbacks for
				     * the context's) */
	/* The fingerprints of every finding the review still reports as new
	 * (inline or not).  When `resolve_fixed` is set, an inline comment of
	 * ours (marker) whose fingerprint is not among them is resolved as
	 * fixed, and a resolved one whose finding is back is reopened. */
	char **live;
	size_t live_nr, live_alloc;
	unsigned resolve_fixed : 1;
	/* what resolving did (set by the publishers) */
	size_t resolved_nr, reopened_nr;
};

#define FORGE_REVIEW_INIT { NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 }

void forge_review_init(struct forge_review *rv);
void forge_review_release(struct forge_review *rv);
/* Append a comment; strings are copied (old_path and title may be NULL). */
struct forge_comment *forge_review_add(struct forge_review *rv, const char *path,
				       const char *old_path, int line, int old_line,
				       const char *fingerprint, const char *title,
				       const char *body);

/* Add a fingerprint to rv->live (copied, cleaned as the comments' are). */
void forge_review_add_live(struct forge_review *rv, const char *fingerprint);
/* 1 when `fingerprint` (clean hex) is in rv->live. */
int forge_review_is_live(const struct forge_review *rv, const char *fingerprint);

enum forge_kind { FORGE_GITHUB, FORGE_GITLAB };

struct forge_context {          /* where to publish */
	enum forge_kind kind;
	char *api_url;          /* https://api.github.com, https://HOST/api/v3,
				 * $CI_API_V4_URL */
	char *repo_slug;        /* "owner/repo" (GitHub), project id or path (GitLab) */
	long number;            /* pull request number / merge request iid */
	char *base_sha, *head_sha; /* NULL when unknown */
	char *token;            /* from the environment only; NULL in a dry run
				 * without one, or with only CI_JOB_TOKEN */
	int fork_readonly;      /* GitHub pull request from a fork */
	int job_token_only;     /* GitLab: only CI_JOB_TOKEN available */
};

#define FORGE_CONTEXT_INIT { FORGE_GITHUB, NULL, NULL, 0, NULL, NULL, NULL, 0, 0 }

/* Values from the command line; each overrides the environment. */
struct forge_flags {
	long pr;                /* --pr N, 0 when not given */
	const char *repo_slug;  /* --repo-slug */
	const char *api_url;    /* --api-url */
	const char *base_sha;   /* --base (a full SHA), or NULL */
	const char *head_sha;   /* --head (a full SHA), or NULL */
	int dry_run;            /* a missing token is not an error */
	long fallback_pr;       /* the number when neither --pr nor the CI
				 * names one (`publish --from`), 0 if none */
};

#define FORGE_FLAGS_INIT { 0, NULL, NULL, NULL, NULL, 0, 0 }

/*
 * Fill `ctx` for `reporter` ("github", "gitlab" or "auto": GITHUB_ACTIONS
 * or GITLAB_CI decides) from the environment and `flags` (may be NULL).
 *
 * GitHub Actions: GITHUB_EVENT_PATH (the event JSON, at most 16 MiB:
 * pull_request.number, base.sha, head.sha, and head.repo.full_name against
 * base.repo.full_name for forks; GITHUB_SHA is not used: on pull_request
 * events it is the test merge commit), GITHUB_REPOSITORY, GITHUB_API_URL
 * (default https://api.github.com), GITHUB_TOKEN, GITHUB_EVENT_NAME
 * (pull_request_target runs of forks have a writable token).  A
 * workflow_run event (the publishing half of a two-workflow set-up) gives
 * workflow_run.head_sha, and the number of workflow_run.pull_requests[0]
 * when GitHub lists one (it does not for forks).
 *
 * GitLab CI: CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID,
 * CI_MERGE_REQUEST_DIFF_BASE_SHA, CI_MERGE_REQUEST_SOURCE_BRANCH_SHA (else
 * CI_COMMIT_SHA), GITLAB_TOKEN; CI_JOB_TOKEN alone sets job_token_only.
 *
 * Returns 0, ER_EUSAGE naming exactly what is missing, or ER_EINPUT for an
 * unreadable or malformed event file.  `ctx` is released first.
 */
int forge_context_from_env(struct forge_context *ctx, const char *reporter,
			   const struct forge_flags *flags);
void forge_context_release(struct forge_context *ctx);

/*
 * Set up `c` for `ctx`: base URL, token and how it is sent, and the name of
 * the token's variable for error messages.  The caller may then set
 * verbose, dry_run, timeouts; http_client_release() frees it.
 */
void forge_http_client_init(struct http_client *c, const struct forge_context *ctx);

/* ---- shared by the publishers ---- */

/*
 * Cut `sb` to at most `max` bytes, never inside a UTF-8 sequence, ending
 * with a note saying so ("(truncated: ...)"): the result, note included,
 * fits in `max`.  Nothing happens when it already fits.
 */
void forge_cut_body(struct strbuf *sb, size_t max);

/* An inline comment's body: the rendered body (cut so that everything fits
 * in `max`), then the fingerprint marker. */
void forge_inline_body(struct strbuf *out, const struct forge_comment *fc, size_t max);

/*
 * The summary's body: the marker, the rendered summary, then a section
 * listing the comments in state FORGE_OVER_LIMIT or FORGE_REFUSED
 * (path:line and title as code spans, mustache_markdown_code(), then
 * their bodies in a <details> block), cut to `max`.
 */
void forge_summary_body(struct strbuf *out, const struct forge_review *rv, size_t max);

/* The fingerprint in a body's marker, or 0 when it has none.  `out` gets
 * the hex string. */
int forge_find_fingerprint(struct strbuf *out, const char *body);

/*
 * What a publisher answers a write refused with 403 before anything was
 * written: FORGE_READONLY with the message "<forge> reporter: the token
 * cannot write to <target> (<error>); nothing was posted<hint>".  `ret` 0
 * sets *wrote; any other failure (or a 403 after a write) is returned as
 * it is.
 */
int forge_check_readonly(int *wrote, int ret, long status, const char *forge,
			 const char *target, const char *hint);

/* Where a forge keeps the sticky summary: `list` (GET, all pages) holds
 * comments with "id" and "body"; a new one is POSTed to `create`; ours is
 * replaced with `update_method` on `update` + "/" + its id. */
struct forge_summary_api {
	const char *list, *create, *update, *update_method;
	size_t body_max;
};

/*
 * Write the sticky summary: find the comment that starts with
 * FORGE_SUMMARY_MARKER (a quote of it does not count) and replace it, or
 * create one.  `r` holds the answer of the write (for a read-only check).
 * 0 or ER_EPUBLISH (message set).
 */
int forge_post_summary(struct http_response *r, struct http_client *c,
		       const struct forge_review *rv, const struct forge_summary_api *api);

/*
 * An id a forge answered, as it may go into a request path: a JSON number
 * that is a whole number from 1 to 2^53 - 1 (the integers a double holds
 * exactly; GitHub's and GitLab's ids are positive).  1 and *out set when it
 * is one, else 0.
 */
int forge_valid_id(double *out, const struct cJSON *id);

/* 1 when `s` is a full commit SHA as git and the forges write it: 40
 * (SHA-1) or 64 (SHA-256) lower-case hex digits. */
int forge_valid_sha(const char *s);
/* 0 when forge_valid_sha(sha), else ER_EPUBLISH: "<forge> reporter: <what>
 * '<sha, printable, cut>' is not a full SHA (...): nothing was posted; ..."
 * (the publishers check before their first write). */
int forge_check_sha(const char *forge, const char *what, const char *sha);

/* The note left on a thread resolved or reopened: "escape-review: fixed in
 * SHA" or "escape-review: reintroduced in SHA" (the forges link the SHA). */
void forge_thread_note(struct strbuf *out, int fixed, const char *sha);

/* Append `s` cut to `max` bytes on a UTF-8 boundary (status descriptions). */
void forge_add_cut(struct strbuf *out, const char *s, size_t max);

#endif
