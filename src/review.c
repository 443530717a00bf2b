/*
 * review.c: the stages of one review wired in order (review.h).  Each
 * stage is its own module; this file only decides which runs when, where
 * the head revision is built, and which findings the mode keeps.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "review.h"
#include "compat.h"
#include "ack.h"
#include "compare.h"
#include "checkout.h"
#include "contract.h"
#include "dependents.h"
#include "diff.h"
#include "errors.h"
#include "gosrc.h"
#include "input.h"
#include "parse.h"
#include "repo.h"
#include "strmap.h"
#include "strbuf.h"
#include "summary.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The rule overrides of the configuration, or NULL. */
static const struct checklist_policy *policy_of(const struct review_opts *opts)
{
	return opts->config ? &opts->config->policy : NULL;
}

/* 1 when the repository-relative `path` is excluded by the configuration. */
static int excluded(const struct review_opts *opts, const char *path)
{
	return opts->config && config_excluded(opts->config, path);
}

static int excluded_cb(const void *data, const char *path)
{
	return excluded(data, path);
}

/* What a lazy read of the cache left of `f` (compare_cache_complete), cut
 * to --max-flow as classify_all() cuts what was read whole. */
static void complete(struct finding *f, int max_flow)
{
	static atomic_int warned;
	int ret = compare_cache_complete(f);

	if (ret < 0 && !atomic_exchange(&warned, 1))
		fprintf(stderr, "escape-review: warning: %s\n", error_last());
	if (ret < 0)
		error_clear();
	if (ret)
		finding_cut_flow(f, max_flow);
}

static void complete_all(struct finding_list *l, int max_flow)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		complete(l->items[i], max_flow);
}

/* Whether a review in `mode` reads its cache entries lazily: when it
 * prints a part of the findings (new mode without the existing ones, the
 * modes of added lines, hunks and files), the rest is read for those. */
static int reads_lazily(enum review_mode mode, const struct review_opts *opts)
{
	return mode == MODE_NEW ? !opts->keep_existing : mode != MODE_ALL;
}

/*
 * Classify from the whole chains, then keep `max_flow` steps for display.
 * `go_minor`: the compiler, Go 1.`go_minor` (0: not known), which decides
 * a few (checklist_for_other_go).
 */
static void classify_all(struct finding_list *l, const struct checklist_policy *policy,
			 int max_flow, int go_minor)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		int again;

		if (f->contract) {
			l->items[k++] = f; /* a contract's rule is its own */
			continue;
		}
		/* classified without the compiler known, for another one */
		again = f->rule && checklist_for_other_go(f, go_minor);
		if (!f->rule)
			complete(f, max_flow); /* classified from its facts and flow */
		else if (again)
			complete(f, 0); /* again, from the whole flow: cut below */
		/* classified already (by analyse(), or read so from the cache):
		 * only the policy is left */
		if (f->rule && !again ? checklist_apply_policy(f, policy)
				      : checklist_classify(f, f->source, policy, go_minor)) {
			finding_free(f);
			continue;
		}
		finding_cut_flow(f, max_flow);
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

/*
 * Whether the work tree is the committed head when HEAD is that commit,
 * found out as late and as little as possible: what an analysis reads of
 * the root before its cache entry (its packages' files, go.mod, go.sum,
 * go.work) is checked first, by those paths alone (root_check_paths); a
 * head read from the cache builds nothing, so the walk of the whole work
 * tree (changed files anywhere, untracked Go files) waits until something
 * is to be built there (root_check_settle).
 */
struct root_check {
	git_repository *repo;
	git_oid head;
	int pending;       /* the root is the work tree, its untracked files unseen */
	int dirty;         /* they were seen: the head is to be built in a checkout */
	int verbose;
	const struct pkgset *clean; /* root_check_paths() found this set's paths the head's */
};

static void root_check_dirty(struct root_check *rc)
{
	rc->pending = 0;
	rc->dirty = 1;
	if (rc->verbose)
		fprintf(stderr, "escape-review: the work tree is not the head revision (changed or untracked Go files): the head revision is built in a checkout\n");
}

/* 1 when the work tree, taken for the head, turns out not to be it (the
 * review starts again in a checkout: stage_head). */
static int root_check_settle(struct root_check *rc)
{
	if (!rc || !rc->pending)
		return rc && rc->dirty;
	if (!repo_worktree_is(rc->repo, &rc->head))
		root_check_dirty(rc);
	rc->pending = 0;
	return rc->dirty;
}

/* DIR/NAME repository-relative ("" DIR: NAME); NAME "./x/..." is x, "." is DIR. */
static char *repo_path(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;

	while (!strncmp(name, "./", 2))
		name += 2;
	if (!strcmp(name, ".") || !strcmp(name, "..."))
		name = "";
	len = strlen(name);
	if (len >= 4 && !strcmp(name + len - 4, "/..."))
		len -= 4;
	strbuf_addstr(&sb, dir);
	if (sb.len && len)
		strbuf_addch(&sb, '/');
	strbuf_add(&sb, name, len);
	return strbuf_detach(&sb, NULL);
}

/* The same for what the analysis of `set` reads before its cache entry. */
static int root_check_paths(struct root_check *rc, const struct pkgset *set)
{
	static const char *const files[] = { "go.mod", "go.sum", "go.work" };
	char **paths;
	size_t i, j, n = 0, max = 1, whole = 0;

	if (!rc || !rc->pending)
		return rc && rc->dirty;
	if (rc->clean == set)
		return 0;
	for (i = 0; i < set->nr; i++)
		max += ARRAY_SIZE(files) + set->mods[i].pkgs_nr;
	paths = xcalloc(max, sizeof(*paths));
	paths[n++] = xstrdup("go.work");
	for (i = 0; i < set->nr; i++) {
		for (j = 0; j < ARRAY_SIZE(files); j++)
			paths[n++] = repo_path(set->mods[i].dir, files[j]);
		for (j = 0; j < set->mods[i].pkgs_nr; j++) {
			paths[n] = repo_path(set->mods[i].dir, set->mods[i].pkgs[j]);
			whole |= !*paths[n++]; /* the root package: every file */
		}
	}
	if (!repo_worktree_paths_are(rc->repo, &rc->head, (const char **)paths, whole ? 0 : n))
		root_check_dirty(rc);
	else
		rc->clean = set;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc->dirty;
}

/*
 * Where to build the head revision: the work tree when it is head, else a
 * checkout.  With `rc` (a committed head that may be read from the cache)
 * the work tree's untracked files are looked for only later, if at all.
 */
static int head_root(struct strbuf *out, git_repository *repo, const struct change *c,
		     struct root_check *rc)
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
	if (wd && rc && !rc->dirty && repo_head_is(repo, &head)) {
		rc->repo = repo;
		git_oid_cpy(&rc->head, &head);
		rc->pending = 1;
		rc->clean = NULL;
	}
	if (wd && (rc ? rc->pending : repo_worktree_is(repo, &head))) {
		strbuf_addstr(out, wd);
		trim_slashes(out);
		return 0;
	}
	dir = repo_git_path(repo, "escape-review/head");
	ret = tree_checkout(repo, &c->head_tree, dir);
	if (!ret)
		strbuf_addstr(out, dir);
	free(dir);
	return ret;
}

/* 1 when `rel` is a regular file under `root`, else 2; cached in `checked`. */
static uintptr_t file_state(struct strmap *checked, const char *root, const char *rel)
{
	uintptr_t state = (uintptr_t)strmap_get(checked, rel, strlen(rel));

	if (!state) {
		char *p = path_join(root, rel);
		struct stat st;

		state = !stat(p, &st) && S_ISREG(st.st_mode) ? 1 : 2;
		free(p);
		strmap_put(checked, rel, strlen(rel), (void *)state);
	}
	return state;
}

/*
 * The directory of the package `importpath` ("example.com/m/p", a test
 * package's "[... .test]" and "_test" left out) by its module's path in
 * `set`'s go.mod files, the longest that holds it; malloc'd, or NULL.
 */
static char *package_dir(const struct pkgset *set, const char *root, const char *importpath)
{
	size_t len = strcspn(importpath, " "), i, best = 0;
	char *dir = NULL;

	if (len > 5 && !memcmp(importpath + len - 5, "_test", 5))
		len -= 5;
	for (i = 0; set && i < set->nr; i++) {
		struct strbuf path = STRBUF_INIT, modpath = STRBUF_INIT;
		const char *d = set->mods[i].dir;

		if (!packages_module_path(&modpath, root, d) && modpath.len > best &&
		    modpath.len <= len && !memcmp(importpath, modpath.buf, modpath.len) &&
		    (len == modpath.len || importpath[modpath.len] == '/')) {
			best = modpath.len;
			strbuf_addstr(&path, d);
			if (len > modpath.len)
				strbuf_addf(&path, "%s%.*s", *d ? "/" : "", (int)(len - modpath.len - 1),
					    importpath + modpath.len + 1);
			free(dir);
			dir = strbuf_detach(&path, NULL);
		}
		strbuf_release(&path);
		strbuf_release(&modpath);
	}
	return dir;
}

/*
 * A //line directive names the file the code came from as written
 * ("gram.y" in goyacc's output), and the compiler prints that name: when
 * it is relative and a file of that name is in the directory of the
 * package's other findings, the finding and its steps are put there.
 * `dirs`: import path -> directory of a finding in a file that exists,
 * else as its module's go.mod says (package_dir).
 */
static int place_in_package(struct finding *f, struct strmap *checked, struct strmap *dirs,
			    const char *root, const struct pkgset *set)
{
	const char *dir;
	char *old, *cand;
	size_t j;

	if (!f->package || f->file[0] == '/' || starts_with(f->file, "../"))
		return 0;
	dir = strmap_get(dirs, f->package, strlen(f->package));
	if (!dir) {
		char *found = package_dir(set, root, f->package);

		dir = found ? found : xstrdup("\n"); /* "\n": none */
		strmap_put(dirs, f->package, strlen(f->package), (void *)dir);
	}
	if (!strcmp(dir, "\n"))
		return 0;
	cand = *dir ? path_join(dir, f->file) : xstrdup(f->file);
	if (file_state(checked, root, cand) != 1) {
		free(cand);
		return 0;
	}
	old = f->file;
	for (j = 0; j < f->flow_nr; j++)
		if (!strcmp(f->flow[j].file, old))
			finding_step_set_file(f, &f->flow[j], cand);
	f->file = cand;
	free(old);
	return 1;
}

/*
 * Drop findings whose file is not in the checkout: the compiler prints
 * file names raw, so a name with a newline in it comes out as two lines and
 * cannot be matched; a //line directive's name is put in its package's
 * directory when it is there (place_in_package).  Says so once per file
 * when `warn`.
 */
static void drop_missing(struct finding_list *l, const char *root, const struct pkgset *set,
			 int warn)
{
	struct strmap checked = STRMAP_INIT, dirs = STRMAP_INIT, warned = STRMAP_INIT;
	const struct strmap_entry *e;
	size_t i, k = 0, it = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		const char *slash = strrchr(f->file, '/');

		if (file_state(&checked, root, f->file) == 1 && f->package && slash &&
		    !strmap_get(&dirs, f->package, strlen(f->package)))
			strmap_put(&dirs, f->package, strlen(f->package),
				   xstrndup(f->file, (size_t)(slash - f->file)));
	}
	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (file_state(&checked, root, f->file) == 2 &&
		    !place_in_package(f, &checked, &dirs, root, set)) {
			if (warn && !strmap_get(&warned, f->file, strlen(f->file))) {
				strmap_put(&warned, f->file, strlen(f->file), (void *)1);
				fprintf(stderr, "escape-review: warning: the compiler reported %s, which is not a file of the revision (a //line directive's name, or a file name with a newline in it?); its findings are left out\n",
					f->file);
			}
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
	while (strmap_next(&dirs, &it, &e))
		free(e->value);
	strmap_release(&dirs);
	strmap_release(&checked);
	strmap_release(&warned);
}

/*
 * The files a work-tree review in added, context or file mode can show
 * findings in: the change's.  The early head's parser asks for each file
 * it reads findings of (change_filter_keep); the diff still runs when the
 * build starts, so the first question waits until stage_change() tells
 * the change (change_filter_publish, NULL: every file).  A review in new
 * mode reads every file: a change makes findings in files it leaves alone.
 */
struct change_filter {
	pthread_mutex_t lock;
	pthread_cond_t told;
	int published;
	const struct change *change;
	enum review_mode mode;
	/* new mode (skip_keep): the base's file digests once its cache entry
	 * was looked up (NULL: none, every file is read) */
	int digests_published;
	const struct parse_digest_list *base_digests;
};

static void change_filter_init(struct change_filter *cf, enum review_mode mode)
{
	cf->mode = mode;
	pthread_mutex_init(&cf->lock, NULL);
	pthread_cond_init(&cf->told, NULL);
	cf->published = 0;
	cf->change = NULL;
	cf->digests_published = 0;
	cf->base_digests = NULL;
}

static void change_filter_publish(struct change_filter *cf, const struct change *c)
{
	pthread_mutex_lock(&cf->lock);
	if (!cf->published) {
		cf->change = c;
		cf->published = 1;
		pthread_cond_broadcast(&cf->told);
	}
	pthread_mutex_unlock(&cf->lock);
}

