/*
 * test_compat.c: the compat module (compat.h): memmem's edges (empty
 * needle, needle at either end, longer than the haystack, NUL bytes, a
 * near miss at the end), close-on-exec pipes that a spawned child really
 * does not inherit, the executable's path, the child's working
 * directory through compat_spawn_addchdir(), (glibc on Linux, huge
 * pages on request) the heap given huge pages and trimmed, a directory
 * entry's type, a stat's nanoseconds, a grown pipe's size, a thread as
 * a batch job, and a thread started beside its creator (on another
 * processor first, then free to run on any its creator may).
 */
#define _XOPEN_SOURCE 700  /* realpath() */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *argv0;

static void assert_found(const char *h, size_t hl, const char *n, size_t nl, long at)
{
	const char *p = memmem(h, hl, n, nl);

	if (at < 0)
		assert_null(p);
	else
		assert_ptr_equal(p, h + at);
}

static void test_memmem(void **state)
{
	static const char bin[] = { 'a', '\0', 'b', '\0', 'c' };
	static const char nul_b[] = { '\0', 'b' };

	(void)state;
	assert_found("abc", 3, "", 0, 0);
	assert_found("", 0, "", 0, 0);
	assert_found("", 0, "a", 1, -1);
	assert_found("abc", 3, "abcd", 4, -1);
	assert_found("abc", 3, "abc", 3, 0);
	assert_found("abc", 3, "a", 1, 0);
	assert_found("abc", 3, "c", 1, 2);
	assert_found("abc", 3, "bc", 2, 1);
	assert_found("abc", 3, "cd", 2, -1);
	/* the first of several, and a partial match before the real one */
	assert_found("a = b = c", 9, " = ", 3, 1);
	assert_found("x leak leaks to heap", 20, " leaks to ", 10, 6);
	/* the length bounds the search: a match past it is not seen */
	assert_found("abcabc", 4, "bc", 2, 1);
	assert_found("abcabc", 5, "ca", 2, 2);
	assert_found("aaab", 3, "ab", 2, -1);
	/* bytes, not strings: NULs inside both */
	assert_found(bin, sizeof(bin), nul_b, sizeof(nul_b), 1);
	assert_found(bin, sizeof(bin), "c", 1, 4);
	/* the macro is the function */
	assert_ptr_equal(memmem("xyz", 3, "z", 1), compat_memmem("xyz", 3, "z", 1));
}

