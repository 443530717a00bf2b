/*
 * cmd_publish.c: `publish --from FILE --reporter R`, the trusted second half
 * of a two-phase review (publish.h): no repository, no go; the file is
 * checked before anything is sent.
 */
#include "cmd.h"
#include "errors.h"
#include "forge.h"
#include "publish.h"

#include <stdio.h>

int cmd_publish(int argc, char **argv)
{
	int ret = publish_command(argc, argv);

	if (ret == FORGE_READONLY) {
		fprintf(stderr, "escape-review: %s\n", error_last());
		return EXIT_PUBLISH;
	}
	return ret ? cmd_fail(ret) : EXIT_CLEAN;
}
