#!/bin/sh
# Benchmark of the MLflow tracking API (make bench-tracking): lathed on a
# private state directory, driven over TCP on loopback with a key and
# keep-alive by bench_tracking, whose figures are printed beside those of
# MLflow 2.12's own tracking server (mlflow server, SQLite backend) for
# the same work. Prints figures; passes or fails nothing.
# BENCH_TRACKING_RUNS sets the size of the large search (default 100000).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
RUNS=${BENCH_TRACKING_RUNS:-100000}

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
KEY=$(curl -s --unix-socket "$SOCK" -X POST --data '{"name": "bench"}' \
    http://l/api/v1/keys | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

echo "MLflow tracking API, TCP on loopback, one keep-alive connection:"
"$top_builddir/tests/bench/bench_tracking" "http://127.0.0.1:$PORT" "$KEY" \
    "$RUNS"
echo
du -sh "$LATHE_STATE_DIR/lathe.db" "$LATHE_STATE_DIR/lathe.db-wal" \
    2>/dev/null | sed 's/^/  store: /'
