#!/bin/sh
# lathe's commands for jobs, runs, runtimes and profiles against the real
# lathed: every kind of schedule, runs followed to their end (and Ctrl-C
# leaving them running), logs streamed as they are written, filters,
# confirmation before deletion, --json, usage errors and the core's errors.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

top_builddir=$(cd "$top_builddir" && pwd)
export LATHED="$top_builddir/lathed"
export PATH="$top_builddir:$PATH"
ESC=$(printf '\033')
SCRIPT=$(command -v script)

start_core || { not_ok "lathed starts"; done_testing; }

# wait_for N COMMAND...: retry COMMAND every 0.1 s, N times at most.
wait_for() {
	n=$1
	shift
	i=0
	while [ $i -lt "$n" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# run_active ID: whether run ID is queued, starting or running.
run_active() {
	lathe run show "$1" -p p --json >"$T/active.json" 2>/dev/null &&
	    python3 -c 'import json,sys
sys.exit(0 if json.load(open(sys.argv[1]))["active"] else 1)' \
	    "$T/active.json"
}

# run_ended ID: whether run ID has ended.
run_ended() {
	lathe run show "$1" -p p --json >"$T/ended.json" 2>/dev/null &&
	    python3 -c 'import json,sys
sys.exit(1 if json.load(open(sys.argv[1]))["active"] else 0)' \
	    "$T/ended.json"
}

# run_is ID STATUS: whether run ID is in STATUS.
run_is() {
	lathe run show "$1" -p p --json >"$T/is.json" 2>/dev/null &&
	    python3 -c 'import json,sys
sys.exit(0 if json.load(open(sys.argv[1]))["status"] == sys.argv[2] else 1)' \
	    "$T/is.json" "$2"
}

# has FILE TEXT: FILE holds TEXT.
has() {
	grep -qF -- "$2" "$1"
}

# Runtime discovery runs when lathed starts.
wait_for 100 sh -c 'lathe runtime list | grep -q "^python3 "'

src="$T/src"
mkdir -p "$src"
cat >"$src/ok.py" <<'EOF'
import os, sys
print("args", sys.argv[1:])
print("X=%s" % os.environ.get("X"))
print("Y=%s" % os.environ.get("Y"))
EOF
printf 'import sys\nprint("failing")\nsys.exit(3)\n' >"$src/fail.py"
# Prints a line, then waits for the file "go" before the next one.
cat >"$src/gate.py" <<'EOF'
import os, sys, time
print("first", flush=True)
for i in range(600):
    if os.path.exists("go"):
        break
    time.sleep(0.1)
print("second", flush=True)
EOF
run lathe project create p --dir "$src"
passes "the project is created" "created project p"
run lathe job list -p p
passes "a project without jobs says how to make one" \
    "no jobs in project p: make one with 'lathe job create NAME SCRIPT -p p'"
run lathe run list -p p
passes "and without runs how to start one" "no runs in project p yet"

# Help and usage errors.
run lathe help job
passes "lathe help job lists the verbs" "lathe job create NAME SCRIPT" \
    "lathe job run NAME" "lathe job edit NAME" "lathe job rm NAME"
run lathe run --help
passes "lathe run --help lists the verbs" "lathe run logs ID" \
    "lathe run rerun ID"
run lathe job create --help
passes "job create --help lists its options" "--cron EXPR" "--after PARENT" \
    "--timezone TZ" "--arg A" "--env K=V" "-p, --project PROJECT"
run lathe job list
fails "a job command without -p says which option is missing" 2 \
    "which project? Give it with -p PROJECT" "usage: lathe job list -p PROJECT"
run lathe job create x
fails "a missing script is named" 2 "missing SCRIPT" "usage: lathe job create"
run lathe job create x ok.py -p p extra
fails "arguments before -- are refused" 2 \
    "too many arguments, from 'extra': put the script's arguments after --"
run lathe job create x ok.py -p p --arg a -- b
fails "--arg and -- at once are refused" 2 "with --arg or after --, not both"
run lathe job create x ok.py -p p --timezone UTC
fails "--timezone needs --cron" 2 "--timezone goes with --cron"
run lathe job create x ok.py -p p --cron @daily --after ok
fails "two schedules are refused" 2 "give one schedule: --cron or --after"
run lathe job create x ok.py -p p --timeout soon
fails "a timeout that is no number" 2 "--timeout takes a number of seconds" \
    "not 'soon'"
run lathe job create x ok.py -p p --env NOVALUE
fails "--env without =" 2 "--env takes NAME=VALUE, not 'NOVALUE'"
run lathe job create x ok.py -p ""
fails "an empty project" 2 "must not be empty"
run lathe job edit x -p p
fails "an edit with nothing to change" 2 "nothing to change"
run lathe job edit x -p p --paused --unpause
fails "--paused with --unpause" 2 "--paused and --unpause"
run lathe job edit x -p p --manual --cron @daily
fails "--manual with --cron" 2 "give one schedule: --cron, --after or --manual"
run lathe job frob
fails "an unknown job verb" 2 "unknown verb 'frob' for job"
run lathe run show abc -p p
fails "a run id is a number" 2 "'abc' is not a run id"
run lathe run logs 1 -p p --tail lots
fails "--tail takes a size" 2 "--tail takes a number of bytes"
run lathe run list -p p --status done
fails "an unknown status" 2 "unknown status 'done'"
run lathe runtime add py
fails "runtime add needs --kernel and --command" 2 "needs --kernel"
run lathe profile add x --vcpu two --memory 1G
fails "--vcpu takes a number" 2 "--vcpu takes a number of CPUs"
run lathe profile add x --memory 1G
fails "profile add needs --vcpu" 2 "needs --vcpu"
run lathe job list --json
json_ok "a usage error with --json is JSON" 2 \
    "v['error_code'] == 'INVALID_PARAMETER_VALUE' and 'which project' in v['message']"
run lathe -p p project list
fails "-p before a command that takes no project still opens the UI only" 2 \
    "-p opens the terminal interface"

# Jobs of each schedule.
run lathe job create ok ok.py -p p --arg one --arg "two words" --env X=1 \
    --env Y=2
passes "a manual job with arguments and variables" "created job ok (id "
run lathe job create nightly ok.py -p p --cron "0 3 * * *" \
    --timezone UTC --retries 2 --backoff 5 --timeout 90
passes "a cron job" "created job nightly (id "
run lathe job create follower ok.py -p p --after ok -- --from-parent
passes "a dependent job, its arguments after --" "created job follower (id "
run lathe job create later ok.py -p p --cron @hourly --paused
passes "a paused cron job" "created job later (id "
run lathe job create fail fail.py -p p
passes "a failing job" "created job fail (id "
run lathe job create gate gate.py -p p
passes "a job that waits for a file" "created job gate (id "
run lathe -p p job create dash ok.py -- -x --y
passes "lathe -p P job create" "created job dash (id "

run lathe job create x ok.py -p p --cron "0 25 * * *"
fails "a bad cron names the field" 1 "schedule: cron field 2 (hour)" "25"
run lathe job create x ok.py -p p --cron "@daily" --timezone Mars/Olympus
fails "an unknown zone is named" 1 "Mars/Olympus"
run lathe job create x ok.py -p p --after nobody
fails "an unknown parent" 1 "nobody"
run lathe job create x missing.py -p p
fails "a missing script" 1 "script 'missing.py' is not a file"
run lathe job create ok ok.py -p p
fails "a taken name" 1 "already has a job named 'ok'"
run lathe job create x ok.py -p nope
fails "an unknown project" 1 "no project named 'nope'"
run lathe job create x ok.py -p p -- "a${ESC}[2Jb"
fails "a control character in an argument is refused" 1 "control character"
check "and not echoed raw" no_byte "$T/err" '\033'

run lathe job list -p p
passes "job list shows every schedule" "0 3 * * * (UTC)" "after ok" \
    "@hourly" "paused"
check "a manual job says so" grep -Eq '^ok +ok.py +manual ' "$T/out"
check "the cron job has a next time" \
    grep -Eq '^nightly .* - +- +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' \
    "$T/out"
run lathe job list -p p --json
json_ok "job list --json" 0 \
    "sorted(j['name'] for j in v['jobs']) == ['dash', 'fail', 'follower', \
'gate', 'later', 'nightly', 'ok']"
run lathe job show ok -p p --json
json_ok "--arg and --env make the arguments and env" 0 \
    "v['arguments'] == ['one', 'two words'] and v['env'] == {'X': '1', 'Y': '2'} \
and v['schedule'] == {'type': 'manual'} and v['dependents'] == ['follower']"
run lathe job show dash -p p --json
json_ok "arguments after -- keep their dashes" 0 "v['arguments'] == ['-x', '--y']"
run lathe job show follower -p p --json
json_ok "--after makes a dependent schedule" 0 \
    "v['schedule'] == {'type': 'dependent', 'parent': 'ok'} and \
v['arguments'] == ['--from-parent']"
run lathe job show nightly -p p --json
json_ok "--cron, --timezone, --retries, --backoff, --timeout" 0 \
    "v['schedule'] == {'type': 'cron', 'cron': '0 3 * * *', 'timezone': 'UTC'} \
and v['retries'] == 2 and v['retry_backoff_seconds'] == 5 and \
v['timeout_seconds'] == 90 and v['next_fire_ms'] > 0"
run lathe job show nightly -p p
passes "job show shows the schedule" "0 3 * * * (UTC)" "1m30s" "2, 5s apart"
is "and the next five fire times" \
    "$(sed -n '/^next /,/^timeout/p' "$T/out" | grep -Ec '[0-9]{2}:[0-9]{2}$')" 5
run lathe job show ok -p p
passes "job show shows arguments quoted, variables and dependents" \
    "one 'two words'" "X=1" "Y=2" "follower"
run lathe job show later -p p
passes "a paused job's fire times say so" "if unpaused" "@hourly (" ", paused"
run lathe job show nope -p p
fails "an unknown job" 1 "no job named 'nope'"

# Runs: started, followed, listed, read.
run lathe job run ok -p p
check "job run prints the run's id alone" grep -Eqx '[0-9]+' "$T/out"
OK_RUN=$(cat "$T/out")
check "the run ends" wait_for 300 run_ended "$OK_RUN"
run lathe run show "$OK_RUN" -p p
passes "run show" "succeeded" "exit code    0" "ok.py one 'two words'"
run lathe run logs "$OK_RUN" -p p
passes "run logs prints the log" "args ['one', 'two words']" "X=1"
api GET "/api/v1/projects/p/runs/$OK_RUN/logs"
check "exactly as the core has it" cmp "$T/out" "$T/body"
run lathe run logs "$OK_RUN" -p p --tail 4
is "--tail gives the last bytes" "$(cat "$T/out")" "$(tail -c 4 "$T/body")"
run lathe run logs "$OK_RUN" -p p --json
json_ok "run logs --json" 0 \
    "v['status'] == 'succeeded' and v['encoding'] == 'utf-8' and \
v['content'].startswith('args') and v['offset'] == 0"
check "the dependent job ran after it" \
    wait_for 300 sh -c "lathe run list -p p --job follower | grep -q succeeded"

run lathe job run ok -p p -f --env X=run -- again
if [ "$RC" = 0 ] && has "$T/out" "args ['again']" && has "$T/out" X=run &&
    has "$T/out" Y=2; then
	ok "job run -f prints the log and exits 0 on success"
else
	not_ok "job run -f prints the log and exits 0 on success" "$(said)"
fi
check "and says on stderr how it ended" \
    grep -Eq '^run [0-9]+ succeeded in [0-9]' "$T/err"
run lathe job run fail -p p --follow
if [ "$RC" = 1 ] && has "$T/out" failing &&
    has "$T/err" "failed: exit code 3"; then
	ok "job run -f of a failing script exits 1 with the reason"
else
	not_ok "job run -f of a failing script exits 1 with the reason" "$(said)"
fi
FAIL_RUN=$(sed -n 's/^run \([0-9]*\) of job fail$/\1/p' "$T/err")
check "and named the run first" test -n "$FAIL_RUN"
run lathe job run fail -p p -f --json
json_ok "job run -f --json prints the ended run" 1 \
    "v['status'] == 'failed' and v['exit_code'] == 3"
check "its log went to stderr" has "$T/err" failing
run lathe job run nope -p p
fails "running an unknown job" 1 "no job named 'nope'"

# A log followed while the run writes it.
rm -f "$src/go"
run lathe job run gate -p p
GATE=$(cat "$T/out")
lathe run logs "$GATE" -p p -f >"$T/follow.out" 2>"$T/follow.err" &
FOLLOW=$!
check "a followed log gets the first line while the run waits" \
    wait_for 300 has "$T/follow.out" first
check "the run is still going then" run_active "$GATE"
check "and the follower with it" kill -0 "$FOLLOW"
touch "$src/go"
check "the follower ends when the run does" wait_for 300 exited "$FOLLOW"
wait "$FOLLOW"
is "with exit 0" "$?" 0
is "having printed every line" "$(cat "$T/follow.out" | tr '\n' ' ')" \
    "first second "

# Ctrl-C stops the following, not the run.
rm -f "$src/go"
# Background commands of a script ignore SIGINT: give it back, as a
# terminal's Ctrl-C finds it.
python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' lathe job run gate -p p -f \
    >"$T/int.out" 2>"$T/int.err" &
FOLLOW=$!
check "job run -f is following" wait_for 300 has "$T/int.out" first
INT_RUN=$(sed -n 's/^run \([0-9]*\) of job gate$/\1/p' "$T/int.err")
kill -INT "$FOLLOW"
check "Ctrl-C ends lathe" wait_for 300 exited "$FOLLOW"
wait "$FOLLOW"
is "as interrupted" "$?" 130
check "saying the run goes on" has "$T/int.err" \
    "stopped following run $INT_RUN, which goes on"
check "which it does" run_active "$INT_RUN"

# Stopping: one run, and every run of a job.
run lathe job run gate -p p
SECOND=$(cat "$T/out")
check "a second run of the job waits its turn" run_is "$SECOND" queued
run lathe run stop "$INT_RUN" -p p
passes "run stop" "run $INT_RUN of job gate"
check "the run is stopped" wait_for 300 run_is "$INT_RUN" stopped
check "and the next one runs" wait_for 300 run_is "$SECOND" running
run lathe job run gate -p p
THIRD=$(cat "$T/out")
run lathe job stop gate -p p
passes "job stop stops the job's runs" "run $SECOND" "run $THIRD"
check "the running one ends stopped" wait_for 300 run_is "$SECOND" stopped
check "the queued one too" run_is "$THIRD" stopped
run lathe job stop gate -p p
passes "job stop with nothing going" "job gate has no runs going"
run lathe run stop "$OK_RUN" -p p
fails "stopping an ended run" 1 "already ended"
run lathe run show 99999 -p p
fails "an unknown run" 1 "no run with id 99999"

# Rerun with the same overrides.
run lathe job run ok -p p -- rerun-me
FIRST=$(cat "$T/out")
check "a run to rerun ends" wait_for 300 run_ended "$FIRST"
run lathe run rerun "$FIRST" -p p
check "run rerun prints the new run's id" grep -Eqx '[0-9]+' "$T/out"
AGAIN=$(cat "$T/out")
check "the new run ends" wait_for 300 run_ended "$AGAIN"
run lathe run logs "$AGAIN" -p p
passes "with the same arguments" "args ['rerun-me']"

# Run lists and their filters.
run lathe run list -p p
passes "run list" "ID" "JOB" "STATUS" "TRIGGER" "DURATION" "REASON" \
    "exit code 3" "stopped by user"
run lathe run list -p p --json
json_ok "run list --json is newest first" 0 \
    "[int(r['id']) for r in v['runs']] == \
sorted((int(r['id']) for r in v['runs']), reverse=True) and len(v['runs']) >= 10"
run lathe run list -p p --job fail --json
json_ok "--job keeps one job's runs" 0 \
    "len(v['runs']) == 2 and all(r['job'] == 'fail' for r in v['runs'])"
run lathe run list -p p --status stopped --json
json_ok "--status keeps one status" 0 \
    "len(v['runs']) == 3 and all(r['status'] == 'stopped' for r in v['runs'])"
run lathe run list -p p --job follower --status failed
passes "a filter that matches nothing" "no runs match"
run lathe run list -p p --job nope
fails "--job of an unknown job" 1 "no job named 'nope'"
run lathe job list -p p
check "job list shows the last run's status" \
    grep -Eq '^fail +fail.py +manual +✗ failed +[0-9]{4}-' "$T/out"
check "and no colour into a pipe" no_byte "$T/out" '\033'
if [ -n "$SCRIPT" ]; then
	run script -qec "lathe job list -p p" /dev/null
	check "on a terminal the status is coloured" \
	    grep -qF "${ESC}[31m✗ failed${ESC}[0m" "$T/out"
	run env NO_COLOR=1 script -qec "lathe job list -p p" /dev/null
	check "but not with NO_COLOR" no_byte "$T/out" '\033'
else
	skip "colours on a terminal (no script(1))" 2
fi

# Editing.
run lathe job edit nightly -p p --cron "30 4 * * *"
passes "edit --cron" "updated job nightly"
run lathe job show nightly -p p --json
json_ok "a new expression keeps the zone" 0 \
    "v['schedule'] == {'type': 'cron', 'cron': '30 4 * * *', 'timezone': 'UTC'}"
run lathe job edit nightly -p p --timezone Europe/Paris
run lathe job show nightly -p p --json
json_ok "a new zone keeps the expression" 0 \
    "v['schedule'] == {'type': 'cron', 'cron': '30 4 * * *', \
'timezone': 'Europe/Paris'}"
run lathe job edit nightly -p p --cron "61 0 * * *"
fails "edit with a bad cron" 1 "cron field 1 (minute)"
run lathe job edit ok -p p --timezone UTC
fails "--timezone on a job without a cron schedule" 1 \
    "job ok has no cron schedule"
run lathe job edit later -p p --unpause --manual --no-args --env Z=3
passes "edit --unpause --manual --no-args --env" "updated job later"
run lathe job show later -p p --json
json_ok "the schedule, pause, arguments and env changed" 0 \
    "v['schedule'] == {'type': 'manual'} and v['paused'] is False and \
v['arguments'] == [] and v['env'] == {'Z': '3'}"
run lathe job edit later -p p --no-env --script fail.py --name later2 -- a
passes "edit --no-env --script --name and -- arguments" "updated job later2"
run lathe job show later2 -p p --json
json_ok "renamed, with its new script and arguments" 0 \
    "v['script'] == 'fail.py' and v['env'] == {} and v['arguments'] == ['a']"
run lathe job edit ok -p p --after ok
fails "a job cannot follow itself" 1 "itself"
run lathe job edit nope -p p --paused
fails "editing an unknown job" 1 "no job named 'nope'"

# Deleting, asked on a terminal.
run lathe job rm dash -p p
fails "rm without --yes refuses when stdin is no terminal" 2 \
    "standard input is not a terminal" "pass --yes"
run lathe job rm ok -p p --yes
fails "a job others follow is not deleted" 1 "dependent jobs ('follower')"
if [ -n "$SCRIPT" ]; then
	printf 'dashx\n' >"$T/typed"
	run -i "$T/typed" script -qec "lathe job rm dash -p p" /dev/null
	check "rm on a terminal asks for the name" \
	    grep -q "Type the job name to delete it" "$T/out"
	is "a wrong name typed exits 1" "$RC" 1
	check "and says so" grep -q "that is not the job's name" "$T/out"
	run lathe job show dash -p p
	passes "the job is still there" "dash"
	printf 'dash\n' >"$T/typed"
	run -i "$T/typed" script -qec "lathe job rm dash -p p" /dev/null
	is "typing the name deletes it" "$RC" 0
else
	skip "rm on a terminal (no script(1))" 5
	run lathe job rm dash -p p --yes
fi
run lathe job show dash -p p
fails "the deleted job is gone" 1 "no job named 'dash'"
run lathe job rm fail -p p -y
passes "rm -y" "deleted job fail"
run lathe run list -p p --json
json_ok "its runs went with it" 0 "all(r['job'] != 'fail' for r in v['runs'])"
run lathe job rm fail -p p --yes --json
json_ok "rm of a job that is gone, with --json" 1 \
    "v['error_code'] == 'RESOURCE_DOES_NOT_EXIST'"

# Runtimes and profiles.
run lathe runtime list
passes "runtime list shows the discovered interpreters" "python3" \
    "discovered"
run lathe runtime add py --kernel python3 --command /usr/bin/python3
passes "runtime add" "added runtime py (version "
run lathe runtime list --json
json_ok "runtime list --json has it, registered" 0 \
    "[r['discovered'] for r in v['runtimes'] if r['name'] == 'py'] == [False]"
run lathe job create withpy ok.py -p p --runtime py
passes "a job can use it" "created job withpy"
run lathe job rm withpy -p p --yes
run lathe runtime add py --kernel python3 --command /usr/bin/python3
fails "a runtime name is taken once" 1 "already exists"
run lathe runtime add nope --kernel python3 --command /no/such/python
fails "a missing interpreter" 1 "/no/such/python"
run lathe runtime rm py
passes "runtime rm" "removed runtime py"
run lathe runtime rm py
fails "runtime rm of one that is gone" 1 "py"
run lathe runtime rm python3
fails "a discovered runtime stays" 1 "found on this machine"
run lathe profile list
passes "profile list shows the built-in ones" "small" "medium" "large" \
    "2 GiB" "built-in"
run lathe profile add tiny --vcpu 0.5 --memory 64M --gpus 1
passes "profile add" "added profile tiny (0.5 vCPU, 64 MiB memory, 1 GPU)"
run lathe profile list --json
json_ok "profile list --json has it" 0 \
    "[(p['vcpu'], p['memory_mb'], p['gpus']) for p in v['profiles'] \
if p['name'] == 'tiny'] == [(0.5, 64, 1)]"
run lathe profile add huge --vcpu 1 --memory lots
fails "a memory that is no size" 1 "memory 'lots' is not a size"
run lathe profile rm tiny
passes "profile rm" "removed profile tiny"
run lathe profile rm small
fails "a built-in profile stays" 1 "built-in"

# Sweeps: the grid as runs of one job.
printf 'import sys\nprint(sys.argv[1:])\n' >"$src/grid.py"
run lathe sweep grid.py -p p --param alpha=0.1,1 --param kernel=linear,rbf --parallel 2
passes "a sweep starts one run per point" "sweep of 4 runs as job sweep-grid"
run lathe sweep grid.py -p p --json --param alpha=1 --experiment grid-exp
json_ok "with --json, its runs carry their params" 0 \
    "[r['params'] for r in v['runs']] == [{'alpha': '1'}]"
run lathe sweep grid.py -p p
fails "a sweep needs a --param" 2 "--param"
run lathe sweep grid.py -p p --param alpha
fails "a --param needs values" 2 "NAME=V1,V2"
run lathe sweep grid.py -p p --param a=1 --param a=2
fails "a --param given twice is refused" 2 "twice"
run lathe sweep grid.py -p p --param a=1 --parallel 0
fails "--parallel must be a count" 2 "--parallel"
run lathe sweep missing.py -p p --param a=1
fails "a missing script is the core's error" 1 "missing.py"

stop_core
is "lathed stops cleanly" "$CORE_STATUS" 0
done_testing
