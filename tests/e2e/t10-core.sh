#!/bin/sh
# t10-core: the core pipeline on real repositories with the real compiler:
# the seed example in --mode added, changes without Go files, deleted and
# renamed files, a file name with spaces, build errors, a main package, two
# modules, bad revisions and an empty repository.
. "$(dirname "$0")/lib.sh"

# --- the seed example: c1 -> c2 in added mode reports exactly two lines
sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
git checkout -q c2
er --base c1 --mode added --format json
expect_rc "seed c1..c2 added" 0
expect_eq "seed c1..c2 added: exactly the two added lines" "$(findings "$TMP/out")" \
"campus/score.go:27:NewStudent:moved to heap: s
campus/score.go:39:CalcAvgScore:result escapes to heap"
expect_eq "seed: rules and severities" \
	"$(json_get "$TMP/out" "' '.join(f['rule']+'/'+f['severity']+'/'+f['status']+'/'+str(f['added_line']) for f in d['findings'])")" \
	"ER010/warning/new/True ER001/warning/new/True"
expect_eq "seed: why of the log call" \
	"$(json_get "$TMP/out" "d['findings'][1]['why']")" \
	"result is boxed into an interface to be passed to log.Printf at score.go:39"
# Go 1.19 places a boxed argument one column after the call's parenthesis
# (39:13); newer compilers place it on the argument itself (39:24)
col=$(by_go 13 24)
expect_eq "seed: column and base" "$(json_get "$TMP/out" "(d['findings'][1]['column'], d['base'] == '$(git rev-parse c1)', d['head'] == '$(git rev-parse c2)')")" "($col, True, True)"

# text format: path:line:col: [RULE severity] message, then the reason
er --base c1 --mode added
expect_out "seed text output" "campus/score.go:27:2: [ER010 warning] moved to heap: s
    in NewStudent: the address of s is returned at score.go:28
campus/score.go:39:$col: [ER001 warning] result escapes to heap
    in CalcAvgScore: result is boxed into an interface to be passed to log.Printf at score.go:39
escape-review: 2 new, 0 existing, 0 fixed (0 error, 2 warning, 0 info) in 1 package (mode added)"

# --fail-on warning turns the findings into exit 1; --explain prints the chain
er --base c1 --mode added --fail-on warning --explain
expect_rc "--fail-on warning" 1
# Go 1.19 calls log.Printf; newer compilers inline it, and the chain goes on
# inside its body (log.go) to fmt.Appendf
expect_grep "--explain prints the flow" "$(by_go \
	'        from log.Printf("avg: %v", ... argument...) (call parameter) at campus/score.go:39:12' \
	'        from log.format, log.v := "avg: %v", ... argument (assign-pair) at campus/score.go:39:12')" "$TMP/out"

# the head revision is built from a checkout when it is not the work tree
git checkout -q c1
er --base c1 --head c2 --mode added --format json
expect_eq "head from a libgit2 checkout (work tree at c1)" "$(findings "$TMP/out")" \
"campus/score.go:27:NewStudent:moved to heap: s
campus/score.go:39:CalcAvgScore:result escapes to heap"
expect_eq "work tree left alone" "$(git status --porcelain)" ""

# --mode file and all see the unchanged findings too
er --base c1 --head c2 --mode file --format json
expect_eq "--mode file" "$(json_get "$TMP/out" "' '.join('%d:%s' % (f['line'], f['status']) for f in d['findings'])")" \
	"14:existing 20:existing 27:new 39:new"

# --- a change without Go files starts no go process
go_counter
git checkout -q c2
echo "# Campus" >README.md
git add README.md && git commit -q -m "docs only"
er --base c2 --format json
expect_rc "docs-only change" 0
expect_eq "docs-only: no findings" "$(json_get "$TMP/out" "len(d['findings'])")" "0"
expect_eq "docs-only: go never started" "$(go_calls)" "0"

