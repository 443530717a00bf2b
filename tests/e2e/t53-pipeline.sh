#!/bin/sh
# One pipeline for every entry point (review.h): exclusion happens before
# the build (go is not given an excluded package: counted with a go shim),
# the summary counts come after exclusion, the package counts are the real
# ones (--all-packages, --input --mode all), and the CLI and the pre-push
# hook report the same findings for the same revisions.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/w" >/dev/null
cd "$TMP/w" || exit 1
cfg=$TMP/w/.escape-review.json
c1=$(git rev-parse c1)
c2=$(git rev-parse c2)
c3=$(git rev-parse c3)

# excluding the only changed file: nothing built, nothing counted
git checkout -q c3
go_counter
echo '{"exclude": ["score.go"]}' >"$cfg"
er --base c2
expect_rc "exclusion: clean" 0
expect_eq "exclusion: counted after it" "$(tail -n 1 "$TMP/out")" \
	"escape-review: 0 new, 0 existing, 0 fixed (0 error, 0 warning, 0 info) in 0 packages (mode new)"
expect_eq "exclusion: go build never ran" "$(grep -c '^build' "$TMP/go-calls")" 0
rm "$cfg"
: >"$TMP/go-calls"
er --base c2
expect_eq "without exclusion: the existing findings are counted" "$(tail -n 1 "$TMP/out")" \
	"escape-review: 1 new, 3 existing, 1 fixed (0 error, 1 warning, 0 info) in 1 package (mode new)"
expect_eq "without exclusion: head and base built" "$(grep -c '^build .* \./campus$' "$TMP/go-calls")" 2

# a second and a third package: gen (excluded by directory) and util
mkdir -p gen util
printf 'package gen\n\nvar Sink *int\n\nfunc Gen() { x := 1; Sink = &x }\n' >gen/gen.go
printf 'package util\n\nvar Sink *int\n\nfunc Util() { y := 2; Sink = &y }\n' >util/util.go
commit_all . "gen and util"
echo '{"exclude": ["gen"]}' >"$cfg"
: >"$TMP/go-calls"
er --all-packages --format json
expect_rc "--all-packages with an excluded directory" 0
expect_eq "--all-packages: go is given every package but gen" \
	"$(grep '^build' "$TMP/go-calls" | tr ' ' '\n' | grep '^\./' | sort | tr '\n' ' ')" "./campus ./util "
expect_eq "--all-packages: no finding in gen" \
	"$(json_get "$TMP/out" '" ".join(sorted(set(f["file"].split("/")[0] for f in d["findings"])))')" "campus util"
er --all-packages
expect_eq "--all-packages: the real package count" "$(tail -n 1 "$TMP/out" | sed 's/.* in //')" "2 packages (mode all)"
rm "$cfg"
er --all-packages
expect_eq "--all-packages counts the packages ./... builds" "$(tail -n 1 "$TMP/out" | sed 's/.* in //')" "3 packages (mode all)"
go build -gcflags=-m=2 ./... 2>"$TMP/build.log"
er --input "$TMP/build.log" --mode all
expect_eq "--input --mode all counts the packages of the log" "$(tail -n 1 "$TMP/out" | sed 's/.* in //')" "3 packages (mode all)"

# the CLI and the hook: the same findings for the same revisions
git checkout -q c2
er --base "$c1" --head "$c2" --explain
sed '$d' "$TMP/out" >"$TMP/cli"
echo "refs/heads/main $c2 refs/heads/main $c1" >"$TMP/push"
er hook pre-push origin url <"$TMP/push"
expect_rc "the hook blocks" 1
sed -n '2,/^escape-review: [0-9]* new/p' "$TMP/err" | sed '$d' >"$TMP/hook"
expect_eq "CLI and hook: the same findings" "$(cat "$TMP/hook")" "$(cat "$TMP/cli")"
expect_eq "CLI and hook: four of them" "$(grep -c '^campus/score.go:[0-9]*:[0-9]*: \[ER' "$TMP/hook")" 4
echo '{"exclude": ["score.go"]}' >"$cfg"
er hook pre-push origin url <"$TMP/push"
expect_rc "the hook excludes like the CLI" 0
expect_grep "the hook: counted after exclusion" "^escape-review: 0 new, 0 existing, 0 fixed .* in 0 packages" "$TMP/err"
rm "$cfg"
git checkout -q "$c3"

