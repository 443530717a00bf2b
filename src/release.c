/*
 * release.c: the release report (release.h): a review of every package at
 * two revisions turned into one document, counts per package and per rule,
 * the heaviest findings and the coordinates of its charts, rendered by the
 * report templates.  It formats only; the review and the profile are done.
 */
#include "release.h"
#include "checklist.h"
#include "errors.h"
#include "mustache.h"
#include "render.h"
#include "report.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Chart geometry (SVG user units). */
#define CHART_W 760
#define LABEL_W 220
#define ROW_H 26
#define MAX_ROWS 40

#define COLOR_NEW "#c0392b"
#define COLOR_EXISTING "#7f8c8d"
#define COLOR_FIXED "#27ae60"

void release_review_opts(struct review_opts *ro, const char *base, const char *head)
{
	ro->base = base;
	ro->head = head;
	ro->mode = MODE_NEW;
	ro->all_packages = 1;
	ro->keep_existing = 1;
	ro->worktree = 0;
}

/* One package or one function of the charts. */
struct tally {
	char *name;            /* package, or "package\nfunction" */
	const char *package;   /* points into name */
	const char *function;
	unsigned new_nr, fixed_nr, existing_nr;
	double bytes;          /* or the CPU share when no bytes */
};

struct tallies {
	struct tally *items;
	size_t nr, alloc;
	struct strmap index;
};

static struct tally *tally_get(struct tallies *t, const char *pkg, const char *fn)
{
	struct strbuf key = STRBUF_INIT;
	uintptr_t i;

	strbuf_addstr(&key, pkg ? pkg : "(no package)");
	if (fn) {
		strbuf_addch(&key, '\n');
		strbuf_addstr(&key, fn);
	}
	i = (uintptr_t)strmap_get(&t->index, key.buf, key.len);
	if (!i) {
		struct tally *n;
		size_t pl = strcspn(key.buf, "\n");

		ALLOC_GROW(t->items, t->nr + 1, t->alloc);
		n = &t->items[t->nr];
		memset(n, 0, sizeof(*n));
		strmap_put(&t->index, key.buf, key.len, (void *)(uintptr_t)(t->nr + 1));
		n->name = strbuf_detach(&key, NULL);
		n->package = n->name;
		if (fn) {
			n->name[pl] = '\0';
			n->function = n->name + pl + 1;
		}
		i = ++t->nr;
	}
	strbuf_release(&key);
	return &t->items[i - 1];
}

static void tally_add(struct tallies *t, const struct finding *f, int by_function)
{
	struct tally *x = tally_get(t, f->package, by_function ? (f->function ? f->function : "(package)") : NULL);

	if (f->status == STATUS_NEW)
		x->new_nr++;
	else if (f->status == STATUS_FIXED)
		x->fixed_nr++;
	else if (f->status == STATUS_EXISTING)
		x->existing_nr++;
	x->bytes += f->alloc_bytes ? (double)f->alloc_bytes : f->cpu_cum;
}

static void tallies_release(struct tallies *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		free(t->items[i].name);
	free(t->items);
	strmap_release(&t->index);
}

/* Fixed findings carry STATUS_FIXED only by the list they are in. */
static void tally_review(struct tallies *t, const struct review *rv, int by_function)
{
	size_t i;

	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		if (f->status == STATUS_NEW || f->status == STATUS_EXISTING)
			tally_add(t, f, by_function);
	}
	for (i = 0; i < rv->fixed.nr; i++) {
		struct finding tmp = *rv->fixed.items[i];

		tmp.status = STATUS_FIXED;
		tally_add(t, &tmp, by_function);
	}
}

static int by_new_then_bytes(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->new_nr != y->new_nr)
		return x->new_nr < y->new_nr ? 1 : -1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_package_then_bytes(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	int c = strcmp(x->package, y->package);

	if (c)
		return c;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return strcmp(x->function, y->function);
}

/* "3.9 MiB", "512 B" */
static void add_size(cJSON *o, const char *k, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	char buf[64];
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, sizeof(buf), u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
	cJSON_AddStringToObject(o, k, buf);
}

static void add_share(cJSON *o, const char *k, double share)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.2f%%", share * 100);
	cJSON_AddStringToObject(o, k, buf);
}

/* A coordinate, to a tenth: printed the same from the document and from a re-read of it. */
static void add_num(cJSON *o, const char *k, double v)
{
	cJSON_AddNumberToObject(o, k, (double)(long long)(v * 10 + (v < 0 ? -0.5 : 0.5)) / 10);
}

