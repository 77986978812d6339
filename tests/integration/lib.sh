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
