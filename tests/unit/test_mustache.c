/*
 * test_mustache.c: mustache.h against every test of the official spec's
 * core modules (tests/data/mustache-spec, or $ER_MUSTACHE_SPEC_DIR; a
 * missing or short file fails the test, it never skips), then the
 * project's own rules: Markdown escaping, error messages, depth limits,
 * the directory loader and the cut helper.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "mustache.h"
#include "strbuf.h"
#include "util.h"

/* The tests in tests/data/mustache-spec's six modules: all must run. */
#define SPEC_TESTS 136
#ifndef ER_SRCDIR
#define ER_SRCDIR "."
#endif

static unsigned spec_passed, spec_failed;

/* ---- the spec ---- */

/* Partials from the spec test's "partials" object. */
static int load_json(void *data, const char *name, struct strbuf *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive((const cJSON *)data, name);

	if (!cJSON_IsString(v))
		return MUSTACHE_NOT_FOUND;
	strbuf_addstr(out, v->valuestring);
	return 0;
}

static void run_spec_file(const char *dir, const char *module)
{
	struct strbuf path = STRBUF_INIT, json = STRBUF_INIT, out = STRBUF_INIT;
	const cJSON *t;
	cJSON *doc;
	long n;

	strbuf_addf(&path, "%s/%s.json", dir, module);
	n = strbuf_read_file(&json, path.buf, 4u << 20);
	if (n < 0 || n > (4l << 20)) {
		printf("mustache spec: cannot read %s\n", path.buf);
		spec_failed++;
		goto out;
	}
	doc = cJSON_ParseWithLength(json.buf, json.len);
	if (!doc || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "tests"))) {
		printf("mustache spec: %s is not a spec file\n", path.buf);
		spec_failed++;
		cJSON_Delete(doc);
		goto out;
	}
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tests")) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "name");
		const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(t, "template");
		const cJSON *expected = cJSON_GetObjectItemCaseSensitive(t, "expected");
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(t, "data");
		struct mustache_loader loader = { load_json, NULL, NULL, 1 };
		int ret;

		loader.data = cJSON_GetObjectItemCaseSensitive(t, "partials");
		strbuf_reset(&out);
		if (!cJSON_IsString(name) || !cJSON_IsString(tmpl) || !cJSON_IsString(expected)) {
			printf("mustache spec: %s: malformed test\n", module);
			spec_failed++;
			continue;
		}
		ret = mustache_render(&out, tmpl->valuestring, strlen(tmpl->valuestring),
				      name->valuestring, data, MUSTACHE_ESCAPE_HTML, &loader);
		if (!ret && !strcmp(out.buf, expected->valuestring)) {
			spec_passed++;
			continue;
		}
		spec_failed++;
		printf("mustache spec: FAIL %s / %s: ret %d (%s)\n  expected: \"%s\"\n  got:      \"%s\"\n",
		       module, name->valuestring, ret, ret ? error_last() : "",
		       expected->valuestring, out.buf);
	}
	cJSON_Delete(doc);
out:
	strbuf_release(&path);
	strbuf_release(&json);
	strbuf_release(&out);
}

static void test_spec(void **state)
{
	static const char *modules[] = {
		"comments", "delimiters", "interpolation", "inverted", "partials", "sections",
	};
	const char *dir = getenv("ER_MUSTACHE_SPEC_DIR");
	size_t i;

	(void)state;
	if (!dir || !*dir)
		dir = ER_SRCDIR "/tests/data/mustache-spec";
	for (i = 0; i < sizeof(modules) / sizeof(*modules); i++)
		run_spec_file(dir, modules[i]);
	assert_int_equal(spec_failed, 0);
	assert_int_equal(spec_passed, SPEC_TESTS);
}

/* ---- helpers ---- */

static int render(struct strbuf *out, const char *tmpl, const char *json,
		  enum mustache_escape esc, const struct mustache_loader *loader)
{
	cJSON *data = json ? cJSON_Parse(json) : NULL;
	int ret;

	if (json)
		assert_non_null(data);
	strbuf_reset(out);
	ret = mustache_render(out, tmpl, strlen(tmpl), "t", data, esc, loader);
	cJSON_Delete(data);
	return ret;
}