static cJSON *package_list(struct tallies *pk, double total)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	qsort(pk->items, pk->nr, sizeof(*pk->items), by_new_then_bytes);
	for (i = 0; i < pk->nr; i++) {
		const struct tally *t = &pk->items[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "package", t->package);
		report_add_counts(o, t->new_nr, t->fixed_nr, t->existing_nr);
		cJSON_AddNumberToObject(o, "bytes", t->bytes);
		add_size(o, "size", t->bytes);
		add_share(o, "share", total > 0 ? t->bytes / total : 0);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* A rule's row: new, fixed and existing; rules with none are left out. */
static int rule_row(cJSON *o, const struct rule *r, const struct rule_counts *c,
		    const cJSON *rows, const void *data)
{
	(void)rows;
	(void)data;
	if (!c->new_nr && !c->fixed_nr && !c->existing_nr)
		return 0;
	report_add_counts(o, c->new_nr, c->fixed_nr, c->existing_nr);
	report_add_doc_url(o, r);
	return 1;
}

/* Size, share and status flags on each finding object of `arr` (parallel to `l`). */
static void decorate(cJSON *arr, const struct finding_list *l, int fixed)
{
	cJSON *o;
	size_t i = 0;

	cJSON_ArrayForEach(o, arr) {
		const struct finding *f = i < l->nr ? l->items[i] : NULL;

		i++;
		if (!f)
			break;
		add_size(o, "size", (double)f->alloc_bytes);
		add_share(o, "share", f->weight);
		cJSON_AddBoolToObject(o, "is_fixed", fixed);
		cJSON_AddBoolToObject(o, "is_existing", f->status == STATUS_EXISTING);
		cJSON_AddBoolToObject(o, "is_hot", f->hot);
	}
}

/* The heaviest new and existing findings (rv->findings is ordered by weight). */
static cJSON *top_list(const cJSON *findings, const struct finding_list *l)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i = 0;

	cJSON_ArrayForEach(o, findings) {
		const struct finding *f = i < l->nr ? l->items[i] : NULL;

		i++;
		if (!f || !(f->weight > 0) ||
		    (f->status != STATUS_NEW && f->status != STATUS_EXISTING))
			continue;
		cJSON_AddItemToArray(arr, cJSON_Duplicate(o, 1));
		if (cJSON_GetArraySize(arr) >= RELEASE_TOP)
			break;
	}
	return arr;
}

static const char *status_color(const struct tally *t)
{
	if (t->new_nr)
		return COLOR_NEW;
	if (t->existing_nr)
		return COLOR_EXISTING;
	return COLOR_FIXED;
}

/* The bar chart: per package, a bar of new and one of fixed findings. */
static cJSON *bar_chart(const struct tallies *pk)
{
	cJSON *c = cJSON_CreateObject(), *bars = cJSON_AddArrayToObject(c, "bars");
	unsigned max = 1;
	size_t i, rows = pk->nr < MAX_ROWS ? pk->nr : MAX_ROWS;

	for (i = 0; i < rows; i++) {
		if (pk->items[i].new_nr > max)
			max = pk->items[i].new_nr;
		if (pk->items[i].fixed_nr > max)
			max = pk->items[i].fixed_nr;
	}
	for (i = 0; i < rows; i++) {
		const struct tally *t = &pk->items[i];
		double y = (double)i * ROW_H, span = CHART_W - LABEL_W - 60;
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "package", t->package);
		add_num(o, "y", y);
		add_num(o, "text_y", y + 17);
		add_num(o, "new_w", span * t->new_nr / max);
		add_num(o, "fixed_w", span * t->fixed_nr / max);
		add_num(o, "bar_x", LABEL_W);
		add_num(o, "new_y", y + 3);
		add_num(o, "fixed_y", y + 14);
		add_num(o, "count_x", LABEL_W + span * (t->new_nr > t->fixed_nr ? t->new_nr : t->fixed_nr) / max + 6);
		cJSON_AddNumberToObject(o, "new", t->new_nr);
		cJSON_AddNumberToObject(o, "fixed", t->fixed_nr);
		cJSON_AddItemToArray(bars, o);
	}
	cJSON_AddNumberToObject(c, "width", CHART_W);
	cJSON_AddNumberToObject(c, "height", (double)rows * ROW_H + 4);
	cJSON_AddNumberToObject(c, "label_w", LABEL_W - 8);
	return c;
}

/*
 * The hot map: one row per package (the heaviest first), its functions
 * side by side, each as wide as its share of the heaviest package's bytes.
 */
