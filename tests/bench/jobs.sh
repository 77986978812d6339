#!/bin/sh
# Benchmark of jobs (make bench, or make bench-jobs alone) on a real lathed
# with a state directory of its own, each figure beside the same thing done
# without lathe in the same run:
#  1. from the request for a run to its script's first instruction (sh,
#     bash, python3), against the script started with fork and exec;
#  2. runs a second for 1,000 short runs, at --max-runs of the number of
#     CPUs and four times that, against a shell loop and xargs -P, with
#     lathed's peak RSS;
#  3. how far behind a followed log is at 10,000 lines a second, against
#     the writer piped into the reader, and tail -f on a file.
# Prints figures; passes or fails nothing. BENCH_JOBS_PARTS picks some of
# "latency throughput log"; BENCH_* below change the sizes.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
LATENCY_RUNS=${BENCH_LATENCY_RUNS:-50}
THROUGHPUT_RUNS=${BENCH_THROUGHPUT_RUNS:-1000}
LOG_RATE=${BENCH_LOG_RATE:-10000}
LOG_SECONDS=${BENCH_LOG_SECONDS:-5}
PARTS=${BENCH_JOBS_PARTS:-latency throughput log}
NCPU=$(nproc)
BJ="$top_builddir/tests/bench/bench_jobs"

T=$(mktemp -d "${TMPDIR:-/tmp}/lathe-bench.XXXXXX")
export HOME="$T/home" LATHE_STATE_DIR="$T/state" LATHE_RUNTIME_DIR="$T/run"
export LATHE_DATA_DIR="$top_srcdir/core"
unset LATHE_URL LATHE_KEY XDG_STATE_HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME
SOCK="$LATHE_RUNTIME_DIR/lathed.sock"
P=/api/v1/projects/bench
mkdir -p "$HOME" "$T/src" "$T/out"
pid=""
trap 'stop_core; rm -rf "$T"' EXIT

stop_core() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=""
	fi
}

# start_core MAX_RUNS: a fresh lathed on the same state, with its runtimes
# discovered (runs asked for before then would wait for them).
start_core() {
	"$top_builddir/lathed" --foreground --max-runs "$1" \
	    >>"$T/lathed.out" 2>&1 &
	pid=$!
	i=0
	until curl -s --unix-socket "$SOCK" http://l/api/v1/runtimes \
	    2>/dev/null | grep -q '"kernel":"sh"'; do
		i=$((i + 1))
		[ $i -lt 200 ] || { cat "$T/lathed.out"; exit 1; }
		sleep 0.05
	done
}

# api METHOD PATH [BODY]: the answer in $T/body; stops the bench on an error.
api() {
	code=$(curl -s --unix-socket "$SOCK" -X "$1" -o "$T/body" \
	    -w '%{http_code}' -H 'Content-Type: application/json' \
	    ${3:+--data "$3"} "http://l$2")
	case $code in
	2??) ;;
	*) echo "$1 $2: $code $(cat "$T/body")" >&2; exit 1 ;;
	esac
}

# runtime KERNEL: the interpreter lathe runs for it, for the direct runs.
runtime() {
	api GET /api/v1/runtimes
	python3 -c 'import json,sys
print([r["command"] for r in json.load(open(sys.argv[1]))["runtimes"]
    if r["name"] == sys.argv[2]][0])' "$T/body" "$1"
}

# val KEY FILE: a figure bench_jobs printed.
val() {
	awk -v k="$1" '$1 == k { print $2 }' "$2"
}

# row WHAT LATHE WITHOUT HOW: a line of the table.
row() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$T/table"
}

# cpu_ticks: lathed's user and system time so far, in clock ticks.
cpu_ticks() {
	sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'
}
HZ=$(getconf CLK_TCK)

now_ns() {
	date +%s%N
}

# rate N START_NS END_NS: runs a second.
rate() {
	awk -v n="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.0f/s", n * 1e9 / (e - s) }'
}

