#!/bin/sh
# install.sh: install escape-review's dependencies, build it, install it.
#
#   ./install.sh --deps            install build and test dependencies, then build:
#                                  apt-get (Debian, Ubuntu), apk (Alpine), as root
#                                  or with sudo; brew (macOS); elsewhere it prints
#                                  the package names
#   ./install.sh [--prefix DIR]    build and install under DIR (default /usr/local);
#                                  the installed binary finds its data in
#                                  ../share/escape-review, so the tree can move
#   ./install.sh --check-deps      exit 0 when every dependency is present
#   ./install.sh --hook [REPO]     install the pre-push hook into REPO (default .),
#                                  honouring core.hooksPath; an existing pre-push
#                                  hook is kept as pre-push.local and runs first.
#                                  The hook records the absolute path of the binary
#                                  to run when escape-review is not on PATH:
#                                  PREFIX/bin/escape-review with --prefix, else the
#                                  escape-review on PATH, in /usr/local/bin, or built
#                                  in this tree
#   ./install.sh --uninstall-hook [REPO]   remove it, restoring what was there
#
# Everything it installs is a distribution package chosen on purpose:
# libgit2 (diff reader), libcurl (GitHub/GitLab), cJSON (JSON), cmocka (unit
# tests), the Go toolchain (the compiler whose output we read), pkg-config,
# a C compiler, make, git and python3 with jsonschema (tests' stand-in
# servers, the SARIF schema check).  On Debian, libkrb5-dev lets the
# Makefile link libgit2 from its archives (pkg-config names its GSSAPI;
# the program leaves libgit2's network code out, Kerberos with it: see
# LIBGIT2_LINK there), and strace lets a test see which files a run opens.
set -eu

APT_PKGS="build-essential pkg-config git python3 libgit2-dev libkrb5-dev libcurl4-openssl-dev libcjson-dev libcmocka-dev golang-go ca-certificates python3-jsonschema strace"
APK_PKGS="build-base pkgconf git python3 py3-jsonschema libgit2-dev curl-dev cjson-dev cmocka-dev go ca-certificates"
# macOS: cc, make and git come with Xcode's command line tools
BREW_PKGS="pkg-config libgit2 curl cjson cmocka go python"
prefix=/usr/local
prefix_given=0
want_deps=0
check_only=0

hook_action=""
hook_repo=.
src_dir=$(cd "$(dirname "$0")" && pwd)
HOOK_MARKER="# escape-review pre-push hook (managed by escape-review's install.sh --hook)"

