/*
 * packages.c: changed files to packages and modules (nearest go.mod, found
 * with stat and cached per directory), and the `go build -gcflags=-m=2`
 * process whose stderr streams into the parser.
 */
#define _XOPEN_SOURCE 700
#include "packages.h"
#include "compat.h"
#include "errors.h"
#include "gosrc.h"
#include "parse.h"
#include "run.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

/* The most of a failed build's messages an error shows. */
#define BUILD_MESSAGE_MAX (64 << 10)

static int file_exists(const char *root, const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	int ok;

	strbuf_addstr(&p, root);
	if (*dir) {
		strbuf_addch(&p, '/');
		strbuf_addstr(&p, dir);
	}
	strbuf_addch(&p, '/');
	strbuf_addstr(&p, name);
	ok = !stat(p.buf, &st) && S_ISREG(st.st_mode);
	strbuf_release(&p);
	return ok;
}

static int dir_exists(const char *root, const char *dir)
{
	char *p = path_join(root, dir);
	struct stat st;
	int ok = !stat(p, &st) && S_ISDIR(st.st_mode);

	free(p);
	return ok;
}


/* Add the package `pkg` ("./dir", "./dir/...") to `m` once; releases `pkg`. */
static void module_add_pkg(struct gomodule *m, struct strbuf *pkg)
{
	size_t k;

	for (k = 0; k < m->pkgs_nr; k++)
		if (!strcmp(m->pkgs[k], pkg->buf))
			break;
	if (k == m->pkgs_nr) {
		ALLOC_GROW(m->pkgs, m->pkgs_nr + 1, m->pkgs_alloc);
		m->pkgs[m->pkgs_nr++] = strbuf_detach(pkg, NULL);
	}
	strbuf_release(pkg);
}
/* Nearest module directory at or above `dir`, or NULL. */
static const char *module_of(struct strmap *cache, const char *root, const char *dir)
{
	const char *hit = strmap_get(cache, dir, strlen(dir));
	char *res = NULL, *parent, *slash;

	if (hit)
		return *hit ? hit + 1 : NULL;
	if (file_exists(root, dir, "go.mod")) {
		res = xstrdup(dir);
	} else if (*dir) {
		const char *up;

		parent = xstrdup(dir);
		slash = strrchr(parent, '/');
		if (slash)
			*slash = '\0';
		else
			parent[0] = '\0';
		up = module_of(cache, root, parent);
		res = up ? xstrdup(up) : NULL;
		free(parent);
	}
	{
		/* cache "\1dir" for a module, "" for none */
		struct strbuf v = STRBUF_INIT;

		if (res) {
			strbuf_addch(&v, 1);
			strbuf_addstr(&v, res);
		}
		free(strmap_put(cache, dir, strlen(dir), strbuf_detach(&v, NULL)));
	}
	free(res);
	hit = strmap_get(cache, dir, strlen(dir));
	return *hit ? hit + 1 : NULL;
}

static struct gomodule *get_module(struct pkgset *set, const char *dir)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (!strcmp(set->mods[i].dir, dir))
			return &set->mods[i];
	ALLOC_GROW(set->mods, set->nr + 1, set->alloc);
	memset(&set->mods[set->nr], 0, sizeof(set->mods[0]));
	set->mods[set->nr].dir = xstrdup(dir);
	return &set->mods[set->nr++];
}

void pkgset_add_files(struct pkgset *set, const char *root, const char *const *files, size_t nr)
{
	struct strmap cache = STRMAP_INIT;
	size_t i, it = 0;
	const struct strmap_entry *e;

	for (i = 0; i < nr; i++) {
		char *dir = xstrdup(files[i]), *slash = strrchr(dir, '/');
		const char *mod;
		struct gomodule *m;
		struct strbuf pkg = STRBUF_INIT;

		if (slash)
			*slash = '\0';
		else
			dir[0] = '\0';
		if (!dir_exists(root, dir)) {
			free(dir);
			continue;
		}
		mod = module_of(&cache, root, dir);
		if (!mod) {
			ALLOC_GROW(set->orphans, set->orphans_nr + 1, set->orphans_alloc);
			set->orphans[set->orphans_nr++] = xstrdup(files[i]);
			free(dir);
			continue;
		}
		m = get_module(set, mod);
		if (strlen(dir) == strlen(mod))
			strbuf_addstr(&pkg, ".");
		else
			strbuf_addf(&pkg, "./%s", dir + (*mod ? strlen(mod) + 1 : 0));
		module_add_pkg(m, &pkg);
		free(dir);
	}
	while (strmap_next(&cache, &it, &e))
		free(e->value);
	strmap_release(&cache);
}

static void find_modules(struct pkgset *set, const char *root, const char *rel, int depth)
{
	char *full = *rel ? path_join(root, rel) : xstrdup(root);
	DIR *d;
	struct dirent *e;

	if (depth > 32 || !(d = opendir(full))) {
		free(full);
		return;
	}
	if (file_exists(root, rel, "go.mod")) {
		struct gomodule *m = get_module(set, rel);

		ALLOC_GROW(m->pkgs, m->pkgs_nr + 1, m->pkgs_alloc);
		m->pkgs[m->pkgs_nr++] = xstrdup("./...");
	}
	while ((e = readdir(d))) {
		char *sub;
		struct stat st;
		char *subfull;

		if (e->d_name[0] == '.' || e->d_name[0] == '_' || !strcmp(e->d_name, "vendor") ||
		    !strcmp(e->d_name, "testdata"))
			continue;
		sub = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
		subfull = path_join(root, sub);
		if (!lstat(subfull, &st) && S_ISDIR(st.st_mode))
			find_modules(set, root, sub, depth + 1);
		free(subfull);
		free(sub);
	}
	closedir(d);
	free(full);
}

void pkgset_add_package(struct pkgset *set, const char *moddir, const char *pkg)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, pkg);
	module_add_pkg(get_module(set, moddir), &sb);
}

void pkgset_add_all(struct pkgset *set, const char *root)
{
	find_modules(set, root, "", 0);
}

int pkgset_same_build(const struct pkgset *a, const struct pkgset *b)
{
	size_t i, j;

	if (a->nr != b->nr)
		return 0;
	for (i = 0; i < a->nr; i++) {
		const struct gomodule *x = &a->mods[i], *y = &b->mods[i];

		if (strcmp(x->dir, y->dir) || x->pkgs_nr != y->pkgs_nr)
			return 0;
		for (j = 0; j < x->pkgs_nr; j++)
			if (strcmp(x->pkgs[j], y->pkgs[j]))
				return 0;
	}
	return 1;
}

void pkgset_release(struct pkgset *set)
{
	size_t i, j;

	for (i = 0; i < set->nr; i++) {
		for (j = 0; j < set->mods[i].pkgs_nr; j++)
			free(set->mods[i].pkgs[j]);
		free(set->mods[i].pkgs);
		free(set->mods[i].dir);
	}
	free(set->mods);
	for (i = 0; i < set->orphans_nr; i++)
		free(set->orphans[i]);
	free(set->orphans);
	memset(set, 0, sizeof(*set));
}

int pkgset_add_args(struct pkgset *set, const char *root, const char *const *args, size_t nr)
{
	struct strmap cache = STRMAP_INIT;
	const struct strmap_entry *e;
	char *real_root = realpath(root, NULL);
	size_t i, it = 0, rl;
	int ret = 0;

	if (!real_root)
		return error_set(ER_ERROR, "cannot resolve %s: %s", root, strerror(errno));
	rl = strlen(real_root);
	for (i = 0; i < nr && !ret; i++) {
		size_t n = strlen(args[i]);
		int recursive = 0;
		char *dir, *real;
		const char *rel, *mod;
		struct strbuf pkg = STRBUF_INIT;
		struct gomodule *m;

		if (n >= 3 && !strcmp(args[i] + n - 3, "...") && (n == 3 || args[i][n - 4] == '/')) {
			recursive = 1;
			n -= n == 3 ? 3 : 4;
		}
		dir = n ? xstrndup(args[i], n) : xstrdup(".");
		real = realpath(dir, NULL);
		free(dir);
		if (!real || (strncmp(real, real_root, rl) || (real[rl] && real[rl] != '/'))) {
			ret = error_set(ER_EUSAGE, "%s is not a directory of the work tree %s%s%s", args[i], root,
					real ? "" : ": ", real ? "" : strerror(errno));
			free(real);
			break;
		}
		rel = real[rl] ? real + rl + 1 : "";
		mod = module_of(&cache, root, rel);
		if (!mod) {
			ret = error_set(ER_EUSAGE, "%s is in no Go module (no go.mod in it or above it)", args[i]);
			free(real);
			break;
		}
		m = get_module(set, mod);
		strbuf_addstr(&pkg, ".");
		if (strlen(rel) > strlen(mod))
			strbuf_addf(&pkg, "/%s", rel + (*mod ? strlen(mod) + 1 : 0));
		if (recursive)
			strbuf_addstr(&pkg, "/...");
		module_add_pkg(m, &pkg);
		free(real);
	}
	while (strmap_next(&cache, &it, &e))
		free(e->value);
	strmap_release(&cache);
	free(real_root);
	return ret;
}

