#!/bin/sh
# tests/http/run.sh: the publishers (http, forge, github, gitlab) end to
# end: publish_driver against the GitHub and GitLab stand-in servers over
# 127.0.0.1, asserting every recorded request and every message exactly.
# Builds nothing.
#
# usage: sh tests/http/run.sh PATH/TO/publish_driver [PYTHON3]

set -u
DRIVER=${1:?usage: run.sh PATH/TO/publish_driver [PYTHON3]}
PY=${2:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$(sed -n 's/^VERSION := //p' "$HERE/../../Makefile")
UA="escape-review/$VERSION"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/er-http.XXXXXX")
TOKEN=ghp_TESTTOKEN123
GLTOKEN=glpat-TESTTOKEN123
HEAD=1111111111111111111111111111111111111111
BASE=2222222222222222222222222222222222222222
START=3333333333333333333333333333333333333333
. "$HERE/lib.sh"

# ------------------------------------------------------------------ GitHub

start_stub github_stub.py gh
API=http://127.0.0.1:$PORT

cat >"$TMP/event.json" <<EOF
{"action": "synchronize", "number": 7,
 "pull_request": {"number": 7,
  "head": {"sha": "$HEAD", "repo": {"full_name": "o/r"}},
  "base": {"sha": "$BASE", "repo": {"full_name": "o/r"}}}}
EOF
sed 's/"full_name": "o\/r"}}, *$/"full_name": "someone\/r"}},/' "$TMP/event.json" >"$TMP/fork.json"
grep -q someone "$TMP/fork.json" || { echo "cannot build fork event"; exit 1; }

cat >"$TMP/review.json" <<'EOF'
{"summary": "## escape-review\n\n2 findings.",
 "status_state": "failure", "status_description": "2 new escape findings",
 "comments": [
  {"path": "pkg/a.go", "line": 10, "fingerprint": "aa11", "title": "ER001 x", "body": "**ER001** x escapes"},
  {"path": "pkg/a.go", "line": 11, "fingerprint": "bb22", "title": "ER002 y", "body": "**ER002** y"},
  {"path": "pkg/a.go", "line": 99, "fingerprint": "cc33", "title": "ER003 z_[x]", "body": "**ER003** z"},
  {"path": "pkg/b.go", "line": 5, "fingerprint": "dd44", "title": "ER004 w", "body": "**ER004** w"}]}
EOF

GH="GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH=$TMP/event.json
    GITHUB_REPOSITORY=o/r GITHUB_API_URL=$API GITHUB_TOKEN=$TOKEN"
L="auth=ok ua=$UA"
C1='{"body":"**ER001** x escapes\n\n<!-- escape-review:fp=aa11 -->","line":10,"path":"pkg/a.go","side":"RIGHT"}'
C2='{"body":"**ER002** y\n\n<!-- escape-review:fp=bb22 -->","line":11,"path":"pkg/a.go","side":"RIGHT"}'
C3='{"body":"**ER003** z\n\n<!-- escape-review:fp=cc33 -->","line":99,"path":"pkg/a.go","side":"RIGHT"}'
C4='{"body":"**ER004** w\n\n<!-- escape-review:fp=dd44 -->","line":5,"path":"pkg/b.go","side":"RIGHT"}'
SUMMARY='{"body":"<!-- escape-review:summary -->\n## escape-review\n\n2 findings.\n\n### Findings not posted inline (1)\n\n- `pkg/a.go:99`: `ER003 z_[x]` (the forge refused this line as outside the diff)\n\n<details><summary>Details</summary>\n\n#### `pkg/a.go:99`\n\n**ER003** z\n\n</details>\n"}'

# 1. first run: inline comments for the diff-visible lines, a summary, a status
mark
run env $GH "$DRIVER" auto "$TMP/review.json"
check_eq "gh run 1: exit" 0 "$RC"
check_eq "gh run 1: result" "posted=3 existing=0 over_limit=0 refused=1" "$OUT"
check_eq "gh run 1: quiet" "" "$ERR"
check_eq "gh run 1: requests" "GET /repos/o/r/pulls/7/comments?per_page=100 $L
POST /repos/o/r/pulls/7/reviews $L
POST /repos/o/r/pulls/7/reviews $L
POST /repos/o/r/pulls/7/reviews $L
POST /repos/o/r/pulls/7/reviews $L
POST /repos/o/r/pulls/7/reviews $L
GET /repos/o/r/issues/7/comments?per_page=100 $L
GET /repos/o/r/issues/7/comments?per_page=100&page=2 $L
POST /repos/o/r/issues/7/comments $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines)"
check_eq "gh run 1: GET headers" \
	"accept=application/vnd.github+json content_type=None api_version=2022-11-28" "$(recs hdrs 1)"
check_eq "gh run 1: POST headers" \
	"accept=application/vnd.github+json content_type=application/json api_version=2022-11-28" \
	"$(recs hdrs 2)"
check_eq "gh run 1: review of all four (422)" \
	"{\"body\":\"escape-review: 4 findings on lines of this change.\",\"comments\":[$C1,$C2,$C3,$C4],\"commit_id\":\"$HEAD\",\"event\":\"COMMENT\"}" \
	"$(recs body 2)"
check_eq "gh run 1: bisect, first half posted" \
	"{\"body\":\"escape-review: 2 findings on lines of this change.\",\"comments\":[$C1,$C2],\"commit_id\":\"$HEAD\",\"event\":\"COMMENT\"}" \
	"$(recs body 3)"
