/*
 * dependents.c: the reverse import graph of the repository's modules (go
 * list, cached by tree) and the rounds that follow changed escape
 * summaries into importing packages until nothing changes (dependents.h).
 */
#include "dependents.h"
#include "compare.h"
#include "diff.h"
#include "errors.h"
#include "run.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GO_LIST_MAX (64u << 20)

struct gpkg {
	char *path;      /* import path */
	char *moddir;    /* repository-relative module directory */
	char *pkg;       /* "./x" or "." */
	char **imports;
	size_t imports_nr, imports_alloc;
	unsigned analysed : 1;
};

struct graph {
	struct gpkg *pkgs;
	size_t nr, alloc;
	struct strmap by_path;   /* import path -> index + 1 */
};

static void graph_release(struct graph *g)
{
	size_t i, j;

	for (i = 0; i < g->nr; i++) {
		free(g->pkgs[i].path);
		free(g->pkgs[i].moddir);
		free(g->pkgs[i].pkg);
		for (j = 0; j < g->pkgs[i].imports_nr; j++)
			free(g->pkgs[i].imports[j]);
		free(g->pkgs[i].imports);
	}
	free(g->pkgs);
	strmap_release(&g->by_path);
}

static struct gpkg *graph_get(const struct graph *g, const char *path)
{
	size_t idx = (size_t)(uintptr_t)strmap_get(&g->by_path, path, strlen(path));

	return idx ? &g->pkgs[idx - 1] : NULL;
}

/* One line of go list: "PATH\tMODULE\tIMPORT IMPORT ...". */
static void graph_add_line(struct graph *g, const char *moddir, const char *line)
{
	const char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *p;
	struct gpkg *k;
	size_t plen, mlen;

	if (!t1 || !t2)
		return;
	plen = (size_t)(t1 - line);
	mlen = (size_t)(t2 - t1 - 1);
	if (!mlen || plen < mlen || strncmp(line, t1 + 1, mlen) ||
	    (plen > mlen && line[mlen] != '/') || strmap_get(&g->by_path, line, plen))
		return;
	ALLOC_GROW(g->pkgs, g->nr + 1, g->alloc);
	k = &g->pkgs[g->nr++];
	memset(k, 0, sizeof(*k));
	k->path = xstrndup(line, plen);
	k->moddir = xstrdup(moddir);
	if (plen == mlen) {
		k->pkg = xstrdup(".");
	} else {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "./%.*s", (int)(plen - mlen - 1), line + mlen + 1);
		k->pkg = strbuf_detach(&sb, NULL);
	}
	strmap_put(&g->by_path, k->path, plen, (void *)(uintptr_t)g->nr);
	for (p = t2 + 1; *p;) {
		size_t n = strcspn(p, " ");

		if (n) {
			ALLOC_GROW(k->imports, k->imports_nr + 1, k->imports_alloc);
			k->imports[k->imports_nr++] = xstrndup(p, n);
		}
		p += n;
		p += strspn(p, " ");
	}
}

/* The cache entry of one module's go list: its key, then the output. */
static void cache_path(struct strbuf *path, struct strbuf *key, const struct dependents_opts *o,
		       const char *moddir)
{
	/* what decides the imports besides the tree: the platform and the
	 * tags (a _windows.go file, a //go:build line), as go env says them */
	strbuf_addf(key, "escape-review deps 2\ntree %s\nmodule %s\ngo %s\nGOFLAGS %s\nbuild_flags %s\n%s",
		    o->tree, moddir, o->go_version ? o->go_version : "",
		    getenv("GOFLAGS") ? getenv("GOFLAGS") : "",
		    o->build && o->build->build_flags ? o->build->build_flags : "",
		    o->go_env ? o->go_env : "");
	strbuf_addf(path, "%s/escape-review/deps/%016llx.txt", o->gitdir,
		    strmap_hash(key->buf, key->len));
}

