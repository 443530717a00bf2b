#!/bin/sh
# Escapes a change induces in the packages that import it (examples/layers:
# store <- api <- web, each commit changing only store): the default review
# reports the allocations in api and web that store.Observe's new leak
# causes, naming it; --scope changed (and the config key) does not; a
# summary-neutral change builds the changed package alone; a commit that
# removes the leak lists them as fixed; --max-dependents names what it left
# out; the go list graph is cached by tree; the pre-push hook blocks; a
# go.work workspace of two modules is followed across them; a work-tree
# review runs its work beside go as a batch job, and after it as before.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-layers-repo.sh" "$TMP/w" >/dev/null
cd "$TMP/w" || exit 1
go_counter

# 1. d2 makes store.Observe keep its pointer: x in api, y (and the inlined
#    api.x) in web now move to the heap, though neither package changed
er --base d1 --head d2 --format json -v
expect_rc "summary change" 0
expect_eq "summary change: the findings" "$(json_get "$TMP/out" '"\n".join("%s:%d %s %s %s %s" % (f["file"], f["line"], f["function"], f["message"], f["status"], f["added_line"]) for f in d["findings"])')" \
"api/api.go:7 probe moved to heap: x new False
api/api.go:13 Probe moved to heap: x new False
store/store.go:9 Observe leaking param: p new False
web/web.go:8 Handle moved to heap: y new False
web/web.go:9 Handle moved to heap: api.x new False"
expect_eq "summary change: each induced finding names store.Observe" "$(json_get "$TMP/out" '"\n".join("%s:%d %s.%s %s:%d [%s] -> [%s] via %s" % (f["file"], f["line"], f["induced_by"]["package"], f["induced_by"]["function"], f["induced_by"]["file"], f["induced_by"]["line"], f["induced_by"]["summary_before"], f["induced_by"]["summary_after"], f["induced_by"]["via"]) for f in d["findings"] if "induced_by" in f)')" \
"api/api.go:7 example.com/layers/store.Observe store/store.go:9 [] -> [leaking param: p] via None
api/api.go:13 example.com/layers/store.Observe store/store.go:9 [] -> [leaking param: p] via None
web/web.go:8 example.com/layers/store.Observe store/store.go:9 [] -> [leaking param: p] via api.Probe
web/web.go:9 example.com/layers/store.Observe store/store.go:9 [] -> [leaking param: p] via api.Probe"
expect_eq "summary change: why" "$(json_get "$TMP/out" 'd["findings"][0]["induced_by"]["why"]')" \
	"because store.Observe, changed in this diff, now keeps its argument p"
expect_eq "summary change: the dependents counted" "$(json_get "$TMP/out" '"%d %s" % (d["summary"]["dependents"], d["summary"]["dependents_not_analysed"])')" "2 []"
expect_eq "summary change: -v prints each round" "$(grep 'dependents, round' "$TMP/err")" \
"escape-review: dependents, round 1: summaries changed: store.Observe (nothing leaks -> leaking param: p); analysing: example.com/layers/api
escape-review: dependents, round 2: summaries changed: api.Probe (nothing leaks -> leaking param: p); analysing: example.com/layers/web"
expect_eq "summary change: one go list" "$(grep -c '^list ' "$TMP/go-calls")" 1
expect_eq "summary change: api and web built at head and base" "$(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | sort | tr '\n' ' ')" \
	"./api ./api ./store ./store ./web ./web "

# the text names the cause under each induced finding
: >"$TMP/go-calls"
er --base d1 --head d2
expect_rc "text" 0
expect_eq "text: the api finding and its cause" "$(sed -n '1,3p' "$TMP/out")" \
"api/api.go:7:2: [ER013 warning] moved to heap: x
    in probe: the address of x is stored in store.last at api.go:8
    because store.Observe, changed in this diff, now keeps its argument p (store/store.go:9)"
