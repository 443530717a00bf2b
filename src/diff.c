/*
 * diff.c: the diff of a change (diff.h), read with libgit2: tree-to-tree
 * or tree-to-workdir diff (on the places the work tree may differ) with
 * rename detection, the Go-file filter, per-file added lines, hunks and
 * context lines, and the quick guess from the index file (gitindex.h).
 */
#include "diff.h"
#include "compat.h"
#include "errors.h"
#include "gitindex.h"
#include "gosrc.h"
#include "rec.h"
#include "repo.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <dirent.h>
#include <git2/sys/repository.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* A file that says which dependencies are built: go.mod, go.sum, or
 * anything under vendor/ (the review keeps no Go file there). */
static int is_module_file(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	return base && (!strcmp(base, "go.mod") || !strcmp(base, "go.sum") ||
			has_component(path, "vendor"));
}

static int collect(struct change *out, git_repository *repo, git_diff *diff, int tests,
		   int generated)
{
	size_t i, n = git_diff_num_deltas(diff);
	int ret = 0;

	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path;
		struct changed_file *cf;
		git_patch *patch = NULL;

		if (is_module_file(path) || is_module_file(d->old_file.path))
			out->modules = 1;
		if (!ends_with(path, ".go") && !ends_with(d->old_file.path, ".go"))
			continue;
		/* a rename to a name the review does not keep (testdata/,
		 * a test file without --tests) is a deletion to it: the
		 * head has no findings there to match */
		if (d->status == GIT_DELTA_RENAMED && ends_with(d->old_file.path, ".go") &&
		    go_file_kept(path, d->new_file.mode, tests))
			add_rename(out, d->old_file.path, path);
		if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED &&
		    d->status != GIT_DELTA_RENAMED && d->status != GIT_DELTA_UNTRACKED &&
		    d->status != GIT_DELTA_COPIED)
			continue;
		if (!go_file_kept(path, d->new_file.mode, tests) ||
		    (!generated && is_generated(repo, &d->new_file, out->worktree)))
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
	int generated;     /* generated files are kept */
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
			tc->go = tc->generated || !is_generated(repo, &df, 0);
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

/* ---- the work tree, looked at where it may differ ---- */

/*
 * libgit2's diff of the base against the work tree stats every file and
 * reads every directory under .gitignore's rules (30-40 ms on x/tools,
 * beside the build).  The places where the work tree may differ are found
 * for less: the paths the index stages (the base's tree against it), the
 * entries whose stat data are not clean, and the files a readdir() walk
 * finds outside the index (skipping the untracked directories .gitignore
 * ignores).  That is more than the diff reports, never less, so the diff
 * given them as its exact paths reports what its whole walk would.
 */
#define MAYBE_MAX 4096
#define WALK_DEPTH_MAX 128

/* Index entries: the .go files the review may keep (go_file_kept()), and the rest. */
enum entries { ENTRIES_KEPT = 1, ENTRIES_OTHER = 2 };

static enum entries entry_kind(const char *path, int tests)
{
	return go_file_kept(path, 0, tests) ? ENTRIES_KEPT : ENTRIES_OTHER;
}

static void maybe_add(struct change_maybe *m, const char *path)
{
	if (m->full)
		return;
	if (m->nr == MAYBE_MAX) {
		m->full = 1;
		return;
	}
	ALLOC_GROW(m->paths, m->nr + 1, m->alloc);
	m->paths[m->nr++] = xstrdup(path);
}

static void maybe_release(struct change_maybe *m)
{
	while (m->nr)
		free(m->paths[--m->nr]);
	free(m->paths);
	memset(m, 0, sizeof(*m));
}

/* The index file's stat data (zeroes when there is none: every entry is
 * then racy), and the stamp that tells a later look it is unchanged. */
static void stamp_of(struct change_stamp *stamp, const struct stat *ist, const git_oid *tree)
{
	long ns, unused;

	compat_stat_nsec(ist, &ns, &unused);
	memset(stamp, 0, sizeof(*stamp));
	git_oid_cpy(&stamp->tree, tree);
	stamp->mtime_sec = (long long)ist->st_mtime;
	stamp->mtime_nsec = ns;
	stamp->size = (long long)ist->st_size;
	stamp->ino = (long long)ist->st_ino;
}

static void index_stat(struct stat *ist, struct change_stamp *stamp, git_repository *repo,
		       const git_oid *tree)
{
	char *ipath = path_join(git_repository_path(repo), "index");

	if (stat(ipath, ist) < 0)
		memset(ist, 0, sizeof(*ist));
	free(ipath);
	stamp_of(stamp, ist, tree);
}

/* An entry of the file as libgit2 would give it (for stat_clean() and
 * guess_file()); its path is the file's. */
static void entry_of(git_index_entry *out, const struct gitindex_entry *e)
{
	memset(out, 0, sizeof(*out));
	out->ctime.seconds = (int32_t)e->ctime_sec;
	out->ctime.nanoseconds = e->ctime_nsec;
	out->mtime.seconds = (int32_t)e->mtime_sec;
	out->mtime.nanoseconds = e->mtime_nsec;
	out->dev = e->dev;
	out->ino = e->ino;
	out->mode = e->mode;
	out->uid = e->uid;
	out->gid = e->gid;
	out->file_size = e->size;
	git_oid_fromraw(&out->id, e->id);
	out->flags_extended = (uint16_t)((e->skip_worktree ? GIT_INDEX_ENTRY_SKIP_WORKTREE : 0) |
					 (e->intent_to_add ? GIT_INDEX_ENTRY_INTENT_TO_ADD : 0));
	out->path = e->path;
}

