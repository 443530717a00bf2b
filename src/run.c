/*
 * run.c: starting child processes with posix_spawnp and an argv (no shell),
 * wiring their standard streams, and collecting their output with poll()
 * so that neither pipe can fill up and block the child.
 */
#include "compat.h"
#include "run.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/*
 * POSIX.1-2008 cannot make a pipe close-on-exec atomically (compat.h):
 * making pipes and spawning under one lock keeps a child started by
 * another thread from inheriting a pipe end, which would hold our
 * reader's EOF until that child exits.
 */
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The process groups of running own_group children (0: a free slot), for
 * pass_on(): written under spawn_lock, read by the signal handler.
 */
#define GROUPS_MAX 4
static volatile sig_atomic_t groups[GROUPS_MAX];
static const int passed_on[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction before_pass_on[ARRAY_SIZE(passed_on)];

/* A signal that ends this process ends the children's own groups first,
 * then takes the effect it had before (async-signal-safe calls only). */
static void pass_on(int sig)
{
	size_t i;

	for (i = 0; i < GROUPS_MAX; i++)
		if (groups[i] > 0)
			kill(-(pid_t)groups[i], sig);
	for (i = 0; i < ARRAY_SIZE(passed_on); i++)
		if (passed_on[i] == sig)
			sigaction(sig, &before_pass_on[i], NULL);
	raise(sig);
}

/* Under spawn_lock: the handlers, once; a signal this process ignores
 * (nohup's SIGHUP, a background job's SIGINT) stays ignored. */
static void pass_on_install(void)
{
	static int installed;
	struct sigaction sa;
	size_t i;

	if (installed)
		return;
	installed = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pass_on;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(passed_on); i++) {
		if (sigaction(passed_on[i], NULL, &before_pass_on[i]) < 0 ||
		    before_pass_on[i].sa_handler == SIG_IGN)
			continue;
		sigaction(passed_on[i], &sa, NULL);
	}
}

/* Note (pid > 0) or forget (pid < 0: -pid) an own group; under spawn_lock. */
static void group_note(pid_t pid)
{
	size_t i;

	for (i = 0; i < GROUPS_MAX; i++) {
		if (pid > 0 && !groups[i]) {
			groups[i] = pid;
			return;
		}
		if (pid < 0 && groups[i] == -pid) {
			groups[i] = 0;
			return;
		}
	}
}

/* Build the child's environment: ours, minus names to unset, plus extras. */
static char **make_env(const char *const *extra)
{
	size_t n = 0, k = 0, i, j;
	char **env;

	for (i = 0; environ[i]; i++)
		n++;
	for (i = 0; extra && extra[i]; i++)
		n++;
	env = xcalloc(n + 1, sizeof(*env));
	for (i = 0; environ[i]; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int drop = 0;

		for (j = 0; extra && extra[j]; j++) {
			const char *e = extra[j], *eeq = strchr(e, '=');
			size_t elen = eeq ? (size_t)(eeq - e) : strlen(e);

			if (elen == len && !strncmp(e, environ[i], len))
				drop = 1;
		}
		if (!drop)
			env[k++] = environ[i];
	}
	for (j = 0; extra && extra[j]; j++)
		if (strchr(extra[j], '='))
			env[k++] = (char *)extra[j];
	env[k] = NULL;
	return env;
}

static int setup_stream(posix_spawn_file_actions_t *fa, int *field, int target,
			int devnull, int pipes[2], int *parent_end)
{
	*parent_end = -1;
	if (devnull) {
		return posix_spawn_file_actions_addopen(fa, target, "/dev/null",
							target ? O_WRONLY : O_RDONLY, 0);
	}
	if (*field == -1) {
		if (compat_pipe_cloexec(pipes) < 0)
			return errno;
		if (target == 0) {
			*parent_end = pipes[1];
			return posix_spawn_file_actions_adddup2(fa, pipes[0], 0);
		}
		*parent_end = pipes[0];
		return posix_spawn_file_actions_adddup2(fa, pipes[1], target);
	}
	if (*field > 0)
		return posix_spawn_file_actions_adddup2(fa, *field, target);
	return 0;
}

char *run_which(const char *name)
{
	const char *path = getenv("PATH"), *p;
	struct strbuf sb = STRBUF_INIT;
	int found = 0;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : xstrdup(name);
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path; !found; p++) {
		const char *end = p + strcspn(p, ":");

		strbuf_reset(&sb);
		if (end > p)
			strbuf_add(&sb, p, (size_t)(end - p));
		else
			strbuf_addch(&sb, '.');
		strbuf_addf(&sb, "/%s", name);
		found = !access(sb.buf, X_OK);
		if (!*end)
			break;
		p = end;
	}
	if (found)
		return strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	return NULL;
}

