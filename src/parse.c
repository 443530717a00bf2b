/*
 * parse.c: the streaming parser of the compiler's -m=2 output (parse.h).
 * Lines are split here; explanations wait in a map keyed by position and
 * subject until their verdict arrives, then become findings.
 */
#include "compat.h"
#include "parse.h"
#include "strbuf.h"
#include "strmap.h"
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 20)      /* longer lines are cut (and never findings) */
#define MAX_ERROR_LINES 200

/*
 * A set of steps by value, the scratch of compact_tail: the strings are
 * interned, so equal steps have equal pointers.  A slot holds the index + 1
 * of a kept step in the flow (0: empty); `alloc` slots are allocated, the
 * first `cap` (a power of two) in use.
 */
struct step_set {
	size_t *slots;
	size_t cap, alloc;
};

/*
 * Every finding kept, by file, line, column and message, so that a verdict
 * printed again (by another build of the package) is dropped, also after
 * its finding left with parser_take_*(): a slot holds a 64-bit hash of the
 * interned path (one pointer per path), the position and the message's
 * bytes (8 bytes a finding: the standard library's 41,000 take 512 KiB).
 * Two verdicts are taken for one only when their hashes collide.  Open
 * addressing, `cap` a power of two, 0: empty.
 */
struct seen_set {
	uint64_t *slots;
	size_t cap, nr;
};

/* A path as printed (a finding's or a step's), normalised once (interned in the pool). */
struct step_file {
	const char *path;     /* repository-relative, or as printed when outside */
	unsigned outside;
	int kept;             /* opts.keep_file's answer; -1 before it is asked */
	/* opts.file_digests: the lines with this path as printed, and their digest */
	unsigned long long lines;
	uint64_t digest;
};

/*
 * The current block's "inlining call to NAME" by position: the path as
 * printed (its struct step_file, one per distinct path) and line:col ->
 * NAME (interned).  Open addressing; `cap` a power of two, 0 when empty.
 */
struct inline_at {
	const struct step_file *file;   /* NULL: an empty slot */
	int line, col;
	unsigned block;                 /* the package block it was read in */
	unsigned long long seq;         /* the input line it was read on */
	const char *name;
};

struct inline_map {
	struct inline_at *slots;
	size_t cap, nr;
};

/*
 * The explanations waiting for their verdict, by position (the path as
 * printed, through its struct step_file, and line:col) and subject.  The
 * slot is the position's (the subject is compared, not hashed), so the
 * explanations at one position are all in the run of slots from there to
 * the next empty one, which take_only_at() reads.  Open addressing with
 * backward-shift deletion; `cap` a power of two, 0 when empty.  The
 * subjects are copied one after the other into `subjects`, emptied with
 * the map at the block's end.
 */
struct pending_at {
	const struct step_file *file;   /* NULL: an empty slot */
	int line, col;
	size_t subject_at, subject_len; /* in pending_map.subjects */
	struct finding *f;
};

struct pending_map {
	struct pending_at *slots;
	size_t cap, nr;
	struct strbuf subjects;
};

/*
 * A step text's interned copy and what the text says: the compiler
 * repeats a chain's steps close together, and a text always says the same.
 * A `from` text (with a position) keeps its reason (-1: none) and its
 * callee's length (a prefix after "from "), a `flow:` text its destination
 * bit.  A cache of TEXT_FACTS entries, one place per text by its hash (a
 * text met again after another took its place is interned and read again):
 * 32 KiB, whatever the log.
 */
#define TEXT_FACTS 1024

struct text_fact {
	const char *text;   /* in the pool; NULL: an empty entry */
	size_t hash, len;   /* strmap_table_hash() and length of the text */
	unsigned callee_len;
	signed char reason;
	unsigned char dsts;
};

/*
 * opts.lazy_chains: a finding's explanation lines, left where they are in
 * the input (`stream`, every byte fed) until parser_chain() parses them:
 * runs of consecutive input lines, the first numbered `seq`, all of
 * package block `block`.
 */
struct lazy_run {
	size_t start, end;            /* bytes of stream, each line '\n'-ended but
					 * perhaps the input's last */
	unsigned long long seq;       /* the input line number of the first */
	size_t lines;
};

struct lazy_chain {
	struct lazy_run *runs;
	size_t nr, alloc;
	size_t lines;                 /* kept so far */
	/* parsed as read from now on: a chain as long as the parser keeps
	 * steps (PARSE_MAX_STEPS) is parsed at once, and so bounded as the
	 * parser's chains are */
	int eager;
	unsigned block;
	int line, col;                /* the finding's, once its verdict came */
};

struct parser {
	struct parse_opts opts;
	char *prefix, *root_abs, *root_alt;
	struct strbuf partial;        /* an incomplete line carried between feeds */
	int partial_overlong;
	char *package;                /* import path of the current block */
	struct pending_map pending;   /* explanations waiting for their verdict */
	struct finding *cur;          /* the explanation flow lines attach to */
	struct seen_set seen;         /* every finding kept */
	struct inline_map inlined;    /* "inlining call to NAME" of the block */
	struct finding_list out;
	struct strbuf errors;
	unsigned error_lines;
	int in_block, block_has_m;
	struct strbuf block_lines;    /* unrecognised lines of the current block */
	unsigned block_line_nr;
	struct strpool *pool;         /* the steps' strings, shared with the findings */
	const char *empty;            /* "" in the pool */
	struct strmap step_files;     /* a path as printed -> struct step_file * */
	struct strbuf last_file;      /* the path of step_file()'s last answer, */
	struct step_file *last_sf;    /* which most steps ask again */
	struct step_set tail_seen;    /* scratch of compact_tail */
	struct text_fact *text_facts; /* what step texts say (TEXT_FACTS entries) */
	/* the last position read by line_position(): its "FILE:LINE:COL: "
	 * (last_pos_len bytes, 0: none) and what it said */
	char last_pos[120];
	size_t last_pos_len, last_pos_file;
	int last_pos_line, last_pos_col;
	struct step_file *last_pos_sf; /* its path's step_file(), once asked */
	struct parse_stats stats;
	struct note_state *notes;     /* with opts.keep_notes (the notes block below) */
	size_t ended_nr;              /* the findings of `out` whose block has ended */
	unsigned block;               /* the package block being read (a count) */
	/* inline_get() answers with what was read before input line `cutoff`
	 * of block `cur_block` (ULLONG_MAX and `block` but in parser_chain()) */
	unsigned long long cutoff;
	unsigned cur_block;
	/* opts.lazy_chains: every byte fed, and where in it the line read
	 * starts and ends (past its '\n'); where the incomplete line starts */
	struct strbuf stream;
	size_t line_at, line_end, partial_at;
	size_t stream_cap;            /* kept bytes past which lazy_compact() */
	struct strmap lazy;           /* finding pointer -> struct lazy_chain * */
	const struct finding *lazy_f; /* the last line's finding, */
	struct lazy_chain *lazy_lc;   /* and its chain */
};

static void inline_clear(struct inline_map *m);
static int note_diag(struct parser *p, const char *file, size_t file_len, int lineno, int col,
		     const char *m, size_t n);
static struct note_state *notes_new(void);
static void notes_free(struct note_state *ns);

struct parser *parser_new(const struct parse_opts *opts)
{
	struct parser *p = xcalloc(1, sizeof(*p));

	p->opts = *opts;
	p->prefix = xstrdup(opts->prefix ? opts->prefix : "");
	p->root_abs = xstrdup_or_null(opts->root_abs);
	p->root_alt = xstrdup_or_null(opts->root_alt);
	p->opts.root_alt = p->root_alt;
	p->opts.prefix = p->prefix;
	p->opts.root_abs = p->root_abs;
	strbuf_init(&p->partial, 0);
	strbuf_init(&p->pending.subjects, 0);
	strbuf_init(&p->errors, 0);
	strbuf_init(&p->block_lines, 0);
	strbuf_init(&p->last_file, 0);
	p->pool = strpool_new();
	p->empty = strpool_intern(p->pool, "", 0);
	p->cutoff = ULLONG_MAX;
	strbuf_init(&p->stream, 0);
	p->stream_cap = opts->lazy_max_bytes ? opts->lazy_max_bytes : PARSE_LAZY_MAX_BYTES;
	if (opts->keep_notes)
		p->notes = notes_new();
	return p;
}

/* A finding freed here: its kept lines go too (opts.lazy_chains). */
static void lazy_forget(struct parser *p, const struct finding *f)
{
	struct lazy_chain *lc;

	if (f == p->lazy_f)
		p->lazy_f = NULL;
	if (!p->lazy.nr || !(lc = strmap_remove(&p->lazy, (const char *)&f, sizeof(f))))
		return;
	free(lc->runs);
	free(lc);
}

static void drop_pending(struct parser *p)
{
	struct pending_map *m = &p->pending;
	size_t i;

	if (m->nr) {
		for (i = 0; i < m->cap; i++)
			if (m->slots[i].file) {
				lazy_forget(p, m->slots[i].f);
				finding_free(m->slots[i].f);
			}
		if (m->cap > 4096) {
			/* a block with many explanations: give its table back */
			free(m->slots);
			m->slots = NULL;
			m->cap = 0;
		} else {
			memset(m->slots, 0, m->cap * sizeof(*m->slots));
		}
		m->nr = 0;
	}
	if (m->subjects.alloc > (1u << 20))
		strbuf_release(&m->subjects);
	strbuf_reset(&m->subjects);
	p->cur = NULL;
}

