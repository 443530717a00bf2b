#!/bin/sh
# t21-trust: what a team must be able to trust.  Distinct subjects keep
# distinct fingerprints (`fixed` never lists a finding that is still there),
# `baseline update` never loses entries it did not re-analyse, --input never
# drops every finding silently, and the base cache is keyed by a digest,
# checked on read and locked against concurrent runs.
. "$(dirname "$0")/lib.sh"

# fixed LIST: "file:line:message" of the JSON output's fixed findings
fixed_list() { python3 -c 'import json,sys; [print("%s:%d:%s" % (f["file"], f["line"], f["message"])) for f in json.load(open(sys.argv[1]))["fixed"]]' "$TMP/out"; }

# --- fingerprints: b[:2] and c[:3] are different findings
new_repo "$TMP/slices"
cd "$TMP/slices"
printf 'module example.com/m\n\ngo 1.19\n' >go.mod
cat >slices.go <<'GO'
package m

import "fmt"

func F(b, c []byte) {
	fmt.Println(b[:2])
	fmt.Println(c[:3])
}
GO
commit_all . base
sed -i '/b\[:2\]/d' slices.go
commit_all . "drop the first print"
er --base HEAD~1 --format json
expect_rc "slices: review" 0
fixed_list >"$TMP/fixed"
expect_grep "slices: the deleted print is fixed" '^slices.go:6:b\[:2\] escapes to heap$' "$TMP/fixed"
expect_no_grep "slices: the print still there is not" 'c\[:3\]' "$TMP/fixed"
expect_eq "slices: the c[:3] finding is existing" \
	"$(json_get "$TMP/out" "(d['summary']['new'], d['summary']['existing'] >= 1)")" "(0, True)"

# --- baseline update never loses what it did not analyse
new_repo "$TMP/bl"
cd "$TMP/bl"
mkdir a b
printf 'module example.com/m\n\ngo 1.19\n' >go.mod
cat >a/a.go <<'GO'
package a

var sink *int

// NewA returns a fresh counter.
func NewA() *int {
	x := 1
	return &x
}

// Keep stores p.
func Keep(p *int) { sink = p }
GO
cat >b/b.go <<'GO'
package b

import "fmt"

// Log prints v.
func Log(v int) { fmt.Println(v) }

// NewB returns an array.
func NewB() *[4]int {
	var arr [4]int
	return &arr
}
GO
commit_all . "two packages"
# entries as "file:message", sorted
entries() { python3 -c 'import json; [print(e["location"].split(":")[0] + ":" + e["message"]) for e in json.load(open(".escape-baseline.json"))["findings"]]' | sort; }
# the issue's case: a committed baseline, a clean tree, `baseline update`
er baseline update --all-packages
commit_all . "baseline"
expect_eq "a committed baseline of 4 entries" "$(grep -c '^  {' .escape-baseline.json)" "4"
er baseline update
expect_rc "baseline update on a clean tree" 0
expect_out "baseline update on a clean tree: nothing changes" \
	"escape-review: baseline: +0 -0, 4 entries in .escape-baseline.json (unchanged)"
expect_eq "baseline update on a clean tree: git diff --stat shows nothing" "$(git diff --stat)" ""
# made from nothing, it covers every package and says what it added
rm .escape-baseline.json
er baseline update
expect_out "baseline update: every package, what it added" \
	"escape-review: baseline: +4 -0, 4 entries in .escape-baseline.json"
expect_eq "baseline update: the entries" "$(entries)" \
"a/a.go:leaking param: p
a/a.go:moved to heap: x
b/b.go:moved to heap: arr
b/b.go:v escapes to heap"
expect_eq "baseline update: the same file" "$(git status --porcelain)" ""
er baseline check
# two packages, a and b: the real count (issue 11 item 7; it said 1 for ./...)
expect_out "baseline check on a clean tree: nothing stale" \
"escape-review: 0 new, 0 existing, 0 fixed, 4 in the baseline (0 error, 0 warning, 0 info) in 2 packages (mode all)
escape-review: 0 findings outside the baseline, 0 stale entries"
expect_rc "baseline check on a clean tree" 0
er baseline check --changed
expect_rc "baseline check --changed on a clean tree" 0
expect_grep "baseline check --changed on a clean tree: nothing stale" "0 findings outside the baseline, 0 stale entries" "$TMP/out"
er baseline update --changed
expect_out "baseline update --changed on a clean tree: nothing analysed, nothing lost" \
	"escape-review: baseline: +0 -0, 4 entries in .escape-baseline.json (unchanged); 4 of packages not analysed kept as they were"
