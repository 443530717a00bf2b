#ifndef FINDING_H
#define FINDING_H

/*
 * finding.h: the data every stage passes along (it owns the finding, its
 * lists and the names of severities, verdicts and statuses; it must never
 * parse, classify, compare or format: the stages do).  A `struct finding` is one
 * escape-positive diagnostic of the compiler (a heap allocation or a
 * leaking parameter), with where it is, why the compiler decided it (the
 * -m=2 flow, cut to --max-flow steps) and the facts the checklist
 * classifies it by (gathered from the whole flow, never cut).
 *
 * Ownership: a finding_list owns its findings; a finding owns its strings.
 * Data flows one way: the parser fills file/line/column/verdict/message/
 * flow/facts, locate function/source/in_init/in_loop/zero_size, the
 * checklist rule/severity/why, compare status/fingerprint/added_line.  No stage formats text for another.
 */

#include <stddef.h>
#include <stdint.h>

struct strpool;

enum verdict {
	VERDICT_MOVED,         /* moved to heap: x */
	VERDICT_ESCAPES,       /* EXPR escapes to heap */
	VERDICT_LEAK_PARAM,    /* leaking param: p [to result ~r0 level=N] */
	VERDICT_LEAK_CONTENT,  /* leaking param content: p */
};

/* The reasons in `from EXPR (REASON) at POS` lines (Go 1.19 and newer). */
enum flow_reason {
	REASON_ADDRESS_OF, REASON_INDIRECTION, REASON_DOT, REASON_DOT_PTR,
	REASON_FIXED_ARRAY_INDEX, REASON_SLICE, REASON_INTERFACE_CONVERTED,
	REASON_ARRAY_LIT_ELEM, REASON_SLICE_LIT_ELEM, REASON_STRUCT_LIT_ELEM,
	REASON_MAP_LIT_KEY, REASON_MAP_LIT_VALUE, REASON_REFLECT_HEADER,
	REASON_SPILL, REASON_CALL_PARAM, REASON_APPENDEE, REASON_APPENDED,
	REASON_COPIED, REASON_UINTPTRESCAPES, REASON_CLOSURE_CAPTURE,
	REASON_REFERENCE, REASON_RANGE, REASON_RANGE_DEREF, REASON_SWITCH_CASE,
	REASON_SEND, REASON_ASSIGN, REASON_ASSIGN_PAIR, REASON_ASSIGN_PAIR_DOT_TYPE,
	REASON_ASSIGN_PAIR_MAPR, REASON_ASSIGN_PAIR_RECEIVE, REASON_RETURN,
	REASON_MAP_KEY_PUT, REASON_TOO_LARGE, REASON_TOO_ALIGNED,
	REASON_NON_CONST_SIZE, REASON_CALLEE_OPERAND,
	REASON_OTHER,          /* a reason this build does not know */
	/* printed by newer compilers (Go 1.26); after REASON_OTHER so the bits
	 * of the reasons above stay what the base cache stored */
	REASON_ZERO_SIZED,     /* make of zero-size elements (Go 1.25+) */
	REASON_SLICE_TO_ARRAY, /* [N]T(s) and (*[N]T)(s) conversions */
	REASON_UNSAFE_CONV,    /* conversion to unsafe.Pointer under -race/-asan/checkptr */
	REASON__COUNT
};

/* Destinations of `flow: DST = ...` lines. */
enum flow_dst {
	DST_HEAP = 1 << 0,         /* {heap} */
	DST_RESULT = 1 << 1,       /* ~r0, ~r1, or a named result */
	DST_FUNC_LIT = 1 << 2,     /* {storage for func literal} */
	DST_DOTS_ARG = 1 << 3,     /* {storage for ... argument} */
	DST_STORAGE = 1 << 4,      /* any other {storage for ...} */
	DST_NAMED = 1 << 5,        /* a named local or parameter */
};

#define FACTS_MAX_CALLEES 8

