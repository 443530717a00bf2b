/*
 * config.c: reading and validating .escape-review.json (config.h), the
 * exclude filter, and describing the effective settings with their
 * sources.  Strict by design: an unknown key or a wrong type is an error.
 */
#include "config.h"
#include "profile.h"
#include "repo.h"
#include "errors.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_MAX_FLOW 12
#define MAX_FLOW_LIMIT 100000

/* Every spelling of a setting's values is here, once. */
static const char *const mode_names[] = { "default", "added", "context", "file", "all", "new" };
static const char *const scope_names[] = { "dependents", "changed" };
static const char *const on_error_names[] = { "allow", "block" };
static const char *const rule_level_names[] = { "error", "warning", "info", "off" };

static int name_index(const char *const *names, size_t nr, size_t from, const char *s)
{
	size_t i;

	for (i = from; s && i < nr; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

/* "one of a|b|c" from names[from..nr) */
static void want_one_of(struct strbuf *want, const char *const *names, size_t nr, size_t from)
{
	size_t i;

	strbuf_addstr(want, "one of ");
	for (i = from; i < nr; i++)
		strbuf_addf(want, "%s%s", i > from ? "|" : "", names[i]);
}

int config_mode_parse(const char *s)
{
	return name_index(mode_names, ARRAY_SIZE(mode_names), MODE_ADDED, s);
}

const char *config_mode_name(enum review_mode m)
{
	return (unsigned)m < ARRAY_SIZE(mode_names) ? mode_names[m] : "?";
}

int config_scope_parse(const char *s)
{
	return name_index(scope_names, ARRAY_SIZE(scope_names), 0, s);
}

const char *config_scope_name(enum review_scope s)
{
	return (unsigned)s < ARRAY_SIZE(scope_names) ? scope_names[s] : "?";
}

/*
 * The setters: one per key, shared by the file and the command line.  Each
 * takes the value as text and returns 0, or -1 with what it expected in
 * `want` ("one of none|info|warning|error"); a NULL value (the file gave
 * another JSON type) only describes what is expected.
 */
static int set_severity(enum severity *out, const char *v, struct strbuf *want)
{
	int i = v ? severity_parse(v) : -1, k;

	if (i >= 0) {
		*out = (enum severity)i;
		return 0;
	}
	strbuf_addstr(want, "one of ");
	for (k = SEVERITY_NONE; k <= SEVERITY_ERROR; k++)
		strbuf_addf(want, "%s%s", k ? "|" : "", severity_name((enum severity)k));
	return -1;
}

static int set_fail_on(struct config *c, const char *v, struct strbuf *want)
{
	return set_severity(&c->fail_on, v, want);
}

static int set_hook_fail_on(struct config *c, const char *v, struct strbuf *want)
{
	return set_severity(&c->hook_fail_on, v, want);
}

static int set_on_error(struct config *c, const char *v, struct strbuf *want)
{
	int i = name_index(on_error_names, ARRAY_SIZE(on_error_names), 0, v);

	if (i < 0) {
		want_one_of(want, on_error_names, ARRAY_SIZE(on_error_names), 0);
		return -1;
	}
	c->hook_block_on_error = i;
	return 0;
}

static int set_mode(struct config *c, const char *v, struct strbuf *want)
{
	int i = v ? config_mode_parse(v) : -1;

	if (i < 0) {
		want_one_of(want, mode_names, ARRAY_SIZE(mode_names), MODE_ADDED);
		return -1;
	}
	c->mode = (enum review_mode)i;
	return 0;
}

static int set_scope(struct config *c, const char *v, struct strbuf *want)
{
	int i = v ? config_scope_parse(v) : -1;

	if (i < 0) {
		want_one_of(want, scope_names, ARRAY_SIZE(scope_names), 0);
		return -1;
	}
	c->scope = (enum review_scope)i;
	return 0;
}

static int set_max_flow(struct config *c, const char *v, struct strbuf *want)
{
	char *end = NULL;
	long n = v && *v ? strtol(v, &end, 10) : -1;

	if (!v || !*v || *end || n < 0 || n > MAX_FLOW_LIMIT) {
		strbuf_addf(want, "a whole number from 0 to %d", MAX_FLOW_LIMIT);
		return -1;
	}
	c->max_flow = (int)n;
	return 0;
}

static int set_string(char **out, const char *v, struct strbuf *want)
{
	if (!v) {
		strbuf_addstr(want, "a string");
		return -1;
	}
	free(*out);
	*out = xstrdup(v);
	return 0;
}

static int set_build_flags(struct config *c, const char *v, struct strbuf *want)
{
	return set_string(&c->build_flags, v, want);
}

static int set_gcflags(struct config *c, const char *v, struct strbuf *want)
{
	return set_string(&c->gcflags, v, want);
}

static int set_template_dir(struct config *c, const char *v, struct strbuf *want)
{
	return set_string(&c->template_dir, v, want);
}

static int set_url(char **out, const char *v, struct strbuf *want)
{
	if (!v)
		return set_string(out, v, want);
	if (!starts_with(v, "https://") && !starts_with(v, "http://")) {
		strbuf_addstr(want, "an http:// or https:// URL");
		return -1;
	}
	return set_string(out, v, want);
}

static int set_github_url(struct config *c, const char *v, struct strbuf *want)
{
	return set_url(&c->github_api_url, v, want);
}

static int set_gitlab_url(struct config *c, const char *v, struct strbuf *want)
{
	return set_url(&c->gitlab_api_url, v, want);
}

static int set_hot_share(struct config *c, const char *v, struct strbuf *want)
{
	double share = v ? profile_parse_share(v) : -1;

	if (share < 0) {
		strbuf_addstr(want, "a share of the profile above 0 and at most 100%, as \"1%\" or \"0.01\"");
		return -1;
	}
	c->hot_share = share;
	return 0;
}

/* The settings, indexed by enum config_key; exclude and rules are lists
 * (parse_exclude, parse_rules), not values one option sets. */
static const struct setting {
	const char *name;
	int (*set)(struct config *c, const char *v, struct strbuf *want);
	int numeric; /* the file gives a JSON number */
} settings[CONFIG_KEY__COUNT] = {
	[CONFIG_FAIL_ON] = { "fail_on", set_fail_on, 0 },
	[CONFIG_HOOK_FAIL_ON] = { "hook.fail_on", set_hook_fail_on, 0 },
	[CONFIG_HOOK_ON_ERROR] = { "hook.on_error", set_on_error, 0 },
	[CONFIG_MODE] = { "mode", set_mode, 0 },
	[CONFIG_SCOPE] = { "scope", set_scope, 0 },
	[CONFIG_EXCLUDE] = { "exclude", NULL, 0 },
	[CONFIG_BUILD_FLAGS] = { "build_flags", set_build_flags, 0 },
	[CONFIG_GCFLAGS] = { "gcflags", set_gcflags, 0 },
	[CONFIG_MAX_FLOW] = { "max_flow", set_max_flow, 1 },
	[CONFIG_RULES] = { "rules", NULL, 0 },
	[CONFIG_TEMPLATE_DIR] = { "template_dir", set_template_dir, 0 },
	[CONFIG_GITHUB_API_URL] = { "github.api_url", set_github_url, 0 },
	[CONFIG_GITLAB_API_URL] = { "gitlab.api_url", set_gitlab_url, 0 },
	[CONFIG_PROFILE_HOT_SHARE] = { "profile.hot_share", set_hot_share, 0 },
};

const char *config_key_name(enum config_key k)
{
	return (unsigned)k < CONFIG_KEY__COUNT ? settings[k].name : "?";
}

/* The key called `name` ("hook.fail_on") with a setter, or -1. */
static int setting_find(const char *prefix, const char *key)
{
	size_t i, pl = prefix ? strlen(prefix) : 0;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		const char *n = settings[i].name;

		if (!settings[i].set)
			continue;
		if (prefix && (strncmp(n, prefix, pl) || n[pl] != '.'))
			continue;
		if (!strcmp(prefix ? n + pl + 1 : n, key) && (prefix || !strchr(n, '.')))
			return (int)i;
	}
	return -1;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->fail_on = SEVERITY_ERROR;
	c->hook_fail_on = SEVERITY_WARNING;
	c->mode = MODE_DEFAULT;
	c->max_flow = DEFAULT_MAX_FLOW;
	c->hot_share = PROFILE_HOT_SHARE;
}

void config_release(struct config *c)
{
	size_t i;

	free(c->path);
	free(c->name);
	for (i = 0; i < c->exclude_nr; i++)
		free(c->exclude[i]);
	free(c->exclude);
	free(c->build_flags);
	free(c->gcflags);
	checklist_policy_release(&c->policy);
	free(c->template_dir);
	free(c->github_api_url);
	free(c->gitlab_api_url);
	config_init(c);
}

/* A JSON value as it appears in the file, for "got ..." (short, one line). */
static void describe_value(struct strbuf *out, const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);
	size_t n = s ? strlen(s) : 0;

	if (!s) {
		strbuf_addstr(out, "?");
		return;
	}
	if (n > 60) {
		strbuf_add(out, s, 57);
		strbuf_addstr(out, "...");
	} else {
		strbuf_add(out, s, n);
	}
	free(s);
}

