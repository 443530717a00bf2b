/*
 * test_publish.c: the review file of two-phase publishing: what
 * publish_json() writes, publish_read() reads back field for field, and
 * every kind of tampering is refused with ER_EINPUT and a message naming
 * the field (paths outside the repository, SHAs, sizes, markers, version).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "forge.h"
#include "publish.h"
#include "util.h"

#define HEAD "1111111111111111111111111111111111111111"
#define BASE "2222222222222222222222222222222222222222"

static char path[64];

/* A review with one comment on a renamed file's context line. */
static void sample(struct forge_review *fr)
{
	forge_review_init(fr);
	fr->summary = xstrdup("## summary");
	fr->status_state = xstrdup("failure");
	fr->status_description = xstrdup("1 new");
	fr->head_sha = xstrdup(HEAD);
	fr->base_sha = xstrdup(BASE);
	forge_review_add(fr, "pkg/new.go", "pkg/old.go", 12, 11, "AB12", "ER001 x", "**x**");
	forge_review_add_live(fr, "ab12");
	forge_review_add_live(fr, "cd34");
}

/* Write sample()'s "publish" object, changed by `edit` (may be NULL). */
static void write_file(void (*edit)(cJSON *pub))
{
	struct forge_review fr;
	cJSON *doc = cJSON_CreateObject(), *pub;
	char *s;
	FILE *f;

	sample(&fr);
	pub = publish_json(&fr, 7);
	if (edit)
		edit(pub);
	cJSON_AddItemToObject(doc, "publish", pub);
	s = cJSON_PrintUnformatted(doc);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
	free(s);
	cJSON_Delete(doc);
	forge_review_release(&fr);
}

static void test_round_trip(void **state)
{
	struct forge_review fr = FORGE_REVIEW_INIT;
	long number = 0;

	(void)state;
	write_file(NULL);
	assert_int_equal(publish_read(&fr, &number, path), 0);
	assert_int_equal(number, 7);
	assert_string_equal(fr.head_sha, HEAD);
	assert_string_equal(fr.base_sha, BASE);
	assert_string_equal(fr.summary, "## summary");
	assert_string_equal(fr.status_state, "failure");
	assert_string_equal(fr.status_description, "1 new");
	assert_int_equal(fr.comments_nr, 1);
	assert_string_equal(fr.comments[0].path, "pkg/new.go");
	assert_string_equal(fr.comments[0].old_path, "pkg/old.go");
	assert_int_equal(fr.comments[0].line, 12);
	assert_int_equal(fr.comments[0].old_line, 11);
	assert_string_equal(fr.comments[0].fingerprint, "ab12");
	assert_string_equal(fr.comments[0].title, "ER001 x");
	assert_string_equal(fr.comments[0].body, "**x**");
	assert_true(fr.resolve_fixed);
	assert_int_equal(fr.live_nr, 2);
	assert_true(forge_review_is_live(&fr, "cd34"));
	assert_false(forge_review_is_live(&fr, "ef56"));
	forge_review_release(&fr);
}

static const char *bad_path;

static void set_path(cJSON *pub)
{
	cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "comments"), 0);

	cJSON_ReplaceItemInObject(c, "path", cJSON_CreateString(bad_path));
}

static void set_old_path(cJSON *pub)
{
	cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "comments"), 0);

	cJSON_ReplaceItemInObject(c, "old_path", cJSON_CreateString(bad_path));
}

static void refused(void (*edit)(cJSON *), const char *needle)
{
	struct forge_review fr = FORGE_REVIEW_INIT;
	long number = 0;

	write_file(edit);
	assert_int_equal(publish_read(&fr, &number, path), ER_EINPUT);
	if (!strstr(error_last(), needle))
		fail_msg("'%s' not in '%s'", needle, error_last());
	assert_int_equal(fr.comments_nr, 0);
	assert_null(fr.summary);
}

