#ifndef MUSTACHE_H
#define MUSTACHE_H

/*
 * mustache.h: render Mustache templates (https://mustache.github.io/) over
 * cJSON data, with HTML or Markdown escaping, partials from a loader, and
 * a cut helper for bodies that must fit a size limit.  It owns the
 * template language; it must never know a finding or read a file itself
 * (partials come from the caller's loader).
 *
 * Conformance: every test of the official spec's core modules (comments,
 * delimiters, interpolation, inverted, partials, sections) passes; the
 * optional modules (lambdas, inheritance, dynamic names) are not
 * supported: `{{$x}}` and `{{<x}}` are errors.
 *
 * Usage:
 *	struct mustache_loader dir = MUSTACHE_DIR_LOADER("templates");
 *	struct strbuf out = STRBUF_INIT;
 *	ret = mustache_render_name(&out, "summary.md", data,
 *				   MUSTACHE_ESCAPE_MARKDOWN, &dir);
 *	if (ret < 0)
 *		return ret;  // error_last(): "template summary.md.mustache:12:
 *		             //   section 'findings' is not closed"
 *
 * Code: `{{`x}}` (a backtick after the opening delimiter) interpolates x
 * as code: a Markdown code span, or <code> where the line is HTML
 * (mustache_markdown_code()); <code> with HTML escaping in HTML
 * templates; x as it is in plain text.  Not in the spec (other renderers
 * look up a name with a backtick).
 *
 * Data semantics:
 *  - Names are looked up from the innermost section's value outwards; the
 *    first object holding the key wins, even when the value is null.  In a
 *    dotted name `a.b.c` only `a` is looked up that way, `b` and `c` in the
 *    value found before them.  `{{.}}` is the current value.
 *  - Falsey (section skipped, inverted section shown): missing, null,
 *    false, 0, "", [].  Everything else is truthy (including {}).
 *    A list repeats the section for each element; any other truthy value
 *    renders it once with the value pushed as the current context.
 *  - Interpolation: strings as they are; integers without a fraction
 *    ("85"); other numbers in the shortest form that reads back the same
 *    ("1.21"); true / false as "true" / "false"; null and missing as "";
 *    objects and lists as compact JSON.  Then escaped as chosen.
 *
 * Whole-template errors (all ER_ETEMPLATE, message
 * "template NAME:LINE: ...", LINE being the line of the offending tag):
 * unclosed tag, empty tag, bad name, unclosed section, closing tag that
 * does not match, bad set-delimiter tag, unsupported tag, bad or missing
 * partial, nesting, work or output beyond the limits below.  The whole
 * template is parsed before anything is rendered, so an error in a
 * section that the data skips is still reported; partials are loaded
 * (and checked) only when a rendered part of the template includes them.
 */

#include <stddef.h>

struct strbuf;
struct cJSON;

enum mustache_escape {
	/*
	 * `& < > " '` become `&amp; &lt; &gt; &quot; &#39;` (the spec's
	 * escaping, plus the quote for single-quoted attributes).
	 */
	MUSTACHE_ESCAPE_HTML,
	/* Comment bodies for GitHub / GitLab: see mustache_escape_markdown(). */
	MUSTACHE_ESCAPE_MARKDOWN,
	/* No escaping at all (plain-text output). */
	MUSTACHE_ESCAPE_NONE,
};

/* The loader returns this (positive) when it has no partial by that name. */
#define MUSTACHE_NOT_FOUND 1

/* Largest template or partial accepted (bytes). */
#define MUSTACHE_MAX_TEMPLATE (1u << 20)
/* Largest output of one mustache_render() (bytes). */
#define MUSTACHE_MAX_OUTPUT (64u << 20)
/* At most this many tags and texts rendered by one mustache_render()
 * (nested partials can repeat work exponentially without output). */
#define MUSTACHE_MAX_STEPS (1u << 26)
/* Partials may include partials this deep (a partial including itself
 * without a data-driven end hits it). */
#define MUSTACHE_MAX_PARTIAL_DEPTH 64
/* Sections nested in one template, and sections plus partials nested
 * while rendering, at most this deep. */
#define MUSTACHE_MAX_NESTING 256