/* A key from the file, printable: control bytes become '?', long keys cut. */
static void add_key(struct strbuf *out, const char *prefix, const char *key)
{
	if (prefix) {
		strbuf_addstr(out, prefix);
		strbuf_addch(out, '.');
	}
	strbuf_add_printable(out, key, 64);
}

__attribute__((format(printf, 4, 5)))
static int key_error(const char *name, const char *prefix, const char *key, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	int ret;

	strbuf_addf(&msg, "%s: key \"", name);
	add_key(&msg, prefix, key);
	strbuf_addstr(&msg, "\": ");
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ret = error_set(ER_ECONFIG, "%s", msg.buf);
	strbuf_release(&msg);
	return ret;
}

static int type_error(const char *name, const char *prefix, const cJSON *item,
		      const char *expected)
{
	struct strbuf got = STRBUF_INIT;
	int ret;

	describe_value(&got, item);
	ret = key_error(name, prefix, item->string, "expected %s, got %s", expected, got.buf);
	strbuf_release(&got);
	return ret;
}

/*
 * Set key `k` from the file's `item` (in section `prefix`, or NULL) through
 * the key's setter; a wrong value or type is one ER_ECONFIG message.
 */
static int set_from_file(struct config *c, const char *name, const char *prefix,
			 const cJSON *item, enum config_key k)
{
	const struct setting *st = &settings[k];
	struct strbuf want = STRBUF_INIT, num = STRBUF_INIT;
	const char *v = NULL;
	int ret = 0;

	if (st->numeric && cJSON_IsNumber(item) && item->valuedouble > -1e9 &&
	    item->valuedouble < 1e9 && item->valuedouble == (double)(long)item->valuedouble) {
		strbuf_addf(&num, "%ld", (long)item->valuedouble);
		v = num.buf;
	} else if (!st->numeric && cJSON_IsString(item)) {
		v = item->valuestring;
	}
	if (st->set(c, v, &want) < 0)
		ret = type_error(name, prefix, item, want.buf);
	else
		c->source[k] = CONFIG_SRC_FILE;
	strbuf_release(&want);
	strbuf_release(&num);
	return ret;
}

