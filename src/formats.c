/*
 * formats.c: SARIF 2.1.0, reviewdog's rdjson and GitHub Actions workflow
 * commands (formats.h).  Each finding is read through report_finding_json()
 * so strings are already valid UTF-8; titles and fixes come from the
 * checklist catalog.  Formatting only.
 */
#include "formats.h"
#include "checklist.h"
#include "mustache.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *str_of(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s ? s : "";
}

static int int_of(const cJSON *o, const char *k)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(n) ? n->valueint : 0;
}

/* "moved to heap: s (in NewStudent): the address of s is returned ..." */
static void add_message(struct strbuf *sb, const cJSON *fo)
{
	strbuf_addstr(sb, str_of(fo, "message"));
	if (*str_of(fo, "function"))
		strbuf_addf(sb, " (in %s)", str_of(fo, "function"));
	if (*str_of(fo, "why"))
		strbuf_addf(sb, ": %s", str_of(fo, "why"));
	{
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(fo, "induced_by");

		if (k && *str_of(k, "why"))
			strbuf_addf(sb, "; %s", str_of(k, "why"));
	}
}

static int reported(const struct finding *f)
{
	return f->status == STATUS_NEW || f->status == STATUS_EXISTING;
}

static const char *rule_id(const struct finding *f)
{
	return f->rule ? f->rule : CHECKLIST_GENERIC_RULE;
}

static void print_json(struct strbuf *out, cJSON *doc)
{
	char *s = cJSON_Print(doc);

	strbuf_addstr(out, s);
	strbuf_addch(out, '\n');
	free(s);
	cJSON_Delete(doc);
}

/* ---- SARIF ---- */

static const char *sarif_level(enum severity s)
{
	switch (s) {
	case SEVERITY_ERROR: return "error";
	case SEVERITY_WARNING: return "warning";
	default: return "note";
	}
}

/* A URI reference for a path: every byte but unreserved characters and
 * '/' percent-encoded (so any bytes, invalid UTF-8 too, make a valid URI). */
static void add_uri_path(struct strbuf *sb, const char *path)
{
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

/* What a file the build constraints left out says (review.not_built). */
static void not_built_message(struct strbuf *out, const struct review *rv, const char *file)
{
	strbuf_addf(out, "%s is not built for %s: its build constraints leave it out, so its allocations are not reviewed",
		    file, rv->not_built.platform ? rv->not_built.platform : "this platform");
}

static cJSON *text_obj(const char *text)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "text", text);
	return o;
}

static cJSON *physical_location(const char *file, int line, int column)
{
	cJSON *pl = cJSON_CreateObject(), *al, *region;
	struct strbuf uri = STRBUF_INIT;

	add_uri_path(&uri, file);
	al = cJSON_AddObjectToObject(pl, "artifactLocation");
	cJSON_AddStringToObject(al, "uri", uri.buf);
	cJSON_AddStringToObject(al, "uriBaseId", "%SRCROOT%");
	strbuf_release(&uri);
	if (line > 0) {
		region = cJSON_AddObjectToObject(pl, "region");
		cJSON_AddNumberToObject(region, "startLine", line);
		if (column > 0)
			cJSON_AddNumberToObject(region, "startColumn", column);
	}
	return pl;
}

static cJSON *sarif_rule(const struct rule *r)
{
	cJSON *o = cJSON_CreateObject(), *help, *cfg, *props, *tags;
	struct strbuf md = STRBUF_INIT, url = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&url, "%s#%s", REPORT_RULES_URL, r->anchor);
	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddItemToObject(o, "shortDescription", text_obj(r->title));
	cJSON_AddItemToObject(o, "fullDescription", text_obj(r->explanation));
	strbuf_addf(&text, "%s\n\nFix: %s", r->explanation, r->fix);
	strbuf_addstr(&md, "**Fix:** ");
	mustache_escape_markdown(&md, r->fix);
	strbuf_addf(&md, "\n\n[%s in the escape checklist](%s)", r->id, url.buf);
	help = cJSON_AddObjectToObject(o, "help");
	cJSON_AddStringToObject(help, "text", text.buf);
	cJSON_AddStringToObject(help, "markdown", md.buf);
	cJSON_AddStringToObject(o, "helpUri", url.buf);
	cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level", sarif_level(r->severity));
	props = cJSON_AddObjectToObject(o, "properties");
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("performance"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("escape-analysis"));
	strbuf_release(&md);
	strbuf_release(&url);
	strbuf_release(&text);
	return o;
}

