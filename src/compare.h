#ifndef COMPARE_H
#define COMPARE_H

/*
 * compare.h: new versus base, and the baseline of accepted escapes.
 *
 * Fingerprint.  A finding is identified by what it is, not where it is:
 *   fingerprint = hex(FNV-1a 64 of
 *       package NUL file NUL function NUL message NUL occurrence)
 * where `file` is the head-side path (a base finding's path is mapped
 * through the change's renames first), `function` is the enclosing
 * top-level function (closure suffixes such as ".func2" are dropped, so
 * adding a closure does not renumber the others' findings), `message` is
 * the verdict with compiler positions (FILE.go:LINE[:COL]) and the
 * numbers of compiler temporaries (".autotmp_3" becomes ".autotmp_": Go
 * 1.26's new(expr) and comma-ok forms name them, numbered in the
 * function's order) removed and nothing else (`b[:2]` and `c[:3]` stay
 * different), and `occurrence`
 * counts earlier findings with the same other fields in the same function
 * (by line and column), except where compare_match() hands an equal
 * finding's fingerprint back to the one on the line the change kept.  Line
 * shifts, reformatting and renamed files keep the fingerprint; findings of
 * a function moved to another file of the package are matched in a second
 * pass that ignores the file, and those of a renamed function in a third
 * (compare_match()).
 *
 * Cache.  The analysis of a committed revision (the base, and the head
 * when it is committed) is cached: the findings with their whole chains
 * (the escape summaries of dependents.h are made from them) and their
 * classification (rule, why: checklist_classify_finding(), which depends
 * on the finding alone) but not the policy, which is applied after reading,
 * so a changed rule policy applies to them too; a rule this build does not
 * know is classified again.  Entries are
 * CACHEDIR/DIGEST.findings (see struct base_cache), the key stored in each
 * and compared on read.  An entry is compact text read in place (no JSON
 * tree: a re-review's time is reading its entries):
 *   "escape-review analysis cache VERSION\n" KEY "\n" COUNT "\n"
 *   COUNT records, each ending in "\n", then "end\n"
 * where a string is LEN:BYTES or "~" (none), a number is decimal, and each
 * is followed by one space.  A record holds the finding's strings, numbers,
 * facts and every step of its flow (compare.c: put_record).

 * Baseline.  `.escape-baseline.json` at the repository root lists accepted
 * findings, sorted, one entry per line: fingerprint, rule, location and
 * message.  Entries found again get status "baseline".
 *
 * Owns: fingerprints, matching head findings with base ones (new,
 * existing, fixed), the base-analysis cache and the baseline file.  Never:
 * runs the compiler or classifies (it is given findings), formats output,
 * or touches the network.
 */

#include "finding.h"
#include "strmap.h"

#include "strbuf.h"

struct build_opts;
struct change;
struct config;
struct git_oid;
struct pkgset;

/* Set f->fingerprint on every finding of `l`.  `renames` maps base paths to
 * head paths (may be NULL: paths are used as they are). */
void compare_fingerprint(struct finding_list *l, const struct change *renames);
/*
 * The part of the fingerprint that each finding decides alone (its
 * package, file, function and message, hashed), made ahead for the
 * findings of `l` (finding.key_hash) while go's output is awaited, so
 * that compare_fingerprint() has only their order left to make.  Taken
 * for a finding whose path is used as it is (and made there for one that
 * has none yet); whatever changes those four fields afterwards clears
 * key_hashed.
 */
void compare_prehash(struct finding_list *l);

