/*
 * config.c: reading and validating .escape-review.json (config.h), the
 * exclude filter, and describing the effective settings with their
 * sources.  Strict by design: an unknown key or a wrong type is an error.
 */
#include "config.h"
#include "repo.h"
#include "errors.h"
#include "review.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_FLOW 12
#define MAX_FLOW_LIMIT 100000

static const char *const key_names[CONFIG_KEY__COUNT] = {
	"fail_on", "hook.fail_on", "hook.on_error", "mode", "scope", "exclude", "build_flags",
	"gcflags", "max_flow", "rules", "template_dir", "github.api_url", "gitlab.api_url",
};

static const char severities[] = "none|info|warning|error";
static const char modes[] = "added|context|file|all|new";
static const char scopes[] = "dependents|changed";
static const char rule_levels[] = "error|warning|info|off";
static const char on_errors[] = "allow|block";

const char *config_key_name(enum config_key k)
{
	return (unsigned)k < CONFIG_KEY__COUNT ? key_names[k] : "?";
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->fail_on = SEVERITY_ERROR;
	c->hook_fail_on = SEVERITY_WARNING;
	c->mode = MODE_DEFAULT;
	c->max_flow = DEFAULT_MAX_FLOW;
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
	size_t i;

	if (prefix) {
		strbuf_addstr(out, prefix);
		strbuf_addch(out, '.');
	}
	for (i = 0; key[i] && i < 64; i++)
		strbuf_addch(out, (unsigned char)key[i] < 0x20 || key[i] == 0x7f ? '?' : key[i]);
	if (key[i])
		strbuf_addstr(out, "...");
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

/* The index of `s` in the '|'-separated `choices`, or -1. */
static int choice_index(const char *choices, const char *s)
{
	const char *p = choices;
	size_t n = strlen(s);
	int i = 0;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && !strncmp(p, s, n))
			return i;
		if (!bar)
			return -1;
		p = bar + 1;
		i++;
	}
}

static int get_choice(int *out, const char *name, const char *prefix, const cJSON *item,
		      const char *choices)
{
	struct strbuf exp = STRBUF_INIT;
	int i = cJSON_IsString(item) ? choice_index(choices, item->valuestring) : -1;

	if (i >= 0) {
		*out = i;
		return 0;
	}
	strbuf_addf(&exp, "one of %s", choices);
	i = type_error(name, prefix, item, exp.buf);
	strbuf_release(&exp);
	return i;
}

static int get_string(char **out, const char *name, const char *prefix, const cJSON *item)
{
	if (!cJSON_IsString(item))
		return type_error(name, prefix, item, "a string");
	free(*out);
	*out = xstrdup(item->valuestring);
	return 0;
}

/* Reject a key given twice in one object (cJSON keeps both). */
static int check_duplicates(const char *name, const char *prefix, const cJSON *obj)
{
	const cJSON *a, *b;

	for (a = obj->child; a; a = a->next)
		for (b = a->next; b; b = b->next)
			if (a->string && b->string && !strcmp(a->string, b->string))
				return key_error(name, prefix, a->string, "given twice");
	return 0;
}

