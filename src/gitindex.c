/*
 * gitindex.c: the index file read in place (gitindex.h): its entries
 * (versions 2 to 4) and its cache tree, from git's documented format
 * (Documentation/gitformat-index.txt), refusing what it does not read.
 */
#include "gitindex.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEADER_LEN 12
#define TRAILER_LEN GITINDEX_ID_LEN
#define ENTRY_FIXED 62          /* ten 32-bit stat fields, the id, the flags */
#define FLAG_EXTENDED 0x4000
#define FLAG_STAGE_SHIFT 12
#define FLAG_NAME_MASK 0x0fff
#define XFLAG_SKIP_WORKTREE 0x4000
#define XFLAG_INTENT_TO_ADD 0x2000
#define TREE_DEPTH_MAX 4096
/* Version 4's paths, expanded, may take this many bytes per byte of the
 * entries (and 1 MiB): git's own share prefixes, not whole long paths
 * again and again (a crafted file would otherwise expand quadratically). */
#define NAMES_PER_BYTE 16

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

void gitindex_release(struct gitindex *ix)
{
	if (ix->map)
		munmap(ix->map, ix->map_len);
	free(ix->entries);
	free(ix->trees);
	free(ix->buf);
	free(ix->names);
	memset(ix, 0, sizeof(*ix));
}

/* git's offset varint (version 4's prefix length); 0 past `end`. */
static int varint(size_t *out, const unsigned char **p, const unsigned char *end)
{
	size_t v;
	unsigned char c;

	if (*p >= end)
		return 0;
	c = *(*p)++;
	v = c & 0x7f;
	while (c & 0x80) {
		if (*p >= end || v > (SIZE_MAX >> 8))
			return 0;
		c = *(*p)++;
		v = ((v + 1) << 7) | (c & 0x7f);
	}
	*out = v;
	return 1;
}

/* The entries from `p`; the end of the last one, or NULL when they do not
 * parse.  Version 4's paths are expanded into `ix->names`. */
static const unsigned char *read_entries(struct gitindex *ix, unsigned version,
					 const unsigned char *p, const unsigned char *end)
{
	struct strbuf names = STRBUF_INIT;
	size_t i, prev = 0, prev_len = 0, *off = version == 4 ? xcalloc(ix->nr + 1, sizeof(*off)) : NULL;
	const size_t names_max = NAMES_PER_BYTE * (size_t)(end - p) + (1 << 20);

	for (i = 0; i < ix->nr; i++) {
		struct gitindex_entry *e = &ix->entries[i];
		const unsigned char *start = p, *nul;
		unsigned flags, xflags = 0;
		size_t fixed = ENTRY_FIXED, len;

		if ((size_t)(end - p) < ENTRY_FIXED)
			goto bad;
		e->ctime_sec = be32(p);
		e->ctime_nsec = be32(p + 4);
		e->mtime_sec = be32(p + 8);
		e->mtime_nsec = be32(p + 12);
		e->dev = be32(p + 16);
		e->ino = be32(p + 20);
		e->mode = be32(p + 24);
		e->uid = be32(p + 28);
		e->gid = be32(p + 32);
		e->size = be32(p + 36);
		memcpy(e->id, p + 40, GITINDEX_ID_LEN);
		flags = be16(p + 60);
		if (flags & FLAG_EXTENDED) {
			if (version < 3 || (size_t)(end - p) < ENTRY_FIXED + 2)
				goto bad;
			xflags = be16(p + 62);
			fixed += 2;
		}
		e->stage = (flags >> FLAG_STAGE_SHIFT) & 3;
		e->skip_worktree = !!(xflags & XFLAG_SKIP_WORKTREE);
		e->intent_to_add = !!(xflags & XFLAG_INTENT_TO_ADD);
		p += fixed;
		if (off) {
			size_t strip;

			/* the previous path less its last `strip` bytes, then these */
			if (!varint(&strip, &p, end) || strip > prev_len ||
			    !(nul = memchr(p, '\0', (size_t)(end - p))))
				goto bad;
			off[i] = names.len;
			if (names.len + prev_len - strip + (size_t)(nul - p) + 1 > names_max)
				goto bad; /* paths that only grow: not an index read here */
			strbuf_grow(&names, prev_len - strip + (size_t)(nul - p) + 1);
			strbuf_add(&names, names.buf + prev, prev_len - strip);
			strbuf_add(&names, p, (size_t)(nul - p) + 1);
			prev = off[i];
			prev_len = names.len - prev - 1;
			p = nul + 1;
			continue;
		}
		if (!(nul = memchr(p, '\0', (size_t)(end - p))))
			goto bad;
		len = (size_t)(nul - p);
		if ((flags & FLAG_NAME_MASK) != FLAG_NAME_MASK && len != (flags & FLAG_NAME_MASK))
			goto bad;
		e->path = (const char *)p;
		/* padded with 1 to 8 NULs to a multiple of 8 bytes */
		len = (fixed + len + 8) & ~(size_t)7;
		if ((size_t)(end - start) < len)
			goto bad;
		p = start + len;
	}
	if (off) {
		ix->names = strbuf_detach(&names, NULL);
		for (i = 0; i < ix->nr; i++)
			ix->entries[i].path = ix->names + off[i];
		free(off);
	}
	for (i = 0; i < ix->nr; i++)
		if (!*ix->entries[i].path || (i && strcmp(ix->entries[i - 1].path, ix->entries[i].path) > 0))
			return NULL; /* not sorted: not an index read here */
	return p;
bad:
	strbuf_release(&names);
	free(off);
	return NULL;
}