expect_eq "baseline update --changed on a clean tree: git diff --stat shows nothing" "$(git diff --stat)" ""

# a change in package a: NewA no longer escapes, a new escape in Keep2
python3 - <<'PY2'
src = open("a/a.go").read()
src = src.replace("\tx := 1\n\treturn &x\n", "\treturn nil\n")
src += "\n// Keep2 stores a copy.\nfunc Keep2(v int) { sink = &v }\n"
open("a/a.go", "w").write(src)
PY2
er baseline check --changed
expect_rc "baseline check --changed: a finding outside" 1
expect_grep "baseline check --changed: names it" "^a/a.go:14:12: \[ER[0-9]* [a-z]*\] moved to heap: v$" "$TMP/out"
expect_eq "baseline check --changed: the stale entry of the analysed package, nothing of b" \
	"$(grep -c '^  {' "$TMP/out")" "1"
expect_grep "baseline check --changed: the stale entry" '"location":"a/a.go:7 NewA","message":"moved to heap: x"' "$TMP/out"
expect_grep "baseline check --changed: counts" "1 finding outside the baseline, 1 stale entry" "$TMP/out"
er baseline check ./b
expect_rc "baseline check ./b: package a is not analysed" 0
expect_grep "baseline check ./b: nothing stale" "0 findings outside the baseline, 0 stale entries" "$TMP/out"
er baseline update ./b
expect_out "baseline update ./b: a's entries kept as they were" \
	"escape-review: baseline: +0 -0, 4 entries in .escape-baseline.json (unchanged); 2 of packages not analysed kept as they were"
removed=$(grep '"moved to heap: x"' .escape-baseline.json | sed 's/^  //; s/,$//')
er baseline update --changed
expect_out "baseline update --changed: replaces a's entries, says what it removed" \
"  - $removed
escape-review: baseline: +1 -1, 4 entries in .escape-baseline.json; 2 of packages not analysed kept as they were"
expect_eq "baseline update --changed: b's lines are untouched" \
	"$(git diff -U0 .escape-baseline.json | grep '^[-+] ' | grep -c 'b/b.go')" "0"
expect_eq "baseline update --changed: the entries" "$(entries)" \
"a/a.go:leaking param: p
a/a.go:moved to heap: v
b/b.go:moved to heap: arr
b/b.go:v escapes to heap"
git checkout -q -- .

# a rule turned off does not make its entries stale, and update keeps them
printf '{"rules": {"ER035": "off"}}\n' >.escape-review.json
er baseline check
expect_rc "rule off: baseline check" 0
expect_grep "rule off: its entry is not stale" "0 findings outside the baseline, 0 stale entries" "$TMP/out"
er baseline update
expect_out "rule off: baseline update keeps its entry" \
	"escape-review: baseline: +0 -0, 4 entries in .escape-baseline.json (unchanged); 1 of packages not analysed kept as they were"
rm .escape-review.json

# baseline check honours //escape:ok; update leaves acknowledged findings out
cat >>b/b.go <<'GO'

// Box returns v as an interface.
func Box(v int) interface{} {
	return v //escape:ok boxed once per request, measured
}
GO
er baseline check
expect_rc "//escape:ok: baseline check passes" 0
expect_grep "//escape:ok: nothing outside" "0 findings outside the baseline, 0 stale entries" "$TMP/out"
er baseline update
expect_out "//escape:ok: update leaves it out" \
	"escape-review: baseline: +0 -0, 4 entries in .escape-baseline.json (unchanged)"
