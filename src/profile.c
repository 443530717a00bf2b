/*
 * profile.c: pprof files read through `go tool pprof -raw` (the
 * toolchain's own reader; no protobuf decoding here), summed per source
 * line (heap) and per function (CPU), and matched to findings (profile.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "profile.h"
#include "errors.h"
#include "packages.h"
#include "run.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The lookup tables behind profile.index. */
struct profile_index {
	struct strmap lines;   /* "file\nline" -> index + 1 */
	struct strmap funcs;   /* full pprof name -> index + 1 */
};

/* One frame of a location: innermost first. */
struct frame {
	size_t func;           /* index + 1 into profile.funcs; 0: no symbol */
	size_t line;           /* index + 1 into profile.lines; 0: no position */
};

struct location {
	struct frame *frames;
	size_t nr, alloc;
};

struct sample {
	unsigned long long bytes, objects;
	double cpu;
	size_t first, nr;      /* location ids in `ids` */
};

/* What one -raw output is parsed into before its samples are summed. */
struct raw {
	int col_bytes, col_objects, col_cpu;
	struct sample *samples;
	size_t samples_nr, samples_alloc;
	unsigned long *ids;
	size_t ids_nr, ids_alloc;
	struct location *locs;  /* by location id */
	size_t locs_alloc;
};

static struct profile_index *index_of(struct profile *p)
{
	if (!p->index)
		p->index = xcalloc(1, sizeof(struct profile_index));
	return p->index;
}

static size_t line_entry(struct profile *p, const char *file, size_t flen, int line)
{
	struct profile_index *ix = index_of(p);
	struct strbuf key = STRBUF_INIT;
	size_t i;

	strbuf_add(&key, file, flen);
	strbuf_addf(&key, "\n%d", line);
	i = (size_t)(uintptr_t)strmap_get(&ix->lines, key.buf, key.len);
	if (!i) {
		ALLOC_GROW(p->lines, p->lines_nr + 1, p->lines_alloc);
		memset(&p->lines[p->lines_nr], 0, sizeof(p->lines[0]));
		p->lines[p->lines_nr].file = xstrndup(file, flen);
		p->lines[p->lines_nr].line = line;
		i = ++p->lines_nr;
		strmap_put(&ix->lines, key.buf, key.len, (void *)(uintptr_t)i);
	}
	strbuf_release(&key);
	return i;
}

/* "example.com/m/pkg.(*T).M" -> "(*T).M": after the first '.' past the last '/'. */
static const char *short_name(const char *name, size_t len)
{
	const char *slash = NULL, *dot;
	size_t i;

	for (i = 0; i < len; i++)
		if (name[i] == '/')
			slash = name + i;
	dot = memchr(slash ? slash : name, '.', len - (size_t)((slash ? slash : name) - name));
	return dot ? dot + 1 : name;
}

static size_t func_entry(struct profile *p, const char *name, size_t nlen, const char *file,
			 size_t flen)
{
	struct profile_index *ix = index_of(p);
	size_t i = (size_t)(uintptr_t)strmap_get(&ix->funcs, name, nlen);

	if (!i) {
		const char *s = short_name(name, nlen);

		ALLOC_GROW(p->funcs, p->funcs_nr + 1, p->funcs_alloc);
		memset(&p->funcs[p->funcs_nr], 0, sizeof(p->funcs[0]));
		p->funcs[p->funcs_nr].name = xstrndup(s, nlen - (size_t)(s - name));
		p->funcs[p->funcs_nr].file = xstrndup(file, flen);
		i = ++p->funcs_nr;
		strmap_put(&ix->funcs, name, nlen, (void *)(uintptr_t)i);
	}
	return i;
}

/* The column of sample type `name` ("alloc_space") in the header, or -1. */
static int column_of(const char *hdr, size_t len, const char *name)
{
	size_t i = 0, nl = strlen(name);
	int col = 0;

	while (i < len) {
		size_t start;

		while (i < len && hdr[i] == ' ')
			i++;
		start = i;
		while (i < len && hdr[i] != ' ')
			i++;
		if (i == start)
			break;
		if (i - start > nl && !memcmp(hdr + start, name, nl) && hdr[start + nl] == '/')
			return col;
		col++;
	}
	return -1;
}