void parser_free(struct parser *p)
{
	size_t it = 0;
	const struct strmap_entry *e;

	if (!p)
		return;
	drop_pending(p);
	free(p->pending.slots);
	inline_clear(&p->inlined);
	free(p->seen.slots);
	finding_list_release(&p->out);
	strbuf_release(&p->partial);
	strbuf_release(&p->pending.subjects);
	strbuf_release(&p->errors);
	strbuf_release(&p->block_lines);
	while (strmap_next(&p->step_files, &it, &e))
		free(e->value);
	strmap_release(&p->step_files);
	strpool_compact(p->pool); /* the findings keep the strings, not the table */
	strpool_unref(p->pool);
	free(p->tail_seen.slots);
	free(p->text_facts);
	strbuf_release(&p->last_file);
	free(p->package);
	free(p->prefix);
	free(p->root_abs);
	free(p->root_alt);
	notes_free(p->notes);
	it = 0;
	while (strmap_next(&p->lazy, &it, &e)) {
		struct lazy_chain *lc = e->value;

		free(lc->runs);
		free(lc);
	}
	strmap_release(&p->lazy);
	strbuf_release(&p->stream);
	free(p);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Read digits at s[*i..len); returns the number (its first nine digits'
 * worth, past 10^8 the rest are skipped) or -1. */
static int read_num(const char *s, size_t len, size_t *i)
{
	const char *q = s + *i, *end = s + len, *start = q;
	unsigned v = 0;

	for (; q < end && is_digit(*q); q++)
		if (v < 100000000)
			v = v * 10 + (unsigned)(*q - '0');
	*i = (size_t)(q - s);
	return q > start ? (int)v : -1;
}

/*
 * parse_position() on line[0..len), or with end_ok on line[0..len) + ": "
 * (a position that ends the text): the first ':' after the first byte that
 * is followed by LINE[:COL] and ": " (or, with end_ok, the end).  *msg_at
 * is where the message starts.
 */
static int scan_position(const char *line, size_t len, int end_ok, size_t *file_len, int *lineno,
			 int *col, size_t *msg_at)
{
	const char *colon = len > 1 ? memchr(line + 1, ':', len - 1) : NULL;

	for (; colon; colon = memchr(colon + 1, ':', (size_t)(line + len - (colon + 1)))) {
		size_t i = (size_t)(colon - line), j = i + 1;
		int l, c = 0;

		if (j >= len || !is_digit(line[j]))
			continue;
		l = read_num(line, len, &j);
		if (j < len && line[j] == ':' && j + 1 < len && is_digit(line[j + 1])) {
			j++;
			c = read_num(line, len, &j);
		}
		if ((j + 1 < len && line[j] == ':' && line[j + 1] == ' ') || (end_ok && j == len)) {
			*file_len = i;
			*lineno = l;
			*col = c;
			if (msg_at)
				*msg_at = j + 2;
			return 1;
		}
	}
	return 0;
}

int parse_position(const char *line, size_t len, size_t *file_len, int *lineno, int *col,
		   const char **msg)
{
	size_t at;

	if (!scan_position(line, len, 0, file_len, lineno, col, &at))
		return 0;
	*msg = line + at;
	return 1;
}

/* Clean a relative path: drop "." components, fold "x/..". NULL if it climbs out. */
static char *clean_rel(const char *path)
{
	struct strbuf out = STRBUF_INIT;
	const char *s = path;

	while (*s) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *last;

			if (!out.len) {
				strbuf_release(&out);
				return NULL;
			}
			last = strrchr(out.buf, '/');
			strbuf_setlen(&out, last ? (size_t)(last - out.buf) : 0);
		} else {
			if (out.len)
				strbuf_addch(&out, '/');
			strbuf_add(&out, s, n);
		}
		s += n;
		if (*s == '/')
			s++;
	}
	if (!out.len) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}

char *parse_normalize_path(const struct parse_opts *opts, const char *path, size_t len)
{
	char *raw = xstrndup(path, len), *res = NULL;

	if (raw[0] == '_' && !strchr(raw, '/')) {
		/* what go generates in its work directory, printed without one:
		 * `go test -c`'s _testmain.go, cgo's _cgo_gotypes.go (Go 1.26);
		 * never a file of a package (go ignores names that begin with
		 * '_', and prints the package's own as ./NAME) */
		res = NULL;
	} else if (raw[0] == '$' || raw[0] == '<') {
		res = opts->keep_outside ? xstrdup(raw) : NULL;
	} else if (raw[0] == '/') {
		const char *roots[2] = { opts->root_abs, opts->root_alt };
		int k;

		for (k = 0; k < 2 && !res; k++) {
			size_t rl = roots[k] ? strlen(roots[k]) : 0;

			while (rl > 1 && roots[k][rl - 1] == '/')
				rl--;
			if (rl && !strncmp(raw, roots[k], rl) && raw[rl] == '/')
				res = clean_rel(raw + rl + 1);
		}
		if (!res && opts->keep_outside)
			res = xstrdup(raw);
	} else {
		char *joined = path_join(opts->prefix ? opts->prefix : "", raw);

		res = clean_rel(joined);
		free(joined);
		if (!res && opts->keep_outside)
			res = xstrdup(raw);
	}
	free(raw);
	return res;
}

static void add_error_line(struct parser *p, const char *line, size_t len)
{
	if (p->error_lines >= MAX_ERROR_LINES)
		return;
	strbuf_add(&p->errors, line, len);
	strbuf_addch(&p->errors, '\n');
	p->error_lines++;
}

/*
 * A line that is not -m output: outside a package block it is error text
 * at once; inside one it waits for the block's end (a block with no -m
 * line was a failed compile, see end_block).
 */
static void keep_other_line(struct parser *p, const char *line, size_t len)
{
	if (!p->in_block) {
		add_error_line(p, line, len);
	} else if (p->block_line_nr < MAX_ERROR_LINES) {
		strbuf_add(&p->block_lines, line, len);
		strbuf_addch(&p->block_lines, '\n');
		p->block_line_nr++;
	}
}

static void end_block(struct parser *p)
{
	if (p->in_block && !p->block_has_m && p->block_lines.len) {
		const char *s = p->block_lines.buf, *nl;

		while ((nl = strchr(s, '\n'))) {
			add_error_line(p, s, (size_t)(nl - s));
			s = nl + 1;
		}
	}
	strbuf_reset(&p->block_lines);
	p->block_line_nr = 0;
	p->block_has_m = 0;
	drop_pending(p);
	if (!p->opts.lazy_chains) /* else parser_chain() still asks it */
		inline_clear(&p->inlined);
	p->ended_nr = p->out.nr;
}

/* The enum flow_dst bit of a destination as printed (0 for none). */
static unsigned dst_bits(const char *dst, size_t n)
{
	if (n == 6 && !memcmp(dst, "{heap}", 6))
		return DST_HEAP;
	if (n >= 3 && dst[0] == '~' && dst[1] == 'r' && is_digit(dst[2]))
		return DST_RESULT;
	if (n == 26 && !memcmp(dst, "{storage for func literal}", 26))
		return DST_FUNC_LIT;
	if (n == 26 && !memcmp(dst, "{storage for ... argument}", 26))
		return DST_DOTS_ARG;
	if (n > 13 && !memcmp(dst, "{storage for ", 13))
		return DST_STORAGE;
	return n ? DST_NAMED : 0;
}

static void add_callee_name(struct flow_facts *fa, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < fa->callees_nr; i++)
		if (strlen(fa->callees[i]) == n && !memcmp(fa->callees[i], name, n))
			return;
	if (fa->callees_nr < FACTS_MAX_CALLEES)
		flow_facts_add_callee(fa, xstrndup(name, n));
}

/* The callee of a call expression: the length of the text before its last
 * top-level '(', 0 when there is none. */
static size_t callee_len(const char *expr, size_t n)
{
	size_t i, open = 0;
	int depth = 0, found = 0;
	char quote = 0;

	for (i = 0; i < n; i++) {
		char c = expr[i];

		if (quote) {
			if (c == '\\' && quote != '`')
				i++;
			else if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '`' || c == '\'') {
			quote = c;
		} else if (c == '(' || c == '[' || c == '{') {
			if (!depth && c == '(' && i > 0) {
				open = i;
				found = 1;
			}
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth)
				depth--;
		}
	}
	return found ? open : 0;
}

static size_t step_hash(const struct flow_step *st)
{
	uint64_t h = (uint64_t)(uintptr_t)st->text * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)(uintptr_t)st->file * 0xc2b2ae3d27d4eb4fULL;
	h ^= (uint64_t)(uintptr_t)st->inlined * 0x165667b19e3779f9ULL;
	h ^= ((uint64_t)(unsigned)st->line << 32 | (uint32_t)st->column) * 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (size_t)(h ^ (h >> 32));
}

static int step_same(const struct flow_step *a, const struct flow_step *b)
{
	return a->text == b->text && a->file == b->file && a->inlined == b->inlined &&
	       a->line == b->line && a->column == b->column;
}

