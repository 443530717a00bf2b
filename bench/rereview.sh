#!/bin/bash
# bench/rereview.sh: issue 17's re-review of an already reviewed commit, in
# the same clone (the hook after a refused push, an editor's second run),
# on golang.org/x/tools from the Go module proxy, go/ssa (the repository
# bench/ci-cache.sh sets up), against its floor measured in the same
# hyperfine run: the bare warm `go build -gcflags=-m=2 ./go/ssa` in that
# clone (the compiler's cached replay, as the review's own build runs).
#
#   bash bench/rereview.sh            # RUNS=30 by default
#   ER_BASE=/path/to/other/escape-review bash bench/rereview.sh   # side by side
#
# A first review fills the analysis cache (--cache-dir, one per binary);
# every timed run reads it: nothing is built.  The re-review's text and JSON
# output are checked byte for byte against the first run's (and against
# ER_BASE's when given) before anything is timed.  Results go to
# bench/.cache/results/rereview.{csv,txt}.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
CACHE=${CACHE:-$HERE/.cache}
RUNS=${RUNS:-30}
ER=${ER:-$ROOT/build-bench/escape-review}
ER_BASE=${ER_BASE:-}
OUT=$CACHE/results
XT_VERSION=v0.52.0
REPO=$CACHE/xtools-ci
W=$CACHE/rereview
PKG=go/ssa

die() { echo "bench/rereview.sh: $*" >&2; exit 1; }
. "$HERE/xtools.sh"
bench_prepare
[ -f "$REPO/.git/bench-ready" ] || die "run bench/ci-cache.sh once first (it sets up $REPO)"
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
rm -rf "$W"
mkdir -p "$W"
git clone -q "$REPO" "$W/clone"
git -C "$W/clone" checkout -q origin/pr

review() { # BINARY CACHE-DIR ARGS...
	local er=$1 dir=$2
	shift 2
	"$er" -C "$W/clone" --base origin/main --fail-on none --cache-dir "$dir" "$@"
}
check() { # BINARY CACHE-DIR NAME
	local f
	for f in text json; do
		review "$1" "$2" --format $f >"$W/$3.first.$f" 2>&1
		review "$1" "$2" --format $f >"$W/$3.again.$f" 2>&1
		cmp -s "$W/$3.first.$f" "$W/$3.again.$f" || die "$3: the re-review's $f output differs"
	done
}
check "$ER" "$W/cache" er
if [ -n "$ER_BASE" ]; then
	check "$ER_BASE" "$W/cache-base" base
	for f in text json; do
		cmp -s "$W/er.again.$f" "$W/base.again.$f" || die "the $f output differs from ER_BASE's"
	done
fi

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "go: $(go version)"
	echo "uptime before: $(uptime)"
} | tee "$OUT/rereview.txt"
args=()
if [ -n "$ER_BASE" ]; then
	args+=(-n "ER_BASE: re-review --mode added" "$ER_BASE -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache-base --mode added")
	args+=(-n "ER_BASE: re-review new" "$ER_BASE -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache-base")
fi
hyperfine -N -w 3 --runs "$RUNS" --export-csv "$OUT/rereview.csv" "${args[@]}" \
	-n "re-review --mode added" "$ER -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache --mode added" \
	-n "re-review new (base cached)" "$ER -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache" \
	-n "floor: go build -gcflags=-m=2 ./$PKG" "go -C $W/clone build -gcflags=-m=2 ./$PKG" >/dev/null
echo "uptime after: $(uptime)" | tee -a "$OUT/rereview.txt"
# medians and CPU time (user + sys, means) beside the floor's
awk -F, 'NR > 1 { name[NR] = $1; med[NR] = $4; cpu[NR] = $5 + $6; if ($1 ~ /^floor/) { floor = $4; fcpu = $5 + $6 } }
	END { printf "%-40s %9s %7s %9s %7s\n", "", "median", "/floor", "cpu", "/floor"
	      for (i = 2; i <= NR; i++)
		printf "%-40s %7.1fms %6.2fx %7.1fms %6.2fx\n", name[i], med[i] * 1000, med[i] / floor,
		       cpu[i] * 1000, cpu[i] / fcpu }' "$OUT/rereview.csv" | tee -a "$OUT/rereview.txt"