static void parse_header(struct raw *r, const char *hdr, size_t len)
{
	r->col_bytes = column_of(hdr, len, "alloc_space");
	r->col_objects = column_of(hdr, len, "alloc_objects");
	if (r->col_bytes < 0) {
		r->col_bytes = column_of(hdr, len, "inuse_space");
		r->col_objects = column_of(hdr, len, "inuse_objects");
	}
	r->col_cpu = column_of(hdr, len, "cpu");
}

/* "   1   96   1   96: 16 17 18 " */
static void parse_sample(struct raw *r, const char *s, const char *colon, const char *end)
{
	struct sample sm = { 0, 0, 0, r->ids_nr, 0 };
	int col = 0;

	while (s < colon) {
		char *e;
		unsigned long long v = strtoull(s, &e, 10);

		if (e == s)
			break;
		if (col == r->col_bytes)
			sm.bytes = v;
		if (col == r->col_objects)
			sm.objects = v;
		if (col == r->col_cpu)
			sm.cpu = (double)v;
		col++;
		s = e;
	}
	for (s = colon + 1; s < end;) {
		char *e;
		unsigned long id = strtoul(s, &e, 10);

		if (e == s)
			break;
		ALLOC_GROW(r->ids, r->ids_nr + 1, r->ids_alloc);
		r->ids[r->ids_nr++] = id;
		sm.nr++;
		s = e;
	}
	ALLOC_GROW(r->samples, r->samples_nr + 1, r->samples_alloc);
	r->samples[r->samples_nr++] = sm;
}

/* The characters of [a, b) are digits, and there is one. */
static int all_digits(const char *a, const char *b)
{
	if (a >= b)
		return 0;
	for (; a < b; a++)
		if (*a < '0' || *a > '9')
			return 0;
	return 1;
}

/*
 * A frame: "FUNC FILE:LINE:COL s=START" (Go 1.2x) or "FUNC FILE:LINE
 * s=START" (Go 1.19).  The file may hold spaces: the position is found
 * from the right.
 */
static void parse_frame(struct profile *p, struct location *loc, const char *s, const char *end)
{
	const char *sp = memchr(s, ' ', (size_t)(end - s)), *c1, *c2, *fend = end;
	struct frame fr = { 0, 0 };
	int line;

	if (!sp)
		return;
	while (fend > sp && fend[-1] == ' ')
		fend--;
	for (c1 = fend; c1 > sp && *c1 != ' '; c1--)
		;
	if (c1 > sp && starts_with(c1, " s="))
		fend = c1;
	for (c2 = fend - 1; c2 > sp && *c2 != ':'; c2--)
		; /* the last ':' */
	for (c1 = c2 - 1; c1 > sp && *c1 != ':'; c1--)
		; /* the one before */
	if (c1 > sp + 1 && all_digits(c1 + 1, c2) && all_digits(c2 + 1, fend)) {
		line = atoi(c1 + 1);  /* FILE:LINE:COL */
	} else if (c2 > sp + 1 && all_digits(c2 + 1, fend)) {
		line = atoi(c2 + 1);  /* FILE:LINE */
		c1 = c2;
	} else {
		return;
	}
	fr.func = func_entry(p, s, (size_t)(sp - s), sp + 1, (size_t)(c1 - sp - 1));
	if (line > 0)
		fr.line = line_entry(p, sp + 1, (size_t)(c1 - sp - 1), line);
	ALLOC_GROW(loc->frames, loc->nr + 1, loc->alloc);
	loc->frames[loc->nr++] = fr;
}

