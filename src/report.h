#ifndef REPORT_H
#define REPORT_H

/*
 * report.h: turning a review (review.h) into output: the JSON document
 * (also the data the Mustache templates render, render.h), and the
 * terminal text.
 *
 * Owns: the JSON document's shape and the text output.  Never: touches the
 * network, reads templates or files, or decides policy (which findings
 * count, what fails): it formats the review it is given.
 *
 * The JSON document:
 *   { "tool": {"name", "version"}, "mode", "base", "head", "go_version",
 *     "summary": {"new", "fixed", "existing", "baseline", "acknowledged",
 *                 "by_rule": {"ER001": n, ...}, "by_severity": {...}},
 *     "findings": [FINDING...], "fixed": [FINDING...] }
 *   FINDING: { "file", "line", "column", "function", "package", "message",
 *     "rule", "severity", "title", "why", "fix", "status", "added_line",
 *     "in_loop", "loop_line" (the line of that for loop, or null),
 *     "fingerprint", "flow": [{"file","line","column","text"}],
 *     "flow_truncated", "acknowledged_reason" (when acknowledged),
 *     "induced_by" (findings in importing packages: {"package", "function",
 *       "file", "line", "summary_before", "summary_after", "via", "why"}) }
 *   "summary" also has "dependents" and "dependents_not_analysed" when
 *   importing packages were followed (dependents.h).
 */

#include "review.h"
#include <cJSON.h>
#include <stdio.h>

struct strbuf;

struct report_opts {
	int explain;   /* text: print the whole reason chain */
	int color;     /* text: ANSI colour */
};

/* The JSON document of a review (caller frees with cJSON_Delete). */
cJSON *report_json(const struct review *rv);
/*
 * Write the same document to `fp`, one finding at a time, so memory does
 * not grow with the size of the output (the standard library's review is
 * tens of thousands of findings).  Returns 0, or ER_ERROR when writing
 * failed.
 */
int report_json_write(FILE *fp, const struct review *rv);
/* The same with one more member `name` (after "fixed") holding `extra`
 * (the "publish" object of publish.h). */
int report_json_write_extra(FILE *fp, const struct review *rv, const char *name,
			    const cJSON *extra);
/* One finding as a JSON object. */
cJSON *report_finding_json(const struct finding *f);
/* The same object written through `w` (jsonw.h): as text, byte for byte
 * what cJSON_PrintUnformatted() prints of report_finding_json(f). */
struct jsonw;
void report_finding_jsonw(struct jsonw *w, const struct finding *f);

/* The terminal text: one block per finding, then a summary line. */
void report_text(struct strbuf *out, const struct review *rv, const struct report_opts *opts);

/* Counts over the reported findings (statuses), and the fixed ones. */
struct review_counts {
	unsigned new_nr, existing_nr, baseline_nr, acknowledged_nr, fixed_nr;
	unsigned by_severity[4];   /* of new + existing findings */
};
void review_count(struct review_counts *out, const struct review *rv);

/* One rule's findings: new and existing (the listed ones), and fixed. */
struct rule_counts {
	unsigned new_nr, existing_nr, fixed_nr;
};
void review_count_rule(struct rule_counts *out, const struct review *rv, const char *rule);

/* The members "new", "fixed" and "existing" of `o`, in that order (the
 * summary, and the release report's rows). */
void report_add_counts(cJSON *o, unsigned new_nr, unsigned fixed_nr, unsigned existing_nr);
/*
 * The rules of the catalog with their counts, in id order: an array of
 * objects {"rule", "title", "severity", ...} where `fill` adds the rest of
 * each (`rows` is the array so far) and returns 0 to leave that rule out.
 */
typedef int report_rule_fill_fn(cJSON *o, const struct rule *r, const struct rule_counts *c,
				const cJSON *rows, const void *data);
cJSON *report_rule_rows(const struct review *rv, report_rule_fill_fn *fill, const void *data);
/* Member "doc_url" of `o`: the rule's section of the catalog (r NULL: its top). */
void report_add_doc_url(cJSON *o, const struct rule *r);

/* The project's page, and the rule catalog there (rule anchors follow '#'). */
#define REPORT_HOMEPAGE "https://github.com/escape-review/escape-review"
#define REPORT_RULES_URL REPORT_HOMEPAGE "/blob/main/docs/rules.md"

#endif