# --- a deleted file: nothing to build, nothing reported
git rm -q campus/score.go
mkdir -p campus && echo 'package campus' >campus/other.go
git add -A && git commit -q -m "delete score.go"
er --base HEAD~1 --format json
expect_rc "deleted file" 0
expect_eq "deleted file: no findings" "$(json_get "$TMP/out" "len(d['findings'])")" "0"

# --- a rename with an edit: findings on the new path, on added lines only
cd "$TMP" && sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/ren" >/dev/null && cd "$TMP/ren"
git checkout -q c1
git checkout -q -b feature
git mv campus/score.go campus/grades.go
cat >>campus/grades.go <<'GO'

// Best returns a pointer to the best score.
func Best(scores []int) *int {
	best := 0
	for _, s := range scores {
		if s > best {
			best = s
		}
	}
	return &best
}
GO
commit_all . "rename and add Best"
er --base c1 --format json
expect_eq "rename: new path, added line" "$(findings "$TMP/out")" "campus/grades.go:35:Best:moved to heap: best"

# --- a file name with spaces (Go forbids them in directories) in a main package (: nothing written into the tree)
new_repo "$TMP/sp" && cd "$TMP/sp"
printf 'module example.com/sp\n\ngo 1.19\n' >go.mod
mkdir -p "cmd/tool"
printf 'package main\n\nfunc main() {}\n' >"cmd/tool/main.go"
commit_all . base
cat >"cmd/tool/new file.go" <<'GO'
package main

import "fmt"

var sink any

func greet(name string) {
	sink = &name
	fmt.Println("hi", name)
}
GO
commit_all . "greet"
er --base HEAD~1 --format json
expect_rc "spaces: exit" 0
expect_eq "spaces in the file name, main package" "$(findings "$TMP/out")" \
"cmd/tool/new file.go:7:greet:moved to heap: name
cmd/tool/new file.go:9:greet:\"hi\" escapes to heap
cmd/tool/new file.go:9:greet:name escapes to heap"
expect_eq "main package: no binary written" "$(git status --porcelain --ignored)" ""

# --- a build error: exit 3 with the compiler's message, never "no escapes"
printf 'package main\n\nfunc broken() int { return undefinedThing }\n' >"cmd/tool/broken.go"
commit_all . "broken"
er --base HEAD~1
expect_rc "build error" 3
expect_grep "build error: the compiler's message" "broken.go:3:28: undefined: undefinedThing" "$TMP/err"
expect_grep "build error: says the build failed" "the build failed" "$TMP/err"

# --- two modules in one repository: one go invocation each
new_repo "$TMP/two" && cd "$TMP/two"
for m in alpha beta; do
	mkdir -p "$m/lib"
	printf 'module example.com/%s\n\ngo 1.19\n' "$m" >"$m/go.mod"
	printf 'package lib\n\nfunc Zero() int { return 0 }\n' >"$m/lib/lib.go"
done
commit_all . base
for m in alpha beta; do
	printf '\nfunc New%s() *int {\n\tv := 1\n\treturn &v\n}\n' "$m" >>"$m/lib/lib.go"
done
commit_all . "two changes"
: >"$TMP/go-calls"
er --base HEAD~1 --mode added --format json
expect_eq "two modules: findings of both" "$(findings "$TMP/out")" \
"alpha/lib/lib.go:6:Newalpha:moved to heap: v
beta/lib/lib.go:6:Newbeta:moved to heap: v"
expect_eq "two modules: one go build each" "$(grep -c '^build ' "$TMP/go-calls")" "2"