/* The first entry in [lo, hi) whose path is not below `key`. */
static size_t entry_at(const struct gitindex *ix, size_t lo, size_t hi, const char *key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->entries[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Clean: the entry's stat data show its file unchanged since the index
 * (`ist`) was written, by every field libgit2's diff compares (its
 * racy-git rule taken by the second, which is stricter). */
static int stat_clean(const git_index_entry *e, const struct stat *st, const struct stat *ist)
{
	long mns, cns;

	if ((st->st_mode & S_IFMT) != (e->mode & S_IFMT) ||
	    (S_ISREG(st->st_mode) && ((st->st_mode & 0100) != 0) != ((e->mode & 0100) != 0)))
		return 0;
	compat_stat_nsec(st, &mns, &cns);
	return (uint32_t)st->st_size == e->file_size && (int32_t)st->st_mtime == e->mtime.seconds &&
	       (uint32_t)mns == e->mtime.nanoseconds && (int32_t)st->st_ctime == e->ctime.seconds &&
	       (uint32_t)cns == e->ctime.nanoseconds && (uint32_t)st->st_ino == e->ino &&
	       (uint32_t)st->st_uid == e->uid && (uint32_t)st->st_gid == e->gid &&
	       (time_t)e->mtime.seconds < ist->st_mtime && !git_oid_is_zero(&e->id) &&
	       !(e->flags_extended & (GIT_INDEX_ENTRY_INTENT_TO_ADD | GIT_INDEX_ENTRY_SKIP_WORKTREE));
}

/* The entries (`which`) whose file may differ from the index (`wd`: the
 * work tree, open), to `m`; 1 at a conflict (the whole walk decides). */
static int maybe_unstaged(struct change_maybe *m, git_index *idx, int wd, const struct stat *ist,
			  enum entries which, int tests)
{
	size_t i, n = git_index_entrycount(idx);

	for (i = 0; i < n && !m->full; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		struct stat st;

		if (git_index_entry_stage(e))
			return 1;
		if (e->mode == GIT_FILEMODE_COMMIT || !(which & entry_kind(e->path, tests)))
			continue;
		if (fstatat(wd, e->path, &st, AT_SYMLINK_NOFOLLOW) < 0 || !stat_clean(e, &st, ist))
			maybe_add(m, e->path);
	}
	return 0;
}

/* The same from the index file read in place (it holds no conflict). */
static void maybe_unstaged_file(struct change_maybe *m, const struct gitindex *ix, int wd,
				const struct stat *ist, enum entries which, int tests)
{
	size_t i;

	for (i = 0; i < ix->nr && !m->full; i++) {
		const struct gitindex_entry *e = &ix->entries[i];
		git_index_entry entry;
		struct stat st;

		if (e->mode == GIT_FILEMODE_COMMIT || !(which & entry_kind(e->path, tests)))
			continue;
		entry_of(&entry, e);
		if (fstatat(wd, e->path, &st, AT_SYMLINK_NOFOLLOW) < 0 || !stat_clean(&entry, &st, ist))
			maybe_add(m, e->path);
	}
}

/* The paths the index stages (the base `tree` against it), to `m`. */
static int maybe_staged(struct change_maybe *m, git_repository *repo, git_tree *tree, git_index *idx)
{
	git_diff *staged = NULL;
	git_diff_options dopts;
	size_t i, n;

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_index(&staged, repo, tree, idx, &dopts) < 0)
		return repo_error("cannot diff the index");
	n = git_diff_num_deltas(staged);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(staged, i);

		maybe_add(m, d->new_file.path);
		if (strcmp(d->old_file.path, d->new_file.path))
			maybe_add(m, d->old_file.path);
	}
	git_diff_free(staged);
	return 0;
}

/*
 * The untracked walk's memory (change_opts.walk_memo): each directory the
 * walk read, by the stat data that an entry added, removed or renamed in
 * it changes (its status-change and modification times, inode and
 * device), with its entries (each a directory or not).  A directory whose
 * stat data are as remembered is not read again: its remembered entries go
 * through the index and .gitignore checks a read's would.  One changed
 * less than two seconds before the walk that remembered it began is read
 * again (a change within the same tick of the file system's clock leaves
 * its times as they were).
 *
 *   escape-review walk 1 SECONDS     (when that walk began)
 *   D CTIME_S CTIME_NS MTIME_S MTIME_NS INO DEV PATH     ("." or "a/b")
 *   d NAME                            (a directory)
 *   f NAME                            (anything else)
 *
 * A memory not in this form is not used (and is replaced); names are
 * never "." or "..", nor hold a '/' or a newline.
 */
#define WALK_MEMO_HEAD "escape-review walk 1 "
#define WALK_MEMO_MAX (64u << 20)
#define WALK_RACY_SECONDS 2

struct walk_dir {
	long long st[6];       /* ctime s, ns, mtime s, ns, ino, dev */
	const char *entries;   /* its "d NAME\n" / "f NAME\n" lines, in `old` */
	size_t len;
};

struct walk {
	struct change_maybe *m;
	git_repository *repo;
	git_index *idx;           /* the index: libgit2's, */
	const struct gitindex *ix; /* or the file read in place (then idx is NULL) */
	int root;                 /* the work tree, open */
	/* the memory: as read, by path ("" or "a/b/"), and this walk's */
	struct strbuf old, now;
	struct strmap dirs;
	long long began, old_began;
	size_t dirs_nr, taken;
	int read;                 /* a directory was read */
};

