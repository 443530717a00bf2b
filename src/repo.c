/*
 * repo.c: the repository (repo.h), read with libgit2: opening it,
 * resolving revisions, commit trees and merge-bases, the work tree's
 * state, and paths in the git directory.
 */
#include "repo.h"
#include "errors.h"
#include "util.h"

#include <git2/sys/stream.h>
#include <git2/sys/transport.h>

#include <string.h>

/*
 * Debian's libgit2 (1.5, HTTPS over mbedTLS) parses the whole CA bundle,
 * /etc/ssl/certs/ca-certificates.crt, in git_libgit2_init(): about 6 ms of
 * every run, a pre-push hook's with no Go change included.  escape-review
 * reads local repositories only and never has libgit2 open a connection
 * (the forges are reached through http.c's libcurl, with its own trust
 * store), so that parse is never used.  The no-op below takes libgit2's
 * call: the bundle is not read, libgit2's chain stays empty, and a libgit2
 * TLS connection, were one ever made, would fail verification rather than
 * skip it.  A libgit2 built with OpenSSL never calls it.  The chain is an
 * mbedtls_x509_crt *.
 *
 * libgit2 linked from its archive (the Makefile's LIBGIT2_LINK), the
 * linker's --wrap sends its call to the __wrap_ name; linked shared, the
 * dynamic linker binds it to the program's own definition, first in its
 * search (tests/e2e/t10-core.sh checks both).  That definition is weak, so
 * mbedTLS's archive, linked in, keeps its own for mbedTLS's callers.
 */
int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path);
int __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

__attribute__((weak)) int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	return __wrap_mbedtls_x509_crt_parse_file(chain, path);
}

/*
 * The same for SSH: libgit2's global init calls libssh2_init(), which sets
 * up OpenSSL's engines and tables (about 0.9 ms of every run, measured with
 * a program that only calls git_libgit2_init()).  No SSH connection is
 * ever made through libgit2 here; OpenSSL 3 initialises itself on first use
 * anyway, so libssh2 would still work were one made (libssh2's own session
 * set-up calls its init, which --wrap does not redirect inside its
 * archive), and libcurl (loaded to publish, with its own TLS) does not need
 * it.  A libgit2 built without libssh2 never calls it.
 */
int __wrap_libssh2_init(int flags);
int __wrap_libssh2_init(int flags)
{
	(void)flags;
	return 0;
}

__attribute__((weak)) int libssh2_init(int flags);
int libssh2_init(int flags)
{
	return __wrap_libssh2_init(flags);
}

/*
 * Linked from libgit2's archives, its network code is left out.  The
 * linker's --wrap (the Makefile's LIBGIT2_WRAP) sends libgit2's own
 * references to the seven functions below, so the archive members that
 * define the originals are never pulled in, and with them neither mbedTLS
 * nor libssh2 and OpenSSL nor Kerberos's GSSAPI libraries: half the binary,
 * no Kerberos library for the dynamic linker to load, no entropy gathered
 * for a TLS random generator (0.8 ms of every run before go could start,
 * measured with `escape-review --unknown-option`; docs/benchmarks.md,
 * twentieth pass).  Were libgit2 ever asked to connect (escape-review
 * never asks it: the forges are reached through http.c), it gets one clear
 * error instead of a connection.  Linked shared, libgit2 calls its own,
 * and the two no-ops above keep its initialisation short.
 */
#define NO_CONNECTION "escape-review reads local repositories only: libgit2's network transports are not linked in"

int __wrap_git_mbedtls_stream_global_init(void);
int __wrap_git_mbedtls_stream_global_init(void)
{
	return 0;
}

int __wrap_git_transport_ssh_global_init(void);
int __wrap_git_transport_ssh_global_init(void)
{
	return 0;
}

int __wrap_git_mbedtls_stream_new(git_stream **out, const char *host, const char *port);
int __wrap_git_mbedtls_stream_new(git_stream **out, const char *host, const char *port)
{
	(void)host;
	(void)port;
	*out = NULL;
	git_error_set_str(GIT_ERROR_SSL, NO_CONNECTION);
	return -1;
}

int __wrap_git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host);
int __wrap_git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host)
{
	(void)in;
	(void)host;
	*out = NULL;
	git_error_set_str(GIT_ERROR_SSL, NO_CONNECTION);
	return -1;
}

int __wrap_git_mbedtls__set_cert_location(const char *file, const char *path);
int __wrap_git_mbedtls__set_cert_location(const char *file, const char *path)
{
	(void)file;
	(void)path;
	git_error_set_str(GIT_ERROR_SSL, NO_CONNECTION);
	return -1;
}

int __wrap_git_smart_subtransport_ssh(git_smart_subtransport **out, git_transport *owner,
				      void *param);
int __wrap_git_smart_subtransport_ssh(git_smart_subtransport **out, git_transport *owner,
				      void *param)
{
	(void)owner;
	(void)param;
	*out = NULL;
	git_error_set_str(GIT_ERROR_SSH, NO_CONNECTION);
	return -1;
}

/* libgit2's HTTP Negotiate (Kerberos) authentication: its context is a
 * type of libgit2's own, never made here. */
int __wrap_git_http_auth_negotiate(void **out, const void *url);
int __wrap_git_http_auth_negotiate(void **out, const void *url)
{
	(void)url;
	*out = NULL;
	git_error_set_str(GIT_ERROR_NET, NO_CONNECTION);
	return -1;
}

void repo_global_init(void)
{
	git_libgit2_init();
}

