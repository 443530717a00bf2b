/*
 * test_hook.c: the pre-push hook's input: git's ref lines (exact parsing
 * and the messages for bad ones), the bounds on reading them, and the
 * range list (deduplicated, empty ranges dropped).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "hook.h"
#include "strbuf.h"

#define A "1111111111111111111111111111111111111111"
#define B "abcdef0123456789abcdef0123456789abcdef01"
#define Z "0000000000000000000000000000000000000000"

static void test_parse_line(void **state)
{
	struct push_update u = { 0 };

	(void)state;
	assert_int_equal(push_update_parse(&u, "refs/heads/main " A " refs/heads/master " B), 0);
	assert_string_equal(u.local_ref, "refs/heads/main");
	assert_string_equal(u.local_sha, A);
	assert_string_equal(u.remote_ref, "refs/heads/master");
	assert_string_equal(u.remote_sha, B);
	assert_int_equal(push_update_parse(&u, "(delete) " Z " refs/heads/gone " A), 0);
	assert_string_equal(u.local_ref, "(delete)");
	assert_true(push_sha_is_zero(u.local_sha));
	assert_false(push_sha_is_zero(u.remote_sha));
	push_update_release(&u);
}

static void test_parse_bad_lines(void **state)
{
	static const char *const bad[] = {
		"refs/heads/main " A " refs/heads/main",             /* 3 fields */
		"refs/heads/main " A " refs/heads/main " B " extra", /* 5 fields */
		"refs/heads/main  " A " refs/heads/main " B,          /* empty field */
		"refs/heads/main " A " refs/heads/main " B " ",       /* trailing space */
		"refs/heads/main 1234 refs/heads/main " B,            /* short sha */
		"refs/heads/main ABCDEF0123456789ABCDEF0123456789ABCDEF01 r " B, /* upper case */
		"refs/heads/main " A " refs/heads/main g111111111111111111111111111111111111111", /* not hex */
		"",
	};
	struct push_update u = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(push_update_parse(&u, bad[i]), ER_EINPUT);
		assert_null(u.local_ref);
	}
	push_update_parse(&u, "nonsense");
	assert_string_equal(error_last(),
		"pre-push input line is not '<local ref> <local sha> <remote ref> <remote sha>': 'nonsense'");
	push_update_release(&u);
}

static int read_text(struct push_updates *l, const char *text, size_t len)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	int ret;

	assert_non_null(fp);
	ret = push_updates_read(l, fp);
	fclose(fp);
	return ret;
}

static void test_read(void **state)
{
	static const char text[] =
		"refs/heads/a " A " refs/heads/a " Z "\n"
		"\n"
		"refs/heads/b " B " refs/heads/b " A "\r\n"
		"refs/tags/v1 " A " refs/tags/v1 " Z;   /* no final newline */
	struct push_updates l = PUSH_UPDATES_INIT;

	(void)state;
	assert_int_equal(read_text(&l, text, strlen(text)), 0);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.items[0].local_ref, "refs/heads/a");
	assert_string_equal(l.items[1].remote_sha, A);
	assert_string_equal(l.items[2].local_ref, "refs/tags/v1");
	push_updates_release(&l);
	assert_int_equal(l.nr, 0);
}

static void test_read_bounds(void **state)
{
	struct push_updates l = PUSH_UPDATES_INIT;
	struct strbuf sb = STRBUF_INIT;
	int i;

	(void)state;
	/* a line longer than HOOK_MAX_LINE */
	strbuf_addstr(&sb, "refs/heads/");
	strbuf_addchars(&sb, 'x', HOOK_MAX_LINE);
	strbuf_addstr(&sb, " " A " refs/heads/x " Z "\n");
	assert_int_equal(read_text(&l, sb.buf, sb.len), ER_EINPUT);
	assert_string_equal(error_last(), "pre-push input line 1 is longer than 4096 bytes");
	push_updates_release(&l);

	/* HOOK_MAX_LINES lines are fine, one more is not */
	strbuf_reset(&sb);
	for (i = 0; i < HOOK_MAX_LINES; i++)
		strbuf_addstr(&sb, "refs/heads/x " A " refs/heads/x " Z "\n");
	assert_int_equal(read_text(&l, sb.buf, sb.len), 0);
	assert_int_equal(l.nr, HOOK_MAX_LINES);
	push_updates_release(&l);
	strbuf_addstr(&sb, "\n");
	assert_int_equal(read_text(&l, sb.buf, sb.len), ER_EINPUT);
	assert_string_equal(error_last(), "pre-push input has more than 10000 lines");
	push_updates_release(&l);

	/* a bad line among good ones stops reading */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "refs/heads/x " A " refs/heads/x " Z "\nbad line\n");
	assert_int_equal(read_text(&l, sb.buf, sb.len), ER_EINPUT);
	assert_string_equal(error_last(),
		"pre-push input line is not '<local ref> <local sha> <remote ref> <remote sha>': 'bad line'");
	push_updates_release(&l);
	strbuf_release(&sb);
}

static void test_ranges(void **state)
{
	struct push_ranges r = PUSH_RANGES_INIT;

	(void)state;
	assert_int_equal(push_ranges_add(&r, A, B, "refs/heads/a", 0), 1);
	assert_int_equal(push_ranges_add(&r, A, B, "refs/heads/b", 0), 0);   /* same range */
	assert_int_equal(push_ranges_add(&r, B, B, "refs/heads/c", 0), 0);   /* nothing new */
	assert_int_equal(push_ranges_add(&r, B, A, "refs/heads/d", 1), 1);   /* reversed: another */
	assert_int_equal(r.nr, 2);
	assert_string_equal(r.items[0].ref, "refs/heads/a");
	assert_string_equal(r.items[0].base, A);
	assert_string_equal(r.items[0].head, B);
	assert_false(r.items[0].from_root);
	assert_string_equal(r.items[1].ref, "refs/heads/d");
	assert_true(r.items[1].from_root);
	push_ranges_release(&r);
	assert_int_equal(r.nr, 0);
}

static void test_zero(void **state)
{
	(void)state;
	assert_true(push_sha_is_zero(Z));
	assert_false(push_sha_is_zero(A));
	assert_false(push_sha_is_zero(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_parse_bad_lines),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_bounds),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