check_eq "gh run 1: bisect, second half refused" "[$C3,$C4]" "$(recs get 4 comments)"
check_eq "gh run 1: bisect, the refused one alone" "[$C3]" "$(recs get 5 comments)"
check_eq "gh run 1: bisect, the valid one posted" "[$C4]" "$(recs get 6 comments)"
check_eq "gh run 1: summary lists the refused comment" "$SUMMARY" "$(recs body 9)"
check_eq "gh run 1: status" \
	'{"context":"escape-review","description":"2 new escape findings","state":"failure"}' \
	"$(recs body 10)"

# 2. second run, verbose: PATCH the summary, no duplicate inline comment
mark
run env $GH "$DRIVER" -v auto "$TMP/review.json"
check_eq "gh run 2: exit" 0 "$RC"
check_eq "gh run 2: result" "posted=0 existing=3 over_limit=0 refused=1" "$OUT"
check_eq "gh run 2: requests" "GET /repos/o/r/pulls/7/comments?per_page=100 $L
GET /repos/o/r/pulls/7/comments?per_page=100&page=2 $L
POST /repos/o/r/pulls/7/reviews $L
GET /repos/o/r/issues/7/comments?per_page=100 $L
GET /repos/o/r/issues/7/comments?per_page=100&page=2 $L
GET /repos/o/r/issues/7/comments?per_page=100&page=3 $L
PATCH /repos/o/r/issues/comments/1011 $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines)"
check_eq "gh run 2: only the refused comment is tried again" "[$C3]" "$(recs get 13 comments)"
check_eq "gh run 2: summary patched with the same body" "$SUMMARY" "$(recs body 17)"
check_contains "gh run 2: verbose request line" \
	"escape-review: http: PATCH $API/repos/o/r/issues/comments/1011" "$ERR"
check_contains "gh run 2: verbose status" \
	"escape-review: http: PATCH /repos/o/r/issues/comments/1011 -> 200" "$ERR"

# 3. faults survived: 502, 502, 429 (Retry-After: 1), secondary rate limit 403
mark
control '{"fail_first": 2, "rate_limit_429": 1, "secondary_403": 1}'
run env $GH "$DRIVER" --max-attempts 6 auto "$TMP/review.json"
check_eq "gh faults: exit" 0 "$RC"
check_eq "gh faults: stderr" "" "$ERR"
check_eq "gh faults: retried requests" "GET /repos/o/r/pulls/7/comments?per_page=100 $L fault=fail_first
GET /repos/o/r/pulls/7/comments?per_page=100 $L fault=fail_first
GET /repos/o/r/pulls/7/comments?per_page=100 $L fault=rate_limit_429
GET /repos/o/r/pulls/7/comments?per_page=100 $L fault=secondary_403
GET /repos/o/r/pulls/7/comments?per_page=100 $L" "$(new_lines | sed -n '1,5p')"
check_ge "gh faults: Retry-After of the 429 honoured" "$(recs gap $((MARK + 3)))" 0.95
check_ge "gh faults: retry-after of the secondary limit honoured" "$(recs gap $((MARK + 4)))" 0.95

# 4. faults that last: the error names the request, the status, the attempts
mark
control '{"fail_first": 10}'
run env $GH "$DRIVER" --max-attempts 3 auto "$TMP/review.json"
control '{}'
check_eq "gh 502 x3: exit" 1 "$RC"
check_eq "gh 502 x3: message" \
	"publish_driver: GET /repos/o/r/pulls/7/comments?per_page=100 failed: 502 Bad Gateway, after 3 attempts" "$ERR"
check_eq "gh 502 x3: three attempts" 3 "$(new_lines | wc -l | tr -d ' ')"

# 5. a hang times out with a clear message (no retry allowed) ...
mark
control '{"hang": 1, "hang_seconds": 4}'
run env $GH "$DRIVER" --timeout-ms 1000 --max-attempts 1 auto "$TMP/review.json"
check_eq "gh hang: exit" 1 "$RC"
check_contains "gh hang: message" \
	"publish_driver: GET /repos/o/r/pulls/7/comments?per_page=100 failed: timed out (no answer within 1 s; " "$ERR"
check_eq "gh hang: one line" 1 "$(printf '%s\n' "$ERR" | wc -l | tr -d ' ')"
# ... and a GET that hung once is retried
mark
control '{"hang": 1, "hang_seconds": 4}'
run env $GH "$DRIVER" --timeout-ms 1000 auto "$TMP/review.json"
check_eq "gh hang then answer: exit" 0 "$RC"
check_eq "gh hang then answer: retried" "GET /repos/o/r/pulls/7/comments?per_page=100 $L fault=hang
GET /repos/o/r/pulls/7/comments?per_page=100 $L" "$(new_lines | sed -n '1,2p')"

# ... but a POST that timed out is not sent again (it may have been acted on)
mark
control '{"hang": 1, "hang_seconds": 4, "hang_method": "POST"}'
run env $GH "$DRIVER" --timeout-ms 1000 auto "$TMP/review.json"
check_eq "gh POST hang: exit" 1 "$RC"
check_contains "gh POST hang: message" \
	"publish_driver: POST /repos/o/r/pulls/7/reviews failed: timed out (no answer within 1 s; " "$ERR"
