/*
 * render.c: review comments from Mustache templates (render.h): where the
 * templates are, the data they render (the JSON document plus derived
 * fields), rendering by name, cutting to a comment's size limit, and the
 * `render` command's work.  Never touches the network.
 */
#include "compat.h"
#include "render.h"
#include "report.h"
#include "checklist.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* `dir`/`file` is a readable file. */
static int readable(const char *dir, const char *file)
{
	char *path = path_join(dir, file);
	int ok = !access(path, R_OK);

	free(path);
	return ok;
}

/*
 * The templates next to this binary, or NULL: ROOT/templates when it runs
 * as ROOT/BUILD/escape-review in a source tree (ROOT/src/report.h is
 * there), else PREFIX/share/escape-review/templates when it is installed
 * as PREFIX/bin/escape-review, wherever PREFIX is now.  Either must hold
 * summary.md.mustache.
 */
static char *templates_near_binary(void)
{
	char *exe = compat_exe_path(), *slash, *found = NULL;
	struct strbuf dir = STRBUF_INIT;

	if (!exe)
		return NULL;
	slash = strrchr(exe, '/');
	*slash = '\0';                 /* exe: the binary's directory */
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';         /* exe: its parent, ROOT or PREFIX */
	if (!slash || !*exe)
		goto out;
	strbuf_addf(&dir, "%s/templates", exe);
	if (readable(exe, "src/report.h") && readable(dir.buf, "summary.md.mustache")) {
		found = strbuf_detach(&dir, NULL);
		goto out;
	}
	strbuf_reset(&dir);
	strbuf_addf(&dir, "%s/share/escape-review/templates", exe);
	if (readable(dir.buf, "summary.md.mustache"))
		found = strbuf_detach(&dir, NULL);
out:
	strbuf_release(&dir);
	free(exe);
	return found;
}

const char *report_template_dir(const char *override)
{
	static char *near_binary;
	static int looked;
	const char *env;

	if (override)
		return override;
	env = getenv("ESCAPE_REVIEW_TEMPLATES");
	if (env && *env)
		return env;
	if (!looked) {
		looked = 1;
		near_binary = templates_near_binary();
	}
	return near_binary ? near_binary : ER_DATADIR "/templates";
}

enum mustache_escape report_escape_for(const char *name)
{
	const char *base = strrchr(name, '/');
	size_t n;

	base = base ? base + 1 : name;
	n = strlen(base);
	if (n >= 9 && !strcmp(base + n - 9, ".mustache"))
		n -= 9;
	if (n >= 3 && !strncmp(base + n - 3, ".md", 3))
		return MUSTACHE_ESCAPE_MARKDOWN;
	if (n >= 4 && !strncmp(base + n - 4, ".txt", 4))
		return MUSTACHE_ESCAPE_NONE;
	return MUSTACHE_ESCAPE_HTML;
}

/* ---- the data ---- */

static const char *str_of(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s ? s : "";
}

static void add_plural(cJSON *o, const char *k, double n)
{
	cJSON_AddStringToObject(o, k, n == 1 ? "" : "s");
}

/* o.location = "o.file:o.line" (the sanitised, valid UTF-8 name
 * report_finding_json() stored). */
static void add_location(cJSON *o)
{
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(o, "line");
	struct strbuf loc = STRBUF_INIT;

	strbuf_addf(&loc, "%s:%d", str_of(o, "file"),
		    cJSON_IsNumber(line) ? (int)line->valuedouble : 0);
	cJSON_AddStringToObject(o, "location", loc.buf);
	strbuf_release(&loc);
}

