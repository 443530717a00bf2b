#!/bin/sh
# t22-revcache: the analysis cache of any committed revision (issue 17).  A
# re-review of reviewed commits (review --base A --head B run twice, the
# pre-push hook after a refused push) starts no go build and no go list and
# prints byte for byte what the first run printed; the head of one review is
# the base of the next; what the key cannot see (a replace or go.work
# outside the repository, the work tree) is never cached, and -v says why.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
git checkout -q c2
go_counter
builds() { grep -c '^build \|^test ' "$TMP/go-calls"; }
lists() { grep -c '^list ' "$TMP/go-calls"; }

# review --base A --head B twice, text and JSON
er --base c1 --head c2 --format json
expect_rc "c1..c2 (exit code)" 0
cp "$TMP/out" "$TMP/first.json"
cp "$TMP/err" "$TMP/first.err"
expect_eq "c1..c2 first run: base and head built" "$(builds)" 2
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "c1..c2 again: no go build, no go list" "$(builds) $(lists)" "0 0"
expect_eq "c1..c2 again: only the go environment was asked" "$(sed 's/ .*//' "$TMP/go-calls" | sort -u)" "env"
expect_eq "c1..c2 again: the JSON byte for byte" "$(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "identical"
expect_eq "c1..c2 again: the same stderr" "$(cat "$TMP/err")" "$(cat "$TMP/first.err")"
# the go environment is remembered for the next run, which reads its entries
# by it while `go env` runs: a wrong or broken memory costs only that
memo=.git/escape-review/cache/go-env
expect_eq "the go environment remembered (its version first)" "$(head -1 "$memo")" "$(go env GOVERSION)"
printf 'go1.0\n/nowhere\n' >"$memo"
er --base c1 --head c2 --format json
expect_eq "a wrong memory: the JSON byte for byte" "$(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "identical"
expect_eq "a wrong memory: replaced by the real answer" "$(head -1 "$memo")" "$(go env GOVERSION)"
head -c 3000 /dev/urandom >"$memo"
er --base c1 --head c2 --format json
expect_eq "a broken memory: the JSON byte for byte, the same stderr" \
	"$(cmp "$TMP/out" "$TMP/first.json" && echo identical) $(cat "$TMP/err")" "identical $(cat "$TMP/first.err")"
expect_eq "a broken memory: replaced" "$(head -1 "$memo")" "$(go env GOVERSION)"
er --base c1 --head c2 --explain
cp "$TMP/out" "$TMP/first.txt"
: >"$TMP/go-calls"
er --base c1 --head c2 --explain
expect_eq "text again: byte for byte, nothing built" "$(cmp "$TMP/out" "$TMP/first.txt" && echo identical) $(builds)" "identical 0"
expect_grep "the findings are the seed's" "^campus/score.go:27:[0-9]*: \[ER" "$TMP/out"

# the go command itself first on PATH (its GOROOT's bin/go, not the
# counting shim, which is never trusted): go env's answer is taken from the
# cache's memory while nothing it depends on changed, and -v says so
mkdir -p "$TMP/realgo"
ln -s "$real" "$TMP/realgo/go"
PATH="$TMP/realgo:$PATH" er --base c1 --head c2 -v --format json
expect_no_grep "go env remembered: not trusted after the shim's run" "go env not run" "$TMP/err"
PATH="$TMP/realgo:$PATH" er --base c1 --head c2 -v --format json
expect_grep "go env remembered: -v says it was not run" \
	"^escape-review: go env not run: its answer is remembered in .*/\.git/escape-review/cache/go-env, and the go command, its go.env, the GOENV file, the environment, go.work and go.mod are as they were$" "$TMP/err"