static void assert_md(const char *in, const char *expected)
{
	struct strbuf sb = STRBUF_INIT;

	mustache_escape_markdown(&sb, in);
	assert_string_equal(sb.buf, expected);
	strbuf_reset(&sb);
	mustache_markdown_text(&sb, in, MUSTACHE_MD_TABLE);
	assert_string_equal(sb.buf, expected);
	strbuf_release(&sb);
}

static void assert_md_in(const char *in, enum mustache_md_place where, int code,
			 const char *expected)
{
	struct strbuf sb = STRBUF_INIT;

	if (code)
		mustache_markdown_code(&sb, in, where);
	else
		mustache_markdown_text(&sb, in, where);
	assert_string_equal(sb.buf, expected);
	strbuf_release(&sb);
}

static void assert_error(const char *tmpl, const char *name, const char *message)
{
	struct strbuf out = STRBUF_INIT;

	strbuf_addstr(&out, "kept");
	error_clear();
	assert_int_equal(mustache_render(&out, tmpl, strlen(tmpl), name, NULL,
					 MUSTACHE_ESCAPE_HTML, NULL), ER_ETEMPLATE);
	assert_string_equal(error_last(), message);
	assert_string_equal(out.buf, "kept");
	assert_int_equal(mustache_check(tmpl, strlen(tmpl), name), ER_ETEMPLATE);
	assert_string_equal(error_last(), message);
	strbuf_release(&out);
}

/* ---- escaping ---- */

#define Z MUSTACHE_ZWSP

static void test_markdown_escape(void **state)
{
	(void)state;
	assert_md("*bold* _it_ snake_case a_ _b", "\\*bold\\* \\_it\\_ snake_case a\\_ \\_b");
	assert_md("`rm -rf`", "\\`rm -rf\\`");
	assert_md("<script>alert(1)</script>", "\\<script>alert(1)\\</script>");
	assert_md("@here", "@" Z "here");
	assert_md("ping @octo-org/team now", "ping @" Z "octo-org/team now");
	assert_md("fixes #123", "fixes #" Z "123");
	assert_md("a | b", "a \\| b");
	assert_md("line1\nline2\r\nline3\rline4", "line1<br>line2<br>line3<br>line4");
	assert_md("[x](javascript:alert)", "\\[x\\](javascript:alert)");
	assert_md("![img](a.png)", "!" Z "\\[img\\](a.png)");
	assert_md("~~gone~~ !42 ~bug %m $1 $x$", "\\~" Z "\\~" Z "gone\\~" Z "\\~ "
		  "!" Z "42 \\~" Z "bug %" Z "m \\$" Z "1 \\$" Z "x\\$");
	assert_md("a & b &amp; &#42;", "a & b &" Z "amp; &" Z "#" Z "42;");
	assert_md("back\\slash \"q\" 'a' a > b", "back\\\\slash \"q\" 'a' a > b");
	/* what would begin a block, at the value's start only */
	assert_md("# Title\n- item", "\\# Title<br>- item");
	assert_md("#1", "\\#" Z "1");
	assert_md("> quote", "\\> quote");
	assert_md("- item", "\\- item");
	assert_md("+ item", "\\+ item");
	assert_md("===", "\\===");
	assert_md("1. x", "1\\. x");
	assert_md("12) x", "12\\) x");
	assert_md("1234567890. x", "1234567890. x");
	assert_md("v1. x - y + z = w", "v1. x - y + z = w");
	assert_md("    code", "code");
	assert_md("\tx\ty", "x y");
	assert_md("  - x", "\\- x");
	assert_md("mail me@example.com", "mail me@" Z "example.com");
	assert_md("see https://evil.example/x", "see https:" Z "//evil.example/x");
	assert_md("www.evil.com", "www" Z ".evil.com");
	assert_md("GH-12 gh-x", "GH" Z "-12 gh-x");
	assert_md("main.go:12:3", "main.go:12:3");
	assert_md("{+ins+} [-del-] a^b {x}", "{" Z "+ins+} \\[" Z "-del-\\] a^b {x}");
	assert_md("ctl\x01\x1b[31m\x7f!", "ctl\\[31m!");
	/* a dropped control character hides no link */
	assert_md("www\x01.x http:\x02//y @\x03z GH\x04-1", "www" Z ".x http:" Z "//y @" Z "z GH" Z "-1");
	assert_md_in("www\x01.x @\x03z", MUSTACHE_MD_HTML, 0, "www" Z ".x @" Z "z");
	assert_md("\x01 - x", "\\- x");
	assert_md("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80");
	assert_md("trailing @ and # ", "trailing @ and # ");
	assert_md("", "");
}