/* A directory go's "..." walks into: not vendor, testdata, hidden or _-prefixed. */
static int walked_dir(const char *name)
{
	return name[0] != '.' && name[0] != '_' && strcmp(name, "vendor") && strcmp(name, "testdata");
}

/*
 * Call `fn` with each package directory (one holding a .go file) at or
 * below the repository-relative `rel`, as go's "./..." finds them: nested
 * modules (a go.mod below `rel`) are not entered.
 */
static void walk_packages(const char *root, const char *rel, int depth,
			  void (*fn)(void *data, const char *dir), void *data)
{
	char *full = *rel ? path_join(root, rel) : xstrdup(root);
	DIR *d = depth > 32 ? NULL : opendir(full);
	struct dirent *e;
	int has_go = 0;

	while (d && (e = readdir(d))) {
		char *sub, *subfull;
		struct stat st;

		if (ends_with(e->d_name, ".go") && e->d_name[0] != '.' && e->d_name[0] != '_') {
			has_go = 1;
			continue;
		}
		if (!walked_dir(e->d_name))
			continue;
		sub = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
		subfull = path_join(root, sub);
		if (!lstat(subfull, &st) && S_ISDIR(st.st_mode) && !file_exists(root, sub, "go.mod"))
			walk_packages(root, sub, depth + 1, fn, data);
		free(subfull);
		free(sub);
	}
	if (d)
		closedir(d);
	if (has_go)
		fn(data, rel);
	free(full);
}

/* The repository-relative directory of pattern `pkg` ("./x/...") of module `mod`. */
static char *pattern_dir(const char *mod, const char *pkg, int *recursive)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(pkg);

	*recursive = n >= 3 && !strcmp(pkg + n - 3, "...");
	if (*recursive)
		n -= n > 3 ? 4 : 3;
	if (n == 1 && pkg[0] == '.') {
		n = 0;
	} else if (n >= 2 && !strncmp(pkg, "./", 2)) {
		pkg += 2;
		n -= 2;
	}
	strbuf_addstr(&sb, mod);
	if (n) {
		if (sb.len)
			strbuf_addch(&sb, '/');
		strbuf_add(&sb, pkg, n);
	}
	return strbuf_detach(&sb, NULL);
}

static void count_one(void *data, const char *dir)
{
	(void)dir;
	++*(size_t *)data;
}

size_t pkgset_count(const struct pkgset *set, const char *root)
{
	size_t i, j, n = 0;

	for (i = 0; i < set->nr; i++) {
		for (j = 0; j < set->mods[i].pkgs_nr; j++) {
			int recursive;
			char *dir = pattern_dir(set->mods[i].dir, set->mods[i].pkgs[j], &recursive);

			if (recursive && root)
				walk_packages(root, dir, 0, count_one, &n);
			else
				n++;
			free(dir);
		}
	}
	return n;
}

struct exclude_walk {
	const char *mod;
	struct strbuf *pkgs;     /* the kept packages, one "./dir" per line */
	int (*excluded)(const void *data, const char *path);
	const void *data;
	int dropped;
};

static void keep_unless_excluded(void *data, const char *dir)
{
	struct exclude_walk *w = data;
	size_t ml = strlen(w->mod);

	if (w->excluded(w->data, *dir ? dir : ".")) {
		w->dropped = 1;
		return;
	}
	if (strlen(dir) == ml)
		strbuf_addstr(w->pkgs, ".\n");
	else
		strbuf_addf(w->pkgs, "./%s\n", dir + (ml ? ml + 1 : 0));
}

/* The patterns of `m` without the excluded packages; "..." expanded only when it must be. */
static void module_exclude(struct gomodule *m, const char *root,
			   int (*excluded)(const void *data, const char *path), const void *data)
{
	struct strbuf kept = STRBUF_INIT, one = STRBUF_INIT;
	char **old = m->pkgs;
	size_t i, nr = m->pkgs_nr;
	const char *p;

	m->pkgs = NULL;
	m->pkgs_nr = m->pkgs_alloc = 0;
	for (i = 0; i < nr; i++) {
		struct exclude_walk w = { m->dir, &one, excluded, data, 0 };
		int recursive;
		char *dir = pattern_dir(m->dir, old[i], &recursive);

		strbuf_reset(&one);
		if (recursive)
			walk_packages(root, dir, 0, keep_unless_excluded, &w);
		if (!recursive && !excluded(data, *dir ? dir : "."))
			strbuf_addf(&kept, "%s\n", old[i]);
		else if (recursive && !w.dropped)
			strbuf_addf(&kept, "%s\n", old[i]);
		else if (recursive)
			strbuf_addbuf(&kept, &one);
		free(dir);
		free(old[i]);
	}
	free(old);
	for (p = kept.buf; *p; ) {
		const char *nl = strchr(p, '\n');

		strbuf_reset(&one);
		strbuf_add(&one, p, (size_t)(nl - p));
		module_add_pkg(m, &one);
		p = nl + 1;
	}
	strbuf_release(&kept);
	strbuf_release(&one);
}

void pkgset_exclude(struct pkgset *set, const char *root,
		    int (*excluded)(const void *data, const char *path), const void *data)
{
	size_t i, k = 0;

	for (i = 0; i < set->nr; i++) {
		struct gomodule *m = &set->mods[i];

		module_exclude(m, root, excluded, data);
		if (!m->pkgs_nr) {
			free(m->pkgs);
			free(m->dir);
			continue;
		}
		set->mods[k++] = *m;
	}
	set->nr = k;
	for (i = 0, k = 0; i < set->orphans_nr; i++) {
		if (excluded(data, set->orphans[i])) {
			free(set->orphans[i]);
			continue;
		}
		set->orphans[k++] = set->orphans[i];
	}
	set->orphans_nr = k;
}

/* ---- what the build constraints leave out ---- */

#define UNBUILT_LIST_MAX (4u << 20)
#define UNBUILT_SOURCE_HEAD (64u << 10)

/* The module of `set` that holds repository-relative `path`, or NULL. */
static const struct gomodule *module_holding(const struct pkgset *set, const char *path)
{
	const struct gomodule *best = NULL;
	size_t i, n;

	for (i = 0; i < set->nr; i++) {
		n = strlen(set->mods[i].dir);
		if (n && (strncmp(path, set->mods[i].dir, n) || path[n] != '/'))
			continue;
		if (!best || n > strlen(best->dir))
			best = &set->mods[i];
	}
	return best;
}

const struct gomodule *pkgset_package_of(const struct pkgset *set, const char *path,
					 struct strbuf *pkg)
{
	const struct gomodule *m = module_holding(set, path);
	const char *rel, *slash;
	size_t ml;

	if (!m)
		return NULL;
	ml = strlen(m->dir);
	rel = path + ml + (ml > 0);
	slash = strrchr(rel, '/');
	if (slash)
		strbuf_addf(pkg, "./%.*s", (int)(slash - rel), rel);
	else
		strbuf_addch(pkg, '.');
	return m;
}

int packages_file_constraint(struct strbuf *why, const char *root, const char *path)
{
	struct strbuf src = STRBUF_INIT;
	char *full = path_join(root, path);
	int ret = 0;

	/* the header is what counts; a file that cannot be read is go's to report */
	if (strbuf_read_file(&src, full, UNBUILT_SOURCE_HEAD) >= 0)
		ret = gosrc_build_constraint(why, path, src.buf, src.len);
	free(full);
	strbuf_release(&src);
	return ret;
}

static void add_once(char ***v, size_t *nr, size_t *alloc, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if (strlen((*v)[i]) == len && !memcmp((*v)[i], s, len))
			return;
	ALLOC_GROW(*v, *nr + 1, *alloc);
	(*v)[(*nr)++] = xstrndup(s, len);
}

/* `path` is a file of directory `dir` ("" the root) itself. */
static int in_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n && (strncmp(path, dir, n) || path[n] != '/'))
		return 0;
	return !strchr(path + n + (n > 0), '/');
}

