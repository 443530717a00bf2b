/*
 * test_profile.c: matching a profile to findings (profile_apply): the
 * recorded path's suffix and the line for heap bytes, the function for CPU
 * shares, the weight, the hot share's severity raise, the order by weight
 * and the unmatched counts; and the --hot-share values.  (Reading a real
 * pprof file through go tool pprof is t70-report's.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "util.h"

static struct finding *mk(struct finding_list *l, const char *file, int line, const char *fn,
			  enum severity sev)
{
	struct finding *f = finding_new();

	f->file = xstrdup(file);
	f->line = line;
	f->function = xstrdup(fn);
	f->severity = sev;
	f->message = xstrdup("moved to heap: x");
	finding_list_add(l, f);
	return f;
}

static void add_line(struct profile *p, const char *file, int line, unsigned long long bytes,
		     unsigned long long objects)
{
	ALLOC_GROW(p->lines, p->lines_nr + 1, p->lines_alloc);
	memset(&p->lines[p->lines_nr], 0, sizeof(p->lines[0]));
	p->lines[p->lines_nr].file = xstrdup(file);
	p->lines[p->lines_nr].line = line;
	p->lines[p->lines_nr].bytes = bytes;
	p->lines[p->lines_nr].objects = objects;
	p->lines_nr++;
	p->total_bytes += bytes;
}

static void add_func(struct profile *p, const char *name, const char *file, double flat, double cum)
{
	ALLOC_GROW(p->funcs, p->funcs_nr + 1, p->funcs_alloc);
	memset(&p->funcs[p->funcs_nr], 0, sizeof(p->funcs[0]));
	p->funcs[p->funcs_nr].name = xstrdup(name);
	p->funcs[p->funcs_nr].file = xstrdup(file);
	p->funcs[p->funcs_nr].flat = flat;
	p->funcs[p->funcs_nr].cum = cum;
	p->funcs_nr++;
}

static void test_heap(void **state)
{
	struct finding_list findings = FINDING_LIST_INIT, fixed = FINDING_LIST_INIT;
	struct profile_stats st;
	struct profile p = PROFILE_INIT;
	struct finding *cold, *hot, *info, *none;

	(void)state;
	cold = mk(&findings, "campus/scores.go", 23, "Count", SEVERITY_WARNING);
	info = mk(&findings, "campus/scores.go", 17, "keep", SEVERITY_INFO);
	hot = mk(&findings, "campus/scores.go", 30, "NewStudent", SEVERITY_WARNING);
	none = mk(&findings, "other/scores.go", 30, "NewStudent", SEVERITY_WARNING);
	p.files_nr = 1;
	add_line(&p, "/build/x/campus/scores.go", 30, 9000, 300);
	add_line(&p, "/build/x/campus/scores.go", 23, 50, 5);
	add_line(&p, "/build/x/campus/scores.go", 17, 150, 1);
	/* same line, a file that only ends like ours: not a match */
	add_line(&p, "/build/x/notcampus/scores.go", 23, 700, 7);
	add_line(&p, "/usr/lib/go/src/fmt/print.go", 12, 100, 1);
	profile_apply(&st, &findings, &fixed, NULL, &p, 0.01);

	assert_int_equal(hot->alloc_bytes, 9000);
	assert_int_equal(hot->alloc_objects, 300);
	assert_true(hot->hot);
	assert_int_equal(hot->severity, SEVERITY_ERROR);
	assert_true(hot->weight > 0.899 && hot->weight < 0.901);
	assert_int_equal(cold->alloc_bytes, 50);
	assert_false(cold->hot); /* 50 / 10000 = 0.5% */
	assert_int_equal(cold->severity, SEVERITY_WARNING);
	assert_true(info->hot); /* 1.5%: info becomes warning */
	assert_int_equal(info->severity, SEVERITY_WARNING);
	assert_int_equal(none->alloc_bytes, 0);
	assert_false(none->hot);
	/* heaviest first; the unweighted keep their place */
	assert_ptr_equal(findings.items[0], hot);
	assert_ptr_equal(findings.items[1], info);
	assert_ptr_equal(findings.items[2], cold);
	assert_ptr_equal(findings.items[3], none);
	assert_int_equal(st.findings_unmatched, 1);
	assert_int_equal(st.profile_unmatched, 2);
	assert_int_equal(st.profiles_nr, 1);
	profile_release(&p);
	finding_list_release(&findings);
	finding_list_release(&fixed);
}

