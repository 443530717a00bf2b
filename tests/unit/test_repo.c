/*
 * test_repo.c: the repository module (repo.h) on real repositories made
 * in temporary directories: opening from a subdirectory, the work tree's
 * root, revisions (branches, tags, short ids, HEAD~n, unknown, not a
 * commit, an unborn HEAD), commit trees, merge-bases, the work tree's
 * state and paths in the git directory, with their exact messages.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gitrepo.h"

#include "errors.h"
#include "repo.h"

static void assert_oid_equal(const git_oid *a, const git_oid *b)
{
	char ha[GIT_OID_HEXSZ + 1], hb[GIT_OID_HEXSZ + 1];

	assert_string_equal(gitrepo_hex(a, ha), gitrepo_hex(b, hb));
}

static void test_open_and_workdir(void **state)
{
	struct gitrepo g;
	git_repository *r = NULL;
	char *sub, *root, outside[64];

	(void)state;
	gitrepo_init(&g, "repo", 0);
	gitrepo_write(&g, "pkg/deep/a.go", "package deep\n");
	sub = gitrepo_path(&g, "pkg/deep");

	assert_int_equal(repo_open(&r, sub), 0);
	{
		char want[80];

		snprintf(want, sizeof(want), "%s/", g.dir);
		assert_string_equal(git_repository_workdir(r), want);
	}
	git_repository_free(r);

	root = repo_workdir_find(sub);
	assert_non_null(root);
	assert_string_equal(root, g.dir);   /* no trailing '/' */
	free(root);

	gitrepo_tmpdir(outside, "norepo");
	assert_null(repo_workdir_find(outside));
	r = NULL;
	assert_int_equal(repo_open(&r, outside), ER_EREPO);
	assert_null(r);
	{
		char prefix[128];

		snprintf(prefix, sizeof(prefix), "not a git repository: %s (", outside);
		assert_memory_equal(error_last(), prefix, strlen(prefix));
		assert_non_null(strstr(error_last(), "); run inside a repository or use -C DIR"));
		assert_string_equal(strstr(error_last(), "); run"), "); run inside a repository or use -C DIR");
	}
	rmdir(outside);
	free(sub);
	gitrepo_release(&g);
}

static void test_workdir_of_bare(void **state)
{
	struct gitrepo g;
	git_repository *r = NULL;

	(void)state;
	gitrepo_init(&g, "bare", 1);
	assert_null(repo_workdir_find(g.dir));
	assert_int_equal(repo_open(&r, g.dir), 0);   /* it is a repository */
	assert_true(git_repository_is_bare(r));
	git_repository_free(r);
	gitrepo_release(&g);
}

static void test_resolve(void **state)
{
	struct gitrepo g;
	git_oid c1, c2, c3, got, tag_id;
	git_object *target = NULL;
	git_signature *sig = NULL;
	char hex[GIT_OID_HEXSZ + 1], shorthex[8];

	(void)state;
	gitrepo_init(&g, "resolve", 0);
	gitrepo_write(&g, "a.go", "package a\n");
	gitrepo_commit(&g, &c1, "one");
	gitrepo_write(&g, "a.go", "package a\n\nvar X int\n");
	gitrepo_commit(&g, &c2, "two");
	gitrepo_branch(&g, "topic", &c1);
	gitrepo_write(&g, "b.go", "package a\n");
	gitrepo_commit(&g, &c3, "three");

	/* an annotated tag on c2 peels to the commit */
	assert_int_equal(git_object_lookup(&target, g.repo, &c2, GIT_OBJECT_COMMIT), 0);
	assert_int_equal(git_signature_new(&sig, "Test", "test@example.com", 1700000000, 0), 0);
	assert_int_equal(git_tag_create(&tag_id, g.repo, "v1", target, sig, "release", 0), 0);

	assert_int_equal(repo_resolve(&got, g.repo, "HEAD"), 0);
	assert_oid_equal(&got, &c3);
	assert_int_equal(repo_resolve(&got, g.repo, "HEAD~2"), 0);
	assert_oid_equal(&got, &c1);
	assert_int_equal(repo_resolve(&got, g.repo, "topic"), 0);
	assert_oid_equal(&got, &c1);
	assert_int_equal(repo_resolve(&got, g.repo, "v1"), 0);
	assert_oid_equal(&got, &c2);
	gitrepo_hex(&c2, hex);
	memcpy(shorthex, hex, 7);
	shorthex[7] = '\0';
	assert_int_equal(repo_resolve(&got, g.repo, shorthex), 0);
	assert_oid_equal(&got, &c2);

	assert_int_equal(repo_resolve(&got, g.repo, "nope"), ER_EREPO);
	assert_string_equal(error_last(),
		"unknown revision 'nope': not a commit in this repository (fetch it, or check the name)");
	assert_int_equal(repo_resolve(&got, g.repo, "HEAD:a.go"), ER_EREPO);
	assert_string_equal(error_last(), "revision 'HEAD:a.go' is not a commit");

	assert_int_equal(repo_commit_tree(&got, g.repo, &c2), 0);
	{
		git_oid want = gitrepo_tree_of(&g, &c2);

		assert_oid_equal(&got, &want);
	}
	assert_int_equal(repo_commit_tree(&got, g.repo, &tag_id), ER_EREPO);
	assert_memory_equal(error_last(), "cannot read commit: ", strlen("cannot read commit: "));

	git_signature_free(sig);
	git_object_free(target);
	gitrepo_release(&g);
}