/* What to do about an index libgit2 cannot read, by its message, or "". */
static const char *index_hint(const char *msg)
{
	if (strstr(msg, "mandatory extension: 'link'"))
		return " (a split index, which libgit2 cannot read: run 'git update-index --no-split-index')";
	if (strstr(msg, "mandatory extension: 'sdir'"))
		return " (a sparse index, which libgit2 cannot read: run 'git sparse-checkout disable' or 'git config index.sparse false')";
	return "";
}

int repo_error(const char *what)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";

	return error_set(ER_EREPO, "%s: %s%s", what, msg, index_hint(msg));
}

int repo_open(git_repository **out, const char *path)
{
	if (git_repository_open_ext(out, path, 0, NULL) < 0) {
		const git_error *e = git_error_last();

		return error_set(ER_EREPO, "not a git repository: %s (%s); run inside a repository or use -C DIR",
				 path, e && e->message ? e->message : "not found");
	}
	return 0;
}

int repo_resolve(git_oid *out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	int ret = 0;

	if (git_revparse_single(&obj, repo, rev) < 0) {
		if (!strcmp(rev, "HEAD") && git_repository_head_unborn(repo) == 1)
			return error_set(ER_EREPO, "revision 'HEAD' does not exist: the repository has no commits yet; commit first");
		if (git_repository_is_shallow(repo) == 1)
			return error_set(ER_EREPO, "unknown revision '%s': this is a shallow clone that does not have it; fetch more history (git fetch --deepen=50, or --unshallow)", rev);
		return error_set(ER_EREPO, "unknown revision '%s': not a commit in this repository (fetch it, or check the name)", rev);
	}
	{
		git_object *peeled = NULL;

		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
			ret = error_set(ER_EREPO, "revision '%s' is not a commit", rev);
			goto out;
		}
		git_oid_cpy(out, git_object_id(peeled));
		git_object_free(peeled);
	}
out:
	git_object_free(obj);
	return ret;
}

char *repo_workdir_find(const char *path)
{
	git_repository *repo = NULL;
	char *root = NULL;
	const char *wd;

	if (git_repository_open_ext(&repo, path, 0, NULL) < 0)
		return NULL;
	wd = git_repository_workdir(repo);
	if (wd) {
		size_t n = strlen(wd);

		while (n > 1 && wd[n - 1] == '/')
			n--;
		root = xstrndup(wd, n);
	}
	git_repository_free(repo);
	return root;
}

int repo_commit_tree(git_oid *out, git_repository *repo, const git_oid *commit_id)
{
	git_commit *commit = NULL;

	if (git_commit_lookup(&commit, repo, commit_id) < 0)
		return repo_error("cannot read commit");
	git_oid_cpy(out, git_commit_tree_id(commit));
	git_commit_free(commit);
	return 0;
}

int repo_merge_base(git_oid *out, git_repository *repo, const git_oid *base, const git_oid *head,
		    const char *base_name, const char *head_name)
{
	if (git_merge_base(out, repo, base, head) < 0)
		return error_set(ER_EREPO,
				 "revisions '%s' and '%s' have no common ancestor (in a shallow clone, fetch more history: git fetch --deepen=50)",
				 base_name, head_name);
	return 0;
}

int repo_worktree_is(git_repository *repo, const git_oid *id)
{
	git_oid head;
	git_status_list *st = NULL;
	git_status_options so;
	size_t i, n;
	int clean = 1;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	if (git_repository_is_bare(repo) || git_reference_name_to_id(&head, repo, "HEAD") < 0 ||
	    git_oid_cmp(&head, id))
		return 0;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&st, repo, &so) < 0)
		return 0;
	n = git_status_list_entrycount(st);
	for (i = 0; i < n && clean; i++) {
		const git_status_entry *e = git_status_byindex(st, i);

		if (e->status == GIT_STATUS_WT_NEW) {
			const char *p = e->index_to_workdir ? e->index_to_workdir->new_file.path : "";

			if (ends_with(p, ".go") || ends_with(p, "go.mod") || ends_with(p, "go.work"))
				clean = 0;
		} else if (e->status != GIT_STATUS_IGNORED && e->status != GIT_STATUS_CURRENT) {
			clean = 0;
		}
	}
	git_status_list_free(st);
	return clean;
}

int repo_head_is(git_repository *repo, const git_oid *id)
{
	git_oid head;

	return !git_repository_is_bare(repo) && !git_reference_name_to_id(&head, repo, "HEAD") &&
	       !git_oid_cmp(&head, id);
}

int repo_worktree_paths_are(git_repository *repo, const git_oid *id, const char **paths, size_t n)
{
	git_status_list *st = NULL;
	git_status_options so;
	size_t i, count;
	int clean = 1;

	if (!repo_head_is(repo, id))
		return 0;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	/* literal paths: a directory stands for everything under it, and
	 * nothing else of the work tree is looked at */
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	so.pathspec.strings = (char **)paths;
	so.pathspec.count = n;
	if (git_status_list_new(&st, repo, &so) < 0)
		return 0;
	count = git_status_list_entrycount(st);
	for (i = 0; i < count && clean; i++) {
		const git_status_entry *e = git_status_byindex(st, i);

		if (e->status != GIT_STATUS_IGNORED && e->status != GIT_STATUS_CURRENT)
			clean = 0;
	}
	git_status_list_free(st);
	return clean;
}

char *repo_git_path(git_repository *repo, const char *name)
{
	return path_join(git_repository_path(repo), name);
}