/* Empty the set, with room for `n` steps. */
static void step_set_clear(struct step_set *s, size_t n)
{
	for (s->cap = 16; s->cap < 2 * n; s->cap *= 2)
		;
	if (s->alloc < s->cap) {
		free(s->slots);
		s->slots = xmalloc(s->cap * sizeof(*s->slots));
		s->alloc = s->cap;
	}
	memset(s->slots, 0, s->cap * sizeof(*s->slots));
}

/*
 * Add flow[i], to be stored at flow[dst], unless an equal step is in the
 * set: 0 then.  The set's steps are read where they were stored.
 */
static int step_set_add(struct step_set *s, const struct flow_step *flow, size_t i, size_t dst)
{
	size_t k = step_hash(&flow[i]) & (s->cap - 1);

	for (; s->slots[k]; k = (k + 1) & (s->cap - 1))
		if (step_same(&flow[s->slots[k] - 1], &flow[i]))
			return 0;
	s->slots[k] = dst + 1;
	return 1;
}

/*
 * Drop the steps after the first opts.exact_steps that occur again later in
 * the chain, keeping each one's last occurrence in order.  The checklist
 * asks a chain for sets (reasons, texts, inlined functions) and for the
 * last step of a kind, which this keeps; the first steps are the display.
 * The strings are interned, so equal steps have equal pointers.
 */
static void compact_tail(struct parser *p, struct finding *f)
{
	size_t k = (size_t)p->opts.exact_steps, i, w = f->flow_nr;

	if (!p->opts.exact_steps || f->flow_nr <= k + 1)
		return;
	step_set_clear(&p->tail_seen, f->flow_nr - k);
	for (i = f->flow_nr; i-- > k;) {
		/* the kept steps are stored at w and above, at or after i */
		if (!step_set_add(&p->tail_seen, f->flow, i, w - 1))
			continue;
		f->flow[--w] = f->flow[i];
	}
	memmove(f->flow + k, f->flow + w, (f->flow_nr - w) * sizeof(*f->flow));
	f->flow_nr = k + (f->flow_nr - w);
}

/* Room for one more step: compact a full array first, grow it unless that
 * freed a quarter (so each compaction pays for many steps). */
static void make_room(struct parser *p, struct finding *f)
{
	if (f->flow_nr < f->flow_alloc || !p->opts.exact_steps ||
	    f->flow_nr <= (size_t)p->opts.exact_steps + 32)
		return;
	compact_tail(p, f);
	if (f->flow_nr > f->flow_alloc - f->flow_alloc / 4)
		ALLOC_GROW(f->flow, f->flow_alloc + 1, f->flow_alloc);
}

static size_t inline_slot(const struct inline_map *m, const struct step_file *file, int line,
			  int col, unsigned block)
{
	uint64_t h = ((uint64_t)(uintptr_t)file * 0x9e3779b97f4a7c15ULL) ^
		     (((uint64_t)(unsigned)line << 32 | (unsigned)col) * 0xc4ceb9fe1a85ec53ULL) ^
		     block;
	size_t i = (size_t)(h ^ (h >> 29)) & (m->cap - 1);

	while (m->slots[i].file && (m->slots[i].file != file || m->slots[i].line != line ||
				    m->slots[i].col != col || m->slots[i].block != block))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The first call inlined at the position in block `block`, when it was
 * read before input line `cutoff`; else NULL. */
static const char *inline_get(const struct inline_map *m, const struct step_file *file, int line,
			      int col, unsigned block, unsigned long long cutoff)
{
	const struct inline_at *e;

	if (!m->nr)
		return NULL;
	e = &m->slots[inline_slot(m, file, line, col, block)];
	return e->file && e->seq < cutoff ? e->name : NULL;
}

/* Keep `name` at the position unless one is there (the first wins). */
static void inline_put(struct inline_map *m, const struct step_file *file, int line, int col,
		       unsigned block, unsigned long long seq, const char *name)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->cap) {
		struct inline_map grown;

		grown.cap = m->cap ? m->cap * 2 : 64;
		grown.nr = m->nr;
		grown.slots = xcalloc(grown.cap, sizeof(*grown.slots));
		for (i = 0; i < m->cap; i++)
			if (m->slots[i].file)
				grown.slots[inline_slot(&grown, m->slots[i].file, m->slots[i].line,
							m->slots[i].col, m->slots[i].block)] = m->slots[i];
		free(m->slots);
		*m = grown;
	}
	i = inline_slot(m, file, line, col, block);
	if (m->slots[i].file)
		return;
	m->slots[i].file = file;
	m->slots[i].line = line;
	m->slots[i].col = col;
	m->slots[i].block = block;
	m->slots[i].seq = seq;
	m->slots[i].name = name;
	m->nr++;
}

