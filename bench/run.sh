#!/bin/bash
# bench/run.sh: the benchmarks of escape-review (issue 8), measured side by
# side with hyperfine.  Anyone can run it from anywhere:
#
#   bash bench/run.sh            # everything
#   bash bench/run.sh parse      # only (1) parsing throughput and memory
#   bash bench/run.sh change     # only (2) one-package change, (3) no-Go push
#
# What it measures (docs/benchmarks.md has the numbers and what limits them):
#  (1) parsing: `escape-review review --input LOG --mode all --format json`
#      on the standard library's -m=2 output (~220 MB, ~1.9M lines) against
#      `grep -c -E 'escapes to heap|moved to heap|leaking param' LOG`, and
#      bench/parse_only.c (the streaming parser alone, same options); peak
#      memory (max RSS) of each with /usr/bin/time -v.
#  (2) a one-line change in one package (go/ssa) of a large real module,
#      golang.org/x/tools as Debian packages it, warm: `--mode added`, the
#      default new mode (base cached), a bare `go build -gcflags=-m=2`, and
#      the seed article's detect-escape.sh (bench/detect-escape.sh).
#  (3) a push that changes only README.md in the same repository.
#
# Prerequisites (Debian package names):
#   golang-go (go 1.19 was measured), git, gcc/make and the project's build
#   dependencies (see the Makefile), hyperfine, time (GNU /usr/bin/time -v),
#   golang-golang-x-tools-dev (the x/tools source and its dependencies under
#   /usr/share/gocode/src: goldmark, x/mod, x/net, x/sys, all without cgo).
#   golang-golang-x-sync-dev (x/tools' go.mod requires x/sync; nothing built uses it).
#     apt-get install hyperfine time golang-golang-x-tools-dev golang-golang-x-sync-dev
#   Optional: linux-perf (profiles, not needed for the numbers).
# Nothing is downloaded: the module builds with GOPROXY=off.
#
# Everything generated goes to bench/.cache/ (git-ignored; CACHE=DIR moves
# it): the log (kept between runs), the x/tools repository (rebuilt when
# missing), and results/ (hyperfine's markdown and CSV, RSS, summary.txt).
#
# Environment: ER=path/to/escape-review (default build-bench/escape-review,
# built with `make BUILD=build-bench` when missing), RUNS (default 10),
# CACHE (default bench/.cache).
#
# The machine is small and may be shared: the script runs one thing at a
# time and never runs make -j.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
CACHE=${CACHE:-$HERE/.cache}
RUNS=${RUNS:-10}
ER=${ER:-$ROOT/build-bench/escape-review}
OUT=$CACHE/results
WHAT=${1:-all}