/* Spawn /bin/sh -c SCRIPT with stdout on `out_fd`; its exit status. */
static int spawn_sh(const char *script, const char *dir, int out_fd)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	pid_t pid;
	int status, rc;

	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	if (out_fd >= 0)
		assert_int_equal(posix_spawn_file_actions_adddup2(&fa, out_fd, 1), 0);
	if (dir)
		assert_int_equal(compat_spawn_addchdir(&fa, dir), 0);
	rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(rc, 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_pipe_cloexec(void **state)
{
	int fds[2] = { -1, -1 }, other[2];
	char script[64];

	(void)state;
	assert_int_equal(compat_pipe_cloexec(fds), 0);
	assert_true(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
	/* a child does not have the write end: writing to it fails there */
	snprintf(script, sizeof(script), "exec 2>/dev/null; echo x >&%d", fds[1]);
	assert_int_not_equal(spawn_sh(script, NULL, -1), 0);
	/* while a plain pipe's end is inherited (the check above can fail) */
	assert_int_equal(pipe(other), 0);
	snprintf(script, sizeof(script), "exec 2>/dev/null; echo x >&%d", other[1]);
	assert_int_equal(spawn_sh(script, NULL, -1), 0);
	close(other[0]);
	close(other[1]);
	/* and the pipe works */
	assert_int_equal(write(fds[1], "ok", 2), 2);
	close(fds[1]);
	{
		char buf[4] = { 0 };

		assert_int_equal(read(fds[0], buf, sizeof(buf)), 2);
		assert_string_equal(buf, "ok");
	}
	close(fds[0]);
}

static void test_exe_path(void **state)
{
	char *exe = compat_exe_path(), *want = realpath(argv0, NULL);

	(void)state;
	assert_non_null(want);
	assert_non_null(exe);
	assert_int_equal(exe[0], '/');
	assert_string_equal(exe, want);
	free(exe);
	free(want);
}

static void test_spawn_addchdir(void **state)
{
	char tmpl[] = "/tmp/er-compat.XXXXXX", *dir, *real, got[PATH_MAX + 2];
	int fds[2];
	ssize_t n;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	real = realpath(dir, NULL);
	assert_non_null(real);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(spawn_sh("pwd -P", dir, fds[1]), 0);
	close(fds[1]);
	n = read(fds[0], got, sizeof(got) - 1);
	close(fds[0]);
	assert_true(n > 0);
	got[n] = '\0';
	assert_int_equal(got[n - 1], '\n');
	got[n - 1] = '\0';
	assert_string_equal(got, real);
	/* a directory that is not there: the child is not started, or fails */
	assert_int_equal(rmdir(dir), 0);
	{
		posix_spawn_file_actions_t fa;
		char *argv[] = { "true", NULL };
		pid_t pid;
		int status, rc;

		posix_spawn_file_actions_init(&fa);
		assert_int_equal(compat_spawn_addchdir(&fa, dir), 0);
		rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (!rc) {
			assert_int_equal(waitpid(pid, &status, 0), pid);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 127);
		} else {
			assert_int_equal(rc, ENOENT);
		}
	}
	free(real);
}

/* glibc's own malloc (not a sanitizer's, which maps its heap elsewhere). */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define GLIBC_MALLOC 1
#endif

#if GLIBC_MALLOC
/* KiB of the heap's mappings ("[heap]" in /proc/self/smaps) with huge
 * pages asked for (VmFlags "hg"); -1 when there is no smaps. */
static long heap_hg_kib(void)
{
	FILE *fp = fopen("/proc/self/smaps", "r");
	char line[512];
	long kib = 0, size = 0;
	int heap = 0;

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (strchr(line, '-') && strstr(line, " rw") && line[0] != ' ' &&
		    strncmp(line, "VmFlags", 7) && strncmp(line, "Size:", 5)) {
			heap = strstr(line, "[heap]") != NULL;
			size = 0;
		} else if (!strncmp(line, "Size:", 5)) {
			size = strtol(line + 5, NULL, 10);
		} else if (!strncmp(line, "VmFlags:", 8) && heap && strstr(line, " hg")) {
			kib += size;
		}
	}
	fclose(fp);
	return kib;
}

/* RssAnon of /proc/self/status in KiB, or -1. */
static long rss_anon_kib(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, "RssAnon:", 8))
			kib = strtol(line + 8, NULL, 10);
	fclose(fp);
	return kib;
}

/* Huge pages are given on request ("[madvise]") or always. */
static int thp_on_request(void)
{
	FILE *fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[128] = "";

	if (!fp)
		return 0;
	if (!fgets(line, sizeof(line), fp))
		line[0] = '\0';
	fclose(fp);
	return strstr(line, "[madvise]") || strstr(line, "[always]");
}
#endif

static void test_heap_hugepages(void **state)
{
	(void)state;
#if GLIBC_MALLOC
	if (heap_hg_kib() < 0 || !thp_on_request())
		skip();
	compat_heap_hugepages(1 << 20); /* below 8 MiB: nothing asked */
	assert_int_equal(heap_hg_kib(), 0);
	compat_heap_hugepages(32 << 20);
	/* the heap grew by 32 MiB at once, all but its unaligned ends asked for */
	assert_true(heap_hg_kib() >= 28 * 1024);
#else
	skip();
#endif
}

/* After compat_heap_hugepages() the heap is not trimmed by free(): the
 * pages of 16 MiB of freed blocks stay until compat_heap_trim(). */
