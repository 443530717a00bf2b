#!/bin/bash
# bench/pairs.sh: escape-review on real changes nobody here wrote.  For each
# pair of releases of a module from the Go module proxy, a git repository
# holds the older release as its first commit and the newer as its second;
# the review of the second against the first (new mode) is printed as its
# counts, and with -v every new and fixed finding, to be read against the
# releases' diff (docs/benchmarks.md, "Real changes").
#
#   bash bench/pairs.sh [-v] [ER=path/to/escape-review]
#
# The first run downloads the releases and their requirements (GOPROXY as
# set); the repositories are kept in bench/.cache/pairs/ (CACHE=DIR moves
# them).  Counts, not times: nothing here is timed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
verbose=0
[ "${1:-}" = -v ] && verbose=1
ER=${ER:-$here/../build/escape-review}
CACHE=${CACHE:-$here/.cache}/pairs
[ -x "$ER" ] || { echo "bench/pairs.sh: no $ER (make first, or set ER)" >&2; exit 2; }
mkdir -p "$CACHE"

PAIRS='go.uber.org/zap v1.23.0 v1.24.0
go.uber.org/zap v1.24.0 v1.25.0
go.uber.org/zap v1.25.0 v1.26.0
go.uber.org/zap v1.26.0 v1.27.0
go.uber.org/zap v1.27.1 v1.28.0
github.com/go-chi/chi/v5 v5.2.3 v5.3.0
github.com/go-chi/chi/v5 v5.3.0 v5.4.0
github.com/go-chi/chi/v5 v5.4.0 v5.5.0
github.com/gorilla/mux v1.7.4 v1.8.0
github.com/gorilla/mux v1.8.0 v1.8.1
github.com/google/uuid v1.5.0 v1.6.0
golang.org/x/text v0.43.0 v0.44.0
golang.org/x/net v0.62.0 v0.63.0'

# The directory of module $1 at version $2 in the module cache.
module_dir() {
	go mod download -json "$1@$2" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])'
}

# Put the files of module $1 at $2 in the current repository as a commit.
commit_release() {
	find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
	cp -r "$(module_dir "$1" "$2")/." .
	chmod -R u+w .
	go mod download >/dev/null 2>&1 || true
	git add -A
	git -c user.name=bench -c user.email=bench@localhost commit -q -m "$1 $2"
}

printf '%-28s %-18s %5s %5s %8s\n' module releases new fixed existing
echo "$PAIRS" | while read -r mod old new; do
	dir=$CACHE/$(echo "$mod" | tr / _)-$old-$new
	if [ ! -d "$dir/.git" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		(cd "$dir" && git init -q && commit_release "$mod" "$old" && commit_release "$mod" "$new")
	fi
	(cd "$dir" && "$ER" --base HEAD~1 --fail-on none --format json >review.json 2>review.err) || true
	python3 - "$dir/review.json" "$mod" "$old..$new" "$verbose" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    print("%-28s %-18s failed: see %s" % (sys.argv[2], sys.argv[3], sys.argv[1].replace(".json", ".err")))
    sys.exit(0)
s = d["summary"]
print("%-28s %-18s %5d %5d %8d" % (sys.argv[2], sys.argv[3], s["new"], s["fixed"], s["existing"]))
if sys.argv[4] == "1":
    for f in d["findings"]:
        print("    new   %s:%d %s: %s" % (f["file"], f["line"], f["function"], f["message"]))
    for f in d["fixed"]:
        print("    fixed %s:%d %s: %s" % (f["file"], f["line"], f["function"], f["message"]))
PY
done
