/*
 * test_checkout.c: tree_checkout (checkout.h) from real repositories made
 * in temporary directories: exact files and modes written, symbolic links
 * left out, the stamp, nothing rewritten for the same tree, only the
 * differences for another tree, an emptied directory when the stamp is
 * unknown (never following a link out of it), entries that would leave the
 * directory skipped, and the messages when it cannot work.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gitrepo.h"

#include "checkout.h"
#include "errors.h"
#include "strbuf.h"

/* The content of DIR/PATH, or "(missing)" when lstat fails. */
static const char *content(struct strbuf *sb, const char *dir, const char *path)
{
	char full[256];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	strbuf_reset(sb);
	if (lstat(full, &st) < 0)
		return "(missing)";
	if (S_ISLNK(st.st_mode))
		return "(link)";
	if (S_ISDIR(st.st_mode))
		return "(dir)";
	assert_true(strbuf_read_file(sb, full, 1 << 20) >= 0);
	return sb->buf;
}

static mode_t mode_of(const char *dir, const char *path)
{
	char full[256];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	assert_int_equal(lstat(full, &st), 0);
	return st.st_mode;
}

static void put(const char *dir, const char *path, const char *text)
{
	char full[256];
	FILE *fp;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	fp = fopen(full, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Two commits: one with a regular, an executable, a nested file and a
 * link; the next modifies, deletes, adds and makes a file executable. */
static void make_trees(struct gitrepo *g, git_oid *t1, git_oid *t2)
{
	git_oid c1, c2;

	gitrepo_write(g, "a.go", "package a\n");
	gitrepo_write(g, "keep.go", "package a\n\nvar Keep int\n");
	gitrepo_write(g, "gone.go", "package a\n");
	gitrepo_write_mode(g, "tool.sh", "#!/bin/sh\nexit 0\n", 17, 0755);
	gitrepo_write(g, "p/q/deep.go", "package q\n");
	gitrepo_write(g, "p/mode.sh", "echo\n");
	gitrepo_symlink(g, "link.go", "/etc/passwd");
	gitrepo_write_mode(g, "nonl.go", "package a", 9, 0644);
	gitrepo_commit(g, &c1, "one");
	gitrepo_write(g, "a.go", "package a\n\nvar Changed int\n");
	gitrepo_remove(g, "gone.go");
	gitrepo_write(g, "p/new.go", "package p\n");
	gitrepo_write_mode(g, "p/mode.sh", "echo\n", 5, 0755);
	gitrepo_commit(g, &c2, "two");
	*t1 = gitrepo_tree_of(g, &c1);
	*t2 = gitrepo_tree_of(g, &c2);
}

static void test_checkout_and_update(void **state)
{
	struct gitrepo g;
	struct strbuf sb = STRBUF_INIT;
	git_oid t1, t2;
	char base[64], dir[96], hex[GIT_OID_HEXSZ + 1];

	(void)state;
	gitrepo_init(&g, "checkout", 0);
	make_trees(&g, &t1, &t2);
	gitrepo_tmpdir(base, "checkout-out");
	snprintf(dir, sizeof(dir), "%s/x/head", base);   /* parents created */

	assert_int_equal(tree_checkout(g.repo, &t1, dir), 0);
	assert_string_equal(content(&sb, dir, "a.go"), "package a\n");
	assert_string_equal(content(&sb, dir, "gone.go"), "package a\n");
	assert_string_equal(content(&sb, dir, "p/q/deep.go"), "package q\n");
	assert_string_equal(content(&sb, dir, "nonl.go"), "package a");
	assert_string_equal(content(&sb, dir, "tool.sh"), "#!/bin/sh\nexit 0\n");
	assert_true(mode_of(dir, "tool.sh") & S_IXUSR);
	assert_false(mode_of(dir, "a.go") & S_IXUSR);
	assert_false(mode_of(dir, "p/mode.sh") & S_IXUSR);
	assert_string_equal(content(&sb, dir, "link.go"), "(missing)");   /* links are not written */
	assert_string_equal(content(&sb, dir, ".escape-review-tree"), gitrepo_hex(&t1, hex));
	assert_string_equal(content(&sb, dir, ".git"), "(missing)");

	/* the same tree again: nothing is written (a local edit survives) */
	put(dir, "a.go", "edited\n");
	assert_int_equal(tree_checkout(g.repo, &t1, dir), 0);
	assert_string_equal(content(&sb, dir, "a.go"), "edited\n");

	/* another tree: only the differences (keep.go's edit survives, a.go's does not) */
	put(dir, "keep.go", "edited too\n");
	put(dir, "extra.txt", "mine\n");
	assert_int_equal(tree_checkout(g.repo, &t2, dir), 0);
	assert_string_equal(content(&sb, dir, "a.go"), "package a\n\nvar Changed int\n");
	assert_string_equal(content(&sb, dir, "keep.go"), "edited too\n");
	assert_string_equal(content(&sb, dir, "gone.go"), "(missing)");
	assert_string_equal(content(&sb, dir, "p/new.go"), "package p\n");
	assert_true(mode_of(dir, "p/mode.sh") & S_IXUSR);
	assert_string_equal(content(&sb, dir, "extra.txt"), "mine\n");
	assert_string_equal(content(&sb, dir, ".escape-review-tree"), gitrepo_hex(&t2, hex));

	/* and back */
	assert_int_equal(tree_checkout(g.repo, &t1, dir), 0);
	assert_string_equal(content(&sb, dir, "gone.go"), "package a\n");
	assert_string_equal(content(&sb, dir, "p/new.go"), "(missing)");
	assert_false(mode_of(dir, "p/mode.sh") & S_IXUSR);
	assert_string_equal(content(&sb, dir, ".escape-review-tree"), gitrepo_hex(&t1, hex));

	strbuf_release(&sb);
	gitrepo_rm_rf(base);
	gitrepo_release(&g);
}

static void test_unknown_stamp_clears(void **state)
{
	struct gitrepo g;
	struct strbuf sb = STRBUF_INIT;
	git_oid t1, t2;
	char base[64], dir[96], outside[96], link[128], hex[GIT_OID_HEXSZ + 1];

	(void)state;
	gitrepo_init(&g, "checkout-clear", 0);
	make_trees(&g, &t1, &t2);
	gitrepo_tmpdir(base, "checkout-clear-out");
	snprintf(dir, sizeof(dir), "%s/co", base);
	snprintf(outside, sizeof(outside), "%s/outside", base);
	assert_int_equal(mkdir(dir, 0777), 0);
	assert_int_equal(mkdir(outside, 0777), 0);
	put(outside, "precious", "keep me\n");
	put(dir, "stale.go", "package stale\n");
	snprintf(link, sizeof(link), "%s/out", dir);
	assert_int_equal(symlink(outside, link), 0);
	put(dir, ".escape-review-tree", "not a tree id");

	assert_int_equal(tree_checkout(g.repo, &t2, dir), 0);
	assert_string_equal(content(&sb, dir, "stale.go"), "(missing)");
	assert_string_equal(content(&sb, dir, "out"), "(missing)");
	assert_string_equal(content(&sb, outside, "precious"), "keep me\n");   /* the link was not followed */
	assert_string_equal(content(&sb, dir, "a.go"), "package a\n\nvar Changed int\n");
	assert_string_equal(content(&sb, dir, "gone.go"), "(missing)");
	assert_string_equal(content(&sb, dir, ".escape-review-tree"), gitrepo_hex(&t2, hex));

	strbuf_release(&sb);
	gitrepo_rm_rf(base);
	gitrepo_release(&g);
}

/* A tree whose entries would leave the directory, made without libgit2's
 * name checks, as a hostile repository could hold. */
static void test_hostile_names(void **state)
{
	struct gitrepo g;
	struct strbuf sb = STRBUF_INIT, raw = STRBUF_INIT;
	git_treebuilder *sub = NULL;
	git_oid blob, subtree, tree;
	char base[64], dir[96];

	(void)state;
	gitrepo_init(&g, "checkout-hostile", 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, g.repo, "pwned\n", 6), 0);
	assert_int_equal(git_treebuilder_new(&sub, g.repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, sub, "config", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_insert(NULL, sub, "ok.go", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&subtree, sub), 0);
	git_treebuilder_free(sub);
	/* libgit2's tree builder refuses these names: the tree object is written raw */
	{
		static const char *const names[] = { "..", ".GIT", "fine" };
		git_odb *odb = NULL;
		size_t i;

		for (i = 0; i < 3; i++) {
			strbuf_addf(&raw, "40000 %s", names[i]);
			strbuf_add(&raw, "", 1);
			strbuf_add(&raw, subtree.id, GIT_OID_RAWSZ);
		}
		assert_int_equal(git_repository_odb(&odb, g.repo), 0);
		assert_int_equal(git_odb_write(&tree, odb, raw.buf, raw.len, GIT_OBJECT_TREE), 0);
		git_odb_free(odb);
	}

	gitrepo_tmpdir(base, "checkout-hostile-out");
	snprintf(dir, sizeof(dir), "%s/co", base);
	assert_int_equal(tree_checkout(g.repo, &tree, dir), 0);
	assert_string_equal(content(&sb, dir, "fine/ok.go"), "pwned\n");
	assert_string_equal(content(&sb, dir, "fine/config"), "pwned\n");
	assert_string_equal(content(&sb, dir, ".GIT"), "(missing)");
	assert_string_equal(content(&sb, base, "config"), "(missing)");   /* "../config" */
	assert_string_equal(content(&sb, base, "ok.go"), "(missing)");

	strbuf_release(&raw);
	strbuf_release(&sb);
	gitrepo_rm_rf(base);
	gitrepo_release(&g);
}

static void test_errors(void **state)
{
	struct gitrepo g;
	git_oid t1, t2, bogus;
	char base[64], dir[96], want[256];

	(void)state;
	gitrepo_init(&g, "checkout-err", 0);
	make_trees(&g, &t1, &t2);
	gitrepo_tmpdir(base, "checkout-err-out");

	snprintf(dir, sizeof(dir), "%s/co", base);
	assert_int_equal(git_oid_fromstr(&bogus, "0123456789abcdef0123456789abcdef01234567"), 0);
	assert_int_equal(tree_checkout(g.repo, &bogus, dir), ER_EREPO);
	assert_memory_equal(error_last(), "cannot read tree to check out: ",
			    strlen("cannot read tree to check out: "));

	/* a regular file where the directory should be */
	put(base, "file", "x\n");
	snprintf(dir, sizeof(dir), "%s/file/co", base);
	assert_int_equal(tree_checkout(g.repo, &t1, dir), ER_ERROR);
	snprintf(want, sizeof(want), "cannot clear %s: Not a directory", dir);
	assert_string_equal(error_last(), want);

	gitrepo_rm_rf(base);
	gitrepo_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checkout_and_update),
		cmocka_unit_test(test_unknown_stamp_clears),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_errors),
	};
	int ret;

	git_libgit2_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return ret;
}
