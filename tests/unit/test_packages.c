/*
 * test_packages.c: from files and arguments to modules and packages, in a
 * real tree in a temporary directory: nested modules, orphans, vendor/ and
 * testdata/ skipped, exclusion before the build ("./..." expanded only
 * when a package below it is excluded), the real package count, and the
 * real go analysing one module (findings, and a failed build naming the
 * module with the compiler's message).
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "packages.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	struct strbuf p = STRBUF_INIT;
	FILE *f;
	char *slash;

	strbuf_addf(&p, "%s/%s", root, rel);
	for (slash = strchr(p.buf + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p.buf, 0777);
		*slash = '/';
	}
	f = fopen(p.buf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	strbuf_release(&p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s", "/tmp/er-test-packages.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	put("go.mod", "module example.com/top // the root module\n\ngo 1.19\n");
	put("a/a.go", "package a\n\nvar Sink *int\n\nfunc A() { x := 1; Sink = &x }\n");
	put("a/b/b.go", "package b\n\nfunc B() int { return 2 }\n");
	put("gen/gen.go", "package gen\n\nfunc Gen() {}\n");
	put("vendor/v/v.go", "package v\n");
	put("a/testdata/t.go", "package t\n");
	put("sub/go.mod", "module example.com/sub\n\ngo 1.19\n");
	put("sub/s.go", "package sub\n\nfunc S() {}\n");
	put("sub/inner/i.go", "package inner\n");
	put("loose/x.go", "package loose\n");
	put("loose/go.txt", "not go\n");
	return 0;
}

static int teardown(void **state)
{
	const char *argv[] = { "rm", "-rf", root, NULL };
	struct child_process cp = CHILD_PROCESS_INIT;

	(void)state;
	cp.argv = argv;
	return child_run(&cp);
}

/* "dir:pkg,pkg;" for every module */
static void describe(struct strbuf *sb, const struct pkgset *set)
{
	size_t i, j;

	for (i = 0; i < set->nr; i++) {
		strbuf_addf(sb, "%s:", set->mods[i].dir);
		for (j = 0; j < set->mods[i].pkgs_nr; j++)
			strbuf_addf(sb, "%s%s", j ? "," : "", set->mods[i].pkgs[j]);
		strbuf_addch(sb, ';');
	}
}

static void test_files(void **state)
{
	static const char *const files[] = {
		"a/a.go", "a/b/b.go", "a/other.go", "sub/inner/i.go", "gone/g.go", "sub/s.go",
	};
	struct pkgset set = PKGSET_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	pkgset_add_files(&set, root, files, ARRAY_SIZE(files));
	describe(&sb, &set);
	/* a package once, the nested module on its own, a missing directory left out */
	assert_string_equal(sb.buf, ":./a,./a/b;sub:./inner,.;");
	assert_int_equal(pkgset_count(&set, root), 4);
	pkgset_release(&set);
	strbuf_release(&sb);
}

static void test_all(void **state)
{
	struct pkgset set = PKGSET_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	pkgset_add_all(&set, root);
	describe(&sb, &set);
	assert_string_equal(sb.buf, ":./...;sub:./...;");
	/* what ./... builds: a, a/b, gen, loose (not vendor, testdata, nor sub's) + sub, sub/inner */
	assert_int_equal(pkgset_count(&set, root), 6);
	assert_int_equal(pkgset_count(&set, NULL), 2);
	pkgset_release(&set);
	strbuf_release(&sb);
}

static int excluded_gen_or_inner(const void *data, const char *path)
{
	(void)data;
	return !strcmp(path, "gen") || !strcmp(path, "sub/inner") || !strcmp(path, "sub");
}

static void test_exclude(void **state)
{
	static const char *const files[] = { "a/a.go", "gen/gen.go" };
	struct pkgset set = PKGSET_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	pkgset_add_all(&set, root);
	pkgset_exclude(&set, root, excluded_gen_or_inner, NULL);
	describe(&sb, &set);
	/* the root's ./... expanded without gen; sub (all excluded) dropped */
	strbuf_reset(&sb);
	describe(&sb, &set);
	assert_int_equal(set.nr, 1);
	assert_int_equal(pkgset_count(&set, root), 3);
	assert_null(strstr(sb.buf, "gen"));
	assert_non_null(strstr(sb.buf, "./a/b"));
	assert_non_null(strstr(sb.buf, "./loose"));
	pkgset_release(&set);
	strbuf_reset(&sb);
	pkgset_add_files(&set, root, files, ARRAY_SIZE(files));
	pkgset_exclude(&set, root, excluded_gen_or_inner, NULL);
	describe(&sb, &set);
	assert_string_equal(sb.buf, ":./a;");
	pkgset_release(&set);
	strbuf_release(&sb);
}

