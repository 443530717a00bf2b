/*
 * test_rec.c: the caches' token encoding: what the writers put, read back;
 * the reader's bounds (the largest 64-bit number and one past it, digit
 * runs too long, a number's range, a string's length against its buffer,
 * a stop byte missing at the buffer's end) and `bad` staying set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "strbuf.h"

static struct rec_rd rd(const char *s)
{
	struct rec_rd r = { s, s + strlen(s), 0 };

	return r;
}

static void test_round_trip(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct rec_rd r;
	const char *s;
	size_t len;
	char *d;

	(void)state;
	rec_put_num(&sb, -42);
	rec_put_num(&sb, LLONG_MIN);
	rec_put_num(&sb, LLONG_MAX);
	rec_put_u64(&sb, 0);
	rec_put_u64(&sb, UINT64_MAX);
	rec_put_str(&sb, "a b");
	rec_put_str(&sb, NULL);
	rec_put_mem(&sb, "x\0y", 3);
	rec_put_str(&sb, "");
	assert_string_equal(sb.buf, "-42 -9223372036854775808 9223372036854775807 0 18446744073709551615 "
				    "3:a b ~ 3:x");
	r.p = sb.buf;
	r.end = sb.buf + sb.len;
	r.bad = 0;
	assert_int_equal(rec_rd_num(&r, -100, 100), -42);
	assert_true(rec_rd_num(&r, LLONG_MIN, LLONG_MAX) == LLONG_MIN);
	assert_true(rec_rd_num(&r, LLONG_MIN, LLONG_MAX) == LLONG_MAX);
	assert_true(rec_rd_u64(&r, ' ') == 0);
	assert_true(rec_rd_u64(&r, ' ') == UINT64_MAX);
	d = rec_rd_dup(&r);
	assert_string_equal(d, "a b");
	free(d);
	assert_null(rec_rd_str(&r, &len));
	assert_int_equal(r.bad, 0); /* "~": no string, not an error */
	s = rec_rd_str(&r, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "x\0y", 3);
	s = rec_rd_str(&r, &len);
	assert_non_null(s);
	assert_int_equal(len, 0);
	assert_ptr_equal(r.p, r.end);
	assert_int_equal(r.bad, 0);
	strbuf_release(&sb);
}

/* One u64 read of `s` with stop ' ': its value, or -1 when bad. */
static long double u64_of(const char *s)
{
	struct rec_rd r = rd(s);
	unsigned long long v = rec_rd_u64(&r, ' ');

	return r.bad ? -1 : (long double)v;
}

static void test_numbers_bounded(void **state)
{
	struct rec_rd r;

	(void)state;
	assert_true(u64_of("18446744073709551615 ") == (long double)UINT64_MAX);
	assert_true(u64_of("18446744073709551616 ") == -1);   /* one past */
	assert_true(u64_of("18446744073709551620 ") == -1);
	assert_true(u64_of("99999999999999999999 ") == -1);
	assert_true(u64_of("184467440737095516150 ") == -1);  /* ten times it */
	assert_true(u64_of("000000000000000000001 ") == -1);  /* 21 digits */
	assert_true(u64_of("00000000000000000001 ") == 1);    /* 20 */
	assert_true(u64_of(" 1 ") == -1);                     /* no digit */
	assert_true(u64_of("+1 ") == -1);
	assert_true(u64_of("12x ") == -1);                    /* not the stop */
	assert_true(u64_of("12") == -1);                      /* no stop: the end */
	assert_true(u64_of("") == -1);
	r = rd("5 ");
	assert_int_equal(rec_rd_num(&r, 6, 9), 0);
	assert_int_equal(r.bad, 1);
	r = rd("9223372036854775808 ");
	rec_rd_num(&r, LLONG_MIN, LLONG_MAX);
	assert_int_equal(r.bad, 1);
	r = rd("-9223372036854775809 ");
	rec_rd_num(&r, LLONG_MIN, LLONG_MAX);
	assert_int_equal(r.bad, 1);
	r = rd("-0 ");
	assert_int_equal(rec_rd_num(&r, 0, 0), 0);
	assert_int_equal(r.bad, 0);
}

static void test_strings_bounded(void **state)
{
	struct rec_rd r;
	size_t len = 9;

	(void)state;
	r = rd("4:abc ");                  /* shorter than it says */
	assert_null(rec_rd_str(&r, &len));
	assert_int_equal(len, 0);
	assert_int_equal(r.bad, 1);
	r = rd("2:abc ");                  /* longer: no space where it ends */
	assert_null(rec_rd_str(&r, &len));
	assert_int_equal(r.bad, 1);
	r = rd("3:abc");                   /* its space past the buffer */
	assert_null(rec_rd_str(&r, &len));
	assert_int_equal(r.bad, 1);
	r = rd("~");
	assert_null(rec_rd_str(&r, &len));
	assert_int_equal(r.bad, 1);
	r = rd("x");
	rec_rd_char(&r, 'x');
	assert_int_equal(r.bad, 0);
	rec_rd_char(&r, 'x');             /* past the end */
	assert_int_equal(r.bad, 1);
}

/* Once bad, every read returns nothing and reads nothing. */
static void test_bad_stays(void **state)
{
	struct rec_rd r = rd("x 1 1:a ");
	size_t len;

	(void)state;
	assert_true(rec_rd_u64(&r, ' ') == 0);
	assert_int_equal(r.bad, 1);
	r.p += 2; /* even at a good token */
	assert_true(rec_rd_u64(&r, ' ') == 0);
	assert_int_equal(rec_rd_num(&r, 0, 9), 0);
	assert_null(rec_rd_str(&r, &len));
	assert_null(rec_rd_dup(&r));
	assert_int_equal(r.bad, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_numbers_bounded),
		cmocka_unit_test(test_strings_bounded),
		cmocka_unit_test(test_bad_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