sed -i 's| //escape:ok.*||' b/b.go
er baseline check
expect_rc "without //escape:ok: baseline check fails" 1
expect_grep "without //escape:ok: names it" "^b/b.go:16:9: \[ER[0-9]* [a-z]*\] v escapes to heap$" "$TMP/out"
git checkout -q -- .

# a package that is not a directory of the work tree, a malformed baseline
er baseline update ./nowhere
expect_rc "baseline update ./nowhere" 2
expect_grep "baseline update ./nowhere: names it" "^escape-review: ./nowhere is not a directory of the work tree" "$TMP/err"
echo 'not json' >.escape-baseline.json
er baseline update
expect_rc "baseline update over a malformed file" 2
expect_grep "baseline update over a malformed file: says so" "\.escape-baseline.json is not an escape-review baseline" "$TMP/err"
expect_eq "baseline update over a malformed file: leaves it alone" "$(cat .escape-baseline.json)" "not json"
git checkout -q -- .

# --- --input never drops every finding silently
cd "$TMP/bl"
git rm -q .escape-baseline.json && git commit -q -m "no baseline"
go build -gcflags=-m=2 -o /dev/null ./... 2>"$TMP/rel.log"
sed "s|^\([ab]/\)|$TMP/bl/\1|; s|^\./\([ab]/\)|$TMP/bl/\1|" "$TMP/rel.log" >"$TMP/abs.log"
expect_eq "the absolute log names absolute paths" "$(grep -c "^$TMP/bl/[ab]/[ab].go:[0-9]*:[0-9]*: moved to heap" "$TMP/abs.log")" "2"
er --input "$TMP/abs.log" --mode all --format json
expect_eq "--input absolute paths, in the directory: relative findings" "$(findings "$TMP/out" | sort)" \
"a/a.go:12:Keep:leaking param: p
a/a.go:7:NewA:moved to heap: x
b/b.go:10:NewB:moved to heap: arr
b/b.go:6:Log:v escapes to heap"
# read from another repository: nothing of it is there
new_repo "$TMP/other"
cd "$TMP/other"
commit_all . empty 2>/dev/null || git commit -q --allow-empty -m empty
er --input "$TMP/abs.log" --mode file
expect_rc "--input from another repository: every finding dropped" 2
expect_eq "--input from another repository: says so" "$(cat "$TMP/err")" \
	"escape-review: all 4 findings of --input $TMP/abs.log are in files outside $(pwd -P), so none is left to review (paths are taken relative to the current directory: run from the directory the build ran in, or use -C DIR; --mode all keeps them with their paths as written)"
expect_eq "--input from another repository: nothing on stdout" "$(cat "$TMP/out")" ""
# with --mode all, outside the directory, they are kept as written
mkdir -p "$TMP/plain2"
cd "$TMP/plain2"
er --input "$TMP/abs.log" --mode all --format json
expect_rc "--input --mode all elsewhere" 0
expect_eq "--input --mode all elsewhere: paths as written, functions found" "$(findings "$TMP/out" | sort)" \
"$TMP/bl/a/a.go:12:Keep:leaking param: p
$TMP/bl/a/a.go:7:NewA:moved to heap: x
$TMP/bl/b/b.go:10:NewB:moved to heap: arr
$TMP/bl/b/b.go:6:Log:v escapes to heap"
# -C into a directory reached by a symbolic link, the log naming the link
ln -s "$TMP/bl" "$TMP/bl-link"
sed "s|^$TMP/bl/|$TMP/bl-link/|" "$TMP/abs.log" >"$TMP/link.log"
er -C "$TMP/bl-link" --input "$TMP/link.log" --mode all --format json
expect_eq "-C through a symbolic link, --mode all: relative findings" "$(findings "$TMP/out" | sort)" \
"a/a.go:12:Keep:leaking param: p
a/a.go:7:NewA:moved to heap: x
b/b.go:10:NewB:moved to heap: arr
b/b.go:6:Log:v escapes to heap"
echo "// a change" >>"$TMP/bl/a/a.go"
er -C "$TMP/bl-link" --input "$TMP/link.log" --mode file --format json
expect_eq "-C through a symbolic link, in the repository: the changed file's findings" "$(findings "$TMP/out" | sort)" \
"a/a.go:12:Keep:leaking param: p
a/a.go:7:NewA:moved to heap: x"
# the log of a build run in a subdirectory, read there: paths relative to it
cd "$TMP/bl/a"
go build -gcflags=-m=2 -o /dev/null . 2>"$TMP/sub.log"
er --input "$TMP/sub.log" --mode file --format json
expect_eq "--input in a subdirectory: paths relative to it" "$(findings "$TMP/out" | sort)" \
"a/a.go:12:Keep:leaking param: p
a/a.go:7:NewA:moved to heap: x"
cd "$TMP/bl"
git checkout -q -- .

