#!/bin/sh
# t70-report: --profile weighting with a heap profile recorded from the
# bundled example's benchmark (examples/campus/bench), checked against
# `go tool pprof -top -lines` on the same file; the release report
# (report --format json|markdown|html) against the default review of the
# same revisions; --all-packages with --base; hostile names in the HTML.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/campus" >/dev/null
cd "$TMP/campus"
git checkout -q c4

# --- a heap profile of the benchmark at c4: NewStudent runs 64 times per request, Count once
cp "$ER_SRC/examples/campus/bench/scores_test.go" campus/scores_test.go
go test -run '^$' -bench . -benchtime 2000x -memprofilerate 1 -memprofile "$TMP/mem.out" \
	-o "$TMP/campus.test" ./campus >"$TMP/bench.log" 2>&1
expect_eq "the benchmark ran and wrote its heap profile" "$?:$(test -s "$TMP/mem.out" && echo yes)" "0:yes"
rm campus/scores_test.go
# the exact bytes pprof itself counts at a line ("flat", in bytes)
pprof_flat() {
	go tool pprof -top -lines -unit=B -nodefraction=0 -nodecount=0 -sample_index="$2" "$TMP/mem.out" 2>/dev/null |
		awk -v loc="campus/scores.go:$1" '$0 ~ loc"( |$)" { sub(/B$/, "", $1); print $1 }'
}
hot_bytes=$(pprof_flat 30 alloc_space)
cold_bytes=$(pprof_flat 23 alloc_space)
hot_objects=$(pprof_flat 30 alloc_objects)
expect_eq "pprof counts bytes at both escapes' lines" \
	"$([ "${hot_bytes:-0}" -gt 100000 ] && [ "${cold_bytes:-0}" -gt 0 ] && echo yes)" "yes"

er --base c1 --head c4 --format json
cp "$TMP/out" "$TMP/plain.json"
er --base c1 --head c4 --profile "$TMP/mem.out" --format json
expect_rc "review --profile" 1
expect_eq "weighted: the hot escape first, its bytes and objects as pprof counts them, raised warning -> error" \
	"$(json_get "$TMP/out" "'|'.join('%s:%d:%s:%s:%s:%d:%d' % (f['function'], f['line'], f['message'], f['severity'], f['hot'], f['alloc_bytes'], f['alloc_objects']) for f in d['findings'][:2])")" \
	"NewStudent:30:moved to heap: s:error:True:$hot_bytes:$hot_objects|Count:23:moved to heap: x:warning:False:$cold_bytes:$(pprof_flat 23 alloc_objects)"
expect_eq "without the profile the same escape is a warning, in line order" \
	"$(json_get "$TMP/plain.json" "[(f['function'], f['severity']) for f in d['findings']][:3]")" \
	"[('keep', 'info'), ('Count', 'warning'), ('NewStudent', 'warning')]"
expect_eq "the rest weigh nothing and keep their order; the weights are shares of the profile" \
	"$(json_get "$TMP/out" "([f['function'] for f in d['findings'][2:]], [f['weight'] for f in d['findings'][2:]], 0.9 < d['findings'][0]['weight'] <= 1)")" \
	"(['keep', 'CalcAvgScore'], [0, 0], True)"
expect_eq "the summary counts what matched" \
	"$(json_get "$TMP/out" "(d['summary']['profile']['hot'], d['summary']['profile']['findings_unmatched'], d['summary']['profile']['profile_lines_unmatched'] > 0, d['summary']['by_severity'])")" \
	"(1, 2, True, {'info': 1, 'warning': 2, 'error': 1})"
er --base c1 --head c4 --profile "$TMP/mem.out"
expect_grep "text: the hot finding says so, with its bytes" \
	"^campus/scores.go:30:2: \[ER010 error\] moved to heap: s (hot) \[.*% of the profile: $hot_bytes bytes in $hot_objects objects\]" "$TMP/out"
expect_grep "text: what matched nothing" "^escape-review: profile: 1 hot (at or above 1% of the profile), 2 findings matched nothing in the profile" "$TMP/out"
# findings the baseline hides are weighted too: what they match is not
# "matched no finding", and a hot one says so
er --base c1 --head c4 --profile "$TMP/mem.out" --format json
unmatched=$(json_get "$TMP/out" "d['summary']['profile']['profile_lines_unmatched']")
er baseline update
er --base c1 --head c4 --profile "$TMP/mem.out" --format json
expect_eq "baseline: nothing listed; the profile's lines matched as before; the hot one counted" \
	"$(json_get "$TMP/out" "(len(d['findings']), d['summary']['baseline'], d['summary']['profile']['hot'], d['summary']['profile']['profile_lines_unmatched'], d['summary']['profile']['hot_in_baseline'])")" \
	"(0, 4, 0, $unmatched, 1)"
er --base c1 --head c4 --profile "$TMP/mem.out"
expect_grep "text: the hot finding in the baseline" \
	"^escape-review: profile: 0 hot (at or above 1% of the profile), 0 findings matched nothing in the profile, $unmatched allocating lines of the profile matched no finding; 1 hot finding is in the baseline (--show-baseline lists them)$" "$TMP/out"
rm .escape-baseline.json
printf '{ "profile": { "hot_share": "100%%" } }\n' >.escape-review.json
er --base c1 --head c4 --profile "$TMP/mem.out"
expect_rc "profile.hot_share 100% in .escape-review.json: nothing hot, nothing raised" 0
rm .escape-review.json
er --base c1 --head c4 --profile go.mod
expect_rc "a file that is not a profile" 2
expect_grep "says which file and what pprof said" "^escape-review: --profile go.mod: go tool pprof cannot read it: .*go.mod: parsing profile" "$TMP/err"
er --base c1 --head c4 --profile "$TMP/missing.out"
expect_rc "a missing profile" 2
er --base c1 --head c4 --hot-share 0
expect_rc "--hot-share 0" 2
expect_eq "--hot-share 0: what it takes" "$(cat "$TMP/err")" "escape-review: --hot-share takes a share of the profile above 0 and at most 100%, as \"1%\" or \"0.01\", not '0'"

