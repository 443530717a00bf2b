#!/bin/sh
# t40-hostile: inputs that try to break it.  Each gets a clear message, a
# documented exit code, and loses no work; nothing goes through a shell.
. "$(dirname "$0")/lib.sh"

new_repo "$TMP/h" && cd "$TMP/h"
printf 'module example.com/h\n\ngo 1.19\n' >go.mod
mkdir p
printf 'package p\n\nfunc Z() int { return 0 }\n' >p/z.go
commit_all . base

# --- file names with spaces, quotes, $(...), a newline, and invalid UTF-8; CRLF sources
printf 'package p\n\nfunc Q() *int { q := 1; return &q }\n' >"p/we\"ird \$(touch pwned) 'x'.go"
printf 'package p\r\n\r\nfunc C() *int {\r\n\tc := 2\r\n\treturn &c\r\n}\r\n' >p/crlf.go
printf 'package p\n\nfunc N() *int { n := 1; return &n }\n' >"$(printf 'p/new\nline.go')"
printf 'package p\n\nfunc U() *int { u := 1; return &u }\n' >"$(printf 'p/caf\351.go')"
commit_all . hostile
er --base HEAD~1 --format json
expect_rc "hostile names" 0
expect_eq "hostile names: findings with exact paths (invalid UTF-8 as U+FFFD in JSON)" "$(findings "$TMP/out")" \
"p/caf�.go:3:U:moved to heap: u
p/crlf.go:4:C:moved to heap: c
p/we\"ird \$(touch pwned) 'x'.go:3:Q:moved to heap: q"
expect_eq "nothing was executed" "$(ls)" "go.mod
p"
expect_eq "a newline in a name: one warning, nothing guessed" "$(cat "$TMP/err")" \
	"escape-review: warning: the compiler reported line.go, which is not a file of the revision (a //line directive's name, or a file name with a newline in it?); its findings are left out"
er --base HEAD~1 --mode added
expect_grep "text: invalid UTF-8 shown escaped" 'p/caf\\xe9.go:3:17: \[ER010 warning\] moved to heap: u' "$TMP/out"
expect_grep "CRLF: column and function right" 'p/crlf.go:4:2: \[ER010 warning\] moved to heap: c' "$TMP/out"
git rm -q -- p/*.go && mkdir -p p && printf 'package p\n\nfunc Z() int { return 0 }\n' >p/z.go && git add p/z.go && commit_all . cleanup

# --- a 50,000-line diff
python3 - <<'PY'
with open("p/big.go", "w") as f:
    f.write("package p\n\nvar sink *int\n\n")
    for i in range(12498):
        f.write("func F%d() {\n\tv := %d\n\tsink = &v\n}\n" % (i, i))
PY
commit_all . big
wc -l <p/big.go >"$TMP/lines"
er --base HEAD~1 --mode added --format json
expect_rc "50,000-line diff" 0
expect_eq "50,000-line diff: every escape found" "$(json_get "$TMP/out" "(len(d['findings']), d['findings'][0]['line'], d['findings'][-1]['function'])")" \
	"(12498, 6, 'F12497')"
git rm -q p/big.go && commit_all . unbig

# --- a binary file named .go: the build fails and says so (exit 3)
printf '\000\001\002binary\000' >p/blob.go
commit_all . binary
er --base HEAD~1
expect_rc "binary .go file" 3
expect_grep "binary .go file: the compiler's message" "p/blob.go" "$TMP/err"
git rm -q p/blob.go && commit_all . unbinary

# --- a symlink and a submodule in the change are not reviewed as files
mkdir tools && ln -s ../p/z.go tools/link.go
commit_all . symlink
new_repo "$TMP/sub" && (cd "$TMP/sub" && echo x >x && commit_all . sub)
git -c protocol.file.allow=always submodule add -q "$TMP/sub" vendored-sub 2>/dev/null
commit_all . submodule
go_counter
er --base HEAD~2 --format json
expect_rc "symlink and submodule" 0
expect_eq "symlink and submodule: go not started" "$(go_calls)" "0"

# --- a detached HEAD
git checkout -q --detach HEAD
printf 'package p\n\nfunc D() *int { d := 1; return &d }\n' >p/d.go
commit_all . detached
er --base HEAD~1 --format json
expect_eq "detached HEAD" "$(findings "$TMP/out")" "p/d.go:3:D:moved to heap: d"

# --- a bare repository: head and base are checked out with libgit2
git clone -q --bare . "$TMP/bare.git"
cd "$TMP/bare.git"
er --base HEAD~1 --format json
expect_rc "bare repository" 0
expect_eq "bare repository: findings" "$(findings "$TMP/out")" "p/d.go:3:D:moved to heap: d"
er --worktree
expect_rc "bare repository --worktree" 2
expect_grep "bare repository --worktree: says why" "needs a work tree, and this repository is bare" "$TMP/err"

# --- a shallow clone without the base
cd "$TMP"
git clone -q --depth 1 "file://$TMP/h" shallow
cd shallow
er --base "$(git -C "$TMP/h" rev-parse HEAD~3)"
expect_rc "shallow clone without the base" 2
expect_grep "shallow clone: says so and suggests deepening" "shallow clone that does not have it; fetch more history (git fetch --deepen=50" "$TMP/err"

# --- go missing: exit 3 and how to install it
cd "$TMP/h"
mkdir -p "$TMP/nogo"
ln -sf "$(command -v git)" "$TMP/nogo/git"
PATH="$TMP/nogo" er --base HEAD~1
expect_rc "go missing" 3
expect_eq "go missing: one clear line" "$(cat "$TMP/err")" \
	"escape-review: cannot run 'go': not found on PATH; install Go (Debian/Ubuntu: apt-get install golang-go) or put it on PATH"

# --- garbage as compiler output
head -c 20000 /dev/urandom >"$TMP/garbage"
er --input "$TMP/garbage" --mode all --format json
expect_rc "garbage input" 0
expect_eq "garbage input: no findings" "$(json_get "$TMP/out" "len(d['findings'])")" "0"
finish