static void test_resolve_unborn(void **state)
{
	struct gitrepo g;
	git_oid got;

	(void)state;
	gitrepo_init(&g, "unborn", 0);
	assert_int_equal(repo_resolve(&got, g.repo, "HEAD"), ER_EREPO);
	assert_string_equal(error_last(),
		"revision 'HEAD' does not exist: the repository has no commits yet; commit first");
	assert_int_equal(repo_resolve(&got, g.repo, "main"), ER_EREPO);
	assert_string_equal(error_last(),
		"unknown revision 'main': not a commit in this repository (fetch it, or check the name)");
	gitrepo_release(&g);
}

/*
 *   A --- B --- D   (HEAD)
 *    \
 *     C             (side)
 *   O               (orphan: no parent)
 */
static void test_merge_base(void **state)
{
	struct gitrepo g;
	git_oid a, b, c, d, o, mb;

	(void)state;
	gitrepo_init(&g, "mergebase", 0);
	gitrepo_write(&g, "a.go", "package a\n");
	gitrepo_commit(&g, &a, "A");
	gitrepo_write(&g, "b.go", "package a\n");
	gitrepo_commit(&g, &b, "B");
	gitrepo_write(&g, "c.go", "package a\n");
	gitrepo_commit_on(&g, &c, "C", &a, 0);
	gitrepo_branch(&g, "side", &c);
	gitrepo_write(&g, "d.go", "package a\n");
	gitrepo_commit(&g, &d, "D");

	assert_int_equal(repo_merge_base(&mb, g.repo, &c, &d, "side", "HEAD"), 0);
	assert_oid_equal(&mb, &a);
	assert_int_equal(repo_merge_base(&mb, g.repo, &b, &d, "b", "d"), 0);
	assert_oid_equal(&mb, &b);   /* an ancestor is its own merge-base */

	{
		git_signature *sig = NULL;
		git_tree *tree = NULL;
		git_oid t = gitrepo_tree_of(&g, &a);

		assert_int_equal(git_tree_lookup(&tree, g.repo, &t), 0);
		assert_int_equal(git_signature_new(&sig, "Test", "test@example.com", 1700000000, 0), 0);
		assert_int_equal(git_commit_create(&o, g.repo, NULL, sig, sig, NULL, "O", tree, 0, NULL), 0);
		git_signature_free(sig);
		git_tree_free(tree);
	}
	assert_int_equal(repo_merge_base(&mb, g.repo, &o, &d, "orphan", "HEAD"), ER_EREPO);
	assert_string_equal(error_last(),
		"revisions 'orphan' and 'HEAD' have no common ancestor (in a shallow clone, fetch more history: git fetch --deepen=50)");
	gitrepo_release(&g);
}

