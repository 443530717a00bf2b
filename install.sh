#!/bin/sh
# install.sh: install escape-review's dependencies, build it, install it.
#
#   ./install.sh --deps            install build and run dependencies (Debian/Ubuntu,
#                                  as root or with sudo) and print the equivalents
#                                  for other systems
#   ./install.sh [--prefix DIR]    build and install under DIR (default /usr/local)
#   ./install.sh --check-deps      exit 0 when every dependency is present
#   ./install.sh --hook [REPO]     install the pre-push hook into REPO (default .),
#                                  honouring core.hooksPath; an existing pre-push
#                                  hook is kept as pre-push.local and runs first
#   ./install.sh --uninstall-hook [REPO]   remove it, restoring what was there
#
# Everything it installs is a distribution package chosen on purpose:
# libgit2 (diff reader), libcurl (GitHub/GitLab), cJSON (JSON), cmocka (unit
# tests), the Go toolchain (the compiler whose output we read), pkg-config,
# a C compiler, make, git and python3 (tests' stand-in servers).
set -eu

APT_PKGS="build-essential pkg-config git python3 libgit2-dev libcurl4-openssl-dev libcjson-dev libcmocka-dev golang-go ca-certificates python3-jsonschema"
prefix=/usr/local
want_deps=0
check_only=0

hook_action=""
hook_repo=.
src_dir=$(cd "$(dirname "$0")" && pwd)
HOOK_MARKER="# escape-review pre-push hook (managed by escape-review's install.sh --hook)"

usage() {
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case "$1" in
	--deps) want_deps=1 ;;
	--check-deps) check_only=1 ;;
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }
		prefix=$2; shift ;;
	--prefix=*) prefix=${1#--prefix=} ;;
	--hook|--uninstall-hook)
		hook_action=${1#--}
		case "${2:-}" in ""|-*) ;; *) hook_repo=$2; shift ;; esac ;;
	--hook=*) hook_action=hook; hook_repo=${1#--hook=} ;;
	--uninstall-hook=*) hook_action=uninstall-hook; hook_repo=${1#--uninstall-hook=} ;;
	-h|--help) usage; exit 0 ;;
	*) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

deps_present() {
	command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 &&
	command -v pkg-config >/dev/null 2>&1 && command -v git >/dev/null 2>&1 &&
	command -v go >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 &&
	pkg-config --exists libgit2 libcurl libcjson cmocka 2>/dev/null
}

# hooks_dir REPO: where git looks for REPO's hooks (core.hooksPath or GITDIR/hooks)
hooks_dir() {
	git -C "$1" rev-parse --git-dir >/dev/null 2>&1 ||
		{ echo "install.sh: $1 is not a git repository" >&2; exit 2; }
	hp=$(git -C "$1" config --path --get core.hooksPath || true)
	case "$hp" in
	"") gd=$(git -C "$1" rev-parse --git-common-dir)
		case "$gd" in /*) ;; *) gd=$1/$gd ;; esac
		echo "$gd/hooks" ;;
	/*) echo "$hp" ;;
	*) top=$(git -C "$1" rev-parse --show-toplevel 2>/dev/null || true)
		if [ -z "$top" ]; then
			top=$(git -C "$1" rev-parse --git-dir)
			case "$top" in /*) ;; *) top=$1/$top ;; esac
		fi
		echo "$top/$hp" ;;
	esac
}

# render_hook: hooks/pre-push, with PREFIX/bin/escape-review's absolute path when it exists
render_hook() {
	tmpl=$src_dir/hooks/pre-push
	[ -f "$tmpl" ] || tmpl=$prefix/share/escape-review/hooks/pre-push
	[ -f "$tmpl" ] || { echo "install.sh: no hooks/pre-push to install" >&2; return 1; }
	bin=""
	[ -x "$prefix/bin/escape-review" ] && bin=$prefix/bin/escape-review
	quoted=$(printf '%s' "$bin" | sed "s/'/'\\\\''/g")
	while IFS= read -r line || [ -n "$line" ]; do
		if [ "$line" = "ER_FALLBACK=" ] && [ -n "$bin" ]; then
			printf "ER_FALLBACK='%s'\n" "$quoted"
		else
			printf '%s\n' "$line"
		fi
	done <"$tmpl"
}

is_ours() { [ -f "$1" ] && grep -qxF "$HOOK_MARKER" "$1"; }
exists() { [ -e "$1" ] || [ -L "$1" ]; }

install_hook() {
	dir=$(hooks_dir "$1")
	mkdir -p "$dir"
	new=$(mktemp "$dir/.pre-push.escape-review.XXXXXX")
	if ! render_hook >"$new"; then rm -f "$new"; exit 2; fi
	chmod 755 "$new"
	if exists "$dir/pre-push"; then
		if is_ours "$dir/pre-push"; then
			if cmp -s "$new" "$dir/pre-push"; then
				rm -f "$new"
				echo "install.sh: the escape-review pre-push hook is already installed in $dir"
				return 0
			fi
			mv -f "$new" "$dir/pre-push"
			echo "install.sh: updated the escape-review pre-push hook in $dir"
			return 0
		fi
		if exists "$dir/pre-push.local"; then
			rm -f "$new"
			echo "install.sh: $dir has both pre-push and pre-push.local; not touching them" >&2
			exit 2
		fi
		mv "$dir/pre-push" "$dir/pre-push.local"
		echo "install.sh: kept the existing pre-push hook as $dir/pre-push.local (it runs first)"
	fi
	mv -f "$new" "$dir/pre-push"
	echo "install.sh: installed the escape-review pre-push hook in $dir"
}

uninstall_hook() {
	dir=$(hooks_dir "$1")
	if ! is_ours "$dir/pre-push"; then
		echo "install.sh: no escape-review pre-push hook in $dir"
		return 0
	fi
	rm -f "$dir/pre-push"
	if exists "$dir/pre-push.local"; then
		mv "$dir/pre-push.local" "$dir/pre-push"
		echo "install.sh: removed the escape-review pre-push hook; restored the previous pre-push hook"
	else
		echo "install.sh: removed the escape-review pre-push hook from $dir"
	fi
}

case "$hook_action" in
hook) install_hook "$hook_repo"; exit 0 ;;
uninstall-hook) uninstall_hook "$hook_repo"; exit 0 ;;
esac

if [ "$check_only" = 1 ]; then
	deps_present
	exit $?
fi

if [ "$want_deps" = 1 ]; then
	if deps_present; then
		echo "install.sh: all dependencies are present"
	elif command -v apt-get >/dev/null 2>&1; then
		sudo=""
		[ "$(id -u)" = 0 ] || sudo=sudo
		echo "install.sh: installing with apt-get: $APT_PKGS"
		$sudo apt-get update -qq
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $APT_PKGS >/dev/null
	else
		cat >&2 <<'MSG'
install.sh: no apt-get here; install these packages with your package manager:
  Fedora (dnf):   gcc make pkgconf-pkg-config git python3 libgit2-devel libcurl-devel cjson-devel libcmocka-devel golang
  Alpine (apk):   build-base pkgconf git python3 libgit2-dev curl-dev cjson-dev cmocka-dev go
  Homebrew:       pkg-config git python libgit2 curl cjson cmocka go
MSG
		exit 2
	fi
	make
	exit 0
fi

make
make install PREFIX="$prefix"
echo "install.sh: installed $prefix/bin/escape-review"
