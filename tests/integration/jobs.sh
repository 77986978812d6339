#!/bin/sh
# Jobs through the API: runtimes, profiles, cron previews, jobs and their
# checks, runs ending in every status (success, failure, timeout, stop, out
# of memory, missing script, retries, a dependent chain and a failing
# parent), the run's environment and key, logs read and followed, queues,
# a cron schedule firing, and lathed killed with runs in flight.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

start_core || { not_ok "lathed starts"; done_testing; }

J=/api/v1/projects/p

# run_wait ID: wait (at most 60 s) until run ID has ended; $T/body is it.
run_wait() {
	i=0
	while [ $i -lt 600 ]; do
		api GET "$J/runs/$1"
		[ "$(field active)" = "false" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# run_status ID: wait for run ID to reach a status other than queued
# (at most 20 s).
run_started() {
	i=0
	while [ $i -lt 200 ]; do
		api GET "$J/runs/$1"
		[ "$(field status)" = "running" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start JOB [BODY]: start a run of JOB; RUN is its id.
start() {
	api POST "$J/jobs/$1/runs" "${2:-}"
	RUN=$(field id)
}

# Wait for runtime discovery.
i=0
while [ $i -lt 100 ]; do
	api GET /api/v1/runtimes
	grep -q '"kernel":"python3"' "$T/body" && break
	sleep 0.1
	i=$((i + 1))
done
expect "runtimes are listed" 200
is "python3 is discovered" \
    "$(python3 -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1]))["runtimes"] if x["name"] == "python3"]
print(r[0]["kernel"], r[0]["discovered"])' "$T/body")" "python3 True"
check "bash is discovered" grep -q '"name":"bash"' "$T/body"
api POST /api/v1/runtimes '{"name": "py", "kernel": "python3", "command": "/usr/bin/python3"}'
expect "a runtime is registered" 201
is "with its version" "$(field version)" \
    "$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')"
api POST /api/v1/runtimes '{"name": "py", "kernel": "python3", "command": "/usr/bin/python3"}'
expect "a runtime name is taken once" 400 RESOURCE_ALREADY_EXISTS
api POST /api/v1/runtimes '{"name": "nope", "kernel": "python3", "command": "/no/such/python"}'
expect "a missing interpreter is refused" 400 INVALID_PARAMETER_VALUE "/no/such/python"
api POST /api/v1/runtimes '{"name": "rel", "kernel": "python3", "command": "python3"}'
expect "a relative command is refused" 400 INVALID_PARAMETER_VALUE
api POST /api/v1/runtimes '{"name": "cob", "kernel": "cobol", "command": "/usr/bin/python3"}'
expect "an unknown kernel is refused" 400 INVALID_PARAMETER_VALUE "cobol"
api DELETE /api/v1/runtimes/bash
expect "a discovered runtime cannot be removed" 400 INVALID_PARAMETER_VALUE "found on this machine"
api DELETE /api/v1/runtimes/py
expect "a registered runtime is removed" 200
api DELETE /api/v1/runtimes/py
expect "removing it twice is 404" 404 RESOURCE_DOES_NOT_EXIST

api GET /api/v1/profiles
is "the built-in profiles" "$(python3 -c 'import json,sys
print(" ".join("%s:%g/%d" % (p["name"], p["vcpu"], p["memory_mb"])
    for p in json.load(open(sys.argv[1]))["profiles"] if p["builtin"]))' "$T/body")" \
    "small:1/2048 medium:2/4096 large:4/8192"
api POST /api/v1/profiles '{"name": "tiny", "vcpu": 0.5, "memory": "64M"}'
expect "a profile is added" 201
is "its memory in MiB" "$(field memory_mb)" 64
api POST /api/v1/profiles '{"name": "tiny", "vcpu": 1, "memory": "1G"}'
expect "a profile name is taken once" 400 RESOURCE_ALREADY_EXISTS
api POST /api/v1/profiles '{"name": "bad", "vcpu": 0, "memory": "1G"}'
expect "vcpu must be positive" 400 INVALID_PARAMETER_VALUE "vcpu"
api POST /api/v1/profiles '{"name": "bad", "vcpu": 1, "memory": "lots"}'
expect "memory must be a size" 400 INVALID_PARAMETER_VALUE "lots"
api POST /api/v1/profiles '{"name": "bad", "vcpu": 1}'
expect "memory is required" 400 INVALID_PARAMETER_VALUE "memory"
api DELETE /api/v1/profiles/small
expect "a built-in profile stays" 404 RESOURCE_DOES_NOT_EXIST "built-in"

api GET '/api/v1/cron?expr=0%203%20*%20*%20*&timezone=UTC&count=3'
expect "a cron expression is previewed" 200
is "three fire times at 03:00 UTC" "$(python3 -c 'import json,sys
print(" ".join(t[10:] for t in json.load(open(sys.argv[1]))["next"]))' "$T/body")" \
    "T03:00:00.000Z T03:00:00.000Z T03:00:00.000Z"
api GET '/api/v1/cron?expr=0%2025%20*%20*%20*'
expect "a bad hour names its field" 400 INVALID_PARAMETER_VALUE "hour"
api GET '/api/v1/cron?expr=@daily&timezone=Mars/Olympus'
expect "an unknown zone is refused" 400 INVALID_PARAMETER_VALUE "Mars/Olympus"

# The project and its scripts.
src="$T/src"
mkdir -p "$src/sub"
cat >"$src/ok.py" <<'EOF'
import os, sys
print("args", sys.argv[1:])
for k in ("LATHE_PROJECT", "CDSW_PROJECT", "LATHE_RUN_ID", "CDSW_ENGINE_ID",
          "LATHE_JOB", "A", "B", "C", "PYTHONUNBUFFERED", "CUDA_VISIBLE_DEVICES",
          "MLFLOW_TRACKING_URI"):
    print("%s=%s" % (k, os.environ.get(k)))
print("cwd", os.getcwd())
print("nokey", "LATHE_SECRET_OF_LATHED" in os.environ)
print("to stderr", file=sys.stderr)
EOF
printf 'import sys\nprint("failing")\nsys.exit(3)\n' >"$src/fail.py"
cat >"$src/sleep.py" <<'EOF'
import sys, time
print("sleeping", flush=True)
time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 60)
print("done")
EOF
cat >"$src/oom.py" <<'EOF'
blocks = []
for i in range(64):
    blocks.append(bytearray(16 * 1024 * 1024))
print("allocated everything")
EOF
cat >"$src/flaky.py" <<'EOF'
import os, sys
n = int(open("count").read()) if os.path.exists("count") else 0
open("count", "w").write(str(n + 1))
print("attempt", n + 1)
sys.exit(0 if n + 1 >= 2 else 1)
EOF
cat >"$src/mark.py" <<'EOF'
import os, sys
open("marks", "a").write(os.environ["LATHE_JOB"] + "\n")
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
EOF
cat >"$src/key.py" <<'EOF'
import os, urllib.request
req = urllib.request.Request(os.environ["LATHE_API_URL"] + "/api/v1/health",
    headers={"Authorization": "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"]})
print("health", urllib.request.urlopen(req).status)
open("key", "w").write(os.environ["MLFLOW_TRACKING_TOKEN"])
EOF
printf 'for i in $(seq 1 20000); do echo "line $i"; done\n' >"$src/many.sh"
printf 'echo hello from sh\n' >"$src/sub/hello.sh"
printf 'not a script\n' >"$src/data.unknown"
api POST /api/v1/projects "{\"name\": \"p\", \"source\": {\"type\": \"dir\", \"location\": \"$src\"}}"
expect "the project is created" 201
api PUT "$J/env/A" '{"value": "project"}'
api PUT "$J/env/C" '{"value": "project"}'

# A schedule that fires within a minute; looked at near the end.
api POST "$J/jobs" '{"name": "minutely", "script": "sub/hello.sh", "schedule": {"type": "cron", "cron": "* * * * *", "timezone": "UTC"}}'
expect "a cron job is created" 201
is "its schedule is normalised" "$(field schedule.cron)" "* * * * *"
check "its next fire time is within a minute" python3 -c 'import json,sys,time
n = json.load(open(sys.argv[1]))["next_fire_ms"] / 1000
sys.exit(0 if 0 < n - time.time() <= 61 and n % 60 == 0 else 1)' "$T/body"
MINUTELY_CREATED=$(date +%s)

# Job checks.
api POST "$J/jobs" '{"name": "x", "script": "missing.py"}'
expect "a missing script is refused" 400 INVALID_PARAMETER_VALUE "missing.py"
api POST "$J/jobs" '{"name": "x", "script": "../outside.py"}'
expect "a script outside the project is refused" 400 INVALID_PARAMETER_VALUE ".."
api POST "$J/jobs" '{"name": "x"}'
expect "a script is required" 400 INVALID_PARAMETER_VALUE "script"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "schedule": {"type": "cron", "cron": "0 0 32 * *"}}'
expect "a bad cron names the field" 400 INVALID_PARAMETER_VALUE "day of month"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "schedule": {"type": "cron", "cron": "0 0 * * * *"}}'
expect "six cron fields are refused" 400 INVALID_PARAMETER_VALUE "schedule"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "schedule": {"type": "weekly"}}'
expect "an unknown schedule type is refused" 400 INVALID_PARAMETER_VALUE "weekly"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "runtime": "cobol9"}'
expect "an unknown runtime is refused" 400 INVALID_PARAMETER_VALUE "cobol9"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "profile": "huge"}'
expect "an unknown profile is refused" 400 INVALID_PARAMETER_VALUE "huge"
api POST "$J/jobs" '{"name": "x", "script": "data.unknown"}'
expect "a script no runtime runs needs one named" 400 INVALID_PARAMETER_VALUE "runtime"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "schedule": {"type": "dependent", "parent": "nobody"}}'
expect "an unknown parent is refused" 400 INVALID_PARAMETER_VALUE "nobody"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "timeout_seconds": -1}'
expect "a negative timeout is refused" 400 INVALID_PARAMETER_VALUE "timeout_seconds"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "arguments": "one"}'
expect "arguments must be a list" 400 INVALID_PARAMETER_VALUE "arguments"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "env": {"LATHE_X": "1"}}'
expect "LATHE_ variables are lathe's" 400 INVALID_PARAMETER_VALUE "LATHE_"
api POST "$J/jobs" '{"name": "x", "script": "ok.py", "scedule": "manual"}'
expect "a misspelt field is refused" 400 INVALID_PARAMETER_VALUE "scedule"
api POST "$J/jobs" '{"name": "bad name", "script": "ok.py"}'
expect "a bad name is refused" 400 INVALID_PARAMETER_VALUE "job name"

