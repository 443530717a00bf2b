/*
 * review.c: the stages of one review wired in order (review.h).  Each
 * stage is its own module; this file only decides which runs when, where
 * the head revision is built, and which findings the mode keeps.
 */
#include "review.h"
#include "diff.h"
#include "errors.h"
#include "gosrc.h"
#include "parse.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const mode_names[] = { "default", "added", "context", "file", "all", "new" };

int review_mode_parse(const char *s)
{
	int i;

	for (i = 1; i < 6; i++)
		if (!strcmp(s, mode_names[i]))
			return i;
	return -1;
}

const char *review_mode_name(enum review_mode m)
{
	return (unsigned)m < 6 ? mode_names[m] : "?";
}

#define MAX_INPUT_CHUNK 65536

/* Parse compiler output from a file or stdin (paths relative to `root`). */
static int read_input(struct finding_list *out, const char *input, const char *root,
		      int max_flow)
{
	struct parse_opts po = { 0 };
	struct parser *p;
	char *buf = xmalloc(MAX_INPUT_CHUNK);
	int fd, ret = 0;

	fd = strcmp(input, "-") ? open(input, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		free(buf);
		return error_set(ER_EUSAGE, "cannot read --input %s: %s", input, strerror(errno));
	}
	po.max_flow = max_flow;
	po.prefix = "";
	po.root_abs = root;
	p = parser_new(&po);
	for (;;) {
		ssize_t n = read(fd, buf, MAX_INPUT_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = error_set(ER_EUSAGE, "cannot read --input %s: %s", input, strerror(errno));
			break;
		}
		if (!n)
			break;
		parser_feed(p, buf, (size_t)n);
	}
	parser_finish(p);
	if (!ret)
		parser_take_findings(p, out);
	parser_free(p);
	if (fd > 0)
		close(fd);
	free(buf);
	return ret;
}

static void classify_all(struct finding_list *l, const struct checklist_policy *policy)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (checklist_classify(f, f->source, policy)) {
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
}

/* Mark added/hunk/changed-file and keep what the mode wants. */
static void filter_mode(struct finding_list *l, const struct change *c, enum review_mode mode)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		const struct changed_file *cf = c ? change_file(c, f->file) : NULL;
		int keep;

		if (cf) {
			f->in_changed_file = 1;
			f->added_line = changed_file_added(cf, f->line);
			f->in_hunk = changed_file_in_hunk(cf, f->line);
		}
		switch (mode) {
		case MODE_ADDED: keep = f->added_line; break;
		case MODE_CONTEXT: keep = f->in_hunk; break;
		case MODE_FILE: keep = f->in_changed_file; break;
		default: keep = 1; break;
		}
		if (!keep) {
			finding_free(f);
			continue;
		}
		f->status = f->added_line ? STATUS_NEW : STATUS_EXISTING;
		l->items[k++] = f;
	}
	l->nr = k;
}

/* Where to build the head revision: the work tree when it is head, else a checkout. */
static int head_root(struct strbuf *out, git_repository *repo, const struct change *c)
{
	const char *wd = git_repository_workdir(repo);
	git_oid head;
	char *dir;
	int ret;

	if (c->worktree) {
		if (!wd)
			return error_set(ER_EREPO, "--worktree needs a work tree, and this repository is bare");
		strbuf_addstr(out, wd);
		strbuf_rtrim(out);
		while (out->len > 1 && out->buf[out->len - 1] == '/')
			strbuf_setlen(out, out->len - 1);
		return 0;
	}
	git_oid_fromstr(&head, c->head_hex);
	if (wd && repo_worktree_is(repo, &head)) {
		strbuf_addstr(out, wd);
		while (out->len > 1 && out->buf[out->len - 1] == '/')
			strbuf_setlen(out, out->len - 1);
		return 0;
	}
	dir = path_join(git_repository_path(repo), "escape-review/head");
	ret = tree_checkout(repo, &c->head_tree, dir);
	if (!ret)
		strbuf_addstr(out, dir);
	free(dir);
	return ret;
}

int review_run(struct review *out, const struct review_opts *opts)
{
	git_repository *repo = NULL;
	struct change change;
	struct pkgset set = PKGSET_INIT;
	struct strbuf root = STRBUF_INIT, errors = STRBUF_INIT;
	enum review_mode mode = opts->mode;
	const char **files = NULL;
	int ret = 0, have_change = 0;
	size_t i;

	change_init(&change);
	if (mode == MODE_DEFAULT)
		mode = MODE_ADDED;
	out->mode = review_mode_name(mode);

	if (opts->input && mode == MODE_ALL) {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd))) {
			ret = error_set(ER_ERROR, "cannot find the current directory: %s", strerror(errno));
			goto out;
		}
		ret = read_input(&out->findings, opts->input, cwd, opts->build.max_flow);
		if (ret)
			goto out;
		gosrc_locate(&out->findings, cwd);
		goto classify;
	}

	if ((ret = repo_open(&repo, ".")))
		goto out;
	{
		struct change_opts co = { opts->base, opts->head, opts->worktree, opts->tests };

		if (!co.base && !co.worktree)
			co.worktree = 1;
		if ((ret = change_compute(&change, repo, &co)))
			goto out;
		have_change = 1;
	}
	memcpy(out->base, change.merge_base_hex, sizeof(out->base));
	memcpy(out->head, change.head_hex, sizeof(out->head));

	if (opts->input) {
		const char *wd = git_repository_workdir(repo);

		strbuf_addstr(&root, wd ? wd : ".");
		while (root.len > 1 && root.buf[root.len - 1] == '/')
			strbuf_setlen(&root, root.len - 1);
		ret = read_input(&out->findings, opts->input, root.buf, opts->build.max_flow);
		if (ret)
			goto out;
		gosrc_locate(&out->findings, root.buf);
		goto classify;
	}

	if (!change.files_nr)
		goto classify; /* no Go files: the toolchain is never started */
	if ((ret = head_root(&root, repo, &change)))
		goto out;
	files = xcalloc(change.files_nr, sizeof(*files));
	for (i = 0; i < change.files_nr; i++)
		files[i] = change.files[i].path;
	pkgset_add_files(&set, root.buf, files, change.files_nr);
	out->analysed_packages = (unsigned)pkgset_count(&set);
	{
		struct build_opts bo = opts->build;

		bo.tests = opts->tests;
		if ((ret = packages_analyze(&out->findings, &errors, root.buf, &set, &bo)))
			goto out;
	}
	gosrc_locate(&out->findings, root.buf);

classify:
	classify_all(&out->findings, opts->policy);
	filter_mode(&out->findings, have_change ? &change : NULL, mode);
	finding_list_sort(&out->findings);
out:
	free(files);
	pkgset_release(&set);
	change_release(&change);
	strbuf_release(&root);
	strbuf_release(&errors);
	git_repository_free(repo);
	return ret;
}
