/*
 * bench/go_pipe.c: a command run as the review runs go, its stderr on a
 * pipe of 1 MiB (src/run.c: compat_pipe_grow) read to its end and dropped,
 * stdout on /dev/null, and waited for.  What receiving go's output costs a
 * reader that does nothing with it: bench/run.sh runs `go_pipe go build
 * ...` in turn with the bare build, whose stderr is /dev/null (go/ssa's
 * 2.9 MB, which go writes at once when the build is cached, cross the
 * pipe a mebibyte at a time).
 *
 *   cc -std=c17 -O2 -o BUILD/go_pipe bench/go_pipe.c
 *   go_pipe go build -gcflags=-m=2 -o /dev/null ./go/ssa
 *
 * Exits with the command's status (1 when it could not run).
 */
#define _GNU_SOURCE 1 /* F_SETPIPE_SZ; a Linux benchmark */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	posix_spawn_file_actions_t fa;
	int p[2], st, rc;
	pid_t pid;
	ssize_t got;

	if (argc < 2) {
		fprintf(stderr, "usage: go_pipe COMMAND [ARG...]\n");
		return 1;
	}
	if (pipe(p) < 0 || fcntl(p[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0) {
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
	rc = posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc) {
		fprintf(stderr, "go_pipe: cannot run %s: %s\n", argv[1], strerror(rc));
		return 1;
	}
	while ((got = read(p[0], buf, sizeof(buf))) != 0)
		if (got < 0 && errno != EINTR)
			break;
	close(p[0]);
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