/* Prose in an HTML block: HTML's escapes, no backslashes (they would show). */
static void test_markdown_escape_html(void **state)
{
	(void)state;
	assert_md_in("<script>&x \"q\" *a* _b_ | `c`", MUSTACHE_MD_HTML, 0,
		     "&lt;script&gt;&amp;" Z "x &quot;q&quot; *a* _b_ | `c`");
	assert_md_in("  @here #1 a\nb http://x", MUSTACHE_MD_HTML, 0,
		     "@" Z "here #" Z "1 a<br>b http:" Z "//x");
	assert_md_in("", MUSTACHE_MD_HTML, 0, "");
}

/* Code: a span fenced by a backtick run longer than any inside. */
static void test_markdown_code(void **state)
{
	(void)state;
	assert_md_in("roster/roster.go:12", MUSTACHE_MD_TEXT, 1, "`roster/roster.go:12`");
	assert_md_in("moved to heap: x", MUSTACHE_MD_TEXT, 1, "`moved to heap: x`");
	assert_md_in("&s escapes to heap", MUSTACHE_MD_TEXT, 1, "`&s escapes to heap`");
	assert_md_in("<script>@here #1 *a* _b_ [x](javascript:y) http://z &#42; \\",
		     MUSTACHE_MD_TEXT, 1,
		     "`<script>@here #1 *a* _b_ [x](javascript:y) http://z &#42; \\`");
	/* backtick runs: the fence is one longer than the longest run */
	assert_md_in("a`b", MUSTACHE_MD_TEXT, 1, "``a`b``");
	assert_md_in("a``b`c", MUSTACHE_MD_TEXT, 1, "```a``b`c```");
	assert_md_in("x ```` y", MUSTACHE_MD_TEXT, 1, "`````x ```` y`````");
	/* a backtick at either end, or spaces at both: a space inside the fence */
	assert_md_in("`x`", MUSTACHE_MD_TEXT, 1, "`` `x` ``");
	assert_md_in("`", MUSTACHE_MD_TEXT, 1, "`` ` ``");
	assert_md_in("x`", MUSTACHE_MD_TEXT, 1, "`` x` ``");
	assert_md_in(" x ", MUSTACHE_MD_TEXT, 1, "`  x  `");
	assert_md_in(" x", MUSTACHE_MD_TEXT, 1, "` x`");
	assert_md_in("  ", MUSTACHE_MD_TEXT, 1, "`  `");
	/* one line: newlines become spaces; controls but tab are dropped */
	assert_md_in("a\nb\r\nc\rd\te\x01\x7f", MUSTACHE_MD_TEXT, 1, "`a b c d\te`");
	assert_md_in("", MUSTACHE_MD_TEXT, 1, "");
	/* '|' in a table row: \| (GFM splits cells even inside code spans) */
	assert_md_in("a|b", MUSTACHE_MD_TEXT, 1, "`a|b`");
	assert_md_in("a|b\\|c`", MUSTACHE_MD_TABLE, 1, "`` a\\|b\\\\|c` ``");
	/* an HTML line: <code> with HTML's escapes */
	assert_md_in("p/a_*b*_`x`_<s>&|.go:8", MUSTACHE_MD_HTML, 1,
		     "<code>p/a_*b*_`x`_&lt;s&gt;&amp;|.go:8</code>");
	assert_md_in("a\nb\tc", MUSTACHE_MD_HTML, 1, "<code>a b\tc</code>");
	assert_md_in("", MUSTACHE_MD_HTML, 1, "");
}