/* "    76: 0x5307d2 M=1 FRAME" or a continuation line "        FRAME". */
static struct location *parse_location(struct profile *p, struct raw *r, struct location *cur,
					const char *s, const char *end)
{
	char *e;
	unsigned long id = strtoul(s, &e, 10);

	if (e > s && *e == ':') {
		size_t old = r->locs_alloc;

		if (id > 50000000UL)
			return NULL;
		if (id >= r->locs_alloc) {
			ALLOC_GROW(r->locs, id + 1, r->locs_alloc);
			memset(r->locs + old, 0, (r->locs_alloc - old) * sizeof(*r->locs));
		}
		cur = &r->locs[id];
		s = e + 1;
		while (s < end && *s == ' ')
			s++;
		if (skip_prefix(s, "0x", &s))
			while (s < end && *s != ' ')
				s++;
		while (s < end && *s == ' ')
			s++;
		if (s < end && skip_prefix(s, "M=", &s))
			while (s < end && *s != ' ')
				s++;
		while (s < end && *s == ' ')
			s++;
	}
	if (cur && s < end)
		parse_frame(p, cur, s, end);
	return cur;
}

/* Sum the samples: heap at each sample's innermost frame, CPU per function. */
static void add_samples(struct profile *p, struct raw *r)
{
	size_t i, j, k;

	for (i = 0; i < r->samples_nr; i++) {
		const struct sample *sm = &r->samples[i];
		int leaf = 1;

		p->total_bytes += sm->bytes;
		p->total_cpu += sm->cpu;
		for (j = 0; j < sm->nr; j++) {
			unsigned long id = r->ids[sm->first + j];
			const struct location *loc = id < r->locs_alloc ? &r->locs[id] : NULL;

			for (k = 0; loc && k < loc->nr; k++) {
				const struct frame *fr = &loc->frames[k];

				if (leaf && fr->line) {
					p->lines[fr->line - 1].bytes += sm->bytes;
					p->lines[fr->line - 1].objects += sm->objects;
				}
				if (fr->func) {
					struct profile_func *fn = &p->funcs[fr->func - 1];

					if (leaf)
						fn->flat += sm->cpu;
					if (fn->seen != i + 1) {
						fn->seen = i + 1;
						fn->cum += sm->cpu;
					}
				}
				leaf = 0;
			}
		}
	}
	for (i = 0; i < p->funcs_nr; i++)
		p->funcs[i].seen = 0;
}

static void raw_release(struct raw *r)
{
	size_t i;

	for (i = 0; i < r->locs_alloc; i++)
		free(r->locs[i].frames);
	free(r->locs);
	free(r->samples);
	free(r->ids);
}

static int parse_raw(struct profile *p, const char *buf, size_t len, const char *path)
{
	struct raw r = { -1, -1, -1, NULL, 0, 0, NULL, 0, 0, NULL, 0 };
	struct location *cur = NULL;
	const char *s = buf, *end = buf + len;
	enum { HEAD, TYPES, SAMPLES, LOCATIONS, DONE } state = HEAD;
	int ret = 0;

	while (s < end && state != DONE) {
		const char *nl = memchr(s, '\n', (size_t)(end - s)), *le = nl ? nl : end;
		const char *t = s, *colon;

		while (t < le && *t == ' ')
			t++;
		if (state == HEAD && starts_with(s, "Samples:")) {
			state = TYPES;
		} else if (state == TYPES) {
			parse_header(&r, s, (size_t)(le - s));
			state = SAMPLES;
		} else if (state == SAMPLES && starts_with(s, "Locations")) {
			state = LOCATIONS;
		} else if (state == SAMPLES && t < le && *t >= '0' && *t <= '9' &&
			   (colon = memchr(t, ':', (size_t)(le - t)))) {
			parse_sample(&r, t, colon, le);
		} else if (state == LOCATIONS && (starts_with(s, "Mappings") || s == le)) {
			state = DONE;
		} else if (state == LOCATIONS) {
			cur = parse_location(p, &r, cur, t, le);
		}
		s = nl ? nl + 1 : end;
	}
	if (r.col_bytes < 0 && r.col_cpu < 0)
		ret = error_set(ER_EINPUT, "--profile %s: neither a heap profile (alloc_space, inuse_space) nor a CPU profile (cpu); record one with `go test -memprofile` or `-cpuprofile`",
				path);
	else
		add_samples(p, &r);
	raw_release(&r);
	return ret;
}