/* The base's digests for skip_keep() (NULL: none); the first told is kept. */
static void change_filter_publish_digests(struct change_filter *cf, const struct parse_digest_list *d)
{
	pthread_mutex_lock(&cf->lock);
	if (!cf->digests_published) {
		cf->base_digests = d;
		cf->digests_published = 1;
		pthread_cond_broadcast(&cf->told);
	}
	pthread_mutex_unlock(&cf->lock);
}

static const struct parse_digest_list *change_filter_wait_digests(struct change_filter *cf)
{
	const struct parse_digest_list *d;

	pthread_mutex_lock(&cf->lock);
	while (!cf->digests_published)
		pthread_cond_wait(&cf->told, &cf->lock);
	d = cf->base_digests;
	pthread_mutex_unlock(&cf->lock);
	return d;
}

/* The change, once told (NULL: every file). */
static const struct change *change_filter_wait(struct change_filter *cf)
{
	const struct change *c;

	pthread_mutex_lock(&cf->lock);
	while (!cf->published)
		pthread_cond_wait(&cf->told, &cf->lock);
	c = cf->change;
	pthread_mutex_unlock(&cf->lock);
	return c;
}

static int change_filter_keep(void *data, const char *path)
{
	const struct change *c = change_filter_wait(data);

	return !c || change_file(c, path) != NULL;
}

/*
 * New mode's head in the work tree (analysis.skip_equal): a file the change
 * left alone, whose lines the base's build printed too, is not parsed; its
 * lines' digest is compared with the base's after the build (skip_settle).
 */
static int skip_keep(void *data, const char *path)
{
	struct change_filter *cf = data;
	const struct change *c = change_filter_wait(cf);
	const struct parse_digest_list *d;

	if (!c || change_file(c, path))
		return 1;
	d = change_filter_wait_digests(cf);
	return !d || !parse_digest_list_find(d, path);
}

/* Whether the mode shows `f` (as filter_mode() will decide): the locate
 * checks a type's size for those only. */
static int change_filter_shows(void *data, const struct finding *f)
{
	struct change_filter *cf = data;
	const struct change *c = change_filter_wait(cf);
	const struct changed_file *file = c ? change_file(c, f->file) : NULL;

	if (!file || cf->mode == MODE_FILE)
		return 1;
	return cf->mode == MODE_ADDED ? changed_file_added(file, f->line)
				      : changed_file_in_hunk(file, f->line);
}

static void change_filter_release(struct change_filter *cf)
{
	pthread_mutex_destroy(&cf->lock);
	pthread_cond_destroy(&cf->told);
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
	char *msg;         /* the error's message when ret */
	int notes;         /* keep the inlining notes (contracts.notes) for the summaries */
	struct contract_run contracts;
	/* whether the sources of `set` at `root` hold contracts (has_contracts):
	 * -1 until scanned */
	int contracts_found;
	int cacheable;     /* its key is set in `cache`: read, else written after */
	int cached;        /* the findings came from the cache */
	struct base_cache *cache;
	struct root_check *check; /* a head in the work tree: settled before it is built */
	const char *what;  /* "the head revision", for -v */
	int verbose;
	int defer_said;    /* the caller prints `said` (the head's is read in a thread) */
	struct strbuf said; /* what a lookup has to say, printed by the main thread */
	struct go_build *build_started; /* by analysis_spawn(), read by analyse() */
	/* only the change's files are read (change_filter), unless the
	 * sources hold contracts or the notes are kept: both need every file */
	struct change_filter *filter;
	/* not classified here: new mode classifies only what the base does
	 * not have (head_classify_later) */
	int classify_later;
	/* with classify_later and no contract (which reads it for every
	 * finding): the zero-size check is left for the findings classified,
	 * with the sources read ahead (zero_size_left) */
	int zero_later;
	struct gosrc_preload *pre;
	/* a new-mode review's head (head_analysis_init, with the notes) and
	 * no contract: the summary of the findings located while the build
	 * was awaited (locate_early), and those it does not have yet (not
	 * owned), for dep_changes_start(); the base's and the dependents'
	 * analyses, whose summaries are made from their findings, make none */
	int sum_early, summing;
	struct summary early_sum;
	struct finding_list late;
	const char *scopes;  /* the work tree's scope cache (gosrc.h), or NULL */
	/* with classify_later and no contract: the explanations are parsed
	 * for the findings classified only (give_chains), from the build's
	 * parsers kept here (packages.h: build_opts.chains) */
	struct parser_chains chains;
	/* new mode's head in the work tree, no contract: the files whose
	 * output is the base's are not parsed (skip_keep, skip_settle) */
	int skip_equal;
	/* the build's file digests (build_opts.digests), or its cache
	 * entry's; kept with the entry when want_digests */
	int want_digests;
	struct parse_digest_list digests;
};

/*
 * Classify what an analysis found (not its contract findings, whose rule
 * is their own), in its thread: the classification is the finding's alone
 * and its cache entry keeps it; classify_all() applies the policy.  After
 * the contracts are checked: they describe the findings as the compiler
 * printed them.
 */
static void classify_found(struct finding_list *l, int go_minor)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!l->items[i]->contract)
			checklist_classify_finding(l->items[i], l->items[i]->source, go_minor);
}

/*
 * A build's threads all allocate from the main heap (compat_heap_one_arena),
 * once per process, before the build's threads start: what one thread
 * frees, another takes (measured the same as an arena per thread: 62.1
 * against 61.6 ms, go/ssa's new mode, 300 rounds in turn).  The heap is
 * not put on huge pages (compat_heap_hugepages, which --input keeps for a
 * log's 58 MB): a review of one package fills about 10 MB, and on the
 * 2-vCPU guest of docs/benchmarks.md (twenty-third pass) zeroing its five
 * huge pages cost more than the 1,700 small page faults they saved (the
 * review's CPU 18.3 against 15.5 ms; new mode's mean 1.2 to 1.9 ms longer,
 * its slowest quarter 2.4 to 2.7 ms).
 */
static void heap_setup(void)
{
	compat_heap_one_arena();
}

static void heap_for_builds(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, heap_setup);
}

/* Below this many package directories the sources are read ahead (a
 * pattern with "..." names an unknown number: not read ahead). */
#define PRELOAD_MAX_DIRS 64

/* Read the packages' sources for the locate while the compiler runs. */
static struct gosrc_preload *preload_sources(const struct analysis *a)
{
	struct gosrc_preload *pre = NULL;
	char **dirs;
	size_t i, j, n = 0;

	for (i = 0; i < a->set->nr; i++)
		for (j = 0; j < a->set->mods[i].pkgs_nr; j++)
			if (strstr(a->set->mods[i].pkgs[j], "...") || ++n > PRELOAD_MAX_DIRS)
				return NULL;
	dirs = xcalloc(n + 1, sizeof(*dirs));
	n = 0;
	for (i = 0; i < a->set->nr; i++)
		for (j = 0; j < a->set->mods[i].pkgs_nr; j++)
			dirs[n++] = repo_path(a->set->mods[i].dir, a->set->mods[i].pkgs[j]);
	if (n)
		pre = gosrc_preload_start(a->root, (const char *const *)dirs, n, a->build.tests,
					  a->scopes);
	while (n)
		free(dirs[--n]);
	free(dirs);
	return pre;
}

/*
 * Start the compiler for `a` (its contracts read first: they choose its
 * flags), so that a thread then made to read it (analyse()) starts
 * nothing itself: a thread just made may wait for this one's CPU.
 */
static void analysis_spawn(struct analysis *a)
{
	if (a->ret || a->build_started)
		return; /* refused before it started (cache_lookup), or started */
	heap_for_builds(); /* before the thread that reads the build starts */
	contract_run_prepare(&a->contracts, &a->build, a->root, a->set, a->build.tests);
	if (a->notes)
		a->build.notes = &a->contracts.notes;
	/* notes for the summaries alone: only the inlining ones */
	a->build.notes_inline_only = a->notes && !a->contracts.list.nr;
	if (a->filter && a->skip_equal && !a->contracts.list.nr) {
		a->build.keep_file = skip_keep;
		a->build.keep_data = a->filter;
	} else if (a->filter && !a->contracts.list.nr && !a->build.notes) {
		a->build.keep_file = change_filter_keep;
		a->build.keep_data = a->filter;
	}
	a->skip_equal = a->build.keep_file == skip_keep;
	if (a->want_digests || a->skip_equal)
		a->build.digests = &a->digests;
	/* the chains of the findings not shown are not parsed (a contract
	 * reads every finding's) */
	if (a->classify_later && !a->contracts.list.nr)
		a->build.chains = &a->chains;
	a->build_started = packages_build_start(a->root, a->set, &a->build);
}

/* The zero-size check for none (zero_later). */
static int shows_none(void *data, const struct finding *f)
{
	(void)data;
	(void)f;
	return 0;
}

/* The locate of `l`'s findings, as the analysis wants it. */
static void locate_some(struct analysis *a, struct finding_list *l)
{
	if (a->skip_equal)
		gosrc_locate_shown(l, a->root, a->pre, shows_none, NULL);
	else if (a->build.keep_file)
		gosrc_locate_shown(l, a->root, NULL, change_filter_shows, a->filter);
	else if (a->zero_later)
		gosrc_locate_shown(l, a->root, a->pre, shows_none, NULL);
	else
		gosrc_locate_preloaded(l, a->root, a->pre);
}

/* build_opts.idle: the findings read so far located, and their
 * fingerprints' keys hashed, while go's output is awaited (go takes a
 * millisecond or more to exit after its last byte). */
static void locate_early(void *data, struct finding_list *l, size_t from)
{
	struct analysis *a = data;
	struct finding_list part = { l->items + from, l->nr - from, 0 }, done = FINDING_LIST_INIT;
	size_t i;

	locate_some(a, &part);
	for (i = 0; i < part.nr; i++) /* a file it could not read: later */
		if (part.items[i]->located)
			finding_list_add(&done, part.items[i]);
	/* the locate named their functions: nothing changes the key after */
	compare_prehash(&done);
	if (a->summing)
		summary_add_findings(&a->early_sum, &done);
	done.nr = 0;
	finding_list_release(&done);
}

static void *analyse(void *data)
{
	struct analysis *a = data;
	struct finding_list rest = FINDING_LIST_INIT;
	size_t i;

	analysis_spawn(a);
	if (a->ret)
		return NULL;
	a->zero_later = a->classify_later && !a->contracts.list.nr;
	a->summing = a->sum_early && !a->contracts.list.nr;
	/* a review of the change's files only locates few: read when needed */
	a->pre = a->build.keep_file ? NULL : preload_sources(a);
	a->build.idle = locate_early;
	a->build.idle_data = a;
	a->ret = packages_build_finish(&a->findings, &a->errors, a->build_started);
	a->build_started = NULL;
	a->build.idle = NULL;
	if (a->ret) {
		a->msg = xstrdup(error_last());
		error_clear(); /* this thread's own message: freed before it ends */
	} else {
		drop_missing(&a->findings, a->root, a->set, a->warn);
		for (i = 0; i < a->findings.nr; i++) /* those the idle time left */
			if (!a->findings.items[i]->located)
				finding_list_add(&rest, a->findings.items[i]);
		locate_some(a, &rest);
		if (a->summing)
			finding_list_move(&a->late, &rest);
		rest.nr = 0;
		finding_list_release(&rest);
		contract_run_check(&a->contracts, &a->findings, a->root);
		if (!a->classify_later)
			classify_found(&a->findings, 0); /* the compiler: classify_all() */
	}
	if (!a->zero_later) { /* else kept for zero_size_left() */
		gosrc_preload_free(a->pre);
		a->pre = NULL;
	}
	return NULL;
}

/* Whether classify_new() classifies `f`: new, not a contract's (whose rule
 * is its own), not classified yet. */
static int classified_when_new(const struct finding *f)
{
	return f->status == STATUS_NEW && !f->contract && !f->rule;
}

/*
 * The zero-size check analyse() left (zero_later): for the findings of `l`
 * classify_new() is about to classify, or for all of them when `all`.
 * Located again from the sources read ahead for the first locate (the
 * bytes the compiler read), or read again when there were none.
 */
static void zero_size_left(struct analysis *a, struct finding_list *l, int all)
{
	struct finding_list some = FINDING_LIST_INIT;
	size_t i;

	if (!a->zero_later)
		return;
	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (all || classified_when_new(f))
			finding_list_add(&some, f);
	}
	gosrc_locate_shown(&some, a->root, a->pre, NULL, NULL);
	free(some.items); /* the findings stay in `l` */
	a->zero_later = 0;
}

/* The chains the build left unparsed (analysis.chains): for the findings
 * of `l` classify_new() is about to classify, or for all when `all`. */
static void give_chains(struct analysis *a, struct finding_list *l, int all)
{
	size_t i;

	for (i = 0; a->chains.nr && i < l->nr; i++)
		if (all || classified_when_new(l->items[i]))
			parser_chains_give(&a->chains, l->items[i]);
}

