/*
 * hook.c: the pre-push hook's input (git's ref update lines, read with
 * bounds) and the ranges of commits to review for each update (hook.h).
 * Reviewing them is main.c's; this file only reads and decides ranges.
 */
#include "hook.h"
#include "repo.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int push_sha_is_zero(const char *sha)
{
	if (!*sha)
		return 0;
	for (; *sha; sha++)
		if (*sha != '0')
			return 0;
	return 1;
}

static int is_sha(const char *s, size_t n)
{
	size_t i;

	if (n != GIT_OID_HEXSZ)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

void push_update_release(struct push_update *u)
{
	free(u->local_ref);
	free(u->remote_ref);
	memset(u, 0, sizeof(*u));
}

int push_update_parse(struct push_update *out, const char *line)
{
	const char *f[4];
	size_t len[4];
	const char *p = line;
	int i;

	push_update_release(out);
	for (i = 0; i < 4; i++) {
		const char *sp = strchr(p, ' ');

		f[i] = p;
		len[i] = sp ? (size_t)(sp - p) : strlen(p);
		if (!len[i] || (i < 3 && !sp) || (i == 3 && sp))
			goto bad;
		p += len[i] + 1;
	}
	if (!is_sha(f[1], len[1]) || !is_sha(f[3], len[3]))
		goto bad;
	out->local_ref = xstrndup(f[0], len[0]);
	out->remote_ref = xstrndup(f[2], len[2]);
	memcpy(out->local_sha, f[1], GIT_OID_HEXSZ);
	memcpy(out->remote_sha, f[3], GIT_OID_HEXSZ);
	return 0;
bad:
	return error_set(ER_EINPUT,
			 "pre-push input line is not '<local ref> <local sha> <remote ref> <remote sha>': '%.120s'",
			 line);
}

void push_updates_release(struct push_updates *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		push_update_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

int push_updates_read(struct push_updates *out, FILE *in)
{
	struct strbuf line = STRBUF_INIT;
	size_t lines = 0;
	int truncated = 0, ret = 0;

	while (!strbuf_getline(&line, in, HOOK_MAX_LINE, &truncated)) {
		if (truncated) {
			ret = error_set(ER_EINPUT, "pre-push input line %zu is longer than %d bytes",
					lines + 1, HOOK_MAX_LINE);
			goto out;
		}
		if (++lines > HOOK_MAX_LINES) {
			ret = error_set(ER_EINPUT, "pre-push input has more than %d lines", HOOK_MAX_LINES);
			goto out;
		}
		if (!line.len)
			continue;
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		memset(&out->items[out->nr], 0, sizeof(out->items[0]));
		if ((ret = push_update_parse(&out->items[out->nr], line.buf)))
			goto out;
		out->nr++;
		strbuf_reset(&line);
	}
out:
	strbuf_release(&line);
	return ret;
}

int push_ranges_add(struct push_ranges *l, const char *base, const char *head,
		    const char *ref, int from_root)
{
	size_t i;

	if (!strcmp(base, head))
		return 0;
	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i].base, base) && !strcmp(l->items[i].head, head))
			return 0;
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	memset(&l->items[l->nr], 0, sizeof(l->items[0]));
	snprintf(l->items[l->nr].base, sizeof(l->items[0].base), "%s", base);
	snprintf(l->items[l->nr].head, sizeof(l->items[0].head), "%s", head);
	l->items[l->nr].ref = xstrdup(ref);
	l->items[l->nr].from_root = !!from_root;
	l->nr++;
	return 1;
}

void push_ranges_release(struct push_ranges *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i].ref);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

/* The commit an object id names (peeling tags); 1 found, 0 not a commit, <0 missing. */
static int peel_commit(git_oid *out, git_repository *repo, const char *hex)
{
	git_object *obj = NULL, *peeled = NULL;
	git_oid id;
	int ret;

	if (git_oid_fromstr(&id, hex) < 0 || git_object_lookup(&obj, repo, &id, GIT_OBJECT_ANY) < 0)
		return -1;
	ret = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0 ? 0 : 1;
	if (ret)
		git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return ret;
}

