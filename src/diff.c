/*
 * diff.c: the diff of a change (diff.h), read with libgit2: tree-to-tree
 * or tree-to-workdir diff with rename detection, the Go-file filter, and
 * per-file added lines, hunks and context lines.
 */
#include "diff.h"
#include "errors.h"
#include "gosrc.h"
#include "repo.h"
#include "strbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void change_init(struct change *c)
{
	memset(c, 0, sizeof(*c));
}

void change_release(struct change *c)
{
	size_t i;

	for (i = 0; i < c->files_nr; i++) {
		free(c->files[i].path);
		free(c->files[i].old_path);
		free(c->files[i].added);
		free(c->files[i].hunks);
		free(c->files[i].context);
	}
	free(c->files);
	for (i = 0; i < c->renames_nr; i++)
		free(c->renames[i]);
	free(c->renames);
	change_init(c);
}

static int has_component(const char *path, const char *comp)
{
	size_t n = strlen(comp);
	const char *s = path;

	for (;;) {
		if (!strncmp(s, comp, n) && s[n] == '/')
			return 1;
		s = strchr(s, '/');
		if (!s)
			return 0;
		s++;
	}
}

/* A new-side path the review keeps, before the generated-file check. */
static int go_file_kept(const char *path, uint32_t mode, int tests)
{
	return ends_with(path, ".go") && mode != GIT_FILEMODE_LINK && mode != GIT_FILEMODE_COMMIT &&
	       !has_component(path, "vendor") && !has_component(path, "testdata") &&
	       (tests || !ends_with(path, "_test.go"));
}

/* Is this new-side file generated?  Reads the blob or the work-tree file. */
static int is_generated(git_repository *repo, const git_diff_file *f, int worktree)
{
	int gen = 0;

	if (!worktree || !git_oid_is_zero(&f->id)) {
		git_blob *blob = NULL;

		if (!git_oid_is_zero(&f->id) && !git_blob_lookup(&blob, repo, &f->id)) {
			size_t n = (size_t)git_blob_rawsize(blob);

			gen = gosrc_is_generated(git_blob_rawcontent(blob), n < 65536 ? n : 65536);
			git_blob_free(blob);
			return gen;
		}
	}
	if (worktree) {
		struct strbuf sb = STRBUF_INIT;
		char *full = path_join(git_repository_workdir(repo), f->path);

		if (strbuf_read_file(&sb, full, 65536) >= 0)
			gen = gosrc_is_generated(sb.buf, sb.len);
		strbuf_release(&sb);
		free(full);
	}
	return gen;
}

static int collect_patch(struct changed_file *cf, git_patch *patch)
{
	size_t h, nh = git_patch_num_hunks(patch);

	for (h = 0; h < nh; h++) {
		const git_diff_hunk *hunk;
		size_t l, nl;

		if (git_patch_get_hunk(&hunk, &nl, patch, h) < 0)
			return repo_error("cannot read a diff hunk");
		ALLOC_GROW(cf->hunks, cf->hunks_nr + 1, cf->hunks_alloc);
		cf->hunks[cf->hunks_nr++] = (struct hunk){ hunk->old_start, hunk->old_lines,
							    hunk->new_start, hunk->new_lines };
		for (l = 0; l < nl; l++) {
			const git_diff_line *line;

			if (git_patch_get_line_in_hunk(&line, patch, h, l) < 0)
				return repo_error("cannot read a diff line");
			if (line->origin == GIT_DIFF_LINE_ADDITION) {
				ALLOC_GROW(cf->added, cf->added_nr + 1, cf->added_alloc);
				cf->added[cf->added_nr++] = line->new_lineno;
			} else if (line->origin == GIT_DIFF_LINE_CONTEXT) {
				ALLOC_GROW(cf->context, cf->context_nr + 1, cf->context_alloc);
				cf->context[cf->context_nr++] =
					(struct context_line){ line->new_lineno, line->old_lineno };
			}
		}
	}
	return 0;
}

