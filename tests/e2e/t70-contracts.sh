#!/bin/sh
# t70-contracts: performance contracts (docs/contracts.md) on the example of
# examples/make-contracts-repo.sh, with the real compiler: the exact broken
# contracts of c1..c2 (new, existing, fixed), //escape:ok does not silence
# one, an unknown directive and a directive with nothing to check are
# reported, the exit codes of review, check and the pre-push hook, the
# `contracts` list, and the bounds-check flag given only to the package
# that holds //escape:bce (the go shim records every command line).
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-contracts-repo.sh" "$TMP/hot" >/dev/null
cd "$TMP/hot" || exit 1
go_counter

# "file:line:col:function:rule:status:message contract" per finding, then fixed
contracts() {
	python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    c = f.get("contract")
    where = "%s/%s/%s:%d" % (c["directive"], c["scope"], c["file"], c["line"]) if c else "-"
    print("%s:%d:%d:%s:%s:%s:%s %s" % (f["file"], f["line"], f["column"], f["function"],
                                        f["rule"], f["status"], f["message"], where))
for f in d["fixed"]:
    print("fixed %s:%d:%s:%s:%s" % (f["file"], f["line"], f["function"], f["rule"], f["message"]))
PY
}

# --- review c1..c2: every contract broken once, At's holds again ---
er --base c1 --head c2 --format json
expect_rc "review c1..c2: broken contracts fail the review" 1
expect_eq "review c1..c2: the exact contract findings" "$(contracts)" \
"hot/hot.go:13:2:Sum:ER041:new:escape:none broken: moved to heap: s none/function/hot/hot.go:11
hot/hot.go:13:2:Sum:ER010:new:moved to heap: s -
hot/hot.go:23:6:Scale:ER042:new:escape:inline broken: Scale is not inlinable inline/function/hot/hot.go:22
hot/hot.go:49:11:First3:ER043:new:escape:bce broken: Found IsInBounds bce/function/hot/hot.go:47
hot/hot.go:49:19:First3:ER043:new:escape:bce broken: Found IsInBounds bce/function/hot/hot.go:47
hot/hot.go:49:27:First3:ER043:new:escape:bce broken: Found IsInBounds bce/function/hot/hot.go:47
hot/hot.go:54:14:Total:ER042:new:escape:inline broken: call to Scale not inlined inline/line/hot/hot.go:54
hot/hot.go:54:28:Total:ER042:new:escape:inline broken: call to Scale not inlined inline/line/hot/hot.go:54
hot/hot.go:75:9:Keep:ER041:new:escape:none broken: &pair{...} escapes to heap none/line/hot/hot.go:75
hot/hot.go:80:1:Misspelt:ER044:new:unknown contract directive 'noalloc' in //escape:noalloc noalloc/function/hot/hot.go:80
hot/hot.go:85:2:Empty:ER045:new:escape:bce has nothing to check: no index or slice expression on line 86 bce/line/hot/hot.go:85
fixed hot/hot.go:45:At:ER043:escape:bce broken: Found IsInBounds"
expect_eq "review c1..c2: severities" "$(json_get "$TMP/out" "d['summary']['by_severity']")" \
	"{'info': 0, 'warning': 1, 'error': 10}"
# the compiler's reason is quoted (the same cost on Go 1.19 and 1.26)
expect_eq "inline: the compiler's reason" \
	"$(json_get "$TMP/out" "[f['why'] for f in d['findings'] if f['line'] == 23][0]")" \
	"//escape:inline at hot/hot.go:22 (function Scale) promises Scale can be inlined; the compiler says: cannot inline Scale: function too complex: cost 94 exceeds budget 80"
expect_eq "inline on a line: the callee named with its reason" \
	"$(json_get "$TMP/out" "[f['why'] for f in d['findings'] if f['line'] == 54][0]")" \
	"//escape:inline at hot/hot.go:54 promises every call on line 54 is inlined; the compiler says: cannot inline Scale: function too complex: cost 94 exceeds budget 80"
expect_eq "none: the allocation's chain is the explanation" \
	"$(json_get "$TMP/out" "[s['text'] for f in d['findings'] if f['rule'] == 'ER041' and f['line'] == 13 for s in f['flow']][-1]")" \
	"from return &s (return)"
# (Scale, exported, stops inlining: a summary change, so cold, which imports
# hot, is analysed too, with the flags it has without contracts)
expect_eq "the bce flag for ./hot, the changed package (head and base)" \
	"$(grep '^build' "$TMP/go-calls" | sort | uniq -c | sed 's/^ *//')" \
	"2 build -trimpath=false -gcflags=-m=2 -gcflags=./hot=-m=2 -d=ssa/check_bce/debug=1 -o /dev/null ./hot
2 build -trimpath=false -gcflags=-m=2 -o /dev/null ./cold"

