/*
 * test_run.c: the child-process helper (run.h) with real programs: exit
 * codes and deaths by signal, stdout and stderr captured apart and
 * exactly, output bounded while the child still runs to its end, stdin
 * from /dev/null, the working directory and environment changes, stderr
 * streamed in chunks, pipes both ways, PATH lookup, and a missing program.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "run.h"
#include "strbuf.h"

/* Run `sh -c SCRIPT`, capturing both streams (at most `max` bytes each). */
static int sh(const char *script, struct strbuf *out, struct strbuf *err, size_t max)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	cp.argv = argv;
	strbuf_reset(out);
	strbuf_reset(err);
	return child_capture(&cp, out, err, max);
}

static void test_exit_codes(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(sh("exit 0", &out, &err, 100), 0);
	assert_int_equal(sh("exit 3", &out, &err, 100), 3);
	assert_int_equal(sh("exit 255", &out, &err, 100), 255);
	assert_int_equal(sh("kill -TERM $$", &out, &err, 100), 128 + 15);
	assert_int_equal(sh("kill -KILL $$", &out, &err, 100), 128 + 9);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_capture(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(sh("printf 'one\\ntwo'; printf 'bad\\n' >&2; printf ' three'; exit 7",
			    &out, &err, 1000), 7);
	assert_string_equal(out.buf, "one\ntwo three");
	assert_string_equal(err.buf, "bad\n");

	/* arguments reach the child as they are: no shell in between */
	{
		const char *argv[] = { "printf", "%s|", "a b", "$HOME", "*", "';'", NULL };
		struct child_process cp = CHILD_PROCESS_INIT;

		cp.argv = argv;
		strbuf_reset(&out);
		assert_int_equal(child_capture(&cp, &out, NULL, 1000), 0);
		assert_string_equal(out.buf, "a b|$HOME|*|';'|");
	}

	/* stdin is /dev/null: cat ends at once with nothing */
	{
		const char *argv[] = { "cat", NULL };
		struct child_process cp = CHILD_PROCESS_INIT;

		cp.argv = argv;
		strbuf_reset(&out);
		assert_int_equal(child_capture(&cp, &out, &err, 1000), 0);
		assert_int_equal(out.len, 0);
	}
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_bounded(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	/* 1 MiB on each stream, far more than a pipe holds: kept to 1000
	 * bytes, the rest read and dropped, and the child finishes */
	assert_int_equal(sh("i=0; while [ $i -lt 16 ]; do head -c 65536 /dev/zero | tr '\\0' o; "
			    "head -c 65536 /dev/zero | tr '\\0' e >&2; i=$((i + 1)); done; exit 4",
			    &out, &err, 1000), 4);
	assert_int_equal(out.len, 1000);
	assert_int_equal(err.len, 1000);
	assert_int_equal(strspn(out.buf, "o"), 1000);
	assert_int_equal(strspn(err.buf, "e"), 1000);
	assert_int_equal(sh("printf 12345", &out, &err, 5), 0);
	assert_string_equal(out.buf, "12345");
	assert_int_equal(sh("printf 123456", &out, &err, 5), 0);
	assert_string_equal(out.buf, "12345");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_dir_and_env(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char dir[] = "/tmp/er-unit-run.XXXXXX", want[PATH_MAX + 64], *real;
	const char *argv[] = { "sh", "-c", "pwd; echo \"$ER_T|${ER_GONE-unset}|$ER_KEEP\"", NULL };
	const char *env[] = { "ER_T=a b", "ER_GONE", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(setenv("ER_GONE", "present", 1), 0);
	assert_int_equal(setenv("ER_KEEP", "kept", 1), 0);
	cp.argv = argv;
	cp.dir = dir;
	cp.env = env;
	assert_int_equal(child_capture(&cp, &out, NULL, 1000), 0);
	real = realpath(dir, NULL);   /* pwd names the real directory (macOS: /private/tmp) */
	assert_non_null(real);
	snprintf(want, sizeof(want), "%s\na b|unset|kept\n", real);
	free(real);
	assert_string_equal(out.buf, want);
	assert_string_equal(getenv("ER_GONE"), "present");   /* ours is untouched */
	unsetenv("ER_GONE");
	unsetenv("ER_KEEP");

	/* a directory that does not exist: the child cannot start there */
	{
		struct child_process bad = CHILD_PROCESS_INIT;
		char missing[96];
		int ret;

		snprintf(missing, sizeof(missing), "%s/missing", dir);
		bad.argv = argv;
		bad.dir = missing;
		strbuf_reset(&out);
		ret = child_capture(&bad, &out, NULL, 1000);
		/* posix_spawn reports it, or the child fails before exec (127) */
		assert_true(ret == ER_ERROR || ret == 127);
		assert_int_equal(out.len, 0);
	}
	rmdir(dir);
	strbuf_release(&out);
}

struct chunks {
	struct strbuf seen;
	const char *marker;   /* created when the first chunk arrives */
};

static void collect(void *data, const char *buf, size_t len)
{
	struct chunks *c = data;
	FILE *fp;

	strbuf_addf(&c->seen, "[%zu]", len);
	strbuf_add(&c->seen, buf, len);
	if (c->marker && (fp = fopen(c->marker, "w")))
		fclose(fp);
}

static const struct child_stream collect_cs = { collect, NULL, NULL };

static void test_stream_stderr(void **state)
{
	struct chunks chunks = { STRBUF_INIT, NULL };
	struct strbuf out = STRBUF_INIT;
	char dir[] = "/tmp/er-unit-stream.XXXXXX", marker[64];
	/* the child writes "second" only once the callback has seen "first"
	 * (it waits for the marker the callback creates; 10 s at most) */
	const char *argv[] = { "sh", "-c",
		"printf first >&2; i=0; while [ ! -e \"$1\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; "
		"printf second >&2; echo out", "sh", marker, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(marker, sizeof(marker), "%s/seen", dir);
	chunks.marker = marker;
	cp.argv = argv;
	assert_int_equal(child_stream_start(&cp, 1), 0);
	assert_int_equal(child_stream_finish(&cp, &collect_cs, &chunks, &out, 100), 0);
	assert_string_equal(chunks.seen.buf, "[5]first[6]second");
	assert_string_equal(out.buf, "out\n");
	unlink(marker);
	rmdir(dir);
	chunks.marker = NULL;

	/* no stdout buffer: stdout goes nowhere */
	{
		struct child_process cp2 = CHILD_PROCESS_INIT;
		const char *argv2[] = { "sh", "-c", "echo lost; echo kept >&2; exit 2", NULL };

		cp2.argv = argv2;
		strbuf_reset(&chunks.seen);
		assert_int_equal(child_stream_start(&cp2, 0), 0);
		assert_int_equal(child_stream_finish(&cp2, &collect_cs, &chunks, NULL, 0), 2);
		assert_string_equal(chunks.seen.buf, "[5]kept\n");
	}
	strbuf_release(&chunks.seen);
	strbuf_release(&out);
}

/* Where `space` says: a region of `area` after what was read, smaller
 * than the child's output (read in several chunks), or nowhere (NULL:
 * child_stream_finish's own buffer) when `none`. */
struct placed {
	char area[8];
	size_t used, calls, in_place;
	int none;
};

static char *place(void *data, size_t *room)
{
	struct placed *pl = data;

	if (pl->none || pl->used == sizeof(pl->area))
		return NULL;
	*room = sizeof(pl->area) - pl->used < 3 ? sizeof(pl->area) - pl->used : 3;
	return pl->area + pl->used;
}

static void placed_cb(void *data, const char *buf, size_t len)
{
	struct placed *pl = data;

	pl->calls++;
	if (buf == pl->area + pl->used) {
		pl->in_place++;
		pl->used += len;
	}
}

static const struct child_stream placed_cs = { placed_cb, place, NULL };

/* Each chunk is read where `space` says, at most the room it gives, and
 * handed to the callback there; without a place, from the helper's own
 * buffer. */
static void test_stream_space(void **state)
{
	const char *argv[] = { "sh", "-c", "printf abcdefgh >&2", NULL };
	struct child_process cp = CHILD_PROCESS_INIT, cp2 = CHILD_PROCESS_INIT;
	struct placed pl, none;

	(void)state;
	memset(&pl, 0, sizeof(pl));
	cp.argv = argv;
	assert_int_equal(child_stream_start(&cp, 0), 0);
	assert_int_equal(child_stream_finish(&cp, &placed_cs, &pl, NULL, 0), 0);
	assert_memory_equal(pl.area, "abcdefgh", 8);
	assert_int_equal(pl.used, 8);
	assert_int_equal(pl.in_place, pl.calls);
	assert_true(pl.calls >= 3); /* no read was given more room than 3 bytes */

	memset(&none, 0, sizeof(none));
	none.none = 1;
	cp2.argv = argv;
	assert_int_equal(child_stream_start(&cp2, 0), 0);
	assert_int_equal(child_stream_finish(&cp2, &placed_cs, &none, NULL, 0), 0);
	assert_true(none.calls >= 1);
	assert_int_equal(none.in_place, 0);
}

/* What the idle callback saw: the bytes read when it was called, and
 * how much of them it had taken already (it works once per new byte). */
struct idled {
	struct strbuf seen, at_idle;
	size_t done, calls;
};

static void idled_cb(void *data, const char *buf, size_t len)
{
	struct idled *d = data;

	strbuf_add(&d->seen, buf, len);
}

static int idled_idle(void *data)
{
	struct idled *d = data;

	d->calls++;
	if (d->done == d->seen.len)
		return 0; /* nothing new: the reader waits */
	strbuf_addf(&d->at_idle, "[%s]", d->seen.buf + d->done);
	d->done = d->seen.len;
	return 1;
}

/* While the child is quiet, the idle callback runs on what was read (once
 * per new byte: it does not spin), and never after the end. */
static void test_stream_idle(void **state)
{
	static const struct child_stream cs = { idled_cb, NULL, idled_idle };
	const char *argv[] = { "sh", "-c", "printf one >&2; sleep 0.3; printf two >&2", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	struct idled d = { STRBUF_INIT, STRBUF_INIT, 0, 0 };

	(void)state;
	cp.argv = argv;
	assert_int_equal(child_stream_start(&cp, 0), 0);
	assert_int_equal(child_stream_finish(&cp, &cs, &d, NULL, 0), 0);
	assert_string_equal(d.seen.buf, "onetwo");
	/* "one" was worked on while the child slept; "two" came with its end */
	assert_true(!strcmp(d.at_idle.buf, "[one]") || !strcmp(d.at_idle.buf, "[one][two]"));
	assert_true(d.calls >= 2 && d.calls <= 8);
	strbuf_release(&d.seen);
	strbuf_release(&d.at_idle);
}

/* A child no longer wanted is stopped, not waited for: a `sleep 30`
 * ends by SIGTERM at once, its output dropped. */
static void test_capture_abort(void **state)
{
	const char *argv[] = { "sh", "-c", "echo started; exec sleep 30", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	struct timespec t0, t1;
	char buf[16];

	(void)state;
	cp.argv = argv;
	assert_int_equal(child_capture_start(&cp), 0);
	assert_int_equal(read(cp.out, buf, 8), 8); /* it runs: "started\n" */
	assert_memory_equal(buf, "started\n", 8);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(child_capture_abort(&cp), 128 + SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 20); /* not the 30 s of the sleep */
	assert_int_equal(cp.pid, -1);
}

/* 1 while `pid` runs: a zombie (killed, not yet reaped by init) does not. */
static int alive(long pid)
{
	char path[64], stat[256];
	FILE *f;
	size_t n;
	const char *close_paren;

	if (kill((pid_t)pid, 0))
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 1;
	n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	close_paren = strrchr(stat, ')');
	return !close_paren || close_paren[1] != ' ' || close_paren[2] != 'Z';
}

/* An own_group child and what it started: ended whole by child_kill(),
 * which a plain child's would not be (its grandchild lives on). */
static void test_kill_group(void **state)
{
	const char *argv[] = { "sh", "-c", "sleep 30 & echo $!; wait", NULL };
	int own;

	(void)state;
	for (own = 0; own < 2; own++) {
		struct child_process cp = CHILD_PROCESS_INIT;
		char buf[32];
		ssize_t n;
		long grandchild;

		cp.argv = argv;
		cp.own_group = (unsigned)own;
		assert_int_equal(child_capture_start(&cp), 0);
		n = read(cp.out, buf, sizeof(buf) - 1);
		assert_true(n > 1);
		buf[n] = '\0';
		grandchild = strtol(buf, NULL, 10);
		assert_true(grandchild > 1);
		if (own)
			assert_int_equal(getpgid(cp.pid), cp.pid); /* it leads its group */
		else
			assert_int_equal(getpgid(cp.pid), getpgrp());
		assert_int_equal(child_kill(&cp), 128 + SIGKILL);
		assert_int_equal(cp.pid, -1);
		close(cp.out);
		if (own) {
			int i;

			/* the sleep is killed too */
			for (i = 0; i < 200 && alive(grandchild); i++)
				nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
			assert_false(alive(grandchild));
		} else {
			assert_true(alive(grandchild)); /* still there */
			kill((pid_t)grandchild, SIGKILL);
		}
	}
}

static void test_pipes(void **state)
{
	const char *argv[] = { "tr", "a-z", "A-Z", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf out = STRBUF_INIT;
	char buf[64];
	ssize_t n;

	(void)state;
	cp.argv = argv;
	cp.in = -1;
	cp.out = -1;
	assert_int_equal(child_start(&cp), 0);
	assert_true(cp.in > 0 && cp.out > 0);
	assert_int_equal(write(cp.in, "hello, child\n", 13), 13);
	close(cp.in);
	while ((n = read(cp.out, buf, sizeof(buf))) > 0)
		strbuf_add(&out, buf, (size_t)n);
	close(cp.out);
	assert_int_equal(child_finish(&cp), 0);
	assert_string_equal(out.buf, "HELLO, CHILD\n");
	assert_int_equal(child_finish(&cp), ER_ERROR);   /* waited for already */
	assert_string_equal(error_last(), "internal error: no child to wait for");
	strbuf_release(&out);
}

static void test_which_and_missing(void **state)
{
	const char *argv[] = { "er-no-such-program", "x", NULL };
	struct child_process cp = CHILD_PROCESS_INIT;
	struct strbuf out = STRBUF_INIT;
	char *p, dir[] = "/tmp/er-unit-which.XXXXXX", tool[64], *old_path;

	(void)state;
	p = run_which("sh");
	assert_non_null(p);
	assert_true(strlen(p) > 3 && !strcmp(p + strlen(p) - 3, "/sh"));
	assert_int_equal(access(p, X_OK), 0);
	free(p);
	p = run_which("/bin/sh");
	assert_string_equal(p, "/bin/sh");
	free(p);
	assert_null(run_which("er-no-such-program"));
	assert_null(run_which("/nonexistent/sh"));

	/* the first executable on PATH wins; a file that is not executable does not count */
	assert_non_null(mkdtemp(dir));
	snprintf(tool, sizeof(tool), "%s/er-tool", dir);
	{
		FILE *fp = fopen(tool, "w");

		assert_non_null(fp);
		fputs("#!/bin/sh\necho tool \"$@\"\n", fp);
		assert_int_equal(fclose(fp), 0);
	}
	old_path = strdup(getenv("PATH"));
	{
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s:%s", dir, old_path);
		setenv("PATH", path.buf, 1);
		strbuf_release(&path);
	}
	assert_null(run_which("er-tool"));
	assert_int_equal(chmod(tool, 0755), 0);
	p = run_which("er-tool");
	assert_string_equal(p, tool);
	free(p);
	{
		const char *targv[] = { "er-tool", "a", NULL };
		struct child_process tc = CHILD_PROCESS_INIT;

		tc.argv = targv;
		assert_int_equal(child_capture(&tc, &out, NULL, 100), 0);
		assert_string_equal(out.buf, "tool a\n");
	}
	setenv("PATH", old_path, 1);
	free(old_path);
	unlink(tool);
	rmdir(dir);

	cp.argv = argv;
	assert_int_equal(child_capture(&cp, &out, NULL, 100), ER_ERROR);
	assert_int_equal(cp.spawn_errno, ENOENT);
	assert_int_equal(cp.pid, -1);
	assert_string_equal(error_last(), "cannot run er-no-such-program: No such file or directory");

	{
		struct child_process empty = CHILD_PROCESS_INIT;
		const char *none[] = { NULL };

		empty.argv = none;
		assert_int_equal(child_run(&empty), ER_ERROR);
		assert_string_equal(error_last(), "internal error: empty argv");
	}
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_dir_and_env),
		cmocka_unit_test(test_stream_stderr),
		cmocka_unit_test(test_stream_space),
		cmocka_unit_test(test_stream_idle),
		cmocka_unit_test(test_capture_abort),
		cmocka_unit_test(test_kill_group),
		cmocka_unit_test(test_pipes),
		cmocka_unit_test(test_which_and_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
