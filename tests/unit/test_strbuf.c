/*
 * test_strbuf.c: the growable buffer: the empty-buffer invariants, growth,
 * formatted appends on both paths of strbuf_vaddf, trimming, detach
 * ownership, bounded reads with the max+1 "too large" signal, and
 * strbuf_getline with CRLF, over-long lines and appending.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"

static void test_empty_invariants(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_ptr_equal(sb.buf, strbuf_slopbuf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	/* operations that change nothing must not write to the shared buffer */
	strbuf_trim(&sb);
	strbuf_setlen(&sb, 0);
	strbuf_add(&sb, "x", 0);
	strbuf_addchars(&sb, 'y', 0);
	assert_ptr_equal(sb.buf, strbuf_slopbuf);
	assert_int_equal(strbuf_slopbuf[0], '\0');
	strbuf_release(&sb);
	assert_ptr_equal(sb.buf, strbuf_slopbuf);

	strbuf_init(&sb, 100);
	assert_true(sb.alloc >= 101);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
	assert_ptr_equal(sb.buf, strbuf_slopbuf);
	assert_int_equal(sb.alloc, 0);
}

static void test_growth(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char expect[5001];
	size_t i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		strbuf_addch(&sb, 'a' + (int)(i % 26));
		expect[i] = (char)('a' + (int)(i % 26));
		assert_int_equal(sb.len, i + 1);
		assert_true(sb.alloc > sb.len);
		assert_int_equal(sb.buf[sb.len], '\0');
	}
	expect[5000] = '\0';
	assert_string_equal(sb.buf, expect);

	strbuf_setlen(&sb, 3);
	assert_string_equal(sb.buf, "abc");
	strbuf_addchars(&sb, '-', 4);
	strbuf_addstr(&sb, "xyz");
	assert_string_equal(sb.buf, "abc----xyz");
	assert_int_equal(sb.len, 10);

	/* binary data: len is authoritative */
	strbuf_reset(&sb);
	strbuf_add(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4);

	{
		struct strbuf other = STRBUF_INIT;

		strbuf_addstr(&other, "tail");
		strbuf_addbuf(&sb, &other);
		assert_int_equal(sb.len, 7);
		assert_memory_equal(sb.buf, "a\0btail", 8);
		strbuf_release(&other);
	}
	strbuf_release(&sb);
}

static void test_addf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[301];

	(void)state;
	/* on the shared empty buffer (alloc 0: the measuring path) */
	strbuf_addf(&sb, "%s:%d:%d", "a.go", 12, 5);
	assert_string_equal(sb.buf, "a.go:12:5");
	assert_int_equal(sb.len, 9);
	/* fits in the room left */
	strbuf_addf(&sb, " %c%%", 'x');
	assert_string_equal(sb.buf, "a.go:12:5 x%");
	/* does not fit: the second vsnprintf */
	memset(big, 'q', 300);
	big[300] = '\0';
	strbuf_addf(&sb, "[%s]", big);
	assert_int_equal(sb.len, 12 + 302);
	assert_int_equal(sb.buf[12], '[');
	assert_int_equal(sb.buf[12 + 301], ']');
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_int_equal(strlen(sb.buf), sb.len);
	/* an empty expansion */
	strbuf_addf(&sb, "%s", "");
	assert_int_equal(sb.len, 314);
	/* NUL through %c is counted */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "a%cb", 0);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4);
	strbuf_release(&sb);
}

static void test_trim(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, " \t a b \r\n\v\f");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, " \t a b");
	strbuf_ltrim(&sb);
	assert_string_equal(sb.buf, "a b");
	assert_int_equal(sb.len, 3);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "\n  x\ty  \n");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "x\ty");
	assert_int_equal(sb.len, 3);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, " \t\r\n ");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "none");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "none");

	assert_true(strbuf_starts_with(&sb, "no"));
	assert_true(strbuf_starts_with(&sb, ""));
	assert_false(strbuf_starts_with(&sb, "nonee"));
	assert_true(strbuf_ends_with(&sb, "ne"));
	assert_false(strbuf_ends_with(&sb, "xnone"));
	strbuf_release(&sb);
}