check_eq "gh POST hang: sent once" "GET /repos/o/r/pulls/7/comments?per_page=100 $L
GET /repos/o/r/pulls/7/comments?per_page=100&page=2 $L
POST /repos/o/r/pulls/7/reviews $L fault=hang" "$(new_lines)"

# a rate limit asking for more than the allowed wait fails at once, saying so
mark
control '{"rate_limit_429": 1}'
run env $GH "$DRIVER" --max-retry-wait-ms 500 auto "$TMP/review.json"
check_eq "gh 429 over budget: exit" 1 "$RC"
check_eq "gh 429 over budget: message" \
	"publish_driver: GET /repos/o/r/pulls/7/comments?per_page=100 failed: 429 Too Many Requests (retrying would wait 1 s in all, more than the 0.5 s allowed)" "$ERR"
check_eq "gh 429 over budget: one request" 1 "$(new_lines | wc -l | tr -d ' ')"

# 6. a bad token: one clear line, no retry, the token named by variable only
mark
run env $GH GITHUB_TOKEN=ghp_WRONGTOKEN999 "$DRIVER" -v auto "$TMP/review.json"
check_eq "gh bad token: exit" 1 "$RC"
check_eq "gh bad token: message" \
	"publish_driver: GET /repos/o/r/pulls/7/comments?per_page=100 failed: 401 Bad credentials (check GITHUB_TOKEN)" \
	"$(printf '%s\n' "$ERR" | grep -v '^escape-review: http:')"
check_eq "gh bad token: one request" "GET /repos/o/r/pulls/7/comments?per_page=100 auth=bad ua=$UA" "$(new_lines)"
case $ERR in *WRONGTOKEN*) ko "gh bad token: token printed" ;; *) ok ;; esac

# 7. a pagination link to another origin is not followed
mark
control '{"bad_link": true}'
run env $GH "$DRIVER" auto "$TMP/review.json"
control '{}'
check_eq "gh foreign link: exit" 1 "$RC"
check_eq "gh foreign link: message" \
	"publish_driver: GET /repos/o/r/pulls/7/comments?per_page=100&page=2 failed: refusing to follow a URL outside the API's origin (the token is only sent to the configured API URL)" "$ERR"
check_eq "gh foreign link: nothing sent elsewhere" 1 "$(new_lines | wc -l | tr -d ' ')"

# 8. more than 30 comments, and a body over GitHub's limit cut safely
"$PY" - "$TMP/many.json" <<'EOF'
import json, sys
comments = [{"path": "pkg/many.go", "line": i, "fingerprint": "f%02d" % i,
             "title": "ER%03d" % i, "body": "finding %d" % i} for i in range(1, 33)]
comments[0]["body"] = "\u00e9"
comments[0]["repeat_body"] = 40000
json.dump({"summary": "many", "status_state": "success",
           "status_description": "\u00e9" * 100, "comments": comments},
          open(sys.argv[1], "w"))
EOF
mark
run env $GH "$DRIVER" --pr 8 auto "$TMP/many.json"
check_eq "gh many: exit" 0 "$RC"
check_eq "gh many: result" "posted=30 existing=0 over_limit=2 refused=0" "$OUT"
check_eq "gh many: requests" "GET /repos/o/r/pulls/8/comments?per_page=100 $L
POST /repos/o/r/pulls/8/reviews $L
GET /repos/o/r/issues/8/comments?per_page=100 $L
GET /repos/o/r/issues/8/comments?per_page=100&page=2 $L
POST /repos/o/r/issues/8/comments $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines)"
check_eq "gh many: 30 in the review" 30 "$(recs len $((MARK + 2)) comments)"
check_eq "gh many: long body cut to the limit, valid UTF-8" "len=65535 valid" \
	"$(recs utf8 $((MARK + 2)) comments 0 body)"
check_contains "gh many: cut body keeps note and marker" \
	"*(truncated: this text was longer than the forge accepts)*

<!-- escape-review:fp=f01 -->" "$(recs get $((MARK + 2)) comments 0 body)"
check_contains "gh many: summary lists the two over the limit" \
	"### Findings not posted inline (2)