static cJSON *sarif_code_flow(const cJSON *fo)
{
	cJSON *flows = cJSON_CreateArray(), *cf = cJSON_CreateObject(), *tfs, *tf, *locs;
	const cJSON *step;

	tfs = cJSON_AddArrayToObject(cf, "threadFlows");
	tf = cJSON_CreateObject();
	locs = cJSON_AddArrayToObject(tf, "locations");
	cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(fo, "flow")) {
		cJSON *tfl = cJSON_CreateObject(), *loc = cJSON_CreateObject();
		const char *text = str_of(step, "text");

		if (*str_of(step, "file") && int_of(step, "line") > 0)
			cJSON_AddItemToObject(loc, "physicalLocation",
					      physical_location(str_of(step, "file"),
								int_of(step, "line"),
								int_of(step, "column")));
		cJSON_AddItemToObject(loc, "message", text_obj(text));
		cJSON_AddItemToObject(tfl, "location", loc);
		cJSON_AddNumberToObject(tfl, "nestingLevel", starts_with(text, "flow:") ? 0 : 1);
		cJSON_AddItemToArray(locs, tfl);
	}
	cJSON_AddItemToArray(tfs, tf);
	cJSON_AddItemToArray(flows, cf);
	return flows;
}

static cJSON *sarif_result(const struct finding *f, const cJSON *fo, int rule_index)
{
	cJSON *o = cJSON_CreateObject(), *locs, *loc, *fp, *sup;
	struct strbuf msg = STRBUF_INIT;

	cJSON_AddStringToObject(o, "ruleId", str_of(fo, "rule"));
	cJSON_AddNumberToObject(o, "ruleIndex", rule_index);
	cJSON_AddStringToObject(o, "level", sarif_level(f->severity));
	add_message(&msg, fo);
	cJSON_AddItemToObject(o, "message", text_obj(msg.buf));
	strbuf_release(&msg);
	locs = cJSON_AddArrayToObject(o, "locations");
	loc = cJSON_CreateObject();
	cJSON_AddItemToObject(loc, "physicalLocation",
			      physical_location(f->file ? f->file : "", f->line, f->column));
	if (*str_of(fo, "function")) {
		cJSON *ll = cJSON_AddArrayToObject(loc, "logicalLocations"), *l = cJSON_CreateObject();
		struct strbuf fq = STRBUF_INIT;

		cJSON_AddStringToObject(l, "name", str_of(fo, "function"));
		if (*str_of(fo, "package")) {
			strbuf_addf(&fq, "%s.%s", str_of(fo, "package"), str_of(fo, "function"));
			cJSON_AddStringToObject(l, "fullyQualifiedName", fq.buf);
		}
		cJSON_AddStringToObject(l, "kind", "function");
		cJSON_AddItemToArray(ll, l);
		strbuf_release(&fq);
	}
	cJSON_AddItemToArray(locs, loc);
	if (*str_of(fo, "fingerprint")) {
		fp = cJSON_AddObjectToObject(o, "partialFingerprints");
		cJSON_AddStringToObject(fp, "escapeReview/v1", str_of(fo, "fingerprint"));
	}
	if (f->flow_nr)
		cJSON_AddItemToObject(o, "codeFlows", sarif_code_flow(fo));
	if (cJSON_GetObjectItemCaseSensitive(fo, "contract")) {
		/* a broken performance contract: the directive and where it is written */
		cJSON *props = cJSON_AddObjectToObject(o, "properties");

		cJSON_AddItemToObject(props, "contract",
				      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(fo, "contract"), 1));
	}
	if (f->induced_by) {
		/* the changed function that made it appear (or go) */
		cJSON *rel = cJSON_AddArrayToObject(o, "relatedLocations"), *rl = cJSON_CreateObject();

		cJSON_AddNumberToObject(rl, "id", 1);
		cJSON_AddItemToObject(rl, "physicalLocation",
				      physical_location(f->induced_by->file, f->induced_by->line, 0));
		cJSON_AddItemToObject(rl, "message", text_obj(f->induced_by->why));
		cJSON_AddItemToArray(rel, rl);
	}
	cJSON_AddStringToObject(o, "baselineState", f->status == STATUS_NEW ? "new" : "unchanged");
	if (f->profiled) /* SARIF's rank: 0.0 to 100.0, the weight as a percentage */
		cJSON_AddNumberToObject(o, "rank", (double)(long long)(f->weight * 10000 + 0.5) / 100);
	if (f->status == STATUS_ACKNOWLEDGED || f->status == STATUS_BASELINE) {
		cJSON *s = cJSON_CreateObject();

		sup = cJSON_AddArrayToObject(o, "suppressions");
		if (f->status == STATUS_ACKNOWLEDGED) {
			cJSON_AddStringToObject(s, "kind", "inSource");
			cJSON_AddStringToObject(s, "justification", str_of(fo, "acknowledged_reason"));
		} else {
			cJSON_AddStringToObject(s, "kind", "external");
			cJSON_AddStringToObject(s, "justification", "accepted in .escape-baseline.json");
		}
		cJSON_AddItemToArray(sup, s);
	}
	return o;
}

