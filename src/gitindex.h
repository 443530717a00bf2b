#ifndef GITINDEX_H
#define GITINDEX_H

/*
 * gitindex.h: a work tree's index file (.git/index) read in place, for the
 * quick guess at a work-tree change (diff.h) made before the build starts.
 * libgit2's reader allocates every entry and maps them by path: 3 to 4 ms
 * for x/tools' 1,600 entries under a hypervisor, before the go command
 * can start.  This one maps the file and points into it.
 *
 * It reads index versions 2, 3 and 4 (paths prefix-compressed) and the
 * cache tree (the TREE extension: the tree id of each directory whose
 * entries have not changed since it was computed).  It refuses (returns
 * 1) what it does not read: a split index ("link"), a sparse one
 * ("sdir"), any other extension git marks as required (a lower-case
 * first letter), SHA-256 ids, version 4 paths that expand to more than
 * 16 bytes per byte of the file, or bytes that do not parse.  The trailing
 * checksum is not verified: the diff reads the same file through libgit2,
 * which does, and what is read here is only a guess the review checks.
 *
 * Owns: struct gitindex.  Never: writes the index, reads objects or the
 * work tree, or knows what a change or a Go file is.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define GITINDEX_ID_LEN 20

struct gitindex_entry {
	const char *path;           /* NUL-terminated, repository-relative */
	uint32_t ctime_sec, ctime_nsec, mtime_sec, mtime_nsec;
	uint32_t dev, ino, mode, uid, gid, size;
	unsigned char id[GITINDEX_ID_LEN];
	unsigned stage;             /* 0, or 1-3 in a conflict */
	unsigned skip_worktree : 1, intent_to_add : 1;
};

/* A directory of the cache tree; `trees[0]` is the root (name ""). */
struct gitindex_tree {
	const char *name;           /* the last component, not NUL-terminated */
	size_t name_len;
	int valid;                  /* `id` is its tree's id (entry count >= 0) */
	unsigned char id[GITINDEX_ID_LEN];
	size_t first_child, children_nr; /* its children: trees[first_child..] */
	size_t next;                /* the node after its whole subtree */
};

struct gitindex {
	struct gitindex_entry *entries;   /* in the index's (path) order */
	size_t nr;
	struct gitindex_tree *trees;      /* pre-order; none without a TREE extension */
	size_t trees_nr;
	struct stat st;                   /* the file's, when it was read */
	void *map;                        /* the file, mapped (gitindex_read) */
	size_t map_len;
	char *buf;                        /* or its bytes (gitindex_parse) */
	char *names;                      /* version 4's paths, expanded */
};

/* 0 with `out` filled; 1 when the file is missing or not read here (see
 * above); -1 when it cannot be read (errno set).  `out` is released with
 * gitindex_release() in every case. */
int gitindex_read(struct gitindex *out, const char *path);
/* The same from the `len` bytes of `buf` (malloc'd, taken: freed by
 * gitindex_release(), or at once when refused); 0 or 1.  `out->st` is
 * kept as the caller set it. */
int gitindex_parse(struct gitindex *out, char *buf, size_t len);
void gitindex_release(struct gitindex *ix);

/* The children of `t` named `name` (`len` bytes), or NULL. */
const struct gitindex_tree *gitindex_tree_child(const struct gitindex *ix,
						const struct gitindex_tree *t,
						const char *name, size_t len);

#endif