static int parse_section(struct config *c, const char *name, const cJSON *obj,
			 const char *section)
{
	const cJSON *item;
	int ret;

	if (!cJSON_IsObject(obj))
		return type_error(name, NULL, obj, "an object");
	if ((ret = check_duplicates(name, section, obj)))
		return ret;
	for (item = obj->child; item; item = item->next) {
		const char *k = item->string;

		if (!strcmp(section, "hook") && !strcmp(k, "fail_on")) {
			if ((ret = get_choice(&c->hook_fail_on, name, section, item, severities)))
				return ret;
			c->source[CONFIG_HOOK_FAIL_ON] = CONFIG_SRC_FILE;
		} else if (!strcmp(section, "hook") && !strcmp(k, "on_error")) {
			if ((ret = get_choice(&c->hook_block_on_error, name, section, item, on_errors)))
				return ret;
			c->source[CONFIG_HOOK_ON_ERROR] = CONFIG_SRC_FILE;
		} else if (strcmp(section, "hook") && !strcmp(k, "api_url")) {
			int github = !strcmp(section, "github");

			if ((ret = get_string(github ? &c->github_api_url : &c->gitlab_api_url,
					      name, section, item)))
				return ret;
			if (!starts_with(item->valuestring, "https://") &&
			    !starts_with(item->valuestring, "http://"))
				return type_error(name, section, item, "an http:// or https:// URL");
			c->source[github ? CONFIG_GITHUB_API_URL : CONFIG_GITLAB_API_URL] =
				CONFIG_SRC_FILE;
		} else {
			return key_error(name, section, k, "unknown key; %s knows %s", section,
					 !strcmp(section, "hook") ? "fail_on, on_error" : "api_url");
		}
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
	if ((ret = check_duplicates(name, "rules", obj)))
		return ret;
	for (item = obj->child; item; item = item->next) {
		int level;

		if (!checklist_find(item->string))
			return key_error(name, "rules", item->string,
					 "no such rule (`escape-review rules` lists them)");
		if ((ret = get_choice(&level, name, "rules", item, rule_levels)))
			return ret;
		/* error|warning|info|off -> severity or disabled */
		if (level == 3)
			checklist_policy_set(&c->policy, item->string, -1, 1);
		else
			checklist_policy_set(&c->policy, item->string, SEVERITY_ERROR - level, 0);
	}
	c->source[CONFIG_RULES] = CONFIG_SRC_FILE;
	return 0;
}

static int parse_max_flow(struct config *c, const char *name, const cJSON *item)
{
	double d = item->valuedouble;

	if (!cJSON_IsNumber(item) || d < 0 || d > MAX_FLOW_LIMIT || d != (double)(int)d)
		return type_error(name, NULL, item, "a whole number from 0 to 100000");
	c->max_flow = (int)d;
	c->source[CONFIG_MAX_FLOW] = CONFIG_SRC_FILE;
	return 0;
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
	if ((ret = check_duplicates(name, NULL, root)))
		goto out;
	for (item = root->child; item; item = item->next) {
		const char *k = item->string;

		if (!strcmp(k, "$schema")) {
			if (!cJSON_IsString(item))
				ret = type_error(name, NULL, item, "a string");
		} else if (!strcmp(k, "fail_on")) {
			ret = get_choice(&c->fail_on, name, NULL, item, severities);
			c->source[CONFIG_FAIL_ON] = CONFIG_SRC_FILE;
		} else if (!strcmp(k, "mode")) {
			int m;

			ret = get_choice(&m, name, NULL, item, modes);
			if (!ret)
				c->mode = review_mode_parse(item->valuestring);
			c->source[CONFIG_MODE] = CONFIG_SRC_FILE;
		} else if (!strcmp(k, "scope")) {
			ret = get_choice(&c->scope, name, NULL, item, scopes);
			c->source[CONFIG_SCOPE] = CONFIG_SRC_FILE;
		} else if (!strcmp(k, "hook") || !strcmp(k, "github") || !strcmp(k, "gitlab")) {
			ret = parse_section(c, name, item, k);
		} else if (!strcmp(k, "exclude")) {
			ret = parse_exclude(c, name, item);
		} else if (!strcmp(k, "build_flags")) {
			ret = get_string(&c->build_flags, name, NULL, item);
			c->source[CONFIG_BUILD_FLAGS] = CONFIG_SRC_FILE;
		} else if (!strcmp(k, "gcflags")) {
			ret = get_string(&c->gcflags, name, NULL, item);
			c->source[CONFIG_GCFLAGS] = CONFIG_SRC_FILE;
		} else if (!strcmp(k, "max_flow")) {
			ret = parse_max_flow(c, name, item);
		} else if (!strcmp(k, "rules")) {
			ret = parse_rules(c, name, item);
		} else if (!strcmp(k, "template_dir")) {
			ret = get_string(&c->template_dir, name, NULL, item);
			c->source[CONFIG_TEMPLATE_DIR] = CONFIG_SRC_FILE;
		} else {
			ret = key_error(name, NULL, k,
					"unknown key; known keys are fail_on, hook, mode, scope, exclude, build_flags, gcflags, max_flow, rules, template_dir, github, gitlab");
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
	int v;

	switch (k) {
	case CONFIG_FAIL_ON:
	case CONFIG_HOOK_FAIL_ON:
		if ((v = choice_index(severities, value)) < 0)
			goto bad_choice;
		*(k == CONFIG_FAIL_ON ? &c->fail_on : &c->hook_fail_on) = v;
		break;
	case CONFIG_HOOK_ON_ERROR:
		if ((v = choice_index(on_errors, value)) < 0)
			goto bad_choice;
		c->hook_block_on_error = v;
		break;
	case CONFIG_MODE:
		if ((v = review_mode_parse(value)) < 0)
			goto bad_choice;
		c->mode = v;
		break;
	case CONFIG_SCOPE:
		if ((v = choice_index(scopes, value)) < 0)
			goto bad_choice;
		c->scope = v;
		break;
	case CONFIG_MAX_FLOW: {
		char *end;
		long n = strtol(value, &end, 10);

		if (!*value || *end || n < 0 || n > MAX_FLOW_LIMIT)
			return error_set(ER_EUSAGE, "%s takes a number from 0 to 100000, not '%s'",
					 flag, value);
		c->max_flow = (int)n;
		break;
	}
	case CONFIG_BUILD_FLAGS:
		free(c->build_flags);
		c->build_flags = xstrdup(value);
		break;
	case CONFIG_GCFLAGS:
		free(c->gcflags);
		c->gcflags = xstrdup(value);
		break;
	case CONFIG_TEMPLATE_DIR:
		free(c->template_dir);
		c->template_dir = xstrdup(value);
		break;
	default:
		return error_set(ER_EUSAGE, "%s cannot be set on the command line", flag);
	}
	c->source[k] = CONFIG_SRC_CLI;
	return 0;
bad_choice:
	return error_set(ER_EUSAGE, "unknown %s '%s' (%s)", flag, value,
			 k == CONFIG_MODE ? modes : k == CONFIG_SCOPE ? scopes :
			 k == CONFIG_HOOK_ON_ERROR ? on_errors : severities);
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
	case CONFIG_HOOK_ON_ERROR: strbuf_addstr(out, c->hook_block_on_error ? "block" : "allow"); break;
	case CONFIG_MODE: strbuf_addstr(out, review_mode_name(c->mode)); break;
	case CONFIG_SCOPE: strbuf_addstr(out, c->scope ? "changed" : "dependents"); break;
	case CONFIG_MAX_FLOW: strbuf_addf(out, "%d", c->max_flow); break;
	case CONFIG_BUILD_FLAGS: strbuf_addstr(out, c->build_flags ? c->build_flags : ""); break;
	case CONFIG_GCFLAGS: strbuf_addstr(out, c->gcflags ? c->gcflags : ""); break;
	case CONFIG_TEMPLATE_DIR: strbuf_addstr(out, c->template_dir ? c->template_dir : ""); break;
	case CONFIG_GITHUB_API_URL: strbuf_addstr(out, c->github_api_url ? c->github_api_url : ""); break;
	case CONFIG_GITLAB_API_URL: strbuf_addstr(out, c->gitlab_api_url ? c->gitlab_api_url : ""); break;
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
		strbuf_addf(out, "%-15s %-24s (%s)\n", key_names[k], v.len ? v.buf : "-",
			    source_name(c, (enum config_key)k));
	}
	strbuf_release(&v);
}

cJSON *config_describe_json(const struct config *c)
{
	cJSON *doc = cJSON_CreateObject(), *settings = cJSON_CreateObject();
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
		cJSON_AddItemToObject(settings, key_names[k], o);
	}
	cJSON_AddItemToObject(doc, "settings", settings);
	strbuf_release(&v);
	return doc;
}