usage() {
	# the comment at the top, up to the first line that is not one
	sed -n '2,/^[^#]/p' "$0" | sed -e '/^[^#]/d' -e 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case "$1" in
	--deps) want_deps=1 ;;
	--check-deps) check_only=1 ;;
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }
		prefix=$2; prefix_given=1; shift ;;
	--prefix=*) prefix=${1#--prefix=}; prefix_given=1 ;;
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

# Homebrew's curl is keg-only: pkg-config finds it through its own directory
if command -v brew >/dev/null 2>&1; then
	brew_curl=$(brew --prefix curl 2>/dev/null || true)
	if [ -n "$brew_curl" ] && [ -d "$brew_curl/lib/pkgconfig" ]; then
		PKG_CONFIG_PATH=$brew_curl/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
		export PKG_CONFIG_PATH
	fi
fi

deps_present() {
	command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 &&
	command -v pkg-config >/dev/null 2>&1 && command -v git >/dev/null 2>&1 &&
	command -v go >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 &&
	pkg-config --exists libgit2 libcurl libcjson cmocka 2>/dev/null &&
	{ ! command -v apt-get >/dev/null 2>&1 ||
		{ pkg-config --exists krb5-gssapi 2>/dev/null && command -v strace >/dev/null 2>&1; }; }
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

# abs_path FILE: FILE with an absolute directory
abs_path() {
	d=$(cd "$(dirname "$1")" && pwd) || return 1
	printf '%s/%s\n' "$d" "$(basename "$1")"
}

# hook_binary: the absolute path of the escape-review the hook runs when it
# is not on PATH (git GUIs and editors often run hooks with a short PATH):
# PREFIX/bin/escape-review with --prefix; else the one on our PATH, the one
# in /usr/local/bin, or the one built in this tree; empty when none exists.
hook_binary() {
	if [ "$prefix_given" = 1 ]; then
		[ -f "$prefix/bin/escape-review" ] && [ -x "$prefix/bin/escape-review" ] &&
			abs_path "$prefix/bin/escape-review"
		return 0
	fi
	for cand in "$(command -v escape-review 2>/dev/null || true)" \
		"$prefix/bin/escape-review" "$src_dir/build/escape-review"; do
		case "$cand" in */*) ;; *) continue ;; esac
		if [ -f "$cand" ] && [ -x "$cand" ]; then
			abs_path "$cand"
			return 0
		fi
	done
}

# render_hook BIN: hooks/pre-push, with BIN (absolute, or empty) as its fallback
render_hook() {
	tmpl=$src_dir/hooks/pre-push
	[ -f "$tmpl" ] || tmpl=$prefix/share/escape-review/hooks/pre-push
	[ -f "$tmpl" ] || { echo "install.sh: no hooks/pre-push to install" >&2; return 1; }
	bin=$1
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
	bin=$(hook_binary)
	if [ -n "$bin" ]; then
		echo "install.sh: the hook runs escape-review from PATH, else $bin"
	elif [ "$prefix_given" = 1 ]; then
		echo "install.sh: warning: no $prefix/bin/escape-review: the hook will need escape-review on PATH" >&2
	else
		echo "install.sh: warning: no escape-review found (PATH, $prefix/bin, $src_dir/build): the hook will need it on PATH" >&2
	fi
	new=$(mktemp "$dir/.pre-push.escape-review.XXXXXX")
	if ! render_hook "$bin" >"$new"; then rm -f "$new"; exit 2; fi
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

root_cmd() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	elif command -v doas >/dev/null 2>&1; then doas "$@"
	else echo "install.sh: run this as root (no sudo or doas here)" >&2; exit 2
	fi
}

install_deps() {
	if deps_present; then
		echo "install.sh: all dependencies are present"
		return 0
	fi
	if [ "$(uname -s)" = Darwin ]; then
		command -v brew >/dev/null 2>&1 || {
			echo "install.sh: install Homebrew first (https://brew.sh), then run ./install.sh --deps again" >&2
			exit 2
		}
		xcode-select -p >/dev/null 2>&1 || {
			echo "install.sh: run 'xcode-select --install' first (cc, make and git), then ./install.sh --deps again" >&2
			exit 2
		}
		echo "install.sh: installing with brew: $BREW_PKGS"
		# shellcheck disable=SC2086
		brew install $BREW_PKGS
		echo "install.sh: make test's SARIF check also needs Python's jsonschema: /usr/bin/python3 -m pip install --user jsonschema"
	elif command -v apt-get >/dev/null 2>&1; then
		echo "install.sh: installing with apt-get: $APT_PKGS"
		root_cmd apt-get update -qq
		# shellcheck disable=SC2086
		root_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PKGS >/dev/null
	elif command -v apk >/dev/null 2>&1; then
		echo "install.sh: installing with apk: $APK_PKGS"
		# shellcheck disable=SC2086
		root_cmd apk add --no-cache $APK_PKGS
	else
		cat >&2 <<MSG
install.sh: no apt-get, apk or brew here; install these packages with your package manager:
  Debian, Ubuntu (apt-get): $APT_PKGS
  Alpine (apk):             $APK_PKGS
  macOS (brew):             $BREW_PKGS
  Fedora (dnf):             gcc make pkgconf-pkg-config git python3 python3-jsonschema libgit2-devel libcurl-devel cjson-devel libcmocka-devel golang
MSG
		exit 2
	fi
}

if [ "$want_deps" = 1 ]; then
	install_deps
	make -C "$src_dir"
	exit 0
fi

make -C "$src_dir"
make -C "$src_dir" install PREFIX="$prefix"
echo "install.sh: installed $prefix/bin/escape-review (data in $prefix/share/escape-review, manual in $prefix/share/man)"
