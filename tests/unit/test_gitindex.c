/*
 * test_gitindex.c: the index file read in place (gitindex.h), on indexes
 * the git command wrote in temporary repositories: versions 2, 3 (an
 * entry left out of the work tree) and 4 (paths prefix-compressed) read
 * entry by entry as libgit2 reads them; the cache tree's ids against the
 * trees git committed, and invalidated on the way to a staged path; and
 * the files it refuses (a split index, a truncated or unsorted one, a
 * cache tree whose numbers run past it, version 4 paths that expand
 * quadratically, none).
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gitrepo.h"

#include "gitindex.h"
#include "strbuf.h"

#include <fcntl.h>

static char *index_path(const struct gitrepo *g)
{
	return gitrepo_path(g, ".git/index");
}

/* Every entry as libgit2 reads the same file: path, id, mode, stage,
 * stat data and the two flags. */
static void assert_same_as_libgit2(const struct gitrepo *g, const struct gitindex *ix)
{
	git_index *idx = NULL;
	char *p = index_path(g);
	size_t i;

	assert_int_equal(git_index_open(&idx, p), 0);
	assert_int_equal(git_index_entrycount(idx), ix->nr);
	for (i = 0; i < ix->nr; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		const struct gitindex_entry *f = &ix->entries[i];

		assert_string_equal(f->path, e->path);
		assert_memory_equal(f->id, e->id.id, GITINDEX_ID_LEN);
		assert_int_equal(f->mode, e->mode);
		assert_int_equal(f->stage, git_index_entry_stage(e));
		assert_int_equal(f->mtime_sec, (uint32_t)e->mtime.seconds);
		assert_int_equal(f->mtime_nsec, e->mtime.nanoseconds);
		assert_int_equal(f->ctime_sec, (uint32_t)e->ctime.seconds);
		assert_int_equal(f->ino, e->ino);
		assert_int_equal(f->size, e->file_size);
		assert_int_equal(f->skip_worktree, !!(e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE));
		assert_int_equal(f->intent_to_add, !!(e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD));
	}
	git_index_free(idx);
	free(p);
}

static void make_files(struct gitrepo *g)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	gitrepo_write(g, "a.go", "package a\n");
	gitrepo_write(g, "go/ssa/util.go", "package ssa\n");
	gitrepo_write(g, "go/ssa/ssautil/load.go", "package ssautil\n");
	gitrepo_write(g, "go/types/x.go", "package types\n");
	gitrepo_write_mode(g, "run.sh", "#!/bin/sh\n", 10, 0755);
	gitrepo_symlink(g, "link", "a.go");
	/* a path longer than the 12 bits of an entry's name length */
	for (i = 0; i < 70; i++)
		strbuf_addstr(&sb, "a_long_directory_name_/");
	strbuf_addstr(&sb, "deep.go");
	gitrepo_write(g, sb.buf, "package deep\n");
	strbuf_release(&sb);
}

/* The node for `path` ("go/ssa"), or NULL. */
static const struct gitindex_tree *node_at(const struct gitindex *ix, const char *path)
{
	const struct gitindex_tree *t = ix->trees_nr ? &ix->trees[0] : NULL;

	while (t && *path) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);

		t = gitindex_tree_child(ix, t, path, n);
		path += n + (slash ? 1 : 0);
	}
	return t;
}

/* The tree id of `path` in HEAD's tree. */
static void head_tree_id(const struct gitrepo *g, const char *path, unsigned char out[GITINDEX_ID_LEN])
{
	git_object *o = NULL;
	struct strbuf spec = STRBUF_INIT;

	if (*path)
		strbuf_addf(&spec, "HEAD:%s", path);
	else
		strbuf_addstr(&spec, "HEAD^{tree}");
	assert_int_equal(git_revparse_single(&o, g->repo, spec.buf), 0);
	memcpy(out, git_object_id(o)->id, GITINDEX_ID_LEN);
	git_object_free(o);
	strbuf_release(&spec);
}

