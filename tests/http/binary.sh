#!/bin/sh
# tests/http/binary.sh: the escape-review binary publishing a real review
# (the seed example, c1..c2) from GitHub Actions-style and GitLab CI-style
# environments to the stand-in servers over 127.0.0.1, asserting the
# requests they recorded, the exit codes, and that no token is ever printed.
#
# usage: sh tests/http/binary.sh PATH/TO/escape-review [PYTHON3]
set -u
BIN=${1:?usage: binary.sh PATH/TO/escape-review [PYTHON3]}
PY=${2:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
VERSION=$(sed -n 's/^VERSION := //p' "$SRC/Makefile")
UA="escape-review/$VERSION"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/er-http-bin.XXXXXX")
TOKEN=ghp_BINTESTTOKEN456
GLTOKEN=glpat-BINTESTTOKEN456
. "$HERE/lib.sh"
export NO_COLOR=1 HOME="$TMP/home"
export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"

# the seed example: c1..c2 is the pull request
sh "$SRC/examples/make-campus-repo.sh" "$TMP/repo" >/dev/null
cd "$TMP/repo"
git checkout -q c2
BASE=$(git rev-parse c1)
HEAD=$(git rev-parse c2)
# the lines of campus/score.go a reviewer sees in the pull request (git's own diff)
"$PY" - "$BASE" "$HEAD" >"$TMP/scenario.json" <<'PY'
import json, re, subprocess, sys
base, head = sys.argv[1], sys.argv[2]
diff = subprocess.run(["git", "diff", "-U3", base + "..." + head, "--", "campus/score.go"],
                      capture_output=True, text=True, check=True).stdout
added, context, new, old = [], {}, 0, 0
for line in diff.splitlines():
    m = re.match(r"@@ -(\d+)(?:,\d+)? \+(\d+)", line)
    if m:
        old, new = int(m.group(1)), int(m.group(2))
        continue
    if line.startswith(("+++", "---")) or not new:
        continue
    if line.startswith("+"):
        added.append(new); new += 1
    elif line.startswith("-"):
        old += 1
    else:
        context[str(new)] = old; new += 1; old += 1
print(json.dumps({"head": head, "base": base, "start": base,
                  "diff": {"campus/score.go": sorted(added + [int(k) for k in context])},
                  "gitlab": {"campus/score.go": {"old_path": "campus/score.go", "added": added, "context": context}}}))
PY
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); d['diff']=d.pop('gitlab'); json.dump(d, open(sys.argv[2],'w'))" \
	"$TMP/scenario.json" "$TMP/gl-scenario.json"
VISIBLE=$("$PY" -c "import json,sys; print(' '.join(map(str, json.load(open(sys.argv[1]))['diff']['campus/score.go'])))" "$TMP/scenario.json")

# ------------------------------------------------------------------ GitHub
start_stub github_stub.py gh --scenario "$TMP/scenario.json" --token "$TOKEN"
API=http://127.0.0.1:$PORT
cat >"$TMP/event.json" <<EOF
{"action": "synchronize", "number": 7,
 "pull_request": {"number": 7,
  "head": {"sha": "$HEAD", "repo": {"full_name": "o/r"}},
  "base": {"sha": "$BASE", "repo": {"full_name": "o/r"}}}}
EOF
sed 's/"full_name": "o\/r"}}, *$/"full_name": "someone\/r"}},/' "$TMP/event.json" >"$TMP/fork.json"
GH="GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH=$TMP/event.json
    GITHUB_REPOSITORY=o/r GITHUB_API_URL=$API GITHUB_TOKEN=$TOKEN GITHUB_SHA=4444444444444444444444444444444444444444"
L="auth=ok ua=$UA"

# 1. first run: the review printed, then one review with the diff-visible new
#    findings, one summary, a status; base and head come from the event
mark
run env $GH "$BIN" --reporter auto --format json
check_eq "gh 1: exit" 0 "$RC"
check_eq "gh 1: printed findings (base and head from the event)" \
	"campus/score.go:14 campus/score.go:20 campus/score.go:27 campus/score.go:39 base=$BASE head=$HEAD" \
	"$("$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%s:%d' % (f['file'], f['line']) for f in d['findings']), 'base=' + d['base'], 'head=' + d['head'])" "$TMP/out")"