static void test_paths(void **state)
{
	static const char *const bad[] = {
		"../x.go", "a/../../x.go", "a/..", "/etc/passwd", "a//b.go", "./a.go", "a/./b.go",
		"a\\b.go", "a/b.go\n", "a/\x01.go", "", "a/",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bad_path = bad[i];
		refused(set_path, "comments[0]: a path is not a relative path inside the repository");
		refused(set_old_path, "comments[0]: a path is not a relative path inside the repository");
	}
	/* dots inside names are fine */
	{
		struct forge_review fr = FORGE_REVIEW_INIT;
		long number;

		bad_path = "a/..b/c...go";
		write_file(set_path);
		assert_int_equal(publish_read(&fr, &number, path), 0);
		assert_string_equal(fr.comments[0].path, "a/..b/c...go");
		forge_review_release(&fr);
	}
}

static void short_head(cJSON *pub) { cJSON_ReplaceItemInObject(pub, "head", cJSON_CreateString("1111111")); }
static void upper_head(cJSON *pub) { cJSON_ReplaceItemInObject(pub, "head", cJSON_CreateString("111111111111111111111111111111111111111A")); }
static void no_head(cJSON *pub) { cJSON_DeleteItemFromObject(pub, "head"); }
static void version2(cJSON *pub) { cJSON_ReplaceItemInObject(pub, "version", cJSON_CreateNumber(2)); }
static void neg_number(cJSON *pub) { cJSON_ReplaceItemInObject(pub, "number", cJSON_CreateNumber(-3)); }
static void state_x(cJSON *pub) { cJSON_ReplaceItemInObject(cJSON_GetObjectItem(pub, "status"), "state", cJSON_CreateString("pending")); }
static void marker(cJSON *pub) { cJSON_ReplaceItemInObject(pub, "summary", cJSON_CreateString("x <!-- escape-review:summary -->")); }
static void live_bad(cJSON *pub) { cJSON_AddItemToArray(cJSON_GetObjectItem(pub, "live"), cJSON_CreateString("zz")); }
static void line0(cJSON *pub) { cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "comments"), 0), "line", cJSON_CreateNumber(0)); }
static void side_left(cJSON *pub) { cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "comments"), 0), "side", cJSON_CreateString("LEFT")); }

static void big_body(cJSON *pub)
{
	char *s = xmalloc(PUBLISH_MAX_BODY + 2);

	memset(s, 'x', PUBLISH_MAX_BODY + 1);
	s[PUBLISH_MAX_BODY + 1] = '\0';
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "comments"), 0),
				  "body", cJSON_CreateString(s));
	free(s);
}

static void test_fields(void **state)
{
	(void)state;
	refused(short_head, "\"head\" or \"base\" is not a commit SHA");
	refused(upper_head, "\"head\" or \"base\" is not a commit SHA");
	refused(no_head, "\"head\" is not a string");
	refused(version2, "\"publish\".\"version\" is not 1");
	refused(neg_number, "\"number\" is not a pull or merge request number");
	refused(state_x, "\"status\".\"state\" is neither");
	refused(marker, "\"summary\" carries an escape-review marker");
	refused(live_bad, "a \"live\" fingerprint is not hexadecimal");
	refused(line0, "comments[0]: a line is not a number");
	refused(side_left, "comments[0]: side is not \"RIGHT\"");
	refused(big_body, "\"body\" is larger than 1000000 bytes");
}

static void test_context(void **state)
{
	struct forge_review fr;
	struct forge_context ctx = FORGE_CONTEXT_INIT;

	(void)state;
	sample(&fr);
	ctx.number = 7;
	assert_int_equal(publish_check_context(&fr, 7, &ctx), 0);       /* nothing known: fine */
	ctx.head_sha = xstrdup(HEAD);
	ctx.base_sha = xstrdup(BASE);
	assert_int_equal(publish_check_context(&fr, 7, &ctx), 0);
	assert_int_equal(publish_check_context(&fr, 8, &ctx), ER_EINPUT);
	assert_string_equal(error_last(), "publish: the file is for #8, but the pull request "
			    "is #7: nothing was sent");
	free(ctx.head_sha);
	ctx.head_sha = xstrdup("3333333333333333333333333333333333333333");
	assert_int_equal(publish_check_context(&fr, 7, &ctx), ER_EINPUT);
	assert_string_equal(error_last(), "publish: the file reviews head " HEAD ", but the pull "
			    "request's head is 3333333333333333333333333333333333333333: nothing was sent");
	forge_context_release(&ctx);
	forge_review_release(&fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_context),
	};
	int fd, ret;

	util_init();
	snprintf(path, sizeof(path), "/tmp/er-publish-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	return ret;
}
