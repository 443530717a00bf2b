#ifndef PACKAGES_H
#define PACKAGES_H

/*
 * packages.h: from changed files to Go packages and modules, and the go
 * process that analyses them.  It owns which packages are built and the
 * `go build` command line; it must never classify, filter by mode or know
 * the configuration (exclusion comes in as a callback).
 *
 * Each changed file's directory is a package; its module is the nearest
 * directory above it with a go.mod (looked up with stat(), cached per
 * directory: no process per file).  Several modules in one repository are
 * analysed with one `go build` each, run from the module's root so that
 * the go command's cached (replayed) output always has the same relative
 * paths.  With go.work present, the go command uses the workspace as usual.
 *
 * The compiler runs as
 *   go build [BUILD FLAGS] -gcflags=-m=2 [GCFLAGS] [-o /dev/null] ./pkg...
 * (or `go test -c -o /dev/null -vet=off ...` per package with tests), via
 * run.h with an argv: never a shell, and no binary is written into the tree.
 * Its stderr streams into the parser (parse.h).
 */

#include "finding.h"
#include "run.h"
#include "strbuf.h"
#include "parse.h"
#include <stddef.h>

struct strbuf;

struct gomodule {
	char *dir;       /* repository-relative directory of go.mod; "" for the root */
	char **pkgs;     /* package directories relative to dir, as "./x" or "." */
	size_t pkgs_nr, pkgs_alloc;
};

struct pkgset {
	struct gomodule *mods;
	size_t nr, alloc;
	char **orphans;  /* changed .go files in no module */
	size_t orphans_nr, orphans_alloc;
};

#define PKGSET_INIT { NULL, 0, 0, NULL, 0, 0 }

/*
 * Add the packages of `files` (repository-relative .go paths) as found in
 * the checkout at `root` (an absolute directory).  Files whose directory
 * does not exist there (a package the change adds, seen from the base)
 * are left out.
 */
void pkgset_add_files(struct pkgset *set, const char *root, const char *const *files, size_t nr);
/* Add every module under `root` (found by their go.mod, skipping vendor/,
 * testdata/ and hidden directories) with the pattern "./...". */
void pkgset_add_all(struct pkgset *set, const char *root);
/*
 * Add the packages named on a command line: directories relative to the
 * current directory, "DIR/..." for DIR and every package below it (as go
 * names them).  Each must be a directory of the checkout at `root` inside
 * a module; otherwise ER_EUSAGE names the argument.
 */
int pkgset_add_args(struct pkgset *set, const char *root, const char *const *args, size_t nr);
/* Add the package `pkg` ("./x" or ".") of the module at `moddir`
 * (repository-relative, "" for the root), once. */
void pkgset_add_package(struct pkgset *set, const char *moddir, const char *pkg);
void pkgset_release(struct pkgset *set);
/*
 * The module of `set` holding the repository-relative file `path` (the
 * nearest by directory), with the file's package in it ("./x" or ".")
 * written to `pkg`; NULL when none holds it.
 */
const struct gomodule *pkgset_package_of(const struct pkgset *set, const char *path,
					 struct strbuf *pkg);
/*
 * Drop the packages whose repository-relative directory `excluded` says is
 * excluded ("." for the root), before anything is built: a "DIR/..."
 * pattern stays as it is unless a package below it is excluded, and is
 * then replaced by the packages it would build but those.  A module left
 * with no package is dropped (never `go build` with no argument).
 */
void pkgset_exclude(struct pkgset *set, const char *root,
		    int (*excluded)(const void *data, const char *path), const void *data);
/*
 * The number of packages the set builds: a "DIR/..." pattern counts the
 * package directories below DIR as go walks them (not vendor/, testdata/,
 * hidden or _-prefixed directories, nor nested modules) in the checkout at
 * `root`; with a NULL root it counts as one.
 */
size_t pkgset_count(const struct pkgset *set, const char *root);