int profile_read(struct profile *p, const char *path, const struct build_opts *bo)
{
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, arg = STRBUF_INIT;
	const char *argv[] = { bo && bo->go ? bo->go : "go", "tool", "pprof", "-symbolize=none",
			       "-raw", NULL, NULL };
	char *real = realpath(path, NULL);
	int ret;

	if (!real)
		return error_set(ER_EINPUT, "--profile %s: cannot read it: no such file", path);
	/* an absolute path: pprof never takes it for host:port */
	strbuf_addstr(&arg, real);
	free(real);
	argv[5] = arg.buf;
	cp.argv = argv;
	ret = child_capture(&cp, &out, &err, PROFILE_MAX_RAW);
	if (ret < 0) {
		if (cp.spawn_errno)
			ret = error_set(ER_ENOGO, "--profile %s: cannot run `%s tool pprof`: is Go installed and on PATH?",
					path, argv[0]);
		goto out;
	}
	if (ret) {
		char *nl = strchr(err.buf, '\n');

		if (nl)
			*nl = '\0';
		ret = error_set(ER_EINPUT, "--profile %s: go tool pprof cannot read it: %s", path,
				err.len ? err.buf : "(no message)");
		goto out;
	}
	if (out.len >= PROFILE_MAX_RAW) {
		ret = error_set(ER_EINPUT, "--profile %s: more than %u MiB of samples; record a shorter profile",
				path, PROFILE_MAX_RAW >> 20);
		goto out;
	}
	ret = parse_raw(p, out.buf, out.len, path);
	if (!ret)
		p->files_nr++;
out:
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&arg);
	return ret;
}

/* `pf` (as recorded) is `ff` (repository-relative) under some root. */
static int same_file(const char *pf, const char *ff)
{
	size_t pl = strlen(pf), fl = strlen(ff);

	if (pl < fl || strcmp(pf + pl - fl, ff))
		return 0;
	return pl == fl || pf[pl - fl - 1] == '/';
}

static const char *base_name(const char *f)
{
	const char *s = strrchr(f, '/');

	return s ? s + 1 : f;
}

/* The chains of profile_line.next and profile_func.next, by base name and line / name. */
static void build_chains(struct profile *p, struct strmap *by_line, struct strmap *by_name)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;

	for (i = p->lines_nr; i-- > 0;) {
		struct profile_line *l = &p->lines[i];

		strbuf_reset(&key);
		strbuf_addf(&key, "%s\n%d", base_name(l->file), l->line);
		l->next = (size_t)(uintptr_t)strmap_put(by_line, key.buf, key.len,
							(void *)(uintptr_t)(i + 1));
	}
	for (i = p->funcs_nr; i-- > 0;) {
		struct profile_func *fn = &p->funcs[i];

		fn->next = (size_t)(uintptr_t)strmap_put(by_name, fn->name, strlen(fn->name),
							 (void *)(uintptr_t)(i + 1));
	}
	strbuf_release(&key);
}

