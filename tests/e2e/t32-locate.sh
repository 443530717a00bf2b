#!/bin/sh
# t32-locate: what locate reads from the source, with the real compiler:
# package-level var initialisers named after their variable and func init
# as info "once, when the package is initialised"; allocations in a loop
# "once per iteration of the loop at L" with in_loop/loop_line in JSON and
# template data, ranked first within their severity; a zero-size value
# moved to the heap is ER010 info (nothing is allocated); //escape:ok inside
# a multi-line raw string is text; new mode tells two package-level vars
# with the same message apart by name.
# Expectations hold on go1.19 and go1.26; where the compilers differ, each
# version's is given (by_go) with a comment.
. "$(dirname "$0")/lib.sh"

new_repo "$TMP/loc"
cd "$TMP/loc"
cat >go.mod <<'EOF'
module example.com/loc

go 1.19
EOF
mkdir loc
cat >loc/loc.go <<'EOF'
package loc

import (
	"errors"
	"fmt"
	"os"
)

type Path struct{}

type Point struct{ X, Y int }

var ErrNotFound = errors.New("not found")

var (
	Names = map[string]*Point{"origin": {}}
	table = make(map[string]*int)
)

func init() {
	for i := 0; i < 3; i++ {
		table[fmt.Sprint(i)] = new(int)
	}
}

// Collect keeps a pointer per element.
func Collect(xs []int) []*int {
	var out []*int
	for _, x := range xs {
		v := x
		out = append(out, &v)
	}
	return out
}

func NewPath() *Path {
	p := Path{}
	return &p
}

func NewPoint() *Point {
	p := Point{}
	return &p
}

func CloseAll(fs []*os.File) {
	for _, f := range fs {
		defer func() { f.Close() }()
	}
}

func Query() (*Point, *Point) {
	q := `select x
//escape:ok inside the string
from t`; p := &Point{}
	r := `a
b`; s := &Point{X: 1} //escape:ok built once per query
	_, _ = q, r
	return p, s
}
EOF
commit_all . c1

# "line function rule severity in_loop loop_line status" per finding, in the order given
rows() {
	python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["line"], f["function"], f["rule"], f["severity"], str(f["in_loop"]).lower(),
          f["loop_line"], f["status"])
PY
}
# the why of the finding on LINE with MESSAGE
why() {
	json_get "$TMP/out" "[f['why'] for f in d['findings'] if f['line'] == $1 and f['message'] == '$2'][0]"
}

er --mode all --all-packages --format json
expect_rc "review: ER025 is an error (--fail-on error)" 1
# Ranked: within each severity's places, the findings in loops come first.
# Rows marked 19: only go1.19 reports (ErrNotFound's errors.New: go1.26
# initialises it statically), 26: only go1.26 (the backing array of `append`
# in Collect, ER029).
want_rows() {
	sed -n "s/^\(all\|$1\)://p" <<'EOF'
all:22 init ER039 info true 21 existing
all:22 init ER039 info true 21 existing
19:13 ErrNotFound ER039 info false None existing
all:16 Names ER039 info false None existing
all:16 Names ER039 info false None existing
all:17 table ER039 info false None existing
all:30 Collect ER030 warning true 29 existing
26:31 Collect ER029 warning true 29 existing
all:37 NewPath ER010 info false None existing
all:42 NewPoint ER010 warning false None existing
all:46 CloseAll ER032 info false None existing
all:47 CloseAll ER022 warning false None existing
all:48 CloseAll ER025 error true 47 existing
all:55 Query ER011 warning false None existing
all:57 Query ER011 warning false None acknowledged
EOF
}
expect_eq "functions, rules, loops, order (go1.$GO_MINOR)" "$(rows)" "$(want_rows "$(by_go 19 26)")"
expect_eq "package-level var: once, named after the variable" \
	"$(why 17 'make(map[string]*int) escapes to heap')" \
	"make(map[string]*int) is stored in table at loc.go:17, once, when the package is initialised"
expect_eq "func init's loop" "$(why 22 'new(int) escapes to heap')" \
	"new(int) is stored in table[fmt.Sprint(... argument...)] at loc.go:22, once per iteration of the loop at loc.go:21, only when the package is initialised"
expect_eq "a loop: once per iteration" "$(why 30 'moved to heap: v')" \
	"the address of v is appended to a slice that escapes at loc.go:31, once per iteration of the loop at loc.go:29"