/* An analysis built with the review's build options and --tests. */
static void analysis_init(struct analysis *a, const struct review_opts *opts)
{
	memset(a, 0, sizeof(*a));
	a->contracts_found = -1;
	a->build = opts->build;
	a->build.tests = opts->tests;
	strbuf_init(&a->errors, 0);
	strbuf_init(&a->said, 0);
	strbuf_init(&a->early_sum.key, 0);
}

static void analysis_release(struct analysis *a)
{
	if (a->build_started) /* started, never read: waited for */
		packages_build_finish(&a->findings, &a->errors, a->build_started);
	a->build_started = NULL;
	strbuf_release(&a->said);
	free(a->msg);
	finding_list_release(&a->findings);
	strbuf_release(&a->errors);
	contract_run_release(&a->contracts);
	gosrc_preload_free(a->pre);
	a->pre = NULL;
	parser_chains_release(&a->chains);
	summary_release(&a->early_sum);
	strbuf_init(&a->early_sum.key, 0);
	a->late.nr = 0; /* not owned */
	finding_list_release(&a->late);
	parse_digest_list_release(&a->digests);
}

/* The head's analysis of `set` at `root`, as `mode` builds it. */
static void head_analysis_init(struct analysis *a, const struct review_opts *opts,
			       enum review_mode mode, const char *root, const struct pkgset *set,
			       struct root_check *rc)
{
	analysis_init(a, opts);
	a->root = root;
	a->set = set;
	a->warn = 1;
	a->check = rc;
	/* the inlining notes, for the summaries the dependents' rounds compare */
	a->notes = mode == MODE_NEW && opts->scope == SCOPE_DEPENDENTS && !opts->all_packages;
	a->sum_early = a->notes;
	/* a committed head's entry keeps them for when it is a base */
	a->want_digests = mode == MODE_NEW;
}

/*
 * Whether new mode classifies the work tree's findings only after matching
 * them with the base's, and only the new ones: the existing ones are not
 * shown, no cache entry keeps the work tree's, and a policy that turns no
 * rule off drops none (so the fingerprints, counted over every finding,
 * are the same).  The classification was two thirds of what the head's
 * thread did after the compiler's last byte.
 */
static int head_classify_later(const struct review_opts *opts)
{
	return !opts->keep_existing && !checklist_policy_drops(policy_of(opts));
}

/* The new findings of a head classified later (head_classify_later), as
 * classify_found() and classify_all() would have. */
static void classify_new(struct finding_list *l, const struct review_opts *opts, int go_minor)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (!classified_when_new(f))
			continue;
		checklist_classify_finding(f, f->source, go_minor);
		(void)checklist_apply_policy(f, policy_of(opts)); /* turns nothing off */
		finding_cut_flow(f, opts->build.max_flow);
	}
}

/* The cache keeps the compiler's findings only: contract findings are
 * checked again from the source and the notes, and a package set with
 * contracts is analysed rather than read from the cache (cache_lookup). */
static int cache_write_escapes(const struct base_cache *bc, const struct finding_list *l)
{
	struct finding_list only = FINDING_LIST_INIT;
	size_t i;
	int ret;

	only.items = xcalloc(l->nr + 1, sizeof(*only.items));
	for (i = 0; i < l->nr; i++)
		if (!l->items[i]->contract)
			only.items[only.nr++] = l->items[i];
	ret = base_cache_write(bc, &only);
	free(only.items);
	return ret;
}

/*
 * A cached analysis has no notes: the inlining notes the summaries need are
 * saved next to the entry CACHEDIR/DIGEST.findings, as CACHEDIR/.DIGEST.inline
 * (hidden: the directory lists the entries), with the entry's key.  A
 * cache hit without them is a miss: the findings read are dropped and the
 * packages are analysed (and both written again).
 */
static void notes_path(struct strbuf *path, const struct base_cache *bc)
{
	base_cache_side_path(path, bc, "inline");
}

/* Read the notes of a cache hit; 0, or 1 (findings dropped) when they are missing. */
static int cache_read_notes(const struct base_cache *bc, struct analysis *a)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	notes_path(&path, bc);
	ret = summary_notes_read(&a->contracts.notes, path.buf, bc->key.buf);
	if (ret < 0)
		strbuf_addf(&a->said, "escape-review: warning: %s\n", error_last());
	if (ret)
		finding_list_release(&a->findings);
	strbuf_release(&path);
	return ret ? 1 : 0;
}

static void cache_write_notes(const struct base_cache *bc, const struct analysis *a)
{
	struct strbuf path = STRBUF_INIT;

	notes_path(&path, bc);
	if (summary_notes_write(path.buf, bc->key.buf, &a->contracts.notes))
		fprintf(stderr, "escape-review: warning: %s\n", error_last());
	strbuf_release(&path);
}

/* Whether the analysis's sources hold performance contracts (a set with
 * them is checked from the source, never cached): scanned once, so that a
 * re-review can scan while go env runs (compare_with_base). */
static int has_contracts(struct analysis *a)
{
	if (a->contracts_found < 0)
		a->contracts_found = contract_any(a->root, a->set, a->build.tests);
	return a->contracts_found;
}

/* What the key of one revision's analysis needs beside the packages. */
struct cache_env {
	const char *go_version;
	const char *go_env;        /* go_env_key()'s lines */
	const struct review_opts *opts;
};

/*
 * Whether the analysis `a` of the revision whose tree is `tree` (NULL: the
 * work tree, not committed) may be cached: then its key is set in `bc` and
 * 1 returned.  What the key cannot see is never cached, and -v says why.
 * `what` names the revision.
 */
static int cache_key(struct analysis *a, struct base_cache *bc, const git_oid *tree,
		     const struct cache_env *e, const char *what)
{
	struct strbuf why = STRBUF_INIT;

	a->cacheable = a->cached = 0;
	a->cache = bc;
	if (e->opts->no_cache || !a->set->nr)
		return 0;
	if (!tree)
		strbuf_addstr(&why, "the work tree is under review, and it is not a commit");
	else if (has_contracts(a))
		strbuf_addstr(&why, "it has performance contracts, which are checked from the source");
	else
		pkgset_outside_root(&why, a->root, a->set);
	if (why.len) {
		if (e->opts->verbose)
			strbuf_addf(&a->said, "escape-review: not caching the analysis of %s: %s\n", what,
				    why.buf);
		strbuf_release(&why);
		return 0;
	}
	strbuf_release(&why);
	a->cacheable = 1;
	base_cache_set_key(bc, tree, e->go_version, e->go_env, &a->build, a->set);
	return 1;
}

/*
 * Read the entry of a cacheable analysis into a->findings when it is there
 * and trusted (a corrupt or foreign one is ignored with a warning); what
 * is to be said goes to a->said (no libgit2, no printing: a thread may
 * read one entry while the other is looked up).
 */
static void cache_read(struct analysis *a)
{
	int ret = base_cache_read(&a->findings, a->cache);

	if (ret < 0)
		strbuf_addf(&a->said, "escape-review: warning: %s\n", error_last());
	a->cached = !ret && !(a->notes && cache_read_notes(a->cache, a));
	if (a->cached && a->want_digests && base_cache_read_digests(&a->digests, a->cache) < 0) {
		strbuf_addf(&a->said, "escape-review: warning: %s\n", error_last());
		error_clear(); /* the entry's findings stay good: every file is read */
	}
	if (a->cached && a->verbose)
		strbuf_addf(&a->said, "escape-review: the analysis of %s is read from the cache: %s\n",
			    a->what, a->cache->path.buf);
}

static void *cache_read_thread(void *data)
{
	cache_read(data);
	error_clear(); /* this thread's own message: freed before it ends */
	return NULL;
}

/* Print what the lookup had to say. */
static void cache_said(struct analysis *a)
{
	fputs(a->said.buf, stderr);
	strbuf_reset(&a->said);
}

/* cache_key() and cache_read(), saying what they found. */
static void cache_find(struct analysis *a, struct base_cache *bc, const git_oid *tree,
		       const struct cache_env *e, const char *what)
{
	a->what = what;
	a->verbose = e->opts->verbose;
	if (cache_key(a, bc, tree, e, what))
		cache_read(a);
	if (!a->defer_said)
		cache_said(a);
}

/* An analysis that is to be built in a work tree taken for the head is
 * refused (a->ret) when that turns out not to be so. */
static void cache_settle(struct analysis *a)
{
	if (!a->cached && root_check_settle(a->check)) {
		a->ret = error_set(ER_EREPO, "the work tree is not the head revision");
		a->msg = xstrdup(error_last());
	}
}

/* cache_find(), then cache_settle(). */
static void cache_lookup(struct analysis *a, struct base_cache *bc, const git_oid *tree,
			 const struct cache_env *e, const char *what)
{
	if (!root_check_paths(a->check, a->set))
		cache_find(a, bc, tree, e, what);
	cache_settle(a);
}

/* Write the analysis `a` to its cache entry when it may be cached and was analysed. */
static void cache_store(const struct analysis *a)
{
	if (!a->cacheable || a->cached || a->ret)
		return;
	if (cache_write_escapes(a->cache, &a->findings))
		fprintf(stderr, "escape-review: warning: %s (it will be analysed again next time)\n",
			error_last());
	else if (a->notes)
		cache_write_notes(a->cache, a);
	if (!a->ret && a->want_digests && a->build.digests &&
	    base_cache_write_digests(a->cache, &a->digests))
		fprintf(stderr, "escape-review: warning: %s\n", error_last());
}

/* Analyse `a` in a thread (`th`) unless its findings came from the cache; 1 when a thread runs. */
static int analyse_start(pthread_t *th, struct analysis *a)
{
	if (a->cached)
		return 0;
	analysis_spawn(a);
	if (!pthread_create(th, NULL, analyse, a))
		return 1;
	analyse(a);
	return 0;
}

/*
 * The work tree's head build, started on a guess at its packages
 * (change_guess_worktree) while the diff runs (early_head_start): the
 * review takes it when the diff's packages are the guess's, else builds
 * what the diff found and leaves this one to finish, dropped.
 */
struct early_head {
	struct analysis a;
	struct pkgset set;
	struct strbuf root;
	struct base_cache hc;  /* for -v's why it is not cached */
	struct strbuf said;    /* what its lookup said, printed when it is taken */
	pthread_t th;
	int started;           /* `a` was started (and `hc` set up) */
	int joinable;          /* `th` runs analyse(&a), not joined yet */
	int taken;
	int filtering;         /* `filter` is set up: the change is told to it */
	struct change_filter filter;
	struct change_guess guess; /* handed to change_compute(), then released */
	int guessed;
	/* this thread runs as a batch job while the build runs beside it
	 * (compat_thread_batch): the diff, the base's cache entry, its keys
	 * and summaries give go the processor when go wants it */
	int batch;
};

/* This thread as it was, before it waits for the build: what follows is
 * the review's own path to its end. */
static void early_head_unbatch(struct early_head *eh)
{
	if (eh && eh->batch) {
		compat_thread_batch(0);
		eh->batch = 0;
	}
}

/* A taken early head's thread, handed to the caller to join (1), after
 * what its lookup said is printed. */
static int early_head_join_later(struct early_head *eh, pthread_t *th)
{
	int running = eh->joinable;

	fputs(eh->said.buf, stderr);
	strbuf_reset(&eh->said);
	*th = eh->th;
	eh->joinable = 0;
	return running;
}

/*
 * The committed head's lookup, started.  When its entry is there, it is
 * read in a thread `th` while this one checks that what the analysis reads
 * of the work tree is the head's (root_check_paths), then checks out and
 * looks up the base (returns 2; head_read_finish() after the join); what
 * was read is dropped when the work tree is not the head.  Else as
 * cache_lookup(), the build started in `th` when needed (returns 1), or
 * nothing runs (0).
 */
static int head_start(pthread_t *th, struct analysis *a, struct base_cache *bc,
		      const git_oid *tree, const struct cache_env *e)
{
	const char *what = "the head revision";
	int reading = 0, dirty;

	a->what = what;
	a->verbose = e->opts->verbose;
	if (cache_key(a, bc, tree, e, what) && !access(bc->path.buf, F_OK))
		reading = !pthread_create(th, NULL, cache_read_thread, a);
	dirty = root_check_paths(a->check, a->set);
	if (reading && !dirty)
		return 2;
	if (reading) {
		/* not the head's work tree: nothing of it is said or kept */
		pthread_join(*th, NULL);
		finding_list_release(&a->findings);
		a->cached = 0;
	} else if (!dirty && a->cacheable) {
		cache_read(a);
	}
	if (dirty)
		strbuf_reset(&a->said);
	cache_said(a);
	cache_settle(a);
	return !a->ret && analyse_start(th, a);
}

/* After the thread of head_start() returning 2: say what it found, and
 * when the entry could not be used, settle and build the head here
 * (unless `build` is 0: the review failed meanwhile). */
static void head_read_finish(struct analysis *a, int build)
{
	cache_said(a);
	if (!build)
		return;
	cache_settle(a);
	if (!a->cached && !a->ret)
		analyse(a);
}

/* Classify and fingerprint one side (base paths through the change's renames). */
struct classify_side {
	struct finding_list *l;
	const struct change *renames;
	const struct review_opts *opts;
	int go_minor;
};