/*
 * Where partials come from.  `load` appends the source of partial `name`
 * to `out` and returns 0, or returns MUSTACHE_NOT_FOUND, or a negative
 * ER_* code with the message set (passed up unchanged).  Partial names
 * are checked before `load` sees them: letters, digits, '_', '-' and
 * '.', not starting with '.', no "..".
 *
 * `suffix` is appended to a partial's name where messages name it
 * (".mustache" for the directory loader), NULL for none.  With
 * `missing_ok` a partial that is not found renders as nothing (the
 * spec's behaviour); without it, it is an error: "template
 * NAME:LINE: partial 'x' not found".
 */
struct mustache_loader {
	int (*load)(void *data, const char *name, struct strbuf *out);
	void *data;
	const char *suffix;
	unsigned missing_ok : 1;
};

/*
 * The directory loader: partial NAME is the file DIR/NAME.mustache, read
 * with a bound of MUSTACHE_MAX_TEMPLATE bytes.  `dir` is a `const char *`
 * directory.  Names with '/', "..", a leading '.' or other characters
 * than those listed above are refused (ER_ETEMPLATE).  A file that does
 * not exist is MUSTACHE_NOT_FOUND; any other failure ER_ETEMPLATE.
 */
int mustache_load_dir(void *dir, const char *name, struct strbuf *out);
#define MUSTACHE_DIR_LOADER(dir) { mustache_load_dir, (void *)(dir), ".mustache", 0 }

/*
 * Render template `tmpl` (`len` bytes, not NULL, need not be
 * NUL-terminated; named `tmpl_name` in messages, "(inline)" when NULL)
 * over `data` (NULL: no data) and append the result to `out`.  `partials`
 * may be NULL: then any partial that gets rendered is an error.  Returns
 * 0, or ER_ETEMPLATE with the message set (or the negative code a loader
 * returned, passed up); on error `out` is left as it was.
 */
int mustache_render(struct strbuf *out, const char *tmpl, size_t len, const char *tmpl_name,
		    const struct cJSON *data, enum mustache_escape esc,
		    const struct mustache_loader *partials);

/*
 * Load template `name` through `loader` (not NULL; not found is an error
 * whatever `missing_ok` says) and render it as mustache_render() does;
 * messages name it `name` followed by the loader's suffix.
 */
int mustache_render_name(struct strbuf *out, const char *name, const struct cJSON *data,
			 enum mustache_escape esc, const struct mustache_loader *loader);

/* Parse a template without rendering it: 0, or ER_ETEMPLATE as above. */
int mustache_check(const char *tmpl, size_t len, const char *tmpl_name);

/* Append `s` escaped for HTML (see MUSTACHE_ESCAPE_HTML). */
void mustache_escape_html(struct strbuf *out, const char *s);

/* U+200B ZERO WIDTH SPACE, as the UTF-8 bytes it is (never `&#8203;`). */
#define MUSTACHE_ZWSP "\xe2\x80\x8b"

/*
 * Where a value lands in GitHub- or GitLab-flavoured Markdown.  While
 * rendering a Markdown template the renderer finds it from what it wrote
 * so far, per block (the lines since the last blank one):
 *  - HTML when a line of the block begins (after up to three spaces) with
 *    `<` and a letter, '/', '!' or '?': an HTML block such as <details> or
 *    <summary>, where Markdown does nothing until the next blank line.
 *    (This over-approximates: a paragraph whose line begins with inline
 *    HTML such as <b> counts too; the escaping is then HTML's, which
 *    injects no markup there either, but Markdown emphasis can show.)
 *  - TABLE when the current line begins (after blanks) with '|', or a line
 *    of the block is a delimiter row (only '|', '-', ':' and blanks, with
 *    a '|' and a '-'): a cell of a GFM table.  Write table rows with a
 *    leading '|'.
 *  - TEXT otherwise: a paragraph, heading or list item.
 * Values inside a code span or fenced code block of the template itself
 * are not known as such: do not put {{x}} there.
 */
enum mustache_md_place {
	MUSTACHE_MD_TEXT,
	MUSTACHE_MD_TABLE,
	MUSTACHE_MD_HTML,
};