# --- --all-packages with --base: the default review's statuses, counts and fingerprints
prints() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print(d["mode"], s["new"], s["fixed"], s["existing"],
      sorted(f["fingerprint"] for f in d["findings"] if f["status"] == "new"),
      sorted(f["fingerprint"] for f in d["fixed"]))
PY
}
for range in "c1 c2" "c2 c3"; do
	set -- $range
	er --base "$1" --head "$2" --format json
	prints "$TMP/out" >"$TMP/default"
	cp "$TMP/out" "$TMP/default.json"
	er --base "$1" --head "$2" --all-packages --format json
	expect_eq "--all-packages --base $1 --head $2 = the default review" "$(prints "$TMP/out")" "$(cat "$TMP/default")"
	er report --base "$1" --head "$2" --format json
	expect_rc "report $1..$2" 0
	cp "$TMP/out" "$TMP/report-$1-$2.json"
	expect_eq "report --format json $1..$2: new and fixed = the default review's" \
		"$(json_get "$TMP/out" "([(f['fingerprint'], f['location']) for f in d['new']], [(f['fingerprint'], f['location']) for f in d['fixed']])")" \
		"$(json_get "$TMP/default.json" "([(f['fingerprint'], f['file'] + ':' + str(f['line'])) for f in d['findings']], [(f['fingerprint'], f['file'] + ':' + str(f['line'])) for f in d['fixed']])")"
done
expect_eq "--all-packages --base says how many packages it analysed" "$(json_get "$TMP/report-c2-c3.json" "d['packages']")" "1"

# --- the report of c2..c3 (the article's fix): per rule, per package
expect_eq "report c2..c3: per package and per rule" \
	"$(json_get "$TMP/report-c2-c3.json" "([(p['package'], p['new'], p['fixed'], p['existing']) for p in d['package_rows']], [(r['rule'], r['new'], r['fixed'], r['existing']) for r in d['rules']], d['report']['base_rev'], d['report']['head_rev'])")" \
	"([('example.com/campus/campus', 1, 1, 3)], [('ER001', 1, 1, 0), ('ER010', 0, 0, 1), ('ER012', 0, 0, 1), ('ER035', 0, 0, 1)], 'c2', 'c3')"
er report --base c2 --head c3 --format markdown
expect_grep "markdown: the totals" '^\*\*1\*\* new, \*\*1\*\* fixed, \*\*3\*\* existing\.$' "$TMP/out"
er report --base c2 --head c3 --format pdf
expect_rc "report --format pdf" 2
er report --head c3
expect_rc "report without --base" 2

# --- the report with the profile: the hot map and the top findings
er report --base c1 --head c4 --profile "$TMP/mem.out" --format json
expect_eq "report --profile: top findings and hot map cells" \
	"$(json_get "$TMP/out" "([(f['function'], f['size'], f['hot']) for f in d['top']], [(c['function'], c['fill']) for c in d['hotmap']['cells']])")" \
	"$(python3 -c "
def size(b):
    u = 0
    while b >= 1024 and u < 4:
        b /= 1024; u += 1
    return ('%.1f %s' if u else '%.0f %s') % (b, ['B', 'KiB', 'MiB', 'GiB', 'TiB'][u])
print(([('NewStudent', size($hot_bytes), True), ('Count', size($cold_bytes), False)], [('NewStudent', '#c0392b'), ('Count', '#c0392b')]))")"
er report --base c1 --head c4 --profile "$TMP/mem.out" --format html
expect_rc "report --format html" 0
cp "$TMP/out" "$TMP/report.html"
python3 "$ER_SRC/tests/e2e/check_html.py" "$TMP/report.html" >"$TMP/check" 2>&1
expect_eq "HTML: only known tags, no script, no external URL but the rule docs" "$?:$(cat "$TMP/check")" "0:ok"
expect_grep "HTML: the hot map's cell" '<title>example.com/campus/campus.NewStudent: ' "$TMP/report.html"
# the template previews with `render` over the JSON document
er report --base c1 --head c4 --profile "$TMP/mem.out" --format json
cp "$TMP/out" "$TMP/report.json"
er render "$ER_SRC/templates/report.html.mustache" --data "$TMP/report.json"
expect_eq "render previews the same page" "$(cmp "$TMP/out" "$TMP/report.html" >/dev/null && echo same)" "same"

# --- hostile names: a file name with markup, on two tags
new_repo "$TMP/hostile"
cd "$TMP/hostile"
printf 'module example.com/h\n\ngo 1.19\n' >go.mod
mkdir p
printf 'package p\n\nfunc F() int {\n\treturn 1\n}\n' >p/p.go
commit_all . one && git tag v1.0.0
printf 'package p\n\nfunc G() *int {\n\tx := 1\n\treturn &x\n}\n' >'p/a<img src=x onerror=alert(1)>&amp;.go'
commit_all . two && git tag v1.1.0
er report --base v1.0.0 --head v1.1.0 --format html
expect_rc "report on hostile names" 0
python3 "$ER_SRC/tests/e2e/check_html.py" "$TMP/out" 'p/a<img src=x onerror=alert(1)>&amp;.go:4' >"$TMP/check" 2>&1
expect_eq "HTML: the markup in the file name is text, shown as written" "$?:$(cat "$TMP/check")" "0:ok"

finish
