#!/bin/sh
# t20-new: new versus base on the seed example history, the base cache,
# rename/shift/move robustness of fingerprints, and the baseline file.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
go_counter

# findings and fixed as "file:line:function:message:status:added_line", then the counts
summary() {
	python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print("%s:%d:%s:%s:%s:%s" % (f["file"], f["line"], f["function"], f["message"], f["status"], str(f["added_line"]).lower()))
for f in d["fixed"]:
    print("fixed %s:%d:%s:%s" % (f["file"], f["line"], f["function"], f["message"]))
s = d["summary"]
print("mode=%s new=%d fixed=%d existing=%d baseline=%d" % (d["mode"], s["new"], s["fixed"], s["existing"], s["baseline"]))
PY
}

# c1 -> c2: four new findings, one of them in Count, which the change never touched
er --base c1 --head c2 --format json
expect_rc "c1..c2" 0
expect_eq "c1..c2: exactly four new findings" "$(summary)" \
"campus/score.go:14:keep:leaking param: p:new:false
campus/score.go:20:Count:moved to heap: x:new:false
campus/score.go:27:NewStudent:moved to heap: s:new:true
campus/score.go:39:CalcAvgScore:result escapes to heap:new:true
mode=new new=4 fixed=0 existing=0 baseline=0"
expect_eq "c1..c2: cold run built base and head" "$(grep -c '^build ' "$TMP/go-calls")" "2"
expect_eq "fingerprints are 16 hex digits" \
	"$(json_get "$TMP/out" "all(len(f['fingerprint']) == 16 and int(f['fingerprint'], 16) >= 0 for f in d['findings'])")" "True"

cp "$TMP/out" "$TMP/c1c2.json"

# a second identical run takes both revisions from the cache: no go build
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "warm run: same result" "$(summary | tail -1)" "mode=new new=4 fixed=0 existing=0 baseline=0"
expect_eq "warm run: neither revision is compiled again" "$(grep -c '^build ' "$TMP/go-calls")" "0"
# the base cached, the head not (its entry gone): one go build, head's
rm "$(grep -l "^tree $(git rev-parse 'c2^{tree}')$" .git/escape-review/cache/*.findings)"
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "base cached: the head build names only the changed package" "$(grep '^build ' "$TMP/go-calls")" \
	"build -trimpath=false -gcflags=-m=2 -o /dev/null ./campus"
expect_eq "base cached: the same output" "$(cmp "$TMP/out" "$TMP/c1c2.json" && echo same)" "same"

# c2 -> c3: the article's "3-line fix" still allocates: one new, one fixed
er --base c2 --head c3 --format json
expect_eq "c2..c3: one new (avg), one fixed (result)" "$(summary)" \
"campus/score.go:38:CalcAvgScore:avg escapes to heap:new:true
fixed campus/score.go:39:CalcAvgScore:result escapes to heap
mode=new new=1 fixed=1 existing=3 baseline=0"
er --base c2 --head c3
# Go 1.19 places a boxed argument one column after the call's parenthesis;
# newer compilers on the argument itself
expect_out "c2..c3: text lists the fixed finding" "campus/score.go:38:$(by_go 13 26): [ER001 warning] avg escapes to heap
    in CalcAvgScore: avg is boxed into an interface to be passed to log.Printf at score.go:38
campus/score.go:39:$(by_go 13 24): [ER001 warning] result escapes to heap (fixed)
    in CalcAvgScore: result is boxed into an interface to be passed to log.Printf at score.go:39
escape-review: 1 new, 3 existing, 1 fixed (0 error, 1 warning, 0 info) in 1 package (mode new)"

# c3 -> c4: a rename that shifts every line: nothing new, nothing fixed
er --base c3 --head c4 --format json
expect_eq "c3..c4: rename + shift" "$(summary)" "mode=new new=0 fixed=0 existing=4 baseline=0"

