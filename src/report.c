/*
 * report.c: the JSON document and the terminal text of a review
 * (report.h).  Titles and fixes are looked up in the checklist catalog;
 * nothing here classifies or filters.
 */
#include "report.h"
#include "checklist.h"
#include "compat.h"
#include "errors.h"
#include "jsonw.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void review_count(struct review_counts *out, const struct review *rv)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		switch (f->status) {
		case STATUS_NEW: out->new_nr++; break;
		case STATUS_EXISTING: out->existing_nr++; break;
		case STATUS_BASELINE: out->baseline_nr++; break;
		case STATUS_ACKNOWLEDGED: out->acknowledged_nr++; break;
		case STATUS_FIXED: out->fixed_nr++; break;
		}
		if ((f->status == STATUS_NEW || f->status == STATUS_EXISTING) &&
		    (unsigned)f->severity < 4)
			out->by_severity[f->severity]++;
	}
	out->fixed_nr += (unsigned)rv->fixed.nr;
	out->existing_nr += rv->hidden_existing;
	out->baseline_nr += rv->hidden_baseline;
}

void review_count_rule(struct rule_counts *out, const struct review *rv, const char *rule)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		if (strcmp(f->rule ? f->rule : CHECKLIST_GENERIC_RULE, rule))
			continue;
		out->new_nr += f->status == STATUS_NEW;
		out->existing_nr += f->status == STATUS_EXISTING;
	}
	for (i = 0; i < rv->fixed.nr; i++) {
		const struct finding *f = rv->fixed.items[i];

		out->fixed_nr += !strcmp(f->rule ? f->rule : CHECKLIST_GENERIC_RULE, rule);
	}
}

void report_add_counts(cJSON *o, unsigned new_nr, unsigned fixed_nr, unsigned existing_nr)
{
	cJSON_AddNumberToObject(o, "new", new_nr);
	cJSON_AddNumberToObject(o, "fixed", fixed_nr);
	cJSON_AddNumberToObject(o, "existing", existing_nr);
}

cJSON *report_rule_rows(const struct review *rv, report_rule_fill_fn *fill, const void *data)
{
	cJSON *rows = cJSON_CreateArray();
	const struct rule *rules;
	size_t nr, i;

	rules = checklist_rules(&nr);
	for (i = 0; i < nr; i++) {
		struct rule_counts c;
		cJSON *o = cJSON_CreateObject();

		review_count_rule(&c, rv, rules[i].id);
		cJSON_AddStringToObject(o, "rule", rules[i].id);
		cJSON_AddStringToObject(o, "title", rules[i].title);
		cJSON_AddStringToObject(o, "severity", severity_name(rules[i].severity));
		if (fill(o, &rules[i], &c, rows, data))
			cJSON_AddItemToArray(rows, o);
		else
			cJSON_Delete(o);
	}
	return rows;
}

void report_add_doc_url(cJSON *o, const struct rule *r)
{
	struct strbuf url = STRBUF_INIT;

	strbuf_addf(&url, "%s#%s", REPORT_RULES_URL, r ? r->anchor : "");
	cJSON_AddStringToObject(o, "doc_url", url.buf);
	strbuf_release(&url);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	finding_json_str(o, k, v);
}

static void put_str(struct jsonw *w, const char *k, const char *v)
{
	finding_jsonw_str(w, k, v);
}

/* What the report adds to the finding serialiser's object (finding.h). */
static void finding_members(struct jsonw *w, const struct finding *f)
{
	const struct rule *r = f->rule ? checklist_find(f->rule) : NULL;

	put_str(w, "rule", f->rule ? f->rule : CHECKLIST_GENERIC_RULE);
	put_str(w, "severity", severity_name(f->severity));
	put_str(w, "title", r ? r->title : "");
	put_str(w, "why", f->why ? f->why : "");
	put_str(w, "fix", r ? r->fix : "");
	put_str(w, "status", status_name(f->status));
	jsonw_bool(w, "added_line", f->added_line);
	jsonw_bool(w, "in_loop", f->in_loop);
	if (f->in_loop && f->loop_line > 0)
		jsonw_int(w, "loop_line", f->loop_line);
	else
		jsonw_null(w, "loop_line");
	put_str(w, "fingerprint", f->fingerprint);
	if (f->profiled) {
		jsonw_num(w, "weight", f->weight);
		jsonw_bool(w, "hot", f->hot);
		jsonw_num(w, "alloc_bytes", (double)f->alloc_bytes);
		jsonw_num(w, "alloc_objects", (double)f->alloc_objects);
		jsonw_num(w, "cpu_flat", f->cpu_flat);
		jsonw_num(w, "cpu_cum", f->cpu_cum);
	}
	if (f->ack_reason)
		put_str(w, "acknowledged_reason", f->ack_reason);
	if (f->contract) {
		jsonw_object_begin(w, "contract");
		put_str(w, "directive", f->contract->directive);
		put_str(w, "scope", f->contract->scope);
		put_str(w, "file", f->contract->file);
		jsonw_int(w, "line", f->contract->line);
		put_str(w, "function", f->contract->func);
		jsonw_object_end(w);
	}
	if (f->induced_by) {
		const struct finding_cause *k = f->induced_by;

		jsonw_object_begin(w, "induced_by");
		put_str(w, "package", k->package);
		put_str(w, "function", k->function);
		put_str(w, "file", k->file);
		jsonw_int(w, "line", k->line);
		put_str(w, "summary_before", k->before);
		put_str(w, "summary_after", k->after);
		put_str(w, "via", k->via);
		put_str(w, "why", k->why);
		jsonw_object_end(w);
	}
}

