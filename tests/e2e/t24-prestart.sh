#!/bin/sh
# t24-prestart: a work-tree review starts go before it reads anything of
# the change, for the packages the last review of the work tree built
# (CACHEDIR/head-build).  When the change's packages are those, that go is
# the review's build (one go build, the same findings); when they are not,
# or no build comes, it is stopped with its process group and its work
# files.  A memory that is not what escape-review writes starts nothing;
# a signal that ends the review ends that go too (it runs in a process
# group of its own, out of the terminal's reach).
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
git checkout -q c2
mkdir extra
cat >extra/extra.go <<'GO'
package extra

// Extra is a second package.
func Extra() int {
	return 5
}
GO
git add extra && git commit -q -m extra

# a go shim that notes each call with its process id (the go it execs),
# laid out as a toolchain's bin/go with its VERSION file beside bin/: only
# such a go is started before the change is read
real=$(command -v go)
goroot=$(go env GOROOT)
mkdir -p "$TMP/shim/bin" "$TMP/gotmp"
cp "$goroot/VERSION" "$TMP/shim/VERSION"
cat >"$TMP/shim/bin/go" <<SH
#!/bin/sh
echo "\$\$ \$*" >>"$TMP/go-calls"
exec "$real" "\$@"
SH
chmod +x "$TMP/shim/bin/go"
PATH="$TMP/shim/bin:$PATH"
export PATH
: >"$TMP/go-calls"
builds() { grep -c '^[0-9]* build ' "$TMP/go-calls"; }
# where go puts its work directory: what is left there after a review
TMPDIR="$TMP/gotmp"
export TMPDIR
left() { ls -A "$TMP/gotmp" | wc -l | tr -d ' '; }
memo=.git/escape-review/cache/head-build
root=$(pwd -P)

cat >>campus/score.go <<'GO'

// Early is a function this test adds.
func Early() *int {
	e := 4
	return &e
}
GO
er --mode added --format json -v
expect_rc "first review of the change" 0
expect_no_grep "first review: nothing remembered, nothing started before the change is read" \
	"before the change is read" "$TMP/err"
expect_eq "first review: one go build" "$(builds)" 1
expect_eq "first review: its head build remembered" "$(cat "$memo")" "escape-review head build 1
module .
package ./campus"
cp "$TMP/out" "$TMP/first.json"

: >"$TMP/go-calls"
er --mode added --format json -v
expect_grep "again: go started before the change is read, with its command" \
	"^escape-review: running in $root, before the change is read (the last review's head build): go build -trimpath=false -gcflags=-m=2 -o /dev/null ./campus$" "$TMP/err"
expect_grep "again: that go is the review's" \
	"^escape-review: the go command started before the change was read is this review's: kept$" "$TMP/err"
expect_eq "again: one go build, the same JSON" \
	"$(builds) $(cmp "$TMP/out" "$TMP/first.json" && echo identical)" "1 identical"
expect_eq "again: nothing left in the temporary directory" "$(left)" 0
er --mode added --format json
expect_eq "again without -v: the same JSON, the same (empty) stderr" \
	"$(cmp "$TMP/out" "$TMP/first.json" && echo identical)|$(cat "$TMP/err")" "identical|"
er --format json
expect_eq "new mode too: the added function is new" \
	"$(findings "$TMP/out" | grep -c '^campus/score.go:[0-9]*:Early:moved to heap: e$')" 1

# the change moves to the other package: the go started is stopped.  A go
# that waits before it builds SLOW (the shell running the shim is there
# from the moment the review started it, until it is stopped)
mkdir -p "$TMP/slow/bin"
cp "$goroot/VERSION" "$TMP/slow/VERSION"
cat >"$TMP/slow/bin/go" <<SH
#!/bin/sh
case "\$*" in build*" \$SLOW") echo \$\$ >>"$TMP/slow-pids"; sleep 20 ;; esac
exec "$real" "\$@"
SH
chmod +x "$TMP/slow/bin/go"
running() { ps -eo args | grep -c "^/bin/sh $TMP/slow/bin/go"; }
git checkout -q campus/score.go
cat >>extra/extra.go <<'GO'

// Moved is a function this test adds.
func Moved() *int {
	m := 6
	return &m
}
GO
SLOW=./campus PATH="$TMP/slow/bin:$PATH" er --mode added --format json -v --fail-on none
expect_rc "another package" 0
expect_grep "another package: go started before the change is read" \
	"^escape-review: running in $root, before the change is read (the last review's head build): go build -trimpath=false -gcflags=-m=2 -o /dev/null ./campus$" "$TMP/err"
