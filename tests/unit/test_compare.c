/*
 * test_compare.c: fingerprints (the documented FNV-1a value, stable under
 * line shifts and renames, the occurrence index, closure suffixes,
 * positions in messages, distinct subjects such as b[:2] and c[:3]),
 * compare_match's statuses and fixed list and its
 * file-less second pass, the cache round trip of every cached field, and
 * the baseline's write/read/apply and its errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "checklist.h"
#include "compare.h"
#include "config.h"
#include "packages.h"
#include "diff.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

static struct finding *mk(const char *file, int line, const char *function, const char *message)
{
	struct finding *f = finding_new();

	f->package = xstrdup("example.com/m");
	f->file = xstrdup(file);
	f->line = line;
	f->column = 2;
	f->function = xstrdup_or_null(function);
	f->message = xstrdup(message);
	f->subject = xstrdup("p");
	return f;
}

static char *fp_of(struct finding *f, const struct change *c)
{
	struct finding_list l = FINDING_LIST_INIT;
	char *fp;

	finding_list_add(&l, f);
	compare_fingerprint(&l, c);
	fp = xstrdup(f->fingerprint);
	free(l.items);
	return fp;
}

static void test_fingerprint_value(void **state)
{
	struct finding *f = mk("main.go", 20, "NewPoint", "moved to heap: p");
	char *fp;

	(void)state;
	/* FNV-1a 64 of "example.com/m\0main.go\0NewPoint\0moved to heap: p\0" "0" */
	fp = fp_of(f, NULL);
	assert_string_equal(fp, "12f6037768346839");
	free(fp);
	finding_free(f);
	/* a compiler temporary without its number: FNV-1a 64 of
	 * "example.com/m\0main.go\0P\0moved to heap: .autotmp_\0" "0" */
	f = mk("main.go", 9, "P", "moved to heap: .autotmp_3");
	fp = fp_of(f, NULL);
	assert_string_equal(fp, "120226c05eeb0af4");
	free(fp);
	finding_free(f);
}

static void test_fingerprint_stability(void **state)
{
	struct finding *a = mk("main.go", 20, "NewPoint", "moved to heap: p");
	struct finding *b = mk("main.go", 95, "NewPoint", "moved to heap: p");
	struct finding *c = mk("main.go", 20, "Other", "moved to heap: p");
	struct finding *d = mk("old.go", 20, "NewPoint", "moved to heap: p");
	struct finding *e = mk("x.go", 1, "F.func2.1", "func literal escapes to heap");
	struct finding *g = mk("x.go", 9, "F", "func literal escapes to heap");
	struct finding *h = mk("x.go", 1, "glob..func3", "moved to heap: v");
	struct finding *i = mk("x.go", 1, "glob..", "moved to heap: v");
	struct finding *j = mk("x.go", 3, "F", "x.go:12:5: leaks to y.go:3");
	struct finding *k = mk("x.go", 3, "F", "x.go:99:1: leaks to y.go:7");
	struct change ch;
	char *renames[2] = { "old.go", "main.go" };
	char *fa, *fb, *fc, *fd, *fd2, *fe, *fg, *fh, *fi, *fj, *fk;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.renames = renames;
	ch.renames_nr = 2;
	fa = fp_of(a, NULL);
	fb = fp_of(b, NULL);
	fc = fp_of(c, NULL);
	fd = fp_of(d, NULL);
	fd2 = fp_of(d, &ch);
	fe = fp_of(e, NULL);
	fg = fp_of(g, NULL);
	fh = fp_of(h, NULL);
	fi = fp_of(i, NULL);
	fj = fp_of(j, NULL);
	fk = fp_of(k, NULL);
	/* the line does not count, the function does */
	assert_string_equal(fa, fb);
	assert_string_not_equal(fa, fc);
	/* a renamed file keeps it through the change's renames */
	assert_string_not_equal(fa, fd);
	assert_string_equal(fa, fd2);
	/* closure suffixes are dropped, package-level literals are "glob.." */
	assert_string_equal(fe, fg);
	assert_string_equal(fh, fi);
	/* positions inside the message do not count */
	assert_string_equal(fj, fk);
	assert_int_equal(strlen(fa), 16);
	free(fa); free(fb); free(fc); free(fd); free(fd2); free(fe); free(fg);
	free(fh); free(fi); free(fj); free(fk);
	finding_free(a); finding_free(b); finding_free(c); finding_free(d); finding_free(e);
	finding_free(g); finding_free(h); finding_free(i); finding_free(j); finding_free(k);
}

/* Only compiler positions and temporaries' numbers are stripped: different
 * subjects, even with numbers after a colon (slice bounds), keep different
 * fingerprints. */
static void test_fingerprint_subjects(void **state)
{
	static const char *const distinct[] = {
		"b[:2] escapes to heap", "c[:3] escapes to heap", "b[:3] escapes to heap",
		"s[1:2] escapes to heap", "s[1:3] escapes to heap", "m[\"a.go:3\"] escapes to heap",
		"m[\"a.go:4\"] escapes to heap", "] escapes to heap",
		/* only ".autotmp_" and digits is a compiler temporary */
		"moved to heap: .autotmp_2", "moved to heap: autotmp_2", "moved to heap: autotmp_3",
		"moved to heap: .autotmp_x", "moved to heap: x.autotmp",
	};
	/* pairs that differ only in a compiler position */
	static const char *const same[][2] = {
		{ "x.go:12:5: leaks to y.go:3", "x.go:99:1: leaks to y.go:7" },
		{ "leaking param: p to ./a.go:3:4", "leaking param: p to ./a.go:30:1" },
		{ "moved to heap: x (at dir/a b.go:7:13)", "moved to heap: x (at dir/a b.go:8)" },
		{ "call at <autogenerated>:1", "call at <autogenerated>:2" },
		/* and in the numbers of compiler temporaries (renumbered when one
		 * is added before them in the function) */
		{ "moved to heap: .autotmp_2", "moved to heap: .autotmp_13" },
		{ ".autotmp_3 escapes to heap", ".autotmp_4 escapes to heap" },
		{ "leaking param: p to .autotmp_7 level=0", "leaking param: p to .autotmp_1 level=0" },
	};
	char *fps[sizeof(distinct) / sizeof(distinct[0])];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(distinct) / sizeof(distinct[0]); i++) {
		struct finding *f = mk("main.go", 20, "F", distinct[i]);

		fps[i] = fp_of(f, NULL);
		finding_free(f);
		for (j = 0; j < i; j++)
			if (!strcmp(fps[i], fps[j]))
				fail_msg("'%s' and '%s' share a fingerprint", distinct[i], distinct[j]);
	}
	for (i = 0; i < sizeof(distinct) / sizeof(distinct[0]); i++)
		free(fps[i]);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct finding *a = mk("main.go", 20, "F", same[i][0]);
		struct finding *b = mk("main.go", 20, "F", same[i][1]);
		char *fa = fp_of(a, NULL), *fb = fp_of(b, NULL);

		if (strcmp(fa, fb))
			fail_msg("'%s' and '%s' differ only in a position or a temporary's number", same[i][0], same[i][1]);
		free(fa);
		free(fb);
		finding_free(a);
		finding_free(b);
	}
}

/* Occurrences past 9 are hashed in decimal ("10", "11"), and a position in
 * the message is left out of the key: values computed outside C with the
 * documented FNV-1a 64. */
static void test_occurrence_decimal(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct finding *f;
	int i;

	(void)state;
	for (i = 0; i < 12; i++)
		finding_list_add(&l, mk("main.go", 100 + i, "NewPoint", "moved to heap: p"));
	compare_fingerprint(&l, NULL);
	assert_string_equal(l.items[0]->fingerprint, "12f6037768346839");
	assert_string_equal(l.items[10]->fingerprint, "6c6ce6e6110a8742"); /* ..."10" */
	assert_string_equal(l.items[11]->fingerprint, "6c6ce7e6110a88f5"); /* ..."11" */
	finding_list_release(&l);
	/* twenty of one key (make_keys sorts a run that long another way),
	 * listed from the last line: the occurrence still follows the line */
	for (i = 19; i >= 0; i--)
		finding_list_add(&l, mk("main.go", 100 + i, "NewPoint", "moved to heap: p"));
	compare_fingerprint(&l, NULL);
	assert_string_equal(l.items[19]->fingerprint, "12f6037768346839");
	assert_string_equal(l.items[9]->fingerprint, "6c6ce6e6110a8742");
	assert_string_equal(l.items[8]->fingerprint, "6c6ce7e6110a88f5");
	finding_list_release(&l);
	/* "example.com/m\0main.go\0NewPoint\0leaking param: p to result ~r0 level=0 at \0" "0" */
	f = mk("main.go", 7, "NewPoint", "leaking param: p to result ~r0 level=0 at ./main.go:9:2");
	finding_list_add(&l, f);
	compare_fingerprint(&l, NULL);
	assert_string_equal(f->fingerprint, "37c0111787cbb401");
	finding_list_release(&l);
}

/*
 * Keys hashed ahead (compare_prehash, in batches as go's output comes)
 * give the fingerprints of keys hashed at once: the documented values,
 * the occurrence made over every batch; a finding whose path the change
 * renames is hashed again under its head path.
 */
static void test_prehash(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, part;
	struct change ch;
	char *renames[2] = { "old.go", "main.go" };

	(void)state;
	finding_list_add(&l, mk("main.go", 30, "NewPoint", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 25, "Other", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 20, "NewPoint", "moved to heap: p"));
	part = (struct finding_list){ l.items, 2, 0 };
	compare_prehash(&part);
	part = (struct finding_list){ l.items + 2, 1, 0 };
	compare_prehash(&part);
	assert_true(l.items[0]->key_hashed && l.items[2]->key_hashed);
	assert_true(l.items[0]->key_hash == l.items[2]->key_hash);
	compare_fingerprint(&l, NULL);
	assert_string_equal(l.items[2]->fingerprint, "12f6037768346839");
	assert_string_equal(l.items[0]->fingerprint, "12f6027768346686");
	finding_list_release(&l);
	/* renamed: the fingerprint of main.go, not of the hash made ahead */
	memset(&ch, 0, sizeof(ch));
	ch.renames = renames;
	ch.renames_nr = 2;
	finding_list_add(&l, mk("old.go", 20, "NewPoint", "moved to heap: p"));
	compare_prehash(&l);
	compare_fingerprint(&l, &ch);
	assert_string_equal(l.items[0]->fingerprint, "12f6037768346839");
	compare_fingerprint(&l, NULL);
	assert_string_not_equal(l.items[0]->fingerprint, "12f6037768346839");
	finding_list_release(&l);
}

static void test_occurrence(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	(void)state;
	/* listed out of order: the occurrence follows line and column */
	finding_list_add(&l, mk("main.go", 30, "NewPoint", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 20, "NewPoint", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 25, "Other", "moved to heap: p"));
	compare_fingerprint(&l, NULL);
	assert_string_equal(l.items[1]->fingerprint, "12f6037768346839");
	assert_string_equal(l.items[0]->fingerprint, "12f6027768346686");
	assert_string_not_equal(l.items[2]->fingerprint, l.items[0]->fingerprint);
	finding_list_release(&l);
	/* and with another key listed between them */
	finding_list_add(&l, mk("main.go", 30, "NewPoint", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 25, "Other", "moved to heap: p"));
	finding_list_add(&l, mk("main.go", 20, "NewPoint", "moved to heap: p"));
	compare_fingerprint(&l, NULL);
	assert_string_equal(l.items[2]->fingerprint, "12f6037768346839");
	assert_string_equal(l.items[0]->fingerprint, "12f6027768346686");
	finding_list_release(&l);
}

/* A `leaking param: p` that head prints as p moved to the heap is not
 * fixed (the parameter still leaks); the `moved to heap: p` is new. */
