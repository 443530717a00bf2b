#!/bin/sh
# t31-goroot-escape-tests: the compiler's own escape tests as a check of the
# parser and the classifier: $GOROOT/test/escape*.go and uintptrescapes2.go,
# the `// errorcheck` files whose annotations are about escapes.  Each file
# is compiled the way its header asks, with -m=2 instead of -m so the chains
# are present; the output goes through `escape-review review --input -`.
#
# Asserted, for the `go` on PATH:
#   - every `// ERROR "regexp"` annotation whose regexp matches an
#     escape-positive diagnostic the compiler printed at its line comes back
#     as a finding at that line whose message matches and which has a rule;
#   - the share of those findings in the generic rule ER000, and of all the
#     findings in the test files, is at most the threshold of this compiler
#     (below), and the threshold of a newer compiler is never above Go 1.19's.
# T31_VERBOSE=1 lists the ER000 findings; T31_KEEP=1 keeps the temp dir.
#
# `go tool compile` is given an -importcfg for exactly the packages the test
# files import (Go 1.20 and newer ship no compiled standard library), and
# writes its object file into the temp dir: never -o /dev/null, because the
# compiler removes its output file when it fails, and as root that removes
# /dev/null itself.
#
# Environment: ER_BIN (the binary), ER_SRC (the source tree root).
set -eu

ER_SRC=${ER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
ER_BIN=${ER_BIN:-$ER_SRC/build/escape-review}
goroot=$(go env GOROOT)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/er-t31.XXXXXX")
trap '[ -n "${T31_KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM

# The generic rule's share, in tenths of a percent, that each compiler may
# not exceed.  Measured (docs/benchmarks.md): none of the 955 annotations
# (961 findings) of Go 1.19.8's 24 files, none of the 1072 annotations
# (1078 findings) of Go 1.26.8's 32 files.  A newer compiler's threshold is
# never above Go 1.19's.
GO_MINOR=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
GO_MINOR=${GO_MINOR:-0}
max19=10
if [ "$GO_MINOR" -le 19 ]; then max=$max19; else max=10; fi
if [ "$max" -gt "$max19" ]; then
	echo "t31: the ER000 threshold for go1.$GO_MINOR ($max) is above Go 1.19's ($max19)" >&2
	exit 1
fi

files=
for src in "$goroot"/test/escape*.go "$goroot"/test/uintptrescapes2.go; do
	[ -f "$src" ] || continue
	case $(head -n 1 "$src") in
	"// errorcheck"*) files="$files $src" ;;
	*) ;;   # `// run` tests have no annotations
	esac
done
if [ -z "$files" ]; then
	echo "t31: no escape tests under $goroot/test" >&2
	exit 1
fi

# The packages the files import, and their export data.
# shellcheck disable=SC2086  # the file names are words
pkgs=$(python3 - $files <<'PY'
import re, sys
pkgs = set()
for path in sys.argv[1:]:
    src = open(path, errors="replace").read()
    for block in re.findall(r"^import\s*\((.*?)^\)", src, re.S | re.M):
        pkgs.update(re.findall(r'"([^"]+)"', block))
    pkgs.update(re.findall(r'^import\s+(?:[\w.]+\s+)?"([^"]+)"', src, re.M))
pkgs.discard("unsafe")
print(" ".join(sorted(pkgs)))
PY
)
# shellcheck disable=SC2086  # the packages are words
if ! GOFLAGS= go list -export -deps \
	-f '{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}' $pkgs \
	>"$tmp/importcfg" 2>"$tmp/list.err"; then
	echo "t31: go list -export $pkgs failed:" >&2
	cat "$tmp/list.err" >&2
	exit 1
fi

