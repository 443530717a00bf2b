#ifndef GOSRC_H
#define GOSRC_H

/*
 * gosrc.h: the project's one reader of Go source text.  It owns
 *   - the lexer: identifiers, numbers, "strings", `raw strings` (across
 *     lines), 'runes', line and block comments, operators, newlines, and
 *     where a line starts inside a raw string or block comment; every
 *     other module that looks into Go text (ack.c's //escape:ok markers,
 *     checklist.c's source-line predicates) uses it instead of its own scan;
 *   - the structure scan: the functions of a file, named the way the
 *     compiler does (F, T.M, (*T).M, F.func1 for F's first closure,
 *     F.func1.2 for the second closure inside that one, glob..func1 for a
 *     package-level one; type parameters left out: (*L[K]).Get is
 *     "(*L).Get"), the bodies of `for` loops, the package-level `var`
 *     specs and the `type` declarations;
 *   - the locate stage: function, loop, package initialisation, zero-size
 *     types and source lines of every finding, one pass per file.
 * Not a parser and no type checker: it never reports syntax errors, and
 * broken text gives a best-effort answer, never a crash.  It never
 * classifies or formats findings: it sets the facts checklist.c reads.
 */

#include <stddef.h>

/* ---- the lexer ---- */

enum gotok {
	GOTOK_EOF = 0,
	GOTOK_IDENT,     /* identifiers and keywords (bytes >= 0x80 count as letters) */
	GOTOK_NUMBER,    /* 12, 0x1p-2, 1_000, .5, 3i */
	GOTOK_STRING,    /* "..."; an unterminated one ends at the line's end */
	GOTOK_RUNE,      /* '...'; likewise */
	GOTOK_RAW,       /* `...`, newlines included; unterminated: to the end */
	GOTOK_COMMENT,   /* // up to (not including) the newline */
	GOTOK_BLOCK,     /* slash-star ... star-slash, newlines included */
	GOTOK_NEWLINE,   /* one '\n' outside literals and block comments */
	GOTOK_OP,        /* operators and punctuation, longest match: ":=", "...", "&^=" */
	GOTOK_OTHER,     /* a byte that starts no Go token ('$', '?', '#', '\\') */
};

/* Where a text starts: in code, or inside a literal or comment opened before it. */
enum golex_state {
	GOLEX_CODE = 0,
	GOLEX_IN_RAW = 1,    /* inside a raw string: the first token is the rest of it */
	GOLEX_IN_BLOCK = 2,  /* inside a block comment */
};

struct gotoken {
	enum gotok kind;
	size_t off, len;     /* the token's bytes in the text */
	int line, col;       /* of its first byte; 1-based, columns count bytes */
	unsigned open : 1;   /* a literal or block comment the text ended inside */
};

struct golex {
	const char *s;
	size_t len, i;
	int line, col;
	enum golex_state state;
};

/* Lex `len` bytes of `s` (no NUL needed), starting in state `start`. */
void golex_init(struct golex *lx, const char *s, size_t len, enum golex_state start);
/* The next token (spaces, tabs, '\r' and form feeds skipped); returns t->kind. */
enum gotok golex_next(struct golex *lx, struct gotoken *t);
/* Is the token the identifier or operator `w`? */
int gotok_is(const struct golex *lx, const struct gotoken *t, const char *w);

/*
 * The first line comment of one line of `len` bytes that starts in state
 * `start`: returns the offset just after its "//", or -1 when the line has
 * none outside strings, runes, raw strings and block comments.  *alone (if
 * not NULL) says whether only white space comes before it (never when the
 * line starts inside a literal or comment).
 */
long gosrc_line_comment(const char *line, size_t len, enum golex_state start, int *alone);

/* A text's tokens, comments left out (newlines kept); the text stays the caller's. */
struct gotokens {
	struct golex lx;            /* lx.s is the text: a token's bytes are lx.s + t[i].off */
	struct gotoken *t;
	size_t nr, alloc;
};

#define GOTOKENS_INIT { { NULL, 0, 0, 0, 0, GOLEX_CODE }, NULL, 0, 0 }

/* Lex `len` bytes of `s` (reusing tk's array). */
void gotokens_lex(struct gotokens *tk, const char *s, size_t len, enum golex_state start);
void gotokens_release(struct gotokens *tk);
/* Token i is the identifier or operator `w` (0 past the end). */
int gotokens_is(const struct gotokens *tk, size_t i, const char *w);
/* Token i opens ( [ { / closes ) ] }. */
int gotokens_open(const struct gotokens *tk, size_t i);
int gotokens_close(const struct gotokens *tk, size_t i);
/* The bracket matching the one at i, looking before `e`; `e` when none. */
size_t gotokens_match(const struct gotokens *tk, size_t i, size_t e);

/* ---- the structure scan ---- */

enum goscope_kind {
	GOSCOPE_FUNC,    /* a function's body (a literal's starts at its '(') */
	GOSCOPE_LOOP,    /* a for loop's body, from '{' to '}' */
	GOSCOPE_VAR,     /* a package-level var spec: from its first name to its end */
};