- \`pkg/many.go:31\`: \`ER031\` (over the limit of inline comments per run)
- \`pkg/many.go:32\`: \`ER032\` (over the limit of inline comments per run)" \
	"$(recs get $((MARK + 5)) body)"
check_eq "gh many: status description cut to 140 bytes" "len=140 valid" \
	"$(recs utf8 $((MARK + 6)) description)"

# 9. a pull request from a fork: nothing is written, a distinct result
mark
run env $GH GITHUB_EVENT_PATH="$TMP/fork.json" "$DRIVER" auto "$TMP/review.json"
check_eq "gh fork: exit (read-only)" 3 "$RC"
check_eq "gh fork: message" \
	"publish_driver: read-only: GitHub reporter: pull request #7 comes from a fork, so its token is read-only: nothing was posted; use --format github-actions for annotations" "$ERR"
check_eq "gh fork: no request" "" "$(new_lines)"

# 10. what is missing is named
run env GITHUB_REPOSITORY=o/r GITHUB_API_URL="$API" GITHUB_TOKEN=$TOKEN "$DRIVER" github "$TMP/review.json"
check_eq "gh no PR: exit" 1 "$RC"
check_eq "gh no PR: message" \
	"publish_driver: GitHub reporter: no pull request number: set GITHUB_EVENT_PATH to a pull_request event or pass --pr N" "$ERR"
run env GITHUB_EVENT_PATH="$TMP/event.json" GITHUB_API_URL="$API" "$DRIVER" github "$TMP/review.json"
check_eq "gh no repo: message" \
	"publish_driver: GitHub reporter: no repository: set GITHUB_REPOSITORY or pass --repo-slug OWNER/REPO" "$ERR"
run env GITHUB_EVENT_PATH="$TMP/event.json" GITHUB_REPOSITORY=o/r "$DRIVER" github "$TMP/review.json"
check_eq "gh no token: message" \
	"publish_driver: GitHub reporter: no token: set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }})" "$ERR"

# 11. dry run: prints the requests, sends nothing
mark
run env $GH "$DRIVER" -v --dry-run auto "$TMP/review.json"
check_eq "gh dry run: exit" 0 "$RC"
check_eq "gh dry run: nothing sent" "" "$(new_lines)"
check_contains "gh dry run: GET shown" \
	"dry-run: GET $API/repos/o/r/pulls/7/comments?per_page=100 (not sent; treated as empty)" "$OUT"
check_contains "gh dry run: review shown with its body" "dry-run: POST $API/repos/o/r/pulls/7/reviews
{
	\"commit_id\":	\"$HEAD\"," "$OUT"
check_contains "gh dry run: summary POSTed (no list)" "dry-run: POST $API/repos/o/r/issues/7/comments" "$OUT"
check_contains "gh dry run: status" "dry-run: POST $API/repos/o/r/statuses/$HEAD" "$OUT"
check_eq "gh dry run: result" "posted=4 existing=0 over_limit=0 refused=0" "$(printf '%s\n' "$OUT" | tail -n 1)"

# 11b. fixed findings: three runs on pull request 9 (two findings added; one
#      fixed: its thread gets a reply and is resolved through GraphQL; it
#      comes back: the same thread is reopened, never a duplicate); the
#      person's comment and thread are never touched
cat >"$TMP/res1.json" <<'EOF'
{"summary": "two", "status_state": "failure", "status_description": "2 new",
 "live": ["aa11", "bb22"],
 "comments": [
  {"path": "pkg/a.go", "line": 10, "fingerprint": "aa11", "title": "ER001 x", "body": "**ER001** x escapes"},
  {"path": "pkg/a.go", "line": 11, "fingerprint": "bb22", "title": "ER002 y", "body": "**ER002** y"}]}
EOF
cat >"$TMP/res2.json" <<'EOF'
{"summary": "one", "status_state": "failure", "status_description": "1 new",
 "live": ["bb22"],
 "comments": [
  {"path": "pkg/a.go", "line": 11, "fingerprint": "bb22", "title": "ER002 y", "body": "**ER002** y"}]}
EOF
TQ='query($owner: String!, $name: String!, $number: Int!, $after: String) { repository(owner: $owner, name: $name) { pullRequest(number: $number) { reviewThreads(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id isResolved comments(first: 1) { nodes { databaseId } } } } } } }'
mut() { printf '{"query":"mutation($threadId: ID!) { %s(input: {threadId: $threadId}) { thread { id isResolved } } }","variables":{"threadId":"%s"}}' "$1" "$2"; }
mark
run env $GH "$DRIVER" --pr 9 auto "$TMP/res1.json"
check_eq "gh fixed 1: result" "posted=2 existing=0 over_limit=0 refused=0
resolved=0 reopened=0" "$OUT"
check_eq "gh fixed 1: no GraphQL while nothing of ours exists" "GET /repos/o/r/pulls/9/comments?per_page=100 $L
POST /repos/o/r/pulls/9/reviews $L
GET /repos/o/r/issues/9/comments?per_page=100 $L
GET /repos/o/r/issues/9/comments?per_page=100&page=2 $L
POST /repos/o/r/issues/9/comments $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines)"
HUMAN=$(recs find $((MARK + 1)) body "human remark")
check_eq "gh fixed 1: the person's comment is there" 1 "$(echo "$HUMAN" | grep -c '^[0-9][0-9]*$')"
mark
run env $GH "$DRIVER" --pr 9 auto "$TMP/res2.json"
check_eq "gh fixed 2: exit" 0 "$RC"
check_eq "gh fixed 2: result" "posted=0 existing=1 over_limit=0 refused=0
resolved=1 reopened=0" "$OUT"
OURS=$(recs find $((MARK + 1)) path pkg/a.go | tr ' ' '\n' | grep -v "^$HUMAN\$" | head -n 1)
check_eq "gh fixed 2: requests" "GET /repos/o/r/pulls/9/comments?per_page=100 $L
GET /repos/o/r/pulls/9/comments?per_page=100&page=2 $L
POST /graphql $L
POST /graphql $L
POST /repos/o/r/pulls/9/comments/$OURS/replies $L
POST /graphql $L
GET /repos/o/r/issues/9/comments?per_page=100 $L
GET /repos/o/r/issues/9/comments?per_page=100&page=2 $L
GET /repos/o/r/issues/9/comments?per_page=100&page=3 $L
PATCH /repos/o/r/issues/comments/ID $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines | sed 's/issues\/comments\/[0-9][0-9]*/issues\/comments\/ID/')"
check_eq "gh fixed 2: the documented reviewThreads query, first page" \
	"{\"query\":\"$TQ\",\"variables\":{\"after\":null,\"name\":\"r\",\"number\":9,\"owner\":\"o\"}}" \
	"$(recs body $((MARK + 3)))"
check_eq "gh fixed 2: the second page from the cursor" \
	"{\"after\":\"cursor:2\",\"name\":\"r\",\"number\":9,\"owner\":\"o\"}" "$(recs get $((MARK + 4)) variables)"
check_eq "gh fixed 2: the reply to our comment of the fixed finding" \
	"{\"body\":\"escape-review: fixed in $HEAD\"}" "$(recs body $((MARK + 5)))"
check_eq "gh fixed 2: the documented mutation on its thread" \
	"$(mut resolveReviewThread "PRRT_kwDOstub$(printf %08d "$OURS")")" "$(recs body $((MARK + 6)))"
check_eq "gh fixed 2: the stand-in resolved it" "true" \
	"$(recs resp $((MARK + 6)) data resolveReviewThread thread isResolved)"
mark
run env $GH "$DRIVER" --pr 9 auto "$TMP/res1.json"
check_eq "gh fixed 3: result (reopened, not posted again)" "posted=0 existing=2 over_limit=0 refused=0
resolved=0 reopened=1" "$OUT"
check_eq "gh fixed 3: requests" "GET /repos/o/r/pulls/9/comments?per_page=100 $L
GET /repos/o/r/pulls/9/comments?per_page=100&page=2 $L
POST /graphql $L
POST /graphql $L
POST /repos/o/r/pulls/9/comments/$OURS/replies $L
POST /graphql $L" "$(new_lines | sed -n 1,6p)"
check_eq "gh fixed 3: reintroduced note" "escape-review: reintroduced in $HEAD" "$(recs get $((MARK + 5)) body)"
check_eq "gh fixed 3: unresolveReviewThread" \
	"$(mut unresolveReviewThread "PRRT_kwDOstub$(printf %08d "$OURS")")" "$(recs body $((MARK + 6)))"
check_eq "gh fixed: the person's comment and thread never touched" "" \
	"$("$PY" -c 'import json,sys
for l in open(sys.argv[1]): r = json.loads(l); print(r["path"], json.dumps(r["body"]))' "$TMP/gh.rec" |
	   grep -e "comments/$HUMAN/" -e "stub$(printf %08d "$HUMAN")")"

# 11c. answers no forge should send: a list that is not one, a page that is
#      not JSON, ids that cannot go into a path (too large, fractional,
#      negative, a string, beyond 2^53) on comments that carry our marker,
#      a line that is not a whole number, a summary with such an id, and a
#      head commit that is not a SHA: refused or not taken for ours, and no
#      request is built from them
mark
control '{"answers": [{"path": "/repos/o/r/pulls/11/comments", "json": {"message": "Moved"}}]}'
run env $GH "$DRIVER" --pr 11 auto "$TMP/res1.json"
check_eq "gh not a list: exit" 1 "$RC"
check_eq "gh not a list: message" \
	"publish_driver: GET /repos/o/r/pulls/11/comments?per_page=100 failed: 200, but the answer is not a JSON list" "$ERR"
check_eq "gh not a list: nothing written" "GET /repos/o/r/pulls/11/comments?per_page=100 $L fault=answer" "$(new_lines)"
mark
control '{"answers": [{"path": "/repos/o/r/pulls/11/comments", "raw": "<html><body>Moved</body></html>"}]}'
run env $GH "$DRIVER" --pr 11 auto "$TMP/res1.json"
check_eq "gh not JSON: message" \
	"publish_driver: GET /repos/o/r/pulls/11/comments?per_page=100 failed: 200, but the answer is not a JSON list" "$ERR"
check_eq "gh not JSON: nothing written" "GET /repos/o/r/pulls/11/comments?per_page=100 $L fault=answer" "$(new_lines)"
fpc() { printf '{"id": %s, "path": "pkg/a.go", "line": %s, "body": "x\\n\\n<!-- escape-review:fp=%s -->"}' "$1" "$2" "$3"; }
thr() { printf '{"id": "T%s", "isResolved": false, "comments": {"nodes": [{"databaseId": %s}]}}' "$2" "$1"; }
mark
control "{\"answers\": [
 {\"path\": \"/repos/o/r/pulls/11/comments\", \"json\": [$(fpc 1e300 12 e1), $(fpc 2.5 12 e2),
  $(fpc -4 12 e3), $(fpc '"1001"' 12 e4), $(fpc 9007199254740993 12 e5), $(fpc 77 10.5 aa11),
  $(fpc 5 12 e6)]},
 {\"method\": \"POST\", \"path\": \"/graphql\", \"json\": {\"data\": {\"repository\": {\"pullRequest\":
  {\"reviewThreads\": {\"pageInfo\": {\"hasNextPage\": false, \"endCursor\": null}, \"nodes\": [
  $(thr 1e300 1), $(thr 2.5 2), $(thr -4 3), $(thr 1001 4), $(thr 9007199254740993 5), $(thr 77 77),
  $(thr 5 6)]}}}}}},
 {\"method\": \"POST\", \"path\": \"/repos/o/r/pulls/11/comments/5/replies\", \"status\": 201, \"json\": {\"id\": 8}},
 {\"method\": \"POST\", \"path\": \"/graphql\", \"json\": {\"data\": {\"resolveReviewThread\":
  {\"thread\": {\"id\": \"T6\", \"isResolved\": true}}}}},
 {\"path\": \"/repos/o/r/issues/11/comments\", \"json\": [
  {\"id\": 1e300, \"body\": \"<!-- escape-review:summary -->\\nnot ours\"},
  {\"id\": 0.5, \"body\": \"<!-- escape-review:summary -->\\nnot ours\"}]}]}"
run env $GH "$DRIVER" --pr 11 auto "$TMP/res1.json"
check_eq "gh hostile ids: exit" 0 "$RC"
check_eq "gh hostile ids: result (the fractional line is not line 10)" "posted=2 existing=0 over_limit=0 refused=0
resolved=1 reopened=0" "$OUT"
check_eq "gh hostile ids: requests: only id 5 is ours" "GET /repos/o/r/pulls/11/comments?per_page=100 $L fault=answer
POST /repos/o/r/pulls/11/reviews $L
POST /graphql $L fault=answer
POST /repos/o/r/pulls/11/comments/5/replies $L fault=answer
POST /graphql $L fault=answer
GET /repos/o/r/issues/11/comments?per_page=100 $L fault=answer
POST /repos/o/r/issues/11/comments $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines)"
check_eq "gh hostile ids: the mutation names thread T6" "$(mut resolveReviewThread T6)" "$(recs body $((MARK + 5)))"
mark
control '{"answers": [{"path": "/repos/o/r/pulls/12", "json": {"number": 12, "head": {"sha": "0123456789abcdef0123456789abcdef01234567\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}}]}'
run env GITHUB_REPOSITORY=o/r GITHUB_API_URL="$API" GITHUB_TOKEN=$TOKEN "$DRIVER" --pr 12 github "$TMP/res1.json"
check_eq "gh head not a SHA: exit" 1 "$RC"
check_eq "gh head not a SHA: message (printable, cut)" \
	"publish_driver: GitHub reporter: the head commit '0123456789abcdef0123456789abcdef01234567?xxxxxxxxxxxxxxxxxxxxxxx...' is not a full SHA (40 or 64 lower-case hex digits): nothing was posted; give --head and --base as full SHAs (git rev-parse REV)" "$ERR"
check_eq "gh head not a SHA: nothing written" "GET /repos/o/r/pulls/12 $L fault=answer" "$(new_lines)"

stop_stub

# 12. nobody listening: connection errors are retried, then named
run env $GH "$DRIVER" --max-attempts 2 auto "$TMP/review.json"
check_eq "gh refused: exit" 1 "$RC"
check_contains "gh refused: message names the request" \
	"publish_driver: GET /repos/o/r/pulls/7/comments?per_page=100 failed: " "$ERR"
check_contains "gh refused: after retrying" ", after 2 attempts" "$ERR"

# ------------------------------------------------------------------ GitLab

start_stub gitlab_stub.py gl
API=http://127.0.0.1:$PORT/api/v4
GL="GITLAB_CI=true CI_API_V4_URL=$API CI_PROJECT_ID=group/proj CI_MERGE_REQUEST_IID=3
    CI_MERGE_REQUEST_DIFF_BASE_SHA=$BASE CI_COMMIT_SHA=4444444444444444444444444444444444444444
    CI_MERGE_REQUEST_SOURCE_BRANCH_SHA=$HEAD GITLAB_TOKEN=$GLTOKEN"
P=/api/v4/projects/group%2Fproj
MR=$P/merge_requests/3
L="auth=ok ua=$UA"

cat >"$TMP/gl.json" <<'EOF'
{"summary": "## escape-review\n\n2 findings.",
 "status_state": "failure", "status_description": "2 new escape findings",
 "comments": [
  {"path": "pkg/a.go", "line": 10, "fingerprint": "aa11", "title": "ER001 x", "body": "**ER001** x"},
  {"path": "pkg/a.go", "line": 12, "old_line": 11, "fingerprint": "bb22", "title": "ER002 y", "body": "**ER002** y"},
  {"path": "pkg/a.go", "line": 99, "fingerprint": "cc33", "title": "ER003 z", "body": "**ER003** z"},
  {"path": "pkg/new.go", "old_path": "pkg/old.go", "line": 3, "fingerprint": "dd44", "title": "ER004 w", "body": "**ER004** w"}]}
EOF
SHAS="\"base_sha\":\"$BASE\",\"head_sha\":\"$HEAD\""

# 1. first run
mark
run env $GL "$DRIVER" auto "$TMP/gl.json"
check_eq "gl run 1: exit" 0 "$RC"
check_eq "gl run 1: result" "posted=3 existing=0 over_limit=0 refused=1" "$OUT"
check_eq "gl run 1: quiet" "" "$ERR"
check_eq "gl run 1: requests" "GET $MR $L
GET $MR/discussions?per_page=100 $L
GET $MR/discussions?per_page=100&page=2 $L
POST $MR/discussions $L
POST $MR/discussions $L
POST $MR/discussions $L
POST $MR/discussions $L
GET $MR/notes?per_page=100 $L
GET $MR/notes?per_page=100&page=2 $L
POST $MR/notes $L
POST $P/statuses/$HEAD $L" "$(new_lines)"
check_eq "gl run 1: GET headers" "accept=application/json content_type=None api_version=None" \
	"$(recs hdrs 1)"
check_eq "gl run 1: POST headers" \
	"accept=application/json content_type=application/json api_version=None" "$(recs hdrs 4)"
check_eq "gl run 1: added line: new_line only" \
	"{\"body\":\"**ER001** x\n\n<!-- escape-review:fp=aa11 -->\",\"position\":{$SHAS,\"new_line\":10,\"new_path\":\"pkg/a.go\",\"old_path\":\"pkg/a.go\",\"position_type\":\"text\",\"start_sha\":\"$START\"}}" \
	"$(recs body 4)"
check_eq "gl run 1: context line: old_line and new_line" \
	"{$SHAS,\"new_line\":12,\"new_path\":\"pkg/a.go\",\"old_line\":11,\"old_path\":\"pkg/a.go\",\"position_type\":\"text\",\"start_sha\":\"$START\"}" \
	"$(recs get 5 position)"
check_eq "gl run 1: renamed file: old_path and new_path" \
	"{$SHAS,\"new_line\":3,\"new_path\":\"pkg/new.go\",\"old_path\":\"pkg/old.go\",\"position_type\":\"text\",\"start_sha\":\"$START\"}" \
	"$(recs get 7 position)"
check_contains "gl run 1: summary lists the refused one" \
	"<!-- escape-review:summary -->
## escape-review

2 findings.

### Findings not posted inline (1)

- \`pkg/a.go:99\`: \`ER003 z\` (the forge refused this line as outside the diff)" "$(recs get 10 body)"
check_eq "gl run 1: status" \
	'{"description":"2 new escape findings","name":"escape-review","state":"failed"}' "$(recs body 11)"

# 2. second run: PUT the note, no duplicate discussion
mark
run env $GL "$DRIVER" -v auto "$TMP/gl.json"
check_eq "gl run 2: exit" 0 "$RC"
check_eq "gl run 2: result" "posted=0 existing=3 over_limit=0 refused=1" "$OUT"
check_eq "gl run 2: requests" "GET $MR $L
GET $MR/discussions?per_page=100 $L
GET $MR/discussions?per_page=100&page=2 $L
GET $MR/discussions?per_page=100&page=3 $L
GET $MR/discussions?per_page=100&page=4 $L
POST $MR/discussions $L
GET $MR/notes?per_page=100 $L
GET $MR/notes?per_page=100&page=2 $L
GET $MR/notes?per_page=100&page=3 $L
PUT $MR/notes/1019 $L
POST $P/statuses/$HEAD $L" "$(new_lines)"
check_eq "gl run 2: same summary" "$(recs body 10)" "$(recs body $((MARK + 10)))"

# 3. a 502 is survived
mark
control '{"fail_first": 1}'
run env $GL "$DRIVER" auto "$TMP/gl.json"
check_eq "gl 502: exit" 0 "$RC"
check_eq "gl 502: retried" "GET $MR $L fault=fail_first
GET $MR $L" "$(new_lines | sed -n '1,2p')"

# 4. a bad token
mark
run env $GL GITLAB_TOKEN=glpat-WRONG999 "$DRIVER" -v auto "$TMP/gl.json"
check_eq "gl bad token: exit" 1 "$RC"
check_eq "gl bad token: message" \
	"publish_driver: GET ${MR#/api/v4} failed: 401 Unauthorized (check GITLAB_TOKEN)" \
	"$(printf '%s\n' "$ERR" | grep -v '^escape-review: http:')"

# 5. an unknown project: 404 names the encoded path
run env $GL CI_PROJECT_ID=other/proj "$DRIVER" auto "$TMP/gl.json"
check_eq "gl unknown project: exit" 1 "$RC"
check_eq "gl unknown project: message" \
	"publish_driver: GET /projects/other%2Fproj/merge_requests/3 failed: 404 Project Not Found (check the repository or project, the number, and the token's access to them)" "$ERR"

# 6. only CI_JOB_TOKEN: nothing is tried
mark
run env $GL GITLAB_TOKEN= CI_JOB_TOKEN=jobtoken "$DRIVER" auto "$TMP/gl.json"
check_eq "gl job token: exit (read-only)" 3 "$RC"
check_eq "gl job token: message" \
	"publish_driver: read-only: GitLab reporter: only CI_JOB_TOKEN is available, and it cannot write merge request notes or commit statuses: nothing was posted; set GITLAB_TOKEN to a project or personal access token with the api scope" "$ERR"
check_eq "gl job token: no request" "" "$(new_lines)"

# 7. no merge request
run env CI_API_V4_URL="$API" CI_PROJECT_ID=7 GITLAB_TOKEN=$GLTOKEN "$DRIVER" gitlab "$TMP/gl.json"
check_eq "gl no MR: message" \
	"publish_driver: GitLab reporter: no merge request iid: run in a merge request pipeline (CI_MERGE_REQUEST_IID) or pass --pr N" "$ERR"

# 8. fixed findings: three runs on merge request 4 (added; one fixed: a note
#    on its discussion, then PUT resolved=true; back: the same discussion
#    reopened with PUT resolved=false); the person's discussion untouched
cat >"$TMP/glres1.json" <<'EOF'
{"summary": "two", "status_state": "failure", "status_description": "2 new",
 "live": ["aa11", "bb22"],
 "comments": [
  {"path": "pkg/a.go", "line": 10, "fingerprint": "aa11", "title": "ER001 x", "body": "**ER001** x"},
  {"path": "pkg/a.go", "line": 12, "old_line": 11, "fingerprint": "bb22", "title": "ER002 y", "body": "**ER002** y"}]}
EOF
cat >"$TMP/glres2.json" <<'EOF'
{"summary": "one", "status_state": "failure", "status_description": "1 new",
 "live": ["bb22"],
 "comments": [
  {"path": "pkg/a.go", "line": 12, "old_line": 11, "fingerprint": "bb22", "title": "ER002 y", "body": "**ER002** y"}]}
EOF
MR4=$P/merge_requests/4
mark
run env $GL CI_MERGE_REQUEST_IID=4 "$DRIVER" auto "$TMP/glres1.json"
check_eq "gl fixed 1: result" "posted=2 existing=0 over_limit=0 refused=0
resolved=0 reopened=0" "$OUT"
AA=$(recs resp $((MARK + 4)) id)
GLHUMAN=$(recs resp $((MARK + 3)) 1 id)
check_eq "gl fixed 1: the person's diff discussion is known" "human remark" "$(recs resp $((MARK + 3)) 1 notes 0 body)"
mark
run env $GL CI_MERGE_REQUEST_IID=4 "$DRIVER" auto "$TMP/glres2.json"
check_eq "gl fixed 2: result" "posted=0 existing=1 over_limit=0 refused=0
resolved=1 reopened=0" "$OUT"
check_eq "gl fixed 2: requests" "GET $MR4 $L
GET $MR4/discussions?per_page=100 $L
GET $MR4/discussions?per_page=100&page=2 $L
GET $MR4/discussions?per_page=100&page=3 $L
POST $MR4/discussions/$AA/notes $L
PUT $MR4/discussions/$AA $L
GET $MR4/notes?per_page=100 $L
GET $MR4/notes?per_page=100&page=2 $L
GET $MR4/notes?per_page=100&page=3 $L
PUT $MR4/notes/ID $L
POST $P/statuses/$HEAD $L" "$(new_lines | sed 's/notes\/[0-9][0-9]* /notes\/ID /')"
check_eq "gl fixed 2: the note" "{\"body\":\"escape-review: fixed in $HEAD\"}" "$(recs body $((MARK + 5)))"
check_eq "gl fixed 2: resolved" '{"resolved":true}' "$(recs body $((MARK + 6)))"
check_eq "gl fixed 2: the stand-in resolved it" "true" "$(recs resp $((MARK + 6)) notes 0 resolved)"
mark
run env $GL CI_MERGE_REQUEST_IID=4 "$DRIVER" auto "$TMP/glres1.json"
check_eq "gl fixed 3: result (reopened, no duplicate)" "posted=0 existing=2 over_limit=0 refused=0
resolved=0 reopened=1" "$OUT"
check_eq "gl fixed 3: requests" "GET $MR4 $L
GET $MR4/discussions?per_page=100 $L
GET $MR4/discussions?per_page=100&page=2 $L
GET $MR4/discussions?per_page=100&page=3 $L
POST $MR4/discussions/$AA/notes $L
PUT $MR4/discussions/$AA $L" "$(new_lines | sed -n 1,6p)"
check_eq "gl fixed 3: the note" "{\"body\":\"escape-review: reintroduced in $HEAD\"}" "$(recs body $((MARK + 5)))"
check_eq "gl fixed 3: reopened" '{"resolved":false}' "$(recs body $((MARK + 6)))"
check_eq "gl fixed: the person's discussion never touched" "" "$(grep -c "discussions/$GLHUMAN" "$TMP/gl.rec" | grep -v '^0$')"

# 9. answers no forge should send: a merge request whose head commit is not
#    a SHA (it would go into positions, notes and the status's path), and
#    a summary note whose id cannot go into a path (not taken for ours)
mark
control "{\"answers\": [{\"path\": \"$P/merge_requests/5\", \"json\": {\"iid\": 5, \"diff_refs\":
 {\"base_sha\": \"$BASE\", \"start_sha\": \"$START\", \"head_sha\": \"$HEAD [x](http://e.test)\"}}}]}"
run env $GL CI_MERGE_REQUEST_IID=5 "$DRIVER" auto "$TMP/gl.json"
check_eq "gl head not a SHA: exit" 1 "$RC"
check_eq "gl head not a SHA: message" \
	"publish_driver: GitLab reporter: the merge request's head commit '$HEAD [x](http://e.test)' is not a full SHA (40 or 64 lower-case hex digits): nothing was posted; give --head and --base as full SHAs (git rev-parse REV)" "$ERR"
check_eq "gl head not a SHA: nothing written" "GET $P/merge_requests/5 $L fault=answer" "$(new_lines)"
mark
control "{\"answers\": [{\"path\": \"$P/merge_requests/5/notes\", \"json\": [
 {\"id\": 4.5, \"body\": \"<!-- escape-review:summary -->\\\\nnot ours\"}]}]}"
run env $GL CI_MERGE_REQUEST_IID=5 "$DRIVER" auto "$TMP/glres1.json"
check_eq "gl hostile note id: exit" 0 "$RC"
check_eq "gl hostile note id: a new summary, nothing else touched" \
	"GET $P/merge_requests/5/notes?per_page=100 $L fault=answer
POST $P/merge_requests/5/notes $L" \
	"$(new_lines | grep '/notes')"

stop_stub

# ------------------------------------------------------------------ secrets

for t in $TOKEN $GLTOKEN; do
	if grep -q -- "$t" "$TMP/all-output" "$TMP/gh.rec" "$TMP/gl.rec"; then
		ko "token $t appears in output or records"
	else
		ok
	fi
done

echo "http: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
