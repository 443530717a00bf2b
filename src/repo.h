#ifndef REPO_H
#define REPO_H

/*
 * repo.h: the repository, read with libgit2 (no git process): opening the
 * repository that contains a directory, resolving revisions to commits,
 * their trees and merge-base, whether the work tree is a given commit, and
 * paths inside the git directory.  Every libgit2 failure becomes one
 * ER_EREPO message here (repo_error).
 *
 * Owns: git_repository handles and revision names.  Never: diffs (diff.h),
 * writing files out of the object database (checkout.h), reading the
 * project's configuration or anything about Go.
 */

#include <git2.h>

/*
 * libgit2's global state (git_libgit2_init), without the TLS trust store
 * a libgit2 built with mbedTLS would parse for network transports
 * escape-review never uses; linked from its archives, without those
 * transports at all (repo.c says how).  Once per process, before any other
 * call here; git_libgit2_shutdown() undoes it.
 */
void repo_global_init(void);

/* Pass a libgit2 failure on as ER_EREPO with `what` and libgit2's message. */
int repo_error(const char *what);

/* Open the repository containing `path` (searching upwards). */
int repo_open(git_repository **out, const char *path);

/*
 * The root of the work tree of the repository containing `path`, without
 * its trailing '/'; NULL when `path` is in no repository or in a bare one
 * (no error is set).  The caller frees it.
 */
char *repo_workdir_find(const char *path);

/* Resolve `rev` to a commit id; ER_EREPO naming the revision when unknown. */
int repo_resolve(git_oid *out, git_repository *repo, const char *rev);

/* The tree of commit `commit_id`. */
int repo_commit_tree(git_oid *out, git_repository *repo, const git_oid *commit_id);

/*
 * The merge-base of commits `base` and `head`; ER_EREPO naming
 * `base_name` and `head_name` (as the user wrote them) when they have no
 * common ancestor.
 */
int repo_merge_base(git_oid *out, git_repository *repo, const git_oid *base, const git_oid *head,
		    const char *base_name, const char *head_name);

/* 1 when HEAD is commit `id` and the work tree has no changes to tracked
 * files and no untracked .go, go.mod or go.work files. */
int repo_worktree_is(git_repository *repo, const git_oid *id);
/* 1 when HEAD is commit `id` (and the repository has a work tree). */
int repo_head_is(git_repository *repo, const git_oid *id);
/* 1 when HEAD is commit `id` and no tracked file under `paths` (n
 * repository-relative files or directories, taken literally) differs from
 * it; untracked files are not looked for, nothing else is looked at. */
int repo_worktree_paths_are(git_repository *repo, const git_oid *id, const char **paths, size_t n);

/* `name` inside the repository's git directory (".git/NAME"); caller frees. */
char *repo_git_path(git_repository *repo, const char *name);

#endif