static void *classify_side(void *data)
{
	struct classify_side *cs = data;

	classify_all(cs->l, policy_of(cs->opts), cs->opts->build.max_flow, cs->go_minor);
	compare_fingerprint(cs->l, cs->renames);
	return NULL;
}

/* classify_side() of `l` in this thread; 1. */
static int classify_one(struct finding_list *l, const struct change *renames,
			const struct review_opts *opts, int go_minor)
{
	struct classify_side s = { l, renames, opts, go_minor };

	classify_side(&s);
	return 1;
}

/* Classify and fingerprint head and base (NULL: none), the head in a thread of its own. */
static void classify_both(struct finding_list *head, struct finding_list *base,
			  const struct change *c, const struct review_opts *opts, int go_minor)
{
	struct classify_side h = { head, NULL, opts, go_minor }, b = { base, c, opts, go_minor };
	pthread_t th;
	int threaded = base && !compat_thread_beside(&th, classify_side, &h);

	if (!threaded)
		classify_side(&h);
	if (base)
		classify_side(&b);
	if (threaded)
		pthread_join(th, NULL);
}

/*
 * Classify, fingerprint and match the head's findings and the base's
 * (`fell_back`: none to match).  The head's end in out->findings with
 * their status, the base's without partner in out->fixed.  Returns 1 when
 * the head's new ones are still to be classified (head_classify_later):
 * classify_left() does it.
 */
static int classify_and_match(struct review *out, struct analysis *h, struct finding_list *base,
			      int base_classified, int fell_back, const struct change *c,
			      const struct review_opts *opts)
{
	int later = h->classify_later && !fell_back, go_minor = go_version_minor(out->go_version);
	size_t i;

	if (h->classify_later && fell_back) {
		give_chains(h, &h->findings, 1);
		zero_size_left(h, &h->findings, 1);
		/* its added lines are shown, compared with nothing */
		classify_found(&h->findings, go_minor);
	}
	if (later) {
		compare_fingerprint(&h->findings, NULL);
		if (!base_classified)
			classify_one(base, c, opts, go_minor);
	} else {
		classify_both(&h->findings, fell_back || base_classified ? NULL : base, c, opts,
			      go_minor);
	}
	for (i = 0; i < h->findings.nr; i++)
		finding_list_add(&out->findings, h->findings.items[i]);
	h->findings.nr = 0;
	if (!fell_back) /* base paths become head paths for display of what was fixed */
		compare_match(&out->findings, base, &out->fixed, &out->dropped, c);
	return later;
}

/* The head's new findings classified after the match (classify_and_match()). */
static void classify_left(struct review *out, struct analysis *h, const struct review_opts *opts)
{
	give_chains(h, &out->findings, 0);
	zero_size_left(h, &out->findings, 0);
	classify_new(&out->findings, opts, go_version_minor(out->go_version));
}

/* Dependents: what the rounds of dependents.h need from this review. */
struct dep_ctx {
	git_repository *repo;
	const struct change *c;
	const char *head_dir, *base_dir, *go_version;
	const struct review_opts *opts;
	const char *go_env;
	struct root_check *check;
};

static void notes_move(struct parse_note_list *dst, struct parse_note_list *src)
{
	size_t i;

	for (i = 0; i < src->nr; i++) {
		ALLOC_GROW(dst->items, dst->nr + 1, dst->alloc);
		dst->items[dst->nr++] = src->items[i];
	}
	src->nr = 0;
}

/* The packages of `set` whose directory exists in the checkout at `root`. */
static void existing_packages(struct pkgset *out, const char *root, const struct pkgset *set)
{
	size_t i, j;

	for (i = 0; i < set->nr; i++)
		for (j = 0; j < set->mods[i].pkgs_nr; j++) {
			char *dir = path_join(*set->mods[i].dir ? set->mods[i].dir : ".",
					      set->mods[i].pkgs[j]);
			char *full = path_join(root, dir);
			struct stat st;

			if (!stat(full, &st) && S_ISDIR(st.st_mode))
				pkgset_add_package(out, set->mods[i].dir, set->mods[i].pkgs[j]);
			free(full);
			free(dir);
		}
}

/* Importers at head and base (each cached under its own key), concurrently. */
static int dep_analyse(void *data, struct finding_list *h, struct finding_list *b,
		       struct parse_note_list *hn, struct parse_note_list *bn,
		       const struct pkgset *set)
{
	struct dep_ctx *x = data;
	struct analysis head, base;
	struct pkgset base_set = PKGSET_INIT;
	struct base_cache hc, bc;
	struct cache_env e = { x->go_version, x->go_env, x->opts };
	pthread_t th;
	int threaded, ret = 0;

	analysis_init(&head, x->opts);
	analysis_init(&base, x->opts);
	head.root = x->head_dir;
	head.set = set;
	head.warn = 1;
	head.notes = 1;
	head.check = x->check;
	base.notes = 1;
	base_cache_init(&hc, git_repository_path(x->repo), x->opts->cache_dir);
	base_cache_init(&bc, git_repository_path(x->repo), x->opts->cache_dir);
	cache_lookup(&head, &hc, x->c->worktree ? NULL : &x->c->head_tree, &e, "the importers at head");
	threaded = analyse_start(&th, &head);
	existing_packages(&base_set, x->base_dir, set);
	base.root = x->base_dir;
	base.set = &base_set;
	cache_lookup(&base, &bc, &x->c->merge_base_tree, &e, "the importers at base");
	if (!base.cached && base_set.nr)
		analyse(&base);
	if (threaded)
		pthread_join(th, NULL);
	cache_store(&head);
	cache_store(&base);
	if (head.ret || base.ret)
		ret = error_set(head.ret ? head.ret : base.ret, "%s", head.ret ? head.msg : base.msg);
	finding_list_move(h, &head.findings);
	finding_list_move(b, &base.findings);
	notes_move(hn, &head.contracts.notes);
	notes_move(bn, &base.contracts.notes);
	analysis_release(&head);
	analysis_release(&base);
	pkgset_release(&base_set);
	base_cache_release(&hc);
	base_cache_release(&bc);
	return ret;
}

static void dep_classify(void *data, struct finding_list *l, int is_base)
{
	struct dep_ctx *x = data;

	classify_all(l, policy_of(x->opts), x->opts->build.max_flow, go_version_minor(x->go_version));
	compare_fingerprint(l, is_base ? x->c : NULL);
}

/* The change touches lines `from` to `to` of `f`: an added line, or a
 * hunk that removed lines between two of them. */
static int touches(const struct changed_file *f, int from, int to)
{
	size_t i;

	for (i = 0; i < f->added_nr; i++)
		if (f->added[i] >= from && f->added[i] <= to)
			return 1;
	for (i = 0; i < f->hunks_nr; i++) {
		const struct hunk *h = &f->hunks[i];

		if (h->old_lines > h->new_lines && h->new_start > from &&
		    h->new_start + h->new_lines <= to)
			return 1;
	}
	return 0;
}

#define MAX_GENERIC_SOURCE (16u << 20)

struct generics {
	struct dependents_generic *v;  /* its strings owned */
	size_t nr, alloc;
};

static void generics_release(struct generics *g)
{
	size_t i;

	for (i = 0; i < g->nr; i++) {
		free((char *)g->v[i].moddir);
		free((char *)g->v[i].pkg);
		free((char *)g->v[i].function);
		free((char *)g->v[i].file);
	}
	free(g->v);
}

/*
 * The generic functions (goscope.generic) of the changed packages' files
 * whose lines the change touches, read from the head checkout at `root`.
 */
static void changed_generics(struct generics *out, const struct change *c, const char *root,
			     const struct pkgset *set)
{
	size_t i, j;

	for (i = 0; i < c->files_nr; i++) {
		const struct changed_file *f = &c->files[i];
		struct strbuf pkg = STRBUF_INIT, src = STRBUF_INIT;
		struct goscopes sc = GOSCOPES_INIT;
		const struct gomodule *m = pkgset_package_of(set, f->path, &pkg);
		char *path = m ? path_join(root, f->path) : NULL;

		if (path && strbuf_read_file(&src, path, MAX_GENERIC_SOURCE) >= 0 &&
		    src.len <= MAX_GENERIC_SOURCE)
			goscopes_scan(&sc, src.buf, src.len);
		for (j = 0; j < sc.nr; j++) {
			const struct goscope *g = &sc.items[j];
			struct dependents_generic *d;

			if (g->kind != GOSCOPE_FUNC || !g->generic || g->literal ||
			    !touches(f, g->start_line, g->end_line))
				continue;
			ALLOC_GROW(out->v, out->nr + 1, out->alloc);
			d = &out->v[out->nr++];
			d->moddir = xstrdup(m->dir);
			d->pkg = xstrdup(pkg.buf);
			d->function = xstrdup(g->name);
			d->file = xstrdup(f->path);
			d->line = g->start_line;
		}
		goscopes_release(&sc);
		strbuf_release(&src);
		strbuf_release(&pkg);
		free(path);
	}
}

/*
 * Follow the changed packages' escape summaries into their importers
 * (dependents.h): induced findings (and the importers' contracts broken at
 * base already, STATUS_EXISTING) go to `found`, which joins out->findings
 * after the changed packages' own matching, and out->fixed.  A failure is
 * a warning: the changed packages' own review stands.
 */
static void follow_dependents(struct review *out, struct finding_list *found, struct dep_ctx *x,
			      const struct pkgset *changed, struct dependents_result *changes)
{
	struct dependents_result res = *changes;
	struct dependents_opts o = { 0 };
	struct generics gen = { NULL, 0, 0 };
	char tree[GIT_OID_HEXSZ + 1];

	o.head_root = x->head_dir;
	o.gitdir = git_repository_path(x->repo);
	if (!x->c->worktree)
		o.tree = git_oid_tostr(tree, sizeof(tree), &x->c->head_tree);
	o.go_version = x->go_version;
	o.go_env = x->go_env;
	o.build = &x->opts->build;
	o.max = x->opts->max_dependents ? x->opts->max_dependents : REVIEW_MAX_DEPENDENTS;
	o.verbose = x->opts->verbose;
	o.analyse = dep_analyse;
	o.classify = dep_classify;
	o.ctx = x;
	changed_generics(&gen, x->c, x->head_dir, changed);
	o.generics = gen.v;
	o.generics_nr = gen.nr;
	memset(changes, 0, sizeof(*changes)); /* res has them */
	if (dependents_follow(&res, &o, changed) &&
	    !(x->check && x->check->dirty)) /* else the review starts again */
		fprintf(stderr, "escape-review: warning: the packages importing the changed ones could not be analysed, so escapes the change causes there are not reported:\n%s\n",
			error_last());
	finding_list_move(found, &res.found);
	finding_list_move(&out->fixed, &res.fixed);
	out->dependents = (unsigned)res.analysed;
	out->not_analysed = res.skipped;
	out->not_analysed_nr = res.skipped_nr;
	res.skipped = NULL;
	res.skipped_nr = 0;
	dependents_result_release(&res);
	generics_release(&gen);
}

/*
 * The head's side of the dependents' check (dependents_changes()) in a
 * thread of its own while this one fingerprints and matches the findings:
 * after the compiler's last byte both processors are the review's.  It
 * reads a copy of the list, not the list the match empties, and only
 * fields neither the fingerprints nor the match write.
 */
struct dep_changes {
	struct dependents_result res;
	struct finding_list head; /* h->findings' items, not owned */
	struct summary *pre;      /* the head's summary begun (h->early_sum), or NULL */
	const struct parse_note_list *notes;
	struct summary *base;
	pthread_t th;
	int threaded;
};

static void *dep_changes_run(void *data)
{
	struct dep_changes *d = data;

	if (d->pre)
		dependents_changes_from(&d->res, d->pre, &d->head, d->notes, d->base);
	else
		dependents_changes(&d->res, &d->head, d->notes, d->base);
	return NULL;
}

/* In a thread when `beside` (else here, now): only when the match frees
 * none of the head's findings, which classifying them may (a policy that
 * turns a rule off drops its findings: head_classify_later). */
static void dep_changes_start(struct dep_changes *d, struct analysis *h, struct summary *base,
			      const struct finding_list *eq, int beside)
{
	/* a summary begun while the build was awaited needs the rest only;
	 * the base's findings of the files skip_settle() found equal are the
	 * head's too (read here, never matched) */
	const struct finding_list *from = h->summing ? &h->late : &h->findings;
	size_t n = from->nr;

	d->pre = h->summing ? &h->early_sum : NULL;
	d->head.items = xmalloc((n + eq->nr ? n + eq->nr : 1) * sizeof(*d->head.items));
	if (n)
		memcpy(d->head.items, from->items, n * sizeof(*d->head.items));
	if (eq->nr)
		memcpy(d->head.items + n, eq->items, eq->nr * sizeof(*d->head.items));
	n += eq->nr;
	d->head.nr = d->head.alloc = n;
	d->notes = &h->contracts.notes;
	d->base = base;
	d->threaded = beside && !compat_thread_beside(&d->th, dep_changes_run, d);
	if (!d->threaded)
		dep_changes_run(d);
}