static void cache_write(const char *path, const struct strbuf *key, const struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT, dir = STRBUF_INIT;
	FILE *fp;

	strbuf_addstr(&dir, path);
	strbuf_setlen(&dir, (size_t)(strrchr(dir.buf, '/') - dir.buf));
	mkdir(dir.buf, 0777);
	strbuf_addf(&tmp, "%s.tmp", path);
	fp = fopen(tmp.buf, "w");
	if (fp) {
		int ok = fwrite(key->buf, 1, key->len, fp) == key->len &&
			 fwrite(out->buf, 1, out->len, fp) == out->len;

		if (fclose(fp) || !ok || rename(tmp.buf, path))
			remove(tmp.buf);
	}
	strbuf_release(&tmp);
	strbuf_release(&dir);
}

/* go list of one module (or its cached output) into the graph. */
static int graph_add_module(struct graph *g, const struct dependents_opts *o, const char *moddir)
{
	static const char fmt[] =
		"{{.ImportPath}}\t{{if .Module}}{{.Module.Path}}{{end}}\t{{join .Imports \" \"}}";
	struct child_argv argv = CHILD_ARGV_INIT;
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, key = STRBUF_INIT, path = STRBUF_INIT;
	char *dir = *moddir ? path_join(o->head_root, moddir) : xstrdup(o->head_root), *line;
	int ret = 0, cached = 0;

	if (o->gitdir && o->tree) {
		cache_path(&path, &key, o, moddir);
		if (strbuf_read_file(&out, path.buf, GO_LIST_MAX) >= 0 && out.len >= key.len &&
		    !memcmp(out.buf, key.buf, key.len))
			cached = 1;
		else
			strbuf_reset(&out);
	}
	if (!cached) {
		child_argv_push(&argv, o->build && o->build->go ? o->build->go : "go");
		child_argv_push(&argv, "list");
		child_argv_push(&argv, "-e");
		child_argv_split(&argv, o->build ? o->build->build_flags : NULL);
		child_argv_push(&argv, "-f");
		child_argv_push(&argv, fmt);
		child_argv_push(&argv, "./...");
		cp.argv = argv.v;
		cp.dir = dir;
		if (o->verbose)
			fprintf(stderr, "escape-review: (in %s) go list -e%s%s -f '%s' ./...\n",
				*moddir ? moddir : ".", o->build && o->build->build_flags ? " " : "",
				o->build && o->build->build_flags ? o->build->build_flags : "", fmt);
		ret = child_capture(&cp, &out, &err, GO_LIST_MAX);
		if (ret < 0)
			goto out;
		if (ret) {
			ret = error_set(ER_EANALYSIS, "go list in %s failed: %s", *moddir ? moddir : ".",
					err.buf);
			goto out;
		}
		if (path.len)
			cache_write(path.buf, &key, &out);
	}
	for (line = out.buf + (cached ? key.len : 0); line && *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		graph_add_line(g, moddir, line);
		line = nl ? nl + 1 : NULL;
	}
out:
	child_argv_clear(&argv);
	free(dir);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&key);
	strbuf_release(&path);
	return ret;
}

static int graph_build(struct graph *g, const struct dependents_opts *o)
{
	struct pkgset mods = PKGSET_INIT;
	size_t i;
	int ret = 0;

	pkgset_add_all(&mods, o->head_root);
	for (i = 0; i < mods.nr && !ret; i++)
		ret = graph_add_module(g, o, mods.mods[i].dir);
	pkgset_release(&mods);
	return ret;
}

static struct gpkg *graph_find_dir(const struct graph *g, const char *moddir, const char *pkg)
{
	size_t i;

	for (i = 0; i < g->nr; i++)
		if (!strcmp(g->pkgs[i].moddir, moddir) && !strcmp(g->pkgs[i].pkg, pkg))
			return &g->pkgs[i];
	return NULL;
}

static int imports(const struct gpkg *k, const char *path)
{
	size_t i;

	for (i = 0; k && i < k->imports_nr; i++)
		if (!strcmp(k->imports[i], path))
			return 1;
	return 0;
}

/* `name` occurs in `text` as a whole qualified identifier. */
static int mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; text && (p = strstr(p, name)); p++) {
		char after = p[n];
		char before = p > text ? p[-1] : ' ';

		if ((after == '_' || (after >= '0' && after <= '9') || (after >= 'a' && after <= 'z') ||
		     (after >= 'A' && after <= 'Z')) ||
		    (before == '.' || before == '_' || (before >= 'a' && before <= 'z') ||
		     (before >= 'A' && before <= 'Z')))
			continue;
		return 1;
	}
	return 0;
}

