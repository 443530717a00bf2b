#!/bin/sh
# No function in src/ is longer than 120 lines (the house style): a
# function starts at a line beginning with an identifier and ending with
# ")" or "{" followed by a lone "{", and ends at the next lone "}".
# Prints each offender as FILE:LINE: NAME is N lines, and the longest.
dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/src}
max=${MAX_FUNCTION_LINES:-120}
awk -v max="$max" '
FNR == 1 { start = 0 }
/^[A-Za-z_].*[)]$/ || /^[A-Za-z_].*[(]/ { sig = $0; sigline = FNR }
/^\{$/ { if (sig != "") { start = FNR; name = sig; nameline = sigline } }
/^\}/ {
	if (start) {
		n = FNR - start + 1
		if (n > longest) { longest = n; where = FILENAME ":" nameline }
		if (n > max) { printf "%s:%d: %s is %d lines (more than %d)\n", FILENAME, nameline, name, n, max; bad = 1 }
		start = 0; sig = ""
	}
}
END {
	printf "function-length: the longest function is %d lines (%s)\n", longest, where
	exit bad
}' "$dir"/*.c
