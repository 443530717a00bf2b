/*
 * checklist.c: the rule catalog and the classifier (see checklist.h).
 * Placeholder catalog with the generic rule only; the full catalog is the
 * checklist issue's work.
 */
#include "checklist.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const struct rule rules[] = {
	{ CHECKLIST_GENERIC_RULE, "Heap allocation or leaking parameter", SEVERITY_WARNING,
	  "The compiler decided that this value must live on the heap.",
	  "Read the reason chain (--explain) to see what makes it escape.",
	  "", "", "er000" },
};

const struct rule *checklist_rules(size_t *nr)
{
	*nr = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const struct rule *checklist_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

void checklist_policy_release(struct checklist_policy *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		free(p->items[i].id);
	free(p->items);
	p->items = NULL;
	p->nr = p->alloc = 0;
}

void checklist_policy_set(struct checklist_policy *p, const char *id, int severity,
			  int disabled)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (!strcmp(p->items[i].id, id))
			break;
	if (i == p->nr) {
		ALLOC_GROW(p->items, p->nr + 1, p->alloc);
		p->items[p->nr].id = xstrdup(id);
		p->nr++;
	}
	p->items[i].severity = severity;
	p->items[i].disabled = !!disabled;
}

int checklist_classify(struct finding *f, const char *source_line,
		       const struct checklist_policy *policy)
{
	(void)source_line;
	(void)policy;
	f->rule = rules[0].id;
	f->severity = rules[0].severity;
	return 0;
}