/* Weight one finding; 1 when anything of the profile matched it. */
static int weigh(struct finding *f, struct profile *p, const struct strmap *by_line,
		 const struct strmap *by_name, double hot_share)
{
	struct strbuf key = STRBUF_INIT;
	double heap = 0;
	size_t i;
	int matched = 0;

	strbuf_addf(&key, "%s\n%d", base_name(f->file), f->line);
	for (i = (size_t)(uintptr_t)strmap_get(by_line, key.buf, key.len); i;
	     i = p->lines[i - 1].next) {
		struct profile_line *l = &p->lines[i - 1];

		if (!l->bytes && !l->objects)
			continue;
		if (!same_file(l->file, f->file))
			continue;
		f->alloc_bytes += l->bytes;
		f->alloc_objects += l->objects;
		l->matched = 1;
		matched = 1;
	}
	for (i = f->function ? (size_t)(uintptr_t)strmap_get(by_name, f->function,
							     strlen(f->function)) : 0;
	     i; i = p->funcs[i - 1].next) {
		struct profile_func *fn = &p->funcs[i - 1];

		if (!fn->cum || !same_file(fn->file, f->file) || !p->total_cpu)
			continue;
		f->cpu_flat += fn->flat / p->total_cpu;
		f->cpu_cum += fn->cum / p->total_cpu;
		fn->matched = 1;
		matched = 1;
	}
	strbuf_release(&key);
	if (p->total_bytes)
		heap = (double)f->alloc_bytes / (double)p->total_bytes;
	f->weight = heap > f->cpu_cum ? heap : f->cpu_cum;
	f->profiled = 1;
	if (f->weight > 0 && f->weight >= hot_share) {
		f->hot = 1;
		if (f->severity >= SEVERITY_INFO && f->severity < SEVERITY_ERROR)
			f->severity++;
	}
	return matched;
}

struct ranked {
	struct finding *f;
	size_t pos;
};

static int by_weight(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->f->weight != y->f->weight)
		return x->f->weight < y->f->weight ? 1 : -1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The heaviest first; equal weights keep the presentation order. */
static void sort_by_weight(struct finding_list *l)
{
	struct ranked *r = xcalloc(l->nr ? l->nr : 1, sizeof(*r));
	size_t i;

	for (i = 0; i < l->nr; i++)
		r[i] = (struct ranked){ l->items[i], i };
	qsort(r, l->nr, sizeof(*r), by_weight);
	for (i = 0; i < l->nr; i++)
		l->items[i] = r[i].f;
	free(r);
}

void profile_apply(struct profile_stats *out, struct finding_list *findings,
		   struct finding_list *fixed, const struct finding_list *hidden,
		   struct profile *p, double hot_share)
{
	struct strmap by_line = STRMAP_INIT, by_name = STRMAP_INIT;
	size_t i;

	memset(out, 0, sizeof(*out));
	build_chains(p, &by_line, &by_name);
	for (i = 0; i < findings->nr; i++)
		if (!weigh(findings->items[i], p, &by_line, &by_name, hot_share))
			out->findings_unmatched++;
	for (i = 0; i < fixed->nr; i++)
		weigh(fixed->items[i], p, &by_line, &by_name, hot_share);
	for (i = 0; hidden && i < hidden->nr; i++) {
		weigh(hidden->items[i], p, &by_line, &by_name, hot_share);
		out->hidden_hot += hidden->items[i]->hot;
	}
	for (i = 0; i < p->lines_nr; i++)
		if (p->lines[i].bytes && !p->lines[i].matched)
			out->profile_unmatched++;
	out->profiles_nr = p->files_nr;
	out->hot_share = hot_share;
	sort_by_weight(findings);
	sort_by_weight(fixed);
	strmap_release(&by_line);
	strmap_release(&by_name);
}

int profile_read_all(struct profile *p, const char *const *paths, size_t nr,
		     const struct build_opts *bo)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < nr && !ret; i++)
		ret = profile_read(p, paths[i], bo);
	return ret;
}

void profile_release(struct profile *p)
{
	struct profile_index *ix = p->index;
	size_t i;

	for (i = 0; i < p->lines_nr; i++)
		free(p->lines[i].file);
	for (i = 0; i < p->funcs_nr; i++) {
		free(p->funcs[i].name);
		free(p->funcs[i].file);
	}
	free(p->lines);
	free(p->funcs);
	if (ix) {
		strmap_release(&ix->lines);
		strmap_release(&ix->funcs);
		free(ix);
	}
	memset(p, 0, sizeof(*p));
}

double profile_parse_share(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !(v > 0) || v > 1)
		return -1;
	return v;
}