# The workloads: each writes its time stamp first thing.
src="$T/src"
printf 'date +%%s%%N >"$1"\n' >"$src/stamp.sh"
printf 'echo "$EPOCHREALTIME" >"$1"\n' >"$src/stamp-bash.sh"
cat >"$src/stamp.py" <<'EOF'
import time
t = time.time_ns()
import sys
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % t)
EOF
printf 'true\n' >"$src/true.sh"
printf 'exec "$@"\n' >"$src/exec.sh"

# latency NAME JOB SCRIPT INTERPRETER HOW: request to exec, both ways.
latency() {
	"$BJ" latency "$SOCK" bench "$2" "$LATENCY_RUNS" "$T/out/stamp" \
	    -- "$4" "$src/$3" >"$T/lat.$1"
	row "request to exec, $1, median" \
	    "$(val lathe_median_ms "$T/lat.$1") ms" \
	    "$(val direct_median_ms "$T/lat.$1") ms" "fork+exec $4 script; $5"
	row "request to exec, $1, p95" "$(val lathe_p95_ms "$T/lat.$1") ms" \
	    "$(val direct_p95_ms "$T/lat.$1") ms" "fork+exec $4 script; $5"
}

part_latency() {
	echo "1. request to exec: $LATENCY_RUNS runs of each script, each" \
	    "followed by the same run directly..."
	api POST "$P/jobs" '{"name": "stamp-sh", "script": "stamp.sh", "runtime": "sh"}'
	api POST "$P/jobs" '{"name": "stamp-bash", "script": "stamp-bash.sh", "runtime": "bash"}'
	api POST "$P/jobs" '{"name": "stamp-py", "script": "stamp.py", "runtime": "python3"}'
	latency sh stamp-sh stamp.sh "$(runtime sh)" "date +%s%N"
	latency bash stamp-bash stamp-bash.sh "$(runtime bash)" \
	    "\$EPOCHREALTIME"
	py=$(runtime python3)
	latency python3 stamp-py stamp.py "$py" "time.time_ns()"
	# The python3 found on PATH may be a wrapper (pyenv's shims are
	# bash scripts): measured again with the interpreter itself.
	real=$("$py" -c 'import sys; print(sys.executable)')
	if [ "$real" != "$py" ]; then
		api POST /api/v1/runtimes "{\"name\": \"bench-python3\", \"kernel\": \"python3\", \"command\": \"$real\"}"
		api POST "$P/jobs" '{"name": "stamp-py-real", "script": "stamp.py", "runtime": "bench-python3"}'
		latency "python3 itself" stamp-py-real stamp.py "$real" \
		    "time.time_ns()"
	fi
	row "POST .../runs answered, median" \
	    "$(val answer_median_ms "$T/lat.sh") ms" "-" \
	    "(the request alone, sh job)"
}

part_throughput() {
	echo "2. throughput: $THROUGHPUT_RUNS runs of true.sh, at --max-runs" \
	    "$NCPU and $((NCPU * 4))..."
	sh=$(runtime sh)
	for mr in "$NCPU" $((NCPU * 4)); do
		stop_core
		start_core "$mr"
		rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
		cpu=$(cpu_ticks)
		api POST "$P/jobs" "{\"name\": \"true-$mr\", \"script\": \"true.sh\", \"runtime\": \"sh\", \"max_concurrent\": 1000}"
		"$BJ" throughput "$SOCK" bench "true-$mr" "$THROUGHPUT_RUNS" \
		    >"$T/tp.$mr"
		hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
		cpu=$(($(cpu_ticks) - cpu))
		start=$(now_ns)
		seq "$THROUGHPUT_RUNS" | xargs -P "$mr" -n 1 "$sh" \
		    "$src/true.sh"
		direct=$(rate "$THROUGHPUT_RUNS" "$start" "$(now_ns)")
		row "$THROUGHPUT_RUNS runs, --max-runs $mr" \
		    "$(val runs_per_s "$T/tp.$mr" | cut -d. -f1)/s" "$direct" \
		    "seq | xargs -P $mr -n 1 sh true.sh"
		row "  ... of which succeeded" "$(val succeeded "$T/tp.$mr")" \
		    "-" ""
		row "  ... all requests sent in" \
		    "$(val asked_s "$T/tp.$mr") s" "-" "(one connection)"
		row "  ... first queued to last ended" \
		    "$(val recorded_s "$T/tp.$mr") s" "-" \
		    "(as lathed recorded it)"
		row "  ... mean run duration" \
		    "$(val mean_duration_ms "$T/tp.$mr") ms" "-" \
		    "(started_ms to ended_ms)"
		row "  ... first tenth to end (queue full)" \
		    "$(val first_tenth_per_s "$T/tp.$mr" | cut -d. -f1)/s" \
		    "-" ""
		row "  ... last tenth to end (queue empty)" \
		    "$(val last_tenth_per_s "$T/tp.$mr" | cut -d. -f1)/s" \
		    "-" ""
		row "  ... lathed CPU time (user + system)" \
		    "$(awk -v t="$cpu" -v hz="$HZ" \
		    'BEGIN { printf "%.2f s", t / hz }')" "-" ""
		row "  ... lathed RSS, start / peak (VmHWM)" \
		    "$((rss / 1024)) / $((hwm / 1024)) MiB" "-" ""
	done
	start=$(now_ns)
	i=0
	while [ $i -lt "$THROUGHPUT_RUNS" ]; do
		"$sh" "$src/true.sh"
		i=$((i + 1))
	done
	row "$THROUGHPUT_RUNS runs, one at a time" "-" \
	    "$(rate "$THROUGHPUT_RUNS" "$start" "$(now_ns)")" \
	    "while loop in sh: sh true.sh"
}

