#ifndef DIFF_H
#define DIFF_H

/*
 * diff.h: the diff of a change, read with libgit2.
 *
 * A change is base...head as a pull request shows it: the tree of the
 * merge-base of base and head against the tree of head (or, in worktree
 * mode, HEAD against the work tree, untracked files included), with rename
 * detection.  Only the Go files that matter are kept: `.go` files that
 * were added, modified or renamed, outside vendor/ and testdata/, not
 * generated (`// Code generated ... DO NOT EDIT.`), not symbolic links,
 * and not `_test.go` unless asked.  For each, the added lines and the
 * hunks (3 lines of context) of the new side are recorded.
 *
 * Owns: struct change and the questions asked of it (is this line added,
 * in a hunk, where was it before).  Never: opens repositories or names
 * revisions itself (repo.h does), writes files (checkout.h), or knows
 * about findings, packages or policy.
 */

#include <git2.h>
#include <stddef.h>

struct hunk {
	int old_start, old_lines;
	int new_start, new_lines;
};

/* An unchanged line inside a hunk: where it is on each side. */
struct context_line {
	int new_line, old_line;
};

struct changed_file {
	char *path;                 /* new path, repository-relative */
	char *old_path;             /* old path; equals path unless renamed; NULL if added */
	char status;                /* 'A' added, 'M' modified, 'R' renamed */
	int *added;                 /* added line numbers (new side), ascending */
	size_t added_nr, added_alloc;
	struct hunk *hunks;
	size_t hunks_nr, hunks_alloc;
	struct context_line *context;
	size_t context_nr, context_alloc;
};

struct change {
	char base_hex[GIT_OID_HEXSZ + 1];   /* "" in worktree mode with no base */
	char head_hex[GIT_OID_HEXSZ + 1];   /* "" in worktree mode (the work tree) */
	char merge_base_hex[GIT_OID_HEXSZ + 1];
	git_oid merge_base_tree, head_tree;  /* head_tree unset in worktree mode */
	int worktree;
	int modules;      /* committed: a go.mod, go.sum or vendor/ file differs (see change_touches_modules) */
	struct changed_file *files;
	size_t files_nr, files_alloc;
	/* every rename among .go files, old path -> new path, as pairs */
	char **renames;
	size_t renames_nr, renames_alloc;    /* number of strings (2 per rename) */
};

struct change_guess;

struct change_opts {
	const char *base;     /* revision (anything git_revparse accepts) */
	const char *head;     /* revision; NULL means HEAD */
	int worktree;         /* HEAD (or base) against the work tree */
	int tests;            /* keep _test.go files */
	int base_empty;       /* no base: every file of head is added */
	/* called once when the change has a Go file the review keeps (one
	 * of `files` below), as soon as that is known: for a committed head
	 * before the diff's lines are read (a caller starts what the Go files
	 * will need); never for a change without one; may be NULL */
	void (*go_files)(void *data);
	void *go_files_data;
	/* worktree mode: this run's change_guess_worktree(), whose look at
	 * the index (the staged files, the stat data of the .go files the
	 * review may keep) the diff does not repeat while the index file is
	 * unchanged; may be NULL */
	const struct change_guess *guess;
	/* worktree mode: let libgit2 walk every path of the work tree, not
	 * only those that may differ, and read the index for the guess too
	 * (gitindex.h is not asked): for tests comparing the two */
	int walk_all;
	/* worktree mode: the file that remembers the untracked walk's
	 * directories (diff.c: the walk's memory), read and rewritten; NULL:
	 * every directory is read */
	const char *walk_memo;
	int generated;        /* keep generated files too (a hint's second look) */
};

void change_init(struct change *c);
void change_release(struct change *c);

