#!/bin/sh
# tests/portable.sh: no call or feature macro that only some systems have
# appears in src/ outside the compat module (src/compat.c, src/compat.h):
# pipe2, strchrnul, /proc, _GNU_SOURCE and the other "give me more than
# POSIX" macros, the _np spawn extensions, _NSGetExecutablePath, struct
# dirent's d_type, qsort_r, Linux headers.  Exits 1 naming each hit.
# `make check-portable` runs it; the script first checks itself on planted
# files, so a pattern that stopped matching fails here too.
# Usage: sh tests/portable.sh [SRC_DIR]   (default: src/ next to tests/)
set -u
src=${1:-$(cd "$(dirname "$0")/.." && pwd)/src}

# whole words (no \< \>: BSD grep on macOS runs this too)
B='(^|[^A-Za-z0-9_])'
E='([^A-Za-z0-9_]|$)'
PATTERNS="${B}pipe2$E|${B}strchrnul$E|/proc$E|${B}_(GNU|DEFAULT|BSD|DARWIN_C|ALL)_SOURCE$E"
PATTERNS="$PATTERNS|[A-Za-z0-9]_np$E|${B}_NSGetExecutablePath$E|${B}d_type$E|${B}qsort_r$E"
PATTERNS="$PATTERNS|<linux/|<sys/sysmacros\.h>|${B}program_invocation_(short_)?name$E"

# scan DIR: print every hit outside compat.[ch]; 1 when there is one
scan() {
	hits=$(find "$1" -type f \( -name '*.c' -o -name '*.h' \) ! -name compat.c ! -name compat.h \
		-exec grep -EnH -- "$PATTERNS" {} + 2>/dev/null)
	[ -z "$hits" ] && return 0
	printf '%s\n' "$hits"
	return 1
}

# the patterns still catch what they are for, and compat.c may use it all
tmp=$(mktemp -d "${TMPDIR:-/tmp}/er-portable.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
self_bad=0
while IFS= read -r planted; do
	[ -n "$planted" ] || continue
	rm -rf "$tmp/src" && mkdir "$tmp/src"
	printf '%s\n' "$planted" >"$tmp/src/compat.c"
	if ! scan "$tmp/src" >/dev/null; then
		echo "portable.sh: self-check: compat.c may say '$planted'"
		self_bad=1
	fi
	printf '%s\n' "$planted" >"$tmp/src/run.c"
	if scan "$tmp/src" >/dev/null; then
		echo "portable.sh: self-check: '$planted' in run.c was not caught"
		self_bad=1
	fi
done <<'PLANTED'
	if (pipe2(pipes, O_CLOEXEC) < 0)
	const char *end = strchrnul(p, ':');
	n = readlink("/proc/self/exe", buf, size);
#define _GNU_SOURCE
#define _DEFAULT_SOURCE 1
#define _BSD_SOURCE
#define _DARWIN_C_SOURCE
	rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
	_NSGetExecutablePath(buf, &size);
	if (de->d_type == DT_DIR)
	qsort_r(base, n, size, cmp, arg);
#include <linux/limits.h>
#include <sys/sysmacros.h>
	fputs(program_invocation_short_name, stderr);
PLANTED
printf 'char *pipe2_name, *strchrnul_like; /* procfs */\n' >"$tmp/src/run.c"
if ! scan "$tmp/src" >/dev/null; then
	echo "portable.sh: self-check: words that merely contain a pattern were caught"
	self_bad=1
fi
[ "$self_bad" = 0 ] || exit 1

if ! scan "$src"; then
	echo "portable.sh: the lines above use what only some systems have: move it into src/compat.c (compat.h)"
	exit 1
fi
echo "portable.sh: no Linux-only or GNU-only call in $src outside compat.c/compat.h"
