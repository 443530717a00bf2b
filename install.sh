#!/bin/sh
# install.sh: install escape-review's dependencies, build it, install it.
#
#   ./install.sh --deps            install build and run dependencies (Debian/Ubuntu,
#                                  as root or with sudo) and print the equivalents
#                                  for other systems
#   ./install.sh [--prefix DIR]    build and install under DIR (default /usr/local)
#   ./install.sh --check-deps      exit 0 when every dependency is present
#
# Everything it installs is a distribution package chosen on purpose:
# libgit2 (diff reader), libcurl (GitHub/GitLab), cJSON (JSON), cmocka (unit
# tests), the Go toolchain (the compiler whose output we read), pkg-config,
# a C compiler, make, git and python3 (tests' stand-in servers).
set -eu

APT_PKGS="build-essential pkg-config git python3 libgit2-dev libcurl4-openssl-dev libcjson-dev libcmocka-dev golang-go ca-certificates"
prefix=/usr/local
want_deps=0
check_only=0

usage() {
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case "$1" in
	--deps) want_deps=1 ;;
	--check-deps) check_only=1 ;;
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }
		prefix=$2; shift ;;
	--prefix=*) prefix=${1#--prefix=} ;;
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