er --base c1 --head c2
expect_rc "review c1..c2, text" 1
expect_grep "text: a broken contract" "^hot/hot.go:75:9: \[ER041 error\] escape:none broken: &pair{...} escapes to heap$" "$TMP/out"
expect_grep "text: an unknown directive" "^hot/hot.go:80:1: \[ER044 error\] unknown contract directive 'noalloc' in //escape:noalloc$" "$TMP/out"
expect_grep "text: the summary" "^escape-review: 11 new, 1 existing, 1 fixed (10 error, 1 warning, 0 info) in 1 package and 1 importing package (mode new)$" "$TMP/out"

# --- //escape:ok above the line accepts the allocation, never the contract
# (mode all: the line was added, so its findings are new) ---
er --base c1 --head c2 --mode all --format json
expect_eq "//escape:ok: the allocation acknowledged, the contract not" \
	"$(json_get "$TMP/out" "sorted((f['rule'], f['status']) for f in d['findings'] if f['line'] == 75)")" \
	"[('ER011', 'acknowledged'), ('ER041', 'new')]"

# --- the summary comment has a section of its own ---
er --base c1 --head c2 --format markdown
expect_grep "markdown: the contracts section" "^#### Performance contracts$" "$TMP/out"
expect_grep "markdown: a broken contract row" "^| broken | \`hot/hot.go:23\` | \`//escape:inline\` (function, \`hot/hot.go:22\`) | \`escape:inline broken: Scale is not inlinable\` | ER042 |\$" "$TMP/out"
expect_grep "markdown: a contract that holds again" "^| holds again | \`hot/hot.go:45\` | \`//escape:bce\` (line, \`hot/hot.go:45\`) |" "$TMP/out"
er --base c1 --head c2 --format sarif
expect_eq "sarif: the contract in the result's properties" \
	"$(json_get "$TMP/out" "[r['properties']['contract'] for r in d['runs'][0]['results'] if r['ruleId'] == 'ER044'][0]")" \
	"{'directive': 'noalloc', 'scope': 'function', 'file': 'hot/hot.go', 'line': 80, 'function': 'Misspelt'}"

# --- check: every contract of the modules, one go build per module ---
: >"$TMP/go-calls"
er check
expect_rc "check at c2" 1
expect_eq "check at c2: one go build" "$(grep '^build' "$TMP/go-calls")" \
	"build -trimpath=false -gcflags=-m=2 -gcflags=./hot=-m=2 -d=ssa/check_bce/debug=1 ./..."