/*
 * Match head findings against base findings (both fingerprinted).  Equal
 * findings of a function (one key but for the occurrence) pair in the
 * order of their lines; with the change `c` (NULL: not), a finding left
 * without a partner (on either side) pairs with the one at its line as the
 * change kept it (same column), taking it from a partner that is not kept
 * there, and the head finding takes its partner's fingerprint: one added
 * above an unchanged one is then the new one and one removed above it the
 * fixed one, and the unchanged one keeps its fingerprint (baseline,
 * markers).  Head
 * findings with a partner get STATUS_EXISTING, the others STATUS_NEW; base
 * findings without a partner are moved to `fixed` (STATUS_FIXED), those
 * with one to `matched` (freed when it is NULL), as is a `leaking param:
 * p` whose parameter head moves to the heap (finding.moved_param: it
 * still leaks; the `moved to heap: p` is new).  A base function none of
 * whose findings got a partner, and whose package and name no head finding
 * has, pairs with a head function of the same file (through the change's
 * renames, to another package too) in the same case the other way round,
 * when the two hold the same messages (positions stripped) and are the
 * only such pair of that signature: a rename; then, verdict for verdict,
 * with the only one of its file of the same last name (newSink,
 * (*sinkRegistry).newSink): a function made a method.  Last, a head
 * finding still without a partner pairs with the first base finding so
 * left of its file, function and verdict whose line, one name renamed
 * throughout, is the head's, and whose message, renamed the same way, is
 * the head's (x := &T{} to val := &T{}), taking its fingerprint.
 * `base` is emptied.
 */
void compare_match(struct finding_list *head, struct finding_list *base,
		   struct finding_list *fixed, struct finding_list *matched, const struct change *c);

/*
 * Cache of an analysis: the raw findings (paths as stored) and the key they
 * were computed for.  Reading returns 0 and appends the findings, 1 when
 * there is no entry, or ER_EINPUT (message set: "ignoring the analysis
 * cache entry PATH: why") when the entry cannot be trusted: another
 * version or format, another key (NULL: not compared), truncated or
 * corrupt (any record that does not parse, a number out of range, a count
 * larger than the entry can hold), too large.  A rejected entry adds
 * nothing.
 */
int compare_cache_write(const char *path, const char *key, const struct finding_list *l);
int compare_cache_read(struct finding_list *out, const char *path, const char *key);
/* The same from `len` bytes in memory, its checksum not checked (the fuzz
 * target's entry point: what it fuzzes is the parser). */
int compare_cache_parse(struct finding_list *out, const char *buf, size_t len, const char *key);
/*
 * A lazy read (base_cache.lazy) reads of each record what matching, the
 * mode, the policy and the summaries need (file, package, function,
 * message, subject, position, verdict, rule and flags) and skips the
 * rest, which stays in the mapped entry (finding.deferred) until this
 * reads it into `f`: source lines, the rule's sentence, facts and flow.
 * Returns 1 when it read them, 0 when `f` had nothing left to read, or
 * ER_EINPUT (message set) when they do not parse or leave its rule
 * without its sentence (a whole read refuses such an entry), which an
 * entry this program wrote never does (its checksum covers the rests):
 * `f` keeps what it has.
 */
int compare_cache_complete(struct finding *f);
/* compare_cache_parse(), lazily: the rests stay in `buf`, which must
 * outlive them; each finding holds a reference to `owner`, released with
 * the last (the fuzz target's lazy entry point). */
int compare_cache_parse_lazy(struct finding_list *out, const char *buf, size_t len,
			     const char *key, struct finding_deferred *owner);

/*
 * A lock file as git takes them: PATH created with O_CREAT|O_EXCL, holding
 * "PID HOST".  When it exists, the lock is stale (and removed, with a
 * warning) if its process is gone (same host), it was never written, or it
 * is older than two hours; otherwise the caller waits, saying so once on
 * stderr, up to ESCAPE_REVIEW_LOCK_TIMEOUT seconds (default 300), then
 * fails naming the process.  `held` receives PATH.
 */
int compare_lock(struct strbuf *held, const char *path);
/* Remove a lock taken by compare_lock (nothing when `held` is empty). */
void compare_unlock(struct strbuf *held);

struct parse_digest_list;

