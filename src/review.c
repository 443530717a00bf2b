/*
 * review.c: the stages of one review wired in order (review.h).  Each
 * stage is its own module; this file only decides which runs when, where
 * the head revision is built, and which findings the mode keeps.
 */
#include "review.h"
#include "compare.h"
#include "diff.h"
#include "errors.h"
#include "gosrc.h"
#include "parse.h"
#include "strmap.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
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
	{
		/* $PWD names the same directory through symbolic links, as printed
		 * by a build run there */
		const char *pwd = getenv("PWD");
		struct stat a, b;

		if (pwd && pwd[0] == '/' && strcmp(pwd, root) && !stat(pwd, &a) && !stat(root, &b) &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			po.root_alt = pwd;
	}
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
	if (!ret) {
		struct parse_stats st;

		parser_take_findings(p, out);
		parser_stats(p, &st);
		if (st.dropped && !st.findings)
			fprintf(stderr, "escape-review: warning: all %llu findings of --input %s are in files outside %s (paths are taken relative to the current directory: run from the directory the build ran in, or use -C)\n",
				st.dropped, input, root);
	}
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

/* Strip trailing slashes of a directory path. */
static void trim_slashes(struct strbuf *sb)
{
	while (sb->len > 1 && sb->buf[sb->len - 1] == '/')
		strbuf_setlen(sb, sb->len - 1);
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
		trim_slashes(out);
		return 0;
	}
	git_oid_fromstr(&head, c->head_hex);
	if (wd && repo_worktree_is(repo, &head)) {
		strbuf_addstr(out, wd);
		trim_slashes(out);
		return 0;
	}
	dir = path_join(git_repository_path(repo), "escape-review/head");
	ret = tree_checkout(repo, &c->head_tree, dir);
	if (!ret)
		strbuf_addstr(out, dir);
	free(dir);
	return ret;
}

/*
 * Drop findings whose file is not in the checkout: the compiler prints
 * file names raw, so a name with a newline in it comes out as two lines and
 * cannot be matched.  Says so once per file when `warn`.
 */
static void drop_missing(struct finding_list *l, const char *root, int warn)
{
	struct strmap checked = STRMAP_INIT;
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		uintptr_t state = (uintptr_t)strmap_get(&checked, f->file, strlen(f->file));

		if (!state) {
			char *p = path_join(root, f->file);
			struct stat st;

			state = !stat(p, &st) && S_ISREG(st.st_mode) ? 1 : 2;
			free(p);
			strmap_put(&checked, f->file, strlen(f->file), (void *)state);
			if (state == 2 && warn)
				fprintf(stderr, "escape-review: warning: the compiler reported %s, which is not a file of the revision (a file name with a newline in it?); its findings are left out\n",
					f->file);
		}
		if (state == 2) {
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
	strmap_release(&checked);
}

/* One analysis: the packages of `set` in the checkout at `root`, located. */
struct analysis {
	const char *root;
	const struct pkgset *set;
	struct build_opts build;
	struct finding_list findings;
	struct strbuf errors;
	int ret;
	int warn;          /* warnings about this analysis go to stderr */
	char msg[1024];
};

static void *analyse(void *data)
{
	struct analysis *a = data;

	a->ret = packages_analyze(&a->findings, &a->errors, a->root, a->set, &a->build);
	if (a->ret) {
		snprintf(a->msg, sizeof(a->msg), "%s", error_last());
	} else {
		drop_missing(&a->findings, a->root, a->warn);
		gosrc_locate(&a->findings, a->root);
	}
	return NULL;
}

static void analysis_release(struct analysis *a)
{
	finding_list_release(&a->findings);
	strbuf_release(&a->errors);
}

/* The cache file of a base analysis: a hash of what determines it. */
static char *cache_path(git_repository *repo, const struct change *c, const struct pkgset *set,
			const struct build_opts *b, const char *go_version)
{
	struct strbuf key = STRBUF_INIT, path = STRBUF_INIT;
	char tree[GIT_OID_HEXSZ + 1];
	size_t i, j;

	git_oid_tostr(tree, sizeof(tree), &c->merge_base_tree);
	strbuf_addf(&key, "v1\n%s\n%s\n%s\n%s\n%d\n%d\n", tree, go_version,
		    b->build_flags ? b->build_flags : "", b->gcflags ? b->gcflags : "", b->tests,
		    b->max_flow);
	{
		/* the environment that changes what the compiler decides */
		static const char *const vars[] = { "GOFLAGS", "GOOS", "GOARCH", "GOAMD64",
						    "GOARM", "CGO_ENABLED", "GOEXPERIMENT",
						    "GOROOT", "GOWORK" };
		size_t v;

		for (v = 0; v < sizeof(vars) / sizeof(vars[0]); v++) {
			const char *val = getenv(vars[v]);

			strbuf_addf(&key, "%s=%s\n", vars[v], val ? val : "");
		}
	}
	for (i = 0; i < set->nr; i++)
		for (j = 0; j < set->mods[i].pkgs_nr; j++)
			strbuf_addf(&key, "%s:%s\n", set->mods[i].dir, set->mods[i].pkgs[j]);
	strbuf_addf(&path, "%sescape-review/cache", git_repository_path(repo));
	strbuf_addf(&path, "/%016llx%016llx.json", strmap_hash(key.buf, key.len),
		    strmap_hash(key.buf, key.len / 2 + 1));
	strbuf_release(&key);
	return strbuf_detach(&path, NULL);
}

static void mkdirs_for(const char *file)
{
	char *p = xstrdup(file), *s;

	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0777);
			*s = '/';
		}
	free(p);
}