/* The derived fields of one finding's object (report_finding_json()). */
static void derive_finding(cJSON *o, const struct finding *f)
{
	const struct rule *r = checklist_find(f->rule ? f->rule : CHECKLIST_GENERIC_RULE);
	cJSON *step, *c;

	add_location(o);
	if ((c = cJSON_GetObjectItemCaseSensitive(o, "contract"))) {
		struct strbuf text = STRBUF_INIT;

		strbuf_addf(&text, "//escape:%s", str_of(c, "directive"));
		cJSON_AddStringToObject(c, "text", text.buf);
		strbuf_release(&text);
		add_location(c);
	}
	if ((c = cJSON_GetObjectItemCaseSensitive(o, "induced_by")))
		add_location(c);
	cJSON_AddBoolToObject(o, "is_error", f->severity == SEVERITY_ERROR);
	cJSON_AddBoolToObject(o, "is_warning", f->severity == SEVERITY_WARNING);
	cJSON_AddBoolToObject(o, "is_info", f->severity == SEVERITY_INFO);
	cJSON_AddBoolToObject(o, "is_new", f->status == STATUS_NEW);
	cJSON_AddBoolToObject(o, "is_acknowledged", f->status == STATUS_ACKNOWLEDGED);
	cJSON_AddBoolToObject(o, "has_flow", f->flow_nr > 0);
	cJSON_AddBoolToObject(o, "is_contract", f->contract != NULL);
	cJSON_AddBoolToObject(o, "is_induced", f->induced_by != NULL);
	cJSON_AddStringToObject(o, "explanation", r ? r->explanation : "");
	cJSON_AddStringToObject(o, "anchor", r ? r->anchor : "");
	report_add_doc_url(o, r);
	cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(o, "flow")) {
		cJSON_AddBoolToObject(step, "is_flow", starts_with(str_of(step, "text"), "flow:"));
		add_location(step);
	}
}

static void derive_list(cJSON *arr, const struct finding_list *l)
{
	cJSON *item;
	size_t i = 0;

	cJSON_ArrayForEach(item, arr)
		if (i < l->nr)
			derive_finding(item, l->items[i++]);
}

/* Copies of the findings of `arr` (parallel to `l`) with status `st`. */
static void add_status_list(cJSON *d, const char *name, const cJSON *arr,
			    const struct finding_list *l, enum finding_status st)
{
	cJSON *out = cJSON_AddArrayToObject(d, name), *item;
	size_t i = 0;

	cJSON_ArrayForEach(item, arr) {
		if (i < l->nr && l->items[i]->status == st)
			cJSON_AddItemToArray(out, cJSON_Duplicate(item, 1));
		i++;
	}
}

/*
 * The performance contracts the review reports (new, existing, then fixed):
 * "contracts" (copies of the findings, each with status_is.{new,existing,fixed})
 * and "has_contracts".
 */
static void add_contracts(cJSON *d, const cJSON *arr, const struct finding_list *l,
			  const cJSON *fixed_arr, const struct finding_list *fixed)
{
	static const enum finding_status order[] = { STATUS_NEW, STATUS_EXISTING, STATUS_FIXED };
	cJSON *out = cJSON_AddArrayToObject(d, "contracts"), *item;
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(order); k++) {
		const cJSON *a = order[k] == STATUS_FIXED ? fixed_arr : arr;
		const struct finding_list *fl = order[k] == STATUS_FIXED ? fixed : l;

		i = 0;
		cJSON_ArrayForEach(item, a) {
			if (i < fl->nr && fl->items[i]->contract && fl->items[i]->status == order[k]) {
				cJSON *c = cJSON_Duplicate(item, 1), *is;

				is = cJSON_AddObjectToObject(c, "status_is");
				cJSON_AddBoolToObject(is, status_name(order[k]), 1);
				cJSON_AddItemToArray(out, c);
			}
			i++;
		}
	}
	cJSON_AddBoolToObject(d, "has_contracts", cJSON_GetArraySize(out) > 0);
}

/* A rule's entry of "by_rule" (new and existing findings; `data` points
 * to 1) or "checklist" (new ones; to 0): {rule, title, severity, count,
 * plural, fix, explanation, anchor, doc_url, first}; none: left out. */
static int rule_entry(cJSON *o, const struct rule *r, const struct rule_counts *c,
		      const cJSON *rows, const void *data)
{
	unsigned count = c->new_nr + (*(const int *)data ? c->existing_nr : 0);

	if (!count)
		return 0;
	cJSON_AddNumberToObject(o, "count", count);
	add_plural(o, "plural", count);
	cJSON_AddStringToObject(o, "fix", r->fix);
	cJSON_AddStringToObject(o, "explanation", r->explanation);
	cJSON_AddStringToObject(o, "anchor", r->anchor);
	report_add_doc_url(o, r);
	cJSON_AddBoolToObject(o, "first", cJSON_GetArraySize(rows) == 0);
	return 1;
}