# issue 11 item 5 (--no-cache: head c3 was reviewed above and is cached): a
# failed build shows the compiler's whole message (up to
# 64 KiB, then a note) and names the module, not "."
real_go=$(command -v go)
mkdir -p "$TMP/failgo"
cat >"$TMP/failgo/go" <<SH
#!/bin/sh
if [ "\$1" = build ]; then
	echo "# example.com/campus/campus" >&2
	awk 'BEGIN { for (i = 1; i <= 150; i++) printf "campus/score.go:%d:1: undefined: name_%05d\\n", i, i }' >&2
	[ -n "\${LONG_LINES:-}" ] && awk 'BEGIN { for (i = 1; i <= 60; i++) printf "campus/score.go:%d:1: undefined: long_%01600d\\n", i, i }' >&2
	exit 1
fi
exec "$real_go" "\$@"
SH
chmod +x "$TMP/failgo/go"
PATH="$TMP/failgo:$PATH" er --base c2 --mode all --no-cache
expect_rc "a failed build" 3
expect_eq "a failed build: the module named" "$(head -n 1 "$TMP/err")" \
	"escape-review: the build failed in module example.com/campus (the repository root) (go exited with 1):"
expect_grep "a failed build: the whole message, past 1 KiB" "^campus/score.go:150:1: undefined: name_00150$" "$TMP/err"
expect_no_grep "a failed build: no cut note under 64 KiB" "are cut here" "$TMP/err"
PATH="$TMP/failgo:$PATH" LONG_LINES=1 er --base c2 --mode all --no-cache
expect_rc "a failed build of more than 64 KiB" 3
expect_grep "a failed build of more than 64 KiB: cut with a note" \
	"^\.\.\. (the compiler's messages are cut here at 64 KiB of [0-9]* bytes" "$TMP/err"
expect_eq "a failed build of more than 64 KiB: about 64 KiB shown" "$(( $(wc -c <"$TMP/err") / 1024 ))" 64

# issue 11 item 6: what cannot be written is exit 3 with a message
if [ -w /dev/full ]; then
	"$ER_BIN" --base c2 --format json >/dev/full 2>"$TMP/err"; rc=$?
	expect_rc "--format json >/dev/full" 3
	expect_eq "--format json >/dev/full: the message" "$(cat "$TMP/err")" \
		"escape-review: cannot write the output to stdout: No space left on device"
	"$ER_BIN" rules >/dev/full 2>"$TMP/err"; rc=$?
	expect_rc "rules >/dev/full" 3
fi

# issue 11 item 12: rule ids are case-insensitive; a _test.go-only change hints at --tests
er rules er010
expect_rc "rules er010" 0
expect_eq "rules er010: ER010" "$(head -n 1 "$TMP/out")" "ER010: Address of a local variable returned (warning)"
printf 'package campus\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n' >campus/x_test.go
commit_all . "a test only"
er --base HEAD~1
expect_rc "a _test.go-only change" 0
expect_eq "a _test.go-only change: the hint" "$(cat "$TMP/err")" \
	"escape-review: the change touches only _test.go files (1), which are reviewed with --tests"
er --base HEAD~1 --tests
expect_no_grep "with --tests: no hint" "reviewed with --tests" "$TMP/err"

# issue 11 item 17: an early return frees the forge context (valgrind), and
# expect_no_grep fails on a missing file
# (a sanitizer build cannot run under valgrind: there LeakSanitizer checks
# it; ThreadSanitizer's build checks no leak)
if ldd "$ER_BIN" 2>/dev/null | grep -q libtsan; then
	:
elif ldd "$ER_BIN" 2>/dev/null | grep -q libasan; then
	GITHUB_TOKEN=t "$ER_BIN" --reporter github --pr 1 --repo-slug o/r --api-url http://127.0.0.1:9 --base bogus \
		>"$TMP/out" 2>"$TMP/err"; rc=$?
	expect_rc "--reporter github --base bogus under LeakSanitizer: no leak" 2
elif command -v valgrind >/dev/null 2>&1; then
	GITHUB_TOKEN=t valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$ER_BIN" --reporter github --pr 1 --repo-slug o/r --api-url http://127.0.0.1:9 --base bogus \
		>"$TMP/out" 2>"$TMP/err"; rc=$?
	expect_rc "--reporter github --base bogus under valgrind: no leak" 2
fi
( checks_bad=0; expect_no_grep "probe" x "$TMP/no-such-file" >/dev/null; [ "$checks_bad" = 1 ] )
expect_eq "expect_no_grep on a missing file fails" "$?" 0

finish