/*
 * The analysis cache, and the base revision's checkout
 * GITDIR/escape-review/base.  An entry is CACHEDIR/DIGEST.findings, DIGEST
 * libgit2's object hash of the whole key: the revision's tree (which holds
 * every module's go.mod and go.sum), the Go version, build and compiler
 * flags, tests, max_flow, the Go environment as passed on (GOFLAGS, GOOS,
 * GOARCH, CGO_ENABLED, CC, GOEXPERIMENT, GOROOT, GOWORK, GOTOOLCHAIN, ...)
 * and as the go command resolves it (go_env_key), and the packages.  The
 * same key for the head of one review and the base of the next names the
 * same entry.  The base checkout and the base's entry are used under one
 * lock, GITDIR/escape-review/base.lock, so that two runs (the hook and an
 * editor's) never check out or read one while the other writes it; entries
 * are written atomically (a rename), so a head entry needs no lock.
 */
struct base_cache {
	struct strbuf dir;    /* GITDIR/escape-review/base: the checkout */
	struct strbuf cache;  /* CACHEDIR: the entries' directory */
	struct strbuf key;    /* what determines the analysis */
	struct strbuf path;   /* the cache entry (after base_cache_set_key) */
	struct strbuf lock;   /* the lock file while held */
	/* an entry read ahead (base_cache_preread) under `pre_key`, and
	 * what reading it returned (its message in pre_msg) */
	struct finding_list pre;
	struct strbuf pre_key, pre_msg;
	int pre_ret;
	/* read the entry lazily (compare_cache_complete): for a review that
	 * prints few of its findings */
	int lazy;
};

/*
 * CACHEDIR is `cache_dir` (--cache-dir) when given, else
 * $ESCAPE_REVIEW_CACHE when set and not empty, else
 * GITDIR/escape-review/cache.  CI keeps it between runs: an entry is
 * trusted only when it holds this version and exactly this key.
 */
void base_cache_init(struct base_cache *bc, const char *gitdir, const char *cache_dir);
/* Take the lock (compare_lock).  Hold it from the checkout to the cache write. */
int base_cache_lock(struct base_cache *bc);
/* The key and entry of the analysis of `set` in the revision whose tree is
 * `tree` (go_env: go_env_key()'s lines, or NULL). */
void base_cache_set_key(struct base_cache *bc, const struct git_oid *tree, const char *go_version,
			const char *go_env, const struct build_opts *b, const struct pkgset *set);
/* compare_cache_read() of the entry for the key: what base_cache_preread()
 * read when it read under this very key, else the file. */
int base_cache_read(struct finding_list *out, struct base_cache *bc);
/*
 * Read the entry for the key now, to be taken by base_cache_read() if the
 * key is still the same then (a key made from a remembered go environment
 * while `go env` runs: base_cache_recall_env); touches nothing but `bc`, so a
 * thread may read one entry while another is read.
 */
void base_cache_preread(struct base_cache *bc);
/*
 * The raw answer of the last `go env` run for this cache (CACHEDIR/go-env,
 * at most 64 KiB), and the key of what decided it (packages.h: go_env_memo;
 * "" when none was kept).  With a key, go_env_take() may use the answer
 * instead of a run; without one it is never trusted alone: what
 * base_cache_preread()'s key is made from while the real `go env` runs,
 * an entry read by it taken only when the real answer makes the same key.
 * recall: 0, or -1 when there is none (`key` may be NULL); remember writes
 * both (atomically, the answer, a NUL and the key) when they changed, and
 * says nothing when it cannot.
 */
int base_cache_recall_env(struct strbuf *raw, struct strbuf *key, const struct base_cache *bc);
void base_cache_remember_env(const struct base_cache *bc, const char *raw, const char *key);
/*
 * The memory of the work tree's last head build (CACHEDIR/head-build,
 * packages.h: go_prestart_start), at most GO_PRESTART_MEMO_MAX bytes:
 * recall reads it into `memo` (empty when there is none or it is longer);
 * remember writes `memo` atomically when it differs from `old` (what
 * recall read), removes the file when `memo` is empty, and says nothing
 * when it cannot (only a memory is lost).
 */
void base_cache_recall_build(struct strbuf *memo, const struct base_cache *bc);
void base_cache_remember_build(const struct base_cache *bc, const struct strbuf *memo,
			       const struct strbuf *old);