static void inline_clear(struct inline_map *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* A finding's or step's path, normalised once per distinct path as printed. */
static struct step_file *step_file(struct parser *p, const char *file, size_t file_len)
{
	struct step_file *sf;
	char *norm;

	if (p->last_sf && file_len == p->last_file.len && !memcmp(file, p->last_file.buf, file_len))
		return p->last_sf;
	strbuf_reset(&p->last_file);
	strbuf_add(&p->last_file, file, file_len);
	sf = strmap_get(&p->step_files, file, file_len);
	if (sf)
		return p->last_sf = sf;
	sf = xmalloc(sizeof(*sf));
	norm = parse_normalize_path(&p->opts, file, file_len);
	sf->outside = !norm;
	sf->kept = -1;
	sf->lines = 0;
	sf->digest = 0;
	sf->path = norm ? strpool_intern(p->pool, norm, strlen(norm))
			: strpool_intern(p->pool, file, file_len);
	free(norm);
	strmap_put(&p->step_files, file, file_len, sf);
	return p->last_sf = sf;
}

/* Whether the findings of `sf` (not outside) are kept: opts.keep_file, asked once. */
static int file_kept(struct parser *p, struct step_file *sf)
{
	if (!p->opts.keep_file)
		return 1;
	if (sf->kept < 0)
		sf->kept = !!p->opts.keep_file(p->opts.keep_data, sf->path);
	return sf->kept;
}

/*
 * The step_file() of the current line's own path (file[0..file_len), its
 * position's): the one of the last line that started with the same
 * "FILE:LINE:COL: " (line_position() keeps it), asked once per position.
 */
static struct step_file *line_file(struct parser *p, const char *file, size_t file_len)
{
	if (!p->last_pos_len)   /* a position too long to be kept */
		return step_file(p, file, file_len);
	if (!p->last_pos_sf)
		p->last_pos_sf = step_file(p, file, file_len);
	return p->last_pos_sf;
}

/*
 * Append a step at `sf` (NULL: no position): `text` is the step's text
 * interned in the pool, or NULL to intern text_len bytes at `raw` (only
 * once the step is known to be kept).
 */
static void add_step(struct parser *p, struct finding *f, const struct step_file *sf, int line,
		     int col, const char *text, const char *raw, size_t text_len)
{
	const char *inlined = NULL;
	struct flow_step *st;

	f->facts.steps++;
	if (sf && col && p->inlined.nr) {
		/* a step at a call the compiler inlined: the function called there */
		inlined = inline_get(&p->inlined, sf, line, col, p->cur_block, p->cutoff);
		if (inlined)
			add_callee_name(&f->facts, inlined, strlen(inlined));
	}
	make_room(p, f);
	if (f->flow_nr >= PARSE_MAX_STEPS) {
		f->flow_truncated = 1;
		return;
	}
	if (!text)
		text = strpool_intern(p->pool, raw, text_len);
	st = finding_add_pooled_step(f, sf ? sf->path : p->empty, line, col, text);
	st->outside = sf && sf->outside;
	st->inlined = inlined;
}

/*
 * The cache entry of the step text raw[0..len) about to be added to `f`,
 * or NULL when the step will not be kept (PARSE_MAX_STEPS): a chain cut
 * there interns nothing more.  *fresh says the text's facts are still to
 * be read into the entry.  make_room() here changes nothing add_step()
 * reads before its own call, which then finds the room made.
 */
static struct text_fact *step_fact(struct parser *p, struct finding *f, const char *raw,
				   size_t len, int *fresh)
{
	struct text_fact *e;
	size_t h;

	make_room(p, f);
	if (f->flow_nr >= PARSE_MAX_STEPS)
		return NULL;
	if (!p->text_facts)
		p->text_facts = xcalloc(TEXT_FACTS, sizeof(*p->text_facts));
	h = strmap_table_hash(raw, len);
	e = &p->text_facts[h & (TEXT_FACTS - 1)];
	*fresh = !e->text || e->hash != h || e->len != len || memcmp(e->text, raw, len);
	if (*fresh) {
		/* the pool's one copy of these bytes, as every entry holds */
		e->text = strpool_intern(p->pool, raw, len);
		e->hash = h;
		e->len = len;
		e->reason = -1;
		e->callee_len = 0;
		e->dsts = 0;
	}
	return e;
}

/* The destination bit of "flow: DST = ..." (Go 1.19) or "flow: DST ← ..." (newer). */
static unsigned flow_dst(const char *m, size_t n)
{
	const char *eq;

	/* an arrow anywhere wins over an earlier " = " */
	eq = n > 6 ? memmem(m + 6, n - 6, " \xe2\x86\x90 ", 5) : NULL;
	if (!eq && n > 6)
		eq = memmem(m + 6, n - 6, " = ", 3);
	return eq ? dst_bits(m + 6, (size_t)(eq - (m + 6))) : 0;
}

/* "  flow: DST = OPS SRC:" */
static void handle_flow(struct parser *p, const char *file, size_t file_len, int line, int col,
			const char *m, size_t n)
{
	struct finding *f = p->cur;
	struct text_fact *tf;
	const char *text = NULL;
	size_t tl = n;
	int fresh;

	if (!f)
		return;
	f->facts.flows++;
	if (tl && m[tl - 1] == ':')
		tl--;
	tf = step_fact(p, f, m, tl, &fresh);
	if (!tf) {
		f->facts.dsts |= flow_dst(m, n);
	} else {
		/* the same text always has the same destination */
		if (fresh)
			tf->dsts = (unsigned char)flow_dst(m, n);
		f->facts.dsts |= tf->dsts;
		text = tf->text;
	}
	add_step(p, f, file_len ? line_file(p, file, file_len) : NULL, line, col, text, m, tl);
}

/* What "from EXPR (REASON)" says: the reason (-1: none) and the callee's length. */
static void from_fact(const char *m, size_t n, struct text_fact *tf)
{
	const char *s, *close = m + n - 1, *open = NULL, *expr = m + 5;

	tf->reason = -1;
	tf->callee_len = 0;
	tf->dsts = 0;
	if (*close == ')')
		for (s = close - 1; s > expr; s--)
			if (*s == '(') {
				open = s;
				break;
			}
	if (open) {
		enum flow_reason r = reason_parse(open + 1, (size_t)(close - open - 1));

		tf->reason = (signed char)r;
		if (r == REASON_CALL_PARAM && open > expr + 1)
			tf->callee_len = (unsigned)callee_len(expr, (size_t)(open - 1 - expr));
	}
}

/* "    from EXPR (REASON) at FILE:LINE:COL" */
static void handle_from(struct parser *p, const char *m, size_t n)
{
	struct finding *f = p->cur;
	const char *at = NULL, *s, *text = NULL;
	struct text_fact own, *tf;
	size_t fl = 0, tl;
	int l = 0, c = 0, fresh;

	if (!f)
		return;
	for (s = m + n - 4; s > m; s--)
		if (*s == ' ' && !memcmp(s, " at ", 4)) {
			at = s;
			break;
		}
	if (!at) {
		add_step(p, f, NULL, 0, 0, NULL, m, n);
		return;
	}
	tl = (size_t)(at - m);
	tf = step_fact(p, f, m, tl, &fresh);
	if (tf) {
		/* the same text always says the same (2,497 texts of the 14,963
		 * from lines of x/tools' go/ssa) */
		if (fresh)
			from_fact(m, tl, tf);
		text = tf->text;
	} else {
		tf = &own;
		from_fact(m, tl, tf);
	}
	if (tf->reason >= 0)
		f->facts.reasons |= 1ULL << tf->reason;
	if (tf->callee_len)
		add_callee_name(&f->facts, m + 5, tf->callee_len);
	/* the step's own position: FILE:LINE[:COL] up to the end */
	if (scan_position(at + 4, (size_t)(m + n - (at + 4)), 1, &fl, &l, &c, NULL))
		add_step(p, f, fl ? step_file(p, at + 4, fl) : NULL, l, c, text, m, tl);
	else
		add_step(p, f, NULL, 0, 0, text, m, tl);
}

static size_t pos_hash(const struct step_file *file, int line, int col)
{
	uint64_t h = ((uint64_t)(uintptr_t)file * 0x9e3779b97f4a7c15ULL) ^
		     (((uint64_t)(unsigned)line << 32 | (unsigned)col) * 0xc4ceb9fe1a85ec53ULL);

	return (size_t)(h ^ (h >> 29));
}

static int pending_same_pos(const struct pending_at *e, const struct step_file *file, int line,
			    int col)
{
	return e->file == file && e->line == line && e->col == col;
}

/* The slot of the explanation at the position about `subject`, or the empty
 * slot where it would go. */
static size_t pending_slot(const struct pending_map *m, const struct step_file *file, int line,
			   int col, const char *subject, size_t subject_len)
{
	size_t i = pos_hash(file, line, col) & (m->cap - 1);

	for (; m->slots[i].file; i = (i + 1) & (m->cap - 1))
		if (pending_same_pos(&m->slots[i], file, line, col) &&
		    m->slots[i].subject_len == subject_len &&
		    !memcmp(m->subjects.buf + m->slots[i].subject_at, subject, subject_len))
			break;
	return i;
}

static void pending_grow(struct pending_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	struct pending_at *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < m->cap; i++) {
		const struct pending_at *e = &m->slots[i];
		size_t k;

		if (!e->file)
			continue;
		for (k = pos_hash(e->file, e->line, e->col) & (cap - 1); slots[k].file;
		     k = (k + 1) & (cap - 1))
			;
		slots[k] = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

/* Empty slot i, moving back the entries after it that may take its place. */
static struct finding *pending_remove_at(struct pending_map *m, size_t i)
{
	struct finding *f = m->slots[i].f;
	size_t j = i, mask = m->cap - 1;

	m->slots[i].file = NULL;
	m->nr--;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->slots[j].file)
			break;
		home = pos_hash(m->slots[j].file, m->slots[j].line, m->slots[j].col) & mask;
		/* the entry at j may move to i unless its home is in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			m->slots[j].file = NULL;
			i = j;
		}
	}
	return f;
}

/* Take out the explanation at the position about `subject`, or NULL. */
static struct finding *pending_take(struct pending_map *m, const struct step_file *file,
				    int line, int col, const char *subject, size_t subject_len)
{
	size_t i;

	if (!m->nr)
		return NULL;
	i = pending_slot(m, file, line, col, subject, subject_len);
	return m->slots[i].file ? pending_remove_at(m, i) : NULL;
}

/* The explanation at the position about `subject`, added when absent. */
static struct finding *pending_get(struct parser *p, const struct step_file *file, int line,
				   int col, const char *subject, size_t subject_len)
{
	struct pending_map *m = &p->pending;
	struct pending_at *e;
	size_t i;

	if ((m->nr + 1) * 4 >= m->cap * 3)
		pending_grow(m);
	i = pending_slot(m, file, line, col, subject, subject_len);
	e = &m->slots[i];
	if (e->file)
		return e->f;
	e->file = file;
	e->line = line;
	e->col = col;
	e->subject_at = m->subjects.len;
	e->subject_len = subject_len;
	strbuf_add(&m->subjects, subject, subject_len);
	e->f = finding_new();
	e->f->pool = strpool_ref(p->pool);
	m->nr++;
	return e->f;
}

static void handle_header(struct parser *p, const char *file, size_t file_len, int line, int col,
			  const char *subject, size_t subject_len, const char *dst, size_t dst_len,
			  int derefs, const char *func, size_t func_len)
{
	struct step_file *sf = line_file(p, file, file_len);
	struct finding *f;

	if (!sf->outside && !file_kept(p, sf)) {
		p->cur = NULL; /* its flow: and from lines are read past */
		return;
	}
	f = pending_get(p, sf, line, col, subject, subject_len);
	if (dst) {
		if (!f->facts.leak_dst)
			f->facts.leak_dst = xstrndup(dst, dst_len);
		f->facts.dsts |= dst_bits(dst, dst_len);
		if (derefs >= 0 && (f->facts.derefs < 0 || derefs < f->facts.derefs))
			f->facts.derefs = derefs;
	}
	if (func && func_len && !f->facts.func)
		f->facts.func = xstrndup(func, func_len);
	p->cur = f;
}

/*
 * The explanation of an escaping expression names the call as written
 * (`fmt.Sprint("a", n) escapes to heap:`) while its verdict names the call
 * as rewritten for its `...` arguments (`fmt.Sprint("a", ... argument...)
 * escapes to heap`).  When exactly one explanation waits at the verdict's
 * position, it is that one; when several do (an inlined call: its
 * arguments' explanations at the same position), the one whose subject
 * starts as the verdict's does before its "... argument...)", and is a
 * call (ends with ')'), when exactly one does.
 */
static struct finding *take_only_at(struct pending_map *m, const struct step_file *file,
				    int line, int col, const char *subject, size_t subject_len)
{
	static const char dots[] = "... argument...)";
	size_t i, hit = 0, hits = 0, call = 0, calls = 0, pre = 0;

	if (!m->nr)
		return NULL;
	if (subject_len > sizeof(dots) - 1 &&
	    !memcmp(subject + subject_len - (sizeof(dots) - 1), dots, sizeof(dots) - 1))
		pre = subject_len - (sizeof(dots) - 1);
	/* every explanation at the position is in the run from its slot */
	for (i = pos_hash(file, line, col) & (m->cap - 1); m->slots[i].file;
	     i = (i + 1) & (m->cap - 1)) {
		const struct pending_at *e = &m->slots[i];
		const char *es = m->subjects.buf + e->subject_at;

		if (!pending_same_pos(e, file, line, col))
			continue;
		hits++;
		hit = i;
		if (pre && e->subject_len > pre && !memcmp(es, subject, pre) &&
		    es[e->subject_len - 1] == ')') {
			calls++;
			call = i;
		}
	}
	if (hits == 1)
		return pending_remove_at(m, hit);
	return calls == 1 ? pending_remove_at(m, call) : NULL;
}

static uint64_t seen_key(const char *path, int line, int col, const char *msg, size_t msg_len)
{
	uint64_t h = (uint64_t)strmap_hash(msg, msg_len);

	h ^= (uint64_t)(uintptr_t)path * 0x9e3779b97f4a7c15ULL;
	h ^= ((uint64_t)(unsigned)line << 32 | (unsigned)col) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	return h ? h : 1;
}

static void seen_grow(struct seen_set *s)
{
	struct seen_set grown = { NULL, s->cap ? s->cap * 2 : 1024, s->nr };
	size_t i;

	grown.slots = xcalloc(grown.cap, sizeof(*grown.slots));
	for (i = 0; i < s->cap; i++) {
		size_t k;

		if (!s->slots[i])
			continue;
		k = (size_t)s->slots[i] & (grown.cap - 1);
		while (grown.slots[k])
			k = (k + 1) & (grown.cap - 1);
		grown.slots[k] = s->slots[i];
	}
	free(s->slots);
	*s = grown;
}

/*
 * 1 when a finding at the position with the message was kept (a verdict
 * printed again, by another build of the package); else 0, and it is
 * recorded as kept.  `path` is interned (step_file).
 */
static int seen_before(struct parser *p, const char *path, int line, int col, const char *msg,
		       size_t msg_len)
{
	struct seen_set *s = &p->seen;
	uint64_t k = seen_key(path, line, col, msg, msg_len);
	size_t i;

	if ((s->nr + 1) * 4 >= s->cap * 3)
		seen_grow(s);
	for (i = (size_t)k & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == k)
			return 1;
	s->slots[i] = k;
	s->nr++;
	return 0;
}

static void handle_verdict(struct parser *p, const char *file, size_t file_len, int line,
			   int col, enum verdict v, const char *msg, size_t msg_len,
			   const char *subject, size_t subject_len)
{
	struct step_file *sf;
	struct finding *f;

	p->stats.verdicts++;
	sf = line_file(p, file, file_len);
	if (!sf->outside && !file_kept(p, sf)) {
		p->stats.skipped++;
		return;
	}
	f = pending_take(&p->pending, sf, line, col, subject, subject_len);
	if (!f && v == VERDICT_ESCAPES)
		f = take_only_at(&p->pending, sf, line, col, subject, subject_len);
	if (f == p->cur)
		p->cur = NULL;
	if (sf->outside) {
		p->stats.dropped++;
		lazy_forget(p, f);
		finding_free(f);
		return;
	}
	if (seen_before(p, sf->path, line, col, msg, msg_len)) {
		lazy_forget(p, f);
		finding_free(f);
		return;
	}
	if (!f)
		f = finding_new();
	if (p->opts.lazy_chains) {
		struct lazy_chain *lc = p->lazy.nr ? strmap_get(&p->lazy, (const char *)&f, sizeof(f)) : NULL;

		if (lc) {
			lc->line = line;
			lc->col = col;
		}
	} else {
		compact_tail(p, f);
		finding_flow_shrink(f);
	}
	f->file = xstrdup(sf->path);
	f->line = line;
	f->column = col;
	f->verdict = v;
	f->message = xstrndup(msg, msg_len);
	f->subject = xstrndup(subject, subject_len);
	f->package = xstrdup_or_null(p->package);
	if (v == VERDICT_LEAK_CONTENT && f->facts.derefs < 0)
		f->facts.derefs = 1;
	finding_list_add(&p->out, f);
	p->stats.findings++;
}

#define HAS_PREFIX(m, n, lit) ((n) >= sizeof(lit) - 1 && !memcmp((m), (lit), sizeof(lit) - 1))
#define HAS_SUFFIX(m, n, lit) \
	((n) >= sizeof(lit) - 1 && !memcmp((m) + (n) - (sizeof(lit) - 1), (lit), sizeof(lit) - 1))

/* Other -m messages: recognised so a block is known to be -m output. */
static int is_other_m(const char *m, size_t n)
{
	static const char *const subs[] = {
		"does not escape", "can inline ", "cannot inline ", "inlining call to ",
		"devirtualizing ", "index bounds check elided", "ignoring self-assignment",
		"capturing by ", "leaking closure", "moved to heap", "escapes to heap",
		"leaking param", "stack object", "zero-copy", "Found IsInBounds",
		"Found IsSliceInBounds",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subs); i++)
		if (memmem(m, n, subs[i], strlen(subs[i])))
			return 1;
	return 0;
}

/* The last occurrence of `lit` (length `ln`) in m[0..n), or NULL. */
static const char *find_last(const char *m, size_t n, const char *lit, size_t ln)
{
	const char *s;

	if (n < ln)
		return NULL;
	for (s = m + n - ln;; s--) {
		if (*s == *lit && !memcmp(s, lit, ln))
			return s;
		if (s == m)
			return NULL;
	}
}

/*
 * "parameter P leaks to DST with derefs=N:" (Go 1.19) or "parameter P leaks
 * to DST for FUNC with derefs=N:" (newer).  DST is `{heap}`, `~r0`, a name,
 * or `{storage for EXPR}` (which may itself contain " for ").
 */
static int leak_header(struct parser *p, const char *file, size_t file_len, int lineno, int col,
		       const char *m, size_t n)
{
	const char *lt = memmem(m + 10, n - 10, " leaks to ", 10);
	const char *wd = lt ? find_last(lt + 10, (size_t)(m + n - (lt + 10)), " with derefs=", 13)
			    : NULL;
	const char *dst, *dst_end, *fn = NULL, *fn_end = NULL;
	size_t k;
	int derefs;

	if (!lt || !wd)
		return 0;
	dst = lt + 10;
	dst_end = wd;
	if (dst < dst_end && *dst == '{') {
		/* the destination ends at its matching brace */
		const char *q;
		int depth = 0;

		for (q = dst; q < wd; q++) {
			if (*q == '{')
				depth++;
			else if (*q == '}' && !--depth)
				break;
		}
		if (q < wd && (size_t)(wd - q) > 6 && !memcmp(q + 1, " for ", 5)) {
			dst_end = q + 1;
			fn = q + 6;
			fn_end = wd;
		}
	} else {
		const char *sp = memmem(dst, (size_t)(wd - dst), " for ", 5);

		if (sp) {
			dst_end = sp;
			fn = sp + 5;
			fn_end = wd;
		}
	}
	k = (size_t)(wd + 13 - m);
	derefs = read_num(m, n, &k);
	p->block_has_m = 1;
	handle_header(p, file, file_len, lineno, col, m + 10, (size_t)(lt - (m + 10)), dst,
		      (size_t)(dst_end - dst), derefs, fn, fn ? (size_t)(fn_end - fn) : 0);
	return 1;
}

/* "inlining call to NAME" or "inlining call to NAME with score N" */
static void note_inlined(struct parser *p, const char *file, size_t file_len, int lineno, int col,
			 const char *m, size_t n)
{
	const char *name = m + 17, *end = m + n, *ws;
	const struct step_file *sf;

	if (!col)
		return;
	ws = find_last(name, (size_t)(end - name), " with score ", 12);
	if (ws)
		end = ws;
	if (end <= name)
		return;
	/* the first call inlined at a position is the one the source makes;
	 * the compiler reports the calls inlined into its body at the same
	 * position after it (reflect.ValueOf, then reflect.unpackEface, ...) */
	sf = line_file(p, file, file_len);
	if (!inline_get(&p->inlined, sf, lineno, col, p->block, ULLONG_MAX))
		inline_put(&p->inlined, sf, lineno, col, p->block, p->stats.lines,
			   strpool_intern(p->pool, name, (size_t)(end - name)));
}

static void handle_flow(struct parser *p, const char *file, size_t file_len, int line, int col,
			const char *m, size_t n);
static void handle_from(struct parser *p, const char *m, size_t n);
static void lazy_replay(struct parser *p, struct lazy_chain *lc, struct finding *f);

/* opts.lazy_chains: keep the place of the explanation line `line`
 * (p->line_at to p->line_end in the stream: a `flow:` when `flow`, else a
 * `from`, its message `t`, `tn` bytes, at the line's position) for the
 * current finding's chain (none: read past, as handle_flow() would); a
 * chain parsed as read (eager) is given the line itself. */
static void lazy_keep(struct parser *p, const char *line, size_t file_len, int lineno, int col,
		      const char *t, size_t tn, int flow)
{
	struct lazy_chain *lc;
	struct lazy_run *r;

	if (!p->cur)
		return;
	lc = p->cur == p->lazy_f ? p->lazy_lc
				 : strmap_get(&p->lazy, (const char *)&p->cur, sizeof(p->cur));
	if (!lc) {
		lc = xcalloc(1, sizeof(*lc));
		lc->block = p->block;
		strmap_put(&p->lazy, (const char *)&p->cur, sizeof(p->cur), lc);
	}
	p->lazy_f = p->cur;
	p->lazy_lc = lc;
	if (lc->eager) {
		if (flow)
			handle_flow(p, line, file_len, lineno, col, t, tn);
		else
			handle_from(p, t, tn);
		return;
	}
	if (++lc->lines >= PARSE_MAX_STEPS)
		lc->eager = 1; /* parsed below, with this line */
	r = lc->nr ? &lc->runs[lc->nr - 1] : NULL;
	if (r && r->end == p->line_at && r->seq + r->lines == p->stats.lines) {
		r->end = p->line_end;
		r->lines++;
	} else {
		ALLOC_GROW(lc->runs, lc->nr + 1, lc->alloc);
		r = &lc->runs[lc->nr++];
		r->start = p->line_at;
		r->end = p->line_end;
		r->seq = p->stats.lines;
		r->lines = 1;
	}
	if (lc->eager)
		lazy_replay(p, lc, p->cur);
}

static int line_position(struct parser *p, const char *line, size_t len, size_t *file_len,
			 int *lineno, int *col, const char **msg);

/* Eight bytes of `q` as a little-endian number (the digests are the same
 * on every machine: a cache entry may travel). */
static inline uint64_t le64(const unsigned char *q)
{
	return (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 | (uint64_t)q[3] << 24 |
	       (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 | (uint64_t)q[6] << 48 |
	       (uint64_t)q[7] << 56;
}

#define DIGEST_K1 0x9e3779b97f4a7c15ULL
#define DIGEST_K2 0xc2b2ae3d27d4eb4fULL

/*
 * opts.file_digests: `line` (its '\r' before '\n' left out) carried into
 * its file's digest.  The line is hashed on its own (two lanes of
 * multiply-xor over little-endian words; a line is 86 bytes on average:
 * go/ssa's 2.9 MB in 34,000 lines), then folded in after the file's digest
 * so far, so the order counts and the next line's hash need not wait.
 */
static void digest_line(struct step_file *sf, const char *line, size_t len)
{
	const unsigned char *b = (const unsigned char *)line;
	uint64_t a, c = DIGEST_K1, w;
	size_t i = 0;

	if (sf->outside)
		return;
	if (len && b[len - 1] == '\r')
		len--;
	a = (uint64_t)len * DIGEST_K2;
	for (; i + 16 <= len; i += 16) {
		a = (a ^ le64(b + i)) * DIGEST_K1;
		c = (c ^ le64(b + i + 8)) * DIGEST_K2;
		a ^= a >> 29;
		c ^= c >> 29;
	}
	if (i + 8 <= len) {
		a = (a ^ le64(b + i)) * DIGEST_K1;
		a ^= a >> 29;
		i += 8;
	}
	for (w = 0; i < len; i++) /* at most seven bytes */
		w = w << 8 | b[i];
	a = (a ^ w) * DIGEST_K1;
	a = (a ^ c ^ a >> 29) * DIGEST_K2;
	sf->digest = (sf->digest * DIGEST_K1) ^ (a ^ a >> 32);
	sf->lines++;
}

/*
 * Most of an -m=2 log: a `flow:` or `from` line at the position of the
 * line before it, which lazy_keep() adds to the run of lines kept for the
 * current finding.  Taken here without handle_line() when that is all it
 * would do: the position is the one line_position() keeps (with a
 * column), the chain is read lazily, short of PARSE_MAX_STEPS, and the
 * line follows its last run.  1 when taken, else 0 (nothing changed: the
 * line is read as usual).
 */
static int lazy_fast(struct parser *p, const char *line, size_t len)
{
	struct lazy_chain *lc = p->lazy_lc;
	struct lazy_run *r;
	size_t n = p->last_pos_len, i;

	if (!n || !p->last_pos_col || !p->cur || p->cur != p->lazy_f || !lc || lc->eager ||
	    !lc->nr || lc->lines + 1 >= PARSE_MAX_STEPS || len < n + 6 ||
	    memcmp(line, p->last_pos, n) || (line[0] == '#' && line[1] == ' '))
		return 0;
	for (i = n; i < len && line[i] == ' '; i++)
		;
	if (i == n || !(HAS_PREFIX(line + i, len - i, "flow: ") || HAS_PREFIX(line + i, len - i, "from ")))
		return 0;
	if (!p->stats.flow_style && line[i] == 'f') /* handle_diag() reads its arrow */
		return 0;
	r = &lc->runs[lc->nr - 1];
	if (r->end != p->line_at || r->seq + r->lines != p->stats.lines + 1)
		return 0;
	if (p->opts.file_digests)
		digest_line(line_file(p, line, p->last_pos_file), line, len);
	p->stats.lines++;
	p->block_has_m = 1;
	lc->lines++;
	r->end = p->line_end;
	r->lines++;
	return 1;
}

/* The lines kept for `f` parsed into it, each as when it was read. */
static void lazy_replay(struct parser *p, struct lazy_chain *lc, struct finding *f)
{
	struct finding *cur = p->cur;
	size_t i, k;

	p->cur = f;
	p->cur_block = lc->block;
	for (i = 0; i < lc->nr; i++) {
		const char *s = p->stream.buf + lc->runs[i].start;
		const char *end = p->stream.buf + lc->runs[i].end;

		for (k = 0; k < lc->runs[i].lines; k++) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t len = (size_t)((nl ? nl : end) - s), file_len, n, indent = 0;
			const char *m;
			int lineno, col;

			if (len && s[len - 1] == '\r')
				len--;
			p->cutoff = lc->runs[i].seq + k;
			if (line_position(p, s, len, &file_len, &lineno, &col, &m)) {
				n = (size_t)(s + len - m);
				while (indent < n && m[indent] == ' ')
					indent++;
				if (HAS_PREFIX(m + indent, n - indent, "flow: "))
					handle_flow(p, s, file_len, lineno, col, m + indent, n - indent);
				else
					handle_from(p, m + indent, n - indent);
			}
			s = nl ? nl + 1 : end;
		}
	}
	p->cutoff = ULLONG_MAX;
	p->cur_block = p->block;
	p->cur = cur;
	free(lc->runs);
	lc->runs = NULL;
	lc->nr = lc->alloc = 0;
}

int parser_chain(struct parser *p, struct finding *f)
{
	struct lazy_chain *lc = p->lazy.nr ? strmap_get(&p->lazy, (const char *)&f, sizeof(f)) : NULL;

	if (!lc || lc->line != f->line || lc->col != f->column)
		return 0;
	if (!lc->eager)
		lazy_replay(p, lc, f);
	compact_tail(p, f);
	finding_flow_shrink(f);
	lazy_forget(p, f);
	return 1;
}

void parser_chains_add(struct parser_chains *c, struct parser *p)
{
	ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	c->v[c->nr++] = p;
}

void parser_chains_give(struct parser_chains *c, struct finding *f)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (parser_chain(c->v[i], f))
			return;
}

void parser_chains_release(struct parser_chains *c)
{
	while (c->nr)
		parser_free(c->v[--c->nr]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void handle_diag(struct parser *p, const char *line, size_t len, size_t file_len,
			int lineno, int col, const char *m)
{
	size_t n = (size_t)(line + len - m);
	size_t indent = 0;
	const char *file = line, *s;

	while (indent < n && m[indent] == ' ')
		indent++;
	if (indent) {
		const char *t = m + indent;
		size_t tn = n - indent;

		if (HAS_PREFIX(t, tn, "flow: ")) {
			p->block_has_m = 1;
			if (!p->stats.flow_style) /* the first: which compilers wrote it */
				p->stats.flow_style = memmem(t, tn, " \xe2\x86\x90 ", 5) ? PARSE_FLOW_ARROW
											 : PARSE_FLOW_EQUALS;
			if (p->opts.lazy_chains)
				lazy_keep(p, line, file_len, lineno, col, t, tn, 1);
			else
				handle_flow(p, file, file_len, lineno, col, t, tn);
			return;
		}
		if (HAS_PREFIX(t, tn, "from ")) {
			p->block_has_m = 1;
			if (p->opts.lazy_chains)
				lazy_keep(p, line, file_len, lineno, col, t, tn, 0);
			else
				handle_from(p, t, tn);
			return;
		}
		/* "POS:   warning: truncated explanation ..." (indented like flow:) */
		if (HAS_PREFIX(t, tn, "warning: truncated explanation")) {
			p->block_has_m = 1;
			if (p->cur)
				p->cur->facts.cycle_warning = 1;
			return;
		}
	}
	if (p->notes && note_diag(p, file, file_len, lineno, col, m, n))
		return;
	if (HAS_SUFFIX(m, n, " escapes to heap:")) {
		p->block_has_m = 1;
		handle_header(p, file, file_len, lineno, col, m, n - 17, NULL, 0, -1, NULL, 0);
		return;
	}
	/* a leak header first: no " escapes to heap in " to look for through
	 * the whole of it (no Go expression holds " leaks to ") */
	if (HAS_PREFIX(m, n, "parameter ") && HAS_SUFFIX(m, n, ":") && leak_header(p, file, file_len,
										lineno, col, m, n))
		return;
	if (HAS_SUFFIX(m, n, ":") && (s = find_last(m, n - 1, " escapes to heap in ", 20))) {
		/* "EXPR escapes to heap in FUNC:" (newer compilers name the function) */
		p->block_has_m = 1;
		handle_header(p, file, file_len, lineno, col, m, (size_t)(s - m), NULL, 0, -1,
			      s + 20, (size_t)(m + n - 1 - (s + 20)));
		return;
	}
	if (HAS_PREFIX(m, n, "moved to heap: ")) {
		p->block_has_m = 1;
		handle_verdict(p, file, file_len, lineno, col, VERDICT_MOVED, m, n, m + 15, n - 15);
		return;
	}
	if (HAS_SUFFIX(m, n, " escapes to heap")) {
		p->block_has_m = 1;
		handle_verdict(p, file, file_len, lineno, col, VERDICT_ESCAPES, m, n, m, n - 16);
		return;
	}
	if (HAS_PREFIX(m, n, "leaking param content: ")) {
		p->block_has_m = 1;
		handle_verdict(p, file, file_len, lineno, col, VERDICT_LEAK_CONTENT, m, n, m + 23,
			       n - 23);
		return;
	}
	if (HAS_PREFIX(m, n, "leaking param: ")) {
		const char *to = memmem(m + 15, n - 15, " to result ", 11);
		size_t sl = to ? (size_t)(to - (m + 15)) : n - 15;

		p->block_has_m = 1;
		handle_verdict(p, file, file_len, lineno, col, VERDICT_LEAK_PARAM, m, n, m + 15, sl);
		return;
	}
	if (HAS_PREFIX(m, n, "inlining call to ")) {
		p->block_has_m = 1;
		note_inlined(p, file, file_len, lineno, col, m, n);
		return;
	}
	if (is_other_m(m, n)) {
		p->block_has_m = 1;
		return;
	}
	/* not -m output: maybe an error */
	keep_other_line(p, line, len);
}

/*
 * parse_position() of a line, remembering the last line's "FILE:LINE:COL: ":
 * every byte parse_position() reads is before the message (a digit run
 * stops at the ':' of the ": " it ends with), so a line that starts with
 * the same bytes has the same position.  The lines of an explanation all
 * start with its header's.
 */
static int line_position(struct parser *p, const char *line, size_t len, size_t *file_len,
			 int *lineno, int *col, const char **msg)
{
	size_t n = p->last_pos_len;

	if (n && len >= n && !memcmp(line, p->last_pos, n)) {
		*file_len = p->last_pos_file;
		*lineno = p->last_pos_line;
		*col = p->last_pos_col;
		*msg = line + n;
		return 1;
	}
	if (!parse_position(line, len, file_len, lineno, col, msg))
		return 0;
	n = (size_t)(*msg - line);
	p->last_pos_len = n <= sizeof(p->last_pos) ? n : 0;
	p->last_pos_sf = NULL;
	if (p->last_pos_len) {
		memcpy(p->last_pos, line, n);
		p->last_pos_file = *file_len;
		p->last_pos_line = *lineno;
		p->last_pos_col = *col;
	}
	return 1;
}

static void handle_line(struct parser *p, const char *line, size_t len)
{
	size_t file_len;
	int lineno, col;
	const char *msg;

	p->stats.lines++;
	if (len && line[len - 1] == '\r')
		len--;
	if (!len)
		return;
	if (line[0] == '#' && len > 2 && line[1] == ' ') {
		const char *sp;

		end_block(p);
		p->in_block = 1;
		p->cur_block = ++p->block;
		free(p->package);
		sp = memchr(line + 2, ' ', len - 2);
		p->package = xstrndup(line + 2, sp ? (size_t)(sp - line - 2) : len - 2);
		strbuf_add(&p->block_lines, line, len);
		strbuf_addch(&p->block_lines, '\n');
		p->block_line_nr = 1;
		return;
	}
	if (line_position(p, line, len, &file_len, &lineno, &col, &msg)) {
		if (p->opts.file_digests)
			digest_line(line_file(p, line, file_len), line, len);
		if (!col && !p->opts.keep_outside && file_len == 15 &&
		    !memcmp(line, "<autogenerated>", 15))
			return;
		handle_diag(p, line, len, file_len, lineno, col, msg);
		return;
	}
	keep_other_line(p, line, len);
}

/* The stream's first allocation (opts.lazy_chains). */
#define STREAM_FIRST_BYTES ((size_t)1 << 20)

/*
 * The stream cut down to the bytes of the runs kept (and of an incomplete
 * line to come), their offsets moved with them: the input is kept up to
 * opts.lazy_max_bytes, or twice what is kept when that is more, so memory
 * follows the lines kept, as it does without lazy_chains the steps kept.
 */
static void lazy_compact(struct parser *p)
{
	struct strbuf kept = STRBUF_INIT;
	const struct strmap_entry *e;
	size_t it = 0, i, max = p->opts.lazy_max_bytes ? p->opts.lazy_max_bytes
							: PARSE_LAZY_MAX_BYTES;

	while (strmap_next(&p->lazy, &it, &e)) {
		struct lazy_chain *lc = e->value;

		for (i = 0; i < lc->nr; i++) {
			struct lazy_run *r = &lc->runs[i];
			size_t at = kept.len;

			strbuf_add(&kept, p->stream.buf + r->start, r->end - r->start);
			r->start = at;
			r->end = kept.len;
		}
	}
	if (p->partial.len && !p->partial_overlong) {
		size_t at = kept.len;

		strbuf_add(&kept, p->stream.buf + p->partial_at, p->stream.len - p->partial_at);
		p->partial_at = at;
	}
	strbuf_release(&p->stream);
	p->stream = kept;
	p->stream_cap = kept.len > max / 2 ? 2 * kept.len : max;
}

/* Room for `len` more bytes at the stream's end (compacted first when
 * they would pass its cap). */
static void stream_room(struct parser *p, size_t len)
{
	if (p->stream.len + len > p->stream_cap)
		lazy_compact(p);
	/* doubled, from 1 MiB: strbuf_grow's half again copies the bytes
	 * kept twice over (go/ssa's 2.9 MB: 5.4 MB copied) */
	if (p->stream.len + len >= p->stream.alloc)
		strbuf_grow(&p->stream, p->stream.len + len > STREAM_FIRST_BYTES
					? p->stream.len + len : STREAM_FIRST_BYTES);
}

char *parser_space(struct parser *p, size_t *room)
{
	size_t n;

	if (!p->opts.lazy_chains)
		return NULL;
	stream_room(p, PARSE_SPACE_MIN);
	n = p->stream.alloc - p->stream.len - 1;
	if (p->stream.len + n > p->stream_cap) /* read no further than the cap */
		n = p->stream_cap > p->stream.len + PARSE_SPACE_MIN ? p->stream_cap - p->stream.len
								   : PARSE_SPACE_MIN;
	*room = n;
	return p->stream.buf + p->stream.len;
}

void parser_feed(struct parser *p, const char *buf, size_t len)
{
	/* opts.lazy_chains: the stream offset of buf[0] is base + (buf - buf0) */
	const char *buf0 = buf;
	size_t base = p->stream.len;

	if (p->opts.lazy_chains && p->stream.alloc && buf == p->stream.buf + p->stream.len &&
	    len < p->stream.alloc - p->stream.len) {
		strbuf_setlen(&p->stream, base + len); /* read in place (parser_space) */
	} else if (p->opts.lazy_chains) {
		stream_room(p, len);
		base = p->stream.len;
		strbuf_add(&p->stream, buf, len);
	}
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) : len;

		if (p->partial.len || !nl) {
			size_t room = MAX_LINE > p->partial.len ? MAX_LINE - p->partial.len : 0;

			if (!p->partial.len)
				p->partial_at = base + (size_t)(buf - buf0);
			if (n > room)
				p->partial_overlong = 1;
			strbuf_add(&p->partial, buf, n < room ? n : room);
			if (nl) {
				p->line_at = p->partial_at;
				p->line_end = base + (size_t)(nl + 1 - buf0);
				if (!p->partial_overlong)
					handle_line(p, p->partial.buf, p->partial.len);
				strbuf_reset(&p->partial);
				p->partial_overlong = 0;
			}
		} else if (n <= MAX_LINE) {
			p->line_at = base + (size_t)(buf - buf0);
			p->line_end = p->line_at + n + 1;
			if (!p->opts.lazy_chains || !lazy_fast(p, buf, n))
				handle_line(p, buf, n);
		}
		if (!nl)
			break;
		buf = nl + 1;
		len -= n + 1;
	}
}

void parser_finish(struct parser *p)
{
	p->line_at = p->partial_at;
	p->line_end = p->stream.len;
	if (p->partial.len && !p->partial_overlong)
		handle_line(p, p->partial.buf, p->partial.len);
	strbuf_reset(&p->partial);
	p->partial_overlong = 0;
	end_block(p);
	p->in_block = 0;
}

void parser_take_findings(struct parser *p, struct finding_list *out)
{
	size_t i;

	for (i = 0; i < p->out.nr; i++)
		finding_list_add(out, p->out.items[i]);
	p->out.nr = 0;
	p->ended_nr = 0;
}

size_t parser_take_ended(struct parser *p, struct finding_list *out)
{
	size_t i, n = p->ended_nr;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		finding_list_add(out, p->out.items[i]);
	memmove(p->out.items, p->out.items + n, (p->out.nr - n) * sizeof(*p->out.items));
	p->out.nr -= n;
	p->ended_nr = 0;
	return n;
}

const char *parser_errors(const struct parser *p)
{
	return p->errors.buf;
}

static int cmp_digest(const void *x, const void *y)
{
	const struct parse_digest *a = x, *b = y;

	return strcmp(a->path, b->path);
}

size_t parser_digests(struct parser *p, struct parse_digest **out)
{
	struct parse_digest *v = NULL;
	const struct strmap_entry *e;
	size_t it = 0, n = 0, alloc = 0, i, k;

	while (strmap_next(&p->step_files, &it, &e)) {
		const struct step_file *sf = e->value;

		if (sf->outside || !sf->lines)
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].path = sf->path;
		v[n].digest = sf->digest;
		v[n].lines = sf->lines;
		v[n].mixed = 0;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_digest);
	/* one path printed two ways: one entry, its digest the spellings' */
	for (i = k = 0; i < n; i++) {
		if (k && !strcmp(v[k - 1].path, v[i].path)) {
			v[k - 1].digest = (v[k - 1].digest ^ v[i].digest) * DIGEST_K1;
			v[k - 1].lines += v[i].lines;
			v[k - 1].mixed = 1;
			continue;
		}
		v[k++] = v[i];
	}
	*out = v;
	return k;
}