api POST "$J/jobs" '{"name": "ok", "script": "ok.py", "arguments": ["--epochs", "5"], "env": {"A": "job", "B": "job"}}'
expect "a job is created" 201
is "with its arguments" "$(field arguments)" '["--epochs", "5"]'
is "and no run yet" "$(field last_run)" "null"
api POST "$J/jobs" '{"name": "OK", "script": "ok.py"}'
expect "job names are unique (case aside)" 400 RESOURCE_ALREADY_EXISTS
api GET "$J/jobs/nope"
expect "an unknown job is 404" 404 RESOURCE_DOES_NOT_EXIST

# Success, with the layered environment and the run's variables.
start ok '{"env": {"B": "run"}}'
expect "a run is started" 201
is "it is queued or running" "$(field active)" "true"
is "by hand" "$(field trigger)" "manual"
run_wait "$RUN"
is "it succeeds" "$(field status)" "succeeded"
is "exit code 0" "$(field exit_code)" "0"
is "the runtime chosen by extension" "$(field runtime)" "python3"
is "the default profile" "$(field profile)" "small"
is "the override's name is shown, not its value" "$(field env_overrides)" '["B"]'
check "it has a duration" test "$(field duration_ms)" != "null"
api GET "$J/runs/$RUN/logs"
expect "its log is read" 200
cp "$T/body" "$T/log.ok"
check "the log has the arguments" grep -qF "args ['--epochs', '5']" "$T/log.ok"
check "stderr is in the log too" grep -q "to stderr" "$T/log.ok"
check "project env is under job env" grep -qx "A=job" "$T/log.ok"
check "job env is under run overrides" grep -qx "B=run" "$T/log.ok"
check "project env reaches the run" grep -qx "C=project" "$T/log.ok"
check "the run knows its id" grep -qx "LATHE_RUN_ID=$RUN" "$T/log.ok"
check "and CML's name for it" grep -qx "CDSW_ENGINE_ID=$RUN" "$T/log.ok"
check "CML's project variable" grep -qx "CDSW_PROJECT=p" "$T/log.ok"
check "python output is unbuffered" grep -qx "PYTHONUNBUFFERED=1" "$T/log.ok"
check "no GPUs for a CPU profile" grep -qx "CUDA_VISIBLE_DEVICES=" "$T/log.ok"
check "the tracking server is the core" grep -qx "MLFLOW_TRACKING_URI=http://127.0.0.1:$PORT" "$T/log.ok"
check "it runs in the project directory" grep -qx "cwd $src" "$T/log.ok"
api GET "$J/runs/$RUN/logs?offset=5&limit=4"
is "a log is read from an offset" "$(cat "$T/body")" "$(tail -c +6 "$T/log.ok" | head -c 4)"
api GET "$J/runs/$RUN/logs?offset=-10"
is "or its last bytes" "$(cat "$T/body")" "$(tail -c 10 "$T/log.ok")"
api GET "$J/runs/$RUN/logs?offset=x"
expect "a bad offset is 400" 400 INVALID_PARAMETER_VALUE "offset"
api GET "$J/runs/999999"
expect "an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST
api GET "$J/runs/abc"
expect "a run id is a number" 400 INVALID_PARAMETER_VALUE
api GET "$J/jobs/ok"
is "the job shows its last run" "$(field last_run.id)" "$RUN"