/* The finding's chain mentions the changed function or its parameters
 * ("store.Observe" called, "store.p" of its inlined body). */
static int chain_mentions(const struct finding *f, const struct summary_change *c)
{
	const char *slash = strrchr(c->package, '/');
	const char *pkg = slash ? slash + 1 : c->package;
	struct strbuf name = STRBUF_INIT;
	size_t i, j;
	int hit = 0;

	strbuf_addf(&name, "%s.%s", pkg, c->function);
	for (i = 0; i < f->facts.callees_nr && !hit; i++)
		hit = !strcmp(f->facts.callees[i], name.buf);
	for (i = 0; i < f->flow_nr && !hit; i++) {
		const struct flow_step *st = &f->flow[i];

		hit = (st->inlined && !strcmp(st->inlined, name.buf)) || mentions(st->text, name.buf);
		for (j = 0; j < c->params_nr && !hit; j++) {
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.%s", pkg, c->params[j]);
			hit = mentions(st->text, name.buf);
		}
		strbuf_reset(&name);
		strbuf_addf(&name, "%s.%s", pkg, c->function);
	}
	strbuf_release(&name);
	return hit;
}

/*
 * The summary change a finding of package `k` follows from: one its chain
 * mentions, in a package `k` imports first, then anywhere; else the first
 * change in a package `k` imports, else the first change.
 */
static const struct summary_change *attribute(const struct finding *f, const struct gpkg *k,
					      const struct summary_changes *cs, size_t upto)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 4; pass++)
		for (i = 0; i < upto; i++) {
			const struct summary_change *c = cs->items[i];

			if (f->package && !strcmp(c->package, f->package))
				continue;
			if ((pass == 0 || pass == 2) && !imports(k, c->package))
				continue;
			if (pass < 2 && !chain_mentions(f, c))
				continue;
			return c;
		}
	return upto ? cs->items[0] : NULL;
}

static void set_cause(struct finding *f, const struct summary_change *c)
{
	const struct summary_change *root = c->root ? c->root : c;
	struct finding_cause *k = xcalloc(1, sizeof(*k));
	struct strbuf why = STRBUF_INIT;
	char *name = summary_change_name(root);

	k->package = xstrdup(root->package);
	k->function = xstrdup(root->function);
	k->file = xstrdup(root->file);
	k->line = root->line;
	k->before = xstrdup(root->before);
	k->after = xstrdup(root->after);
	strbuf_addf(&why, "because %s, changed in this diff, %s", name, root->what);
	if (c->root) {
		k->via = summary_change_name(c);
		strbuf_addf(&why, " (through %s, which %s)", k->via, c->what);
	}
	k->why = strbuf_detach(&why, NULL);
	f->induced_by = k;
	free(name);
}

/* The changes of this round's packages, each following from an earlier one. */
static void round_changes(struct dependents_result *res, const struct graph *g,
			  const struct finding_list *h, const struct finding_list *b,
			  const struct parse_note_list *hn, const struct parse_note_list *bn,
			  size_t upto)
{
	struct summary sb = SUMMARY_INIT, sh = SUMMARY_INIT;
	struct summary_changes cs = SUMMARY_CHANGES_INIT;
	size_t i, j;

	summary_add_findings(&sb, b);
	summary_add_findings(&sh, h);
	summary_add_notes(&sb, bn);
	summary_add_notes(&sh, hn);
	summary_diff(&cs, &sb, &sh);
	for (i = 0; i < cs.nr; i++) {
		struct summary_change *c = cs.items[i];
		const struct summary_change *m = NULL;

		for (j = 0; j < h->nr + b->nr && !m; j++) {
			const struct finding *f = j < h->nr ? h->items[j] : b->items[j - h->nr];

			if ((f->verdict == VERDICT_LEAK_PARAM || f->verdict == VERDICT_LEAK_CONTENT) &&
			    f->function && !strcmp(f->function, c->function) && f->package &&
			    !strcmp(f->package, c->package))
				m = attribute(f, graph_get(g, c->package), &res->changes, upto);
		}
		/* an inlining change alone: the first change in a package it imports */
		for (j = 0; j < upto && !m; j++)
			if (imports(graph_get(g, c->package), res->changes.items[j]->package))
				m = res->changes.items[j];
		if (!m)
			m = res->changes.items[0];
		c->root = m->root ? m->root : m;
		ALLOC_GROW(res->changes.items, res->changes.nr + 1, res->changes.alloc);
		res->changes.items[res->changes.nr++] = c;
	}
	free(cs.items);
	summary_release(&sb);
	summary_release(&sh);
}

