# Shared harness of the integration tests: a private state directory, the
# real lathed started on it, curl against its socket and TCP port, and TAP
# output. Source it, call the checks, end with `done_testing`.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

T=$(mktemp -d "${TMPDIR:-/tmp}/lathe-test.XXXXXX")
export HOME="$T/home"
export LATHE_STATE_DIR="$T/state"
export LATHE_RUNTIME_DIR="$T/run"
export LATHE_DATA_DIR="$top_srcdir/core"
export LATHED="$top_builddir/lathed"
export PATH="$top_builddir:$PATH"
unset LATHE_URL LATHE_KEY XDG_STATE_HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME
mkdir -p "$HOME"
SOCK="$LATHE_RUNTIME_DIR/lathed.sock"
CORE_PID=""
tap_n=0
tap_failed=0

cleanup() {
	if [ -n "$CORE_PID" ] && kill -0 "$CORE_PID" 2>/dev/null; then
		kill -TERM "$CORE_PID" 2>/dev/null
		wait "$CORE_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
}

# check NAME COMMAND...: one test that passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "command: $*" "$(head -c 2000 "$T/check.out")"
	fi
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# Start lathed in the foreground on the private state; wait for its socket.
start_core() {
	"$LATHED" --foreground --log-level debug "$@" \
	    >>"$T/lathed.out" 2>&1 &
	CORE_PID=$!
	i=0
	while [ $i -lt 200 ]; do
		if curl -s --unix-socket "$SOCK" -o /dev/null \
		    http://l/api/v1/health 2>/dev/null; then
			PORT=$(cat "$LATHE_STATE_DIR/lathed.port")
			return 0
		fi
		kill -0 "$CORE_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	echo "# lathed did not start:"
	sed 's/^/# /' "$T/lathed.out" | tail -20
	return 1
}

stop_core() {
	[ -n "$CORE_PID" ] || return 0
	kill -TERM "$CORE_PID" 2>/dev/null
	wait "$CORE_PID" 2>/dev/null
	CORE_STATUS=$?
	CORE_PID=""
}

# api METHOD PATH [BODY]: request over the socket; sets STATUS, BODY is in
# $T/body.
api() {
	method=$1
	path=$2
	shift 2
	if [ $# -gt 0 ]; then
		STATUS=$(curl -s --unix-socket "$SOCK" -o "$T/body" \
		    -w '%{http_code}' -X "$method" \
		    -H 'Content-Type: application/json' --data-binary "$1" \
		    "http://l$path")
	else
		STATUS=$(curl -s --unix-socket "$SOCK" -o "$T/body" \
		    -w '%{http_code}' -X "$method" "http://l$path")
	fi
}

# tcp METHOD PATH [CURL ARGS...]: request over TCP.
tcp() {
	method=$1
	path=$2
	shift 2
	STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -X "$method" "$@" \
	    "http://127.0.0.1:$PORT$path")
}

# jq-like field access with python3: field EXPR (on $T/body).
field() {
	python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    if k == "":
        continue
    if v is None:
        break
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' \
	    "$T/body" "$1"
}

# expect NAME STATUS [ERROR_CODE [MESSAGE_PART]]: check the last answer.
expect() {
	name=$1
	want=$2
	code=${3:-}
	part=${4:-}
	got_code=""
	got_msg=""
	if [ -n "$code" ] || [ -n "$part" ]; then
		got_code=$(field error_code 2>/dev/null)
		got_msg=$(field message 2>/dev/null)
	fi
	if [ "$STATUS" != "$want" ]; then
		not_ok "$name" "status $STATUS, wanted $want" \
		    "$(head -c 500 "$T/body")"
	elif [ -n "$code" ] && [ "$got_code" != "$code" ]; then
		not_ok "$name" "error_code '$got_code', wanted $code" \
		    "$(head -c 500 "$T/body")"
	elif [ -n "$part" ] && ! printf '%s' "$got_msg" | grep -qF -- "$part"; then
		not_ok "$name" "message '$got_msg' lacks '$part'"
	else
		ok "$name"
	fi
}

# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:    $2" "wanted: $3"
	fi
}

# The checks of lathe commands, as a user runs them.

# run [-C DIR] [-i FILE] COMMAND...: run it in DIR with stdin from FILE
# (/dev/null by default, never a terminal), bounded in time; its exit
# status is in RC, its output in $T/out and $T/err.
run() {
	dir=.
	in=/dev/null
	while :; do
		case $1 in
		-C) dir=$2; shift 2 ;;
		-i) in=$2; shift 2 ;;
		*) break ;;
		esac
	done
	(cd "$dir" && exec timeout 20 "$@") <"$in" >"$T/out" 2>"$T/err"
	RC=$?
}

# The last run's output, for a failed test's diagnosis: one argument of
# not_ok, its lines after the first already commented out for TAP.
said() {
	{
		echo "exit $RC"
		echo "stdout: $(head -c 600 "$T/out")"
		echo "stderr: $(head -c 600 "$T/err")"
	} | sed '2,$s/^/# /'
}

# passes NAME [STDOUT_PART...]: the last run exited 0, printed every part
# on stdout and nothing on stderr.
passes() {
	name=$1
	shift
	if [ "$RC" != 0 ]; then
		not_ok "$name" "wanted exit 0" "$(said)"
		return
	fi
	for part in "$@"; do
		if ! grep -qF -- "$part" "$T/out"; then
			not_ok "$name" "stdout lacks '$part'" "$(said)"
			return
		fi
	done
	if [ -s "$T/err" ]; then
		not_ok "$name" "unexpected stderr" "$(said)"
		return
	fi
	ok "$name"
}

# fails NAME STATUS [STDERR_PART...]: the last run exited STATUS with
# "lathe: " and every part on stderr, and nothing on stdout.
fails() {
	name=$1
	want=$2
	shift 2
	if [ "$RC" != "$want" ]; then
		not_ok "$name" "wanted exit $want" "$(said)"
		return
	fi
	if ! head -n 1 "$T/err" | grep -q '^lathe: '; then
		not_ok "$name" "stderr does not start with 'lathe: '" "$(said)"
		return
	fi
	for part in "$@"; do
		if ! grep -qF -- "$part" "$T/err"; then
			not_ok "$name" "stderr lacks '$part'" "$(said)"
			return
		fi
	done
	if [ -s "$T/out" ]; then
		not_ok "$name" "unexpected stdout" "$(said)"
		return
	fi
	ok "$name"
}

# json_ok NAME STATUS EXPR: the last run exited STATUS and its stdout is
# JSON for which the python expression EXPR (on v) is true.
json_ok() {
	if [ "$RC" != "$2" ]; then
		not_ok "$1" "wanted exit $2" "$(said)"
	elif python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$T/out" "$3" 2>"$T/py.err"; then
		ok "$1"
	else
		not_ok "$1" "false: $3" "$(said)" "$(tail -n 1 "$T/py.err")"
	fi
}

# out_field EXPR: a field of the last run's JSON output.
out_field() {
	cp "$T/out" "$T/body"
	field "$1"
}

# skip WHAT N: N tests that cannot run here.
skip() {
	i=0
	while [ $i -lt "$2" ]; do
		ok "$1 # SKIP"
		i=$((i + 1))
	done
}

# no_byte FILE BYTE: FILE holds no BYTE.
no_byte() {
	test "$(tr -dc "$2" <"$1" | wc -c)" -eq 0
}

# lacks FILE STRING: FILE does not hold STRING.
lacks() {
	! grep -qF -e "$2" "$1"
}

# exited PID: the process is gone, or a zombie not yet reaped.
exited() {
	! kill -0 "$1" 2>/dev/null || [ ! -e "/proc/$1" ] ||
	    [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