# The run's key works while it runs and is revoked after.
api POST "$J/jobs" '{"name": "key", "script": "key.py"}'
start key
run_wait "$RUN"
is "a run reaches the core with its key" "$(field status)" "succeeded"
check "over TCP" grep -q "health 200" "$LATHE_STATE_DIR/runs/$RUN/log"
tcp GET /api/v1/health -H "Authorization: Bearer $(cat "$src/key")"
expect "the key is revoked when the run ends" 401 UNAUTHENTICATED

# Failure.
api POST "$J/jobs" '{"name": "fail", "script": "fail.py"}'
start fail
run_wait "$RUN"
is "a failing script fails" "$(field status)" "failed"
is "with its exit code" "$(field exit_code)" "3"
is "and says so" "$(field reason)" "exit code 3"

# Timeout.
api POST "$J/jobs" '{"name": "slow", "script": "sleep.py", "arguments": ["30"], "timeout_seconds": 1}'
start slow
run_wait "$RUN"
is "a run over its timeout is timed out" "$(field status)" "timed_out"
is "and says after how long" "$(field reason)" "timed out after 1 s"
is "it was ended by SIGTERM" "$(field signal)" "SIGTERM"

# Stop.
api POST "$J/jobs" '{"name": "sleepy", "script": "sleep.py", "arguments": ["60"]}'
start sleepy
run_started "$RUN"
api POST "$J/runs/$RUN/stop"
expect "a running run is stopped" 200
run_wait "$RUN"
is "it ends stopped" "$(field status)" "stopped"
is "by the user" "$(field reason)" "stopped by user"
api POST "$J/runs/$RUN/stop"
expect "stopping an ended run is refused" 400 INVALID_STATE "already ended"