# moving a function to another file of the package, and reformatting it
git checkout -q -b move c4
python3 - <<'PY'
src = open("campus/scores.go").read()
start = src.index("// NewStudent makes")
end = src.index("// CalcAvgScore")
fn = src[start:end]
open("campus/scores.go", "w").write(src[:start] + src[end:])
open("campus/student.go", "w").write("package campus\n\n\n" + fn.replace("s := Student{ID: id}", "s := Student{\n\t\tID: id,\n\t}"))
PY
commit_all . "move NewStudent to student.go"
er --base c4 --format json
expect_eq "moved function: nothing new or fixed" "$(summary)" "mode=new new=0 fixed=0 existing=4 baseline=0"

# the work tree against HEAD (the default without --base)
cat >>campus/student.go <<'GO'

// Roster returns the students' ids.
func Roster(ids []int) []*int {
	var out []*int
	for i := range ids {
		out = append(out, &ids[i])
	}
	return out
}
GO
er --format json
# Go 1.25 and newer also report the backing array append allocates for the
# returned slice
expect_eq "work tree vs HEAD: the new leak" "$(summary)" "$(by_go \
"campus/student.go:14:Roster:leaking param: ids:new:true
mode=new new=1 fixed=0 existing=4 baseline=0" \
"campus/student.go:14:Roster:leaking param: ids:new:true
campus/student.go:17:Roster:append escapes to heap:new:true
mode=new new=2 fixed=0 existing=4 baseline=0")"
# the work tree's findings are classified after the match, the new ones
# only, unless the rule policy turns a rule off (then all of them before
# it, as their fingerprints count what the policy keeps): the same review
er --format json --max-flow 1
cp "$TMP/out" "$TMP/later.json"
echo '{"rules": {"ER006": "off"}}' >.escape-review.json
er --format json --max-flow 1
expect_rc "a policy that turns a rule off (exit code)" 0
expect_eq "classified after the match or before it: the same JSON" \
	"$(cmp "$TMP/out" "$TMP/later.json" && echo identical)" "identical"
rm .escape-review.json
git checkout -q -- campus/student.go

# baseline: accept what is there; --mode all then reports nothing
git checkout -q c3
er baseline update --all-packages
expect_eq "baseline update" "$(cat "$TMP/out")" "escape-review: baseline: +4 -0, 4 entries in .escape-baseline.json"
expect_eq "baseline file: sorted, one entry a line" "$(sed -n '2p' .escape-baseline.json | cut -c1-41)" '  {"fingerprint":"23ad18047477703c","rule'
er --mode all --all-packages --format json
expect_eq "after baseline update --mode all reports nothing" "$(summary)" "mode=all new=0 fixed=0 existing=0 baseline=4"
er --mode all --all-packages --show-baseline --format json
expect_eq "--show-baseline lists them" "$(json_get "$TMP/out" "sorted(set(f['status'] for f in d['findings']))")" "['baseline']"
er baseline check --all-packages
expect_rc "baseline check: clean" 0
# a new escape outside the baseline, and a stale entry
python3 - <<'PY'
src = open("campus/score.go").read()
src = src.replace("func NewStudent(id int) *Student {\n\ts := Student{ID: id}\n\treturn &s\n}",
                  "func NewStudent(id int) *Student {\n\treturn &Student{ID: id}\n}")
open("campus/score.go", "w").write(src)
PY
er baseline check --all-packages
expect_rc "baseline check: a finding outside" 1
expect_grep "baseline check names it" "campus/score.go:27:9: \[ER011 warning\] &Student{...} escapes to heap" "$TMP/out"
expect_grep "baseline check lists the stale entry" '"location":"campus/score.go:27 NewStudent","message":"moved to heap: s"' "$TMP/out"
expect_grep "baseline check counts" "1 finding outside the baseline, 1 stale entry" "$TMP/out"
expect_grep "baseline check: the summary counts the baseline's findings" \
	"escape-review: 1 new, 0 existing, 0 fixed, 3 in the baseline (0 error, 1 warning, 0 info) in 1 package (mode all)" "$TMP/out"
er baseline check --all-packages --format json
expect_rc "baseline check --format json: a finding outside" 1
expect_eq "baseline check --format json: the finding outside, the stale entry, the counts" \
	"$(json_get "$TMP/out" "[(f['file'], f['line'], f['rule'], f['message']) for f in d['findings']], [(e['location'], e['rule'], e['message']) for e in d['stale']], d['summary']['new'], d['summary']['baseline']")" \
	"[('campus/score.go', 27, 'ER011', '&Student{...} escapes to heap')] [('campus/score.go:27 NewStudent', 'ER010', 'moved to heap: s')] 1 3"