/* Reject a key given twice in one object (cJSON keeps both). */
/* A key given twice in `obj` (`nocase`: in any case, as rule ids are). */
static int check_duplicates(const char *name, const char *prefix, const cJSON *obj, int nocase)
{
	const cJSON *a, *b;

	for (a = obj->child; a; a = a->next)
		for (b = a->next; b; b = b->next)
			if (a->string && b->string &&
			    !(nocase ? strcasecmp(a->string, b->string) : strcmp(a->string, b->string)))
				return key_error(name, prefix, b->string, "given twice");
	return 0;
}

static int parse_section(struct config *c, const char *name, const cJSON *obj,
			 const char *section)
{
	const cJSON *item;
	int ret, k;

	if (!cJSON_IsObject(obj))
		return type_error(name, NULL, obj, "an object");
	if ((ret = check_duplicates(name, section, obj, 0)))
		return ret;
	for (item = obj->child; item; item = item->next) {
		if ((k = setting_find(section, item->string)) < 0)
			return key_error(name, section, item->string, "unknown key; %s knows %s", section,
					 !strcmp(section, "hook") ? "fail_on, on_error" :
					 !strcmp(section, "profile") ? "hot_share" : "api_url");
		if ((ret = set_from_file(c, name, section, item, (enum config_key)k)))
			return ret;
	}
	return 0;
}