static cJSON *hot_map(struct tallies *fn, const struct tallies *pk)
{
	cJSON *c = cJSON_CreateObject(), *cells = cJSON_AddArrayToObject(c, "cells"),
	      *rows = cJSON_AddArrayToObject(c, "rows");
	double max = 0, span = CHART_W - LABEL_W;
	size_t i, j, r = 0;

	for (i = 0; i < pk->nr; i++)
		if (pk->items[i].bytes > max)
			max = pk->items[i].bytes;
	qsort(fn->items, fn->nr, sizeof(*fn->items), by_package_then_bytes);
	for (i = 0; i < pk->nr && r < MAX_ROWS; i++) {
		const struct tally *p = &pk->items[i];
		double x = LABEL_W, y = (double)r * ROW_H;
		cJSON *row;

		if (!(p->bytes > 0))
			continue;
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "package", p->package);
		add_num(row, "text_y", y + 17);
		cJSON_AddItemToArray(rows, row);
		for (j = 0; j < fn->nr; j++) {
			const struct tally *t = &fn->items[j];
			double w = max > 0 ? span * t->bytes / max : 0;
			cJSON *o;

			if (strcmp(t->package, p->package) || !(t->bytes > 0))
				continue;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "package", t->package);
			cJSON_AddStringToObject(o, "function", t->function);
			cJSON_AddStringToObject(o, "fill", status_color(t));
			add_size(o, "size", t->bytes);
			add_num(o, "x", x);
			add_num(o, "y", y + 2);
			add_num(o, "w", w > 1 ? w - 1 : 1);
			add_num(o, "h", ROW_H - 4);
			add_num(o, "text_x", x + 4);
			add_num(o, "text_y", y + 17);
			cJSON_AddBoolToObject(o, "labelled", w > 70);
			cJSON_AddItemToArray(cells, o);
			x += w;
		}
		r++;
	}
	cJSON_AddNumberToObject(c, "width", CHART_W);
	cJSON_AddNumberToObject(c, "height", (double)r * ROW_H + 4);
	cJSON_AddNumberToObject(c, "label_w", LABEL_W - 8);
	cJSON_AddBoolToObject(c, "has_cells", cJSON_GetArraySize(cells) > 0);
	return c;
}

cJSON *release_data(const struct review *rv, const char *base_rev, const char *head_rev)
{
	cJSON *d = report_template_data(rv), *rep, *findings;
	struct tallies pk = { NULL, 0, 0, STRMAP_INIT }, fn = { NULL, 0, 0, STRMAP_INIT };
	double total = 0;
	size_t i;

	tally_review(&pk, rv, 0);
	tally_review(&fn, rv, 1);
	for (i = 0; i < pk.nr; i++)
		total += pk.items[i].bytes;
	findings = cJSON_GetObjectItemCaseSensitive(d, "findings");
	decorate(findings, &rv->findings, 0);
	decorate(cJSON_GetObjectItemCaseSensitive(d, "fixed"), &rv->fixed, 1);
	/* "new" and "existing" were copied before decorate(): copy them again */
	cJSON_DeleteItemFromObjectCaseSensitive(d, "new");
	cJSON_DeleteItemFromObjectCaseSensitive(d, "existing");
	{
		cJSON *n = cJSON_AddArrayToObject(d, "new"), *e = cJSON_AddArrayToObject(d, "existing"), *o;

		i = 0;
		cJSON_ArrayForEach(o, findings) {
			const struct finding *f = rv->findings.items[i++];

			if (f->status == STATUS_NEW)
				cJSON_AddItemToArray(n, cJSON_Duplicate(o, 1));
			else if (f->status == STATUS_EXISTING)
				cJSON_AddItemToArray(e, cJSON_Duplicate(o, 1));
		}
	}
	rep = cJSON_AddObjectToObject(d, "report");
	cJSON_AddStringToObject(rep, "base_rev", base_rev);
	cJSON_AddStringToObject(rep, "head_rev", head_rev);
	cJSON_AddBoolToObject(rep, "has_profile", rv->profile.profiles_nr > 0);
	add_size(rep, "total_size", total);
	cJSON_AddItemToObject(d, "package_rows", package_list(&pk, total));
	cJSON_AddItemToObject(d, "rules", report_rule_rows(rv, rule_row, NULL));
	cJSON_AddItemToObject(d, "top", top_list(findings, &rv->findings));
	cJSON_AddBoolToObject(rep, "has_top", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "top")) > 0);
	cJSON_AddItemToObject(d, "chart", bar_chart(&pk));
	if (rv->profile.profiles_nr)
		cJSON_AddItemToObject(d, "hotmap", hot_map(&fn, &pk));
	tallies_release(&pk);
	tallies_release(&fn);
	return d;
}

int release_render(struct strbuf *out, const struct review *rv, const char *base_rev,
		   const char *head_rev, const char *format, const char *dir)
{
	struct mustache_loader loader = MUSTACHE_DIR_LOADER(dir);
	const char *name;
	cJSON *d;
	int ret;

	if (!strcmp(format, "html"))
		name = "report.html";
	else if (!strcmp(format, "markdown"))
		name = "report.md";
	else if (strcmp(format, "json"))
		return error_set(ER_EUSAGE, "unknown report --format '%s' (html, markdown or json)", format);
	else
		name = NULL;
	d = release_data(rv, base_rev, head_rev);
	if (!name) {
		char *s = cJSON_Print(d);

		strbuf_addstr(out, s);
		strbuf_addch(out, '\n');
		free(s);
		ret = 0;
	} else {
		ret = mustache_render_name(out, name, d, report_escape_for(name), &loader);
		if (ret) {
			char *msg = xstrdup(error_last());

			ret = error_set(ret, "%s (template directory %s)", msg, dir);
			free(msg);
		}
	}
	cJSON_Delete(d);
	return ret;
}