expect_grep "text: web's cause goes through api.Probe" "^    because store.Observe, changed in this diff, now keeps its argument p (through api.Probe, which now keeps its argument p) (store/store.go:9)$" "$TMP/out"
expect_grep "text: the summary counts the importing packages" "^escape-review: 5 new, 0 existing, 0 fixed (0 error, 4 warning, 1 info) in 1 package and 2 importing packages (mode new)$" "$TMP/out"
expect_eq "the graph is cached by tree: no go list the second time" "$(grep -c '^list ' "$TMP/go-calls")" 0
expect_eq "a re-review of the same commits: nothing built, importers neither (all cached)" "$(grep -c '^build ' "$TMP/go-calls")" 0
[ -n "$(ls .git/escape-review/deps/)" ] && ok "the graph's cache is under .git/escape-review/deps" || bad "no graph cache"

# SARIF: the changed function is the related location
er --base d1 --head d2 --format sarif
expect_eq "sarif: relatedLocations" "$(json_get "$TMP/out" '"\n".join("%s %s:%d %s" % (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], r["relatedLocations"][0]["message"]["text"]) for r in d["runs"][0]["results"] if "relatedLocations" in r)' | sed -n 1p)" \
	"api/api.go store/store.go:9 because store.Observe, changed in this diff, now keeps its argument p"

# the summary comment lists them in their own section, with the cause
er --base d1 --head d2 --format markdown
expect_eq "markdown: the induced section" "$(sed -n '/^#### Caused in packages that import the change$/,/^#### /p' "$TMP/out" | grep '^- ')" \
'- `api/api.go:7`: `moved to heap: x` in `probe` (ER013), because store.Observe, changed in this diff, now keeps its argument p (`store/store.go:9`)
- `api/api.go:13`: `moved to heap: x` in `Probe` (ER013), because store.Observe, changed in this diff, now keeps its argument p (`store/store.go:9`)
- `web/web.go:8`: `moved to heap: y` in `Handle` (ER013), because store.Observe, changed in this diff, now keeps its argument p (through api.Probe, which now keeps its argument p) (`store/store.go:9`)
- `web/web.go:9`: `moved to heap: api.x` in `Handle` (ER013), because store.Observe, changed in this diff, now keeps its argument p (through api.Probe, which now keeps its argument p) (`store/store.go:9`)'
er --base d1 --head d2 --format template-data
expect_eq "template data: has_induced, induced, is_induced" "$(json_get "$TMP/out" '"%s %d %s" % (d["has_induced"], len(d["induced"]), [f["is_induced"] for f in d["new"]])')" \
	"True 4 [True, True, False, True, True]"

# 2. --scope changed, and scope in the configuration: store alone
: >"$TMP/go-calls"
er --base d1 --head d2 --scope changed --format json --no-cache
expect_eq "--scope changed: only store's finding" "$(json_get "$TMP/out" '" ".join("%s:%d" % (f["file"], f["line"]) for f in d["findings"])')" "store/store.go:9"
expect_eq "--scope changed: no go list, store alone" "$(grep -c '^list ' "$TMP/go-calls") $(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | sort -u | tr '\n' ' ')" "0 ./store "
echo '{"scope": "changed"}' >.escape-review.json
er --base d1 --head d2 --format json
expect_eq "scope: changed in the configuration" "$(json_get "$TMP/out" 'len(d["findings"])')" 1
er --base d1 --head d2 --format json --scope dependents
expect_eq "--scope dependents overrides the configuration" "$(json_get "$TMP/out" 'len(d["findings"])')" 5
er config
expect_grep "config lists scope" "^scope           changed                  (.*\.escape-review\.json)$" "$TMP/out"
rm .escape-review.json
er --base d1 --head d2 --scope everything
expect_rc "--scope everything" 2
expect_eq "--scope everything: the message" "$(head -1 "$TMP/err")" "escape-review: unknown --scope 'everything' (dependents|changed)"

# 3. a change that alters no function's summary builds store alone
: >"$TMP/go-calls"
er --base d2 --head d3 --format json --no-cache
expect_rc "summary-neutral" 0
expect_eq "summary-neutral: nothing new" "$(json_get "$TMP/out" '"%d %d" % (d["summary"]["new"], len(d["fixed"]))')" "0 0"
expect_eq "summary-neutral: the packages given to go build" "$(grep '^build ' "$TMP/go-calls" | sed 's/.* //' | tr '\n' ' ')" "./store ./store "
expect_eq "summary-neutral: no go list" "$(grep -c '^list ' "$TMP/go-calls")" 0

