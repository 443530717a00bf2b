#!/bin/bash
# bench/run.sh: the benchmarks of escape-review (issues 8 and 17), each
# measured side by side with its floor in one hyperfine invocation.
#
#   bash bench/run.sh            # everything
#   bash bench/run.sh parse      # only (1)
#   bash bench/run.sh change     # only (2) to (4)
#
# What it measures (docs/benchmarks.md has the numbers and what limits them):
#  (1) `escape-review review --input LOG --mode all --format json` on the
#      standard library's -m=2 output (the go on PATH: `go build
#      -gcflags='std=-m=2' std`), against `grep -c` of the verdicts and
#      bench/parse_only.c (the streaming parser alone); every command
#      writes to a file; peak memory (max RSS) with /usr/bin/time -v.
#      Targets: <= 3x grep, <= 64 MB.
#  (2) a one-line change in go/ssa of golang.org/x/tools v0.52.0 (from the Go
#      module proxy, its requirements pinned by its go.sum), uncommitted,
#      warm: `--mode added` (<= 1.15x) and new mode with the base cached
#      (<= 1.2x) against the bare `go build -gcflags=-m=2` of go/ssa as the
#      review runs it; `--no-cache` and the seed article's detect-escape.sh;
#      in turn, the bare build with its output read through a pipe and
#      dropped (bench/go_pipe.c), which no review can be faster than.
#  (3) the same change committed and reviewed again (its analysis cached: no
#      go build, no go list): <= 0.25x the bare compile.
#  (4) the pre-push hook on a push that changes only README.md: < 20 ms.
#
# Prerequisites (Debian package names): go 1.26 on PATH (x/tools v0.52.0
# says go 1.26.0), git, gcc/make and the project's build dependencies (see
# the Makefile), hyperfine, time (GNU /usr/bin/time -v).  The first run of
# (2) downloads x/tools and its requirements with `go mod download` (the Go
# module proxy, GOPROXY as set); later runs are offline (GOPROXY=off).
#   apt-get install hyperfine time
#   Optional: linux-perf (profiles, not needed for the numbers).
#
# Everything generated goes to bench/.cache/ (git-ignored; CACHE=DIR moves
# it): the log (kept between runs, one per Go version), the x/tools
# repository xtools-run/ (rebuilt when missing), and results/ (hyperfine's
# markdown and CSV, RSS, summary.txt).
#
# Environment: ER=path/to/escape-review (default build-bench/escape-review,
# built with `make BUILD=build-bench` when missing), RUNS (default 10),
# ROUNDS (default 40: (2) again with bench/ab.py, the floor and the two
# modes in turn, medians), CACHE (default bench/.cache).
#
# The machine is small and may be shared: the script runs one thing at a
# time and never runs make -j.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
CACHE=${CACHE:-$HERE/.cache}
RUNS=${RUNS:-10}
ROUNDS=${ROUNDS:-40}
ER=${ER:-$ROOT/build-bench/escape-review}
OUT=$CACHE/results
WHAT=${1:-all}