part_log() {
	echo "3. log lag: $LOG_RATE lines/s for $LOG_SECONDS s, each line" \
	    "stamped as written..."
	api POST "$P/jobs" '{"name": "log", "script": "exec.sh", "runtime": "sh"}'
	"$BJ" follow "$SOCK" bench log "$BJ" gen "$LOG_RATE" "$LOG_SECONDS" \
	    1 >"$T/lag.lathe"
	"$BJ" gen "$LOG_RATE" "$LOG_SECONDS" 1 | "$BJ" read >"$T/lag.pipe"
	: >"$T/out/log"
	"$BJ" gen "$LOG_RATE" "$LOG_SECONDS" 1 >"$T/out/log" &
	gen=$!
	tail -n +1 -f --pid="$gen" "$T/out/log" | "$BJ" read >"$T/lag.tail"
	wait "$gen"
	for q in median p95 max; do
		row "log followed (follow=1), lag, $q" \
		    "$(val "${q}_ms" "$T/lag.lathe") ms" \
		    "$(val "${q}_ms" "$T/lag.pipe") ms" "gen | reader"
		row "" "" "$(val "${q}_ms" "$T/lag.tail") ms" \
		    "gen >file & tail -f file | reader"
	done
	row "  ... lines received, of $(awk -v r="$LOG_RATE" \
	    -v s="$LOG_SECONDS" 'BEGIN { print r * s }')" \
	    "$(val lines "$T/lag.lathe")" "$(val lines "$T/lag.pipe")" \
	    "(tail -f: $(val lines "$T/lag.tail"))"
	row "  ... lines written a second" \
	    "$(val written_per_s "$T/lag.lathe")/s" \
	    "$(val written_per_s "$T/lag.pipe")/s" \
	    "(tail -f: $(val written_per_s "$T/lag.tail")/s)"
	for f in lathe pipe tail; do
		if [ "$(val early "$T/lag.$f")" != 0 ]; then
			echo "note: $(val early "$T/lag.$f") lines were written" \
			    "before the $f reader was ready; their lag" \
			    "includes the wait"
		fi
	done
}

echo "machine: $NCPU CPUs, $(uname -sr)"
start_core "$NCPU"
api POST /api/v1/projects "{\"name\": \"bench\", \"source\": {\"type\": \"dir\", \"location\": \"$src\"}}"
: >"$T/table"
for part in $PARTS; do
	case $part in
	latency|throughput|log) "part_$part" ;;
	*) echo "BENCH_JOBS_PARTS: no part '$part'" >&2; exit 2 ;;
	esac
done

echo
awk -F '\t' 'BEGIN {
	printf "%-40s %16s %16s   %s\n", "", "lathe", "without lathe",
	    "how, without lathe"
} { printf "%-40s %16s %16s   %s\n", $1, $2, $3, $4 }' "$T/table"