/* A dependent's own leaking parameters are summaries: they carry the change
 * on to the next round (and name it as `via`), they are not findings. */
static int is_summary(const struct finding *f)
{
	return f->verdict == VERDICT_LEAK_PARAM || f->verdict == VERDICT_LEAK_CONTENT;
}

static const struct change unchanged; /* no file: compare_match() takes every line as kept */

/* Keep the findings that came or went, each with its cause. */
static void round_findings(struct dependents_result *res, const struct dependents_opts *o,
			   const struct graph *g, struct finding_list *h, struct finding_list *b,
			   size_t upto)
{
	struct finding_list fixed = FINDING_LIST_INIT;
	size_t i;

	o->classify(o->ctx, h, 0);
	o->classify(o->ctx, b, 1);
	/* their files are not the change's: every line is where it was */
	compare_match(h, b, &fixed, NULL, &unchanged);
	for (i = 0; i < h->nr; i++) {
		struct finding *f = h->items[i];

		if (f->status == STATUS_EXISTING && f->contract) {
			finding_list_add(&res->found, f); /* broken at base already */
			continue;
		}
		if (f->status != STATUS_NEW || is_summary(f)) {
			finding_free(f);
			continue;
		}
		set_cause(f, attribute(f, graph_get(g, f->package ? f->package : ""), &res->changes, upto));
		finding_list_add(&res->found, f);
	}
	h->nr = 0;
	for (i = 0; i < fixed.nr; i++) {
		struct finding *f = fixed.items[i];

		if (is_summary(f)) {
			finding_free(f);
			continue;
		}
		set_cause(f, attribute(f, graph_get(g, f->package ? f->package : ""), &res->changes, upto));
		finding_list_add(&res->fixed, f);
	}
	fixed.nr = 0;
	finding_list_release(&fixed);
}

static void print_round(const struct dependents_result *res, size_t from, const struct pkgset *set,
			const struct graph *g)
{
	size_t i, j;

	fprintf(stderr, "escape-review: dependents, round %zu: summaries changed:", res->rounds);
	for (i = from; i < res->changes.nr; i++) {
		char *name = summary_change_name(res->changes.items[i]);

		if (res->changes.items[i]->generic)
			fprintf(stderr, " %s (generic, changed)%s", name,
				i + 1 < res->changes.nr ? "," : "");
		else
			fprintf(stderr, " %s (%s -> %s)%s", name, *res->changes.items[i]->before ?
				res->changes.items[i]->before : "nothing leaks",
				*res->changes.items[i]->after ? res->changes.items[i]->after :
				"nothing leaks", i + 1 < res->changes.nr ? "," : "");
		free(name);
	}
	fprintf(stderr, "; analysing:");
	for (i = 0; i < set->nr; i++)
		for (j = 0; j < set->mods[i].pkgs_nr; j++) {
			const struct gpkg *k = graph_find_dir(g, set->mods[i].dir, set->mods[i].pkgs[j]);

			fprintf(stderr, " %s", k ? k->path : set->mods[i].pkgs[j]);
		}
	fputc('\n', stderr);
}

/* One round: the importers of the changes from `from` on.  1 when none is left. */
static int run_round(struct dependents_result *res, const struct dependents_opts *o,
		     struct graph *g, size_t from, int *stop)
{
	struct pkgset set = PKGSET_INIT;
	struct finding_list h = FINDING_LIST_INIT, b = FINDING_LIST_INIT;
	struct parse_note_list hn = PARSE_NOTE_LIST_INIT, bn = PARSE_NOTE_LIST_INIT;
	size_t upto = res->changes.nr, i, j;
	int ret = 0;