static void test_args(void **state)
{
	const char *args[] = { "a/...", "sub" };
	const char *bad[] = { "/" };
	struct pkgset set = PKGSET_INIT;
	struct strbuf sb = STRBUF_INIT;
	char cwd[4096];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(root), 0);
	assert_int_equal(pkgset_add_args(&set, root, args, 2), 0);
	describe(&sb, &set);
	assert_string_equal(sb.buf, ":./a/...;sub:.;");
	assert_int_equal(pkgset_add_args(&set, root, bad, 1), ER_EUSAGE);
	assert_non_null(strstr(error_last(), "/ is not a directory of the work tree"));
	assert_int_equal(chdir(cwd), 0);
	pkgset_release(&set);
	strbuf_release(&sb);
}

static void test_analyze(void **state)
{
	static const char *const files[] = { "a/a.go" };
	struct pkgset set = PKGSET_INIT;
	struct finding_list l = FINDING_LIST_INIT;
	struct build_opts bo = { 0 };
	struct strbuf errors = STRBUF_INIT;
	size_t i;
	int moved = 0;

	(void)state;
	pkgset_add_files(&set, root, files, 1);
	assert_int_equal(packages_analyze(&l, &errors, root, &set, &bo), 0);
	for (i = 0; i < l.nr; i++)
		if (!strcmp(l.items[i]->file, "a/a.go") && l.items[i]->line == 5 &&
		    !strcmp(l.items[i]->message, "moved to heap: x"))
			moved++;
	assert_int_equal(moved, 1);
	finding_list_release(&l);
	/* a build error: the module by its path, and the compiler's message */
	put("a/broken.go", "package a\n\nfunc Broken() { undefinedName() }\n");
	assert_int_equal(packages_analyze(&l, &errors, root, &set, &bo), ER_EANALYSIS);
	assert_non_null(strstr(error_last(),
		"the build failed in module example.com/top (the repository root) (go exited with 1):\n"));
	assert_non_null(strstr(error_last(), "a/broken.go:3:17: undefined: undefinedName"));
	assert_non_null(strstr(errors.buf, "undefinedName"));
	finding_list_release(&l);
	pkgset_release(&set);
	strbuf_release(&errors);
}

/* What build_opts.idle was given: every finding once, in order. */
struct idle_seen {
	struct finding **v;
	size_t nr, calls;
};

static void idle_record(void *data, struct finding_list *l, size_t from)
{
	struct idle_seen *is = data;
	size_t i;

	is->calls++;
	assert_true(from <= l->nr);
	assert_int_equal(from, is->nr); /* what is new since the last call */
	for (i = from; i < l->nr; i++) {
		is->v = realloc(is->v, (is->nr + 1) * sizeof(*is->v));
		assert_non_null(is->v);
		is->v[is->nr++] = l->items[i];
	}
}

/* "FILE:LINE MESSAGE" of every finding, in order. */
static void finding_lines(struct strbuf *sb, const struct finding_list *l)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < l->nr; i++)
		strbuf_addf(sb, "%s:%d %s\n", l->items[i]->file, l->items[i]->line,
			    l->items[i]->message);
}

/*
 * While go's output is awaited, build_opts.idle is given the findings
 * read so far, each once, and the build gives them with the rest in the
 * order a build without it gives; a build that fails frees them (no leak
 * under ASan).  The go here stops half-way through its output for 0.3 s,
 * and ends with the rest (its last writer exits with it: the rest is
 * mostly read with the end, and given with the build's findings).
 */