static void test_leak_now_moved(void **state)
{
	int moved;

	(void)state;
	for (moved = 0; moved <= 1; moved++) {
		struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
		struct finding_list fixed = FINDING_LIST_INIT, matched = FINDING_LIST_INIT;
		struct finding *h = mk("a.go", 3, "Quote", "moved to heap: p");

		h->verdict = VERDICT_MOVED;
		h->moved_param = (unsigned)moved;
		finding_list_add(&head, h);
		finding_list_add(&base, mk("a.go", 3, "Quote", "leaking param: p"));
		base.items[0]->verdict = VERDICT_LEAK_PARAM;
		/* another function's, and a leak to a result: fixed either way */
		finding_list_add(&base, mk("a.go", 9, "Other", "leaking param: p"));
		base.items[1]->verdict = VERDICT_LEAK_PARAM;
		finding_list_add(&base, mk("a.go", 3, "Quote", "leaking param: p to result ~r0 level=0"));
		base.items[2]->verdict = VERDICT_LEAK_PARAM;
		compare_fingerprint(&head, NULL);
		compare_fingerprint(&base, NULL);
		compare_match(&head, &base, &fixed, &matched, NULL);
		assert_int_equal(h->status, STATUS_NEW);
		assert_int_equal(fixed.nr, moved ? 2 : 3);
		assert_int_equal(matched.nr, moved ? 1 : 0);
		if (moved)
			assert_string_equal(matched.items[0]->message, "leaking param: p");
		finding_list_release(&head);
		finding_list_release(&fixed);
		finding_list_release(&matched);
	}
}

static void test_match(void **state)
{
	struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
	struct finding_list fixed = FINDING_LIST_INIT;

	(void)state;
	finding_list_add(&head, mk("main.go", 12, "A", "moved to heap: a"));  /* existing */
	finding_list_add(&head, mk("main.go", 40, "B", "moved to heap: b"));  /* new */
	finding_list_add(&head, mk("moved.go", 3, "M", "moved to heap: m")); /* existing, other file */
	finding_list_add(&head, mk("main.go", 50, "D", "moved to heap: d"));  /* new: 2nd of two */
	finding_list_add(&head, mk("main.go", 49, "D", "moved to heap: d"));  /* existing */
	finding_list_add(&base, mk("main.go", 10, "A", "moved to heap: a"));
	finding_list_add(&base, mk("main.go", 60, "C", "moved to heap: c"));  /* fixed */
	finding_list_add(&base, mk("main.go", 70, "M", "moved to heap: m"));
	finding_list_add(&base, mk("main.go", 45, "D", "moved to heap: d"));
	compare_fingerprint(&head, NULL);
	compare_fingerprint(&base, NULL);
	compare_match(&head, &base, &fixed, NULL, NULL);
	assert_int_equal(head.items[0]->status, STATUS_EXISTING);
	assert_int_equal(head.items[1]->status, STATUS_NEW);
	assert_int_equal(head.items[2]->status, STATUS_EXISTING);
	assert_int_equal(head.items[3]->status, STATUS_NEW);
	assert_int_equal(head.items[4]->status, STATUS_EXISTING);
	assert_int_equal(fixed.nr, 1);
	assert_string_equal(fixed.items[0]->message, "moved to heap: c");
	assert_int_equal(fixed.items[0]->status, STATUS_FIXED);
	assert_int_equal(base.nr, 0);
	assert_null(base.items);

	/* nothing at base: all new; nothing at head: all fixed */
	compare_match(&head, &base, &fixed, NULL, NULL);
	assert_int_equal(head.items[0]->status, STATUS_NEW);
	assert_int_equal(fixed.nr, 1);
	compare_match(&base, &head, &fixed, NULL, NULL);
	assert_int_equal(fixed.nr, 6);
	assert_int_equal(fixed.items[5]->status, STATUS_FIXED);
	assert_int_equal(head.nr, 0);
	finding_list_release(&fixed);
}

/* Statuses of `head` (N new, E existing), "|", then the functions of the
 * base findings left fixed, after compare_match(). */
static void expect_renamed(const char *what, struct finding_list *head, struct finding_list *base,
			   const struct change *c, const char *want)
{
	struct finding_list fixed = FINDING_LIST_INIT;
	struct strbuf got = STRBUF_INIT;
	size_t i;

	compare_fingerprint(head, NULL);
	compare_fingerprint(base, c);
	compare_match(head, base, &fixed, NULL, c);
	for (i = 0; i < head->nr; i++)
		strbuf_addch(&got, head->items[i]->status == STATUS_NEW ? 'N' : 'E');
	strbuf_addch(&got, '|');
	for (i = 0; i < fixed.nr; i++)
		strbuf_addf(&got, "%s%s", i ? "," : "", fixed.items[i]->function);
	if (strcmp(got.buf, want))
		fail_msg("%s: %s, not %s", what, got.buf, want);
	strbuf_release(&got);
	finding_list_release(head);
	finding_list_release(&fixed);
}

/* A function renamed with the same verdicts (zap 1.27's testingWriter made
 * TestingWriter) is not new and fixed; one that still has a finding, two
 * alike, other verdicts or another file are. */
static void test_match_renamed(void **state)
{
	struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;

	(void)state;
	finding_list_add(&base, mk("w.go", 123, "testingWriter.Write", "leaking param: w"));
	finding_list_add(&base, mk("w.go", 123, "testingWriter.Write", "leaking param: p"));
	finding_list_add(&base, mk("w.go", 130, "testingWriter.Write", "p escapes to heap"));
	finding_list_add(&base, mk("w.go", 112, "newTestingWriter", "leaking param: t to result ~r0 level=0"));
	finding_list_add(&head, mk("w.go", 146, "TestingWriter.Write", "p escapes to heap"));
	finding_list_add(&head, mk("w.go", 139, "TestingWriter.Write", "leaking param: p"));
	finding_list_add(&head, mk("w.go", 139, "TestingWriter.Write", "leaking param: w"));
	finding_list_add(&head, mk("w.go", 127, "NewTestingWriter", "leaking param: t to result ~r0 level=0"));
	expect_renamed("renamed", &head, &base, NULL, "EEEE|");

	/* F keeps a finding: not gone, so x is fixed in F and new in G */
	finding_list_add(&base, mk("a.go", 3, "F", "leaking param: p"));
	finding_list_add(&base, mk("a.go", 4, "F", "moved to heap: x"));
	finding_list_add(&head, mk("a.go", 3, "F", "leaking param: p"));
	finding_list_add(&head, mk("a.go", 9, "G", "moved to heap: x"));
	expect_renamed("a function kept", &head, &base, NULL, "EN|F");

	/* two gone alike, one come: which it was is not known */
	finding_list_add(&base, mk("a.go", 3, "A", "leaking param: p"));
	finding_list_add(&base, mk("a.go", 6, "B", "leaking param: p"));
	finding_list_add(&head, mk("a.go", 3, "C", "leaking param: p"));
	expect_renamed("ambiguous", &head, &base, NULL, "N|A,B");

	/* other verdicts; another file; a verdict more */
	finding_list_add(&base, mk("a.go", 3, "A", "leaking param: p"));
	finding_list_add(&base, mk("a.go", 8, "D", "moved to heap: d"));
	finding_list_add(&base, mk("a.go", 12, "E", "moved to heap: e"));
	finding_list_add(&head, mk("a.go", 3, "B", "leaking param: q"));
	finding_list_add(&head, mk("b.go", 8, "D2", "moved to heap: d"));
	finding_list_add(&head, mk("a.go", 12, "E2", "moved to heap: e"));
	finding_list_add(&head, mk("a.go", 13, "E2", "moved to heap: f"));
	expect_renamed("not the same verdicts, file or count", &head, &base, NULL, "NNNN|A,D,E");

	/* a function made a method (zap 1.24's sinkRegistry): paired by its
	 * last name, verdict for verdict; the receiver's leak is new */
	finding_list_add(&base, mk("sink.go", 101, "newSink", "&errors.errorString{...} escapes to heap"));
	finding_list_add(&base, mk("sink.go", 98, "newSink", "leaking param: rawURL"));
	finding_list_add(&base, mk("sink.go", 116, "newFileSink", "leaking param: u"));
	finding_list_add(&head, mk("sink.go", 92, "(*sinkRegistry).newSink", "leaking param: sr"));
	finding_list_add(&head, mk("sink.go", 92, "(*sinkRegistry).newSink", "leaking param: rawURL"));
	finding_list_add(&head, mk("sink.go", 103, "(*sinkRegistry).newSink",
				   "&errors.errorString{...} escapes to heap"));
	expect_renamed("made a method", &head, &base, NULL, "NEE|newFileSink");
	/* two of that last name: which one it was is not known */
	finding_list_add(&base, mk("w.go", 5, "(*a).Write", "leaking param: p"));
	finding_list_add(&base, mk("w.go", 9, "(*b).Write", "leaking param: p"));
	finding_list_add(&head, mk("w.go", 5, "(*c).Write", "leaking param: p"));
	finding_list_add(&head, mk("w.go", 6, "(*c).Write", "moved to heap: x"));
	expect_renamed("two of one last name", &head, &base, NULL, "NN|(*a).Write,(*b).Write");

	/* a file the change moved to another package, its type renamed (zap
	 * 1.26's stacktrace.go made internal/stacktrace/stack.go) */
	{
		char *renames[] = { "stacktrace.go", "internal/stacktrace/stack.go" };
		struct change c;
		struct finding *f;

		memset(&c, 0, sizeof(c));
		c.renames = renames;
		c.renames_nr = 2;
		finding_list_add(&base, mk("stacktrace.go", 163, "(*stackFormatter).FormatFrame",
					   "leaking param content: sf"));
		finding_list_add(&base, mk("stacktrace.go", 165, "(*stackFormatter).FormatFrame",
					   "append escapes to heap"));
		f = mk("internal/stacktrace/stack.go", 170, "(*Formatter).FormatFrame", "leaking param content: sf");
		free(f->package);
		f->package = xstrdup("example.com/m/internal/stacktrace");
		finding_list_add(&head, f);
		f = mk("internal/stacktrace/stack.go", 172, "(*Formatter).FormatFrame", "append escapes to heap");
		free(f->package);
		f->package = xstrdup("example.com/m/internal/stacktrace");
		finding_list_add(&head, f);
		expect_renamed("moved to another package", &head, &base, &c, "EE|");
	}
	finding_list_release(&base);
}

/* A change of one file (p.go) with one hunk and its context lines. */
static void one_hunk(struct change *c, struct changed_file *cf, struct hunk *h,
		     int old_start, int old_lines, int new_start, int new_lines,
		     struct context_line *ctx, size_t ctx_nr)
{
	memset(c, 0, sizeof(*c));
	memset(cf, 0, sizeof(*cf));
	cf->path = "p.go";
	cf->old_path = "p.go";
	cf->status = 'M';
	*h = (struct hunk){ old_start, old_lines, new_start, new_lines };
	cf->hunks = h;
	cf->hunks_nr = 1;
	cf->context = ctx;
	cf->context_nr = ctx_nr;
	c->files = cf;
	c->files_nr = 1;
}

/* A finding of function P from "FILE:LINE:COL MESSAGE". */
static struct finding *parse_at(const char *spec)
{
	char file[16], message[64];
	int line, column;
	struct finding *f;

	if (sscanf(spec, "%15[^:]:%d:%d %63[^\n]", file, &line, &column, message) != 4)
		fail_msg("bad finding spec '%s'", spec);
	f = mk(file, line, "P", message);
	f->column = column;
	return f;
}

/* Statuses of `head` (N new, E existing), then "|" and the lines of the
 * base findings left fixed, after matching it with `base`. */
static void expect_statuses(const char *what, struct finding_list *head,
			    struct finding_list *base, const struct change *c, const char *want)
{
	struct finding_list fixed = FINDING_LIST_INIT;
	struct strbuf got = STRBUF_INIT;
	size_t i;