/* go list's lines: DIR \t GOOS/GOARCH \t BUILT \t IGNORED... (real paths) */
static void unbuilt_read(struct unbuilt *out, const char *real_root, const char *const *files,
			 size_t nr, char *text)
{
	size_t rl = strlen(real_root), i;
	char *line, *nl;
	struct strbuf seen = STRBUF_INIT, one = STRBUF_INIT;

	strbuf_addch(&seen, '\n');
	for (line = text; *line; line = nl ? nl + 1 : line + strlen(line)) {
		char *f[4], *dir, *name, *tab;
		size_t k;

		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		for (k = 0, f[0] = line; k < 3 && (tab = strchr(f[k], '\t')); k++) {
			*tab = '\0';
			f[k + 1] = tab + 1;
		}
		/* a line is go list's when it names, by its absolute path, the
		 * directory of a file asked about, a platform of [a-z0-9_/] and
		 * counts of digits: the rest of a line split by a file name
		 * with a newline in it (no '/' in it) is none */
		if (k < 3 || strncmp(f[0], real_root, rl) || (f[0][rl] && f[0][rl] != '/') ||
		    f[1][strspn(f[1], "abcdefghijklmnopqrstuvwxyz0123456789_/")] || !*f[1] ||
		    f[2][strspn(f[2], "0123456789")] || !*f[2])
			continue;
		dir = f[0][rl] ? f[0] + rl + 1 : f[0] + rl; /* "" for the root */
		for (i = 0; i < nr && !in_dir(files[i], dir); i++)
			;
		/* a directory's first line is its answer */
		strbuf_reset(&one);
		strbuf_addf(&one, "\n%s\n", dir);
		if (i == nr || strstr(seen.buf, one.buf))
			continue;
		strbuf_addstr(&seen, one.buf + 1);
		if (!out->platform)
			out->platform = xstrdup(f[1]);
		for (name = f[3]; *name; name = tab ? tab + 1 : name + strlen(name)) {
			struct strbuf p = STRBUF_INIT;

			if ((tab = strchr(name, '\t')))
				*tab = '\0';
			strbuf_addf(&p, "%s%s%s", dir, *dir ? "/" : "", name);
			for (i = 0; i < nr; i++)
				if (!strcmp(files[i], p.buf))
					add_once(&out->files, &out->files_nr, &out->files_alloc, p.buf,
						 p.len);
			strbuf_release(&p);
		}
		/* the counts' digits side by side: all zeros when nothing is built */
		if (!f[2][strspn(f[2], "0")])
			add_once(&out->dirs, &out->dirs_nr, &out->dirs_alloc, *dir ? dir : ".",
				 strlen(*dir ? dir : "."));
	}
	strbuf_release(&seen);
	strbuf_release(&one);
}

/* go list -e of the packages `pkgs` of module `moddir`, its output appended. */
static int unbuilt_list(struct strbuf *out, const char *root, const char *moddir,
			const char *const *pkgs, size_t npkgs, const struct build_opts *opts)
{
	const char *fmt = opts->tests ?
		"{{.Dir}}\t{{context.GOOS}}/{{context.GOARCH}}\t{{len .GoFiles}}{{len .CgoFiles}}{{len .TestGoFiles}}{{len .XTestGoFiles}}\t{{join .IgnoredGoFiles \"\\t\"}}" :
		"{{.Dir}}\t{{context.GOOS}}/{{context.GOARCH}}\t{{len .GoFiles}}{{len .CgoFiles}}\t{{join .IgnoredGoFiles \"\\t\"}}";
	struct child_process cp = CHILD_PROCESS_INIT;
	struct child_argv a = CHILD_ARGV_INIT;
	struct strbuf err = STRBUF_INIT, one = STRBUF_INIT;
	char *dir = *moddir ? path_join(root, moddir) : xstrdup(root);
	size_t i;
	int ret;

	child_argv_push(&a, opts->go ? opts->go : "go");
	child_argv_push(&a, "list");
	child_argv_push(&a, "-e");
	child_argv_split(&a, opts->build_flags);
	child_argv_push(&a, "-f");
	child_argv_push(&a, fmt);
	for (i = 0; i < npkgs; i++)
		child_argv_push(&a, pkgs[i]);
	cp.argv = a.v;
	cp.dir = dir;
	if (opts->verbose) {
		strbuf_addf(&err, "escape-review: running in %s:", dir);
		for (i = 0; i < a.nr; i++)
			strbuf_addf(&err, " %s", a.v[i]);
		fprintf(stderr, "%s\n", err.buf);
		strbuf_reset(&err);
	}
	ret = child_capture(&cp, &one, &err, UNBUILT_LIST_MAX);
	if (ret > 0)
		ret = error_set(ER_EANALYSIS, "go list in %s failed (exit %d): %s", *moddir ? moddir : ".",
				ret, err.buf);
	if (!ret)
		strbuf_addbuf(out, &one);
	child_argv_clear(&a);
	strbuf_release(&err);
	strbuf_release(&one);
	free(dir);
	return ret;
}

int packages_unbuilt(struct unbuilt *out, const char *root, const struct pkgset *set,
		     const char *const *files, size_t nr, const struct build_opts *opts,
		     const char *memo, const char *key)
{
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
	const char **pkgs = NULL;
	size_t i, j, k, npkgs, alloc = 0, skip = 0;
	char *real_root = NULL, *asked = xcalloc(nr + 1, 1);
	int ret = 0, any = 0;

	/* each file's header read once: the ones go list is asked about */
	for (i = 0; i < nr; i++)
		any |= asked[i] = module_holding(set, files[i]) &&
					  packages_file_constraint(NULL, root, files[i]);
	if (!any)
		goto out;
	if (memo && key) {
		strbuf_addf(&want, "%s\n--\n", key);
		if (strbuf_read_file(&text, memo, UNBUILT_LIST_MAX) >= 0 && text.len >= want.len &&
		    !memcmp(text.buf, want.buf, want.len))
			skip = want.len; /* the answer kept: no go list */
		else
			strbuf_reset(&text);
	}
	for (i = 0; !skip && i < set->nr && !ret; i++) {
		const struct gomodule *m = &set->mods[i];

		npkgs = 0;
		for (j = 0; j < nr; j++) {
			const char *f = files[j];
			struct strbuf pkg = STRBUF_INIT;

			if (!asked[j] || pkgset_package_of(set, f, &pkg) != m) {
				strbuf_release(&pkg);
				continue;
			}
			for (k = 0; k < npkgs && strcmp(pkgs[k], pkg.buf); k++)
				;
			if (k < npkgs) { /* another file of a package already asked about */
				strbuf_release(&pkg);
				continue;
			}
			ALLOC_GROW(pkgs, npkgs + 1, alloc);
			pkgs[npkgs++] = strbuf_detach(&pkg, NULL);
		}
		if (npkgs)
			ret = unbuilt_list(&text, root, m->dir, pkgs, npkgs, opts);
		for (j = 0; j < npkgs; j++)
			free((char *)pkgs[j]);
	}
	if (ret)
		goto out;
	if (!skip && memo && key) {
		struct strbuf entry = STRBUF_INIT;
		char *dir = xstrdup(memo), *slash = strrchr(dir, '/');

		if (slash) {
			*slash = '\0';
			mkdirs(dir);
		}
		free(dir);
		strbuf_addbuf(&entry, &want);
		strbuf_addbuf(&entry, &text);
		if (write_file_atomically(memo, &entry))
			error_clear(); /* asked again next time */
		strbuf_release(&entry);
	}
	real_root = realpath(root, NULL);
	unbuilt_read(out, real_root ? real_root : root, files, nr, text.buf + skip);
out:
	free(asked);
	free(real_root);
	free(pkgs);
	strbuf_release(&text);
	strbuf_release(&want);
	return ret;
}

int unbuilt_has_dir(const struct unbuilt *u, const char *dir)
{
	size_t i;

	for (i = 0; i < u->dirs_nr; i++)
		if (!strcmp(u->dirs[i], dir))
			return 1;
	return 0;
}

void unbuilt_release(struct unbuilt *u)
{
	size_t i;

	for (i = 0; i < u->files_nr; i++)
		free(u->files[i]);
	for (i = 0; i < u->dirs_nr; i++)
		free(u->dirs[i]);
	free(u->files);
	free(u->dirs);
	free(u->platform);
	memset(u, 0, sizeof(*u));
}

int packages_module_path(struct strbuf *out, const char *root, const char *moddir)
{
	struct strbuf path = STRBUF_INIT, mod = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&path, "%s%s%s/go.mod", root, *moddir ? "/" : "", moddir);
	if (strbuf_read_file(&mod, path.buf, 1 << 20) >= 0)
		ret = gosrc_module_path(out, mod.buf, mod.len);
	strbuf_release(&path);
	strbuf_release(&mod);
	return ret;
}

/*
 * The build of the module in `moddir` failed: the compiler's whole
 * message (up to BUILD_MESSAGE_MAX bytes, then a note), naming the
 * module by its path and its directory.
 */
