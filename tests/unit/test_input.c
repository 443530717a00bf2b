/*
 * test_input.c: --input read by input_read() in a temporary directory: the
 * callback gets each package block once it ended, with its paths placed
 * under the root, from a second thread; findings keep the log's order;
 * what the callback drops is not counted as outside; a log whose findings
 * all lie outside is ER_EINPUT naming how many, and --mode all (keep)
 * keeps them as written.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "input.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

static char root[64];

static char *put_log(const char *name, const char *text)
{
	char *p = path_join(root, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

struct seen {
	pthread_t reader;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int batches, other_thread;
	int styles[3];         /* batches by the flow style they came with */
	struct strbuf files;   /* "batch: FILE:LINE ...\n" as the callback saw them */
};

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->reader = pthread_self();
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	strbuf_init(&s->files, 0);
}

static void seen_release(struct seen *s)
{
	strbuf_release(&s->files);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
}

/* The callback (two threads may call it at once). */
static void record(void *data, struct finding_list *l, enum parse_flow_style style)
{
	struct seen *s = data;
	size_t i, k = 0;
	int mine = pthread_equal(pthread_self(), s->reader);

	pthread_mutex_lock(&s->lock);
	if (mine) {
		/* the reading thread, draining: let the worker show up first
		 * (5 s at most, not to hang on a broken worker) */
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		while (!s->other_thread &&
		       pthread_cond_timedwait(&s->cond, &s->lock, &until) == 0)
			;
	} else {
		s->other_thread++;
		pthread_cond_broadcast(&s->cond);
	}
	s->batches++;
	s->styles[style]++;
	strbuf_addf(&s->files, "batch:");
	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];

		strbuf_addf(&s->files, " %s:%d", f->file, f->line);
		if (strstr(f->message, "dropme")) {
			finding_free(f);
			continue;
		}
		l->items[k++] = f;
	}
	l->nr = k;
	strbuf_addch(&s->files, '\n');
	pthread_mutex_unlock(&s->lock);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s", "/tmp/er-test-input.XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *argv[] = { "rm", "-rf", root, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	(void)state;
	cp.argv = argv;
	return child_run(&cp);
}

static void test_batches_in_order(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct seen s;
	struct strbuf log = STRBUF_INIT;
	char *path;

	(void)state;
	strbuf_addf(&log, "# example.com/a\n"
		    "%s/a/a.go:3:2: moved to heap: x\n"
		    "%s/a/a.go:7:9: &dropme escapes to heap\n"
		    "# example.com/b\n"
		    "%s/b/b.go:4:6: leaking param: p\n"
		    "/elsewhere/c.go:1:1: moved to heap: z\n"
		    "%s/b/b.go:2:2: moved to heap: y\n", root, root, root, root);
	path = put_log("std.log", log.buf);
	seen_init(&s);
	assert_int_equal(input_read(&l, path, root, 0, 0, record, &s), 0);
	/* one batch a package block, placed before the callback saw it */
	assert_int_equal(s.batches, 2);
	assert_int_equal(s.styles[PARSE_FLOW_UNSEEN], 2); /* no explanation */
	assert_non_null(strstr(s.files.buf, "batch: a/a.go:3 a/a.go:7\n"));
	assert_non_null(strstr(s.files.buf, "batch: b/b.go:4 /elsewhere/c.go:1 b/b.go:2\n"));
	/* the callback's drop stays dropped; the outside one goes; order kept */
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.items[0]->file, "a/a.go");
	assert_string_equal(l.items[0]->message, "moved to heap: x");
	assert_string_equal(l.items[0]->package, "example.com/a");
	assert_string_equal(l.items[1]->file, "b/b.go");
	assert_int_equal(l.items[1]->line, 4);
	assert_string_equal(l.items[2]->message, "moved to heap: y");
	finding_list_release(&l);
	seen_release(&s);
	strbuf_release(&log);
	free(path);
}

/* Each batch says how the log's explanations were written, as far as read
 * (parse_flow_style): a block's own tell it by the time it ends. */
static void test_batches_flow_style(void **state)
{
	static const char *const arrows[] = { "=", "\xe2\x86\x90" };
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct finding_list l = FINDING_LIST_INIT;
		struct strbuf log = STRBUF_INIT;
		struct seen s;
		char *path;

		strbuf_addf(&log, "# example.com/a\n"
			    "%s/a/a.go:3:2: x escapes to heap:\n"
			    "%s/a/a.go:3:2:   flow: {heap} %s &x:\n"
			    "%s/a/a.go:3:2:     from &x (address-of) at %s/a/a.go:4:9\n"
			    "%s/a/a.go:3:2: moved to heap: x\n"
			    "# example.com/b\n"
			    "%s/b/b.go:2:2: moved to heap: y\n",
			    root, root, arrows[k], root, root, root, root);
		path = put_log(k ? "arrow.log" : "equals.log", log.buf);
		seen_init(&s);
		assert_int_equal(input_read(&l, path, root, 0, 0, record, &s), 0);
		assert_int_equal(l.nr, 2);
		assert_int_equal(s.batches, 2);
		assert_int_equal(s.styles[k ? PARSE_FLOW_ARROW : PARSE_FLOW_EQUALS], 2);
		finding_list_release(&l);
		seen_release(&s);
		strbuf_release(&log);
		free(path);
	}
}

