#!/bin/sh
# t28-equal-files: new mode's review of the work tree reads only the files
# the change touched when the base's cached analysis kept its build's file
# digests: a file the change left alone whose lines go printed as at base
# has the base's findings (existing).  When such a file prints otherwise
# (the change made a finding there), the head's output is read whole.
# Either way the JSON is the one a review that reads every file gives.
. "$(dirname "$0")/lib.sh"

new_repo "$TMP/m"
cd "$TMP/m"
printf 'module example.com/m\n\ngo 1.19\n' >go.mod
mkdir p
cat >p/a.go <<'GO'
package p

var sink *int

// Keep reads through x.
func Keep(x *int) int {
	return *x
}
GO
cat >p/b.go <<'GO'
package p

// UseKeep passes the address of a local to Keep.
func UseKeep() int {
	v := 1
	return Keep(&v)
}

// B returns the address of a local.
func B() *int {
	b := 2
	return &b
}
GO
cat >p/c.go <<'GO'
package p

// C returns the address of a local.
func C() *int {
	c := 3
	return &c
}
GO
commit_all . base
go_counter
builds() { grep -c '^build ' "$TMP/go-calls"; }
# findings as "file:line:function:message:status", then the counts
summary() {
	python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print("%s:%d:%s:%s:%s" % (f["file"], f["line"], f["function"], f["message"], f["status"]))
s = d["summary"]
print("new=%d fixed=%d existing=%d" % (s["new"], s["fixed"], s["existing"]))
PY
}

# a function added to a.go: b.go and c.go print what they printed at base
cat >>p/a.go <<'GO'

// A2 returns the address of a local.
func A2() *int {
	a := 4
	return &a
}
GO
er --format json -v
expect_rc "first review (its base built)" 0
expect_no_grep "first review: no digests yet, nothing taken from the base" \
	"printed what the base" "$TMP/err"
expect_eq "first review: the base's file digests kept beside its entry" \
	"$(ls -a .git/escape-review/cache | grep -c '^\..*\.digests$')" 1
cp "$TMP/out" "$TMP/first.json"
want="p/a.go:12:A2:moved to heap: a:new
new=1 fixed=0 existing=2"
expect_eq "first review: the findings" "$(summary)" "$want"
: >"$TMP/go-calls"
er --format json -v
expect_rc "second review" 0
expect_grep "second review: b.go and c.go are the base's" \
	"^escape-review: 2 files printed what the base's build printed: their 2 findings are the base's (existing)$" \
	"$TMP/err"
expect_eq "second review: one go build, the head's" "$(builds)" 1
expect_eq "second review: the same JSON as the first" \
	"$(cmp "$TMP/out" "$TMP/first.json" && echo identical)" identical

# Keep's parameter now leaks: UseKeep's v moves to the heap, in b.go,
# which the change left alone
git checkout -q p/a.go
sed -i 's/^\treturn \*x$/\tsink = x\n\treturn *x/' p/a.go
expect_eq "the change: one line added to Keep" "$(git diff --numstat | tr '\t' ' ')" "1 0 p/a.go"
er --format json --no-cache
expect_rc "every file read (--no-cache)" 0
cp "$TMP/out" "$TMP/whole.json"
want="p/a.go:6:Keep:leaking param: x:new
p/b.go:5:UseKeep:moved to heap: v:new
new=2 fixed=0 existing=2"
expect_eq "every file read: b.go's new finding" "$(summary)" "$want"
: >"$TMP/go-calls"
er --format json -v
expect_rc "b.go printed otherwise" 0
expect_grep "b.go printed otherwise: -v says the output is read whole" \
	"^escape-review: a file the change left alone printed otherwise than at base: the head's output is read whole$" \
	"$TMP/err"
expect_eq "b.go printed otherwise: the head built again, the base from the cache" "$(builds)" 2
expect_eq "b.go printed otherwise: the JSON of a review that reads every file" \
	"$(cmp "$TMP/out" "$TMP/whole.json" && echo identical)" identical
finish
