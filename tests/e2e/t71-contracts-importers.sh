#!/bin/sh
# A contract broken by a change in another package: app holds
# //escape:inline on a call to lib.Add and //escape:none on Probe, which
# passes &x to lib.Read; commits that change only lib make Add too complex
# to inline (cost 84, budget 80, on Go 1.19 and 1.26 alike) and make Read
# keep its argument.  The review reports each broken contract on app's
# line with the changed callee as its cause (text, JSON), exits 1, the
# pre-push hook blocks the push, a contract already broken at base is
# existing, the commit that undoes both lists them as fixed, and a change
# that moves an inlinable function's cost (or an unexported one's
# inlining) still builds lib alone.
. "$(dirname "$0")/lib.sh"

R="$TMP/r"
mkdir -p "$R/lib" "$R/app"
cd "$R" || exit 1
git init -q
printf 'module example.com/xc\n\ngo 1.19\n' >go.mod
# lib at c1: both callees small, nothing kept
lib_c1() {
	cat >lib/lib.go <<'EOF'
package lib

var last *int

// Add is small enough to inline.
func Add(a, b int) int {
	return a + b
}

// Read reads through its pointer and keeps nothing.
func Read(p *int) int {
	return *p
}

func twice(a int) int {
	return a * 2
}
EOF
}
# lib's Add past the inlining budget (the rest as at c1)
lib_add_complex() {
	cat >lib/lib.go <<'EOF'
package lib

var last *int

// Add has grown: it no longer fits the inlining budget.
func Add(a, b int) int {
	s := 0
	for i := 0; i < a; i++ {
		if i%3 == 0 {
			s += i * b
		} else if i%5 == 0 {
			s -= i
		} else {
			s ^= i + b
		}
	}
	for j := 0; j < b; j++ {
		s += j*a + s%7
		if s > 1000 {
			s = s/3 + a*b - j
		}
	}
	return s + a + b
}

// Read reads through its pointer and keeps nothing.
func Read(p *int) int {
	return *p
}

func twice(a int) int {
	return a * 2
}
EOF
}
lib_c1
cat >app/app.go <<'EOF'
package app

import "example.com/xc/lib"

func Sum(a, b int) int {
	return lib.Add(a, b) //escape:inline
}

//escape:none
func Probe() int {
	x := 1
	return lib.Read(&x)
}
EOF
commit_all . "c1: app's contracts hold" && git tag c1
lib_add_complex
commit_all . "c2: lib.Add grows past the inlining budget" && git tag c2
sed -i 's/^\treturn \*p$/\tlast = p\n\treturn *p/' lib/lib.go
commit_all . "c3: lib.Read keeps its argument" && git tag c3
lib_c1
commit_all . "c4: lib as at c1" && git tag c4
go_counter

# --- c2: Add is no longer inlinable: app's //escape:inline breaks ---
er --base c1 --head c2 --format json
expect_rc "c2: the review fails" 1
expect_eq "c2: the finding on app's contract line" \
	"$(json_get "$TMP/out" '"\n".join("%s:%d:%d %s %s %s | %s:%d %s" % (f["file"], f["line"], f["column"], f["rule"], f["status"], f["message"], f["contract"]["file"], f["contract"]["line"], f["contract"]["directive"]) for f in d["findings"])')" \
	"app/app.go:6:16 ER042 new escape:inline broken: call to lib.Add not inlined | app/app.go:6 inline"
expect_eq "c2: the changed callee is the cause (JSON)" \
	"$(json_get "$TMP/out" '"\n".join("%s.%s %s:%d [%s] -> [%s] %s" % (f["induced_by"]["package"], f["induced_by"]["function"], f["induced_by"]["file"], f["induced_by"]["line"], f["induced_by"]["summary_before"], f["induced_by"]["summary_after"], f["induced_by"]["why"]) for f in d["findings"])')" \
	"example.com/xc/lib.Add lib/lib.go:6 [can inline] -> [cannot inline] because lib.Add, changed in this diff, is no longer inlined (function too complex: cost 84 exceeds budget 80)"