void report_finding_jsonw(struct jsonw *w, const struct finding *f)
{
	jsonw_object_begin(w, NULL);
	finding_jsonw_open(w, f);
	finding_members(w, f);
	finding_jsonw_close(w, f);
	jsonw_object_end(w);
}

/* The finding serialiser (finding.h) with what the report adds between its halves. */
cJSON *report_finding_json(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();
	struct jsonw w;

	jsonw_init_tree(&w, o);
	finding_jsonw_open(&w, f);
	finding_members(&w, f);
	finding_jsonw_close(&w, f);
	return o;
}

/* Everything of the document but its two arrays. */
static cJSON *json_head(const struct review *rv)
{
	cJSON *doc = cJSON_CreateObject(), *tool, *sum, *by_rule, *by_sev;
	struct review_counts c;
	size_t i;

	review_count(&c, rv);
	tool = cJSON_AddObjectToObject(doc, "tool");
	cJSON_AddStringToObject(tool, "name", "escape-review");
	cJSON_AddStringToObject(tool, "version", ER_VERSION);
	add_str(doc, "mode", rv->mode);
	add_str(doc, "base", rv->base[0] ? rv->base : NULL);
	add_str(doc, "head", rv->head[0] ? rv->head : NULL);
	add_str(doc, "go_version", rv->go_version);
	sum = cJSON_AddObjectToObject(doc, "summary");
	report_add_counts(sum, c.new_nr, c.fixed_nr, c.existing_nr);
	cJSON_AddNumberToObject(sum, "baseline", c.baseline_nr);
	cJSON_AddNumberToObject(sum, "acknowledged", c.acknowledged_nr);
	by_rule = cJSON_AddObjectToObject(sum, "by_rule");
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];
		const char *id = f->rule ? f->rule : CHECKLIST_GENERIC_RULE;
		cJSON *n;

		if (f->status != STATUS_NEW && f->status != STATUS_EXISTING)
			continue;
		n = cJSON_GetObjectItemCaseSensitive(by_rule, id);
		if (n)
			cJSON_SetNumberValue(n, n->valuedouble + 1);
		else
			cJSON_AddNumberToObject(by_rule, id, 1);
	}
	by_sev = cJSON_AddObjectToObject(sum, "by_severity");
	for (i = SEVERITY_INFO; i <= SEVERITY_ERROR; i++)
		cJSON_AddNumberToObject(by_sev, severity_name((enum severity)i), c.by_severity[i]);
	if (rv->dependents || rv->not_analysed_nr) {
		cJSON *na;

		cJSON_AddNumberToObject(sum, "dependents", rv->dependents);
		na = cJSON_AddArrayToObject(sum, "dependents_not_analysed");
		for (i = 0; i < rv->not_analysed_nr; i++)
			cJSON_AddItemToArray(na, cJSON_CreateString(rv->not_analysed[i]));
	}
	if (rv->not_built.files_nr) {
		const struct unbuilt *u = &rv->not_built;
		cJSON *nb = cJSON_AddObjectToObject(sum, "not_built"), *a;

		add_str(nb, "platform", u->platform);
		a = cJSON_AddArrayToObject(nb, "files");
		for (i = 0; i < u->files_nr; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(u->files[i]));
		a = cJSON_AddArrayToObject(nb, "packages");
		for (i = 0; i < u->dirs_nr; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(u->dirs[i]));
	}
	if (rv->no_module_nr) {
		cJSON *a = cJSON_AddArrayToObject(sum, "not_in_module");

		for (i = 0; i < rv->no_module_nr; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(rv->no_module[i]));
	}
	if (rv->profile.profiles_nr) {
		cJSON *prof = cJSON_AddObjectToObject(sum, "profile");
		unsigned hot = 0;

		for (i = 0; i < rv->findings.nr; i++)
			hot += rv->findings.items[i]->hot;
		cJSON_AddNumberToObject(prof, "files", rv->profile.profiles_nr);
		cJSON_AddNumberToObject(prof, "hot_share", rv->profile.hot_share);
		cJSON_AddNumberToObject(prof, "hot", hot);
		cJSON_AddNumberToObject(prof, "findings_unmatched", rv->profile.findings_unmatched);
		cJSON_AddNumberToObject(prof, "profile_lines_unmatched", (double)rv->profile.profile_unmatched);
		cJSON_AddNumberToObject(prof, "hot_in_baseline", rv->profile.hidden_hot);
	}
	return doc;
}

