# bench/xtools.sh: sourced by the bench scripts that measure golang.org/x/tools
# from the Go module proxy (ci-cache.sh, dependents.sh): their common set-up.
# The caller sets ROOT, CACHE, OUT, ER and XT_VERSION and defines die().

# The tools a run needs, and escape-review built into build-bench/ when ER
# is the default and missing.
bench_prepare() {
	local t
	for t in go git hyperfine; do command -v "$t" >/dev/null || die "$t is missing"; done
	if [ ! -x "$ER" ]; then
		[ "$ER" = "$ROOT/build-bench/escape-review" ] || die "ER=$ER is not executable"
		(cd "$ROOT" && make BUILD=build-bench) >/dev/null
	fi
	mkdir -p "$CACHE" "$OUT"
}

git_c() { git -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false "$@"; }

# xtools_repo REPO TARGET: a git repository at REPO holding x/tools
# $XT_VERSION as the module proxy serves it, its requirements downloaded and
# `go build TARGET` checked, one commit on main; the caller's shell is left
# in REPO to add its own branches.
xtools_repo() {
	local dir
	echo "setting up $1: golang.org/x/tools@$XT_VERSION from the Go module proxy"
	dir=$(cd "$CACHE" && GOFLAGS=-mod=mod go mod download -json "golang.org/x/tools@$XT_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$dir" ] || die "go mod download golang.org/x/tools@$XT_VERSION failed"
	rm -rf "$1"
	cp -r "$dir" "$1"
	chmod -R u+w "$1"
	cd "$1"
	go mod download
	GOPROXY=off go build "$2" || die "x/tools does not build"
	git init -q -b main
	git add -A
	git_c commit -q -m "golang.org/x/tools $XT_VERSION"
}