/* What the whole -m=2 chain said, kept in constant space while streaming. */
struct flow_facts {
	uint64_t reasons;         /* 1 << enum flow_reason, for every step */
	unsigned dsts;            /* enum flow_dst bits */
	unsigned steps;           /* flow + from lines seen */
	unsigned flows;           /* flow: lines seen */
	int derefs;               /* from "leaks to ... with derefs=N", -1 if none */
	unsigned cycle_warning:1; /* "truncated explanation due to assignment cycle" */
	/* distinct callees of `call parameter` steps, as printed ("log.Printf",
	 * "sort.Slice", "p.Put"), first FACTS_MAX_CALLEES of them, in an array
	 * allocated with the first (flow_facts_add_callee; most findings have
	 * none, and a finding is allocated per verdict) */
	unsigned callees_nr;
	char **callees;
	char *leak_dst;           /* "{heap}", "~r0", "s": from the leak header */
	/* the function the compiler named in the explanation's header
	 * ("escapes to heap in F:", "leaks to DST for F"; Go 1.2x), or NULL */
	char *func;
};

/*
 * One step of the explanation, for display.  Its strings belong to the
 * finding: to its pool when finding.pool is set, else to the step itself;
 * change them only through finding_step_set_*().
 */
struct flow_step {
	const char *file;   /* repository-relative like finding.file, or as printed */
	const char *text;   /* "flow: {heap} = &x" or "from &x (address-of)" */
	/* the function inlined at this step's position ("log.Printf"), when
	 * the compiler said "inlining call to" there, else NULL */
	const char *inlined;
	int line;
	int column : 31;    /* 0 when the position had none */
	unsigned outside : 1;  /* the position is outside the repository (GOROOT, ...) */
};

/*
 * Why a finding in a package the change did not touch appeared (or went):
 * a function the change touched, in a package it imports, changed its
 * escape summary (summary.h; dependents.h).
 */
struct finding_cause {
	char *package;     /* import path of the changed function's package */
	char *function;    /* "Observe", "(*T).M" */
	char *file;        /* where that function is */
	int line;
	char *before, *after; /* its summary at base and head ("" for none) */
	char *via;         /* the unchanged function in between ("api.Probe"), or NULL */
	/* the sentence: "because store.Observe, changed in this diff, now
	 * keeps its argument p" */
	char *why;
};

enum finding_status {
	STATUS_NEW,
	STATUS_EXISTING,
	STATUS_FIXED,
	STATUS_BASELINE,
	STATUS_ACKNOWLEDGED,
};

enum severity {
	SEVERITY_NONE = 0,  /* only for --fail-on none */
	SEVERITY_INFO,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
};

/* The contract a contract finding is about: the directive and where it is written. */
struct finding_contract {
	char *directive;    /* "none", "inline", "bce", "none,inline", or as written */
	const char *scope;  /* "line" or "function"; static */
	char *file;         /* where the directive is written */
	int line;
	char *func;         /* function scope: the function; else NULL */
	/* broken only by the compilers before Go 1.N, which allocate what
	 * newer ones lay out statically (checklist_for_other_go); 0: by any */
	int go_before;
};

/*
 * The bytes a finding's remaining fields are still to be read from: a
 * cache entry read lazily (compare.h: compare_cache_complete) keeps its
 * mapping while any of its findings is incomplete.  Counted like a
 * strpool: the findings of one entry are freed by one thread at a time.
 */
struct finding_deferred {
	unsigned long refs;
	void (*release)(struct finding_deferred *d); /* when the last reference goes */
	const char *name;   /* where the bytes are (the entry's path), for messages */
};

/* what the type of a literal T{...} is, as the locate resolved T: a map, a
 * slice, or a struct or array (a value: LIT_VALUE) */
enum finding_lit_kind { LIT_UNKNOWN, LIT_MAP, LIT_SLICE, LIT_VALUE };

struct finding {
	char *package;      /* import path from the "# pkg" header, or NULL */
	char *file;         /* relative to the repository root, '/' separators */
	int line, column;
	enum verdict verdict;
	unsigned flow_truncated : 1; /* `flow` below was cut (4-byte fields paired) */
	char *message;      /* the verdict as printed: "result escapes to heap" */
	char *subject;      /* x / EXPR / p: what the verdict is about */

