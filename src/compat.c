/*
 * compat.c: what POSIX.1-2008 does not give (compat.h).  The only file
 * that asks the C library for more than POSIX: _GNU_SOURCE on Linux (glibc
 * and musl declare posix_spawn_file_actions_addchdir_np under it),
 * _DARWIN_C_SOURCE on macOS.
 */
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#else
#define _GNU_SOURCE 1
#endif
#include "compat.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <limits.h>
#include <malloc.h>
#include <sys/mman.h>
#endif

#if defined(__APPLE__)
#include <Availability.h>
#include <mach-o/dyld.h>
#endif

/*
 * posix_spawn_file_actions_addchdir_np, or a clear build error.  musl has
 * no version macro: a Linux C library that is not glibc is taken to be
 * musl, and one older than 1.1.24 fails on the undeclared function.
 */
#if defined(__APPLE__)
# if !defined(__MAC_OS_X_VERSION_MIN_REQUIRED) || __MAC_OS_X_VERSION_MIN_REQUIRED < 101500
#  error "escape-review needs macOS 10.15 or later (posix_spawn_file_actions_addchdir_np): build with MACOSX_DEPLOYMENT_TARGET=10.15 or later"
# elif __MAC_OS_X_VERSION_MIN_REQUIRED >= 260000
   /* macOS 26 has the POSIX.1-2024 name and deprecates the _np one */
#  define ER_SPAWN_ADDCHDIR posix_spawn_file_actions_addchdir
# else
#  define ER_SPAWN_ADDCHDIR posix_spawn_file_actions_addchdir_np
# endif
#elif defined(__GLIBC__)
# if __GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 29)
#  error "escape-review needs glibc 2.29 or later (posix_spawn_file_actions_addchdir_np)"
# endif
# define ER_SPAWN_ADDCHDIR posix_spawn_file_actions_addchdir_np
#elif defined(__linux__)
# define ER_SPAWN_ADDCHDIR posix_spawn_file_actions_addchdir_np
#else
# error "escape-review builds on Linux (glibc >= 2.29, musl >= 1.1.24) and macOS >= 10.15: this C library has no known posix_spawn_file_actions_addchdir_np (src/compat.c)"
#endif

int compat_spawn_addchdir(posix_spawn_file_actions_t *fa, const char *dir)
{
	return ER_SPAWN_ADDCHDIR(fa, dir);
}

int compat_pipe_cloexec(int fds[2])
{
	int i, saved;

	if (pipe(fds) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0) {
			saved = errno;
			close(fds[0]);
			close(fds[1]);
			fds[0] = fds[1] = -1;
			errno = saved;
			return -1;
		}
	}
	return 0;
}

void *compat_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen)
{
	const unsigned char *h = haystack, *n = needle, *last, *p;

	if (!nlen)
		return (void *)h;
	if (nlen > hlen)
		return NULL;
	last = h + (hlen - nlen);
	for (p = h; p <= last; p++) {
		p = memchr(p, n[0], (size_t)(last - p) + 1);
		if (!p)
			return NULL;
		if (!memcmp(p + 1, n + 1, nlen - 1))
			return (void *)p;
	}
	return NULL;
}

#if defined(__linux__)
char *compat_exe_path(void)
{
	size_t size;

	/* readlink() does not say whether it cut: grow until it fits */
	for (size = 256; size <= 65536; size *= 2) {
		char *buf = xmalloc(size);
		ssize_t n = readlink("/proc/self/exe", buf, size);

		if (n > 0 && (size_t)n < size && buf[0] == '/') {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		if (n <= 0 || (size_t)n < size)
			return NULL;
	}
	return NULL;
}
#else
char *compat_exe_path(void)
{
	uint32_t size = 0;
	char *buf, *real = NULL;

	/* the first call only tells the size it needs */
	_NSGetExecutablePath(NULL, &size);
	if (!size)
		return NULL;
	buf = xmalloc(size);
	if (!_NSGetExecutablePath(buf, &size))
		real = realpath(buf, NULL);
	free(buf);
	return real;
}
#endif

/*
 * glibc's main heap grows with brk, page by page, and a fault costs a
 * page: the standard library's log (58 MB kept) takes 14,000 of them, a
 * fifth of the run under a hypervisor.  Where the kernel gives transparent
 * huge pages on request (enabled = madvise, as on Debian), grow the heap
 * by `expect` bytes at once, keep it (no trim), and ask for huge pages on
 * it: as glibc.malloc.hugetlb=1 would, for this process only.
 */
void compat_heap_hugepages(size_t expect)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t from, to;
	void *held[64];
	size_t n = 0;
	char *brk0;

	if (expect < 4 * huge || expect > (size_t)INT_MAX / 2)
		return;
	mallopt(M_TRIM_THRESHOLD, (int)expect * 2);
	mallopt(M_TOP_PAD, (int)expect);
	/* take small blocks until the heap grows (by the pad), then give them back */
	brk0 = sbrk(0);
	while (n < 64 && sbrk(0) == brk0 && (held[n] = malloc(64 << 10)))
		n++;
	from = n ? ((uintptr_t)held[0] + huge - 1) & ~(huge - 1) : 0;
	to = (uintptr_t)sbrk(0) & ~(huge - 1);
	while (n)
		free(held[--n]);
	if (from && to > from)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
	(void)expect;
#endif
}

