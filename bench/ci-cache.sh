#!/bin/bash
# bench/ci-cache.sh: what the analysis cache saves a CI run (issues 16 and
# 17), on golang.org/x/tools from the Go module proxy, a one-line change in
# go/ssa (the package of bench/run.sh's (2)).
#
#   bash bench/ci-cache.sh            # warm go build cache only
#   COLD=1 bash bench/ci-cache.sh     # also with an empty go build cache
#   WARM=0 COLD=1 bash bench/ci-cache.sh   # only that (COLD_RUNS, default 2)
#
# Every timed run is a CI job on a fresh runner: a new `git clone` of the
# repository (so .git/escape-review is empty) and the cache directory
# (--cache-dir, what actions/cache or GitLab's cache: restores) laid anew
# by hyperfine's --prepare, which is not timed.  The go build cache is
# warm (restored beside it, as action.yml does) or, with COLD=1, empty.
#  (a) cold: the cache directory empty: base and head are built;
#  (b) base cached: the directory as the previous push of the pull request
#      left it (its base entry and the previous head's): head is built;
#  (c) re-review: the directory as a run on this very commit left it (a
#      re-run, the hook after a refused push): nothing is built;
#  and the floor: a bare `go build -gcflags=-m=2` of go/ssa, same go build
#  cache state.
#
# Prerequisites: go 1.26 (x/tools v0.52.0 says go 1.26.0), git, hyperfine,
# the project's build dependencies.  The first run downloads x/tools and its
# requirements with `go mod download` (the Go module proxy); later runs use
# the module cache with GOPROXY=off.  Everything generated goes to
# bench/.cache/ (CACHE=DIR moves it): the repository xtools-ci/, the work
# directory ci/, and results/ci-cache.{md,csv,txt}.  Environment: ER
# (default build-bench/escape-review, built when missing), RUNS (default 5).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
CACHE=${CACHE:-$HERE/.cache}
RUNS=${RUNS:-5}
ER=${ER:-$ROOT/build-bench/escape-review}
OUT=$CACHE/results
XT_VERSION=v0.52.0
REPO=$CACHE/xtools-ci
W=$CACHE/ci
PKG=go/ssa

die() { echo "bench/ci-cache.sh: $*" >&2; exit 1; }
. "$HERE/xtools.sh"
bench_prepare
ER=$(cd "$(dirname "$ER")" && pwd -P)/$(basename "$ER")
if [ ! -f "$REPO/.git/bench-ready" ]; then
	xtools_repo "$REPO" ./$PKG
	# the pull request: a first push, then a second (one line each)
	git checkout -q -b pr
	echo 'func benchFirstPush() *int { x := 0; return &x }' >>"$PKG/util.go"
	git_c commit -q -am "$PKG: first push"
	echo 'func benchSecondPush() *int { y := 1; return &y }' >>"$PKG/util.go"
	git_c commit -q -am "$PKG: second push"
	git checkout -q main
	touch .git/bench-ready
fi
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
rm -rf "$W"
mkdir -p "$W"

# A CI job's checkout: a fresh clone at REV with main fetched (the base).
clone() { rm -rf "$W/clone" && git clone -q "$REPO" "$W/clone" && git -C "$W/clone" checkout -q "origin/$1"; }
review() { "$ER" -C "$W/clone" --base origin/main --fail-on none --cache-dir "$W/cache"; }

# The cache directories the CI restores: after the first push (b), after
# this push (c).
clone pr~1
rm -rf "$W/cache" && review >/dev/null
cp -r "$W/cache" "$W/cache-first-push"
clone pr
review >"$W/findings.txt"
cp -r "$W/cache" "$W/cache-this-push"
echo "findings: $(tail -n 1 "$W/findings.txt")"
echo "entries: after the first push $(ls "$W/cache-first-push" | wc -l), after this one $(ls "$W/cache-this-push" | wc -l)"
# the re-review's findings are the first run's, byte for byte
clone pr
rm -rf "$W/cache" && cp -r "$W/cache-this-push" "$W/cache"
review >"$W/findings-again.txt"
cmp -s "$W/findings.txt" "$W/findings-again.txt" || die "the re-review's findings differ"

run_set() {   # NAME GOCACHE-PREPARE ENV
	local name=$1 gc_prep=$2 envp=$3
	hyperfine -N --runs "$RUNS" --export-markdown "$OUT/ci-cache-$name.md" --export-csv "$OUT/ci-cache-$name.csv" \
		--prepare "bash -c 'cd $W && rm -rf cache clone && git clone -q $REPO clone && git -C clone checkout -q origin/pr && mkdir cache $gc_prep'" \
		-n "(a) cold: cache dir empty" "env $envp $ER -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache" \
		--prepare "bash -c 'cd $W && rm -rf cache clone && git clone -q $REPO clone && git -C clone checkout -q origin/pr && cp -r cache-first-push cache $gc_prep'" \
		-n "(b) base cached (the previous push's cache)" "env $envp $ER -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache" \
		--prepare "bash -c 'cd $W && rm -rf cache clone && git clone -q $REPO clone && git -C clone checkout -q origin/pr && cp -r cache-this-push cache $gc_prep'" \
		-n "(c) re-review of this commit" "env $envp $ER -C $W/clone --base origin/main --fail-on none --cache-dir $W/cache" \
		--prepare "bash -c 'cd $W && rm -rf clone && git clone -q $REPO clone && git -C clone checkout -q origin/pr $gc_prep'" \
		-n "floor: go build -gcflags=-m=2 ./$PKG" "env $envp go -C $W/clone build -gcflags=-m=2 -o $W/ssa.a ./$PKG"
}

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
	echo "go: $(go version); escape-review: $("$ER" --version)"
	echo "uptime before: $(uptime)"
} | tee "$OUT/ci-cache.txt"
# warm go build cache: the runs above filled it
if [ "${WARM:-1}" = 1 ]; then
	run_set warm "" "GOFLAGS=-mod=mod"
	echo "uptime after the warm runs: $(uptime)" | tee -a "$OUT/ci-cache.txt"
fi
if [ "${COLD:-0}" = 1 ]; then
	RUNS=${COLD_RUNS:-2} run_set cold "&& rm -rf $W/gocache" "GOCACHE=$W/gocache"
	echo "uptime after the cold runs: $(uptime)" | tee -a "$OUT/ci-cache.txt"
fi
# medians (hyperfine's markdown gives means) and the ratio to the floor
for f in "$OUT"/ci-cache-warm.csv "$OUT"/ci-cache-cold.csv; do
	[ -f "$f" ] || continue
	echo "## $(basename "$f" .csv): median s, min, max, median / floor"
	awk -F, 'NR > 1 { name[NR] = $1; med[NR] = $4; lo[NR] = $7; hi[NR] = $8; if ($1 ~ /^floor/) floor = $4 }
		END { for (i = 2; i <= NR; i++) printf "%-50s %.3f  %.3f  %.3f  %.2fx\n", name[i], med[i], lo[i], hi[i], med[i] / floor }' "$f"
done | tee -a "$OUT/ci-cache.txt"