	compare_prehash(head); /* the review's path: keys hashed ahead */
	compare_fingerprint(head, NULL);
	compare_fingerprint(base, NULL);
	compare_match(head, base, &fixed, NULL, c);
	for (i = 0; i < head->nr; i++)
		strbuf_addch(&got, head->items[i]->status == STATUS_NEW ? 'N' : 'E');
	strbuf_addch(&got, '|');
	for (i = 0; i < fixed.nr; i++)
		strbuf_addf(&got, "%s%d", i ? "," : "", fixed.items[i]->line);
	/* the head's fingerprints stay distinct */
	for (i = 0; i < head->nr; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (!strcmp(head->items[i]->fingerprint, head->items[j]->fingerprint))
				fail_msg("%s: head findings %zu and %zu share a fingerprint", what, j, i);
	}
	if (strcmp(got.buf, want))
		fail_msg("%s: %s, not %s", what, got.buf, want);
	strbuf_release(&got);
	finding_list_release(head);
	finding_list_release(&fixed);
}

/* Equal findings of one function pair by line order; with the change, an
 * unpaired one whose line the change kept takes back its partner. */
static void test_match_kept_lines(void **state)
{
	/* findings "FILE:LINE:COL MESSAGE", the hunk of p.go, the statuses */
	static const struct {
		const char *what;
		int hunk[4];            /* old start, lines, new start, lines */
		int ctx;                /* with context lines 5 and 6 -> 9 */
		const char *head[3], *base[3];
		const char *want, *without; /* with the change, and without */
	} cases[] = {
		{ "three lines inserted after old 5 (no context): old 6 is new 9", { 5, 0, 6, 3 }, 0,
		  { "p.go:7:10 moved to heap: .autotmp_2", "p.go:8:2 moved to heap: y",
		    "p.go:9:9 moved to heap: .autotmp_3" },
		  { "p.go:6:9 moved to heap: .autotmp_2", "p.go:2:2 moved to heap: y" }, "NEE|", "EEN|" },
		{ "the same with context lines around the insertion", { 5, 2, 5, 5 }, 1,
		  { "p.go:7:10 moved to heap: .autotmp_2", "p.go:9:9 moved to heap: .autotmp_3" },
		  { "p.go:6:9 moved to heap: .autotmp_2" }, "NE|", "EN|" },
		{ "the partner's line rewritten: it keeps it; an unchanged line (old 11) is new",
		  { 6, 1, 6, 2 }, 0, { "p.go:6:9 moved to heap: x", "p.go:12:9 moved to heap: x" },
		  { "p.go:6:9 moved to heap: x" }, "EN|", "EN|" },
		{ "a file the change left alone: every line is where it was", { 6, 1, 6, 2 }, 0,
		  { "q.go:3:9 moved to heap: x", "q.go:6:9 moved to heap: x" },
		  { "q.go:6:9 moved to heap: x" }, "NE|", "EN|" },
		{ "same line, another column: not the same allocation", { 6, 1, 6, 2 }, 0,
		  { "q.go:3:9 moved to heap: x", "q.go:6:4 moved to heap: x" },
		  { "q.go:6:9 moved to heap: x" }, "EN|", "EN|" },
		{ "a chain: each unpaired one takes back its own", { 6, 1, 6, 2 }, 0,
		  { "q.go:2:9 moved to heap: x", "q.go:4:9 moved to heap: x", "q.go:6:9 moved to heap: x" },
		  { "q.go:4:9 moved to heap: x", "q.go:6:9 moved to heap: x" }, "NEE|", "EEN|" },
		{ "one position twice (two instantiations): no trade back and forth", { 6, 1, 6, 2 },
		  0, { "q.go:6:9 moved to heap: x", "q.go:6:9 moved to heap: x" },
		  { "q.go:6:9 moved to heap: x" }, "EN|", "EN|" },
		{ "old 3 removed above old 6 (now 5): the removed one is fixed", { 3, 1, 2, 0 }, 0,
		  { "p.go:5:9 moved to heap: x" },
		  { "p.go:3:9 moved to heap: x", "p.go:6:9 moved to heap: x" }, "E|3", "E|6" },
		{ "removed above two kept ones: each kept one takes its own", { 3, 1, 2, 0 }, 0,
		  { "p.go:5:9 moved to heap: x", "p.go:8:9 moved to heap: x" },
		  { "p.go:3:9 moved to heap: x", "p.go:6:9 moved to heap: x", "p.go:9:9 moved to heap: x" },
		  "EE|3", "EE|9" },
		{ "a file the change left alone, one gone above a kept one", { 6, 1, 6, 2 }, 0,
		  { "q.go:6:9 moved to heap: x" },
		  { "q.go:3:9 moved to heap: x", "q.go:6:9 moved to heap: x" }, "E|3", "E|6" },
	};
	struct context_line ctx[2] = { { 5, 5 }, { 9, 6 } };
	size_t k, i;
	int with;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (with = 0; with < 2; with++) {
			struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
			struct change c;
			struct changed_file cf;
			struct hunk h;

			one_hunk(&c, &cf, &h, cases[k].hunk[0], cases[k].hunk[1], cases[k].hunk[2],
				 cases[k].hunk[3], cases[k].ctx ? ctx : NULL, cases[k].ctx ? 2 : 0);
			for (i = 0; i < 3 && cases[k].head[i]; i++)
				finding_list_add(&head, parse_at(cases[k].head[i]));
			for (i = 0; i < 3 && cases[k].base[i]; i++)
				finding_list_add(&base, parse_at(cases[k].base[i]));
			expect_statuses(cases[k].what, &head, &base, with ? &c : NULL,
					with ? cases[k].want : cases[k].without);
		}
	}
	/* the kept one keeps the fingerprint it had at base: they trade */
	{
		struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
		struct finding_list fixed = FINDING_LIST_INIT;
		struct change c;
		struct changed_file cf;
		struct hunk h;
		char *at_base;

		one_hunk(&c, &cf, &h, 5, 0, 6, 3, NULL, 0);
		finding_list_add(&head, parse_at("p.go:7:10 moved to heap: .autotmp_2"));
		finding_list_add(&head, parse_at("p.go:9:9 moved to heap: .autotmp_3"));
		finding_list_add(&base, parse_at("p.go:6:9 moved to heap: .autotmp_2"));
		compare_fingerprint(&head, NULL);
		compare_fingerprint(&base, NULL);
		at_base = xstrdup(base.items[0]->fingerprint);
		assert_string_equal(head.items[0]->fingerprint, at_base); /* by line order */
		compare_match(&head, &base, &fixed, NULL, &c);
		assert_string_equal(head.items[1]->fingerprint, at_base);
		assert_string_not_equal(head.items[0]->fingerprint, at_base);
		free(at_base);
		finding_list_release(&head);
		finding_list_release(&fixed);
	}
}

static void test_new_line(void **state)
{
	struct change c;
	struct changed_file cf;
	struct hunk h;
	struct context_line ctx[3] = { { 10, 10 }, { 11, 11 }, { 14, 12 } };

	(void)state;
	one_hunk(&c, &cf, &h, 5, 0, 6, 3, NULL, 0);    /* 3 inserted after 5 */
	assert_int_equal(changed_file_new_line(&cf, 5), 5);
	assert_int_equal(changed_file_new_line(&cf, 6), 9);
	assert_int_equal(changed_file_new_line(&cf, 100), 103);
	one_hunk(&c, &cf, &h, 10, 3, 10, 5, ctx, 3);   /* 2 inserted above old 12 */
	assert_int_equal(changed_file_new_line(&cf, 9), 9);
	assert_int_equal(changed_file_new_line(&cf, 10), 10);
	assert_int_equal(changed_file_new_line(&cf, 11), 11);
	assert_int_equal(changed_file_new_line(&cf, 12), 14);
	assert_int_equal(changed_file_new_line(&cf, 13), 15);
	one_hunk(&c, &cf, &h, 4, 2, 3, 0, NULL, 0);    /* old 4 and 5 removed */
	assert_int_equal(changed_file_new_line(&cf, 3), 3);
	assert_int_equal(changed_file_new_line(&cf, 4), 0);
	assert_int_equal(changed_file_new_line(&cf, 5), 0);
	assert_int_equal(changed_file_new_line(&cf, 6), 4);
}

static char *tmpfile_path(void)
{
	char path[] = "/tmp/test_compare.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	return xstrdup(path);
}

static void write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(s, fp);
	fclose(fp);
}