expect_eq "c2: lib and app built at head and base" \
	"$(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | sort | tr '\n' ' ')" "./app ./app ./lib ./lib "
er --base c1 --head c2 -v
expect_rc "c2: text" 1
expect_out "c2: the text" \
"app/app.go:6:16: [ER042 error] escape:inline broken: call to lib.Add not inlined
    in Sum: //escape:inline at app/app.go:6 promises every call on line 6 is inlined; the compiler did not inline Add (it printed no reason here: the callee is in another package, or a value)
    because lib.Add, changed in this diff, is no longer inlined (function too complex: cost 84 exceeds budget 80) (lib/lib.go:6)
escape-review: 1 new, 0 existing, 0 fixed (1 error, 0 warning, 0 info) in 1 package and 1 importing package (mode new)"
expect_grep "c2: -v names the inlining change" \
	"^escape-review: dependents, round 1: summaries changed: lib.Add (can inline -> cannot inline); analysing: example.com/xc/app$" "$TMP/err"
# lib comes from the cache this time (head and base), with its inlining
# notes (app holds contracts: it is analysed again, as contracts are never
# cached)
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "c2 again, the bases cached: the same finding" \
	"$(json_get "$TMP/out" '" ".join("%s:%d %s %s" % (f["file"], f["line"], f["rule"], f["induced_by"]["function"]) for f in d["findings"])')" \
	"app/app.go:6 ER042 Add"
expect_eq "c2 again: lib not built" \
	"$(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | sort | tr '\n' ' ')" "./app ./app "