static void add_rename(struct change *c, const char *from, const char *to)
{
	ALLOC_GROW(c->renames, c->renames_nr + 2, c->renames_alloc);
	c->renames[c->renames_nr++] = xstrdup(from);
	c->renames[c->renames_nr++] = xstrdup(to);
}

static int collect(struct change *out, git_repository *repo, git_diff *diff, int tests)
{
	size_t i, n = git_diff_num_deltas(diff);
	int ret = 0;

	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path;
		struct changed_file *cf;
		git_patch *patch = NULL;

		if (!ends_with(path, ".go") && !ends_with(d->old_file.path, ".go"))
			continue;
		out->go_files_seen++;
		if (d->status == GIT_DELTA_RENAMED && ends_with(d->old_file.path, ".go"))
			add_rename(out, d->old_file.path, path);
		if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED &&
		    d->status != GIT_DELTA_RENAMED && d->status != GIT_DELTA_UNTRACKED &&
		    d->status != GIT_DELTA_COPIED)
			continue;
		if (!go_file_kept(path, d->new_file.mode, tests) ||
		    is_generated(repo, &d->new_file, out->worktree))
			continue;
		ALLOC_GROW(out->files, out->files_nr + 1, out->files_alloc);
		cf = &out->files[out->files_nr++];
		memset(cf, 0, sizeof(*cf));
		cf->path = xstrdup(path);
		if (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_UNTRACKED) {
			cf->status = 'A';
		} else {
			cf->old_path = xstrdup(d->old_file.path);
			cf->status = d->status == GIT_DELTA_RENAMED ? 'R' : 'M';
		}
		if (git_patch_from_diff(&patch, diff, i) < 0) {
			ret = repo_error("cannot compute the diff");
			goto out;
		}
		if (patch)
			ret = collect_patch(cf, patch);
		git_patch_free(patch);
		if (ret)
			goto out;
	}
out:
	return ret;
}

/*
 * The paths where two trees differ, on either side, found by descending
 * only into subtrees whose ids differ (libgit2's diff walks every entry of
 * both): what the diff then needs to look at, as its pathspec.
 */
#define TREE_CHANGES_MAX 256
struct tree_changes {
	char **paths;
	size_t nr, alloc;
	int tests;         /* _test.go files are kept */
	int go;            /* a new-side file the review keeps is among them */
};

static void tree_changes_release(struct tree_changes *tc)
{
	while (tc->nr)
		free(tc->paths[--tc->nr]);
	free(tc->paths);
	memset(tc, 0, sizeof(*tc));
}

static int tree_changes_walk(struct tree_changes *tc, git_repository *repo, const git_tree *a,
			     const git_tree *b, struct strbuf *prefix);

/* A changed entry (`a` and/or `b`, one name); 1 past the limit. */
static int tree_changes_entry(struct tree_changes *tc, git_repository *repo,
			      const git_tree_entry *a, const git_tree_entry *b, struct strbuf *prefix)
{
	const git_tree_entry *e = b ? b : a;
	size_t len = prefix->len;
	git_tree *ta = NULL, *tb = NULL;
	int ret = 0, sub_a = a && git_tree_entry_type(a) == GIT_OBJECT_TREE,
	    sub_b = b && git_tree_entry_type(b) == GIT_OBJECT_TREE;

	strbuf_addstr(prefix, git_tree_entry_name(e));
	if ((a && !sub_a) || (b && !sub_b)) { /* a file (or a link, a submodule) on a side */
		if (tc->nr == TREE_CHANGES_MAX) {
			ret = 1;
			goto out;
		}
		if (!tc->go && b && !sub_b &&
		    go_file_kept(prefix->buf, git_tree_entry_filemode(b), tc->tests)) {
			git_diff_file df;

			memset(&df, 0, sizeof(df));
			git_oid_cpy(&df.id, git_tree_entry_id(b));
			df.path = prefix->buf;
			tc->go = !is_generated(repo, &df, 0);
		}
		ALLOC_GROW(tc->paths, tc->nr + 1, tc->alloc);
		tc->paths[tc->nr++] = xstrdup(prefix->buf);
	}
	if (sub_a || sub_b) {
		if ((sub_a && git_tree_lookup(&ta, repo, git_tree_entry_id(a)) < 0) ||
		    (sub_b && git_tree_lookup(&tb, repo, git_tree_entry_id(b)) < 0)) {
			ret = -1;
			goto out;
		}
		strbuf_addch(prefix, '/');
		ret = tree_changes_walk(tc, repo, ta, tb, prefix);
	}
out:
	git_tree_free(ta);
	git_tree_free(tb);
	strbuf_setlen(prefix, len);
	return ret;
}