cJSON *report_json(const struct review *rv)
{
	cJSON *doc = json_head(rv), *arr;
	size_t i;

	arr = cJSON_AddArrayToObject(doc, "findings");
	for (i = 0; i < rv->findings.nr; i++)
		cJSON_AddItemToArray(arr, report_finding_json(rv->findings.items[i]));
	arr = cJSON_AddArrayToObject(doc, "fixed");
	for (i = 0; i < rv->fixed.nr; i++)
		cJSON_AddItemToArray(arr, report_finding_json(rv->fixed.items[i]));
	return doc;
}

static const char *sev_color(enum severity s)
{
	switch (s) {
	case SEVERITY_ERROR: return "\033[1;31m";
	case SEVERITY_WARNING: return "\033[1;33m";
	default: return "\033[1;36m";
	}
}

/* Control characters and invalid UTF-8 in outside text (file names,
 * messages) are shown escaped as \xNN, so they cannot drive the terminal. */
static void add_safe(struct strbuf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0, i, len;

	for (i = 0; i < n; i += len) {
		unsigned char c = (unsigned char)s[i];

		len = utf8_seq_len(s + i, n - i);
		if (!len || c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\x%02x", c);
			len = 1;
		} else {
			strbuf_add(out, s + i, len);
		}
	}
}

static void text_finding(struct strbuf *out, const struct finding *f,
			 const struct report_opts *o, const char *tag)
{
	const char *rule = f->rule ? f->rule : CHECKLIST_GENERIC_RULE;
	size_t i;

	add_safe(out, f->file);
	strbuf_addf(out, ":%d:", f->line);
	if (f->column > 0) /* none after a //line directive without one */
		strbuf_addf(out, "%d:", f->column);
	strbuf_addch(out, ' ');
	if (o->color)
		strbuf_addstr(out, sev_color(f->severity));
	strbuf_addf(out, "[%s %s]", rule, severity_name(f->severity));
	if (o->color)
		strbuf_addstr(out, "\033[0m");
	strbuf_addch(out, ' ');
	add_safe(out, f->message);
	if (tag)
		strbuf_addf(out, " (%s)", tag);
	if (f->hot)
		strbuf_addstr(out, " (hot)");
	if (f->alloc_bytes || f->cpu_cum > 0) {
		strbuf_addf(out, " [%.2f%% of the profile", f->weight * 100);
		if (f->alloc_bytes)
			strbuf_addf(out, ": %llu bytes in %llu objects", f->alloc_bytes,
				    f->alloc_objects);
		if (f->cpu_cum > 0)
			strbuf_addf(out, "%s %.2f%% CPU in its function", f->alloc_bytes ? "," : ":",
				    f->cpu_cum * 100);
		strbuf_addch(out, ']');
	}
	strbuf_addch(out, '\n');
	strbuf_addstr(out, "    ");
	if (f->function) {
		strbuf_addstr(out, "in ");
		add_safe(out, f->function);
		strbuf_addstr(out, ": ");
	}
	if (f->why && *f->why) {
		add_safe(out, f->why);
	} else {
		const struct rule *r = checklist_find(rule);

		add_safe(out, r ? r->title : "heap allocation");
	}
	strbuf_addch(out, '\n');
	if (f->induced_by) {
		strbuf_addstr(out, "    ");
		add_safe(out, f->induced_by->why);
		strbuf_addstr(out, " (");
		add_safe(out, f->induced_by->file);
		strbuf_addf(out, ":%d)\n", f->induced_by->line);
	}
	if (f->ack_reason) {
		strbuf_addstr(out, "    acknowledged: ");
		add_safe(out, f->ack_reason);
		strbuf_addch(out, '\n');
	}
	if (!o->explain)
		return;
	for (i = 0; i < f->flow_nr; i++) {
		const struct flow_step *s = &f->flow[i];
		int is_flow = starts_with(s->text, "flow:");

		strbuf_addstr(out, is_flow ? "      " : "        ");
		add_safe(out, s->text);
		if (!is_flow && s->line) {
			strbuf_addstr(out, " at ");
			add_safe(out, s->file);
			strbuf_addf(out, ":%d", s->line);
			if (s->column > 0)
				strbuf_addf(out, ":%d", s->column);
		}
		strbuf_addch(out, '\n');
	}
	if (f->flow_truncated)
		strbuf_addf(out, "        ... (%u steps in all; --max-flow 0 shows every step)\n",
			    f->facts.steps);
}

