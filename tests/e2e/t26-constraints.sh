#!/bin/sh
# t26-constraints: a change to files the build leaves out for their build
# constraints (a _windows.go name, a //go:build or // +build line, cgo's
# import "C" with cgo off), or to a file in no module, is not
# "0 new" in silence: each such file gets one warning line naming it and the
# platform, a package none of whose files is built is taken out of the build
# (go build refuses it) and named, and the rest is reviewed as ever.  With
# GOOS=windows the same change is reviewed.  go list answers which files are
# left out; a re-review of the same commits reads its answer from the cache.
. "$(dirname "$0")/lib.sh"

new_repo "$TMP/c"
cd "$TMP/c" || exit 1
printf 'module example.com/c\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
cat >a.go <<'GO'
package c

func A() *int { x := 1; return &x }
GO
commit_all . base
cat >a_windows.go <<'GO'
package c

func W() *int { y := 1; return &y }
GO
cat >legacy.go <<'GO'
// Old style.

// +build ignore

package c

func Legacy() *int { v := 1; return &v }
GO
cat >l.go <<'GO'
//go:build linux

package c

func L() *int { z := 1; return &z }
GO
mkdir w
cat >w/svc_windows.go <<'GO'
package w

func S() *int { s := 1; return &s }
GO
cat >w/doc.go <<'GO'
//go:build windows

// Package w is for Windows only.
package w
GO
commit_all . "platform files"