expect_eq "zero-size: ER010, nothing allocated" "$(why 37 'moved to heap: p')" \
	"the address of p is returned at loc.go:38; Path has zero size, so nothing is actually allocated"
expect_eq "not zero-size: the usual sentence" "$(why 42 'moved to heap: p')" \
	"the address of p is returned at loc.go:43"
expect_eq "ER025 names the loop" "$(why 48 'func literal escapes to heap')" \
	"the deferred closure at loc.go:48 is heap-allocated on every iteration of the loop at loc.go:47"
expect_eq "a range variable (one per loop before Go 1.22) is not per iteration" \
	"$(json_get "$TMP/out" "[f['in_loop'] for f in d['findings'] if f['message'] == 'moved to heap: f']")" "[False]"
expect_eq "//escape:ok inside a raw string is not a marker; after one it is" \
	"$(json_get "$TMP/out" "[(f['line'], f['status'], f.get('acknowledged_reason')) for f in d['findings'] if f['function'] == 'Query']")" \
	"[(55, 'existing', None), (57, 'acknowledged', 'built once per query')]"

# the same facts for templates, and in the text
er --mode all --all-packages --format template-data
expect_eq "template data: in_loop and loop_line" \
	"$(json_get "$TMP/out" "sorted(set((f['line'], f['in_loop'], f['loop_line']) for f in d['findings'] if f['in_loop']))")" \
	"$(by_go "[(22, True, 21), (30, True, 29), (48, True, 47)]" \
		"[(22, True, 21), (30, True, 29), (31, True, 29), (48, True, 47)]")"
er --mode all --all-packages
expect_grep "text: the variable as the function" "^    in table: make(map\[string\]\*int) is stored in table at loc.go:17, once, when the package is initialised$" "$TMP/out"
expect_grep "text: the zero-size finding is info" "^loc/loc.go:37:2: \[ER010 info\] moved to heap: p$" "$TMP/out"

# new mode: a var with the same message added above `table` is the new one
git tag c1
python3 - <<'PY'
src = open("loc/loc.go").read()
src = src.replace("\ttable = make(", "\tearly = make(map[string]*int)\n\ttable = make(", 1)
open("loc/loc.go", "w").write(src)
PY
commit_all . c2
er --base c1 --format json
expect_rc "new mode" 0
expect_eq "new mode: the added var is new, table is not" \
	"$(json_get "$TMP/out" "[(f['line'], f['function'], f['message'], f['status']) for f in d['findings']] + [d['summary']['fixed']]")" \
	"[(17, 'early', 'make(map[string]*int) escapes to heap', 'new'), 0]"

# the same reviews, both sides built (at once: a file of its own for each
# go), with go's diagnostics given one line at a time (a shim on PATH): each
# finding is located, and its fingerprint's key hashed, while go is awaited
# (review.c's locate_early), the variable's name included: the same
# findings, statuses and fingerprints
er --base c1 --no-cache --format json
cp "$TMP/out" "$TMP/new-at-once.json"
er --base c1 --no-cache --mode all --format json
cp "$TMP/out" "$TMP/all-at-once.json"
real_go=$(command -v go)
mkdir -p "$TMP/slow"
cat >"$TMP/slow/go" <<SH
#!/bin/sh
"$real_go" "\$@" 2>"$TMP/slow/err.\$\$"
st=\$?
while IFS= read -r line; do printf '%s\\n' "\$line" >&2; sleep 0.02; done <"$TMP/slow/err.\$\$"
rm -f "$TMP/slow/err.\$\$"
exit \$st
SH
chmod +x "$TMP/slow/go"
PATH="$TMP/slow:$PATH" er --base c1 --no-cache --format json
expect_eq "go's output a line at a time, new mode: the added var is new, table is not" \
	"$(json_get "$TMP/out" "[(f['line'], f['function'], f['message'], f['status']) for f in d['findings']] + [d['summary']['fixed']]")" \
	"[(17, 'early', 'make(map[string]*int) escapes to heap', 'new'), 0]"
expect_eq "go's output a line at a time, new mode: the same JSON" \
	"$(cmp "$TMP/out" "$TMP/new-at-once.json" && echo identical)" identical
PATH="$TMP/slow:$PATH" er --base c1 --no-cache --mode all --format json
expect_eq "go's output a line at a time, --mode all: the same JSON, fingerprints included" \
	"$(cmp "$TMP/out" "$TMP/all-at-once.json" && echo identical)" identical

finish
