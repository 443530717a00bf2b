#!/bin/sh
# tests/browser/run.sh: the release report in a real browser.  Builds the
# bundled example (examples/make-campus-repo.sh), records the heap profile
# of its benchmark (examples/campus/bench), renders `escape-review report
# --base c2 --head c4 --profile mem.out --format html` and has headless
# Chromium print it to PDF and take a PNG screenshot; checks both files and
# the page (tests/e2e/check_html.py).  A browser takes seconds to start, so
# this is `make check-browser` (run by .ci/run), not part of `make test`.
# ER_SCREENSHOT=FILE keeps the screenshot (docs/report.png is made so).
# Without chromium or chromium-headless-shell (apt-get install chromium) it
# says so and exits 0: the skip is the only way it passes without a browser.
set -u
ER_SRC=${ER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
ER_BIN=${ER_BIN:-$ER_SRC/build/escape-review}
browser=""
for b in chromium-headless-shell chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then
	echo "browser: SKIPPED: no chromium-headless-shell or chromium on PATH (Debian: apt-get install chromium)"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/er-browser.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$TMP/home" NO_COLOR=1
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
export GOCACHE=${GOCACHE:-$(go env GOCACHE 2>/dev/null || echo "$TMP/gocache")}
mkdir -p "$HOME"
fail=0
bad() { echo "  FAIL: $1"; fail=1; }
ok() { echo "  ok: $1"; }

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus" || exit 1
git checkout -q c4
cp "$ER_SRC/examples/campus/bench/scores_test.go" campus/scores_test.go
go test -run '^$' -bench . -benchtime 2000x -memprofilerate 1 -memprofile "$TMP/mem.out" \
	-o "$TMP/campus.test" ./campus >"$TMP/bench.log" 2>&1 || { cat "$TMP/bench.log"; exit 1; }
rm campus/scores_test.go
"$ER_BIN" report --base c2 --head c4 --profile "$TMP/mem.out" --format html >"$TMP/report.html" ||
	bad "report --format html"
if python3 "$ER_SRC/tests/e2e/check_html.py" "$TMP/report.html" >"$TMP/check" 2>&1; then
	ok "the page: only the template's tags, no script, no external URL but the rule docs"
else
	bad "the page: $(cat "$TMP/check")"
fi

# a fresh profile directory each time; nothing reaches the network
chrome() {
	rm -rf "$TMP/profile"
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$TMP/profile" "$@" "file://$TMP/report.html" \
		>"$TMP/chrome.log" 2>&1
}
chrome --print-to-pdf="$TMP/report.pdf" --no-pdf-header-footer
if [ "$(head -c 5 "$TMP/report.pdf" 2>/dev/null)" = "%PDF-" ] && [ "$(wc -c <"$TMP/report.pdf")" -gt 10000 ]; then
	ok "printed to PDF ($(wc -c <"$TMP/report.pdf") bytes)"
else
	bad "no PDF: $(tail -3 "$TMP/chrome.log")"
fi
chrome --window-size=1100,1400 --screenshot="$TMP/report.png"
size=$(python3 - "$TMP/report.png" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
if b[:8] != b"\x89PNG\r\n\x1a\n":
    print("not a PNG")
else:
    w, h = struct.unpack(">II", b[16:24])
    print("%dx%d" % (w, h))
PY
)
if [ "$size" = "1100x1400" ]; then
	ok "screenshot $size"
	[ -z "${ER_SCREENSHOT:-}" ] || cp "$TMP/report.png" "$ER_SCREENSHOT"
else
	bad "no screenshot: $size $(tail -3 "$TMP/chrome.log")"
fi
[ "$fail" = 0 ] && echo "browser: passed ($browser)" || echo "browser: FAILED"
exit $fail
