#ifndef CHECKOUT_H
#define CHECKOUT_H

/*
 * checkout.h: writing a tree out of the object database into a directory
 * of our own (.git/escape-review/...), so a revision other than the work
 * tree can be built.  Files come from the blobs directly: this works in
 * bare repositories and never touches the index, HEAD or the work tree.
 *
 * Owns: the directories it is given, and the stamp file in each
 * (DIR/.escape-review-tree).  Never: writes outside that directory (paths
 * with "..", ".git" or a leading '/' are skipped, symbolic links are not
 * written, and a directory is cleared without following a link), and never
 * resolves revisions or diffs changes for review (repo.h, diff.h).
 */

#include <git2.h>

/*
 * Check the tree `tree_id` out into `dir` (created if needed): regular and
 * executable files only (symbolic links and submodules are left out).
 * When `dir` already holds that tree (recorded in DIR/.escape-review-tree),
 * nothing is written, so repeated runs keep the go build cache warm; when
 * it holds another tree of this repository, only the files that differ are
 * written or removed; else the directory is emptied and written anew.
 */
int tree_checkout(git_repository *repo, const git_oid *tree_id, const char *dir);

#endif