static void test_heap_trim(void **state)
{
	(void)state;
#if GLIBC_MALLOC
	char *blocks[4096];
	long before, after;
	size_t i;

	if (rss_anon_kib() < 0)
		skip();
	compat_heap_hugepages(32 << 20);
	for (i = 0; i < 4096; i++) {
		blocks[i] = malloc(4000);
		assert_non_null(blocks[i]);
		memset(blocks[i], 1, 4000);
	}
	for (i = 0; i + 1 < 4096; i++)
		free(blocks[i]); /* the last one stays: the freed ones are inside the heap */
	before = rss_anon_kib();
	compat_heap_trim();
	after = rss_anon_kib();
	assert_true(before - after >= 8 * 1024);
	free(blocks[4095]);
#else
	skip();
#endif
}

/* A directory and a file told apart from readdir() (d_type) where the
 * system says, and never one for the other. */
static void test_dirent_type(void **state)
{
	char dir[] = "/tmp/er-compat-dirent.XXXXXX", path[64];
	struct dirent *de;
	DIR *d;
	int seen = 0, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/file.go", dir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0);
	close(fd);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d))) {
		enum compat_dirent t = compat_dirent_type(de);

		if (!strcmp(de->d_name, "sub")) {
			assert_true(t == COMPAT_DIRENT_DIR || t == COMPAT_DIRENT_UNKNOWN);
#if defined(__linux__)
			assert_int_equal(t, COMPAT_DIRENT_DIR); /* ext4 and tmpfs say */
#endif
			seen++;
		} else if (!strcmp(de->d_name, "file.go")) {
			assert_true(t == COMPAT_DIRENT_OTHER || t == COMPAT_DIRENT_UNKNOWN);
#if defined(__linux__)
			assert_int_equal(t, COMPAT_DIRENT_OTHER);
#endif
			seen++;
		}
	}
	closedir(d);
	assert_int_equal(seen, 2);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* The nanoseconds a file's modification time was set to. */
static void test_stat_nsec(void **state)
{
	char path[] = "/tmp/er-compat-nsec.XXXXXX";
	struct timespec t[2] = { { 1700000000, 123456789 }, { 1700000000, 987654321 } };
	struct stat st;
	long mns = -1, cns = -1;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	assert_int_equal(stat(path, &st), 0);
	compat_stat_nsec(&st, &mns, &cns);
	assert_int_equal(mns, 987654321);
	assert_true(cns >= 0 && cns < 1000000000);
	assert_int_equal(unlink(path), 0);
}

/* A grown pipe takes 256 KiB with no reader, where a default one (64 KiB
 * on Linux) takes less: the write end is non-blocking, so a partial write
 * shows the buffer's size. */
static void test_pipe_grow(void **state)
{
	static char buf[256 << 10];
	int fds[2];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	n = write(fds[1], buf, sizeof(buf));
	assert_true(n > 0 && n < (ssize_t)sizeof(buf)); /* the check below can fail */
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(pipe(fds), 0);
	compat_pipe_grow(fds[0], 1 << 20);
	assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	n = write(fds[1], buf, sizeof(buf));
#if defined(__linux__)
	assert_int_equal(n, (ssize_t)sizeof(buf));
#else
	assert_true(n > 0); /* elsewhere the pipe keeps its size */
#endif
	close(fds[0]);
	close(fds[1]);
}

#if defined(__linux__)
/* Field `want` of the calling thread's stat line (39: the processor it
 * last ran on; 41: its scheduling policy, 0 SCHED_OTHER, 3 SCHED_BATCH),
 * read past the command's parentheses. */
static int thread_stat_field(int want)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/thread-self/stat", "r");
	size_t n;
	int field = 2, value = -1;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	assert_non_null(p);
	for (p++; *p && field < want; p++)
		if (*p == ' ')
			field++;
	assert_int_equal(sscanf(p, "%d", &value), 1);
	return value;
}

static int thread_policy(void)
{
	return thread_stat_field(41);
}