# --- vendor/, testdata/, generated and _test.go files are not reviewed
mkdir -p alpha/lib/testdata alpha/vendor/x
printf 'package x\n\nfunc V() *int { v := 1; return &v }\n' >alpha/vendor/x/x.go
printf '// Code generated by hand for a test. DO NOT EDIT.\n\npackage lib\n\nfunc Gen() *int { g := 1; return &g }\n' >alpha/lib/gen.go
printf 'package lib\n\nimport "testing"\n\nfunc TestX(t *testing.T) { p := 1; sink(&p) }\n\nvar keepp *int\n\nfunc sink(p *int) { keepp = p }\n' >alpha/lib/lib_test.go
commit_all . "skipped kinds"
: >"$TMP/go-calls"
er --base HEAD~1 --format json
expect_eq "vendor, generated, _test.go: go not started" "$(go_calls)" "0"
er --base HEAD~1 --mode added --tests --format json
expect_eq "--tests reviews _test.go" "$(findings "$TMP/out")" \
"alpha/lib/lib_test.go:5:TestX:moved to heap: p
alpha/lib/lib_test.go:9:sink:leaking param: p"
# go test -c compiles a main it generates (_testmain.go, printed without a
# directory): not a file of the revision, and no warning says it is
expect_eq "--tests: nothing on stderr about go test's generated main" "$(cat "$TMP/err")" ""

# --- bad revisions, empty repository, not a repository
er --base no-such-branch
expect_rc "unknown base" 2
expect_eq "unknown base: names the revision" "$(cat "$TMP/err")" \
	"escape-review: unknown revision 'no-such-branch': not a commit in this repository (fetch it, or check the name)"
new_repo "$TMP/empty"
cd "$TMP/empty"
er --base HEAD
expect_rc "no commits" 2
expect_eq "no commits: says so" "$(cat "$TMP/err")" \
	"escape-review: revision 'HEAD' does not exist: the repository has no commits yet; commit first"
mkdir -p "$TMP/plain" && cd "$TMP/plain"
er --base HEAD
expect_rc "not a repository" 2
expect_grep "not a repository: says so" "not a git repository" "$TMP/err"

# --- --input reads compiler output produced elsewhere, no repository needed
cd "$TMP/campus" && git checkout -q c2
go build -gcflags=-m=2 ./campus 2>"$TMP/m2.log"
cd "$TMP/plain"
er -C "$TMP/campus" --input "$TMP/m2.log" --mode all --format json
expect_eq "--input with -C" "$(findings "$TMP/out")" \
"campus/score.go:14:keep:leaking param: p
campus/score.go:20:Count:moved to heap: x
campus/score.go:27:NewStudent:moved to heap: s
campus/score.go:39:CalcAvgScore:result escapes to heap"
er --input - --mode all --format json <"$TMP/m2.log"
expect_eq "--input from stdin outside a repository (no sources: no functions)" \
	"$(json_get "$TMP/out" "[f['function'] for f in d['findings']]")" "[None, None, None, None]"
expect_eq "--input: the log's compiler is not known" "$(json_get "$TMP/out" "d['go_version']")" "None"
# --go-version names it (what a few classifications need: ER005)
er --input - --go-version go1.24.3 --mode all --format json <"$TMP/m2.log"
expect_eq "--input --go-version: the compiler named" "$(json_get "$TMP/out" "d['go_version']")" "go1.24.3"
# ... which the log's explanations can gainsay: Go 1.25 wrote "flow: a ← b"
# for "flow: a = b" (tests/e2e/t30-rules.sh: what they tell is used without
# --go-version); named otherwise, one warning line, and the name is used
if [ "$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')" -ge 25 ]; then
	named=go1.24.3 other=go1.25.0 written="Go 1.25 and newer" arrow="←"
else
	named=go1.25.0 other=go1.24.3 written="Go 1.24 and older" arrow="="
fi
expect_eq "the control: the log has explanations" "$(grep -c "flow: .* $arrow " "$TMP/m2.log" | sed 's/^[1-9][0-9]*$/some/')" "some"
er --input - --go-version "$other" --mode all --format json <"$TMP/m2.log"
expect_eq "--go-version as the log's explanations say: no warning" "$rc:$(cat "$TMP/err")" "0:"
er --input - --go-version "$named" --mode all --format json <"$TMP/m2.log"
expect_eq "--go-version the log's explanations gainsay: one warning" "$rc:$(cat "$TMP/err")" \
	"0:escape-review: warning: --go-version $named names the log's compiler, but its explanations are written as $written write them (flow: a $arrow b); the findings are classified for $named"
