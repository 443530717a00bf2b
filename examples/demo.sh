#!/bin/sh
# make demo: install what is missing, build, then review the bundled example
# (a small repository built from examples/campus, the seed article's code).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./install.sh --check-deps || ./install.sh --deps
make --no-print-directory
tmp=$(mktemp -d "${TMPDIR:-/tmp}/escape-review-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
sh examples/make-campus-repo.sh "$tmp/campus"
cd "$tmp/campus"
git checkout -q c2
echo
echo "\$ escape-review --base c1 --explain      # c2 adds log.Printf of a struct and returns &s"
"$top/build/escape-review" --base c1 --explain || true
echo
echo "\$ escape-review --base c2 --head c3       # the article's \"3-line fix\""
"$top/build/escape-review" --base c2 --head c3 || true