	struct flow_step *flow;
	size_t flow_nr, flow_alloc;
	/* when set, the flow's strings are interned here (shared with the
	 * other findings of one parse; the finding holds a reference) */
	struct strpool *pool;
	struct flow_facts facts;

	char *function;     /* enclosing function: "CalcAvgScore", "(*T).M", "F.func1";
			     * in a package-level var's initialiser the variable ("ErrX") */
	char *source;       /* text of the finding's line (locate), or NULL */
	char *source_above; /* text of the line above it when it holds "escape:ok"
			     * (the acknowledgement ack.h looks for), else NULL */
	/* the lexer state (gosrc.h enum golex_state) at the start of those two
	 * lines: 0 code, 1 inside a raw string, 2 inside a block comment */
	unsigned source_state : 2, source_above_state : 2;
	/* where it runs (locate): in_init once, when the package is initialised
	 * (a package-level var's initialiser or func init's own body); in_loop
	 * once per iteration of the for loop at loop_line (0: none) */
	unsigned in_init : 1, in_loop : 1;
	unsigned located : 1; /* the locate has been made (its file read or not) */
	/* key_hash holds the hash compare_prehash() made of package, file,
	 * function and message: cleared by whatever changes them after */
	unsigned key_hashed : 1;
	int loop_line;
	char *zero_size;    /* the zero-size type ("Path") of a moved variable,
			     * &T{} or new(T): nothing is allocated; else NULL */
	/* an escaping T{...} whose T the package declares as a map or a slice
	 * type (locate): the message cannot tell M{} of a map, which
	 * allocates, from T{} of a struct, boxed from read-only data */
	unsigned lit_kind : 2;     /* enum finding_lit_kind */
	/* an escaping `pkg.Name` whose pkg is one of the file's imports: a
	 * package's variable; `x.Name` whose Name is a field of a struct type
	 * of the package and no method of it: a field (locate); neither is a
	 * method value */
	unsigned sel_pkg : 1, sel_field : 1;
	/* a `moved to heap` of a parameter (or the receiver) of a function an
	 * importer can call (locate): its callers' arguments escape with it,
	 * part of the function's escape summary (summary.h) */
	unsigned moved_param : 1;

	const char *rule;   /* rule id from the checklist ("ER001"); static */
	char *why;          /* one sentence built from the chain (checklist) */
	enum severity severity;

	enum finding_status status;
	unsigned added_line : 1;   /* the change added this line */
	unsigned in_hunk : 1;      /* the line is inside a hunk (context) */
	unsigned in_changed_file : 1;
	unsigned profiled : 1, hot : 1; /* profile weighting, below */
	/* the checklist found that nothing is allocated (zero-size): info */
	unsigned allocates_nothing : 1;
	/* its classification depends on the compiler, and was made for Go
	 * 1.24 or older (checklist_for_other_go) */
	unsigned go_dependent : 1, go_old : 1;
	int old_line;       /* old-side line of an unchanged line in a hunk, else 0 */
	char *old_path;     /* the file's path at base (renames), or NULL */
	char *fingerprint;  /* compare.h */
	unsigned long long key_hash; /* compare_prehash() or the fingerprint's, when key_hashed */
	char *ack_reason;   /* acknowledgement text, when acknowledged */
	/* a broken performance contract (contract.h), else NULL: never
	 * acknowledged by //escape:ok nor accepted by the baseline */
	struct finding_contract *contract;
	struct finding_cause *induced_by; /* dependents: what made it appear or go */
	/* read lazily from a cache entry: source, source_above, zero_size,
	 * why, facts and flow are still at deferred_at (compare.h), the rest
	 * is set; NULL once read */
	struct finding_deferred *deferred;
	const char *deferred_at;
	size_t deferred_len;
	/* profile weighting (profile.h): bytes and objects a heap profile
	 * allocated at the line, the CPU share (0..1) of the function, flat
	 * and cumulative; weight the larger of the finding's heap and CPU
	 * shares; hot when weight reached the hot share (severity raised) */
	unsigned long long alloc_bytes, alloc_objects;
	double cpu_flat, cpu_cum, weight;
};

