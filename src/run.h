#ifndef RUN_H
#define RUN_H

/*
 * run.h: the one way this program starts another program.  It owns
 * spawning, the pipes and the exit status; it must never use a shell or
 * decide what a status means to the caller.
 *
 * Children are started with posix_spawnp() and an argv array: never through
 * a shell, so no file name, revision or flag can be interpreted as shell
 * syntax.  Only `go` (and, where libgit2 cannot serve, `git`) is run.
 *
 * Usage:
 *	struct child_process cp = CHILD_PROCESS_INIT;
 *	const char *argv[] = { "go", "env", "GOVERSION", NULL };
 *	cp.argv = argv;
 *	cp.dir = "/path/to/module";
 *	ret = child_capture(&cp, &out, 1 << 20, NULL, 0);
 *
 * Exit status: child_finish() and child_capture() return the exit code of
 * the child (0..255), 128 + N when it was killed by signal N, or a negative
 * ER_* code (error message set) when it could not be started at all;
 * ER_ENOGO-style decisions are the caller's (`spawn_errno` tells ENOENT).
 */

#include <sys/types.h>
#include <stddef.h>

struct strbuf;

struct child_process {
	const char *const *argv;  /* NULL-terminated; argv[0] searched on PATH */
	const char *dir;          /* working directory of the child, or NULL */
	const char *const *env;   /* extra "NAME=VALUE" entries, or "NAME" to unset */
	/*
	 * Standard streams: 0 inherits ours; -1 asks for a pipe, whose parent
	 * end replaces the -1 after child_start(); a value > 0 is an fd to use.
	 * no_stdin/no_stdout/no_stderr connect /dev/null instead.
	 */
	int in, out, err;
	unsigned no_stdin : 1, no_stdout : 1, no_stderr : 1;
	/* the child leads a process group of its own, which child_kill()
	 * ends whole; while it runs, SIGINT, SIGTERM, SIGHUP and SIGQUIT
	 * are passed on to it before they take effect here (it is not in
	 * the terminal's foreground group) */
	unsigned own_group : 1;
	pid_t pid;
	int spawn_errno;          /* errno of a failed spawn (ENOENT: not found) */
};

#define CHILD_PROCESS_INIT { NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, -1, 0 }

/*
 * A child's argv built up: `v` is NULL-terminated for child_process.argv.
 * child_argv_push() borrows `s` (it must outlive the argv);
 * child_argv_push_owned() takes it over (freed by child_argv_clear());
 * child_argv_split() pushes the words of `s` (split at blanks and
 * newlines; NULL pushes nothing), copied.
 */
struct child_argv {
	const char **v;
	size_t nr, alloc;
	char **owned;
	size_t owned_nr, owned_alloc;
};
#define CHILD_ARGV_INIT { NULL, 0, 0, NULL, 0, 0 }
void child_argv_push(struct child_argv *a, const char *s);
void child_argv_push_owned(struct child_argv *a, char *s);
void child_argv_split(struct child_argv *a, const char *s);
void child_argv_clear(struct child_argv *a);

/* The executable `name` would run as: searched on PATH unless it has a
 * '/'.  malloc'd, or NULL when there is none. */
char *run_which(const char *name);

/* Start the child; 0 or a negative ER_* code with the message set. */
int child_start(struct child_process *cp);
/* Wait for it; see "Exit status" above.  Closes no pipe ends. */
int child_finish(struct child_process *cp);
/*
 * End a started child that is no longer wanted, at once: SIGKILL to it (to
 * its whole group when own_group), and waited for.  Its status as
 * child_finish() (137); the pipe ends the caller holds are still open.
 */
int child_kill(struct child_process *cp);
/* child_start() + child_finish() with the streams as configured. */
int child_run(struct child_process *cp);

/*
 * Run the child, collecting its stdout into `out` and its stderr into `err`
 * (either may be NULL: the stream is inherited).  At most `max` bytes of
 * each are kept; the rest is read and discarded so the child never blocks.
 * Standard input is /dev/null.
 */
int child_capture(struct child_process *cp, struct strbuf *out, struct strbuf *err,
		  size_t max);

/*
 * child_capture() of stdout in two halves, for a child that runs while the
 * caller does other work: child_capture_start() starts it (stdin /dev/null,
 * stdout on a pipe, stderr inherited); child_capture_finish() reads its
 * stdout into `out` (at most `max` bytes kept, the rest discarded) and waits
 * for it.  A child whose output fills the pipe waits for the finish.
 */
int child_capture_start(struct child_process *cp);
int child_capture_finish(struct child_process *cp, struct strbuf *out, size_t max);
/*
 * A child of child_capture_start() that is no longer wanted: sent SIGTERM,
 * its stdout read to the end and dropped, and waited for (so it is never
 * left behind, and no time is spent on an answer nobody reads).  Its
 * status as child_finish() (143 when the signal ended it).
 */
int child_capture_abort(struct child_process *cp);
/*
 * A child whose stderr is handed to a callback chunk by chunk as it
 * arrives (the compiler's output streamed into a parser), started in one
 * thread and read in another: child_stream_start() starts it (stdin
 * /dev/null, stderr on a pipe, stdout on a pipe when `want_out`, else
 * /dev/null); child_stream_finish() hands each chunk of stderr to `cb`,
 * keeps stdout in `out` (bounded by `max_out`; NULL unless `want_out`)
 * and waits for it.  Until then the child may block on a full pipe.
 */
struct child_stream {
	void (*cb)(void *data, const char *buf, size_t len);
	/* where to read each chunk to (up to `*room` bytes; NULL, or when it
	 * returns NULL: a buffer of this module's), so that `cb` may take it
	 * in place (parse.h: parser_space); may be NULL */
	char *(*space)(void *data, size_t *room);
	/* called while stderr has nothing to read, until it returns 0 (it
	 * did nothing): work that need not wait for the child; may be NULL */
	int (*idle)(void *data);
};
int child_stream_start(struct child_process *cp, int want_out);
int child_stream_finish(struct child_process *cp, const struct child_stream *cs, void *data,
			struct strbuf *out, size_t max_out);

#endif
