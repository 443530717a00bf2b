/*
 * checkout.c: writing a tree into a directory from the object database
 * (checkout.h): all of it into an emptied directory, or only what differs
 * from the tree its stamp names; never outside the directory.
 */
#define _XOPEN_SOURCE 700
#include "checkout.h"
#include "errors.h"
#include "repo.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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

		if (remove_tree(dir) < 0) {
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