static void test_cache_round_trip(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, r = FINDING_LIST_INIT;
	struct finding *f = mk("pkg/a b.go", 7, "(*T).M.func1", "\"x\\\"y\" escapes to heap");
	struct finding *g = finding_new();
	char *path = tmpfile_path();
	struct finding *x;

	(void)state;
	f->column = 13;
	f->verdict = VERDICT_LEAK_CONTENT;
	free(f->subject);
	f->subject = xstrdup("\"x\\\"y\"");
	f->source = xstrdup("\tsink = \"x\\\"y\" // é\t");
	f->source_above = xstrdup("");
	f->flow_truncated = 1;
	finding_add_step(f, "pkg/a b.go", 7, 13, "flow: {heap} = &x");
	finding_add_step(f, "$GOROOT/src/fmt/print.go", 300, 0, "from f(x) (call parameter)");
	f->facts.reasons = (1ULL << REASON_CALLEE_OPERAND) | (1ULL << REASON_ADDRESS_OF);
	f->facts.dsts = DST_HEAP | DST_NAMED;
	f->facts.steps = 9;
	f->facts.flows = 4;
	f->facts.derefs = 2;
	f->facts.cycle_warning = 1;
	f->facts.leak_dst = xstrdup("{storage for x}");
	flow_facts_add_callee(&f->facts, xstrdup("log.Printf"));
	flow_facts_add_callee(&f->facts, xstrdup("(*sync.Pool).Put"));
	f->fingerprint = xstrdup("not cached");
	/* classified (checklist_classify_finding): the rule, why and the bit are kept */
	f->rule = checklist_find("ER010")->id;
	f->why = xstrdup("the address of x is returned at a.go:9");
	f->allocates_nothing = 1;
	finding_list_add(&l, f);
	/* the minimum: file, message, subject; derefs -1 */
	g->file = xstrdup("b.go");
	g->message = xstrdup("moved to heap: y");
	g->subject = xstrdup("y");
	finding_list_add(&l, g);

	assert_int_equal(compare_cache_write(path, "key\n\"1\"", &l), 0);
	assert_int_equal(compare_cache_read(&r, path, "key\n\"1\""), 0);
	assert_int_equal(r.nr, 2);
	x = r.items[0];
	assert_string_equal(x->package, "example.com/m");
	assert_string_equal(x->file, "pkg/a b.go");
	assert_int_equal(x->line, 7);
	assert_int_equal(x->column, 13);
	assert_int_equal(x->verdict, VERDICT_LEAK_CONTENT);
	assert_string_equal(x->message, f->message);
	assert_string_equal(x->subject, "\"x\\\"y\"");
	assert_string_equal(x->function, "(*T).M.func1");
	assert_string_equal(x->source, f->source);
	assert_string_equal(x->source_above, "");
	assert_int_equal(x->flow_truncated, 1);
	assert_int_equal(x->flow_nr, 2);
	assert_string_equal(x->flow[1].file, "$GOROOT/src/fmt/print.go");
	assert_int_equal(x->flow[1].line, 300);
	assert_int_equal(x->flow[1].column, 0);
	assert_string_equal(x->flow[1].text, "from f(x) (call parameter)");
	assert_string_equal(x->flow[0].text, "flow: {heap} = &x");
	assert_true(x->facts.reasons == f->facts.reasons);
	assert_int_equal(x->facts.dsts, DST_HEAP | DST_NAMED);
	assert_int_equal(x->facts.steps, 9);
	assert_int_equal(x->facts.flows, 4);
	assert_int_equal(x->facts.derefs, 2);
	assert_int_equal(x->facts.cycle_warning, 1);
	assert_string_equal(x->facts.leak_dst, "{storage for x}");
	assert_int_equal(x->facts.callees_nr, 2);
	assert_string_equal(x->facts.callees[0], "log.Printf");
	assert_string_equal(x->facts.callees[1], "(*sync.Pool).Put");
	assert_ptr_equal(x->rule, checklist_find("ER010")->id);
	assert_string_equal(x->why, "the address of x is returned at a.go:9");
	assert_int_equal(x->allocates_nothing, 1);
	/* what a later stage sets is not cached */
	assert_null(x->fingerprint);
	assert_int_equal(x->severity, SEVERITY_NONE); /* the policy's, applied after */
	x = r.items[1];
	assert_null(x->rule);
	assert_null(x->why);
	assert_int_equal(x->allocates_nothing, 0);
	assert_null(x->package);
	assert_null(x->function);
	assert_null(x->source);
	assert_int_equal(x->facts.derefs, -1);
	assert_null(x->facts.leak_dst);
	assert_int_equal(x->flow_nr, 0);
	finding_list_release(&r);

	/* the entry as written: the header, the key, the count, one record a line */
	{
		struct strbuf sb = STRBUF_INIT;
		const char *p;

		assert_true(strbuf_read_file(&sb, path, 1 << 20) > 0);
		assert_true(strbuf_starts_with(&sb, "escape-review analysis cache 15\n7:key\n\"1\" \n2 "));
		/* the count, the body's checksum in 16 hex digits, the body */
		p = sb.buf + strlen("escape-review analysis cache 15\n7:key\n\"1\" \n2 ");
		assert_int_equal(strspn(p, "0123456789abcdef"), 16);
		assert_true(!strncmp(p + 16, "\n10:pkg/a b.go 13:example.com/m ", strlen("\n10:pkg/a b.go 13:example.com/m ")));
		/* the rest of a record as one string */
		assert_true(strbuf_ends_with(&sb, "\n4:b.go ~ ~ 16:moved to heap: y 1:y ~ 0 0 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \nend\n"));
		strbuf_release(&sb);
	}

	/* entries that cannot be trusted: ignored, saying why, adding nothing */
	{
		static const char *const bad[][2] = {
			{ "{\"version\":4,\"key\":\"k\",\"findings\":[]}", "it is not a version 15 cache entry" },
			{ "escape-review analysis cache 14\n1:k \n0\nend\n", "it is not a version 15 cache entry" },
			{ "escape-review analysis cache 15\n5:other \n0 0000000000000000\nend\n", "it was written for another key" },
			{ "escape-review analysis cache 15\n1:k \n0 0000000000000000\n", "it is truncated or corrupt (at byte 56)" },
			{ "escape-review analysis cache 15\n1:k \n0 0000000000000000\nend\nmore", "it is truncated or corrupt (at byte 56)" },
			{ "escape-review analysis cache 15\n9:k \n0 0000000000000000\nend\n", "it is truncated or corrupt (at byte 34)" },
			/* more records than the entry can hold; no checksum */
			{ "escape-review analysis cache 15\n1:k \n99 0000000000000000\nend\n", "it is truncated or corrupt (at byte 40)" },
			{ "escape-review analysis cache 15\n1:k \n0\nend\n", "it is truncated or corrupt (at byte 38)" },
			/* no file; a verdict out of range; a step count larger than the rest */
			{ "escape-review analysis cache 15\n1:k \n1 0000000000000000\n~ ~ ~ 1:m 1:s ~ 0 0 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \n"
			  "end\n", "it is truncated or corrupt (at byte 114)" },
			{ "escape-review analysis cache 15\n1:k \n1 0000000000000000\n4:a.go ~ ~ 1:m 1:s ~ 0 0 9 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \n"
			  "end\n", "it is truncated or corrupt (at byte 83)" },
			{ "escape-review analysis cache 15\n1:k \n1 0000000000000000\n4:a.go ~ ~ 1:m 1:s ~ 0 0 0 0 0 28:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 99  \n"
			  "end\n", "it is truncated or corrupt (at byte 118)" },
			/* a good entry whose checksum is not its body's */
			{ "escape-review analysis cache 15\n1:k \n1 0000000000000000\n4:a.go ~ ~ 1:m 1:s ~ 1 -7 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \n"
			  "end\n", "it is corrupt (its checksum is not its content's)" },
		};
		static const char *const good =
			"escape-review analysis cache 15\n1:k \n1 0000000000000000\n4:a.go ~ ~ 1:m 1:s ~ 1 -7 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \nend\n";
		size_t b, cut;

		for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			struct strbuf want = STRBUF_INIT;

			write_file(path, bad[b][0]);
			assert_int_equal(compare_cache_read(&r, path, "k"), ER_EINPUT);
			strbuf_addf(&want, "ignoring the analysis cache entry %s: %s", path, bad[b][1]);
			assert_string_equal(error_last(), want.buf);
			assert_int_equal(r.nr, 0);
			strbuf_release(&want);
		}
		/* the checksum is the format's: this entry's, computed as the
		 * entries written since format 15 compute it (68 bytes of
		 * body: two rounds of the four lanes and a tail), is taken */
		{
			static const char summed[] =
				"escape-review analysis cache 15\n1:k \n1 a358590b39d63fde\n4:a.go ~ ~ 1:m 1:s ~ 1 -7 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \nend\n";

			write_file(path, summed);
			assert_int_equal(compare_cache_read(&r, path, "k"), 0);
			assert_int_equal(r.nr, 1);
			assert_int_equal(r.items[0]->column, -7);
			finding_list_release(&r);
		}
		/* the fuzz target's entry point compares no key when given none */
		assert_int_equal(compare_cache_parse(&r, bad[2][0], strlen(bad[2][0]), NULL), 0);
		assert_int_equal(compare_cache_parse(&r, good, strlen(good), NULL), 0);
		assert_int_equal(r.nr, 1);
		assert_int_equal(r.items[0]->line, 1);
		assert_int_equal(r.items[0]->column, -7);
		assert_null(r.items[0]->rule);
		finding_list_release(&r);
		/* a rule this build does not know: the finding is classified again */
		{
			static const char unknown[] = "escape-review analysis cache 15\n1:k \n1 0000000000000000\n4:a.go ~ ~ 1:m 1:s "
						      "5:ER999 1 -7 0 0 0 31:~ ~ ~ 3:why 0 0 0 0 -1 ~ ~ 0 0  \nend\n";
			/* a rule without its sentence: never written, refused */
			static const char nowhy[] = "escape-review analysis cache 15\n1:k \n1 0000000000000000\n4:a.go ~ ~ 1:m 1:s "
						    "5:ER010 1 -7 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \nend\n";

			assert_int_equal(compare_cache_parse(&r, unknown, strlen(unknown), "k"), 0);
			assert_int_equal(r.nr, 1);
			assert_null(r.items[0]->rule);
			assert_null(r.items[0]->why);
			finding_list_release(&r);
			assert_int_equal(compare_cache_parse(&r, nowhy, strlen(nowhy), "k"), ER_EINPUT);
			assert_string_equal(error_last(), "it is truncated or corrupt (at byte 56)");
			assert_int_equal(r.nr, 0);
			error_clear();
		}
		/* every truncation of a good entry is refused, adding nothing */
		for (cut = 0; cut < strlen(good); cut++) {
			assert_int_equal(compare_cache_parse(&r, good, cut, "k"), ER_EINPUT);
			assert_int_equal(r.nr, 0);
		}
	}
	/* the round trip's entry cut anywhere (a disk full, a killed copy): refused */
	assert_int_equal(compare_cache_write(path, "k", &l), 0);
	{
		struct strbuf sb = STRBUF_INIT;
		size_t cut;

		assert_true(strbuf_read_file(&sb, path, 1 << 20) > 0);
		for (cut = 0; cut < sb.len; cut++) {
			assert_int_equal(compare_cache_parse(&r, sb.buf, cut, "k"), ER_EINPUT);
			assert_int_equal(r.nr, 0);
		}
		assert_int_equal(compare_cache_parse(&r, sb.buf, sb.len, "k"), 0);
		assert_int_equal(r.nr, 2);
		finding_list_release(&r);
		strbuf_release(&sb);
	}
	unlink(path);
	/* no entry: 1, nothing said */
	assert_int_equal(compare_cache_read(&r, path, "k"), 1);
	free(path);
	finding_list_release(&l);
}

static void test_baseline(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, h = FINDING_LIST_INIT;
	struct baseline b = BASELINE_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *path = tmpfile_path();
	size_t i;

	(void)state;
	finding_list_add(&l, mk("b.go", 9, "G", "moved to heap: b"));
	finding_list_add(&l, mk("a.go", 3, NULL, "leaking param: \"q\""));
	finding_list_add(&l, mk("c.go", 1, "H", "moved to heap: c"));
	finding_list_add(&l, mk("d.go", 1, "H", "no fingerprint"));
	finding_list_add(&l, mk("b.go", 9, "G", "moved to heap: b"));
	l.items[0]->fingerprint = xstrdup("00000000000000bb");
	l.items[0]->rule = "ER001";
	l.items[1]->fingerprint = xstrdup("00000000000000aa");
	l.items[2]->fingerprint = xstrdup("00000000000000cc");
	l.items[2]->rule = "ER017";
	l.items[4]->fingerprint = xstrdup("00000000000000bb");
	assert_int_equal(baseline_write(path, &l), 0);
	assert_true(strbuf_read_file(&sb, path, 1 << 20) > 0);
	assert_string_equal(sb.buf,
		"{\"version\": 1, \"findings\": [\n"
		"  {\"fingerprint\":\"00000000000000aa\",\"rule\":\"\",\"location\":\"a.go:3\",\"message\":\"leaking param: \\\"q\\\"\"},\n"
		"  {\"fingerprint\":\"00000000000000bb\",\"rule\":\"ER001\",\"location\":\"b.go:9 G\",\"message\":\"moved to heap: b\"},\n"
		"  {\"fingerprint\":\"00000000000000cc\",\"rule\":\"ER017\",\"location\":\"c.go:1 H\",\"message\":\"moved to heap: c\"}\n"
		"]}\n");

	assert_int_equal(baseline_read(&b, path), 0);
	assert_int_equal(b.nr, 3);
	assert_string_equal(b.fingerprints[0], "00000000000000aa");
	assert_string_equal(b.fingerprints[2], "00000000000000cc");
	assert_string_equal(b.lines[1],
		"{\"fingerprint\":\"00000000000000bb\",\"rule\":\"ER001\",\"location\":\"b.go:9 G\",\"message\":\"moved to heap: b\"}");

	finding_list_add(&h, mk("x.go", 1, "X", "x"));
	finding_list_add(&h, mk("y.go", 1, "Y", "y"));
	finding_list_add(&h, mk("z.go", 1, "Z", "z"));
	h.items[0]->fingerprint = xstrdup("00000000000000cc");
	h.items[1]->fingerprint = xstrdup("00000000000000dd");
	assert_int_equal(baseline_apply(&b, &h), 1);
	assert_int_equal(h.items[0]->status, STATUS_BASELINE);
	assert_int_equal(h.items[1]->status, STATUS_NEW);
	assert_int_equal(h.items[2]->status, STATUS_NEW);
	for (i = 0; i < 3; i++)
		assert_int_equal(b.seen[i], i == 2);
	baseline_release(&b);
	assert_int_equal(b.nr, 0);

	/* an empty list writes an empty baseline, which reads back */
	{
		struct finding_list none = FINDING_LIST_INIT;

		assert_int_equal(baseline_write(path, &none), 0);
		assert_int_equal(baseline_read(&b, path), 0);
		assert_int_equal(b.nr, 0);
		baseline_release(&b);
	}
	finding_list_release(&h);
	finding_list_release(&l);
	strbuf_release(&sb);
	unlink(path);
	/* a missing file is an empty baseline */
	assert_int_equal(baseline_read(&b, path), 0);
	assert_int_equal(b.nr, 0);
	baseline_release(&b);
	free(path);
}