/* has_NAME, and when there are any NAME: {path, first} for each of `paths`
 * (what was not reviewed: the summary's "Not reviewed" lines). */
static void add_paths(cJSON *d, const char *name, const char *const *paths, size_t nr)
{
	struct strbuf has = STRBUF_INIT;
	cJSON *arr;
	size_t k;

	strbuf_addf(&has, "has_%s", name);
	cJSON_AddBoolToObject(d, has.buf, nr > 0);
	strbuf_release(&has);
	if (!nr)
		return;
	arr = cJSON_AddArrayToObject(d, name);
	for (k = 0; k < nr; k++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "path", paths[k]);
		cJSON_AddBoolToObject(o, "first", k == 0);
		cJSON_AddItemToArray(arr, o);
	}
}

cJSON *report_template_data(const struct review *rv)
{
	static const char *const sev_order[] = { "error", "warning", "info" };
	cJSON *d = report_json(rv), *findings, *fixed, *o, *arr;
	struct review_counts c;
	unsigned new_sev[4] = { 0 }, listed = 0, k;
	enum severity max = SEVERITY_NONE;
	size_t i;
	char sha[13];

	review_count(&c, rv);
	findings = cJSON_GetObjectItemCaseSensitive(d, "findings");
	fixed = cJSON_GetObjectItemCaseSensitive(d, "fixed");
	derive_list(findings, &rv->findings);
	derive_list(fixed, &rv->fixed);
	add_status_list(d, "new", findings, &rv->findings, STATUS_NEW);
	add_status_list(d, "existing", findings, &rv->findings, STATUS_EXISTING);
	add_status_list(d, "acknowledged", findings, &rv->findings, STATUS_ACKNOWLEDGED);
	add_status_list(d, "baseline", findings, &rv->findings, STATUS_BASELINE);
	add_contracts(d, findings, &rv->findings, cJSON_GetObjectItemCaseSensitive(d, "fixed"),
		      &rv->fixed);
	{
		/* new findings in importing packages, with their cause (induced_by) */
		cJSON *ind = cJSON_AddArrayToObject(d, "induced"), *item;
		size_t j = 0;

		cJSON_ArrayForEach(item, findings) {
			if (j < rv->findings.nr && rv->findings.items[j]->status == STATUS_NEW &&
			    rv->findings.items[j]->induced_by)
				cJSON_AddItemToArray(ind, cJSON_Duplicate(item, 1));
			j++;
		}
		cJSON_AddBoolToObject(d, "has_induced", cJSON_GetArraySize(ind) > 0);
	}
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];

		if (f->status == STATUS_NEW || f->status == STATUS_EXISTING)
			listed++;
		if (f->status != STATUS_NEW || (unsigned)f->severity >= 4)
			continue;
		new_sev[f->severity]++;
		if (f->severity > max)
			max = f->severity;
	}

	cJSON_AddBoolToObject(d, "has_new", c.new_nr > 0);
	cJSON_AddBoolToObject(d, "has_fixed", c.fixed_nr > 0);
	cJSON_AddBoolToObject(d, "has_existing", c.existing_nr > 0);
	cJSON_AddBoolToObject(d, "has_acknowledged", c.acknowledged_nr > 0);
	cJSON_AddBoolToObject(d, "has_baseline", c.baseline_nr > 0);
	cJSON_AddBoolToObject(d, "has_findings", listed > 0);
	cJSON_AddBoolToObject(d, "has_packages", rv->analysed_packages > 0);
	add_paths(d, "not_built", (const char *const *)rv->not_built.files, rv->not_built.files_nr);
	if (rv->not_built.files_nr)
		cJSON_AddStringToObject(d, "not_built_platform",
					rv->not_built.platform ? rv->not_built.platform : "");
	add_paths(d, "not_in_module", (const char *const *)rv->no_module, rv->no_module_nr);

	o = cJSON_AddObjectToObject(cJSON_GetObjectItemCaseSensitive(d, "summary"),
				    "new_by_severity");
	for (k = 0; k < ARRAY_SIZE(sev_order); k++)
		cJSON_AddNumberToObject(o, sev_order[k], new_sev[SEVERITY_ERROR - k]);
	arr = cJSON_AddArrayToObject(d, "new_severities");
	for (k = 0; k < ARRAY_SIZE(sev_order); k++) {
		unsigned n = new_sev[SEVERITY_ERROR - k];

		if (!n)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "severity", sev_order[k]);
		cJSON_AddNumberToObject(o, "count", n);
		/* "errors", "warnings", but "info" */
		cJSON_AddStringToObject(o, "plural", n == 1 || k == 2 ? "" : "s");
		cJSON_AddBoolToObject(o, "first", cJSON_GetArraySize(arr) == 0);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddStringToObject(d, "max_severity", severity_name(max));
	o = cJSON_AddObjectToObject(d, "max_severity_is");
	if (max != SEVERITY_NONE)
		cJSON_AddBoolToObject(o, severity_name(max), 1);

	cJSON_AddItemToObject(d, "by_rule", report_rule_rows(rv, rule_entry, &(const int){ 1 }));
	cJSON_AddItemToObject(d, "checklist", report_rule_rows(rv, rule_entry, &(const int){ 0 }));

	o = cJSON_AddObjectToObject(d, "plural");
	add_plural(o, "new", c.new_nr);
	add_plural(o, "fixed", c.fixed_nr);
	add_plural(o, "existing", c.existing_nr);
	add_plural(o, "acknowledged", c.acknowledged_nr);
	add_plural(o, "baseline", c.baseline_nr);
	add_plural(o, "findings", listed);
	add_plural(o, "packages", rv->analysed_packages);

	cJSON_AddNumberToObject(d, "packages", rv->analysed_packages);
	snprintf(sha, sizeof(sha), "%.12s", rv->base);
	if (*sha)
		cJSON_AddStringToObject(d, "short_base", sha);
	else
		cJSON_AddNullToObject(d, "short_base");
	snprintf(sha, sizeof(sha), "%.12s", rv->head);
	if (*sha)
		cJSON_AddStringToObject(d, "short_head", sha);
	else
		cJSON_AddNullToObject(d, "short_head");
	cJSON_AddStringToObject(d, "homepage", REPORT_HOMEPAGE);
	cJSON_AddStringToObject(d, "rules_url", REPORT_RULES_URL);
	return d;
}

