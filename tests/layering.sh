#!/bin/sh
# tests/layering.sh: the modules of src/ include one another in one
# direction only.  Each module (NAME.c and NAME.h) has a stage; a file may
# include the headers of its own stage and of lower stages, never of a
# higher one.  The stages, lowest first:
#
#   0 base        errors util strbuf strmap compat jsonw rec
#   1 services    finding run http mustache repo gitindex
#   2 readers     gosrc parse diff checkout hook
#   3 analysis    ack checklist packages contract summary profile
#   4 settings    config options
#   5 comparing   compare dependents
#   6 pipeline    review
#   7 output      report render formats release
#   8 publishing  forge github gitlab
#   9 commands    main cmd cmd_review cmd_hook cmd_tools cmd_contracts
#
# Also: only http.c includes libcurl; only the publishing modules (and
# the commands) include http.h; the parser, the Go source reader, the checklist
# and the output modules know no repository (no git2.h, repo.h, diff.h or
# checkout.h).  A module missing from the table fails, so a new one gets a
# stage.  `make check-portable` (and so `make test`) runs it; the script
# first checks itself on planted files.
# Usage: sh tests/layering.sh [SRC_DIR]   (default: src/ next to tests/)
set -u
src=${1:-$(cd "$(dirname "$0")/.." && pwd)/src}

STAGES='errors:0 util:0 strbuf:0 strmap:0 compat:0 jsonw:0 rec:0
finding:1 run:1 http:1 mustache:1 repo:1 gitindex:1
gosrc:2 parse:2 diff:2 checkout:2 hook:2
ack:3 checklist:3 packages:3 contract:3 summary:3 profile:3 input:3
config:4 options:4
compare:5 dependents:5
review:6
report:7 render:7 formats:7 release:7
forge:8 github:8 gitlab:8 publish:8
main:9 cmd:9 cmd_review:9 cmd_hook:9 cmd_tools:9 cmd_contracts:9 cmd_publish:9'

# module:header pairs that must not occur even when the stages allow them
NEVER=''
for m in parse gosrc input checklist report render formats mustache; do
	for h in git2.h repo.h diff.h checkout.h; do NEVER="$NEVER $m:$h"; done
done
for m in errors util strbuf strmap compat finding run mustache repo gosrc parse diff checkout \
	hook ack checklist packages config compare review report render formats; do
	NEVER="$NEVER $m:http.h"
done

# Upward includes known and owned by work in progress: printed, not failed.
KNOWN=''

stage_of() {
	for e in $STAGES; do
		[ "${e%%:*}" = "$1" ] && { echo "${e#*:}"; return 0; }
	done
	return 1
}

# check DIR: print every violation; 1 when there is one
check() {
	bad=0
	known_seen=
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		base=$(basename "$f")
		mod=${base%.*}
		if ! s=$(stage_of "$mod"); then
			echo "layering: $base: module '$mod' has no stage in tests/layering.sh; give it one"
			bad=1
			continue
		fi
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\([^">]*\)[">].*/\1/p' "$f"); do
			case " $NEVER " in *" $mod:$inc "*)
				echo "layering: $base includes $inc, which module $mod must never use"
				bad=1 ;;
			esac
			case "$inc" in
			curl/*) [ "$mod" = http ] || { echo "layering: $base includes <$inc>: only http.c talks to libcurl"; bad=1; } ;;
			esac
			case "$inc" in */*|*[!a-z0-9_.]*) continue ;; esac
			hmod=${inc%.h}
			[ -f "$1/$inc" ] || continue
			hs=$(stage_of "$hmod") || continue
			[ "$hs" -le "$s" ] && continue
			case " $KNOWN " in *" $mod:$inc "*)
				echo "layering: known, to be removed: $base (stage $s) includes $inc (stage $hs)"
				known_seen="$known_seen $mod:$inc"
				continue ;;
			esac
			echo "layering: $base (stage $s) includes $inc of a higher stage ($hs)"
			bad=1
		done
	done
	return $bad
}

# the checks still catch what they are for
tmp=$(mktemp -d "${TMPDIR:-/tmp}/er-layering.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
self_bad=0
for planted in 'util.c:#include "review.h"' 'parse.c:#include "repo.h"' \
	'render.c:#include "http.h"' 'report.c:#include <curl/curl.h>' 'newmod.c:#include "util.h"' \
	'diff.h:#  include "compare.h"'; do
	rm -rf "$tmp/src" && mkdir "$tmp/src"
	for h in review repo http util compare; do : >"$tmp/src/$h.h"; done
	printf '%s\n' "${planted#*:}" >"$tmp/src/${planted%%:*}"
	if check "$tmp/src" >/dev/null; then
		echo "layering.sh: self-check: '${planted#*:}' in ${planted%%:*} was not caught"
		self_bad=1
	fi
done
rm -rf "$tmp/src" && mkdir "$tmp/src"
printf '#include "util.h"\n#include <stdio.h>\n' >"$tmp/src/review.c"
: >"$tmp/src/util.h"
check "$tmp/src" >/dev/null || { echo "layering.sh: self-check: a downward include was refused"; self_bad=1; }
[ "$self_bad" = 0 ] || exit 1

if check "$src"; then
	for k in $KNOWN; do
		case " $known_seen " in *" $k "*) ;; *)
			echo "layering: note: the known exception $k no longer occurs; remove it from KNOWN" ;;
		esac
	done
	echo "layering.sh: every include in $src goes to the same or a lower stage"
	exit 0
fi
exit 1