/* 1 when `name` (with a '/': as it is) names an executable file on PATH. */
static int on_path(const char *name)
{
	char *full = run_which(name);

	free(full);
	return full != NULL;
}

int child_start(struct child_process *cp)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int p[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int parent[3] = { -1, -1, -1 };
	int *fields[3] = { &cp->in, &cp->out, &cp->err };
	unsigned nulls[3] = { cp->no_stdin, cp->no_stdout, cp->no_stderr };
	char **env = NULL;
	int rc, i, ret = 0;

	if (!cp->argv || !cp->argv[0])
		return error_set(ER_ERROR, "internal error: empty argv");
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	pthread_mutex_lock(&spawn_lock);
	if (cp->own_group) {
		for (i = 0; i < GROUPS_MAX && groups[i]; i++)
			;
		if (i == GROUPS_MAX) {
			ret = error_set(ER_ERROR, "internal error: more than %d process groups", GROUPS_MAX);
			goto out;
		}
		pass_on_install();
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
		posix_spawnattr_setpgroup(&attr, 0);
	}
	for (i = 0; i < (int)ARRAY_SIZE(fields); i++) {
		rc = setup_stream(&fa, fields[i], i, nulls[i], p[i], &parent[i]);
		if (rc) {
			ret = error_set(ER_ERROR, "cannot set up pipes for %s: %s",
					cp->argv[0], strerror(rc));
			goto out;
		}
	}
	if (cp->dir && (rc = compat_spawn_addchdir(&fa, cp->dir))) {
		ret = error_set(ER_ERROR, "cannot change to %s: %s", cp->dir, strerror(rc));
		goto out;
	}
	env = make_env(cp->env);
	/* POSIX lets posix_spawnp() report a missing program as a child that
	 * exits 127 (glibc under valgrind does): look it up first */
	rc = on_path(cp->argv[0]) ? 0 : ENOENT;
	if (!rc)
		rc = posix_spawnp(&cp->pid, cp->argv[0], &fa, &attr, (char *const *)cp->argv, env);
	if (rc) {
		cp->spawn_errno = rc;
		cp->pid = -1;
		ret = error_set(ER_ERROR, "cannot run %s: %s", cp->argv[0], strerror(rc));
		goto out;
	}
	for (i = 0; i < (int)ARRAY_SIZE(fields); i++)
		if (parent[i] >= 0)
			*fields[i] = parent[i];
	if (cp->own_group)
		group_note(cp->pid);
out:
	pthread_mutex_unlock(&spawn_lock);
	for (i = 0; i < (int)ARRAY_SIZE(fields); i++) {
		/* close the child's ends, and on failure our ends too */
		if (p[i][0] >= 0 && p[i][0] != parent[i])
			close(p[i][0]);
		if (p[i][1] >= 0 && p[i][1] != parent[i])
			close(p[i][1]);
		if (ret && parent[i] >= 0)
			close(parent[i]);
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(env);
	return ret;
}

int child_finish(struct child_process *cp)
{
	int status;

	if (cp->pid <= 0)
		return error_set(ER_ERROR, "internal error: no child to wait for");
	while (waitpid(cp->pid, &status, 0) < 0) {
		if (errno != EINTR)
			return error_set(ER_ERROR, "waitpid failed: %s", strerror(errno));
	}
	if (cp->own_group) {
		pthread_mutex_lock(&spawn_lock);
		group_note(-cp->pid);
		pthread_mutex_unlock(&spawn_lock);
	}
	cp->pid = -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int child_run(struct child_process *cp)
{
	int ret = child_start(cp);

	if (ret)
		return ret;
	return child_finish(cp);
}

struct sink {
	int fd;
	struct strbuf *buf;
	size_t max;
	void (*cb)(void *, const char *, size_t);
	/* where `cb` wants the next bytes read (NULL: the chunk below) */
	char *(*space)(void *, size_t *);
	/* called while nothing is ready to read: 1 when it did something */
	int (*idle)(void *);
	void *data;
};

/* The idle callbacks of the open sinks; 1 when one did something. */
static int sinks_idle(struct sink *s, int n)
{
	int i, did = 0;

	for (i = 0; i < n; i++)
		if (s[i].fd >= 0 && s[i].idle)
			did |= s[i].idle(s[i].data);
	return did;
}

/* Read every sink until all reach EOF. */
static void drain(struct sink *s, int n)
{
	char chunk[65536];
	int open_nr = n;

	while (open_nr) {
		struct pollfd pfd[2];
		int idx[2], m = 0, i, ready = -1, idle = 0;

		for (i = 0; i < n; i++)
			if (s[i].fd >= 0) {
				pfd[m].fd = s[i].fd;
				pfd[m].events = POLLIN;
				idle |= s[i].idle != NULL;
				idx[m++] = i;
			}
		/* nothing to read yet: the idle work first, then look again */
		if (idle && !(ready = poll(pfd, (nfds_t)m, 0)) && sinks_idle(s, n))
			continue;
		if (ready <= 0 && poll(pfd, (nfds_t)m, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < m; i++) {
			struct sink *k = &s[idx[i]];
			char *to = chunk;
			size_t room = sizeof(chunk);
			ssize_t got;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
				continue;
			if (k->space && !(to = k->space(k->data, &room))) {
				to = chunk;
				room = sizeof(chunk);
			}
			got = read(k->fd, to, room);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(k->fd);
				k->fd = -1;
				open_nr--;
				continue;
			}
			if (k->cb)
				k->cb(k->data, to, (size_t)got);
			if (k->buf && k->buf->len < k->max) {
				size_t left = k->max - k->buf->len;
				strbuf_add(k->buf, to, (size_t)got < left ? (size_t)got : left);
			}
		}
	}
}

int child_capture(struct child_process *cp, struct strbuf *out, struct strbuf *err,
		  size_t max)
{
	struct sink s[2];
	int n = 0, ret;

	cp->no_stdin = 1;
	cp->out = out ? -1 : 0;
	cp->err = err ? -1 : 0;
	ret = child_start(cp);
	if (ret)
		return ret;
	if (out)
		s[n++] = (struct sink){ cp->out, out, max, NULL, NULL, NULL, NULL };
	if (err)
		s[n++] = (struct sink){ cp->err, err, max, NULL, NULL, NULL, NULL };
	drain(s, n);
	return child_finish(cp);
}

int child_capture_start(struct child_process *cp)
{
	cp->no_stdin = 1;
	cp->out = -1;
	cp->err = 0;
	return child_start(cp);
}

int child_capture_finish(struct child_process *cp, struct strbuf *out, size_t max)
{
	struct sink s = { cp->out, out, max, NULL, NULL, NULL, NULL };

	drain(&s, 1);
	return child_finish(cp);
}

int child_kill(struct child_process *cp)
{
	/* the pid is ours until child_finish() reaps it (see below) */
	if (cp->pid > 0)
		kill(cp->own_group ? -cp->pid : cp->pid, SIGKILL);
	return child_finish(cp);
}

int child_capture_abort(struct child_process *cp)
{
	struct sink s = { cp->out, NULL, 0, NULL, NULL, NULL, NULL };

	/* the pid is ours until child_finish() reaps it: no other process
	 * can have been given it meanwhile */
	if (cp->pid > 0)
		kill(cp->pid, SIGTERM);
	drain(&s, 1);
	return child_finish(cp);
}

/* A streamed child's stderr pipe: go writes a package's cached output in
 * one write() of megabytes (compat_pipe_grow). */
#define STREAM_PIPE_SIZE (1 << 20)

int child_stream_start(struct child_process *cp, int want_out)
{
	int ret;

	cp->no_stdin = 1;
	cp->err = -1;
	if (want_out)
		cp->out = -1;
	else
		cp->no_stdout = 1;
	ret = child_start(cp);
	if (!ret)
		compat_pipe_grow(cp->err, STREAM_PIPE_SIZE);
	return ret;
}

int child_stream_finish(struct child_process *cp, const struct child_stream *cs, void *data,
			struct strbuf *out, size_t max_out)
{
	struct sink s[2];
	int n = 0;

	s[n++] = (struct sink){ cp->err, NULL, 0, cs->cb, cs->space, cs->idle, data };
	if (out)
		s[n++] = (struct sink){ cp->out, out, max_out, NULL, NULL, NULL, NULL };
	drain(s, n);
	return child_finish(cp);
}

void child_argv_push(struct child_argv *a, const char *s)
{
	ALLOC_GROW(a->v, a->nr + 2, a->alloc);
	a->v[a->nr++] = s;
	a->v[a->nr] = NULL;
}

void child_argv_push_owned(struct child_argv *a, char *s)
{
	ALLOC_GROW(a->owned, a->owned_nr + 1, a->owned_alloc);
	a->owned[a->owned_nr++] = s;
	child_argv_push(a, s);
}

void child_argv_split(struct child_argv *a, const char *s)
{
	while (s && *s) {
		size_t n;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		n = strcspn(s, " \t\n");
		if (n)
			child_argv_push_owned(a, xstrndup(s, n));
		s += n;
	}
}

void child_argv_clear(struct child_argv *a)
{
	size_t i;

	for (i = 0; i < a->owned_nr; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->v);
	memset(a, 0, sizeof(*a));
}