# 4. d4 keeps a copy instead: the induced findings are fixed, with the cause
er --base d3 --head d4 --format json
expect_eq "leak removed: fixed" "$(json_get "$TMP/out" '"\n".join("%s:%d %s %s %s" % (f["file"], f["line"], f["message"], f["status"], f.get("induced_by", {}).get("why")) for f in d["fixed"])')" \
"api/api.go:7 moved to heap: x fixed because store.Observe, changed in this diff, no longer keeps its argument p
api/api.go:13 moved to heap: x fixed because store.Observe, changed in this diff, no longer keeps its argument p
store/store.go:9 leaking param: p fixed None
web/web.go:8 moved to heap: y fixed because store.Observe, changed in this diff, no longer keeps its argument p (through api.Probe, which no longer keeps its argument p)
web/web.go:9 moved to heap: api.x fixed because store.Observe, changed in this diff, no longer keeps its argument p (through api.Probe, which no longer keeps its argument p)"

# 5. --max-dependents 1: api is analysed, web is named as left out
er --base d1 --head d2 --format json --max-dependents 1
expect_eq "--max-dependents 1: api only" "$(json_get "$TMP/out" '" ".join("%s:%d" % (f["file"], f["line"]) for f in d["findings"])')" "api/api.go:7 api/api.go:13 store/store.go:9"
expect_eq "--max-dependents 1: web not analysed" "$(json_get "$TMP/out" '"%d %s" % (d["summary"]["dependents"], d["summary"]["dependents_not_analysed"])')" "1 ['example.com/layers/web']"
er --base d1 --head d2 --max-dependents 1
expect_grep "--max-dependents 1: the text names web" "^escape-review: --max-dependents reached: 1 importing package not analysed: example.com/layers/web$" "$TMP/out"
er --base d1 --head d2 --max-dependents 0
expect_eq "--max-dependents 0: the message" "$(head -1 "$TMP/err")" "escape-review: --max-dependents takes a number from 1 to 100000, not '0'"

# 5b. a change that breaks its importers' build: a warning, store's review stands
git checkout -q -b broken d1
printf 'package store\n\nvar last *int\n\nfunc Observe(p *int, q int) int {\n\tlast = p\n\treturn *p + q\n}\n' >store/store.go
commit_all . "Observe takes two arguments"
er --base d1 --head broken
expect_rc "importers that no longer build" 0
expect_eq "importers that no longer build: store's finding" "$(grep '^[a-z]*/' "$TMP/out")" "store/store.go:5:14: [ER035 info] leaking param: p"
expect_eq "importers that no longer build: the warning" "$(head -n 1 "$TMP/err")" \
	"escape-review: warning: the packages importing the changed ones could not be analysed, so escapes the change causes there are not reported:"
# (go 1.19 exits with 2 on a type error, newer releases with 1)
expect_grep "importers that no longer build: the failed build" "^the build failed in module example\.com/layers (the repository root) (go exited with [12]):$" "$TMP/err"
expect_grep "importers that no longer build: the compiler's message" "^api/api.go:8:23: not enough arguments in call to store.Observe$" "$TMP/err"
git checkout -q main

# 6. the pre-push hook blocks the push of d2 at hook.fail_on: warning
hook_push d1 d2
expect_rc "hook: the induced escapes block the push" 1
expect_grep "hook: names api's allocation" "^api/api.go:7:2: \[ER013 warning\] moved to heap: x$" "$TMP/err"
expect_grep "hook: names the cause" "^    because store.Observe, changed in this diff, now keeps its argument p (store/store.go:9)$" "$TMP/err"
expect_grep "hook: names web's allocation" "^web/web.go:8:2: \[ER013 warning\] moved to heap: y$" "$TMP/err"

