#!/bin/sh
# Review comments from templates, and the machine formats: the seed
# example's rendered summary, inline comments, status line, SARIF, rdjson
# and workflow commands against tests/golden/ (commit ids, the go version
# and the temp path normalised); SARIF against the 2.1.0 schema; hostile
# file names and messages inert in the Markdown; the cut at
# --max-comment-bytes; template errors; `render` on the Mustache spec's
# own examples.  ER_UPDATE_GOLDEN=1 rewrites the golden files instead of
# comparing (read the diff before committing it).
. "$(dirname "$0")/lib.sh"

# one set of golden files per compiler: columns and the -m=2 chains differ
# between Go 1.19 (the oldest supported) and 1.26 (the newest)
GOLDEN=$ER_SRC/tests/golden/go1.$GO_MINOR
if [ ! -d "$GOLDEN" ] && [ "${ER_UPDATE_GOLDEN:-0}" != 1 ]; then
	echo "t60: no golden files for go1.$GO_MINOR under tests/golden (tested: go1.19, go1.26)" >&2
	exit 1
fi
SPEC=${ER_MUSTACHE_SPEC:-$ER_SRC/tests/data/mustache-spec}
SCHEMA=${ER_SARIF_SCHEMA:-$ER_SRC/tests/data/sarif/sarif-schema-2.1.0.json}
# Debian's python3 has python3-jsonschema; a pyenv python3 first on PATH may not
PY_SCHEMA=/usr/bin/python3
[ -x "$PY_SCHEMA" ] || PY_SCHEMA=python3
unset ESCAPE_REVIEW_TEMPLATES

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/c" >/dev/null 2>&1
GOVERSION=$(go env GOVERSION)

# normalise FILE: commit ids, the go version and the work tree's path
normalise() {
	sed_args=""
	for t in c1 c2 c3 c4; do
		full=$(git -C "$TMP/c" rev-parse "$t")
		T=$(echo "$t" | tr c C)
		sed_args="$sed_args -e s/$full/${T}SHA/g -e s/$(echo "$full" | cut -c1-12)/${T}SHORT/g"
	done
	# shellcheck disable=SC2086
	sed $sed_args -e "s/$GOVERSION/GOVERSION/g" \
		-e "s|file://$TMP/c/|file:///SRCROOT/|g" -e "s|$(go env GOROOT)/|GOROOT/|g" "$1"
}

