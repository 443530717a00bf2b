/*
 * finding.c: lifecycle and small helpers of struct finding and
 * struct finding_list (see finding.h), the name tables of its enums, and
 * the one finding-to-JSON serialiser (the report's and the cache's).
 */
#include "finding.h"
#include "jsonw.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct finding *finding_new(void)
{
	struct finding *f = xcalloc(1, sizeof(*f));

	f->facts.derefs = -1;
	return f;
}

/* Free the strings of steps from..flow_nr (unless the pool owns them). */
static void free_steps(struct finding *f, size_t from)
{
	size_t i;

	if (f->pool)
		return;
	for (i = from; i < f->flow_nr; i++) {
		free((char *)f->flow[i].file);
		free((char *)f->flow[i].text);
		free((char *)f->flow[i].inlined);
	}
}

static const char *own_str(struct finding *f, const char *s)
{
	if (!s)
		return NULL;
	return f->pool ? strpool_intern(f->pool, s, strlen(s)) : xstrdup(s);
}

void finding_drop_deferred(struct finding *f)
{
	struct finding_deferred *d = f->deferred;

	f->deferred = NULL;
	f->deferred_at = NULL;
	f->deferred_len = 0;
	if (d && !--d->refs)
		d->release(d);
}

void finding_release(struct finding *f)
{
	size_t i;

	free(f->package);
	free(f->file);
	free(f->message);
	free(f->subject);
	free_steps(f, 0);
	free(f->flow);
	strpool_unref(f->pool);
	for (i = 0; i < f->facts.callees_nr; i++)
		free(f->facts.callees[i]);
	free(f->facts.callees);
	free(f->facts.leak_dst);
	free(f->facts.func);
	free(f->function);
	free(f->source);
	free(f->source_above);
	free(f->zero_size);
	free(f->why);
	free(f->fingerprint);
	free(f->ack_reason);
	free(f->old_path);
	if (f->contract) {
		free(f->contract->directive);
		free(f->contract->file);
		free(f->contract->func);
		free(f->contract);
	}
	if (f->induced_by) {
		free(f->induced_by->package);
		free(f->induced_by->function);
		free(f->induced_by->file);
		free(f->induced_by->before);
		free(f->induced_by->after);
		free(f->induced_by->via);
		free(f->induced_by->why);
		free(f->induced_by);
	}
	finding_drop_deferred(f);
	memset(f, 0, sizeof(*f));
	f->facts.derefs = -1;
}

void finding_free(struct finding *f)
{
	if (!f)
		return;
	finding_release(f);
	free(f);
}

void flow_facts_add_callee(struct flow_facts *fa, char *name)
{
	if (fa->callees_nr >= FACTS_MAX_CALLEES) {
		free(name);
		return;
	}
	if (!fa->callees)
		fa->callees = xcalloc(FACTS_MAX_CALLEES, sizeof(*fa->callees));
	fa->callees[fa->callees_nr++] = name;
}

void finding_release_facts_names(struct finding *f)
{
	size_t i;

	for (i = 0; i < f->facts.callees_nr; i++)
		free(f->facts.callees[i]);
	free(f->facts.callees);
	f->facts.callees = NULL;
	f->facts.callees_nr = 0;
	free(f->facts.leak_dst);
	free(f->facts.func);
	f->facts.leak_dst = f->facts.func = NULL;
}

void finding_cut_flow(struct finding *f, int max)
{
	if (max <= 0 || f->flow_nr <= (size_t)max)
		return;
	free_steps(f, (size_t)max);
	f->flow_nr = (size_t)max;
	f->flow_truncated = 1;
	finding_flow_shrink(f);
}

void finding_flow_shrink(struct finding *f)
{
	if (f->flow_alloc <= f->flow_nr)
		return;
	if (!f->flow_nr) {
		free(f->flow);
		f->flow = NULL;
	} else {
		f->flow = xrealloc(f->flow, f->flow_nr * sizeof(*f->flow));
	}
	f->flow_alloc = f->flow_nr;
}