static void test_analyze_idle(void **state)
{
	static const char *const files[] = { "a/a.go" };
	struct pkgset set = PKGSET_INIT;
	struct finding_list l = FINDING_LIST_INIT;
	struct build_opts bo = { 0 };
	struct strbuf errors = STRBUF_INIT, sb = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	struct idle_seen is = { NULL, 0, 0 };
	char *real_go = run_which("go");
	size_t i;
	int k;

	(void)state;
	assert_non_null(real_go);
	strbuf_addf(&path, "%s/a/broken.go", root); /* test_analyze's, if it ran */
	remove(path.buf);
	strbuf_reset(&path);
	put("a/more.go", "package a\n\nfunc More() *[4]int {\n\tvar a [4]int\n\treturn &a\n}\n\n"
			 "func Most() []int {\n\ts := make([]int, 9)\n\treturn s\n}\n");
	strbuf_addf(&sb, "#!/bin/sh\n'%s' \"$@\" 2>\"$0.err\"\nst=$?\n"
		    "n=$(wc -l < \"$0.err\")\nh=$((n / 2))\n"
		    "head -n \"$h\" \"$0.err\" >&2\nsleep 0.3\n"
		    "[ $st = 0 ] && exec tail -n +\"$((h + 1))\" \"$0.err\" >&2\n"
		    "tail -n +\"$((h + 1))\" \"$0.err\" >&2\nexit $st\n", real_go);
	put("slow/go", sb.buf);
	strbuf_addf(&path, "%s/slow/go", root);
	assert_int_equal(chmod(path.buf, 0755), 0);
	pkgset_add_files(&set, root, files, 1);
	bo.go = path.buf;
	assert_int_equal(packages_analyze(&l, &errors, root, &set, &bo), 0);
	finding_lines(&want, &l);
	finding_list_release(&l);
	bo.idle = idle_record;
	bo.idle_data = &is;
	for (k = 0; k < 3; k++) {
		is.nr = is.calls = 0;
		assert_int_equal(packages_analyze(&l, &errors, root, &set, &bo), 0);
		finding_lines(&got, &l);
		assert_string_equal(got.buf, want.buf);
		assert_true(l.nr >= 3);
		assert_true(is.calls >= 1);
		assert_true(is.nr >= 1); /* the first half, during the pause */
		for (i = 0; i < is.nr; i++)
			assert_ptr_equal(is.v[i], l.items[i]);
		finding_list_release(&l);
	}
	/* a failed build: what idle was given is freed with the rest */
	put("a/broken.go", "package a\n\nfunc Broken() { undefinedName() }\n");
	assert_int_equal(packages_analyze(&l, &errors, root, &set, &bo), ER_EANALYSIS);
	assert_int_equal(l.nr, 0);
	remove(path.buf);
	strbuf_addstr(&path, ".err");
	remove(path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/a/more.go", root);
	remove(path.buf);
	free(is.v);
	free(real_go);
	finding_list_release(&l);
	pkgset_release(&set);
	strbuf_release(&errors);
	strbuf_release(&sb);
	strbuf_release(&path);
	strbuf_release(&want);
	strbuf_release(&got);
}

static void env_ok(struct go_env_query *q, const struct build_opts *bo)
{
	struct strbuf v = STRBUF_INIT, e = STRBUF_INIT;

	assert_int_equal(go_env_finish(q, &v, &e, bo), 0);
	assert_true(!strncmp(v.buf, "go1.", 4));
	strbuf_release(&v);
	strbuf_release(&e);
}

/* go_env_take() of `raw` and `key`: 1 when taken (nothing started, the
 * same answer), 0 when a `go env` started (and ran: finished here). */
static int taken(const struct build_opts *bo, const char *raw, const char *key)
{
	struct go_env_query q;
	int t = go_env_take(&q, bo, raw, key);

	assert_int_equal(q.started, !t);
	env_ok(&q, bo);
	if (t)
		assert_string_equal(go_env_answer(&q), raw);
	go_env_abandon(&q);
	return t;
}

/*
 * The go environment remembered: its answer is taken instead of a run only
 * while nothing in its key changed (the GOENV file, a GO* variable, the
 * go.mod above, a C compiler PATH finds), and only for the answer of the
 * go command the key names; a key that changed while go env ran is not
 * kept, nor one of a go command that is not its GOROOT's bin/go.
 */
static void test_go_env_memo(void **state)
{
	struct build_opts bo = { 0 };
	struct go_env_query q;
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT, tampered = STRBUF_INIT;
	char *raw, *key, *real_go = run_which("go"), *old_path = xstrdup(getenv("PATH"));
	char *cwd = getcwd(NULL, 0);
	const char *nl;

	(void)state;
	assert_non_null(real_go);
	assert_non_null(cwd);
	assert_int_equal(chdir(root), 0);
	strbuf_addf(&path, "%s/goenv", root);
	setenv("GOENV", path.buf, 1);
	put("goenv", "GOFLAGS=-mod=mod\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/bin:%s", root, old_path);
	setenv("PATH", path.buf, 1);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/bin", root);
	mkdir(path.buf, 0777);

	go_env_start(&q, &bo);
	env_ok(&q, &bo);
	assert_non_null(go_env_memo(&q));
	raw = xstrdup(go_env_answer(&q));
	key = xstrdup(go_env_memo(&q));
	strbuf_addf(&sb, "GOENV file at %s/goenv\n", root);
	assert_non_null(strstr(key, sb.buf));
	strbuf_reset(&sb);
	strbuf_addf(&sb, "go.mod at %s/go.mod\n", root);
	assert_non_null(strstr(key, sb.buf));
	go_env_abandon(&q);

	assert_int_equal(taken(&bo, raw, key), 1);
	assert_int_equal(taken(&bo, raw, ""), 0);
	assert_int_equal(taken(&bo, NULL, key), 0);
	/* the GOENV file's bytes */
	put("goenv", "GOFLAGS=-mod=readonly\n");
	assert_int_equal(taken(&bo, raw, key), 0);
	put("goenv", "GOFLAGS=-mod=mod\n");
	assert_int_equal(taken(&bo, raw, key), 1);
	/* a GO* variable */
	setenv("GODEBUG", "madvdontneed=1", 1);
	assert_int_equal(taken(&bo, raw, key), 0);
	unsetenv("GODEBUG");
	/* the go.mod above the directory go env runs in */
	put("go.mod", "module example.com/top // the root module\n\ngo 1.19\n\ntoolchain go1.19\n");
	assert_int_equal(taken(&bo, raw, key), 0);
	put("go.mod", "module example.com/top // the root module\n\ngo 1.19\n");
	assert_int_equal(taken(&bo, raw, key), 1);
	/* a C compiler PATH finds (CGO_ENABLED's default) */
	put("bin/gcc", "#!/bin/sh\nexit 1\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/bin/gcc", root);
	assert_int_equal(chmod(path.buf, 0755), 0);
	assert_int_equal(taken(&bo, raw, key), 0);
	assert_int_equal(unlink(path.buf), 0);
	assert_int_equal(taken(&bo, raw, key), 1);
	/* an answer whose GOROOT is not the go command's */
	nl = strchr(raw, '\n');
	strbuf_add(&tampered, raw, (size_t)(nl + 1 - raw));
	strbuf_addstr(&tampered, "/nowhere");
	strbuf_addstr(&tampered, strchr(nl + 1, '\n'));
	assert_int_equal(taken(&bo, tampered.buf, key), 0);
	/* an answer whose GOENV file is not the one the key holds (its last line) */
	strbuf_reset(&tampered);
	nl = raw + strlen(raw) - 1; /* the answer ends with a newline */
	assert_int_equal(*nl, '\n');
	while (nl > raw && nl[-1] != '\n')
		nl--;
	strbuf_add(&tampered, raw, (size_t)(nl - raw));
	strbuf_addf(&tampered, "%s/elsewhere\n", root);
	assert_int_equal(taken(&bo, tampered.buf, key), 0);
	/* another directory for go env to run in, under the same go.mod */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/a", root);
	assert_int_equal(chdir(path.buf), 0);
	assert_int_equal(taken(&bo, raw, key), 0);
	assert_int_equal(chdir(root), 0);
	assert_int_equal(taken(&bo, raw, key), 1);

	/* the GOENV file written while go env runs: the key is not kept */
	go_env_start(&q, &bo);
	put("goenv", "GOFLAGS=-mod=mod\nGOAMD64=v1\n");
	env_ok(&q, &bo);
	assert_null(go_env_memo(&q));
	go_env_abandon(&q);
	/* a wrapper, not a GOROOT's bin/go: no key */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "#!/bin/sh\nexec '%s' \"$@\"\n", real_go);
	put("wrap/go", sb.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/wrap/go", root);
	assert_int_equal(chmod(path.buf, 0755), 0);
	bo.go = path.buf;
	go_env_start(&q, &bo);
	env_ok(&q, &bo);
	assert_non_null(go_env_answer(&q));
	assert_null(go_env_memo(&q));
	go_env_abandon(&q);

	unsetenv("GOENV");
	setenv("PATH", old_path, 1);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	free(old_path);
	free(real_go);
	free(raw);
	free(key);
	strbuf_release(&path);
	strbuf_release(&sb);
	strbuf_release(&tampered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_analyze),
		cmocka_unit_test(test_analyze_idle),
		cmocka_unit_test(test_go_env_memo),
	};

	util_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
