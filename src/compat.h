#ifndef COMPAT_H
#define COMPAT_H

/*
 * compat.h: everything escape-review needs that POSIX.1-2008 does not
 * give (it owns the platform's extensions; it must never hold program
 * logic).  Every other file compiles with -D_POSIX_C_SOURCE=200809L alone
 * (no _GNU_SOURCE, _DEFAULT_SOURCE or _DARWIN_C_SOURCE: `make
 * check-portable` checks it); what a platform offers beyond that is used
 * here and only here.
 *
 * Supported: Linux with glibc >= 2.29 or musl >= 1.1.24, and macOS >=
 * 10.15.  Those are the systems with posix_spawn_file_actions_addchdir_np;
 * anywhere else compat.c stops the build with an #error that says so.
 *
 * It includes <string.h> and <spawn.h> itself, so it can come anywhere
 * among a file's includes.
 */

#include <pthread.h>
#include <spawn.h>
#include <stddef.h>
#include <string.h>

/*
 * pipe() with both ends close-on-exec, so a child started by another
 * thread cannot inherit them (pipe2(O_CLOEXEC) is not POSIX.1-2008).
 * Not atomic: the flag is set just after the pipe is made, so callers that
 * spawn from several threads must serialise creating pipes and spawning
 * (run.c holds one lock for both).  0, or -1 with errno set and no
 * descriptor left open.
 */
int compat_pipe_cloexec(int fds[2]);

/*
 * Ask for a pipe buffer of `size` bytes (Linux: F_SETPIPE_SZ, which an
 * unprivileged process gets up to /proc/sys/fs/pipe-max-size, 1 MiB by
 * default).  A child that writes megabytes in one write() (go replaying a
 * package's cached -m=2 output) then waits for a sixteenth of the reader's
 * wake-ups, each a round trip between CPUs.  Elsewhere, or when refused,
 * the pipe keeps its size.
 */
void compat_pipe_grow(int fd, int size);

/*
 * The first occurrence of needle[0..nlen) in haystack[0..hlen), or NULL;
 * an empty needle is found at the start.  memmem() is not POSIX.1-2008
 * (glibc hides it without _GNU_SOURCE), so `memmem` is this function for
 * every file that includes compat.h.
 */
void *compat_memmem(const void *haystack, size_t hlen, const void *needle, size_t nlen);
#undef memmem
#define memmem compat_memmem

/*
 * The absolute path of the running executable, symbolic links resolved
 * (/proc/self/exe on Linux, _NSGetExecutablePath() and realpath() on
 * macOS), malloc'd; NULL when the platform cannot tell.  Used only to find
 * the data directory next to an installed binary (render.c), with the
 * compiled-in prefix as the fallback: never for anything that matters to
 * safety.
 */
char *compat_exe_path(void);

/*
 * posix_spawn_file_actions_addchdir_np(): the child changes to `dir`
 * before it runs (glibc >= 2.29, musl >= 1.1.24, macOS >= 10.15).  0 or an
 * errno value, as posix_spawn_file_actions_*() return.
 */
int compat_spawn_addchdir(posix_spawn_file_actions_t *fa, const char *dir);

/*
 * The process is about to fill about `expect` bytes of heap: where the C
 * library and the kernel allow it (glibc; transparent huge pages on
 * request), the main heap is grown by that much at once and given huge
 * pages, which takes a page fault per 2 MiB instead of per 4 KiB.
 * Elsewhere, or below 8 MiB, it does nothing.
 */
void compat_heap_hugepages(size_t expect);
/* Every thread started after this allocates from the main heap (glibc: one
 * arena, M_ARENA_MAX): what one thread frees, another takes, and where
 * compat_heap_hugepages() was asked it covers theirs too.  Elsewhere it
 * does nothing. */
void compat_heap_one_arena(void);
/* Give the pages of the heap's free chunks back to the kernel (glibc:
 * malloc_trim), after a phase whose temporary memory is all freed. */
void compat_heap_trim(void);

/*
 * The calling thread as a batch job (`on`), or as before (Linux:
 * SCHED_BATCH, then SCHED_OTHER again, which an unprivileged thread may do,
 * unlike taking back a nice value): its share of the processor is the
 * same, but a thread that wakes is not kept waiting for it.  For the work
 * a review does beside its compiler, whose threads wake and sleep: go
 * gets the processor when it wants it.  Threads and children started
 * meanwhile inherit it.  compat_thread_batch(1) is 1 when it made the
 * thread one (from the default policy: a policy the user chose is left
 * alone), and only then may compat_thread_batch(0) follow.  Elsewhere, or
 * when refused, it does nothing (0).
 */
int compat_thread_batch(int on);

/*
 * pthread_create(`th`, default attributes, `fn`, `arg`), for a thread that
 * works beside its creator while the creator works on: it starts on
 * another processor than the caller's where it may, and may then run on
 * any the caller may (Linux and glibc: the caller's processor is left out
 * of its first affinity, which it widens again before `fn`).  Without
 * that, Linux starts a thread on its creator's processor, and when the
 * kernel sees no idle one to move it to (the benchmark's guest, two
 * virtual processors, the other idle) it waits there for its creator to
 * block or for a scheduler tick: 1.8 to 3.9 ms.  Elsewhere, or when the
 * caller may run on one processor only, a plain pthread_create().  0 or
 * pthread_create()'s error.
 */
int compat_thread_beside(pthread_t *th, void *(*fn)(void *), void *arg);

/*
 * What a directory entry is, from readdir() alone where the system says
 * (struct dirent's d_type is not POSIX): COMPAT_DIRENT_DIR for a
 * directory, COMPAT_DIRENT_OTHER for anything else (a symbolic link to a
 * directory included), COMPAT_DIRENT_UNKNOWN when the caller must lstat.
 */
struct dirent;
enum compat_dirent { COMPAT_DIRENT_UNKNOWN, COMPAT_DIRENT_DIR, COMPAT_DIRENT_OTHER };
enum compat_dirent compat_dirent_type(const struct dirent *de);

/* The nanoseconds of a stat's modification and status-change times
 * (st_mtim on Linux, st_mtimespec on macOS; 0 where there are none). */
struct stat;
void compat_stat_nsec(const struct stat *st, long *mtime_nsec, long *ctime_nsec);

#endif