struct flow_step *finding_add_pooled_step(struct finding *f, const char *file, int line,
					  int column, const char *text)
{
	struct flow_step *s;

	if (f->flow_nr >= f->flow_alloc) /* the parser adds steps by the million */
		ALLOC_GROW(f->flow, f->flow_nr + 1, f->flow_alloc);
	s = &f->flow[f->flow_nr++];
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->line = line;
	s->column = column;
	s->text = text;
	return s;
}

struct flow_step *finding_add_step(struct finding *f, const char *file, int line, int column,
				   const char *text)
{
	const char *fc = own_str(f, file);

	return finding_add_pooled_step(f, fc, line, column, own_str(f, text));
}

void finding_step_set_file(struct finding *f, struct flow_step *st, const char *file)
{
	if (!f->pool)
		free((char *)st->file);
	st->file = own_str(f, file);
}

void finding_step_set_inlined(struct finding *f, struct flow_step *st, const char *name)
{
	if (!f->pool)
		free((char *)st->inlined);
	st->inlined = own_str(f, name);
}

void finding_list_add(struct finding_list *l, struct finding *f)
{
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr++] = f;
}

void finding_list_release(struct finding_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		finding_free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

int finding_cmp(const struct finding *x, const struct finding *y)
{
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->message ? x->message : "", y->message ? y->message : "");
}

static int cmp_finding(const void *a, const void *b)
{
	return finding_cmp(*(struct finding *const *)a, *(struct finding *const *)b);
}

void finding_list_sort(struct finding_list *l)
{
	struct finding **slot;
	size_t i, s, k, nr;

	if (l->nr < 2)
		return;
	qsort(l->items, l->nr, sizeof(*l->items), cmp_finding);
	for (i = 0; i < l->nr && !l->items[i]->in_loop; i++)
		;
	if (i == l->nr)
		return;
	/* per severity: its findings in loops, then the rest, into its places */
	slot = xmalloc(l->nr * sizeof(*slot));
	for (s = SEVERITY_NONE; s <= SEVERITY_ERROR; s++) {
		nr = 0;
		for (i = 0; i < l->nr; i++)
			if (l->items[i]->severity == s && l->items[i]->in_loop)
				slot[nr++] = l->items[i];
		for (i = 0; i < l->nr; i++)
			if (l->items[i]->severity == s && !l->items[i]->in_loop)
				slot[nr++] = l->items[i];
		for (i = k = 0; i < l->nr && k < nr; i++)
			if (l->items[i]->severity == s)
				l->items[i] = slot[k++];
	}
	free(slot);
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_MOVED: return "moved";
	case VERDICT_ESCAPES: return "escapes";
	case VERDICT_LEAK_PARAM: return "leaking-param";
	case VERDICT_LEAK_CONTENT: return "leaking-param-content";
	}
	return "unknown";
}

static const char *const severity_names[] = { "none", "info", "warning", "error" };

const char *severity_name(enum severity s)
{
	return (unsigned)s < ARRAY_SIZE(severity_names) ? severity_names[s] : "unknown";
}

int severity_parse(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(severity_names); i++)
		if (!strcmp(s, severity_names[i]))
			return (int)i;
	return -1;
}

const char *status_name(enum finding_status s)
{
	switch (s) {
	case STATUS_NEW: return "new";
	case STATUS_EXISTING: return "existing";
	case STATUS_FIXED: return "fixed";
	case STATUS_BASELINE: return "baseline";
	case STATUS_ACKNOWLEDGED: return "acknowledged";
	}
	return "unknown";
}

