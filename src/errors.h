#ifndef ERRORS_H
#define ERRORS_H

/*
 * errors.h: the error codes every module returns, the exit codes of the
 * program, and the one per-thread error message (as libgit2's
 * git_error_last).  It owns the codes and the message; it must never print
 * (main.c and the commands do) nor hold a message in a fixed buffer.
 *
 * Convention: a function returns 0 on success or one of the negative ER_*
 * codes below.  The function that detects a failure sets the message once
 * with error_set() and returns the code; callers pass the code up
 * unchanged and do not overwrite the message.  Only main.c turns codes
 * into exit codes (er_exit_code()).
 */

enum er_code {
	ER_OK = 0,
	ER_ERROR = -1,     /* generic failure (I/O, system call) */
	ER_EUSAGE = -2,    /* bad command line */
	ER_ECONFIG = -3,   /* bad configuration file */
	ER_EREPO = -4,     /* not a repository, unknown revision, ... */
	ER_EANALYSIS = -5, /* the compiler could not analyse the code */
	ER_ENOGO = -6,     /* no `go` on PATH */
	ER_EPUBLISH = -7,  /* talking to GitHub / GitLab failed */
	ER_ETEMPLATE = -8, /* bad or missing template */
	ER_EINPUT = -9,    /* malformed input file (JSON, baseline, event) */
};

/* Exit codes, documented in --help and README.md. */
#define EXIT_CLEAN 0     /* nothing at or above --fail-on */
#define EXIT_FINDINGS 1  /* findings at or above --fail-on */
#define EXIT_USAGE 2     /* usage, configuration or repository error */
#define EXIT_ANALYSIS 3  /* analysis failed: build errors, no go */
#define EXIT_PUBLISH 4   /* publishing failed (findings were printed) */

/* Map an ER_* code to an exit code (main.c only). */
int er_exit_code(int code);

/* Set the message of the current error (printf-style, on the heap, any
 * length; an argument may be error_last()); returns `code` so that
 * `return error_set(ER_EREPO, "...")` reads naturally. */
__attribute__((format(printf, 2, 3)))
int error_set(int code, const char *fmt, ...);
/* The last message set, or "" when none. */
const char *error_last(void);
/* Forget (and free) the message: a thread that set one clears it before it ends. */
void error_clear(void);

#endif
