/*
 * cmd_publish.c: `publish --from FILE --reporter R`, the trusted second half
 * of a two-phase review (publish.h): no repository, no go; the file is
 * checked before anything is sent.
 */
#include "cmd.h"
#include "errors.h"
#include "forge.h"
#include "options.h"
#include "publish.h"

#include <stdio.h>
#include <string.h>

/* The options (options.c's table, CMD_PUBLISH), then publish_file(). */
static int publish_args(int argc, char **argv)
{
	struct forge_flags ff = FORGE_FLAGS_INIT;
	struct cli_args a;
	int ret;

	cli_args_init(&a, NULL);
	if ((ret = options_parse(&a, CMD_PUBLISH, "publish", argc, argv)))
		goto out;
	if (a.operands_nr) {
		ret = error_set(ER_EUSAGE, "unknown option for publish: %s (see escape-review --help)",
				a.operands[0]);
		goto out;
	}
	if (!a.from || !strcmp(a.reporter, "local")) {
		ret = error_set(ER_EUSAGE, "publish needs --from FILE and --reporter github, gitlab or "
				"auto (see escape-review --help)");
		goto out;
	}
	ff.pr = a.pr;
	ff.repo_slug = a.repo_slug;
	ff.api_url = a.api_url;
	ff.base_sha = a.base;
	ff.head_sha = a.head;
	ff.dry_run = a.dry_run;
	ret = publish_file(a.from, a.reporter, &ff, a.verbose);
out:
	cli_args_release(&a);
	return ret;
}

int cmd_publish(int argc, char **argv)
{
	int ret = publish_args(argc, argv);

	if (ret == FORGE_READONLY) {
		fprintf(stderr, "escape-review: %s\n", error_last());
		return EXIT_PUBLISH;
	}
	return ret ? cmd_fail(ret) : EXIT_CLEAN;
}
