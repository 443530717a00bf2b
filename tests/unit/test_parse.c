/*
 * test_parse.c: the -m=2 parser on real compiler output (tests/unit/data,
 * made by tests/unit/data/capture.sh with go 1.19.8 and go 1.26.8; run
 * from the repository root as `make unit` does) and on hand-written lines
 * for what a small program does not print: chunking, chains attached to
 * verdicts, leaking-param headers, duplicates, paths, positions read from
 * the right, callees, facts, the display cut, build errors and over-long
 * lines.  Go 1.26 names the function in headers ("x escapes to heap in F:",
 * "parameter p leaks to DST for F with derefs=N:"), draws flows with '←',
 * reports inlined calls (with a score under GOEXPERIMENT=newinliner),
 * append's backing array and positions it does not know.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#define DATA "tests/unit/data/"
#define R(x) (1ULL << REASON_##x)

static const struct parse_opts plain = { .prefix = "" };

static char *slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	long n = strbuf_read_file(&sb, path, 1 << 24);

	if (n < 0)
		fail_msg("cannot read %s (run from the repository root)", path);
	return strbuf_detach(&sb, len);
}

/* Parse `len` bytes fed in chunks of `chunk`; findings into `out`. */
static struct parser *run(const struct parse_opts *o, const char *buf, size_t len, size_t chunk,
			  struct finding_list *out)
{
	struct parser *p = parser_new(o);
	size_t i;

	for (i = 0; i < len; i += chunk)
		parser_feed(p, buf + i, len - i < chunk ? len - i : chunk);
	parser_finish(p);
	parser_take_findings(p, out);
	return p;
}

/* run(), each chunk read where parser_space() says (opts.lazy_chains):
 * fed in place, no more than the room it gives. */
static struct parser *run_in_place(const struct parse_opts *o, const char *buf, size_t len,
				   size_t chunk, struct finding_list *out)
{
	struct parser *p = parser_new(o);
	size_t i, n, room;

	for (i = 0; i < len; i += n) {
		char *to = parser_space(p, &room);

		assert_non_null(to);
		assert_true(room >= PARSE_SPACE_MIN);
		n = len - i < chunk ? len - i : chunk;
		if (n > room)
			n = room;
		memcpy(to, buf + i, n);
		parser_feed(p, to, n);
	}
	parser_finish(p);
	parser_take_findings(p, out);
	return p;
}

static void feed(struct parser *p, const char *s)
{
	parser_feed(p, s, strlen(s));
}

static void parse_str(const struct parse_opts *o, const char *text, struct finding_list *out)
{
	parser_free(run(o, text, strlen(text), strlen(text) + 1, out));
}

/* Everything the parser sets, as text: equal dumps mean equal findings. */
static void dump(struct strbuf *sb, const struct finding_list *l)
{
	size_t i, j;

	for (i = 0; i < l->nr; i++) {
		const struct finding *f = l->items[i];

		strbuf_addf(sb, "%s|%s:%d:%d|%d|%s|%s|t%d|r%llx d%x s%u f%u x%d c%d|%s|",
			    f->package ? f->package : "-", f->file, f->line, f->column, f->verdict,
			    f->message, f->subject, f->flow_truncated,
			    (unsigned long long)f->facts.reasons, f->facts.dsts, f->facts.steps,
			    f->facts.flows, f->facts.derefs, f->facts.cycle_warning,
			    f->facts.leak_dst ? f->facts.leak_dst : "-");
		for (j = 0; j < f->facts.callees_nr; j++)
			strbuf_addf(sb, "%s,", f->facts.callees[j]);
		strbuf_addch(sb, '\n');
		for (j = 0; j < f->flow_nr; j++)
			strbuf_addf(sb, "  %s:%d:%d %s\n", f->flow[j].file, f->flow[j].line,
				    f->flow[j].column, f->flow[j].text);
	}
}

static struct finding *find(const struct finding_list *l, const char *file, int line, int col,
			    const char *message)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		if (!strcmp(f->file, file) && f->line == line && f->column == col &&
		    !strcmp(f->message, message))
			return f;
	}
	fail_msg("no finding %s:%d:%d: %s", file, line, col, message);
	return NULL;
}

static void assert_step(const struct finding *f, size_t i, const char *file, int line, int col,
			const char *text)
{
	assert_true(i < f->flow_nr);
	assert_string_equal(f->flow[i].file, file);
	assert_int_equal(f->flow[i].line, line);
	assert_int_equal(f->flow[i].column, col);
	assert_string_equal(f->flow[i].text, text);
}

static void test_chunking(void **state)
{
	static const char *const files[] = { DATA "escape-m2.txt", DATA "cycle-m2.txt",
					     DATA "broken-m2.txt", DATA "escape-m2-go126.txt",
					     DATA "go126-m2.txt" };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		static const size_t chunks[] = { 1, 7, 4096 };
		struct strbuf first = STRBUF_INIT;
		size_t len, c;
		char *buf = slurp(files[k], &len);

		for (c = 0; c < 3; c++) {
			struct finding_list l = FINDING_LIST_INIT;
			struct strbuf d = STRBUF_INIT;
			struct parser *p = run(&plain, buf, len, chunks[c], &l);

			dump(&d, &l);
			strbuf_addf(&d, "errors:%s", parser_errors(p));
			if (!c)
				strbuf_addbuf(&first, &d);
			else
				assert_string_equal(d.buf, first.buf);
			strbuf_release(&d);
			finding_list_release(&l);
			parser_free(p);
		}
		/* something was parsed: findings or errors, not only the "errors:" label */
		assert_true(first.len > strlen("errors:"));
		strbuf_release(&first);
		free(buf);
	}
}

/*
 * parser_take_ended() after every chunk hands out the same findings, in
 * the same order, as one parser_take_findings() at the end; a block's
 * findings leave only once a later header ended it; a verdict printed
 * again by a later block is dropped although its first finding left.
 */
static void test_take_ended(void **state)
{
	static const char *const files[] = { DATA "escape-m2.txt", DATA "cycle-m2.txt",
					     DATA "escape-m2-go126.txt", DATA "go126-m2.txt",
					     DATA "notes-m2-go126.txt" };
	static const char two_builds[] =
		"# example.com/a\n"
		"a.go:3:2: moved to heap: x\n"
		"a.go:9:6: leaking param: p\n"
		"# example.com/a [example.com/a.test]\n"
		"a.go:3:2: moved to heap: x\n"
		"a_test.go:5:7: moved to heap: y\n"
		"a.go:9:6: leaking param: q\n";
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		static const size_t chunks[] = { 1, 7, 4096 };
		struct strbuf whole = STRBUF_INIT;
		size_t len, c, i;
		char *buf = slurp(files[k], &len);

		parser_free(run(&plain, buf, len, len + 1, &l));
		assert_true(l.nr > 0);
		dump(&whole, &l);
		finding_list_release(&l);
		for (c = 0; c < 3; c++) {
			struct strbuf taken = STRBUF_INIT;

			p = parser_new(&plain);
			for (i = 0; i < len; i += chunks[c]) {
				parser_feed(p, buf + i, len - i < chunks[c] ? len - i : chunks[c]);
				parser_take_ended(p, &l);
			}
			parser_finish(p);
			parser_take_findings(p, &l);
			dump(&taken, &l);
			assert_string_equal(taken.buf, whole.buf);
			finding_list_release(&l);
			parser_free(p);
			strbuf_release(&taken);
		}
		strbuf_release(&whole);
		free(buf);
	}

	p = parser_new(&plain);
	feed(p, "# example.com/a\na.go:3:2: moved to heap: x\n");
	assert_int_equal(parser_take_ended(p, &l), 0); /* the block goes on */
	assert_int_equal(l.nr, 0);
	feed(p, two_builds + strlen("# example.com/a\na.go:3:2: moved to heap: x\n"));
	assert_int_equal(parser_take_ended(p, &l), 2); /* the first block ended */
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0]->message, "moved to heap: x");
	assert_string_equal(l.items[1]->message, "leaking param: p");
	parser_finish(p);
	parser_take_findings(p, &l);
	/* x again at a.go:3:2 is dropped: its first finding had left */
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.items[2]->file, "a_test.go");
	assert_string_equal(l.items[3]->message, "leaking param: q");
	assert_int_equal(parser_take_ended(p, &l), 0);
	finding_list_release(&l);
	parser_free(p);
}