er baseline check --all-packages --format sarif
expect_eq "baseline check --format sarif: the finding outside" \
	"$(json_get "$TMP/out" "[(r['ruleId'], r['locations'][0]['physicalLocation']['region']['startLine']) for r in d['runs'][0]['results']]")" \
	"[('ER011', 27)]"
cp .escape-baseline.json "$TMP/bl-before"
er baseline check --all-packages --fail-on none
expect_rc "baseline check --fail-on: refused" 2
expect_eq "baseline check --fail-on: one line naming what baseline takes" "$(cat "$TMP/err")" \
	"escape-review: --fail-on is not an option of baseline, which takes --base, --head, --worktree, --tests, --changed, --all-packages, --no-cache, --cache-dir, --build-flags, --gcflags, --max-flow, --format, --explain, --verbose"
er baseline update --format json
expect_rc "baseline update --format: refused" 2
expect_eq "baseline update --format: says why, file untouched" "$(cat "$TMP/err"; cmp .escape-baseline.json "$TMP/bl-before" && echo same)" \
	"escape-review: baseline update prints what it did as text; --format is for baseline check
same"
echo 'not json' >.escape-baseline.json
er --mode all --all-packages
expect_rc "malformed baseline" 2
expect_grep "malformed baseline: names the file" ".escape-baseline.json is not an escape-review baseline" "$TMP/err"
# Equal findings of one function pair in the order of their lines, but the
# one on a line the change added is the new one: a second `x` moved to the
# heap above the first is reported where it was added.
mkdir "$TMP/dup" && cd "$TMP/dup"
git init -q && git config user.email t@example.com && git config user.name t
printf 'module example.com/dup\n\ngo 1.19\n' >go.mod
cat >d.go <<'GO'
package dup

var sink *int

func F(n int) {
	{
		x := n
		sink = &x
	}
}
GO
git add -A && git commit -qm base
# the block that adds a second x above the first
SECOND='\tif n > 0 {\n\t\tx := n * 2\n\t\tsink = &x\n\t}\n'
# d_go OLD NEW: replace OLD by NEW in d.go (both with C escapes)
d_go() {
	python3 -c 'import sys
u = lambda s: s.encode().decode("unicode_escape")
s = open("d.go").read()
open("d.go", "w").write(s.replace(u(sys.argv[1]), u(sys.argv[2])))' "$1" "$2"
}
d_go 'func F(n int) {\n' "func F(n int) {\\n$SECOND"
git commit -qam "a second x above the first"
er --base HEAD~1 --format json --fail-on none
expect_eq "equal findings: the added one is new" "$(summary)" \
"d.go:7:F:moved to heap: x:new:true
mode=new new=1 fixed=0 existing=1 baseline=0"
# the fingerprint stays with the allocation: with the old one accepted in
# the baseline before the change, the added one is not taken for it
tip=$(git rev-parse HEAD)
git checkout -q HEAD~1
er baseline update --all-packages
git add .escape-baseline.json && git commit -qm "accept the first x" && git tag accepted
git cherry-pick "$tip" >/dev/null
er --base accepted --format json --fail-on none
expect_eq "equal findings: the baseline does not hide the added one" "$(summary)" \
"d.go:7:F:moved to heap: x:new:true
mode=new new=1 fixed=0 existing=1 baseline=0"
expect_eq "equal findings: the added one does not carry the fingerprint the baseline has" \
	"$(json_get "$TMP/out" "d['findings'][0]['fingerprint'] != '$(sed -n 's/.*"fingerprint":"\([0-9a-f]*\)".*/\1/p' .escape-baseline.json)'")" "True"
# and the other way: the added one removed again, the old one (now up at
# line 7) is kept, the removed one is the fixed one, at its own line
d_go "$SECOND" ''
git commit -qam "the second x removed again"
er --base HEAD~1 --format json --fail-on none
expect_eq "equal findings: the removed one is fixed, at its line" "$(summary)" \
"fixed d.go:7:F:moved to heap: x
mode=new new=0 fixed=1 existing=1 baseline=0"