void report_text(struct strbuf *out, const struct review *rv, const struct report_opts *opts)
{
	struct review_counts c;
	size_t i;

	review_count(&c, rv);
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];
		const char *tag = NULL;

		if (f->status == STATUS_BASELINE)
			tag = "baseline";
		else if (f->status == STATUS_ACKNOWLEDGED)
			tag = "acknowledged";
		text_finding(out, f, opts, tag);
	}
	for (i = 0; i < rv->fixed.nr; i++)
		text_finding(out, rv->fixed.items[i], opts, "fixed");
	strbuf_addf(out, "escape-review: %u new, %u existing, %u fixed", c.new_nr, c.existing_nr,
		    c.fixed_nr);
	if (c.baseline_nr)
		strbuf_addf(out, ", %u in the baseline", c.baseline_nr);
	if (c.acknowledged_nr)
		strbuf_addf(out, ", %u acknowledged", c.acknowledged_nr);
	strbuf_addf(out, " (%u error, %u warning, %u info) in %u package%s",
		    c.by_severity[SEVERITY_ERROR], c.by_severity[SEVERITY_WARNING],
		    c.by_severity[SEVERITY_INFO], rv->analysed_packages,
		    rv->analysed_packages == 1 ? "" : "s");
	if (rv->dependents)
		strbuf_addf(out, " and %u importing package%s", rv->dependents,
			    rv->dependents == 1 ? "" : "s");
	strbuf_addf(out, " (mode %s)\n", rv->mode ? rv->mode : "?");
	if (rv->not_analysed_nr) {
		strbuf_addf(out, "escape-review: --max-dependents reached: %zu importing package%s not analysed:",
			    rv->not_analysed_nr, rv->not_analysed_nr == 1 ? "" : "s");
		for (i = 0; i < rv->not_analysed_nr; i++) {
			strbuf_addch(out, ' ');
			add_safe(out, rv->not_analysed[i]);
		}
		strbuf_addch(out, '\n');
	}
	if (rv->profile.profiles_nr) {
		unsigned hot = 0;

		for (i = 0; i < rv->findings.nr; i++)
			hot += rv->findings.items[i]->hot;
		strbuf_addf(out, "escape-review: profile: %u hot (at or above %g%% of the profile), %u finding%s matched nothing in the profile, %llu allocating line%s of the profile matched no finding",
			    hot, rv->profile.hot_share * 100, rv->profile.findings_unmatched,
			    rv->profile.findings_unmatched == 1 ? "" : "s", rv->profile.profile_unmatched,
			    rv->profile.profile_unmatched == 1 ? "" : "s");
		if (rv->profile.hidden_hot)
			strbuf_addf(out, "; %u hot finding%s in the baseline (--show-baseline lists them)",
				    rv->profile.hidden_hot, rv->profile.hidden_hot == 1 ? " is" : "s are");
		strbuf_addch(out, '\n');
	}
}

/* Append findings [from, to) of `l` (to: at most l->nr) as the array's lines. */
static void render_findings(struct strbuf *sb, const struct finding_list *l, size_t from, size_t to)
{
	struct jsonw w;
	size_t i;

	for (i = from; i < to && i < l->nr; i++) {
		strbuf_addstr(sb, i ? ",\n\t\t" : "\n\t\t");
		jsonw_init_text(&w, sb);
		report_finding_jsonw(&w, l->items[i]);
	}
}

/*
 * A long array is rendered by two threads in turn, in chunks of
 * RENDER_CHUNK findings: this one renders and writes the even chunks, a
 * helper renders the odd ones into its buffer, which this one writes next.
 */
#define RENDER_CHUNK 256
#define RENDER_THREADED (8 * RENDER_CHUNK)

struct render_helper {
	const struct finding_list *l;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct strbuf buf;
	size_t chunk;      /* the chunk in buf (odd), or 0: buf is free */
	size_t next;       /* the next odd chunk to render */
};

