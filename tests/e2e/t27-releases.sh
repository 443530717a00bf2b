#!/bin/sh
# Real changes nobody here wrote: releases of go.uber.org/zap from the Go
# module proxy, pinned by version and by the hash go.sum would record (go
# checks each download against the checksum database, this test against
# the hash below), each pair committed to a repository as two commits and
# reviewed as one change.  Every new and fixed finding is
# compared with tests/golden/go1.NN/release-*.txt, which were read against
# the releases' diffs (docs/benchmarks.md, "Real changes"): v1.27.0 exported
# testingWriter as TestingWriter (the renamed functions are matched, not
# reported as new and fixed) and added WithLazy, Log*, WithPanicHook;
# v1.24.0 made newSink a method of a sink registry.
#
# The downloads need the proxy (GOPROXY as go reports it outside the
# tests, or ER_TEST_GOPROXY); the reviews themselves run with GOPROXY=off.
# Without the proxy the test fails and says so: it does not skip.
. "$(dirname "$0")/lib.sh"

proxy=${ER_TEST_GOPROXY:-$(GOPROXY= GOFLAGS= go env GOPROXY)}
golden=$ER_SRC/tests/golden/go1.$(by_go 19 26)
export GOFLAGS="$GOFLAGS -modcacherw"

# The releases' hashes, as go.sum records them (h1: of the module's files)
SUMS='go.uber.org/zap@v1.23.0 h1:OjGQ5KQDEUawVHxNwQgPpiypGHOxo2mNZsOqTak4fFY=
go.uber.org/zap@v1.24.0 h1:FiJd5l1UOLj0wCgbSE0rwwXHzEdAZS6hiiSnxJN/D60=
go.uber.org/zap@v1.26.0 h1:sI7k6L95XOKS281NhVKOFCUNIvv9e0w4BF8N3u+tCRo=
go.uber.org/zap@v1.27.0 h1:aJMhYGrd5QSmlpLMr2MftRKl7t8J8PTZPA732ud/XR8='

# module_dir MODULE VERSION: its directory in the module cache, once its
# hash is the pinned one
module_dir() {
	(cd "$TMP" && GOPROXY=$proxy go mod download -json "$1@$2") >"$TMP/dl.json" 2>"$TMP/dl.err" || return 1
	sum=$(json_get "$TMP/dl.json" 'd["Sum"]')
	want=$(echo "$SUMS" | sed -n "s|^$1@$2 ||p")
	[ -n "$want" ] && [ "$sum" = "$want" ] || { echo "$1@$2: hash $sum, pinned $want" >"$TMP/dl.err"; return 1; }
	json_get "$TMP/dl.json" 'd["Dir"]'
}

# release_repo DIR MODULE OLD NEW: DIR holds OLD as HEAD~1 and NEW as HEAD,
# and the module cache holds what both require
release_repo() {
	mkdir -p "$1" && git -C "$1" init -q || return 1
	for v in "$3" "$4"; do
		src=$(module_dir "$2" "$v") || {
			bad "the Go module proxy ($proxy) serves $2@$v as pinned: this test needs it (see below)"
			cat "$TMP/dl.err" "$TMP/dl.json" 2>/dev/null | head -5 | sed 's/^/    /'
			return 1
		}
		(cd "$1" && find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} + &&
			cp -R "$src/." . && chmod -R u+w . &&
			GOPROXY=$proxy go mod download >"$TMP/dl.err" 2>&1 &&
			git add -A && git commit -q -m "$2 $v") || {
			bad "$2@$v: its requirements from the proxy ($proxy)"
			head -5 "$TMP/dl.err" | sed 's/^/    /'
			return 1
		}
	done
}

# review_pair NAME MODULE OLD NEW
review_pair() {
	name=release-$(echo "$2" | tr / _)-$3-$4
	release_repo "$TMP/$name" "$2" "$3" "$4" || return 0
	cd "$TMP/$name" || return 0
	er --base HEAD~1 --fail-on none --format json
	expect_rc "$1: the review" 0
	python3 - "$TMP/out" >"$TMP/$name.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print("%d new, %d fixed, %d existing" % (s["new"], s["fixed"], s["existing"]))
for key, word in (("findings", "new  "), ("fixed", "fixed")):
    for f in d[key]:
        print("%s %s:%d:%d %s [%s] %s" % (word, f["file"], f["line"], f["column"],
                                         f["function"], f["rule"], f["message"]))
PY
	if [ -f "$golden/$name.txt" ] && cmp -s "$TMP/$name.txt" "$golden/$name.txt"; then
		ok "$1: every new and fixed finding is the golden file's"
	else
		bad "$1: every new and fixed finding is the golden file's ($golden/$name.txt)"
		diff "$golden/$name.txt" "$TMP/$name.txt" | head -40 | sed 's/^/    /'
		[ -n "${ER_UPDATE_GOLDEN:-}" ] && cp "$TMP/$name.txt" "$golden/$name.txt"
	fi
	cd "$TMP" || exit 1
}

review_pair "zap v1.26.0 to v1.27.0 (an exported rename, new API)" go.uber.org/zap v1.26.0 v1.27.0
review_pair "zap v1.23.0 to v1.24.0 (a function made a method)" go.uber.org/zap v1.23.0 v1.24.0

chmod -R u+w "$TMP" 2>/dev/null
finish