/* Before anything writes what dep_changes_run() reads (classify_left()). */
static void dep_changes_wait(struct dep_changes *d)
{
	if (d->threaded)
		pthread_join(d->th, NULL);
	d->threaded = 0;
	free(d->head.items);
	d->head.items = NULL;
	d->head.nr = d->head.alloc = 0;
}

/* A base analysed here (not read from the cache): an error when go is
 * missing, else cached, or on failure a warning and *fell_back. */
static int base_settle(struct analysis *base, const struct change *c, int *fell_back)
{
	if (base->ret == ER_ENOGO)
		return error_set(base->ret, "%s", base->msg);
	if (base->ret) {
		fprintf(stderr,
			"escape-review: warning: the base revision %.12s could not be analysed, so findings are limited to added lines instead of compared with it:\n%s\n",
			c->merge_base_hex, base->msg);
		*fell_back = 1;
	}
	cache_store(base);
	return 0;
}

/* The base-side paths of the changed files that are not excluded, in `*old`; their count. */
static size_t base_paths(const char ***old, const struct change *c, const struct review_opts *opts)
{
	size_t i, n = 0;

	*old = xcalloc(c->files_nr, sizeof(**old));
	for (i = 0; i < c->files_nr; i++) {
		const char *path = c->files[i].old_path ? c->files[i].old_path : c->files[i].path;

		if (!excluded(opts, c->files[i].path) && !excluded(opts, path))
			(*old)[n++] = path;
	}
	return n;
}

static void *preread_thread(void *data)
{
	base_cache_preread(data);
	return NULL;
}

/* The entries read ahead, each in a thread of its own (preread_start). */
struct preread {
	pthread_t th[2];
	int threaded[2];
};

/* Read `bc`'s entry in a thread (slot `k` of `pr`), or here when none starts. */
static void preread_one(struct preread *pr, int k, struct base_cache *bc)
{
	pr->threaded[k] = !pthread_create(&pr->th[k], NULL, preread_thread, bc);
	if (!pr->threaded[k])
		base_cache_preread(bc);
}

/*
 * While `go env` runs (or once a remembered answer was taken): the entries
 * the review will look up, read in threads under the keys the remembered
 * answer makes (base_cache_recall_env) until preread_finish().
 * cache_read() takes them only when the real answer makes the same keys; a
 * wrong guess costs the reading.
 */
static void preread_start(struct preread *pr, const struct analysis *head, struct base_cache *hc,
			  const git_oid *head_tree, const struct analysis *base,
			  struct base_cache *bc, const git_oid *base_tree,
			  const struct review_opts *opts)
{
	struct strbuf raw = STRBUF_INIT, gov = STRBUF_INIT, goenv = STRBUF_INIT;

	memset(pr, 0, sizeof(*pr));
	if (base_cache_recall_env(&raw, NULL, hc) || go_env_parse(&gov, &goenv, raw.buf, &opts->build)) {
		error_clear();
		goto out;
	}
	if (head->set->nr) {
		base_cache_set_key(hc, head_tree, gov.buf, goenv.buf, &head->build, head->set);
		preread_one(pr, 0, hc);
	}
	if (base->set->nr && !git_oid_is_zero(base_tree)) {
		base_cache_set_key(bc, base_tree, gov.buf, goenv.buf, &base->build, base->set);
		preread_one(pr, 1, bc);
	}
out:
	strbuf_release(&raw);
	strbuf_release(&gov);
	strbuf_release(&goenv);
}

static void preread_finish(struct preread *pr)
{
	int k;

	for (k = 0; k < 2; k++)
		if (pr->threaded[k])
			pthread_join(pr->th[k], NULL);
}

/*
 * What a cached re-review does before `go env` answers: the entries read
 * ahead (preread_start), and meanwhile whether the work tree's paths are
 * the head's, which head_start() asks again, and whether either side has
 * contracts, which their keys ask.
 */
static void before_go_env(struct analysis *head, struct base_cache *hc, const git_oid *head_tree,
			  struct analysis *base, struct base_cache *bc, const git_oid *base_tree,
			  const struct review_opts *opts)
{
	struct preread pr;

	preread_start(&pr, head, hc, head_tree, base, bc, base_tree, opts);
	if (!root_check_paths(head->check, head->set))
		has_contracts(head);
	if (base->set->nr)
		has_contracts(base);
	preread_finish(&pr);
}

/* The base's lock, checkout and packages (`old`: its changed paths): they
 * need nothing of the go environment. */
static int base_prepare(struct pkgset *base_set, struct base_cache *bc, git_repository *repo,
			const struct change *c, const char **old, size_t n,
			const struct review_opts *opts)
{
	int ret;

	if (git_oid_is_zero(&c->merge_base_tree))
		return 0;
	if ((ret = base_cache_lock(bc)) || (ret = tree_checkout(repo, &c->merge_base_tree, bc->dir.buf)))
		return ret;
	if (opts->all_packages) /* every package at both revisions */
		pkgset_add_all(base_set, bc->dir.buf);
	else
		pkgset_add_files(base_set, bc->dir.buf, old, n);
	return 0;
}

struct run;
static void prestart_end(struct run *r);
static const struct unbuilt *run_unbuilt(const struct run *r);

static int unbuilt_cb(const void *data, const char *path)
{
	return unbuilt_has_dir(data, path);
}

/* The head's build is over (`eh`'s): its prestart ends (its GOTMPDIR
 * removed, the memory of it written), while the summaries' thread runs. */
static void head_build_over(struct run *r, struct early_head *eh)
{
	eh->a.build.prestart = NULL;
	prestart_end(r);
}

/*
 * After a head's build that skipped files (skip_keep): a file it did not
 * parse whose lines have the base's digest printed what the base's build
 * printed, so its findings are the base's: they move from `base` to `eq`,
 * existing.  1 when a skipped file's lines differ from the base's (nothing
 * moved: the head is built again, every file read).
 */
static int skip_settle(struct analysis *h, struct analysis *base, const struct change *c,
		       struct finding_list *eq, const struct review_opts *opts)
{
	const struct parse_digest_list *bd = base->cached && base->digests.nr ? &base->digests
									    : NULL;
	struct strmap equal = STRMAP_INIT;
	size_t i, k, files = 0;
	int differ = 0;

	for (i = 0; h->skip_equal && bd && i < h->digests.nr && !differ; i++) {
		const struct parse_digest *hd = &h->digests.v[i], *b;

		if (change_file(c, hd->path) || !(b = parse_digest_list_find(bd, hd->path)))
			continue; /* parsed (skip_keep) */
		if (hd->mixed || b->digest != hd->digest || b->lines != hd->lines)
			differ = 1;
		else if (!strmap_put(&equal, hd->path, strlen(hd->path), (void *)hd))
			files++;
	}
	for (i = k = 0; !differ && files && i < base->findings.nr; i++) {
		struct finding *f = base->findings.items[i];

		if (f->file && strmap_get(&equal, f->file, strlen(f->file))) {
			f->status = STATUS_EXISTING;
			finding_list_add(eq, f);
		} else {
			base->findings.items[k++] = f;
		}
	}
	if (!differ && files)
		base->findings.nr = k;
	if (opts->verbose && h->skip_equal && bd && differ)
		fprintf(stderr, "escape-review: a file the change left alone printed otherwise than at base: the head's output is read whole\n");
	else if (opts->verbose && h->skip_equal && bd)
		fprintf(stderr, "escape-review: %zu files printed what the base's build printed: their %zu findings are the base's (existing)\n",
			files, eq->nr);
	strmap_release(&equal);
	return differ;
}

/* The head built again without skipping (skip_settle found a difference). */
static void analysis_rebuild(struct analysis *a)
{
	finding_list_release(&a->findings);
	parser_chains_release(&a->chains);
	parse_note_list_release(&a->contracts.notes);
	summary_release(&a->early_sum);
	memset(&a->early_sum, 0, sizeof(a->early_sum));
	strbuf_init(&a->early_sum.key, 0);
	a->late.nr = 0; /* not owned */
	gosrc_preload_free(a->pre);
	a->pre = NULL;
	parse_digest_list_release(&a->digests);
	strbuf_reset(&a->errors);
	a->skip_equal = 0;
	a->filter = NULL;
	a->build.keep_file = NULL;
	a->build.keep_data = NULL;
	a->build.digests = NULL;
	a->build.prestart = NULL;
	a->build_started = NULL;
	analyse(a);
}

/* skip_settle(), then the head built again when it says so: 0, or the build's error. */
static int head_settle(struct analysis *h, struct analysis *base, const struct change *c,
		       struct finding_list *eq, const struct review_opts *opts)
{
	if (!skip_settle(h, base, c, eq, opts))
		return 0;
	analysis_rebuild(h);
	return h->ret ? error_set(h->ret, "%s", h->msg) : 0;
}

/* The base's analysis beside the head `h`: its notes as the head's, its
 * file digests kept with its entry. */
static void base_analysis_init(struct analysis *base, const struct analysis *h,
			       const struct review_opts *opts)
{
	analysis_init(base, opts);
	base->notes = h->notes;
	base->want_digests = 1;
}

/* The early head's skip_keep() told the base's file digests (NULL: none). */
static void base_digests_publish(struct early_head *eh, const struct analysis *base)
{
	if (eh && eh->filtering)
		change_filter_publish_digests(&eh->filter, base && base->cached && base->digests.nr
							   ? &base->digests : NULL);
}

/*
 * The base's analysis looked up in the cache (the early head told what it
 * found), else built here; 1 when it is there without a build (`said`:
 * what the lookup says is printed after the head's).
 */
static int base_lookup(struct analysis *base, struct base_cache *bc, const struct change *c,
		       const struct cache_env *e, struct early_head *eh, struct review *out,
		       int said)
{
	base->defer_said = said;
	cache_lookup(base, bc, &c->merge_base_tree, e, "the base revision");
	base_digests_publish(eh, base); /* the head's reading may skip files now */
	if (base->cached) {
		out->base_cached = 1;
		return 1;
	}
	if (!base->set->nr)
		return 1; /* the changed packages do not exist at base */
	analyse(base);
	return 0;
}

/*
 * New versus base: analyse base (cached) and head, concurrently when the
 * base is cold; match them.  Head findings end in out->findings with their
 * status, base findings without partner in out->fixed; *fell_back is set
 * (with a warning printed) when the base could not be analysed and the
 * review falls back to added lines.
 *
 * Head's build starts first: before the go environment (one `go env`, the
 * caches' key) when it has no cache entry (the work tree, --no-cache),
 * else right after it unless it is cached.  The base's checkout and cache
 * happen while it runs; a cold base builds too.  A work tree's may have
 * started before the diff (early_head_take).
 */