for v in go1.25 go1.25rc2 go1.26beta1; do
	er --input - --go-version "$v" --mode all --format json <"$TMP/m2.log"
	expect_eq "--go-version $v: taken" "$rc:$(json_get "$TMP/out" "d['go_version']")" "0:$v"
done
for v in 1.24 go1.x go2.0 go1.0 go1.24.3x go1.24ace go1.24. go1.24rc go1.24.3.1; do
	er --input - --go-version "$v" --mode all <"$TMP/m2.log"
	expect_rc "--go-version $v" 2
	expect_eq "--go-version $v: the message" "$(cat "$TMP/err")" \
		"escape-review: --go-version takes a Go release as \`go version\` names it (go1.24.3), not '$v'"
done
er --go-version go1.24.3 --mode all
expect_rc "--go-version without --input" 2
expect_eq "--go-version without --input: the message" "$(cat "$TMP/err")" \
	"escape-review: --go-version names the compiler of an --input log; without --input the review asks go"
# --input with absolute paths through a symbolic link (as $GOROOT/src on Debian)
ln -s "$TMP/campus" "$TMP/link"
sed "s|^campus/|$TMP/link/campus/|" "$TMP/m2.log" >"$TMP/abs.log"
cd "$TMP/link"
er --input "$TMP/abs.log" --mode all --format json
expect_eq "--input: absolute paths through a symbolic link" "$(json_get "$TMP/out" "len(d['findings'])")" "4"
cd "$TMP/plain"
er --input "$TMP/abs.log" --mode all --format json
# every verdict of the log is kept with its path as written, the standard
# library's own too (newer compilers report log.Printf's inlined body)
nverdicts=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: (moved to heap: |leaking param|.* escapes to heap$)' "$TMP/abs.log")
expect_eq "--input --mode all: findings outside the directory keep their paths as written" \
	"$(findings "$TMP/out" | grep "^$TMP/link/")" \
"$TMP/link/campus/score.go:14:keep:leaking param: p
$TMP/link/campus/score.go:20:Count:moved to heap: x
$TMP/link/campus/score.go:27:NewStudent:moved to heap: s
$TMP/link/campus/score.go:39:CalcAvgScore:result escapes to heap"
expect_eq "--input --mode all: every verdict of the log" "$(json_get "$TMP/out" "len(d['findings'])")" "$nverdicts"
# --- the Go it runs: --version names it; a release outside the tested range
# still parses, with one warning line
er --version
expect_eq "--version names the go it would run" "$(sed -n 2p "$TMP/out")" \
	"go: $(go env GOVERSION) ($(command -v go))"
real_go=$(command -v go)
mkdir -p "$TMP/futurego"
cat >"$TMP/futurego/go" <<SH
#!/bin/sh
if [ "\$1 \$2" = "env GOVERSION" ]; then echo go1.99.0; exit 0; fi
exec "$real_go" "\$@"
SH
chmod +x "$TMP/futurego/go"
cd "$TMP/campus" || exit 1
git checkout -q c2
PATH="$TMP/futurego:$PATH" er --base c1 --mode added --format json
expect_rc "a Go outside the range still reviews" 0
expect_eq "outside the range: one warning line" "$(cat "$TMP/err")" \
	"escape-review: warning: go1.99.0 is outside the tested Go 1.19 to 1.26; its output is read as theirs, so check the findings against \`go build -gcflags=-m=2\`"
expect_eq "outside the range: the findings and the version recorded" \
	"$(json_get "$TMP/out" "(len(d['findings']), d['go_version'])")" "(2, 'go1.99.0')"

# --- libgit2's TLS trust store is never parsed (issue 17: no TLS set-up
# unless publishing): with a libgit2 built on mbedTLS (Debian's), its call
# of mbedtls_x509_crt_parse_file goes to the program's no-op (src/repo.c),
# and the CA bundle is never opened.  Linked shared, the dynamic linker
# binds the call to the program's definition; linked from the archives
# (the Makefile's LIBGIT2_LINK), libgit2's TLS is not linked at all (below).
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
if ! command -v strace >/dev/null 2>&1; then
	echo "  skip: no strace (apt-get install strace) to see which files a run opens"