struct build_opts {
	const char *go;           /* the go command; NULL means "go" from PATH */
	const char *build_flags;  /* extra `go build` flags, split at white space */
	const char *gcflags;      /* extra compiler flags, appended after -m=2 */
	int tests;                /* compile _test.go files too (go test -c) */
	int max_flow;             /* steps kept for display after classification */
	int verbose;              /* print each go command line on stderr */
	/* performance contracts (contract.h): the parser's notes go to `notes`
	 * when set; the package directories of `bce_dirs` (repository-relative)
	 * are compiled with -d=ssa/check_bce/debug=1 too, through a
	 * -gcflags=./DIR=... pattern, so every other package is built with the
	 * same flags as without contracts */
	struct parse_note_list *notes;
	int notes_inline_only;    /* only the inlining notes summary.h reads */
	const char *const *bce_dirs;
	size_t bce_dirs_nr;
	/* the files whose findings are kept (parse_opts.keep_file; NULL: all),
	 * asked from the thread that reads the build */
	int (*keep_file)(void *data, const char *path);
	void *keep_data;
	/* a go command started before the packages were known, which the
	 * build's first go command takes when it is the same and the only
	 * one, and otherwise stops (go_prestart_start); NULL: none */
	struct go_prestart *prestart;
	/* the explanations' chains parsed only when asked (parse_opts.
	 * lazy_chains): the build's parsers are added here, where
	 * parser_chains_give() parses a finding's chain; NULL: parsed as read */
	struct parser_chains *chains;
	/* parse_opts.file_digests: each go command's digests added here
	 * (parse_digest_list_add_parser); NULL: none taken */
	struct parse_digest_list *digests;
	/* while a go command's output is awaited (go takes a millisecond or
	 * two to exit after its last byte), from the thread that reads it:
	 * the findings of that command read so far, `l` from index `from`
	 * new since the last call; they stay the build's, which gives them
	 * with the rest, in order (the build may still fail).  NULL: none */
	void (*idle)(void *data, struct finding_list *l, size_t from);
	void *idle_data;
};

/* 1 when `a` and `b` build the same modules' packages, in the same order
 * (their orphans aside: nothing builds them). */
int pkgset_same_build(const struct pkgset *a, const struct pkgset *b);

/*
 * Analyse every package of `set` in the checkout at `root` (absolute).
 * Findings (paths relative to `root`) are appended to `out`.  Returns 0,
 * ER_ENOGO when go cannot be run, or ER_EANALYSIS when the build failed,
 * with the compiler's messages in the error message and in `errors`.
 */
int packages_analyze(struct finding_list *out, struct strbuf *errors, const char *root,
		     const struct pkgset *set, const struct build_opts *opts);
/*
 * packages_analyze() in two halves, for a build started in one thread and
 * read in another: packages_build_start() starts the first go command (it
 * never fails: a failure to start is returned by the finish);
 * packages_build_finish() reads it, runs the rest, returns as
 * packages_analyze() does and frees `b`.  Every start is finished: the
 * started go waits on its pipe until then.  `set` and `opts` are used by
 * the finish: they must live until then.
 */
struct go_build;
struct go_build *packages_build_start(const char *root, const struct pkgset *set,
				      const struct build_opts *opts);
int packages_build_finish(struct finding_list *out, struct strbuf *errors, struct go_build *b);

/*
 * The head build started before its packages are known, so that go runs
 * while the review reads the change.  A memory of the work tree's last
 * head build (its one go command's module, packages and bce directories)
 * is started at once with this run's options (go_prestart_start), in a
 * process group of its own and with a GOTMPDIR of its own, when the go
 * command is its toolchain's own bin/go (never a wrapper or a version
 * manager's shim, whose doings when started and stopped are not known).  The first go
 * command of the build it is given to (build_opts.prestart) takes it when
 * it is the build's only command and the same (its directory and every
 * argument); otherwise, or when no build comes, it is stopped: its group
 * killed, its work files removed.  What is taken is what would have been
 * started, so the memory can waste a start but never change a review;
 * go_prestart_finish() gives the memory of the build that ran.  The
 * memory is text:
 *
 *   escape-review head build 1
 *   module DIR        ("." for the repository root)
 *   package PKG       ("./x" or "."; one or more)
 *   bce DIR           (any number)
 *
 * and it is refused whole (nothing started; -v says so) when a line is
 * none of these, a path is absolute or has a "." or ".." part or a
 * leading '-', or it is longer than GO_PRESTART_MEMO_MAX bytes.
 */