static int build_failed(const char *root, const char *moddir, int status, const char *msgs)
{
	struct strbuf mod = STRBUF_INIT, where = STRBUF_INIT;
	size_t len = strlen(msgs);
	int ret;

	packages_module_path(&mod, root, moddir);
	if (mod.len)
		strbuf_addf(&where, "module %s (%s)", mod.buf, *moddir ? moddir : "the repository root");
	else
		strbuf_addstr(&where, *moddir ? moddir : "the repository root");
	if (len > BUILD_MESSAGE_MAX)
		ret = error_set(ER_EANALYSIS, "the build failed in %s (go exited with %d):\n%.*s\n"
				"... (the compiler's messages are cut here at %d KiB of %zu bytes; run the build with -v to see the command)",
				where.buf, status, BUILD_MESSAGE_MAX, msgs, BUILD_MESSAGE_MAX >> 10, len);
	else
		ret = error_set(ER_EANALYSIS, "the build failed in %s (go exited with %d):\n%s",
				where.buf, status, len ? msgs : "(no message from the compiler)");
	strbuf_release(&mod);
	strbuf_release(&where);
	return ret;
}

/* One go invocation: started (go_run_start), then read (go_run_finish). */
struct go_run {
	struct child_argv a;
	struct child_process cp;
	struct parser *p;
	struct strbuf gc, dir, prefix;
	const char *moddir;
	const struct build_opts *opts;
	/* the findings taken while the output was awaited (build_opts.idle),
	 * before the parser's rest */
	struct finding_list early;
};

static void feed(void *data, const char *buf, size_t len)
{
	struct go_run *run = data;

	parser_feed(run->p, buf, len);
}

static char *feed_space(void *data, size_t *room)
{
	struct go_run *run = data;

	return parser_space(run->p, room);
}

/* Nothing to read: the findings parsed since the last time to the idle
 * callback (build_opts.idle); 1 when there were any. */
static int feed_idle(void *data)
{
	struct go_run *run = data;
	size_t from = run->early.nr;

	parser_take_findings(run->p, &run->early);
	if (run->early.nr == from)
		return 0;
	run->opts->idle(run->opts->idle_data, &run->early, from);
	return 1;
}

/* A path of the memory: relative, no "." or ".." part, no leading '-'. */
static int memo_path_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || *s == '-' || *s == '/')
		return 0;
	while (i < n) {
		size_t k = i;

		while (k < n && s[k] != '/')
			k++;
		if (k == i || (k - i == 1 && s[i] == '.') ||
		    (k - i == 2 && s[i] == '.' && s[i + 1] == '.'))
			return 0;
		i = k + 1;
	}
	return s[n - 1] != '/';
}

/* "./x" or "." (a package of the module). */
static int memo_package_ok(const char *s, size_t n)
{
	return (n == 1 && *s == '.') || (n > 2 && s[0] == '.' && s[1] == '/' &&
					 memo_path_ok(s + 2, n - 2));
}

struct memo_build {
	char *moddir;
	char **pkgs, **bce;
	size_t pkgs_nr, pkgs_alloc, bce_nr, bce_alloc;
};

/*
 * The head build started before the change is read (packages.h): the
 * command the memory names, started with this run's options; `now` is the
 * memory of the command the build's first go ran instead.
 */
struct go_prestart {
	struct memo_build mb;  /* what it builds (its argv points into it) */
	struct go_run *run;    /* started, neither adopted nor stopped; or NULL */
	char *tmpdir;          /* its GOTMPDIR (NULL: none made) */
	struct strbuf env;     /* "GOTMPDIR=..." */
	const char *envv[2];
	int seen;              /* a build's first command came (`now` is its) */
	struct strbuf now;
	int verbose;
};

static void go_command(struct go_run *run, const char *root, const char *moddir,
		       const char *const *pkgs, size_t npkgs, const struct build_opts *opts);
static void go_run_release(struct go_run *run);
static int version_file(struct strbuf *out, const char *go);

/* -v: the command `run` runs, and where (one write: another thread, an
 * analysis beside this one, may print at the same time). */
static void say_command(const struct go_run *run, const char *when)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	strbuf_addf(&line, "escape-review: running in %s%s:", run->dir.buf, when);
	for (i = 0; i < run->a.nr; i++)
		strbuf_addf(&line, " %s", run->a.v[i]);
	strbuf_addch(&line, '\n');
	fputs(line.buf, stderr);
	strbuf_release(&line);
}

static void memo_build_release(struct memo_build *mb)
{
	size_t i;

	free(mb->moddir);
	for (i = 0; i < mb->pkgs_nr; i++)
		free(mb->pkgs[i]);
	for (i = 0; i < mb->bce_nr; i++)
		free(mb->bce[i]);
	free(mb->pkgs);
	free(mb->bce);
	memset(mb, 0, sizeof(*mb));
}

/* Read a memory (packages.h); 0, or -1 when any of it is refused. */
static int memo_build_parse(struct memo_build *mb, const char *memo, size_t len)
{
	const char *p = memo, *end = memo + len, *rest;
	int first = 1;

	memset(mb, 0, sizeof(*mb));
	if (len > GO_PRESTART_MEMO_MAX || memchr(memo, '\0', len))
		return -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);
		int ok = 0;

		if (first)
			ok = !strcmp(line, GO_PRESTART_MEMO_HEAD);
		else if (skip_prefix(line, "module ", &rest) && !mb->moddir)
			ok = (!strcmp(rest, ".") || memo_path_ok(rest, strlen(rest))) &&
			     (mb->moddir = xstrdup(strcmp(rest, ".") ? rest : "")) != NULL;
		else if (skip_prefix(line, "package ", &rest) && memo_package_ok(rest, strlen(rest)) &&
			 mb->pkgs_nr < 256) {
			ALLOC_GROW(mb->pkgs, mb->pkgs_nr + 1, mb->pkgs_alloc);
			mb->pkgs[mb->pkgs_nr++] = xstrdup(rest);
			ok = 1;
		} else if (skip_prefix(line, "bce ", &rest) && memo_path_ok(rest, strlen(rest)) &&
			   mb->bce_nr < 256) {
			ALLOC_GROW(mb->bce, mb->bce_nr + 1, mb->bce_alloc);
			mb->bce[mb->bce_nr++] = xstrdup(rest);
			ok = 1;
		}
		free(line);
		if (!ok || (!nl && p + n != end))
			goto bad;
		first = 0;
		p += n + 1;
	}
	if (!first && mb->moddir && mb->pkgs_nr)
		return 0;
bad:
	memo_build_release(mb);
	return -1;
}

/* The memory of the build's one go command (module `moddir`, `pkgs`). */
static void memo_build_format(struct strbuf *out, const char *moddir, const char *const *pkgs,
			      size_t npkgs, const struct build_opts *opts)
{
	size_t i;

	strbuf_reset(out);
	strbuf_addf(out, "%s\nmodule %s\n", GO_PRESTART_MEMO_HEAD, *moddir ? moddir : ".");
	for (i = 0; i < npkgs; i++)
		strbuf_addf(out, "package %s\n", pkgs[i]);
	for (i = 0; i < opts->bce_dirs_nr; i++)
		strbuf_addf(out, "bce %s\n", opts->bce_dirs[i]);
}

/* A directory of our own for the started go's work directory, where go
 * would put it (GOTMPDIR, TMPDIR, /tmp): removed with all it holds when
 * the go command is stopped. */
