#ifndef RENDER_H
#define RENDER_H

/*
 * render.h: review comments from Mustache templates (mustache.h) over the
 * JSON document of report.h plus derived fields (docs/templates.md lists
 * every one): template NAME is the file NAME.mustache of a template
 * directory, and its partials are files of the same directory
 * ({{> row.md}} is row.md.mustache).  The defaults are summary.md (the
 * sticky summary), inline.md (one finding) and status.txt (a commit status
 * line of at most 140 bytes).  Also `escape-review render` (a template
 * over a JSON file).
 *
 * Owns: finding the template directory, the template data, escaping by
 * name and cutting a comment to size.  Never: touches the network (the
 * forge modules post what it returns), decides policy, or changes the
 * review it is given.
 */

#include "review.h"
#include "mustache.h"
#include <cJSON.h>
#include <stddef.h>

struct strbuf;

/* --max-comment-bytes default: under GitHub's 65,536-byte comment limit. */
#define REPORT_MAX_COMMENT_BYTES 65000

/*
 * The directory templates come from: `override` when not NULL
 * (--template-dir, or template_dir in the configuration), else
 * $ESCAPE_REVIEW_TEMPLATES when set and not empty, else the templates next
 * to the running binary (compat_exe_path(), symbolic links resolved):
 * ROOT/templates when it is ROOT/BUILD/escape-review of a source tree
 * (ROOT/src/report.h exists), PREFIX/share/escape-review/templates when it
 * is PREFIX/bin/escape-review (any prefix, also after the install was
 * moved); each must hold summary.md.mustache.  Else ER_DATADIR
 * "/templates" (the Makefile defines ER_DATADIR as
 * $(PREFIX)/share/escape-review).  Returns `override`, the environment's
 * value, a string computed once and kept for the life of the process, or
 * the constant: never NULL, never to be freed.
 */
const char *report_template_dir(const char *override);

/* The escaping a template's name asks for: ".md" at the end (after any
 * ".mustache") Markdown, ".txt" none, anything else HTML. */
enum mustache_escape report_escape_for(const char *name);

/*
 * The data templates render: report_json(rv) plus the derived fields
 * (counts by rule as a list of {rule, title, count, ...}, has_new,
 * has_fixed, the checklist, max_severity, plural suffixes, per finding
 * location/is_error/doc_url/...; docs/templates.md).  Caller frees.
 */
cJSON *report_template_data(const struct review *rv);

/*
 * Render the template NAME (e.g. "summary.md", the file NAME.mustache in
 * `dir`) with report_template_data(rv), escaped as report_escape_for(NAME)
 * says, and append it to `out`.  A missing template or partial, or a bad
 * one, is ER_ETEMPLATE with one line naming the file and the directory:
 *   template summary.md.mustache not found (template directory /x)
 *   template summary.md.mustache:3: partial 'row.md' not found (template directory /x)
 * On error `out` is left as it was.
 */
int report_render(struct strbuf *out, const struct review *rv, const char *name, const char *dir);

/*
 * Render one finding (template "inline.md") for an inline comment, with
 * the same data plus the finding's fields at the top level of the context
 * (so {{message}}, {{rule}}, {{why}}, {{fix}}, {{file}}, {{line}} work).
 */
int report_render_finding(struct strbuf *out, const struct review *rv, const struct finding *f,
			  const char *dir);

/*
 * Cut a rendered comment to `max` bytes with mustache_cut() (after a
 * newline, so never inside a table row or a UTF-8 sequence), ending with a
 * note saying how much was left out; the note counts toward `max`.
 * Returns 1 when it cut, 0 when `sb` already fit.
 */
int report_cut(struct strbuf *sb, size_t max);

/*
 * `escape-review render`: render the template file `tmpl_path` over the
 * JSON file `data_path` (each read with a bound: MUSTACHE_MAX_TEMPLATE and
 * REPORT_MAX_DATA bytes), partials from `partials_dir` (NULL: the
 * template's own directory), escaped as `esc` says (-1: by the file's
 * name, without its ".mustache", as report_escape_for()).  ER_EINPUT for
 * unreadable or malformed data, ER_ETEMPLATE for template errors.
 */
#define REPORT_MAX_DATA (64u << 20)
int report_render_file(struct strbuf *out, const char *tmpl_path, const char *data_path,
		       const char *partials_dir, int esc);

#endif
