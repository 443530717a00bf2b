#!/bin/sh
# make-layers-repo.sh DIR: build the example repository of three packages,
# store <- api <- web (web imports api, api imports store), from
# examples/layers: four commits on main, tagged d1..d4, each changing only
# store/store.go.
#   d1  the base: store.Observe reads its pointer and keeps nothing
#   d2  Observe keeps the pointer (last = p): x in api and y in web, which
#       did not change, now move to the heap
#   d3  adds Reset: no function's escape summary changes
#   d4  Observe keeps a copy instead: both allocations go away again
set -eu
src=$(cd "$(dirname "$0")/layers" && pwd)
dir=$1
mkdir -p "$dir"
cd "$dir"
git init -q
git config user.name "${GIT_AUTHOR_NAME:-Layers Dev}"
git config user.email "${GIT_AUTHOR_EMAIL:-dev@layers.example}"
mkdir -p store api web
cp "$src/go.mod" go.mod
cp "$src/api/api.go" api/api.go
cp "$src/web/web.go" web/web.go
cp "$src/d1/store.go" store/store.go
git add -A && git commit -q -m "d1: store, api, web" && git tag d1
cp "$src/d2/store.go" store/store.go
git add -A && git commit -q -m "d2: Observe keeps its pointer" && git tag d2
cp "$src/d3/store.go" store/store.go
git add -A && git commit -q -m "d3: Reset" && git tag d3
cp "$src/d4/store.go" store/store.go
git add -A && git commit -q -m "d4: keep a copy, not the pointer" && git tag d4
