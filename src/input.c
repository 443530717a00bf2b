/*
 * input.c: --input, a compiler log read into findings (input.h): read and
 * parsed in one thread, each ended package block placed and handed to the
 * caller's callback in a second, the batches joined in input order.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "input.h"
#include "compat.h"
#include "errors.h"
#include "gosrc.h"
#include "parse.h"
#include "strmap.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT_CHUNK 65536

/*
 * Paths of --input the parser could not place under the root (it keeps
 * them as printed): an absolute path is compared again with its
 * directory resolved (symbolic links, as in Debian's GOROOT/src) against
 * the resolved root.  `resolved` caches directory -> resolved path ("" when
 * it does not resolve).  Returns a malloc'd root-relative path, or NULL.
 */
static char *resolve_outside(struct strmap *resolved, const char *real_root, const char *path)
{
	const char *slash = strrchr(path, '/'), *real;
	size_t rl = strlen(real_root), dl;

	if (path[0] != '/' || !slash)
		return NULL;
	dl = slash > path ? (size_t)(slash - path) : 1;
	real = strmap_get(resolved, path, dl);
	if (!real) {
		char *dir = xstrndup(path, dl), *r = realpath(dir, NULL);

		strmap_put(resolved, path, dl, r ? r : xstrdup(""));
		real = r ? r : "";
		free(dir);
	}
	if (rl == 1 && real[0] == '/')
		rl = 0; /* the root is "/" */
	if (strncmp(real, real_root, rl) || (real[rl] && real[rl] != '/') || !real[0])
		return NULL;
	{
		struct strbuf sb = STRBUF_INIT;

		if (real[rl])
			strbuf_addf(&sb, "%s/", real + rl + 1);
		strbuf_addstr(&sb, slash + 1);
		return strbuf_detach(&sb, NULL);
	}
}

/* A path the parser kept as printed because it is not under the root. */
static int outside_root(const char *path)
{
	return path[0] == '/' || path[0] == '$' || path[0] == '<' || starts_with(path, "../");
}

/* An outside path --mode all never keeps: not a .go file, or the go command's $WORK. */
static int never_kept(const char *path)
{
	return !ends_with(path, ".go") || starts_with(path, "$WORK/");
}

/*
 * A log built with -trimpath (GOFLAGS=-trimpath, as CI often sets it)
 * names the files of the current directory's module by import path:
 * "example.com/m/sub/a.go" for the module's sub/a.go.  `from` is such a
 * path's start as the parser joined it to the current directory
 * ("dir/example.com/m/"), `to` the module's directory (absolute, with a
 * slash); NULL `from`: no go.mod above the current directory, or the
 * standard library's (whose import paths are its directories).  A path
 * of that start whose directory does not exist under the root is the
 * module's file.
 */
struct untrim {
	char *from, *to;
	const char *real_root;
};

static void untrim_init(struct untrim *u, const char *real_root, const char *prefix)
{
	struct strbuf dir = STRBUF_INIT, mod = STRBUF_INIT, path = STRBUF_INIT;
	char *cwd = realpath(".", NULL);

	memset(u, 0, sizeof(*u));
	u->real_root = real_root;
	if (!prefix || !cwd || !real_root)
		goto out;
	strbuf_addstr(&dir, cwd);
	for (;;) {
		char *slash;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/go.mod", dir.buf);
		if (strbuf_read_file(&mod, path.buf, 1 << 20) >= 0)
			break;
		slash = strrchr(dir.buf, '/');
		if (!slash || !dir.buf[1])
			goto out; /* no go.mod up to "/" */
		strbuf_setlen(&dir, slash > dir.buf ? (size_t)(slash - dir.buf) : 1);
	}
	strbuf_reset(&path);
	if (gosrc_module_path(&path, mod.buf, mod.len) || !strcmp(path.buf, "std") ||
	    !strcmp(path.buf, "cmd"))
		goto out;
	strbuf_reset(&mod);
	strbuf_addf(&mod, "%s%s/", prefix, path.buf);
	u->from = strbuf_detach(&mod, NULL);
	if (dir.buf[dir.len - 1] != '/')
		strbuf_addch(&dir, '/');
	u->to = strbuf_detach(&dir, NULL);
out:
	free(cwd);
	strbuf_release(&dir);
	strbuf_release(&mod);
	strbuf_release(&path);
}