static int walk_name_ok(const char *s, size_t n)
{
	return n && !(n == 1 && *s == '.') && !(n == 2 && s[0] == '.' && s[1] == '.') &&
	       !memchr(s, '/', n) && !memchr(s, '\0', n);
}

/* The memory in `w->old` by directory; 0, or -1 (none is used). */
static int walk_memo_parse(struct walk *w)
{
	const char *p = w->old.buf, *end = p + w->old.len, *nl;
	struct walk_dir *cur = NULL;
	struct rec_rd r;
	char *rest;

	if (!starts_with(p, WALK_MEMO_HEAD) || !(nl = memchr(p, '\n', (size_t)(end - p))))
		return -1;
	w->old_began = strtoll(p + strlen(WALK_MEMO_HEAD), &rest, 10);
	if (rest != nl)
		return -1;
	for (p = nl + 1; p < end; p = nl + 1) {
		struct strbuf key = STRBUF_INIT;
		int i;

		if (!(nl = memchr(p, '\n', (size_t)(end - p))) || nl - p < 3 || p[1] != ' ')
			return -1;
		if ((*p == 'd' || *p == 'f') && cur && walk_name_ok(p + 2, (size_t)(nl - p - 2))) {
			cur->len = (size_t)(nl + 1 - cur->entries);
			continue;
		}
		if (*p != 'D')
			return -1;
		cur = xcalloc(1, sizeof(*cur));
		r.p = p + 2;
		r.end = nl;
		r.bad = 0;
		for (i = 0; i < 6; i++)
			cur->st[i] = rec_rd_num(&r, LLONG_MIN, LLONG_MAX);
		if (r.bad || r.p >= nl) {
			free(cur);
			return -1;
		}
		if (!(nl - r.p == 1 && *r.p == '.')) {
			strbuf_add(&key, r.p, (size_t)(nl - r.p));
			strbuf_addch(&key, '/');
		}
		cur->entries = nl + 1;
		if ((cur = strmap_put(&w->dirs, key.buf, key.len, cur))) {
			free(cur);
			i = -1; /* the same directory twice */
		}
		cur = strmap_get(&w->dirs, key.buf, key.len);
		strbuf_release(&key);
		if (i < 0)
			return -1;
		w->dirs_nr++;
	}
	return 0;
}

static void walk_memo_release(struct walk *w)
{
	size_t it = 0;
	const struct strmap_entry *e;

	while (strmap_next(&w->dirs, &it, &e))
		free(e->value);
	strmap_release(&w->dirs);
	strbuf_release(&w->old);
	strbuf_release(&w->now);
}

/* The entries of directory `path` ("" or "a/b/"), as "d NAME\n" and
 * "f NAME\n" lines in `list`: remembered when its stat data `st` are,
 * else read.  0, or 1 when it cannot be read. */
static int walk_list(struct walk *w, const struct strbuf *path, const long long st[6],
		     struct strbuf *list)
{
	const struct walk_dir *wd = strmap_get(&w->dirs, path->buf, path->len);
	struct dirent *de;
	DIR *d;
	int fd;

