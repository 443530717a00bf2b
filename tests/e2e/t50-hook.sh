#!/bin/sh
# The pre-push hook with real `git push`es to a bare remote: a clean new
# branch passes, escapes block (naming file:line, how to acknowledge and
# how to bypass), ESCAPE_REVIEW_SKIP, //escape:ok with and without a
# reason, a docs-only push starts no go, the hook's own failures follow
# hook.on_error, and the input lines are checked.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/bin"
ln -s "$ER_BIN" "$TMP/bin/escape-review"
PATH="$TMP/bin:$PATH"
export PATH
git init -q --bare "$TMP/remote.git"
sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/w" >/dev/null
cd "$TMP/w" || exit 1
git remote add origin "$TMP/remote.git"
sh "$ER_SRC/install.sh" --hook . >/dev/null
git checkout -q -B main c1

# push ARGS...: git push, output in $TMP/out and $TMP/err, exit code in $rc
push() {
	git push "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
on_remote() { git --git-dir="$TMP/remote.git" rev-parse -q --verify "$1" >/dev/null; }

# 1. the first push of main: one commit, nothing pushed before it
push origin main
expect_rc "first push of main" 0
expect_grep "first push: the whole tree is reviewed" "(nothing of it is on the remote yet: reviewing the whole tree)" "$TMP/err"
expect_grep "first push: c1 has no escapes" "escape-review: 0 new, 0 existing, 0 fixed (0 error, 0 warning, 0 info) in 1 package (mode new)" "$TMP/err"

# 2. a new branch with an escape-free change is reviewed and passes
git checkout -q -b feature-ok main
cat >campus/sum.go <<'GO'
package campus

// Sum adds the scores.
func Sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
GO
commit_all . "sum"
go_counter
push origin feature-ok
expect_rc "escape-free new branch" 0
expect_grep "escape-free push: reviewed against main" "^escape-review: refs/heads/feature-ok $(git rev-parse --short=12 main)\.\.$(git rev-parse --short=12 HEAD)" "$TMP/err"
expect_grep "escape-free push: nothing new" "^escape-review: 0 new, " "$TMP/err"
if [ "$(go_calls)" -gt 0 ]; then ok "escape-free push ran go"; else bad "escape-free push ran go"; fi
on_remote refs/heads/feature-ok && ok "feature-ok reached the remote" || bad "feature-ok reached the remote"

# 3. c2 adds escapes: blocked, naming the lines, how to acknowledge and bypass
git checkout -q -b feature c2
push origin feature
expect_rc "escapes block the push" 1
expect_grep "blocked: names score.go:27" "^campus/score.go:27:2: \[ER010 warning\] moved to heap: s" "$TMP/err"
expect_grep "blocked: names score.go:39" "^campus/score.go:39:$(by_go 13 24): \[ER001 warning\] result escapes to heap" "$TMP/err"
expect_grep "blocked: the reason chain" "from return &s (return) at campus/score.go:28:2" "$TMP/err"
expect_grep "blocked: says so" "^escape-review: push blocked: findings at or above warning (hook.fail_on)" "$TMP/err"
expect_grep "blocked: how to acknowledge" "//escape:ok <reason>" "$TMP/err"
expect_grep "blocked: how to bypass" "ESCAPE_REVIEW_SKIP=1 git push   (or: git push --no-verify)" "$TMP/err"
on_remote refs/heads/feature && bad "feature stayed off the remote" || ok "feature stayed off the remote"
lines=$(sed -n 's/^campus\/score\.go:\([0-9]*\):[0-9]*: \[ER[0-9]* [a-z]*\].*/\1/p' "$TMP/err" | sort -un | tr '\n' ' ')

# 4. ESCAPE_REVIEW_SKIP=1 lets it through, saying so
ESCAPE_REVIEW_SKIP=1 push origin feature:refs/heads/feature-skip
expect_rc "ESCAPE_REVIEW_SKIP=1" 0
expect_grep "skip: one line" "^escape-review: ESCAPE_REVIEW_SKIP is set: the escape review was skipped$" "$TMP/err"
on_remote refs/heads/feature-skip && ok "skipped push reached the remote" || bad "skipped push reached the remote"

# 5. //escape:ok without a reason on each finding's line: still blocked
# ack_lines SUFFIX: append SUFFIX to each reported line of score.go
ack_lines() {
	awk -v lines=" $lines" -v sfx="$1" '{ if (index(lines, " " NR " ")) print $0 sfx; else print }' \
		campus/score.go >"$TMP/score.go" && cp "$TMP/score.go" campus/score.go
}
git checkout -q -B feature c2
ack_lines " //escape:ok"
commit_all . "ack without reasons"
push origin feature
expect_rc "an ack without a reason does not pass" 1
expect_grep "no reason: warned with file:line" "^escape-review: campus/score.go:27: //escape:ok needs a reason" "$TMP/err"
expect_grep "no reason: still listed" "^campus/score.go:27:2: \[ER010 warning\] moved to heap: s$" "$TMP/err"

# 6. with a reason on each line: acknowledged, listed, and the push passes
git checkout -q -B feature c2
ack_lines " //escape:ok built once per request"
commit_all . "ack with reasons"
push origin feature
expect_rc "acknowledged findings pass" 0
expect_grep "ack: listed as acknowledged" "^campus/score.go:27:2: \[ER010 warning\] moved to heap: s (acknowledged)" "$TMP/err"
expect_grep "ack: the reason is shown" "^    acknowledged: built once per request" "$TMP/err"
expect_no_grep "ack: no warning" "needs a reason" "$TMP/err"
on_remote refs/heads/feature && ok "acknowledged push reached the remote" || bad "acknowledged push reached the remote"

# 7. a docs-only push starts no go process
git checkout -q -b docs main
echo "# campus" >README.md
commit_all . "docs"
: >"$TMP/go-calls"
push origin docs
expect_rc "docs-only push" 0
expect_eq "docs-only push started no go" "$(go_calls)" 0
expect_grep "docs-only push was reviewed" "^escape-review: refs/heads/docs " "$TMP/err"

# 8. a deleted branch is not reviewed
: >"$TMP/go-calls"
push origin --delete feature-skip
expect_rc "deleting a branch" 0
expect_eq "deletion started no go" "$(go_calls)" 0

# 9. the hook's own failure: allowed with a warning, or blocked (on_error)
git checkout -q -b broken main
printf 'package campus\n\nfunc Broken( {\n' >campus/broken.go
commit_all . "broken"
push origin broken
expect_rc "a build error allows the push by default" 0
expect_grep "build error: warning" "^escape-review: warning: the review could not run; the push goes ahead (hook.on_error is \"allow\")" "$TMP/err"
git push -q origin --delete broken 2>/dev/null
echo '{"hook": {"on_error": "block"}}' >.escape-review.json
push origin broken
expect_rc "on_error block: a build error blocks" 1
expect_grep "on_error block: says so" "^escape-review: push blocked: the review could not run and hook.on_error is \"block\"" "$TMP/err"

# the same, calling the hook directly: exit 3, and an unknown remote commit
zero=0000000000000000000000000000000000000000
unknown=1234567890123456789012345678901234567890
printf 'refs/heads/main %s refs/heads/main %s\n' "$(git rev-parse main)" "$unknown" >"$TMP/in"
er hook pre-push origin "$TMP/remote.git" <"$TMP/in"
expect_rc "on_error block: the hook exits 3" 3
expect_grep "unknown remote commit named" "^escape-review: refs/heads/main: the remote's refs/heads/main is at 123456789012, which this repository does not have (git fetch origin, then push again)$" "$TMP/err"
rm .escape-review.json
er hook pre-push origin "$TMP/remote.git" <"$TMP/in"
expect_rc "on_error allow: the hook exits 0" 0
expect_grep "on_error allow: warns" "the push goes ahead" "$TMP/err"

# input lines: malformed, deletions, duplicates
echo "refs/heads/main nonsense" >"$TMP/in"
er hook pre-push origin "$TMP/remote.git" <"$TMP/in"
expect_grep "malformed input is named" "^escape-review: pre-push input line is not '<local ref> <local sha> <remote ref> <remote sha>': 'refs/heads/main nonsense'$" "$TMP/err"
printf '(delete) %s refs/heads/gone %s\n' "$zero" "$(git rev-parse main)" >"$TMP/in"
: >"$TMP/go-calls"
er hook pre-push origin "$TMP/remote.git" <"$TMP/in"
expect_rc "only a deletion" 0
expect_grep "only a deletion: nothing to review" "^escape-review: no new commits to review in this push$" "$TMP/err"
sum=$(git rev-parse feature-ok)
printf 'refs/heads/a %s refs/heads/a %s\nrefs/heads/b %s refs/heads/b %s\n' "$sum" "$zero" "$sum" "$zero" >"$TMP/in"
er hook pre-push origin "$TMP/remote.git" <"$TMP/in"
expect_rc "two refs, one range" 0
expect_eq "the same range is reviewed once" "$(grep -c '^escape-review: refs/heads/' "$TMP/err")" 1
er hook pre-push
expect_rc "hook without a remote" 2
er hook pre-commit
expect_rc "pre-commit hook outside pre-commit" 0
expect_grep "pre-commit: says nothing was reviewed" "PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF are not set" "$TMP/err"
PRE_COMMIT_FROM_REF=$(git rev-parse c1) PRE_COMMIT_TO_REF=$(git rev-parse c2) er hook pre-commit
expect_rc "pre-commit range with escapes" 1
expect_grep "pre-commit: names score.go:27" "^campus/score.go:27:2: \[ER010 warning\]" "$TMP/err"

# a first push to an empty remote reviews the whole tree: c2 has four findings
git init -q --bare "$TMP/empty.git"
sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/fresh" >/dev/null
cd "$TMP/fresh" || exit 1
git remote add empty "$TMP/empty.git"
sh "$ER_SRC/install.sh" --hook . >/dev/null
push empty c2:refs/heads/main
expect_rc "first push of c2 to an empty remote is blocked" 1
expect_grep "whole-tree review names score.go:39" "^campus/score.go:39:$(by_go 13 24): \[ER001 warning\] result escapes to heap" "$TMP/err"
expect_grep "whole-tree review: counts" "escape-review: 4 new, 0 existing, 0 fixed (0 error, 3 warning, 1 info) in 1 package (mode new)" "$TMP/err"

finish