/* The index of `path` in `l`, or -1 - the index it would take. */
static long digest_index(const struct parse_digest_list *l, const char *path)
{
	size_t lo = 0, hi = l->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->v[mid].path, path);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1 - (long)lo;
}

void parse_digest_list_add(struct parse_digest_list *l, const char *path,
			   unsigned long long digest, unsigned long long lines, int mixed)
{
	long at = digest_index(l, path);
	size_t i;

	if (at >= 0) {
		l->v[at].mixed = 1;
		l->v[at].lines += lines;
		return;
	}
	i = (size_t)(-1 - at);
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	memmove(l->v + i + 1, l->v + i, (l->nr - i) * sizeof(*l->v));
	l->v[i].path = xstrdup(path);
	l->v[i].digest = digest;
	l->v[i].lines = lines;
	l->v[i].mixed = mixed;
	l->nr++;
}

void parse_digest_list_add_parser(struct parse_digest_list *l, struct parser *p)
{
	struct parse_digest *d;
	size_t n = parser_digests(p, &d), i;

	for (i = 0; i < n; i++)
		parse_digest_list_add(l, d[i].path, d[i].digest, d[i].lines, d[i].mixed);
	free(d);
}

const struct parse_digest *parse_digest_list_find(const struct parse_digest_list *l,
						  const char *path)
{
	long at = digest_index(l, path);

	return at >= 0 ? &l->v[at] : NULL;
}

