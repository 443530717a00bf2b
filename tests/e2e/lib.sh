# Helpers for the end-to-end tests: sourced by tests/e2e/t*.sh.
# Each test builds real git repositories in a temp dir and runs the real
# binary ($ER_BIN) with the real `go`.  Checks count into a summary line;
# a test script exits non-zero when any check failed.
set -u
ER_SRC=${ER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
ER_BIN=${ER_BIN:-$ER_SRC/build/escape-review}
TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/er-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
checks_ok=0
checks_bad=0
# keep go's caches where they already are (warm builds: Go 1.24 and newer
# also build `go tool pprof` into the cache), but never write to the user's
# tree; found before HOME moves below, or the cache would be a cold one in $TMP
export GOCACHE=${GOCACHE:-$(go env GOCACHE 2>/dev/null || echo "$TMP/gocache")}
export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$TMP/home" NO_COLOR=1
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
export GOPATH=${GOPATH:-$TMP/gopath}
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local

# The Go release the tests run with: GO_MINOR is 19 for go1.19.x, 26 for
# go1.26.x.  by_go OLD NEW prints OLD on Go 1.19 (the oldest supported) and
# NEW on newer compilers, for the few expectations where the compilers
# really print something else; each use says why in a comment.
GO_MINOR=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
GO_MINOR=${GO_MINOR:-0}
by_go() { if [ "$GO_MINOR" -le 19 ]; then printf '%s' "$1"; else printf '%s' "$2"; fi; }

# er ARGS...: run the binary (under valgrind when ER_VALGRIND=1), stdout to
# $TMP/out, stderr to $TMP/err, exit code in $rc.  valgrind is found now,
# so tests that run `er` with a reduced PATH still run it under valgrind.
ER_VALGRIND_CMD=$(command -v valgrind 2>/dev/null || echo valgrind)
er() {
	if [ "${ER_VALGRIND:-0}" = 1 ]; then
		"$ER_VALGRIND_CMD" -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			--trace-children=no "$ER_BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	else
		"$ER_BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	fi
	rc=$?
	if [ "$rc" = 99 ]; then
		echo "valgrind reported errors:" >&2
		cat "$TMP/err" >&2
	fi
	return 0
}

ok() { checks_ok=$((checks_ok + 1)); echo "  ok: $1"; }
bad() {
	checks_bad=$((checks_bad + 1))
	echo "  FAIL: $1"
	[ -f "$TMP/out" ] && sed 's/^/    out: /' "$TMP/out" | head -40
	[ -f "$TMP/err" ] && sed 's/^/    err: /' "$TMP/err" | head -20
}

# expect_eq DESC ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		bad "$1"
		printf '    expected: %s\n    actual:   %s\n' "$3" "$2"
	fi
}

# expect_rc DESC CODE
expect_rc() { expect_eq "$1 (exit code)" "$rc" "$2"; }

# expect_file_eq DESC FILE EXPECTED-TEXT
expect_out() {
	if [ "$(cat "$TMP/out")" = "$2" ]; then ok "$1"; else
		bad "$1"
		printf '%s\n' "$2" | sed 's/^/    want: /'
	fi
}

# expect_grep DESC PATTERN FILE
expect_grep() {
	if grep -q -- "$2" "$3"; then ok "$1"; else bad "$1 (no '$2' in $(basename "$3"))"; fi
}
# (a missing FILE is a failure: there is nothing to have looked in)
expect_no_grep() {
	if [ ! -f "$3" ]; then bad "$1 (no file $3)"
	elif grep -q -- "$2" "$3"; then bad "$1 ('$2' found in $(basename "$3"))"; else ok "$1"; fi
}

# jq-like: findings FILE -> "file:line:function:message" lines, sorted
findings() {
	python3 - "$1" "${2:-findings}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d[sys.argv[2]]:
    print("%s:%d:%s:%s" % (f["file"], f["line"], f["function"], f["message"]))
PY
}

# json_get FILE EXPR: print a Python expression over the document `d`
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# A go shim on PATH that counts invocations into $TMP/go-calls.
go_counter() {
	real=$(command -v go)
	mkdir -p "$TMP/shim"
	cat >"$TMP/shim/go" <<SH
#!/bin/sh
echo "\$*" >>"$TMP/go-calls"
exec "$real" "\$@"
SH
	chmod +x "$TMP/shim/go"
	PATH="$TMP/shim:$PATH"
	export PATH
	: >"$TMP/go-calls"
}
go_calls() { wc -l <"$TMP/go-calls" | tr -d ' '; }

# hook_push BASE HEAD: in the current repository, the pre-push hook of the
# binary under test (first on PATH), a bare remote "origin" holding BASE as
# main (pushed past the hook), then `git push origin main` of HEAD: output
# in $TMP/out and $TMP/err, exit code in $rc.
hook_push() {
	mkdir -p "$TMP/bin"
	ln -sf "$ER_BIN" "$TMP/bin/escape-review"
	PATH="$TMP/bin:$PATH"
	git init -q --bare "$TMP/remote.git"
	git remote add origin "$TMP/remote.git"
	sh "$ER_SRC/install.sh" --hook . >/dev/null
	git checkout -q -B main "$1"
	ESCAPE_REVIEW_SKIP=1 git push -q origin main >/dev/null 2>&1
	git reset -q --hard "$2"
	git push origin main >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# new_repo DIR: an empty repository with a go.mod for module example.com/m
new_repo() {
	mkdir -p "$1"
	git -C "$1" init -q
}

commit_all() { git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }

finish() {
	echo "$TEST_NAME: $checks_ok passed, $checks_bad failed"
	[ "$checks_bad" -eq 0 ]
	exit $?
}
