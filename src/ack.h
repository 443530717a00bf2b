#ifndef ACK_H
#define ACK_H

/*
 * ack.h: acknowledgements written in the Go source (it owns reading the
 * //escape:ok marker and marking findings; it must never read a file:
 * locate stored the lines).  A comment
 *
 *	x := build()  //escape:ok pooled; the copy is cheaper than the lock
 *
 * on a finding's line, or alone on the line just above it, accepts that
 * line's findings: they get STATUS_ACKNOWLEDGED and ack_reason, are still
 * listed, and no longer count for --fail-on or the pre-push hook.
 *
 *	//escape:ok ER001,ER005 logged once per request
 *
 * accepts only the findings of those rules (ids separated by commas, no
 * spaces).  The marker is `//escape:ok`, exactly: no space after `//`, and
 * it must start the comment.  A reason is required: a marker without one
 * accepts nothing, and ack_apply() reports it as a warning line naming the
 * file and line (the finding stays as it was).  A broken performance
 * contract (finding.contract, contract.h) is never acknowledged.
 *
 * A `//` counts when it is outside "..." strings, '...' runes, `...` raw
 * strings and block comments (slash-star to star-slash), as gosrc.h's
 * lexer reads them: a line that starts inside a multi-line raw string or
 * block comment (locate records that in finding.source_state and
 * source_above_state) is read from inside it, and such a line is never
 * "alone".  Only the finding's line and the one line above it are looked
 * at (the text locate stored in finding.source and finding.source_above).
 */

#include "finding.h"
#include "gosrc.h"
#include <stddef.h>

enum ack_kind {
	ACK_NONE,       /* no marker */
	ACK_OK,         /* marker with a reason */
	ACK_NO_REASON,  /* marker without a reason: accepts nothing */
};

struct ack {
	enum ack_kind kind;
	char *rules;    /* "ER001,ER005", or NULL: every rule */
	char *reason;   /* trimmed; NULL unless ACK_OK */
};

#define ACK_INIT { ACK_NONE, NULL, NULL }

/*
 * Read the marker in one source line.  With `alone`, the comment must be
 * all the line holds (white space aside), as for the line above a
 * finding.  Returns out->kind.
 */
enum ack_kind ack_parse_line(struct ack *out, const char *line, int alone);
/* The same for a line that starts in lexer state `start` (gosrc.h). */
enum ack_kind ack_parse_text(struct ack *out, const char *line, enum golex_state start,
			     int alone);
void ack_release(struct ack *a);
/* 1 when the ack (ACK_OK) accepts findings of `rule`. */
int ack_covers(const struct ack *a, const char *rule);

struct strbuf;

/*
 * Acknowledge the new and existing findings of `l` that a marker accepts.
 * A marker without a reason next to a finding adds one line to `warnings`
 * (once per marker):
 *   escape-review: FILE:LINE: //escape:ok needs a reason ...
 * Returns the number of findings acknowledged.
 */
size_t ack_apply(struct finding_list *l, struct strbuf *warnings);

#endif
