/*
 * strbuf.c: the growable byte buffer every other module builds text in.
 * See strbuf.h for the invariants; allocation failure is fatal (util.h).
 */
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->alloc = 0;
	sb->len = 0;
	sb->buf = strbuf_slopbuf;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len_out)
{
	char *res;

	strbuf_grow(sb, 0);
	res = sb->buf;
	if (len_out)
		*len_out = sb->len;
	strbuf_init(sb, 0);
	return res;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need;
	int fresh = !sb->alloc;

	if (extra >= SIZE_MAX - sb->len - 1)
		die("strbuf: size overflow");
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	if (sb->alloc < 64)
		sb->alloc = 64;
	while (sb->alloc < need)
		sb->alloc = sb->alloc / 2 * 3 + 16;
	if (fresh) {
		sb->buf = xmalloc(sb->alloc);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, sb->alloc);
	}
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (len > sb->len)
		strbuf_grow(sb, len - sb->len);
	if (!sb->alloc)
		return; /* len == 0 on the shared empty buffer */
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addchars(struct strbuf *sb, int c, size_t n)
{
	if (!n)
		return;
	strbuf_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_add_printable(struct strbuf *sb, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++)
		strbuf_addch(sb, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i]);
	if (s[i])
		strbuf_addstr(sb, "...");
}

void strbuf_addint(struct strbuf *sb, long long v)
{
	char digits[24];
	size_t n = sizeof(digits);
	/* the magnitude, unsigned so that LLONG_MIN has one */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--n] = '-';
	strbuf_add(sb, digits + n, sizeof(digits) - n);
}

void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other)
{
	strbuf_add(sb, other->buf, other->len);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("strbuf: bad format string");
	if (sb->alloc && (size_t)n < sb->alloc - sb->len) {
		sb->len += (size_t)n;
		return;
	}
	strbuf_grow(sb, (size_t)n);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
	size_t n = sb->len;

	while (n && isspace((unsigned char)sb->buf[n - 1]))
		n--;
	strbuf_setlen(sb, n);
}

void strbuf_ltrim(struct strbuf *sb)
{
	size_t i = 0;

	while (i < sb->len && isspace((unsigned char)sb->buf[i]))
		i++;
	if (!i)
		return;
	memmove(sb->buf, sb->buf + i, sb->len - i);
	strbuf_setlen(sb, sb->len - i);
}

void strbuf_trim(struct strbuf *sb)
{
	strbuf_rtrim(sb);
	strbuf_ltrim(sb);
}

int strbuf_starts_with(const struct strbuf *sb, const char *prefix)
{
	size_t n = strlen(prefix);

	return sb->len >= n && !memcmp(sb->buf, prefix, n);
}

int strbuf_ends_with(const struct strbuf *sb, const char *suffix)
{
	size_t n = strlen(suffix);

	return sb->len >= n && !memcmp(sb->buf + sb->len - n, suffix, n);
}

/*
 * Read until EOF or past `max`: 64 KiB at a time, grown for each read, or
 * (`sized`) into the room there is, grown only when there is none.
 */
static long read_fd(struct strbuf *sb, int fd, size_t max, int sized)
{
	size_t total = 0;

	for (;;) {
		size_t want = 65536, room;
		ssize_t got;

		if (total > max)
			break;
		if (want > max + 1 - total)
			want = max + 1 - total;
		room = sb->alloc ? sb->alloc - sb->len - 1 : 0;
		if (sized && room)
			want = room < max + 1 - total ? room : max + 1 - total;
		else
			strbuf_grow(sb, want);
		got = read(fd, sb->buf + sb->len, want);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			sb->buf[sb->len] = '\0';
			return -1;
		}
		if (!got)
			break;
		sb->len += (size_t)got;
		sb->buf[sb->len] = '\0';
		total += (size_t)got;
	}
	return (long)total;
}

long strbuf_read_fd(struct strbuf *sb, int fd, size_t max)
{
	return read_fd(sb, fd, max, 0);
}

/*
 * A regular file is read into room for its size and one byte more (to see
 * its end), grown once: with 64 KiB of room asked for each read, a source
 * file of 10 KB took a buffer of 65 to 100 KB and a copy, and new mode on
 * go/ssa held 2.3 MB of buffers for its sources.
 */
long strbuf_read_file(struct strbuf *sb, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	long n;
	int saved;

	if (fd < 0)
		return -1;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (uintmax_t)st.st_size <= max) {
		strbuf_grow(sb, (size_t)st.st_size + 1);
		n = read_fd(sb, fd, max, 1);
	} else {
		n = read_fd(sb, fd, max, 0);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return n;
}

int strbuf_getline(struct strbuf *sb, FILE *fp, size_t max, int *truncated)
{
	int c, any = 0, cr_last = 0;
	size_t kept = 0;

	if (truncated)
		*truncated = 0;
	while ((c = getc(fp)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		/* a '\r' is dropped only when it was kept and the '\n' follows it */
		cr_last = 0;
		if (kept < max) {
			strbuf_addch(sb, c);
			kept++;
			cr_last = c == '\r';
		} else if (truncated) {
			*truncated = 1;
		}
	}
	if (!any)
		return EOF;
	if (cr_last && c == '\n')
		strbuf_setlen(sb, sb->len - 1);
	return 0;
}