# --- the base cache: one lock for the base checkout and the cache, a digest
# of the whole key, entries that do not match it are never trusted
sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
git checkout -q c2
go_counter
# a go that takes its time to build, so that two runs overlap
mkdir -p "$TMP/slow"
cat >"$TMP/slow/go" <<SH
#!/bin/sh
case "\$1" in build|test) sleep 2 ;; esac
exec "$TMP/shim/go" "\$@"
SH
chmod +x "$TMP/slow/go"
summary_of() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(sorted("%s:%d" % (f["file"], f["line"]) for f in d["findings"])), d["summary"]["new"], d["summary"]["fixed"])' "$1"; }
# what one run alone finds (the compilers differ): every run below must agree
er --base c1 --head c2 --no-cache --format json
want=$(summary_of "$TMP/out")
case "$want" in
*"campus/score.go:14 "*"campus/score.go:27 "*"campus/score.go:39 "*) ok "a run alone: the seed's findings" ;;
*) bad "a run alone: the seed's findings ($want)" ;;
esac
expect_eq "--no-cache writes no cache" "$(ls .git/escape-review/cache 2>/dev/null | wc -l | tr -d ' ')" "0"
: >"$TMP/go-calls"
lock=$(pwd -P)/.git/escape-review/base.lock
(PATH="$TMP/slow:$PATH"; "$ER_BIN" --base c1 --head c2 --format json >"$TMP/a.out" 2>"$TMP/a.err"; echo $? >"$TMP/a.rc") &
run_a=$!
i=0
while [ ! -e "$lock" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
(PATH="$TMP/slow:$PATH"; "$ER_BIN" --base c1 --head c2 --format json >"$TMP/b.out" 2>"$TMP/b.err"; echo $? >"$TMP/b.rc") &
run_b=$!
wait $run_a
wait $run_b
expect_eq "two concurrent runs: both succeed" "$(cat "$TMP/a.rc") $(cat "$TMP/b.rc")" "0 0"
expect_eq "two concurrent runs: the first one's findings" "$(summary_of "$TMP/a.out")" "$want"
expect_eq "two concurrent runs: the second one's findings" "$(summary_of "$TMP/b.out")" "$want"
expect_grep "two concurrent runs: the second waits for the first" \
	"^escape-review: waiting for another escape-review run (process [0-9]*) to finish with $lock$" "$TMP/b.err"
# the second takes the lock before its head is looked up: the first's
# entries for both revisions are there by then
expect_eq "two concurrent runs: built once (head and base), the second reads the cache" \
	"$(grep -c '^build ' "$TMP/go-calls")" "2"
expect_eq "two concurrent runs: the lock is gone" "$(ls "$lock" 2>/dev/null)" ""
expect_eq "the cache entries (base and head) are named by a 40-digit digest" \
	"$(ls .git/escape-review/cache | grep -c '^[0-9a-f]\{40\}\.findings$')" "2"
base_tree=$(git rev-parse 'c1^{tree}')
head_tree=$(git rev-parse 'c2^{tree}')
entry=$(grep -l "^tree $base_tree$" "$(pwd)"/.git/escape-review/cache/*.findings)
head_entry=$(grep -l "^tree $head_tree$" "$(pwd)"/.git/escape-review/cache/*.findings)
expect_eq "the base's cache entry: its format, then its key" "$(sed -n '1p; 2s/^[0-9]*://p; 3p' "$entry")" \
	"escape-review analysis cache 15
escape-review analysis 15
tree $base_tree"
expect_eq "the head's cache entry: its format, then its key" "$(sed -n '1p; 2s/^[0-9]*://p; 3p' "$head_entry")" \
	"escape-review analysis cache 15
escape-review analysis 15
tree $head_tree"

# an entry of the old format (JSON, version 4), a corrupt entry and an
# entry for another key are ignored, saying so, and rewritten
printf '{"version":4,"key":"escape-review analysis 4\\ntree %s","findings":[]}\n' "$base_tree" >"$entry"
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "old-format cache entry: the same findings" "$(summary_of "$TMP/out")" "$want"
expect_eq "old-format cache entry: says so" "$(cat "$TMP/err")" \
	"escape-review: warning: ignoring the analysis cache entry $entry: it is not a version 15 cache entry"
expect_eq "old-format cache entry: the base is built again (the head is cached)" "$(grep '^build ' "$TMP/go-calls")" \
	"build -trimpath=false -gcflags=-m=2 -o /dev/null ./campus"
expect_eq "old-format cache entry: rewritten in the new format" "$(sed -n 1p "$entry")" "escape-review analysis cache 15"
# another key of the same length (a tree id's first digit changed)
sed -i '3s/^tree ./tree x/' "$entry"
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "cache entry for another key: not trusted" "$(summary_of "$TMP/out")" "$want"
expect_eq "cache entry for another key: says so" "$(cat "$TMP/err")" \
	"escape-review: warning: ignoring the analysis cache entry $entry: it was written for another key"
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "rewritten entry: warm again, nothing built, nothing said" "$(grep -c '^build ' "$TMP/go-calls") $(cat "$TMP/err")" "0 "
# a corrupt head entry (cut short: a full disk, a killed copy) is ignored
# the same way: the head is built again
head -c $(($(wc -c <"$head_entry") - 100)) "$head_entry" >"$TMP/cut" && cat "$TMP/cut" >"$head_entry"
: >"$TMP/go-calls"
er --base c1 --head c2 --format json
expect_eq "corrupt head entry: the same findings, the head built again" \
	"$(summary_of "$TMP/out") $(grep -c '^build ' "$TMP/go-calls")" "$want 1"
expect_grep "corrupt head entry: says so" \
	"^escape-review: warning: ignoring the analysis cache entry $head_entry: it is truncated or corrupt (at byte [0-9]*)$" "$TMP/err"
expect_eq "corrupt head entry: one line said" "$(wc -l <"$TMP/err" | tr -d ' ')" "1"
# GOTOOLCHAIN is part of the key
: >"$TMP/go-calls"
GOTOOLCHAIN=local+auto er --base c1 --head c2 --format json
expect_eq "another GOTOOLCHAIN: other entries" "$(grep -c '^build ' "$TMP/go-calls") $(ls .git/escape-review/cache | grep -c 'findings$')" "2 4"
# so is a `go env -w` setting (the GOENV file's contents; CGO_CFLAGS is not
# asked of `go env`, which would cost it a C compiler set-up)
GOENV=$TMP/goenv go env -w CGO_CFLAGS=-O1
: >"$TMP/go-calls"
GOENV=$TMP/goenv er --base c1 --head c2 --format json
expect_eq "go env -w CGO_CFLAGS=-O1: other entries" "$(grep -c '^build ' "$TMP/go-calls") $(ls .git/escape-review/cache | grep -c 'findings$')" "2 6"
expect_eq "go env -w: the same findings" "$(summary_of "$TMP/out")" "$want"
: >"$TMP/go-calls"
GOENV=$TMP/goenv er --base c1 --head c2 --format json
expect_eq "the same GOENV file again: read from the cache" "$(grep -c '^build ' "$TMP/go-calls")" "0"
expect_eq "the go environment asked without CGO_CFLAGS" "$(grep '^env ' "$TMP/go-calls")" \
	"env GOVERSION GOROOT GOFLAGS GOOS GOARCH GOAMD64 GOARM GOARM64 GO386 GOPPC64 GORISCV64 GOEXPERIMENT GOTOOLCHAIN CGO_ENABLED CC CXX GOENV"

# a cache CI keeps (issue 16): --cache-dir DIR or $ESCAPE_REVIEW_CACHE, saved
# and restored by the CI into a fresh clone whose .git/escape-review is empty
: >"$TMP/go-calls"
er --base c1 --head c2 --format json --cache-dir "$TMP/ci-cache"
expect_eq "--cache-dir: base and head built, their entries written in DIR" \
	"$(grep -c '^build ' "$TMP/go-calls") $(ls "$TMP/ci-cache" | grep -c '^[0-9a-f]\{40\}\.findings$')" "2 2"
rm -rf .git/escape-review
rm "$(grep -l "^tree $head_tree$" "$TMP"/ci-cache/*.findings)"
: >"$TMP/go-calls"
ESCAPE_REVIEW_CACHE=$TMP/ci-cache er --base c1 --head c2 --format json
expect_eq "ESCAPE_REVIEW_CACHE restored (a new head), .git/escape-review empty: one go build (head)" \
	"$(grep -c '^build ' "$TMP/go-calls")" "1"
expect_eq "ESCAPE_REVIEW_CACHE: the same findings" "$(summary_of "$TMP/out")" "$want"
expect_eq "ESCAPE_REVIEW_CACHE: nothing written under .git/escape-review/cache" \
	"$(ls .git/escape-review/cache 2>/dev/null | wc -l | tr -d ' ')" "0"
rm -rf .git/escape-review
: >"$TMP/go-calls"
ESCAPE_REVIEW_CACHE=$TMP/ci-cache er --base c1 --head c2 --format json
expect_eq "ESCAPE_REVIEW_CACHE: a CI re-run of the same commits builds nothing" \
	"$(grep -c '^build ' "$TMP/go-calls") $(summary_of "$TMP/out")" "0 $want"
ci_base=$(grep -l "^tree $base_tree$" "$TMP"/ci-cache/*.findings)
printf 'escape-review analysis cache 15\n32:escape-review analysis 15\ntree 0 \n0\nend\n' >"$ci_base"
: >"$TMP/go-calls"
er --base c1 --head c2 --format json --cache-dir "$TMP/ci-cache/"
expect_eq "--cache-dir: a foreign entry is not trusted" "$(summary_of "$TMP/out") $(grep -c '^build ' "$TMP/go-calls")" "$want 1"
expect_grep "--cache-dir: a foreign entry is ignored, saying so" \
	"^escape-review: warning: ignoring the analysis cache entry $TMP/ci-cache/[0-9a-f]*\.findings: it was written for another key$" "$TMP/err"

# a stale lock (its process is gone) is taken over; a live one is waited for
host=$(uname -n)
echo "999999999 $host" >"$lock"
er --base c1 --head c2 --no-cache --format json
expect_rc "stale lock" 0
expect_eq "stale lock: taken over, saying so" "$(cat "$TMP/err")" \
	"escape-review: warning: removed the stale lock $lock (its process 999999999 is gone)"
expect_eq "stale lock: the findings" "$(summary_of "$TMP/out")" "$want"
sleep 60 &
holder=$!
echo "$holder $host" >"$lock"
ESCAPE_REVIEW_LOCK_TIMEOUT=1 er --base c1 --head c2 --format json
expect_rc "a live lock" 3
expect_eq "a live lock: waits, then names the process" "$(cat "$TMP/err")" \
"escape-review: waiting for another escape-review run (process $holder) to finish with $lock
escape-review: another escape-review run (process $holder) has held $lock for more than 1 s; if no such run exists, remove the file"
expect_eq "a live lock: left alone" "$(cat "$lock")" "$holder $host"
kill "$holder"
wait "$holder" 2>/dev/null
rm -f "$lock"

finish