static char *prestart_tmpdir(void)
{
	const char *base = getenv("GOTMPDIR");
	struct strbuf sb = STRBUF_INIT;

	if (!base || !*base)
		base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	strbuf_addf(&sb, "%s/escape-review-go-XXXXXX", base);
	if (!mkdtemp(sb.buf)) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

struct go_prestart *go_prestart_new(int verbose)
{
	struct go_prestart *ps = xcalloc(1, sizeof(*ps));

	strbuf_init(&ps->now, 0);
	strbuf_init(&ps->env, 0);
	ps->verbose = verbose;
	return ps;
}

void go_prestart_start(struct go_prestart *ps, const char *memo, size_t len, const char *root,
		       const struct build_opts *opts)
{
	struct memo_build *mb = &ps->mb;
	struct build_opts bo = *opts;
	struct go_run *run;

	if (ps->run || ps->seen || !len)
		return;
	if (memo_build_parse(mb, memo, len)) {
		if (ps->verbose)
			fputs("escape-review: the last review's head build is not remembered as it should be: nothing started before the change is read\n", stderr);
		return;
	}
	/* the toolchain's own go only: what a wrapper or a version manager's
	 * shim does when started (and stopped) is not known */
	if (version_file(&ps->env, opts->go ? opts->go : "go")) {
		if (ps->verbose)
			fputs("escape-review: go is not its toolchain's own bin/go (a wrapper or a version manager's shim): nothing started before the change is read\n", stderr);
		strbuf_reset(&ps->env);
		return;
	}
	strbuf_reset(&ps->env);
	if (!(ps->tmpdir = prestart_tmpdir())) {
		if (ps->verbose)
			fprintf(stderr, "escape-review: cannot make a directory for go's work files (%s): nothing started before the change is read\n", strerror(errno));
		return;
	}
	bo.bce_dirs = (const char *const *)mb->bce;
	bo.bce_dirs_nr = mb->bce_nr;
	run = xmalloc(sizeof(*run));
	go_command(run, root, mb->moddir, (const char *const *)mb->pkgs, mb->pkgs_nr, &bo);
	strbuf_addf(&ps->env, "GOTMPDIR=%s", ps->tmpdir);
	ps->envv[0] = ps->env.buf;
	run->cp.env = ps->envv;
	run->cp.own_group = 1;
	if (ps->verbose)
		say_command(run, ", before the change is read (the last review's head build)");
	if (child_stream_start(&run->cp, 0)) {
		if (ps->verbose)
			fprintf(stderr, "escape-review: %s: nothing started before the change is read\n", error_last());
		error_clear();
		go_run_release(run);
		free(run);
		rmdir(ps->tmpdir);
		free(ps->tmpdir);
		ps->tmpdir = NULL;
		return;
	}
	ps->run = run;
}

/* End a started prestart that no build takes, with its work files. */
static void prestart_stop(struct go_prestart *ps)
{
	if (!ps->run)
		return;
	child_kill(&ps->run->cp);
	close(ps->run->cp.err);
	go_run_release(ps->run);
	free(ps->run);
	ps->run = NULL;
	if (ps->tmpdir && remove_tree(ps->tmpdir) < 0 && ps->verbose)
		fprintf(stderr, "escape-review: cannot remove %s: %s\n", ps->tmpdir, strerror(errno));
	free(ps->tmpdir);
	ps->tmpdir = NULL;
}

/*
 * The build's first go command, `run` (not started): its memory is kept
 * in `now`; 1 when the prestart runs that very command (the directory and
 * every argument), which `run` then takes over; else it is stopped.
 */
static int prestart_adopt(struct go_prestart *ps, struct go_run *run, const char *const *pkgs,
			  size_t npkgs, const struct build_opts *opts)
{
	struct go_run *pre = ps->run;
	size_t i;
	int same;

	memo_build_format(&ps->now, run->moddir, pkgs, npkgs, opts);
	ps->seen = 1;
	if (!pre)
		return 0;
	same = !strcmp(pre->dir.buf, run->dir.buf) && pre->a.nr == run->a.nr;
	for (i = 0; same && i < run->a.nr; i++)
		same = !strcmp(pre->a.v[i], run->a.v[i]);
	if (!same) {
		if (ps->verbose)
			fputs("escape-review: the go command started before the change was read is not this review's: stopped\n", stderr);
		prestart_stop(ps);
		return 0;
	}
	if (ps->verbose)
		fputs("escape-review: the go command started before the change was read is this review's: kept\n", stderr);
	run->cp.pid = pre->cp.pid;
	run->cp.err = pre->cp.err;
	run->cp.own_group = 1;
	go_run_release(pre);
	free(pre);
	ps->run = NULL;
	return 1;
}

/* A build of more than one go command: nothing to take, or to remember. */
static void prestart_none(struct go_prestart *ps)
{
	strbuf_reset(&ps->now);
	ps->seen = 1;
	if (ps->run && ps->verbose)
		fputs("escape-review: the go command started before the change was read is not this review's: stopped\n", stderr);
	prestart_stop(ps);
}

void go_prestart_stop(struct go_prestart *ps)
{
	if (!ps || !ps->run)
		return;
	if (ps->verbose)
		fputs("escape-review: the go command started before the change was read is not needed: stopped\n", stderr);
	prestart_stop(ps);
}

int go_prestart_finish(struct go_prestart *ps, struct strbuf *memo)
{
	int seen;

	if (!ps)
		return 0;
	go_prestart_stop(ps);
	if (ps->tmpdir)
		rmdir(ps->tmpdir); /* the adopted go removed its work directory */
	free(ps->tmpdir);
	seen = ps->seen;
	strbuf_reset(memo);
	strbuf_addbuf(memo, &ps->now);
	strbuf_release(&ps->now);
	strbuf_release(&ps->env);
	memo_build_release(&ps->mb);
	free(ps);
	return seen;
}

/* The go command of module `moddir` for `pkgs`: its directory and argv. */
static void go_command(struct go_run *run, const char *root, const char *moddir,
		       const char *const *pkgs, size_t npkgs, const struct build_opts *opts)
{
	struct child_argv *a = &run->a;
	size_t i;

	memset(run, 0, sizeof(*run));
	run->cp = (struct child_process)CHILD_PROCESS_INIT;
	run->opts = opts;
	strbuf_init(&run->gc, 0);
	strbuf_init(&run->dir, 0);
	strbuf_init(&run->prefix, 0);
	run->moddir = moddir;
	strbuf_addstr(&run->dir, root);
	if (*moddir) {
		strbuf_addf(&run->dir, "/%s", moddir);
		strbuf_addf(&run->prefix, "%s/", moddir);
	}
	child_argv_push(a, opts->go ? opts->go : "go");
	if (opts->tests) {
		child_argv_push(a, "test");
		child_argv_push(a, "-c");
		child_argv_push(a, "-vet=off");
	} else {
		child_argv_push(a, "build");
	}
	child_argv_split(a, opts->build_flags);
	/* the compiler names files by their paths only without -trimpath
	 * (GOFLAGS, a CI's usual setting): with it they are import paths */
	child_argv_push(a, "-trimpath=false");
	strbuf_addstr(&run->gc, "-gcflags=-m=2");
	if (opts->gcflags && *opts->gcflags)
		strbuf_addf(&run->gc, " %s", opts->gcflags);
	child_argv_push(a, run->gc.buf);
	for (i = 0; i < opts->bce_dirs_nr; i++) {
		const char *d = opts->bce_dirs[i];
		size_t ml = strlen(moddir);
		struct strbuf bce = STRBUF_INIT;

		if (ml && (strncmp(d, moddir, ml) || (d[ml] && d[ml] != '/')))
			continue; /* another module's */
		d += ml + (ml && d[ml] == '/');
		strbuf_addf(&bce, "-gcflags=./%s=-m=2 -d=ssa/check_bce/debug=1", d);
		if (opts->gcflags && *opts->gcflags)
			strbuf_addf(&bce, " %s", opts->gcflags);
		child_argv_push_owned(a, strbuf_detach(&bce, NULL));
	}
	if ((npkgs == 1 && !strstr(pkgs[0], "...")) || opts->tests) {
		child_argv_push(a, "-o");
		child_argv_push(a, "/dev/null");
	}
	for (i = 0; i < npkgs; i++)
		child_argv_push(a, pkgs[i]);
	run->cp.argv = a->v;
	run->cp.dir = run->dir.buf;
}

/* Spawn go in module `moddir` for `pkgs`, its stderr streaming into a new
 * parser; 0, or the spawn's error (run->cp.spawn_errno says why).  A
 * prestart (`ps`) of the same command is taken instead of a new start. */
static int go_run_start(struct go_run *run, const char *root, const char *moddir,
			const char *const *pkgs, size_t npkgs, const struct build_opts *opts,
			struct go_prestart *ps)
{
	struct parse_opts po = { 0 };
	int adopted;

	go_command(run, root, moddir, pkgs, npkgs, opts);
	adopted = ps && prestart_adopt(ps, run, pkgs, npkgs, opts);
	if (opts->verbose && !adopted)
		say_command(run, "");
	po.prefix = run->prefix.buf;
	po.root_abs = root;
	po.exact_steps = opts->max_flow;
	po.keep_notes = opts->notes != NULL;
	po.notes_inline_only = opts->notes_inline_only;
	po.keep_file = opts->keep_file;
	po.keep_data = opts->keep_data;
	po.lazy_chains = opts->chains != NULL;
	po.file_digests = opts->digests != NULL;
	run->p = parser_new(&po);
	return adopted ? 0 : child_stream_start(&run->cp, 0);
}

static void go_run_release(struct go_run *run)
{
	finding_list_release(&run->early);
	parser_free(run->p);
	child_argv_clear(&run->a);
	strbuf_release(&run->gc);
	strbuf_release(&run->dir);
	strbuf_release(&run->prefix);
}

/* Read a started run into `out`, and release it; or, when it did not
 * start (`ret`, the spawn's message `why`), say so. */
static int go_run_finish(struct finding_list *out, struct strbuf *errors, struct go_run *run,
			 int ret, const char *why, const char *root, const struct build_opts *opts)
{
	struct child_stream cs = { feed, feed_space, opts->idle ? feed_idle : NULL };

	if (!ret)
		ret = child_stream_finish(&run->cp, &cs, run, NULL, 0);
	else if (run->cp.spawn_errno == ENOENT)
		ret = error_set(ER_ENOGO, "cannot run '%s': not found on PATH; install Go (Debian/Ubuntu: apt-get install golang-go) or put it on PATH",
				run->a.v[0]);
	else
		ret = error_set(ret, "%s", why);
	parser_finish(run->p);
	if (ret < 0)
		goto out;
	if (ret) {
		const char *msgs = parser_errors(run->p);

		strbuf_addstr(errors, msgs);
		ret = build_failed(root, run->moddir, ret, msgs);
		goto out;
	}
	finding_list_move(out, &run->early);
	parser_take_findings(run->p, out);
	if (opts->notes)
		parser_take_notes(run->p, opts->notes);
	if (opts->digests)
		parse_digest_list_add_parser(opts->digests, run->p);
	if (opts->chains) { /* kept for the chains not parsed yet */
		parser_chains_add(opts->chains, run->p);
		run->p = NULL;
	}
out:
	go_run_release(run);
	return ret;
}

/* One invocation per module, or per package with tests (go test -c takes one). */
struct go_build {
	const char *root;
	const struct pkgset *set;
	const struct build_opts *opts;
	size_t mod, pkg;        /* the next invocation's */
	struct go_run run;      /* the started one */
	int started, start_ret;
	char *start_msg;        /* why it did not start (start_ret) */
};

/* Start the next invocation; 0 when there is none left. */
static int go_build_next(struct go_build *b)
{
	struct go_prestart *ps = b->mod || b->pkg ? NULL : b->opts->prestart, *take = NULL;
	const struct gomodule *m;
	size_t n;

	while (b->opts->tests && b->mod < b->set->nr && !b->set->mods[b->mod].pkgs_nr)
		b->mod++;
	if (b->mod >= b->set->nr)
		return 0;
	m = &b->set->mods[b->mod];
	n = b->opts->tests ? 1 : m->pkgs_nr;
	/* the first command settles a prestart: taken when it is the only one */
	if (ps && (b->set->nr > 1 || n < m->pkgs_nr))
		prestart_none(ps);
	else
		take = ps;
	b->start_ret = go_run_start(&b->run, b->root, m->dir,
				    (const char *const *)&m->pkgs[b->pkg], n, b->opts, take);
	if (b->start_ret) {
		/* told by the thread that finishes, which may not be this one */
		b->start_msg = xstrdup(error_last());
		error_clear();
	}
	b->pkg += n;
	if (b->pkg >= m->pkgs_nr) {
		b->mod++;
		b->pkg = 0;
	}
	b->started = 1;
	return 1;
}

struct go_build *packages_build_start(const char *root, const struct pkgset *set,
				      const struct build_opts *opts)
{
	struct go_build *b = xcalloc(1, sizeof(*b));

	b->root = root;
	b->set = set;
	b->opts = opts;
	go_build_next(b);
	return b;
}

int packages_build_finish(struct finding_list *out, struct strbuf *errors, struct go_build *b)
{
	int ret = 0;

	while (b->started && !ret) {
		b->started = 0;
		ret = go_run_finish(out, errors, &b->run, b->start_ret, b->start_msg, b->root,
				    b->opts);
		free(b->start_msg);
		b->start_msg = NULL;
		if (!ret)
			go_build_next(b);
	}
	free(b);
	return ret;
}

int packages_analyze(struct finding_list *out, struct strbuf *errors, const char *root,
		     const struct pkgset *set, const struct build_opts *opts)
{
	return packages_build_finish(out, errors, packages_build_start(root, set, opts));
}

/*
 * The toolchain's own VERSION file, next to bin/go in its GOROOT (Debian's
 * /usr/bin/go -> /usr/lib/go-1.19/bin/go, VERSION "go1.19.8"): reading it
 * saves starting a process.  0 when found.
 */
static int version_file(struct strbuf *out, const char *go)
{
	char *which = run_which(go), *real = NULL, *slash;
	struct strbuf path = STRBUF_INIT, content = STRBUF_INIT;
	int ret = -1;

	if (!which || !(real = realpath(which, NULL)))
		goto out;
	slash = strrchr(real, '/');
	if (!slash || slash == real || strcmp(slash, "/go"))
		goto out;
	*slash = '\0';
	slash = strrchr(real, '/');
	if (!slash || strcmp(slash, "/bin"))
		goto out;
	*slash = '\0';
	strbuf_addf(&path, "%s/VERSION", real);
	if (strbuf_read_file(&content, path.buf, 256) <= 0 || content.len > 256 ||
	    !starts_with(content.buf, "go"))
		goto out;
	strbuf_setlen(&content, strcspn(content.buf, "\r\n"));
	strbuf_addbuf(out, &content);
	ret = 0;
out:
	free(which);
	free(real);
	strbuf_release(&path);
	strbuf_release(&content);
	return ret;
}

int go_version_minor(const char *version)
{
	const char *p;
	int n = 0;

	if (!version || !skip_prefix(version, "go1.", &p))
		return 0;
	while (*p >= '0' && *p <= '9' && n < 1000)
		n = n * 10 + (*p++ - '0');
	return n;
}

int go_version_supported(const char *version)
{
	int minor = go_version_minor(version);

	return minor >= GO_MINOR_OLDEST && minor <= GO_MINOR_NEWEST;
}

/* the VERSION file is the answer only when the go command will not
 * switch toolchains (GOTOOLCHAIN, a go.mod `toolchain` line) */
static int version_from_file(struct strbuf *out, const char *go)
{
	const char *tc = getenv("GOTOOLCHAIN");

	return tc && !strcmp(tc, "local") && !version_file(out, go);
}

int go_version_runs_go(const struct build_opts *opts)
{
	struct strbuf sb = STRBUF_INIT;
	int file = version_from_file(&sb, opts->go ? opts->go : "go");

	strbuf_release(&sb);
	return !file;
}

int go_version(struct strbuf *out, const struct build_opts *opts)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	const char *argv[] = { opts->go ? opts->go : "go", "env", "GOVERSION", NULL };
	int ret;

	if (version_from_file(out, argv[0]))
		return 0;
	cp.argv = argv;
	ret = child_capture(&cp, out, NULL, 4096);
	if (ret < 0 && cp.spawn_errno == ENOENT)
		return error_set(ER_ENOGO, "cannot run '%s': not found on PATH; install Go (Debian/Ubuntu: apt-get install golang-go) or put it on PATH",
				 argv[0]);
	if (ret)
		return ret < 0 ? ret : error_set(ER_EANALYSIS, "'%s env GOVERSION' failed", argv[0]);
	strbuf_trim(out);
	return 0;
}

