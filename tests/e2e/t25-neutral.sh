#!/bin/sh
# t25-neutral: edits that change no allocation, on code nobody here wrote:
# the standard library's encoding/csv and text/tabwriter of the go on PATH,
# copied into a module of their own and committed.  New mode compares them
# with that commit: comment lines at the top of a file, a file's functions
# in reverse order, its first function moved to a file of its own, a file
# renamed (staged) must each be 0 new and 0 fixed, every finding existing;
# a positive control adds exactly the one allocation it writes.
. "$(dirname "$0")/lib.sh"

goroot=$(go env GOROOT)
new_repo "$TMP/n"
cd "$TMP/n" || exit 1
printf 'module example.com/n\n\ngo 1.%s\n' "$GO_MINOR" >go.mod
for p in encoding/csv text/tabwriter; do
	d=$(basename "$p")
	mkdir -p "$d"
	for f in "$goroot/src/$p"/*.go; do
		case "$f" in *_test.go) ;; *) cp "$f" "$d/" ;; esac
	done
done
commit_all . "two packages of the standard library"
er --format json
expect_eq "the copies build, nothing changed: nothing to review" \
	"$rc $(json_get "$TMP/out" '"%s %d %d %d" % (d["mode"], d["summary"]["new"], d["summary"]["fixed"], d["summary"]["existing"])')" "0 new 0 0 0"
total=$(go build -gcflags=-m=2 ./... 2>&1 | grep -c -E ': (moved to heap: |leaking param|[^ ].* escapes to heap$)')
expect_eq "the compiler reports findings in them" "$([ "$total" -gt 20 ] && echo yes)" "yes"

# edit FILE PYTHON: apply the edit (a function of s, the file's text) to FILE
edit() {
	python3 - "$1" "$2" <<'PY'
import re, sys
path, code = sys.argv[1], sys.argv[2]
s = open(path).read()
def first_func(s):
    return re.search(r"^func .*?^}\n", s, flags=re.M | re.S)
def top_comment(s):
    return re.sub(r"^(package \w+\n)", r"\1\n// added\n// lines\n\n", s, count=1, flags=re.M)
def reverse_funcs(s):
    parts = re.split(r"(?=^func )", s, flags=re.M)
    body = [p if p.endswith("\n\n") else p + "\n" for p in parts[1:]]
    return parts[0] + "".join(reversed(body))
def move_first(s):
    m = first_func(s)
    return s[:m.start()] + s[m.end():]
t = eval(code)(s)
assert t != s, "the edit changed nothing"
open(path, "w").write(t)
PY
}

# neutral LABEL: the review of the work tree is 0 new, 0 fixed, all existing
neutral() {
	if ! go build ./... 2>"$TMP/build"; then
		bad "$1: the edited copy does not build: $(head -n 3 "$TMP/build")"
		git reset -q --hard
		git clean -qfd
		return
	fi
	er --format json
	expect_eq "$1" "$rc $(json_get "$TMP/out" '"new=%d fixed=%d existing=%d" % (d["summary"]["new"], d["summary"]["fixed"], d["summary"]["existing"])')" \
		"0 new=0 fixed=0 existing=$2"
	git reset -q --hard
	git clean -qfd
}

# the findings of the changed packages, every one existing
existing_of() {
	go build -gcflags=-m=2 "./$1" 2>&1 | grep -c -E ': (moved to heap: |leaking param|[^ ].* escapes to heap$)'
}
csv=$(existing_of csv)
tab=$(existing_of tabwriter)

edit csv/reader.go top_comment
neutral "comment lines at the top of csv/reader.go" "$csv"
edit csv/writer.go reverse_funcs
neutral "csv/writer.go's functions in reverse order" "$csv"
edit tabwriter/tabwriter.go reverse_funcs
neutral "tabwriter.go's functions in reverse order" "$tab"
python3 - <<'PY'
import re, subprocess
s = open("csv/reader.go").read()
funcs = list(re.finditer(r"^func .*?^}\n", s, flags=re.M | re.S))
m = [f for f in funcs if f.group(0).startswith("func (r *Reader) readRecord(")][0]
imports = re.search(r"^import \(.*?^\)\n", s, flags=re.M | re.S).group(0)
open("csv/reader.go", "w").write(s[:m.start()] + s[m.end():])
open("csv/record.go", "w").write("package csv\n\n" + imports + "\n" + m.group(0))
# each file keeps the imports it uses: go says which it does not (Go 1.19
# 'imported and not used: "x"', newer '"x" imported and not used')
for _ in range(3):
    out = subprocess.run(["go", "build", "./csv"], capture_output=True, text=True).stderr
    unused = re.findall(r'^(csv/\w+\.go):\d+:\d+: "([^"]+)" imported and not used', out, flags=re.M)
    unused += re.findall(r'^(csv/\w+\.go):\d+:\d+: imported and not used: "([^"]+)"', out, flags=re.M)
    if not unused:
        break
    for path, imp in unused:
        t = open(path).read().replace('\t"%s"\n' % imp, "", 1)
        open(path, "w").write(t)
PY
neutral "(*Reader).readRecord moved to a file of its own" "$csv"
git mv csv/writer.go csv/write.go
neutral "csv/writer.go renamed (staged)" "$csv"

# the positive control: one allocation added, reported, nothing else
printf '\nfunc Leak() *int {\n\tx := 1\n\treturn &x\n}\n' >>csv/writer.go
er --format json
expect_eq "positive control: the one new finding" \
	"$(json_get "$TMP/out" '"%s %s" % (["%s:%d %s %s" % (f["file"], f["line"], f["function"], f["message"]) for f in d["findings"] if f["status"] == "new"], d["summary"]["fixed"])')" \
	"['csv/writer.go:$(($(wc -l <csv/writer.go) - 2)) Leak moved to heap: x'] 0"
git reset -q --hard

finish