/* A decimal number at `*p`, `-` first when `negative_ok`, ended by `stop`
 * (skipped) before `end`; 0 when there is none. */
static int decimal(long *out, const unsigned char **p, const unsigned char *end, int negative_ok,
		   unsigned char stop)
{
	const unsigned char *q = *p;
	long v = 0;
	int neg = 0, digits = 0;

	if (negative_ok && q < end && *q == '-') {
		neg = 1;
		q++;
	}
	for (; q < end && *q >= '0' && *q <= '9'; q++, digits++) {
		if (v > (LONG_MAX - 9) / 10)
			return 0;
		v = v * 10 + (*q - '0');
	}
	if (!digits || q >= end || *q != stop)
		return 0;
	*out = neg ? -v : v;
	*p = q + 1;
	return 1;
}

/* The cache tree's nodes from `p` (the TREE extension's `n` bytes), with
 * each node's children counted; 0, or 1 when it does not parse. */
static int read_tree(struct gitindex *ix, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	size_t alloc = 0, *stack = NULL, *left = NULL, depth = 0;
	int ret = 1;

	while (p < end) {
		struct gitindex_tree *t;
		const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
		long count, subtrees;

		if (!nul)
			goto out;
		ALLOC_GROW(ix->trees, ix->trees_nr + 1, alloc);
		t = &ix->trees[ix->trees_nr];
		memset(t, 0, sizeof(*t));
		t->name = (const char *)p;
		t->name_len = (size_t)(nul - p);
		p = nul + 1;
		/* "COUNT SUBTREES\n", COUNT -1 for an invalidated directory */
		if (!decimal(&count, &p, end, 1, ' ') || !decimal(&subtrees, &p, end, 0, '\n'))
			goto out;
		if (count >= 0) {
			if ((size_t)(end - p) < GITINDEX_ID_LEN)
				goto out;
			memcpy(t->id, p, GITINDEX_ID_LEN);
			t->valid = 1;
			p += GITINDEX_ID_LEN;
		}
		t->children_nr = (size_t)subtrees;
		t->first_child = ix->trees_nr + 1;
		if (depth) {
			left[depth - 1]--;
		} else if (ix->trees_nr) {
			goto out; /* a second root */
		}
		if (depth == TREE_DEPTH_MAX)
			goto out;
		stack = xrealloc(stack, (depth + 1) * sizeof(*stack));
		left = xrealloc(left, (depth + 1) * sizeof(*left));
		stack[depth] = ix->trees_nr;
		left[depth] = (size_t)subtrees;
		depth++;
		ix->trees_nr++;
		while (depth && !left[depth - 1])
			ix->trees[stack[--depth]].next = ix->trees_nr;
	}
	ret = depth ? 1 : 0;
out:
	free(stack);
	free(left);
	if (ret) {
		free(ix->trees);
		ix->trees = NULL;
		ix->trees_nr = 0;
	}
	return ret;
}

