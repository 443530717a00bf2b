#!/bin/sh
# Regenerate the compiler output the parser tests read.  Go 1.19.8 made the
# first three, Go 1.26.8 the *-go126 ones (GO119 and GO126 name the go
# commands).  Paths in them are as go prints them:
#   escape-m2.txt      go build -gcflags=-m=2 ./... in escape/: "./main.go", "sub/sub.go"
#   cycle-m2.txt       -m=2 -l on cycle/ (assignment-cycle warnings)
#   broken-m2.txt      a package with a type error: a build error block
#   escape-m2-go126.txt              escape/ again, with Go 1.26
#   escape-m2-go126-newinliner.txt   the same with GOEXPERIMENT=newinliner
#                                    ("inlining call to F with score N")
#   go126-m2.txt       go126/ (go 1.23 module): generic code, append's backing
#                      array, range-over-func bodies, a zero-size make
#   notes-m2.txt, notes-m2-go126.txt   notes/ with -d=ssa/check_bce/debug=1:
#                      can/cannot inline, inlining calls, bounds checks
set -u
cd "$(dirname "$0")"
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
GO126=${GO126:-go}
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
(cd escape && "$GO119" build -gcflags=-m=2 ./... 2>../escape-m2.txt)
(cd cycle && "$GO119" build -gcflags='-m=2 -l' . 2>../cycle-m2.txt)
(cd broken && "$GO119" build -gcflags=-m=2 . 2>../broken-m2.txt)
(cd escape && "$GO126" build -gcflags=-m=2 ./... 2>../escape-m2-go126.txt)
(cd escape && GOEXPERIMENT=newinliner "$GO126" build -gcflags=-m=2 ./... \
	2>../escape-m2-go126-newinliner.txt)
(cd go126 && "$GO126" build -gcflags=-m=2 ./... 2>../go126-m2.txt)
(cd notes && "$GO119" build -gcflags='-m=2 -d=ssa/check_bce/debug=1' -o notes.a . \
	2>../notes-m2.txt; rm -f notes.a)
(cd notes && "$GO126" build -gcflags='-m=2 -d=ssa/check_bce/debug=1' -o notes.a . \
	2>../notes-m2-go126.txt; rm -f notes.a)
exit 0