	*stop = 1;
	for (i = 0; i < g->nr; i++) {
		struct gpkg *k = &g->pkgs[i];

		if (k->analysed)
			continue;
		for (j = from; j < upto && !imports(k, res->changes.items[j]->package); j++)
			;
		if (j == upto)
			continue;
		k->analysed = 1;
		if (res->analysed >= o->max) {
			ALLOC_GROW(res->skipped, res->skipped_nr + 1, res->skipped_alloc);
			res->skipped[res->skipped_nr++] = xstrdup(k->path);
			continue;
		}
		pkgset_add_package(&set, k->moddir, k->pkg);
		res->analysed++;
	}
	if (!set.nr)
		goto out;
	res->rounds++;
	if (o->verbose)
		print_round(res, from, &set, g);
	if ((ret = o->analyse(o->ctx, &h, &b, &hn, &bn, &set)))
		goto out;
	round_changes(res, g, &h, &b, &hn, &bn, upto);
	round_findings(res, o, g, &h, &b, upto);
	*stop = res->changes.nr == upto;
out:
	finding_list_release(&h);
	finding_list_release(&b);
	parse_note_list_release(&hn);
	parse_note_list_release(&bn);
	pkgset_release(&set);
	return ret;
}

void dependents_base(struct summary *out, const struct finding_list *base0,
		     const struct parse_note_list *base_notes0)
{
	summary_add_findings(out, base0);
	if (base_notes0)
		summary_add_notes(out, base_notes0);
	summary_sort(out);
}

void dependents_changes_from(struct dependents_result *res, struct summary *head,
			     const struct finding_list *head0,
			     const struct parse_note_list *head_notes0, struct summary *base)
{
	summary_add_findings(head, head0);
	if (head_notes0)
		summary_add_notes(head, head_notes0);
	summary_diff(&res->changes, base, head);
	summary_release(head);
}

void dependents_changes(struct dependents_result *res, const struct finding_list *head0,
			const struct parse_note_list *head_notes0, struct summary *base)
{
	struct summary sh = SUMMARY_INIT;

	dependents_changes_from(res, &sh, head0, head_notes0, base);
}

/* The changed generic functions, as changes of their packages' summaries. */
static void add_generics(struct dependents_result *res, const struct dependents_opts *o,
			 const struct graph *g)
{
	size_t i;

	for (i = 0; i < o->generics_nr; i++) {
		const struct dependents_generic *d = &o->generics[i];
		const struct gpkg *k = graph_find_dir(g, d->moddir, d->pkg);
		struct summary_change *c;

		if (!k)
			continue;
		c = xcalloc(1, sizeof(*c));
		c->package = xstrdup(k->path);
		c->function = xstrdup(d->function);
		c->file = xstrdup(d->file);
		c->line = d->line;
		c->before = xstrdup("");
		c->after = xstrdup("");
		c->what = xstrdup("is generic, compiled where it is instantiated");
		c->generic = 1;
		ALLOC_GROW(res->changes.items, res->changes.nr + 1, res->changes.alloc);
		res->changes.items[res->changes.nr++] = c;
	}
}

int dependents_follow(struct dependents_result *res, const struct dependents_opts *o,
		      const struct pkgset *changed)
{
	struct graph g = { NULL, 0, 0, STRMAP_INIT };
	size_t from = 0, i, j;
	int ret = 0, stop = 0;

	if (!res->changes.nr && !o->generics_nr)
		return 0;
	if ((ret = graph_build(&g, o)))
		goto out;
	add_generics(res, o, &g);
	if (!res->changes.nr)
		goto out;
	for (i = 0; i < changed->nr; i++)
		for (j = 0; j < changed->mods[i].pkgs_nr; j++) {
			struct gpkg *k = graph_find_dir(&g, changed->mods[i].dir, changed->mods[i].pkgs[j]);

			if (k)
				k->analysed = 1;
		}
	while (!stop && !ret) {
		size_t upto = res->changes.nr;

		ret = run_round(res, o, &g, from, &stop);
		from = upto;
	}
out:
	graph_release(&g);
	return ret;
}

void dependents_result_release(struct dependents_result *res)
{
	size_t i;

	finding_list_release(&res->found);
	finding_list_release(&res->fixed);
	summary_changes_release(&res->changes);
	for (i = 0; i < res->skipped_nr; i++)
		free(res->skipped[i]);
	free(res->skipped);
	memset(res, 0, sizeof(*res));
}
