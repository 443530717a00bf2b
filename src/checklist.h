#ifndef CHECKLIST_H
#define CHECKLIST_H

/*
 * checklist.h: the escape checklist.  A catalog of rules (data: id, title,
 * severity, explanation, fix, bad/good example, documentation anchor) and a
 * classifier that assigns each finding the most specific rule, using the
 * verdict, the facts of its whole -m=2 chain (finding.facts) and, where
 * needed, the text of its source line.
 *
 * Classifying never formats output for a reader: it sets finding.rule,
 * finding.severity and finding.why (one sentence built from the chain, a
 * data field of the finding) and nothing else.
 *
 * Owns: the rule catalog and classifying (finding.rule, severity, why,
 * with the configuration's rule overrides).  Never: formats output, reads
 * files or repositories, runs a process, or decides what fails.
 */

#include "finding.h"
#include <stddef.h>

/* The rule that catches what no other rule claims. */
#define CHECKLIST_GENERIC_RULE "ER000"

struct rule {
	const char *id;           /* "ER001": stable, never reused */
	const char *title;        /* short, imperative-free: "Argument boxed for fmt/log" */
	enum severity severity;   /* default severity */
	const char *explanation;  /* one paragraph: what the compiler decided and why */
	const char *fix;          /* the usual fix */
	const char *bad;          /* minimal Go example that triggers the rule */
	const char *good;         /* the fixed variant */
	const char *anchor;       /* documentation anchor in docs/rules.md ("er001") */
	/*
	 * The Go releases whose compiler can report what the rule describes,
	 * as minor versions of Go 1 (24 for Go 1.24); 0: no bound.  Outside
	 * them the rule never fires (the compiler decides otherwise and says
	 * nothing).  `compilers` is the sentence the docs print, NULL when the
	 * rule applies to every supported compiler.
	 */
	int go_min, go_max;
	const char *compilers;
};

/* Does `r` apply to the compiler of Go 1.`minor`? */
int checklist_rule_applies(const struct rule *r, int minor);

/* All rules, in id order. */
const struct rule *checklist_rules(size_t *nr);
/* The rule with this id, or NULL. */
const struct rule *checklist_find(const char *id);
/* The same for an id as a person writes it: "er010" is ER010. */
const struct rule *checklist_find_nocase(const char *id);

/* Per-rule configuration: severity overrides and disabled rules. */
struct rule_override {
	char *id;
	int severity;          /* enum severity, or -1 to keep the default */
	unsigned disabled : 1;
};

struct checklist_policy {
	struct rule_override *items;
	size_t nr, alloc;
};

#define CHECKLIST_POLICY_INIT { NULL, 0, 0 }

void checklist_policy_release(struct checklist_policy *p);
/* Add or replace an override (copies `id`). */
void checklist_policy_set(struct checklist_policy *p, const char *id, int severity,
			  int disabled);

/*
 * Classify `f`: set f->rule (a static id), f->severity and f->why.
 * `source_line` is the text of the finding's line (without newline) or NULL
 * when unavailable.  `policy` may be NULL.  `go_minor` is the compiler
 * that printed the finding, Go 1.`go_minor` (0: not known).  Returns 1
 * when the finding's rule is disabled by the policy (the caller drops it),
 * else 0.
 */
int checklist_classify(struct finding *f, const char *source_line,
		       const struct checklist_policy *policy, int go_minor);

/*
 * The compiler decides one thing the classification needs: Go 1.25 and
 * newer box a zero-valued struct or array literal (up to 1 KiB) or one of
 * constants from read-only data (ER005), Go 1.24 and older allocate it
 * (unless it has zero size).  Classified without the compiler known, such
 * a finding is ER005, as the newer ones print it, and f->go_dependent
 * says so; f->go_old, that it was classified for an older one.  1 when
 * `f` was classified for another compiler than Go 1.`go_minor` (0: not
 * known, never): the caller classifies it again (source line and all).
 */
#define CHECKLIST_GO_STATIC_BOX 25
int checklist_for_other_go(const struct finding *f, int go_minor);

/*
 * checklist_classify() in its two halves.  The classification depends on
 * the finding alone: f->rule, f->why, f->allocates_nothing, and f->severity
 * the rule's (an analysis cache entry stores it, compare.h).  The policy
 * then sets f->severity (an override, or info when nothing is allocated)
 * and returns 1 when the rule is disabled (the caller drops the finding).
 */
void checklist_classify_finding(struct finding *f, const char *source_line, int go_minor);
int checklist_apply_policy(struct finding *f, const struct checklist_policy *policy);
/* 1 when the policy turns a rule off: checklist_apply_policy() may then
 * drop findings, else it never does. */
int checklist_policy_drops(const struct checklist_policy *policy);

struct strbuf;

/*
 * Append the catalog as Markdown (docs/rules.md): an index table, then one
 * section per rule with its anchor, severity, explanation, fix and the
 * bad/good examples.  Deterministic: the same catalog gives the same bytes.
 */
void checklist_write_markdown(struct strbuf *out);

#endif