platform="$(go env GOOS)/$(go env GOARCH)"
er --base HEAD~1 --format json
expect_rc "linux: the change is reviewed" 0
expect_eq "linux: only l.go's allocation is new" "$(findings "$TMP/out")" "l.go:5:L:moved to heap: z"
expect_eq "linux: one line for each file and package left out" "$(cat "$TMP/err")" \
"escape-review: warning: the package in w is not built for $platform: its build constraints exclude every file of it, so it is not reviewed (to review it, set GOOS and GOARCH, or pass -tags in --build-flags)
escape-review: warning: a_windows.go is not built for $platform: its build constraints exclude it (its name's _windows), so its allocations are not reviewed (to review them, set GOOS and GOARCH)
escape-review: warning: legacy.go is not built for $platform: its build constraints exclude it (// +build ignore), so its allocations are not reviewed (to review them, set GOOS and GOARCH, pass -tags in --build-flags, or use a Go the line asks for)"

expect_eq "linux: the JSON names them" \
	"$(json_get "$TMP/out" 'd["summary"]["not_built"]')" \
	"{'platform': '$platform', 'files': ['a_windows.go', 'legacy.go', 'w/doc.go', 'w/svc_windows.go'], 'packages': ['w']}"
er --base HEAD~1 --format markdown
expect_grep "linux: the summary comment says what is not reviewed" \
	"^\*\*Not reviewed\*\* (their build constraints leave them out of the build for $platform): \`a_windows.go\`, \`legacy.go\`, \`w/doc.go\`, \`w/svc_windows.go\`\. Set \`GOOS\` and \`GOARCH\`, or pass \`-tags\` in \`--build-flags\`, to review them\.$" "$TMP/out"
er --base HEAD~1 --format sarif
expect_eq "linux: SARIF's tool notifications name them" \
	"$(json_get "$TMP/out" '"\n".join("%s %s %s" % (n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], n["message"]["text"]) for n in d["runs"][0]["invocations"][0]["toolExecutionNotifications"])')" \
"warning a_windows.go a_windows.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed
warning legacy.go legacy.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed
warning w/doc.go w/doc.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed
warning w/svc_windows.go w/svc_windows.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed"
if /usr/bin/python3 - "$ER_SRC/tests/data/sarif/sarif-schema-2.1.0.json" "$TMP/out" >"$TMP/schema.log" 2>&1 <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(doc))
for e in errors[:5]:
    print(e.message)
sys.exit(1 if errors else 0)
PY
then ok "linux: the SARIF is valid against the 2.1.0 schema"; else bad "SARIF schema: $(cat "$TMP/schema.log")"; fi
er --base HEAD~1 --format github-actions
expect_eq "linux: a GitHub Actions warning on each file" "$(grep -v '^::warning file=l.go,' "$TMP/out")" \
"::warning file=a_windows.go,title=escape-review%3A not reviewed::a_windows.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed
::warning file=legacy.go,title=escape-review%3A not reviewed::legacy.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed
::warning file=w/doc.go,title=escape-review%3A not reviewed::w/doc.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed
::warning file=w/svc_windows.go,title=escape-review%3A not reviewed::w/svc_windows.go is not built for $platform: its build constraints leave it out, so its allocations are not reviewed"

# what the configuration excludes is neither built nor asked about
printf '{"exclude": ["w", "legacy.go"]}\n' >.escape-review.json
er --base HEAD~1 -v
expect_eq "excluded: only a_windows.go is named" "$(grep 'is not built' "$TMP/err" | sed 's/ is not built.*//')" \
	"escape-review: warning: a_windows.go"
expect_grep "excluded: go list asks for the root package only" ": go list -e -f .* \.$" "$TMP/err"
rm .escape-review.json

GOOS=windows er --base HEAD~1 --format json
expect_rc "windows: the change is reviewed" 0
expect_eq "windows: a_windows.go and package w are reviewed" "$(findings "$TMP/out")" \
"a_windows.go:3:W:moved to heap: y
w/svc_windows.go:3:S:moved to heap: s"
expect_eq "windows: l.go and legacy.go are named" "$(cat "$TMP/err")" \
"escape-review: warning: l.go is not built for windows/$(go env GOARCH): its build constraints exclude it (//go:build linux), so its allocations are not reviewed (to review them, set GOOS and GOARCH, pass -tags in --build-flags, or use a Go the line asks for)
escape-review: warning: legacy.go is not built for windows/$(go env GOARCH): its build constraints exclude it (// +build ignore), so its allocations are not reviewed (to review them, set GOOS and GOARCH, pass -tags in --build-flags, or use a Go the line asks for)"

er --base HEAD~1 --build-flags "-tags ignore" --format json
expect_eq "-tags ignore: legacy.go is reviewed" "$(findings "$TMP/out")" \
"l.go:5:L:moved to heap: z
legacy.go:7:Legacy:moved to heap: v"
expect_no_grep "-tags ignore: legacy.go is not named" "legacy.go" "$TMP/err"

# the work tree: the same lines, and nothing built for the windows package
echo '// edited' >>a_windows.go
echo '// edited' >>w/svc_windows.go
er
expect_rc "work tree: reviewed" 0
expect_out "work tree: nothing new" "escape-review: 0 new, 2 existing, 0 fixed (0 error, 0 warning, 0 info) in 1 package (mode new)"
expect_eq "work tree: the two left out are named" "$(grep -c 'is not built for' "$TMP/err") $(grep -c '^escape-review: warning: a_windows.go is not built' "$TMP/err")" "2 1"
git checkout -q .

# no constrained file changed: go list is never run
echo '// edited' >>a.go
go_counter
er
expect_eq "no constrained file: no go list" "$(grep -c '^list ' "$TMP/go-calls")" 0
expect_eq "no constrained file: no warning" "$(cat "$TMP/err")" ""
er --format markdown
expect_eq "no constrained file: the summary's headline, and no 'Not reviewed' line" \
	"$(grep -c 'Not reviewed' "$TMP/out") $(grep '^The change adds' "$TMP/out")" \
	"0 The change adds no heap allocations in the 1 package it touches ($(git rev-parse HEAD | cut -c1-12)...)."
git checkout -q .

# a re-review of the same commits (go env remembered: the go command itself
# on PATH, not the counting shim) reads go list's answer from the cache
mkdir -p "$TMP/realgo"
ln -s "$real" "$TMP/realgo/go"
PATH="$TMP/realgo:$PATH" er --base HEAD~1 -v
expect_grep "first review: go list run" ": go list -e -f " "$TMP/err"
ls .git/escape-review/cache/unbuilt >"$TMP/entries"
PATH="$TMP/realgo:$PATH" er --base HEAD~1 -v
expect_grep "re-review: go env remembered" "^escape-review: go env not run" "$TMP/err"
expect_no_grep "re-review: go list not run" ": go list " "$TMP/err"
expect_grep "re-review: the files left out still named" "^escape-review: warning: a_windows.go is not built for $platform" "$TMP/err"
expect_eq "re-review: no answer added" "$(ls .git/escape-review/cache/unbuilt)" "$(cat "$TMP/entries")"
# cgo's files are left out when cgo is off: CGO_ENABLED=0 names them
new_repo "$TMP/cg"
cd "$TMP/cg" || exit 1
printf 'module example.com/cg\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
printf 'package cg\n\nfunc A() *int { x := 1; return &x }\n' >a.go
commit_all . base
printf 'package cg\n\n// #include <stdlib.h>\nimport "C"\n\nfunc C1() *int { y := 1; return &y }\n' >c.go
commit_all . cgo
CGO_ENABLED=0 er --base HEAD~1 --format json
expect_eq "CGO_ENABLED=0: c.go is named" "$(json_get "$TMP/out" 'len(d["findings"])') $(cat "$TMP/err")" \
	"0 escape-review: warning: c.go is not built for $platform: its build constraints exclude it (import \"C\", which cgo builds), so its allocations are not reviewed (to review them, set CGO_ENABLED=1, with a C compiler)"
if command -v cc >/dev/null 2>&1; then
	CGO_ENABLED=1 er --base HEAD~1 --format json
	expect_eq "CGO_ENABLED=1: c.go is reviewed" "$(findings "$TMP/out") $(cat "$TMP/err")" "c.go:6:C1:moved to heap: y "
fi
cd "$TMP/c" || exit 1

# a Go file in no module (no go.mod above it) is named, not "0 new" in silence
new_repo "$TMP/orph"
cd "$TMP/orph" || exit 1
mkdir tools
printf 'package main\n\nfunc main() {}\n' >tools/t.go
commit_all . base
printf 'package main\n\nvar p *int\n\nfunc main() { x := 1; p = &x }\n' >tools/t.go
er
expect_rc "no module: exit code" 0
expect_eq "no module: the file is named" "$(cat "$TMP/err")" \
	"escape-review: warning: tools/t.go is in no Go module (there is no go.mod in its directory or above it in the repository), so it is not reviewed"
er --format json
expect_eq "no module: the JSON names it" "$(json_get "$TMP/out" 'd["summary"]["not_in_module"]')" "['tools/t.go']"
er --format markdown
expect_grep "no module: the summary comment names it" \
	'^\*\*Not reviewed\*\* (in no Go module: no `go.mod` above them): `tools/t.go`\.$' "$TMP/out"
expect_grep "no module: the headline counts no package" \
	'^No Go package of the change was built, so nothing was reviewed ([0-9a-f]\{12\}\.\.\.)\.$' "$TMP/out"
cd "$TMP/c" || exit 1

# go.mod or go.sum alone changed: a dependency's version may change what
# the code allocates; the review says how to see it (no Go file: go not run)
new_repo "$TMP/mod"
cd "$TMP/mod" || exit 1
printf 'module example.com/mod\n\ngo 1.19\n' >go.mod
mkdir sub
printf 'module example.com/mod/sub\n\ngo 1.19\n' >sub/go.mod
printf 'package mod\n' >m.go
commit_all . base
hint="escape-review: the change touches no Go file but go.mod, go.sum or vendor/: a dependency's new version or vendored code may change what the code allocates, which --all-packages with the same revisions shows (every package compared with the base)"
printf 'module example.com/mod/sub\n\ngo 1.20\n' >sub/go.mod
: >"$TMP/go-calls" # the counting shim is on PATH since above
er
expect_eq "go.mod in the work tree: the hint, go not run" "$(cat "$TMP/err") $(go_calls)" "$hint 0"
commit_all . "sub's go version"
er --base HEAD~1
expect_eq "go.mod committed: the hint" "$(cat "$TMP/err")" "$hint"
echo notes >README
commit_all . readme
er --base HEAD~1
expect_eq "a README: no hint" "$(cat "$TMP/err")" ""
# a vendored file edited (the review keeps no Go file under vendor/)
mkdir -p vendor/example.com/dep
printf 'package dep\n\nfunc D() *int { d := 1; return &d }\n' >vendor/example.com/dep/d.go
: >"$TMP/go-calls"
er
expect_eq "vendor/ in the work tree: the hint, go not run" "$(cat "$TMP/err") $(go_calls)" "$hint 0"
commit_all . "vendored dep"
er --base HEAD~1
expect_eq "vendor/ committed: the hint" "$(cat "$TMP/err")" "$hint"
cd "$TMP/c" || exit 1

# the pre-push hook: a push of a change to a Windows-only package is not
# refused for a build that go would refuse (it was: exit 3, push blocked)
echo '// edited' >>w/svc_windows.go
commit_all . "windows only"
hook_push "$(git rev-parse HEAD~1)" "$(git rev-parse HEAD)"
expect_rc "hook: the push goes through" 0
expect_grep "hook: the package left out is named" \
	"^escape-review: warning: the package in w is not built for $platform" "$TMP/err"
# -trimpath (GOFLAGS, as CI often sets it, or --build-flags) makes the
# compiler name files by import path: the build undoes it, or every finding
# would be dropped as in no file of the revision ("0 new" in silence)
new_repo "$TMP/tp"
cd "$TMP/tp" || exit 1
printf 'module example.com/tp\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
mkdir -p sub
printf 'package sub\n\nfunc F() *int { x := 1; return &x }\n' >sub/a.go
commit_all . base
printf 'package sub\n\nfunc F() *int { x := 1; return &x }\n\nfunc G() *int { y := 2; return &y }\n' >sub/a.go
commit_all . head
GOFLAGS=-trimpath er --base HEAD~1 --format json
expect_eq "GOFLAGS=-trimpath: the new allocation, in its file" \
	"$(findings "$TMP/out") $(cat "$TMP/err")" "sub/a.go:5:G:moved to heap: y "
er --base HEAD~1 --build-flags -trimpath --format json -v
expect_eq "--build-flags -trimpath: the new allocation, in its file" \
	"$(findings "$TMP/out")" "sub/a.go:5:G:moved to heap: y"
expect_grep "the build passes -trimpath=false after the build flags" \
	"go build -trimpath -trimpath=false -gcflags=-m=2 -o /dev/null \\./sub\$" "$TMP/err"
# a log built with -trimpath, given with --input: its import paths are
# read as the module's files, from the module root or below it
# (Go 1.19's compiler prints paths relative to the build's directory even
# with -trimpath: the log is an ordinary one there)
go build -trimpath -gcflags=-m=2 ./... 2>"$TMP/trim.log"
if [ "$GO_MINOR" -ge 26 ]; then trimmed=example.com/tp/sub; else trimmed=sub; fi
expect_grep "the trimmed log names the file by import path (Go 1.26)" "^$trimmed/a.go:5:" "$TMP/trim.log"
er --input "$TMP/trim.log" --mode all --format json
expect_eq "--input of a trimmed log, --mode all: the findings in their files" \
	"$(findings "$TMP/out") $(cat "$TMP/err")" "sub/a.go:3:F:moved to heap: x
sub/a.go:5:G:moved to heap: y "
er --input "$TMP/trim.log" --base HEAD~1 --format json
expect_eq "--input of a trimmed log, the change's lines: the new allocation" \
	"$(findings "$TMP/out") $(cat "$TMP/err")" "sub/a.go:5:G:moved to heap: y "
[ "$GO_MINOR" -ge 26 ] && cd sub # what a log of import paths allows
er --input "$TMP/trim.log" --base HEAD~1 --format json
expect_eq "--input of a trimmed log, the change's lines, from a package directory: the same" \
	"$(findings "$TMP/out") $(cat "$TMP/err")" "sub/a.go:5:G:moved to heap: y "
if [ "$GO_MINOR" -ge 26 ]; then
	er --input "$TMP/trim.log" --mode all --format json
	expect_eq "--input of a trimmed log, --mode all, from a package directory: relative to it" \
		"$(findings "$TMP/out") $(cat "$TMP/err")" "a.go:3:F:moved to heap: x
a.go:5:G:moved to heap: y "
	cd .. || exit 1
fi
# code under a //line directive (goyacc's): the compiler names the file the
# directive does ("gram.y"), which is put in the package's directory when
# it is there, and is not read as Go; a name that is nowhere is named
new_repo "$TMP/ln"
cd "$TMP/ln" || exit 1
printf 'module example.com/ln\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
mkdir p
printf '%%%%{\npackage p\n%%%%}\n%%%%%%%%\ntop: X { $$ = leak() }\n' >p/gram.y
printf 'package p\n\n//line gram.y:5\nfunc Leak() *int { v := 1; return &v }\n' >p/gram.go
commit_all . base
printf '\n\n\nnext: Y { $$ = leak2() }\n' >>p/gram.y
printf '\n//line gram.y:9\nfunc Leak2() *int { w := 1; return &w }\n' >>p/gram.go
printf '\n//line nowhere.y:3\nfunc Gone() *int { z := 1; return &z }\n' >>p/gram.go
commit_all . "a rule"
er --base HEAD~1 --format json
expect_eq "//line: the new allocation at its line of the grammar, no function read from it" \
	"$(findings "$TMP/out")" "p/gram.y:9:None:moved to heap: w"
expect_eq "//line: a directive's file that is nowhere is named" "$(cat "$TMP/err")" \
	"escape-review: warning: the compiler reported nowhere.y, which is not a file of the revision (a //line directive's name, or a file name with a newline in it?); its findings are left out"
er --base HEAD~1 --mode all
expect_grep "//line: text output, no column where the directive gives none" \
	"^p/gram.y:5: \\[ER010 warning\\] moved to heap: v$" "$TMP/out"
cd "$TMP/c" || exit 1
# a change of generated files only (a protobuf regenerated): the review
# leaves generated code out, and says so instead of "0 packages" alone
new_repo "$TMP/gen"
cd "$TMP/gen" || exit 1
printf 'module example.com/gen\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
printf 'package gen\n\nfunc F() int { return 1 }\n' >f.go
printf '// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage gen\n\nfunc M() *int { m := 1; return &m }\n' >m.pb.go
commit_all . base
printf '\nfunc N() *int { n := 1; return &n }\n' >>m.pb.go
: >"$TMP/go-calls"
er
expect_eq "generated only, work tree: said, go not run" "$(cat "$TMP/err") $(go_calls)" \
	"escape-review: the change touches only generated files (1: m.pb.go): generated code (\`// Code generated ... DO NOT EDIT.\`) is not reviewed 0"
printf 'package gen\n\nfunc TestX() {}\n' >f_test.go
commit_all . "regenerated, and a test"
er --base HEAD~1
expect_eq "generated and _test.go files, committed: both said" "$(cat "$TMP/err")" \
	"escape-review: the change touches only _test.go files (1), which are reviewed with --tests, and generated files (1: m.pb.go): generated code (\`// Code generated ... DO NOT EDIT.\`) is not reviewed"
cd "$TMP/c" || exit 1
finish