die() { echo "bench/run.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

# ---- prerequisites ----------------------------------------------------------
for t in go git hyperfine cc awk sed grep python3; do
	command -v "$t" >/dev/null || die "$t is missing (apt-get install hyperfine time golang-go git gcc)"
done
[ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null || die "/usr/bin/time -v is missing (apt-get install time)"
# the default build is brought up to date with the sources (make: nothing
# to do when it is); a build given with ER= is measured as it is
if [ "$ER" = "$ROOT/build-bench/escape-review" ]; then
	(cd "$ROOT" && make BUILD=build-bench) >/dev/null
fi
[ -x "$ER" ] || die "ER=$ER is not executable"
ER=$(cd "$(dirname "$ER")" && pwd -P)/$(basename "$ER")
mkdir -p "$CACHE" "$OUT"
# offline once set up: the set-up of (2) downloads x/tools with the caller's GOPROXY
GOPROXY_SETUP=$(go env GOPROXY)
export GOPROXY=off GOFLAGS= GOTOOLCHAIN=local

# rss KB of one run of a command (stdout to a file: see --output=pipe below)
rss() {
	{ /usr/bin/time -v "$@" 2>&1 >"$OUT/rss.out" || true; } | awk -F': ' '/Maximum resident set size/ {print $2}'
}
# mean seconds of the CSV row of command number $2 (1-based) in file $1
mean() { awk -F, -v n="$2" 'NR == n + 1 {print $2}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# user + system seconds of that row
cpu() { awk -F, -v n="$2" 'NR == n + 1 {printf "%.1f ms", ($5 + $6) * 1000}' "$1"; }
ms() { awk -v a="$1" 'BEGIN {printf "%.1f ms", a * 1000}'; }

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "nproc: $(nproc)"
	echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "go: $(go version)"
	echo "escape-review: $("$ER" --version)"
	echo "hyperfine: $(hyperfine --version)"
	echo "grep: $(grep --version | head -1)"
} | tee "$OUT/machine.txt"

# ---- (1) parsing throughput ---------------------------------------------------
bench_parse() {
	local goroot logical physical log runlog n
	say "(1) parsing the standard library's -m=2 output"
	log=$CACHE/std-m2-$(go env GOVERSION).log
	if [ ! -s "$log" ]; then
		echo "generating $log (go build -gcflags='std=-m=2' std; a few minutes cold)"
		# go may print the compiler's output from its cache: same text
		(cd "$CACHE" && go build -gcflags='std=-m=2' std 2>"$log.tmp") || true
		mv "$log.tmp" "$log"
	fi
	echo "log: $(wc -c <"$log") bytes, $(wc -l <"$log") lines"

	# The log's paths are absolute: $GOROOT/src/... as go spells GOROOT.
	# `review --input` keeps a finding when its path is under the current
	# directory as getcwd() spells it, which resolves symbolic links.  On
	# Debian $GOROOT/src is a link (/usr/lib/go-1.19/src ->
	# ../../share/go-1.19/src), so run from the physical directory and
	# spell the log's paths the same way (one sed, cached); otherwise every
	# finding would be dropped as outside the repository.
	goroot=$(go env GOROOT)
	logical=$goroot/src
	physical=$(cd "$logical" && pwd -P)
	runlog=$log
	if [ "$logical" != "$physical" ]; then
		runlog=${log%.log}.physical.log
		if [ ! -s "$runlog" ] || [ "$runlog" -ot "$log" ]; then
			sed "s|$logical/|$physical/|g" "$log" >"$runlog.tmp"
			mv "$runlog.tmp" "$runlog"
		fi
	fi
	echo "run directory: $physical (log: $runlog)"

	cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -I"$ROOT/src" -o "$CACHE/parse_only" \
		"$HERE/parse_only.c" "$(dirname "$ER")/libescape.a" $(pkg-config --libs libgit2 libcurl libcjson)

	cd "$physical"
	"$ER" review --input "$runlog" --mode all --format json --fail-on none >"$OUT/std.json"
	n=$(grep -c '"fingerprint":' "$OUT/std.json" || true)
	echo "findings in the JSON: $n"
	echo "parser counters: $("$CACHE/parse_only" "$runlog")"
	[ "$n" -ge 10000 ] || die "only $n findings: the paths were dropped, the benchmark would be dishonest"

	# every command writes to a file: GNU grep stops at its first match when
	# its standard output is /dev/null (hyperfine's default), which would
	# time nothing, and a pipe would time its reader too.
	hyperfine -N --warmup 1 --runs "$RUNS" --output="$OUT/parse.out" \
		--export-markdown "$OUT/parse.md" --export-csv "$OUT/parse.csv" \
		-n "escape-review --input (json)" "$ER review --input $runlog --mode all --format json --fail-on none" \
		-n "parser alone (bench/parse_only)" "$CACHE/parse_only $runlog" \
		-n "grep -c" "grep -c -E 'escapes to heap|moved to heap|leaking param' $runlog"

	local r_er r_po r_grep t_er t_po t_grep
	r_er=$(rss "$ER" review --input "$runlog" --mode all --format json)
	r_po=$(rss "$CACHE/parse_only" "$runlog")
	r_grep=$(rss grep -c -E 'escapes to heap|moved to heap|leaking param' "$runlog")
	t_er=$(mean "$OUT/parse.csv" 1); t_po=$(mean "$OUT/parse.csv" 2); t_grep=$(mean "$OUT/parse.csv" 3)
	{
		echo "(1) parsing $(wc -l <"$runlog") lines, $n findings"
		echo "  escape-review json  $(ms "$t_er")  $(ratio "$t_er" "$t_grep")x grep (target <= 3x)  cpu $(cpu "$OUT/parse.csv" 1)  max RSS $r_er KiB (target <= 64 MB: 62,500 KiB)"
		echo "  parser alone        $(ms "$t_po")  $(ratio "$t_po" "$t_grep")x grep  cpu $(cpu "$OUT/parse.csv" 2)  max RSS $r_po KiB"
		echo "  grep -c             $(ms "$t_grep")  cpu $(cpu "$OUT/parse.csv" 3)  max RSS $r_grep KiB"
	} | tee "$OUT/summary-parse.txt"
	cd "$ROOT"
}

# ---- (2) to (4): a large real module from the Go module proxy -----------------
# golang.org/x/tools at XT_VERSION (bench/xtools.sh), its requirements pinned
# by its go.sum; the one package is go/ssa (1,753 findings at -m=2).
XT_VERSION=v0.52.0
REPO=$CACHE/xtools-run
PKG=go/ssa
. "$HERE/xtools.sh"

setup_repo() {
	[ -f "$REPO/.git/bench-ready" ] && return 0
	(GOPROXY=$GOPROXY_SETUP GOFLAGS=-mod=mod xtools_repo "$REPO" ./$PKG
	# (2) the editor's case: a one-line change in go/ssa, not committed
	# (the work tree against HEAD, never cached), laid by wt_change below;
	# (3) the same change committed (a reviewed commit reviewed again)
	git checkout -q -b gochange
	echo 'func benchEscapeMarker() *int { x := 0; return &x }' >>"$PKG/util.go"
	git_c commit -q -am "$PKG: one-line change"
	# (4) a push that changes only README.md
	git checkout -q -b readme main
	echo "A line added by bench/run.sh." >>README.md
	git add README.md
	git_c commit -q -m "README only"
	git checkout -q main
	# packed, as a clone is (loose objects would make every diff read a file per object)
	git gc -q
	touch .git/bench-ready) || die "setting up $REPO failed"
}

# the bare compile as the review runs it (packages.c: one package, -o /dev/null)
bare() { echo "go build -gcflags=-m=2 -o /dev/null ./$PKG"; }

bench_change() {
	local t_bare t_added t_new t_nocache t_re t_re_added u_bare u_re load sha base
	say "(2) one-line change in $PKG of golang.org/x/tools $XT_VERSION (warm)"
	setup_repo
	cd "$REPO"
	export GOFLAGS=-mod=mod
	git checkout -q main
	git checkout -q gochange -- "$PKG/util.go"   # the change, uncommitted
	echo "module: $(go list ./... | wc -l) packages, $(git ls-files '*.go' | wc -l) .go files;" \
		"$PKG: $(go list -f '{{len .GoFiles}}' ./$PKG) files," \
		"$(go build -gcflags=-m=2 -o /dev/null ./$PKG 2>&1 | wc -l) lines of -m=2 output"
	"$ER" --mode added --fail-on none | tail -1
	# the base's entry as the binary under test writes it (an older one
	# has no file digests: every file of the head would be read)
	rm -rf .git/escape-review/cache
	"$ER" --fail-on none | tail -1
	bash "$HERE/detect-escape.sh" . | tail -n +2 | wc -l | sed 's/^/detect-escape.sh . lines printed: /'
	hyperfine -N --warmup 2 --runs "$RUNS" \
		--export-markdown "$OUT/change.md" --export-csv "$OUT/change.csv" \
		-n "floor: $(bare)" "$(bare)" \
		-n "escape-review --mode added" "$ER --mode added --fail-on none" \
		-n "escape-review new mode with the base cached" "$ER --fail-on none" \
		-n "escape-review --no-cache (the base built too)" "$ER --no-cache --fail-on none" \
		-n "detect-escape.sh . (the article's script)" "bash $HERE/detect-escape.sh ."
	# the same three in turn (bench/ab.py): hyperfine runs every run of one
	# command before the next, so a slow minute of a shared guest lands on
	# one command; here it lands on all three alike.  A fourth: the bare
	# build with its output read through a pipe as the review reads it, and
	# dropped (bench/go_pipe.c): what receiving it costs at all
	cc -std=c17 -O2 -pthread -o "$CACHE/go_pipe" "$HERE/go_pipe.c"
	python3 "$HERE/ab.py" "$ROUNDS" "$(bare)" "$ER --mode added --fail-on none" "$ER --fail-on none" \
		"$CACHE/go_pipe $(bare)" >"$OUT/change-in-turn.txt"
	git checkout -q main -- "$PKG/util.go"
	load=$(cut -d' ' -f1 /proc/loadavg)
	t_bare=$(mean "$OUT/change.csv" 1); t_added=$(mean "$OUT/change.csv" 2)
	t_new=$(mean "$OUT/change.csv" 3); t_nocache=$(mean "$OUT/change.csv" 4)
	{
		echo "(2) one-line change in $PKG, uncommitted, warm (1-min load average at the end: $load)"
		echo "  floor: $(bare)   $(ms "$t_bare")  cpu $(cpu "$OUT/change.csv" 1)"
		echo "  --mode added             $(ms "$t_added")  $(ratio "$t_added" "$t_bare")x (target <= 1.15x)  cpu $(cpu "$OUT/change.csv" 2)"
		echo "  new, base cached         $(ms "$t_new")  $(ratio "$t_new" "$t_bare")x (target <= 1.2x)  cpu $(cpu "$OUT/change.csv" 3)"
		echo "  new, --no-cache          $(ms "$t_nocache")  $(ratio "$t_nocache" "$t_bare")x"
		echo "  detect-escape.sh .       $(ms "$(mean "$OUT/change.csv" 5)")  (prints nothing: go refuses the file list)"
		awk -v rounds="$ROUNDS" '/^median/ {t[++n] = $2}
			END {printf "  in turn, %d rounds, medians: floor %.1f ms, --mode added %.1f ms %.2fx, new %.1f ms %.2fx\n",
				rounds, t[1], t[2], t[2] / t[1], t[3], t[3] / t[1]
			     printf "  in turn: the floor with its output read through a pipe and dropped (bench/go_pipe) %.1f ms %.2fx\n",
				t[4], t[4] / t[1]}' "$OUT/change-in-turn.txt"
	} | tee "$OUT/summary-change.txt"

	say "(3) a reviewed commit reviewed again (its analysis cached: no go build, no go list)"
	git checkout -q gochange
	"$ER" --base HEAD~1 --fail-on none | tail -1   # fills the cache
	hyperfine -N --warmup 2 --runs "$RUNS" \
		--export-markdown "$OUT/rereview.md" --export-csv "$OUT/rereview.csv" \
		-n "floor: $(bare)" "$(bare)" \
		-n "escape-review --base HEAD~1 (again)" "$ER --base HEAD~1 --fail-on none" \
		-n "escape-review --base HEAD~1 --mode added (again)" "$ER --base HEAD~1 --mode added --fail-on none"
	t_bare=$(mean "$OUT/rereview.csv" 1); t_re=$(mean "$OUT/rereview.csv" 2); t_re_added=$(mean "$OUT/rereview.csv" 3)
	{
		echo "(3) re-review of the committed change (1-min load average at the end: $(cut -d' ' -f1 /proc/loadavg))"
		echo "  floor: $(bare)   $(ms "$t_bare")  cpu $(cpu "$OUT/rereview.csv" 1)"
		echo "  new mode, again          $(ms "$t_re")  $(ratio "$t_re" "$t_bare")x (target <= 0.25x)  cpu $(cpu "$OUT/rereview.csv" 2)"
		echo "  --mode added, again      $(ms "$t_re_added")  $(ratio "$t_re_added" "$t_bare")x  cpu $(cpu "$OUT/rereview.csv" 3)"
	} | tee -a "$OUT/summary-change.txt"

	say "(4) a push that changes only README.md: the pre-push hook"
	git checkout -q readme
	sha=$(git rev-parse HEAD); base=$(git rev-parse HEAD~1)
	echo "refs/heads/readme $sha refs/heads/readme $base" >"$OUT/hook-input"
	"$ER" hook pre-push origin "$REPO" <"$OUT/hook-input"; echo "hook exit status: $?"
	# hyperfine 1.15 has no --input: through its shell, whose start it subtracts
	hyperfine --warmup 3 --runs $((RUNS * 3)) \
		--export-markdown "$OUT/nogo.md" --export-csv "$OUT/nogo.csv" \
		-n "escape-review hook pre-push (README only)" "$ER hook pre-push origin $REPO <$OUT/hook-input" \
		-n "escape-review --version (process start)" "$ER --version" \
		-n "git diff --name-only HEAD~1" "git diff --name-only HEAD~1"
	{
		echo "(4) README-only push, the hook"
		echo "  hook pre-push            $(ms "$(mean "$OUT/nogo.csv" 1)")  (target < 20 ms)"
		echo "  --version (floor: exec + dynamic linking)  $(ms "$(mean "$OUT/nogo.csv" 2)")"
		echo "  git diff --name-only HEAD~1  $(ms "$(mean "$OUT/nogo.csv" 3)")"
	} | tee -a "$OUT/summary-change.txt"
	git checkout -q main
	cd "$ROOT"
}

case $WHAT in
all) bench_parse; bench_change ;;
parse) bench_parse ;;
change) bench_change ;;
*) die "usage: bench/run.sh [all|parse|change]" ;;
esac
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
cat "$OUT/machine.txt" "$OUT"/summary-parse.txt "$OUT"/summary-change.txt 2>/dev/null >"$OUT/summary.txt" || true
say "summary ($OUT/summary.txt)"
cat "$OUT/summary.txt"
