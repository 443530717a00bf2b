#ifndef CONTRACT_H
#define CONTRACT_H

/*
 * contract.h: performance contracts written in the source (docs/contracts.md).
 *
 *   //escape:none     no heap allocation (moved to heap / escapes to heap)
 *   //escape:inline   every call on the line is inlined; on a function: it
 *                     is inlinable
 *   //escape:bce      no bounds check left (-d=ssa/check_bce/debug=1)
 *   //escape:none,inline   several at once
 *
 * A directive is a line comment: after code it covers its own line; alone
 * on a line it covers the next line, unless it is part of the comment
 * block right above a `func` declaration: then it covers the function's
 * whole body, closures included.  `//escape:ok` is the acknowledgement
 * marker (ack.h), not a contract.  Directives are read with the project's
 * one Go lexer (gosrc.h).
 *
 * Checking turns each broken contract into a finding (finding.contract
 * set) with a rule of its own (CONTRACT_RULE_*), severity error, placed
 * where the compiler reported what breaks it; an unknown directive word
 * and a directive with nothing to check on its line are findings too.
 * The rest of the pipeline (fingerprints, new/existing/fixed, reports)
 * treats them as any finding, except that //escape:ok and the baseline
 * never accept them.
 *
 * Owns: reading the directives and turning broken contracts into findings.
 * Never: formats output, opens repositories, touches the network, or
 * decides what fails (the review and the commands do).
 */

#include "finding.h"
#include "parse.h"
#include <stddef.h>

struct pkgset;

#define CONTRACT_RULE_NONE "ER041"
#define CONTRACT_RULE_INLINE "ER042"
#define CONTRACT_RULE_BCE "ER043"
#define CONTRACT_RULE_UNKNOWN "ER044"
#define CONTRACT_RULE_EMPTY "ER045"

enum contract_kind {
	CONTRACT_NONE = 1 << 0,
	CONTRACT_INLINE = 1 << 1,
	CONTRACT_BCE = 1 << 2,
};

struct contract {
	char *file;            /* repository-relative, where the directive is written */
	int line, column;      /* of the directive's "//" */
	char *directive;       /* the words as written: "none,inline" */
	unsigned kinds;        /* enum contract_kind bits of the known words */
	char *unknown;         /* the first unknown word, or NULL */
	char *func;            /* function scope: the function's name; else NULL */
	int first, last;       /* the lines covered (a line, or the function's body) */
	char *package_dir;     /* repository-relative directory of the file */
};

struct contract_list {
	struct contract *items;
	size_t nr, alloc;
};

#define CONTRACT_LIST_INIT { NULL, 0, 0 }

void contract_list_release(struct contract_list *l);

/* The contracts of one file's text (`path` repository-relative). */
void contract_scan_text(struct contract_list *out, const char *path, const char *src, size_t len);
/*
 * The contracts of every package of `set` in the checkout at `root`
 * (a "./..." pattern walks the directories below, as go does: vendor/,
 * testdata/, hidden directories and nested modules left out); _test.go
 * files only with `tests`.  Files are read bounded; unreadable ones skipped.
 */
void contract_scan_pkgset(struct contract_list *out, const char *root, const struct pkgset *set,
			  int tests);
/* Does directory `dir` (repository-relative, "" for the root) hold a bce contract? */
int contract_dir_has_bce(const struct contract_list *l, const char *dir);

/*
 * Check every contract of `l` against the findings of the same analysis
 * (located and classified) and its notes; append a finding to `out` per
 * broken contract (and per unknown or empty directive).  `root` is the
 * checkout (the covered lines are read again to find calls and indexes).
 */
void contract_check(struct finding_list *out, const struct contract_list *l,
		    const struct parse_note_list *notes, const char *root);

/*
 * The review's contract stage, around one analysis: prepare() reads the
 * contracts of `set` in the checkout at `root`; when there are any, it
 * points b->notes at the run's notes and b->bce_dirs at the packages with
 * a bce contract.  check() (after locate) appends the contract findings.
 */
struct build_opts;
struct contract_run {
	struct contract_list list;
	struct parse_note_list notes;
	char **bce;
	size_t bce_nr, bce_alloc;
};

#define CONTRACT_RUN_INIT { CONTRACT_LIST_INIT, PARSE_NOTE_LIST_INIT, NULL, 0, 0 }

void contract_run_prepare(struct contract_run *r, struct build_opts *b, const char *root,
			  const struct pkgset *set, int tests);
void contract_run_check(struct contract_run *r, struct finding_list *findings, const char *root);
void contract_run_release(struct contract_run *r);
/* Does any package of `set` at `root` hold a contract? */
int contract_any(const char *root, const struct pkgset *set, int tests);

/* "line" or "function". */
const char *contract_scope(const struct contract *c);

#endif