/* The calling thread's Cpus_allowed_list (/proc/thread-self/status) into `out`. */
static void thread_cpus(char *out, size_t size)
{
	char line[256];
	FILE *f = fopen("/proc/thread-self/status", "r");

	assert_non_null(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cpus_allowed_list:", 18))
			snprintf(out, size, "%s", line + 18);
	fclose(f);
	assert_true(out[0] != '\0');
}
#endif

/* A batch job and back; a policy it did not set is left alone. */
static void test_thread_batch(void **state)
{
	(void)state;
#if defined(__linux__)
	if (thread_policy() != 0) { /* run under a policy of the caller's */
		assert_int_equal(compat_thread_batch(1), 0);
		return;
	}
	assert_int_equal(compat_thread_batch(1), 1);
	assert_int_equal(thread_policy(), 3);
	assert_int_equal(compat_thread_batch(1), 0); /* not the default policy: left */
	assert_int_equal(thread_policy(), 3);
	assert_int_equal(compat_thread_batch(0), 0);
	assert_int_equal(thread_policy(), 0);
#else
	assert_int_equal(compat_thread_batch(1), 0);
#endif
}

struct beside {
	int arg;
	int cpu;           /* the processor the thread first ran on */
	char cpus[256];    /* its affinity once started */
};

static void *beside_fn(void *data)
{
	struct beside *b = data;

#if defined(__linux__)
	b->cpu = thread_stat_field(39);
	thread_cpus(b->cpus, sizeof(b->cpus));
#endif
	b->arg *= 2;
	return &b->arg;
}

/*
 * Whether a thread's first processor can be seen from its function. Not
 * under ThreadSanitizer: its pthread_create() waits for the thread to start,
 * and the scheduler may then move either thread before the function runs.
 */
#if defined(__SANITIZE_THREAD__)
#define FIRST_CPU_SEEN 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FIRST_CPU_SEEN 0
#endif
#endif
#ifndef FIRST_CPU_SEEN
#define FIRST_CPU_SEEN 1
#endif

/*
 * compat_thread_beside(): the thread runs `fn(arg)` and is joined as any,
 * and then may run on every processor its creator may. On Linux with two
 * processors or more it first runs on another processor than its creator's:
 * of twenty calls in which the creator stayed on one processor (read before
 * and after the call), at most one may find the thread on the creator's
 * processor (moved there between its start and its first read). A plain
 * pthread_create() put 100 to 193 of 200 there on a 2-processor guest.
 */
static void test_thread_beside(void **state)
{
	int tries, counted = 0, missed = 0;

	(void)state;
	for (tries = 0; tries < 200 && counted < 20; tries++) {
		struct beside b;
		void *ret = NULL;
		pthread_t th;
		int before = -1, after = -1;
		char mine[256];

		memset(&b, 0, sizeof(b));
		b.arg = 21;
#if defined(__linux__)
		before = thread_stat_field(39);
#endif
		assert_int_equal(compat_thread_beside(&th, beside_fn, &b), 0);
#if defined(__linux__)
		after = thread_stat_field(39);
#endif
		assert_int_equal(pthread_join(th, &ret), 0);
		assert_ptr_equal(ret, &b.arg);
		assert_int_equal(b.arg, 42);
#if defined(__linux__) && defined(__GLIBC__)
		thread_cpus(mine, sizeof(mine));
		assert_string_equal(b.cpus, mine);
		if (!strchr(mine, ',') && !strchr(mine, '-'))
			return; /* one processor: a plain thread */
#else
		(void)mine;
		return;
#endif
		if (before != after)
			continue;
		counted++;
		missed += b.cpu == before;
	}
	if (!FIRST_CPU_SEEN)
		return;
	assert_int_equal(counted, 20);
	assert_in_range(missed, 0, 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmem),
		cmocka_unit_test(test_pipe_cloexec),
		cmocka_unit_test(test_exe_path),
		cmocka_unit_test(test_spawn_addchdir),
		cmocka_unit_test(test_heap_hugepages),
		cmocka_unit_test(test_heap_trim),
		cmocka_unit_test(test_dirent_type),
		cmocka_unit_test(test_stat_nsec),
		cmocka_unit_test(test_pipe_grow),
		cmocka_unit_test(test_thread_batch),
		cmocka_unit_test(test_thread_beside),
	};

	(void)argc;
	argv0 = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
