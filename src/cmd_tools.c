/*
 * cmd_tools.c: the commands around the review: `rules` (the checklist),
 * `render` (preview a template), `config` (the effective settings and
 * their sources) and --version.
 */
#include "cmd.h"
#include "checklist.h"
#include "errors.h"
#include "options.h"
#include "packages.h"
#include "render.h"
#include "report.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int print_json(cJSON *doc)
{
	char *s = cJSON_Print(doc);

	puts(s);
	free(s);
	cJSON_Delete(doc);
	return EXIT_CLEAN;
}

/* `rules [ID] [--format text|json|markdown]`; ids are case-insensitive (er010). */
int cmd_rules(int argc, char **argv)
{
	struct cli_args args;
	const char *format, *id = NULL;
	const struct rule *rules;
	size_t nr, i;
	int ret;

	cli_args_init(&args, NULL);
	ret = options_parse(&args, CMD_RULES, "rules", argc, argv);
	format = args.format ? args.format : "text";
	if (!ret && args.operands_nr > 1)
		ret = error_set(ER_EUSAGE, "rules takes one rule id, not also '%s'", args.operands[1]);
	if (!ret && args.operands_nr)
		id = args.operands[0];
	cli_args_release(&args);
	if (ret)
		return cmd_fail(ret);
	rules = checklist_rules(&nr);
	if (id) {
		const struct rule *r = checklist_find_nocase(id);

		if (!r)
			return cmd_usage_error("no rule %s: `escape-review rules` lists them", id);
		id = r->id;
	}
	if (!strcmp(format, "json")) {
		cJSON *arr = cJSON_CreateArray();

		for (i = 0; i < nr; i++) {
			cJSON *o;

			if (id && strcmp(id, rules[i].id))
				continue;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", rules[i].id);
			cJSON_AddStringToObject(o, "title", rules[i].title);
			cJSON_AddStringToObject(o, "severity", severity_name(rules[i].severity));
			cJSON_AddStringToObject(o, "why", rules[i].explanation);
			cJSON_AddStringToObject(o, "fix", rules[i].fix);
			cJSON_AddStringToObject(o, "example", rules[i].bad);
			cJSON_AddStringToObject(o, "good", rules[i].good);
			cJSON_AddStringToObject(o, "anchor", rules[i].anchor);
			if (rules[i].go_min)
				cJSON_AddNumberToObject(o, "go_min", rules[i].go_min);
			if (rules[i].go_max)
				cJSON_AddNumberToObject(o, "go_max", rules[i].go_max);
			if (rules[i].compilers)
				cJSON_AddStringToObject(o, "compilers", rules[i].compilers);
			cJSON_AddItemToArray(arr, o);
		}
		return print_json(arr);
	}
	if (!strcmp(format, "markdown")) {
		struct strbuf md = STRBUF_INIT;

		checklist_write_markdown(&md);
		cmd_print(&md);
		strbuf_release(&md);
		return 0;
	}
		for (i = 0; i < nr; i++) {
		if (id && strcmp(id, rules[i].id))
			continue;
		if (!id) {
			printf("%s  %-7s  %s\n", rules[i].id, severity_name(rules[i].severity),
			       rules[i].title);
			continue;
		}
		printf("%s: %s (%s)\n\n%s\n\nFix: %s\n", rules[i].id, rules[i].title,
		       severity_name(rules[i].severity), rules[i].explanation, rules[i].fix);
		if (rules[i].compilers)
			printf("\nCompilers: %s\n", rules[i].compilers);
		if (*rules[i].bad)
			printf("\nTriggers it:\n%s\n", rules[i].bad);
		if (*rules[i].good)
			printf("\nFixed:\n%s\n", rules[i].good);
	}
	return 0;
}

/* `render TEMPLATE --data FILE.json [--partials DIR] [--escape html|markdown|none]` */
int cmd_render(int argc, char **argv)
{
	struct cli_args args;
	struct strbuf out = STRBUF_INIT;
	int ret;

	cli_args_init(&args, NULL);
	ret = options_parse(&args, CMD_RENDER, "render", argc, argv);
	if (!ret && args.operands_nr > 1)
		ret = error_set(ER_EUSAGE, "render takes one template, not also '%s'", args.operands[1]);
	if (!ret && (!args.operands_nr || !args.data))
		ret = error_set(ER_EUSAGE, "usage: escape-review render TEMPLATE --data FILE.json [--partials DIR] [--escape html|markdown|none]");
	if (!ret)
		ret = report_render_file(&out, args.operands[0], args.data, args.partials, args.escape);
	if (!ret)
		cmd_print(&out);
	strbuf_release(&out);
	cli_args_release(&args);
	return ret ? cmd_fail(ret) : EXIT_CLEAN;
}

/*
 * `config`: the effective configuration and where each value came from.
 * The options that are settings (options.h: OPT_CONFIG) override them here
 * too, validated by the same setters as the file.
 */
int cmd_config(int argc, char **argv, struct config *cfg)
{
	struct cli_args args;
	struct strbuf out = STRBUF_INIT;
	int ret;

	if ((ret = config_load_repo(cfg)))
		return cmd_fail(ret);
	cli_args_init(&args, cfg);
	ret = options_parse(&args, CMD_CONFIG, "config", argc, argv);
	if (!ret && args.operands_nr)
		ret = error_set(ER_EUSAGE, "unknown option for config: %s", args.operands[0]);
	if (!ret && args.format && !strcmp(args.format, "json")) {
		print_json(config_describe_json(cfg));
	} else if (!ret) {
		config_describe_text(&out, cfg);
		cmd_print(&out);
	}
	strbuf_release(&out);
	cli_args_release(&args);
	return ret ? cmd_fail(ret) : EXIT_CLEAN;
}

/* escape-review's version, and the Go it would run (tested: GO_SUPPORTED). */
int cmd_version(void)
{
	struct build_opts bo = { 0 };
	struct strbuf v = STRBUF_INIT;
	char *which = run_which("go");

	printf("escape-review %s\n", ER_VERSION);
	if (go_version(&v, &bo))
		printf("go: not found on PATH (tested with %s)\n", GO_SUPPORTED);
	else
		printf("go: %s (%s)%s\n", v.buf, which ? which : "go",
		       go_version_supported(v.buf) ? "" : ", outside the tested " GO_SUPPORTED);
	strbuf_release(&v);
	free(which);
	return 0;
}
