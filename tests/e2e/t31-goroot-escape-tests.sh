#!/bin/sh
# t31-goroot-escape-tests: the compiler's own escape tests
# ($GOROOT/test/escape*.go, `// errorcheck` files) as a check of the parser
# and the classifier.  Each file is compiled the way its header asks, with
# -m=2 instead of -m so the chains are present; the output goes through
# `escape-review review --input -`; every `// ERROR "regexp"` annotation
# whose regexp matches an escape-positive diagnostic of its line must come
# back as a finding at that line whose message matches and which has a
# rule.  Prints how many landed in the generic rule ER000 (aim: under 5%).
#
# Environment: ER_BIN (the binary), ER_SRC (the source tree root).
set -eu

ER_SRC=${ER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
ER_BIN=${ER_BIN:-$ER_SRC/build/escape-review}
goroot=$(go env GOROOT)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/er-t31.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
for src in "$goroot"/test/escape*.go; do
	[ -f "$src" ] || continue
	header=$(head -n 1 "$src")
	case $header in
	"// errorcheck"*) ;;
	*) continue ;;   # `// run` tests have no annotations
	esac
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
	(cd "$dir" && go tool compile -p=p $flags -o /dev/null "$name.go" \
		>"$dir/m2.txt" 2>&1) || {
		echo "t31: go tool compile $flags $name.go failed:" >&2
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

python3 - "$tmp" <<'PY'
import json, os, re, sys

tmp = sys.argv[1]
pos_re = re.compile(r"^(.+?\.go):(\d+)(?::\d+)?: (.*)$")
# escape-positive verdicts (not the -m=2 headers, which end with ':')
verdict_re = re.compile(r"(^moved to heap: |escapes to heap$|^leaking param(?: content)?: )")
ann_re = re.compile(r"//\s*ERROR\s+(.*)$")
quoted_re = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')

checked = found = generic = 0
missing = []
for name in sorted(os.listdir(tmp)):
    d = os.path.join(tmp, name)
    src = os.path.join(d, name + ".go")
    if not os.path.isfile(src):
        continue
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
share = 100.0 * generic / found if found else 0.0
print("goroot escape tests: %d/%d annotations found, %d (%.1f%%) in the generic rule ER000"
      % (found, checked, generic, share))
sys.exit(0 if checked and found == checked else 1)
PY