/* The extensions between `p` and `end` (the trailer); 0, or 1. */
static int read_extensions(struct gitindex *ix, const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		uint32_t n;

		if ((size_t)(end - p) < 8)
			return 1;
		n = be32(p + 4);
		if ((size_t)(end - p) - 8 < n)
			return 1;
		if (!memcmp(p, "TREE", 4)) {
			if (read_tree(ix, p + 8, n))
				return 1;
		} else if (p[0] < 'A' || p[0] > 'Z') {
			return 1; /* required and not read here: "link", "sdir" */
		}
		p += 8 + n;
	}
	return 0;
}

/* Entries and cache tree from `len` bytes at `buf` (kept by the caller);
 * 0, or 1 with what was read released. */
static int parse(struct gitindex *out, const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf, *end;
	unsigned version;
	size_t nr;

	if (len < HEADER_LEN + TRAILER_LEN)
		return 1;
	end = p + len - TRAILER_LEN;
	version = be32(p + 4);
	nr = be32(p + 8);
	if (memcmp(p, "DIRC", 4) || version < 2 || version > 4 ||
	    nr > (len - HEADER_LEN - TRAILER_LEN) / ENTRY_FIXED)
		return 1;
	out->nr = nr;
	out->entries = xcalloc(nr + 1, sizeof(*out->entries));
	p = read_entries(out, version, p + HEADER_LEN, end);
	if (!p || read_extensions(out, p, end)) {
		free(out->entries);
		free(out->trees);
		free(out->names);
		out->entries = NULL;
		out->trees = NULL;
		out->names = NULL;
		out->nr = out->trees_nr = 0;
		return 1;
	}
	return 0;
}

int gitindex_parse(struct gitindex *out, char *buf, size_t len)
{
	struct stat st = out->st;

	memset(out, 0, sizeof(*out));
	out->st = st;
	out->buf = buf;
	if (parse(out, buf, len)) {
		gitindex_release(out);
		return 1;
	}
	return 0;
}

/* Mapped, not read: its pages come from the page cache a few at a fault,
 * where a buffer read into would fault in each.  git replaces the file
 * (a new one renamed over it), never rewrites it in place. */
int gitindex_read(struct gitindex *out, const char *path)
{
	void *map;
	int fd, ret = -1;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &out->st) < 0)
		goto out;
	ret = 1;
	if (out->st.st_size < HEADER_LEN + TRAILER_LEN || (uintmax_t)out->st.st_size > SIZE_MAX)
		goto out;
	map = mmap(NULL, (size_t)out->st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		ret = -1;
		goto out;
	}
	out->map = map;
	out->map_len = (size_t)out->st.st_size;
	ret = parse(out, map, out->map_len);
out:
	close(fd);
	if (ret)
		gitindex_release(out);
	return ret;
}

const struct gitindex_tree *gitindex_tree_child(const struct gitindex *ix,
						const struct gitindex_tree *t,
						const char *name, size_t len)
{
	size_t i, c = t->first_child;

	for (i = 0; i < t->children_nr && c < ix->trees_nr; i++) {
		const struct gitindex_tree *k = &ix->trees[c];

		if (k->name_len == len && !memcmp(k->name, name, len))
			return k;
		c = k->next;
	}
	return NULL;
}