/* The commit a reference points at (resolving symbolic ones); 0 when found. */
static int ref_commit(git_oid *out, git_repository *repo, const char *name)
{
	git_reference *ref = NULL, *resolved = NULL;
	int ret = -1;

	if (git_reference_lookup(&ref, repo, name) < 0)
		goto out;
	if (git_reference_resolve(&resolved, ref) < 0)
		goto out;
	{
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), git_reference_target(resolved));
		ret = peel_commit(out, repo, hex) == 1 ? 0 : -1;
	}
out:
	git_reference_free(resolved);
	git_reference_free(ref);
	error_clear();
	return ret;
}

/* Of two merge-bases, is `cand` newer than `best`? */
static int newer(git_repository *repo, const git_oid *cand, const git_oid *best)
{
	git_commit *a = NULL, *b = NULL;
	int ret;

	if (git_oid_equal(cand, best))
		return 0;
	if (git_graph_descendant_of(repo, cand, best) == 1)
		return 1;
	if (git_graph_descendant_of(repo, best, cand) == 1)
		return 0;
	if (git_commit_lookup(&a, repo, cand) < 0 || git_commit_lookup(&b, repo, best) < 0)
		ret = 0;
	else
		ret = git_commit_time(a) > git_commit_time(b);
	git_commit_free(a);
	git_commit_free(b);
	return ret;
}

/* Base for a new ref: see hook.h.  *from_root is set for the last resort. */
static int new_ref_base(git_oid *base, int *from_root, git_repository *repo,
			const char *remote, const git_oid *head)
{
	static const char *const defaults[] = { "HEAD", "main", "master" };
	git_reference_iterator *it = NULL;
	git_reference *ref;
	git_oid best;
	int have = 0;
	size_t i;

	*from_root = 0;
	if (strlen(remote) < 200 && !strchr(remote, '/') && !strchr(remote, ':')) {
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
			struct strbuf name = STRBUF_INIT;
			git_oid tip;
			int found;

			strbuf_addf(&name, "refs/remotes/%s/%s", remote, defaults[i]);
			found = !ref_commit(&tip, repo, name.buf);
			strbuf_release(&name);
			if (found && !git_merge_base(base, repo, head, &tip))
				return 0;
		}
	}
	if (git_reference_iterator_glob_new(&it, repo, "refs/remotes/*") < 0)
		return repo_error("cannot list the remote-tracking branches");
	while (!git_reference_next(&ref, it)) {
		git_oid tip, mb;

		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
		    !ref_commit(&tip, repo, git_reference_name(ref)) &&
		    !git_merge_base(&mb, repo, head, &tip) && (!have || newer(repo, &mb, &best))) {
			best = mb;
			have = 1;
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	error_clear();
	if (have) {
		*base = best;
		return 0;
	}
	/* nothing pushed before: the whole tree is new (base: no commit) */
	memset(base, 0, sizeof(*base));
	*from_root = 1;
	return 0;
}

int hook_ranges(struct push_ranges *out, git_repository *repo, const char *remote,
		const struct push_updates *updates)
{
	size_t i;

	for (i = 0; i < updates->nr; i++) {
		const struct push_update *u = &updates->items[i];
		char base_hex[GIT_OID_HEXSZ + 1], head_hex[GIT_OID_HEXSZ + 1];
		git_oid head, base;
		int from_root = 0, r, ret;

		if (push_sha_is_zero(u->local_sha))
			continue; /* deletion */
		r = peel_commit(&head, repo, u->local_sha);
		if (r < 0)
			return error_set(ER_EREPO, "%s: the pushed commit %.12s is not in this repository",
					 u->local_ref, u->local_sha);
		if (!r)
			continue; /* a tag of a tree or blob: no Go to review */
		r = push_sha_is_zero(u->remote_sha) ? 0 : peel_commit(&base, repo, u->remote_sha);
		if (r < 0)
			return error_set(ER_EREPO,
					 "%s: the remote's %s is at %.12s, which this repository does not have (git fetch %s, then push again)",
					 u->local_ref, u->remote_ref, u->remote_sha, remote);
		if (!r && (ret = new_ref_base(&base, &from_root, repo, remote, &head)))
			return ret;
		git_oid_tostr(base_hex, sizeof(base_hex), &base);
		git_oid_tostr(head_hex, sizeof(head_hex), &head);
		push_ranges_add(out, base_hex, head_hex, u->local_ref, from_root);
	}
	return 0;
}