/* ---- rendering ---- */

/* Add the template directory to the message just set. */
static int in_dir(int ret, const char *what, const char *dir)
{
	char *msg = xstrdup(error_last());

	error_set(ret, "%s (%s %s)", msg, what, dir);
	free(msg);
	return ret;
}

static int render_data(struct strbuf *out, const cJSON *data, const char *name, const char *dir)
{
	struct mustache_loader loader = MUSTACHE_DIR_LOADER(dir);
	int ret = mustache_render_name(out, name, data, report_escape_for(name), &loader);

	return ret ? in_dir(ret, "template directory", dir) : 0;
}

int report_render(struct strbuf *out, const struct review *rv, const char *name, const char *dir)
{
	cJSON *data = report_template_data(rv);
	int ret = render_data(out, data, name, dir);

	cJSON_Delete(data);
	return ret;
}

int report_render_finding(struct strbuf *out, const struct review *rv, const struct finding *f,
			  const char *dir)
{
	cJSON *data = report_template_data(rv), *fo = report_finding_json(f);
	int ret;

	derive_finding(fo, f);
	while (fo->child) {
		cJSON *item = cJSON_DetachItemViaPointer(fo, fo->child);

		cJSON_DeleteItemFromObjectCaseSensitive(data, item->string);
		cJSON_AddItemToObject(data, item->string, item);
	}
	cJSON_Delete(fo);
	ret = render_data(out, data, "inline.md", dir);
	cJSON_Delete(data);
	return ret;
}

/* Bytes `a` and `b` have in common at the start. */
static size_t common_prefix(const struct strbuf *a, const struct strbuf *b)
{
	size_t i = 0;

	while (i < a->len && i < b->len && a->buf[i] == b->buf[i])
		i++;
	return i;
}