elif [ ! -f "$CA_BUNDLE" ]; then
	echo "  skip: no $CA_BUNDLE (apt-get install ca-certificates) that libgit2 would read"
else
	cd "$TMP/campus" || exit 1
	strace -f -qq -e trace=openat,open -o "$TMP/opens" "$ER_BIN" --base c1 --mode added >/dev/null 2>&1
	# the control: the trace sees the run read the changed package's source
	expect_eq "strace sees the review open the changed source" \
		"$(grep -c '/campus/score.go"' "$TMP/opens" | sed 's/^[1-9][0-9]*$/yes/')" "yes"
	expect_eq "libgit2 never opens the CA bundle" "$(grep -c "$CA_BUNDLE" "$TMP/opens")" "0"
fi
# binds_to_program LIB SYMBOL NAME: when the binary links LIB shared, the
# dynamic linker binds libgit2's SYMBOL to the program's own (src/repo.c)
binds_to_program() {
	if ldd "$ER_BIN" | grep -q "$1"; then
		binding=$(LD_DEBUG=bindings "$ER_BIN" rules ER001 2>&1 >/dev/null |
			sed -n "s/.*binding file [^ ]*\/\(libgit2\)[^ ]* .* to [^ ]*\/\([^ /]*\) .*symbol .$2'.*/\1 -> \2/p")
		expect_eq "$3 binds to the program" "$binding" "libgit2 -> $(basename "$ER_BIN")"
	else
		echo "  skip: $ER_BIN's libgit2 does not use $1"
	fi
}
if ldd "$ER_BIN" | grep -q libgit2; then
	binds_to_program libmbedx509 mbedtls_x509_crt_parse_file "libgit2's CA bundle parse"
	# nor is libssh2's crypto set up: its init binds to the program's no-op
	binds_to_program libssh2 libssh2_init "libgit2's libssh2_init"
elif command -v nm >/dev/null 2>&1; then
	# linked from the archives, libgit2's network code is left out (the
	# Makefile's LIBGIT2_NET): its references go to the program's
	# __wrap_ functions, so neither libgit2's TLS stream, SSH transport
	# and Negotiate authentication nor mbedTLS's TLS, libssh2, OpenSSL or
	# Kerberos are in the binary, and no Kerberos library is loaded
	nm "$ER_BIN" >"$TMP/nm" 2>/dev/null
	defined() { awk -v s="$1" '$2 ~ /^[TtDdBbRr]$/ && $3 == s' "$TMP/nm" | wc -l | tr -d ' '; }
	expect_eq "the control: libgit2 is in the binary" "$(defined git_repository_open_ext)" "1"
	for s in git_mbedtls_stream_new git_mbedtls_stream_global_init git_smart_subtransport_ssh \
		git_http_auth_negotiate mbedtls_ssl_setup mbedtls_x509_crt_parse_file \
		libssh2_session_init_ex EVP_DigestInit_ex; do
		expect_eq "libgit2 linked in: no $s in the binary" "$(defined "$s")" "0"
	done
	expect_eq "libgit2 linked in: its TLS stream is the program's refusal" \
		"$(defined __wrap_git_mbedtls_stream_new)" "1"
	expect_eq "libgit2 linked in: no Kerberos library is loaded" \
		"$(ldd "$ER_BIN" | grep -c -e libgssapi -e libkrb5)" "0"
else
	echo "  skip: no nm (apt-get install binutils) to read $ER_BIN's symbols"
fi

# --- libcurl is loaded only to publish (src/http.c): a review never maps it
cd "$TMP/campus" || exit 1
LD_DEBUG=files "$ER_BIN" --base c1 --mode added >/dev/null 2>"$TMP/ld-files"
expect_eq "a review maps no libcurl" "$(grep -c 'file=libcurl' "$TMP/ld-files")" "0"
# the control: cJSON, a library it links shared however libgit2 is linked
expect_eq "but it maps cJSON" "$(grep -c 'file=libcjson.*\[0\];  needed by' "$TMP/ld-files")" "1"

finish