static int parse_exclude(struct config *c, const char *name, const cJSON *arr)
{
	const cJSON *item;
	int i = 0;

	if (!cJSON_IsArray(arr))
		return type_error(name, NULL, arr, "an array of glob patterns");
	for (item = arr->child; item; item = item->next, i++) {
		if (!cJSON_IsString(item) || !*item->valuestring) {
			struct strbuf got = STRBUF_INIT, key = STRBUF_INIT;
			int ret;

			describe_value(&got, item);
			strbuf_addf(&key, "exclude[%d]", i);
			ret = key_error(name, NULL, key.buf,
					"expected a non-empty string (a glob pattern), got %s", got.buf);
			strbuf_release(&got);
			strbuf_release(&key);
			return ret;
		}
		ALLOC_GROW(c->exclude, c->exclude_nr + 1, c->exclude_alloc);
		c->exclude[c->exclude_nr++] = xstrdup(item->valuestring);
	}
	c->source[CONFIG_EXCLUDE] = CONFIG_SRC_FILE;
	return 0;
}

static int parse_rules(struct config *c, const char *name, const cJSON *obj)
{
	const cJSON *item;
	int ret;

	if (!cJSON_IsObject(obj))
		return type_error(name, NULL, obj, "an object of rule ids (\"ER001\": \"warning\")");
	if ((ret = check_duplicates(name, "rules", obj, 1)))
		return ret;
	for (item = obj->child; item; item = item->next) {
		int level = cJSON_IsString(item) ?
			name_index(rule_level_names, ARRAY_SIZE(rule_level_names), 0, item->valuestring) : -1;

		const struct rule *r = checklist_find_nocase(item->string);

		if (!r)
			return key_error(name, "rules", item->string,
					 "no such rule (`escape-review rules` lists them)");
		if (level < 0) {
			struct strbuf want = STRBUF_INIT;

			want_one_of(&want, rule_level_names, ARRAY_SIZE(rule_level_names), 0);
			ret = type_error(name, "rules", item, want.buf);
			strbuf_release(&want);
			return ret;
		}
		/* error|warning|info|off -> severity or disabled */
		if (!strcmp(rule_level_names[level], "off"))
			checklist_policy_set(&c->policy, r->id, -1, 1);
		else
			checklist_policy_set(&c->policy, r->id, SEVERITY_ERROR - level, 0);
	}
	c->source[CONFIG_RULES] = CONFIG_SRC_FILE;
	return 0;
}

/* Levenshtein distance of two short strings (keys), capped at 99. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65], i, j;

	if (la > 64 || lb > 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* An unknown top-level key: the known ones, and the nearest when it is a likely typo. */
