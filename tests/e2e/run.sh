#!/bin/sh
# Run every end-to-end test script tests/e2e/t*.sh against the built binary.
# Each script exits 0 when all its checks pass.  Environment: ER_BIN (the
# binary), ER_SRC (the source tree), ER_VALGRIND=1 to run the binary under
# valgrind memcheck, ER_ONLY=PATTERN to run matching scripts only.
ER_SRC=${ER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
ER_BIN=${ER_BIN:-$ER_SRC/build/escape-review}
export ER_SRC ER_BIN
pass=0
fail=0
failed=""
for t in "$ER_SRC"/tests/e2e/t*.sh; do
	name=$(basename "$t" .sh)
	case "$name" in *${ER_ONLY:-}*) ;; *) continue ;; esac
	echo "== $name"
	if sh "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done
[ -z "$failed" ] || echo "failed:$failed"
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