/* The batches are handled in a thread of their own while the log is read
 * (the reader joins in at the end, so a short log may see either). */
static void test_second_thread(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct seen s;
	struct strbuf log = STRBUF_INIT;
	char *path;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++)
		strbuf_addf(&log, "# example.com/p%d\n%s/p%d/p.go:%d:2: moved to heap: v\n", i, root,
			    i, i + 1);
	path = put_log("many.log", log.buf);
	seen_init(&s);
	assert_int_equal(input_read(&l, path, root, 0, 0, record, &s), 0);
	assert_true(s.batches >= 2);
	assert_true(s.other_thread > 0); /* the worker took batches */
	assert_int_equal(l.nr, 2000);
	for (i = 0; i < 2000; i++)
		assert_int_equal(l.items[i]->line, i + 1);
	finding_list_release(&l);
	seen_release(&s);
	strbuf_release(&log);
	free(path);
}

static void test_all_outside(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct seen s;
	char *path, *want;

	(void)state;
	path = put_log("outside.log", "# example.com/c\n"
		       "/elsewhere/c.go:1:1: moved to heap: z\n"
		       "/elsewhere/c.go:5:3: leaking param: q\n"
		       "<autogenerated>:1: leaking param: .this\n");
	seen_init(&s);
	assert_int_equal(input_read(&l, path, root, 0, 0, record, &s), ER_EINPUT);
	want = xstrdup(error_last());
	assert_non_null(strstr(want, "all 2 findings of --input "));
	assert_non_null(strstr(want, " are in files outside "));
	assert_int_equal(l.nr, 0);
	free(want);
	/* --mode all: kept with their paths as written (not <autogenerated>) */
	assert_int_equal(input_read(&l, path, root, 1, 0, record, &s), 0);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0]->file, "/elsewhere/c.go");
	assert_string_equal(l.items[1]->message, "leaking param: q");
	finding_list_release(&l);
	seen_release(&s);
	free(path);
}

/*
 * A log built with -trimpath names the current module's files by import
 * path: read as the module's files, in the findings and their steps;
 * a path whose directory exists is a path (a package directory named like
 * a one-element module path), and paths of no module are left alone.
 */
static void test_trimmed(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct strbuf got = STRBUF_INIT;
	char *path, *dir = path_join(root, "mod"), *sub = path_join(root, "mod/myapp");
	char *cwd = realpath(".", NULL), *mod;
	size_t i;
	FILE *f;

	(void)state;
	assert_non_null(cwd);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	mod = path_join(root, "mod/go.mod");
	f = fopen(mod, "w");
	assert_non_null(f);
	fputs("// the module\nmodule \"myapp\" // quoted\n\ngo 1.26\n", f);
	fclose(f);
	path = put_log("trimmed.log", "# myapp/tool\n"
		       "myapp/tool/t.go:4:2: x escapes to heap in T:\n"
		       "myapp/tool/t.go:4:2:   flow: ~r0 \u2190 &x:\n"
		       "myapp/tool/t.go:4:2:     from &x (address-of) at myapp/tool/t.go:5:9\n"
		       "myapp/tool/t.go:4:2: moved to heap: x\n"
		       "# myapp\n"
		       "myapp/m.go:3:2: moved to heap: y\n"
		       "# other\n"
		       "other/o.go:3:2: moved to heap: z\n");
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(input_read(&l, path, root, 0, 0, NULL, NULL), 0);
	assert_int_equal(chdir(cwd), 0);
	for (i = 0; i < l.nr; i++) {
		strbuf_addf(&got, "%s:%d", l.items[i]->file, l.items[i]->line);
		if (l.items[i]->flow_nr)
			strbuf_addf(&got, " (%s:%d)", l.items[i]->flow[l.items[i]->flow_nr - 1].file,
				    l.items[i]->flow[l.items[i]->flow_nr - 1].line);
		strbuf_addch(&got, '\n');
	}
	/* in mod/: myapp/tool/ does not exist, so it is the module's tool/;
	 * myapp/ does, so myapp/m.go is that file */
	assert_string_equal(got.buf, "mod/tool/t.go:4 (mod/tool/t.go:5)\n"
					 "mod/myapp/m.go:3\n"
					 "mod/other/o.go:3\n");
	finding_list_release(&l);
	strbuf_release(&got);
	free(path);
	free(mod);
	free(sub);
	free(dir);
	free(cwd);
}

static void test_missing_file(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	(void)state;
	assert_int_equal(input_read(&l, "/nonexistent/er.log", root, 0, 0, NULL, NULL), ER_EUSAGE);
	assert_string_equal(error_last(), "cannot read --input /nonexistent/er.log: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batches_in_order),
		cmocka_unit_test(test_batches_flow_style),
		cmocka_unit_test(test_second_thread),
		cmocka_unit_test(test_all_outside),
		cmocka_unit_test(test_trimmed),
		cmocka_unit_test(test_missing_file),
	};

	util_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
