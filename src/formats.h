#ifndef FORMATS_H
#define FORMATS_H

/*
 * formats.h: a review's findings for other tools, not for people (it owns
 * these machine formats; it must never filter findings or touch the
 * network):
 *
 *  - SARIF 2.1.0 (GitHub code scanning, IDEs): one run; tool.driver with
 *    the catalog's rules that occur (id order); one result per listed
 *    finding (new and existing, plus acknowledged and baseline ones as
 *    suppressed results: suppressions kind "inSource" / "external"), with
 *    ruleId, ruleIndex, level (error / warning / note), message, the
 *    location relative to %SRCROOT% (originalUriBaseIds gives the work
 *    tree as a file: URI when it is known), partialFingerprints
 *    {"escapeReview/v1": FINGERPRINT}, baselineState (new / unchanged) and
 *    the -m=2 chain as codeFlows[0].threadFlows[0].locations ("flow:"
 *    steps at nestingLevel 0, "from" steps at 1); with --profile, rank
 *    is the finding's weight as a percentage (profile.h).  Fixed findings are
 *    not results (a consumer that keeps history sees them go).
 *  - rdjson, reviewdog's Diagnostic JSON: {"source", "diagnostics":
 *    [{"message", "location": {"path", "range": {"start": {"line",
 *    "column"}}}, "severity": "ERROR|WARNING|INFO", "code": {"value",
 *    "url"}}]}, new and existing findings only.
 *  - GitHub Actions workflow commands, one line per new or existing
 *    finding: `::error|warning|notice file=F,line=L,col=C,title=T::MESSAGE`.
 *    The runner's escaping: in MESSAGE '%' '\r' '\n' become %25 %0D %0A;
 *    in the property values ':' and ',' also become %3A and %2C.  Other
 *    control characters are dropped.
 *
 * Strings are valid UTF-8 (invalid bytes in file names or messages become
 * U+FFFD, as in report_json()).  Output is appended; nothing can fail.
 */

#include "review.h"

struct strbuf;

void format_sarif(struct strbuf *out, const struct review *rv);
void format_rdjson(struct strbuf *out, const struct review *rv);
void format_github_actions(struct strbuf *out, const struct review *rv);

#endif
