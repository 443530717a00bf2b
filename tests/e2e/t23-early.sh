#!/bin/sh
# t23-early: a work-tree review starts its head's build before the diff is
# done, on a guess from the index (change_guess_worktree).  When the diff's
# packages are the guess's, that build is the review's: one go build, the
# same findings.  When they are not (an untracked Go file makes a new
# package), the change's packages are built and the guess's build is
# dropped: the findings are still the whole change's, and -v says so.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
git checkout -q c2
go_counter
builds() { grep -c '^build ' "$TMP/go-calls"; }

# the first build of each package set fills go's cache: the counts below
# are of the reviews, not of a cold toolchain
cat >>campus/score.go <<'GO'

// Early is a function this test adds.
func Early() *int {
	e := 4
	return &e
}
GO
er --mode added --format json -v
expect_rc "unstaged change (warnings only)" 0
expect_eq "unstaged change: the guessed build is the review's (one go build)" "$(builds)" 1
expect_no_grep "unstaged change: no word of a wrong guess" "guessed before the diff" "$TMP/err"
expect_eq "unstaged change: the added function's finding" \
	"$(findings "$TMP/out" | grep -c '^campus/score.go:[0-9]*:Early:moved to heap: e$')" 1
cp "$TMP/out" "$TMP/unstaged.json"

# the same change staged: the guess reads it from the index
git add campus/score.go
: >"$TMP/go-calls"
er --mode added --format json
expect_eq "staged change: one go build, the same JSON" \
	"$(builds) $(cmp "$TMP/out" "$TMP/unstaged.json" && echo identical)" "1 identical"

# new mode compares with the base as before; the head built once
: >"$TMP/go-calls"
er --format json --no-cache
expect_eq "new mode: head and base built once each" "$(builds)" 2
expect_eq "new mode: the added function is new" \
	"$(findings "$TMP/out" | grep -c '^campus/score.go:[0-9]*:Early:moved to heap: e$')" 1

# an untracked package beside it: the guess (campus) is not the change's
# (campus and extra), so both are built and the guess's build is dropped
mkdir extra
cat >extra/extra.go <<'GO'
package extra

// Extra is in an untracked file.
func Extra() *int {
	x := 5
	return &x
}
GO
: >"$TMP/go-calls"
er --mode added --format json -v
expect_rc "untracked package (warnings only)" 0
expect_grep "untracked package: -v says the guess was not the change" \
	"^escape-review: the packages guessed before the diff are not the change's: building the change's$" "$TMP/err"
expect_eq "untracked package: the guess's build and the change's" "$(builds)" 2
expect_eq "untracked package: the change's build names both packages" \
	"$(grep -c '^build .*\./campus.*\./extra' "$TMP/go-calls")" 1
expect_eq "untracked package: findings of both files, once each" \
	"$(findings "$TMP/out" | grep -E ':(Early|Extra):moved to heap' | sort)" \
	"campus/score.go:45:Early:moved to heap: e
extra/extra.go:5:Extra:moved to heap: x"

# only untracked files: nothing to guess, one build
git reset -q --hard c2
: >"$TMP/go-calls"
er --mode added --format json -v
expect_eq "only untracked: one go build" "$(builds)" 1
expect_no_grep "only untracked: no word of a guess" "guessed before the diff" "$TMP/err"
expect_eq "only untracked: its finding" "$(findings "$TMP/out" | grep -c '^extra/extra.go:5:Extra:moved to heap: x$')" 1

# a file rewritten with its own bytes is no change: nothing is built
rm -rf extra
cp campus/score.go "$TMP/score.go" && cp "$TMP/score.go" campus/score.go
: >"$TMP/go-calls"
er --mode added
expect_rc "a file rewritten unchanged" 0
expect_eq "a file rewritten unchanged: no go build" "$(builds)" 0

# added, context and file modes show findings of the changed files only:
# the guessed build reads only theirs (the parser asks per file, once the
# diff is done); every mode shows them as a build of the whole package does
cat >campus/other.go <<'GO'
package campus