static void test_versions(void **state)
{
	struct gitrepo g;
	struct gitindex ix;
	unsigned char id[GITINDEX_ID_LEN];
	char *p;

	(void)state;
	gitrepo_init(&g, "gitindex-versions", 0);
	make_files(&g);
	gitrepo_git(&g, "add", "-A", ".");
	gitrepo_git(&g, "commit", "-qm", "one");
	p = index_path(&g);

	/* version 2, as git writes it after a commit: the cache tree valid */
	assert_int_equal(gitindex_read(&ix, p), 0);
	assert_int_equal(ix.nr, 7);
	assert_same_as_libgit2(&g, &ix);
	assert_true(ix.trees_nr > 4);
	head_tree_id(&g, "", id);
	assert_true(ix.trees[0].valid);
	assert_memory_equal(ix.trees[0].id, id, GITINDEX_ID_LEN);
	head_tree_id(&g, "go/ssa", id);
	assert_non_null(node_at(&ix, "go/ssa"));
	assert_memory_equal(node_at(&ix, "go/ssa")->id, id, GITINDEX_ID_LEN);
	assert_null(node_at(&ix, "go/nope"));
	gitindex_release(&ix);

	/* a staged change invalidates the directories on its way only */
	gitrepo_write(&g, "go/ssa/util.go", "package ssa\n\nvar X int\n");
	gitrepo_git(&g, "add", "go/ssa/util.go", NULL);
	assert_int_equal(gitindex_read(&ix, p), 0);
	assert_same_as_libgit2(&g, &ix);
	assert_false(ix.trees[0].valid);
	assert_false(node_at(&ix, "go")->valid);
	assert_false(node_at(&ix, "go/ssa")->valid);
	assert_true(node_at(&ix, "go/ssa/ssautil")->valid);
	head_tree_id(&g, "go/types", id);
	assert_true(node_at(&ix, "go/types")->valid);
	assert_memory_equal(node_at(&ix, "go/types")->id, id, GITINDEX_ID_LEN);
	gitindex_release(&ix);

	/* version 3: an entry left out of the work tree */
	gitrepo_git(&g, "update-index", "--skip-worktree", "a.go");
	assert_int_equal(gitindex_read(&ix, p), 0);
	assert_same_as_libgit2(&g, &ix);
	assert_true(ix.entries[0].skip_worktree);
	assert_false(ix.entries[1].skip_worktree);
	gitindex_release(&ix);
	gitrepo_git(&g, "update-index", "--no-skip-worktree", "a.go");

	/* version 4: each path written as what it shares with the one before */
	gitrepo_git(&g, "update-index", "--index-version", "4");
	assert_int_equal(gitindex_read(&ix, p), 0);
	assert_same_as_libgit2(&g, &ix);
	assert_string_equal(ix.entries[ix.nr - 1].path, "run.sh");
	gitindex_release(&ix);

	/* a split index is not read here */
	gitrepo_git(&g, "update-index", "--index-version", "2");
	gitrepo_git(&g, "update-index", "--split-index", NULL);
	assert_int_equal(gitindex_read(&ix, p), 1);
	assert_int_equal(ix.nr, 0);
	free(p);
	gitrepo_release(&g);
}

/* Write `n` bytes of `buf` to `path`. */
static void write_bytes(const char *path, const char *buf, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
}

static void test_refused(void **state)
{
	struct gitrepo g;
	struct gitindex ix;
	struct strbuf sb = STRBUF_INIT;
	char *p, *copy;
	size_t i;

	(void)state;
	gitrepo_init(&g, "gitindex-refused", 0);
	gitrepo_write(&g, "a.go", "package a\n");
	gitrepo_write(&g, "b.go", "package a\n");
	gitrepo_git(&g, "add", "-A", ".");
	p = index_path(&g);
	copy = gitrepo_path(&g, "copy");
	assert_true(strbuf_read_file(&sb, p, 1 << 20) > 0);

	assert_int_equal(gitindex_read(&ix, copy), 1); /* none */
	for (i = 0; i < sb.len - 20; i += 7) {        /* truncated anywhere */
		write_bytes(copy, sb.buf, i);
		assert_int_equal(gitindex_read(&ix, copy), 1);
		assert_null(ix.entries);
	}
	/* the entries out of order: "b.go" first */
	{
		char *swapped = malloc(sb.len);
		size_t k;

		assert_non_null(swapped);
		memcpy(swapped, sb.buf, sb.len);
		for (k = 0; k + 4 <= sb.len && memcmp(swapped + k, "a.go", 4); k++)
			;
		assert_true(k + 4 <= sb.len);
		swapped[k] = 'c';
		write_bytes(copy, swapped, sb.len);
		assert_int_equal(gitindex_read(&ix, copy), 1);
		free(swapped);
	}
	/* not an index */
	write_bytes(copy, "DIRX\0\0\0\2\0\0\0\0xxxxxxxxxxxxxxxxxxxx", 32);
	assert_int_equal(gitindex_read(&ix, copy), 1);
	/* a cache tree whose numbers would run past its extension: "\0\n",
	 * then the trailer "5 0\n..." (strtol skipped the newline) */
	{
		static const char bad[] = "DIRC\0\0\0\2\0\0\0\0" "TREE\0\0\0\2\0\n"
					  "5 0\nxxxxxxxxxxxxxxxx";
		char *buf = malloc(sizeof(bad) - 1);

		assert_non_null(buf);
		memcpy(buf, bad, sizeof(bad) - 1);
		memset(&ix, 0, sizeof(ix));
		assert_int_equal(gitindex_parse(&ix, buf, sizeof(bad) - 1), 1);
		assert_int_equal(ix.trees_nr, 0);
	}
	/* version 4, each path the one before and one byte more: 5,000
	 * entries (330 KB) would expand to 12.5 MB of paths; 2,000 are read */
	{
		size_t n, k, at;

		for (n = 2000; n <= 5000; n += 3000) {
			size_t len = 12 + n * 65 + 20;
			char *buf = calloc(1, len);

			assert_non_null(buf);
			memcpy(buf, "DIRC\0\0\0\4", 8);
			buf[8] = (char)(n >> 24), buf[9] = (char)(n >> 16);
			buf[10] = (char)(n >> 8), buf[11] = (char)n;
			for (k = 0, at = 12; k < n; k++, at += 65) {
				buf[at + 62] = 0;      /* strip nothing */
				buf[at + 63] = 'a';    /* then "a" */
			}
			memset(&ix, 0, sizeof(ix));
			assert_int_equal(gitindex_parse(&ix, buf, len), n == 2000 ? 0 : 1);
			if (n == 2000)
				assert_int_equal(strlen(ix.entries[1999].path), 2000);
			gitindex_release(&ix);
		}
	}
	free(copy);
	free(p);
	strbuf_release(&sb);
	gitrepo_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_refused),
	};
	int ret;

	git_libgit2_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return ret;
}