static int compare_with_base(struct run *r, struct review *out, git_repository *repo,
			     const struct change *c, const char *head_dir,
			     const struct pkgset *head_set, const struct review_opts *opts,
			     struct go_env_query *goq, struct root_check *rc, struct early_head *eh,
			     int *fell_back)
{
	struct analysis own, base, *h = eh ? &eh->a : &own;
	struct finding_list induced = FINDING_LIST_INIT, eq = FINDING_LIST_INIT;
	struct pkgset base_set = PKGSET_INIT;
	struct strbuf gov = STRBUF_INIT, goenv = STRBUF_INIT;
	struct base_cache bc, hc;
	struct cache_env e = { NULL, NULL, opts };
	struct summary base_sum = SUMMARY_INIT;
	struct dep_changes dc = { 0 };
	const char **old = NULL;
	pthread_t th;
	int threaded = 0, reading = 0, have_base = 0, base_classified = 0, later, first, ret;
	int follow = opts->scope == SCOPE_DEPENDENTS && !opts->all_packages &&
		     !git_oid_is_zero(&c->merge_base_tree);
	size_t n;

	if (!eh) {
		head_analysis_init(&own, opts, MODE_NEW, head_dir, head_set, rc);
		own.classify_later = c->worktree && head_classify_later(opts);
	}
	base_analysis_init(&base, h, opts);

	base_cache_init(&bc, git_repository_path(repo), opts->cache_dir);
	base_cache_init(&hc, git_repository_path(repo), opts->cache_dir);
	bc.lazy = hc.lazy = reads_lazily(MODE_NEW, opts);
	n = base_paths(&old, c, opts);

	if ((first = c->worktree || opts->no_cache) && eh) {
		threaded = early_head_join_later(eh, &th);
	} else if (first) {
		cache_lookup(h, &hc, NULL, &e, "the head revision"); /* only -v's why */
		threaded = analyse_start(&th, h);
	}
	ret = base_prepare(&base_set, &bc, repo, c, old, n, opts);
	if (!ret && run_unbuilt(r)->dirs_nr) /* as the head's: go build would refuse it */
		pkgset_exclude(&base_set, bc.dir.buf, unbuilt_cb, run_unbuilt(r));
	base.root = bc.dir.buf;
	base.set = &base_set;
	if (!ret && !first && !opts->no_cache)
		before_go_env(h, &hc, &c->head_tree, &base, &bc, &c->merge_base_tree, opts);
	if (!ret && !(ret = go_env_finish(goq, &gov, &goenv, &opts->build))) {
		free(out->go_version);
		out->go_version = xstrdup(gov.buf);
		e.go_version = gov.buf;
		e.go_env = goenv.buf;
		if (!opts->no_cache && go_env_answer(goq))
			base_cache_remember_env(&hc, go_env_answer(goq), go_env_memo(goq));
	}
	if (!ret && !first) {
		reading = head_start(&th, h, &hc, &c->head_tree, &e);
		threaded = reading != 0;
		/* a started build's thread owns h->ret until it is joined
		 * (it was 0 when the thread started) */
		ret = reading == 1 ? 0 : h->ret;
	}
	if (!ret)
		have_base = base_lookup(&base, &bc, c, &e, eh, out, reading == 2);
	/* the base's side while the head builds */
	base_classified = !ret && (have_base || !base.ret) &&
			  classify_one(&base.findings, c, opts, go_version_minor(out->go_version));
	if (!ret && follow && (have_base || !base.ret))
		dependents_base(&base_sum, &base.findings, &base.contracts.notes);
	early_head_unbatch(eh);
	base_digests_publish(eh, NULL); /* unless base_lookup() told them */
	if (threaded)
		pthread_join(th, NULL);
	if (reading == 2) {
		head_read_finish(h, !ret);
		cache_said(&base);
	}
	if (ret)
		goto out;
	if (h->ret) {
		ret = error_set(h->ret, "%s", h->msg);
		goto out;
	}
	cache_store(h);
	if (!have_base && (ret = base_settle(&base, c, fell_back)))
		goto out;
	if ((ret = head_settle(h, &base, c, &eq, opts)))
		goto out;
	follow = follow && !*fell_back;
	if (follow)
		dep_changes_start(&dc, h, &base_sum, &eq, h->classify_later);
	later = classify_and_match(out, h, &base.findings, base_classified, *fell_back, c, opts);
	if (follow && eh)
		head_build_over(r, eh);
	dep_changes_wait(&dc);
	if (later)
		classify_left(out, h, opts);
	finding_list_move(&out->findings, &eq); /* existing: the files equal to the base's */
	if (follow) {
		struct dep_ctx x = { repo, c, head_dir, bc.dir.buf, gov.buf, opts, goenv.buf, rc };

		follow_dependents(out, &induced, &x, head_set, &dc.res);
	}
	finding_list_move(&out->findings, &induced);
	ret = 0;
out:
	dependents_result_release(&dc.res);
	finding_list_release(&induced);
	finding_list_release(&eq);
	summary_release(&base_sum);
	if (h == &own)
		analysis_release(&own);
	analysis_release(&base);
	pkgset_release(&base_set);
	base_cache_release(&bc);
	base_cache_release(&hc);
	strbuf_release(&gov);
	strbuf_release(&goenv);
	free(old);
	return ret;
}

/* Mark added lines, then keep what the mode wants. */
static void filter_mode(struct review *rv, const struct change *c, enum review_mode mode,
			int keep_existing)
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
			keep = f->status == STATUS_NEW || (keep_existing && f->status == STATUS_EXISTING);
			if (!keep)
				rv->hidden_existing++;
			break;
		default: keep = 1; break;
		}
		if (!keep) {
			finding_list_add(&rv->dropped, f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
}

/* Mark the baseline's findings and hide them (counted) unless shown;
 * `hidden` (NULL: they are freed) keeps those hidden, for the profile. */
static int apply_baseline(struct review *rv, git_repository *repo, const struct review_opts *opts,
			  struct finding_list *hidden)
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
			if (hidden)
				finding_list_add(hidden, f);
			else
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

int review_fails(const struct review *rv, enum severity fail_on)
{
	size_t i;

	if (fail_on == SEVERITY_NONE)
		return 0;
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		if ((f->status == STATUS_NEW || f->status == STATUS_EXISTING) &&
		    f->severity >= fail_on)
			return 1;
	}
	return 0;
}

/* What one review_run() holds between its stages. */
struct run {
	const struct review_opts *opts;
	struct early_head early;  /* the work tree's head build on a guess */
	struct review *out;
	enum review_mode mode;
	git_repository *repo;
	struct change change;
	int have_change;
	struct pkgset set;
	struct strbuf root;
	/* the cache key's `go env`, started before the work tree is examined */
	struct go_env_query goq;
	/* the work tree's head build started on the last one's memory, and
	 * that memory as read (prestart_begin) */
	struct go_prestart *prestart;
	struct strbuf prestart_memo;
	/* the work tree's scope cache (gosrc.h), "" when none */
	struct strbuf scopes;
	struct root_check check;
	struct root_check *rc;  /* &check while the work tree is taken for the head */
	/* with profiles: the findings the baseline hides, weighted too */
	struct finding_list hidden;
	/* what the build constraints leave out of the change's packages, and
	 * the root and files it was asked for ("" when not asked) */
	struct unbuilt unbuilt;
	struct strbuf unbuilt_asked;
	int unbuilt_said;
};

/* Number of distinct directories of the findings: the packages --input covered. */
static unsigned count_dirs(const struct finding_list *l)
{
	struct strmap seen = STRMAP_INIT;
	size_t i;
	unsigned n = 0;

	for (i = 0; i < l->nr; i++) {
		const char *f = l->items[i]->file, *slash = strrchr(f, '/');
		size_t len = slash ? (size_t)(slash - f) : 0;

		if (!strmap_get(&seen, f, len)) {
			strmap_put(&seen, f, len, (void *)1);
			n++;
		}
	}
	strmap_release(&seen);
	return n;
}

/* Stage: --input read, located, classified (root: where its paths are taken from). */
/* What each batch of --input goes through as it is read (input.h). */
struct input_stage {
	const char *root;
	const struct checklist_policy *policy;
	int max_flow;
	int go_minor; /* --go-version's, or 0 */
	const char *go_version; /* --go-version, or NULL */
	atomic_int warned; /* that the log's explanations gainsay it */
};

_Static_assert(PARSE_FLOW_ARROW_SINCE == CHECKLIST_GO_STATIC_BOX,
	       "input_go_minor() tells the compilers apart at CHECKLIST_GO_STATIC_BOX only");

/*
 * The compiler of an --input log as far as its explanations tell (0: they
 * do not): the newest Go 1.N that writes them so, or the oldest.  Exact for
 * what the classification asks of it, which compilers lay out a boxed
 * literal statically (Go 1.25 on: CHECKLIST_GO_STATIC_BOX), the release
 * that also changed the explanations.
 */
static int input_go_minor(enum parse_flow_style style)
{
	if (style == PARSE_FLOW_ARROW)
		return PARSE_FLOW_ARROW_SINCE;
	return style == PARSE_FLOW_EQUALS ? PARSE_FLOW_ARROW_SINCE - 1 : 0;
}

static void input_batch(void *data, struct finding_list *l, enum parse_flow_style style)
{
	struct input_stage *s = data;
	int seen = input_go_minor(style), go_minor = s->go_minor ? s->go_minor : seen;
	size_t i;

	/* a name the explanations gainsay: said once (two threads call this) */
	if (s->go_minor && seen &&
	    (s->go_minor < CHECKLIST_GO_STATIC_BOX) != (seen < CHECKLIST_GO_STATIC_BOX) &&
	    !atomic_exchange(&s->warned, 1))
		fprintf(stderr, "escape-review: warning: --go-version %s names the log's compiler, but its explanations are written as Go 1.%d and %s write them (flow: a %s b); the findings are classified for %s\n",
			s->go_version, seen, style == PARSE_FLOW_ARROW ? "newer" : "older",
			style == PARSE_FLOW_ARROW ? "\xe2\x86\x90" : "=", s->go_version);
	gosrc_locate(l, s->root);
	classify_all(l, s->policy, s->max_flow, go_minor);
	for (i = 0; i < l->nr; i++)
		finding_release_facts_names(l->items[i]);
}

static int stage_input(struct run *r, const char *root, int keep)
{
	struct review *out = r->out;
	struct input_stage s = { root, policy_of(r->opts), r->opts->build.max_flow,
				 go_version_minor(r->opts->input_go), r->opts->input_go, 0 };
	int ret = input_read(&out->findings, r->opts->input, root, keep,
			     r->opts->build.max_flow, input_batch, &s);

	if (ret)
		return ret;
	if (r->opts->input_go && !out->go_version)
		out->go_version = xstrdup(r->opts->input_go); /* as named: the log does not say */
	compare_fingerprint(&out->findings, NULL);
	out->analysed_packages = count_dirs(&out->findings);
	return 0;
}

/*
 * A change that reviews no file may touch files the review leaves out:
 * _test.go files without --tests, generated files (`// Code generated
 * ... DO NOT EDIT.`, a protobuf regenerated): say which, from a second
 * look that keeps them (without the early guess, which left them out).
 */
static void hint_skipped(git_repository *repo, const struct change_opts *co)
{
	struct change_opts all = *co;
	struct change c;
	const char *first = NULL;
	size_t i, tests = 0, gen = 0;

	all.tests = 1;
	all.generated = 1;
	all.go_files = NULL;
	all.guess = NULL;
	change_init(&c);
	if (!change_compute(&c, repo, &all)) {
		for (i = 0; i < c.files_nr; i++) {
			if (!co->tests && ends_with(c.files[i].path, "_test.go"))
				tests++;
			else if (!gen++)
				first = c.files[i].path;
		}
	}
	if (tests && !gen)
		fprintf(stderr, "escape-review: the change touches only _test.go files (%zu), which are reviewed with --tests\n",
			tests);
	else if (tests)
		fprintf(stderr, "escape-review: the change touches only _test.go files (%zu), which are reviewed with --tests, and generated files (%zu: %s%s): generated code (`// Code generated ... DO NOT EDIT.`) is not reviewed\n",
			tests, gen, first, gen > 1 ? ", ..." : "");
	else if (gen)
		fprintf(stderr, "escape-review: the change touches only generated files (%zu: %s%s): generated code (`// Code generated ... DO NOT EDIT.`) is not reviewed\n",
			gen, first, gen > 1 ? ", ..." : "");
	error_clear();
	change_release(&c);
}

/*
 * Start `go env` (the caches' key), or take its answer from the cache's
 * memory when nothing it depends on changed since it was remembered
 * (go_env_take).  --no-cache trusts no memory.
 */
static void go_env_begin(struct run *r)
{
	const struct review_opts *opts = r->opts;
	struct strbuf raw = STRBUF_INIT, key = STRBUF_INIT;
	struct base_cache bc;

	if (opts->no_cache) {
		go_env_start(&r->goq, &opts->build);
		return;
	}
	base_cache_init(&bc, git_repository_path(r->repo), opts->cache_dir);
	if (base_cache_recall_env(&raw, &key, &bc))
		strbuf_reset(&raw);
	if (go_env_take(&r->goq, &opts->build, raw.len ? raw.buf : NULL, key.buf) && opts->verbose)
		fprintf(stderr, "escape-review: go env not run: its answer is remembered in %s/go-env, and the go command, its go.env, the GOENV file, the environment, go.work and go.mod are as they were\n",
			bc.cache.buf);
	base_cache_release(&bc);
	strbuf_release(&raw);
	strbuf_release(&key);
}

static void start_go_env(void *data)
{
	go_env_begin(data);
}

/* The configuration's excluded packages, taken out of `set`. */
static void exclude_packages(struct pkgset *set, const char *root, const struct review_opts *opts)
{
	if (opts->config && opts->config->exclude_nr)
		pkgset_exclude(set, root, excluded_cb, opts);
}

/*
 * The packages of `set` the build constraints leave with no file to build
 * (go build refuses them) taken out of it, and what of the changed `paths`
 * is left out kept in r->unbuilt; asked once per root and paths (the early
 * head's guess is the change's, mostly).  A committed head keeps go list's
 * answer in CACHEDIR/unbuilt under what decides it, when the go
 * environment's key was made without running go (go_env_take).
 */
static void unbuilt_packages(struct run *r, struct pkgset *set, const char *root,
			     const char *const *paths, size_t nr)
{
	const struct review_opts *opts = r->opts;
	struct strbuf asked = STRBUF_INIT, key = STRBUF_INIT, memo = STRBUF_INIT;
	const char **kept = xcalloc(nr + 1, sizeof(*kept));
	size_t i, n = 0;

	/* the configuration's excluded files are never built, nor asked about */
	strbuf_addf(&asked, "%s\n", root);
	for (i = 0; i < nr; i++)
		if (!excluded(opts, paths[i])) {
			kept[n++] = paths[i];
			strbuf_addf(&asked, "%s\n", paths[i]);
		}
	if (!r->unbuilt_asked.len || strcmp(asked.buf, r->unbuilt_asked.buf)) {
		unbuilt_release(&r->unbuilt);
		strbuf_reset(&r->unbuilt_asked);
		strbuf_addbuf(&r->unbuilt_asked, &asked);
		if (!opts->no_cache && !r->change.worktree && r->have_change && r->goq.memo) {
			struct base_cache bc;
			char tree[GIT_OID_HEXSZ + 1];

			git_oid_tostr(tree, sizeof(tree), &r->change.head_tree);
			strbuf_addf(&key, "escape-review unbuilt 1\ntree %s\nbuild_flags %s\ntests %d\n%s\nasked:\n%s",
				    tree, opts->build.build_flags ? opts->build.build_flags : "",
				    opts->build.tests, r->goq.key.buf, r->unbuilt_asked.buf);
			base_cache_init(&bc, git_repository_path(r->repo), opts->cache_dir);
			strbuf_addf(&memo, "%s/unbuilt/%016llx", bc.cache.buf,
				    strmap_hash(key.buf, key.len));
			base_cache_release(&bc);
		}
		if (packages_unbuilt(&r->unbuilt, root, set, kept, n, &opts->build,
				     memo.len ? memo.buf : NULL, key.buf)) {
			/* go build says it again, if it is so */
			fprintf(stderr, "escape-review: warning: %s\n", error_last());
			error_clear();
		}
	}
	if (r->unbuilt.dirs_nr)
		pkgset_exclude(set, root, unbuilt_cb, &r->unbuilt);
	free(kept);
	strbuf_release(&asked);
	strbuf_release(&key);
	strbuf_release(&memo);
}