/*
 * Compute the change; ER_EREPO with a message naming the revision at fault.
 * In worktree mode libgit2's diff is given, as its exact paths, the places
 * where the work tree may differ from the base: the staged paths, the
 * index entries whose stat data are not clean (by every field libgit2
 * compares; racy ones included) and the files outside the index that a
 * readdir() walk finds (untracked directories that .gitignore ignores are
 * not read, as libgit2 reads none).  That is more than the diff reports,
 * never fewer, so the change is the one the diff's own walk of the whole
 * work tree gives, for a fraction of its stats and reads.  It walks the
 * whole tree itself (`walk_all`) with more than 4,096 such places, a
 * conflict, a case-insensitive index or a directory it cannot read.  Given
 * a guess that read the index file itself (change_opts.guess), unchanged
 * since, it reads no index through libgit2: the walk looks paths up in
 * that file, and the diff is given an index of those places' entries
 * (a racy one with no modification time, so that its file is hashed).
 */
int change_compute(struct change *out, git_repository *repo, const struct change_opts *opts);

/*
 * A quick guess at the Go files of a work-tree change (worktree mode),
 * for a caller that starts their build before change_compute() is done:
 * the .go paths the review would keep among the tracked files that are
 * staged (the index's blob is not the base's) or whose work-tree bytes
 * differ from the index's (those whose stat data differ or are racy,
 * hashed), as libgit2's diff of the base against the work tree through
 * the index counts them.  It walks no directory, so untracked files are
 * not seen, and it may be wrong where the diff applies rules it does not
 * (core.filemode off, an assume-unchanged entry): the caller compares
 * what it started with what change_compute() finds.  Returns 0 with
 * `out` filled (perhaps empty), 1 when it cannot guess cheaply (a
 * conflict, more than CHANGE_GUESS_MAX files), or a negative code with
 * the message set.  `out` is zeroed or released before the call; on
 * success it also holds what change_compute() need not read again
 * (change_opts.guess): a file changed between the two (the same run,
 * milliseconds apart) is seen as the guess saw it, unless the index file
 * changed too.  The index file is read in place (gitindex.h): the staged
 * paths are found by comparing the base's trees with the cache tree,
 * reading only the directories whose ids differ, and two threads stat
 * the .go entries; where that file is not read there (a split or sparse
 * index, core.ignorecase), libgit2 reads the index and diffs it.
 */
#define CHANGE_GUESS_MAX 64
struct gitindex;
struct change_guess {
	char **paths;       /* repository-relative, in index order */
	size_t nr, alloc;
	/* for change_compute(): the paths the index says may differ from the
	 * base (staged, or a .go file the review may keep whose stat data are
	 * not clean), and
	 * the index file's stat data when it read them */
	struct change_maybe {
		char **paths;
		size_t nr, alloc;
		int full;   /* too many to list: diff the whole work tree */
	} maybe;
	struct change_stamp {
		git_oid tree;   /* the base's */
		long long mtime_sec, mtime_nsec, size, ino;
	} stamp;
	/* the index file as read in place (gitindex.h), for change_compute():
	 * while the stamp holds it needs no index of libgit2's; NULL when
	 * libgit2 read the index for the guess */
	struct gitindex *ix;
};
int change_guess_worktree(struct change_guess *out, git_repository *repo,
			  const struct change_opts *opts);
void change_guess_release(struct change_guess *g);

/* The changed file with this new path, or NULL. */
const struct changed_file *change_file(const struct change *c, const char *path);
/*
 * 1 when the change `c` (change_compute()'s) touches a go.mod or go.sum,
 * or a file under vendor/: a dependency's version or its vendored code,
 * which may change what the code allocates though no Go file of the
 * review changed; 0 when not; a negative code on a libgit2 error.
 * Between commits the change's own diff said it (no cost); in worktree
 * mode, whose diff looks only where a Go file may differ, the paths named
 * go.mod and go.sum and those under vendor/ are diffed against the base.
 */
int change_touches_modules(git_repository *repo, const struct change *c);
/* 1 when `line` was added in `f` / lies inside one of its hunks. */
int changed_file_added(const struct changed_file *f, int line);
int changed_file_in_hunk(const struct changed_file *f, int line);
/* The old-side line of an unchanged context line, or 0. */
int changed_file_old_line(const struct changed_file *f, int line);
/* The new-side line of old-side line `old_line` when the change kept it
 * (outside every hunk, or a context line), else 0 (removed). */
int changed_file_new_line(const struct changed_file *f, int old_line);
/* The new path of a file renamed from `old_path`, or NULL. */
const char *change_renamed_to(const struct change *c, const char *old_path);

#endif
