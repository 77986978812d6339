#!/bin/sh
# Benchmark of the terminal UI (make bench): lathe on a pseudo-terminal,
# showing the example project and a project of 100,000 files, beside what a
# user would do without it (vim on the README, ls -la, ls -l), all measured
# by tests/bench/bench_tui in this run. Prints figures; passes or fails
# nothing. Builds nothing: lathe, lathed and bench_tui must be built.
set -eu
top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
N=${BENCH_FILES:-100000}
KPS=${BENCH_KEYS_PER_SECOND:-30}

T=$(mktemp -d "${TMPDIR:-/tmp}/lathe-bench-tui.XXXXXX")
pid='' bench=''
# Stop what this script started, by pid: the benchmark (its programs on
# pseudo-terminals get SIGHUP as their terminal goes), then lathed.
cleanup() {
	if [ -n "$bench" ]; then
		kill -TERM "$bench" 2>/dev/null || :
		wait "$bench" 2>/dev/null || :
	fi
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

export LATHE_STATE_DIR="$T/state" LATHE_RUNTIME_DIR="$T/run"
export HOME="$T/home" XDG_CONFIG_HOME="$T/config"
export LATHE_DATA_DIR="$T/data" LATHED="$top_builddir/lathed"
unset LATHE_URL XDG_STATE_HOME XDG_RUNTIME_DIR
mkdir -p "$HOME" "$LATHE_DATA_DIR"
ln -s "$top_srcdir/core/templates" "$LATHE_DATA_DIR/templates"
ln -s "$top_srcdir/themes" "$LATHE_DATA_DIR/themes"

"$top_builddir/lathed" --foreground --log-level warn >"$T/lathed.out" 2>&1 &
pid=$!
i=0
until [ -S "$LATHE_RUNTIME_DIR/lathed.sock" ]; do
	i=$((i + 1))
	if [ $i -ge 200 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "lathed did not start:" >&2
		cat "$T/lathed.out" >&2
		exit 1
	fi
	sleep 0.05
done

lathe="$top_builddir/lathe"
"$lathe" project create example --template example >/dev/null
example_dir=$("$lathe" --json project show example |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["path"])')

echo "creating a project of $N empty files..."
python3 - "$T/big" "$N" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.mkdir(d)
for i in range(n):
    name = f"{d}/sample-{i:06d}.csv"
    os.close(os.open(name, os.O_CREAT | os.O_WRONLY, 0o644))
PY
"$lathe" project create big --dir "$T/big" >/dev/null

echo
# In the background, so that a signal reaches the trap at once.
"$top_builddir/tests/bench/bench_tui" "$lathe" "$example_dir" "$T/big" \
    "$KPS" &
bench=$!
rc=0
wait "$bench" || rc=$?
bench=''
[ "$rc" -eq 0 ] || exit "$rc"
