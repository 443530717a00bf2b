/*
 * diff.c: revisions and the diff of a change (diff.h), read with libgit2:
 * merge-base, tree-to-tree or tree-to-workdir diff with rename detection,
 * the Go-file filter, per-file added lines and hunks, and tree checkouts.
 */
#define _XOPEN_SOURCE 700
#include "diff.h"
#include "errors.h"
#include "gosrc.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

int repo_error(const char *what)
{
	const git_error *e = git_error_last();

	return error_set(ER_EREPO, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

int repo_open(git_repository **out, const char *path)
{
	if (git_repository_open_ext(out, path, 0, NULL) < 0) {
		const git_error *e = git_error_last();

		return error_set(ER_EREPO, "not a git repository: %s (%s); run inside a repository or use -C DIR",
				 path, e && e->message ? e->message : "not found");
	}
	return 0;
}

int repo_resolve(git_oid *out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	int ret = 0;

	if (git_revparse_single(&obj, repo, rev) < 0) {
		if (!strcmp(rev, "HEAD") && git_repository_head_unborn(repo) == 1)
			return error_set(ER_EREPO, "revision 'HEAD' does not exist: the repository has no commits yet; commit first");
		if (git_repository_is_shallow(repo) == 1)
			return error_set(ER_EREPO, "unknown revision '%s': this is a shallow clone that does not have it; fetch more history (git fetch --deepen=50, or --unshallow)", rev);
		return error_set(ER_EREPO, "unknown revision '%s': not a commit in this repository (fetch it, or check the name)", rev);
	}
	{
		git_object *peeled = NULL;

		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			ret = error_set(ER_EREPO, "revision '%s' is not a commit", rev);
			goto out;
		}
		git_oid_cpy(out, git_object_id(peeled));
		git_object_free(peeled);
	}
out:
	git_object_free(obj);
	return ret;
}

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
		if (!ends_with(path, ".go"))
			continue;
		if (d->new_file.mode == GIT_FILEMODE_LINK || d->new_file.mode == GIT_FILEMODE_COMMIT)
			continue;
		if (has_component(path, "vendor") || has_component(path, "testdata"))
			continue;
		if (!tests && ends_with(path, "_test.go"))
			continue;
		if (is_generated(repo, &d->new_file, out->worktree))
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

static int commit_tree(git_oid *out, git_repository *repo, const git_oid *commit_id)
{
	git_commit *commit = NULL;

	if (git_commit_lookup(&commit, repo, commit_id) < 0)
		return repo_error("cannot read commit");
	git_oid_cpy(out, git_commit_tree_id(commit));
	git_commit_free(commit);
	return 0;
}

int change_compute(struct change *out, git_repository *repo, const struct change_opts *opts)
{
	git_oid base, head, mb;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_find_options fopts;
	int ret;

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
		if ((ret = commit_tree(&out->head_tree, repo, &head)))
			goto out;
		memset(&mb, 0, sizeof(mb));
	} else {
		if ((ret = repo_resolve(&base, repo, opts->base)))
			goto out;
		if ((ret = repo_resolve(&head, repo, opts->head ? opts->head : "HEAD")))
			goto out;
		if (git_merge_base(&mb, repo, &base, &head) < 0) {
			ret = error_set(ER_EREPO,
					"revisions '%s' and '%s' have no common ancestor (in a shallow clone, fetch more history: git fetch --deepen=50)",
					opts->base, opts->head ? opts->head : "HEAD");
			goto out;
		}
		git_oid_tostr(out->base_hex, sizeof(out->base_hex), &base);
		git_oid_tostr(out->head_hex, sizeof(out->head_hex), &head);
		if ((ret = commit_tree(&out->head_tree, repo, &head)))
			goto out;
	}
	if (opts->base_empty) {
		out->merge_base_hex[0] = '\0';
		memset(&out->merge_base_tree, 0, sizeof(out->merge_base_tree));
	} else {
		git_oid_tostr(out->merge_base_hex, sizeof(out->merge_base_hex), &mb);
		if ((ret = commit_tree(&out->merge_base_tree, repo, &mb)))
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
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
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

static int mkdir_p(const char *dir)
{
	char *p = xstrdup(dir), *s;
	int ret = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			ret = error_set(ER_ERROR, "cannot create %s: %s", p, strerror(errno));
			goto out;
		}
		*s = '/';
	}
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		ret = error_set(ER_ERROR, "cannot create %s: %s", p, strerror(errno));
out:
	free(p);
	return ret;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove a directory tree (symbolic links are removed, never followed). */
static int rm_rf(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A tree entry's path must stay inside the directory it is written to. */
static int safe_path(const char *path)
{
	const char *s = path;

	if (!*s || *s == '/')
		return 0;
	while (*s) {
		size_t n = strcspn(s, "/");

		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.') ||
		    (n == 4 && !strncasecmp(s, ".git", 4)) || n == 0)
			return 0;
		s += n;
		if (*s == '/')
			s++;
	}
	return 1;
}

/* Write one blob to DIR/PATH (parents created), as a regular file. */
static int write_blob(git_repository *repo, const char *dir, const char *path,
		      const git_oid *id, git_filemode_t mode)
{
	git_blob *blob = NULL;
	char *full = NULL;
	int fd = -1, ret = 0;
	const char *data;
	size_t len;

	if (!safe_path(path))
		return 0; /* never write outside the checkout */
	if (git_blob_lookup(&blob, repo, id) < 0) {
		ret = repo_error("cannot read a file to check out");
		goto out;
	}
	full = path_join(dir, path);
	{
		char *slash = strrchr(full, '/');

		*slash = '\0';
		ret = mkdir_p(full);
		*slash = '/';
		if (ret)
			goto out;
	}
	unlink(full);
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 : 0666);
	if (fd < 0) {
		ret = error_set(ER_ERROR, "cannot write %s: %s", full, strerror(errno));
		goto out;
	}
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	while (len) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ret = error_set(ER_ERROR, "cannot write %s: %s", full, strerror(errno));
			goto out;
		}
		data += w;
		len -= (size_t)w;
	}