static void test_markdown_table_row(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(render(&out, "| {{`file}} | {{msg}} | {{{raw}}} |\n",
				"{\"file\":\"a|b.go\",\"msg\":\"x\\ny <b> a|b\",\"raw\":\"*r*\"}",
				MUSTACHE_ESCAPE_MARKDOWN, NULL), 0);
	assert_string_equal(out.buf, "| `a\\|b.go` | x<br>y \\<b> a\\|b | *r* |\n");
	assert_int_equal(render(&out, "{{&raw}} {{msg}} {{`msg}}", "{\"raw\":\"@x\",\"msg\":\"@x\"}",
				MUSTACHE_ESCAPE_NONE, NULL), 0);
	assert_string_equal(out.buf, "@x @x @x");
	assert_int_equal(render(&out, "{{msg}} {{`msg}} {{`empty}}.",
				"{\"msg\":\"<a>&\",\"empty\":\"\"}", MUSTACHE_ESCAPE_HTML, NULL), 0);
	assert_string_equal(out.buf, "&lt;a&gt;&amp; <code>&lt;a&gt;&amp;</code> .");
	strbuf_release(&out);
}

/* Where a value lands: found from the output so far, block by block. */
static void test_markdown_place(void **state)
{
	static const char *const data = "{\"v\":\"a|<b>*@x\"}";
	struct strbuf out = STRBUF_INIT;

	(void)state;
	/* a paragraph, a table row, an HTML block, Markdown again after a blank line */
	assert_int_equal(render(&out, "{{`v}} {{v}}\n| {{`v}} | {{v}} |\n\n<details>\n"
				"<summary>{{`v}} {{v}}</summary>\n{{`v}}\n\n- {{`v}} {{v}}\n",
				data, MUSTACHE_ESCAPE_MARKDOWN, NULL), 0);
	assert_string_equal(out.buf,
			    "`a|<b>*@x` a\\|\\<b>\\*@" Z "x\n"
			    "| `a\\|<b>*@x` | a\\|\\<b>\\*@" Z "x |\n\n<details>\n"
			    "<summary><code>a|&lt;b&gt;*@x</code> a|&lt;b&gt;*@" Z "x</summary>\n"
			    "<code>a|&lt;b&gt;*@x</code>\n\n"
			    "- `a|<b>*@x` a\\|\\<b>\\*@" Z "x\n");
	/* a table without leading pipes: known by its delimiter row */
	assert_int_equal(render(&out, "a | b\n--|--\n{{`v}} | x\n\n{{`v}}\n", data,
				MUSTACHE_ESCAPE_MARKDOWN, NULL), 0);
	assert_string_equal(out.buf, "a | b\n--|--\n`a\\|<b>*@x` | x\n\n`a|<b>*@x`\n");
	/* a long table: every row is known as one */
	{
		struct strbuf tmpl = STRBUF_INIT;
		int i;

		strbuf_addstr(&tmpl, "| a |\n|---|\n");
		for (i = 0; i < 20000; i++)
			strbuf_addstr(&tmpl, "| {{`v}} |\n");
		assert_int_equal(render(&out, tmpl.buf, data, MUSTACHE_ESCAPE_MARKDOWN, NULL), 0);
		assert_int_equal(out.len, 12 + 20000 * strlen("| `a\\|<b>*@x` |\n"));
		strbuf_release(&tmpl);
	}
	strbuf_release(&out);
}

static void test_html_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	mustache_escape_html(&sb, "a & \"b\" <c> 'd' @e #1");
	assert_string_equal(sb.buf, "a &amp; &quot;b&quot; &lt;c&gt; &#39;d&#39; @e #1");
	strbuf_release(&sb);
}

/* ---- values ---- */