/*
 * New versus base: analyse base (cached) and head, concurrently when the
 * base is cold; match them.  Head findings end in out->findings with their
 * status, base findings without partner in out->fixed.  Returns 1 (with a
 * warning printed) when the base could not be analysed and the review
 * falls back to added lines.
 */
static int compare_with_base(struct review *out, git_repository *repo, const struct change *c,
			     const char *head_dir, const struct pkgset *head_set,
			     const struct review_opts *opts, int *fell_back)
{
	struct analysis head = { 0 }, base = { 0 };
	struct pkgset base_set = PKGSET_INIT;
	struct strbuf base_dir = STRBUF_INIT, gov = STRBUF_INIT;
	const char **old = NULL;
	char *cache = NULL;
	pthread_t th;
	int threaded = 0, have_base = 0, ret;
	size_t i, n = 0;

	head.root = head_dir;
	head.set = head_set;
	head.warn = 1;
	head.build = opts->build;
	head.build.tests = opts->tests;
	base.build = head.build;
	strbuf_init(&head.errors, 0);
	strbuf_init(&base.errors, 0);

	strbuf_addf(&base_dir, "%sescape-review/base", git_repository_path(repo));
	old = xcalloc(c->files_nr, sizeof(*old));
	for (i = 0; i < c->files_nr; i++)
		old[n++] = c->files[i].old_path ? c->files[i].old_path : c->files[i].path;

	/*
	 * Head's build starts first: everything about the base (the Go
	 * version, its checkout, the cache) happens while it runs, and a cold
	 * base is built at the same time.
	 */
	threaded = !pthread_create(&th, NULL, analyse, &head);
	if (!threaded)
		analyse(&head);
	ret = go_version(&gov, &opts->build);
	if (!ret) {
		free(out->go_version);
		out->go_version = xstrdup(gov.buf);
		if (!git_oid_is_zero(&c->merge_base_tree) &&
		    !(ret = tree_checkout(repo, &c->merge_base_tree, base_dir.buf)))
			pkgset_add_files(&base_set, base_dir.buf, old, n);
	}
	if (!ret) {
		cache = cache_path(repo, c, &base_set, &base.build, gov.buf);
		if (!opts->no_cache && !compare_cache_read(&base.findings, cache)) {
			have_base = 1;
			out->base_cached = 1;
		} else if (!base_set.nr) {
			have_base = 1; /* the changed packages do not exist at base */
		} else {
			base.root = base_dir.buf;
			base.set = &base_set;
			analyse(&base);
		}
	}
	if (threaded)
		pthread_join(th, NULL);
	if (ret)
		goto out;
	if (head.ret) {
		ret = error_set(head.ret, "%s", head.msg);
		goto out;
	}
	if (!have_base) {
		if (base.ret == ER_ENOGO) {
			ret = error_set(base.ret, "%s", base.msg);
			goto out;
		}
		if (base.ret) {
			fprintf(stderr,
				"escape-review: warning: the base revision %.12s could not be analysed, so findings are limited to added lines instead of compared with it:\n%s\n",
				c->merge_base_hex, base.msg);
			*fell_back = 1;
		} else if (!opts->no_cache) {
			mkdirs_for(cache);
			if (compare_cache_write(cache, &base.findings))
				fprintf(stderr, "escape-review: warning: %s (the base will be analysed again next time)\n",
					error_last());
		}
	}
	classify_all(&head.findings, opts->policy);
	compare_fingerprint(&head.findings, NULL);
	for (i = 0; i < head.findings.nr; i++)
		finding_list_add(&out->findings, head.findings.items[i]);
	head.findings.nr = 0;
	if (!*fell_back) {
		classify_all(&base.findings, opts->policy);
		compare_fingerprint(&base.findings, c);
		/* base paths become head paths for display of what was fixed */
		compare_match(&out->findings, &base.findings, &out->fixed);
	}
	ret = 0;
out:
	analysis_release(&head);
	analysis_release(&base);
	pkgset_release(&base_set);
	strbuf_release(&base_dir);
	strbuf_release(&gov);
	free(old);
	free(cache);
	return ret;
}