void compat_heap_one_arena(void)
{
#if defined(__GLIBC__)
	mallopt(M_ARENA_MAX, 1);
#endif
}

#if defined(__linux__) && defined(__GLIBC__)
struct beside_start {
	void *(*fn)(void *);
	void *arg;
	cpu_set_t all;
};

static void *beside_run(void *data)
{
	struct beside_start s = *(struct beside_start *)data;

	free(data);
	sched_setaffinity(0, sizeof(s.all), &s.all); /* refused: stays where it is */
	return s.fn(s.arg);
}
#endif

int compat_thread_beside(pthread_t *th, void *(*fn)(void *), void *arg)
{
#if defined(__linux__) && defined(__GLIBC__)
	struct beside_start *s;
	pthread_attr_t at;
	cpu_set_t others;
	int cpu = sched_getcpu(), err = -1;

	s = xmalloc(sizeof(*s));
	if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(s->all), &s->all) ||
	    !CPU_ISSET(cpu, &s->all) || CPU_COUNT(&s->all) < 2 || pthread_attr_init(&at)) {
		free(s);
		return pthread_create(th, NULL, fn, arg);
	}
	s->fn = fn;
	s->arg = arg;
	others = s->all;
	CPU_CLR(cpu, &others);
	if (!pthread_attr_setaffinity_np(&at, sizeof(others), &others))
		err = pthread_create(th, &at, beside_run, s);
	pthread_attr_destroy(&at);
	if (!err)
		return 0;
	free(s);
#endif
	return pthread_create(th, NULL, fn, arg);
}

int compat_thread_batch(int on)
{
#if defined(SCHED_BATCH)
	struct sched_param sp = { 0 };

	if (on && sched_getscheduler(0) != SCHED_OTHER)
		return 0;
	if (sched_setscheduler(0, on ? SCHED_BATCH : SCHED_OTHER, &sp) < 0) {
		errno = 0; /* refused: as it was */
		return 0;
	}
	return on;
#else
	(void)on;
	return 0;
#endif
}

void compat_heap_trim(void)
{
#if defined(__GLIBC__)
	malloc_trim(0);
#endif
}

enum compat_dirent compat_dirent_type(const struct dirent *de)
{
#if defined(DT_DIR) && defined(DT_UNKNOWN)
	if (de->d_type == DT_UNKNOWN)
		return COMPAT_DIRENT_UNKNOWN;
	return de->d_type == DT_DIR ? COMPAT_DIRENT_DIR : COMPAT_DIRENT_OTHER;
#else
	(void)de;
	return COMPAT_DIRENT_UNKNOWN;
#endif
}

void compat_stat_nsec(const struct stat *st, long *mtime_nsec, long *ctime_nsec)
{
#if defined(__APPLE__)
	*mtime_nsec = st->st_mtimespec.tv_nsec;
	*ctime_nsec = st->st_ctimespec.tv_nsec;
#else
	*mtime_nsec = st->st_mtim.tv_nsec;
	*ctime_nsec = st->st_ctim.tv_nsec;
#endif
}

void compat_pipe_grow(int fd, int size)
{
#if defined(F_SETPIPE_SZ)
	if (fcntl(fd, F_SETPIPE_SZ, size) < 0)
		errno = 0; /* refused (a lower pipe-max-size): the default size */
#else
	(void)fd;
	(void)size;
#endif
}