	if (wd && !memcmp(wd->st, st, sizeof(wd->st)) &&
	    st[0] + WALK_RACY_SECONDS <= w->old_began && st[2] + WALK_RACY_SECONDS <= w->old_began) {
		strbuf_add(list, wd->entries, wd->len);
		w->taken++;
		return 0;
	}
	w->read = 1;
	fd = openat(w->root, path->len ? path->buf : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	while ((de = readdir(d))) {
		enum compat_dirent type = compat_dirent_type(de);
		struct stat est;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
			continue;
		if (type == COMPAT_DIRENT_UNKNOWN) {
			if (fstatat(dirfd(d), de->d_name, &est, AT_SYMLINK_NOFOLLOW) < 0)
				break;
			type = S_ISDIR(est.st_mode) ? COMPAT_DIRENT_DIR : COMPAT_DIRENT_OTHER;
		}
		if (strchr(de->d_name, '\n'))
			break; /* not a line of the list: the whole walk decides */
		strbuf_addf(list, "%c %s\n", type == COMPAT_DIRENT_DIR ? 'd' : 'f', de->d_name);
	}
	closedir(d);
	return de ? 1 : 0;
}

/* The mode of the index's entry at `path` (stage 0), 0 when it has none. */
static uint32_t walk_entry_mode(const struct walk *w, const char *path)
{
	const git_index_entry *e;
	size_t at;

	if (w->idx) {
		e = git_index_get_bypath(w->idx, path, 0);
		return e ? e->mode : 0;
	}
	at = entry_at(w->ix, 0, w->ix->nr, path);
	return at < w->ix->nr && !strcmp(w->ix->entries[at].path, path) ? w->ix->entries[at].mode : 0;
}

/* Has the index an entry under the directory `dir` ("a/b/")? */
static int walk_has_under(const struct walk *w, const char *dir)
{
	size_t at;

	if (w->idx) {
		if (git_index_find_prefix(&at, w->idx, dir) < 0) {
			git_error_clear();
			return 0;
		}
		return 1;
	}
	at = entry_at(w->ix, 0, w->ix->nr, dir);
	return at < w->ix->nr && starts_with(w->ix->entries[at].path, dir);
}

/* testdata/ and vendor/: nothing under them is kept (go_file_kept()), nor
 * a rename's new name there (collect()), so the walk reads none. */
static int skipped_dir(const char *name, size_t n)
{
	return (n == 8 && !memcmp(name, "testdata", 8)) || (n == 6 && !memcmp(name, "vendor", 6));
}

/*
 * The files of directory `path` ("" or "dir/") that the index does not
 * have, to `w->m`: every directory the index has a file under is read,
 * and every other one .gitignore does not ignore (libgit2 reads no
 * ignored one); a submodule, .git, testdata/ and vendor/ are not.  1 when
 * the walk cannot see everything (the whole walk decides).
 */
static int walk_untracked(struct walk *w, struct strbuf *path, unsigned depth)
{
	struct strbuf list = STRBUF_INIT;
	size_t len = path->len, i;
	const char *p, *nl;
	struct stat st;
	long long sd[6];
	long mns, cns;
	int ret;

	if (fstatat(w->root, len ? path->buf : ".", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode))
		return 1;
	compat_stat_nsec(&st, &mns, &cns);
	sd[0] = (long long)st.st_ctime;
	sd[1] = cns;
	sd[2] = (long long)st.st_mtime;
	sd[3] = mns;
	sd[4] = (long long)st.st_ino;
	sd[5] = (long long)st.st_dev;
	if ((ret = walk_list(w, path, sd, &list)))
		goto out;
	strbuf_addstr(&w->now, "D ");
	for (i = 0; i < 6; i++)
		rec_put_num(&w->now, sd[i]); /* "%lld ", without printf's cost */
	if (len)
		strbuf_add(&w->now, path->buf, len - 1);
	else
		strbuf_addch(&w->now, '.');
	strbuf_addch(&w->now, '\n');
	strbuf_addbuf(&w->now, &list);
	for (p = list.buf; !ret && !w->m->full && (nl = strchr(p, '\n')); p = nl + 1) {
		uint32_t mode;
		int ignored;

		strbuf_setlen(path, len);
		strbuf_add(path, p + 2, (size_t)(nl - p - 2));
		mode = walk_entry_mode(w, path->buf);
		if (*p != 'd') {
			if (!mode)
				maybe_add(w->m, path->buf);
			continue;
		}
		if (mode == GIT_FILEMODE_COMMIT)
			continue; /* a submodule */
		if (skipped_dir(p + 2, (size_t)(nl - p - 2)))
			continue;
		strbuf_addch(path, '/');
		if (!walk_has_under(w, path->buf)) {
			if (git_ignore_path_is_ignored(&ignored, w->repo, path->buf) < 0) {
				git_error_clear();
				ret = 1;
				break;
			}
			if (ignored)
				continue;
		}
		ret = depth == WALK_DEPTH_MAX ? 1 : walk_untracked(w, path, depth + 1);
	}
out:
	strbuf_setlen(path, len);
	strbuf_release(&list);
	return ret;
}

/* Walk the work tree for untracked files, with the memory at `memo` (NULL:
 * none), which is written again when the walk saw otherwise. */
static int walk_worktree(struct change_maybe *m, git_repository *repo, git_index *idx,
			 const struct gitindex *ix, int root, const char *memo)
{
	struct walk w;
	struct strbuf path = STRBUF_INIT;
	int ret;

	memset(&w, 0, sizeof(w));
	w.m = m;
	w.repo = repo;
	w.idx = idx;
	w.ix = ix;
	w.root = root;
	strbuf_init(&w.old, 0);
	strbuf_init(&w.now, 0);
	w.began = (long long)time(NULL);
	strbuf_addf(&w.now, "%s%lld\n", WALK_MEMO_HEAD, w.began);
	if (memo && strbuf_read_file(&w.old, memo, WALK_MEMO_MAX) > 0 &&
	    w.old.len <= WALK_MEMO_MAX && walk_memo_parse(&w)) {
		walk_memo_release(&w); /* not in the form it is written in: unused */
		strbuf_init(&w.old, 0);
		strbuf_init(&w.now, 0);
		strbuf_addf(&w.now, "%s%lld\n", WALK_MEMO_HEAD, w.began);
		w.dirs_nr = 0;
		w.read = 1;
	}
	ret = walk_untracked(&w, &path, 0);
	if (memo && !ret && !m->full && w.now.len <= WALK_MEMO_MAX &&
	    (w.read || w.taken != w.dirs_nr)) {
		char *slash = strrchr(memo, '/');

		if (slash) {
			char *dir = xstrndup(memo, (size_t)(slash - memo));

			mkdirs(dir);
			free(dir);
		}
		if (write_file_atomically(memo, &w.now))
			error_clear(); /* only a memory is lost */
	}
	strbuf_release(&path);
	walk_memo_release(&w);
	return ret;
}

/*
 * Has `m` a .go path that the base `tree` has not (staged as added, or
 * untracked)?  Only such a file can be a rename of a file that is not Go
 * (the diff finds renames, not copies: its old name is gone from the work
 * tree or the index), and only then do the other entries' stat data
 * matter: a change to a file that is not Go is no part of the review.
 */
static int go_added(const struct change_maybe *m, git_tree *tree)
{
	size_t i;

	for (i = 0; i < m->nr; i++) {
		git_tree_entry *te = NULL;

		if (!ends_with(m->paths[i], ".go"))
			continue;
		if (git_tree_entry_bypath(&te, tree, m->paths[i]) < 0) {
			git_error_clear();
			return 1;
		}
		git_tree_entry_free(te);
	}
	return 0;
}

/*
 * The paths where the work tree may differ from `tree` (the base), to `m`
 * (the guess's when it read this index for this base), with `m->full` set
 * when they cannot all be found: the staged paths, the .go entries whose
 * stat data are not clean, the untracked files, and the other entries
 * whose stat data are not clean when one of those may be a rename's new
 * name (go_added()).
 * `*ix` is the guess's index file when it is still the index (its stamp
 * holds), which then stands for libgit2's (not read), else NULL.
 */
static void worktree_maybe(struct change_maybe *m, const struct gitindex **ix,
			   git_repository *repo, git_tree *tree, const struct change_guess *g,
			   const char *walk_memo, int tests)
{
	git_index *idx = NULL;
	struct change_stamp stamp;
	struct stat ist;
	size_t i;
	int wd = -1, ret, same;

	*ix = NULL;
	if ((wd = open(git_repository_workdir(repo), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		m->full = 1;
		goto out;
	}
	index_stat(&ist, &stamp, repo, git_tree_id(tree));
	same = g && !g->maybe.full && !memcmp(&g->stamp, &stamp, sizeof(stamp));
	if (same && g->ix) {
		*ix = g->ix; /* core.ignorecase was false when it was read */
	} else if (git_repository_index(&idx, repo) < 0 ||
		   (git_index_caps(idx) & GIT_INDEX_CAPABILITY_IGNORE_CASE)) {
		git_error_clear();
		m->full = 1;
		goto out;
	}
	if (same) {
		for (i = 0; i < g->maybe.nr; i++)
			maybe_add(m, g->maybe.paths[i]);
		ret = 0;
	} else {
		ret = maybe_staged(m, repo, tree, idx);
		if (!ret)
			ret = maybe_unstaged(m, idx, wd, &ist, ENTRIES_KEPT, tests);
	}
	if (!ret && !m->full)
		ret = walk_worktree(m, repo, idx, *ix, wd, walk_memo);
	/* the other entries only when one of them may be a Go file's old name */
	if (!ret && !m->full && go_added(m, tree)) {
		if (*ix)
			maybe_unstaged_file(m, *ix, wd, &ist, ENTRIES_OTHER, tests);
		else
			ret = maybe_unstaged(m, idx, wd, &ist, ENTRIES_OTHER, tests);
	}
	if (ret) {
		error_clear();
		m->full = 1;
	}
out:
	if (m->full)
		*ix = NULL;
	if (wd >= 0)
		close(wd);
	git_index_free(idx);
}

/*
 * Is `e` racy: not older than the index file, to the nanosecond, as
 * libgit2 compares them?  Its file may then have changed within the
 * second (or tick) its stat data were taken in, behind the same data.
 */
static int entry_racy(const struct gitindex_entry *e, const struct stat *ist)
{
	long mns, cns;

	compat_stat_nsec(ist, &mns, &cns);
	return (time_t)e->mtime_sec > ist->st_mtime ||
	       ((time_t)e->mtime_sec == ist->st_mtime && (long)e->mtime_nsec >= mns);
}

/*
 * `e` added to `idx`; 1 when it is not added here (index_of_paths()).  A
 * racy entry goes in with no modification time (git's "smudging"), so
 * that libgit2, which finds no entry racy in an index with no file time,
 * hashes its file whatever its stat data say.
 */
static int index_add_entry(git_index *idx, const struct gitindex_entry *e, const struct stat *ist)
{
	git_index_entry entry;

	if (e->mode == GIT_FILEMODE_COMMIT || e->skip_worktree || e->intent_to_add)
		return 1;
	entry_of(&entry, e);
	if (entry_racy(e, ist))
		memset(&entry.mtime, 0, sizeof(entry.mtime));
	if (git_index_add(idx, &entry) < 0) {
		git_error_clear();
		return 1;
	}
	return 0;
}

/*
 * The repository's index set to one made in memory from `ix`'s entries at
 * the paths of `m` and below them (and every .gitattributes, which the
 * diff's attribute lookups may read from the index): the diff, given
 * those exact paths, compares no other entry, so libgit2 neither reads
 * nor checks the whole file (12 million instructions on x/tools' 1,600
 * entries).  Its racy entries are smudged (index_add_entry()).  0, or 1
 * when the index is not set (that, or a submodule, a skip-worktree or
 * intent-to-add entry among them).
 * change_compute() unsets it after the diff's lines are read.
 */
static int index_of_paths(git_repository *repo, const struct gitindex *ix,
			  const struct change_maybe *m)
{
	git_index *idx = NULL;
	struct strbuf dir = STRBUF_INIT;
	const char *wd = git_repository_workdir(repo);
	size_t i, at;
	int ret = 1;

	if (!wd || git_index_new(&idx) < 0)
		goto out;
	for (i = 0; i < ix->nr; i++) {
		const char *path = ix->entries[i].path;

		if ((!strcmp(path, ".gitattributes") || ends_with(path, "/.gitattributes")) &&
		    index_add_entry(idx, &ix->entries[i], &ix->st))
			goto out;
	}
	for (i = 0; i < m->nr; i++) {
		at = entry_at(ix, 0, ix->nr, m->paths[i]);
		if (at < ix->nr && !strcmp(ix->entries[at].path, m->paths[i]) &&
		    index_add_entry(idx, &ix->entries[at], &ix->st))
			goto out;
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/", m->paths[i]);
		for (at = entry_at(ix, at, ix->nr, dir.buf);
		     at < ix->nr && starts_with(ix->entries[at].path, dir.buf); at++)
			if (index_add_entry(idx, &ix->entries[at], &ix->st))
				goto out;
	}
	if (git_repository_set_index(repo, idx) < 0)
		goto out;
	ret = 0;
out:
	if (ret)
		git_error_clear();
	git_index_free(idx);
	strbuf_release(&dir);
	return ret;
}

/* The diff of the base (`tree`) against the work tree through the index,
 * on the paths that may differ; NULL when none may.  `*index_set`: the
 * repository's index is one of those paths (index_of_paths()). */
static int worktree_diff(git_diff **out, int *index_set, git_repository *repo, git_tree *tree,
			 git_diff_options *dopts, const struct change_opts *opts)
{
	struct change_maybe m = { NULL, 0, 0, 0 };
	const struct gitindex *ix = NULL;
	int ret = 0;

	*out = NULL;
	dopts->flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
			GIT_DIFF_SHOW_UNTRACKED_CONTENT;
	if (opts->walk_all)
		m.full = 1;
	else
		worktree_maybe(&m, &ix, repo, tree, opts->guess, opts->walk_memo, opts->tests);
	if (!m.full && !m.nr)
		goto out;
	if (!m.full) {
		dopts->pathspec.strings = m.paths;
		dopts->pathspec.count = m.nr;
		dopts->flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
		*index_set = ix && !index_of_paths(repo, ix, &m);
	}
	if (git_diff_tree_to_workdir_with_index(out, repo, tree, dopts) < 0)
		ret = repo_error("cannot diff the work tree");
out:
	dopts->pathspec.strings = NULL;
	dopts->pathspec.count = 0;
	maybe_release(&m);
	return ret;
}

int change_touches_modules(git_repository *repo, const struct change *c)
{
	static char *specs[] = { "go.mod", "go.sum", "*/go.mod", "*/go.sum", "vendor/*", "*/vendor/*" };
	git_tree *old_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	size_t i, n;
	int ret = 0;

	if (!c->worktree)
		return c->modules;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.pathspec.strings = specs;
	dopts.pathspec.count = ARRAY_SIZE(specs);
	dopts.flags |= GIT_DIFF_INCLUDE_UNTRACKED;
	if (!git_oid_is_zero(&c->merge_base_tree) &&
	    git_tree_lookup(&old_tree, repo, &c->merge_base_tree) < 0) {
		ret = repo_error("cannot read the base tree");
		goto out;
	}
	if (git_diff_tree_to_workdir_with_index(&diff, repo, old_tree, &dopts) < 0) {
		ret = repo_error("cannot diff the work tree");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !ret; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		ret = is_module_file(d->new_file.path) || is_module_file(d->old_file.path);
	}
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	return ret;
}

int change_compute(struct change *out, git_repository *repo, const struct change_opts *opts)
{
	git_oid base, head, mb;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_find_options fopts;
	struct tree_changes tc = { NULL, 0, 0, opts->tests, 0, opts->generated };
	struct strbuf prefix;
	int ret, walked = 1, index_set = 0;

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
		if ((ret = worktree_diff(&diff, &index_set, repo, old_tree, &dopts, opts)) || !diff)
			goto out; /* no path may differ: no file */
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
	ret = collect(out, repo, diff, opts->tests, opts->generated);
	/* too many paths to list first: announced once the files are known */
	if (!ret && opts->go_files && !(!walked && tc.go) && out->files_nr)
		opts->go_files(opts->go_files_data);
out:
	git_diff_free(diff);
	if (index_set)
		git_repository_set_index(repo, NULL); /* read from the file when asked */
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
	maybe_release(&g->maybe);
	if (g->ix) {
		gitindex_release(g->ix);
		free(g->ix);
	}
	memset(g, 0, sizeof(*g));
}

/* Keep `path` when the review keeps its work-tree file: staged (`e`
 * NULL), or its bytes or executable bit differ from the index's entry
 * `e`; 1 past the limit. */
static int guess_file(struct change_guess *g, git_repository *repo, const char *path,
		      const git_index_entry *e, int tests)
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
	if (e && ((st.st_mode & 0111) != 0) == (e->mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
		if (git_repository_hashfile(&id, repo, path, GIT_OBJECT_BLOB, NULL) < 0)
			git_error_clear(); /* kept: the diff decides */
		else if (git_oid_equal(&id, &e->id))
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

/* ---- the guess from the index file read in place (gitindex.h) ---- */

/* The base's entries in `tree` that entries [lo, hi) do not have (under
 * `dir`, "" or "d/"): staged deletions, to `m`. */
static void staged_gone(struct change_maybe *m, const struct gitindex *ix, git_tree *tree,
			size_t lo, size_t hi, const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	size_t i, n = tree ? git_tree_entrycount(tree) : 0, at;

	for (i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		int sub = git_tree_entry_type(te) == GIT_OBJECT_TREE;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s%s%s", dir, git_tree_entry_name(te), sub ? "/" : "");
		at = entry_at(ix, lo, hi, path.buf);
		if (at < hi && (sub ? starts_with(ix->entries[at].path, path.buf)
				    : !strcmp(ix->entries[at].path, path.buf)))
			continue;
		if (sub)
			strbuf_setlen(&path, path.len - 1); /* the directory, as a diff path */
		maybe_add(m, path.buf);
	}
	strbuf_release(&path);
}

/*
 * The staged paths among entries [lo, hi), those under the directory
 * whose path is the first `plen` bytes of theirs ("" or "d/"): each whose
 * id or mode is not the base's (`tree`: that directory at the base, NULL
 * when it has none) and each base path the index lacks, to the guess's
 * `maybe`, and the files among them to the guess.  A directory whose
 * cache-tree id (`node`) is the base's is not looked into: git
 * invalidates the ids on the way to each staged path, so only those
 * directories are read.  1 at a conflict or past the guess's limit.
 */
static int staged_in(struct change_guess *g, git_repository *repo, const struct gitindex *ix,
		     const struct gitindex_tree *node, git_tree *tree, size_t lo, size_t hi,
		     size_t plen, int tests)
{
	struct strbuf name = STRBUF_INIT;
	size_t i = lo;
	int ret = 0;

	if (node && node->valid && tree && !memcmp(node->id, git_tree_id(tree)->id, GITINDEX_ID_LEN))
		return 0;
	while (i < hi && !ret) {
		const struct gitindex_entry *e = &ix->entries[i];
		const char *rest = e->path + plen, *slash = strchr(rest, '/');
		const git_tree_entry *te;
		const struct gitindex_tree *child;
		git_tree *sub = NULL;
		size_t j = i + 1, n;

		if (e->stage) {
			ret = 1;
			break;
		}
		strbuf_reset(&name);
		strbuf_add(&name, rest, slash ? (size_t)(slash - rest) : strlen(rest));
		te = tree ? git_tree_entry_byname(tree, name.buf) : NULL;
		if (!slash) {
			if (!te || memcmp(git_tree_entry_id(te)->id, e->id, GITINDEX_ID_LEN) ||
			    (uint32_t)git_tree_entry_filemode(te) != e->mode) {
				maybe_add(&g->maybe, e->path);
				ret = guess_file(g, repo, e->path, NULL, tests);
			}
			i++;
			continue;
		}
		/* a subdirectory: its entries are [i, j) */
		n = name.len + 1;
		while (j < hi && !strncmp(ix->entries[j].path + plen, rest, n))
			j++;
		child = node ? gitindex_tree_child(ix, node, rest, n - 1) : NULL;
		if (child && child->valid && te && git_tree_entry_type(te) == GIT_OBJECT_TREE &&
		    !memcmp(child->id, git_tree_entry_id(te)->id, GITINDEX_ID_LEN)) {
			i = j; /* the base's, by its cache-tree id: its tree not read */
			continue;
		}
		if (te && git_tree_entry_type(te) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, repo, git_tree_entry_id(te)) < 0) {
			git_error_clear();
			ret = 1;
			break;
		}
		if (te && !sub) { /* a file became a directory: the file is gone */
			char *file = xstrndup(e->path, plen + name.len);

			maybe_add(&g->maybe, file);
			free(file);
		}
		ret = staged_in(g, repo, ix, child, sub, i, j, plen + n, tests);
		git_tree_free(sub);
		i = j;
	}
	if (!ret && tree) {
		strbuf_reset(&name);
		if (lo < hi)
			strbuf_add(&name, ix->entries[lo].path, plen);
		if (lo < hi || !plen)
			staged_gone(&g->maybe, ix, tree, lo, hi, name.buf);
	}
	strbuf_release(&name);
	return ret;
}

/*
 * The .go entries' stat data, read by two threads: a thread just made may
 * wait a millisecond for its CPU, so the work is taken FILE_STAT_CHUNK
 * entries at a time and the caller's thread does what the other has not
 * begun.  Only the file's entries and the work tree are read there.
 */
#define FILE_STAT_CHUNK 64
#define FILE_STAT_THREAD_MIN 256
enum { FILE_CLEAN, FILE_CHANGED, FILE_GONE };

struct file_stat {
	const struct gitindex *ix;
	size_t *todo, n;            /* the entries to stat */
	unsigned char *state;       /* FILE_*, one per `todo` */
	int wd;
	const struct stat *ist;
	atomic_size_t next;
};

static void *file_stat_run(void *data)
{
	struct file_stat *fs = data;
	size_t at, k, end;

	while ((at = atomic_fetch_add(&fs->next, FILE_STAT_CHUNK)) < fs->n) {
		end = fs->n - at < FILE_STAT_CHUNK ? fs->n : at + FILE_STAT_CHUNK;
		for (k = at; k < end; k++) {
			const struct gitindex_entry *e = &fs->ix->entries[fs->todo[k]];
			git_index_entry entry;
			struct stat st;

			entry_of(&entry, e);
			if (fstatat(fs->wd, e->path, &st, AT_SYMLINK_NOFOLLOW) < 0)
				fs->state[k] = FILE_GONE;
			else
				fs->state[k] = stat_clean(&entry, &st, fs->ist) ? FILE_CLEAN : FILE_CHANGED;
		}
	}
	return NULL;
}

/* The .go entries the review may keep to stat, and a second thread
 * started on them when there are many (`*threaded`); 1 at a conflict. */
static int file_stat_start(struct file_stat *fs, pthread_t *th, int *threaded,
			   const struct gitindex *ix, int wd, const struct stat *ist, int tests)
{
	size_t i;

	fs->ix = ix;
	fs->wd = wd;
	fs->ist = ist;
	fs->todo = xcalloc(ix->nr + 1, sizeof(*fs->todo));
	fs->state = xcalloc(ix->nr + 1, 1);
	atomic_init(&fs->next, 0);
	for (i = 0; i < ix->nr; i++) {
		const struct gitindex_entry *e = &ix->entries[i];

		if (e->stage)
			return 1;
		if (e->mode != GIT_FILEMODE_COMMIT && entry_kind(e->path, tests) == ENTRIES_KEPT)
			fs->todo[fs->n++] = i;
	}
	*threaded = fs->n >= FILE_STAT_THREAD_MIN && !pthread_create(th, NULL, file_stat_run, fs);
	return 0;
}

/* The guess from the index file itself; 1 when it is not read here or the
 * guess cannot be made cheaply (the caller then asks libgit2). */
static int guess_from_file(struct change_guess *out, git_repository *repo, git_tree *base,
			   int tests)
{
	struct gitindex ix;
	struct file_stat fs;
	git_config *cfg = NULL;
	struct stat ist;
	pthread_t th;
	char *ipath = path_join(git_repository_path(repo), "index");
	size_t i;
	int ret, wd = -1, icase = 0, threaded = 0;

	memset(&fs, 0, sizeof(fs));

	if (!git_repository_config_snapshot(&cfg, repo) &&
	    !git_config_get_bool(&icase, cfg, "core.ignorecase") && icase) {
		free(ipath);
		git_config_free(cfg);
		return 1; /* the diff matches paths as libgit2 does; not here */
	}
	git_config_free(cfg);
	git_error_clear();
	ret = gitindex_read(&ix, ipath) ? 1 : 0;
	free(ipath);
	if (ret || (wd = open(git_repository_workdir(repo), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = 1;
		goto out;
	}
	ist = ix.st;
	stamp_of(&out->stamp, &ist, git_tree_id(base));
	ret = staged_in(out, repo, &ix, ix.trees_nr ? &ix.trees[0] : NULL, base, 0, ix.nr, 0, tests);
	if (!ret)
		ret = file_stat_start(&fs, &th, &threaded, &ix, wd, &ist, tests);
	if (!ret) {
		file_stat_run(&fs);
		if (threaded)
			pthread_join(th, NULL);
	}
	/* the .go entries whose stat data are not clean, as maybe_unstaged()
	 * finds them; those that exist, and are not left out of the work
	 * tree, to the guess */
	for (i = 0; i < fs.n && !ret; i++) {
		const struct gitindex_entry *e = &ix.entries[fs.todo[i]];
		git_index_entry entry;

		if (fs.state[i] == FILE_CLEAN)
			continue;
		maybe_add(&out->maybe, e->path);
		entry_of(&entry, e);
		if (fs.state[i] == FILE_CHANGED && !e->skip_worktree)
			ret = guess_file(out, repo, e->path, &entry, tests);
	}
	if (!ret && out->maybe.full)
		ret = 1;
	if (!ret) { /* kept for change_compute() (worktree_maybe) */
		out->ix = xmalloc(sizeof(*out->ix));
		*out->ix = ix;
		memset(&ix, 0, sizeof(ix));
	}
out:
	free(fs.todo);
	free(fs.state);
	if (wd >= 0)
		close(wd);
	gitindex_release(&ix);
	if (ret)
		change_guess_release(out);
	return ret;
}

int change_guess_worktree(struct change_guess *out, git_repository *repo,
			  const struct change_opts *opts)
{
	git_oid commit, tree_id;
	git_tree *base = NULL;
	git_index *idx = NULL;
	struct stat ist;
	size_t i, staged;
	int ret, wd = -1;

	if (!git_repository_workdir(repo))
		return 1;
	if ((ret = repo_resolve(&commit, repo, opts->base ? opts->base : "HEAD")) ||
	    (ret = repo_commit_tree(&tree_id, repo, &commit)))
		goto out;
	if (git_tree_lookup(&base, repo, &tree_id) < 0) {
		ret = repo_error("cannot read the base tree");
		goto out;
	}
	if (!opts->walk_all && !guess_from_file(out, repo, base, opts->tests))
		goto out; /* ret is 0 */
	if (git_repository_index(&idx, repo) < 0) {
		ret = repo_error("cannot read the index");
		goto out;
	}
	if ((git_index_caps(idx) & GIT_INDEX_CAPABILITY_IGNORE_CASE) ||
	    (wd = open(git_repository_workdir(repo), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = 1;
		goto out;
	}
	index_stat(&ist, &out->stamp, repo, &tree_id);
	if ((ret = maybe_staged(&out->maybe, repo, base, idx)))
		goto out;
	staged = out->maybe.nr;
	if ((ret = maybe_unstaged(&out->maybe, idx, wd, &ist, ENTRIES_KEPT, opts->tests)))
		goto out;
	/* staged first, then the index's order: each Go file the review
	 * would keep, unless its bytes are the index's */
	for (i = 0; i < out->maybe.nr && !ret && !out->maybe.full; i++) {
		const char *path = out->maybe.paths[i];
		const git_index_entry *e = NULL;

		if (i >= staged) {
			e = git_index_get_bypath(idx, path, 0);
			if (!e || (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE))
				continue;
		}
		ret = guess_file(out, repo, path, e, opts->tests);
	}
	if (!ret && out->maybe.full)
		ret = 1;
out:
	if (wd >= 0)
		close(wd);
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

int changed_file_new_line(const struct changed_file *f, int old_line)
{
	int delta = 0;
	size_t i;

	for (i = 0; i < f->hunks_nr; i++) {
		const struct hunk *h = &f->hunks[i];

		/* a hunk that removes nothing ("-6,0") inserts after old_start */
		if (h->old_lines ? old_line < h->old_start : old_line <= h->old_start)
			break;
		if (old_line < h->old_start + h->old_lines) {
			size_t k;

			for (k = 0; k < f->context_nr; k++)
				if (f->context[k].old_line == old_line)
					return f->context[k].new_line;
			return 0;
		}
		delta += h->new_lines - h->old_lines;
	}
	return old_line + delta;
}

const char *change_renamed_to(const struct change *c, const char *old_path)
{
	size_t i;

	for (i = 0; i + 1 < c->renames_nr; i += 2)
		if (!strcmp(c->renames[i], old_path))
			return c->renames[i + 1];
	return NULL;
}