static void test_worktree_is(void **state)
{
	struct gitrepo g;
	git_oid c1, c2;

	(void)state;
	gitrepo_init(&g, "worktree", 0);
	gitrepo_write(&g, "a.go", "package a\n");
	gitrepo_write(&g, "go.mod", "module example.com/a\n\ngo 1.19\n");
	gitrepo_write(&g, ".gitignore", "build/\n");
	gitrepo_commit(&g, &c1, "one");
	gitrepo_write(&g, "a.go", "package a\n\nvar X int\n");
	gitrepo_commit(&g, &c2, "two");

	assert_int_equal(repo_worktree_is(g.repo, &c2), 1);
	assert_int_equal(repo_worktree_is(g.repo, &c1), 0);   /* HEAD is c2 */

	/* untracked files other than Go sources and module files, and ignored ones, do not count */
	gitrepo_write(&g, "notes.txt", "x\n");
	gitrepo_write(&g, "build/out.go", "package out\n");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 1);

	gitrepo_write(&g, "sub/new.go", "package sub\n");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 0);
	/* the tracked files alone still match */
	{
		const char *all[] = { "a.go", "go.mod", "sub" }, *gm[] = { "go.mod" };

		assert_int_equal(repo_head_is(g.repo, &c2), 1);
		assert_int_equal(repo_head_is(g.repo, &c1), 0);
		assert_int_equal(repo_worktree_paths_are(g.repo, &c2, all, 3), 1);
		assert_int_equal(repo_worktree_paths_are(g.repo, &c1, all, 3), 0);
		gitrepo_write(&g, "a.go", "package a\n\nvar Y int\n");
		assert_int_equal(repo_worktree_paths_are(g.repo, &c2, all, 3), 0);
		assert_int_equal(repo_worktree_paths_are(g.repo, &c2, gm, 1), 1); /* a.go not looked at */
		gitrepo_write(&g, "a.go", "package a\n\nvar X int\n");
		assert_int_equal(repo_worktree_paths_are(g.repo, &c2, all, 3), 1);
	}
	gitrepo_remove(&g, "sub/new.go");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 1);
	gitrepo_write(&g, "tool/go.mod", "module example.com/tool\n");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 0);
	gitrepo_remove(&g, "tool/go.mod");
	gitrepo_write(&g, "go.work", "go 1.19\n");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 0);
	gitrepo_remove(&g, "go.work");

	/* a change to a tracked file, of any kind */
	gitrepo_write(&g, ".gitignore", "build/\n*.tmp\n");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 0);
	gitrepo_reset_hard(&g);
	assert_int_equal(repo_worktree_is(g.repo, &c2), 1);
	gitrepo_remove(&g, "a.go");
	assert_int_equal(repo_worktree_is(g.repo, &c2), 0);
	{
		const char *one[] = { "a.go" };

		assert_int_equal(repo_worktree_paths_are(g.repo, &c2, one, 1), 0); /* a deleted file */
	}
	gitrepo_release(&g);

	gitrepo_init(&g, "worktree-bare", 1);
	assert_int_equal(repo_worktree_is(g.repo, &c2), 0);
	gitrepo_release(&g);
}

static void test_git_path_and_error(void **state)
{
	struct gitrepo g;
	git_reference *ref = NULL;
	char *p, want[96], msg[256];

	(void)state;
	gitrepo_init(&g, "gitpath", 0);
	p = repo_git_path(g.repo, "escape-review/head");
	snprintf(want, sizeof(want), "%s/.git/escape-review/head", g.dir);
	assert_string_equal(p, want);
	free(p);

	assert_true(git_reference_lookup(&ref, g.repo, "refs/heads/nope") < 0);
	snprintf(msg, sizeof(msg), "cannot read the branch: %s", git_error_last()->message);
	assert_int_equal(repo_error("cannot read the branch"), ER_EREPO);
	assert_string_equal(error_last(), msg);
	gitrepo_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_and_workdir),
		cmocka_unit_test(test_workdir_of_bare),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_unborn),
		cmocka_unit_test(test_merge_base),
		cmocka_unit_test(test_worktree_is),
		cmocka_unit_test(test_git_path_and_error),
	};
	int ret;

	git_libgit2_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return ret;
}