static int unknown_key(const char *name, const char *key)
{
	static const char *const known[] = {
		"fail_on", "hook", "mode", "scope", "exclude", "build_flags", "gcflags", "max_flow", "rules",
		"template_dir", "github", "gitlab", "profile",
	};
	struct strbuf list = STRBUF_INIT;
	const char *near = NULL;
	size_t i, best = 3, len = strlen(key);
	int ret;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		size_t d = edit_distance(key, known[i]);

		strbuf_addf(&list, "%s%s", i ? ", " : "", known[i]);
		if (d < best && d * 3 <= len) {
			best = d;
			near = known[i];
		}
	}
	if (near)
		ret = key_error(name, NULL, key, "unknown key; did you mean \"%s\"? (known keys are %s)",
				near, list.buf);
	else
		ret = key_error(name, NULL, key, "unknown key; known keys are %s", list.buf);
	strbuf_release(&list);
	return ret;
}

/* 1-based line and column of byte `off` in `text`. */
static void position(const char *text, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

static int not_json(const char *text, size_t len, const char *end, const char *name)
{
	size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
	int line, col;

	while (off > 0 && off >= len)
		off--; /* cJSON may point one past the input at an early end */
	position(text, off, &line, &col);
	if (memchr(text, '\0', len))
		return error_set(ER_ECONFIG, "%s: not JSON: the file contains a NUL byte", name);
	return error_set(ER_ECONFIG, "%s: not valid JSON: parsing stopped at line %d, column %d",
			 name, line, col);
}

int config_parse(struct config *c, const char *text, size_t len, const char *name)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	const cJSON *item;
	int ret = 0;

	if (!root || memchr(text, '\0', len)) {
		ret = not_json(text, len, end ? end : cJSON_GetErrorPtr(), name);
		goto out;
	}
	/* only white space may follow the object */
	while (end && end < text + len && strchr(" \t\r\n", *end))
		end++;
	if (end && end < text + len) {
		ret = not_json(text, len, end, name);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		ret = error_set(ER_ECONFIG, "%s: expected a JSON object ({ \"fail_on\": ... }) at the top", name);
		goto out;
	}
	if ((ret = check_duplicates(name, NULL, root, 0)))
		goto out;
	for (item = root->child; item; item = item->next) {
		const char *k = item->string;

		int key = setting_find(NULL, k);

		if (!strcmp(k, "$schema")) {
			if (!cJSON_IsString(item))
				ret = type_error(name, NULL, item, "a string");
		} else if (key >= 0) {
			ret = set_from_file(c, name, NULL, item, (enum config_key)key);
		} else if (!strcmp(k, "hook") || !strcmp(k, "github") || !strcmp(k, "gitlab") ||
			   !strcmp(k, "profile")) {
			ret = parse_section(c, name, item, k);
		} else if (!strcmp(k, "exclude")) {
			ret = parse_exclude(c, name, item);
		} else if (!strcmp(k, "rules")) {
			ret = parse_rules(c, name, item);
		} else {
			ret = unknown_key(name, k);
		}
		if (ret)
			goto out;
	}
out:
	cJSON_Delete(root);
	return ret;
}

int config_read_file(struct config *c, const char *path, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	long n = strbuf_read_file(&sb, path, CONFIG_MAX_BYTES);
	int ret = 0;

	if (n < 0) {
		if (errno != ENOENT)
			ret = error_set(ER_ECONFIG, "%s: cannot read: %s", name, strerror(errno));
		goto out;
	}
	if (n > CONFIG_MAX_BYTES) {
		ret = error_set(ER_ECONFIG, "%s: larger than %d bytes; is it the right file?",
				name, CONFIG_MAX_BYTES);
		goto out;
	}
	free(c->path);
	free(c->name);
	c->path = xstrdup(path);
	c->name = xstrdup(name);
	ret = config_parse(c, sb.buf, sb.len, name);
out:
	strbuf_release(&sb);
	return ret;
}

