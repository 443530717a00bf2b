/*
 * replay.c: run a fuzz target's LLVMFuzzerTestOneInput on files (the
 * regression inputs and seed corpora) without libFuzzer, so `make
 * fuzz-regress` works with any compiler and under ASan/UBSan or valgrind.
 * Arguments are files or directories (their regular files, not recursive).
 */
#include "fuzz.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int one(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path, 1u << 26) < 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)sb.buf, sb.len);
	strbuf_release(&sb);
	return 0;
}

int main(int argc, char **argv)
{
	int i, fail = 0, n = 0;

	util_init();
	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: no %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			fail |= one(argv[i]);
			n++;
			continue;
		}
		d = opendir(argv[i]);
		if (!d)
			return 1;
		while ((e = readdir(d))) {
			char *p;

			if (e->d_name[0] == '.')
				continue;
			p = path_join(argv[i], e->d_name);
			if (!stat(p, &st) && S_ISREG(st.st_mode)) {
				fail |= one(p);
				n++;
			}
			free(p);
		}
		closedir(d);
	}
	printf("replayed %d inputs\n", n);
	return fail;
}
