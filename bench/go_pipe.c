/*
 * bench/go_pipe.c: a command run as the review runs go, its stderr on a
 * pipe of 1 MiB (src/run.c: compat_pipe_grow) read to its end and dropped,
 * stdout on /dev/null, and waited for.  What receiving go's output costs a
 * reader that does nothing with it: bench/run.sh runs `go_pipe go build
 * ...` in turn with the bare build, whose stderr is /dev/null (go/ssa's
 * 2.9 MB, which go writes at once when the build is cached, cross the
 * pipe a mebibyte at a time).
 *
 *   cc -std=c17 -O2 -pthread -o BUILD/go_pipe bench/go_pipe.c
 *   go_pipe go build -gcflags=-m=2 -o /dev/null ./go/ssa
 *
 * What the review's own work costs go, wherever it falls: `-b MS` also
 * spins a thread for MS milliseconds of CPU (no memory touched), started
 * `-a AT` milliseconds after go was spawned, or at go's first byte of
 * output (`-a first`).  docs/benchmarks.md (twenty-third pass) times them
 * in turn with bench/ab.py:
 *
 *   go_pipe -b 2 -a 8 go build -gcflags=-m=2 -o /dev/null ./go/ssa
 *
 * Exits with the command's status (1 when it could not run).
 */
#define _GNU_SOURCE 1 /* F_SETPIPE_SZ, pipe2; a Linux benchmark */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double burn_ms, at_ms;
static int at_first;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started = PTHREAD_COND_INITIALIZER;
static int output_began;
static volatile unsigned long long sink;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void began(void)
{
	pthread_mutex_lock(&lock);
	output_began = 1;
	pthread_cond_signal(&started);
	pthread_mutex_unlock(&lock);
}

/* -b: spin burn_ms of CPU, at_ms after `from` or at the first output */
static void *burn(void *data)
{
	double from = *(double *)data, end;
	unsigned long long x = 1;
	int i;

	if (at_first) {
		pthread_mutex_lock(&lock);
		while (!output_began)
			pthread_cond_wait(&started, &lock);
		pthread_mutex_unlock(&lock);
	} else {
		while (now_ms() < from + at_ms) {
			double left = from + at_ms - now_ms();
			struct timespec ts = { 0, (long)(left * 1e6) };

			if (left > 0)
				nanosleep(&ts, NULL);
		}
	}
	for (end = now_ms() + burn_ms; now_ms() < end;)
		for (i = 0; i < 1000; i++)
			x = x * 6364136223846793005ULL + 1;
	sink = x;
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: go_pipe [-b MS [-a MS|first]] COMMAND [ARG...]\n");
	return 1;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	posix_spawn_file_actions_t fa;
	pthread_t th;
	int p[2], st, rc, i = 1, burning;
	double spawned;
	pid_t pid;
	ssize_t got;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		const char *v = argv[i + 1];
		char *end;

		if (!strcmp(argv[i], "-b")) {
			burn_ms = strtod(v, &end);
			if (end == v || *end || burn_ms < 0)
				return usage();
		} else if (!strcmp(argv[i], "-a") && !strcmp(v, "first")) {
			at_first = 1;
		} else if (!strcmp(argv[i], "-a")) {
			at_ms = strtod(v, &end);
			if (end == v || *end || at_ms < 0)
				return usage();
		} else {
			return usage();
		}
	}
	if (i >= argc)
		return usage();
	if (pipe2(p, O_CLOEXEC) < 0) {
		perror("go_pipe: pipe");
		return 1;
	}
#if defined(F_SETPIPE_SZ)
	(void)fcntl(p[0], F_SETPIPE_SZ, 1 << 20);
#endif
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	spawned = now_ms();
	rc = posix_spawnp(&pid, argv[i], &fa, NULL, argv + i, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc) {
		fprintf(stderr, "go_pipe: cannot run %s: %s\n", argv[i], strerror(rc));
		return 1;
	}
	burning = burn_ms > 0 && !pthread_create(&th, NULL, burn, &spawned);
	while ((got = read(p[0], buf, sizeof(buf))) != 0) {
		if (got < 0 && errno != EINTR)
			break;
		if (got > 0 && !output_began)
			began();
	}
	if (!output_began)
		began();
	close(p[0]);
	if (burning)
		pthread_join(th, NULL);
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
