#!/bin/bash
# bench/dependents.sh: what following escape summaries into importing
# packages costs (issue 13), on golang.org/x/tools from the Go module proxy.
#
#   bash bench/dependents.sh
#
# It measures, warm (the go build cache filled, the base analyses cached by
# a first run), with hyperfine:
#  (a) a summary-changing edit to internal/typesinternal, which 42 packages
#      of the module import: ClassifyCall keeps its *ast.CallExpr argument
#      in a package-level variable (`leaking param: call`), so every importer
#      is analysed at head and base, round after round;
#  (b) the bare `go build -gcflags=-m=2` of the same packages (typesinternal
#      and every importer the review analysed, read from its -v output);
#  (c) a summary-neutral edit to the same package (a new unexported
#      function): the default review, --scope changed, and the bare build
#      of typesinternal alone; (c) must stay where --scope changed is.
#
# Prerequisites: go 1.26 (x/tools v0.52.0 says go 1.26.0), git, hyperfine,
# the project's build dependencies.  The first run downloads x/tools and
# its requirements with `go mod download` (the Go module proxy); later runs
# use the module cache with GOPROXY=off.  Everything generated goes to
# bench/.cache/ (CACHE=DIR moves it): the repository xtools-proxy/ and
# results/dependents.{md,csv,txt}.  Environment: ER (default
# build-bench/escape-review, built when missing), RUNS (default 5).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
CACHE=${CACHE:-$HERE/.cache}
RUNS=${RUNS:-5}
ER=${ER:-$ROOT/build-bench/escape-review}
OUT=$CACHE/results
XT_VERSION=v0.52.0
REPO=$CACHE/xtools-proxy
PKG=internal/typesinternal

die() { echo "bench/dependents.sh: $*" >&2; exit 1; }
. "$HERE/xtools.sh"
bench_prepare
if [ ! -f "$REPO/.git/bench-ready" ]; then
	xtools_repo "$REPO" ./...
	git checkout -q -b summary
	sed -i 's/^func ClassifyCall(info \*types.Info, call \*ast.CallExpr) CallKind {$/var benchLastCall *ast.CallExpr\n\n&\n\tbenchLastCall = call/' \
		"$PKG/classify_call.go"
	grep -q 'benchLastCall = call' "$PKG/classify_call.go" || die "the summary-changing edit did not apply"
	git_c commit -q -am "$PKG: ClassifyCall keeps its call"
	git checkout -q -b neutral main
	printf '\nfunc benchNeutral() int { return 1 }\n' >>"$PKG/types.go"
	git_c commit -q -am "$PKG: a new function"
	touch .git/bench-ready
fi
cd "$REPO"
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local

echo "go: $(go version); load: $(cut -d' ' -f1-3 /proc/loadavg); nproc: $(nproc)"
# (a) warm-up: fill the go build cache and the base caches, and read which
# packages the review analyses
git checkout -q summary
"$ER" --base main -v --fail-on none >"$OUT/dependents-a.txt" 2>"$OUT/dependents-a.err" || true
pkgs=$(sed -n 's/^escape-review: running in [^:]*: go build -gcflags=-m=2 //p' "$OUT/dependents-a.err" |
	sed 's#^-o /dev/null ##' |
	tr ' ' '\n' | sort -u | tr '\n' ' ')
rounds=$(grep -c 'dependents, round' "$OUT/dependents-a.err" || true)
npk=$(echo "$pkgs" | wc -w)
echo "(a) summary change: $rounds rounds, $npk packages: $(tail -n 1 "$OUT/dependents-a.txt")"
mkdir -p "$CACHE/m2out"
hyperfine -N --warmup 1 --runs "$RUNS" --export-markdown "$OUT/dependents-a.md" --export-csv "$OUT/dependents-a.csv" \
	-n "review, summary change (dependents)" "$ER --base main --fail-on none" \
	-n "review, summary change (--scope changed)" "$ER --base main --fail-on none --scope changed" \
	-n "bare go build -m=2 of the same $npk packages" "go build -gcflags=-m=2 -o $CACHE/m2out/ $pkgs"

git checkout -q neutral
"$ER" --base main --fail-on none >/dev/null 2>&1 || true
hyperfine -N --warmup 1 --runs "$RUNS" --export-markdown "$OUT/dependents-c.md" --export-csv "$OUT/dependents-c.csv" \
	-n "review, summary-neutral (dependents)" "$ER --base main --fail-on none" \
	-n "review, summary-neutral (--scope changed)" "$ER --base main --fail-on none --scope changed" \
	-n "bare go build -m=2 of $PKG" "go build -gcflags=-m=2 -o $CACHE/m2out/typesinternal.a ./$PKG"
git checkout -q main
cat "$OUT/dependents-a.md" "$OUT/dependents-c.md" | tee "$OUT/dependents.txt"
