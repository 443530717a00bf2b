#!/bin/sh
# make-campus-repo.sh DIR: build the example repository of the README and
# the tests from examples/campus: four commits on main, tagged c1..c4.
#   c1  the base: Count passes &x to keep, which does not keep it
#   c2  keep() stores its pointer; NewStudent returns &s; CalcAvgScore logs
#       a struct literal (the article's calcAvgScore)
#   c3  the article's "3-line fix": log the float64 instead
#   c4  rename score.go to scores.go and shift every line: no new escapes
set -eu
src=$(cd "$(dirname "$0")/campus" && pwd)
dir=$1
mkdir -p "$dir"
cd "$dir"
git init -q
git config user.name "${GIT_AUTHOR_NAME:-Campus Dev}"
git config user.email "${GIT_AUTHOR_EMAIL:-dev@campus.example}"
mkdir -p campus
cp "$src/go.mod" go.mod
cp "$src/c1/score.go" campus/score.go
git add -A && git commit -q -m "c1: campus scores and counter" && git tag c1
cp "$src/c2/score.go" campus/score.go
git add -A && git commit -q -m "c2: keep ids, NewStudent, log the average" && git tag c2
cp "$src/c3/score.go" campus/score.go
git add -A && git commit -q -m "c3: the article's 3-line fix: log the float64" && git tag c3
git mv campus/score.go campus/scores.go
cp "$src/c4/scores.go" campus/scores.go
git add -A && git commit -q -m "c4: rename score.go, shift lines" && git tag c4