expect_eq "go env remembered: the JSON byte for byte" "$(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "identical"
GODEBUG=madvdontneed=1 PATH="$TMP/realgo:$PATH" er --base c1 --head c2 -v --format json
expect_no_grep "go env remembered, a GO* variable changed: run" "go env not run" "$TMP/err"
PATH="$TMP/realgo:$PATH" er --base c1 --head c2 -v --format json --no-cache
expect_no_grep "go env remembered, --no-cache: run" "go env not run" "$TMP/err"
# one answer is remembered, the last run's (GODEBUG's): run, then taken
PATH="$TMP/realgo:$PATH" er --base c1 --head c2 -v --format json
expect_no_grep "go env remembered with GODEBUG set, run without it: run" "go env not run" "$TMP/err"
PATH="$TMP/realgo:$PATH" er --base c1 --head c2 -v --format json
expect_grep "go env remembered again" "^escape-review: go env not run" "$TMP/err"
expect_eq "go env remembered again: the JSON byte for byte" "$(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "identical"

# the head of one review is the base of the next: c2..c3 builds c3 only
: >"$TMP/go-calls"
er --base c2 --head c3 --format json
expect_eq "c2..c3 after c1..c2: c2 (now the base) is not built again" "$(builds)" 1
# both entries are read lazily now (the existing findings are not printed):
# what is printed, the fixed finding's explanation included, is what a
# review that builds both prints
: >"$TMP/go-calls"
er --base c2 --head c3 --format json
expect_eq "c2..c3 again: nothing built" "$(builds)" 0
cp "$TMP/out" "$TMP/c2c3.json"
er --base c2 --head c3 --format json --no-cache
expect_eq "c2..c3 from the cache: the JSON of a review that builds both" \
	"$(cmp "$TMP/out" "$TMP/c2c3.json" && echo identical)" "identical"
expect_eq "c2..c3 from the cache: the fixed finding with its rule, sentence and explanation" \
	"$(json_get "$TMP/c2c3.json" '" ".join("%s:%d:%s:%s:%s" % (f["file"], f["line"], f["rule"], f["why"], len(f["flow"]) > 1) for f in d["fixed"])')" \
	"campus/score.go:39:ER001:result is boxed into an interface to be passed to log.Printf at score.go:39:True"

# with -v it says where the analyses came from
: >"$TMP/go-calls"
er --base c1 --head c2 -v --format json
expect_grep "-v: the head read from the cache" \
	"^escape-review: the analysis of the head revision is read from the cache: .*/\.git/escape-review/cache/[0-9a-f]\{40\}\.findings$" "$TMP/err"
expect_grep "-v: the base read from the cache" \
	"^escape-review: the analysis of the base revision is read from the cache: " "$TMP/err"

# the committed head is HEAD: the work tree is taken for it from its tracked
# files; untracked Go files are looked for only when something is to be
# built there, and then the head is built in a checkout instead
cat >campus/untracked_extra.go <<'GO'
package campus

func untrackedExtra() *int { z := 3; return &z }
GO
rm -rf .git/escape-review
: >"$TMP/go-calls"
er --base c1 --head c2 -v --format json
expect_eq "untracked Go file, nothing cached: the same JSON (the file is not the head's)" \
	"$(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "identical"
expect_grep "untracked Go file: -v says the head is built in a checkout" \
	"^escape-review: the work tree is not the head revision (changed or untracked Go files): the head revision is built in a checkout$" "$TMP/err"
expect_grep "untracked Go file: the head built in the checkout" \
	"^escape-review: running in .*/\.git/escape-review/head: go build " "$TMP/err"
expect_eq "untracked Go file: base and head built once each" "$(builds)" 2
expect_eq "untracked Go file: the go environment asked once, though the review started again" \
	"$(grep -c '^env ' "$TMP/go-calls")" 1
: >"$TMP/go-calls"
er --base c1 --head c2 -v --format json
expect_eq "untracked Go file, the head cached: nothing built, the same JSON" \
	"$(builds) $(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "0 identical"