/* ---- what the analysis cache's key cannot see (packages.h) ---- */

#define MAX_GOMOD_BYTES (4u << 20)

/* `path` (made absolute against `dir`) resolved, and whether it is `real_root` or below it. */
static int path_inside(const char *real_root, const char *dir, const char *path)
{
	char *p = path[0] == '/' ? xstrdup(path) : path_join(dir, path), *real = realpath(p, NULL);
	size_t rl = strlen(real_root);
	int inside = real && !strncmp(real, real_root, rl) && (!real[rl] || real[rl] == '/');

	free(p);
	free(real);
	return inside;
}

/* A path operand as go.mod and go.work write it: bare, "quoted" or `raw`. */
static void first_operand(struct strbuf *out, const char *s)
{
	size_t n;

	strbuf_reset(out);
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '"' || *s == '`') {
		const char *end = strchr(s + 1, *s);

		n = end ? (size_t)(end - s - 1) : strlen(s + 1);
		strbuf_add(out, s + 1, n);
		return;
	}
	n = strcspn(s, " \t");
	strbuf_add(out, s, n);
}

/* One `use` or `replace` operand list `s`: 1 with `why` set when its directory is outside. */
static int directive_outside(struct strbuf *why, const char *real_root, const char *dir,
			     const char *file, int is_use, const char *s)
{
	struct strbuf op = STRBUF_INIT;
	const char *arrow = is_use ? s : strstr(s, "=>");
	int outside = 0;

	if (!arrow)
		return 0;
	first_operand(&op, is_use ? arrow : arrow + 2);
	/* a module path is not a directory: only ., .., ./, ../ and / are */
	if ((starts_with(op.buf, "./") || starts_with(op.buf, "../") || op.buf[0] == '/' ||
	     !strcmp(op.buf, ".") || !strcmp(op.buf, "..")) && !path_inside(real_root, dir, op.buf)) {
		strbuf_addf(why, "%s %s %s, outside the repository", file,
			    is_use ? "uses" : "replaces a module with", op.buf);
		outside = 1;
	}
	strbuf_release(&op);
	return outside;
}

/* The directive word that starts `s` ("replace", "use"), its length, or 0. */
static size_t directive_word(const char *s)
{
	if (starts_with(s, "replace") && (!s[7] || strchr(" \t(", s[7])))
		return 7;
	if (starts_with(s, "use") && (!s[3] || strchr(" \t(", s[3])))
		return 3;
	return 0;
}

/*
 * The directories a go.mod or go.work at `file` points the go command at:
 * every `replace ... => PATH` with a file system path, and (go.work) every
 * `use PATH`, one-line or in a ( ) block.  The first one that is not inside
 * `real_root` is named in `why`; returns 1 then.
 */