#define GO_PRESTART_MEMO_HEAD "escape-review head build 1"
#define GO_PRESTART_MEMO_MAX 16384
struct go_prestart;
struct go_prestart *go_prestart_new(int verbose);
/* Start the build `memo` (`len` bytes; 0: none) remembers, in the
 * checkout at `root` with `opts` (whose bce directories it replaces); it
 * never fails: a memory refused or a go that does not start starts none. */
void go_prestart_start(struct go_prestart *ps, const char *memo, size_t len, const char *root,
		       const struct build_opts *opts);
/* Stop it now when it runs and no build took it (no build will be given
 * it); NULL is none. */
void go_prestart_stop(struct go_prestart *ps);
/* After every build given `ps` is finished: stop what no build took, free
 * `ps`, and set `memo` to the memory of the build's one go command (empty
 * when it had several).  1 when a build was given it, else 0 (`memo`
 * empty: the memory read stays true). */
int go_prestart_finish(struct go_prestart *ps, struct strbuf *memo);

/* The Go releases escape-review is tested with: 1.19 to 1.26. */
#define GO_MINOR_OLDEST 19
#define GO_MINOR_NEWEST 26
#define GO_SUPPORTED "Go 1.19 to 1.26"
/* 1 when `version` ("go1.26.8") is within them. */
int go_version_supported(const char *version);
/* The minor version of Go 1 that `version` names (26 of "go1.26.8"), or 0
 * when it names none (NULL too). */
int go_version_minor(const char *version);

/*
 * The go command's version ("go1.19.8") in `out`: read from its GOROOT's
 * VERSION file when `go` resolves to GOROOT/bin/go, else asked with
 * `go env GOVERSION`.
 */
int go_version(struct strbuf *out, const struct build_opts *opts);
/* 1 when go_version() would start the go command (no VERSION file to read). */
int go_version_runs_go(const struct build_opts *opts);

/*
 * What of the go command decides the compiler's output besides the sources
 * and flags, from one `go env` of GOVERSION, GOROOT, GOFLAGS, GOOS, GOARCH
 * and the GO* architecture levels, GOEXPERIMENT, GOTOOLCHAIN, CGO_ENABLED,
 * CC, CXX and GOENV (the environment, `go env -w` and the defaults alike),
 * and the files go reads settings from: the GOENV file and GOROOT/go.env,
 * by length and hash (so the CGO_* flags `go env -w` set count without
 * asking `go env` for them, which costs it a C compiler set-up):
 * "NAME=VALUE" lines appended to `env`, the version ("go1.26.8") to
 * `version`.  Errors as go_version().
 */
int go_env_key(struct strbuf *version, struct strbuf *env, const struct build_opts *opts);

/*
 * go_env_key() in two halves around other work (the repository's, while
 * `go env` runs): go_env_start() starts it, go_env_finish() collects it
 * (and reports a failed start then).  finish is called once for every
 * start (or go_env_abandon), whatever happened in between; finish without
 * a start runs go_env_key().  A query that succeeded keeps its answer: a
 * second finish gives it again without another `go env` (a review that
 * starts again in a checkout); go_env_abandon() frees it.
 */
#define GO_ENV_VARS_NR 17
struct go_env_query {
	struct child_process cp;
	const char *argv[GO_ENV_VARS_NR + 3];
	int started;          /* 1: running; -1: the start failed (ret, msg) */
	int done;             /* `out` holds a successful answer */
	struct strbuf out;
	int ret;
	int spawn_errno;
	char *msg;
	/* the memory (go_env_take): 0 none; 1 `key` made before the start;
	 * 2 the answer is the remembered one */
	int memo;
	struct strbuf key;
	char *go_real;        /* the go command run, resolved (memo 1 and 2) */
};
void go_env_start(struct go_env_query *q, const struct build_opts *opts);
/*
 * A remembered answer instead of a `go env` run, when nothing it depends
 * on changed.  `raw` and `key` are what go_env_answer() and go_env_memo()
 * gave a run before (NULL: none).  The key names the go command run
 * (resolved on PATH, by path, inode, size and times), which must be its
 * GOROOT's bin/go, not a wrapper or a version manager's shim, nor a
 * toolchain the go command switched to; GOROOT/go.env and the GOENV file
 * by length and hash; every GO* and CGO_* variable, CC, CXX, PATH, HOME
 * and XDG_CONFIG_HOME; the directory it runs in, and the go.work and
 * go.mod above it (which choose a toolchain); and the C compilers PATH
 * finds (which decide CGO_ENABLED's default).  1 when the answer is taken
 * (go_env_finish() gives it, nothing runs); else the query is started as
 * go_env_start() starts it, and 0.
 */