# Out of memory under a small limit.
api POST "$J/jobs" '{"name": "hog", "script": "oom.py", "profile": "tiny"}'
start hog
run_wait "$RUN"
is "a run over its memory fails" "$(field status)" "failed"
is "and says it ran out of memory" "$(field reason)" "out of memory (limit 64 MiB)"
is "the limit is recorded" "$(field limits.memory_mb)" "64"
check "and how it was enforced" test -n "$(field limits.memory)"
api GET "$J/runs/$RUN/logs"
check "the script never finished" sh -c "! grep -q 'allocated everything' '$T/body'"

# A script removed after the job was made.
cp "$src/fail.py" "$src/gone.py"
api POST "$J/jobs" '{"name": "gone", "script": "gone.py"}'
rm "$src/gone.py"
start gone
run_wait "$RUN"
is "a missing script fails the run" "$(field status)" "failed"
is "saying which" "$(field reason | cut -d' ' -f1-4)" "script not found: gone.py"

# Retries: failing every time, and failing once.
api POST "$J/jobs" '{"name": "retry", "script": "fail.py", "retries": 2, "retry_backoff_seconds": 0}'
start retry
FIRST=$RUN
i=0
while [ $i -lt 300 ]; do
	api GET "$J/jobs/retry/runs"
	[ "$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["runs"]
print(len(r) == 3 and not any(x["active"] for x in r))' "$T/body")" = True ] && break
	sleep 0.1
	i=$((i + 1))
done
is "a failing job is tried 1 + retries times" "$(python3 -c 'import json,sys
print(" ".join("%s:%s:%s" % (x["attempt"], x["trigger"], x["status"])
    for x in reversed(json.load(open(sys.argv[1]))["runs"])))' "$T/body")" \
    "1:manual:failed 2:retry:failed 3:retry:failed"
rm -f "$src/count"
api POST "$J/jobs" '{"name": "flaky", "script": "flaky.py", "retries": 3, "retry_backoff_seconds": 1}'
start flaky
i=0
while [ $i -lt 300 ]; do
	api GET "$J/jobs/flaky/runs"
	[ "$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["runs"]
print(any(x["status"] == "succeeded" for x in r))' "$T/body")" = True ] && break
	sleep 0.1
	i=$((i + 1))
done
is "a flaky job succeeds on its retry" "$(python3 -c 'import json,sys
print(" ".join("%s:%s" % (x["attempt"], x["status"])
    for x in reversed(json.load(open(sys.argv[1]))["runs"])))' "$T/body")" \
    "1:failed 2:succeeded"

# A dependent chain A -> B -> C, and a failing parent stopping one.
rm -f "$src/marks"
api POST "$J/jobs" '{"name": "a", "script": "mark.py"}'
api POST "$J/jobs" '{"name": "b", "script": "mark.py", "schedule": {"type": "dependent", "parent": "a"}}'
expect "a dependent job is created" 201
is "it names its parent" "$(field schedule.parent)" "a"
api POST "$J/jobs" '{"name": "c", "script": "mark.py", "schedule": {"type": "dependent", "parent": "b"}}'
api GET "$J/jobs/a"
is "a job lists its dependents" "$(field dependents)" '["b"]'
api PATCH "$J/jobs/a" '{"schedule": {"type": "dependent", "parent": "c"}}'
expect "a cycle is refused" 400 INVALID_PARAMETER_VALUE "cycle"
api PATCH "$J/jobs/a" '{"schedule": {"type": "dependent", "parent": "a"}}'
expect "a job cannot follow itself" 400 INVALID_PARAMETER_VALUE "itself"
start a
A_RUN=$RUN
i=0
while [ $i -lt 300 ]; do
	api GET "$J/jobs/c"
	[ "$(field last_run.status)" = "succeeded" ] && break
	sleep 0.1
	i=$((i + 1))
done
is "the chain runs A, B, C in order" "$(cat "$src/marks" | tr '\n' ' ')" "a b c "
is "C was started by its parent's run" "$(field last_run.trigger)" "parent"
C_PARENT=$(field last_run.parent_run_id)
api GET "$J/runs/$C_PARENT"
is "which was B's, started by A's" "$(field job) $(field parent_run_id)" "b $A_RUN"
api DELETE "$J/jobs/b"
expect "a job with dependents cannot be deleted" 400 INVALID_STATE "'c'"

rm -f "$src/marks"
api POST "$J/jobs" '{"name": "a2", "script": "mark.py", "arguments": ["1"]}'
api POST "$J/jobs" '{"name": "b2", "script": "mark.py", "schedule": {"type": "dependent", "parent": "a2"}}'
start a2
run_wait "$RUN"
is "the parent fails" "$(field status)" "failed"
sleep 1
api GET "$J/jobs/b2/runs"
is "and its dependent never runs" "$(field runs)" "[]"

# Logs followed live, to the end.
api POST "$J/jobs" '{"name": "many", "script": "many.sh"}'
start many
curl -s -N --max-time 30 --unix-socket "$SOCK" \
    "http://l$J/runs/$RUN/logs?follow=1" >"$T/followed"
is "following a log gives every line until the run ends" \
    "$(wc -l <"$T/followed" | tr -d ' ') $(tail -1 "$T/followed")" \
    "20000 line 20000"
api POST "$J/jobs" '{"name": "tick", "script": "sleep.py", "arguments": ["1.5"]}'
start tick
curl -s -N --max-time 30 --unix-socket "$SOCK" \
    "http://l$J/runs/$RUN/logs?follow=1" >"$T/followed"
is "a follow waits for lines to come" "$(cat "$T/followed" | tr '\n' ' ')" \
    "sleeping done "

# One run at a time per job: the second waits.
start sleepy
R1=$RUN
run_started "$R1"
start sleepy
R2=$RUN
sleep 1
api GET "$J/runs/$R2"
is "a second run of a busy job waits in the queue" "$(field status)" "queued"
api POST "$J/runs/$R2/stop"
is "a queued run is stopped at once" "$(field status)" "stopped"
api POST "$J/runs/$R1/stop"
run_wait "$R1"

# Runs listed newest first, in pages.
api GET "$J/runs?page_size=2"
expect "the project's runs are listed" 200
TOKEN=$(field next_page_token)
FIRST_PAGE=$(python3 -c 'import json,sys
print(" ".join(x["id"] for x in json.load(open(sys.argv[1]))["runs"]))' "$T/body")
api GET "$J/runs?page_size=2&page_token=$TOKEN"
SECOND_PAGE=$(python3 -c 'import json,sys
print(" ".join(x["id"] for x in json.load(open(sys.argv[1]))["runs"]))' "$T/body")
check "pages follow on, newest first" python3 -c 'import sys
a = [int(x) for x in sys.argv[1].split() + sys.argv[2].split()]
sys.exit(0 if len(a) == 4 and a == sorted(a, reverse=True) else 1)' \
    "$FIRST_PAGE" "$SECOND_PAGE"
api GET "$J/runs?status=stopped"
check "runs are filtered by status" python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["runs"]
sys.exit(0 if r and all(x["status"] == "stopped" for x in r) else 1)' "$T/body"

# Rerun with the same overrides.
api GET "$J/jobs/ok/runs"
OK_RUN=$(field runs.0.id)
api POST "$J/runs/$OK_RUN/rerun"
expect "a run is run again" 201
run_wait "$(field id)"
api GET "$J/runs/$(field id)/logs"
check "with the same overrides" grep -qx "B=run" "$T/body"

# The schedule fired (at most a minute after it was made).
api GET "$J/jobs/minutely/runs"
while [ "$(field runs)" = "[]" ] && [ $(($(date +%s) - MINUTELY_CREATED)) -lt 75 ]; do
	sleep 1
	api GET "$J/jobs/minutely/runs"
done
is "a cron job runs on its schedule" "$(field runs.0.trigger)" "schedule"
api PATCH "$J/jobs/minutely" '{"paused": true}'
expect "a schedule is paused" 200
is "a paused job has no next fire time" "$(field next_fire_ms)" "null"

# A job that opens an MLflow run per job run, and a sweep.
cat >"$src/track.py" <<'EOF'
import os, sys
print("mlflow run", os.environ.get("MLFLOW_RUN_ID"))
from lathe import tracking
with tracking.start_run():
    tracking.log_metric("score", float(os.environ.get("SCORE", "1")), step=1)
print("args", sys.argv[1:])
EOF
api POST "$J/jobs" '{"name": "tracked", "script": "track.py", "experiment": "tracked-exp"}'
expect "a job names an experiment" 201
is "which it keeps" "$(field experiment)" "tracked-exp"
start tracked '{"env": {"SCORE": "0.75"}}'
run_wait "$RUN"
is "the tracked run succeeds" "$(field status)" "succeeded"
MLRUN=$(field mlflow_run_id)
check "it opened an MLflow run" test ${#MLRUN} -eq 32
api GET "$J/runs/$RUN/logs"
check "the script logged to that run (MLFLOW_RUN_ID)" grep -qx "mlflow run $MLRUN" "$T/body"
api GET "/api/2.0/mlflow/runs/get?run_id=$MLRUN"
expect "the MLflow run is there" 200
is "ended as the job run ended" "$(field run.info.status)" "FINISHED"
is "with the metric the script logged" "$(field run.data.metrics.0.value)" "0.75"
check "and linked back to the job run" python3 -c 'import json,sys
t = {x["key"]: x["value"] for x in json.load(open(sys.argv[1]))["run"]["data"]["tags"]}
sys.exit(0 if t.get("lathe.job_run_id") == sys.argv[2] and t.get("lathe.job") == "tracked" else 1)' "$T/body" "$RUN"
api GET "/api/2.0/mlflow/experiments/get-by-name?experiment_name=tracked-exp"
expect "the experiment was made on first use" 200

api POST "$J/sweeps" '{"script": "track.py", "params": {"alpha": [0.1, 1], "kernel": ["linear", "rbf"]}, "parallel": 2, "experiment": "sweep-exp"}'
expect "a sweep is started" 201
is "one run per point of the grid" "$(python3 -c 'import json,sys
print(" ".join(" ".join(r["arguments"]) for r in json.load(open(sys.argv[1]))["runs"]))' "$T/body")" \
    "--alpha 0.1 --kernel linear --alpha 0.1 --kernel rbf --alpha 1 --kernel linear --alpha 1 --kernel rbf"
is "its job runs two at a time" "$(field job.max_concurrent)" "2"
SWEEP_LAST=$(field runs.3.id)
run_wait "$SWEEP_LAST"
i=0
while [ $i -lt 300 ]; do
	api GET "$J/jobs/sweep-track/runs"
	[ "$(python3 -c 'import json,sys
print(all(not r["active"] for r in json.load(open(sys.argv[1]))["runs"]))' "$T/body")" = True ] && break
	sleep 0.1
	i=$((i + 1))
done
api POST /api/2.0/mlflow/runs/search '{"experiment_ids": ["'"$(curl -s --unix-socket "$SOCK" "http://l/api/2.0/mlflow/experiments/get-by-name?experiment_name=sweep-exp" | python3 -c 'import json,sys; print(json.load(sys.stdin)["experiment"]["experiment_id"])')"'"], "filter": "params.kernel = '"'rbf'"'", "order_by": ["params.alpha ASC"]}'
is "each point is an MLflow run carrying its params" "$(python3 -c 'import json,sys
print(" ".join(p["value"] for r in json.load(open(sys.argv[1]))["runs"]
    for p in r["data"]["params"] if p["key"] == "alpha"))' "$T/body")" "0.1 1"
api POST "$J/sweeps" '{"script": "track.py", "params": {"alpha": []}}'
expect "an empty axis is refused" 400 INVALID_PARAMETER_VALUE "alpha"
api POST "$J/sweeps" '{"script": "track.py", "params": {"a;b": [1]}}'
expect "a param name MLflow refuses is refused first" 400 INVALID_PARAMETER_VALUE "a;b"
api POST "$J/sweeps" '{"script": "track.py", "params": {"a b": [1]}}'
expect "a param name that is no option is refused" 400 INVALID_PARAMETER_VALUE "--a b"
api POST "$J/sweeps" '{"script": "track.py", "params": {"a": [1,2,3,4,5,6,7,8,9,10], "b": [1,2,3,4,5,6,7,8,9,10], "c": [1,2,3,4,5,6,7,8,9,10,11]}}'
expect "a grid over 1000 points is refused" 400 INVALID_PARAMETER_VALUE "1000"
api POST "$J/sweeps" '{"script": "nope.py", "params": {"a": [1]}}'
expect "a sweep of a missing script is refused" 400 INVALID_PARAMETER_VALUE "nope.py"

# The example project comes with its jobs: a daily ingest, then training.
api POST /api/v1/projects '{"name": "ex", "source": {"type": "template", "location": "example"}}'
expect "the example project is created" 201
is "with the jobs of its manifest" "$(field manifest.jobs)" '["ingest", "train"]'
is "and no manifest errors" "$(field manifest.errors)" "[]"
EX_PATH=$(field path)
api GET /api/v1/projects/ex/jobs/ingest
is "ingest runs daily" "$(field schedule.type) $(field schedule.cron)" "cron 0 2 * * *"
api GET /api/v1/projects/ex/jobs/train
is "train follows ingest" "$(field schedule.type) $(field schedule.parent)" "dependent ingest"
api PUT /api/v1/projects/ex/env/CHURN_ROWS '{"value": "300"}'
api POST /api/v1/projects/ex/jobs/ingest/runs
i=0
while [ $i -lt 600 ]; do
	api GET /api/v1/projects/ex/jobs/train
	case "$(field last_run.status)" in succeeded|failed|timed_out|lost) break ;; esac
	sleep 0.1
	i=$((i + 1))
done
is "running ingest by hand trains the model after it" "$(field last_run.status)" "succeeded"
check "ingest wrote the data set" test -f "$EX_PATH/data/churn.csv"
is "with the project's row count" "$(($(wc -l <"$EX_PATH/data/churn.csv") - 1))" 300
check "train wrote the model" test -f "$EX_PATH/model/model.json"
TRAIN_ML=$(field last_run.mlflow_run_id)
api GET "/api/2.0/mlflow/runs/get?run_id=$TRAIN_ML"
check "train logged its params and per-epoch metrics to churn" python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["run"]["data"]
p = {x["key"] for x in r["params"]}
m = {x["key"] for x in r["metrics"]}
sys.exit(0 if {"epochs", "learning_rate"} <= p and {"loss", "accuracy", "auc", "test_auc"} <= m else 1)' "$T/body"
api GET "/api/2.0/mlflow/metrics/get-history?run_id=$TRAIN_ML&metric_key=loss"
is "one loss point per epoch" "$(python3 -c 'import json,sys
print(len(json.load(open(sys.argv[1]))["metrics"]))' "$T/body")" 30
api POST /api/v1/projects/ex/sweeps '{"script": "train.py", "params": {"learning-rate": [0.05, 0.2]}}'
is "a sweep of train.py lands in train's experiment" "$(field job.experiment)" "churn"

mkdir -p "$T/amp"
printf 'print(1)\n' >"$T/amp/a.py"
cat >"$T/amp/.project-metadata.yaml" <<'EOF'
name: broken
environment_variables:
  GOOD: {default: "yes"}
  "bad name": {default: "x"}
tasks:
  - type: create_job
    name: Nightly job
    script: a.py
    schedule: "0 25 * * *"
  - type: create_job
    name: fine
    script: a.py
    arguments: --alpha 1
  - type: create_application
    name: app
  - type: run_job
    entity_label: fine
EOF
api POST /api/v1/projects "{\"name\": \"amp\", \"source\": {\"type\": \"dir\", \"location\": \"$T/amp\"}}"
expect "a project with a faulty manifest is still created" 201
is "the good parts are applied" "$(field manifest.jobs)" '["fine"]'
is "a run_job task starts its job" "$(python3 -c 'import json,sys
print(len(json.load(open(sys.argv[1]))["manifest"]["runs"]))' "$T/body")" 1
check "each mistake is reported" python3 -c 'import json,sys
e = " | ".join(json.load(open(sys.argv[1]))["manifest"]["errors"])
sys.exit(0 if "bad name" in e and "hour" in e and "create_application" in e else 1)' "$T/body"
api GET /api/v1/projects/amp/env
check "its environment is set" grep -q '"GOOD"' "$T/body"
api GET /api/v1/projects/amp/jobs/fine
is "CML's arguments string is split" "$(field arguments)" '["--alpha", "1"]'

# lathed killed with runs in flight, then started again.
api POST "$J/jobs" '{"name": "long", "script": "sleep.py", "arguments": ["3"]}'
start long
LONG=$RUN
run_started "$LONG"
start sleepy
LOST=$RUN
run_started "$LOST"
kill -KILL "$CORE_PID"
wait "$CORE_PID" 2>/dev/null
CORE_PID=""
# The second run's processes die while lathed is away.
LOST_SHIM=$(field pid)
kill -KILL "$LOST_SHIM" "-$(cat "$LATHE_STATE_DIR/runs/$LOST/pid")" 2>/dev/null
sleep 0.5
start_core || not_ok "lathed starts again"
api GET "$J/runs/$LONG"
is "a run still going is adopted" "$(field status)" "running"
run_wait "$LONG"
is "and ends as it should" "$(field status)" "succeeded"
api GET "$J/runs/$LONG/logs"
check "its whole log is kept" grep -qx "done" "$T/body"
api GET "$J/runs/$LOST"
is "a run whose process vanished is lost" "$(field status)" "lost"
is "saying why" "$(field reason)" "lathed restarted and the run's process was gone"

# Deleting a job removes its runs and logs.
api DELETE "$J/jobs/fail"
expect "a job is deleted" 200
api GET "$J/jobs/fail"
expect "and gone" 404
i=0
while [ $i -lt 50 ] && ls "$LATHE_STATE_DIR/runs" | grep -q trash; do
	sleep 0.1
	i=$((i + 1))
done
api GET "$J/runs"
check "its runs are gone" sh -c "! grep -q '\"job\":\"fail\"' '$T/body'"

# A whole project deleted with a run going.
start sleepy
run_started "$RUN"
SHIM=$(field pid)
api DELETE "$J"
expect "a project with a running job is deleted" 200
i=0
while [ $i -lt 100 ] && kill -0 "$SHIM" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
check "its run is stopped" sh -c "! kill -0 $SHIM 2>/dev/null"

stop_core
is "lathed stops cleanly" "$CORE_STATUS" 0
done_testing