/* 0, 1 past TREE_CHANGES_MAX paths, -1 when a tree cannot be read. */
static int tree_changes_walk(struct tree_changes *tc, git_repository *repo, const git_tree *a,
			     const git_tree *b, struct strbuf *prefix)
{
	size_t i, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int ret = 0;

	for (i = 0; i < nb && !ret; i++) {
		const git_tree_entry *eb = git_tree_entry_byindex(b, i);
		const git_tree_entry *ea = a ? git_tree_entry_byname(a, git_tree_entry_name(eb)) : NULL;

		if (!ea || !git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) ||
		    git_tree_entry_filemode(ea) != git_tree_entry_filemode(eb))
			ret = tree_changes_entry(tc, repo, ea, eb, prefix);
	}
	for (i = 0; i < na && !ret; i++) {
		const git_tree_entry *ea = git_tree_entry_byindex(a, i);

		if (!b || !git_tree_entry_byname(b, git_tree_entry_name(ea)))
			ret = tree_changes_entry(tc, repo, ea, NULL, prefix);
	}
	return ret;
}

int change_compute(struct change *out, git_repository *repo, const struct change_opts *opts)
{
	git_oid base, head, mb;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_find_options fopts;
	struct tree_changes tc = { NULL, 0, 0, opts->tests, 0 };
	struct strbuf prefix;
	int ret, walked = 1;

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	out->worktree = opts->worktree;
	if (opts->worktree && git_repository_is_bare(repo)) {
		ret = error_set(ER_EREPO, "--worktree needs a work tree, and this repository is bare: give --base and --head");
		goto out;
	}
	if (opts->worktree) {
		if ((ret = repo_resolve(&head, repo, opts->base ? opts->base : "HEAD")))
			goto out;
		mb = head;
		git_oid_tostr(out->base_hex, sizeof(out->base_hex), &head);
	} else if (opts->base_empty) {
		if ((ret = repo_resolve(&head, repo, opts->head ? opts->head : "HEAD")))
			goto out;
		git_oid_tostr(out->head_hex, sizeof(out->head_hex), &head);
		if ((ret = repo_commit_tree(&out->head_tree, repo, &head)))
			goto out;
		memset(&mb, 0, sizeof(mb));
	} else {
		if ((ret = repo_resolve(&base, repo, opts->base)))
			goto out;
		if ((ret = repo_resolve(&head, repo, opts->head ? opts->head : "HEAD")))
			goto out;
		if ((ret = repo_merge_base(&mb, repo, &base, &head, opts->base,
					   opts->head ? opts->head : "HEAD")))
			goto out;
		git_oid_tostr(out->base_hex, sizeof(out->base_hex), &base);
		git_oid_tostr(out->head_hex, sizeof(out->head_hex), &head);
		if ((ret = repo_commit_tree(&out->head_tree, repo, &head)))
			goto out;
	}
	if (opts->base_empty) {
		out->merge_base_hex[0] = '\0';
		memset(&out->merge_base_tree, 0, sizeof(out->merge_base_tree));
	} else {
		git_oid_tostr(out->merge_base_hex, sizeof(out->merge_base_hex), &mb);
		if ((ret = repo_commit_tree(&out->merge_base_tree, repo, &mb)))
			goto out;
	}
	if (!opts->base_empty && git_tree_lookup(&old_tree, repo, &out->merge_base_tree) < 0) {
		ret = repo_error("cannot read the base tree");
		goto out;
	}
	dopts.context_lines = 3;
	if (opts->worktree) {
		dopts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
			       GIT_DIFF_SHOW_UNTRACKED_CONTENT;
		if (git_diff_tree_to_workdir_with_index(&diff, repo, old_tree, &dopts) < 0) {
			ret = repo_error("cannot diff the work tree");
			goto out;
		}
	} else {
		if (git_tree_lookup(&new_tree, repo, &out->head_tree) < 0) {
			ret = repo_error("cannot read the head tree");
			goto out;
		}
		/* the paths that differ first: a Go file the review keeps among
		 * them is announced at once, and the diff looks at those paths
		 * only */
		strbuf_init(&prefix, 0);
		walked = tree_changes_walk(&tc, repo, old_tree, new_tree, &prefix);
		strbuf_release(&prefix);
		if (walked < 0) {
			ret = repo_error("cannot read a tree of the revisions");
			goto out;
		}
		if (!walked && tc.go && opts->go_files)
			opts->go_files(opts->go_files_data);
		if (!walked && tc.nr) {
			dopts.pathspec.strings = tc.paths;
			dopts.pathspec.count = tc.nr;
			dopts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
		}
		if (git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, &dopts) < 0) {
			ret = repo_error("cannot diff the revisions");
			goto out;
		}
	}
	fopts.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
	if (git_diff_find_similar(diff, &fopts) < 0) {
		ret = repo_error("cannot detect renames");
		goto out;
	}
	ret = collect(out, repo, diff, opts->tests);
	/* too many paths to list first: announced once the files are known */
	if (!ret && opts->go_files && !(!walked && tc.go) && out->files_nr)
		opts->go_files(opts->go_files_data);
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	tree_changes_release(&tc);
	return ret;
}

