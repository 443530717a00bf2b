/*
 * util.c: the library's set-up (cJSON's allocator), die(), the fatal
 * x*alloc wrappers, the per-thread error message of errors.h, small
 * string helpers, writing a file whole or not at all, and removing a
 * directory tree.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include "util.h"
#include "strbuf.h"
#include "errors.h"

#include <cJSON.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("escape-review: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(128);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void util_init(void)
{
	/* cJSON copies the hooks; it uses realloc() only with the C library's
	 * own malloc and free, so every allocation it makes is an xmalloc() */
	static cJSON_Hooks hooks = { xmalloc, free };

	cJSON_InitHooks(&hooks);
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory (%zu bytes)", n);
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void xgrow(void **arr, size_t *alloc, size_t nr, size_t size)
{
	size_t n;

	if (nr <= *alloc)
		return;
	n = *alloc < 8 ? 8 : *alloc;
	while (n < nr) {
		if (n > SIZE_MAX / 2 / size)
			die("array size overflow");
		n *= 2;
	}
	*arr = xrealloc(*arr, n * size);
	*alloc = n;
}

int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !memcmp(s + a - b, suffix, b);
}

int skip_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return 0;
	*rest = s + n;
	return 1;
}

size_t utf8_seq_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	unsigned long cp;

	if (!n)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2;
		cp = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3;
		cp = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4;
		cp = u[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	char *p;

	if (!la)
		return xstrdup(b);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	p = xmalloc(la + strlen(b) + 2);
	memcpy(p, a, la);
	p[la] = '/';
	strcpy(p + la + 1, b);
	return p;
}

/* ---- errors.h ---- */

/* The message on the heap, whatever its length (a compiler's whole output). */
static _Thread_local struct strbuf error_msg = STRBUF_INIT;

int error_set(int code, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	/* formatted aside first: an argument may be error_last() itself */
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_release(&error_msg);
	error_msg = sb;
	return code;
}

const char *error_last(void)
{
	return error_msg.buf;
}

void error_clear(void)
{
	strbuf_release(&error_msg);
}

void mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;

	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0777);
			*s = '/';
		}
	mkdir(p, 0777);
	free(p);
}

static atomic_uint tmp_serial;

int write_file_atomically(const char *path, const struct strbuf *content)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *fp;
	int ret = 0;

	/* one name per call: two threads may write the same file */
	strbuf_addf(&tmp, "%s.tmp.%ld.%u", path, (long)getpid(), atomic_fetch_add(&tmp_serial, 1u));
	fp = fopen(tmp.buf, "w");
	if (!fp) {
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(content->buf, 1, content->len, fp) != content->len) {
		fclose(fp);
		unlink(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fclose(fp)) {
		unlink(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp.buf, path) < 0) {
		unlink(tmp.buf);
		ret = error_set(ER_ERROR, "cannot write %s: %s", path, strerror(errno));
	}
out:
	strbuf_release(&tmp);
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int remove_tree(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
