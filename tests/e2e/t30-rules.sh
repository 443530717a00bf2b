#!/bin/sh
# t30-rules: every rule of the checklist has a Go fixture under
# tests/fixtures/rules/ERxxx/{bad,good}; compile them all once with
# -gcflags=-m=2, classify with `escape-review review --input -`, and check
# that the (line, rule) pairs of each bad/ file equal its `// want` marks
# and that no good/ file has a finding of its rule.  Also checks that
# docs/rules.md is what the catalog generates.
#
# Where the compilers differ, the expectation says so, never loosened:
#   - `// want ER029 (go1.25+)` holds from Go 1.25 on, `(go1.19-1.24)` up
#     to Go 1.24; on other compilers the rule must NOT fire on that line;
#   - a rule whose catalog entry names the compilers it applies to
#     (go_min/go_max in `escape-review rules --format json`) must not fire
#     at all in its fixtures on other compilers, where its marks do not hold.
#
# Environment: ER_BIN (the binary), ER_SRC (the source tree root).
set -eu

ER_SRC=${ER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
ER_BIN=${ER_BIN:-$ER_SRC/build/escape-review}
fixtures=$ER_SRC/tests/fixtures/rules
tmp=$(mktemp -d "${TMPDIR:-/tmp}/er-t30.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! command -v go >/dev/null 2>&1; then
	echo "t30-rules: go not found" >&2
	exit 1
fi

# One build of the whole fixture module; the diagnostics are on stderr and
# go exits 0 (non-main packages write nothing).
if ! (cd "$fixtures" && GOFLAGS= go build -gcflags=-m=2 ./... 2>"$tmp/m2.txt"); then
	echo "t30-rules: go build failed:" >&2
	cat "$tmp/m2.txt" >&2
	exit 1
fi

# Paths in the compiler output are relative to the module root: classify
# from there so the findings' files are ER001/bad/bad.go and so on.  The
# log's compiler is named (--go-version), as the review of a build knows it.
(cd "$fixtures" && "$ER_BIN" review --input - --go-version "$(go env GOVERSION)" --mode all \
	--format json <"$tmp/m2.txt" >"$tmp/findings.json") || {
	rc=$?
	# exit 1 only says there were findings at or above --fail-on
	if [ "$rc" -ne 1 ]; then
		echo "t30-rules: escape-review failed (exit $rc)" >&2
		exit 1
	fi
}

# Without --go-version, the log's explanations tell its compiler apart where
# the rules need it (Go 1.25 wrote "flow: a ← b" for "flow: a = b" and
# first laid boxed literals out statically: ER005): every finding the same.
unnamed_status=0
rc=0
(cd "$fixtures" && "$ER_BIN" review --input - --mode all --format json \
	<"$tmp/m2.txt" >"$tmp/findings-unnamed.json" 2>"$tmp/unnamed.err") || rc=$?
if [ "$rc" -gt 1 ] || [ -s "$tmp/unnamed.err" ]; then
	echo "FAIL --input without --go-version: exit $rc: $(cat "$tmp/unnamed.err")"
	unnamed_status=1
elif python3 - "$tmp/findings.json" "$tmp/findings-unnamed.json" <<'PY'; then
import json, sys
named, unnamed = (json.load(open(p)) for p in sys.argv[1:3])
def key(d):
    return sorted((f["file"], f["line"], f["column"], f["message"], f["rule"], f["why"])
                  for f in d["findings"])
a, b = key(named), key(unnamed)
for f in sorted(set(a) ^ set(b)):
    print("     %s %s:%d: %s -> %s" % ("named  " if f in a else "unnamed", f[0], f[1], f[3], f[4]))
sys.exit(0 if a == b and unnamed["go_version"] is None else 1)
PY
	echo "ok   --input without --go-version: the same $(grep -o '"rule"' "$tmp/findings.json" | wc -l | tr -d ' ') findings, the compiler told by the log"
else
	echo "FAIL --input without --go-version classified otherwise (above)"
	unnamed_status=1
fi

if ! "$ER_BIN" rules --format json >"$tmp/rules.json" 2>"$tmp/rules.err"; then
	echo "t30-rules: \`escape-review rules --format json\` failed: $(cat "$tmp/rules.err")" >&2
	exit 1
fi

docs_status=0
if "$ER_BIN" rules --format markdown >"$tmp/rules.md" 2>"$tmp/rules.err"; then
	if ! cmp -s "$tmp/rules.md" "$ER_SRC/docs/rules.md"; then
		echo "FAIL docs/rules.md differs from \`escape-review rules --format markdown\`:"
		diff -u "$ER_SRC/docs/rules.md" "$tmp/rules.md" | head -40
		docs_status=1
	else
		echo "ok   docs/rules.md matches the catalog"
	fi
else
	echo "FAIL \`escape-review rules --format markdown\` failed: $(cat "$tmp/rules.err")"
	docs_status=1
fi

python3 - "$fixtures" "$tmp/findings.json" "$tmp/rules.json" "$(go env GOVERSION)" <<'PY' || exit 1
import json, os, re, sys

fixtures, path, rules_path, goversion = sys.argv[1:5]
m = re.match(r"go1\.(\d+)", goversion)
if not m:
    print("FAIL cannot read the Go minor version from %r" % goversion)
    sys.exit(1)
minor = int(m.group(1))
catalog = {r["id"]: r for r in json.load(open(rules_path))}

def applies(lo, hi):
    return (not lo or minor >= lo) and (not hi or minor <= hi)

try:
    with open(path) as fp:
        findings = json.load(fp)["findings"]
except (ValueError, KeyError) as e:
    print("FAIL escape-review printed no JSON findings (%s)" % e)
    print("rules: 0 passed, 1 failed")
    sys.exit(1)

by_file = {}
for f in findings:
    by_file.setdefault(f["file"], set()).add((f["line"], f["rule"]))

want_re = re.compile(r"//\s*want\s+((?:ER\d{3}\s*)+)(?:\(go1\.(\d+)(\+|-1\.(\d+))\)\s*)?$")
passed = failed = 0
for rule in sorted(os.listdir(fixtures)):
    if not re.fullmatch(r"ER\d{3}", rule):
        continue
    entry = catalog.get(rule)
    if entry is None:
        print("FAIL %s: a fixture for a rule the catalog does not have" % rule)
        failed += 1
        continue
    rule_applies = applies(entry.get("go_min", 0), entry.get("go_max", 0))
    for kind in ("bad", "good"):
        d = os.path.join(fixtures, rule, kind)
        if not os.path.isdir(d):
            print("FAIL %s: no %s/ fixture" % (rule, kind))
            failed += 1
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".go"):
                continue
            rel = "%s/%s/%s" % (rule, kind, name)
            want = set()
            marks = 0
            with open(os.path.join(d, name)) as fp:
                for no, text in enumerate(fp, 1):
                    m = want_re.search(text.rstrip("\n"))
                    if not m:
                        continue
                    if rule in m.group(1).split():
                        marks += 1
                    lo = int(m.group(2)) if m.group(2) else 0
                    hi = int(m.group(4)) if m.group(4) else 0
                    if not applies(lo, hi) or not rule_applies:
                        continue  # expected NOT to fire on this compiler
                    for r in m.group(1).split():
                        want.add((no, r))
            got = by_file.get(rel, set())
            # only the fixture's own rule is checked; other rules may fire too
            got_own = {(l, r) for (l, r) in got if r == rule}
            want_own = {(l, r) for (l, r) in want if r == rule}
            if kind == "bad" and not marks:
                print("FAIL %s: no // want %s mark" % (rel, rule))
                failed += 1
            elif got_own == want_own:
                passed += 1
                if kind == "bad" and not want_own:
                    print("ok   %s: no %s on %s, as %s" % (rel, rule, goversion,
                          "its marks say" if rule_applies else
                          "the rule applies to Go 1.%s to 1.%s" % (
                              entry.get("go_min", 19), entry.get("go_max") or "26")))
            else:
                failed += 1
                missing = sorted(want_own - got_own)
                extra = sorted(got_own - want_own)
                print("FAIL %s: missing %s, unexpected %s" % (
                    rel, [l for l, _ in missing], [l for l, _ in extra]))
                for (l, r) in extra + missing:
                    for f in findings:
                        if f["file"] == rel and f["line"] == l:
                            print("     %d: %s -> %s (%s)" % (l, f["message"], f["rule"], f["why"]))
print("rules: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
[ "$unnamed_status" -eq 0 ] || exit 1
exit $docs_status