/* ---- a quick guess at a work-tree change ---- */

void change_guess_release(struct change_guess *g)
{
	while (g->nr)
		free(g->paths[--g->nr]);
	free(g->paths);
	memset(g, 0, sizeof(*g));
}

/* Keep `path` when the review keeps its work-tree file: staged (`index_id`
 * NULL), or its bytes or executable bit differ from the index's entry
 * (`index_id`, `index_mode`); 1 past the limit. */
static int guess_file(struct change_guess *g, git_repository *repo, const char *path,
		      const git_oid *index_id, uint32_t index_mode, int tests)
{
	git_diff_file df;
	git_oid id;
	struct stat st;
	char *full;
	int ret = 0;
	size_t i;

	for (i = 0; i < g->nr; i++)
		if (!strcmp(g->paths[i], path))
			return 0;
	if (!go_file_kept(path, GIT_FILEMODE_BLOB, tests))
		return 0;
	full = path_join(git_repository_workdir(repo), path);
	if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode))
		goto out; /* deleted, or a link: not kept */
	if (index_id && ((st.st_mode & 0111) != 0) == (index_mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
		if (git_repository_hashfile(&id, repo, path, GIT_OBJECT_BLOB, NULL) < 0)
			git_error_clear(); /* kept: the diff decides */
		else if (git_oid_equal(&id, index_id))
			goto out; /* touched, not changed */
	}
	memset(&df, 0, sizeof(df));
	df.path = path;
	if (is_generated(repo, &df, 1))
		goto out;
	if (g->nr == CHANGE_GUESS_MAX) {
		ret = 1;
		goto out;
	}
	ALLOC_GROW(g->paths, g->nr + 1, g->alloc);
	g->paths[g->nr++] = xstrdup(path);
out:
	free(full);
	return ret;
}

/* Racy or changed: the entry's stat data do not show the file unchanged
 * since the index (`ist`) was written. */
