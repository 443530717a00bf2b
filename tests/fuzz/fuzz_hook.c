/*
 * fuzz_hook.c: the pre-push hook's standard input (hook.h): the lines git
 * writes, "LOCAL_REF LOCAL_SHA REMOTE_REF REMOTE_SHA", read from a stream
 * and one line at a time.
 */
#include "fuzz.h"
#include "hook.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct push_updates l = PUSH_UPDATES_INIT;
	struct push_update u;
	FILE *fp;
	char *line;

	if (size) {
		fp = fmemopen((void *)data, size, "r");
		if (fp) {
			(void)push_updates_read(&l, fp);
			fclose(fp);
		}
		push_updates_release(&l);
	}
	line = xstrndup((const char *)data, size);
	memset(&u, 0, sizeof(u));
	(void)push_update_parse(&u, line);
	push_update_release(&u);
	free(line);
	return 0;
}