expect_no_grep "untracked Go file, the head cached: nothing said of untracked files (none looked for)" "untracked" "$TMP/err"
rm campus/untracked_extra.go
# a change to a tracked file of the package: seen before the cache entry is
# read (what the analysis reads of the work tree is checked first), so the
# head is reviewed from its checkout: the cached analysis, nothing built
echo 'func trackedExtra() *int { w := 4; return &w }' >>campus/score.go
: >"$TMP/go-calls"
er --base c1 --head c2 -v --format json
expect_eq "a changed tracked file, the head cached: nothing built, the same JSON" \
	"$(builds) $(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "0 identical"
expect_grep "a changed tracked file: -v says the head is reviewed in a checkout" \
	"^escape-review: the work tree is not the head revision (changed or untracked Go files): the head revision is built in a checkout$" "$TMP/err"
git checkout -q -- campus/score.go

# other modes of a committed head are cached too
er --base c1 --head c2 --mode file --format json
cp "$TMP/out" "$TMP/file.json"
: >"$TMP/go-calls"
er --base c1 --head c2 --mode file --format json
expect_eq "--mode file again: nothing built, the same JSON" \
	"$(builds) $(cmp "$TMP/out" "$TMP/file.json" && echo identical)" "0 identical"

# the entries keep the classification, not the rule policy: a policy
# written after them applies to what is read, and nothing is built
json_get "$TMP/first.json" '" ".join("%s:%d:%s:%s" % (f["file"], f["line"], f["rule"], f["severity"]) for f in d["findings"])' >"$TMP/first.rules"
expect_grep "c1..c2 before the policy: ER001 is a warning" "campus/score.go:39:ER001:warning" "$TMP/first.rules"
expect_grep "c1..c2 before the policy: ER010 is there" ":ER010:" "$TMP/first.rules"
echo '{"rules": {"ER010": "off", "ER001": "error"}}' >.escape-review.json
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "a new rule policy, the entries cached: nothing built" "$(builds)" 0
expect_eq "a new rule policy: applied to the cached findings (ER010 off, ER001 an error)" \
	"$(json_get "$TMP/out" '" ".join("%s:%d:%s:%s" % (f["file"], f["line"], f["rule"], f["severity"]) for f in d["findings"])')" \
	"$(sed -e 's/:ER001:warning/:ER001:error/' "$TMP/first.rules" | tr ' ' '\n' | grep -v ':ER010:' | paste -sd' ')"
rm .escape-review.json

# the pre-push hook after a refused push: the second push builds nothing
c1=$(git rev-parse c1) c2=$(git rev-parse c2)
echo "refs/heads/main $c2 refs/heads/main $c1" >"$TMP/push"
rm -rf .git/escape-review
er hook pre-push origin url <"$TMP/push"
expect_rc "the hook refuses the push" 1
cp "$TMP/err" "$TMP/hook1.err"
: >"$TMP/go-calls"
er hook pre-push origin url <"$TMP/push"
expect_rc "the hook refuses again" 1
expect_eq "the hook again: no go build, no go list" "$(builds) $(lists)" "0 0"
expect_eq "the hook again: the same findings, byte for byte" "$(cat "$TMP/err")" "$(cat "$TMP/hook1.err")"

# the work tree under review is not a commit: never cached, -v says so
echo "// an uncommitted line" >>campus/score.go
: >"$TMP/go-calls"
er --worktree --mode file -v --format json
expect_grep "--worktree -v: not cached, saying why" \
	"^escape-review: not caching the analysis of the head revision: the work tree is under review, and it is not a commit$" "$TMP/err"
n=$(ls .git/escape-review/cache | wc -l)
er --worktree --mode file --format json
expect_eq "--worktree: built every time, no entry written" "$(builds) $(ls .git/escape-review/cache | wc -l)" "2 $n"
git checkout -q -- .

# a commit whose package has a performance contract: checked from the
# source every time, so never cached (-v says why); its base, cached, is
# read without a scan of its sources (an entry exists only for a set
# without contracts, under a key that holds the tree)
git checkout -q -b contracted c2
cat >>campus/score.go <<'GO'