/* Mark added lines, then keep what the mode wants. */
static void filter_mode(struct review *rv, const struct change *c, enum review_mode mode)
{
	struct finding_list *l = &rv->findings;
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		const struct changed_file *cf = c ? change_file(c, f->file) : NULL;
		int keep;

		if (cf) {
			f->in_changed_file = 1;
			f->added_line = changed_file_added(cf, f->line);
			f->in_hunk = changed_file_in_hunk(cf, f->line);
			if (f->in_hunk && !f->added_line)
				f->old_line = changed_file_old_line(cf, f->line);
			if (cf->old_path && !f->old_path)
				f->old_path = xstrdup(cf->old_path);
		}
		if (mode != MODE_NEW)
			f->status = f->added_line ? STATUS_NEW : STATUS_EXISTING;
		switch (mode) {
		case MODE_ADDED: keep = f->added_line; break;
		case MODE_CONTEXT: keep = f->in_hunk; break;
		case MODE_FILE: keep = f->in_changed_file; break;
		case MODE_NEW:
			keep = f->status == STATUS_NEW;
			if (!keep)
				rv->hidden_existing++;
			break;
		default: keep = 1; break;
		}
		if (!keep) {
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
}

static int apply_baseline(struct review *rv, git_repository *repo, const struct review_opts *opts)
{
	struct baseline local = BASELINE_INIT, *b = opts->baseline_out ? opts->baseline_out : &local;
	struct finding_list *l = &rv->findings;
	char *path;
	size_t i, k = 0;
	int ret;

	if (opts->baseline_path)
		path = xstrdup(opts->baseline_path);
	else if (repo && git_repository_workdir(repo))
		path = path_join(git_repository_workdir(repo), ".escape-baseline.json");
	else
		return 0;
	ret = baseline_read(b, path);
	free(path);
	if (ret)
		goto out;
	baseline_apply(b, l);
	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (f->status == STATUS_BASELINE && !opts->show_baseline) {
			rv->hidden_baseline++;
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
out:
	baseline_release(&local);
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
	int ret = 0, have_change = 0, fell_back = 0;
	size_t i;

	change_init(&change);
	if (mode == MODE_DEFAULT)
		mode = opts->input ? MODE_ADDED : MODE_NEW;
	if (opts->input && mode == MODE_NEW)
		return error_set(ER_EUSAGE, "--mode new needs the compiler run at both revisions: it cannot be used with --input");
	if (opts->all_packages && mode == MODE_NEW)
		mode = MODE_ALL;
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
		classify_all(&out->findings, opts->policy);
		compare_fingerprint(&out->findings, NULL);
		goto filter;
	}

	if ((ret = repo_open(&repo, ".")))
		goto out;
	{
		struct change_opts co = { opts->base, opts->head, opts->worktree, opts->tests,
					  opts->base_empty };

		if (!co.base && !co.worktree && !co.base_empty)
			co.worktree = 1;
		if ((ret = change_compute(&change, repo, &co)))
			goto out;
		have_change = 1;
	}
	memcpy(out->base, change.merge_base_hex, sizeof(out->base));
	memcpy(out->head, change.head_hex, sizeof(out->head));
	if (git_repository_workdir(repo)) {
		struct strbuf wd = STRBUF_INIT;

		strbuf_addstr(&wd, git_repository_workdir(repo));
		trim_slashes(&wd);
		out->workdir = strbuf_detach(&wd, NULL);
	}

	if (opts->input) {
		const char *wd = git_repository_workdir(repo);

		strbuf_addstr(&root, wd ? wd : ".");
		trim_slashes(&root);
		ret = read_input(&out->findings, opts->input, root.buf, opts->build.max_flow);
		if (ret)
			goto out;
		gosrc_locate(&out->findings, root.buf);
		classify_all(&out->findings, opts->policy);
		compare_fingerprint(&out->findings, NULL);
		goto filter;
	}

	if (!change.files_nr && !opts->all_packages && !opts->packages_nr)
		goto filter; /* no Go files: the toolchain is never started */
	if ((ret = head_root(&root, repo, &change)))
		goto out;
	if (opts->all_packages) {
		pkgset_add_all(&set, root.buf);
	} else if (opts->packages_nr) {
		if ((ret = pkgset_add_args(&set, root.buf, opts->packages, opts->packages_nr)))
			goto out;
	} else {
		files = xcalloc(change.files_nr, sizeof(*files));
		for (i = 0; i < change.files_nr; i++)
			files[i] = change.files[i].path;
		pkgset_add_files(&set, root.buf, files, change.files_nr);
	}
	out->analysed_packages = (unsigned)pkgset_count(&set);
	if (mode == MODE_NEW) {
		ret = compare_with_base(out, repo, &change, root.buf, &set, opts, &fell_back);
		if (ret)
			goto out;
		if (fell_back) {
			mode = MODE_ADDED;
			out->mode = review_mode_name(mode);
		}
		goto filter;
	}
	{
		struct build_opts bo = opts->build;

		bo.tests = opts->tests;
		if ((ret = packages_analyze(&out->findings, &errors, root.buf, &set, &bo)))
			goto out;
	}
	drop_missing(&out->findings, root.buf, 1);
	gosrc_locate(&out->findings, root.buf);
	classify_all(&out->findings, opts->policy);
	compare_fingerprint(&out->findings, NULL);

filter:
	filter_mode(out, have_change ? &change : NULL, mode);
	if (!opts->no_baseline && (ret = apply_baseline(out, repo, opts)))
		goto out;
	finding_list_sort(&out->findings);
	finding_list_sort(&out->fixed);
	if (opts->packages_out) {
		*opts->packages_out = set;
		memset(&set, 0, sizeof(set));
	}
out:
	free(files);
	pkgset_release(&set);
	change_release(&change);
	strbuf_release(&root);
	strbuf_release(&errors);
	git_repository_free(repo);
	return ret;
}