static void test_baseline_malformed(void **state)
{
	static const char *const bad[] = {
		"not json",
		"[]",
		"{\"findings\": {}}",
		"{\"findings\": [{\"fingerprint\": \"aa\"}, {\"rule\": \"ER001\"}]}",
		"{\"findings\": [{\"fingerprint\": 12}]}",
	};
	char *path = tmpfile_path();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct baseline b = BASELINE_INIT;

		write_file(path, bad[i]);
		error_clear();
		assert_int_equal(baseline_read(&b, path), ER_EINPUT);
		assert_non_null(strstr(error_last(), path));
		assert_non_null(strstr(error_last(), i < 3 ? "is not an escape-review baseline"
							   : "without a \"fingerprint\""));
		baseline_release(&b);
	}
	/* the memory entry point names what it is given */
	{
		struct baseline b = BASELINE_INIT;

		assert_int_equal(baseline_parse(&b, "{}", 2, "<stdin>"), ER_EINPUT);
		assert_non_null(strstr(error_last(), "the baseline <stdin> is not"));
		baseline_release(&b);
	}
	unlink(path);
	free(path);
}

static struct finding *mkfp(const char *file, int line, const char *fp, const char *rule,
			    const char *message)
{
	struct finding *f = mk(file, line, "F", message);

	f->fingerprint = xstrdup(fp);
	f->rule = rule;
	return f;
}

#define ENTRY(fp, rule, loc, msg) \
	"  {\"fingerprint\":\"" fp "\",\"rule\":\"" rule "\",\"location\":\"" loc "\",\"message\":\"" msg "\"}"

/* The scope of a review: packages, patterns, nested modules, tests, rules
 * turned off, excluded paths, and locations with spaces. */
static void test_baseline_scope(void **state)
{
	static const char text[] = "{\"version\": 1, \"findings\": [\n"
		ENTRY("0000000000000001", "ER010", "a/x.go:3 F", "m") ",\n"
		ENTRY("0000000000000002", "ER010", "a/sub/y.go:3 F", "m") ",\n"
		ENTRY("0000000000000003", "ER010", "a/x_test.go:3 F", "m") ",\n"
		ENTRY("0000000000000004", "ER035", "a/x.go:9 G", "m") ",\n"
		ENTRY("0000000000000005", "ER010", "b/with space.go:12 (*T).M", "m") ",\n"
		ENTRY("0000000000000006", "ER010", "mod2/z.go:1", "m") ",\n"
		ENTRY("0000000000000007", "ER010", "mod2/gen/g.go:1", "m") ",\n"
		ENTRY("0000000000000008", "ER010", "x.go:1 main", "m") ",\n"
		"  {\"fingerprint\":\"0000000000000009\"}\n]}\n";
	struct baseline b = BASELINE_INIT;
	struct pkgset set = PKGSET_INIT;
	struct gomodule mods[2];
	char *pkgs0[] = { "./a", "./b" }, *pkgs1[] = { "./..." };
	struct config cfg;
	struct baseline_scope scope = { &set, 0, &cfg };
	size_t i;

	(void)state;
	config_init(&cfg);
	checklist_policy_set(&cfg.policy, "ER035", -1, 1);
	ALLOC_GROW(cfg.exclude, 1, cfg.exclude_alloc);
	cfg.exclude[cfg.exclude_nr++] = xstrdup("mod2/gen");
	memset(mods, 0, sizeof(mods));
	mods[0].dir = "";
	mods[0].pkgs = pkgs0;
	mods[0].pkgs_nr = 2;
	mods[1].dir = "mod2";
	mods[1].pkgs = pkgs1;
	mods[1].pkgs_nr = 1;
	set.mods = mods;
	set.nr = 2;

	assert_int_equal(baseline_parse(&b, text, strlen(text), "t.json"), 0);
	assert_int_equal(b.nr, 9);
	assert_string_equal(b.files[4], "b/with space.go");
	assert_string_equal(b.files[7], "x.go");
	assert_string_equal(b.files[8], "");
	assert_string_equal(b.rules[3], "ER035");
	baseline_set_scope(&b, &scope);
	{
		/* a/x.go in ./a; a/sub is another package; tests not analysed; ER035
		 * is off; b/ with a space; mod2/... covers mod2/z.go, but mod2/gen is
		 * excluded; x.go at the root is not in ./a or ./b; no location */
		static const unsigned char want[] = { 1, 0, 0, 0, 1, 1, 0, 0, 0 };

		for (i = 0; i < b.nr; i++)
			if (b.in_scope[i] != want[i])
				fail_msg("entry %zu (%s): in_scope %d", i, b.files[i], b.in_scope[i]);
	}
	/* stale: in scope and not seen */
	b.seen[0] = 1;
	assert_false(baseline_stale(&b, 0));
	assert_true(baseline_stale(&b, 4));
	assert_false(baseline_stale(&b, 3));
	scope.tests = 1;
	baseline_set_scope(&b, &scope);
	assert_int_equal(b.in_scope[2], 1);
	/* a module at the root with "./..." covers everything below it */
	pkgs0[0] = "./...";
	mods[0].pkgs_nr = 1;
	baseline_set_scope(&b, &scope);
	assert_int_equal(b.in_scope[1], 1);
	assert_int_equal(b.in_scope[7], 1);
	assert_int_equal(b.in_scope[3], 0);
	baseline_release(&b);
	config_release(&cfg);
}

/* baseline_update replaces the entries in scope, keeps the others byte for
 * byte, counts, and writes only when the text changes. */
static void test_baseline_update(void **state)
{
	static const char before[] = "{\"version\": 1, \"findings\": [\n"
		ENTRY("00000000000000a1", "ER010", "a/x.go:3 F", "gone") ",\n"
		ENTRY("00000000000000a2", "ER010", "a/x.go:5 F", "stays") ",\n"
		"  {\"fingerprint\":\"00000000000000b1\",\"rule\":\"ER001\",\"location\":\"b/y.go:1 G\",\"message\":\"other package\",\"note\":\"kept as written\"}\n"
		"]}\n";
	struct finding_list l = FINDING_LIST_INIT;
	struct pkgset set = PKGSET_INIT;
	struct gomodule mod;
	char *pkgs[] = { "./a" };
	struct baseline_scope scope = { &set, 0, NULL };
	struct baseline_update up;
	struct strbuf sb = STRBUF_INIT;
	char *path = tmpfile_path();

	(void)state;
	memset(&mod, 0, sizeof(mod));
	mod.dir = "";
	mod.pkgs = pkgs;
	mod.pkgs_nr = 1;
	set.mods = &mod;
	set.nr = 1;
	write_file(path, before);
	finding_list_add(&l, mkfp("a/x.go", 7, "00000000000000a2", "ER010", "stays"));
	finding_list_add(&l, mkfp("a/x.go", 9, "00000000000000a3", "ER012", "new"));
	finding_list_add(&l, mkfp("a/x.go", 11, "00000000000000a4", "ER012", "acknowledged"));
	l.items[2]->status = STATUS_ACKNOWLEDGED;

	assert_int_equal(baseline_update(&up, path, &l, &scope), 0);
	assert_int_equal(up.added, 1);
	assert_int_equal(up.removed, 1);
	assert_int_equal(up.kept, 1);
	assert_int_equal(up.total, 3);
	assert_true(up.written);
	assert_string_equal(up.removed_lines[0],
		"{\"fingerprint\":\"00000000000000a1\",\"rule\":\"ER010\",\"location\":\"a/x.go:3 F\",\"message\":\"gone\"}");
	assert_string_equal(up.added_lines[0],
		"{\"fingerprint\":\"00000000000000a3\",\"rule\":\"ER012\",\"location\":\"a/x.go:9 F\",\"message\":\"new\"}");
	baseline_update_release(&up);
	assert_true(strbuf_read_file(&sb, path, 1 << 20) > 0);
	assert_string_equal(sb.buf, "{\"version\": 1, \"findings\": [\n"
		ENTRY("00000000000000a2", "ER010", "a/x.go:7 F", "stays") ",\n"
		ENTRY("00000000000000a3", "ER012", "a/x.go:9 F", "new") ",\n"
		"  {\"fingerprint\":\"00000000000000b1\",\"rule\":\"ER001\",\"location\":\"b/y.go:1 G\",\"message\":\"other package\",\"note\":\"kept as written\"}\n"
		"]}\n");

	/* the same again: nothing to write */
	assert_int_equal(baseline_update(&up, path, &l, &scope), 0);
	assert_int_equal(up.added + up.removed, 0);
	assert_int_equal(up.total, 3);
	assert_false(up.written);
	baseline_update_release(&up);

	/* nothing analysed: nothing changes, whatever the findings say */
	set.nr = 0;
	finding_list_release(&l);
	assert_int_equal(baseline_update(&up, path, &l, &scope), 0);
	assert_int_equal(up.kept, 3);
	assert_int_equal(up.total, 3);
	assert_false(up.written);
	baseline_update_release(&up);

	/* a file that is not a baseline is left alone */
	write_file(path, "not json");
	assert_int_equal(baseline_update(&up, path, &l, &scope), ER_EINPUT);
	baseline_update_release(&up);
	strbuf_reset(&sb);
	assert_true(strbuf_read_file(&sb, path, 1 << 20) > 0);
	assert_string_equal(sb.buf, "not json");

	/* no file yet: everything is added */
	unlink(path);
	set.nr = 1;
	finding_list_add(&l, mkfp("a/x.go", 9, "00000000000000a3", "ER012", "new"));
	assert_int_equal(baseline_update(&up, path, &l, &scope), 0);
	assert_int_equal(up.added, 1);
	assert_int_equal(up.total, 1);
	assert_true(up.written);
	baseline_update_release(&up);

	finding_list_release(&l);
	strbuf_release(&sb);
	unlink(path);
	free(path);
}

static void write_lock(const char *path, const char *text, long age)
{
	struct utimbuf t;

	write_file(path, text);
	t.actime = t.modtime = time(NULL) - age;
	assert_int_equal(utime(path, &t), 0);
}

/* Lock files: exclusive, holder written, stale ones taken over, live ones
 * waited for and then named. */
static void test_lock(void **state)
{
	struct strbuf held = STRBUF_INIT, other = STRBUF_INIT, sb = STRBUF_INIT, want = STRBUF_INIT;
	char *base = tmpfile_path(), host[256];
	char *path = xmalloc(strlen(base) + 8);
	pid_t dead;

	(void)state;
	sprintf(path, "%s.lock", base);
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	host[sizeof(host) - 1] = '\0';
	setenv("ESCAPE_REVIEW_LOCK_TIMEOUT", "0", 1);

	assert_int_equal(compare_lock(&held, path), 0);
	assert_string_equal(held.buf, path);
	assert_true(strbuf_read_file(&sb, path, 1024) > 0);
	strbuf_addf(&want, "%ld %s\n", (long)getpid(), host);
	assert_string_equal(sb.buf, want.buf);
	/* held by a live process (this one): not taken, the process named */
	assert_int_equal(compare_lock(&other, path), ER_ERROR);
	strbuf_reset(&want);
	strbuf_addf(&want, "another escape-review run (process %ld) has held %s for more than 0 s; if no such run exists, remove the file",
		    (long)getpid(), path);
	assert_string_equal(error_last(), want.buf);
	assert_int_equal(other.len, 0);
	compare_unlock(&held);
	assert_int_equal(access(path, F_OK), -1);

	/* a process that is gone: stale */
	dead = fork();
	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%ld %s\n", (long)dead, host);
	write_lock(path, sb.buf, 0);
	assert_int_equal(compare_lock(&held, path), 0);
	compare_unlock(&held);

	/* another host's young lock is not judged; an old one is stale */
	write_lock(path, "1 another-host.example\n", 60);
	assert_int_equal(compare_lock(&held, path), ER_ERROR);
	write_lock(path, "1 another-host.example\n", 3 * 60 * 60);
	assert_int_equal(compare_lock(&held, path), 0);
	compare_unlock(&held);

	/* never written: stale once it is not being written any more */
	write_lock(path, "", 0);
	assert_int_equal(compare_lock(&held, path), ER_ERROR);
	write_lock(path, "", 60);
	assert_int_equal(compare_lock(&held, path), 0);
	compare_unlock(&held);
	/* nothing left beside it */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s.stale.%ld", path, (long)getpid());
	assert_int_equal(access(sb.buf, F_OK), -1);

	unsetenv("ESCAPE_REVIEW_LOCK_TIMEOUT");
	assert_int_equal(unlink(base), 0);
	strbuf_release(&sb);
	strbuf_release(&want);
	free(path);
	free(base);
}