static void test_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s;

	(void)state;
	/* an empty buffer still detaches a malloc'd, writable "" */
	s = strbuf_detach(&sb, &len);
	assert_non_null(s);
	assert_ptr_not_equal(s, strbuf_slopbuf);
	assert_int_equal(len, 0);
	assert_string_equal(s, "");
	free(s);
	assert_ptr_equal(sb.buf, strbuf_slopbuf);

	strbuf_addstr(&sb, "owned");
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "owned");
	assert_int_equal(len, 5);
	/* the buffer is reset and independent of the detached string */
	assert_ptr_equal(sb.buf, strbuf_slopbuf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	strbuf_addstr(&sb, "again");
	assert_string_equal(s, "owned");
	free(s);
	s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "again");
	free(s);
}

/* A temp file holding `n` bytes of a known pattern; returns an fd at offset 0. */
static int pattern_file(size_t n)
{
	char path[] = "/tmp/test_strbuf.XXXXXX";
	int fd = mkstemp(path);
	size_t i;
	char *data;

	assert_true(fd >= 0);
	unlink(path);
	data = xmalloc(n ? n : 1);
	for (i = 0; i < n; i++)
		data[i] = (char)('A' + (int)(i % 23));
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	free(data);
	return fd;
}

static void test_read_fd_bounds(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int fd;

	(void)state;
	/* exactly max: not too large */
	fd = pattern_file(200000);
	assert_int_equal(strbuf_read_fd(&sb, fd, 200000), 200000);
	assert_int_equal(sb.len, 200000);
	assert_int_equal(sb.buf[199999], 'A' + 199999 % 23);
	assert_int_equal(sb.buf[200000], '\0');
	close(fd);

	/* more than max: exactly max + 1 bytes, so ret > max */
	strbuf_reset(&sb);
	fd = pattern_file(200000);
	assert_int_equal(strbuf_read_fd(&sb, fd, 150000), 150001);
	assert_int_equal(sb.len, 150001);
	assert_int_equal(sb.buf[150000], 'A' + 150000 % 23);
	/* the rest is still unread */
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 150001);
	close(fd);

	/* max 0: one byte says "too large", none says empty */
	strbuf_reset(&sb);
	fd = pattern_file(10);
	assert_int_equal(strbuf_read_fd(&sb, fd, 0), 1);
	assert_int_equal(sb.len, 1);
	close(fd);
	strbuf_reset(&sb);
	fd = pattern_file(0);
	assert_int_equal(strbuf_read_fd(&sb, fd, 0), 0);
	assert_int_equal(sb.len, 0);
	close(fd);

	/* appends after what is there; the count is of the bytes read */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "pre:");
	fd = pattern_file(3);
	assert_int_equal(strbuf_read_fd(&sb, fd, 100), 3);
	assert_string_equal(sb.buf, "pre:ABC");
	close(fd);

	/* errors */
	strbuf_reset(&sb);
	errno = 0;
	assert_int_equal(strbuf_read_fd(&sb, -1, 10), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(sb.len, 0);
	errno = 0;
	assert_int_equal(strbuf_read_file(&sb, "/nonexistent/escape-review/x", 10), -1);
	assert_int_equal(errno, ENOENT);
	strbuf_release(&sb);
}

static void test_read_file_pipe(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "hello\n", 6), 6);
	close(fds[1]);
	assert_int_equal(strbuf_read_fd(&sb, fds[0], 5), 6);
	assert_string_equal(sb.buf, "hello\n");
	close(fds[0]);
	strbuf_release(&sb);
}