//escape:none
func contracted() *int { v := 5; return &v }
GO
commit_all . ck
line=$(grep -n '^func contracted' campus/score.go | cut -d: -f1)
broken() { json_get "$TMP/out" '" ".join("%s:%d:%s:%s" % (f["file"], f["line"], f["rule"], f["status"]) for f in d["findings"] if f["rule"] == "ER041")'; }
: >"$TMP/go-calls"
er --base c2 --head contracted -v --format json
expect_grep "a contract -v: the head not cached, saying why" \
	"^escape-review: not caching the analysis of the head revision: it has performance contracts, which are checked from the source$" "$TMP/err"
expect_grep "a contract -v: the base read from the cache" \
	"^escape-review: the analysis of the base revision is read from the cache: " "$TMP/err"
expect_eq "a contract: the head built, the base not" "$(builds)" 1
expect_eq "a contract: its breach reported" "$(broken)" "campus/score.go:$line:ER041:new"
: >"$TMP/go-calls"
er --base c2 --head contracted --format json
expect_eq "a contract again: the head built again, its breach reported again" "$(builds) $(broken)" \
	"1 campus/score.go:$line:ER041:new"
git checkout -q c2

# a replace outside the repository: the key cannot see it
mkdir -p "$TMP/outside/dep" "$TMP/rep/r"
cat >"$TMP/outside/dep/go.mod" <<'EOF'
module example.com/dep

go 1.19
EOF
cat >"$TMP/outside/dep/dep.go" <<'EOF'
package dep

var Last *int

func Keep(p *int) { Last = p }
EOF
cd "$TMP/rep"
new_repo .
cat >go.mod <<EOF
module example.com/rep

go 1.19

require example.com/dep v0.0.0

replace example.com/dep => $TMP/outside/dep
EOF
cat >r/r.go <<'EOF'
package r

import "example.com/dep"

func F() {
	x := 1
	dep.Keep(&x)
}
EOF
commit_all . r1
echo '// r2' >>r/r.go
commit_all . r2
: >"$TMP/go-calls"
er --base HEAD~1 --head HEAD -v --format json
expect_rc "replace outside (exit code)" 0
expect_eq "replace outside: compared with the base (both built)" "$(json_get "$TMP/out" "d['mode']")" "new"
expect_grep "replace outside -v: not cached, saying why" \
	"^escape-review: not caching the analysis of the head revision: $(pwd -P)/go.mod replaces a module with $TMP/outside/dep, outside the repository$" "$TMP/err"
er --base HEAD~1 --head HEAD --format json
expect_eq "replace outside: built again (head and base, both runs)" "$(builds)" 4
expect_eq "replace outside: no entry written" "$(ls .git/escape-review/cache 2>/dev/null | grep -c '\.findings$')" 0
# the same dependency inside the repository is cached
mkdir -p third
cp -R "$TMP/outside/dep" third/dep
sed -i "s|=> $TMP/outside/dep|=> ./third/dep|" go.mod
commit_all . r3
echo '// r4' >>r/r.go
commit_all . r4
er --base HEAD~1 --head HEAD --format json
: >"$TMP/go-calls"
er --base HEAD~1 --head HEAD -v --format json
expect_eq "replace inside the repository: cached (no build the second time)" "$(builds)" 0
expect_no_grep "replace inside: nothing refused" "not caching" "$TMP/err"

# a go.work above the repository (not in any commit): not cached
cat >"$TMP/go.work" <<'EOF'
go 1.19

use ./rep
EOF
: >"$TMP/go-calls"
er --base HEAD~1 --head HEAD -v --format json
expect_grep "go.work outside -v: not cached, saying why" \
	"^escape-review: not caching the analysis of the head revision: the workspace $TMP/go.work is outside the repository$" "$TMP/err"
expect_eq "go.work outside: built (head and base)" "$(builds)" 2
rm "$TMP/go.work"

finish