static int stat_dirty(const git_index_entry *e, const struct stat *st, const struct stat *ist)
{
	return (uint32_t)st->st_size != e->file_size || (int32_t)st->st_mtime != e->mtime.seconds ||
	       (st->st_mode & 0111) != (e->mode & 0111) || (time_t)e->mtime.seconds >= ist->st_mtime;
}

/* Index entries whose file's stat data say it may have changed. */
static int guess_unstaged(struct change_guess *g, git_repository *repo, git_index *idx, int tests)
{
	struct stat ist, st;
	char *ipath = path_join(git_repository_path(repo), "index");
	size_t i, n = git_index_entrycount(idx);
	int ret = 0;

	if (stat(ipath, &ist) < 0)
		memset(&ist, 0, sizeof(ist)); /* no index file: every entry is racy */
	for (i = 0; i < n && !ret; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		char *full;

		if (git_index_entry_stage(e)) {
			ret = 1; /* a conflict: the diff knows best */
			break;
		}
		if (!ends_with(e->path, ".go") || e->mode == GIT_FILEMODE_COMMIT ||
		    (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE))
			continue;
		full = path_join(git_repository_workdir(repo), e->path);
		if (!lstat(full, &st) && stat_dirty(e, &st, &ist))
			ret = guess_file(g, repo, e->path, &e->id, e->mode, tests);
		free(full);
	}
	free(ipath);
	return ret;
}

int change_guess_worktree(struct change_guess *out, git_repository *repo,
			  const struct change_opts *opts)
{
	git_oid commit, tree_id;
	git_tree *base = NULL;
	git_index *idx = NULL;
	git_diff *staged = NULL;
	git_diff_options dopts;
	size_t i, n;
	int ret;

	if (!git_repository_workdir(repo))
		return 1;
	if ((ret = repo_resolve(&commit, repo, opts->base ? opts->base : "HEAD")) ||
	    (ret = repo_commit_tree(&tree_id, repo, &commit)))
		goto out;
	if (git_tree_lookup(&base, repo, &tree_id) < 0 || git_repository_index(&idx, repo) < 0) {
		ret = repo_error("cannot read the base tree or the index");
		goto out;
	}
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_index(&staged, repo, base, idx, &dopts) < 0) {
		ret = repo_error("cannot diff the index");
		goto out;
	}
	n = git_diff_num_deltas(staged);
	for (i = 0; i < n && !ret; i++) {
		const git_diff_delta *d = git_diff_get_delta(staged, i);

		if (d->status != GIT_DELTA_DELETED)
			ret = guess_file(out, repo, d->new_file.path, NULL, 0, opts->tests);
	}
	if (!ret)
		ret = guess_unstaged(out, repo, idx, opts->tests);
out:
	git_diff_free(staged);
	git_index_free(idx);
	git_tree_free(base);
	if (ret)
		change_guess_release(out);
	return ret;
}

const struct changed_file *change_file(const struct change *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->files_nr; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	return NULL;
}

int changed_file_added(const struct changed_file *f, int line)
{
	size_t lo = 0, hi = f->added_nr;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (f->added[mid] == line)
			return 1;
		if (f->added[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int changed_file_in_hunk(const struct changed_file *f, int line)
{
	size_t i;

	for (i = 0; i < f->hunks_nr; i++)
		if (line >= f->hunks[i].new_start &&
		    line < f->hunks[i].new_start + f->hunks[i].new_lines)
			return 1;
	return 0;
}

int changed_file_old_line(const struct changed_file *f, int line)
{
	size_t i;

	for (i = 0; i < f->context_nr; i++)
		if (f->context[i].new_line == line)
			return f->context[i].old_line;
	return 0;
}

const char *change_renamed_to(const struct change *c, const char *old_path)
{
	size_t i;

	for (i = 0; i + 1 < c->renames_nr; i += 2)
		if (!strcmp(c->renames[i], old_path))
			return c->renames[i + 1];
	return NULL;
}