expect_grep "another package: the go started is stopped" \
	"^escape-review: the go command started before the change was read is not this review's: stopped$" "$TMP/err"
expect_eq "another package: the findings are the change's" \
	"$(findings "$TMP/out")" "extra/extra.go:10:Moved:moved to heap: m"
expect_eq "another package: the stopped go and its group are gone, with their work files" \
	"$(running) $(left)" "0 0"
expect_eq "another package: the memory is the new build's" "$(sed -n 3p "$memo")" "package ./extra"

# no Go change: nothing to build, the go started is stopped, the memory kept
git checkout -q extra/extra.go
er --mode added -v
expect_rc "no Go change" 0
expect_grep "no Go change: the go started is not needed" \
	"^escape-review: the go command started before the change was read is not needed: stopped$" "$TMP/err"
expect_eq "no Go change: the memory kept, nothing left" "$(sed -n 3p "$memo") $(left)" "package ./extra 0"

# a go that is not a toolchain's bin/go (a wrapper, a version manager's
# shim) is never started before the change is read
mkdir -p "$TMP/wrapper"
cat >"$TMP/wrapper/go" <<SH
#!/bin/sh
exec "$TMP/shim/bin/go" "\$@"
SH
chmod +x "$TMP/wrapper/go"
echo "func Wrapped() {}" >>extra/extra.go
: >"$TMP/go-calls"
PATH="$TMP/wrapper:$PATH" er --mode added -v
expect_grep "a wrapper: nothing started before the change is read, saying why" \
	"^escape-review: go is not its toolchain's own bin/go (a wrapper or a version manager's shim): nothing started before the change is read$" "$TMP/err"
expect_eq "a wrapper: one go build" "$(builds)" 1
git checkout -q extra/extra.go

# --no-cache reads no memory and writes none
echo "func NoCache() {}" >>extra/extra.go
: >"$TMP/go-calls"
er --mode added -v --no-cache
expect_no_grep "--no-cache: nothing started before the change is read" "before the change is read" "$TMP/err"
expect_eq "--no-cache: one go build" "$(builds)" 1

# a memory escape-review did not write starts nothing, and is replaced
for bad in 'module .|package -toolexec=/bin/false' 'module .|package ./extra/../campus' \
	'module ..|package .' 'module /tmp|package ./extra' 'module .|package extra' \
	'module .|package ./extra|bce ../x' 'module .|run ./extra' 'module .' 'package ./extra' \
	'module .|module .|package ./extra'; do
	printf 'escape-review head build 1\n%s\n' "$bad" | tr '|' '\n' >"$memo"
	: >"$TMP/go-calls"
	er --mode added -v
	expect_grep "memory '$bad': refused" \
		"^escape-review: the last review's head build is not remembered as it should be: nothing started before the change is read$" "$TMP/err"
	expect_eq "memory '$bad': one go build, the change's" \
		"$(builds) $(grep -c ' build .*\./extra$' "$TMP/go-calls")" "1 1"
	expect_eq "memory '$bad': replaced" "$(sed -n 3p "$memo")" "package ./extra"
done
printf 'escape-review head build 2\nmodule .\npackage ./extra\n' >"$memo"
er --mode added -v
expect_grep "memory of another format: refused" "is not remembered as it should be" "$TMP/err"
head -c 20000 /dev/zero | tr '\0' x >"$memo"
er --mode added -v
expect_no_grep "memory too long: not read" "before the change is read" "$TMP/err"
expect_eq "memory too long: replaced" "$(sed -n 3p "$memo")" "package ./extra"

# a signal that ends the review ends the go it started in its own group
# (the go that waits, still there when the review is told to end)
for sig in TERM:15 INT:2; do
	num=${sig#*:}
	sig=${sig%:*}
	: >"$TMP/slow-pids"
	# (a shell's background job ignores SIGINT: the review is given the default)
	SLOW=./extra PATH="$TMP/slow/bin:$PATH" python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$ER_BIN" --mode added >/dev/null 2>&1 &
	erpid=$!
	i=0
	while [ ! -s "$TMP/slow-pids" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	kill -"$sig" "$erpid"
	wait "$erpid"
	rc=$?
	pid=$(head -1 "$TMP/slow-pids")
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then alive=yes; kill -KILL -"$pid"; else alive=no; fi
	expect_eq "SIG$sig to the review: it ends by it, and so does the go it started" "$rc $alive" \
		"$((128 + num)) no"
done

echo "$TEST_NAME: $checks_ok passed, $checks_bad failed"
[ "$checks_bad" -eq 0 ]