// Other is in a file the change leaves alone.
func Other() *int {
	o := 1
	return &o
}

type empty struct{}
GO
git add campus/other.go && git commit -q -m "other.go"
cat >>campus/score.go <<'GO'

// Early is a function this test adds.
func Early() *int {
	e := 4
	return &e
}

// Nothing returns the address of a value of a type of zero size (other.go's).
func Nothing() *empty {
	n := empty{}
	return &n
}
GO
: >"$TMP/go-calls"
er --mode all --format json
expect_eq "one package, two files: every finding of both" \
	"$(findings "$TMP/out" | grep -c -e '^campus/other.go:5:Other:moved to heap: o$' -e '^campus/score.go:[0-9]*:Early:moved to heap: e$')" 2
findings "$TMP/out" | grep '^campus/score.go:' >"$TMP/score-all"
expect_eq "one package, two files: score.go has findings besides Early's" \
	"$(grep -v ':Early:' "$TMP/score-all" | awk 'END { print (NR > 0 ? "some" : "none") }')" some
for mode in file context added; do
	er --mode $mode --format json
	expect_rc "mode $mode, one of two files changed" 0
	findings "$TMP/out" >"$TMP/shown"
	expect_no_grep "mode $mode: nothing of the file left alone" "^campus/other.go:" "$TMP/shown"
	case $mode in
	file) expect_eq "mode file: every finding of score.go, as the whole build has them" \
		"$(cat "$TMP/shown")" "$(cat "$TMP/score-all")" ;;
	*) expect_eq "mode $mode: the added function's finding" \
		"$(grep -c '^campus/score.go:[0-9]*:Early:moved to heap: e$' "$TMP/shown")" 1 ;;
	esac
	# the size of a type declared in another file is looked up for what is shown
	expect_eq "mode $mode: a shown finding's type of zero size, from other.go" \
		"$(json_get "$TMP/out" "[f['rule'] + ': ' + f['why'] for f in d['findings'] if f['function'] == 'Nothing']")" \
		"['ER010: the address of n is returned at score.go:52; empty has zero size, so nothing is actually allocated']"
done
expect_eq "every mode: the guessed build, one each" "$(builds)" 4

# new mode: only the new findings are classified, and their zero-size check
# waits for the match; the type is still looked up in the other file
er --format json
expect_rc "new mode, one of two files changed" 0
expect_eq "new mode: a new finding's type of zero size, from other.go" \
	"$(json_get "$TMP/out" "[f['rule'] + ': ' + f['why'] for f in d['findings'] if f['function'] == 'Nothing']")" \
	"['ER010: the address of n is returned at score.go:52; empty has zero size, so nothing is actually allocated']"
expect_eq "new mode: the other file's findings exist, not shown" \
	"$(findings "$TMP/out" | grep -c '^campus/other.go:')" 0

# no thread can be made (pthread_create refused, as under a process limit):
# the early build is read in the main thread, before the diff that the
# filter would wait for, so it keeps every file; the same findings, no hang
er --mode added --format json
findings "$TMP/out" >"$TMP/threaded"
cat >"$TMP/nothread.c" <<'C'
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
/* for escape-review only: go (linked with libc under Go 1.19) must not inherit it */
__attribute__((constructor)) static void not_for_children(void)
{
	unsetenv("LD_PRELOAD");
}
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *d)
{
	(void)t; (void)a; (void)fn; (void)d;
	return EAGAIN;
}
C
cc -shared -fPIC -o "$TMP/nothread.so" "$TMP/nothread.c"
LD_PRELOAD="$TMP/nothread.so" ASAN_OPTIONS=verify_asan_link_order=0 \
	timeout 120 "$ER_BIN" --mode added --format json >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc "no thread: the review ends" 0
expect_eq "no thread: the findings of the threaded review" \
	"$(findings "$TMP/out")" "$(cat "$TMP/threaded")"

finish