check_eq "gh 1: requests" "GET /repos/o/r/pulls/7/comments?per_page=100 $L
POST /repos/o/r/pulls/7/reviews $L
GET /repos/o/r/issues/7/comments?per_page=100 $L
GET /repos/o/r/issues/7/comments?per_page=100&page=2 $L
POST /repos/o/r/issues/7/comments $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines)"
# which findings are on lines the pull request shows: computed from git's diff
expect_inline=$("$PY" -c "
import sys
vis = set(map(int, sys.argv[1].split()))
print(' '.join('campus/score.go:%d' % l for l in (14, 20, 27, 39) if l in vis))" "$VISIBLE")
check_eq "gh 1: inline comments exactly on the diff-visible lines" "$expect_inline" \
	"$(recs get $((MARK + 2)) comments | "$PY" -c "import json,sys; print(' '.join('%s:%d' % (c['path'], c['line']) for c in json.load(sys.stdin)))")"
check_eq "gh 1: review is a COMMENT on head" "COMMENT $HEAD RIGHT" \
	"$(recs get $((MARK + 2)) event) $(recs get $((MARK + 2)) commit_id) $(recs get $((MARK + 2)) comments 0 side)"
check_contains "gh 1: inline body carries the fingerprint" "<!-- escape-review:fp=" "$(recs get $((MARK + 2)) comments 0 body)"
check_contains "gh 1: summary starts with the marker" "<!-- escape-review:summary -->" "$(recs get $((MARK + 5)) body)"
check_contains "gh 1: summary names a finding" "CalcAvgScore" "$(recs get $((MARK + 5)) body)"
check_eq "gh 1: status success (fail_on error)" "success escape-review" \
	"$(recs get $((MARK + 6)) state) $(recs get $((MARK + 6)) context)"

# 2. second run, verbose: the summary is edited in place, no duplicate inline comment
mark
run env $GH "$BIN" --reporter github -v --fail-on warning
check_eq "gh 2: exit (findings at warning)" 1 "$RC"
check_eq "gh 2: requests (our threads looked up: none is resolved or fixed)" "GET /repos/o/r/pulls/7/comments?per_page=100 $L
GET /repos/o/r/pulls/7/comments?per_page=100&page=2 $L
POST /graphql $L
POST /graphql $L
GET /repos/o/r/issues/7/comments?per_page=100 $L
GET /repos/o/r/issues/7/comments?per_page=100&page=2 $L
GET /repos/o/r/issues/7/comments?per_page=100&page=3 $L
PATCH /repos/o/r/issues/comments/ID $L
POST /repos/o/r/statuses/$HEAD $L" "$(new_lines | sed 's/comments\/[0-9][0-9]* /comments\/ID /')"
check_eq "gh 2: status failure" "failure" "$(recs get "$(recs count)" state)"
check_contains "gh 2: verbose logs requests" "escape-review: http: PATCH" "$ERR"

# 3. faults survived: 502, 429, secondary rate limit
mark
control '{"fail_first": 1, "rate_limit_429": 1, "secondary_403": 1}'
run env $GH "$BIN" --reporter github
check_eq "gh faults: exit" 0 "$RC"
check_eq "gh faults: three retries, then the run completes" "4" \
	"$(new_lines | grep -c '^GET /repos/o/r/pulls/7/comments?per_page=100 ')"
control '{}'

# 4. a bad token: exit 4, one clear line, and the findings were printed first
mark
run env $GH GITHUB_TOKEN=ghp_WRONGTOKEN789 "$BIN" --reporter github
check_eq "gh bad token: exit" 4 "$RC"
# Go 1.19 places the boxed argument one column after the call's parenthesis
# (39:13), newer compilers on the argument itself (39:24)
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ "${go_minor:-0}" -le 19 ]; then col=13; else col=24; fi
check_contains "gh bad token: the findings were printed" "campus/score.go:39:$col: [ER001 warning] result escapes to heap" "$OUT"
check_eq "gh bad token: the error" \
	"escape-review: GET /repos/o/r/pulls/7/comments?per_page=100 failed: 401 Bad credentials (check GITHUB_TOKEN)" "$ERR"

# 5. a fork: read-only token, annotations instead
mark
run env $GH GITHUB_EVENT_PATH="$TMP/fork.json" "$BIN" --reporter github
check_eq "gh fork: exit" 0 "$RC"
check_eq "gh fork: nothing sent" "" "$(new_lines)"
check_contains "gh fork: says why" "fork" "$ERR"
check_contains "gh fork: annotations instead" "::warning file=campus/score.go,line=39,col=$col," "$OUT"