static void test_values(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(render(&out, "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
				"{\"a\":85,\"b\":1.21,\"c\":-3,\"d\":0.30000000000000004,"
				"\"e\":1e20,\"f\":-0.5,\"g\":true,\"h\":[1,\"x\"]}",
				MUSTACHE_ESCAPE_HTML, NULL), 0);
	assert_string_equal(out.buf, "85 1.21 -3 0.30000000000000004 1e+20 -0.5 true [1,&quot;x&quot;]");

	/* falsey: missing, null, false, 0, "", []; truthy: {} and the rest */
	assert_int_equal(render(&out, "{{#a}}a{{/a}}{{#b}}b{{/b}}{{#c}}c{{/c}}{{#d}}d{{/d}}"
				"{{#e}}e{{/e}}{{#f}}f{{/f}}{{#g}}g{{/g}}{{#h}}h{{/h}}{{^x}}x{{/x}}",
				"{\"b\":null,\"c\":false,\"d\":0,\"e\":\"\",\"f\":[],\"g\":{},\"h\":\" \"}",
				MUSTACHE_ESCAPE_HTML, NULL), 0);
	assert_string_equal(out.buf, "ghx");

	/* a found null hides an outer value of the same name */
	assert_int_equal(render(&out, "{{#o}}[{{n}}]{{/o}}", "{\"n\":\"outer\",\"o\":{\"n\":null}}",
				MUSTACHE_ESCAPE_HTML, NULL), 0);
	assert_string_equal(out.buf, "[]");

	/* no data at all */
	assert_int_equal(render(&out, "[{{x}}{{.}}{{#y}}no{{/y}}]", NULL, MUSTACHE_ESCAPE_HTML, NULL), 0);
	assert_string_equal(out.buf, "[]");

	/* not NUL-terminated: only `len` bytes are the template */
	strbuf_reset(&out);
	assert_int_equal(mustache_render(&out, "ab{{x}}", 2, NULL, NULL, MUSTACHE_ESCAPE_HTML, NULL), 0);
	assert_string_equal(out.buf, "ab");
	strbuf_release(&out);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
	(void)state;
	assert_error("# Summary\n\n\n\n\n\n\n\n\n\n\n  {{#findings}}\n- {{file}}\n",
		     "summary.md.mustache",
		     "template summary.md.mustache:12: section 'findings' is not closed");
	assert_error("{{#a}}\n{{#b}}\n{{/a}}\n", "t",
		     "template t:3: closing tag '{{/a}}' does not match section 'b' opened on line 2");
	assert_error("x\n{{/a}}", "t", "template t:2: closing tag '{{/a}}' without an open section");
	assert_error("a\nb {{}}", "t", "template t:2: empty tag '{{}}'");
	assert_error("{{# }}", "t", "template t:1: empty tag '{{# }}'");
	assert_error("\n\n{{a b}}", "t", "template t:3: bad name in tag '{{a b}}'");
	assert_error("{{a..b}}", "t", "template t:1: bad name in tag '{{a..b}}'");
	assert_error("{{#.a}}{{/.a}}", "t", "template t:1: bad name in tag '{{#.a}}'");
	assert_error("ok\n{{name", "t", "template t:2: tag '{{name' is not closed (no '}}')");
	assert_error("{{a}} {{b}}\n{{#c", "t", "template t:2: tag '{{#c' is not closed (no '}}')");
	assert_error("{{{name}}", "t", "template t:1: tag '{{{name}}' is not closed (no '}}}')");
	assert_error("\n{{=<% =}}", "t",
		     "template t:2: bad set-delimiter tag '{{=<% =}}' (expected two delimiters "
		     "without white space or '=', as in {{=<% %>=}})");
	assert_error("{{=<% %> x=}}", "t",
		     "template t:1: bad set-delimiter tag '{{=<% %> x=}}' (expected two delimiters "
		     "without white space or '=', as in {{=<% %>=}})");
	assert_error("{{=a= b=}}", "t",
		     "template t:1: bad set-delimiter tag '{{=a= b=}}' (expected two delimiters "
		     "without white space or '=', as in {{=<% %>=}})");
	assert_error("{{=<% %>=}}\n<%#a%>\n<%/b%>", "t",
		     "template t:3: closing tag '<%/b%>' does not match section 'a' opened on line 2");
	assert_error("{{>../etc/passwd}}", "t",
		     "template t:1: bad partial name in '{{>../etc/passwd}}' (use letters, digits, "
		     "'_', '-', '.')");
	assert_error("{{$block}}x{{/block}}", "t",
		     "template t:1: tag '{{$block}}': template inheritance is not supported");
	/* an error in a section the data skips is still an error */
	assert_error("{{#never}}{{/nope}}{{/never}}", "t",
		     "template t:1: closing tag '{{/nope}}' does not match section 'never' "
		     "opened on line 1");
}