# golden DESC NAME FILE: compare the normalised FILE with tests/golden/NAME
golden() {
	normalise "$3" >"$TMP/normalised"
	if [ "${ER_UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$GOLDEN"
		cp "$TMP/normalised" "$GOLDEN/$2"
		ok "$1 (golden $2 written)"
	elif cmp -s "$TMP/normalised" "$GOLDEN/$2"; then
		ok "$1"
	else
		bad "$1: differs from tests/golden/go1.$GO_MINOR/$2"
		diff -u "$GOLDEN/$2" "$TMP/normalised" | head -30 | sed 's/^/    /'
	fi
}

# --- the seed example, c1..c2 (four new) and c2..c3 (one new, one fixed) ---
cd "$TMP/c" || exit 1
for range in c1-c2 c2-c3; do
	base=${range%-*}
	head=${range#*-}
	git checkout -q "$head"
	for fmt in markdown:summary.md comments:inline.md status:status.txt sarif:sarif.json \
		rdjson:rdjson.json github-actions:github-actions.txt; do
		er --base "$base" --format "${fmt%%:*}"
		expect_rc "$range --format ${fmt%%:*}" 0
		cp "$TMP/out" "$TMP/$range.${fmt#*:}"
		golden "$range --format ${fmt%%:*}" "$range.${fmt#*:}" "$TMP/out"
	done
done

# the raw summary is what a terminal, an e-mail notification and GitLab's API
# show: paths and compiler messages verbatim (code spans), no entities
expect_grep "raw summary: the location verbatim in a code span" '^| warning | `campus/score\.go:20` | `moved to heap: x` | `Count` | ER012 |$' "$TMP/c1-c2.summary.md"
expect_eq "raw summary: campus/score.go:20 and moved to heap: x as written, no &#" \
	"$(grep -c -F 'campus/score.go:20' "$TMP/c1-c2.summary.md") $(grep -c -F 'moved to heap: x' "$TMP/c1-c2.summary.md") $(grep -c '&#' "$TMP/c1-c2.summary.md")" "2 2 0"
expect_no_grep "raw inline comments: no &#" '&#' "$TMP/c1-c2.inline.md"
expect_eq "c2-c3 status line" "$(cat "$TMP/c2-c3.status.txt")" "1 new heap allocation (1 warning), 1 fixed"
expect_eq "c1-c2 status line" "$(cat "$TMP/c1-c2.status.txt")" "4 new heap allocations (3 warnings, 1 info)"

# --- the summary as HTML (GitHub's cmark-gfm, when installed) ---
if command -v cmark-gfm >/dev/null 2>&1; then
	cmark-gfm --unsafe -e table -e tasklist "$TMP/c1-c2.summary.md" >"$TMP/summary.html"
	expect_eq "HTML: two tables, four folded chains, four checklist boxes" \
		"$(grep -c '<table>' "$TMP/summary.html") $(grep -c '^<details>' "$TMP/summary.html") $(grep -c 'type="checkbox"' "$TMP/summary.html")" \
		"2 4 4"
	expect_no_grep "HTML: no doubly escaped text" '&amp;#' "$TMP/summary.html"
	expect_grep "HTML: a table cell holds the location as code" '^<td><code>campus/score.go:39</code></td>$' "$TMP/summary.html"
else
	echo "  (cmark-gfm not installed: the HTML checks are skipped)"
fi

# --- SARIF against the 2.1.0 schema (and the validator rejects a broken one) ---
validate_sarif() {
	"$PY_SCHEMA" - "$SCHEMA" "$1" "${2:-}" <<'PY'
import json, sys
try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(2)
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
if sys.argv[3] == "break":
    doc["runs"][0]["results"][0]["level"] = "fatal"
cls = jsonschema.validators.validator_for(schema)
errors = list(cls(schema).iter_errors(doc))
for e in errors[:5]:
    print("%s at %s" % (e.message, "/".join(str(p) for p in e.absolute_path)))
sys.exit(1 if errors else 0)
PY
}
for range in c1-c2 c2-c3; do
	if validate_sarif "$TMP/$range.sarif.json" >"$TMP/schema.log" 2>&1; then
		ok "$range SARIF is valid against sarif-schema-2.1.0.json"
	else
		bad "$range SARIF against the schema: $(cat "$TMP/schema.log")"
	fi
done
validate_sarif "$TMP/c1-c2.sarif.json" break >"$TMP/schema.log" 2>&1
expect_eq "the schema check rejects a result with level 'fatal'" "$?" 1

# --- hostile file names and messages ---
H=$TMP/h
HF='p/a_*b*_@here_#1_`x`_<script>_|.go'
new_repo "$H"
mkdir -p "$H/p"
printf 'module example.com/h\n\ngo 1.19\n' >"$H/go.mod"
printf 'package p\n\nfunc A() int { return 1 }\n' >"$H/$HF"
commit_all "$H" base
cat >"$H/$HF" <<'EOF'
package p

import "log"

type T struct{ n int }

func NewT() *T {
	t := T{n: 1}
	return &t
}

func Log(é int) {
	log.Printf("<script>alert(1)</script> @here #123 *x* `y` | z", é)
}
EOF
commit_all "$H" hostile
cd "$H" || exit 1
er --base HEAD~1 --format markdown
expect_rc "hostile: --format markdown" 0
cp "$TMP/out" "$TMP/hostile.md"
# the name and messages go in code spans: verbatim (a '|' as '\|' in a
# table row), fenced by a backtick run longer than the name's `x`
expect_grep "hostile: the table row, file name in a code span" \
	'^| warning | ``p/a_\*b\*_@here_#1_`x`_<script>_\\|\.go:8`` | `moved to heap: t` | `NewT` | ER010 |$' "$TMP/hostile.md"
python3 "$ER_SRC/tests/e2e/check_md.py" code "$TMP/hostile.md" >"$TMP/hostile.code"
python3 "$ER_SRC/tests/e2e/check_md.py" prose "$TMP/hostile.md" >"$TMP/hostile.prose"
expect_eq "hostile: the code spans show the name as it is (the row and the <summary>; the chains)" \
	"$(grep -c -F -x "$HF:8" "$TMP/hostile.code") $(grep -F 'p/a_' "$TMP/hostile.code" | grep -v -c -F -x -e "$HF:8" -e "$HF:9" -e "$HF:13")" "2 0"
# Go 1.19 shows the call to log.Printf; newer compilers inline it and show
# the assignment of its parameters
expect_grep "hostile: the message's literal verbatim in the chain's code span" \
	"^$(by_go 'from log\.Printf(' 'from log\.format, log\.v := ')"'"<script>alert(1)</script> @here #123 \*x\* `y` | z"' \
	"$TMP/hostile.code"
expect_grep "hostile: UTF-8 names kept" '^| warning | .* | `é escapes to heap` | `Log` | ER001 |$' "$TMP/hostile.md"
expect_grep "hostile: in the <summary> line (HTML), <code> with HTML's escapes" \
	'^<summary><code>p/a_\*b\*_@here_#1_`x`_&lt;script&gt;_|\.go:8</code>: <code>moved to heap: t</code> (ER010)</summary>$' "$TMP/hostile.md"
# outside the code spans (what Markdown acts on) nothing of the data is markup
expect_no_grep "hostile: no <script> tag" '\(^\|[^\\]\)<script' "$TMP/hostile.prose"
expect_no_grep "hostile: no @here mention" '@here' "$TMP/hostile.prose"
expect_no_grep "hostile: no #1 or #123 reference" '#1' "$TMP/hostile.prose"
expect_grep "hostile: @here in prose (the sentence) with a zero width space" "@$(printf '\342\200\213')here" "$TMP/hostile.prose"
expect_no_grep "hostile: no backtick from data" '`x`\|`y`' "$TMP/hostile.prose"
expect_no_grep "hostile: no * from data" '\(^\|[^\\]\)\*[xb]' "$TMP/hostile.prose"
expect_no_grep "hostile: no character references" '&#' "$TMP/hostile.md"
# every table row has its five cells: a '|' in data did not add one
expect_eq "hostile: table rows keep 5 cells" \
	"$(grep '^| warning' "$TMP/hostile.md" >"$TMP/rows"; python3 "$ER_SRC/tests/e2e/check_md.py" cells "$TMP/rows" | sort -u)" 5
if command -v cmark-gfm >/dev/null 2>&1; then
	cmark-gfm --unsafe -e table -e autolink -e strikethrough -e tasklist "$TMP/hostile.md" >"$TMP/hostile.html"
	expect_grep "hostile HTML: the name in a table cell's <code>" \
		'^<td><code>p/a_\*b\*_@here_#1_`x`_&lt;script&gt;_|\.go:8</code></td>$' "$TMP/hostile.html"
	expect_no_grep "hostile HTML: no <script> element" '<script' "$TMP/hostile.html"
	expect_eq "hostile HTML: links only to the rule catalog" \
		"$(grep -o '<a href="[^"]*"' "$TMP/hostile.html" | grep -v -c '^<a href="https://github.com/escape-review/escape-review/blob/main/docs/rules.md#er0[0-9][0-9]"$')" 0
	expect_eq "hostile HTML: no emphasis or strikethrough" "$(grep -c '<em>\|<del>' "$TMP/hostile.html")" 0
	# random hostile values as code and prose, in a table row, a list item
	# and a <summary>: each shows exactly as written, and no tag comes of them
	mkdir -p "$TMP/roundtrip"
	python3 "$ER_SRC/tests/e2e/md_roundtrip.py" "$ER_BIN" 11 "$TMP/roundtrip" >"$TMP/roundtrip.log" 2>&1
	expect_eq "Markdown round trip through cmark-gfm: $(tail -1 "$TMP/roundtrip.log")" "$?" 0
	[ -s "$TMP/roundtrip.log" ] && grep -q ' 0 problems$' "$TMP/roundtrip.log" || sed 's/^/    /' "$TMP/roundtrip.log" | head -20
else
	echo "  (cmark-gfm not installed: the hostile names' HTML checks are skipped)"
fi
er --base HEAD~1 --format comments
expect_grep "hostile: inline comment header names the file" "^==> $(printf '%s' "$HF" | sed 's/[*|]/\\&/g'):13\$" "$TMP/out"
grep -v '^==> ' "$TMP/out" >"$TMP/bodies.md"
python3 "$ER_SRC/tests/e2e/check_md.py" prose "$TMP/bodies.md" >"$TMP/bodies.prose"
expect_no_grep "hostile: inline comment bodies, no <script> outside code" '\(^\|[^\\]\)<script' "$TMP/bodies.prose"
expect_no_grep "hostile: inline comment bodies, no @here outside code" '@here' "$TMP/bodies.prose"
expect_grep "hostile: inline comment, the message and function as code" \
	'^`moved to heap: t` in `NewT`: the address of t is returned at ' "$TMP/bodies.md"
er --base HEAD~1 --format github-actions
expect_grep "hostile: workflow command properties escaped" \
	"^::warning file=$(printf '%s' "$HF" | sed 's/[*|]/\\&/g'),line=8,col=2,title=ER010 Address of a local variable returned::moved to heap: t (in NewT): the address of t is returned at " "$TMP/out"
er --base HEAD~1 --format sarif
cp "$TMP/out" "$TMP/hostile.sarif.json"
expect_eq "hostile: SARIF artifact URI percent-encoded" \
	"$(json_get "$TMP/hostile.sarif.json" 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]')" \
	'p/a_%2Ab%2A_%40here_%231_%60x%60_%3Cscript%3E_%7C.go'
if validate_sarif "$TMP/hostile.sarif.json" >"$TMP/schema.log" 2>&1; then
	ok "hostile: SARIF valid"
else
	bad "hostile: SARIF against the schema: $(cat "$TMP/schema.log")"
fi

# workflow command escaping of messages and properties: % \r \n , :
mkdir -p "$H/q"
printf 'package q\n' >"$H/q/x,y:z%%.go"
commit_all "$H" q-base
cat >"$H/q/x,y:z%.go" <<'EOF'
package q

import "fmt"

func F(n int) string { return fmt.Sprintf("100%\r\nx", n) }
EOF
commit_all "$H" q
er --base HEAD~1 --format github-actions
expect_out "workflow commands: '%' ',' ':' CR LF escaped" \
	'::warning file=q/x%2Cy%3Az%25.go,line=5,col='"$(by_go 43 56)"',title=ER001 Argument boxed for fmt%2C log or errors::n escapes to heap (in F): n is boxed into an interface to be passed to fmt.Sprintf at x,y:z%25.go:5%0AFix: Format with strconv.Append*/strconv.Itoa into a reused buffer, use a logger with typed fields, or check the log level before building the arguments; on a hot path log less.'

# --- the cut at --max-comment-bytes ---
cd "$H" || exit 1
git checkout -q HEAD~2
full=$(er --base HEAD~1 --format markdown; wc -c <"$TMP/out")
cut_fail=""
for n in 256 300 700 1000 1500 2222 $((full - 1)); do
	er --base HEAD~1 --format markdown --max-comment-bytes "$n"
	python3 - "$TMP/out" "$n" >"$TMP/cut.log" 2>&1 <<'PY' || cut_fail="$cut_fail $n: $(cat "$TMP/cut.log")"
import sys
data = open(sys.argv[1], "rb").read()
n = int(sys.argv[2])
assert len(data) <= n, "%d bytes > %d" % (len(data), n)
text = data.decode("utf-8")  # raises on a cut UTF-8 sequence
lines = text.rstrip("\n").split("\n")
assert lines[-1].startswith("*Cut to fit %d bytes: the last " % n), lines[-1]
assert lines[-2] == "", "no blank line before the note"
for l in lines:
    if l.startswith("|"):
        assert l.endswith("|"), "cut table row: " + l
PY
done
expect_eq "cut: every size fits, valid UTF-8, whole rows, note last" "$cut_fail" ""
er --base HEAD~1 --format markdown --max-comment-bytes 1000
expect_grep "cut: the note says what was left out" "^\*Cut to fit 1000 bytes: the last [0-9]* of $full bytes are left out; \`escape-review --format json\` lists every finding\.\*\$" "$TMP/out"
er --base HEAD~1 --format markdown --max-comment-bytes 10
expect_rc "cut: --max-comment-bytes below 256" 2
git checkout -q -

# --- template directories: override, errors ---
cd "$TMP/c" || exit 1
git checkout -q c2
T=$TMP/tmpl
mkdir -p "$T"
er --base c1 --format markdown --template-dir "$T"
expect_rc "missing template" 2
expect_eq "missing template: message" "$(cat "$TMP/err")" \
	"escape-review: template summary.md.mustache not found (template directory $T)"
printf '# {{summary.new}} new\n{{> row.md}}\n' >"$T/summary.md.mustache"
er --base c1 --format markdown --template-dir "$T"
expect_rc "missing partial" 2
expect_eq "missing partial: message" "$(cat "$TMP/err")" \
	"escape-review: template summary.md.mustache:2: partial 'row.md' not found (template directory $T)"
printf '{{#new}}\n- {{location}} {{message}}\n{{/new}}\n' >"$T/row.md.mustache"
er --base c1 --format markdown --template-dir "$T"
expect_out "a template directory of one's own, with a partial" "# 4 new
- campus/score.go:14 leaking param: p
- campus/score.go:20 moved to heap: x
- campus/score.go:27 moved to heap: s
- campus/score.go:39 result escapes to heap"
printf 'a\n{{#has_new}}\nb\n' >"$T/status.txt.mustache"
er --base c1 --format status --template-dir "$T"
expect_rc "unclosed section" 2
expect_eq "unclosed section: message" "$(cat "$TMP/err")" \
	"escape-review: template status.txt.mustache:2: section 'has_new' is not closed (template directory $T)"
printf '{{summary.new}} new: {{#new}}{{message}}; {{/new}}' >"$T/status.txt.mustache"
ESCAPE_REVIEW_TEMPLATES=$T er --base c1 --format status
expect_out "ESCAPE_REVIEW_TEMPLATES; .txt is not escaped" "4 new: leaking param: p; moved to heap: x; moved to heap: s; result escapes to heap; "
mkdir -p "$TMP/c/.github/er"
printf 'config: {{summary.new}}' >"$TMP/c/.github/er/status.txt.mustache"
printf '{ "template_dir": ".github/er" }\n' >"$TMP/c/.escape-review.json"
er -C campus --base c1 --format status
expect_out "config template_dir, relative to the repository root" "config: 4"
er -C campus --base c1 --format status --template-dir "$T"
expect_out "--template-dir overrides the configuration" "4 new: leaking param: p; moved to heap: x; moved to heap: s; result escapes to heap; "
rm -rf "$TMP/c/.escape-review.json" "$TMP/c/.github"

# --- render: the Mustache spec's own examples ---
python3 - "$SPEC" "$TMP/spec" <<'PY'
import json, os, sys
spec, out = sys.argv[1], sys.argv[2]
n = 0
for mod in ("comments", "delimiters", "interpolation", "inverted", "partials", "sections"):
    for i, t in enumerate(json.load(open(os.path.join(spec, mod + ".json")))["tests"]):
        if mod == "partials" and t["name"] == "Failed Lookup":
            continue  # render refuses a missing partial (tested below)
        d = os.path.join(out, "%s-%02d" % (mod, i))
        os.makedirs(os.path.join(d, "partials"))
        open(os.path.join(d, "t.mustache"), "w").write(t["template"])
        json.dump(t["data"], open(os.path.join(d, "data.json"), "w"))
        open(os.path.join(d, "expected"), "w").write(t["expected"])
        open(os.path.join(d, "name"), "w").write(t["name"])
        for k, v in t.get("partials", {}).items():
            open(os.path.join(d, "partials", k + ".mustache"), "w").write(v)
        n += 1
print(n)
PY
spec_ok=0
spec_bad=""
for d in "$TMP"/spec/*; do
	"$ER_BIN" render "$d/t.mustache" --data "$d/data.json" --partials "$d/partials" >"$d/actual" 2>"$d/err"
	if [ $? = 0 ] && cmp -s "$d/actual" "$d/expected"; then
		spec_ok=$((spec_ok + 1))
	else
		spec_bad="$spec_bad $(basename "$d") ($(cat "$d/name"))"
	fi
done
expect_eq "render: every spec example but Failed Lookup ($spec_ok)" "$spec_bad" ""
[ "$spec_ok" -ge 100 ] && ok "render: $spec_ok spec examples rendered" || bad "render: only $spec_ok spec examples"
d=$(grep -l '^Standalone Indentation$' "$TMP"/spec/partials-*/name | xargs dirname)
er render "$d/t.mustache" --data "$d/data.json" --partials "$d/partials"
expect_eq "render: a partial through --partials (Standalone Indentation)" "$(cat "$TMP/out")" "$(cat "$d/expected")"
er render "$d/t.mustache" --data "$d/data.json" --partials "$TMP/nowhere"
expect_rc "render: missing partial" 2
expect_eq "render: missing partial message" "$(cat "$TMP/err")" \
	"escape-review: template $d/t.mustache:2: partial 'partial' not found (partials directory $TMP/nowhere)"
printf '{{#a}}' >"$TMP/unclosed.md.mustache"
printf '{}' >"$TMP/empty.json"
er render "$TMP/unclosed.md.mustache" --data "$TMP/empty.json"
expect_eq "render: unclosed section" "$rc $(cat "$TMP/err")" \
	"2 escape-review: template $TMP/unclosed.md.mustache:1: section 'a' is not closed"
printf '{"a": [1, 2' >"$TMP/bad.json"
er render "$TMP/unclosed.md.mustache" --data "$TMP/bad.json"
expect_eq "render: bad data" "$rc $(cat "$TMP/err")" "2 escape-review: data $TMP/bad.json:1:11: not valid JSON"
printf '{"x": "*a* <b> & `c`"}' >"$TMP/x.json"
printf '{{x}} {{`x}}' >"$TMP/x.md.mustache"
printf '{{x}}' >"$TMP/x.txt.mustache"
printf '{{x}}' >"$TMP/x.mustache"
er render "$TMP/x.md.mustache" --data "$TMP/x.json"
expect_out "render: .md escapes prose for Markdown, code as a code span" '\*a\* \<b> & \`c\` `` *a* <b> & `c` ``'
er render "$TMP/x.txt.mustache" --data "$TMP/x.json"
expect_out "render: .txt does not escape" '*a* <b> & `c`'
er render "$TMP/x.mustache" --data "$TMP/x.json"
expect_out "render: others escape for HTML" '*a* &lt;b&gt; &amp; `c`'
er render "$TMP/x.mustache" --data "$TMP/x.json" --escape none
expect_out "render: --escape overrides" '*a* <b> & `c`'
er render "$TMP/x.mustache" --data "$TMP/x.json" --escape rtf
expect_eq "render: unknown --escape" "$rc" 2
er render "$TMP/x.mustache"
expect_eq "render: --data is required" "$rc" 2
head -c 70000000 /dev/zero | tr '\0' ' ' >"$TMP/huge.json"
er render "$TMP/x.mustache" --data "$TMP/huge.json"
expect_eq "render: data over the bound" "$rc $(cat "$TMP/err")" \
	"2 escape-review: data $TMP/huge.json is larger than 67108864 bytes"

finish