static void untrim_release(struct untrim *u)
{
	free(u->from);
	free(u->to);
}

/*
 * The module file `path` names when it is a trimmed path (struct untrim)
 * whose directory does not exist: relative to the root, or absolute when
 * outside it; malloc'd.  Else NULL.  `dirs` caches directory -> exists.
 */
static char *untrim_path(const struct untrim *u, struct strmap *dirs, const char *path)
{
	size_t fl = u->from ? strlen(u->from) : 0, rl;
	struct strbuf sb = STRBUF_INIT;
	const char *slash;
	uintptr_t state;

	if (!fl || strncmp(path, u->from, fl))
		return NULL;
	slash = strrchr(path, '/');
	state = (uintptr_t)strmap_get(dirs, path, (size_t)(slash - path));
	if (!state) {
		struct stat st;

		strbuf_addf(&sb, "%s/%.*s", u->real_root, (int)(slash - path), path);
		state = !stat(sb.buf, &st) && S_ISDIR(st.st_mode) ? 1 : 2;
		strmap_put(dirs, path, (size_t)(slash - path), (void *)state);
		strbuf_release(&sb);
	}
	if (state == 1)
		return NULL;
	rl = strlen(u->real_root);
	if (rl == 1)
		rl = 0; /* the root is "/" */
	strbuf_addf(&sb, "%s%s", u->to, path + fl);
	if (!strncmp(sb.buf, u->real_root, rl) && sb.buf[rl] == '/') {
		char *rel = xstrdup(sb.buf + rl + 1);

		strbuf_release(&sb);
		return rel;
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * Placing the findings of --input: the paths the parser kept as printed
 * outside the root are resolved (resolve_outside), batch by batch as they
 * are read (place_resolve).  What stays outside is dropped at the end
 * (place_drop), unless `keep` (--mode all) and no finding lies under the
 * root (a log read in another directory): then the findings in .go files
 * are kept with their paths as written (not the go command's $WORK, nor
 * <autogenerated> code).  Steps left outside are marked so.  The counts
 * are of every finding read, before the batch callback dropped any.
 */
struct place {
	struct strmap resolved;
	const struct untrim *untrim;
	struct strmap dirs;    /* untrim_path's */
	char *real_root;
	size_t inside;         /* under the root */
	size_t outside;        /* outside it (not <autogenerated>) */
	size_t outside_other;  /* of those, not in a .go file, or in $WORK */
	size_t read;           /* every finding but <autogenerated> ones */
};

/* `real_root`: the root with its links resolved (copied), or NULL. */
static void place_init(struct place *pl, const char *real_root, const struct untrim *u)
{
	memset(pl, 0, sizeof(*pl));
	pl->real_root = real_root ? xstrdup(real_root) : NULL;
	pl->untrim = u;
}

static void place_release(struct place *pl)
{
	const struct strmap_entry *e;
	size_t it = 0;

	while (strmap_next(&pl->resolved, &it, &e))
		free(e->value);
	strmap_release(&pl->resolved);
	strmap_release(&pl->dirs);
	free(pl->real_root);
}

static void place_resolve(struct place *pl, struct finding_list *l)
{
	size_t i, j;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		char *rel;

		for (j = 0; j < f->flow_nr; j++) {
			struct flow_step *st = &f->flow[j];

			if (!outside_root(st->file)) {
				if ((rel = untrim_path(pl->untrim, &pl->dirs, st->file))) {
					finding_step_set_file(f, st, rel);
					free(rel);
				}
				continue;
			}
			if (pl->real_root && (rel = resolve_outside(&pl->resolved, pl->real_root, st->file))) {
				finding_step_set_file(f, st, rel);
				free(rel);
			} else {
				st->outside = 1;
			}
		}
		if (!outside_root(f->file))
			rel = untrim_path(pl->untrim, &pl->dirs, f->file);
		else if (pl->real_root)
			rel = resolve_outside(&pl->resolved, pl->real_root, f->file);
		else
			rel = NULL;
		if (rel) {
			free(f->file);
			f->file = rel;
		}
		if (starts_with(f->file, "<"))
			continue;
		pl->read++;
		if (!outside_root(f->file)) {
			pl->inside++;
		} else {
			pl->outside++;
			pl->outside_other += never_kept(f->file);
		}
	}
}

/* How many findings read lie outside and are dropped. */
static size_t place_dropped(const struct place *pl, int keep)
{
	return !keep || pl->inside ? pl->outside : pl->outside_other;
}

/* Drop from `l` what place_dropped() counts, and <autogenerated> findings. */
static void place_drop(const struct place *pl, struct finding_list *l, int keep)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (starts_with(f->file, "<") ||
		    (outside_root(f->file) && (!keep || pl->inside || never_kept(f->file)))) {
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
}

/* The current directory relative to `root` ("" or "sub/"), NULL when outside. */
static char *cwd_prefix(const char *root)
{
	char *cwd = realpath(".", NULL), *real_root = realpath(root, NULL), *res = NULL;
	size_t rl = real_root ? strlen(real_root) : 0;

	if (cwd && real_root && !strncmp(cwd, real_root, rl) && (!cwd[rl] || cwd[rl] == '/')) {
		res = cwd[rl] ? xstrdup(cwd + rl + 1) : xstrdup("");
		if (*res) {
			char *slashed = path_join(res, "");

			free(res);
			res = slashed;
		}
	}
	free(cwd);
	free(real_root);
	return res;
}

/*
 * The reading thread hands the findings of each package block that ended
 * to a worker, which places them and gives them to the caller's callback
 * (locate, classify) while the next blocks are read; once the log is read,
 * the reading thread takes batches too.  Batches stay in input order, each
 * handled in place; each thread places with its own `struct place`.
 */
struct batch {
	struct finding_list l;
	struct batch *next;
};

struct worker {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch *first, **tail, *todo;
	int done;
	enum parse_flow_style style; /* the parser's, when the last batch was given */
	input_batch_fn *fn;
	void *data;
};

static void worker_handle(struct worker *w, struct place *pl, struct finding_list *l,
			  enum parse_flow_style style)
{
	place_resolve(pl, l);
	if (w->fn)
		w->fn(w->data, l, style);
}

/* Handle batches until none is left and no more will come. */
static void worker_drain(struct worker *w, struct place *pl)
{
	for (;;) {
		struct batch *b;
		enum parse_flow_style style;

		pthread_mutex_lock(&w->lock);
		while (!w->todo && !w->done)
			pthread_cond_wait(&w->cond, &w->lock);
		b = w->todo;
		if (b)
			w->todo = b->next;
		style = w->style;
		pthread_mutex_unlock(&w->lock);
		if (!b)
			return;
		worker_handle(w, pl, &b->l, style);
	}
}

struct worker_thread {
	struct worker *w;
	struct place place;
};

static void *work(void *data)
{
	struct worker_thread *t = data;

	worker_drain(t->w, &t->place);
	return NULL;
}

/* Queue the findings of `l` (emptied) as the next batch; `p` has read them. */
static void worker_give(struct worker *w, struct finding_list *l, const struct parser *p)
{
	struct parse_stats st;
	struct batch *b;

	if (!l->nr)
		return;
	parser_stats(p, &st);
	b = xcalloc(1, sizeof(*b));
	finding_list_move(&b->l, l);
	pthread_mutex_lock(&w->lock);
	w->style = st.flow_style;
	*w->tail = b;
	w->tail = &b->next;
	if (!w->todo)
		w->todo = b;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* No more batches: the threads that wait return. */
static void worker_close(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->done = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Move every batch's findings, in order, to `out`. */
static void worker_collect(struct worker *w, struct finding_list *out)
{
	while (w->first) {
		struct batch *b = w->first;

		w->first = b->next;
		finding_list_move(out, &b->l);
		finding_list_release(&b->l);
		free(b);
	}
	w->tail = &w->first;
}

/* Read the log at `fd` with parser `p`, queueing each ended block. */
static int read_log(struct worker *w, struct parser *p, int fd, const char *input)
{
	struct finding_list l = FINDING_LIST_INIT;
	char *buf = xmalloc(MAX_INPUT_CHUNK);
	int ret = 0;

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
		if (parser_take_ended(p, &l))
			worker_give(w, &l, p);
	}
	parser_finish(p);
	parser_take_findings(p, &l);
	worker_give(w, &l, p);
	finding_list_release(&l);
	free(buf);
	return ret;
}

/* The size of the regular file open at `fd`, else 0 (a pipe). */
static unsigned long long input_size(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : 0;
}

static void set_parse_opts(struct parse_opts *po, const char *prefix, const char *root, int max_flow)
{
	/* $PWD names the same directory through symbolic links, as printed
	 * by a build run there */
	const char *pwd = getenv("PWD");
	struct stat a, b;

	memset(po, 0, sizeof(*po));
	po->prefix = prefix ? prefix : "";
	po->root_abs = root;
	po->keep_outside = 1; /* placed afterwards */
	po->exact_steps = max_flow;
	if (pwd && pwd[0] == '/' && strcmp(pwd, root) && !stat(pwd, &a) && !stat(root, &b) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		po->root_alt = pwd;
}

/* Parse the log at `fd`: read here, batches handled here and in a second thread. */
static int parse_log(struct finding_list *out, struct place *pl, int fd, const char *input,
		     const struct parse_opts *po, input_batch_fn *fn, void *data)
{
	struct worker w;
	struct worker_thread t;
	struct parser *p = parser_new(po);
	pthread_t th;
	int ret, running;

	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	w.tail = &w.first;
	w.fn = fn;
	w.data = data;
	t.w = &w;
	place_init(&t.place, pl->real_root, pl->untrim);
	running = !compat_thread_beside(&th, work, &t);
	ret = read_log(&w, p, fd, input);
	parser_free(p);
	worker_close(&w);
	worker_drain(&w, pl);
	if (running)
		pthread_join(th, NULL);
	pl->inside += t.place.inside;
	pl->outside += t.place.outside;
	pl->outside_other += t.place.outside_other;
	pl->read += t.place.read;
	place_release(&t.place);
	worker_collect(&w, out);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	return ret;
}

int input_read(struct finding_list *out, const char *input, const char *root, int keep,
	       int max_flow, input_batch_fn *fn, void *data)
{
	struct parse_opts po;
	struct finding_list l = FINDING_LIST_INIT;
	struct place pl;
	struct untrim untrim;
	char *prefix = cwd_prefix(root), *real_root;
	int fd, ret;
	size_t dropped;

	fd = strcmp(input, "-") ? open(input, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		free(prefix);
		return error_set(ER_EUSAGE, "cannot read --input %s: %s", input, strerror(errno));
	}
	set_parse_opts(&po, prefix, root, max_flow);
	/* what a large log keeps is a third of its size (the standard
	 * library's: 58 MB of 150) */
	compat_heap_hugepages((size_t)(input_size(fd) / 2));
	real_root = realpath(root, NULL);
	untrim_init(&untrim, real_root, prefix);
	place_init(&pl, real_root, &untrim);
	ret = parse_log(&l, &pl, fd, input, &po, fn, data);
	dropped = place_dropped(&pl, keep);
	if (!ret && dropped && dropped == pl.read)
		ret = error_set(ER_EINPUT, "all %zu findings of --input %s are in files outside %s, so none is left to review (paths are taken relative to the current directory: run from the directory the build ran in, or use -C DIR%s)",
				dropped, input, root,
				keep ? "" : "; --mode all keeps them with their paths as written");
	place_drop(&pl, &l, keep);
	/* the parser's and the threads' temporary memory is free now: what
	 * follows (fingerprints, the report) should not stand on it */
	compat_heap_trim();
	finding_list_move(out, &l);
	finding_list_release(&l);
	place_release(&pl);
	untrim_release(&untrim);
	free(real_root);
	if (fd > 0)
		close(fd);
	free(prefix);
	return ret;
}