/* A temp file of `n` pattern bytes by path (removed by the caller). */
static void pattern_path(char *path, size_t n)
{
	int fd;
	size_t i;
	char *data = xmalloc(n ? n : 1);

	strcpy(path, "/tmp/test_strbuf.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (i = 0; i < n; i++)
		data[i] = (char)('A' + (int)(i % 23));
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	free(data);
}

/*
 * A regular file by path: read into room for its size and the two bytes
 * past it (EOF's read and the NUL), grown once as strbuf_grow() grows
 * (half again at most), never by 64 KiB a read; past `max`, or not a
 * regular file, read as strbuf_read_fd() reads.
 */
static void test_read_file_sized(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char path[32];

	(void)state;
	pattern_path(path, 10000);
	assert_int_equal(strbuf_read_file(&sb, path, 1 << 20), 10000);
	assert_int_equal(sb.len, 10000);
	assert_in_range(sb.alloc, 10002, 10002 / 2 * 3 + 16);
	assert_int_equal(sb.buf[9999], 'A' + 9999 % 23);
	assert_int_equal(sb.buf[10000], '\0');

	/* appended: grown to the sum */
	strbuf_release(&sb);
	strbuf_addstr(&sb, "pre:");
	assert_int_equal(strbuf_read_file(&sb, path, 1 << 20), 10000);
	assert_int_equal(sb.len, 10004);
	assert_in_range(sb.alloc, 10006, 10006 / 2 * 3 + 16);
	assert_memory_equal(sb.buf, "pre:ABC", 7);

	/* more than max: max + 1 bytes, as strbuf_read_fd() */
	strbuf_release(&sb);
	assert_int_equal(strbuf_read_file(&sb, path, 4096), 4097);
	assert_int_equal(sb.len, 4097);
	assert_int_equal(sb.buf[4096], 'A' + 4096 % 23);
	unlink(path);

	/* a file whose size says nothing (procfs: 0) is read to its end */
	strbuf_release(&sb);
	assert_true(strbuf_read_file(&sb, "/proc/self/status", 1 << 20) > 5);
	assert_memory_equal(sb.buf, "Name:", 5);
	assert_non_null(strstr(sb.buf, "\nPid:"));
	strbuf_release(&sb);
}

static FILE *mem(const char *s, size_t n)
{
	FILE *fp = fmemopen((void *)s, n, "r");

	assert_non_null(fp);
	return fp;
}

static void test_getline(void **state)
{
	static const char text[] = "a\r\nb\n\nmid\rcr\nlast";
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = mem(text, sizeof(text) - 1);
	int trunc = 7;

	(void)state;
	assert_int_equal(strbuf_getline(&sb, fp, 100, &trunc), 0);
	assert_string_equal(sb.buf, "a");
	assert_int_equal(trunc, 0);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_getline(&sb, fp, 100, &trunc), 0);
	assert_string_equal(sb.buf, "b");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_getline(&sb, fp, 100, &trunc), 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_reset(&sb);
	/* a '\r' not before the '\n' stays */
	assert_int_equal(strbuf_getline(&sb, fp, 100, &trunc), 0);
	assert_string_equal(sb.buf, "mid\rcr");
	strbuf_reset(&sb);
	/* the last line without a newline */
	assert_int_equal(strbuf_getline(&sb, fp, 100, &trunc), 0);
	assert_string_equal(sb.buf, "last");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_getline(&sb, fp, 100, &trunc), EOF);
	assert_int_equal(sb.len, 0);
	fclose(fp);
	strbuf_release(&sb);
}

