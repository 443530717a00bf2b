#!/bin/sh
# Regenerate the compiler output the parser tests read (go 1.19.8 made the
# committed files).  Paths in them are as go prints them:
#   escape-m2.txt      go build -gcflags=-m=2 ./... in escape/: "./main.go", "sub/sub.go"
#   cycle-m2.txt       -m=2 -l on cycle/ (assignment-cycle warnings)
#   broken-m2.txt      a package with a type error: a build error block
set -u
cd "$(dirname "$0")"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
(cd escape && go build -gcflags=-m=2 ./... 2>../escape-m2.txt)
(cd cycle && go build -gcflags='-m=2 -l' . 2>../cycle-m2.txt)
(cd broken && go build -gcflags=-m=2 . 2>../broken-m2.txt)
exit 0
