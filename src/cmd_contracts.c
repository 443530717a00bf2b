/*
 * cmd_contracts.c: `escape-review check` (every contract of the repository's
 * modules verified, for CI) and `escape-review contracts` (the contracts
 * listed); declared in cmd.h.  The review does the work; this file picks
 * what to print and the exit code.
 */
#include "cmd.h"
#include "config.h"
#include "contract.h"
#include "errors.h"
#include "options.h"
#include "report.h"
#include "repo.h"
#include "review.h"
#include "strbuf.h"
#include "util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The configuration, then the options (options.h) of `check` or `contracts`; 0 or a code. */
static int parse_args(struct cli_args *a, struct config *cfg, enum cli_command cmd,
		      const char *name, int argc, char **argv)
{
	int ret;

	cli_args_init(a, cfg);
	if ((ret = config_load_repo(cfg)))
		return ret;
	return options_parse(a, cmd, name, argc, argv);
}

static int is_json(const struct cli_args *a)
{
	return a->format && !strcmp(a->format, "json");
}

/* Keep the contract findings of the review (new and existing: all broken). */
static void keep_contracts(struct finding_list *l)
{
	size_t i, k = 0;

	for (i = 0; i < l->nr; i++) {
		if (!l->items[i]->contract) {
			finding_free(l->items[i]);
			continue;
		}
		l->items[k++] = l->items[i];
	}
	l->nr = k;
}

int cmd_check(int argc, char **argv, struct config *cfg)
{
	struct cli_args a;
	struct review_opts ro = { 0 };
	struct review rv = { 0 };
	struct pkgset analysed = PKGSET_INIT;
	struct contract_list cl = CONTRACT_LIST_INIT;
	int ret;

	if ((ret = parse_args(&a, cfg, CMD_CHECK, "check", argc, argv))) {
		ret = cmd_fail(ret);
		goto out;
	}
	ro.mode = MODE_ALL;
	ro.worktree = 1;
	ro.tests = a.tests;
	ro.verbose = a.verbose;
	ro.build.verbose = a.verbose;
	ro.build.build_flags = cfg->build_flags;
	ro.build.gcflags = cfg->gcflags;
	ro.build.max_flow = cfg->max_flow;
	ro.config = cfg;
	ro.no_baseline = 1;
	ro.all_packages = !a.operands_nr;
	if ((ret = cmd_review_packages(&rv, &ro, a.operands, a.operands_nr, &analysed)))
		goto out;
	keep_contracts(&rv.findings);
	keep_contracts(&rv.fixed);
	if (rv.workdir)
		contract_scan_pkgset(&cl, rv.workdir, &analysed, a.tests);
	if (is_json(&a)) {
		if (report_json_write(stdout, &rv))
			ret = cmd_fail(ER_ERROR);
	} else {
		struct report_opts rep = { 0 };
		struct strbuf out = STRBUF_INIT;
		size_t i;

		for (i = 0; i < rv.findings.nr; i++)
			rv.findings.items[i]->status = STATUS_NEW;
		report_text(&out, &rv, &rep);
		/* the review's summary line (the last) counts findings: say what was checked */
		if (out.len > 1) {
			const char *nl = out.buf + out.len - 2;

			while (nl > out.buf && *nl != '\n')
				nl--;
			strbuf_setlen(&out, *nl == '\n' ? (size_t)(nl - out.buf) + 1 : 0);
		}
		strbuf_addf(&out, "escape-review: %zu broken, %zu contract%s checked\n",
			    rv.findings.nr, cl.nr, cl.nr == 1 ? "" : "s");
		fputs(out.buf, stdout);
		strbuf_release(&out);
	}
	if (!ret)
		ret = rv.findings.nr ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	contract_list_release(&cl);
	pkgset_release(&analysed);
	review_release(&rv);
	cli_args_release(&a);
	return ret;
}

static void list_text(const struct contract_list *cl)
{
	size_t i;

	for (i = 0; i < cl->nr; i++) {
		const struct contract *c = &cl->items[i];

		printf("%s:%d: //escape:%s %s", c->file, c->line, c->directive, contract_scope(c));
		if (c->func)
			printf(" %s (lines %d-%d)", c->func, c->first, c->last);
		else
			printf(" %d", c->first);
		if (c->unknown)
			printf(" (unknown directive '%s')", c->unknown);
		putchar('\n');
	}
	printf("escape-review: %zu contract%s\n", cl->nr, cl->nr == 1 ? "" : "s");
}

static void list_json(const struct contract_list *cl)
{
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "contracts");
	char *text;
	size_t i;

	for (i = 0; i < cl->nr; i++) {
		const struct contract *c = &cl->items[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "file", c->file);
		cJSON_AddNumberToObject(o, "line", c->line);
		cJSON_AddStringToObject(o, "directive", c->directive);
		cJSON_AddStringToObject(o, "scope", contract_scope(c));
		if (c->func)
			cJSON_AddStringToObject(o, "function", c->func);
		else
			cJSON_AddNullToObject(o, "function");
		cJSON_AddNumberToObject(o, "first_line", c->first);
		cJSON_AddNumberToObject(o, "last_line", c->last);
		if (c->unknown)
			cJSON_AddStringToObject(o, "unknown", c->unknown);
		else
			cJSON_AddNullToObject(o, "unknown");
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(doc);
	puts(text);
	free(text);
	cJSON_Delete(doc);
}

int cmd_contracts(int argc, char **argv, struct config *cfg)
{
	struct cli_args a;
	struct pkgset set = PKGSET_INIT;
	struct contract_list cl = CONTRACT_LIST_INIT;
	git_repository *repo = NULL;
	struct strbuf root = STRBUF_INIT;
	int ret;

	if ((ret = parse_args(&a, cfg, CMD_CONTRACTS, "contracts", argc, argv)) ||
	    (ret = repo_open(&repo, "."))) {
		ret = cmd_fail(ret);
		goto out;
	}
	if (!git_repository_workdir(repo)) {
		ret = cmd_fail(error_set(ER_EREPO, "contracts needs a work tree, and this repository is bare"));
		goto out;
	}
	strbuf_addstr(&root, git_repository_workdir(repo));
	while (root.len > 1 && root.buf[root.len - 1] == '/')
		strbuf_setlen(&root, root.len - 1);
	if (!a.operands_nr)
		pkgset_add_all(&set, root.buf);
	else if ((ret = pkgset_add_args(&set, root.buf, a.operands, a.operands_nr))) {
		ret = cmd_fail(ret);
		goto out;
	}
	contract_scan_pkgset(&cl, root.buf, &set, a.tests);
	if (is_json(&a))
		list_json(&cl);
	else
		list_text(&cl);
	ret = EXIT_CLEAN;
out:
	contract_list_release(&cl);
	pkgset_release(&set);
	strbuf_release(&root);
	git_repository_free(repo);
	cli_args_release(&a);
	return ret;
}