static const char *const reason_names[REASON__COUNT] = {
	[REASON_ADDRESS_OF] = "address-of",
	[REASON_INDIRECTION] = "indirection",
	[REASON_DOT] = "dot",
	[REASON_DOT_PTR] = "dot of pointer",
	[REASON_FIXED_ARRAY_INDEX] = "fixed-array-index-of",
	[REASON_SLICE] = "slice",
	[REASON_INTERFACE_CONVERTED] = "interface-converted",
	[REASON_ARRAY_LIT_ELEM] = "array literal element",
	[REASON_SLICE_LIT_ELEM] = "slice-literal-element",
	[REASON_STRUCT_LIT_ELEM] = "struct literal element",
	[REASON_MAP_LIT_KEY] = "map literal key",
	[REASON_MAP_LIT_VALUE] = "map literal value",
	[REASON_REFLECT_HEADER] = "reflect.Header.Data",
	[REASON_SPILL] = "spill",
	[REASON_CALL_PARAM] = "call parameter",
	[REASON_APPENDEE] = "appendee slice",
	[REASON_APPENDED] = "appended slice...",
	[REASON_COPIED] = "copied slice",
	[REASON_UINTPTRESCAPES] = "//go:uintptrescapes",
	[REASON_CLOSURE_CAPTURE] = "captured by a closure",
	[REASON_REFERENCE] = "reference",
	[REASON_RANGE] = "range",
	[REASON_RANGE_DEREF] = "range-deref",
	[REASON_SWITCH_CASE] = "switch case",
	[REASON_SEND] = "send",
	[REASON_ASSIGN] = "assign",
	[REASON_ASSIGN_PAIR] = "assign-pair",
	[REASON_ASSIGN_PAIR_DOT_TYPE] = "assign-pair-dot-type",
	[REASON_ASSIGN_PAIR_MAPR] = "assign-pair-mapr",
	[REASON_ASSIGN_PAIR_RECEIVE] = "assign-pair-receive",
	[REASON_RETURN] = "return",
	[REASON_MAP_KEY_PUT] = "key of map put",
	[REASON_TOO_LARGE] = "too large for stack",
	[REASON_TOO_ALIGNED] = "too aligned for stack",
	[REASON_NON_CONST_SIZE] = "non-constant size",
	[REASON_CALLEE_OPERAND] = "callee operand",
	[REASON_OTHER] = "other",
	[REASON_ZERO_SIZED] = "zero-sized element",
	[REASON_SLICE_TO_ARRAY] = "slice-to-array",
	[REASON_UNSAFE_CONV] = "conversion to unsafe.Pointer",
};

const char *reason_name(enum flow_reason r)
{
	return (unsigned)r < REASON__COUNT ? reason_names[r] : "other";
}

enum flow_reason reason_parse(const char *s, size_t len)
{
	int i;

	for (i = 0; i < REASON__COUNT; i++)
		if (i != REASON_OTHER && len && reason_names[i][0] == s[0] &&
		    strlen(reason_names[i]) == len && !memcmp(reason_names[i], s, len))
			return (enum flow_reason)i;
	return REASON_OTHER;
}

void finding_list_move(struct finding_list *to, struct finding_list *from)
{
	size_t i;

	for (i = 0; i < from->nr; i++)
		finding_list_add(to, from->items[i]);
	from->nr = 0;
}

void finding_jsonw_str(struct jsonw *w, const char *k, const char *v)
{
	if (!v) {
		jsonw_null(w, k);
	} else {
		/* JSON strings must be UTF-8: invalid bytes (a file name in
		 * Latin-1, say) become U+FFFD */
		jsonw_str_utf8(w, k, v);
	}
}

void finding_json_str(cJSON *o, const char *k, const char *v)
{
	struct jsonw w;

	jsonw_init_tree(&w, o);
	finding_jsonw_str(&w, k, v);
}

void finding_jsonw_open(struct jsonw *w, const struct finding *f)
{
	finding_jsonw_str(w, "file", f->file);
	jsonw_int(w, "line", f->line);
	jsonw_int(w, "column", f->column);
	finding_jsonw_str(w, "function", f->function);
	finding_jsonw_str(w, "package", f->package);
	finding_jsonw_str(w, "message", f->message);
}

void finding_jsonw_close(struct jsonw *w, const struct finding *f)
{
	size_t i;

	jsonw_array_begin(w, "flow");
	for (i = 0; i < f->flow_nr; i++) {
		const struct flow_step *st = &f->flow[i];

		jsonw_object_begin(w, NULL);
		finding_jsonw_str(w, "file", st->file);
		jsonw_int(w, "line", st->line);
		jsonw_int(w, "column", st->column);
		finding_jsonw_str(w, "text", st->text);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_bool(w, "flow_truncated", f->flow_truncated);
}