void format_sarif(struct strbuf *out, const struct review *rv)
{
	cJSON *doc = cJSON_CreateObject(), *runs, *run, *driver, *rules, *results, *bases, *root;
	const struct rule *catalog;
	int *index;
	size_t nr, i, j;
	int next = 0;

	catalog = checklist_rules(&nr);
	index = xcalloc(nr, sizeof(*index));
	for (i = 0; i < nr; i++) {
		index[i] = -1;
		for (j = 0; j < rv->findings.nr; j++)
			if (!strcmp(rule_id(rv->findings.items[j]), catalog[i].id)) {
				index[i] = next++;
				break;
			}
	}

	cJSON_AddStringToObject(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(doc, "version", "2.1.0");
	runs = cJSON_AddArrayToObject(doc, "runs");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
	cJSON_AddStringToObject(driver, "name", "escape-review");
	cJSON_AddStringToObject(driver, "version", ER_VERSION);
	cJSON_AddStringToObject(driver, "semanticVersion", ER_VERSION);
	cJSON_AddStringToObject(driver, "informationUri", REPORT_HOMEPAGE);
	rules = cJSON_AddArrayToObject(driver, "rules");
	for (i = 0; i < nr; i++)
		if (index[i] >= 0)
			cJSON_AddItemToArray(rules, sarif_rule(&catalog[i]));

	bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
	root = cJSON_AddObjectToObject(bases, "%SRCROOT%");
	if (rv->workdir && rv->workdir[0] == '/') {
		struct strbuf uri = STRBUF_INIT;

		strbuf_addstr(&uri, "file://");
		add_uri_path(&uri, rv->workdir);
		if (uri.buf[uri.len - 1] != '/')
			strbuf_addch(&uri, '/');
		cJSON_AddStringToObject(root, "uri", uri.buf);
		strbuf_release(&uri);
	}
	cJSON_AddItemToObject(root, "description", text_obj("The root of the repository's work tree"));

	results = cJSON_AddArrayToObject(run, "results");
	for (j = 0; j < rv->findings.nr; j++) {
		const struct finding *f = rv->findings.items[j];
		cJSON *fo = report_finding_json(f);
		int ri = -1;

		for (i = 0; i < nr; i++)
			if (!strcmp(rule_id(f), catalog[i].id))
				ri = index[i];
		if (ri >= 0)
			cJSON_AddItemToArray(results, sarif_result(f, fo, ri));
		cJSON_Delete(fo);
	}
	if (rv->not_built.files_nr) {
		/* what was not reviewed: the tool's notifications of its run */
		cJSON *inv = cJSON_CreateObject(), *notes;

		cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
		cJSON_AddBoolToObject(inv, "executionSuccessful", 1);
		notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
		for (j = 0; j < rv->not_built.files_nr; j++) {
			const char *file = rv->not_built.files[j];
			cJSON *n = cJSON_CreateObject(), *loc = cJSON_CreateObject();
			struct strbuf msg = STRBUF_INIT;

			not_built_message(&msg, rv, file);
			cJSON_AddStringToObject(n, "level", "warning");
			cJSON_AddItemToObject(n, "message", text_obj(msg.buf));
			cJSON_AddItemToObject(loc, "physicalLocation", physical_location(file, 0, 0));
			cJSON_AddItemToArray(cJSON_AddArrayToObject(n, "locations"), loc);
			cJSON_AddItemToArray(notes, n);
			strbuf_release(&msg);
		}
	}
	if (rv->head[0]) {
		cJSON *props = cJSON_AddObjectToObject(run, "properties");

		cJSON_AddStringToObject(props, "head", rv->head);
		if (rv->base[0])
			cJSON_AddStringToObject(props, "base", rv->base);
		if (rv->mode)
			cJSON_AddStringToObject(props, "mode", rv->mode);
	}
	free(index);
	print_json(out, doc);
}

/* ---- rdjson ---- */

static const char *rd_severity(enum severity s)
{
	switch (s) {
	case SEVERITY_ERROR: return "ERROR";
	case SEVERITY_WARNING: return "WARNING";
	default: return "INFO";
	}
}

void format_rdjson(struct strbuf *out, const struct review *rv)
{
	cJSON *doc = cJSON_CreateObject(), *src, *diags;
	size_t i;

	src = cJSON_AddObjectToObject(doc, "source");
	cJSON_AddStringToObject(src, "name", "escape-review");
	cJSON_AddStringToObject(src, "url", REPORT_HOMEPAGE);
	diags = cJSON_AddArrayToObject(doc, "diagnostics");
	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];
		const struct rule *r = checklist_find(rule_id(f));
		cJSON *fo, *d, *loc, *start, *code;
		struct strbuf msg = STRBUF_INIT, url = STRBUF_INIT;

		if (!reported(f))
			continue;
		fo = report_finding_json(f);
		d = cJSON_CreateObject();
		add_message(&msg, fo);
		cJSON_AddStringToObject(d, "message", msg.buf);
		loc = cJSON_AddObjectToObject(d, "location");
		cJSON_AddStringToObject(loc, "path", str_of(fo, "file"));
		start = cJSON_AddObjectToObject(cJSON_AddObjectToObject(loc, "range"), "start");
		cJSON_AddNumberToObject(start, "line", f->line);
		if (f->column > 0)
			cJSON_AddNumberToObject(start, "column", f->column);
		cJSON_AddStringToObject(d, "severity", rd_severity(f->severity));
		code = cJSON_AddObjectToObject(d, "code");
		cJSON_AddStringToObject(code, "value", str_of(fo, "rule"));
		strbuf_addf(&url, "%s#%s", REPORT_RULES_URL, r ? r->anchor : "");
		cJSON_AddStringToObject(code, "url", url.buf);
		cJSON_AddItemToArray(diags, d);
		cJSON_Delete(fo);
		strbuf_release(&msg);
		strbuf_release(&url);
	}
	print_json(out, doc);
}

