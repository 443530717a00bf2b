/*
 * gitrepo.h: real git repositories in temporary directories for the git
 * modules' unit tests (test_repo.c, test_diff.c, test_checkout.c,
 * test_gitindex.c), made with libgit2: files written into the work tree,
 * staged (deletions too) and committed with a fixed author and time, on
 * HEAD or beside it; and the git command itself (gitrepo_git), where a
 * test needs an index git wrote.
 * Everything is static inline so each test includes what it uses.
 * A test file defines _XOPEN_SOURCE 700 (nftw) before any include.
 */
#ifndef TEST_GITREPO_H
#define TEST_GITREPO_H

#include <errno.h>
#include <ftw.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

struct gitrepo {
	char dir[64];            /* the work tree (no trailing '/') */
	git_repository *repo;
};

static inline void gitrepo_die(const char *what)
{
	const git_error *e = git_error_last();

	fprintf(stderr, "gitrepo: %s: %s\n", what, e && e->message ? e->message : strerror(errno));
	abort();
}

/* A fresh directory under /tmp, its real path (macOS's /tmp is a link, and
 * libgit2 reports real paths); `buf` holds at least 64 bytes. */
static inline void gitrepo_tmpdir(char *buf, const char *name)
{
	char made[64], *real;

	snprintf(made, sizeof(made), "/tmp/er-unit-%s.XXXXXX", name);
	if (!mkdtemp(made) || !(real = realpath(made, NULL)) || strlen(real) >= 64)
		gitrepo_die("mkdtemp");
	strcpy(buf, real);
	free(real);
}

static inline int gitrepo_rm_entry(const char *path, const struct stat *st, int flag,
				   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static inline void gitrepo_rm_rf(const char *dir)
{
	nftw(dir, gitrepo_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* An empty repository (bare or with a work tree) in a new temporary directory. */
static inline void gitrepo_init(struct gitrepo *g, const char *name, int bare)
{
	gitrepo_tmpdir(g->dir, name);
	if (git_repository_init(&g->repo, g->dir, bare) < 0)
		gitrepo_die("git_repository_init");
}

static inline void gitrepo_release(struct gitrepo *g)
{
	git_repository_free(g->repo);
	g->repo = NULL;
	gitrepo_rm_rf(g->dir);
}

static inline char *gitrepo_path(const struct gitrepo *g, const char *path)
{
	size_t n = strlen(g->dir) + strlen(path) + 2;
	char *full = malloc(n);

	if (!full)
		abort();
	snprintf(full, n, "%s/%s", g->dir, path);
	return full;
}

/* Write `len` bytes to PATH in the work tree (parents created) with `mode`. */
static inline void gitrepo_write_mode(const struct gitrepo *g, const char *path, const char *data,
				      size_t len, mode_t mode)
{
	char *full = gitrepo_path(g, path), *s;
	FILE *fp;

	for (s = full + strlen(g->dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(full, 0777) < 0 && errno != EEXIST)
			gitrepo_die(full);
		*s = '/';
	}
	unlink(full);
	fp = fopen(full, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp))
		gitrepo_die(full);
	if (chmod(full, mode) < 0)
		gitrepo_die(full);
	free(full);
}

static inline void gitrepo_write(const struct gitrepo *g, const char *path, const char *text)
{
	gitrepo_write_mode(g, path, text, strlen(text), 0644);
}

static inline void gitrepo_symlink(const struct gitrepo *g, const char *path, const char *target)
{
	char *full = gitrepo_path(g, path);

	unlink(full);
	if (symlink(target, full) < 0)
		gitrepo_die(full);
	free(full);
}

static inline void gitrepo_remove(const struct gitrepo *g, const char *path)
{
	char *full = gitrepo_path(g, path);

	if (unlink(full) < 0)
		gitrepo_die(full);
	free(full);
}

/*
 * Stage the whole work tree (new, changed and deleted files) and commit it
 * with `parent` as its parent (NULL: HEAD's commit, none in an empty
 * repository).  `move_head`: update HEAD's branch to the new commit.
 */
static inline void gitrepo_commit_on(struct gitrepo *g, git_oid *out, const char *msg,
				     const git_oid *parent, int move_head)
{
	git_index *index = NULL;
	git_signature *sig = NULL;
	git_commit *pc = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, head;
	char *all = "*";
	git_strarray paths = { &all, 1 };
	const git_commit *parents[1];
	size_t np = 0;

	if (git_repository_index(&index, g->repo) < 0 ||
	    git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_update_all(index, &paths, NULL, NULL) < 0 || git_index_write(index) < 0 ||
	    git_index_write_tree(&tree_id, index) < 0 || git_tree_lookup(&tree, g->repo, &tree_id) < 0)
		gitrepo_die("staging");
	if (!parent && !git_reference_name_to_id(&head, g->repo, "HEAD"))
		parent = &head;
	if (parent) {
		if (git_commit_lookup(&pc, g->repo, parent) < 0)
			gitrepo_die("parent");
		parents[np++] = pc;
	}
	if (git_signature_new(&sig, "Test", "test@example.com", 1700000000, 0) < 0 ||
	    git_commit_create(out, g->repo, move_head ? "HEAD" : NULL, sig, sig, NULL, msg, tree,
			      np, parents) < 0)
		gitrepo_die("commit");
	git_commit_free(pc);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
}

static inline void gitrepo_commit(struct gitrepo *g, git_oid *out, const char *msg)
{
	gitrepo_commit_on(g, out, msg, NULL, 1);
}

/* Point refs/heads/NAME at `id`. */
static inline void gitrepo_branch(struct gitrepo *g, const char *name, const git_oid *id)
{
	git_reference *ref = NULL;
	char refname[256];

	snprintf(refname, sizeof(refname), "refs/heads/%s", name);
	if (git_reference_create(&ref, g->repo, refname, id, 1, NULL) < 0)
		gitrepo_die(refname);
	git_reference_free(ref);
}

/* Make the work tree and the index HEAD's again (forced checkout). */
static inline void gitrepo_reset_hard(struct gitrepo *g)
{
	git_checkout_options co;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
	if (git_checkout_head(g->repo, &co) < 0)
		gitrepo_die("checkout HEAD");
}

/* The tree of commit `id`. */
static inline git_oid gitrepo_tree_of(struct gitrepo *g, const git_oid *id)
{
	git_commit *c = NULL;
	git_oid t;

	if (git_commit_lookup(&c, g->repo, id) < 0)
		gitrepo_die("commit lookup");
	git_oid_cpy(&t, git_commit_tree_id(c));
	git_commit_free(c);
	return t;
}

static inline const char *gitrepo_hex(const git_oid *id, char buf[GIT_OID_HEXSZ + 1])
{
	return git_oid_tostr(buf, GIT_OID_HEXSZ + 1, id);
}

/*
 * Run the git command in the work tree (`a`, `b`, `c`: its arguments, NULL
 * ending them early), with a fixed identity; it must exit 0.  The
 * repository is opened again after it, as a new run of the review would
 * open it: libgit2 keeps an index it has read while the file's size and
 * second look the same.
 */
static inline void gitrepo_git(struct gitrepo *g, const char *a, const char *b, const char *c)
{
	const char *argv[] = { "git", "-C", g->dir, "-c", "user.name=t", "-c", "user.email=t@example.com",
			       a, b, c, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	cp.argv = argv;
	cp.no_stdout = 1;
	if (child_run(&cp))
		gitrepo_die(a);
	git_repository_free(g->repo);
	if (git_repository_open(&g->repo, g->dir) < 0)
		gitrepo_die("git_repository_open");
}

#endif