static void test_real_output(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parse_stats st;
	struct parser *p;
	struct finding *f;
	size_t len;
	char *buf = slurp(DATA "escape-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 4096, &l);
	parser_stats(p, &st);
	assert_int_equal(st.lines, 269);
	/* 34 verdict lines, two of them the same &Node{} at 81:7 */
	assert_int_equal(st.verdicts, 34);
	assert_int_equal(st.findings, 33);
	assert_int_equal(l.nr, 33);
	assert_int_equal(st.dropped, 0);
	assert_string_equal(parser_errors(p), "");

	/* the order is the input's: the first is sub/sub.go's */
	f = l.items[0];
	assert_string_equal(f->package, "example.com/m/sub");
	assert_string_equal(f->file, "sub/sub.go");
	assert_int_equal(f->line, 13);
	assert_int_equal(f->column, 33);
	assert_int_equal(f->verdict, VERDICT_ESCAPES);
	assert_string_equal(f->message, "&L[string]{...} escapes to heap");
	assert_string_equal(f->subject, "&L[string]{...}");
	assert_int_equal(f->flow_nr, 3);
	assert_step(f, 0, "sub/sub.go", 13, 33, "flow: ~r0 = &{storage for &L[string]{...}}");
	assert_step(f, 1, "sub/sub.go", 13, 33, "from &L[string]{...} (spill)");
	assert_step(f, 2, "sub/sub.go", 13, 26, "from return &L[string]{...} (return)");
	assert_true(f->facts.reasons == (R(SPILL) | R(RETURN)));
	assert_int_equal(f->facts.dsts, DST_RESULT);
	assert_int_equal(f->facts.steps, 3);
	assert_int_equal(f->facts.flows, 1);
	assert_int_equal(f->facts.derefs, -1);
	assert_null(f->facts.leak_dst);
	assert_int_equal(f->facts.callees_nr, 0);

	/* "./main.go" under prefix "" */
	f = find(&l, "main.go", 20, 2, "moved to heap: p");
	assert_string_equal(f->package, "example.com/m");
	assert_int_equal(f->verdict, VERDICT_MOVED);
	assert_string_equal(f->subject, "p");
	assert_int_equal(f->flow_nr, 3);
	assert_step(f, 0, "main.go", 20, 2, "flow: ~r0 = &p");
	assert_step(f, 1, "main.go", 21, 9, "from &p (address-of)");
	assert_step(f, 2, "main.go", 21, 2, "from return &p (return)");
	assert_true(f->facts.reasons == (R(ADDRESS_OF) | R(RETURN)));

	/* a generic method's local */
	f = find(&l, "sub/sub.go", 6, 2, "moved to heap: v");
	assert_step(f, 1, "sub/sub.go", 10, 9, "from &v (address-of)");
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

static void test_leaking_params(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	struct finding *f;
	size_t len;
	char *buf = slurp(DATA "escape-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 7, &l);

	/* two headers for one parameter: both chains, the first destination */
	f = find(&l, "main.go", 28, 12, "leaking param: p");
	assert_int_equal(f->verdict, VERDICT_LEAK_PARAM);
	assert_string_equal(f->subject, "p");
	assert_string_equal(f->facts.leak_dst, "{heap}");
	assert_int_equal(f->facts.dsts, DST_HEAP | DST_RESULT);
	assert_int_equal(f->facts.derefs, 0);
	assert_int_equal(f->facts.flows, 2);
	assert_int_equal(f->facts.steps, 4);
	assert_int_equal(f->flow_nr, 4);
	assert_step(f, 0, "main.go", 28, 12, "flow: {heap} = p");
	assert_step(f, 1, "main.go", 29, 9, "from global = p (assign)");
	assert_step(f, 2, "main.go", 28, 12, "flow: ~r0 = p");
	assert_step(f, 3, "main.go", 30, 2, "from return p (return)");
	assert_true(f->facts.reasons == (R(ASSIGN) | R(RETURN)));

	/* to result ~r0 level=0: the subject stops before " to result" */
	f = find(&l, "main.go", 25, 15, "leaking param: p to result ~r0 level=0");
	assert_int_equal(f->verdict, VERDICT_LEAK_PARAM);
	assert_string_equal(f->subject, "p");
	assert_string_equal(f->facts.leak_dst, "~r0");
	assert_int_equal(f->facts.dsts, DST_RESULT);
	assert_int_equal(f->facts.derefs, 0);
	assert_int_equal(f->flow_nr, 2);

	/* leaking param content, with derefs=1 from its header */
	f = find(&l, "main.go", 13, 7, "leaking param content: p");
	assert_int_equal(f->verdict, VERDICT_LEAK_CONTENT);
	assert_string_equal(f->subject, "p");
	assert_int_equal(f->facts.derefs, 1);
	assert_int_equal(f->facts.flows, 2);
	assert_int_equal(f->facts.steps, 5);
	assert_true(f->facts.reasons == (R(DOT_PTR) | R(CALL_PARAM) | R(ASSIGN)));
	assert_int_equal(f->facts.callees_nr, 1);
	assert_string_equal(f->facts.callees[0], "append");
	/* the same line's other parameter keeps its own chain */
	f = find(&l, "main.go", 13, 20, "leaking param: x");
	assert_int_equal(f->flow_nr, 2);
	assert_step(f, 1, "main.go", 13, 48, "from append(p.items, x) (call parameter)");
	assert_string_equal(f->facts.leak_dst, "{heap}");

	/* a header to {storage for name} */
	f = find(&l, "main.go", 38, 18, "leaking param: name");
	assert_string_equal(f->facts.leak_dst, "{storage for name}");
	assert_int_equal(f->facts.dsts, DST_STORAGE);
	assert_true(f->facts.reasons == R(INTERFACE_CONVERTED));

	/* leaking param content without a header: derefs 1 all the same */
	finding_list_release(&l);
	parse_str(&plain, "./a.go:3:8: leaking param content: s\n", &l);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.items[0]->facts.derefs, 1);
	assert_int_equal(l.items[0]->flow_nr, 0);
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

static void test_chains_by_subject(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	struct finding *f;
	size_t len;
	char *buf = slurp(DATA "escape-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 1, &l);
	/* two chains at one position, told apart by subject; log.Printf the callee */
	f = find(&l, "main.go", 39, 13, "n escapes to heap");
	assert_string_equal(f->subject, "n");
	assert_int_equal(f->flow_nr, 6);
	assert_step(f, 1, "main.go", 39, 13, "from n (spill)");
	assert_step(f, 5, "main.go", 39, 12,
		    "from log.Printf(\"n=%d (%s)\", ... argument...) (call parameter)");
	assert_int_equal(f->facts.dsts, DST_DOTS_ARG | DST_HEAP);
	assert_true(f->facts.reasons == (R(SPILL) | R(SLICE_LIT_ELEM) | R(CALL_PARAM)));
	assert_int_equal(f->facts.callees_nr, 1);
	assert_string_equal(f->facts.callees[0], "log.Printf");
	f = find(&l, "main.go", 39, 13, "name escapes to heap");
	assert_step(f, 1, "main.go", 39, 13, "from name (spill)");

	/* a string with parentheses in the subject */
	f = find(&l, "main.go", 52, 20, "\"a(b)c\" escapes to heap");
	assert_string_equal(f->subject, "\"a(b)c\"");
	assert_int_equal(f->flow_nr, 6);
	assert_step(f, 1, "main.go", 52, 20, "from \"a(b)c\" (spill)");
	assert_string_equal(f->facts.callees[0], "fmt.Sprint");

	/* a call whose arguments have parentheses: the callee is before the last
	 * top-level '('; the functions inlined at the steps' positions come
	 * first (main.func1 at 80:23, the verdict's own position, fmt.Println
	 * at 80:13, the call the source makes there) */
	f = find(&l, "main.go", 80, 23, "~R0 escapes to heap");
	assert_int_equal(f->facts.callees_nr, 3);
	assert_string_equal(f->facts.callees[0], "main.func1");
	assert_string_equal(f->facts.callees[1], "fmt.Println");
	assert_string_equal(f->facts.callees[2], "fmt.Fprintln");
	assert_string_equal(f->flow[1].inlined, "main.func1");
	assert_string_equal(f->flow[2].inlined, "fmt.Println");
	assert_int_equal(f->facts.dsts, DST_DOTS_ARG | DST_NAMED | DST_HEAP);
	assert_step(f, 7, "main.go", 80, 13,
		    "from fmt.Fprintln(io.Writer(os.Stdout), fmt.a...) (call parameter)");

	/* a duplicated verdict is kept once, with the chains of both headers */
	f = find(&l, "main.go", 81, 7, "&Node{} escapes to heap");
	assert_int_equal(f->facts.flows, 4);
	assert_int_equal(f->facts.steps, 10);

	/* closures */
	f = find(&l, "main.go", 56, 2, "moved to heap: c");
	assert_true(f->facts.reasons == (R(CLOSURE_CAPTURE) | R(REFERENCE)));
	assert_int_equal(f->facts.dsts, DST_FUNC_LIT);
	f = find(&l, "main.go", 57, 9, "func literal escapes to heap");
	assert_int_equal(f->facts.dsts, DST_RESULT);
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

/*
 * A call with `...` arguments inlined into another (Go 1.19's
 * panic(fmt.Sprintf(...)) in testing.go): its verdict prints the call
 * rewritten, its explanation as written, and the explanations of its
 * arguments wait at the same position.  The verdict takes the explanation
 * of the same call, not none (ER000 before).
 */
static void test_rewritten_call_among_many(void **state)
{
	static const char text[] =
		"# t\n"
		"./t.go:8:15: fmt.Sprintf(\"f.%s or t.%s\", name, name) escapes to heap:\n"
		"./t.go:8:15:   flow: {heap} = &{storage for fmt.Sprintf(\"f.%s or t.%s\", name, name)}:\n"
		"./t.go:8:15:     from fmt.Sprintf(\"f.%s or t.%s\", name, name) (spill) at ./t.go:8:15\n"
		"./t.go:8:15:     from panic(fmt.Sprintf(\"f.%s or t.%s\", name, name)) (call parameter) at ./t.go:8:15\n"
		"./t.go:8:15: name escapes to heap:\n"
		"./t.go:8:15:   flow: {storage for ... argument} = &{storage for name}:\n"
		"./t.go:8:15:     from name (spill) at ./t.go:8:15\n"
		"./t.go:8:15:     from ... argument (slice-literal-element) at ./t.go:8:15\n"
		"./t.go:8:15:   flow: {heap} = {storage for ... argument}:\n"
		"./t.go:8:15:     from ... argument (spill) at ./t.go:8:15\n"
		"./t.go:8:15:     from fmt.Sprintf(\"f.%s or t.%s\", ... argument...) (call parameter) at ./t.go:8:15\n"
		"./t.go:8:15: fmt.Sprintf(\"f.%s or t.%s\", ... argument...) escapes to heap\n"
		"./t.go:8:15: name escapes to heap\n";
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	struct finding *f;

	(void)state;
	p = run(&plain, text, sizeof(text) - 1, 7, &l);
	assert_int_equal(l.nr, 2);
	f = find(&l, "t.go", 8, 15, "fmt.Sprintf(\"f.%s or t.%s\", ... argument...) escapes to heap");
	assert_int_equal(f->flow_nr, 3);
	assert_step(f, 2, "t.go", 8, 15,
		    "from panic(fmt.Sprintf(\"f.%s or t.%s\", name, name)) (call parameter)");
	assert_true(f->facts.reasons == (R(SPILL) | R(CALL_PARAM)));
	f = find(&l, "t.go", 8, 15, "name escapes to heap");
	assert_int_equal(f->facts.flows, 2);
	finding_list_release(&l);
	parser_free(p);
}

static void test_cycle_warning(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	struct finding *f;
	size_t len;
	char *buf = slurp(DATA "cycle-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 4096, &l);
	f = find(&l, "cycle.go", 22, 6, "moved to heap: n");
	assert_int_equal(f->facts.cycle_warning, 1);
	assert_int_equal(f->flow_nr, 3);
	assert_step(f, 0, "cycle.go", 22, 6, "flow: n = &n");
	assert_true(f->facts.reasons == (R(ADDRESS_OF) | R(ASSIGN)));
	f = find(&l, "cycle.go", 25, 2, "moved to heap: m");
	assert_int_equal(f->facts.cycle_warning, 0);
	/* the warning is not a build error */
	assert_string_equal(parser_errors(p), "");
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

static void test_build_error(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	size_t len;
	char *buf = slurp(DATA "broken-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 7, &l);
	assert_int_equal(l.nr, 0);
	assert_string_equal(parser_errors(p),
			    "# example.com/broken\n"
			    "./broken.go:9:9: cannot use \"not an int\" (untyped string constant) as int value in return statement\n");
	parser_free(p);
	free(buf);

	/* a block with -m output is not an error; a go: line outside blocks is */
	p = parser_new(&plain);
	feed(p, "go: downloading example.com/x v1.0.0\n# a\n./a.go:1:6: can inline F\n"
		"./a.go:2:1: some note\n");
	parser_finish(p);
	assert_string_equal(parser_errors(p), "go: downloading example.com/x v1.0.0\n");
	parser_free(p);
}

static void test_paths(void **state)
{
	struct parse_opts o = { .prefix = "sub/", .root_abs = "/home/u/repo" };
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "x.go", "sub/x.go" },
		{ "./x.go", "sub/x.go" },
		{ "a/./b/../x.go", "sub/a/x.go" },
		{ "../other/x.go", "other/x.go" },
		{ "../../x.go", NULL },
		{ "/home/u/repo/p/x.go", "p/x.go" },
		{ "/home/u/repo2/x.go", NULL },
		{ "/home/u/repo", NULL },
		{ "$GOROOT/src/fmt/print.go", NULL },
		{ "/tmp/go-build123/b001/_cgo_gotypes.go", NULL },
		{ "<autogenerated>", NULL },
		/* go test -c's generated main and cgo's generated types (Go
		 * 1.26), printed without a directory; the package's own files
		 * print as ./NAME */
		{ "_testmain.go", NULL },
		{ "_cgo_gotypes.go", NULL },
		{ "a/_testmain.go", "sub/a/_testmain.go" },
		{ "./x.go", "sub/x.go" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = parse_normalize_path(&o, cases[i].in, strlen(cases[i].in));

		if (cases[i].out)
			assert_string_equal(got, cases[i].out);
		else
			assert_null(got);
		free(got);
	}
	/* a trailing slash on the root */
	o.root_abs = "/home/u/repo/";
	{
		char *got = parse_normalize_path(&o, "/home/u/repo/x.go", 17);

		assert_string_equal(got, "x.go");
		free(got);
	}
	/* keep_outside keeps them as printed */
	o.keep_outside = 1;
	{
		char *got = parse_normalize_path(&o, "$GOROOT/src/fmt/print.go", 24);

		assert_string_equal(got, "$GOROOT/src/fmt/print.go");
		free(got);
		got = parse_normalize_path(&o, "../../x.go", 10);
		assert_string_equal(got, "../../x.go");
		free(got);
		assert_null(parse_normalize_path(&o, "_testmain.go", 12));
		assert_null(parse_normalize_path(&o, "_cgo_gotypes.go", 15));
	}
	/* only len bytes are read */
	o.keep_outside = 0;
	{
		char *got = parse_normalize_path(&o, "x.go:12:3", 4);

		assert_string_equal(got, "sub/x.go");
		free(got);
	}
}

static void test_paths_in_parser(void **state)
{
	struct parse_opts o = { .prefix = "sub/", .root_abs = "/home/u/repo" };
	struct finding_list l = FINDING_LIST_INIT;
	struct parse_stats st;
	struct parser *p;

	(void)state;
	p = parser_new(&o);
	feed(p,
		    "# example.com/m/sub\n"
		    "./x.go:3:2: moved to heap: a\n"
		    "/home/u/repo/sub/y.go:4:2: moved to heap: b\n"
		    "$GOROOT/src/fmt/print.go:5:2: moved to heap: c\n"
		    "/tmp/go-build4242/b001/x.cgo1.go:6:2: moved to heap: d\n"
		    "<autogenerated>:1: leaking param: .this\n"
		    "../other/z.go:7:2: moved to heap: e\n"
		    "/home/u/repo/sub/y.go:8:2: x escapes to heap:\n"
		    "/home/u/repo/sub/y.go:8:2:   flow: {heap} = &x:\n"
		    "/home/u/repo/sub/y.go:8:2:     from &x (address-of) at /home/u/repo/sub/y.go:9:3\n"
		    "/home/u/repo/sub/y.go:8:2:     from f(&x) (call parameter) at $GOROOT/src/a.go:1:1\n"
		    "/home/u/repo/sub/y.go:8:2: moved to heap: x\n");
	parser_finish(p);
	parser_take_findings(p, &l);
	parser_stats(p, &st);
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.items[0]->file, "sub/x.go");
	assert_string_equal(l.items[1]->file, "sub/y.go");
	assert_string_equal(l.items[2]->file, "other/z.go");
	assert_string_equal(l.items[3]->file, "sub/y.go");
	assert_string_equal(l.items[3]->subject, "x");
	/* the steps' positions are normalised too; outside ones stay as printed */
	assert_step(l.items[3], 1, "sub/y.go", 9, 3, "from &x (address-of)");
	assert_step(l.items[3], 2, "$GOROOT/src/a.go", 1, 1, "from f(&x) (call parameter)");
	/* <autogenerated> lines are not verdicts; $GOROOT and go-build ones are dropped */
	assert_int_equal(st.verdicts, 6);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(st.findings, 4);
	assert_string_equal(parser_errors(p), "");
	finding_list_release(&l);
	parser_free(p);
}

static void test_positions(void **state)
{
	size_t fl;
	int line, col;
	const char *msg;
	static const char l1[] = "./x.go:12:5: moved to heap: x";
	static const char l2[] = "a b/x.go:7: leaking param: p";
	static const char l3[] = "x.go:1:2: \"s: 1:2: t\" escapes to heap";
	static const char l4[] = "can inline F";
	static const char l5[] = "x.go:12:x: no";

	(void)state;
	assert_int_equal(parse_position(l1, strlen(l1), &fl, &line, &col, &msg), 1);
	assert_int_equal(fl, 6);
	assert_int_equal(line, 12);
	assert_int_equal(col, 5);
	assert_string_equal(msg, "moved to heap: x");
	assert_int_equal(parse_position(l2, strlen(l2), &fl, &line, &col, &msg), 1);
	assert_int_equal(fl, 8);
	assert_int_equal(line, 7);
	assert_int_equal(col, 0);
	assert_string_equal(msg, "leaking param: p");
	/* the first FILE:LINE:COL: anchor wins; the message keeps its colons */
	assert_int_equal(parse_position(l3, strlen(l3), &fl, &line, &col, &msg), 1);
	assert_int_equal(fl, 4);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	assert_string_equal(msg, "\"s: 1:2: t\" escapes to heap");
	assert_int_equal(parse_position(l4, strlen(l4), &fl, &line, &col, &msg), 0);
	assert_int_equal(parse_position(l5, strlen(l5), &fl, &line, &col, &msg), 0);
	/* only len bytes count */
	assert_int_equal(parse_position(l1, 12, &fl, &line, &col, &msg), 0);
}

static void test_from_read_from_the_right(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct finding *f;

	(void)state;
	parse_str(&plain,
		  "# p\n"
		  "./x.go:5:2: q escapes to heap:\n"
		  "./x.go:5:2:   flow: {heap} = &q:\n"
		  "./x.go:5:2:     from &q (address-of) at ./x.go:6:11\n"
		  "./x.go:5:2:     from f(\") at y.go:1:1 (\", g(h(1)), &q) (call parameter) at ./x.go:6:3\n"
		  "./x.go:5:2:     from pool.Put(&q) (call parameter) at ./x.go:7:3\n"
		  "./x.go:5:2:     from (*T).M(t, &q) (call parameter) at ./x.go:8:3\n"
		  "./x.go:5:2:     from f(&q) (call parameter) at ./x.go:9:3\n"
		  "./x.go:5:2:     from m[k](&q) (no such reason) at ./x.go:10:3\n"
		  "./x.go:5:2:     from x (spill)\n"
		  "./x.go:5:2: moved to heap: q\n",
		  &l);
	assert_int_equal(l.nr, 1);
	f = l.items[0];
	assert_int_equal(f->flow_nr, 8);
	assert_step(f, 2, "x.go", 6, 3,
		    "from f(\") at y.go:1:1 (\", g(h(1)), &q) (call parameter)");
	/* no " at POS" (go always prints one): kept whole, without a position or reason */
	assert_step(f, 7, "", 0, 0, "from x (spill)");
	assert_true(f->facts.reasons == (R(ADDRESS_OF) | R(CALL_PARAM) | R(OTHER)));
	/* distinct callees, in order, "f" once */
	assert_int_equal(f->facts.callees_nr, 3);
	assert_string_equal(f->facts.callees[0], "f");
	assert_string_equal(f->facts.callees[1], "pool.Put");
	assert_string_equal(f->facts.callees[2], "(*T).M");
	assert_int_equal(f->facts.dsts, DST_HEAP);
	finding_list_release(&l);
}

/*
 * A step's position is read up to the end of its line (a path may hold
 * ':'), and a step text says the same each time it comes (its reason,
 * callee, destination), in every chain, also past PARSE_MAX_STEPS where
 * the steps are no longer kept.
 */
static void test_step_positions_and_facts(void **state)
{
	struct parse_opts o = { .prefix = "" };
	struct finding_list l = FINDING_LIST_INIT;
	struct strbuf in = STRBUF_INIT;
	struct finding *f;
	int i;

	(void)state;
	parse_str(&plain,
		  "./x.go:5:2: q escapes to heap:\n"
		  "./x.go:5:2:   flow: {heap} \xe2\x86\x90 &q:\n"
		  "./x.go:5:2:     from &q (address-of) at ./x.go:6\n"
		  "./x.go:5:2:     from f(q) (call parameter) at a:b.go:6:7\n"
		  "./x.go:5:2:     from g(q) (call parameter) at ./x.go:6:7x\n"
		  "./x.go:5:2:     from h(q) (call parameter) at x.go:1:2: y.go:3:4\n"
		  "./x.go:5:2:     from q (spill) at :5:6\n"
		  "./x.go:5:2:     from q (spill) at ./x.go:\n"
		  "./x.go:5:2: moved to heap: q\n"
		  "./x.go:9:2: r escapes to heap:\n"
		  "./x.go:9:2:   flow: {heap} \xe2\x86\x90 &q:\n"
		  "./x.go:9:2:   flow: s = {heap} = &q:\n"
		  "./x.go:9:2:     from f(q) (call parameter)\n"
		  "./x.go:9:2:     from f(q) (call parameter) at ./x.go:9:1\n"
		  "./x.go:9:2: moved to heap: r\n",
		  &l);
	assert_int_equal(l.nr, 2);
	f = l.items[0];
	assert_int_equal(f->flow_nr, 7);
	assert_step(f, 1, "x.go", 6, 0, "from &q (address-of)");
	assert_step(f, 2, "a:b.go", 6, 7, "from f(q) (call parameter)");
	assert_step(f, 3, "", 0, 0, "from g(q) (call parameter)");
	assert_step(f, 4, "x.go", 1, 2, "from h(q) (call parameter)");
	assert_step(f, 5, ":5", 6, 0, "from q (spill)");
	assert_step(f, 6, "", 0, 0, "from q (spill)");
	assert_true(f->facts.reasons == (R(ADDRESS_OF) | R(CALL_PARAM) | R(SPILL)));
	assert_int_equal(f->facts.callees_nr, 3);
	assert_string_equal(f->facts.callees[2], "h");
	assert_int_equal(f->facts.dsts, DST_HEAP);
	/* the same texts in another chain; without " at " a text says nothing */
	f = l.items[1];
	assert_int_equal(f->flow_nr, 4);
	assert_step(f, 2, "", 0, 0, "from f(q) (call parameter)");
	assert_step(f, 3, "x.go", 9, 1, "from f(q) (call parameter)");
	assert_true(f->facts.reasons == R(CALL_PARAM));
	assert_int_equal(f->facts.callees_nr, 1);
	assert_string_equal(f->facts.callees[0], "f");
	assert_int_equal(f->facts.dsts, DST_HEAP | DST_NAMED);
	finding_list_release(&l);

	/* past PARSE_MAX_STEPS the facts still come from every step */
	strbuf_addstr(&in, "./x.go:5:2: q escapes to heap:\n./x.go:5:2:   flow: s = &q:\n");
	for (i = 0; i < PARSE_MAX_STEPS; i++)
		strbuf_addf(&in, "./x.go:5:2:     from q%d (assign) at ./x.go:%d:1\n", i, i + 6);
	strbuf_addstr(&in, "./x.go:5:2:     from q (spill) at ./x.go:5:9\n"
			   "./x.go:5:2:     from k(q) (call parameter) at ./x.go:5:9\n"
			   "./x.go:5:2:   flow: ~r0 = &q:\n"
			   "./x.go:5:2:   flow: {heap} \xe2\x86\x90 &q:\n"
			   "./x.go:5:2: moved to heap: q\n");
	parse_str(&o, in.buf, &l);
	assert_int_equal(l.nr, 1);
	f = l.items[0];
	assert_int_equal(f->flow_nr, PARSE_MAX_STEPS);
	assert_int_equal(f->flow_truncated, 1);
	assert_int_equal(f->facts.steps, PARSE_MAX_STEPS + 5);
	assert_int_equal(f->facts.flows, 3);
	assert_true(f->facts.reasons == (R(ASSIGN) | R(SPILL) | R(CALL_PARAM)));
	assert_int_equal(f->facts.callees_nr, 1);
	assert_string_equal(f->facts.callees[0], "k");
	assert_int_equal(f->facts.dsts, DST_NAMED | DST_RESULT | DST_HEAP);
	finding_list_release(&l);

	/* more texts than the cache holds, read again in other chains */
	strbuf_reset(&in);
	for (i = 0; i < 3; i++) {
		int k;

		strbuf_addf(&in, "./x.go:%d:2: q%d escapes to heap:\n", i + 1, i);
		for (k = 0; k < 3000; k++) {
			static const char *const reasons[] = { "spill", "assign", "call parameter" };
			/* the first chain from f0 on, the others back from f2999 */
			int j = i ? 2999 - k : k;

			if (i == 0 || j % 3 == (i == 1 ? 2 : 0))
				strbuf_addf(&in, "./x.go:%d:2:     from f%d(q) (%s) at ./x.go:%d:1\n",
					    i + 1, j, reasons[j % 3], k + 6);
		}
		strbuf_addf(&in, "./x.go:%d:2: moved to heap: q%d\n", i + 1, i);
	}
	parse_str(&o, in.buf, &l);
	assert_int_equal(l.nr, 3);
	assert_true(l.items[0]->facts.reasons == (R(SPILL) | R(ASSIGN) | R(CALL_PARAM)));
	assert_int_equal(l.items[0]->facts.callees_nr, FACTS_MAX_CALLEES);
	assert_string_equal(l.items[0]->facts.callees[1], "f5");
	/* the call parameters f2999, f2996, ...; the spills */
	assert_true(l.items[1]->facts.reasons == R(CALL_PARAM));
	assert_string_equal(l.items[1]->facts.callees[0], "f2999");
	assert_string_equal(l.items[1]->facts.callees[7], "f2978");
	assert_true(l.items[2]->facts.reasons == R(SPILL));
	assert_int_equal(l.items[2]->facts.callees_nr, 0);
	finding_list_release(&l);
	strbuf_release(&in);
}

/*
 * The parser's paths and step texts are placed by strmap_table_hash, read
 * eight bytes at a time with the last few bytes read without a memcpy call:
 * its values (which order every strmap, also elsewhere) stay those of
 * reading the tail with memcpy, at every length.
 */
static void test_table_hash_values(void **state)
{
	static const char key[] = "go/ssa/builder.go:130";
	static const unsigned long long want[] = {
		0x9341ca22e4ac1dc6ULL,
		0x0e5f0af7a3fe6e79ULL,
		0xba1edb1f9b407c66ULL,
		0x8174b1d9b0aae2faULL,
		0xfdd77a3808a8b087ULL,
		0x16dc7a1ce1d77bd1ULL,
		0x779690757168b9d8ULL,
		0x6d618c42a08426edULL,
		0xda485877c9b99265ULL,
		0x34778e799c3b8496ULL,
		0x2dfb5deeefe16174ULL,
		0xe249095d19198ad4ULL,
		0xc939cfeba43834d4ULL,
		0xaa6962db170a0501ULL,
		0x5b98e21edc7a729bULL,
		0xf3953dc71cad2640ULL,
		0x1c497a9daf67abacULL,
		0x2f9cf7c818a8253eULL,
		0x58f0310587006195ULL,
		0xa8c7ebe10709cedbULL,
		0x264ac4b681af590eULL,
		0x794cc187c94783c6ULL
	};
	char moved[sizeof(key) + 1];
	size_t n;

	(void)state;
	memcpy(moved + 1, key, sizeof(key));
	for (n = 0; n < ARRAY_SIZE(want); n++) {
		assert_true((unsigned long long)strmap_table_hash(key, n) == want[n]);
		/* the same bytes at another alignment */
		assert_true((unsigned long long)strmap_table_hash(moved + 1, n) == want[n]);
	}
}

/*
 * A line that starts with the previous line's "FILE:LINE:COL: " has its
 * position; one that only nearly does (a longer column, no ": ", cut
 * short) is read on its own.
 */
#define LONG_DIR "a-directory-whose-name-is-long/and-another-one-below-it/and-a-third-to-pass/" \
		 "more-than-a-hundred-and-twenty-bytes"

static void test_repeated_positions(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	static const char in[] = "# p\n"
				 "./x.go:5:2: a escapes to heap:\n"
				 "./x.go:5:2:   flow: {heap} = a:\n"
				 "./x.go:5:2: \n"
				 "./x.go:5:2:\n"
				 "./x.go:5:2:7: moved to heap: b\n"
				 "./x.go:5:2: moved to heap: c\n"
				 "./x.go:5:23: moved to heap: a\n"
				 "./x.go:5:2: moved to heap: a\r\n"
				 "./x.go:5:2x: moved to heap: d\n"
				 "go: ./x.go:5:2: moved to heap: e\n"
				 /* a step in another file between two lines of x.go:8:2 */
				 "./x.go:8:2: r escapes to heap:\n"
				 "./x.go:8:2:     from r (spill) at ./y.go:1:1\n"
				 "./x.go:8:2:   flow: {heap} = r:\n"
				 "./x.go:8:2: moved to heap: r\n"
				 /* a position too long to be kept */
				 "./" LONG_DIR "/q.go:3:4: q escapes to heap:\n"
				 "./" LONG_DIR "/q.go:3:4:   flow: {heap} = q:\n"
				 "./" LONG_DIR "/q.go:3:4: moved to heap: q\n";

	(void)state;
	p = run(&plain, in, sizeof(in) - 1, 3, &l);
	assert_int_equal(l.nr, 7);
	assert_step(l.items[5], 0, "y.go", 1, 1, "from r (spill)");
	assert_step(l.items[5], 1, "x.go", 8, 2, "flow: {heap} = r");
	assert_string_equal(l.items[6]->file, LONG_DIR "/q.go");
	assert_step(l.items[6], 0, LONG_DIR "/q.go", 3, 4, "flow: {heap} = q");
	/* the first ':' followed by LINE:COL and ": " */
	assert_string_equal(l.items[0]->file, "x.go:5");
	assert_int_equal(l.items[0]->line, 2);
	assert_int_equal(l.items[0]->column, 7);
	assert_string_equal(l.items[0]->message, "moved to heap: b");
	assert_int_equal(l.items[1]->column, 2);
	assert_string_equal(l.items[1]->message, "moved to heap: c");
	assert_int_equal(l.items[2]->column, 23);
	assert_int_equal(l.items[2]->flow_nr, 0);
	assert_int_equal(l.items[3]->column, 2);
	assert_string_equal(l.items[3]->message, "moved to heap: a");
	assert_step(l.items[3], 0, "x.go", 5, 2, "flow: {heap} = a");
	/* "5:2x" is no position: d is no finding */
	assert_int_equal(l.items[4]->line, 5);
	assert_int_equal(l.items[4]->column, 2);
	assert_string_equal(l.items[4]->message, "moved to heap: e");
	finding_list_release(&l);
	parser_free(p);
}

static void test_callee_limit(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct strbuf in = STRBUF_INIT;
	int i;

	(void)state;
	strbuf_addstr(&in, "./x.go:5:2: q escapes to heap:\n./x.go:5:2:   flow: {heap} = &q:\n");
	for (i = 0; i < FACTS_MAX_CALLEES + 3; i++)
		strbuf_addf(&in, "./x.go:5:2:     from f%d(q) (call parameter) at ./x.go:%d:1\n", i,
			    i + 6);
	strbuf_addstr(&in, "./x.go:5:2: moved to heap: q\n");
	parse_str(&plain, in.buf, &l);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.items[0]->facts.callees_nr, FACTS_MAX_CALLEES);
	assert_string_equal(l.items[0]->facts.callees[FACTS_MAX_CALLEES - 1], "f7");
	assert_int_equal(l.items[0]->facts.steps, FACTS_MAX_CALLEES + 4);
	finding_list_release(&l);
	strbuf_release(&in);
}

/*
 * Past opts.exact_steps, a step that comes again later is kept once, at its
 * last occurrence (the order of last occurrences kept), so a chain that
 * loops through the same steps thousands of times stays small and is never
 * cut at PARSE_MAX_STEPS; the first steps (the display) are as printed.
 */
static void test_repeated_steps_kept_last(void **state)
{
	struct parse_opts o = { .prefix = "", .exact_steps = 2 };
	struct finding_list l = FINDING_LIST_INIT;
	struct strbuf in = STRBUF_INIT;
	struct finding *f;
	int i;

	(void)state;
	strbuf_addstr(&in, "./x.go:5:2: q escapes to heap:\n./x.go:5:2:   flow: {heap} = &q:\n"
			   "./x.go:5:2:     from &q (address-of) at ./x.go:5:9\n");
	for (i = 0; i < 3000; i++)
		strbuf_addstr(&in, "./x.go:5:2:     from a(q) (call parameter) at ./x.go:6:1\n"
				   "./x.go:5:2:     from b(q) (call parameter) at ./x.go:7:1\n"
				   "./x.go:5:2:     from c(q) (call parameter) at ./x.go:8:1\n");
	strbuf_addstr(&in, "./x.go:5:2:     from d(q) (call parameter) at ./x.go:9:1\n"
			   "./x.go:5:2:     from a(q) (call parameter) at ./x.go:6:1\n"
			   "./x.go:5:2: moved to heap: q\n");
	parse_str(&o, in.buf, &l);
	assert_int_equal(l.nr, 1);
	f = l.items[0];
	assert_int_equal(f->facts.steps, 2 + 3 * 3000 + 2);
	assert_int_equal(f->flow_truncated, 0);
	assert_int_equal(f->flow_nr, 6);
	assert_step(f, 0, "x.go", 5, 2, "flow: {heap} = &q");
	assert_step(f, 1, "x.go", 5, 9, "from &q (address-of)");
	assert_step(f, 2, "x.go", 7, 1, "from b(q) (call parameter)");
	assert_step(f, 3, "x.go", 8, 1, "from c(q) (call parameter)");
	assert_step(f, 4, "x.go", 9, 1, "from d(q) (call parameter)");
	assert_step(f, 5, "x.go", 6, 1, "from a(q) (call parameter)");
	finding_list_release(&l);

	/* exact_steps 0 (--max-flow 0): every step, up to PARSE_MAX_STEPS */
	o.exact_steps = 0;
	parse_str(&o, in.buf, &l);
	f = l.items[0];
	assert_int_equal(f->flow_nr, PARSE_MAX_STEPS);
	assert_int_equal(f->flow_truncated, 1);
	assert_step(f, 4, "x.go", 8, 1, "from c(q) (call parameter)");
	finding_list_release(&l);
	strbuf_release(&in);
}

/* The parser keeps the whole chain; finding_cut_flow cuts it for display. */
static void test_max_flow(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	struct finding *f;
	size_t len, i;
	char *buf = slurp(DATA "escape-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 4096, &l);
	f = find(&l, "main.go", 28, 12, "leaking param: p");
	assert_int_equal(f->flow_nr, 4);
	assert_int_equal(f->flow_truncated, 0);
	for (i = 0; i < l.nr; i++)
		finding_cut_flow(l.items[i], 2);
	assert_int_equal(f->flow_nr, 2);
	assert_int_equal(f->flow_truncated, 1);
	/* the facts still count every step */
	assert_int_equal(f->facts.steps, 4);
	assert_int_equal(f->facts.flows, 2);
	assert_int_equal(f->facts.dsts, DST_HEAP | DST_RESULT);
	assert_true(f->facts.reasons == (R(ASSIGN) | R(RETURN)));
	/* at the limit exactly: not truncated */
	f = find(&l, "main.go", 25, 15, "leaking param: p to result ~r0 level=0");
	assert_int_equal(f->flow_nr, 2);
	assert_int_equal(f->flow_truncated, 0);
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

static void test_overlong_line(void **state)
{
	static const size_t chunks[] = { 4096, 65536, (size_t)1 << 22 };
	struct strbuf in = STRBUF_INIT;
	size_t c;

	(void)state;
	strbuf_addstr(&in, "# p\n./x.go:1:2: ");
	strbuf_addchars(&in, 'a', (size_t)1 << 20);
	strbuf_addstr(&in, " escapes to heap\n./x.go:2:2: moved to heap: y\n./x.go:3:2: ");
	strbuf_addchars(&in, 'b', (size_t)1 << 20);
	strbuf_addstr(&in, " escapes to heap");
	for (c = 0; c < 3; c++) {
		struct finding_list l = FINDING_LIST_INIT;
		struct parse_stats st;
		struct parser *p = run(&plain, in.buf, in.len, chunks[c], &l);

		assert_int_equal(l.nr, 1);
		assert_string_equal(l.items[0]->message, "moved to heap: y");
		parser_stats(p, &st);
		assert_int_equal(st.lines, 2);
		assert_string_equal(parser_errors(p), "");
		finding_list_release(&l);
		parser_free(p);
	}
	strbuf_release(&in);
}

static void test_crlf_and_partial_last_line(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	(void)state;
	parse_str(&plain, "# p\r\n./x.go:1:2: moved to heap: a\r\n./x.go:2:2: moved to heap: b", &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0]->package, "p");
	assert_string_equal(l.items[0]->subject, "a");
	assert_string_equal(l.items[1]->subject, "b");
	finding_list_release(&l);
}

static void test_take_findings_twice(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p = parser_new(&plain);

	(void)state;
	feed(p, "./x.go:1:2: moved to heap: a\n");
	parser_take_findings(p, &l);
	assert_int_equal(l.nr, 1);
	/* the same verdict again is a duplicate even after a take */
	feed(p, "./x.go:1:2: moved to heap: a\n./x.go:1:3: moved to heap: a\n");
	parser_finish(p);
	parser_take_findings(p, &l);
	assert_int_equal(l.nr, 2);
	assert_int_equal(l.items[1]->column, 3);
	/* freeing the parser leaves taken findings alone */
	parser_free(p);
	assert_string_equal(l.items[0]->file, "x.go");
	finding_list_release(&l);
	parser_free(NULL);
}

/* Duplicates found through the index of kept findings, across many (its
 * table grows), and with a NUL byte in the message (kept by its whole key). */
static void test_duplicates_many(void **state)
{
	static const char nul_lines[] = "./x.go:9:2: moved to heap: a\0b\n./x.go:9:2: moved to heap: a\0b\n"
					"./x.go:9:2: moved to heap: a\0c\n";
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p = parser_new(&plain);
	struct strbuf in = STRBUF_INIT;
	int i, round;

	(void)state;
	for (round = 0; round < 2; round++)
		for (i = 1; i <= 3000; i++)
			strbuf_addf(&in, "./x.go:%d:%d: moved to heap: v%d\n", i, i % 7 + 1, i % 5);
	strbuf_addstr(&in, "./y.go:1:2: moved to heap: v1\n./x.go:1:2: moved to heap: v2\n");
	parser_feed(p, in.buf, in.len);
	parser_feed(p, nul_lines, sizeof(nul_lines) - 1);
	parser_finish(p);
	parser_take_findings(p, &l);
	/* 3000 once each, y.go's and the other message at x.go:1:2, a\0b once, a\0c */
	assert_int_equal(l.nr, 3004);
	assert_string_equal(l.items[3000]->file, "y.go");
	assert_string_equal(l.items[3001]->message, "moved to heap: v2");
	assert_int_equal(l.items[3002]->line, 9);
	assert_int_equal(l.items[3003]->line, 9);
	parser_free(p);
	strbuf_release(&in);
	finding_list_release(&l);
}

/*
 * Thousands of explanations waiting at once, several at one position: each
 * verdict takes its own (whatever the order the verdicts come in), an
 * `escapes to heap` verdict takes the only one left at its position and
 * none while two wait there, and a block's end drops the rest.
 */
static void test_many_pending(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p = parser_new(&plain);
	struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;
	struct finding *f;
	int i;

	(void)state;
	strbuf_addstr(&in, "# a\n");
	for (i = 1; i <= 5000; i++)
		strbuf_addf(&in,
			    "./x.go:%d:%d: v%d escapes to heap:\n"
			    "./x.go:%d:%d:   flow: {heap} \xe2\x86\x90 v%d:\n"
			    "./x.go:%d:%d:     from v%d (spill) at ./x.go:%d:%d\n",
			    i % 50 + 1, i % 9 + 1, i, i % 50 + 1, i % 9 + 1, i, i % 50 + 1,
			    i % 9 + 1, i, i, i % 3);
	strbuf_addstr(&in, "./y.go:7:5: a escapes to heap:\n./y.go:7:5:   flow: {heap} = a:\n"
			   "./y.go:7:5: b escapes to heap:\n./y.go:7:5:   flow: {heap} = b:\n"
			   "./y.go:7:5: c escapes to heap:\n./y.go:7:5:   flow: {heap} = c:\n"
			   "./y.go:7:5: moved to heap: b\n./y.go:7:5: f(a) escapes to heap\n"
			   "./y.go:7:5: moved to heap: a\n./y.go:7:5: g(c) escapes to heap\n"
			   "./y.go:7:5: h(c) escapes to heap\n");
	/* every other one, from the end, then the rest */
	for (i = 5000; i >= 1; i -= 2)
		strbuf_addf(&in, "./x.go:%d:%d: moved to heap: v%d\n", i % 50 + 1, i % 9 + 1, i);
	for (i = 1; i <= 5000; i += 2)
		strbuf_addf(&in, "./x.go:%d:%d: moved to heap: v%d\n", i % 50 + 1, i % 9 + 1, i);
	/* left waiting at the block's end: no verdict of the next block takes it */
	strbuf_addstr(&in, "./z.go:1:2: w escapes to heap:\n./z.go:1:2:   flow: {heap} = w:\n"
			   "# b\n./z.go:1:2: moved to heap: w\n");
	/* a block whose waiting subjects take more than a megabyte, then one more */
	for (i = 0; i < 5000; i++)
		strbuf_addf(&in, "./z.go:%d:3: f(\"%0300d\") escapes to heap:\n", i + 1, i);
	strbuf_addstr(&in, "# c\n./z.go:1:3: u escapes to heap:\n./z.go:1:3:   flow: {heap} = u:\n"
			   "./z.go:1:3: moved to heap: u\n");
	parser_feed(p, in.buf, in.len);
	parser_finish(p);
	parser_take_findings(p, &l);
	assert_int_equal(l.nr, 5000 + 7);
	assert_step(find(&l, "z.go", 1, 3, "moved to heap: u"), 0, "z.go", 1, 3, "flow: {heap} = u");
	for (i = 1; i <= 5000; i++) {
		strbuf_reset(&want);
		strbuf_addf(&want, "moved to heap: v%d", i);
		f = find(&l, "x.go", i % 50 + 1, i % 9 + 1, want.buf);
		assert_int_equal(f->flow_nr, 2);
		strbuf_reset(&want);
		strbuf_addf(&want, "from v%d (spill)", i);
		assert_step(f, 1, "x.go", i, i % 3, want.buf);
	}
	f = find(&l, "y.go", 7, 5, "moved to heap: b");
	assert_step(f, 0, "y.go", 7, 5, "flow: {heap} = b");
	/* a and c waited at 7:5: no flow */
	assert_int_equal(find(&l, "y.go", 7, 5, "f(a) escapes to heap")->flow_nr, 0);
	assert_step(find(&l, "y.go", 7, 5, "moved to heap: a"), 0, "y.go", 7, 5, "flow: {heap} = a");
	assert_step(find(&l, "y.go", 7, 5, "g(c) escapes to heap"), 0, "y.go", 7, 5,
		    "flow: {heap} = c");
	assert_int_equal(find(&l, "y.go", 7, 5, "h(c) escapes to heap")->flow_nr, 0);
	assert_int_equal(find(&l, "z.go", 1, 2, "moved to heap: w")->flow_nr, 0);
	assert_int_equal(find(&l, "x.go", 1, 1, "moved to heap: v450")->facts.dsts, DST_HEAP);
	parser_free(p);
	strbuf_release(&in);
	strbuf_release(&want);
	finding_list_release(&l);
}

static void test_malformed_headers(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	(void)state;
	/* found by fuzz_parse: empty parts made negative lengths */
	parse_str(&plain,
		  "./x.go:1:2: parameter leaks to with derefs=0:\n"
		  "./x.go:1:2: parameter p leaks to with derefs=0:\n"
		  "./x.go:1:2:   flow: = x:\n"
		  "./x.go:1:2:   flow: {heap} = x:\n"
		  "./x.go:1:2: leaking param: p\n",
		  &l);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.items[0]->facts.flows, 0);
	assert_null(l.items[0]->facts.leak_dst);
	finding_list_release(&l);
	parse_str(&plain,
		  "./x.go:1:2: parameter p leaks to {heap} with derefs=0:\n"
		  "./x.go:1:2:   flow: = x:\n"
		  "./x.go:1:2:   flow: {heap} = x:\n"
		  "./x.go:1:2: leaking param: p\n",
		  &l);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.items[0]->facts.flows, 2);
	assert_int_equal(l.items[0]->facts.dsts, DST_HEAP);
	assert_string_equal(l.items[0]->flow[0].text, "flow: = x");
	finding_list_release(&l);
}


/* Go 1.26 on the same program as escape-m2.txt */
static void test_go126_real_output(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parse_stats st;
	struct parser *p;
	struct finding *f;
	size_t len, i;
	char *buf = slurp(DATA "escape-m2-go126.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 4096, &l);
	parser_stats(p, &st);
	assert_int_equal(st.lines, 299);
	/* 38 verdict lines: &Node{} at 81:7 twice, log.go's outside the tree */
	assert_int_equal(st.verdicts, 38);
	assert_int_equal(st.findings, 36);
	assert_int_equal(l.nr, 36);
	assert_int_equal(st.dropped, 1);
	assert_string_equal(parser_errors(p), "");
	for (i = 0; i < l.nr; i++)
		assert_true(l.items[i]->file[0] != '/');

	/* "p escapes to heap in NewPoint:" heads the chain of "moved to heap: p" */
	f = find(&l, "main.go", 20, 2, "moved to heap: p");
	assert_string_equal(f->subject, "p");
	assert_string_equal(f->facts.func, "NewPoint");
	assert_int_equal(f->flow_nr, 3);
	assert_step(f, 0, "main.go", 20, 2, "flow: ~r0 \xe2\x86\x90 &p");
	assert_step(f, 1, "main.go", 21, 9, "from &p (address-of)");
	assert_step(f, 2, "main.go", 21, 2, "from return &p (return)");
	assert_int_equal(f->facts.dsts, DST_RESULT);
	assert_true(f->facts.reasons == (R(ADDRESS_OF) | R(RETURN)));

	/* two "leaks to DST for Store" headers: both chains, the first destination */
	f = find(&l, "main.go", 28, 12, "leaking param: p");
	assert_string_equal(f->facts.func, "Store");
	assert_string_equal(f->facts.leak_dst, "{heap}");
	assert_int_equal(f->facts.derefs, 0);
	assert_int_equal(f->facts.dsts, DST_HEAP | DST_RESULT);
	assert_int_equal(f->flow_nr, 4);
	assert_step(f, 0, "main.go", 28, 12, "flow: {heap} \xe2\x86\x90 p");
	assert_step(f, 3, "main.go", 30, 2, "from return p (return)");
	f = find(&l, "main.go", 25, 15, "leaking param: p to result ~r0 level=0");
	assert_string_equal(f->facts.func, "Identity");
	assert_string_equal(f->facts.leak_dst, "~r0");
	f = find(&l, "main.go", 38, 18, "leaking param: name");
	assert_string_equal(f->facts.leak_dst, "{storage for name}");
	assert_string_equal(f->facts.func, "Logf");
	assert_int_equal(f->facts.dsts, DST_STORAGE);
	f = find(&l, "main.go", 13, 7, "leaking param content: p");
	assert_string_equal(f->facts.func, "(*Pool).Put");
	assert_int_equal(f->facts.derefs, 1);

	/* log.Printf is inlined on Go 1.26: the callee the source names comes
	 * first, the steps at its position say so */
	f = find(&l, "main.go", 39, 26, "n escapes to heap");
	assert_string_equal(f->facts.func, "Logf");
	assert_true(f->facts.callees_nr >= 1);
	assert_string_equal(f->facts.callees[0], "log.Printf");
	for (i = 0; i < f->flow_nr; i++)
		if (f->flow[i].line == 39 && f->flow[i].column == 12)
			assert_string_equal(f->flow[i].inlined, "log.Printf");
		else
			assert_null(f->flow[i].inlined);

	/* append's backing array (Go 1.25+): the header names the whole call */
	f = find(&l, "main.go", 13, 48, "append escapes to heap");
	assert_int_equal(f->verdict, VERDICT_ESCAPES);
	assert_string_equal(f->subject, "append");
	assert_string_equal(f->facts.func, "(*Pool).Put");
	assert_int_equal(f->flow_nr, 3);
	assert_step(f, 0, "main.go", 13, 48,
		    "flow: {heap} \xe2\x86\x90 &{storage for append(p.items, x)}");
	assert_step(f, 2, "main.go", 13, 40, "from p.items = append(p.items, x) (assign)");
	assert_true(f->facts.reasons == (R(SPILL) | R(ASSIGN)));

	/* a generic method: its shape instantiation and the wrapper of the
	 * concrete one, which inlines it */
	f = find(&l, "sub/sub.go", 6, 2, "moved to heap: v");
	assert_string_equal(f->facts.func, "(*L[go.shape.string]).Get");
	f = find(&l, "sub/sub.go", 5, 6, "moved to heap: v");
	assert_string_equal(f->facts.func, "(*L[string]).Get");
	assert_int_equal(f->facts.callees_nr, 1);
	assert_string_equal(f->facts.callees[0], "(*L[go.shape.string]).Get");
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

/* keep_file: asked once per file; a file not kept leaves no finding and
 * no trace in the others (their chains, inlined calls and facts as in a
 * whole parse) */
struct asked {
	const char *keep;
	char paths[8][64];
	int nr;
};

static int keep_only(void *data, const char *path)
{
	struct asked *a = data;

	assert_true(a->nr < 8);
	snprintf(a->paths[a->nr++], sizeof(a->paths[0]), "%s", path);
	return !strcmp(path, a->keep);
}

static void test_keep_file(void **state)
{
	struct finding_list all = FINDING_LIST_INIT, kept = FINDING_LIST_INIT;
	struct finding_list want = FINDING_LIST_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct asked asked = { "sub/sub.go", { { 0 } }, 0 };
	struct parse_opts o = plain;
	struct parse_stats st;
	struct parser *p;
	size_t len, i;
	char *buf = slurp(DATA "escape-m2-go126.txt", &len);

	(void)state;
	parser_free(run(&plain, buf, len, 4096, &all));
	o.keep_file = keep_only;
	o.keep_data = &asked;
	p = run(&o, buf, len, 4096, &kept);
	parser_stats(p, &st);
	assert_int_equal(st.verdicts, 38);
	assert_int_equal(st.dropped, 1);      /* log.go, outside: never asked */
	assert_int_equal(asked.nr, 2);
	assert_string_equal(asked.paths[0], "sub/sub.go"); /* its package comes first */
	assert_string_equal(asked.paths[1], "main.go");
	for (i = 0; i < all.nr; i++)
		if (!strcmp(all.items[i]->file, "sub/sub.go"))
			finding_list_add(&want, all.items[i]);
	assert_int_equal(want.nr, 5);
	assert_int_equal(kept.nr, 5);
	assert_int_equal(st.findings, 5);
	assert_int_equal(st.skipped, 38 - 1 - 5); /* main.go's, its repeat of 81:7 too */
	dump(&a, &want);
	dump(&b, &kept);
	assert_string_equal(b.buf, a.buf);
	want.nr = 0; /* owned by `all` */
	finding_list_release(&want);
	finding_list_release(&all);
	finding_list_release(&kept);
	strbuf_release(&a);
	strbuf_release(&b);
	parser_free(p);
	free(buf);
}

/* GOEXPERIMENT=newinliner: "inlining call to F with score N" */
static void test_go126_inlining_scores(void **state)
{
	struct finding_list a = FINDING_LIST_INIT, b = FINDING_LIST_INIT;
	struct strbuf da = STRBUF_INIT, db = STRBUF_INIT;
	struct parser *p, *q;
	struct finding *f;
	size_t len, len2, i;
	char *buf = slurp(DATA "escape-m2-go126-newinliner.txt", &len);
	char *buf2 = slurp(DATA "escape-m2-go126.txt", &len2);

	(void)state;
	assert_non_null(strstr(buf, ": inlining call to log.Printf with score "));
	p = run(&plain, buf, len, 13, &a);
	f = find(&a, "main.go", 39, 26, "n escapes to heap");
	assert_string_equal(f->facts.callees[0], "log.Printf");
	f = find(&a, "sub/sub.go", 5, 6, "moved to heap: v");
	assert_string_equal(f->facts.callees[0], "(*L[go.shape.string]).Get");
	for (i = 0; i < a.nr; i++) {
		size_t j;

		for (j = 0; j < a.items[i]->facts.callees_nr; j++)
			assert_null(strstr(a.items[i]->facts.callees[j], " with score"));
	}
	/* the scores change nothing else: the same findings as without them */
	q = run(&plain, buf2, len2, 4096, &b);
	dump(&da, &a);
	dump(&db, &b);
	assert_string_equal(da.buf, db.buf);
	strbuf_release(&da);
	strbuf_release(&db);
	finding_list_release(&a);
	finding_list_release(&b);
	parser_free(p);
	parser_free(q);
	free(buf);
	free(buf2);
}

/* generic code, append, range-over-func bodies, zero-size make, ... arguments */
static void test_go126_newer_constructs(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;
	struct finding *f;
	size_t len;
	char *buf = slurp(DATA "go126-m2.txt", &len);

	(void)state;
	p = run(&plain, buf, len, 1, &l);
	assert_int_equal(l.nr, 19);
	assert_string_equal(parser_errors(p), "");

	/* the boxing in Box's shape body, in the Box[int] wrapper (at the func
	 * line) and where UseBox inlined it */
	f = find(&l, "g.go", 14, 9, "v escapes to heap");
	assert_string_equal(f->facts.func, "Box[go.shape.int]");
	assert_true(f->facts.reasons == (R(SPILL) | R(RETURN)));
	f = find(&l, "g.go", 13, 6, "v escapes to heap");
	assert_string_equal(f->facts.func, "Box[int]");
	f = find(&l, "g.go", 18, 12, "v escapes to heap");
	assert_string_equal(f->facts.func, "UseBox");
	assert_string_equal(f->facts.callees[0], "Box[go.shape.int]");
	assert_string_equal(f->flow[1].inlined, "Box[go.shape.int]");
	assert_step(f, 4, "g.go", 18, 2, "from return ~r0 (return)");
	assert_null(f->flow[4].inlined);

	/* append's backing array, returned */
	f = find(&l, "g.go", 24, 15, "append escapes to heap");
	assert_string_equal(f->subject, "append");
	assert_int_equal(f->flow_nr, 5);
	assert_step(f, 0, "g.go", 24, 15,
		    "flow: out \xe2\x86\x90 &{storage for append(out, i)}");
	assert_step(f, 4, "g.go", 26, 2, "from return out (return)");
	assert_int_equal(f->facts.dsts, DST_NAMED | DST_RESULT);
	assert_true(f->facts.reasons == (R(SPILL) | R(ASSIGN) | R(RETURN)));

	/* a range-over-func body: steps "at <unknown line number>" keep their
	 * text and have no position */
	f = find(&l, "g.go", 41, 2, "moved to heap: #state1");
	assert_string_equal(f->facts.func, "Each");
	assert_int_equal(f->flow_nr, 3);
	assert_int_equal(f->flow[1].line, 0);
	assert_int_equal(f->flow[1].column, 0);
	assert_string_equal(f->flow[1].text, "from #state1 (captured by a closure)");
	assert_true(f->facts.reasons == (R(CLOSURE_CAPTURE) | R(REFERENCE)));
	assert_int_equal(f->facts.dsts, DST_FUNC_LIT);
	f = find(&l, "g.go", 41, 2, "func literal escapes to heap");
	assert_int_equal(f->facts.callees_nr, 1);
	assert_string_equal(f->facts.callees[0], "s");

	/* a make of zero-size elements (Go 1.25+) */
	f = find(&l, "g.go", 58, 17, "make([]struct {}, n) escapes to heap");
	assert_true(f->facts.reasons == R(ZERO_SIZED));
	assert_int_equal(f->facts.dsts, DST_HEAP);

	/* a parameter that leaks to {storage for ... argument} for a method */
	f = find(&l, "g.go", 73, 7, "leaking param: t");
	assert_string_equal(f->facts.leak_dst, "{storage for ... argument}");
	assert_string_equal(f->facts.func, "(*Named).Warn");
	assert_int_equal(f->facts.derefs, 0);
	assert_int_equal(f->facts.dsts, DST_DOTS_ARG);
	assert_true(f->facts.reasons == (R(INTERFACE_CONVERTED) | R(SLICE_LIT_ELEM)));
	f = find(&l, "g.go", 74, 8, "... argument escapes to heap");
	assert_string_equal(f->facts.callees[0], "l.Logf");
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

/* Diagnostics at positions the compiler does not know are not findings and
 * break no chain; steps there have no position. */
static void test_unknown_line_number(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p;

	(void)state;
	p = parser_new(&plain);
	feed(p, "# example.com/g\n"
		"./g.go:41:2: #state1 escapes to heap in Each:\n"
		"./g.go:41:2:   flow: {storage for func literal} \xe2\x86\x90 &#state1:\n"
		"<unknown line number>: inlining call to Each-range1\n"
		"<unknown line number>: x escapes to heap\n"
		"./g.go:41:2:     from #state1 (captured by a closure) at <unknown line number>\n"
		"<unknown line number>: moved to heap: y\n"
		"./g.go:41:2:     from #state1 (reference) at <unknown line number>\n"
		"./g.go:41:2: moved to heap: #state1\n");
	parser_finish(p);
	parser_take_findings(p, &l);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.items[0]->subject, "#state1");
	assert_int_equal(l.items[0]->flow_nr, 3);
	assert_step(l.items[0], 2, "", 0, 0, "from #state1 (reference)");
	assert_int_equal(l.items[0]->facts.dsts, DST_FUNC_LIT);
	assert_string_equal(parser_errors(p), "");
	finding_list_release(&l);
	parser_free(p);
}

/* Notes (keep_notes): the compiler's inlining and bounds-check facts, as
 * Go 1.19 and Go 1.26 print them for tests/unit/data/notes/a.go. */
static void check_note(const struct parse_note *nt, enum parse_note_kind kind, int line, int col,
		       const char *func, const char *reason, int cost, int budget, const char *text)
{
	assert_int_equal(nt->kind, kind);
	assert_string_equal(nt->file, "a.go");
	assert_string_equal(nt->package, "example.com/notes");
	assert_int_equal(nt->line, line);
	assert_int_equal(nt->column, col);
	if (func)
		assert_string_equal(nt->func, func);
	else
		assert_null(nt->func);
	if (reason)
		assert_string_equal(nt->reason, reason);
	else
		assert_null(nt->reason);
	assert_int_equal(nt->cost, cost);
	assert_int_equal(nt->budget, budget);
	assert_string_equal(nt->text, text);
}

static void notes_of(const char *path, int use_cost, size_t chunk)
{
	struct parse_opts o = plain;
	struct finding_list l = FINDING_LIST_INIT;
	struct parse_note_list nl = PARSE_NOTE_LIST_INIT;
	struct parser *p;
	size_t len;
	char *buf = slurp(path, &len);
	char cannot[128];

	o.keep_notes = 1;
	p = run(&o, buf, len, chunk, &l);
	parser_take_notes(p, &nl);
	assert_string_equal(parser_errors(p), "");
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.items[0]->message, "moved to heap: x");
	assert_int_equal(nl.nr, 11);
	assert_int_equal(nl.dropped, 0);
	check_note(&nl.items[0], NOTE_CAN_INLINE, 3, 6, "Small", NULL, 4, -1,
		   "can inline Small with cost 4");
	check_note(&nl.items[1], NOTE_CAN_INLINE, 5, 6, "Big", NULL, 73, -1,
		   "can inline Big with cost 73");
	check_note(&nl.items[2], NOTE_CAN_INLINE, 25, 6, "(*T).Get", NULL, 5, -1,
		   "can inline (*T).Get with cost 5");
	snprintf(cannot, sizeof(cannot), "cannot inline Use: function too complex: cost %d exceeds budget 80",
		 use_cost);
	check_note(&nl.items[3], NOTE_CANNOT_INLINE, 27, 6, "Use", cannot + 19, use_cost, 80, cannot);
	/* Go 1.26 prints Alloc's can-inline before the inlined calls */
	{
		size_t k = use_cost == 119 ? 4 : 7, c = use_cost == 119 ? 5 : 4;

		check_note(&nl.items[k], NOTE_CAN_INLINE, 34, 6, "Alloc", NULL, 8, -1,
			   "can inline Alloc with cost 8");
		check_note(&nl.items[c], NOTE_INLINING_CALL, 28, 12, "Small", NULL, -1, -1,
			   "inlining call to Small");
		check_note(&nl.items[c + 1], NOTE_INLINING_CALL, 28, 21, "Big", NULL, -1, -1,
			   "inlining call to Big");
		check_note(&nl.items[c + 2], NOTE_INLINING_CALL, 29, 12, "(*T).Get", NULL, -1, -1,
			   "inlining call to (*T).Get");
	}
	check_note(&nl.items[8], NOTE_BOUNDS_CHECK, 29, 12, NULL, "IsInBounds", -1, -1,
		   "Found IsInBounds");
	check_note(&nl.items[9], NOTE_BOUNDS_CHECK, 29, 20, NULL, "IsInBounds", -1, -1,
		   "Found IsInBounds");
	check_note(&nl.items[10], NOTE_BOUNDS_CHECK, 25, 40, NULL, "IsInBounds", -1, -1,
		   "Found IsInBounds");
	assert_string_equal(parse_note_kind_name(NOTE_BOUNDS_CHECK), "bounds_check");
	parse_note_list_release(&nl);
	finding_list_release(&l);
	parser_free(p);
	/* the summaries' alone: the five inlining notes, the same finding */
	o.notes_inline_only = 1;
	p = run(&o, buf, len, chunk, &l);
	parser_take_notes(p, &nl);
	assert_string_equal(parser_errors(p), "");
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.items[0]->message, "moved to heap: x");
	assert_int_equal(nl.nr, 5);
	check_note(&nl.items[3], NOTE_CANNOT_INLINE, 27, 6, "Use", cannot + 19, use_cost, 80, cannot);
	check_note(&nl.items[4], NOTE_CAN_INLINE, 34, 6, "Alloc", NULL, 8, -1,
		   "can inline Alloc with cost 8");
	parse_note_list_release(&nl);
	finding_list_release(&l);
	parser_free(p);
	free(buf);
}

static void test_notes_real_output(void **state)
{
	(void)state;
	notes_of(DATA "notes-m2.txt", 120, 7);
	notes_of(DATA "notes-m2-go126.txt", 119, 4096);
}

/* Without keep_notes nothing is kept, and bounds-check lines are -m output,
 * never build errors; with it, duplicates are kept once, scores and
 * slice checks are read, and notes outside the repository are dropped. */
static void test_notes_hand_written(void **state)
{
	static const char text[] =
		"# example.com/x\n"
		"./x.go:4:9: Found IsSliceInBounds\n"
		"./x.go:4:9: Found IsSliceInBounds\n"
		"./x.go:5:3: inlining call to strings.Index with score 60\n"
		"/usr/local/go/src/strings/strings.go:9:6: can inline Index with cost 30 as: func() {  }\n"
		"./x.go:7:6: cannot inline R: recursive\n";
	struct parse_opts o = plain;
	struct parse_note_list nl = PARSE_NOTE_LIST_INIT;
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p = run(&plain, text, sizeof(text) - 1, 5, &l);

	(void)state;
	parser_take_notes(p, &nl);
	assert_int_equal(nl.nr, 0);
	assert_string_equal(parser_errors(p), "");
	parser_free(p);
	o.keep_notes = 1;
	p = run(&o, text, sizeof(text) - 1, 5, &l);
	parser_take_notes(p, &nl);
	assert_int_equal(nl.nr, 3);
	assert_int_equal(nl.items[0].kind, NOTE_BOUNDS_CHECK);
	assert_string_equal(nl.items[0].reason, "IsSliceInBounds");
	assert_string_equal(nl.items[0].file, "x.go");
	assert_int_equal(nl.items[0].column, 9);
	assert_int_equal(nl.items[1].kind, NOTE_INLINING_CALL);
	assert_string_equal(nl.items[1].func, "strings.Index");
	assert_int_equal(nl.items[2].kind, NOTE_CANNOT_INLINE);
	assert_string_equal(nl.items[2].func, "R");
	assert_string_equal(nl.items[2].reason, "recursive");
	assert_int_equal(nl.items[2].cost, -1);
	assert_int_equal(nl.items[2].budget, -1);
	/* taken: the parser holds none now */
	parser_take_notes(p, &nl);
	assert_int_equal(nl.nr, 3);
	parse_note_list_release(&nl);
	parser_free(p);
	/* the summaries' notes alone: the inlining ones; the others' lines
	 * are still notes, no build error */
	o.notes_inline_only = 1;
	p = run(&o, text, sizeof(text) - 1, 5, &l);
	parser_take_notes(p, &nl);
	assert_int_equal(nl.nr, 1);
	assert_int_equal(nl.items[0].kind, NOTE_CANNOT_INLINE);
	assert_string_equal(nl.items[0].func, "R");
	assert_string_equal(parser_errors(p), "");
	parse_note_list_release(&nl);
	finding_list_release(&l);
	parser_free(p);
}

/* dump() and what it leaves out: the header's function, each step's
 * inlined call and whether it is outside. */
static void dump_all(struct strbuf *sb, const struct finding_list *l)
{
	size_t i, j;

	dump(sb, l);
	for (i = 0; i < l->nr; i++) {
		const struct finding *f = l->items[i];

		strbuf_addf(sb, "%s:", f->facts.func ? f->facts.func : "-");
		for (j = 0; j < f->flow_nr; j++)
			strbuf_addf(sb, " %s/%d", f->flow[j].inlined ? f->flow[j].inlined : "-",
				    f->flow[j].outside);
		strbuf_addch(sb, '\n');
	}
}

/* The findings of `buf` parsed whole, and kept lazily then each given its
 * chain (parser_chain()): the same, byte for byte.  `keep`: the input kept
 * before it is cut to the lines kept (0: the default). */
static void assert_lazy_same(const char *what, const char *buf, size_t len, size_t chunk,
			     int exact_steps, size_t keep)
{
	struct parse_opts o = plain, lo;
	struct finding_list whole = FINDING_LIST_INIT, lazy = FINDING_LIST_INIT;
	struct finding_list placed = FINDING_LIST_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	struct parser *p, *q, *r;
	size_t i, stepless = 0, steps = 0;

	o.exact_steps = exact_steps;
	o.root_abs = "/src/escape";
	lo = o;
	lo.lazy_chains = 1;
	lo.lazy_max_bytes = keep;
	p = run(&o, buf, len, chunk, &whole);
	q = run(&lo, buf, len, chunk, &lazy);
	r = run_in_place(&lo, buf, len, chunk, &placed);
	assert_int_equal(whole.nr, lazy.nr);
	assert_int_equal(whole.nr, placed.nr);
	for (i = 0; i < lazy.nr; i++) {
		steps += whole.items[i]->flow_nr;
		stepless += whole.items[i]->flow_nr && !lazy.items[i]->flow_nr;
		parser_chain(q, lazy.items[i]);
		assert_int_equal(parser_chain(q, lazy.items[i]), 0); /* given once */
		parser_chain(r, placed.items[i]);
	}
	if (steps && !stepless)
		fail_msg("%s: no chain was left to parser_chain()", what);
	dump_all(&a, &whole);
	dump_all(&b, &lazy);
	dump_all(&c, &placed);
	if (strcmp(a.buf, b.buf))
		fail_msg("%s (chunks of %zu, exact_steps %d, keep %zu): lazy chains differ", what,
			 chunk, exact_steps, keep);
	if (strcmp(a.buf, c.buf))
		fail_msg("%s (chunks of %zu, exact_steps %d, keep %zu): read in place, lazy chains differ",
			 what, chunk, exact_steps, keep);
	finding_list_release(&whole);
	finding_list_release(&lazy);
	finding_list_release(&placed);
	parser_free(p);
	parser_free(q);
	parser_free(r);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

/* parser_space(): none without lazy chains; with them, bytes fed where it
 * said are taken there (the next space follows them: not copied), and
 * bytes fed from elsewhere are copied after them. */
static void test_parser_space(void **state)
{
	static const char head[] = "# p\n./a.go:3:2: x escapes to heap:\n";
	static const char rest[] = "./a.go:3:2:   flow: {heap} = x:\n"
				   "./a.go:3:2: x escapes to heap\n";
	struct parse_opts lo = plain;
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p = parser_new(&plain);
	size_t room, room2;
	char *to, *next;

	(void)state;
	assert_null(parser_space(p, &room));
	parser_free(p);
	lo.lazy_chains = 1;
	p = parser_new(&lo);
	to = parser_space(p, &room);
	assert_non_null(to);
	assert_true(room >= PARSE_SPACE_MIN);
	memcpy(to, head, strlen(head));
	parser_feed(p, to, strlen(head));
	next = parser_space(p, &room2);
	assert_ptr_equal(next, to + strlen(head));
	assert_int_equal(room2, room - strlen(head));
	parser_feed(p, rest, strlen(rest)); /* not in place: copied */
	assert_ptr_equal(parser_space(p, &room2), next + strlen(rest));
	parser_finish(p);
	parser_take_findings(p, &l);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.items[0]->flow_nr, 0);
	assert_int_equal(parser_chain(p, l.items[0]), 1);
	assert_int_equal(l.items[0]->flow_nr, 1);
	assert_string_equal(l.items[0]->flow[0].text, "flow: {heap} = x");
	finding_list_release(&l);
	parser_free(p);
}

/*
 * Lazy chains give what the whole parse gives: on every log of the tests
 * (Go 1.19 and 1.26, leaking parameters, cycles, broken builds, notes),
 * fed whole and by 7 bytes, with every step and with --max-flow 3; and
 * by hand, a step at a call whose "inlining call to" comes after it (not
 * inlined, as it was not when the step was read) and the same position in
 * a second package block that has no such note; and a chain longer than
 * the parser keeps steps of, which is parsed as it is read from there on.
 */
/* The file at `path` with every "\n" made "\r\n". */
static char *crlf(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n, i;
	char *buf = slurp(path, &n);

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n')
			strbuf_addch(&sb, '\r');
		strbuf_addch(&sb, buf[i]);
	}
	free(buf);
	*len = sb.len;
	return strbuf_detach(&sb, NULL);
}

/* The first flow: line tells the compilers apart (parse_stats.flow_style),
 * read eagerly or lazily, in chunks that cut lines anywhere. */
static void test_flow_style(void **state)
{
	static const struct {
		const char *log;
		enum parse_flow_style style;
	} logs[] = {
		{ "escape-m2.txt", PARSE_FLOW_EQUALS },
		{ "cycle-m2.txt", PARSE_FLOW_EQUALS },
		{ "notes-m2.txt", PARSE_FLOW_EQUALS },
		{ "escape-m2-go126.txt", PARSE_FLOW_ARROW },
		{ "go126-m2.txt", PARSE_FLOW_ARROW },
		{ "notes-m2-go126.txt", PARSE_FLOW_ARROW },
		{ "broken-m2.txt", PARSE_FLOW_UNSEEN }, /* no explanation at all */
	};
	/* Go 1.26: an arrow after an " = " inside the expression */
	static const char both[] =
		"# p\n"
		"./a.go:3:2: x escapes to heap in f:\n"
		"./a.go:3:2:   flow: {heap} \xe2\x86\x90 a = b:\n"
		"./a.go:3:2: x escapes to heap\n";
	/* -m=1: verdicts, no explanation */
	static const char m1[] = "# p\n./a.go:3:2: moved to heap: x\n./a.go:4:2: y escapes to heap\n";
	struct parse_opts lo = plain;
	size_t i, k, len;
	int lazy;

	(void)state;
	lo.lazy_chains = 1;
	for (i = 0; i < sizeof(logs) / sizeof(*logs); i++)
		for (lazy = 0; lazy < 2; lazy++) {
			static const size_t chunks[] = { 3, 4096 };
			struct strbuf path = STRBUF_INIT;
			char *buf;

			strbuf_addf(&path, DATA "%s", logs[i].log);
			buf = slurp(path.buf, &len);
			for (k = 0; k < 2; k++) {
				struct finding_list l = FINDING_LIST_INIT;
				struct parse_stats st;
				struct parser *p = lazy ? run_in_place(&lo, buf, len, chunks[k], &l)
							: run(&plain, buf, len, chunks[k], &l);

				parser_stats(p, &st);
				if (st.flow_style != logs[i].style)
					fail_msg("%s (%s, chunks of %zu): flow style %d, not %d", logs[i].log,
						 lazy ? "lazy" : "eager", chunks[k], (int)st.flow_style,
						 (int)logs[i].style);
				finding_list_release(&l);
				parser_free(p);
			}
			free(buf);
			strbuf_release(&path);
		}
	for (lazy = 0; lazy < 2; lazy++) {
		struct finding_list l = FINDING_LIST_INIT;
		struct parse_stats st;
		struct parser *p = run(lazy ? &lo : &plain, both, sizeof(both) - 1, 5, &l);

		parser_stats(p, &st);
		assert_int_equal(st.flow_style, PARSE_FLOW_ARROW);
		finding_list_release(&l);
		parser_free(p);
		p = run(lazy ? &lo : &plain, m1, sizeof(m1) - 1, 5, &l);
		parser_stats(p, &st);
		assert_int_equal(l.nr, 2);
		assert_int_equal(st.flow_style, PARSE_FLOW_UNSEEN);
		finding_list_release(&l);
		parser_free(p);
	}
}

static void test_lazy_chains(void **state)
{
	static const char *const logs[] = {
		"escape-m2.txt", "escape-m2-go126.txt", "escape-m2-go126-newinliner.txt",
		"go126-m2.txt", "notes-m2.txt", "notes-m2-go126.txt", "cycle-m2.txt", "broken-m2.txt",
	};
	static const char hand[] =
		"# p\n"
		"./a.go:10:2: x escapes to heap:\n"
		"./a.go:10:2:   flow: {heap} = x:\n"
		"./a.go:10:2:     from f(x) (call parameter) at ./a.go:10:2\n"
		"./a.go:10:2: inlining call to f\n"
		"./a.go:11:2: inlining call to g\n"
		"./a.go:11:2: y escapes to heap:\n"
		"./a.go:11:2:   flow: {heap} = y:\n"
		"./a.go:11:2:     from g(y) (call parameter) at ./a.go:11:2\n"
		"./a.go:10:2: x escapes to heap\n"
		"./a.go:11:2: y escapes to heap\n"
		"# p [p.test]\n"
		"./a.go:11:2: z escapes to heap:\n"
		"./a.go:11:2:   flow: {heap} = z:\n"
		"./a.go:11:2:     from g(z) (call parameter) at ./a.go:11:2\n"
		"./a.go:11:2: z escapes to heap\n";
	struct finding_list l = FINDING_LIST_INIT;
	struct parse_opts lo = plain;
	struct parser *q;
	size_t i, len;

	(void)state;
	lo.lazy_chains = 1;
	for (i = 0; i < sizeof(logs) / sizeof(*logs); i++) {
		struct strbuf path = STRBUF_INIT;
		char *buf;

		strbuf_addf(&path, DATA "%s", logs[i]);
		buf = slurp(path.buf, &len);
		assert_lazy_same(logs[i], buf, len, len + 1, 0, 0);
		assert_lazy_same(logs[i], buf, len, 7, 0, 0);
		assert_lazy_same(logs[i], buf, len, 4096, 3, 0);
		/* the input cut to the lines kept at every feed, or every few */
		assert_lazy_same(logs[i], buf, len, 7, 0, 1);
		assert_lazy_same(logs[i], buf, len, 61, 0, 500);
		free(buf);
		/* the same with "\r\n" line ends */
		buf = crlf(path.buf, &len);
		assert_lazy_same(logs[i], buf, len, len + 1, 0, 0);
		assert_lazy_same(logs[i], buf, len, 7, 0, 1);
		free(buf);
		strbuf_release(&path);
	}
	assert_lazy_same("by hand", hand, strlen(hand), 5, 0, 0);
	assert_lazy_same("by hand", hand, strlen(hand), 5, 0, 1);
	/* a chain as long as the parser keeps steps is parsed as it is read
	 * (so kept lines stay bounded), a call inlined half-way through it */
	{
		struct strbuf big = STRBUF_INIT;
		struct finding_list bl = FINDING_LIST_INIT;
		struct parser *bq;
		int k;

		strbuf_addstr(&big, "# p\n./a.go:10:2: x escapes to heap:\n");
		for (k = 0; k < PARSE_MAX_STEPS + 50; k++) {
			if (k == PARSE_MAX_STEPS / 2)
				strbuf_addf(&big, "./a.go:%d:3: inlining call to h\n", 100 + k % 7);
			if (k % 2)
				strbuf_addf(&big, "./a.go:10:2:   flow: {heap} = v%d:\n", k % 300);
			else
				strbuf_addf(&big, "./a.go:10:2:     from h(v%d) (call parameter) at ./a.go:%d:3\n",
					    k % 300, 100 + k % 7);
		}
		strbuf_addstr(&big, "./a.go:11:2: y escapes to heap:\n"
				    "./a.go:11:2:   flow: {heap} = y:\n"
				    "./a.go:10:2: x escapes to heap\n"
				    "./a.go:11:2: y escapes to heap\n");
		assert_lazy_same("a long chain", big.buf, big.len, big.len + 1, 0, 0);
		assert_lazy_same("a long chain", big.buf, big.len, 7, 3, 0);
		assert_lazy_same("a long chain", big.buf, big.len, 7, 3, 100);
		bq = run(&lo, big.buf, big.len, 4096, &bl);
		assert_int_equal(bl.nr, 2);
		assert_true(bl.items[0]->flow_nr > 0); /* parsed as read */
		assert_int_equal(bl.items[1]->flow_nr, 0); /* kept */
		finding_list_release(&bl);
		parser_free(bq);
		strbuf_release(&big);
	}
	/* and what the whole parse says of it */
	q = run(&lo, hand, strlen(hand), 3, &l);
	assert_int_equal(l.nr, 3);
	for (i = 0; i < l.nr; i++) {
		assert_int_equal(l.items[i]->flow_nr, 0);
		assert_int_equal(parser_chain(q, l.items[i]), 1);
		assert_int_equal(l.items[i]->flow_nr, 2);
	}
	assert_null(l.items[0]->flow[1].inlined);              /* its note came after */
	assert_string_equal(l.items[1]->flow[1].inlined, "g"); /* before */
	assert_null(l.items[2]->flow[1].inlined);              /* another block's */
	finding_list_release(&l);
	parser_free(q);
}

/* opts.file_digests: a file's lines, in order, make its digest, whatever
 * comes between them, however the input is cut, read lazily or not,
 * kept or not; a byte changed or two lines swapped change it */
static size_t digests_of(const struct parse_opts *o, const char *buf, size_t len, size_t chunk,
			 int in_place, struct parse_digest **d)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct parser *p = in_place ? run_in_place(o, buf, len, chunk, &l) : run(o, buf, len, chunk, &l);
	size_t n = parser_digests(p, d), i;

	for (i = 0; i < n; i++) /* the paths live as long as the parser */
		(*d)[i].path = xstrdup((*d)[i].path);
	finding_list_release(&l);
	parser_free(p);
	return n;
}

static void digests_free(struct parse_digest *d, size_t n)
{
	while (n)
		free((char *)d[--n].path);
	free(d);
}

/* The lines of `buf` whose position names `file` as printed, counted
 * with parse_position() (not the parser's digests). */
static unsigned long long lines_of(const char *buf, size_t len, const char *file)
{
	const char *s = buf, *end = buf + len, *nl, *msg;
	unsigned long long n = 0;
	size_t fl;
	int line, col;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if (parse_position(s, (size_t)(nl - s), &fl, &line, &col, &msg) &&
		    fl == strlen(file) && !memcmp(s, file, fl))
			n++;
	}
	return n;
}

/* `buf` with the lines of `file` (as printed) moved to its end, in their order. */
static char *moved_to_end(const char *buf, size_t len, const char *file)
{
	struct strbuf rest = STRBUF_INIT, moved = STRBUF_INIT;
	const char *s = buf, *end = buf + len, *nl;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if (!strncmp(s, file, strlen(file)) && s[strlen(file)] == ':')
			strbuf_add(&moved, s, (size_t)(nl - s) + 1);
		else
			strbuf_add(&rest, s, (size_t)(nl - s) + 1);
	}
	strbuf_addbuf(&rest, &moved);
	strbuf_release(&moved);
	return strbuf_detach(&rest, NULL);
}