static void test_getline_overlong(void **state)
{
	static const char text[] = "abcdefgh\nxyz\nabc\r\nlong\r\n";
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = mem(text, sizeof(text) - 1);
	int trunc = 0;

	(void)state;
	assert_int_equal(strbuf_getline(&sb, fp, 3, &trunc), 0);
	assert_string_equal(sb.buf, "abc");
	assert_int_equal(trunc, 1);
	strbuf_reset(&sb);
	/* the rest of the long line was skipped, not returned as a line */
	assert_int_equal(strbuf_getline(&sb, fp, 3, &trunc), 0);
	assert_string_equal(sb.buf, "xyz");
	assert_int_equal(trunc, 0);
	strbuf_reset(&sb);
	/* the '\r' of a CRLF is not counted against max */
	assert_int_equal(strbuf_getline(&sb, fp, 3, &trunc), 0);
	assert_string_equal(sb.buf, "abc");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_getline(&sb, fp, 3, NULL), 0);
	assert_string_equal(sb.buf, "lon");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_getline(&sb, fp, 3, &trunc), EOF);
	assert_int_equal(trunc, 0);
	fclose(fp);
	strbuf_release(&sb);
}

static void test_getline_appends(void **state)
{
	static const char text[] = "one\n\r\n\ntwo\r\n";
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = mem(text, sizeof(text) - 1);

	(void)state;
	strbuf_addstr(&sb, "x\r");
	assert_int_equal(strbuf_getline(&sb, fp, 10, NULL), 0);
	assert_string_equal(sb.buf, "x\rone");
	/* an empty CRLF line appends nothing */
	assert_int_equal(strbuf_getline(&sb, fp, 10, NULL), 0);
	assert_string_equal(sb.buf, "x\rone");
	/* an empty line leaves the caller's trailing '\r' alone */
	strbuf_addstr(&sb, "\r");
	assert_int_equal(strbuf_getline(&sb, fp, 10, NULL), 0);
	assert_string_equal(sb.buf, "x\rone\r");
	assert_int_equal(strbuf_getline(&sb, fp, 10, NULL), 0);
	assert_string_equal(sb.buf, "x\rone\rtwo");
	fclose(fp);

	/* a '\r' kept only because the line was cut there is not a CRLF */
	strbuf_reset(&sb);
	fp = mem("ab\rcd\n", 6);
	assert_int_equal(strbuf_getline(&sb, fp, 3, NULL), 0);
	assert_string_equal(sb.buf, "ab\r");
	fclose(fp);
	strbuf_release(&sb);
}

/* Control bytes shown as '?', the rest as it is, cut with "..." past max. */
static void test_add_printable(void **state)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want;
	} cases[] = {
		{ "a\tb\x1b[1m\x7f\xc3\xa9", 64, "a?b?[1m?\xc3\xa9" },
		{ "abcdef", 6, "abcdef" },
		{ "abcdefg", 6, "abcdef..." },
		{ "", 6, "" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_reset(&sb);
		strbuf_add_printable(&sb, cases[i].in, cases[i].max);
		assert_string_equal(sb.buf, cases[i].want);
	}
	strbuf_release(&sb);
}

/* strbuf_addint prints what "%lld" prints, the extremes included. */
static void test_addint(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "x");
	strbuf_addint(&sb, 0);
	strbuf_addch(&sb, ' ');
	strbuf_addint(&sb, 7);
	strbuf_addch(&sb, ' ');
	strbuf_addint(&sb, -42);
	strbuf_addch(&sb, ' ');
	strbuf_addint(&sb, 1000000);
	strbuf_addch(&sb, ' ');
	strbuf_addint(&sb, LLONG_MAX);
	strbuf_addch(&sb, ' ');
	strbuf_addint(&sb, LLONG_MIN);
	assert_string_equal(sb.buf, "x0 7 -42 1000000 9223372036854775807 -9223372036854775808");
	assert_int_equal(sb.len, strlen(sb.buf));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_invariants),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_read_fd_bounds),
		cmocka_unit_test(test_read_file_pipe),
		cmocka_unit_test(test_read_file_sized),
		cmocka_unit_test(test_getline),
		cmocka_unit_test(test_getline_overlong),
		cmocka_unit_test(test_getline_appends),
		cmocka_unit_test(test_addint),
		cmocka_unit_test(test_add_printable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
