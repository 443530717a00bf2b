/*
 * fuzz_event.c: the GitHub Actions event file (GITHUB_EVENT_PATH) as
 * forge_context_from_env() reads it (forge.h).  The input is written to a
 * temporary file the environment points at.
 */
#include "fuzz.h"
#include "forge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

/* the one temporary file, gone when the fuzzer exits */
static void remove_event_file(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct forge_context ctx;
	struct forge_flags fl = FORGE_FLAGS_INIT;
	FILE *fp;

	if (!path[0]) {
		int fd;

		strcpy(path, "/tmp/fuzz_event.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_event_file);
		setenv("GITHUB_EVENT_PATH", path, 1);
		setenv("GITHUB_REPOSITORY", "owner/repo", 1);
		setenv("GITHUB_TOKEN", "t", 1);
		setenv("GITHUB_EVENT_NAME", "pull_request", 1);
		unsetenv("GITHUB_API_URL");
	}
	fp = fopen(path, "w");
	if (!fp)
		abort();
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	memset(&ctx, 0, sizeof(ctx));
	fl.dry_run = 1;
	(void)forge_context_from_env(&ctx, "github", &fl);
	forge_context_release(&ctx);
	return 0;
}
