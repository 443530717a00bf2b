#!/bin/sh
# t21-trust: what a team must be able to trust.  Distinct subjects keep
# distinct fingerprints (`fixed` never lists a finding that is still there),
# `baseline update` never loses entries it did not re-analyse, --input never
# drops every finding silently, and the base cache is keyed by a digest,
# checked on read and locked against concurrent runs.
. "$(dirname "$0")/lib.sh"

# fixed LIST: "file:line:message" of the JSON output's fixed findings
fixed_list() { python3 -c 'import json,sys; [print("%s:%d:%s" % (f["file"], f["line"], f["message"])) for f in json.load(open(sys.argv[1]))["fixed"]]' "$TMP/out"; }

# --- fingerprints: b[:2] and c[:3] are different findings
new_repo "$TMP/slices"
cd "$TMP/slices"
printf 'module example.com/m\n\ngo 1.19\n' >go.mod
cat >slices.go <<'GO'
package m

import "fmt"

func F(b, c []byte) {
	fmt.Println(b[:2])
	fmt.Println(c[:3])
}
GO
commit_all . base
sed -i '/b\[:2\]/d' slices.go
commit_all . "drop the first print"
er --base HEAD~1 --format json
expect_rc "slices: review" 0
fixed_list >"$TMP/fixed"
expect_grep "slices: the deleted print is fixed" '^slices.go:6:b\[:2\] escapes to heap$' "$TMP/fixed"
expect_no_grep "slices: the print still there is not" 'c\[:3\]' "$TMP/fixed"
expect_eq "slices: the c[:3] finding is existing" \
	"$(json_get "$TMP/out" "(d['summary']['new'], d['summary']['existing'] >= 1)")" "(0, True)"

finish
