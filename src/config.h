#ifndef CONFIG_H
#define CONFIG_H

/*
 * config.h: the repository's configuration, `.escape-review.json` at the
 * root of the work tree (config/schema.json describes it; the default
 * values are in config/escape-review.json).  It owns every setting's name,
 * its validation (one setter per key, used by the file and by the command
 * line's options.c alike) and the exclude patterns.  It must never run a
 * review, print, or include a higher stage's header (review.h, options.h).
 *
 * Precedence: a built-in default, overridden by the file, overridden by
 * the command line.  `struct config` remembers where each value came from
 * (`escape-review config` prints it).
 *
 * Reading is strict: the file is at most CONFIG_MAX_BYTES, must be one
 * JSON object, and every key must be known and of the right type.  Any
 * problem is one ER_ECONFIG message naming the file and the key:
 *   .escape-review.json: key "hook.fail_on": expected one of
 *   none|info|warning|error, got "sometimes"
 * and a file that is not JSON names the line and column where parsing
 * stopped.  No repository, or no file: the defaults, and no error.
 *
 * Exclusion: `exclude` is a list of glob patterns over repository-relative
 * paths ('/' separators), matched with fnmatch(3) and FNM_PATHNAME, so
 * `*`, `?` and `[...]` never match a '/' (there is no `**`).  As in
 * .gitignore:
 *  - a pattern with a '/' is anchored at the root (a leading '/' is
 *    ignored) and matches the path or any directory above it:
 *    "internal/gen" (or "internal/g?n") excludes internal/gen/a/b.go;
 *  - a pattern without '/' matches any one path component, at any depth:
 *    "*_gen.go" excludes pkg/x_gen.go, "testdata" excludes a/testdata/t.go.
 */

#include "checklist.h"
#include "finding.h"
#include <cJSON.h>

/*
 * Which findings a review keeps (the `mode` setting, --mode).  The names
 * are spelled once, in config.c: config_mode_parse() and config_mode_name().
 */
enum review_mode {
	MODE_DEFAULT,   /* new when a base is known, else added */
	MODE_ADDED,     /* findings on lines the change added */
	MODE_CONTEXT,   /* findings inside the change's hunks */
	MODE_FILE,      /* findings in files the change touched */
	MODE_ALL,       /* every finding of the analysed packages */
	MODE_NEW,       /* findings with no partner at the base revision */
};

/* "added" -> MODE_ADDED ... ("default" is not a name one can give); -1 when unknown. */
int config_mode_parse(const char *s);
const char *config_mode_name(enum review_mode m);

/*
 * Which packages a new-mode review covers (the `scope` setting, --scope):
 * dependents (default) also follows changed escape summaries into the
 * packages importing the changed ones (dependents.h); changed: only those.
 */
enum review_scope {
	SCOPE_DEPENDENTS,
	SCOPE_CHANGED,
};

/* "changed" -> SCOPE_CHANGED ...; -1 when unknown. */
int config_scope_parse(const char *s);
const char *config_scope_name(enum review_scope s);

#define CONFIG_FILE_NAME ".escape-review.json"
#define CONFIG_MAX_BYTES (1 << 20)

enum config_source {
	CONFIG_SRC_DEFAULT,
	CONFIG_SRC_FILE,
	CONFIG_SRC_CLI,
};

/* The settings, in the order `escape-review config` lists them. */
enum config_key {
	CONFIG_FAIL_ON,
	CONFIG_HOOK_FAIL_ON,
	CONFIG_HOOK_ON_ERROR,
	CONFIG_MODE,
	CONFIG_SCOPE,
	CONFIG_EXCLUDE,
	CONFIG_BUILD_FLAGS,
	CONFIG_GCFLAGS,
	CONFIG_MAX_FLOW,
	CONFIG_RULES,
	CONFIG_TEMPLATE_DIR,
	CONFIG_GITHUB_API_URL,
	CONFIG_GITLAB_API_URL,
	CONFIG_PROFILE_HOT_SHARE,
	CONFIG_KEY__COUNT
};

struct config {
	char *path;               /* absolute path of the file read, or NULL */
	char *name;               /* the file as messages name it, or NULL */

	enum severity fail_on;      /* default SEVERITY_ERROR */
	enum severity hook_fail_on; /* default SEVERITY_WARNING */
	int hook_block_on_error;  /* hook.on_error: 0 allow (default), 1 block */
	enum review_mode mode;    /* default MODE_DEFAULT */
	enum review_scope scope;  /* default SCOPE_DEPENDENTS */
	char **exclude;           /* glob patterns */
	size_t exclude_nr, exclude_alloc;
	char *build_flags;        /* NULL: none */
	char *gcflags;            /* NULL: none */
	int max_flow;             /* default 12 */
	struct checklist_policy policy;  /* from "rules" */
	char *template_dir;       /* NULL: the installed templates */
	char *github_api_url;     /* NULL: the reporter's default */
	char *gitlab_api_url;     /* NULL: the reporter's default */
	double hot_share;         /* profile.hot_share, 0 to 1; default 0.01 (profile.h) */

	enum config_source source[CONFIG_KEY__COUNT];
};

/* The defaults, every source CONFIG_SRC_DEFAULT. */
void config_init(struct config *c);
/* Free everything; the config holds the defaults again afterwards. */
void config_release(struct config *c);

/* The key's name as written in the file ("hook.fail_on"). */
const char *config_key_name(enum config_key k);

/*
 * Apply the JSON text `text` (`len` bytes) to `c`, as read from the file
 * called `name` in messages.  0, or ER_ECONFIG with the message set; on
 * error `c` may hold part of the file's values.
 */
int config_parse(struct config *c, const char *text, size_t len, const char *name);

/*
 * Read the file `path` (named `name` in messages).  A missing file is not
 * an error (returns 0, `c` unchanged); anything else that stops reading,
 * or a file larger than CONFIG_MAX_BYTES, is ER_ECONFIG.
 */
int config_read_file(struct config *c, const char *path, const char *name);

/*
 * Find the repository containing the current directory (libgit2, no git
 * process) and read CONFIG_FILE_NAME at the root of its work tree.  Not in
 * a repository, or a bare one: 0 with the defaults.
 */
int config_load_repo(struct config *c);

/*
 * Set one value from the command line (source CONFIG_SRC_CLI), validated
 * like the file's: key "fail_on", "hook.fail_on", "hook.on_error", "mode", "scope",
 * "build_flags", "gcflags", "max_flow" or "template_dir".  `flag` names the
 * option in messages ("--fail-on").  0 or ER_EUSAGE.
 */
int config_set(struct config *c, enum config_key k, const char *value, const char *flag);

/* 1 when the repository-relative `path` matches an exclude pattern. */
int config_excluded(const struct config *c, const char *path);
/* Drop (and free) the findings whose file is excluded; returns how many. */
size_t config_filter(const struct config *c, struct finding_list *l);

struct strbuf;

/* One line per setting: "NAME  VALUE  (SOURCE)", SOURCE being "default",
 * the file's path or "command line". */
void config_describe_text(struct strbuf *out, const struct config *c);
/* { "file": PATH|null, "settings": { NAME: {"value": V, "source": S} } } */
cJSON *config_describe_json(const struct config *c);

#endif