static void *render_odd(void *data)
{
	struct render_helper *h = data;
	size_t n = (h->l->nr + RENDER_CHUNK - 1) / RENDER_CHUNK;

	for (; h->next < n; h->next += 2) {
		struct strbuf sb = STRBUF_INIT;

		render_findings(&sb, h->l, h->next * RENDER_CHUNK, (h->next + 1) * RENDER_CHUNK);
		pthread_mutex_lock(&h->lock);
		while (h->chunk)
			pthread_cond_wait(&h->cond, &h->lock);
		{
			struct strbuf t = h->buf; /* empty: written and reset */

			h->buf = sb;
			sb = t;
		}
		h->chunk = h->next;
		pthread_cond_broadcast(&h->cond);
		pthread_mutex_unlock(&h->lock);
		strbuf_release(&sb);
	}
	return NULL;
}

/* Write the helper's chunk `k` when it is rendered, and free its buffer. */
static void write_odd(FILE *fp, struct render_helper *h, size_t k)
{
	pthread_mutex_lock(&h->lock);
	while (h->chunk != k)
		pthread_cond_wait(&h->cond, &h->lock);
	fwrite(h->buf.buf, 1, h->buf.len, fp);
	strbuf_reset(&h->buf);
	h->chunk = 0;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

/* The array's lines, rendered by two threads (render_odd); 0 when the helper could not start. */
static int write_findings_threaded(FILE *fp, const struct finding_list *l)
{
	struct render_helper h = { l, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
				   STRBUF_INIT, 0, 1 };
	struct strbuf sb = STRBUF_INIT;
	size_t n = (l->nr + RENDER_CHUNK - 1) / RENDER_CHUNK, k;
	pthread_t th;

	if (compat_thread_beside(&th, render_odd, &h))
		return 0;
	for (k = 0; k < n; k += 2) {
		render_findings(&sb, l, k * RENDER_CHUNK, (k + 1) * RENDER_CHUNK);
		fwrite(sb.buf, 1, sb.len, fp);
		strbuf_reset(&sb);
		if (k + 1 < n)
			write_odd(fp, &h, k + 1);
	}
	pthread_join(th, NULL);
	strbuf_release(&sb);
	strbuf_release(&h.buf);
	pthread_cond_destroy(&h.cond);
	pthread_mutex_destroy(&h.lock);
	return 1;
}

/* The findings one per line, each as cJSON_PrintUnformatted() prints it,
 * written in pieces of about 64 KiB (a long array: see render_odd). */
static int write_array(FILE *fp, const char *name, const struct finding_list *l, int last)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	fprintf(fp, "\t\"%s\":\t[", name);
	if (l->nr < RENDER_THREADED || !write_findings_threaded(fp, l)) {
		strbuf_grow(&sb, 1 << 16);
		for (i = 0; i < l->nr; i++) {
			render_findings(&sb, l, i, i + 1);
			if (sb.len >= 1 << 16) {
				fwrite(sb.buf, 1, sb.len, fp);
				strbuf_reset(&sb);
			}
		}
		fwrite(sb.buf, 1, sb.len, fp);
	}
	strbuf_release(&sb);
	fprintf(fp, "%s]%s\n", l->nr ? "\n\t" : "", last ? "" : ",");
	return ferror(fp) ? ER_ERROR : 0;
}

int report_json_write(FILE *fp, const struct review *rv)
{
	return report_json_write_extra(fp, rv, NULL, NULL);
}

int report_json_write_extra(FILE *fp, const struct review *rv, const char *name,
			    const cJSON *extra)
{
	cJSON *head = json_head(rv);
	char *s = cJSON_Print(head);
	size_t n = strlen(s);
	int ret;

	/* the head object without its closing brace, then the arrays */
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\t'))
		n--;
	if (n && s[n - 1] == '}')
		n--;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\t'))
		n--;
	fwrite(s, 1, n, fp);
	fputs(",\n", fp);
	free(s);
	cJSON_Delete(head);
	ret = write_array(fp, "findings", &rv->findings, 0);
	if (!ret)
		ret = write_array(fp, "fixed", &rv->fixed, extra == NULL);
	if (!ret && extra) {
		cJSON *key = cJSON_CreateString(name);
		char *e = cJSON_Print(extra), *k = key ? cJSON_PrintUnformatted(key) : NULL;

		if (!e || !k)
			die("out of memory");
		fprintf(fp, "\t%s:\t%s\n", k, e);
		free(e);
		free(k);
		cJSON_Delete(key);
	}
	fputs("}\n", fp);
	if (ret || ferror(fp))
		return error_set(ER_ERROR, "cannot write the JSON report: %s", strerror(errno));
	return 0;
}