static const struct unbuilt *run_unbuilt(const struct run *r)
{
	return &r->unbuilt;
}

/* Say which changed files are in no module: go builds none of them. */
static void orphans_say(const struct pkgset *set)
{
	size_t i;

	for (i = 0; i < set->orphans_nr && i < 10; i++)
		fprintf(stderr, "escape-review: warning: %s is in no Go module (there is no go.mod in its directory or above it in the repository), so it is not reviewed\n",
			set->orphans[i]);
	if (set->orphans_nr > 10)
		fprintf(stderr, "escape-review: warning: and %zu more changed files in no Go module\n",
			set->orphans_nr - 10);
}

/*
 * What constrains the changed file `file` under `root`, and what would
 * build it, for its warning: "(//go:build go1.27 && !x), so ... (to
 * review them, ...)" as the constraint's kind says.
 */
static void unbuilt_why(struct strbuf *why, struct strbuf *todo, const char *root, const char *file)
{
	packages_file_constraint(why, root, file);
	if (!why->len)
		return; /* go list knows why */
	if (starts_with(why->buf, "import"))
		strbuf_addstr(todo, "set CGO_ENABLED=1, with a C compiler");
	else if (starts_with(why->buf, "its name"))
		strbuf_addstr(todo, "set GOOS and GOARCH");
	else
		strbuf_addstr(todo, "set GOOS and GOARCH, pass -tags in --build-flags, or use a Go the line asks for");
}

/* Say what of the change the build leaves out: it is not reviewed. */
static void unbuilt_say(const struct unbuilt *u, const char *root)
{
	size_t i;
	const char *slash;
	struct strbuf dir = STRBUF_INIT, why = STRBUF_INIT, todo = STRBUF_INIT;

	for (i = 0; i < u->dirs_nr; i++)
		fprintf(stderr, "escape-review: warning: the package in %s is not built for %s: its build constraints exclude every file of it, so it is not reviewed (to review it, set GOOS and GOARCH, or pass -tags in --build-flags)\n",
			u->dirs[i], u->platform);
	for (i = 0; i < u->files_nr; i++) {
		strbuf_reset(&dir);
		slash = strrchr(u->files[i], '/');
		if (slash)
			strbuf_add(&dir, u->files[i], (size_t)(slash - u->files[i]));
		else
			strbuf_addch(&dir, '.');
		if (unbuilt_has_dir(u, dir.buf))
			continue;
		strbuf_reset(&why);
		strbuf_reset(&todo);
		unbuilt_why(&why, &todo, root, u->files[i]);
		if (why.len)
			fprintf(stderr, "escape-review: warning: %s is not built for %s: its build constraints exclude it (%s), so its allocations are not reviewed (to review them, %s)\n",
				u->files[i], u->platform, why.buf, todo.buf);
		else /* go list knows why */
			fprintf(stderr, "escape-review: warning: %s is not built for %s: its build constraints exclude it, so its allocations are not reviewed (to review them, set GOOS and GOARCH, or pass -tags in --build-flags)\n",
				u->files[i], u->platform);
	}
	strbuf_release(&dir);
	strbuf_release(&why);
	strbuf_release(&todo);
}

/* The packages of the changed `paths` that are not excluded, added to `set`. */
static void changed_packages(struct pkgset *set, const char *root, const char *const *paths,
			     size_t nr, const struct review_opts *opts)
{
	const char **files = xcalloc(nr + 1, sizeof(*files));
	size_t i, n = 0;

	for (i = 0; i < nr; i++)
		if (!excluded(opts, paths[i]))
			files[n++] = paths[i];
	pkgset_add_files(set, root, files, n);
	free(files);
}

/*
 * Start go for the work tree's head before anything else is read: the
 * packages the last review of the work tree built (CACHEDIR/head-build),
 * with this review's options.  early_head_start()'s build takes it when
 * the guess names the same packages, else it is stopped (packages.h).
 */
static void prestart_begin(struct run *r)
{
	const struct review_opts *opts = r->opts;
	const char *wd = git_repository_workdir(r->repo);
	struct build_opts bo = opts->build;
	struct base_cache bc;
	struct strbuf root = STRBUF_INIT;

	if (!wd || opts->no_cache || opts->packages_nr || opts->all_packages)
		return;
	base_cache_init(&bc, git_repository_path(r->repo), opts->cache_dir);
	base_cache_recall_build(&r->prestart_memo, &bc);
	base_cache_release(&bc);
	r->prestart = go_prestart_new(opts->verbose);
	strbuf_addstr(&root, wd);
	trim_slashes(&root);
	bo.tests = opts->tests;
	go_prestart_start(r->prestart, r->prestart_memo.buf, r->prestart_memo.len, root.buf, &bo);
	strbuf_release(&root);
}

/* After every build: the memory of the head build that ran, for the next. */
static void prestart_end(struct run *r)
{
	struct strbuf now = STRBUF_INIT;
	struct base_cache bc;

	if (go_prestart_finish(r->prestart, &now)) {
		base_cache_init(&bc, git_repository_path(r->repo), r->opts->cache_dir);
		base_cache_remember_build(&bc, &now, &r->prestart_memo);
		base_cache_release(&bc);
	}
	r->prestart = NULL;
	strbuf_release(&now);
	strbuf_release(&r->prestart_memo);
}

/*
 * Start the work tree's head build before the diff, on a guess at the
 * packages it changes (change_guess_worktree): the diff walks the whole
 * work tree, the guess only the index's files.  Nothing starts when the
 * packages are named, or when there is no cheap guess.
 */
static void early_head_start(struct run *r, const struct change_opts *co)
{
	const struct review_opts *opts = r->opts;
	struct early_head *eh = &r->early;
	struct change_guess *g = &eh->guess;
	struct cache_env e = { NULL, NULL, opts };
	const char *wd = git_repository_workdir(r->repo);

	if (!wd || opts->packages_nr || opts->all_packages)
		return;
	if (change_guess_worktree(g, r->repo, co)) {
		error_clear();
		goto out;
	}
	eh->guessed = 1;
	if (!g->nr)
		goto out;
	strbuf_addstr(&eh->root, wd);
	trim_slashes(&eh->root);
	changed_packages(&eh->set, eh->root.buf, (const char *const *)g->paths, g->nr, opts);
	exclude_packages(&eh->set, eh->root.buf, opts);
	unbuilt_packages(r, &eh->set, eh->root.buf, (const char *const *)g->paths, g->nr);
	if (!eh->set.nr)
		goto out;
	head_analysis_init(&eh->a, opts, r->mode, eh->root.buf, &eh->set, NULL);
	eh->a.scopes = r->scopes.len ? r->scopes.buf : NULL;
	eh->a.build.prestart = r->prestart;
	eh->a.classify_later = r->mode == MODE_NEW && head_classify_later(opts);
	eh->a.want_digests = 0; /* the work tree's: never cached */
	if (r->mode == MODE_ADDED || r->mode == MODE_CONTEXT || r->mode == MODE_FILE ||
	    (r->mode == MODE_NEW && eh->a.classify_later && !opts->no_cache && !opts->profiles_nr &&
	     !opts->all_packages)) {
		change_filter_init(&eh->filter, r->mode);
		eh->filtering = 1;
		eh->a.filter = &eh->filter;
		eh->a.skip_equal = r->mode == MODE_NEW;
	}
	base_cache_init(&eh->hc, git_repository_path(r->repo), opts->cache_dir);
	eh->a.defer_said = 1;
	cache_lookup(&eh->a, &eh->hc, NULL, &e, "the head revision"); /* only -v's why */
	strbuf_addbuf(&eh->said, &eh->a.said);
	strbuf_reset(&eh->a.said);
	analysis_spawn(&eh->a);
	eh->started = 1;
	eh->joinable = !pthread_create(&eh->th, NULL, analyse, &eh->a);
	if (eh->joinable)
		eh->batch = compat_thread_batch(1);
	if (!eh->joinable) {
		/* no thread: read here, every file (the change is not known
		 * yet, and this thread would wait for itself to tell it) */
		if (eh->filtering)
			change_filter_publish(&eh->filter, NULL);
		analyse(&eh->a);
	}
out:
	if (!eh->started)
		pkgset_release(&eh->set);
	go_prestart_stop(r->prestart); /* unless the build took it */
}

/* The early head when it builds what the diff found, else NULL (it is
 * left to finish: early_head_release). */
static struct early_head *early_head_take(struct run *r)
{
	struct early_head *eh = &r->early;

	if (!eh->started || eh->taken)
		return NULL;
	if (strcmp(eh->root.buf, r->root.buf) || !pkgset_same_build(&eh->set, &r->set)) {
		early_head_unbatch(eh); /* this thread builds the change's */
		if (eh->filtering) /* left to finish: it skips nothing */
			change_filter_publish_digests(&eh->filter, NULL);
		if (r->opts->verbose)
			fprintf(stderr, "escape-review: the packages guessed before the diff are not the change's: building the change's\n");
		return NULL;
	}
	eh->taken = 1;
	return eh;
}

static void early_head_release(struct early_head *eh, int exiting)
{
	early_head_unbatch(eh);
	if (eh->filtering) { /* if the diff never ended, or no base was looked up */
		change_filter_publish(&eh->filter, NULL);
		change_filter_publish_digests(&eh->filter, NULL);
	}
	if (eh->joinable)
		pthread_join(eh->th, NULL);
	eh->joinable = 0;
	if (eh->filtering)
		change_filter_release(&eh->filter);
	eh->filtering = 0;
	if (eh->started && eh->a.build_started) /* started, never read: waited for */
		packages_build_finish(&eh->a.findings, &eh->a.errors, eh->a.build_started);
	eh->a.build_started = NULL;
	if (exiting)
		return; /* review_opts.exiting: the rest is memory */
	if (eh->started) {
		analysis_release(&eh->a);
		base_cache_release(&eh->hc);
	}
	pkgset_release(&eh->set);
	strbuf_release(&eh->root);
	strbuf_release(&eh->said);
	change_guess_release(&eh->guess);
}

/* Stage: the revisions, the diff, and the repository's work tree. */
static int stage_change(struct run *r)
{
	const struct review_opts *opts = r->opts;
	struct change_opts co = { opts->base, opts->head, opts->worktree, opts->tests,
				  opts->base_empty, NULL, NULL, NULL, 0, NULL, 0 };
	struct strbuf walk_memo = STRBUF_INIT;
	const char *wd;
	int ret;

	if ((ret = repo_open(&r->repo, ".")))
		return ret;
	if (!co.base && !co.worktree && !co.base_empty)
		co.worktree = 1;
	if (co.worktree && !opts->no_cache) {
		struct base_cache bc;

		base_cache_init(&bc, git_repository_path(r->repo), opts->cache_dir);
		strbuf_addf(&walk_memo, "%s/worktree-walk", bc.cache.buf);
		strbuf_addf(&r->scopes, "%s/worktree-scopes%s", bc.cache.buf, opts->tests ? "-tests" : "");
		base_cache_release(&bc);
		co.walk_memo = walk_memo.buf;
	}
	/* a committed head's cache key needs the go environment: `go env`
	 * starts as soon as the diff finds a Go file the review keeps, and
	 * runs while its lines are read, the work tree is examined and the
	 * packages found (a head without an entry to look up, the work tree,
	 * starts its build first instead) */
	if (!opts->no_cache && !opts->input && !co.worktree) {
		co.go_files = start_go_env;
		co.go_files_data = r;
	}
	if (co.worktree && !opts->input) {
		prestart_begin(r);
		early_head_start(r, &co);
		/* `go env` runs beside the head's build: new mode's cache key of
		 * the base, and the Go version (unless a file says it); without
		 * an early build it waits until it is needed (a change without Go
		 * files never starts the toolchain) */
		if (r->early.started &&
		    ((r->mode == MODE_NEW && !opts->no_cache) || go_version_runs_go(&opts->build)))
			go_env_begin(r);
	}
	if (r->early.guessed)
		co.guess = &r->early.guess; /* the index is not read twice */
	ret = change_compute(&r->change, r->repo, &co);
	if (r->early.filtering)
		change_filter_publish(&r->early.filter, ret ? NULL : &r->change);
	if (!ret && !r->change.files_nr && !opts->input)
		hint_skipped(r->repo, &co);
	if (!ret && !r->change.files_nr && !opts->input && !opts->all_packages &&
	    !opts->packages_nr) {
		if (change_touches_modules(r->repo, &r->change) == 1)
			fprintf(stderr, "escape-review: the change touches no Go file but go.mod, go.sum or vendor/: a dependency's new version or vendored code may change what the code allocates, which --all-packages with the same revisions shows (every package compared with the base)\n");
		error_clear(); /* a hint that could not be given: nothing lost */
	}
	strbuf_release(&walk_memo); /* co.walk_memo: not used after this */
	if (ret)
		return ret;
	r->have_change = 1;
	memcpy(r->out->base, r->change.merge_base_hex, sizeof(r->out->base));
	memcpy(r->out->head, r->change.head_hex, sizeof(r->out->head));
	if ((wd = git_repository_workdir(r->repo))) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, wd);
		trim_slashes(&sb);
		r->out->workdir = strbuf_detach(&sb, NULL);
	}
	return 0;
}