# Compiler temporaries are numbered in the function's order (Go 1.26 names
# them for new(expr) and comma-ok forms): one added before an unchanged
# allocation renumbers it, and its fingerprint must not change with it.
if [ "$GO_MINOR" -ge 26 ]; then
	mkdir "$TMP/tmps" && cd "$TMP/tmps"
	git init -q && git config user.email t@example.com && git config user.name t
	printf 'module example.com/tmps\n\ngo 1.26\n' >go.mod
	cat >p.go <<'GO'
package tmps

var sink interface{}

func P(x int) *int {
	return new(x + 1)
}

func G(m map[int]int) {
	var v interface{}
	v, _ = m[1]
	sink = v
}
GO
	git add -A && git commit -qm base
	python3 - <<'PY'
src = open("p.go").read()
src = src.replace("func P(x int) *int {\n", "func P(x int) *int {\n\tif *new(x * 2) > 10 {\n\t\tx++\n\t}\n")
src = src.replace("\tvar v interface{}\n", "\tvar v interface{}\n\t_, _ = m[0]\n")
open("p.go", "w").write(src)
PY
	git commit -qam "a temporary before each"
	er --base HEAD~1 --format json --fail-on none
	expect_eq "renumbered temporaries: nothing new, nothing fixed" "$(summary)" \
		"mode=new new=0 fixed=0 existing=2 baseline=0"
	er --base HEAD~1 --format json --fail-on none --mode all
	expect_eq "renumbered temporaries: the two, renumbered, existing" "$(summary)" \
"p.go:9:P:moved to heap: .autotmp_3:existing:false
p.go:15:G:.autotmp_4 escapes to heap:existing:false
mode=all new=0 fixed=0 existing=2 baseline=0"
	# the sentence says what a temporary is, and what made it when new did
	expect_eq "temporaries: the sentences name them" \
		"$(json_get "$TMP/out" "'\\n'.join(f['why'] for f in d['findings'])")" \
"the address of the compiler's temporary .autotmp_3 (made by new(x + 1)) is returned at p.go:9
the compiler's temporary .autotmp_4 is boxed into an interface that is stored in sink at p.go:16"
	printf '\nfunc Q(s string) *string {\n\treturn new(s)\n}\n' >>p.go
	git commit -qam Q
	er --base HEAD~1 --format json --fail-on none
	expect_eq "temporaries: a parameter leaking to one" \
		"$(json_get "$TMP/out" "'\\n'.join(f['message'] + ': ' + f['why'] for f in d['findings'])")" \
"leaking param: s: parameter s leaks to the compiler's temporary .autotmp_2 because it is stored in .autotmp_2 at p.go:20, so callers' arguments escape
moved to heap: .autotmp_2: the address of the compiler's temporary .autotmp_2 (made by new(s)) is returned at p.go:20"
fi
# a type renamed (exported): its methods' findings are the same verdicts
# under new names, not new ones and fixed ones; a rename that also adds an
# allocation is new and fixed, as the compiler's two lists differ
new_repo "$TMP/ren"
cd "$TMP/ren" || exit 1
printf 'module example.com/ren\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
cat >w.go <<'GO'
package ren

type writer struct{ t *[]byte }

func newWriter(t *[]byte) writer { return writer{t: t} }

func (w writer) Write(p []byte) (int, error) {
	*w.t = append(*w.t, p...)
	return len(p), nil
}

func keep(p *int) *int { return p }
GO
commit_all . base
sed -i 's/\bwriter\b/Writer/g; s/newWriter/NewWriter/' w.go
commit_all . "export Writer"
er --base HEAD~1 --format json --fail-on none
expect_eq "a type renamed: nothing new, nothing fixed" "$(summary | sed 's/ existing=[0-9]*//')" \
	"mode=new new=0 fixed=0 baseline=0"
sed -i 's/^func keep(p \*int) \*int { return p }$/func hold(p *int) *int { q := *p; return \&q }/' w.go
commit_all . "keep renamed and changed"
er --base HEAD~1 --format json --fail-on none
expect_eq "renamed and changed: new and fixed" "$(summary | sed 's/ existing=[0-9]*//')" \
"w.go:12:hold:moved to heap: q:new:true
fixed w.go:12:keep:leaking param: p to result ~r0 level=0
mode=new new=1 fixed=1 baseline=0"