# 7. a go.work workspace: store in module a, its importer in module b
mkdir -p "$TMP/ws/a/store" "$TMP/ws/b/api"
cd "$TMP/ws" || exit 1
git init -q
printf 'module example.com/a\n\ngo 1.19\n' >a/go.mod
printf 'module example.com/b\n\ngo 1.19\n\nrequire example.com/a v0.0.0\n' >b/go.mod
printf 'go 1.19\n\nuse (\n\t./a\n\t./b\n)\n' >go.work
cp "$ER_SRC/examples/layers/d1/store.go" a/store/store.go
sed 's#example.com/layers/store#example.com/a/store#' "$ER_SRC/examples/layers/api/api.go" >b/api/api.go
commit_all . "w1"
cp "$ER_SRC/examples/layers/d2/store.go" a/store/store.go
commit_all . "w2"
GOFLAGS= er --base HEAD~1 --head HEAD --format json
expect_rc "go.work" 0
expect_eq "go.work: the importer in the other module" "$(json_get "$TMP/out" '" ".join("%s:%d:%s" % (f["file"], f["line"], f.get("induced_by", {}).get("function")) for f in d["findings"])')" \
	"a/store/store.go:9:None b/api/api.go:7:Observe b/api/api.go:13:Observe"

# 8. a work-tree review (d2's store over d1, not committed): the review's
#    own work beside the early build runs as a batch job, and as before
#    once it waits for that build.  Each go started notes the scheduling
#    policy it inherited from the thread that started it (Linux: 0
#    SCHED_OTHER, 3 SCHED_BATCH): the early build of store as before;
#    `go env` and the base's build of store, started beside it, as batch
#    jobs; the importers' go list and builds, after, as before.
if [ -r /proc/self/stat ]; then
	sh "$ER_SRC/examples/make-layers-repo.sh" "$TMP/wb" >/dev/null
	cd "$TMP/wb" || exit 1
	git checkout -q d1 && git checkout -q d2 -- store/store.go
	real=$(command -v go)
	mkdir -p "$TMP/policy"
	cat >"$TMP/policy/go" <<SH
#!/bin/sh
echo "\$(awk '{print \$41}' /proc/\$\$/stat) \$1 \$(for a; do l=\$a; done; echo \$l)" >>"$TMP/go-policies"
exec "$real" "\$@"
SH
	chmod +x "$TMP/policy/go"
	: >"$TMP/go-policies"
	saved_path=$PATH
	PATH="$TMP/policy:$PATH"
	er --format json
	PATH=$saved_path
	expect_rc "work tree" 0
	expect_eq "work tree: the store's finding and the importers'" "$(json_get "$TMP/out" '" ".join("%s:%d" % (f["file"], f["line"]) for f in d["findings"])')" \
		"api/api.go:7 api/api.go:13 store/store.go:9 web/web.go:8 web/web.go:9"
	# sorted: the early build's go and `go env` start at once
	expect_eq "work tree: the policy each go inherited" "$(LC_ALL=C sort "$TMP/go-policies")" \
"0 build ./api
0 build ./api
0 build ./store
0 build ./web
0 build ./web
0 list ./...
3 build ./store
3 env GOENV"
fi

# A parameter moved to the heap leaks, though -m prints no `leaking param`
# for it: lib.Count storing &s makes app's make([]int, 8) escape.
new_repo "$TMP/mp"
cd "$TMP/mp" || exit 1
printf 'module example.com/mp\n\ngo 1.19\n' >go.mod
mkdir -p lib app
printf 'package lib\n\nvar last *[]int\n\nfunc Count(s []int) int {\n\treturn len(s)\n}\n' >lib/lib.go
printf 'package app\n\nimport "example.com/mp/lib"\n\nfunc Use() int {\n\tbuf := make([]int, 8)\n\treturn lib.Count(buf)\n}\n' >app/app.go
commit_all . "Count keeps nothing"
sed -i 's/^\treturn len(s)$/\tlast = \&s\n\treturn len(s)/' lib/lib.go
er --format json -v
expect_eq "a parameter moved to the heap: the importer's allocation, named" \
	"$(json_get "$TMP/out" '"\n".join("%s:%d %s %s [%s]" % (f["file"], f["line"], f["function"], f["message"], f["induced_by"]["summary_after"] if "induced_by" in f else "") for f in d["findings"] if f["status"] == "new")')" \
"app/app.go:6 Use make([]int, 8) escapes to heap [leaking param: s]
app/app.go:7 Use moved to heap: lib.s [leaking param: s]
lib/lib.go:5 Count moved to heap: s []"
expect_eq "a parameter moved to the heap: -v says what changed" "$(grep 'dependents, round' "$TMP/err")" \
	"escape-review: dependents, round 1: summaries changed: lib.Count (nothing leaks -> leaking param: s); analysing: example.com/mp/app"