static int keep_none(void *data, const char *path)
{
	(void)data;
	(void)path;
	return 0;
}

static void test_file_digests(void **state)
{
	static const size_t chunks[] = { 1, 7, 4096, 1 << 20 };
	struct parse_opts o = plain, lazy = plain, skip = plain;
	struct parse_digest *want, *d;
	struct strbuf crlf = STRBUF_INIT, hand = STRBUF_INIT;
	size_t len, n, i, k;
	char *buf = slurp(DATA "escape-m2-go126.txt", &len), *moved, *at;

	(void)state;
	o.file_digests = lazy.file_digests = skip.file_digests = 1;
	lazy.lazy_chains = 1;
	skip.keep_file = keep_none;
	n = digests_of(&o, buf, len, len, 0, &want);
	assert_int_equal(n, 2); /* log.go is outside: none */
	assert_string_equal(want[0].path, "main.go");
	assert_string_equal(want[1].path, "sub/sub.go");
	assert_int_equal(want[0].lines, lines_of(buf, len, "./main.go"));
	assert_int_equal(want[0].lines, 259);
	assert_int_equal(want[1].lines, lines_of(buf, len, "sub/sub.go"));
	assert_int_equal(want[1].lines, 32);
	assert_int_equal(want[0].mixed, 0);
	assert_true(want[0].digest != want[1].digest);
	/* cut anywhere, read in place and lazily, or not kept: the same */
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		const struct parse_opts *os[] = { &o, &lazy, &skip };

		for (k = 0; k < ARRAY_SIZE(os); k++) {
			assert_int_equal(digests_of(os[k], buf, len, chunks[i], os[k] == &lazy, &d), 2);
			assert_int_equal(d[0].digest, want[0].digest);
			assert_int_equal(d[1].digest, want[1].digest);
			assert_int_equal(d[0].lines, want[0].lines);
			digests_free(d, 2);
		}
	}
	/* CRLF line ends: the same */
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n')
			strbuf_addch(&crlf, '\r');
		strbuf_addch(&crlf, buf[i]);
	}
	assert_int_equal(digests_of(&lazy, crlf.buf, crlf.len, 4096, 1, &d), 2);
	assert_int_equal(d[0].digest, want[0].digest);
	assert_int_equal(d[1].digest, want[1].digest);
	digests_free(d, 2);
	/* the other file's lines elsewhere: the same */
	moved = moved_to_end(buf, len, "sub/sub.go");
	assert_int_equal(strlen(moved), len);
	assert_true(memcmp(moved, buf, len));
	assert_int_equal(digests_of(&o, moved, len, 4096, 0, &d), 2);
	assert_int_equal(d[0].digest, want[0].digest);
	assert_int_equal(d[1].digest, want[1].digest);
	digests_free(d, 2);
	free(moved);
	/* a byte of one of main.go's lines: main.go's digest only */
	at = strstr(buf, "./main.go:");
	assert_non_null(at = strstr(at + 1, "escapes to heap"));
	at[0] = 'E';
	assert_int_equal(digests_of(&lazy, buf, len, 4096, 1, &d), 2);
	assert_true(d[0].digest != want[0].digest);
	assert_int_equal(d[1].digest, want[1].digest);
	digests_free(d, 2);
	at[0] = 'e';
	/* two of sub.go's lines swapped (the first two: both "can inline") */
	at = strstr(buf, "sub/sub.go:15:10:");
	assert_non_null(at);
	{
		char *nl1 = strchr(at, '\n'), *nl2 = strchr(nl1 + 1, '\n');
		struct strbuf sw = STRBUF_INIT;

		strbuf_add(&sw, buf, (size_t)(at - buf));
		strbuf_add(&sw, nl1 + 1, (size_t)(nl2 - nl1));
		strbuf_add(&sw, at, (size_t)(nl1 - at) + 1);
		strbuf_add(&sw, nl2 + 1, len - (size_t)(nl2 + 1 - buf));
		assert_int_equal(sw.len, len);
		assert_int_equal(digests_of(&o, sw.buf, sw.len, 4096, 0, &d), 2);
		assert_int_equal(d[0].digest, want[0].digest);
		assert_true(d[1].digest != want[1].digest);
		assert_int_equal(d[1].lines, want[1].lines);
		digests_free(d, 2);
		strbuf_release(&sw);
	}
	/* one file printed two ways: one entry, said to be mixed */
	strbuf_addstr(&hand, "x.go:1:2: moved to heap: a\n./x.go:3:4: moved to heap: b\n");
	assert_int_equal(digests_of(&o, hand.buf, hand.len, 4096, 0, &d), 1);
	assert_string_equal(d[0].path, "x.go");
	assert_int_equal(d[0].lines, 2);
	assert_int_equal(d[0].mixed, 1);
	digests_free(d, 1);
	/* the digest is part of the cache's format: this line's is this */
	strbuf_reset(&hand);
	strbuf_addstr(&hand, "a.go:1:2: moved to heap: x\n");
	assert_int_equal(digests_of(&o, hand.buf, hand.len, 4096, 0, &d), 1);
	assert_int_equal(d[0].lines, 1);
	assert_int_equal(d[0].digest, 0xb492b1b27b0069eeULL);
	digests_free(d, 1);
	/* without opts.file_digests: none */
	assert_int_equal(digests_of(&plain, buf, len, 4096, 0, &d), 0);
	assert_null(d);
	digests_free(want, 2);
	strbuf_release(&crlf);
	strbuf_release(&hand);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunking),
		cmocka_unit_test(test_lazy_chains),
		cmocka_unit_test(test_parser_space),
		cmocka_unit_test(test_real_output),
		cmocka_unit_test(test_leaking_params),
		cmocka_unit_test(test_chains_by_subject),
		cmocka_unit_test(test_rewritten_call_among_many),
		cmocka_unit_test(test_cycle_warning),
		cmocka_unit_test(test_build_error),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_paths_in_parser),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_from_read_from_the_right),
		cmocka_unit_test(test_callee_limit),
		cmocka_unit_test(test_repeated_positions),
		cmocka_unit_test(test_table_hash_values),
		cmocka_unit_test(test_step_positions_and_facts),
		cmocka_unit_test(test_max_flow),
		cmocka_unit_test(test_repeated_steps_kept_last),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_crlf_and_partial_last_line),
		cmocka_unit_test(test_take_findings_twice),
		cmocka_unit_test(test_duplicates_many),
		cmocka_unit_test(test_many_pending),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_go126_real_output),
		cmocka_unit_test(test_keep_file),
		cmocka_unit_test(test_go126_inlining_scores),
		cmocka_unit_test(test_go126_newer_constructs),
		cmocka_unit_test(test_unknown_line_number),
		cmocka_unit_test(test_notes_real_output),
		cmocka_unit_test(test_notes_hand_written),
		cmocka_unit_test(test_take_ended),
		cmocka_unit_test(test_flow_style),
		cmocka_unit_test(test_file_digests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
