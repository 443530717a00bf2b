/*
 * report.c: the JSON document and the terminal text of a review
 * (report.h).  Titles and fixes are looked up in the checklist catalog;
 * nothing here classifies or filters.
 */
#include "report.h"
#include "checklist.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
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
	finding_json_str(o, k, v, 0);
}

/* The finding serialiser (finding.h) with what the report adds between its halves. */
cJSON *report_finding_json(const struct finding *f)
{
	cJSON *o = finding_json_open(f, 0);
	const struct rule *r = f->rule ? checklist_find(f->rule) : NULL;

	add_str(o, "rule", f->rule ? f->rule : CHECKLIST_GENERIC_RULE);
	add_str(o, "severity", severity_name(f->severity));
	add_str(o, "title", r ? r->title : "");
	add_str(o, "why", f->why ? f->why : "");
	add_str(o, "fix", r ? r->fix : "");
	add_str(o, "status", status_name(f->status));
	cJSON_AddBoolToObject(o, "added_line", f->added_line);
	cJSON_AddBoolToObject(o, "in_loop", f->in_loop);
	if (f->in_loop && f->loop_line > 0)
		cJSON_AddNumberToObject(o, "loop_line", f->loop_line);
	else
		cJSON_AddNullToObject(o, "loop_line");
	add_str(o, "fingerprint", f->fingerprint);
	if (f->profiled) {
		cJSON_AddNumberToObject(o, "weight", f->weight);
		cJSON_AddBoolToObject(o, "hot", f->hot);
		cJSON_AddNumberToObject(o, "alloc_bytes", (double)f->alloc_bytes);
		cJSON_AddNumberToObject(o, "alloc_objects", (double)f->alloc_objects);
		cJSON_AddNumberToObject(o, "cpu_flat", f->cpu_flat);
		cJSON_AddNumberToObject(o, "cpu_cum", f->cpu_cum);
	}
	if (f->ack_reason)
		add_str(o, "acknowledged_reason", f->ack_reason);
	if (f->contract) {
		cJSON *c = cJSON_AddObjectToObject(o, "contract");

		add_str(c, "directive", f->contract->directive);
		add_str(c, "scope", f->contract->scope);
		add_str(c, "file", f->contract->file);
		cJSON_AddNumberToObject(c, "line", f->contract->line);
		add_str(c, "function", f->contract->func);
	}
	if (f->induced_by) {
		const struct finding_cause *k = f->induced_by;
		cJSON *c = cJSON_AddObjectToObject(o, "induced_by");

		add_str(c, "package", k->package);
		add_str(c, "function", k->function);
		add_str(c, "file", k->file);
		cJSON_AddNumberToObject(c, "line", k->line);
		add_str(c, "summary_before", k->before);
		add_str(c, "summary_after", k->after);
		add_str(c, "via", k->via);
		add_str(c, "why", k->why);
	}
	finding_json_close(o, f, 0);
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
	strbuf_addf(out, ":%d:%d: ", f->line, f->column);
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
			strbuf_addf(out, ":%d:%d", s->line, s->column);
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
		strbuf_addf(out, "escape-review: profile: %u hot (at or above %g%% of the profile), %u finding%s matched nothing in the profile, %llu allocating line%s of the profile matched no finding\n",
			    hot, rv->profile.hot_share * 100, rv->profile.findings_unmatched,
			    rv->profile.findings_unmatched == 1 ? "" : "s", rv->profile.profile_unmatched,
			    rv->profile.profile_unmatched == 1 ? "" : "s");
	}
}

static int write_array(FILE *fp, const char *name, const struct finding_list *l, int last)
{
	size_t i;

	fprintf(fp, "\t\"%s\":\t[", name);
	for (i = 0; i < l->nr; i++) {
		cJSON *o = report_finding_json(l->items[i]);
		char *s = cJSON_PrintUnformatted(o);

		fprintf(fp, "%s\n\t\t%s", i ? "," : "", s);
		free(s);
		cJSON_Delete(o);
	}
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