int go_env_take(struct go_env_query *q, const struct build_opts *opts, const char *raw,
		const char *key);
/*
 * What a later go_env_take() may compare with, after a finish that ran
 * `go env`: the key made before it ran, when it is the same after it and
 * the answer's GOROOT holds the go command run; else NULL (such an answer
 * is remembered only as a guess: base_cache_recall_env).
 */
const char *go_env_memo(const struct go_env_query *q);
int go_env_finish(struct go_env_query *q, struct strbuf *version, struct strbuf *env,
		  const struct build_opts *opts);
/* The raw output of a query that succeeded (what go_env_finish() read
 * its answer from), or NULL. */
const char *go_env_answer(const struct go_env_query *q);
/* go_env_finish()'s answer from such an output, read again (a remembered
 * one: base_cache_recall_env); its errors as go_env_finish()'s. */
int go_env_parse(struct strbuf *version, struct strbuf *env, const char *raw,
		 const struct build_opts *opts);
/* Stop a started query that is no longer needed (an error came first, or
 * nothing is built after all: child_capture_abort()), and free what it
 * kept; no message set. */
void go_env_abandon(struct go_env_query *q);

/*
 * What the go command leaves out of a build for its build constraints (a
 * _GOOS or _GOARCH file name, a //go:build line, cgo turned off), asked
 * with `go list -e` (its build flags, the environment) in the checkout at
 * `root` for the packages of those of `files` (repository-relative .go
 * paths) that packages_file_constraint() names: with none, nothing runs.
 * One go list per module.  `memo` (NULL: none) is a file (its directory
 * made when it is written) that keeps the answer under `key`, which must
 * name everything it depends on (a committed tree, the go environment,
 * the flags): a later call with the same key reads it instead of running
 * go list.
 */
struct unbuilt {
	char *platform;   /* "GOOS/GOARCH" as go list said, NULL when nothing was asked */
	char **files;     /* of `files`, the ones left out */
	size_t files_nr, files_alloc;
	char **dirs;      /* their package directories with no file built ("." the root) */
	size_t dirs_nr, dirs_alloc;
};
#define UNBUILT_INIT { NULL, NULL, 0, 0, NULL, 0, 0 }
int packages_unbuilt(struct unbuilt *out, const char *root, const struct pkgset *set,
		     const char *const *files, size_t nr, const struct build_opts *opts,
		     const char *memo, const char *key);
/* 1 when `dir` (repository-relative, "." the root) is one of u->dirs. */
int unbuilt_has_dir(const struct unbuilt *u, const char *dir);
void unbuilt_release(struct unbuilt *u);
/*
 * gosrc_build_constraint() of the file `path` (repository-relative) in
 * the checkout at `root`, from its first 64 KiB (the header is what
 * counts); 0 when it cannot be read.  `why` may be NULL.
 */
int packages_file_constraint(struct strbuf *why, const char *root, const char *path);
/* The module path of the go.mod in `moddir` (repository-relative, "" the
 * root) of the checkout at `root` into `out`: 0, or -1 when there is none. */
int packages_module_path(struct strbuf *out, const char *root, const char *moddir);

/*
 * What the analysis cache's key (a revision's tree) cannot see: 1 with
 * `why` naming it when a module of `set` in the checkout at `root` has a
 * go.mod `replace` with a directory outside `root`, or the go command
 * would use a go.work (GOWORK, or one found above the module) that is
 * outside `root` or uses or replaces with a directory outside it; else 0.
 */
int pkgset_outside_root(struct strbuf *why, const char *root, const struct pkgset *set);

#endif