die() { echo "bench/run.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

# ---- prerequisites ----------------------------------------------------------
for t in go git hyperfine cc awk sed grep; do
	command -v "$t" >/dev/null || die "$t is missing (apt-get install hyperfine time golang-go git gcc)"
done
[ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null || die "/usr/bin/time -v is missing (apt-get install time)"
if [ ! -x "$ER" ]; then
	[ "$ER" = "$ROOT/build-bench/escape-review" ] || die "ER=$ER is not executable"
	(cd "$ROOT" && make BUILD=build-bench) >/dev/null
fi
ER=$(cd "$(dirname "$ER")" && pwd -P)/$(basename "$ER")
mkdir -p "$CACHE" "$OUT"
export GOPROXY=off GOFLAGS= GOTOOLCHAIN=local

# rss KB of one run of a command (stdout to a file: see --output=pipe below)
rss() {
	{ /usr/bin/time -v "$@" 2>&1 >"$OUT/rss.out" || true; } | awk -F': ' '/Maximum resident set size/ {print $2}'
}
# mean seconds of the CSV row of command number $2 (1-based) in file $1
mean() { awk -F, -v n="$2" 'NR == n + 1 {print $2}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
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
	log=$CACHE/std-m2.log
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
		runlog=$CACHE/std-m2.physical.log
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

	# --output=pipe: GNU grep stops at its first match when its standard
	# output is /dev/null (hyperfine's default), which would time nothing.
	hyperfine -N --warmup 1 --runs "$RUNS" --output=pipe \
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
		echo "  escape-review json  $(ms "$t_er")  $(ratio "$t_er" "$t_grep")x grep (target <= 2x)  max RSS $((r_er / 1024)) MiB (target < 64)"
		echo "  parser alone        $(ms "$t_po")  $(ratio "$t_po" "$t_grep")x grep  max RSS $((r_po / 1024)) MiB"
		echo "  grep -c             $(ms "$t_grep")  max RSS $((r_grep / 1024)) MiB"
	} | tee "$OUT/summary-parse.txt"
	cd "$ROOT"
}

# ---- (2) and (3): a large real module ----------------------------------------
XT_SRC=/usr/share/gocode/src
REPO=$CACHE/xtools
PKG=go/ssa

git_c() { git -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false "$@"; }

setup_repo() {
	[ -f "$XT_SRC/golang.org/x/tools/go.mod" ] ||
		die "$XT_SRC/golang.org/x/tools is missing (apt-get install golang-golang-x-tools-dev golang-golang-x-sync-dev)"
	[ -f "$REPO/.git/bench-ready" ] && return 0
	echo "setting up $REPO from Debian's golang.org/x/tools"
	rm -rf "$REPO"
	mkdir -p "$REPO"
	cp -r "$XT_SRC/golang.org/x/tools/." "$REPO/"
	# Its dependencies are Debian packages too: point go.mod at them.
	{
		sed '/^replace/,$d' "$XT_SRC/golang.org/x/tools/go.mod"
		echo
		echo "replace ("
		for m in github.com/yuin/goldmark golang.org/x/mod golang.org/x/net golang.org/x/sync golang.org/x/sys; do
			[ -f "$XT_SRC/$m/go.mod" ] || die "$XT_SRC/$m is missing (a dependency of x/tools: apt-get install golang-golang-x-tools-dev golang-golang-x-sync-dev)"
			echo "	$m => $XT_SRC/$m"
		done
		echo ")"
	} >"$REPO/go.mod"
	rm -f "$REPO/go.sum"
	cd "$REPO"
	# Debian's versions differ a little (its x/net needs a newer x/sys than
	# x/tools asks for): let go fix the requirements, offline.
	go mod tidy -e >/dev/null 2>&1 || true
	go build ./... || die "x/tools does not build offline"
	git init -q -b main
	git add -A
	git_c commit -q -m "golang.org/x/tools as packaged by Debian"
	# (2) a one-line change in one package: a new function whose local escapes
	git checkout -q -b gochange
	echo 'func benchEscapeMarker() *int { x := 0; return &x }' >>"$PKG/util.go"
	git_c commit -q -am "$PKG: one-line change"
	# (3) a push that changes only README.md
	git checkout -q -b readme main
	echo "A line added by bench/run.sh." >>README.md
	git add README.md
	git_c commit -q -m "README only"
	git checkout -q gochange
	touch .git/bench-ready
	cd "$ROOT"
}

bench_change() {
	local t_bare t_added t_new t_nocache load
	say "(2) one-line change in $PKG of golang.org/x/tools (warm)"
	setup_repo
	cd "$REPO"
	git checkout -q gochange
	echo "module: $(go list ./... | wc -l) packages, $(git ls-files '*.go' | wc -l) .go files;" \
		"$PKG: $(go list -f '{{len .GoFiles}}' ./$PKG) files," \
		"$(go build -gcflags=-m=2 -o /dev/null ./$PKG 2>&1 | wc -l) lines of -m=2 output"
	"$ER" --base HEAD~1 --mode added | tail -1
	"$ER" --base HEAD~1 | tail -1
	bash "$HERE/detect-escape.sh" . | tail -n +2 | wc -l | sed 's/^/detect-escape.sh . lines printed: /'
	(find . -name "*.go" -not -path "./vendor/*" | xargs go build -gcflags="-m -m" 2>&1 || true) |
		head -1 | sed 's/^/  what go says to it: /'

	# What a user gets by fixing the article's script: its pipeline, with
	# the module's packages instead of a file list (every package at -m -m).
	cat >"$CACHE/article-pipeline.sh" <<'PIPE'
go build -gcflags="-m -m" ./... 2>&1 | \
  grep -E "(escapes|leak)" | \
  grep -E "(log\.|fmt\.|struct\{|newobject)" | \
  awk -F': ' '{print $1}' | sort -u
PIPE
	echo "article's pipeline on ./... lines printed: $(bash "$CACHE/article-pipeline.sh" | wc -l)"

	hyperfine -N --warmup 2 --runs "$RUNS" \
		--export-markdown "$OUT/change.md" --export-csv "$OUT/change.csv" \
		-n "go build -gcflags=-m=2 ./$PKG" "go build -gcflags=-m=2 -o /dev/null ./$PKG" \
		-n "escape-review --mode added" "$ER --base HEAD~1 --mode added" \
		-n "escape-review new (base cached)" "$ER --base HEAD~1" \
		-n "escape-review new --no-cache" "$ER --base HEAD~1 --no-cache" \
		-n "detect-escape.sh . (article)" "bash $HERE/detect-escape.sh ."
	# ~10 s a run (it relinks the module's commands every time): 3 runs
	hyperfine -N --runs 3 --export-markdown "$OUT/pipeline.md" --export-csv "$OUT/pipeline.csv" \
		-n "article's pipeline on ./..." "bash $CACHE/article-pipeline.sh"
	load=$(cut -d' ' -f1 /proc/loadavg)
	t_bare=$(mean "$OUT/change.csv" 1); t_added=$(mean "$OUT/change.csv" 2)
	t_new=$(mean "$OUT/change.csv" 3); t_nocache=$(mean "$OUT/change.csv" 4)
	{
		echo "(2) one-line change in $PKG, warm (1-min load average at the end: $load)"
		echo "  go build -gcflags=-m=2   $(ms "$t_bare")"
		echo "  --mode added             $(ms "$t_added")  $(ratio "$t_added" "$t_bare")x (target <= 1.3x)"
		echo "  new, base cached         $(ms "$t_new")  $(ratio "$t_new" "$t_bare")x (target <= 1.6x)"
		echo "  new, --no-cache          $(ms "$t_nocache")  $(ratio "$t_nocache" "$t_bare")x"
		echo "  detect-escape.sh .       $(ms "$(mean "$OUT/change.csv" 5)")  (prints nothing: go refuses the file list)"
		echo "  pipeline on ./...        $(ms "$(mean "$OUT/pipeline.csv" 1)")  (relinks the module's 39 commands each time)"
	} | tee "$OUT/summary-change.txt"

	say "(3) a push that changes only README.md"
	git checkout -q readme
	"$ER" --base HEAD~1 | tail -1
	hyperfine -N --warmup 3 --runs $((RUNS * 3)) \
		--export-markdown "$OUT/nogo.md" --export-csv "$OUT/nogo.csv" \
		-n "escape-review --base HEAD~1 (README only)" "$ER --base HEAD~1" \
		-n "escape-review rules ER001 (start + libgit2 init)" "$ER rules ER001" \
		-n "escape-review --version (process start)" "$ER --version" \
		-n "git diff --name-only HEAD~1" "git diff --name-only HEAD~1"
	{
		echo "(3) README-only push"
		echo "  escape-review --base HEAD~1  $(ms "$(mean "$OUT/nogo.csv" 1)")  (target < 20 ms)"
		echo "  rules ER001 (floor: start + libgit2 init)  $(ms "$(mean "$OUT/nogo.csv" 2)")"
		echo "  --version (floor: exec + dynamic linking)  $(ms "$(mean "$OUT/nogo.csv" 3)")"
		echo "  git diff --name-only HEAD~1  $(ms "$(mean "$OUT/nogo.csv" 4)")"
	} | tee -a "$OUT/summary-change.txt"
	git checkout -q gochange
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
