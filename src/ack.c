/*
 * ack.c: `//escape:ok <reason>` markers in the Go source (ack.h): the
 * line's first comment (found by gosrc.h's lexer), the optional rule list,
 * and marking the findings they accept.
 */
#include "ack.h"
#include "gosrc.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MARKER "escape:ok"

static int is_rule_list(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t digits = 0;

		if (n - i < 3 || s[i] != 'E' || s[i + 1] != 'R')
			return 0;
		for (i += 2; i < n && isdigit((unsigned char)s[i]); i++)
			digits++;
		if (!digits)
			return 0;
		if (i == n)
			return 1;
		if (s[i] != ',')
			return 0;
		i++;
	}
	return 0;
}

enum ack_kind ack_parse_line(struct ack *out, const char *line, int alone)
{
	return ack_parse_text(out, line, GOLEX_CODE, alone);
}

enum ack_kind ack_parse_text(struct ack *out, const char *line, enum golex_state start, int alone)
{
	const char *c, *p, *tok;
	size_t n;
	long at;
	int only;

	ack_release(out);
	if (!line)
		return ACK_NONE;
	at = gosrc_line_comment(line, strlen(line), start, &only);
	if (at < 0)
		return ACK_NONE;
	c = line + at;
	if (strncmp(c, MARKER, strlen(MARKER)) || (alone && !only))
		return ACK_NONE;
	p = c + strlen(MARKER);
	if (*p && !isspace((unsigned char)*p))
		return ACK_NONE; /* "//escape:okay" is another word */
	while (isspace((unsigned char)*p))
		p++;
	tok = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (is_rule_list(tok, (size_t)(p - tok))) {
		out->rules = xstrndup(tok, (size_t)(p - tok));
		while (isspace((unsigned char)*p))
			p++;
	} else {
		p = tok;
	}
	n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if (!n) {
		out->kind = ACK_NO_REASON;
		return out->kind;
	}
	out->reason = xstrndup(p, n);
	out->kind = ACK_OK;
	return out->kind;
}

void ack_release(struct ack *a)
{
	free(a->rules);
	free(a->reason);
	a->kind = ACK_NONE;
	a->rules = a->reason = NULL;
}

int ack_covers(const struct ack *a, const char *rule)
{
	const char *p;
	size_t n;

	if (a->kind != ACK_OK)
		return 0;
	if (!a->rules)
		return 1;
	if (!rule)
		return 0;
	n = strlen(rule);
	for (p = a->rules; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, rule, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/* Has the marker at file:line already been reported? (small lists) */
static int seen_before(char ***seen, size_t *nr, size_t *alloc, const char *file, int line)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;

	strbuf_addf(&key, "%d:%s", line, file);
	for (i = 0; i < *nr; i++) {
		if (!strcmp((*seen)[i], key.buf)) {
			strbuf_release(&key);
			return 1;
		}
	}
	ALLOC_GROW(*seen, *nr + 1, *alloc);
	(*seen)[(*nr)++] = strbuf_detach(&key, NULL);
	return 0;
}

size_t ack_apply(struct finding_list *l, struct strbuf *warnings)
{
	struct ack same = ACK_INIT, above = ACK_INIT;
	char **seen = NULL;
	size_t i, done = 0, seen_nr = 0, seen_alloc = 0;

	for (i = 0; i < l->nr; i++) {
		struct finding *f = l->items[i];
		const struct ack *hit = NULL;

		if ((f->status != STATUS_NEW && f->status != STATUS_EXISTING) || f->contract)
			continue; /* a broken contract is changed in the code, not acknowledged */
		ack_parse_text(&same, f->source, f->source_state, 0);
		ack_parse_text(&above, f->source_above, f->source_above_state, 1);
		if (ack_covers(&same, f->rule))
			hit = &same;
		else if (ack_covers(&above, f->rule))
			hit = &above;
		if (hit) {
			free(f->ack_reason);
			f->ack_reason = xstrdup(hit->reason);
			f->status = STATUS_ACKNOWLEDGED;
			done++;
			continue;
		}
		if (same.kind == ACK_NO_REASON || above.kind == ACK_NO_REASON) {
			int line = same.kind == ACK_NO_REASON ? f->line : f->line - 1;

			if (!seen_before(&seen, &seen_nr, &seen_alloc, f->file ? f->file : "", line))
				strbuf_addf(warnings,
					    "escape-review: %s:%d: //escape:ok needs a reason (//escape:ok <why this allocation is fine>); without one it acknowledges nothing\n",
					    f->file ? f->file : "?", line);
		}
	}
	for (i = 0; i < seen_nr; i++)
		free(seen[i]);
	free(seen);
	ack_release(&same);
	ack_release(&above);
	return done;
}
