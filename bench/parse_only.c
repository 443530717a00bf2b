/*
 * bench/parse_only.c: the streaming parser alone (src/parse.h), fed a log
 * from a file in 64 KiB reads exactly as `review --input` does, with the
 * same options (prefix "", root = the current directory, exact_steps 12 as --max-flow 12).
 * It isolates the parser's cost from what `review --input --format json`
 * does after it (source lookup, classification, fingerprints, the JSON
 * document) and prints the parser's counters:
 *
 *   lines=N verdicts=N findings=N dropped=N
 *
 * Build (bench/run.sh does it):
 *   cc -O2 -Isrc -o BUILD/parse_only bench/parse_only.c BUILD/libescape.a
 */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	char cwd[PATH_MAX];
	struct parse_opts po = { 0 };
	struct parse_stats st;
	struct finding_list out = { 0 };
	struct parser *p;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: parse_only LOG\n");
		return 2;
	}
	if (!getcwd(cwd, sizeof(cwd))) {
		perror("getcwd");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	po.exact_steps = 12;
	po.prefix = "";
	po.root_abs = cwd;
	p = parser_new(&po);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("read");
			return 2;
		}
		if (!n)
			break;
		parser_feed(p, buf, (size_t)n);
	}
	close(fd);
	parser_finish(p);
	parser_take_findings(p, &out);
	parser_stats(p, &st);
	printf("lines=%llu verdicts=%llu findings=%llu dropped=%llu\n", st.lines, st.verdicts,
	       st.findings, st.dropped);
	/* like the tool, the findings stay alive until the end */
	finding_list_release(&out);
	parser_free(p);
	return 0;
}
