/*
 * rec.c: the caches' token encoding (rec.h): numbers in decimal and
 * length-prefixed strings, each followed by a space, written into a
 * strbuf and read back in place with bounds checked.
 */
#include "rec.h"
#include "strbuf.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* `v` in decimal (after a '-' when `neg`), then `end`: by hand, as printf
 * would write it (the caches write tens of thousands of numbers). */
static void put_decimal(struct strbuf *sb, unsigned long long v, int neg, char end)
{
	char buf[24];
	size_t i = sizeof(buf);

	buf[--i] = end;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		buf[--i] = '-';
	strbuf_add(sb, buf + i, sizeof(buf) - i);
}

void rec_put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		strbuf_addstr(sb, "~ ");
		return;
	}
	rec_put_mem(sb, s, strlen(s));
}

void rec_put_mem(struct strbuf *sb, const char *s, size_t n)
{
	put_decimal(sb, n, 0, ':');
	strbuf_add(sb, s, n);
	strbuf_addch(sb, ' ');
}

void rec_put_num(struct strbuf *sb, long long v)
{
	put_decimal(sb, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, v < 0, ' ');
}

void rec_put_u64(struct strbuf *sb, unsigned long long v)
{
	put_decimal(sb, v, 0, ' ');
}

unsigned long long rec_rd_u64(struct rec_rd *r, int stop)
{
	unsigned long long v = 0;
	const char *start = r->p;

	if (r->bad)
		return 0;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		unsigned d = (unsigned)(*r->p++ - '0');

		/* v * 10 + d > UINT64_MAX: only a v this large can say so */
		if (v >= UINT64_MAX / 10 && (v > UINT64_MAX / 10 || d > UINT64_MAX % 10)) {
			r->bad = 1;
			return 0;
		}
		v = v * 10 + d;
	}
	if (r->p == start || r->p - start > 20 || r->p >= r->end || *r->p != stop)
		r->bad = 1;
	if (r->bad)
		return 0;
	r->p++;
	return v;
}

long long rec_rd_num(struct rec_rd *r, long long lo, long long hi)
{
	int neg = r->p < r->end && *r->p == '-';
	unsigned long long m;
	long long v = 0;

	r->p += neg;
	m = rec_rd_u64(r, ' ');
	if (m > (unsigned long long)LLONG_MAX + (unsigned)neg)
		r->bad = 1;
	else if (neg)
		v = m ? -(long long)(m - 1) - 1 : 0; /* LLONG_MIN too */
	else
		v = (long long)m;
	if (r->bad || v < lo || v > hi) {
		r->bad = 1;
		return 0;
	}
	return v;
}

const char *rec_rd_str(struct rec_rd *r, size_t *len)
{
	unsigned long long n;
	const char *s;

	*len = 0;
	if (r->bad)
		return NULL;
	if (r->end - r->p >= 2 && r->p[0] == '~' && r->p[1] == ' ') {
		r->p += 2;
		return NULL;
	}
	n = rec_rd_u64(r, ':');
	if (r->bad || n >= (unsigned long long)(r->end - r->p) || r->p[n] != ' ') {
		r->bad = 1;
		return NULL;
	}
	s = r->p;
	*len = (size_t)n;
	r->p += n + 1;
	return s;
}

char *rec_rd_dup(struct rec_rd *r)
{
	size_t len;
	const char *s = rec_rd_str(r, &len);

	return s ? xstrndup(s, len) : NULL;
}

void rec_rd_char(struct rec_rd *r, char c)
{
	if (r->bad || r->p >= r->end || *r->p != c)
		r->bad = 1;
	else
		r->p++;
}
