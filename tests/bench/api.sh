#!/bin/sh
# Benchmark of the management API (make bench): 10,000 projects listed over
# the unix socket and over TCP, beside what a user would do without lathe:
# list the project directories with ls, or query the database with the
# sqlite3 shell. Prints figures; passes or fails nothing.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
N=${BENCH_PROJECTS:-10000}
REQUESTS=${BENCH_REQUESTS:-2000}

T=$(mktemp -d "${TMPDIR:-/tmp}/lathe-bench.XXXXXX")
export LATHE_STATE_DIR="$T/state" LATHE_RUNTIME_DIR="$T/run"
export LATHE_DATA_DIR="$top_srcdir/core"
SOCK="$LATHE_RUNTIME_DIR/lathed.sock"
"$top_builddir/lathed" --foreground --log-level warn >"$T/lathed.out" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
i=0
until curl -s --unix-socket "$SOCK" -o /dev/null http://l/api/v1/health; do
	i=$((i + 1))
	[ $i -lt 200 ] || { cat "$T/lathed.out"; exit 1; }
	sleep 0.05
done
PORT=$(cat "$LATHE_STATE_DIR/lathed.port")

echo "creating $N projects (each adopts a directory of its own)..."
mkdir -p "$T/dirs"
python3 - "$T/dirs" "$N" "$SOCK" <<'PY' >"$T/create.cfg"
import os, sys
root, n, sock = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    d = f"{root}/project-{i:05d}"
    os.mkdir(d)
    print(f'url = "http://l/api/v1/projects"')
    print(f'unix-socket = "{sock}"')
    print(f'data = "{{\\"name\\": \\"project-{i:05d}\\", \\"source\\": {{\\"type\\": \\"dir\\", \\"location\\": \\"{d}\\"}}}}"')
    print('output = "/dev/null"')
    print('header = "Content-Type: application/json"')
    if i < n - 1:
        print('next')
PY
start=$(date +%s.%N)
curl -s -K "$T/create.cfg"
end=$(date +%s.%N)
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN { printf "created %d projects in %.2f s (%.0f/s; one curl, one connection)\n", n, e - s, n / (e - s) }' 

KEY=$(curl -s --unix-socket "$SOCK" -X POST --data '{"name": "bench"}' \
    http://l/api/v1/keys | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

echo
echo "lathe, the API ($REQUESTS requests each):"
"$top_builddir/tests/bench/bench_api" "$SOCK" "http://127.0.0.1:$PORT" "$KEY" "$REQUESTS"

echo
echo "without lathe, the same listing by hand (mean of 20 runs):"
time_cmd() {
	label=$1
	shift
	start=$(date +%s.%N)
	j=0
	while [ $j -lt 20 ]; do
		"$@" >/dev/null
		j=$((j + 1))
	done
	end=$(date +%s.%N)
	awk -v l="$label" -v s="$start" -v e="$end" \
	    'BEGIN { printf "%-44s %8.2f ms\n", l, (e - s) * 1000 / 20 }' 
}
time_cmd "ls -l of the $N project directories" ls -l "$T/dirs"
time_cmd "sqlite3 shell, first 100 projects" sqlite3 \
    "$LATHE_STATE_DIR/lathe.db" \
    "SELECT * FROM projects ORDER BY name LIMIT 100"
time_cmd "sqlite3 shell, all $N projects" sqlite3 \
    "$LATHE_STATE_DIR/lathe.db" "SELECT * FROM projects ORDER BY name"