/* ---- GitHub Actions workflow commands ---- */

/* The runner's escaping; `property` adds ':' and ','. */
static void ga_escape(struct strbuf *out, const char *s, int property)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%')
			strbuf_addstr(out, "%25");
		else if (c == '\r')
			strbuf_addstr(out, "%0D");
		else if (c == '\n')
			strbuf_addstr(out, "%0A");
		else if (property && c == ':')
			strbuf_addstr(out, "%3A");
		else if (property && c == ',')
			strbuf_addstr(out, "%2C");
		else if (c < 0x20 || c == 0x7f)
			continue;
		else
			strbuf_addch(out, (char)c);
	}
}

void format_github_actions(struct strbuf *out, const struct review *rv)
{
	size_t i;

	for (i = 0; i < rv->findings.nr; i++) {
		const struct finding *f = rv->findings.items[i];
		const struct rule *r = checklist_find(rule_id(f));
		struct strbuf tmp = STRBUF_INIT;
		cJSON *fo;

		if (!reported(f))
			continue;
		fo = report_finding_json(f);
		strbuf_addf(out, "::%s file=", f->severity == SEVERITY_ERROR ? "error" :
			    f->severity == SEVERITY_WARNING ? "warning" : "notice");
		ga_escape(out, str_of(fo, "file"), 1);
		strbuf_addf(out, ",line=%d", f->line);
		if (f->column > 0)
			strbuf_addf(out, ",col=%d", f->column);
		strbuf_addf(&tmp, "%s %s", str_of(fo, "rule"), r ? r->title : "");
		strbuf_addstr(out, ",title=");
		ga_escape(out, tmp.buf, 1);
		strbuf_addstr(out, "::");
		strbuf_reset(&tmp);
		add_message(&tmp, fo);
		if (r && *r->fix)
			strbuf_addf(&tmp, "\nFix: %s", r->fix);
		ga_escape(out, tmp.buf, 0);
		strbuf_addch(out, '\n');
		strbuf_release(&tmp);
		cJSON_Delete(fo);
	}
	/* what was not reviewed: a warning on the file, not on a line */
	for (i = 0; i < rv->not_built.files_nr; i++) {
		struct strbuf tmp = STRBUF_INIT;

		strbuf_addstr(out, "::warning file=");
		ga_escape(out, rv->not_built.files[i], 1);
		strbuf_addstr(out, ",title=");
		ga_escape(out, "escape-review: not reviewed", 1);
		strbuf_addstr(out, "::");
		not_built_message(&tmp, rv, rv->not_built.files[i]);
		ga_escape(out, tmp.buf, 0);
		strbuf_addch(out, '\n');
		strbuf_release(&tmp);
	}
}