static int load_fixed(void *data, const char *name, struct strbuf *out)
{
	const char *const *p;

	for (p = data; *p; p += 2) {
		if (!strcmp(p[0], name)) {
			strbuf_addstr(out, p[1]);
			return 0;
		}
	}
	return MUSTACHE_NOT_FOUND;
}

static void test_partials(void **state)
{
	static const char *const files[] = {
		"self", "x{{>self}}",
		"broken", "ok\n{{#a}}",
		"row", "| {{name}} |\n",
		"tree", "{{name}}{{#kids}}({{>tree}}){{/kids}}",
		NULL,
	};
	struct mustache_loader loader = { load_fixed, (void *)files, ".mustache", 0 };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&out, "kept");
	assert_int_equal(mustache_render(&out, "a\n{{>nope}}", 11, "t", NULL,
					 MUSTACHE_ESCAPE_HTML, &loader), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template t:2: partial 'nope' not found");
	assert_string_equal(out.buf, "kept");
	assert_int_equal(render(&out, "{{>nope}}", NULL, MUSTACHE_ESCAPE_HTML, NULL), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template t:1: partial 'nope' not found");
	/* a missing partial in a skipped section is not looked up */
	assert_int_equal(render(&out, "{{#no}}{{>nope}}{{/no}}", "{}", MUSTACHE_ESCAPE_HTML, &loader), 0);

	assert_int_equal(render(&out, "{{>broken}}", NULL, MUSTACHE_ESCAPE_HTML, &loader), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template broken.mustache:2: section 'a' is not closed");

	/* recursion: a fixed depth, then a clear error */
	assert_int_equal(render(&out, "{{>self}}", NULL, MUSTACHE_ESCAPE_HTML, &loader), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template self.mustache:1: partials nested more than 64 "
			    "deep (does partial 'self' include itself?)");
	assert_int_equal(out.len, 0);

	/* data-driven recursion is fine (leaves need "kids": [], or the
	 * lookup finds the parent's kids: that runs into the limit) */
	assert_int_equal(render(&out, "{{>tree}}",
				"{\"name\":\"a\",\"kids\":[{\"name\":\"b\",\"kids\":[{\"name\":\"c\","
				"\"kids\":[]}]},{\"name\":\"d\",\"kids\":[]}]}",
				MUSTACHE_ESCAPE_HTML, &loader), 0);
	assert_string_equal(out.buf, "a(b(c))(d)");
	assert_int_equal(render(&out, "{{>tree}}", "{\"name\":\"a\",\"kids\":[{\"name\":\"b\"}]}",
				MUSTACHE_ESCAPE_HTML, &loader), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template tree.mustache:1: partials nested more than 64 "
			    "deep (does partial 'tree' include itself?)");

	/* standalone partials are indented, in Markdown mode too */
	assert_int_equal(render(&out, "list:\n  {{#rows}}\n  {{>row}}\n  {{/rows}}\nend\n",
				"{\"rows\":[{\"name\":\"*a*\"},{\"name\":\"b|c\"}]}",
				MUSTACHE_ESCAPE_MARKDOWN, &loader), 0);
	assert_string_equal(out.buf, "list:\n  | \\*a\\* |\n  | b\\|c |\nend\n");
	strbuf_release(&out);
}

static void test_nesting_limit(void **state)
{
	struct strbuf tmpl = STRBUF_INIT, out = STRBUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < MUSTACHE_MAX_NESTING; i++)
		strbuf_addstr(&tmpl, "{{#a}}");
	for (i = 0; i < MUSTACHE_MAX_NESTING; i++)
		strbuf_addstr(&tmpl, "{{/a}}");
	assert_int_equal(mustache_render(&out, tmpl.buf, tmpl.len, "t", NULL,
					 MUSTACHE_ESCAPE_HTML, NULL), 0);
	strbuf_reset(&tmpl);
	for (i = 0; i <= MUSTACHE_MAX_NESTING; i++)
		strbuf_addstr(&tmpl, "{{#a}}\n");
	assert_int_equal(mustache_check(tmpl.buf, tmpl.len, "t"), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template t:257: sections nested more than 256 deep");
	strbuf_release(&tmpl);
	strbuf_release(&out);
}

static int load_doubling(void *data, const char *name, struct strbuf *out)
{
	(void)data;
	(void)name;
	strbuf_addstr(out, "{{#a}}{{>p}}{{>p}}{{/a}}");
	return 0;
}

static void test_work_limits(void **state)
{
	struct mustache_loader loader = { load_doubling, NULL, NULL, 0 };
	struct strbuf js = STRBUF_INIT, out = STRBUF_INIT;
	cJSON *data;
	int i;

	(void)state;
	/* 2^40 partial calls that print nothing: stopped by the step bound */
	for (i = 0; i < 40; i++)
		strbuf_addstr(&js, "{\"a\":");
	strbuf_addstr(&js, "false");
	strbuf_addchars(&js, '}', 40);
	data = cJSON_Parse(js.buf);
	assert_non_null(data);
	assert_int_equal(mustache_render(&out, "{{>p}}", 6, "t", data, MUSTACHE_ESCAPE_HTML,
					 &loader), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template p:1: more than 67108864 tags and texts "
			    "rendered (sections or partials repeating without end?)");
	assert_int_equal(out.len, 0);
	cJSON_Delete(data);

	/* 65 times 1 MiB: stopped by the output bound */
	strbuf_reset(&js);
	strbuf_addstr(&js, "{\"s\":\"");
	strbuf_addchars(&js, 'x', 1u << 20);
	strbuf_addstr(&js, "\",\"l\":[");
	for (i = 0; i < 65; i++)
		strbuf_addstr(&js, i ? ",1" : "1");
	strbuf_addstr(&js, "]}");
	data = cJSON_Parse(js.buf);
	assert_non_null(data);
	strbuf_addstr(&out, "kept");
	assert_int_equal(mustache_render(&out, "{{#l}}\n{{{s}}}\n{{/l}}", 21, "t", data,
					 MUSTACHE_ESCAPE_HTML, NULL), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template t:2: output larger than 67108864 bytes");
	assert_string_equal(out.buf, "kept");
	cJSON_Delete(data);
	strbuf_release(&js);
	strbuf_release(&out);
}

/* ---- the directory loader ---- */

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_load_dir(void **state)
{
	char dir[] = "/tmp/test_mustache.XXXXXX";
	struct mustache_loader loader = MUSTACHE_DIR_LOADER(dir);
	struct strbuf out = STRBUF_INIT, path = STRBUF_INIT;
	cJSON *data = cJSON_Parse("{\"findings\":[{\"file\":\"a_b.go\"}]}");

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/summary.md.mustache", dir);
	write_file(path.buf, "{{#findings}}\n- {{file}}\n  {{>item}}\n{{/findings}}\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/item.mustache", dir);
	write_file(path.buf, "item {{file}}\n");

	assert_int_equal(mustache_load_dir(dir, "item", &out), 0);
	assert_string_equal(out.buf, "item {{file}}\n");
	strbuf_reset(&out);
	assert_int_equal(mustache_load_dir(dir, "missing", &out), MUSTACHE_NOT_FOUND);
	assert_int_equal(mustache_load_dir(dir, "../item", &out), ER_ETEMPLATE);
	assert_string_equal(error_last(), "bad template name '../item'");
	assert_int_equal(mustache_load_dir(dir, "a/b", &out), ER_ETEMPLATE);
	assert_int_equal(mustache_load_dir(dir, ".hidden", &out), ER_ETEMPLATE);
	assert_int_equal(mustache_load_dir(dir, "", &out), ER_ETEMPLATE);

	assert_int_equal(mustache_render_name(&out, "summary.md", data,
					      MUSTACHE_ESCAPE_MARKDOWN, &loader), 0);
	assert_string_equal(out.buf, "- a_b.go\n  item a_b.go\n");
	strbuf_reset(&out);
	assert_int_equal(mustache_render_name(&out, "nothing", data,
					      MUSTACHE_ESCAPE_MARKDOWN, &loader), ER_ETEMPLATE);
	assert_string_equal(error_last(), "template nothing.mustache not found");

	/* over the size bound */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/big.mustache", dir);
	{
		FILE *fp = fopen(path.buf, "w");
		size_t i;

		assert_non_null(fp);
		for (i = 0; i <= MUSTACHE_MAX_TEMPLATE; i++)
			fputc('x', fp);
		fclose(fp);
	}
	assert_int_equal(mustache_load_dir(dir, "big", &out), ER_ETEMPLATE);
	assert_true(strstr(error_last(), "big.mustache is larger than 1048576 bytes") != NULL);
	unlink(path.buf);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/item.mustache", dir);
	unlink(path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/summary.md.mustache", dir);
	unlink(path.buf);
	rmdir(dir);
	cJSON_Delete(data);
	strbuf_release(&out);
	strbuf_release(&path);
}

/* ---- cutting ---- */

#define NOTE "_(cut)_\n"

static void test_cut(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *table =
		"| file | message |\n"          /* 19 bytes */
		"|---|---|\n"                   /* 10: 29 */
		"| \xc3\xa9t\xc3\xa9.go | \xe2\x86\x92 heap |\n" /* 24: 53 */
		"| b.go | x |\n";               /* 13: 66 */

	(void)state;
	strbuf_addstr(&sb, table);
	assert_int_equal(mustache_cut(&sb, 66, NOTE), 0);
	assert_string_equal(sb.buf, table);

	/* the limit falls inside the last row: whole rows
	 * are kept, a blank line ends the table, then the note */
	assert_int_equal(mustache_cut(&sb, 53 + 1 + 8, NOTE), 1);
	assert_string_equal(sb.buf, "| file | message |\n|---|---|\n"
			    "| \xc3\xa9t\xc3\xa9.go | \xe2\x86\x92 heap |\n\n" NOTE);
	assert_int_equal(sb.len, 62);

	/* one byte less: the multibyte row goes too */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, table);
	assert_int_equal(mustache_cut(&sb, 61, NOTE), 1);
	assert_string_equal(sb.buf, "| file | message |\n|---|---|\n\n" NOTE);

	/* the first line alone does not fit: only the note */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, table);
	assert_int_equal(mustache_cut(&sb, 20, NOTE), 1);
	assert_string_equal(sb.buf, NOTE);

	/* a note longer than the limit is cut on a UTF-8 boundary */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, table);
	assert_int_equal(mustache_cut(&sb, 4, "ab\xc3\xa9\xc3\xa9"), 1);
	assert_string_equal(sb.buf, "ab\xc3\xa9");

	/* a fence left open by the cut is closed (the ``` inside the ````
	 * fence is its content; the closing fence takes room too) */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "text\n````go\nx := 1\n```\ny := 2\n````\nafter\n");
	assert_int_equal(mustache_cut(&sb, 37, NOTE), 1);
	assert_string_equal(sb.buf, "text\n````go\nx := 1\n```\n````\n\n" NOTE);
	/* a closed fence is left alone */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "~~~\nx\n~~~\n" "after after after\n");
	assert_int_equal(mustache_cut(&sb, 25, NOTE), 1);
	assert_string_equal(sb.buf, "~~~\nx\n~~~\n\n" NOTE);

	/* every line multibyte: the result is whole lines of valid UTF-8 */
	strbuf_reset(&sb);
	{
		int i;

		for (i = 0; i < 10; i++)
			strbuf_addstr(&sb, "\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80\n"); /* 11 bytes */
	}
	assert_int_equal(mustache_cut(&sb, 50, ""), 1);
	assert_int_equal(sb.len, 44);
	assert_int_equal(sb.buf[43], '\n');
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_escape),
		cmocka_unit_test(test_markdown_escape_html),
		cmocka_unit_test(test_markdown_code),
		cmocka_unit_test(test_markdown_table_row),
		cmocka_unit_test(test_markdown_place),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_work_limits),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_spec),
	};
	int failed;

	util_init();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	printf("mustache spec: %u passed, %u failed\n", spec_passed, spec_failed);
	return failed || spec_failed || !spec_passed;
}