int report_cut(struct strbuf *sb, size_t max)
{
	struct strbuf cut = STRBUF_INIT, note = STRBUF_INIT;
	size_t total = sb->len, left = total, kept;
	int tries;

	if (sb->len <= max)
		return 0;
	/* the note says how much is left out, which depends on the note's
	 * own length: settle it in a few rounds (the digits only shrink) */
	for (tries = 0; tries < 4; tries++) {
		strbuf_reset(&note);
		strbuf_addf(&note, "*Cut to fit %zu bytes: the last %zu of %zu bytes are left out; "
			    "`escape-review --format json` lists every finding.*\n",
			    max, left, total);
		strbuf_reset(&cut);
		strbuf_addbuf(&cut, sb);
		mustache_cut(&cut, max, note.buf);
		kept = common_prefix(&cut, sb);
		if (total - kept == left)
			break;
		left = total - kept;
	}
	strbuf_reset(sb);
	strbuf_addbuf(sb, &cut);
	strbuf_release(&cut);
	strbuf_release(&note);
	return 1;
}

/* ---- the render command ---- */

/* "LINE:COLUMN" of `at` in text. */
static void position(struct strbuf *out, const char *text, const char *at)
{
	const char *p;
	int line = 1, col = 1;

	for (p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	strbuf_addf(out, "%d:%d", line, col);
}

static int read_data(cJSON **out, const char *path)
{
	struct strbuf raw = STRBUF_INIT, pos = STRBUF_INIT;
	const char *end = NULL;
	long n = strbuf_read_file(&raw, path, REPORT_MAX_DATA);
	int ret = 0;

	*out = NULL;
	if (n < 0) {
		ret = error_set(ER_EINPUT, "cannot read data %s: %s", path, strerror(errno));
		goto out;
	}
	if ((size_t)n > REPORT_MAX_DATA) {
		ret = error_set(ER_EINPUT, "data %s is larger than %u bytes", path, REPORT_MAX_DATA);
		goto out;
	}
	*out = cJSON_ParseWithLengthOpts(raw.buf, raw.len, &end, 0);
	while (*out && end && end < raw.buf + raw.len && strchr(" \t\r\n", *end))
		end++;
	if (!*out || memchr(raw.buf, '\0', raw.len) || (end && end < raw.buf + raw.len)) {
		const char *at = *out ? end : cJSON_GetErrorPtr();

		if (!at || at < raw.buf || at > raw.buf + raw.len)
			at = raw.buf + raw.len;
		position(&pos, raw.buf, at);
		ret = error_set(ER_EINPUT, "data %s:%s: not valid JSON", path, pos.buf);
		cJSON_Delete(*out);
		*out = NULL;
	}
out:
	strbuf_release(&raw);
	strbuf_release(&pos);
	return ret;
}

int report_render_file(struct strbuf *out, const char *tmpl_path, const char *data_path,
		       const char *partials_dir, int esc)
{
	struct strbuf tmpl = STRBUF_INIT, dir = STRBUF_INIT;
	struct mustache_loader loader = MUSTACHE_DIR_LOADER(NULL);
	const char *slash;
	cJSON *data = NULL;
	long n;
	int ret;

	n = strbuf_read_file(&tmpl, tmpl_path, MUSTACHE_MAX_TEMPLATE);
	if (n < 0) {
		ret = error_set(ER_ETEMPLATE, "cannot read template %s: %s", tmpl_path,
				strerror(errno));
		goto out;
	}
	if ((size_t)n > MUSTACHE_MAX_TEMPLATE) {
		ret = error_set(ER_ETEMPLATE, "template %s is larger than %u bytes", tmpl_path,
				MUSTACHE_MAX_TEMPLATE);
		goto out;
	}
	if ((ret = read_data(&data, data_path)))
		goto out;
	if (partials_dir) {
		strbuf_addstr(&dir, partials_dir);
	} else if ((slash = strrchr(tmpl_path, '/'))) {
		strbuf_add(&dir, tmpl_path, (size_t)(slash - tmpl_path));
		if (!dir.len)
			strbuf_addch(&dir, '/');
	} else {
		strbuf_addch(&dir, '.');
	}
	loader.data = dir.buf;
	if (esc < 0)
		esc = (int)report_escape_for(tmpl_path);
	ret = mustache_render(out, tmpl.buf, tmpl.len, tmpl_path, data, (enum mustache_escape)esc,
			      &loader);
	if (ret && strstr(error_last(), ": partial '"))
		in_dir(ret, "partials directory", dir.buf);
out:
	cJSON_Delete(data);
	strbuf_release(&tmpl);
	strbuf_release(&dir);
	return ret;
}