int config_load_repo(struct config *c)
{
	char *root = repo_workdir_find(".");
	char *path;
	int ret;

	if (!root)
		return 0; /* not in a repository, or a bare one: the defaults */
	path = path_join(root, CONFIG_FILE_NAME);
	ret = config_read_file(c, path, CONFIG_FILE_NAME);
	free(path);
	free(root);
	return ret;
}

int config_set(struct config *c, enum config_key k, const char *value, const char *flag)
{
	struct strbuf want = STRBUF_INIT;
	const char *list;
	int ret = 0;

	if ((unsigned)k >= CONFIG_KEY__COUNT || !settings[k].set)
		return error_set(ER_EUSAGE, "%s cannot be set on the command line", flag);
	if (settings[k].set(c, value, &want) < 0) {
		if (skip_prefix(want.buf, "one of ", &list))
			ret = error_set(ER_EUSAGE, "unknown %s '%s' (%s)", flag, value, list);
		else if (skip_prefix(want.buf, "a whole ", &list))
			ret = error_set(ER_EUSAGE, "%s takes a %s, not '%s'", flag, list, value);
		else
			ret = error_set(ER_EUSAGE, "%s takes %s, not '%s'", flag, want.buf, value);
	} else {
		c->source[k] = CONFIG_SRC_CLI;
	}
	strbuf_release(&want);
	return ret;
}

static int pattern_matches(const char *pat, const char *path)
{
	struct strbuf prefix = STRBUF_INIT;
	const char *p;
	int hit = 0;

	while (*pat == '/')
		pat++;
	if (!*pat)
		return 0;
	if (!strchr(pat, '/')) {
		/* any one component */
		for (p = path; *p && !hit; ) {
			const char *slash = strchr(p, '/');
			size_t n = slash ? (size_t)(slash - p) : strlen(p);

			strbuf_reset(&prefix);
			strbuf_add(&prefix, p, n);
			hit = !fnmatch(pat, prefix.buf, FNM_PATHNAME);
			p += n + (slash ? 1 : 0);
		}
	} else {
		/* the path or a directory above it */
		for (p = path; !hit; ) {
			const char *slash = strchr(p, '/');

			strbuf_reset(&prefix);
			strbuf_add(&prefix, path, slash ? (size_t)(slash - path) : strlen(path));
			hit = !fnmatch(pat, prefix.buf, FNM_PATHNAME);
			if (!slash)
				break;
			p = slash + 1;
		}
	}
	strbuf_release(&prefix);
	return hit;
}

int config_excluded(const struct config *c, const char *path)
{
	size_t i;

	if (!path)
		return 0;
	for (i = 0; i < c->exclude_nr; i++)
		if (pattern_matches(c->exclude[i], path))
			return 1;
	return 0;
}

size_t config_filter(const struct config *c, struct finding_list *l)
{
	size_t i, k = 0, dropped;

	for (i = 0; i < l->nr; i++) {
		if (config_excluded(c, l->items[i]->file)) {
			finding_free(l->items[i]);
			continue;
		}
		l->items[k++] = l->items[i];
	}
	dropped = l->nr - k;
	l->nr = k;
	return dropped;
}

static const char *source_name(const struct config *c, enum config_key k)
{
	switch (c->source[k]) {
	case CONFIG_SRC_FILE: return c->path ? c->path : "file";
	case CONFIG_SRC_CLI: return "command line";
	default: return "default";
	}
}

static const char *rule_level(const struct rule_override *o)
{
	return o->disabled ? "off" : severity_name((enum severity)o->severity);
}