out:
	if (fd >= 0)
		close(fd);
	free(full);
	git_blob_free(blob);
	return ret;
}

struct walk_ctx {
	git_repository *repo;
	const char *dir;
	int ret;
};

static int walk_cb(const char *root, const git_tree_entry *e, void *data)
{
	struct walk_ctx *w = data;
	git_filemode_t mode = git_tree_entry_filemode(e);
	struct strbuf path = STRBUF_INIT;

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0; /* trees are walked into; links and submodules are not written */
	strbuf_addstr(&path, root);
	strbuf_addstr(&path, git_tree_entry_name(e));
	w->ret = write_blob(w->repo, w->dir, path.buf, git_tree_entry_id(e), mode);
	strbuf_release(&path);
	return w->ret ? -1 : 0;
}

/* Update DIR from tree `prev` to tree `tree`: only what differs is written. */
static int update_from(git_repository *repo, const char *dir, git_tree *prev, git_tree *tree)
{
	git_diff *diff = NULL;
	git_diff_options dopts;
	size_t i, n;
	int ret = 0;

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, repo, prev, tree, &dopts) < 0)
		return repo_error("cannot compare the checked-out trees");
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !ret; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->old_file.mode && safe_path(d->old_file.path) &&
		    (d->status == GIT_DELTA_DELETED || d->old_file.mode != d->new_file.mode)) {
			char *full = path_join(dir, d->old_file.path);

			unlink(full);
			free(full);
		}
		if (d->status != GIT_DELTA_DELETED &&
		    (d->new_file.mode == GIT_FILEMODE_BLOB ||
		     d->new_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE))
			ret = write_blob(repo, dir, d->new_file.path, &d->new_file.id,
					 d->new_file.mode);
	}
	git_diff_free(diff);
	return ret;
}

int tree_checkout(git_repository *repo, const git_oid *tree_id, const char *dir)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf stamp_path = STRBUF_INIT, stamp = STRBUF_INIT;
	git_tree *tree = NULL, *prev = NULL;
	git_oid prev_id;
	FILE *fp;
	int ret;

	git_oid_tostr(hex, sizeof(hex), tree_id);
	strbuf_addf(&stamp_path, "%s/.escape-review-tree", dir);
	if (strbuf_read_file(&stamp, stamp_path.buf, 64) == GIT_OID_HEXSZ &&
	    !strcmp(stamp.buf, hex)) {
		ret = 0;
		goto out;
	}
	if (git_tree_lookup(&tree, repo, tree_id) < 0) {
		ret = repo_error("cannot read tree to check out");
		goto out;
	}
	/*
	 * The files are written from the objects directly (this works in bare
	 * repositories and with submodules, and never touches the index):
	 * only what differs from the tree the directory held before (its
	 * stamp), or everything into an emptied directory.
	 */
	if (stamp.len == GIT_OID_HEXSZ && !git_oid_fromstr(&prev_id, stamp.buf) &&
	    !git_tree_lookup(&prev, repo, &prev_id)) {
		unlink(stamp_path.buf);
		ret = update_from(repo, dir, prev, tree);
	} else {
		struct walk_ctx w = { repo, dir, 0 };

		if (rm_rf(dir) < 0) {
			ret = error_set(ER_ERROR, "cannot clear %s: %s", dir, strerror(errno));
			goto out;
		}
		if ((ret = mkdir_p(dir)))
			goto out;
		if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) < 0)
			ret = w.ret ? w.ret : repo_error("cannot check the revision out");
	}
	if (ret)
		goto out;
	fp = fopen(stamp_path.buf, "w");
	if (fp) {
		fputs(hex, fp);
		fclose(fp);
	}
out:
	git_tree_free(tree);
	git_tree_free(prev);
	strbuf_release(&stamp_path);
	strbuf_release(&stamp);
	return ret;
}

int repo_worktree_is(git_repository *repo, const git_oid *id)
{
	git_oid head;
	git_status_list *st = NULL;
	git_status_options so;
	size_t i, n;
	int clean = 1;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	if (git_repository_is_bare(repo) || git_reference_name_to_id(&head, repo, "HEAD") < 0 ||
	    git_oid_cmp(&head, id))
		return 0;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&st, repo, &so) < 0)
		return 0;
	n = git_status_list_entrycount(st);
	for (i = 0; i < n && clean; i++) {
		const git_status_entry *e = git_status_byindex(st, i);

		if (e->status == GIT_STATUS_WT_NEW) {
			const char *p = e->index_to_workdir ? e->index_to_workdir->new_file.path : "";

			if (ends_with(p, ".go") || ends_with(p, "go.mod") || ends_with(p, "go.work"))
				clean = 0;
		} else if (e->status != GIT_STATUS_IGNORED && e->status != GIT_STATUS_CURRENT) {
			clean = 0;
		}
	}
	git_status_list_free(st);
	return clean;
}