void parse_digest_list_release(struct parse_digest_list *l)
{
	while (l->nr)
		free((char *)l->v[--l->nr].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void parser_stats(const struct parser *p, struct parse_stats *out)
{
	*out = p->stats;
}

/* ---- notes (parse.h): the diagnostics that are not escapes ---- */

struct note_state {
	struct parse_note_list list;
	struct strmap seen;           /* kind, line, col, file, func of kept notes */
	struct strbuf key;
	/* the last note's file as printed and normalized (NULL: not kept);
	 * a block's notes name a few files, one after the other */
	struct strbuf last_file;
	char *last_norm;
	int have_last;
};

static struct note_state *notes_new(void)
{
	struct note_state *ns = xcalloc(1, sizeof(*ns));

	strbuf_init(&ns->key, 0);
	strbuf_init(&ns->last_file, 0);
	return ns;
}

static void notes_free(struct note_state *ns)
{
	if (!ns)
		return;
	parse_note_list_release(&ns->list);
	strmap_release(&ns->seen);
	strbuf_release(&ns->key);
	strbuf_release(&ns->last_file);
	free(ns->last_norm);
	free(ns);
}

static void note_release(struct parse_note *nt)
{
	free(nt->package);
	free(nt->file);
	free(nt->func);
	free(nt->reason);
	free(nt->text);
}

void parse_note_list_release(struct parse_note_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		note_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

const char *parse_note_kind_name(enum parse_note_kind k)
{
	static const char *const names[] = { "can_inline", "cannot_inline", "inlining_call",
					     "bounds_check" };

	return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "?";
}

/* Keep one note (func/reason/text as given, lengths 0 for none). */
static void note_add(struct parser *p, enum parse_note_kind kind, const char *file,
		     size_t file_len, int lineno, int col, const char *func, size_t func_len,
		     const char *reason, size_t reason_len, const char *text, size_t text_len,
		     int cost, int budget)
{
	struct note_state *ns = p->notes;
	struct parse_note *nt;
	char *norm;

	unsigned char k = (unsigned char)kind;

	p->block_has_m = 1;
	if (!ns->have_last || ns->last_file.len != file_len || memcmp(ns->last_file.buf, file, file_len)) {
		free(ns->last_norm);
		ns->last_norm = parse_normalize_path(&p->opts, file, file_len);
		strbuf_reset(&ns->last_file);
		strbuf_add(&ns->last_file, file, file_len);
		ns->have_last = 1;
	}
	if (!ns->last_norm)
		return;
	/* the key: kind, line and column as bytes, file and NUL, function */
	strbuf_reset(&ns->key);
	strbuf_add(&ns->key, &k, 1);
	strbuf_add(&ns->key, &lineno, sizeof(lineno));
	strbuf_add(&ns->key, &col, sizeof(col));
	strbuf_add(&ns->key, ns->last_norm, strlen(ns->last_norm) + 1);
	strbuf_add(&ns->key, func, func_len);
	if (strmap_get(&ns->seen, ns->key.buf, ns->key.len))
		return;
	if (ns->list.nr >= PARSE_MAX_NOTES) {
		ns->list.dropped++;
		return;
	}
	norm = xstrdup(ns->last_norm);
	strmap_put(&ns->seen, ns->key.buf, ns->key.len, (void *)1);
	ALLOC_GROW(ns->list.items, ns->list.nr + 1, ns->list.alloc);
	nt = &ns->list.items[ns->list.nr++];
	memset(nt, 0, sizeof(*nt));
	nt->kind = kind;
	nt->package = xstrdup_or_null(p->package);
	nt->file = norm;
	nt->line = lineno;
	nt->column = col;
	nt->func = func_len ? xstrndup(func, func_len) : NULL;
	nt->reason = reason_len ? xstrndup(reason, reason_len) : NULL;
	nt->text = xstrndup(text, text_len);
	nt->cost = cost;
	nt->budget = budget;
}

/* "function too complex: cost N exceeds budget B" */
static void too_complex(const char *r, size_t n, int *cost, int *budget)
{
	const char *c = memmem(r, n, "cost ", 5), *b = memmem(r, n, " exceeds budget ", 16);
	size_t i;

	if (!c || !b || b < c)
		return;
	i = (size_t)(c + 5 - r);
	*cost = read_num(r, n, &i);
	i = (size_t)(b + 16 - r);
	*budget = read_num(r, n, &i);
}

/* A note, when `m` is one: 1 when nothing else reads the line. */
static int note_diag(struct parser *p, const char *file, size_t file_len, int lineno, int col,
		     const char *m, size_t n)
{
	const char *s, *e;
	int cost = -1, budget = -1;
	size_t i;

	if (HAS_PREFIX(m, n, "can inline ") && (s = memmem(m + 11, n - 11, " with cost ", 11))) {
		i = (size_t)(s + 11 - m);
		cost = read_num(m, n, &i);
		e = memmem(m, n, " as: ", 5);
		note_add(p, NOTE_CAN_INLINE, file, file_len, lineno, col, m + 11,
			 (size_t)(s - (m + 11)), NULL, 0, m, e ? (size_t)(e - m) : n, cost, -1);
		return 1;
	}
	if (HAS_PREFIX(m, n, "cannot inline ") && (s = memmem(m + 14, n - 14, ": ", 2))) {
		too_complex(s + 2, (size_t)(m + n - (s + 2)), &cost, &budget);
		note_add(p, NOTE_CANNOT_INLINE, file, file_len, lineno, col, m + 14,
			 (size_t)(s - (m + 14)), s + 2, (size_t)(m + n - (s + 2)), m, n, cost, budget);
		return 1;
	}
	if (HAS_PREFIX(m, n, "inlining call to ")) {
		e = find_last(m + 17, n - 17, " with score ", 12);
		if (!e)
			e = m + n;
		if (e > m + 17 && !p->opts.notes_inline_only)
			note_add(p, NOTE_INLINING_CALL, file, file_len, lineno, col, m + 17,
				 (size_t)(e - (m + 17)), NULL, 0, m, n, -1, -1);
		return 0; /* the parser's own inlined-call map reads it too */
	}
	if (HAS_PREFIX(m, n, "Found Is") && n > 6) {
		if (!p->opts.notes_inline_only)
			note_add(p, NOTE_BOUNDS_CHECK, file, file_len, lineno, col, NULL, 0, m + 6,
				 n - 6, m, n, -1, -1);
		return 1;
	}
	return 0;
}

void parser_take_notes(struct parser *p, struct parse_note_list *out)
{
	struct note_state *ns = p->notes;

	if (!ns)
		return;
	if (!out->nr) {
		unsigned long long d = out->dropped + ns->list.dropped;

		free(out->items);
		*out = ns->list;
		out->dropped = d;
	} else {
		ALLOC_GROW(out->items, out->nr + ns->list.nr, out->alloc);
		if (ns->list.nr)
			memcpy(out->items + out->nr, ns->list.items, ns->list.nr * sizeof(*out->items));
		out->nr += ns->list.nr;
		out->dropped += ns->list.dropped;
		free(ns->list.items);
	}
	memset(&ns->list, 0, sizeof(ns->list));
}
