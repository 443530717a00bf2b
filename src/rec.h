#ifndef REC_H
#define REC_H

/*
 * rec.h: the token encoding of this program's caches (compare.h's
 * analysis entries, gosrc.h's scope cache).  Each token is followed by a
 * space: a number in decimal, a string as LEN:BYTES (any bytes, NUL
 * included), or "~" for no string.  The reader is bounded by its buffer
 * and by each caller's limits: any token not as written sets `bad`, and
 * every read after that returns nothing.
 *
 * Owns: writing and reading tokens.  Never: knows what a record holds,
 * reads a file, or allocates but for rec_rd_dup().
 */

#include <stddef.h>

struct strbuf;

void rec_put_str(struct strbuf *sb, const char *s);            /* NULL: "~" */
void rec_put_mem(struct strbuf *sb, const char *s, size_t n);
void rec_put_num(struct strbuf *sb, long long v);
void rec_put_u64(struct strbuf *sb, unsigned long long v);

struct rec_rd {
	const char *p, *end;
	int bad;
};

/* An unsigned decimal ended by `stop` (which is read past). */
unsigned long long rec_rd_u64(struct rec_rd *r, int stop);
/* A number in [lo, hi]. */
long long rec_rd_num(struct rec_rd *r, long long lo, long long hi);
/* A string: its bytes (in the buffer) and `*len`; NULL for "~" or when bad. */
const char *rec_rd_str(struct rec_rd *r, size_t *len);
/* The same, malloc'd and NUL-terminated. */
char *rec_rd_dup(struct rec_rd *r);
/* The byte `c`. */
void rec_rd_char(struct rec_rd *r, char c);

#endif