/*
 * Stage: the packages to build, from the change, the arguments or every
 * module, less the excluded ones (before the build: go never sees them).
 */
static int stage_packages(struct run *r)
{
	const struct review_opts *opts = r->opts;
	const char **files = NULL;
	size_t i;
	int ret = 0;

	if (opts->all_packages) {
		pkgset_add_all(&r->set, r->root.buf);
	} else if (opts->packages_nr) {
		ret = pkgset_add_args(&r->set, r->root.buf, opts->packages, opts->packages_nr);
	} else {
		files = xcalloc(r->change.files_nr + 1, sizeof(*files));
		for (i = 0; i < r->change.files_nr; i++)
			files[i] = r->change.files[i].path;
		changed_packages(&r->set, r->root.buf, files, r->change.files_nr, opts);
		exclude_packages(&r->set, r->root.buf, opts);
		unbuilt_packages(r, &r->set, r->root.buf, files, r->change.files_nr);
		if (!r->unbuilt_said++) {
			unbuilt_say(&r->unbuilt, r->root.buf);
			orphans_say(&r->set);
		}
	}
	if (!ret && (opts->all_packages || opts->packages_nr))
		exclude_packages(&r->set, r->root.buf, opts);
	r->out->analysed_packages = (unsigned)pkgset_count(&r->set, r->root.buf);
	free(files);
	return ret;
}

/* Stage: build head (and the base in MODE_NEW), locate and classify. */
static int stage_analyse(struct run *r)
{
	const struct review_opts *opts = r->opts;
	struct review *out = r->out;
	struct early_head *eh = early_head_take(r);
	struct analysis own, *h = eh ? &eh->a : &own;
	struct base_cache hc;
	struct strbuf gov = STRBUF_INIT, goenv = STRBUF_INIT;
	struct cache_env e = { NULL, NULL, opts };
	pthread_t th;
	int ret, fell_back = 0;

	if (r->mode == MODE_NEW) {
		ret = compare_with_base(r, out, r->repo, &r->change, r->root.buf, &r->set, opts,
					&r->goq, r->rc, eh, &fell_back);
		if (!ret && fell_back) {
			r->mode = MODE_ADDED;
			out->mode = config_mode_name(r->mode);
		}
		return ret;
	}
	if (!eh) {
		head_analysis_init(&own, opts, r->mode, r->root.buf, &r->set, r->rc);
		if (r->change.worktree && r->scopes.len)
			own.scopes = r->scopes.buf;
	}
	base_cache_init(&hc, git_repository_path(r->repo), opts->cache_dir);
	hc.lazy = reads_lazily(r->mode, opts);
	/* a committed revision's analysis may be cached: its key needs the go
	 * environment first */
	if (eh) {
		early_head_unbatch(eh);
		if (early_head_join_later(eh, &th))
			pthread_join(th, NULL);
	} else if (!opts->no_cache && !r->change.worktree) {
		/* while go env runs: what the lookup asks that needs none of it */
		if (!root_check_paths(h->check, h->set))
			has_contracts(h);
		if ((ret = go_env_finish(&r->goq, &gov, &goenv, &opts->build)))
			goto out;
		e.go_version = gov.buf;
		e.go_env = goenv.buf;
		cache_lookup(h, &hc, &r->change.head_tree, &e, "the head revision");
	} else if (opts->verbose && !opts->no_cache) {
		cache_lookup(h, &hc, NULL, &e, "the head revision"); /* says why not */
	}
	if (!eh && !h->cached)
		analyse(h);
	if ((ret = h->ret)) {
		error_set(ret, "%s", h->msg);
		goto out;
	}
	cache_store(h);
	if (!gov.len && r->goq.started > 0 && !go_env_finish(&r->goq, &gov, &goenv, &opts->build))
		; /* the version of the go environment asked beside the build */
	else if (!gov.len)
		go_version(&gov, &h->build);
	if (!out->go_version && gov.len)
		out->go_version = strbuf_detach(&gov, NULL);
	finding_list_move(&out->findings, &h->findings);
	classify_all(&out->findings, policy_of(opts), opts->build.max_flow,
		     go_version_minor(out->go_version));
	compare_fingerprint(&out->findings, NULL);
out:
	if (h == &own)
		analysis_release(&own);
	base_cache_release(&hc);
	strbuf_release(&gov);
	strbuf_release(&goenv);
	return ret;
}

/* Stage: acknowledgements (//escape:ok); a marker without a reason is a warning. */
static void stage_acknowledge(struct review *out)
{
	struct strbuf warnings = STRBUF_INIT;

	ack_apply(&out->findings, &warnings);
	fputs(warnings.buf, stderr);
	strbuf_release(&warnings);
}

/* The contract findings a literal makes only on compilers older than this
 * one (finding_contract.go_before: it allocates there): this one keeps
 * the promise, so they go.  Kept when the compiler is not known. */
static void contracts_for_go(struct finding_list *l, int go_minor)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (f->contract && f->contract->go_before && go_minor >= f->contract->go_before)
			finding_free(f);
		else
			l->items[k++] = f;
	}
	l->nr = k;
}

/*
 * The policy stages, in order: exclusion (what the build still reported
 * in excluded files), the mode (counting what it hides), the baseline,
 * acknowledgements, then the order of presentation.
 */
static int stage_policy(struct run *r)
{
	const struct review_opts *opts = r->opts;
	struct review *out = r->out;
	int ret;

	if (out->go_version && !go_version_supported(out->go_version))
		fprintf(stderr, "escape-review: warning: %s is outside the tested %s; its output is read as theirs, so check the findings against `go build -gcflags=-m=2`\n",
			out->go_version, GO_SUPPORTED);
	if (opts->config) {
		config_filter(opts->config, &out->findings);
		config_filter(opts->config, &out->fixed);
	}
	contracts_for_go(&out->findings, go_version_minor(out->go_version));
	contracts_for_go(&out->fixed, go_version_minor(out->go_version));
	filter_mode(out, r->have_change ? &r->change : NULL, r->mode, opts->keep_existing);
	/* what is shown is read whole: nothing after this reads a cache entry */
	complete_all(&out->findings, opts->build.max_flow);
	complete_all(&out->fixed, opts->build.max_flow);
	if (!opts->no_baseline &&
	    (ret = apply_baseline(out, r->repo, opts, opts->profiles_nr ? &r->hidden : NULL)))
		return ret;
	if (!opts->no_acknowledge)
		stage_acknowledge(out);
	finding_list_sort(&out->findings);
	finding_list_sort(&out->fixed);
	return 0;
}

/* What a first attempt in the work tree left, before the second in a checkout. */
static void head_restart(struct run *r)
{
	struct review *out = r->out;

	finding_list_release(&out->findings);
	finding_list_release(&out->fixed);
	finding_list_release(&out->dropped);
	free(out->go_version);
	out->go_version = NULL;
	out->base_cached = 0;
	out->dependents = 0;
	while (out->not_analysed_nr)
		free(out->not_analysed[--out->not_analysed_nr]);
	free(out->not_analysed);
	out->not_analysed = NULL;
	pkgset_release(&r->set);
	strbuf_reset(&r->root);
	error_clear();
}

/*
 * Stage: where the head is (head_root), its packages, the analysis.  A
 * committed head that is HEAD is taken to be the work tree from its tracked
 * files; when something must be built there and untracked Go files show it
 * is not, the review starts again with the head checked out.
 */
static int stage_head(struct run *r)
{
	int ret;

	r->check.verbose = r->opts->verbose;
	r->rc = r->opts->no_cache ? NULL : &r->check;
	if ((ret = head_root(&r->root, r->repo, &r->change, r->rc)) || (ret = stage_packages(r)))
		return ret;
	ret = stage_analyse(r);
	if (!r->check.dirty)
		return ret;
	head_restart(r);
	r->rc = NULL;
	if ((ret = head_root(&r->root, r->repo, &r->change, &r->check)) || (ret = stage_packages(r)))
		return ret;
	return stage_analyse(r);
}

/* The stages up to the findings, without policy. */
static int run_stages(struct run *r)
{
	const struct review_opts *opts = r->opts;
	const char *wd;
	int ret;

	if (opts->input && r->mode == MODE_ALL) {
		char *cwd = realpath(".", NULL);

		if (!cwd)
			return error_set(ER_ERROR, "cannot find the current directory: %s", strerror(errno));
		ret = stage_input(r, cwd, 1);
		free(cwd);
		return ret;
	}
	if ((ret = stage_change(r)))
		return ret;
	if (opts->input) {
		wd = git_repository_workdir(r->repo);
		strbuf_addstr(&r->root, wd ? wd : ".");
		trim_slashes(&r->root);
		return stage_input(r, r->root.buf, 0);
	}
	if (!r->change.files_nr && !opts->all_packages && !opts->packages_nr)
		return 0; /* no Go files: the toolchain is never started */
	return stage_head(r);
}

int review_run(struct review *out, const struct review_opts *opts)
{
	struct run r = { 0 };
	struct profile prof = PROFILE_INIT;
	int ret;

	r.opts = opts;
	r.out = out;
	r.mode = opts->mode;
	change_init(&r.change);
	strbuf_init(&r.root, 0);
	strbuf_init(&r.early.root, 0);
	strbuf_init(&r.early.said, 0);
	strbuf_init(&r.prestart_memo, 0);
	strbuf_init(&r.scopes, 0);
	strbuf_init(&r.unbuilt_asked, 0);
	/* the profiles first: a bad one fails before the build */
	if ((ret = profile_read_all(&prof, opts->profiles, opts->profiles_nr, &opts->build)))
		goto out;
	if (r.mode == MODE_DEFAULT)
		r.mode = opts->input ? MODE_ADDED : MODE_NEW;
	if (opts->input && r.mode == MODE_NEW) {
		ret = error_set(ER_EUSAGE, "--mode new needs the compiler run at both revisions: it cannot be used with --input");
		goto out;
	}
	if (opts->all_packages && r.mode == MODE_NEW && !opts->base)
		r.mode = MODE_ALL; /* with --base: every package compared with the base */
	out->mode = config_mode_name(r.mode);
	if ((ret = run_stages(&r)) || (ret = stage_policy(&r)))
		goto out;
	if (opts->profiles_nr)
		profile_apply(&out->profile, &out->findings, &out->fixed, &r.hidden, &prof,
			      opts->hot_share);
	out->not_built = r.unbuilt;
	memset(&r.unbuilt, 0, sizeof(r.unbuilt));
	out->no_module = r.set.orphans;
	out->no_module_nr = r.set.orphans_nr;
	r.set.orphans = NULL;
	r.set.orphans_nr = r.set.orphans_alloc = 0;
	if (opts->packages_out) {
		*opts->packages_out = r.set;
		memset(&r.set, 0, sizeof(r.set));
	}
out:
	/* a review that failed frees all: it is cheap, and what it leaves is
	 * looked at (t53 runs one under valgrind's leak check) */
	early_head_release(&r.early, opts->exiting && !ret);
	prestart_end(&r);
	go_env_abandon(&r.goq);
	if (opts->exiting && !ret)
		return ret; /* the rest is memory (and libgit2's descriptors) */
	pkgset_release(&r.set);
	change_release(&r.change);
	strbuf_release(&r.root);
	strbuf_release(&r.scopes);
	finding_list_release(&r.hidden);
	unbuilt_release(&r.unbuilt);
	strbuf_release(&r.unbuilt_asked);
	git_repository_free(r.repo);
	profile_release(&prof);
	return ret;
}

void review_release(struct review *rv)
{
	finding_list_release(&rv->findings);
	finding_list_release(&rv->fixed);
	finding_list_release(&rv->dropped);
	free(rv->go_version);
	rv->go_version = NULL;
	free(rv->workdir);
	rv->workdir = NULL;
	while (rv->not_analysed_nr)
		free(rv->not_analysed[--rv->not_analysed_nr]);
	free(rv->not_analysed);
	rv->not_analysed = NULL;
	unbuilt_release(&rv->not_built);
	while (rv->no_module_nr)
		free(rv->no_module[--rv->no_module_nr]);
	free(rv->no_module);
	rv->no_module = NULL;
}
