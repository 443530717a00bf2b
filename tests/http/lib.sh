# tests/http/lib.sh: shared by the publishing tests (run.sh, binary.sh):
# checks counted into $pass/$fail, the stand-in servers' start and control,
# their request records, and running a command with its output captured.
# Needs HERE (this directory), PY (python3) and TMP (a fresh directory).

pass=0
fail=0
STUB_PID=

cleanup() {
	if [ -n "$STUB_PID" ]; then kill "$STUB_PID" 2>/dev/null; wait "$STUB_PID" 2>/dev/null; fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Only what each scenario sets may reach the driver.
for v in $(env | sed -n 's/^\(GITHUB_[A-Z_]*\|GITLAB_[A-Z_]*\|CI_[A-Z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
export ESCAPE_REVIEW_RETRY_BASE_MS=20

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$1"; }
check_eq() { # name expected actual
	if [ "$2" = "$3" ]; then ok; else
		ko "$1"; printf '  expected: %s\n  actual:   %s\n' "$2" "$3"
	fi
}
check_contains() { # name needle haystack
	case $3 in
	*"$2"*) ok ;;
	*) ko "$1"; printf '  missing: %s\n  in:      %s\n' "$2" "$3" ;;
	esac
}
check_ge() { # name value minimum
	if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a + 0 >= b + 0) }'; then ok; else
		ko "$1"; printf '  %s < %s\n' "$2" "$3"
	fi
}

start_stub() { # script name [server options]
	script=$1
	STUB=$2
	shift 2
	"$PY" "$HERE/$script" --record "$TMP/$STUB.rec" --control "$TMP/$STUB.ctl" --lifetime 600 \
		"$@" >"$TMP/$STUB.port" 2>"$TMP/$STUB.err" &
	STUB_PID=$!
	i=0
	while [ ! -s "$TMP/$STUB.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$TMP/$STUB.port")
	if [ -z "$PORT" ]; then echo "cannot start $script"; cat "$TMP/$STUB.err"; exit 1; fi
}
stop_stub() { kill "$STUB_PID"; wait "$STUB_PID" 2>/dev/null; STUB_PID=; }
control() { printf '%s\n' "$1" >"$TMP/$STUB.ctl"; }
recs() { cmd=$1; shift; "$PY" "$HERE/records.py" "$cmd" "$TMP/$STUB.rec" "$@"; }
mark() { MARK=$(recs count); }
new_lines() { recs lines "$MARK"; }

# run ENV... -- ARGS...: the driver with exactly these variables added.
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	cat "$TMP/out" "$TMP/err" >>"$TMP/all-output"
}