# An importer built only with a tag: the import graph is go list's with the
# review's build flags, and cached apart from the graph without them.
new_repo "$TMP/tag"
cd "$TMP/tag" || exit 1
printf 'module example.com/tag\n\ngo 1.19\n' >go.mod
mkdir -p lib it
printf 'package lib\n\nvar last *[]int\n\nfunc Count(s []int) int {\n\treturn len(s)\n}\n' >lib/lib.go
printf '//go:build integration\n\npackage it\n\nimport "example.com/tag/lib"\n\nfunc Use() int {\n\tbuf := make([]int, 8)\n\treturn lib.Count(buf)\n}\n' >it/it.go
printf 'package it\n' >it/doc.go
commit_all . "Count keeps nothing"
sed -i 's/^\treturn len(s)$/\tlast = \&s\n\treturn len(s)/' lib/lib.go
commit_all . "Count keeps s"
er --base HEAD~1 --format json
expect_eq "without the tag: no importer" "$(json_get "$TMP/out" '" ".join("%s:%d" % (f["file"], f["line"]) for f in d["findings"])')" "lib/lib.go:5"
er --base HEAD~1 --format json --build-flags "-tags integration"
expect_eq "with the tag: the tagged importer's allocation" \
	"$(json_get "$TMP/out" '" ".join("%s:%d" % (f["file"], f["line"]) for f in d["findings"])')" "it/it.go:8 it/it.go:9 lib/lib.go:5"
expect_eq "two graphs cached" "$(ls .git/escape-review/deps | wc -l | tr -d ' ')" 2

# A generic function has no summary: its package compiles no body of it,
# the importers that instantiate it do.  Its change is followed into them.
new_repo "$TMP/gen"
cd "$TMP/gen" || exit 1
printf 'module example.com/gen\n\ngo 1.19\n' >go.mod
mkdir -p lib app
printf 'package lib\n\nvar last any\n\nfunc Sum[T int | float64](xs []T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\n\nfunc Other[T any](v T) T { return v }\n' >lib/lib.go
printf 'package app\n\nimport "example.com/gen/lib"\n\nfunc Total() int {\n\txs := []int{1, 2, 3}\n\treturn lib.Sum(xs)\n}\n' >app/app.go
commit_all . "Sum keeps nothing"
sed -i 's/^\treturn s$/\tlast = \&s\n\treturn s/' lib/lib.go
commit_all . "Sum keeps s"
er --base HEAD~1 --format json -v
# Go 1.19 inlines no generic function into its caller: the shaped body's
# finding alone; Go 1.26 also the wrapper's (lib.go:5) and Total's
why="because lib.Sum, changed in this diff, is generic, compiled where it is instantiated"
expect_eq "generic: the importer's instantiation, named" \
	"$(json_get "$TMP/out" '"\n".join("%s:%d %s %s [%s]" % (f["file"], f["line"], f["function"], f["message"], f["induced_by"]["why"]) for f in d["findings"] if f["status"] == "new")')" \
	"$(by_go "lib/lib.go:6 Sum moved to heap: lib.s [$why]" "app/app.go:7 Total moved to heap: lib.s [$why]
lib/lib.go:5 Sum moved to heap: lib.s [$why]
lib/lib.go:6 Sum moved to heap: lib.s [$why]")"
expect_eq "generic: -v names it" "$(grep 'dependents, round' "$TMP/err")" \
	"escape-review: dependents, round 1: summaries changed: lib.Sum (generic, changed); analysing: example.com/gen/app"
er --base HEAD~1 --format json --scope changed
expect_eq "generic, --scope changed: nothing (lib instantiates nothing)" "$(json_get "$TMP/out" 'len(d["findings"])')" 0
# a change outside every generic function follows nothing
printf '\nfunc Plain() int { return 1 }\n' >>lib/lib.go
commit_all . "a plain function"
: >"$TMP/go-calls"
er --base HEAD~1 --format json -v
expect_eq "no generic function changed: nothing followed" "$(grep -c 'dependents, round' "$TMP/err") $(json_get "$TMP/out" 'len(d["findings"])')" "0 0"

finish
