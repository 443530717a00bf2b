#ifndef HOOK_H
#define HOOK_H

/*
 * hook.h: what a `git push` asks the pre-push hook to check (it owns
 * reading git's ref lines and choosing the ranges; it must never run a
 * review or print: cmd_hook.c does).  git runs
 * `pre-push REMOTE URL` and writes one line per ref it is about to update:
 *
 *	<local ref> SP <local sha> SP <remote ref> SP <remote sha> LF
 *
 * push_updates_read() reads them (at most HOOK_MAX_LINES lines of at most
 * HOOK_MAX_LINE bytes: anything more is an error, never a silent cut), and
 * hook_ranges() turns them into the (base, head) ranges to review:
 *
 *  - a deletion (local sha all zeros) is skipped;
 *  - an update reviews remote sha .. local sha (as base...head: from their
 *    merge-base); a remote sha this repository does not have is an error
 *    ("fetch first");
 *  - a new ref (remote sha all zeros) reviews from the merge-base with the
 *    remote's default branch when it is known here: refs/remotes/REMOTE/HEAD,
 *    else refs/remotes/REMOTE/main, else refs/remotes/REMOTE/master;
 *    otherwise from the newest commit of the pushed history that is on any
 *    remote-tracking branch (every commit on none of them is reviewed);
 *    otherwise (nothing pushed before: a first push to an empty remote)
 *    the whole tree: the range's base is all zeros and range.from_root
 *    says so (review it against the empty tree);
 *  - a local sha that is a tag of something other than a commit is skipped;
 *  - a range whose base is its head (nothing new) is skipped, and the same
 *    (base, head) range is listed once however many refs push it.
 */

#include <git2.h>
#include <stddef.h>
#include <stdio.h>

#define HOOK_MAX_LINES 10000
#define HOOK_MAX_LINE 4096

struct push_update {
	char *local_ref;                   /* "refs/heads/x", or "(delete)" */
	char *remote_ref;
	char local_sha[GIT_OID_HEXSZ + 1];
	char remote_sha[GIT_OID_HEXSZ + 1];
};

struct push_updates {
	struct push_update *items;
	size_t nr, alloc;
};

#define PUSH_UPDATES_INIT { NULL, 0, 0 }

/*
 * Parse one line (without its newline) into `out` (released first).
 * 0, or ER_EINPUT with a message quoting what was wrong.
 */
int push_update_parse(struct push_update *out, const char *line);
void push_update_release(struct push_update *u);

/* Read every line of `in`; empty lines are ignored.  0 or ER_EINPUT. */
int push_updates_read(struct push_updates *out, FILE *in);
void push_updates_release(struct push_updates *l);

/* 1 when `sha` is the all-zeros id git uses for "no object". */
int push_sha_is_zero(const char *sha);

struct push_range {
	char base[GIT_OID_HEXSZ + 1];
	char head[GIT_OID_HEXSZ + 1];
	char *ref;             /* the local ref pushed first with this range */
	unsigned from_root : 1; /* nothing of it is on the remote: base is all
				 * zeros, the whole tree is reviewed */
};

struct push_ranges {
	struct push_range *items;
	size_t nr, alloc;
};

#define PUSH_RANGES_INIT { NULL, 0, 0 }

/* Append unless (base, head) is already listed or base equals head;
 * returns 1 when added. */
int push_ranges_add(struct push_ranges *l, const char *base, const char *head,
		    const char *ref, int from_root);
void push_ranges_release(struct push_ranges *l);

/*
 * The ranges to review for `updates` pushed to `remote` (the hook's first
 * argument: a remote name, or a URL when none was used).  0, or ER_EREPO
 * naming the ref and the commit at fault.
 */
int hook_ranges(struct push_ranges *out, git_repository *repo, const char *remote,
		const struct push_updates *updates);

#endif
