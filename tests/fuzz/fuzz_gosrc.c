/*
 * fuzz_gosrc.c: the Go lexer and structure scan (gosrc.h) on arbitrary
 * bytes, from each start state: tokens tile the text in order, every scope
 * has a sane extent, lookups and zero-size checks must not fail; and the
 * locate of findings of every kind it looks into (a parameter moved to the
 * heap, T{...} literals, pkg.Name and x.y.Name selectors) in that text
 * as a file of a package of its own.
 */
#include "fuzz.h"
#include "finding.h"
#include "gosrc.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/fuzz_gosrc.XXXXXX";

/* The directory as_file() made, removed at exit. */
static void remove_dir(void)
{
	char path[sizeof(dir) + 16];

	snprintf(path, sizeof(path), "%s/p/a.go", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/p", dir);
	rmdir(path);
	rmdir(dir);
}

/* The input as p/a.go under a directory made once; NULL when it cannot be. */
static const char *as_file(const char *s, size_t size)
{
	static int made;
	char path[sizeof(dir) + 16];
	FILE *fp;

	if (!made) {
		if (!mkdtemp(dir))
			return NULL;
		atexit(remove_dir);
		snprintf(path, sizeof(path), "%s/p", dir);
		if (mkdir(path, 0700) && errno != EEXIST)
			return NULL;
		made = 1;
	}
	snprintf(path, sizeof(path), "%s/p/a.go", dir);
	if (!(fp = fopen(path, "wb")))
		return NULL;
	if (fwrite(s, 1, size, fp) != size) {
		fclose(fp);
		return NULL;
	}
	if (fclose(fp))
		return NULL;
	return dir;
}

/* Findings at positions over the text, each locate's questions asked. */
static void locate_some(const char *s, size_t size)
{
	static const struct {
		enum verdict v;
		const char *subject;
	} kinds[] = {
		{ VERDICT_MOVED, "x" }, { VERDICT_ESCAPES, "T{}" }, { VERDICT_ESCAPES, "M{...}" },
		{ VERDICT_ESCAPES, "a.B" }, { VERDICT_ESCAPES, "x.y.Z" }, { VERDICT_ESCAPES, "&T{}" },
	};
	struct finding_list l = FINDING_LIST_INIT;
	const char *root = as_file(s, size);
	int line, col;
	size_t k = 0;

	if (!root)
		return;
	for (line = 1; line <= 12; line++)
		for (col = 1; col <= 25; col += 6, k++) {
			struct finding *f = finding_new();

			f->file = xstrdup("p/a.go");
			f->line = line;
			f->column = col;
			f->message = xstrdup("m");
			f->verdict = kinds[k % (sizeof(kinds) / sizeof(kinds[0]))].v;
			f->subject = xstrdup(kinds[k % (sizeof(kinds) / sizeof(kinds[0]))].subject);
			finding_list_add(&l, f);
		}
	gosrc_locate(&l, root);
	finding_list_release(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct goscopes sc = GOSCOPES_INIT;
	const char *s = (const char *)data;
	struct golex lx;
	struct gotoken t;
	size_t i, end = 0;
	int line, st;

	for (st = GOLEX_CODE; st <= GOLEX_IN_BLOCK; st++) {
		golex_init(&lx, s, size, (enum golex_state)st);
		end = 0;
		while (golex_next(&lx, &t) != GOTOK_EOF) {
			if (t.off < end || t.off + t.len > size || (!t.len && t.kind != GOTOK_RAW &&
								    t.kind != GOTOK_BLOCK))
				abort();
			end = t.off + t.len;
		}
		(void)gosrc_line_comment(s, size, (enum golex_state)st, NULL);
	}
	goscopes_scan(&sc, s, size);
	for (i = 0; i < sc.nr; i++) {
		if (sc.items[i].start_line < 1)
			abort();
		if (sc.items[i].kind != GOSCOPE_LOOP && !sc.items[i].name)
			abort();
		if (sc.items[i].end_line < sc.items[i].start_line)
			abort();
		if (i && sc.items[i].start_line < sc.items[i - 1].start_line)
			abort();
	}
	for (line = 0; line < 40; line += 3)
		(void)goscopes_func_at(&sc, line, line % 7);
	for (i = 0; i < sc.types_nr; i++)
		(void)gosrc_type_is_zero(sc.types[i].expr, strlen(sc.types[i].expr), sc.types,
					 sc.types_nr);
	(void)gosrc_type_is_zero(s, size, sc.types, sc.types_nr);
	goscopes_release(&sc);
	(void)gosrc_is_generated(s, size);
	/* the input as a file's header, and its first line as the file's name */
	{
		const char *nl = memchr(s, '\n', size);
		char *name = xstrndup(s, nl ? (size_t)(nl - s) : size);
		struct strbuf why = STRBUF_INIT;
		int got = gosrc_build_constraint(&why, name, s, size);

		if (got != gosrc_build_constraint(NULL, name, s, size) || got != !!why.len)
			abort(); /* a file constrained says why, and only then */
		strbuf_release(&why);
		free(name);
	}
	locate_some(s, size);
	return 0;
}
