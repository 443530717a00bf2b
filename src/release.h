#ifndef RELEASE_H
#define RELEASE_H

/*
 * release.h: `escape-review report --base REV --head REV`, the comparison
 * of two releases for people who do not open a terminal.  Every package of
 * the repository's modules is analysed at both revisions (review_run with
 * all_packages, MODE_NEW and keep_existing: the same statuses, counts and
 * fingerprints as the default review of those revisions), and the result
 * is one document: report_template_data() plus
 *   "report": {"base_rev", "head_rev", "total_bytes" (text), "has_profile",
 *              "top_nr"},
 *   "package_rows": [{"package", "new", "fixed", "existing", "bytes", "size",
 *                 "share"}] (by new, then bytes),
 *   "rules": [{"rule", "title", "severity", "new", "fixed", "existing",
 *              "doc_url"}] (id order),
 *   "top": the new and existing findings with a weight, heaviest first
 *          (at most RELEASE_TOP), each with "size" and "share" as text,
 *   "charts": {"width", "height", "bars": [...]} an SVG bar chart of new
 *          and fixed per package, "hotmap": {"width", "height", "cells":
 *          [...]} when a profile was given: one row per package, a cell
 *          per function sized by its allocated bytes (or CPU share) and
 *          coloured by new / existing / fixed.
 * Every coordinate is computed here so the templates only place them;
 * every name goes through the template's escaping.
 * `--format json` prints the document (the data `render` previews the
 * templates with); html and markdown render templates/report.html and
 * templates/report.md.
 *
 * Owns: the release report's document and its chart geometry.  Never:
 * touches the network, decides policy or changes the review it is given.
 */

#include "review.h"
#include <cJSON.h>

struct strbuf;

#define RELEASE_TOP 20

/* Review options for the report of base..head (`ro` is filled in). */
void release_review_opts(struct review_opts *ro, const char *base, const char *head);

/* The report's document (caller frees). */
cJSON *release_data(const struct review *rv, const char *base_rev, const char *head_rev);

/*
 * Render the report in `format` ("html", "markdown" or "json") into
 * `out`; templates from `dir`.  ER_EUSAGE for another format,
 * ER_ETEMPLATE for a template error.
 */
int release_render(struct strbuf *out, const struct review *rv, const char *base_rev,
		   const char *head_rev, const char *format, const char *dir);

#endif