static int directives_outside(struct strbuf *why, const char *real_root, const char *file)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = xstrndup(file, (size_t)(strrchr(file, '/') - file)), *line, *next;
	int found = 0, in_block = 0, block_use = 0;

	if (strbuf_read_file(&sb, file, MAX_GOMOD_BYTES) < 0)
		goto out;
	for (line = sb.buf; !found && line; line = next) {
		char *c;
		size_t w;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if ((c = strstr(line, "//")))
			*c = '\0';
		line += strspn(line, " \t\r");
		if (in_block) {
			if (*line == ')')
				in_block = 0;
			else if (*line)
				found = directive_outside(why, real_root, dir, file, block_use, line);
			continue;
		}
		if (!(w = directive_word(line)))
			continue;
		block_use = w == 3;
		line += w;
		line += strspn(line, " \t");
		if (*line == '(')
			in_block = 1;
		else
			found = directive_outside(why, real_root, dir, file, block_use, line);
	}
out:
	free(dir);
	strbuf_release(&sb);
	return found;
}

/* The go.work the go command finds for a module at `moddir` (absolute), or NULL. */
static char *find_gowork(const char *moddir)
{
	const char *env = getenv("GOWORK");
	char *dir = xstrdup(moddir);

	if (env && *env) {
		free(dir);
		return strcmp(env, "off") ? xstrdup(env) : NULL;
	}
	for (;;) {
		char *p = path_join(dir, "go.work"), *slash;
		struct stat st;

		if (!stat(p, &st) && S_ISREG(st.st_mode)) {
			free(dir);
			return p;
		}
		free(p);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return NULL;
}

int pkgset_outside_root(struct strbuf *why, const char *root, const struct pkgset *set)
{
	char *real_root = realpath(root, NULL);
	size_t i;
	int found = 0;

	if (!real_root) {
		strbuf_addf(why, "%s cannot be resolved", root);
		return 1;
	}
	for (i = 0; i < set->nr && !found; i++) {
		char *moddir = *set->mods[i].dir ? path_join(real_root, set->mods[i].dir) : xstrdup(real_root);
		char *gomod = path_join(moddir, "go.mod"), *work = find_gowork(moddir);

		found = directives_outside(why, real_root, gomod);
		if (!found && work && work[0] != '/') {
			strbuf_addf(why, "GOWORK=%s is not an absolute path", work);
			found = 1;
		} else if (!found && work) {
			if (!path_inside(real_root, moddir, work)) {
				strbuf_addf(why, "the workspace %s is outside the repository", work);
				found = 1;
			} else {
				found = directives_outside(why, real_root, work);
			}
		}
		free(moddir);
		free(gomod);
		free(work);
	}
	free(real_root);
	return found;
}

/* what `go build` reads beside the sources and flags: its defaults, the
 * environment and `go env -w` alike */
static const char *const go_env_vars[GO_ENV_VARS_NR] = {
	"GOVERSION", "GOROOT", "GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386",
	"GOPPC64", "GORISCV64", "GOEXPERIMENT", "GOTOOLCHAIN", "CGO_ENABLED", "CC", "CXX", "GOENV"
};

/*
 * A file that sets variables of the go command, in the key as its length
 * and a 64-bit hash of its bytes (up to 1 MiB; "none" when it cannot be read).
 */
static void env_file_key(struct strbuf *env, const char *label, const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (*path && strcmp(path, "off") && strbuf_read_file(&sb, path, 1 << 20) >= 0)
		strbuf_addf(env, "%s=%zu:%016llx\n", label, sb.len, strmap_hash(sb.buf, sb.len));
	else
		strbuf_addf(env, "%s=none\n", label);
	strbuf_release(&sb);
}

/* ---- the go environment remembered (go_env_take) ---- */

extern char **environ;

/* A file in the memory's key by identity: path, device, inode, size and times. */
static void file_id_key(struct strbuf *key, const char *label, const char *path)
{
	struct stat st;
	long mns, cns;

	if (!path || stat(path, &st) < 0) {
		strbuf_addf(key, "%s=none\n", label);
		return;
	}
	compat_stat_nsec(&st, &mns, &cns);
	strbuf_addf(key, "%s=%s %ju:%ju %jd %jd.%09ld %jd.%09ld\n", label, path,
		    (uintmax_t)st.st_dev, (uintmax_t)st.st_ino, (intmax_t)st.st_size,
		    (intmax_t)st.st_mtime, mns, (intmax_t)st.st_ctime, cns);
}

/* The environment variables in the key: those the go command reads for
 * these answers, or to find its settings, its toolchain and a C compiler. */
static int env_in_key(const char *e)
{
	static const char *const names[] = { "CC=", "CXX=", "PATH=", "HOME=", "XDG_CONFIG_HOME=" };
	size_t i;

	if (!strncmp(e, "GO", 2) || !strncmp(e, "CGO_", 4))
		return 1;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strncmp(e, names[i], strlen(names[i])))
			return 1;
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first file `name` in directory `dir` or above it, to the key. */
static void above_key(struct strbuf *key, const char *dir, const char *name)
{
	struct strbuf d = STRBUF_INIT, f = STRBUF_INIT;
	struct stat st;
	const char *slash;

	strbuf_addstr(&d, dir);
	for (;;) {
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/%s", d.len > 1 ? d.buf : "", name);
		if (!stat(f.buf, &st) && S_ISREG(st.st_mode)) {
			strbuf_addf(key, "%s at %s\n", name, f.buf);
			env_file_key(key, name, f.buf);
			goto out;
		}
		slash = strrchr(d.buf, '/');
		if (d.len <= 1 || !slash)
			break;
		strbuf_setlen(&d, slash > d.buf ? (size_t)(slash - d.buf) : 1);
	}
	strbuf_addf(key, "%s=none\n", name);
out:
	strbuf_release(&d);
	strbuf_release(&f);
}

/* Where the go command looks for its GOENV file (os.UserConfigDir()/go/env
 * unless GOENV says), or "" when nowhere. */
static void goenv_path(struct strbuf *out)
{
	const char *v = getenv("GOENV"), *home = getenv("HOME");

	if (v) {
		strbuf_addstr(out, v);
		return;
	}
#ifdef __APPLE__
	if (home && *home)
		strbuf_addf(out, "%s/Library/Application Support/go/env", home);
#else
	v = getenv("XDG_CONFIG_HOME");
	if (v && *v == '/')
		strbuf_addf(out, "%s/go/env", v);
	else if (home && *home)
		strbuf_addf(out, "%s/.config/go/env", home);
#endif
}

/*
 * What decides `go env`'s answer besides the go command's own code
 * (go_env_take), to `key`; the go command run, resolved, to `*real`.  1
 * when it cannot be made: the command is not found, or is not a GOROOT's
 * bin/go by its path.
 */
static int memo_key(struct strbuf *key, char **real, const struct build_opts *opts)
{
	static const char *const ccs[] = { "gcc", "clang", "cc" };
	const char *name = opts->go ? opts->go : "go", *cc = getenv("CC");
	char *found = run_which(name), *r = found ? realpath(found, NULL) : NULL, *cwd = NULL;
	struct strbuf sb = STRBUF_INIT;
	const char **vars = NULL;
	size_t i, n = 0, len;
	int ret = 1;

	*real = NULL;
	len = r ? strlen(r) : 0;
	/* ROOT/bin/go: its GOROOT is ROOT, unless the environment says
	 * otherwise (the answer's GOROOT is checked: memo_answer_ok) */
	if (!r || len < 8 || strcmp(r + len - 7, "/bin/go"))
		goto out;
	strbuf_addstr(key, "escape-review go env key 1\n");
	file_id_key(key, "go", r);
	strbuf_add(&sb, r, len - 7);
	strbuf_addstr(&sb, "/go.env");
	env_file_key(key, "GOROOT/go.env", sb.buf);
	strbuf_reset(&sb);
	goenv_path(&sb);
	strbuf_addf(key, "GOENV file at %s\n", sb.buf);
	env_file_key(key, "GOENV file", sb.buf);
	for (i = 0; environ[i]; i++)
		n++;
	vars = xcalloc(n + 1, sizeof(*vars));
	for (i = n = 0; environ[i]; i++)
		if (env_in_key(environ[i]))
			vars[n++] = environ[i];
	qsort(vars, n, sizeof(*vars), cmp_cstr);
	for (i = 0; i < n; i++)
		strbuf_addf(key, "env %s\n", vars[i]);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		goto out;
	strbuf_addf(key, "cwd %s\n", cwd);
	if (getenv("GOWORK") && *getenv("GOWORK") && strcmp(getenv("GOWORK"), "off"))
		env_file_key(key, "GOWORK file", getenv("GOWORK"));
	else
		above_key(key, cwd, "go.work");
	above_key(key, cwd, "go.mod");
	/* CGO_ENABLED's default: whether PATH finds the default C compiler */
	for (i = 0; i < ARRAY_SIZE(ccs) + 1; i++) {
		const char *c = i < ARRAY_SIZE(ccs) ? ccs[i] : cc;
		char *at;

		if (!c || !*c)
			continue;
		strbuf_reset(&sb);
		strbuf_add(&sb, c, strcspn(c, " \t"));
		at = run_which(sb.buf);
		strbuf_addstr(&sb, " found");
		file_id_key(key, sb.buf, at);
		free(at);
	}
	*real = r;
	r = NULL;
	ret = 0;
out:
	free(vars);
	free(cwd);
	free(found);
	free(r);
	strbuf_release(&sb);
	if (ret)
		strbuf_reset(key);
	return ret;
}

/* The value of `name` (one of go_env_vars) in an answer, to `out`. */
static void answer_var(struct strbuf *out, const char *raw, const char *name)
{
	const char *line = raw;
	size_t i;

	for (i = 0; i < GO_ENV_VARS_NR && line; i++) {
		size_t n = strcspn(line, "\n");

		if (!strcmp(go_env_vars[i], name)) {
			strbuf_add(out, line, n);
			return;
		}
		line = line[n] ? line + n + 1 : NULL;
	}
}

/* 1 when the answer is the go command's that `real` names: its GOROOT's
 * bin/go is `real` (no toolchain switched to, no other GOROOT), and its
 * GOENV file is the one the key holds. */
static int memo_answer_ok(const char *raw, const char *real)
{
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	char *r;
	int ok;

	answer_var(&sb, raw, "GOROOT");
	strbuf_addstr(&sb, "/bin/go");
	r = sb.len > 7 ? realpath(sb.buf, NULL) : NULL;
	ok = r && !strcmp(r, real);
	free(r);
	strbuf_reset(&sb);
	answer_var(&sb, raw, "GOENV");
	goenv_path(&want);
	ok = ok && !strcmp(sb.buf, want.buf);
	strbuf_release(&sb);
	strbuf_release(&want);
	return ok;
}

static void go_env_spawn(struct go_env_query *q, const struct build_opts *opts)
{
	static const char *const one_proc[] = { "GOMAXPROCS=1", NULL };
	size_t i;

	q->cp = (struct child_process)CHILD_PROCESS_INIT;
	q->argv[0] = opts->go ? opts->go : "go";
	q->argv[1] = "env";
	for (i = 0; i < GO_ENV_VARS_NR; i++)
		q->argv[i + 2] = go_env_vars[i];
	q->argv[i + 2] = NULL;
	q->cp.argv = q->argv;
	/* a short, sequential query, run beside the review's own threads (and
	 * beside a build): one processor for its runtime; what it prints does
	 * not depend on it */
	q->cp.env = one_proc;
	q->ret = child_capture_start(&q->cp);
	q->started = q->ret ? -1 : 1;
	if (q->ret) {
		q->spawn_errno = q->cp.spawn_errno;
		q->msg = xstrdup(error_last());
	}
}

static void go_env_init(struct go_env_query *q, const struct build_opts *opts)
{
	memset(q, 0, sizeof(*q));
	strbuf_init(&q->out, 0);
	strbuf_init(&q->key, 0);
	q->argv[0] = opts->go ? opts->go : "go";
	if (!memo_key(&q->key, &q->go_real, opts))
		q->memo = 1;
}

void go_env_start(struct go_env_query *q, const struct build_opts *opts)
{
	go_env_init(q, opts);
	go_env_spawn(q, opts);
}

int go_env_take(struct go_env_query *q, const struct build_opts *opts, const char *raw,
		const char *key)
{
	go_env_init(q, opts);
	if (q->memo && raw && key && *key && !strcmp(key, q->key.buf) &&
	    memo_answer_ok(raw, q->go_real)) {
		strbuf_addstr(&q->out, raw);
		q->done = 1;
		q->memo = 2;
		return 1;
	}
	go_env_spawn(q, opts);
	return 0;
}

const char *go_env_memo(const struct go_env_query *q)
{
	return q->done && q->memo ? q->key.buf : NULL;
}

/* After a run: the key made before it is kept only when it is the same
 * now and the answer is the go command's the key names. */
static void memo_settle(struct go_env_query *q, const struct build_opts *opts)
{
	struct strbuf now = STRBUF_INIT;
	char *real = NULL;

	if (q->memo != 1)
		return;
	if (memo_key(&now, &real, opts) || strcmp(now.buf, q->key.buf) ||
	    !memo_answer_ok(q->out.buf, q->go_real))
		q->memo = 0;
	strbuf_release(&now);
	free(real);
}

/*
 * One line a variable, in order (an unknown one is an empty line; a
 * wrapper may print fewer), then the files the go command reads its
 * settings from: GOENV (`go env -w`) and GOROOT/go.env (defaults, Go
 * 1.21+).  CGO_CFLAGS and CGO_CPPFLAGS are not asked: `go env` runs the C
 * compiler's set-up for them (8 ms of its 20); the key has them from the
 * environment (base_cache_set_key) and from these files, which is where go
 * takes them from besides its built-in default.
 */
static int go_env_lines(struct strbuf *version, struct strbuf *env, const char *out,
			const char *go)
{
	struct strbuf goroot = STRBUF_INIT, goenv = STRBUF_INIT;
	const char *line = out;
	size_t i;

	for (i = 0; i < GO_ENV_VARS_NR && line; i++) {
		size_t n = strcspn(line, "\n");

		if (!i) {
			strbuf_add(version, line, n);
			strbuf_trim(version);
		}
		if (!strcmp(go_env_vars[i], "GOROOT"))
			strbuf_add(&goroot, line, n);
		if (!strcmp(go_env_vars[i], "GOENV"))
			strbuf_add(&goenv, line, n);
		strbuf_addf(env, "%s=%.*s\n", go_env_vars[i], (int)n, line);
		line = line[n] ? line + n + 1 : NULL;
	}
	env_file_key(env, "GOENV file", goenv.buf);
	if (goroot.len)
		strbuf_addstr(&goroot, "/go.env");
	env_file_key(env, "GOROOT/go.env", goroot.buf);
	strbuf_release(&goroot);
	strbuf_release(&goenv);
	return version->len ? 0 : error_set(ER_EANALYSIS, "'%s env' printed no GOVERSION", go);
}

int go_env_finish(struct go_env_query *q, struct strbuf *version, struct strbuf *env,
		  const struct build_opts *opts)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (q->done)
		return go_env_lines(version, env, q->out.buf, q->argv[0]);
	if (!q->started)
		go_env_start(q, opts);
	ret = q->ret;
	if (q->started > 0)
		ret = child_capture_finish(&q->cp, &sb, 1 << 16);
	q->started = 0;
	if (ret < 0 && (q->spawn_errno == ENOENT || q->cp.spawn_errno == ENOENT)) {
		ret = error_set(ER_ENOGO, "cannot run '%s': not found on PATH; install Go (Debian/Ubuntu: apt-get install golang-go) or put it on PATH",
				q->argv[0]);
	} else if (ret < 0 && q->msg) {
		ret = error_set(ret, "%s", q->msg);
	} else if (ret) {
		ret = ret < 0 ? ret : error_set(ER_EANALYSIS, "'%s env' failed", q->argv[0]);
	} else if (!(ret = go_env_lines(version, env, sb.buf, q->argv[0]))) {
		struct strbuf t = q->out;

		q->out = sb; /* kept for a second finish */
		sb = t;
		q->done = 1;
		memo_settle(q, opts);
	}
	free(q->msg);
	q->msg = NULL;
	strbuf_release(&sb);
	return ret;
}

const char *go_env_answer(const struct go_env_query *q)
{
	return q->done ? q->out.buf : NULL;
}

int go_env_parse(struct strbuf *version, struct strbuf *env, const char *raw,
		 const struct build_opts *opts)
{
	return go_env_lines(version, env, raw, opts->go ? opts->go : "go");
}

void go_env_abandon(struct go_env_query *q)
{
	struct strbuf saved = STRBUF_INIT;

	if (q->started > 0) {
		strbuf_addstr(&saved, error_last());
		(void)child_capture_abort(&q->cp);
		error_set(ER_ERROR, "%s", saved.buf); /* the caller's message stays */
	}
	q->started = 0;
	q->done = 0;
	q->memo = 0;
	free(q->msg);
	q->msg = NULL;
	free(q->go_real);
	q->go_real = NULL;
	strbuf_release(&q->out);
	strbuf_release(&q->key);
	strbuf_release(&saved);
}

int go_env_key(struct strbuf *version, struct strbuf *env, const struct build_opts *opts)
{
	struct go_env_query q = { .started = 0 };
	int ret = go_env_finish(&q, version, env, opts);

	go_env_abandon(&q);
	return ret;
}
