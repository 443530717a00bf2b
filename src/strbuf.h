#ifndef STRBUF_H
#define STRBUF_H

/*
 * strbuf: a growable byte buffer, the one buffer type of this project.  It
 * owns its bytes; it must never fail (out-of-memory dies) nor read files
 * beyond a caller's bound.
 *
 * Invariants (as in git's strbuf.h):
 *  - `buf` is never NULL: an empty strbuf points at a shared empty string,
 *    so `sb.buf` can always be printed or compared.
 *  - `buf[len]` is always '\0', so the contents are a C string as long as
 *    no NUL was added; `len` is authoritative for binary data.
 *  - out-of-memory is fatal (die), so no function here can fail.
 *
 * Lifecycle: STRBUF_INIT or strbuf_init(); strbuf_release() frees the
 * contents and leaves an empty, reusable buffer; strbuf_detach() hands the
 * contents over to the caller (who free()s them) and resets the buffer.
 */

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

/* Initialise; `hint` bytes are allocated up front when non-zero. */
void strbuf_init(struct strbuf *sb, size_t hint);
/* Free the contents; the buffer is empty and usable afterwards. */
void strbuf_release(struct strbuf *sb);
/* Return the contents (malloc'd, NUL-terminated; never NULL) and reset. */
char *strbuf_detach(struct strbuf *sb, size_t *len_out);

/* Make room for `extra` more bytes after `len`. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Truncate or extend (with unspecified bytes) to `len`. */
void strbuf_setlen(struct strbuf *sb, size_t len);
static inline void strbuf_reset(struct strbuf *sb) { strbuf_setlen(sb, 0); }

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
__attribute__((format(printf, 2, 3)))
void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append `v` in decimal, as "%lld" prints it (without printf's cost). */
void strbuf_addint(struct strbuf *sb, long long v);
/* Append at most `max` bytes of `s` for a message: each control byte
 * (below 0x20, and 0x7f) as '?', and "..." when `s` goes on. */
void strbuf_add_printable(struct strbuf *sb, const char *s, size_t max);

/* Remove trailing / leading / both kinds of ASCII white space. */
void strbuf_rtrim(struct strbuf *sb);
void strbuf_ltrim(struct strbuf *sb);
void strbuf_trim(struct strbuf *sb);

/* True when the contents start / end with `prefix` / `suffix`. */
int strbuf_starts_with(const struct strbuf *sb, const char *prefix);
int strbuf_ends_with(const struct strbuf *sb, const char *suffix);

/*
 * Append at most `max` bytes read from `fd` (until EOF).  Returns the
 * number of bytes read (>= 0), or -1 with errno set on a read error.
 * When more than `max` bytes are available, reads exactly `max` + 1 bytes
 * so the caller can tell the input was too large (check `ret > max`).
 */
long strbuf_read_fd(struct strbuf *sb, int fd, size_t max);
/* Same for a file by path; -1 with errno set when it cannot be opened. */
long strbuf_read_file(struct strbuf *sb, const char *path, size_t max);

/*
 * Append one line from the stream (without its '\n', and without a '\r'
 * before it).  Returns 0 on success, EOF at end of input.  At most `max`
 * bytes of a line are kept; the rest of an over-long line is skipped and
 * *truncated (when not NULL) is set to 1.
 */
#include <stdio.h>
int strbuf_getline(struct strbuf *sb, FILE *fp, size_t max, int *truncated);

#endif