/* The base cache key: a digest of all of it, GOTOOLCHAIN included. */
/* `set` of one module at the root with the one package `pkgs[0]` */
static void one_package(struct pkgset *set, struct gomodule *mod, char **pkgs)
{
	memset(mod, 0, sizeof(*mod));
	mod->dir = "";
	mod->pkgs = pkgs;
	mod->pkgs_nr = 1;
	set->mods = mod;
	set->nr = 1;
}

static void test_base_cache_key(void **state)
{
	struct base_cache bc;
	struct change ch;
	struct build_opts bo = { 0 };
	struct pkgset set = PKGSET_INIT;
	struct gomodule mod;
	char *pkgs[] = { "./a" };
	char first[128], *p;
	size_t i;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	one_package(&set, &mod, pkgs);
	/* --cache-dir first, then $ESCAPE_REVIEW_CACHE, then the git directory */
	setenv("ESCAPE_REVIEW_CACHE", "/ci/env-cache", 1);
	base_cache_init(&bc, "/repo/.git/", "/ci/cache//");
	assert_string_equal(bc.cache.buf, "/ci/cache");
	base_cache_release(&bc);
	base_cache_init(&bc, "/repo/.git/", NULL);
	assert_string_equal(bc.cache.buf, "/ci/env-cache");
	base_cache_release(&bc);
	setenv("ESCAPE_REVIEW_CACHE", "", 1);
	base_cache_init(&bc, "/repo/.git/", "");
	assert_string_equal(bc.cache.buf, "/repo/.git/escape-review/cache");
	base_cache_release(&bc);
	unsetenv("ESCAPE_REVIEW_CACHE");
	base_cache_init(&bc, "/repo/.git/", NULL);
	assert_string_equal(bc.dir.buf, "/repo/.git/escape-review/base");
	setenv("GOTOOLCHAIN", "local", 1);
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", NULL, &bo, &set);
	assert_non_null(strstr(bc.key.buf, "\ngo go1.19.8\n"));
	assert_non_null(strstr(bc.key.buf, "\nGOTOOLCHAIN=local\n"));
	assert_non_null(strstr(bc.key.buf, "\npackage :./a\n"));
	assert_true(starts_with(bc.path.buf, "/repo/.git/escape-review/cache/"));
	p = bc.path.buf + strlen("/repo/.git/escape-review/cache/");
	assert_int_equal(strlen(p), 40 + strlen(".findings"));
	for (i = 0; i < 40; i++)
		assert_non_null(strchr("0123456789abcdef", p[i]));
	snprintf(first, sizeof(first), "%s", bc.path.buf);
	/* the same key, the same entry */
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", NULL, &bo, &set);
	assert_string_equal(bc.path.buf, first);
	/* GOTOOLCHAIN, and the last package of the key, make another one */
	setenv("GOTOOLCHAIN", "go1.22.0", 1);
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", NULL, &bo, &set);
	assert_string_not_equal(bc.path.buf, first);
	unsetenv("GOTOOLCHAIN");
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", NULL, &bo, &set);
	snprintf(first, sizeof(first), "%s", bc.path.buf);
	pkgs[0] = "./b";
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", NULL, &bo, &set);
	assert_string_not_equal(bc.path.buf, first);
	/* the go command's own environment (go_env_key) and CC are part of it */
	snprintf(first, sizeof(first), "%s", bc.path.buf);
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", "GOVERSION=go1.19.8\nGOFLAGS=-tags=x\n",
			   &bo, &set);
	assert_non_null(strstr(bc.key.buf, "\ngo env:\nGOVERSION=go1.19.8\nGOFLAGS=-tags=x\npackage :./b\n"));
	assert_string_not_equal(bc.path.buf, first);
	snprintf(first, sizeof(first), "%s", bc.path.buf);
	setenv("CC", "clang", 1);
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", "GOVERSION=go1.19.8\nGOFLAGS=-tags=x\n",
			   &bo, &set);
	unsetenv("CC");
	assert_non_null(strstr(bc.key.buf, "\nCC=clang\n"));
	assert_string_not_equal(bc.path.buf, first);
	/* another tree, another entry */
	snprintf(first, sizeof(first), "%s", bc.path.buf);
	ch.merge_base_tree.id[0] = 1;
	base_cache_set_key(&bc, &ch.merge_base_tree, "go1.19.8", "GOVERSION=go1.19.8\nGOFLAGS=-tags=x\n",
			   &bo, &set);
	assert_string_not_equal(bc.path.buf, first);
	base_cache_release(&bc);
}

/* A cache in a new directory `dir` (a mkdtemp template), its key set for
 * `set` at the zero tree under go1.26.8. */
static void tmp_cache(struct base_cache *bc, char *dir, const struct pkgset *set, git_oid *tree)
{
	struct build_opts bo = { 0 };

	assert_non_null(mkdtemp(dir));
	memset(tree, 0, sizeof(*tree));
	base_cache_init(bc, "/repo/.git", dir);
	base_cache_set_key(bc, tree, "go1.26.8", "GOVERSION=go1.26.8\n", &bo, set);
}

/*
 * An entry read ahead under a key is what base_cache_read() gives for that
 * key (even once the file is gone), and nothing for another key (the file
 * is read); the go environment kept for the next run's guess.
 */
static void test_preread(void **state)
{
	struct base_cache bc;
	struct build_opts bo = { 0 };
	struct pkgset set = PKGSET_INIT;
	struct gomodule mod;
	struct finding_list l = FINDING_LIST_INIT, r = FINDING_LIST_INIT;
	struct strbuf raw = STRBUF_INIT, content = STRBUF_INIT, key = STRBUF_INIT;
	char dir[] = "/tmp/test_compare_pre.XXXXXX", *pkgs[] = { "./a" };
	git_oid tree;
	char first[256];

	(void)state;
	one_package(&set, &mod, pkgs);
	tmp_cache(&bc, dir, &set, &tree);
	finding_list_add(&l, mk("a/a.go", 3, "F", "moved to heap: x"));
	assert_int_equal(base_cache_write(&bc, &l), 0);
	snprintf(first, sizeof(first), "%s", bc.path.buf);

	/* read ahead, the file removed: the same key takes what was read */
	base_cache_preread(&bc);
	assert_int_equal(unlink(first), 0);
	assert_int_equal(base_cache_read(&r, &bc), 0);
	assert_int_equal(r.nr, 1);
	assert_string_equal(r.items[0]->message, "moved to heap: x");
	finding_list_release(&r);
	/* taken once: read again, it is the file's (gone) */
	assert_int_equal(base_cache_read(&r, &bc), 1);
	assert_int_equal(r.nr, 0);

	/* read ahead under one key, looked up under another: the file's */
	assert_int_equal(base_cache_write(&bc, &l), 0);
	base_cache_set_key(&bc, &tree, "go1.26.7", "GOVERSION=go1.26.7\n", &bo, &set);
	base_cache_preread(&bc);                       /* no such entry */
	base_cache_set_key(&bc, &tree, "go1.26.8", "GOVERSION=go1.26.8\n", &bo, &set);
	assert_int_equal(base_cache_read(&r, &bc), 0);
	assert_int_equal(r.nr, 1);
	finding_list_release(&r);

	/* a corrupt entry read ahead: its message when it is taken */
	write_file(first, "escape-review analysis cache 1\n");
	base_cache_preread(&bc);
	error_clear();
	assert_true(base_cache_read(&r, &bc) < 0);
	assert_non_null(strstr(error_last(), "it is not a version"));
	assert_int_equal(r.nr, 0);

	/* the go environment: none, then remembered, then replaced; with the
	 * key of what decided it after a NUL, or none (then "") */
	assert_int_equal(base_cache_recall_env(&raw, &key, &bc), -1);
	assert_int_equal(raw.len, 0);
	base_cache_remember_env(&bc, "go1.26.8\n/usr/local/go\n", NULL);
	assert_int_equal(base_cache_recall_env(&raw, &key, &bc), 0);
	assert_string_equal(raw.buf, "go1.26.8\n/usr/local/go\n");
	assert_string_equal(key.buf, "");
	strbuf_reset(&raw);
	base_cache_remember_env(&bc, "go1.26.8\n/usr/local/go\n", "k 1\n");
	assert_int_equal(base_cache_recall_env(&raw, &key, &bc), 0);
	assert_string_equal(raw.buf, "go1.26.8\n/usr/local/go\n");
	assert_string_equal(key.buf, "k 1\n");
	strbuf_reset(&raw);
	strbuf_reset(&key);
	base_cache_remember_env(&bc, "go1.26.9\n/usr/local/go\n", "k 2\n");
	assert_int_equal(base_cache_recall_env(&raw, NULL, &bc), 0);
	assert_string_equal(raw.buf, "go1.26.9\n/usr/local/go\n");
	strbuf_reset(&raw);
	snprintf(first, sizeof(first), "%s/go-env", dir);
	assert_int_equal(strbuf_read_file(&content, first, 1024), 28);
	assert_memory_equal(content.buf, "go1.26.9\n/usr/local/go\n\0k 2\n", 28);
	/* the same answer without a key: the key is dropped */
	base_cache_remember_env(&bc, "go1.26.9\n/usr/local/go\n", NULL);
	assert_int_equal(base_cache_recall_env(&raw, &key, &bc), 0);
	assert_string_equal(key.buf, "");
	strbuf_reset(&raw);
	strbuf_reset(&content);
	assert_true(strbuf_read_file(&content, first, 1024) > 0);
	assert_string_equal(content.buf, "go1.26.9\n/usr/local/go\n");
	assert_int_equal(content.len, 23);
	strbuf_release(&key);

	assert_int_equal(unlink(first), 0);             /* go-env */
	assert_int_equal(unlink(bc.path.buf), 0);       /* the entry */
	assert_int_equal(rmdir(dir), 0);                /* nothing else was left */
	finding_list_release(&l);
	base_cache_release(&bc);
	strbuf_release(&raw);
	strbuf_release(&content);
}

/* Everything a finding holds, for comparing a lazy read with a whole one. */
static void describe(struct strbuf *sb, const struct finding *f)
{
	size_t i;

	strbuf_addf(sb, "%s|%s|%s|%s|%s|%d:%d|%d|%s|%s|%s|%s|%s|%u%u%u%u%u|%d|", f->file,
		    f->package ? f->package : "-", f->function ? f->function : "-", f->message,
		    f->subject, f->line, f->column, (int)f->verdict, f->source ? f->source : "-",
		    f->source_above ? f->source_above : "-", f->zero_size ? f->zero_size : "-",
		    f->rule ? f->rule : "-", f->why ? f->why : "-", f->source_state,
		    f->source_above_state, f->in_init, f->in_loop, f->flow_truncated, f->loop_line);
	strbuf_addf(sb, "%llx %x %u %u %d %u %s %s", (unsigned long long)f->facts.reasons,
		    f->facts.dsts, f->facts.steps, f->facts.flows, f->facts.derefs,
		    f->facts.cycle_warning, f->facts.leak_dst ? f->facts.leak_dst : "-",
		    f->facts.func ? f->facts.func : "-");
	for (i = 0; i < f->facts.callees_nr; i++)
		strbuf_addf(sb, " callee %s", f->facts.callees[i]);
	for (i = 0; i < f->flow_nr; i++)
		strbuf_addf(sb, " [%s:%d:%d %s %s %u]", f->flow[i].file, f->flow[i].line,
			    f->flow[i].column, f->flow[i].text,
			    f->flow[i].inlined ? f->flow[i].inlined : "-", f->flow[i].outside);
	strbuf_addch(sb, '\n');
}

