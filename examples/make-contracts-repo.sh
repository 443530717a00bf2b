#!/bin/sh
# make-contracts-repo.sh DIR: the performance contracts example
# (docs/contracts.md) as a repository: two commits on main, tagged c1, c2.
#   c1  hot/: each directive kept (//escape:none on Sum, //escape:inline on
#       Scale and on a line calling it twice, //escape:bce on First3,
#       //escape:none,inline on Mid), one broken from the start (the bounds
#       check of At); cold/ calls hot.Mid on a line with //escape:inline
#   c2  each directive broken: Sum returns &s, Scale grows past the inlining
#       budget (so the calls of Total are not inlined either), First3 loses
#       its length test; At's contract holds again; a new allocation under
#       //escape:none with an //escape:ok above it, an unknown directive
#       (//escape:noalloc) and a //escape:bce on a line without an index
set -eu
src=$(cd "$(dirname "$0")/contracts" && pwd)
dir=$1
mkdir -p "$dir"
cd "$dir"
git init -q
git config user.name "${GIT_AUTHOR_NAME:-Hot Path Dev}"
git config user.email "${GIT_AUTHOR_EMAIL:-dev@hotpath.example}"
mkdir -p hot cold
cp "$src/go.mod" go.mod
cp "$src/c1/hot.go" hot/hot.go
cp "$src/cold.go" cold/cold.go
git add -A && git commit -q -m "c1: hot paths with their contracts" && git tag c1
cp "$src/c2/hot.go" hot/hot.go
git add -A && git commit -q -m "c2: every contract broken once" && git tag c2