int base_cache_write(const struct base_cache *bc, const struct finding_list *l);
/*
 * The per-file digests of the lines go printed for the entry's analysis
 * (parse.h: parser_digests), next to the entry CACHEDIR/DIGEST.findings as
 * CACHEDIR/.DIGEST.digests, with the entry's key: a review that finds a
 * file's lines the same at head reads its findings as the base's.  Files
 * printed under two spellings (mixed) are not written.  The read returns
 * 0, 1 when there is none, or a negative code (set) when the file is not
 * one written for this key or is malformed: then `out` is unchanged.
 */
int base_cache_write_digests(const struct base_cache *bc, const struct parse_digest_list *l);
/* A file kept beside the entry CACHEDIR/DIGEST.findings: CACHEDIR/.DIGEST.EXT
 * (hidden: the directory lists the entries), appended to `out`. */
void base_cache_side_path(struct strbuf *out, const struct base_cache *bc, const char *ext);
int base_cache_read_digests(struct parse_digest_list *out, const struct base_cache *bc);
/* Release the lock and the memory. */
void base_cache_release(struct base_cache *bc);

struct baseline {
	struct strmap fps;     /* fingerprint -> entry index + 1 */
	char **lines;          /* the entries as read, for `baseline check` */
	char **fingerprints;
	char **files;          /* each entry's file (from its location); "" when unknown */
	char **rules;          /* each entry's rule; "" when unknown */
	size_t nr, alloc;
	unsigned char *seen;   /* per entry: found again in this review */
	unsigned char *in_scope; /* per entry: analysed by this review (baseline_set_scope) */
};

#define BASELINE_INIT { STRMAP_INIT, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }

/* Read the baseline file; a missing file is an empty baseline (returns 0).
 * A malformed file is ER_EINPUT naming the file and what is wrong. */
int baseline_read(struct baseline *b, const char *path);
/* The same from `len` bytes in memory; `path` names them in messages. */
int baseline_parse(struct baseline *b, const char *buf, size_t len, const char *path);
void baseline_release(struct baseline *b);
/* Mark findings in the baseline STATUS_BASELINE; returns how many. */
size_t baseline_apply(struct baseline *b, struct finding_list *l);
/*
 * Write the findings of `l` as a baseline file (sorted by fingerprint, one
 * entry a line), all of it: acknowledged findings (//escape:ok) are left
 * out, they are accepted by their comment.
 */
int baseline_write(const char *path, const struct finding_list *l);

/*
 * What one review covered.  An entry is in scope when its file is in one of
 * `packages` (repository-relative module directories and package patterns
 * "./x", "./x/..."), unless it is a _test.go file and the review left tests
 * out, or its rule is turned off or its file excluded in `config`.  Only
 * entries in scope can be found stale or be replaced: what was not analysed
 * can be neither confirmed nor refuted.
 */
struct baseline_scope {
	const struct pkgset *packages;
	int tests;
	const struct config *config;   /* may be NULL */
};

/* Set b->in_scope for every entry. */
void baseline_set_scope(struct baseline *b, const struct baseline_scope *s);
/* Entry i is stale: in scope (or no scope was set) and not found again. */
int baseline_stale(const struct baseline *b, size_t i);

struct baseline_update {
	size_t added;           /* entries the file did not have */
	size_t removed;         /* entries in scope no longer found */
	size_t kept;            /* entries out of scope, kept as they were */
	size_t total;           /* entries in the file now */
	int written;            /* the file changed (0: already up to date) */
	char **removed_lines;   /* the removed entries as they were */
	size_t removed_alloc;
	char **added_lines;     /* the added entries */
	size_t added_alloc;
};

/*
 * `baseline update`: the entries in scope are replaced by the findings of
 * `l` (the review of those packages; acknowledged ones left out), every
 * other entry is kept byte for byte.  The file is written (atomically)
 * only when its text changes.  A malformed existing file is ER_EINPUT and
 * is left alone.
 */
int baseline_update(struct baseline_update *res, const char *path,
		    const struct finding_list *l, const struct baseline_scope *s);
void baseline_update_release(struct baseline_update *res);

#endif