/*
 * A lazy read (base_cache.lazy): the fields matching, the mode and the
 * policy read are there at once, the rest only after
 * compare_cache_complete(), and then the finding is the whole read's; a
 * finding freed before it is completed, the entry removed meanwhile, a
 * corrupt rest (the entry refused as a whole read refuses it), a rule
 * without its sentence (refused alike).
 */
/* A finding of `mk` with its verdict and line text. */
static struct finding *mk_src(int line, const char *function, enum verdict v, const char *message,
			      const char *source)
{
	struct finding *f = mk("v.go", line, function, message);

	f->verdict = v;
	f->source = xstrdup(source);
	return f;
}

/*
 * A line changed only by renaming a name (a variable, a parameter, a field,
 * a size): its finding is the base's under the new name, and takes the
 * base's fingerprint; a line changed besides, two names changed, the name
 * renamed otherwise in the message, a number, another function or verdict
 * are new and fixed.
 */
static void test_match_renamed_names(void **state)
{
	static const struct {
		const char *what, *hsrc, *hmsg, *want;
		enum verdict hv;
		const char *hfunc;
	} cases[] = {
		{ "a variable", "\tval := &T{n}", "moved to heap: val", "E|", VERDICT_MOVED, "Make" },
		{ "another function", "\tval := &T{n}", "moved to heap: val", "N|Make", VERDICT_MOVED, "Other" },
		{ "another verdict", "\tval := &T{n}", "val escapes to heap", "N|Make", VERDICT_ESCAPES, "Make" },
		{ "the line changed besides", "\tval := &T{n + 1}", "moved to heap: val", "N|Make", VERDICT_MOVED, "Make" },
		{ "two names", "\tval := &U{n}", "moved to heap: val", "N|Make", VERDICT_MOVED, "Make" },
		{ "the message renamed otherwise", "\tval := &T{n}", "moved to heap: y", "N|Make", VERDICT_MOVED, "Make" },
		{ "a name in a longer one", "\txx := &T{n}", "moved to heap: xx", "E|", VERDICT_MOVED, "Make" },
	};
	struct finding_list head = FINDING_LIST_INIT, base = FINDING_LIST_INIT;
	struct finding_list fixed = FINDING_LIST_INIT;
	struct base_cache bc;
	struct pkgset set = PKGSET_INIT;
	struct gomodule mod;
	char dir[] = "/tmp/test_compare_names.XXXXXX", *pkgs[] = { "./a" }, *fp;
	git_oid tree;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf what = STRBUF_INIT;

		finding_list_add(&base, mk_src(10, "Make", VERDICT_MOVED, "moved to heap: x", "\tx := &T{n}"));
		finding_list_add(&head, mk_src(11, cases[i].hfunc, cases[i].hv, cases[i].hmsg, cases[i].hsrc));
		strbuf_addf(&what, "renamed names: %s", cases[i].what);
		expect_renamed(what.buf, &head, &base, NULL, cases[i].want);
		strbuf_release(&what);
	}

	/* a parameter, a field, a size; a number is not a name */
	finding_list_add(&base, mk_src(3, "Keep", VERDICT_LEAK_PARAM, "leaking param: p", "func Keep(p *T) { sink = p }"));
	finding_list_add(&base, mk_src(5, "Make", VERDICT_ESCAPES, "v.a escapes to heap", "\tfmt.Println(v.a)"));
	finding_list_add(&base, mk_src(6, "Make", VERDICT_ESCAPES, "make([]byte, n) escapes to heap", "\tb := make([]byte, n)"));
	finding_list_add(&base, mk_src(7, "Make", VERDICT_ESCAPES, "make([]int, 10) escapes to heap", "\tc := make([]int, 10)"));
	finding_list_add(&head, mk_src(3, "Keep", VERDICT_LEAK_PARAM, "leaking param: q", "func Keep(q *T) { sink = q }"));
	finding_list_add(&head, mk_src(5, "Make", VERDICT_ESCAPES, "v.b escapes to heap", "\tfmt.Println(v.b)"));
	finding_list_add(&head, mk_src(6, "Make", VERDICT_ESCAPES, "make([]byte, size) escapes to heap", "\tb := make([]byte, size)"));
	finding_list_add(&head, mk_src(7, "Make", VERDICT_ESCAPES, "make([]int, 20) escapes to heap", "\tc := make([]int, 20)"));
	compare_fingerprint(&base, NULL);
	fp = xstrdup(base.items[0]->fingerprint);
	compare_fingerprint(&head, NULL);
	assert_string_not_equal(head.items[0]->fingerprint, fp);
	compare_match(&head, &base, &fixed, NULL, NULL);
	assert_int_equal(head.items[0]->status, STATUS_EXISTING);
	assert_string_equal(head.items[0]->fingerprint, fp); /* the base's */
	assert_int_equal(head.items[1]->status, STATUS_EXISTING);
	assert_int_equal(head.items[2]->status, STATUS_EXISTING);
	assert_int_equal(head.items[3]->status, STATUS_NEW);
	assert_int_equal(fixed.nr, 1);
	assert_string_equal(fixed.items[0]->message, "make([]int, 10) escapes to heap");
	free(fp);
	finding_list_release(&head);
	finding_list_release(&fixed);

	/* a line kept: a name renamed where it calls (a variable of a function
	 * inlined there) pairs, one operand for another of the line does not */
	finding_list_add(&base, mk_src(93, "NewLogger", VERDICT_MOVED, "moved to heap: zap.copy", "\treturn zap.NewLogger(l)"));
	finding_list_add(&base, mk_src(145, "Sugar", VERDICT_MOVED, "moved to heap: copy", "\tcore := log.clone().core"));
	finding_list_add(&base, mk_src(94, "Log", VERDICT_ESCAPES, "a escapes to heap", "\tf(a, b)"));
	finding_list_add(&base, mk_src(95, "Put", VERDICT_ESCAPES, "c escapes to heap", "\tg(d)"));
	finding_list_add(&head, mk_src(93, "NewLogger", VERDICT_MOVED, "moved to heap: zap.clone", "\treturn zap.NewLogger(l)"));
	finding_list_add(&head, mk_src(145, "Sugar", VERDICT_MOVED, "moved to heap: clone", "\tcore := log.clone().core"));
	finding_list_add(&head, mk_src(94, "Log", VERDICT_ESCAPES, "b escapes to heap", "\tf(a, b)"));
	finding_list_add(&head, mk_src(95, "Put", VERDICT_ESCAPES, "d escapes to heap", "\tg(d)"));
	expect_renamed("renamed names: a line kept", &head, &base, NULL, "EENN|Log,Put");

	/* a file the change moved (to another package: zap 1.26's
	 * stacktrace.go), its type renamed on the line: paired through the
	 * change's renames, not without them */
	{
		char *renames[] = { "stacktrace.go", "internal/stacktrace/stack.go" };
		struct change c;
		int k;

		memset(&c, 0, sizeof(c));
		c.renames = renames;
		c.renames_nr = 2;
		for (k = 0; k < 2; k++) {
			struct finding *f = mk_src(34, "glob..func1", VERDICT_ESCAPES, "&Stack{...} escapes to heap",
						   "\treturn &Stack{");

			finding_list_add(&base, mk_src(32, "glob..func1", VERDICT_ESCAPES,
						       "&stacktrace{...} escapes to heap", "\treturn &stacktrace{"));
			free(base.items[0]->file);
			base.items[0]->file = xstrdup("stacktrace.go");
			free(f->file);
			f->file = xstrdup("internal/stacktrace/stack.go");
			free(f->package);
			f->package = xstrdup("example.com/m/internal/stacktrace");
			finding_list_add(&head, f);
			expect_renamed(k ? "renamed names: a file moved, through its rename"
					 : "renamed names: a file moved, without its rename",
				       &head, &base, k ? &c : NULL, k ? "E|" : "N|glob..func1");
		}
	}

	/* both read lazily from a cache entry: their lines are in the rest */
	one_package(&set, &mod, pkgs);
	tmp_cache(&bc, dir, &set, &tree);
	finding_list_add(&base, mk_src(10, "Make", VERDICT_MOVED, "moved to heap: x", "\tx := &T{n}"));
	assert_int_equal(base_cache_write(&bc, &base), 0);
	finding_list_release(&base);
	bc.lazy = 1;
	assert_int_equal(base_cache_read(&base, &bc), 0);
	finding_list_add(&head, mk_src(10, "Make", VERDICT_MOVED, "moved to heap: val", "\tval := &T{n}"));
	assert_int_equal(base_cache_write(&bc, &head), 0);
	finding_list_release(&head);
	assert_int_equal(base_cache_read(&head, &bc), 0);
	assert_non_null(base.items[0]->deferred);
	assert_non_null(head.items[0]->deferred);
	assert_null(head.items[0]->source);
	expect_renamed("renamed names, read lazily", &head, &base, NULL, "E|");
	assert_int_equal(unlink(bc.path.buf), 0);
	assert_int_equal(rmdir(dir), 0);
	base_cache_release(&bc);
}