# the notes stand next to the entry, with its key; notes for another key
# are not trusted: the base is analysed again, saying so
notes=$(grep -l '^can	example.com/xc/lib	lib/lib.go	6	Add	$' .git/escape-review/cache/.*.inline)
name=$(basename "$notes" .inline)
expect_eq "the inlining notes of lib's base (Add inlinable at c1), hidden next to its entry" \
	"$(ls .git/escape-review/cache | grep -c "^${name#.}\.findings$") $(sed -n 1p "$notes")" \
	"1 escape-review inline notes 1"
sed -i '3s/^./x/' "$notes" # the key's first line, same length
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "notes for another key: the same finding, lib's base built again" \
	"$(json_get "$TMP/out" '" ".join("%s:%d %s" % (f["file"], f["line"], f["rule"]) for f in d["findings"])') $(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | sort | tr '\n' ' ')" \
	"app/app.go:6 ER042 ./app ./app ./lib "
expect_grep "notes for another key: says so" \
	"^escape-review: warning: ignoring the inlining notes .*/\.[0-9a-f]*\.inline: not written for this cache entry$" "$TMP/err"
er --base c1 --head c2 --scope changed --format json
expect_eq "c2 --scope changed: app is not analysed" "$(json_get "$TMP/out" 'len(d["findings"])')" 0

# --- c3: Read keeps its argument: app's //escape:none breaks; Add's is
# broken since c2 (existing) ---
er --base c2 --head c3 --format json
expect_rc "c3: the review fails" 1
expect_eq "c3: the findings" \
	"$(json_get "$TMP/out" '"\n".join("%s:%d %s %s %s | %s" % (f["file"], f["line"], f["rule"], f["status"], f["message"], f.get("induced_by", {}).get("why")) for f in d["findings"])')" \
"app/app.go:11 ER041 new escape:none broken: moved to heap: x | because lib.Read, changed in this diff, now keeps its argument p
app/app.go:11 ER013 new moved to heap: x | because lib.Read, changed in this diff, now keeps its argument p
lib/lib.go:27 ER035 new leaking param: p | None"
expect_eq "c3: the contract finding names lib.Read in JSON" \
	"$(json_get "$TMP/out" '"%s %s %s %d" % (d["findings"][0]["induced_by"]["package"], d["findings"][0]["induced_by"]["function"], d["findings"][0]["contract"]["file"], d["findings"][0]["contract"]["line"])')" \
	"example.com/xc/lib Read app/app.go 9"
expect_eq "c3: the inline contract broken at base is existing" \
	"$(json_get "$TMP/out" '"%d %d" % (d["summary"]["new"], d["summary"]["existing"])')" "3 1"
er --base c2 --head c3
expect_eq "c3: the text, with the cause" "$(sed -n '1,3p' "$TMP/out")" \
"app/app.go:11:2: [ER041 error] escape:none broken: moved to heap: x
    in Probe: //escape:none at app/app.go:9 (function Probe) promises no heap allocation, and the address of x is stored in lib.last at app.go:12 (ER013)
    because lib.Read, changed in this diff, now keeps its argument p (lib/lib.go:27)"

# --- c4 undoes both: the two broken contracts are fixed ---
er --base c3 --head c4 --format json
expect_rc "c4: the review passes" 0
expect_eq "c4: fixed" \
	"$(json_get "$TMP/out" '"\n".join("%s:%d %s %s | %s" % (f["file"], f["line"], f["rule"], f["status"], f.get("induced_by", {}).get("why")) for f in d["fixed"])')" \
"app/app.go:6 ER042 fixed | because lib.Add, changed in this diff, is now inlined
app/app.go:11 ER041 fixed | because lib.Read, changed in this diff, no longer keeps its argument p
app/app.go:11 ER013 fixed | because lib.Read, changed in this diff, no longer keeps its argument p
lib/lib.go:27 ER035 fixed | None"

# --- summary-neutral: Add's cost moves (still inlinable), the unexported
# twice grows past the budget: lib alone is built ---
git checkout -q -B neutral c4
sed -i 's/^\treturn a + b$/\treturn a + b + a*b/' lib/lib.go
sed -i 's/^\treturn a \* 2$/\ts := 0\n\tfor i := 0; i < a; i++ {\n\t\tif i%3 == 0 {\n\t\t\ts += i * a\n\t\t} else if i%5 == 0 {\n\t\t\ts -= i\n\t\t} else {\n\t\t\ts ^= i + a\n\t\t}\n\t}\n\tfor j := 0; j < a; j++ {\n\t\ts += j*a + s%7\n\t\tif s > 1000 {\n\t\t\ts = s\/3 + a*a - j\n\t\t}\n\t}\n\treturn s + a/' lib/lib.go
commit_all . "neutral: Add's cost, twice past the budget"
go build -gcflags=-m=2 ./lib >"$TMP/m" 2>&1
expect_grep "neutral: twice is past the budget now" "^lib/lib.go:15:6: cannot inline twice: function too complex" "$TMP/m"
expect_grep "neutral: Add is still inlinable" "^lib/lib.go:6:6: can inline Add" "$TMP/m"
: >"$TMP/go-calls"
er --base c4 --head neutral --format json --no-cache
expect_rc "neutral" 0
expect_eq "neutral: nothing found, lib alone built, no go list" \
	"$(json_get "$TMP/out" 'len(d["findings"])') $(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | tr '\n' ' ')$(grep -c '^list ' "$TMP/go-calls")" \
	"0 ./lib ./lib 0"
git checkout -q main

# --- the pre-push hook blocks the push of c2 ---
hook_push c1 c2
expect_rc "hook: the broken contract blocks the push" 1
expect_grep "hook: names app's contract line" \
	"^app/app.go:6:16: \[ER042 error\] escape:inline broken: call to lib.Add not inlined$" "$TMP/err"
expect_grep "hook: names the changed callee" \
	"^    because lib.Add, changed in this diff, is no longer inlined (function too complex: cost 84 exceeds budget 80) (lib/lib.go:6)$" "$TMP/err"
expect_eq "hook: the remote still has c1" "$(git --git-dir="$TMP/remote.git" rev-parse main)" "$(git rev-parse c1)"

finish