# 5b. two phases, as for a pull request from a fork: `review` with no token
#     writes the file and sends nothing; `publish --from` with a token, in
#     no repository and with no go, posts exactly what the one-phase run
#     posts (pull request 11 in one phase, 12 in two)
sed 's/"number": 7/"number": 11/g' "$TMP/event.json" >"$TMP/event11.json"
sed 's/"number": 7/"number": 12/g' "$TMP/fork.json" >"$TMP/fork12.json"
cat >"$TMP/run.json" <<EOF
{"action": "completed", "workflow_run": {"event": "pull_request", "head_sha": "$HEAD",
 "pull_requests": [], "head_repository": {"full_name": "someone/r"}}, "repository": {"full_name": "o/r"}}
EOF
mkdir -p "$TMP/nogo" "$TMP/elsewhere"
printf '#!/bin/sh\necho "$@" >>"%s/nogo/ran"\nexit 1\n' "$TMP" >"$TMP/nogo/go"
chmod +x "$TMP/nogo/go"
mark
run env $GH GITHUB_EVENT_PATH="$TMP/event11.json" "$BIN" --reporter github
check_eq "two-phase: the one-phase run" 0 "$RC"
M1=$MARK
mark
M2=$MARK
run env GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$TMP/fork12.json" \
	GITHUB_REPOSITORY=o/r GITHUB_API_URL="$API" "$BIN" --reporter github --no-publish --format json
cp "$TMP/out" "$TMP/review.json"
check_eq "two-phase review: exit" 0 "$RC"
check_eq "two-phase review: quiet" "" "$ERR"
check_eq "two-phase review: nothing sent" "" "$(new_lines)"
check_eq "two-phase review: the file says where and what" "1 12 $HEAD $BASE" \
	"$("$PY" -c "import json,sys; p=json.load(open(sys.argv[1]))['publish']; print(p['version'], p['number'], p['head'], p['base'])" "$TMP/review.json")"
WF="GITHUB_ACTIONS=true GITHUB_EVENT_NAME=workflow_run GITHUB_EVENT_PATH=$TMP/run.json
    GITHUB_REPOSITORY=o/r GITHUB_API_URL=$API GITHUB_TOKEN=$TOKEN PATH=$TMP/nogo:/usr/bin:/bin"
mark
(cd "$TMP/elsewhere" && run env $WF "$BIN" publish --from "$TMP/review.json" --reporter github
 echo "$RC" >"$TMP/rc"; printf '%s' "$ERR" >"$TMP/err2")
check_eq "publish --from: exit" 0 "$(cat "$TMP/rc")"
check_eq "publish --from: quiet" "" "$(cat "$TMP/err2")"
check_eq "publish --from: no go run" "" "$(cat "$TMP/nogo/ran" 2>/dev/null)"
reqs() { # FROM TO NUMBER: request lines and bodies, the number made N (a whole
	# path segment only: a commit id in the path may start with its digits)
	"$PY" -c 'import json,re,sys
recs = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):int(sys.argv[3])]
for r in recs:
    print(r["method"], re.sub("/%s(?=/|$)" % sys.argv[4], "/N", r["path"])
          if "/issues/comments/" not in r["path"] else "PATCH-ID", json.dumps(r["body"], sort_keys=True))' \
	"$TMP/gh.rec" "$1" "$2" "$3"
}
check_eq "publish --from posts exactly what the one-phase run posts" \
	"$(reqs "$M1" "$M2" 11)" "$(reqs "$MARK" "$(recs count)" 12)"
check_ge "publish --from: it did post" "$(recs count)" $((MARK + 5))
# the file is untrusted: a tampered one is refused with exit 2, nothing sent
tamper() { # NAME PYTHON-STATEMENT-ON-p
	"$PY" -c "import json,sys
d = json.load(open(sys.argv[1])); p = d['publish']
$2
json.dump(d, open(sys.argv[2], 'w'))" "$TMP/review.json" "$TMP/$1.json"
}
tamper dotdot 'p["comments"][0]["path"] = "campus/../../etc/passwd"'
tamper sha 'p["head"] = "f" * 40'
tamper big 'p["comments"][0]["body"] = "x" * 10000000'
tamper version 'p["version"] = 2'
tamper marker 'p["summary"] += "<!-- escape-review:fp=aa -->"'
tamper number 'p["number"] = 7'
for t in dotdot sha big version marker; do
	mark
	run env $WF "$BIN" publish --from "$TMP/$t.json" --reporter github
	check_eq "tampered $t: exit 2" 2 "$RC"
	check_eq "tampered $t: nothing sent" "" "$(new_lines)"
	case $t in
	dotdot) want="escape-review: publish: $TMP/$t.json: comments[0]: a path is not a relative path inside the repository (empty, absolute, '..', '.', backslash or control character); it comes from an untrusted job, so nothing was sent (write it with \`escape-review review --format json --reporter R --no-publish\` of this version)" ;;
	sha) want="escape-review: publish: the file reviews head ffffffffffffffffffffffffffffffffffffffff, but the pull request's head is $HEAD: nothing was sent" ;;
	big) want="escape-review: publish: $TMP/$t.json: \"body\" is larger than 1000000 bytes; it comes from an untrusted job, so nothing was sent (write it with \`escape-review review --format json --reporter R --no-publish\` of this version)" ;;
	version) want="escape-review: publish: $TMP/$t.json: \"publish\".\"version\" is not 1; it comes from an untrusted job, so nothing was sent (write it with \`escape-review review --format json --reporter R --no-publish\` of this version)" ;;
	marker) want="escape-review: publish: $TMP/$t.json: \"summary\" carries an escape-review marker; it comes from an untrusted job, so nothing was sent (write it with \`escape-review review --format json --reporter R --no-publish\` of this version)" ;;
	esac
	check_eq "tampered $t: the message" "$want" "$ERR"