/* The value as text; NULL strings are "" (unset). */
static void value_text(struct strbuf *out, const struct config *c, enum config_key k)
{
	size_t i;

	switch (k) {
	case CONFIG_FAIL_ON: strbuf_addstr(out, severity_name(c->fail_on)); break;
	case CONFIG_HOOK_FAIL_ON: strbuf_addstr(out, severity_name(c->hook_fail_on)); break;
	case CONFIG_HOOK_ON_ERROR: strbuf_addstr(out, on_error_names[c->hook_block_on_error ? 1 : 0]); break;
	case CONFIG_MODE: strbuf_addstr(out, config_mode_name(c->mode)); break;
	case CONFIG_SCOPE: strbuf_addstr(out, config_scope_name(c->scope)); break;
	case CONFIG_MAX_FLOW: strbuf_addf(out, "%d", c->max_flow); break;
	case CONFIG_BUILD_FLAGS: strbuf_addstr(out, c->build_flags ? c->build_flags : ""); break;
	case CONFIG_GCFLAGS: strbuf_addstr(out, c->gcflags ? c->gcflags : ""); break;
	case CONFIG_TEMPLATE_DIR: strbuf_addstr(out, c->template_dir ? c->template_dir : ""); break;
	case CONFIG_GITHUB_API_URL: strbuf_addstr(out, c->github_api_url ? c->github_api_url : ""); break;
	case CONFIG_GITLAB_API_URL: strbuf_addstr(out, c->gitlab_api_url ? c->gitlab_api_url : ""); break;
	case CONFIG_PROFILE_HOT_SHARE: strbuf_addf(out, "%g%%", c->hot_share * 100); break;
	case CONFIG_EXCLUDE:
		for (i = 0; i < c->exclude_nr; i++)
			strbuf_addf(out, "%s%s", i ? " " : "", c->exclude[i]);
		break;
	case CONFIG_RULES:
		for (i = 0; i < c->policy.nr; i++)
			strbuf_addf(out, "%s%s=%s", i ? " " : "", c->policy.items[i].id,
				    rule_level(&c->policy.items[i]));
		break;
	default: break;
	}
}

void config_describe_text(struct strbuf *out, const struct config *c)
{
	struct strbuf v = STRBUF_INIT;
	int k;

	strbuf_addf(out, "# configuration file: %s\n",
		    c->path ? c->path : "none (" CONFIG_FILE_NAME " at the repository root)");
	for (k = 0; k < CONFIG_KEY__COUNT; k++) {
		strbuf_reset(&v);
		value_text(&v, c, (enum config_key)k);
		strbuf_addf(out, "%-15s %-24s (%s)\n", settings[k].name, v.len ? v.buf : "-",
			    source_name(c, (enum config_key)k));
	}
	strbuf_release(&v);
}

cJSON *config_describe_json(const struct config *c)
{
	cJSON *doc = cJSON_CreateObject(), *all = cJSON_CreateObject();
	struct strbuf v = STRBUF_INIT;
	size_t i;
	int k;

	if (c->path)
		cJSON_AddStringToObject(doc, "file", c->path);
	else
		cJSON_AddNullToObject(doc, "file");
	for (k = 0; k < CONFIG_KEY__COUNT; k++) {
		cJSON *o = cJSON_CreateObject(), *val;

		switch (k) {
		case CONFIG_MAX_FLOW:
			val = cJSON_CreateNumber(c->max_flow);
			break;
		case CONFIG_EXCLUDE:
			val = cJSON_CreateArray();
			for (i = 0; i < c->exclude_nr; i++)
				cJSON_AddItemToArray(val, cJSON_CreateString(c->exclude[i]));
			break;
		case CONFIG_RULES:
			val = cJSON_CreateObject();
			for (i = 0; i < c->policy.nr; i++)
				cJSON_AddStringToObject(val, c->policy.items[i].id,
							rule_level(&c->policy.items[i]));
			break;
		default:
			strbuf_reset(&v);
			value_text(&v, c, (enum config_key)k);
			val = v.len ? cJSON_CreateString(v.buf) : cJSON_CreateNull();
			break;
		}
		cJSON_AddItemToObject(o, "value", val);
		cJSON_AddStringToObject(o, "source", source_name(c, (enum config_key)k));
		cJSON_AddItemToObject(all, settings[k].name, o);
	}
	cJSON_AddItemToObject(doc, "settings", all);
	strbuf_release(&v);
	return doc;
}