/*
 * Append prose `s` (a sentence, a reason, a title) so that Markdown shows
 * it as the text it is, escaping only what Markdown or the forge would act
 * on, so that the raw text (a terminal, an e-mail notification, the API)
 * stays readable.  `{{x}}` in a Markdown template.  In TEXT and TABLE:
 *
 *  - `\ ` * [ ] | < $ ~` get a backslash (no emphasis, code, link, image,
 *    raw HTML, autolink, cell border, math or strikethrough can come out of
 *    data); `_` too, unless it stands between two ASCII letters or digits
 *    (`snake_case` stays as it is: Markdown does not act there).
 *  - At the value's start (after its leading blanks, which are dropped, so
 *    no indented code block either) the byte that would begin a block gets
 *    a backslash: `# > - + =` and the '.' or ')' after 1-9 digits.
 *  - References and mentions: after `@ # ! ~ % $ &` followed by any
 *    character but white space, a zero width space (MUSTACHE_ZWSP, the
 *    character itself) is added: `@here` pings no one (GitHub links a
 *    mention only when the name follows the @), `#123` and `!123` link no
 *    issue or merge request, GitLab's `~label`, `%milestone`, `$snippet`
 *    and `&epic` link nothing, `&amp;` is no character reference and
 *    `name@example.com` no e-mail autolink.  The same space goes between
 *    `www` and `.`, after ':' before "//" (no URL autolink), between `GH`
 *    and `-` followed by a digit (GitHub's GH-123) and after `{` or `[`
 *    followed by `+` or `-` (GitLab's inline diff).  The reader sees the
 *    text unchanged; copying it copies the invisible space.
 *  - A newline ("\n", "\r\n" or "\r") becomes `<br>` (the text stays on
 *    one source line: a newline in data cannot end a table row or a list
 *    item); a tab becomes a space; other control characters (below 0x20,
 *    and 0x7f) are dropped; everything else, UTF-8 included, is copied.
 * In HTML (where backslashes would show): `& < > "` become `&amp; &lt;
 * &gt; &quot;`, the same invisible spaces are added, newlines become
 * `<br>`, leading blanks are dropped, controls too.
 * Not neutralised: emoji shortcodes (":smile:" shows an emoji; nothing
 * is pinged or linked) and commit hashes (GitHub links existing ones).
 */
void mustache_markdown_text(struct strbuf *out, const char *s, enum mustache_md_place where);

/* Prose in TEXT (or TABLE): mustache_markdown_text(out, s, MUSTACHE_MD_TEXT). */
void mustache_escape_markdown(struct strbuf *out, const char *s);

/*
 * Append `s` (a path, a location, a compiler message, a chain, a name) as
 * code: `{{`x}}` in a Markdown template.  In TEXT and TABLE a code span:
 * `s` verbatim between two runs of backticks one longer than the longest
 * run in `s` (`` a`b `` for "a`b"), with a space inside each run when `s`
 * begins or ends with a backtick, or begins and ends with a space (which
 * Markdown would otherwise take away).  Inside a code span nothing is
 * markup, no one is mentioned and nothing is linked, so nothing else is
 * escaped, except in TABLE, where a '|' becomes `\|` (GFM splits cells
 * at a '|' even inside code spans, and shows `\|` as '|').  In HTML,
 * `<code>s</code>` with `& < > "` as entities.  Everywhere a newline
 * becomes a space (the span stays on its line: it cannot end a table row
 * or start a block), other control characters but tab are dropped, and an
 * empty `s` writes nothing.
 */
void mustache_markdown_code(struct strbuf *out, const char *s, enum mustache_md_place where);

/*
 * Cut `sb` so that it fits in `max_bytes` together with `note`, and add
 * the note; nothing happens (and 0 is returned) when `sb` already fits.
 * The cut is made after a newline: never inside a line, so never in the
 * middle of a Markdown table row or of a UTF-8 sequence; when the first
 * line alone does not fit, only the note is left.  A blank line separates
 * the kept text from the note (so the note cannot become a table row or
 * join a paragraph), and when the cut leaves a fenced code block (``` or
 * ~~~) open, a closing fence is added before it.  All of that counts
 * toward `max_bytes`.  A note longer than `max_bytes` is itself cut (on a
 * UTF-8 boundary).  Returns 1 when the text was cut.
 */
int mustache_cut(struct strbuf *sb, size_t max_bytes, const char *note);

#endif