struct finding_list {
	struct finding **items;
	size_t nr, alloc;
};

#define FINDING_LIST_INIT { NULL, 0, 0 }

/* Add a callee to the facts (takes `name`; freed when they are full). */
void flow_facts_add_callee(struct flow_facts *fa, char *name);

/* A zeroed finding (facts.derefs = -1). */
struct finding *finding_new(void);
void finding_release(struct finding *f);
/* finding_release() + free(); NULL does nothing. */
void finding_free(struct finding *f);

/*
 * Free the names the facts hold (callees, leak_dst, func), keeping their
 * counts and bits: once classified, a finding of --input is never asked
 * for them again (no summaries, no cache), and a large log keeps tens of
 * thousands.
 */
void finding_release_facts_names(struct finding *f);
/* Forget what a lazy read left to read (finding.deferred): its reference
 * to the entry is dropped. */
void finding_drop_deferred(struct finding *f);
/* Keep the first `max` steps of the flow (0 keeps all); flow_truncated says
 * when some were dropped. */
void finding_cut_flow(struct finding *f, int max);
/* Append a step (copying or interning its strings); returns it. */
struct flow_step *finding_add_step(struct finding *f, const char *file, int line, int column,
				   const char *text);
/* Append a step whose strings are already interned in f->pool (set); returns it. */
struct flow_step *finding_add_pooled_step(struct finding *f, const char *file, int line,
					  int column, const char *text);
/* Replace a step's file / inlined function (copied or interned; NULL clears inlined). */
void finding_step_set_file(struct finding *f, struct flow_step *st, const char *file);
void finding_step_set_inlined(struct finding *f, struct flow_step *st, const char *name);
/* Give the flow array back its unused room (the parser calls it per finding). */
void finding_flow_shrink(struct finding *f);

/* Append (takes ownership). */
void finding_list_add(struct finding_list *l, struct finding *f);
/* Move every finding of `from` to the end of `to`; `from` is empty afterwards. */
void finding_list_move(struct finding_list *to, struct finding_list *from);
/* Free every finding and the array; the list is empty afterwards. */
void finding_list_release(struct finding_list *l);
/* By file, line, column, message (for qsort through a wrapper). */
int finding_cmp(const struct finding *a, const struct finding *b);
/*
 * Sort for presentation: by file, line, column, message; then findings
 * inside a loop are ranked first within their severity (each moves ahead
 * of the findings of its severity that are not in a loop, which keep
 * their places, as do the other severities).
 */
void finding_list_sort(struct finding_list *l);

/*
 * The one finding serialiser, in two halves around what a caller adds
 * between them (the report: rule, severity, status, ...), written through a
 * jsonw (jsonw.h) into its open object: into a cJSON tree, or as text
 * streaming the object's members (the JSON report) byte for byte as cJSON
 * prints them.  finding_jsonw_open() writes file, line, column, function,
 * package and message; finding_jsonw_close() the flow and flow_truncated.
 * Strings are made valid UTF-8 (U+FFFD for invalid bytes); NULL is null.
 */
struct jsonw;
void finding_jsonw_open(struct jsonw *w, const struct finding *f);
void finding_jsonw_close(struct jsonw *w, const struct finding *f);
/* Add string `v` under `k` as finding_jsonw_open() does. */
void finding_jsonw_str(struct jsonw *w, const char *k, const char *v);
struct cJSON;
void finding_json_str(struct cJSON *o, const char *k, const char *v);

const char *verdict_name(enum verdict v);
const char *severity_name(enum severity s);
/* Parse "none|info|warning|error"; -1 when unknown. */
int severity_parse(const char *s);
const char *status_name(enum finding_status s);
/* The reason's text as the compiler prints it ("address-of"). */
const char *reason_name(enum flow_reason r);
/* REASON_OTHER when unknown. */
enum flow_reason reason_parse(const char *s, size_t len);

#endif