/* The findings the baseline hides: weighted, so the profile lines they
 * match are matched; their hot ones counted apart, never listed. */
static void test_hidden(void **state)
{
	struct finding_list findings = FINDING_LIST_INIT, fixed = FINDING_LIST_INIT;
	struct finding_list hidden = FINDING_LIST_INIT;
	struct profile_stats st;
	struct profile p = PROFILE_INIT;
	struct finding *shown, *hot, *cold;

	(void)state;
	shown = mk(&findings, "campus/scores.go", 23, "Count", SEVERITY_WARNING);
	hot = mk(&hidden, "campus/scores.go", 30, "NewStudent", SEVERITY_WARNING);
	cold = mk(&hidden, "campus/scores.go", 40, "Old", SEVERITY_WARNING);
	p.files_nr = 1;
	add_line(&p, "/build/x/campus/scores.go", 30, 9000, 300);
	add_line(&p, "/build/x/campus/scores.go", 12, 1000, 10);
	profile_apply(&st, &findings, &fixed, &hidden, &p, 0.01);
	assert_true(hot->hot);
	assert_false(cold->hot);
	assert_int_equal(st.hidden_hot, 1);
	/* line 30 matched a hidden finding; line 12 nothing */
	assert_int_equal(st.profile_unmatched, 1);
	/* only the listed findings count as matching nothing */
	assert_int_equal(st.findings_unmatched, 1);
	assert_false(shown->hot);
	assert_int_equal(findings.nr, 1);
	profile_release(&p);
	finding_list_release(&findings);
	finding_list_release(&fixed);
	finding_list_release(&hidden);
}

static void test_cpu(void **state)
{
	struct finding_list findings = FINDING_LIST_INIT, fixed = FINDING_LIST_INIT;
	struct profile_stats st;
	struct profile p = PROFILE_INIT;
	struct finding *a, *b;

	(void)state;
	a = mk(&findings, "pkg/a.go", 10, "(*T).Serve", SEVERITY_INFO);
	b = mk(&findings, "pkg/a.go", 20, "Init", SEVERITY_WARNING);
	p.files_nr = 1;
	p.total_cpu = 1000;
	add_func(&p, "(*T).Serve", "/src/pkg/a.go", 100, 600);
	add_func(&p, "Init", "/src/other/a.go", 5, 5);
	profile_apply(&st, &findings, &fixed, NULL, &p, 0.5);
	assert_true(a->cpu_flat > 0.099 && a->cpu_flat < 0.101);
	assert_true(a->cpu_cum > 0.599 && a->cpu_cum < 0.601);
	assert_true(a->hot);
	assert_int_equal(a->severity, SEVERITY_WARNING);
	assert_true(b->cpu_cum == 0); /* its function in another file */
	assert_int_equal(st.findings_unmatched, 1);
	profile_release(&p);
	finding_list_release(&findings);
	finding_list_release(&fixed);
}

static void test_share(void **state)
{
	(void)state;
	assert_true(profile_parse_share("1%") > 0.0099 && profile_parse_share("1%") < 0.0101);
	assert_true(profile_parse_share("0.5") == 0.5);
	assert_true(profile_parse_share("100%") == 1);
	assert_true(profile_parse_share("0") < 0);
	assert_true(profile_parse_share("101%") < 0);
	assert_true(profile_parse_share("1%x") < 0);
	assert_true(profile_parse_share("") < 0);
	assert_true(profile_parse_share("-1") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap),
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_share),
	};

	util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