static void test_lazy_read(void **state)
{
	struct base_cache bc;
	struct pkgset set = PKGSET_INIT;
	struct gomodule mod;
	struct finding_list l = FINDING_LIST_INIT, whole = FINDING_LIST_INIT, lazy = FINDING_LIST_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, entry = STRBUF_INIT;
	char dir[] = "/tmp/test_compare_lazy.XXXXXX", *pkgs[] = { "./a" };
	struct finding *f;
	git_oid tree;
	size_t i;
	char *p;

	(void)state;
	one_package(&set, &mod, pkgs);
	tmp_cache(&bc, dir, &set, &tree);
	for (i = 0; i < 3; i++) {
		f = mk("a/a.go", 3 + (int)i, "F", i ? "moved to heap: x" : "leaking param: p");
		f->verdict = i ? VERDICT_MOVED : VERDICT_LEAK_PARAM;
		f->source = xstrdup("\tx := 1");
		f->zero_size = i == 2 ? xstrdup("Path") : NULL;
		f->source_state = 1;
		f->in_loop = 1;
		f->loop_line = 2;
		f->rule = checklist_find("ER001")->id;
		f->why = xstrdup("x is moved");
		f->facts.reasons = 1ULL << REASON_ADDRESS_OF;
		f->facts.derefs = 0;
		f->facts.leak_dst = xstrdup("{heap}");
		flow_facts_add_callee(&f->facts, xstrdup("log.Printf"));
		finding_step_set_inlined(f, finding_add_step(f, "a/a.go", 4, 2, "flow: {heap} = &x"),
					 "log.Printf");
		finding_add_step(f, "$GOROOT/src/fmt/print.go", 300, 0, "from f(x) (call parameter)")->outside = 1;
		finding_list_add(&l, f);
	}
	assert_int_equal(base_cache_write(&bc, &l), 0);
	assert_int_equal(base_cache_read(&whole, &bc), 0);
	bc.lazy = 1;
	assert_int_equal(base_cache_read(&lazy, &bc), 0);
	assert_int_equal(lazy.nr, 3);
	/* at once: what matching, the mode and the policy read */
	f = lazy.items[1];
	assert_non_null(f->deferred);
	assert_string_equal(f->deferred->name, bc.path.buf); /* what a message names */
	assert_string_equal(f->file, "a/a.go");
	assert_string_equal(f->package, "example.com/m");
	assert_string_equal(f->function, "F");
	assert_string_equal(f->message, "moved to heap: x");
	assert_int_equal(f->line, 4);
	assert_ptr_equal(f->rule, checklist_find("ER001")->id);
	assert_int_equal(f->in_loop, 1);
	assert_null(f->source);
	assert_null(f->why);
	assert_int_equal(f->flow_nr, 0);
	assert_int_equal(f->facts.callees_nr, 0);
	/* the entry may go: the findings keep their mapping */
	assert_int_equal(unlink(bc.path.buf), 0);
	/* freed before it is read: its reference goes with it */
	finding_free(lazy.items[0]);
	lazy.items[0] = lazy.items[2];
	lazy.nr = 2;
	finding_free(whole.items[0]);
	whole.items[0] = whole.items[2];
	whole.nr = 2;
	for (i = 0; i < lazy.nr; i++) {
		assert_int_equal(compare_cache_complete(lazy.items[i]), 1);
		assert_null(lazy.items[i]->deferred);
		assert_int_equal(compare_cache_complete(lazy.items[i]), 0);
		describe(&a, whole.items[i]);
		describe(&b, lazy.items[i]);
	}
	assert_string_equal(b.buf, a.buf);
	assert_non_null(strstr(a.buf, "[a/a.go:4:2 flow: {heap} = &x log.Printf 0]"));
	assert_non_null(strstr(a.buf, "|Path|ER001|x is moved|"));
	finding_list_release(&lazy);
	finding_list_release(&whole);

	/* a changed byte in a rest, which a lazy read does not parse: the
	 * checksum refuses the entry whole, as a whole read refuses it */
	assert_int_equal(base_cache_write(&bc, &l), 0);
	assert_true(strbuf_read_file(&entry, bc.path.buf, 1 << 20) > 0);
	p = strstr(entry.buf, "26:from f(x) (call parameter) ");
	assert_non_null(p);
	p[3] = 'F';
	write_file(bc.path.buf, entry.buf);
	error_clear();
	assert_int_equal(base_cache_read(&lazy, &bc), ER_EINPUT);
	assert_non_null(strstr(error_last(), ": it is corrupt (its checksum is not its content's)"));
	assert_int_equal(lazy.nr, 0);
	bc.lazy = 0;
	assert_int_equal(base_cache_read(&whole, &bc), ER_EINPUT);
	assert_int_equal(whole.nr, 0);

	/* a rest that does not parse behind a right checksum (written on
	 * purpose; the parser's own entry point does not check sums): a whole
	 * read refuses it, a lazy one says so when it reads the rest, and the
	 * finding keeps what it has */
	{
		static const char forged[] = "escape-review analysis cache 15\n1:k \n1 0000000000000000\n"
			"4:a.go ~ ~ 1:m 1:s 5:ER001 1 -7 0 0 0 27:~ ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 9  \nend\n";
		struct finding_deferred owner = { 1, NULL, "forged.findings" };

		assert_int_equal(compare_cache_parse(&whole, forged, strlen(forged), "k"), ER_EINPUT);
		assert_int_equal(whole.nr, 0);
		assert_int_equal(compare_cache_parse_lazy(&lazy, forged, strlen(forged), "k", &owner), 0);
		assert_int_equal(lazy.nr, 1);
		assert_int_equal(owner.refs, 2);
		assert_int_equal(compare_cache_complete(lazy.items[0]), ER_EINPUT);
		assert_string_equal(error_last(), "the analysis cache entry forged.findings: the record of a.go:1 does not parse (at byte 27 of its rest), so it is shown without its explanation; delete the entry to analyse that revision again");
		assert_int_equal(owner.refs, 1);
		assert_string_equal(lazy.items[0]->message, "m");
		assert_int_equal(lazy.items[0]->flow_nr, 0);
		finding_list_release(&lazy);
		error_clear();
	}
	/* a rule without its sentence (never written): a whole read refuses
	 * it; a lazy one, which used the rule before it read the rest, says
	 * so when it reads it, and the finding keeps its rule and source
	 * (tests/fuzz/regress/compare/rule-without-sentence) */
	{
		static const char nowhy[] = "escape-review analysis cache 15\n1:k \n1 0000000000000000\n"
			"4:a.go ~ ~ 1:m 1:s 5:ER001 1 -7 0 0 0 31:3:x:1 ~ ~ ~ 0 0 0 0 -1 ~ ~ 0 0  \nend\n";
		struct finding_deferred owner = { 1, NULL, "nowhy.findings" };

		assert_int_equal(compare_cache_parse(&whole, nowhy, strlen(nowhy), "k"), ER_EINPUT);
		assert_string_equal(error_last(), "it is truncated or corrupt (at byte 56)");
		assert_int_equal(whole.nr, 0);
		error_clear();
		assert_int_equal(compare_cache_parse_lazy(&lazy, nowhy, strlen(nowhy), "k", &owner), 0);
		assert_int_equal(lazy.nr, 1);
		assert_ptr_equal(lazy.items[0]->rule, checklist_find("ER001")->id);
		assert_int_equal(compare_cache_complete(lazy.items[0]), ER_EINPUT);
		assert_string_equal(error_last(), "the analysis cache entry nowhy.findings: the record of a.go:1 names rule ER001 without its sentence, so it is shown without its explanation; delete the entry to analyse that revision again");
		assert_int_equal(owner.refs, 1);
		assert_ptr_equal(lazy.items[0]->rule, checklist_find("ER001")->id);
		assert_null(lazy.items[0]->why);
		assert_string_equal(lazy.items[0]->source, "x:1");
		finding_list_release(&lazy);
		error_clear();
	}

	/* read ahead lazily, then completed */
	assert_int_equal(base_cache_write(&bc, &l), 0);
	bc.lazy = 1;
	base_cache_preread(&bc);
	assert_int_equal(base_cache_read(&lazy, &bc), 0);
	assert_int_equal(lazy.nr, 3);
	assert_non_null(lazy.items[2]->deferred);
	assert_int_equal(compare_cache_complete(lazy.items[2]), 1);
	assert_string_equal(lazy.items[2]->zero_size, "Path");
	assert_int_equal(lazy.items[2]->flow_nr, 2);
	finding_list_release(&lazy);

	assert_int_equal(unlink(bc.path.buf), 0);
	assert_int_equal(rmdir(dir), 0);
	finding_list_release(&l);
	base_cache_release(&bc);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&entry);
}

/*
 * The file digests kept next to an entry: read back as written (a mixed
 * path left out), refused for another key, when malformed or when a path
 * comes twice (the list it was to fill unchanged), none when missing.
 */
static void test_digests_file(void **state)
{
	struct base_cache bc;
	struct pkgset set = PKGSET_INIT;
	struct gomodule mod;
	struct parse_digest_list l = PARSE_DIGEST_LIST_INIT, r = PARSE_DIGEST_LIST_INIT;
	struct strbuf path = STRBUF_INIT, raw = STRBUF_INIT, bad = STRBUF_INIT, key = STRBUF_INIT;
	char dir[] = "/tmp/test_compare_dig.XXXXXX", *pkgs[] = { "./a" }, *at;
	const struct parse_digest *d;
	git_oid tree;

	(void)state;
	one_package(&set, &mod, pkgs);
	tmp_cache(&bc, dir, &set, &tree);
	assert_int_equal(base_cache_read_digests(&r, &bc), 1); /* none yet */
	parse_digest_list_add(&l, "a/b.go", 0x0123456789abcdefULL, 7, 0);
	parse_digest_list_add(&l, "a/a.go", 0xfedcba9876543210ULL, 12, 0);
	parse_digest_list_add(&l, "a/with space.go", 1, 1, 0);
	parse_digest_list_add(&l, "a/x.go", 2, 3, 1); /* mixed: not written */
	assert_int_equal(base_cache_write_digests(&bc, &l), 0);
	assert_int_equal(base_cache_read_digests(&r, &bc), 0);
	assert_int_equal(r.nr, 3);
	assert_string_equal(r.v[0].path, "a/a.go");
	assert_true(r.v[0].digest == 0xfedcba9876543210ULL);
	assert_int_equal(r.v[0].lines, 12);
	assert_non_null(d = parse_digest_list_find(&r, "a/b.go"));
	assert_true(d->digest == 0x0123456789abcdefULL);
	assert_int_equal(d->lines, 7);
	assert_int_equal(d->mixed, 0);
	assert_non_null(parse_digest_list_find(&r, "a/with space.go"));
	assert_null(parse_digest_list_find(&r, "a/x.go"));
	parse_digest_list_release(&r);
	/* where it is: .KEYDIGEST.digests beside KEYDIGEST.findings */
	at = strrchr(bc.path.buf, '/');
	strbuf_add(&path, bc.path.buf, (size_t)(at + 1 - bc.path.buf));
	strbuf_addf(&path, ".%.*s.digests", (int)(strlen(at + 1) - 9), at + 1);
	assert_true(strbuf_read_file(&raw, path.buf, 1 << 20) > 0);
	assert_true(starts_with(raw.buf, "escape-review file digests 1\n"));
	assert_non_null(strstr(raw.buf, "\nfedcba9876543210 12 "));
	assert_true(ends_with(raw.buf, "end\n"));
	/* another key: refused, nothing added */
	strbuf_addbuf(&key, &bc.key);
	strbuf_addstr(&bc.key, "x");
	assert_true(base_cache_read_digests(&r, &bc) < 0);
	assert_int_equal(r.nr, 0);
	{ /* it names the file, what follows, and the entry to delete */
		struct strbuf want = STRBUF_INIT;

		strbuf_addf(&want, "ignoring the file digests %s: not written for this cache entry, so the head's files are read whole; delete %s to have the base analysed and both written again",
			    path.buf, bc.path.buf);
		assert_string_equal(error_last(), want.buf);
		strbuf_release(&want);
		error_clear();
	}
	strbuf_reset(&bc.key);
	strbuf_addbuf(&bc.key, &key);
	/* a bad hex digit, a line cut short, a path twice: refused */
	{
		const char *from[] = { "fedcba9876543210 12", "fedcba9876543210 12", "0123456789abcdef 7 " };
		const char *to[] = { "fedcba98765432g0 12", "fedcba9876543210", NULL };
		size_t i;

		for (i = 0; i < 3; i++) {
			strbuf_reset(&bad);
			strbuf_addbuf(&bad, &raw);
			at = strstr(bad.buf, from[i]);
			assert_non_null(at);
			if (to[i]) {
				size_t n = strlen(from[i]), m = strlen(to[i]);
				struct strbuf t = STRBUF_INIT;

				strbuf_add(&t, bad.buf, (size_t)(at - bad.buf));
				strbuf_add(&t, to[i], m);
				strbuf_addstr(&t, at + n);
				strbuf_reset(&bad);
				strbuf_addbuf(&bad, &t);
				strbuf_release(&t);
			} else { /* a/a.go's line again, after b.go's */
				char *nl = strchr(strstr(bad.buf, "fedcba9876543210"), '\n');
				struct strbuf t = STRBUF_INIT;
				const char *line = strstr(bad.buf, "fedcba9876543210");

				strbuf_add(&t, bad.buf, (size_t)(strstr(bad.buf, "end\n") - bad.buf));
				strbuf_add(&t, line, (size_t)(nl + 1 - line));
				strbuf_addstr(&t, "end\n");
				strbuf_reset(&bad);
				strbuf_addbuf(&bad, &t);
				strbuf_release(&t);
			}
			assert_int_equal(write_file_atomically(path.buf, &bad), 0);
			assert_true(base_cache_read_digests(&r, &bc) < 0);
			assert_int_equal(r.nr, 0);
		}
	}
	assert_int_equal(unlink(path.buf), 0);
	assert_int_equal(rmdir(dir), 0);
	parse_digest_list_release(&l);
	strbuf_release(&path);
	strbuf_release(&raw);
	strbuf_release(&bad);
	strbuf_release(&key);
	base_cache_release(&bc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_value),
		cmocka_unit_test(test_fingerprint_stability),
		cmocka_unit_test(test_fingerprint_subjects),
		cmocka_unit_test(test_occurrence),
		cmocka_unit_test(test_prehash),
		cmocka_unit_test(test_occurrence_decimal),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_leak_now_moved),
		cmocka_unit_test(test_match_kept_lines),
		cmocka_unit_test(test_match_renamed),
		cmocka_unit_test(test_match_renamed_names),
		cmocka_unit_test(test_new_line),
		cmocka_unit_test(test_cache_round_trip),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_malformed),
		cmocka_unit_test(test_baseline_scope),
		cmocka_unit_test(test_baseline_update),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_base_cache_key),
		cmocka_unit_test(test_preread),
		cmocka_unit_test(test_digests_file),
		cmocka_unit_test(test_lazy_read),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