expect_eq "check at c2: the broken contracts, in order" "$(grep '^[a-z]' "$TMP/out" | cut -d' ' -f1-2)" \
"hot/hot.go:13:2: [ER041
hot/hot.go:23:6: [ER042
hot/hot.go:49:11: [ER043
hot/hot.go:49:19: [ER043
hot/hot.go:49:27: [ER043
hot/hot.go:54:14: [ER042
hot/hot.go:54:28: [ER042
hot/hot.go:75:9: [ER041
hot/hot.go:80:1: [ER044
hot/hot.go:85:2: [ER045
escape-review: 10"
expect_grep "check: the count" "^escape-review: 10 broken, 10 contracts checked$" "$TMP/out"
expect_no_grep "check: escapes without a contract are not listed" "\[ER010\|\[ER011" "$TMP/out"
er check --format json
expect_eq "check --format json" "$(json_get "$TMP/out" "(len(d['findings']), all('contract' in f for f in d['findings']))")" "(10, True)"
er check cold
expect_rc "check cold: its contract holds" 0
expect_out "check cold: nothing broken" "escape-review: 0 broken, 1 contract checked"

git checkout -q c1
er check
expect_rc "check at c1: At's bounds check" 1
expect_grep "check at c1: At" "^hot/hot.go:45:11: \[ER043 error\] escape:bce broken: Found IsInBounds$" "$TMP/out"
sed -i 's|^\treturn xs\[i\] //escape:bce$|\tif i < 0 \|\| i >= len(xs) {\n\t\treturn 0\n\t}\n\treturn xs[i] //escape:bce|' hot/hot.go
er check
expect_rc "check: every contract held" 0
expect_out "check: every contract held, the count" "escape-review: 0 broken, 7 contracts checked"
git checkout -q -- hot/hot.go

# --- a callee's change breaks the contract of its caller in another package ---
git checkout -q -B noinline c1
sed -i 's|^func Mid(a, b int) int {$|//go:noinline\nfunc Mid(a, b int) int {|' hot/hot.go
git commit -q -am "Mid: go:noinline"
er check
expect_rc "check: Mid made go:noinline" 1
expect_eq "check: Mid's own contract and cold's call, with the callee's reason" \
	"$(grep -A1 'ER042' "$TMP/out")" \
"cold/cold.go:10:16: [ER042 error] escape:inline broken: call to hot.Mid not inlined
    in Twice: //escape:inline at cold/cold.go:10 promises every call on line 10 is inlined; the compiler says: cannot inline Mid: marked go:noinline
--
hot/hot.go:52:6: [ER042 error] escape:inline broken: Mid is not inlinable
    in Mid: //escape:none,inline at hot/hot.go:50 (function Mid) promises Mid can be inlined; the compiler says: cannot inline Mid: marked go:noinline"

# --- every call of an inlinable function with a contract: a deferred call
# is inlined by Go 1.26 (through its wrapper), not by Go 1.19 ---
git checkout -q -B later c1
printf '\n// Later defers Mid.\nfunc Later(a, b int) {\n\tdefer Mid(a, b)\n}\n' >>hot/hot.go
git commit -q -am "Later"
er check hot
expect_eq "check: a deferred call of Mid" "$(grep '^hot' "$TMP/out" | cut -d' ' -f1-2)" \
	"hot/hot.go:45:11: [ER043$(by_go "
hot/hot.go:62:11: [ER042" "")"
expect_eq "check: the deferred call's explanation" "$(grep -c 'promises every call to Mid is inlined, and the compiler did not inline this one' "$TMP/out")" \
	"$(by_go 1 0)"

# --- contracts: the list, without building ---
: >"$TMP/go-calls"
git checkout -q c2
er contracts
expect_rc "contracts" 0
expect_out "contracts: the list" "cold/cold.go:10: //escape:inline line 10
hot/hot.go:11: //escape:none function Sum (lines 12-18)
hot/hot.go:22: //escape:inline function Scale (lines 23-43)
hot/hot.go:47: //escape:bce function First3 (lines 48-50)
hot/hot.go:54: //escape:inline line 54
hot/hot.go:60: //escape:bce line 60
hot/hot.go:67: //escape:none,inline function Mid (lines 68-70)
hot/hot.go:75: //escape:none line 75
hot/hot.go:80: //escape:noalloc function Misspelt (lines 81-81) (unknown directive 'noalloc')
hot/hot.go:85: //escape:bce line 86
escape-review: 10 contracts"
expect_eq "contracts: no go run" "$(grep -c '^build' "$TMP/go-calls")" "0"
er contracts --format json hot
expect_eq "contracts --format json" \
	"$(json_get "$TMP/out" "[(c['line'], c['directive'], c['scope'], c['function']) for c in d['contracts']][:2]")" \
	"[(11, 'none', 'function', 'Sum'), (22, 'inline', 'function', 'Scale')]"
er contracts --format yaml
expect_rc "contracts: a bad --format" 2

# --- a package without //escape:bce is built exactly as before ---
git checkout -q -B cold-only c2
printf '\n// Half halves.\nfunc Half(a int) int { return a / 2 }\n' >>cold/cold.go
git commit -q -am "cold: Half"
: >"$TMP/go-calls"
er --base c2 --head cold-only
expect_rc "a change in cold only" 0
expect_eq "cold is built with -m=2 alone, as without contracts" "$(grep '^build' "$TMP/go-calls" | sort -u)" \
	"build -trimpath=false -gcflags=-m=2 -o /dev/null ./cold"

# --- the pre-push hook blocks a broken contract ---
hook_push c1 c2
expect_rc "hook: a push breaking contracts is blocked" 1
expect_grep "hook: names the broken contract" "hot/hot.go:75:9: \[ER041 error\] escape:none broken: &pair{...} escapes to heap" "$TMP/err"
git checkout -q -B held c1
sed -i 's|^\treturn xs\[i\] //escape:bce$|\tif i < 0 \|\| i >= len(xs) {\n\t\treturn 0\n\t}\n\treturn xs[i] //escape:bce|' hot/hot.go
git commit -q -am "At: prove the index"
git push origin held >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc "hook: a push that repairs a contract passes" 0
expect_grep "hook: the repaired contract is fixed" "0 new, 1 existing, 1 fixed (0 error, 0 warning, 0 info)" "$TMP/err"

# --- a literal only older compilers allocate: //escape:none by compiler ---
# (testing.AllocsPerRun: pair{1, 2} boxed for fmt is 1 allocation on Go
# 1.19 to 1.24, 0 on 1.25 and newer; key{} has zero size: 0 on every one)
new_repo "$TMP/lit"
cd "$TMP/lit" || exit 1
printf 'module example.com/lit\n\ngo 1.19\n' >go.mod
cat >lit.go <<'GO'
package lit

import "fmt"

type pair struct{ A, B int }

type key struct{}

var Sink interface{}

//escape:none
func Print() {
	fmt.Println(pair{1, 2})
	Sink = key{}
}
GO
commit_all . "lit"
er check
expect_rc "check: a constant literal by compiler" "$(by_go 1 0)"
expect_eq "check: broken on Go 1.19 only, with the allocation older compilers make" "$(cat "$TMP/out")" \
	"$(by_go "lit.go:13:18: [ER041 error] escape:none broken: pair{...} escapes to heap
    in Print: //escape:none at lit.go:11 (function Print) promises no heap allocation, and pair{...} is boxed into an interface to be passed to fmt.Println at lit.go:13 (ER001) with Go 1.24 and older, which allocate it (Go 1.25 and newer box it from read-only data)
escape-review: 1 broken, 1 contract checked" "escape-review: 0 broken, 1 contract checked")"

echo "$TEST_NAME: $checks_ok passed, $checks_bad failed"
[ "$checks_bad" -eq 0 ]