done
# a number the workflow_run event contradicts
sed 's/"pull_requests": \[\]/"pull_requests": [{"number": 12}]/' "$TMP/run.json" >"$TMP/run12.json"
mark
run env $WF GITHUB_EVENT_PATH="$TMP/run12.json" "$BIN" publish --from "$TMP/number.json" --reporter github
check_eq "tampered number: exit 2" 2 "$RC"
check_eq "tampered number: message" "escape-review: publish: the file is for #7, but the pull request is #12: nothing was sent" "$ERR"
check_eq "tampered number: nothing sent" "" "$(new_lines)"

# 6. --dry-run sends nothing and shows what it would send
mark
run env $GH "$BIN" --reporter github --dry-run
check_eq "gh dry run: exit" 0 "$RC"
check_eq "gh dry run: nothing sent" "" "$(new_lines)"
check_contains "gh dry run: shows the review request" "POST $API/repos/o/r/pulls/7/reviews" "$OUT"

# 7. a missing value names it
run env GITHUB_ACTIONS=true GITHUB_REPOSITORY=o/r GITHUB_TOKEN=$TOKEN "$BIN" --reporter github
check_eq "gh no event: exit" 2 "$RC"
check_contains "gh no event: names what is missing" "--pr" "$ERR"
stop_stub

# ------------------------------------------------------------------ GitLab
start_stub gitlab_stub.py gl --scenario "$TMP/gl-scenario.json" --token "$GLTOKEN"
API=http://127.0.0.1:$PORT/api/v4
GL="GITLAB_CI=true CI_API_V4_URL=$API CI_PROJECT_ID=group/proj CI_MERGE_REQUEST_IID=3
    CI_MERGE_REQUEST_DIFF_BASE_SHA=$BASE CI_COMMIT_SHA=4444444444444444444444444444444444444444
    CI_MERGE_REQUEST_SOURCE_BRANCH_SHA=$HEAD GITLAB_TOKEN=$GLTOKEN"
P=/api/v4/projects/group%2Fproj
mark
run env $GL "$BIN" --reporter auto
check_eq "gl 1: exit" 0 "$RC"
n_inline=$(echo "$expect_inline" | wc -w | tr -d ' ')
check_eq "gl 1: one discussion per diff-visible finding" "$n_inline" \
	"$(new_lines | grep -c "^POST $P/merge_requests/3/discussions ")"
check_eq "gl 1: the summary note and the status" "1 1" \
	"$(new_lines | grep -c "^POST $P/merge_requests/3/notes ") $(new_lines | grep -c "^POST $P/statuses/$HEAD ")"
mark
run env $GL "$BIN" --reporter gitlab
check_eq "gl 2: no new discussion" "0" "$(new_lines | grep -c "^POST $P/merge_requests/3/discussions ")"
check_eq "gl 2: the note is edited" "1" "$(new_lines | grep -c "^PUT $P/merge_requests/3/notes/")"
run env $GL GITLAB_TOKEN=glpat-WRONG "$BIN" --reporter gitlab
check_eq "gl bad token: exit" 4 "$RC"
check_contains "gl bad token: names the request" "failed: 401" "$ERR"
run env $GL GITLAB_TOKEN= CI_JOB_TOKEN=jobtoken123 "$BIN" --reporter gitlab
check_contains "gl job token only: says so" "CI_JOB_TOKEN" "$ERR"
stop_stub

# no token ever appears in any output
for t in "$TOKEN" "$GLTOKEN" ghp_WRONGTOKEN789 glpat-WRONG jobtoken123; do
	if grep -q -- "$t" "$TMP/all-output"; then ko "token $t printed"; else ok; fi
done
echo "http-binary: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