# a local variable and a parameter renamed: the lines changed by the
# rename only, so their findings are the base's under the new names
# (test_compare: they take the base's fingerprints); a line changed beyond
# the rename is new and fixed
cat >v.go <<'GO'
package ren

import "fmt"

type pt struct{ a, b int }

var sink *pt

func Make(n int) int {
	x := &pt{n, n}
	sink = x
	fmt.Println(x.a)
	return x.b
}

func Keep(p *pt) { sink = p }
GO
commit_all . "add v.go"
sed -i 's/\bx\b/val/g; s/Keep(p \*pt) { sink = p }/Keep(q *pt) { sink = q }/' v.go
commit_all . "rename x and p"
er --base HEAD~1 --format json --fail-on none --no-cache
expect_eq "names renamed: nothing new, nothing fixed" "$(summary | sed 's/ existing=[0-9]*//')" \
	"mode=new new=0 fixed=0 baseline=0"
er --base HEAD~1 --format json --fail-on none
expect_eq "names renamed, the analyses read from the cache: the same" "$(summary | sed 's/ existing=[0-9]*//')" \
	"mode=new new=0 fixed=0 baseline=0"
sed -i 's/fmt.Println(val.a)/fmt.Println(val.b)/' v.go
commit_all . "print b"
er --base HEAD~1 --format json --fail-on none
expect_eq "a field for another (a name too): the same boxing" "$(summary | sed 's/ existing=[0-9]*//')" \
	"mode=new new=0 fixed=0 baseline=0"
sed -i 's/fmt.Println(val.b)/fmt.Println(val.b + 1)/' v.go
commit_all . "print b + 1"
er --base HEAD~1 --format json --fail-on none
expect_eq "a line changed besides a name: new and fixed" "$(summary | sed 's/ existing=[0-9]*//')" \
"v.go:12:Make:val.b + 1 escapes to heap:new:true
fixed v.go:12:Make:val.b escapes to heap
mode=new new=1 fixed=1 baseline=0"
er --base HEAD~3 --format json --fail-on none
expect_eq "renamed, then changed: the change's own" "$(summary | sed 's/ existing=[0-9]*//')" \
"v.go:12:Make:val.b + 1 escapes to heap:new:true
fixed v.go:12:Make:x.a escapes to heap
mode=new new=1 fixed=1 baseline=0"

# --- a literal the compilers treat apart: classified for the one that ran ---
# (Go 1.24 and older allocate pair{5, 6} boxed for fmt, Go 1.25 and newer
# box it from read-only data), for what is new and for what the base's
# cache entry holds, fixed
new_repo "$TMP/lit"
cd "$TMP/lit" || exit 1
printf 'module example.com/lit\n\ngo 1.19\n' >go.mod
cat >lit.go <<'GO'
package lit

import "fmt"

type pair struct{ A, B int }

func Print() {
	fmt.Println(pair{1, 2})
}
GO
commit_all . base
printf '\nfunc Other() {\n\tfmt.Println(pair{5, 6})\n}\n' >>lit.go
commit_all . other
# rule and severity of each new and fixed finding
rules() { json_get "$TMP/out" "[(f['status'], f['line'], f['rule'], f['severity']) for f in d['findings'] + d['fixed']]"; }
er --base HEAD~1 --format json --fail-on none
expect_eq "a literal added: the rule of its compiler" "$(rules)" \
	"[('new', 12, '$(by_go ER001 ER005)', '$(by_go warning info)')]"
sed -i '/^func Other/,$d' lit.go
commit_all . "other gone"
er --base HEAD~1 --format json --fail-on none -v
expect_grep "the base from the cache (the last review's head)" "analysis of the base revision is read from the cache" "$TMP/err"
expect_eq "a literal removed, its base read from the cache: the rule of its compiler" "$(rules)" \
	"[('fixed', 12, '$(by_go ER001 ER005)', '$(by_go warning info)')]"
finish