n=0
for src in $files; do
	header=$(head -n 1 "$src")
	name=$(basename "$src" .go)
	dir=$tmp/$name
	mkdir -p "$dir"
	cp "$src" "$dir/$name.go"
	# the header's compiler flags, minus run.go's own -0/-1 and with -m=2
	flags=
	for w in ${header#// errorcheck}; do
		case $w in
		-0|-1) ;;
		-m) flags="$flags -m=2" ;;
		*) flags="$flags $w" ;;
		esac
	done
	# shellcheck disable=SC2086  # the flags are words
	(cd "$dir" && go tool compile -p=p -importcfg "$tmp/importcfg" $flags \
		-o "$dir/$name.o" "$name.go" >"$dir/m2.txt" 2>&1) || {
		echo "t31: go tool compile$flags $name.go failed:" >&2
		head -20 "$dir/m2.txt" >&2
		exit 1
	}
	rc=0
	(cd "$dir" && "$ER_BIN" review --input - --mode all --format json \
		<"$dir/m2.txt" >"$dir/findings.json") || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		echo "t31: escape-review failed on $name.go (exit $rc)" >&2
		exit 1
	fi
	n=$((n + 1))
done

python3 - "$tmp" "$max" "$(go env GOVERSION)" <<'PY'
import json, os, re, sys

tmp, max_tenths, goversion = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pos_re = re.compile(r"^(.+?\.go):(\d+)(?::\d+)?: (.*)$")
# escape-positive verdicts (not the -m=2 headers, which end with ':')
verdict_re = re.compile(r"(^moved to heap: |escapes to heap$|^leaking param(?: content)?: )")
ann_re = re.compile(r"//\s*ERROR\s+(.*)$")
quoted_re = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')

files = checked = found = generic = total = total_generic = 0
missing = []
for name in sorted(os.listdir(tmp)):
    d = os.path.join(tmp, name)
    src = os.path.join(d, name + ".go")
    if not os.path.isfile(src):
        continue
    files += 1
    verdicts = {}
    with open(os.path.join(d, "m2.txt"), errors="replace") as fp:
        for text in fp:
            m = pos_re.match(text.rstrip("\n"))
            if m and verdict_re.search(m.group(3)):
                verdicts.setdefault(int(m.group(2)), []).append(m.group(3))
    try:
        with open(os.path.join(d, "findings.json")) as fp:
            findings = json.load(fp)["findings"]
    except (ValueError, KeyError) as e:
        print("FAIL %s.go: escape-review printed no JSON findings (%s)" % (name, e))
        sys.exit(1)
    by_line = {}
    for f in findings:
        if os.path.basename(f["file"]) == name + ".go":
            by_line.setdefault(f["line"], []).append(f)
            total += 1
            if f.get("rule") == "ER000":
                total_generic += 1
    with open(src, errors="replace") as fp:
        for no, text in enumerate(fp, 1):
            m = ann_re.search(text)
            if not m:
                continue
            for q in quoted_re.finditer(m.group(1)):
                pat = q.group(1) if q.group(1) is not None else q.group(2)
                if q.group(1) is not None:
                    pat = pat.replace('\\"', '"')
                try:
                    rx = re.compile(pat)
                except re.error:
                    continue
                if not any(rx.search(v) for v in verdicts.get(no, [])):
                    continue  # not about an escape-positive diagnostic
                checked += 1
                hits = [f for f in by_line.get(no, [])
                        if f.get("rule") and rx.search(f["message"])]
                if hits:
                    found += 1
                    if hits[0]["rule"] == "ER000":
                        generic += 1
                        if os.environ.get("T31_VERBOSE"):
                            print("ER000 %s.go:%d: %s | %s" % (name, no, hits[0]["message"], hits[0]["why"]))
                else:
                    missing.append("%s.go:%d: %s" % (name, no, pat))
for m in missing[:30]:
    print("MISSING " + m)
def pct(k, n):
    t = (1000 * k + n // 2) // n if n else 0
    return "%d.%d%%" % (t // 10, t % 10)
print("goroot escape tests (%s, %d files): %d/%d annotations found, %d (%s) in the "
      "generic rule ER000; of all %d findings %d (%s); at most %s"
      % (goversion, files, found, checked, generic, pct(generic, found), total,
         total_generic, pct(total_generic, total), pct(max_tenths, 1000)))
ok = True
if not checked:
    print("FAIL no escape-positive annotation matched the compiler's output")
    ok = False
if found != checked:
    print("FAIL %d annotations did not come back" % (checked - found))
    ok = False
if 1000 * generic > max_tenths * found or 1000 * total_generic > max_tenths * total:
    print("FAIL the generic rule's share is above %s" % pct(max_tenths, 1000))
    ok = False
sys.exit(0 if ok else 1)
PY