struct goscope {
	enum goscope_kind kind;
	/* FUNC: the compiler's name; VAR: the names, comma-separated ("a,b") */
	char *name;
	int start_line, start_col;  /* FUNC: `func` of a declaration, '(' of a literal */
	int end_line, end_col;      /* the closing brace or the spec's end; INT_MAX: open */
	int for_line;               /* LOOP: the line of `for` */
	unsigned init : 1;          /* FUNC: the package's `func init` */
	unsigned generic : 1;       /* FUNC: a declaration with type parameters, or a
				     * method of a generic type (compiled where it is
				     * instantiated, not in its package) */
	unsigned literal : 1;       /* FUNC: a function literal */
	/* VAR: where the initialiser starts (after '='; 0: none) and the
	 * top-level commas of it, to tell which name an expression sets */
	int eq_line, eq_col;
	int *commas;                /* line, col pairs */
	size_t commas_nr, commas_alloc;  /* ints, two a comma */
};

/* A package-level type declaration: `type Name <expr>` or `type Name = <expr>`. */
struct gotype {
	char *name;
	char *expr;                 /* the type expression's text */
};

struct goscopes {
	struct goscope *items;      /* in the order of their starts */
	size_t nr, alloc;
	struct gotype *types;
	size_t types_nr, types_alloc;
};

#define GOSCOPES_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Scan `len` bytes of Go source, appending to `out` (items sorted by start). */
void goscopes_scan(struct goscopes *out, const char *src, size_t len);
void goscopes_release(struct goscopes *sc);

/* Name of the innermost function containing line:col (col 0: start of
 * line), or NULL when the position is outside every function.  Linear in
 * the number of scopes: the locate stage sweeps instead. */
const char *goscopes_func_at(const struct goscopes *sc, int line, int col);

/*
 * Is the type expression `expr` (Go text: "struct{}", "[0]int", "Path")
 * zero-size?  Names are looked up in `types` (a package's declarations,
 * `nr` of them) up to a small depth; anything not known to be zero-size
 * (other packages' types, constants in array lengths, generics) is not.
 */
int gosrc_type_is_zero(const char *expr, size_t len, const struct gotype *types, size_t nr);

/* True when the source starts with a generated-code marker line
 * (`// Code generated ... DO NOT EDIT.` before the package clause). */
int gosrc_is_generated(const char *src, size_t len);

/*
 * 1 when the go command may leave the file out of its package's build
 * for its build constraints: a file name ending in _GOOS, _GOARCH or
 * _GOOS_GOARCH of a known system or architecture (before an optional
 * _test), a //go:build or // +build line before the package clause, or
 * an import of "C" (cgo's files are left out when cgo is off); else 0.
 * Whether it does is the go command's to say (packages_unbuilt).  `why`
 * (may be NULL) gets what constrains the file, for a message: its
 * //go:build (else // +build) line as written, "its name's _windows", or
 * "import \"C\", which cgo builds".
 */
struct strbuf;
int gosrc_build_constraint(struct strbuf *why, const char *path, const char *src, size_t len);

/*
 * The module path of a go.mod's text (its `module` line, quoted or not,
 * a comment after it left out) into `out`: 0, or -1 when it has none.
 */
int gosrc_module_path(struct strbuf *out, const char *gomod, size_t len);

struct finding;
struct finding_list;

/*
 * The locate stage: read each finding's file under `root` (an absolute
 * path as it is) once (bounded)
 * and, in one pass over the file's findings in position order, set
 *   function     the innermost function (when the parser did not name one),
 *                or for a package-level var's initialiser the variable's name;
 *   in_init      a package-level var's initialiser or `func init`'s own body;
 *   in_loop, loop_line   inside a for loop's body of the finding's own function;
 *   zero_size    the zero-size type of a moved variable, &T{} or new(T);
 *   source       the finding's line;
 *   source_above the line above it when it holds "escape:ok" (all that
 *                ack.h reads there: a large review keeps no other line);
 *   and the lexer state at their starts.
 * Files that cannot be read are skipped; the list keeps its order.
 */
void gosrc_locate(struct finding_list *list, const char *root);

/*
 * The reading for a locate, done ahead (while the compiler runs) in a
 * thread: every .go file of the directories `dirs` (relative to `root`,
 * "" for root itself; at most 512 files, 32 MiB; _test.go files only with
 * `tests`, as the build compiles them), indexed, and their type
 * declarations.  gosrc_locate_preloaded() waits for it and locates as
 * gosrc_locate() does, reading only what is not there (a file outside
 * those directories); a file is taken as it was when it was read ahead,
 * about when the compiler read it.  NULL `pre` is gosrc_locate().  With
 * `cache` (a file path; NULL: none), a file whose bytes are those of its
 * scan there is not scanned again, and the file is rewritten when a scan
 * was made (gosrc.c: the scope cache).
 */
struct gosrc_preload;
struct gosrc_preload *gosrc_preload_start(const char *root, const char *const *dirs, size_t nr,
					  int tests, const char *cache);
void gosrc_locate_preloaded(struct finding_list *list, const char *root,
			    struct gosrc_preload *pre);
/*
 * gosrc_locate_preloaded() for a review that shows only some of the
 * findings: the zero-size check, which may read the package's other files
 * for a type's declaration, is made only for the findings `shown` accepts
 * (NULL: all).  A located finding may be located again (with another
 * `shown`, the same `pre`): what is set already stays.
 */
void gosrc_locate_shown(struct finding_list *list, const char *root, struct gosrc_preload *pre,
			int (*shown)(void *data, const struct finding *f), void *data);
void gosrc_preload_free(struct gosrc_preload *pre);

#endif
