#!/bin/sh
# MLflow's tracking API: every endpoint with good and bad requests, over the
# socket and over TCP with a key; MLflow's semantics (ids, lifecycle, param
# immutability, latest metrics, NaN and infinities, batch limits, paging);
# artifact listings that never leave the run's directory; two writers on
# one run; the Python module lathe.tracking end to end; and every answer
# checked against MLflow's message definitions.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

start_core || { not_ok "lathed starts"; done_testing; }

A=/api/2.0/mlflow
mkdir -p "$T/resp"
kept=0

# ml METHOD ENDPOINT [BODY]: a tracking call over the socket.
ml() {
	method=$1
	endpoint=$2
	shift 2
	api "$method" "$A/$endpoint" "$@"
}

# mlt METHOD ENDPOINT [BODY]: the same over TCP with the key.
mlt() {
	if [ $# -gt 2 ]; then
		tcp "$1" "$A/$2" -H "Authorization: Bearer $KEY" \
		    -H 'Content-Type: application/json' --data-binary "$3"
	else
		tcp "$1" "$A/$2" -H "Authorization: Bearer $KEY"
	fi
}

# keep MESSAGE: keep the last answer to check it against the proto.
keep() {
	if [ "$STATUS" = 200 ]; then
		kept=$((kept + 1))
		cp "$T/body" "$T/resp/$1.$kept.json"
	fi
}

# py EXPR: evaluate a Python expression over the last answer (as b).
py() {
	python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$T/body" "$1"
}

api POST /api/v1/keys '{"name": "tracking"}'
KEY=$(field key)

# Authentication on TCP.
tcp GET "$A/experiments/get?experiment_id=0"
expect "TCP without a key is refused" 401 UNAUTHENTICATED
tcp GET "$A/experiments/get?experiment_id=0" \
    -H "Authorization: Bearer lk_nope_nope"
expect "TCP with a wrong key is refused" 401 UNAUTHENTICATED
mlt GET "experiments/get?experiment_id=0"
expect "TCP with the key is served" 200
keep GetExperiment.Response

# The default experiment.
STATE=$(cd "$LATHE_STATE_DIR" && pwd -P)
ml GET "experiments/get?experiment_id=0"
expect "experiment 0 exists" 200
keep GetExperiment.Response
is "experiment 0 is named Default" "$(field experiment.name)" Default
is "its id is the string 0" "$(py 'repr(b["experiment"]["experiment_id"])')" \
    "'0'"
is "it is active" "$(field experiment.lifecycle_stage)" active
is "its artifacts are under the state directory" \
    "$(field experiment.artifact_location)" \
    "file://$STATE/mlflow-artifacts/0"
ml GET "experiments/get-by-name?experiment_name=Default"
expect "the default experiment is found by name" 200
keep GetExperimentByName.Response

# Experiments: create, get, get-by-name, tags, update.
ml POST experiments/create '{"name": "exp-alpha", "tags": [{"key": "team", "value": "vision"}]}'
expect "an experiment is created" 200
keep CreateExperiment.Response
EXP1=$(field experiment_id)
is "its id is a string" "$(py 'type(b["experiment_id"]).__name__')" str
ml GET "experiments/get?experiment_id=$EXP1"
expect "it is got by id" 200
keep GetExperiment.Response
is "it has its name" "$(field experiment.name)" exp-alpha
is "it has its tag" "$(field experiment.tags.0.value)" vision
is "its default location is under the state directory" \
    "$(field experiment.artifact_location)" \
    "file://$STATE/mlflow-artifacts/$EXP1"
ml GET "experiments/get-by-name?experiment_name=exp-alpha"
expect "it is got by name" 200
is "by name, the same id" "$(field experiment.experiment_id)" "$EXP1"
ml GET "experiments/get-by-name?experiment_name=no-such"
expect "an unknown name is 404" 404 RESOURCE_DOES_NOT_EXIST \
    "Could not find experiment with name 'no-such'"
ml GET "experiments/get?experiment_id=999"
expect "an unknown id is 404" 404 RESOURCE_DOES_NOT_EXIST \
    "No Experiment with id=999 exists"
ml GET "experiments/get?experiment_id=abc"
expect "a non-numeric id is 404" 404 RESOURCE_DOES_NOT_EXIST
ml GET "experiments/get"
expect "a missing id is refused" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'experiment_id'"
ml POST experiments/create '{"name": "exp-alpha"}'
expect "a taken name is refused" 400 RESOURCE_ALREADY_EXISTS \
    "Experiment(name=exp-alpha) already exists"
ml POST experiments/create '{}'
expect "a missing name is refused" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'name'"
ml POST experiments/create '{"name": 7}'
expect "a name of the wrong type is refused" 400 INVALID_PARAMETER_VALUE \
    "Invalid value 7 for parameter 'name' supplied"
long=$(python3 -c 'print("x" * 501)')
ml POST experiments/create "{\"name\": \"$long\"}"
expect "a name over 500 characters is refused" 400 INVALID_PARAMETER_VALUE \
    "exceeds the maximum length of 500"
ml POST experiments/create '{"name": "e", "artifact_location": "runs:/abc"}'
expect "a runs:/ artifact location is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/create '{"name": "e", "artifact_location": "rel/dir"}'
expect "a relative artifact location is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/create "{\"name\": \"exp-custom\", \"artifact_location\": \"file://$T/custom\"}"
expect "an experiment with its own artifact location" 200
EXPC=$(field experiment_id)
ml POST experiments/create 'not json'
expect "a malformed body is refused" 400 MALFORMED_REQUEST

ml POST experiments/set-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"team\", \"value\": \"nlp\"}"
expect "an experiment tag is set" 200
keep Empty.Response
ml POST experiments/set-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"stage\", \"value\": \"dev\"}"
ml GET "experiments/get?experiment_id=$EXP1"
is "a tag set again takes the new value" \
    "$(py '{t["key"]: t["value"] for t in b["experiment"]["tags"]}["team"]')" nlp
is "tags accumulate" "$(py 'len(b["experiment"]["tags"])')" 2
ml POST experiments/set-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"a/../b\", \"value\": \"x\"}"
expect "a tag key that is not a clean path is refused" 400 \
    INVALID_PARAMETER_VALUE "Invalid tag name"
ml POST experiments/set-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"bad*key\", \"value\": \"x\"}"
expect "a tag key with a bad character is refused" 400 \
    INVALID_PARAMETER_VALUE "Names may only contain"
ml POST experiments/set-experiment-tag '{"experiment_id": "999", "key": "k", "value": "v"}'
expect "a tag on an unknown experiment is 404" 404 RESOURCE_DOES_NOT_EXIST
ml POST experiments/delete-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"stage\"}"
expect "an experiment tag is deleted" 200
ml POST experiments/delete-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"stage\"}"
expect "deleting it again is 404" 404 RESOURCE_DOES_NOT_EXIST

ml POST experiments/update "{\"experiment_id\": \"$EXP1\", \"new_name\": \"exp-one\"}"
expect "an experiment is renamed" 200
ml GET "experiments/get-by-name?experiment_name=exp-one"
is "it is found by its new name" "$(field experiment.experiment_id)" "$EXP1"
ml POST experiments/update "{\"experiment_id\": \"$EXP1\", \"new_name\": \"Default\"}"
expect "renaming to a taken name is refused" 400 RESOURCE_ALREADY_EXISTS
ml POST experiments/update "{\"experiment_id\": \"$EXP1\"}"
expect "renaming needs new_name" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'new_name'"
ml POST experiments/update '{"experiment_id": "999", "new_name": "x"}'
expect "renaming an unknown experiment is 404" 404 RESOURCE_DOES_NOT_EXIST

# Experiment search.
for n in exp-beta exp-gamma Other-Exp; do
	ml POST experiments/create "{\"name\": \"$n\"}"
done
ml POST experiments/set-experiment-tag "{\"experiment_id\": \"$(
	ml GET "experiments/get-by-name?experiment_name=exp-beta"
	field experiment.experiment_id)\", \"key\": \"team\", \"value\": \"nlp\"}"
names() {
	py '",".join(e["name"] for e in b.get("experiments", []))'
}
ml POST experiments/search '{"filter": "name LIKE '\''exp-%'\''", "order_by": ["name ASC"]}'
expect "experiments are searched by name LIKE" 200
keep SearchExperiments.Response
is "LIKE matches, case-sensitively, in order" "$(names)" \
    "exp-beta,exp-custom,exp-gamma,exp-one"
ml POST experiments/search '{"filter": "name ILIKE '\''%EXP'\''"}'
is "ILIKE ignores case" "$(names)" "Other-Exp"
ml POST experiments/search '{"filter": "tags.team = '\''nlp'\''", "order_by": ["name DESC"]}'
is "experiments are searched by tag" "$(names)" "exp-one,exp-beta"
ml POST experiments/search '{"filter": "name = '\''exp-one'\'' AND tags.`team` = '\''nlp'\''"}'
is "conditions join with AND, keys may be quoted" "$(names)" "exp-one"
ml POST experiments/search '{"filter": "creation_time > 0 and name != '\''Default'\''", "order_by": ["experiment_id"]}'
is "numeric attributes compare" "$(py 'len(b["experiments"])')" 5
ml GET "experiments/search?filter=name%20LIKE%20%27exp-%25%27&order_by=name%20DESC&max_results=2"
expect "search by GET with the query string" 200
keep SearchExperiments.Response
is "GET takes order_by and max_results" "$(names)" "exp-one,exp-gamma"
pages=""
token=""
i=0
while [ $i -lt 10 ]; do
	if [ -n "$token" ]; then
		ml POST experiments/search "{\"max_results\": 2, \"order_by\": [\"name\"], \"page_token\": \"$token\"}"
	else
		ml POST experiments/search '{"max_results": 2, "order_by": ["name"]}'
	fi
	pages="$pages$(names);"
	token=$(py 'b.get("next_page_token", "")')
	[ -n "$token" ] || break
	i=$((i + 1))
done
is "pages of two cover every experiment once" "$pages" \
    "Default,Other-Exp;exp-beta,exp-custom;exp-gamma,exp-one;"
ml POST experiments/search '{"filter": "name LIKE"}'
expect "a malformed filter is refused" 400 INVALID_PARAMETER_VALUE \
    "Could not be parsed"
ml POST experiments/search '{"filter": "colour = '\''red'\''"}'
expect "an unknown attribute is refused" 400 INVALID_PARAMETER_VALUE \
    "Invalid attribute key 'colour'"
ml POST experiments/search '{"filter": "name > '\''a'\''"}'
expect "a comparator the attribute lacks is refused" 400 \
    INVALID_PARAMETER_VALUE "Invalid comparator '>'"
ml POST experiments/search '{"filter": "creation_time > '\''x'\''"}'
expect "a string for a time is refused" 400 INVALID_PARAMETER_VALUE \
    "Expected numeric value"
ml POST experiments/search '{"filter": "name = '\''a'\'' OR name = '\''b'\''"}'
expect "OR is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/search '{"order_by": ["colour"]}'
expect "an unknown order_by key is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/search '{"order_by": ["name sideways"]}'
expect "a malformed order_by is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/search '{"max_results": 0}'
expect "max_results 0 is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/search '{"max_results": 50001}'
expect "max_results over 50000 is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/search '{"page_token": "***"}'
expect "a bad page token is refused" 400 INVALID_PARAMETER_VALUE
ml POST experiments/search '{"view_type": "SOMETIMES"}'
expect "an unknown view type is refused" 400 INVALID_PARAMETER_VALUE

# Runs: create, get, update.
ml POST runs/create '{"run_name": "first", "start_time": 1700000000000, "tags": [{"key": "k", "value": "v"}]}'
expect "a run is created" 200
keep CreateRun.Response
R1=$(field run.info.run_id)
check "its id is 32 lowercase hex digits" \
    sh -c "printf '%s' '$R1' | grep -Eq '^[0-9a-f]{32}$'"
is "run_uuid is run_id" "$(field run.info.run_uuid)" "$R1"
is "without an experiment it goes to experiment 0" \
    "$(field run.info.experiment_id)" 0
is "it is RUNNING" "$(field run.info.status)" RUNNING
is "it is active" "$(field run.info.lifecycle_stage)" active
is "it keeps its start time" "$(field run.info.start_time)" 1700000000000
is "it has no end time" "$(py '"end_time" in b["run"]["info"]')" False
is "its name is its run_name" "$(field run.info.run_name)" first
is "and its mlflow.runName tag" \
    "$(py '{t["key"]: t["value"] for t in b["run"]["data"]["tags"]}["mlflow.runName"]')" \
    first
is "its artifacts go under its experiment's" "$(field run.info.artifact_uri)" \
    "file://$STATE/mlflow-artifacts/0/$R1/artifacts"
is "it has inputs, empty" "$(py 'b["run"]["inputs"]')" "{}"
ml POST runs/create "{\"experiment_id\": \"$EXP1\"}"
expect "a run without a name is created" 200
R2=$(field run.info.run_id)
check "it gets a random name like MLflow's" \
    sh -c "printf '%s' '$(field run.info.run_name)' | grep -Eq '^[a-z]+-[a-z]+-[0-9]+$'"
ml POST runs/create "{\"experiment_id\": \"$EXPC\"}"
is "a run of an experiment with its own location" \
    "$(field run.info.artifact_uri)" \
    "file://$T/custom/$(field run.info.run_id)/artifacts"
ml POST runs/create '{"tags": [{"key": "mlflow.runName", "value": "tagged"}]}'
is "a run named by its tag" "$(field run.info.run_name)" tagged
ml POST runs/create '{"run_name": "a", "tags": [{"key": "mlflow.runName", "value": "b"}]}'
expect "a run_name that differs from the tag is refused" 400 \
    INVALID_PARAMETER_VALUE "Both 'run_name' argument and 'mlflow.runName'"
ml POST runs/create '{"experiment_id": "999"}'
expect "a run in an unknown experiment is 404" 404 RESOURCE_DOES_NOT_EXIST
ml POST runs/create '{"start_time": "soon"}'
expect "a start time that is no integer is refused" 400 \
    INVALID_PARAMETER_VALUE "Invalid value soon for parameter 'start_time'"

ml GET "runs/get?run_id=$R1"
expect "a run is got" 200
keep GetRun.Response
is "by its id" "$(field run.info.run_id)" "$R1"
ml GET "runs/get?run_uuid=$R1"
expect "a run is got by the deprecated run_uuid" 200
mlt GET "runs/get?run_id=$R1"
expect "a run is got over TCP" 200
ml GET "runs/get?run_id=0123456789abcdef0123456789abcdef"
expect "an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST \
    "Run with id=0123456789abcdef0123456789abcdef not found"
ml GET "runs/get"
expect "runs/get needs run_id" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'run_id'"

ml POST runs/update "{\"run_id\": \"$R2\", \"status\": \"FINISHED\", \"end_time\": 1700000005000}"
expect "a run is updated" 200
keep UpdateRun.Response
is "its status is FINISHED" "$(field run_info.status)" FINISHED
is "its end time is set" "$(field run_info.end_time)" 1700000005000
ml POST runs/update "{\"run_id\": \"$R2\", \"run_name\": \"renamed\"}"
ml GET "runs/get?run_id=$R2"
is "run_name updates the name" "$(field run.info.run_name)" renamed
is "and the mlflow.runName tag" \
    "$(py '{t["key"]: t["value"] for t in b["run"]["data"]["tags"]}["mlflow.runName"]')" \
    renamed
is "a finished run keeps its status" "$(field run.info.status)" FINISHED
ml POST runs/update "{\"run_id\": \"$R2\", \"status\": \"DONE\"}"
expect "an unknown status is refused" 400 INVALID_PARAMETER_VALUE \
    "Invalid value DONE for parameter 'status'"
ml POST runs/update '{"run_id": "0123456789abcdef0123456789abcdef", "status": "FAILED"}'
expect "updating an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST

# Metrics: the latest of each key by step, then timestamp, then value.
lm() {
	ml POST runs/log-metric "{\"run_id\": \"$1\", \"key\": \"$2\", \"value\": $3, \"timestamp\": $4, \"step\": $5}"
}
lm "$R1" loss 0.9 100 1
expect "a metric is logged" 200
lm "$R1" loss 0.5 90 2
lm "$R1" loss 0.7 200 1
latest() {
	ml GET "runs/get?run_id=$1"
	py "[(m['value'], m['timestamp'], m['step']) for m in b['run']['data'].get('metrics', []) if m['key'] == '$2']"
}
is "the latest is the highest step, whatever its time" \
    "$(latest "$R1" loss)" "[(0.5, 90, 2)]"
lm "$R1" loss 0.4 95 2
is "at one step, the latest timestamp" "$(latest "$R1" loss)" \
    "[(0.4, 95, 2)]"
lm "$R1" loss 0.45 95 2
is "at one step and time, the larger value" "$(latest "$R1" loss)" \
    "[(0.45, 95, 2)]"
lm "$R1" loss 0.1 95 2
is "a smaller value at the same point does not win" "$(latest "$R1" loss)" \
    "[(0.45, 95, 2)]"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"acc\", \"value\": 0.30000000000000004, \"timestamp\": 1}"
is "a value keeps every digit, step defaults to 0" "$(latest "$R1" acc)" \
    "[(0.30000000000000004, 1, 0)]"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"loss\", \"value\": 1}"
expect "a metric needs a timestamp" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'timestamp'"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"loss\", \"timestamp\": 1}"
expect "a metric needs a value" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'value'"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"loss\", \"value\": \"abc\", \"timestamp\": 1}"
expect "a value that is no number is refused" 400 INVALID_PARAMETER_VALUE
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"loss\", \"value\": true, \"timestamp\": 1}"
expect "a boolean value is refused" 400 INVALID_PARAMETER_VALUE
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"loss\", \"value\": 1, \"timestamp\": -5}"
expect "a negative timestamp is refused" 400 INVALID_PARAMETER_VALUE \
    "Got invalid timestamp -5 for metric 'loss'"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"../up\", \"value\": 1, \"timestamp\": 1}"
expect "a metric name that escapes is refused" 400 INVALID_PARAMETER_VALUE \
    "Invalid metric name: '../up'"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"a:b\", \"value\": 1, \"timestamp\": 1}"
expect "a metric name with a bad character is refused" 400 \
    INVALID_PARAMETER_VALUE "Invalid metric name: 'a:b'"
ml POST runs/log-metric '{"run_id": "0123456789abcdef0123456789abcdef", "key": "loss", "value": 1, "timestamp": 1}'
expect "logging to an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST
ml POST runs/log-metric '{"key": "loss", "value": 1, "timestamp": 1}'
expect "log-metric needs run_id" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'run_id'"

# NaN and infinities: as JSON strings in, NaN back out, infinities stored
# as the largest double (as MLflow's SQL store).
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"nan\", \"value\": \"NaN\", \"timestamp\": 5}"
expect "NaN is accepted" 200
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"pinf\", \"value\": \"Infinity\", \"timestamp\": 5}"
expect "Infinity is accepted" 200
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"ninf\", \"value\": \"-Infinity\", \"timestamp\": 5}"
expect "-Infinity is accepted" 200
ml GET "runs/get?run_id=$R1"
keep GetRun.Response
is "NaN reads back as \"NaN\"" \
    "$(py '[m["value"] for m in b["run"]["data"]["metrics"] if m["key"] == "nan"]')" \
    "['NaN']"
is "Infinity reads back as the largest double" \
    "$(py '[m["value"] for m in b["run"]["data"]["metrics"] if m["key"] == "pinf"]')" \
    "[1.7976931348623157e+308]"
is "-Infinity as its negative" \
    "$(py '[m["value"] for m in b["run"]["data"]["metrics"] if m["key"] == "ninf"]')" \
    "[-1.7976931348623157e+308]"
ml GET "metrics/get-history?run_id=$R1&metric_key=nan"
keep GetMetricHistory.Response
is "NaN in a history" "$(py '[m["value"] for m in b["metrics"]]')" "['NaN']"
ml POST runs/log-metric "{\"run_id\": \"$R1\", \"key\": \"nan\", \"value\": 3, \"timestamp\": 5}"
is "a NaN counts as 0 when choosing the latest" "$(latest "$R1" nan)" \
    "[(3, 5, 0)]"

# Params: immutable once logged.
ml POST runs/log-parameter "{\"run_id\": \"$R1\", \"key\": \"lr\", \"value\": \"0.01\"}"
expect "a param is logged" 200
ml POST runs/log-parameter "{\"run_id\": \"$R1\", \"key\": \"lr\", \"value\": \"0.01\"}"
expect "the same value again is accepted" 200
ml POST runs/log-parameter "{\"run_id\": \"$R1\", \"key\": \"lr\", \"value\": \"0.02\"}"
expect "another value is refused in MLflow's words" 400 INVALID_PARAMETER_VALUE \
    "Changing param values is not allowed. Param with key='lr' was already logged with value='0.01' for run ID='$R1'. Attempted logging new value '0.02'."
ml GET "runs/get?run_id=$R1"
is "the param keeps its first value" \
    "$(py '[p["value"] for p in b["run"]["data"]["params"] if p["key"] == "lr"]')" \
    "['0.01']"
k251=$(python3 -c 'print("k" * 251)')
ml POST runs/log-parameter "{\"run_id\": \"$R1\", \"key\": \"$k251\", \"value\": \"1\"}"
expect "a param key over 250 characters is refused" 400 \
    INVALID_PARAMETER_VALUE "had length 251, which exceeded length limit of 250"
v6001=$(python3 -c 'print("v" * 6001)')
ml POST runs/log-parameter "{\"run_id\": \"$R1\", \"key\": \"big\", \"value\": \"$v6001\"}"
expect "a param value over 6000 characters is refused" 400 \
    INVALID_PARAMETER_VALUE "exceeded length limit of 6000"
v6000=$(python3 -c 'print("\u00e9" * 6000)')
ml POST runs/log-parameter "{\"run_id\": \"$R1\", \"key\": \"wide\", \"value\": \"$v6000\"}"
expect "6000 characters of two bytes each are accepted" 200

# Tags.
ml POST runs/set-tag "{\"run_id\": \"$R1\", \"key\": \"owner\", \"value\": \"ann\"}"
expect "a tag is set" 200
ml POST runs/set-tag "{\"run_id\": \"$R1\", \"key\": \"owner\", \"value\": \"bob\"}"
ml GET "runs/get?run_id=$R1"
is "a tag set again is overwritten" \
    "$(py '[t["value"] for t in b["run"]["data"]["tags"] if t["key"] == "owner"]')" \
    "['bob']"
ml POST runs/set-tag "{\"run_id\": \"$R1\", \"key\": \"mlflow.runName\", \"value\": \"by-tag\"}"
ml GET "runs/get?run_id=$R1"
is "setting mlflow.runName renames the run" "$(field run.info.run_name)" by-tag
v5001=$(python3 -c 'print("t" * 5001)')
ml POST runs/set-tag "{\"run_id\": \"$R1\", \"key\": \"long\", \"value\": \"$v5001\"}"
expect "a tag value over 5000 characters is refused" 400 \
    INVALID_PARAMETER_VALUE "exceeded length limit of 5000"
ml POST runs/delete-tag "{\"run_id\": \"$R1\", \"key\": \"owner\"}"
expect "a tag is deleted" 200
ml POST runs/delete-tag "{\"run_id\": \"$R1\", \"key\": \"owner\"}"
expect "deleting it again is 404" 404 RESOURCE_DOES_NOT_EXIST \
    "No tag with name: owner in run with id $R1"

# log-batch and its limits.
batch() {
	python3 - "$@" <<'PY' >"$T/batch.json"
import json, sys
run, nm, np, nt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(json.dumps({"run_id": run,
    "metrics": [{"key": "b%d" % (i % 7), "value": i / 10, "timestamp": 1000 + i, "step": i} for i in range(nm)],
    "params": [{"key": "p%d" % i, "value": str(i)} for i in range(np)],
    "tags": [{"key": "t%d" % i, "value": str(i)} for i in range(nt)]}))
PY
	ml POST runs/log-batch "$(cat "$T/batch.json")"
}
ml POST runs/create '{"run_name": "batch"}'
RB=$(field run.info.run_id)
batch "$RB" 1000 0 0
expect "a batch of 1000 metrics is logged" 200
batch "$RB" 900 50 50
expect "900 metrics, 50 params and 50 tags are logged" 200
ml GET "runs/get?run_id=$RB"
is "the batch's params are there" "$(py 'len(b["run"]["data"]["params"])')" 50
is "its tags are there (with mlflow.runName)" \
    "$(py 'len(b["run"]["data"]["tags"])')" 51
is "the latest of each batched metric" \
    "$(py 'sorted((m["key"], m["step"]) for m in b["run"]["data"]["metrics"])[0]')" \
    "('b0', 994)"
batch "$RB" 1001 0 0
expect "1001 metrics are refused" 400 INVALID_PARAMETER_VALUE \
    "A batch logging request can contain at most 1000 metrics. Got 1001 metrics."
batch "$RB" 0 101 0
expect "101 params are refused" 400 INVALID_PARAMETER_VALUE \
    "at most 100 params. Got 101 params"
batch "$RB" 0 0 101
expect "101 tags are refused" 400 INVALID_PARAMETER_VALUE \
    "at most 100 tags. Got 101 tags"
batch "$RB" 900 60 41
expect "1001 entities in all are refused" 400 INVALID_PARAMETER_VALUE \
    "at most 1000 metrics, params, and tags. Got 1001"
ml POST runs/log-batch "{\"run_id\": \"$RB\", \"params\": [{\"key\": \"d\", \"value\": \"1\"}, {\"key\": \"d\", \"value\": \"2\"}]}"
expect "duplicate param keys are refused" 400 INVALID_PARAMETER_VALUE \
    "Duplicate parameter keys have been submitted: ['d']"
ml POST runs/log-batch "{\"run_id\": \"$RB\", \"metrics\": [{\"key\": \"m\", \"value\": 1}]}"
expect "a batched metric needs a timestamp" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'metrics[0].timestamp'"
ml POST runs/log-batch "{\"run_id\": \"$RB\", \"params\": [{\"value\": \"1\"}]}"
expect "a batched param needs a key" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'params[0].key'"
ml POST runs/log-batch "{\"run_id\": \"$RB\", \"metrics\": {\"key\": \"m\"}}"
expect "metrics must be a list" 400 INVALID_PARAMETER_VALUE
ml POST runs/log-batch "{\"run_id\": \"$RB\", \"metrics\": [{\"key\": \"atomic\", \"value\": 1, \"timestamp\": 1}], \"params\": [{\"key\": \"p1\", \"value\": \"changed\"}]}"
expect "a batch changing a param is refused" 400 INVALID_PARAMETER_VALUE \
    "Changing param values is not allowed. Params were already logged='[{'key': 'p1', 'old_value': '1', 'new_value': 'changed'}]'"
ml GET "metrics/get-history?run_id=$RB&metric_key=atomic"
is "and nothing of it is written" "$(py 'len(b.get("metrics", []))')" 0
ml POST runs/log-batch '{"run_id": "0123456789abcdef0123456789abcdef", "tags": [{"key": "a", "value": "b"}]}'
expect "a batch to an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST
ml POST runs/log-batch "{\"run_id\": \"$RB\", \"metrics\": [{\"key\": \"rep\", \"value\": 2, \"timestamp\": 7, \"step\": 1}, {\"key\": \"rep\", \"value\": 2, \"timestamp\": 7, \"step\": 1}]}"
ml GET "metrics/get-history?run_id=$RB&metric_key=rep"
is "an exact repeat of a point is kept once" "$(py 'len(b["metrics"])')" 1

# Metric history and its pages.
python3 - "$R1" <<'PY' >"$T/hist.json"
import json, sys
print(json.dumps({"run_id": sys.argv[1], "metrics": [
    {"key": "h", "value": float(i), "timestamp": 5000 - i, "step": (i * 37) % 250}
    for i in range(250)]}))
PY
ml POST runs/log-batch "$(cat "$T/hist.json")"
ml GET "metrics/get-history?run_id=$R1&metric_key=h"
expect "a whole history is got" 200
is "without max_results, every point" "$(py 'len(b["metrics"])')" 250
is "in step order" "$(py '[m["step"] for m in b["metrics"]] == list(range(250))')" True
is "and no token" "$(py '"next_page_token" in b')" False
got=""
token=""
pages=0
while [ $pages -lt 10 ]; do
	q="run_id=$R1&metric_key=h&max_results=100"
	[ -n "$token" ] && q="$q&page_token=$token"
	ml GET "metrics/get-history?$q"
	keep GetMetricHistory.Response
	got="$got$(py 'len(b["metrics"])'),"
	token=$(py 'b.get("next_page_token", "")')
	pages=$((pages + 1))
	[ -n "$token" ] || break
done
is "pages of 100 hold 100, 100 and 50 points" "$got" "100,100,50,"
ml GET "metrics/get-history?run_id=$R1&metric_key=h&max_results=100&page_token=bm9wZQ"
expect "a bad history token is refused" 400 INVALID_PARAMETER_VALUE
ml GET "metrics/get-history?run_id=$R1&metric_key=h&max_results=0"
expect "max_results 0 is refused" 400 INVALID_PARAMETER_VALUE
ml GET "metrics/get-history?run_id=$R1"
expect "the history needs metric_key" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'metric_key'"
ml GET "metrics/get-history?run_id=0123456789abcdef0123456789abcdef&metric_key=h"
expect "the history of an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST
ml GET "metrics/get-history?run_id=$R1&metric_key=never"
expect "an unknown key has an empty history" 200
keep GetMetricHistory.Response
is "with no metrics" "$(py 'b')" "{}"

# Dataset inputs and logged models.
ds='{"name": "churn", "digest": "abc123", "source_type": "local", "source": "/data/churn.csv", "schema": "{}"}'
ml POST runs/log-inputs "{\"run_id\": \"$R1\", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\", \"value\": \"training\"}], \"dataset\": $ds}]}"
expect "a dataset input is logged" 200
ml POST runs/log-inputs "{\"run_id\": \"$R1\", \"datasets\": [{\"dataset\": $ds}]}"
ml GET "runs/get?run_id=$R1"
keep GetRun.Response
is "the run lists it once" \
    "$(py '[(d["dataset"]["name"], d["tags"][0]["value"]) for d in b["run"]["inputs"]["dataset_inputs"]]')" \
    "[('churn', 'training')]"
ml POST runs/log-inputs "{\"run_id\": \"$R1\", \"datasets\": [{\"dataset\": {\"digest\": \"x\", \"source_type\": \"s\", \"source\": \"s\"}}]}"
expect "a dataset needs a name" 400 INVALID_PARAMETER_VALUE \
    "Missing value for required parameter 'datasets[0].dataset.name'"
ml POST runs/log-model "{\"run_id\": \"$R1\", \"model_json\": \"{\\\"artifact_path\\\": \\\"model\\\", \\\"flavors\\\": {}, \\\"run_id\\\": \\\"$R1\\\", \\\"utc_time_created\\\": \\\"2024-01-01\\\"}\"}"
expect "a logged model is recorded" 200
ml GET "runs/get?run_id=$R1"
is "in the mlflow.log-model.history tag" \
    "$(py '[json.loads(t["value"])[0]["artifact_path"] for t in b["run"]["data"]["tags"] if t["key"] == "mlflow.log-model.history"]')" \
    "['model']"
ml POST runs/log-model "{\"run_id\": \"$R1\", \"model_json\": \"{\\\"flavors\\\": {}}\"}"
expect "a model without its mandatory fields is refused" 400 \
    INVALID_PARAMETER_VALUE "Model json is missing mandatory fields"

# Deleted runs and experiments take no logging.
ml POST runs/delete "{\"run_id\": \"$RB\"}"
expect "a run is deleted" 200
ml GET "runs/get?run_id=$RB"
is "it is marked deleted" "$(field run.info.lifecycle_stage)" deleted
for call in "log-metric:{\"run_id\": \"$RB\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1}" \
    "log-parameter:{\"run_id\": \"$RB\", \"key\": \"p\", \"value\": \"1\"}" \
    "set-tag:{\"run_id\": \"$RB\", \"key\": \"t\", \"value\": \"1\"}" \
    "log-batch:{\"run_id\": \"$RB\", \"tags\": [{\"key\": \"t\", \"value\": \"1\"}]}" \
    "update:{\"run_id\": \"$RB\", \"status\": \"KILLED\"}"; do
	ml POST "runs/${call%%:*}" "${call#*:}"
	expect "${call%%:*} on a deleted run is refused" 400 INVALID_PARAMETER_VALUE \
	    "The run $RB must be in the 'active' state. Current state is deleted."
done
ml POST runs/restore "{\"run_id\": \"$RB\"}"
expect "a run is restored" 200
ml POST runs/set-tag "{\"run_id\": \"$RB\", \"key\": \"back\", \"value\": \"1\"}"
expect "a restored run takes logging again" 200
ml POST runs/log-metric "{\"run_id\": \"$R2\", \"key\": \"late\", \"value\": 1, \"timestamp\": 1}"
expect "a finished (but active) run takes logging, as in MLflow" 200
ml POST runs/delete '{"run_id": "0123456789abcdef0123456789abcdef"}'
expect "deleting an unknown run is 404" 404 RESOURCE_DOES_NOT_EXIST
ml POST runs/delete '{}'
expect "runs/delete needs run_id" 400 INVALID_PARAMETER_VALUE

ml POST experiments/delete "{\"experiment_id\": \"$EXP1\"}"
expect "an experiment is deleted" 200
ml GET "experiments/get?experiment_id=$EXP1"
is "it is marked deleted" "$(field experiment.lifecycle_stage)" deleted
ml GET "runs/get?run_id=$R2"
is "its runs are deleted with it" "$(field run.info.lifecycle_stage)" deleted
ml POST runs/create "{\"experiment_id\": \"$EXP1\"}"
expect "a deleted experiment gets no runs" 400 INVALID_PARAMETER_VALUE \
    "The experiment $EXP1 must be in the 'active' state. Current state is deleted."
ml POST experiments/set-experiment-tag "{\"experiment_id\": \"$EXP1\", \"key\": \"k\", \"value\": \"v\"}"
expect "nor tags" 400 INVALID_PARAMETER_VALUE
ml POST experiments/update "{\"experiment_id\": \"$EXP1\", \"new_name\": \"zombie\"}"
expect "nor a new name" 400 INVALID_STATE "Cannot rename a non-active experiment."
ml POST experiments/search '{"view_type": "DELETED_ONLY"}'
is "DELETED_ONLY finds it" "$(names)" exp-one
ml POST experiments/search '{"view_type": "ALL", "filter": "name = '\''exp-one'\''"}'
is "ALL finds it" "$(names)" exp-one
ml POST experiments/search '{"filter": "name = '\''exp-one'\''"}'
is "the default view does not" "$(names)" ""
ml POST experiments/create '{"name": "exp-one"}'
expect "a deleted experiment keeps its name" 400 RESOURCE_ALREADY_EXISTS \
    "It is deleted: restore it"
ml POST experiments/delete "{\"experiment_id\": \"$EXP1\"}"
expect "deleting it again is 404" 404 RESOURCE_DOES_NOT_EXIST
ml POST experiments/delete '{"experiment_id": "0"}'
expect "the default experiment cannot be deleted" 400 INVALID_PARAMETER_VALUE
ml POST experiments/restore "{\"experiment_id\": \"$EXP1\"}"
expect "an experiment is restored" 200
ml GET "runs/get?run_id=$R2"
is "its runs are restored with it" "$(field run.info.lifecycle_stage)" active
ml POST experiments/restore "{\"experiment_id\": \"$EXP1\"}"
expect "restoring an active experiment is 404" 404 RESOURCE_DOES_NOT_EXIST

# Run search: filters and order_by (compiled by mlflow_search.c), views,
# pages, several experiments.
ml POST experiments/create '{"name": "search-exp"}'
ES=$(field experiment_id)
ml POST experiments/create '{"name": "search-other"}'
EO=$(field experiment_id)
srun() {	# NAME START ACC MODEL TEAM [EXPERIMENT]
	ml POST runs/create "{\"experiment_id\": \"${6:-$ES}\", \"run_name\": \"$1\", \"start_time\": $2}"
	id=$(field run.info.run_id)
	[ "$3" = - ] || ml POST runs/log-metric "{\"run_id\": \"$id\", \"key\": \"acc\", \"value\": $3, \"timestamp\": 1}"
	ml POST runs/log-batch "{\"run_id\": \"$id\", \"params\": [{\"key\": \"model\", \"value\": \"$4\"}], \"tags\": [{\"key\": \"team\", \"value\": \"$5\"}]}"
	echo "$id"
}
S1=$(srun s1 1000 0.9 rf vision)
S2=$(srun s2 2000 0.4 lr vision)
S3=$(srun s3 3000 0.7 rf nlp)
S4=$(srun s4 4000 '"NaN"' lr nlp)
S5=$(srun s5 5000 - rf nlp)
S6=$(srun o1 6000 0.95 rf vision "$EO")
ml POST runs/update "{\"run_id\": \"$S2\", \"status\": \"FINISHED\"}"
runs() {
	py '",".join(r["info"]["run_name"] for r in b.get("runs", []))'
}
search() {
	ml POST runs/search "$1"
}
search "{\"experiment_ids\": [\"$ES\"]}"
expect "runs are searched" 200
keep SearchRuns.Response
is "by default, newest first" "$(runs)" "s5,s4,s3,s2,s1"
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"metrics.acc > 0.5\", \"order_by\": [\"metrics.acc DESC\"]}"
keep SearchRuns.Response
is "by metric, ordered by it" "$(runs)" "s1,s3"
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"params.model = 'rf' and tags.team = 'nlp'\"}"
is "by param and tag" "$(runs)" "s5,s3"
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"attributes.status = 'FINISHED'\"}"
is "by status" "$(runs)" "s2"
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"run_name LIKE 's%'\", \"order_by\": [\"start_time ASC\"]}"
is "by name, oldest first" "$(runs)" "s1,s2,s3,s4,s5"
search "{\"experiment_ids\": [\"$ES\"], \"order_by\": [\"metrics.acc\"]}"
is "runs without the metric sort last, NaN before them" "$(runs)" \
    "s2,s3,s1,s4,s5"
search "{\"experiment_ids\": [\"$ES\", \"$EO\"], \"filter\": \"tags.team = 'vision'\"}"
is "over two experiments" "$(runs)" "o1,s2,s1"
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"run_id IN ('$S1', '$S3')\"}"
is "by run_id IN" "$(runs)" "s3,s1"
search "{\"experiment_ids\": []}"
is "no experiment, no runs" "$(py 'b')" "{}"
got=""
token=""
i=0
while [ $i -lt 10 ]; do
	if [ -n "$token" ]; then
		search "{\"experiment_ids\": [\"$ES\"], \"max_results\": 2, \"page_token\": \"$token\"}"
	else
		search "{\"experiment_ids\": [\"$ES\"], \"max_results\": 2}"
	fi
	got="$got$(runs);"
	token=$(py 'b.get("next_page_token", "")')
	[ -n "$token" ] || break
	i=$((i + 1))
done
is "pages of two" "$got" "s5,s4;s3,s2;s1;"
ml POST runs/delete "{\"run_id\": \"$S3\"}"
search "{\"experiment_ids\": [\"$ES\"]}"
is "a deleted run is not found by default" "$(runs)" "s5,s4,s2,s1"
search "{\"experiment_ids\": [\"$ES\"], \"run_view_type\": \"DELETED_ONLY\"}"
is "DELETED_ONLY finds it" "$(runs)" "s3"
search "{\"experiment_ids\": [\"$ES\"], \"run_view_type\": \"ALL\", \"max_results\": 1}"
is "ALL finds every run" "$(runs)" "s5"
mlt POST runs/search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"metrics.acc < 0.5\"}"
expect "runs are searched over TCP" 200
is "over TCP too" "$(runs)" "s2"
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"metrics.acc >\"}"
expect "a malformed filter is refused" 400 INVALID_PARAMETER_VALUE
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"metrics.acc > 1 OR metrics.acc < 0\"}"
expect "OR in a run filter is refused" 400 INVALID_PARAMETER_VALUE
search "{\"experiment_ids\": [\"$ES\"], \"filter\": \"colour = 'red'\"}"
expect "an unknown attribute in a run filter is refused" 400 \
    INVALID_PARAMETER_VALUE
search "{\"experiment_ids\": [\"$ES\"], \"order_by\": [\"metrics.acc sideways\"]}"
expect "a malformed run order_by is refused" 400 INVALID_PARAMETER_VALUE
search "{\"experiment_ids\": [\"$ES\"], \"max_results\": 50001}"
expect "max_results over 50000 is refused" 400 INVALID_PARAMETER_VALUE \
    "It must be at most 50000"
search "{\"experiment_ids\": [\"$ES\"], \"page_token\": \"!!\"}"
expect "a bad run page token is refused" 400 INVALID_PARAMETER_VALUE
search "{\"experiment_ids\": \"$ES\"}"
expect "experiment_ids must be a list" 400 INVALID_PARAMETER_VALUE
search "{\"experiment_ids\": [\"$ES\"], \"run_view_type\": \"SOME\"}"
expect "an unknown run view type is refused" 400 INVALID_PARAMETER_VALUE

# Artifact listings stay inside the run's directory.
ml GET "artifacts/list?run_id=$R1"
expect "a run without artifacts lists nothing" 200
keep ListArtifacts.Response
is "but names its root" "$(field root_uri)" \
    "file://$STATE/mlflow-artifacts/0/$R1/artifacts"
ART="$STATE/mlflow-artifacts/0/$R1/artifacts"
mkdir -p "$ART/model/sub" "$T/secret"
printf 'abc' >"$ART/model/MLmodel"
printf '12345' >"$ART/metrics.csv"
echo secret >"$T/secret/key.txt"
ln -s "$T/secret" "$ART/escape"
ml GET "artifacts/list?run_id=$R1"
expect "artifacts are listed" 200
keep ListArtifacts.Response
is "by path, with directories and sizes" \
    "$(py '[(f["path"], f["is_dir"], f.get("file_size")) for f in b["files"]]')" \
    "[('escape', False, None), ('metrics.csv', False, 5), ('model', True, None)]"
ml GET "artifacts/list?run_uuid=$R1&path=model"
expect "a subdirectory is listed" 200
keep ListArtifacts.Response
is "with paths from the root" "$(py '[f["path"] for f in b["files"]]')" \
    "['model/MLmodel', 'model/sub']"
ml GET "artifacts/list?run_id=$R1&path=metrics.csv"
is "a file lists nothing" "$(py '"files" in b')" False
ml GET "artifacts/list?run_id=$R1&path=nothing/here"
is "a missing path lists nothing" "$(py '"files" in b')" False
for bad in "../" "../../../etc" "model/../../x" "/etc" "escape" "escape/key.txt" \
    "model%2F..%2F..%2F..%2Fsecret"; do
	ml GET "artifacts/list?run_id=$R1&path=$bad"
	expect "the path '$bad' is refused" 400 INVALID_PARAMETER_VALUE
done
ml GET "artifacts/list?run_id=0123456789abcdef0123456789abcdef"
expect "artifacts of an unknown run are 404" 404 RESOURCE_DOES_NOT_EXIST

# Two writers on one run at once: every point lands.
ml POST runs/create '{"run_name": "contended"}'
RC=$(field run.info.run_id)
for w in 1 2; do
	python3 - "$w" "$RC" "$PORT" "$KEY" <<'PY' >"$T/writer$w.cfg"
import json, sys
w, run, port, key = sys.argv[1:]
for i in range(300):
    body = json.dumps({"run_id": run, "key": "shared", "value": i,
                       "timestamp": 1000 + i, "step": int(w) * 1000 + i})
    print('url = "http://127.0.0.1:%s/api/2.0/mlflow/runs/log-metric"' % port)
    print('header = "Authorization: Bearer %s"' % key)
    print('header = "Content-Type: application/json"')
    print("data = %s" % json.dumps(body))
    print('output = "/dev/null"')
    print('write-out = "%{http_code}\\n"')
    if i < 299:
        print("next")
PY
done
curl -s -K "$T/writer1.cfg" >"$T/writer1.out" &
w1=$!
curl -s -K "$T/writer2.cfg" >"$T/writer2.out" &
w2=$!
wait $w1
wait $w2
is "every request of both writers was answered 200" \
    "$(cat "$T/writer1.out" "$T/writer2.out" | sort | uniq -c | awk '{print $1, $2}')" \
    "600 200"
ml GET "metrics/get-history?run_id=$RC&metric_key=shared"
is "both writers' points are all there" "$(py 'len(b["metrics"])')" 600
is "the latest is the highest step" "$(latest "$RC" shared)" "[(299, 1299, 2299)]"

# The Python module, end to end, with no third-party package.
SDK="$top_srcdir/core/sdk"
cat >"$T/train.py" <<'PY'
import math
import lathe
from lathe import tracking

with tracking.start_run(run_name="py-run", tags={"purpose": "test"}) as run:
    tracking.log_param("alpha", 0.5)
    tracking.log_params({"layers": 3, "act": "relu"})
    for step in range(1500):
        tracking.log_metrics({"loss": 1.0 / (step + 1), "acc": step / 1500},
                             step=step)
    tracking.log_metric("final", 0.125)
    tracking.log_metric("weird", math.nan)
    tracking.set_tag("stage", "done")
    tracking.set_tags({"a": 1, "b": 2})
    assert tracking.active_run().info.run_id == run.info.run_id
    print(run.info.run_id)
assert tracking.active_run() is None
PY
PYRUN=$(MLFLOW_TRACKING_URI="http://127.0.0.1:$PORT" \
    MLFLOW_TRACKING_TOKEN="$KEY" MLFLOW_EXPERIMENT_NAME=py-exp \
    PYTHONPATH="$SDK" /usr/bin/python3 "$T/train.py" 2>"$T/py.err")
is "the module logs a run (stderr: $(head -c 300 "$T/py.err"))" \
    "$(printf '%s' "$PYRUN" | grep -Ec '^[0-9a-f]{32}$')" 1
ml GET "runs/get?run_id=$PYRUN"
keep GetRun.Response
is "the run is FINISHED when the block ends" "$(field run.info.status)" FINISHED
is "it has an end time" "$(py '"end_time" in b["run"]["info"]')" True
is "its params" "$(py 'sorted((p["key"], p["value"]) for p in b["run"]["data"]["params"])')" \
    "[('act', 'relu'), ('alpha', '0.5'), ('layers', '3')]"
is "its latest metrics" \
    "$(py 'sorted((m["key"], m["step"]) for m in b["run"]["data"]["metrics"])')" \
    "[('acc', 1499), ('final', 0), ('loss', 1499), ('weird', 0)]"
is "its tags, with the run name and the user" \
    "$(py 'sorted(k for k in (t["key"] for t in b["run"]["data"]["tags"]) if not k.startswith("mlflow.source"))')" \
    "['a', 'b', 'mlflow.runName', 'mlflow.user', 'purpose', 'stage']"
PYEXP=$(field run.info.experiment_id)
ml GET "experiments/get?experiment_id=$PYEXP"
is "in the experiment named by MLFLOW_EXPERIMENT_NAME" "$(field experiment.name)" \
    py-exp
ml GET "metrics/get-history?run_id=$PYRUN&metric_key=loss"
is "all 1500 points of a metric logged in batches" "$(py 'len(b["metrics"])')" 1500

cat >"$T/errors.py" <<'PY'
import os, sys
from lathe import tracking
from lathe.tracking import TrackingError, Client

def expect(what, code, fn):
    try:
        fn()
    except TrackingError as e:
        print("%s: %s" % (what, e.error_code))
        return e
    print("%s: no error" % what)

# Attach to an existing run through MLFLOW_RUN_ID.
run = tracking.start_run()
print("attached", run.info.run_id == os.environ["ATTACH_RUN"],
      "MLFLOW_RUN_ID" in os.environ)
tracking.log_param("x", "1")
e = expect("changed param", "INVALID_PARAMETER_VALUE",
           lambda: tracking.log_param("x", "2"))
print("message", "Changing param values is not allowed" in e.message)
expect("bad metric value", "INVALID_PARAMETER_VALUE",
       lambda: tracking.log_metric("m", "high"))
expect("nested without nested=True", "INVALID_PARAMETER_VALUE",
       lambda: tracking.start_run())
tracking.end_run()
expect("unknown run", "RESOURCE_DOES_NOT_EXIST",
       lambda: tracking.start_run(run_id="0123456789abcdef0123456789abcdef"))
try:
    with tracking.start_run(experiment_id="0", run_name="fails"):
        raise ValueError("boom")
except ValueError:
    print("failed run", tracking.active_run() is None)
expect("bad token", "UNAUTHENTICATED",
       lambda: Client(token="lk_bad_bad").get_experiment("0"))
expect("deleted experiment", "INVALID_PARAMETER_VALUE",
       lambda: tracking.set_experiment(os.environ["DELETED_EXP"]))
os.environ.pop("MLFLOW_TRACKING_URI")
expect("no URI", "INVALID_PARAMETER_VALUE", lambda: Client())
expect("unreachable", "TEMPORARILY_UNAVAILABLE",
       lambda: Client("http://127.0.0.1:9").get_experiment("0"))
PY
ml POST runs/create '{"run_name": "attached"}'
RA=$(field run.info.run_id)
ml POST experiments/create '{"name": "gone"}'
ml POST experiments/delete "{\"experiment_id\": \"$(field experiment_id)\"}"
MLFLOW_TRACKING_URI="http://127.0.0.1:$PORT" MLFLOW_TRACKING_TOKEN="$KEY" \
    MLFLOW_RUN_ID="$RA" ATTACH_RUN="$RA" DELETED_EXP=gone PYTHONPATH="$SDK" \
    /usr/bin/python3 "$T/errors.py" >"$T/errors.out" 2>&1
is "the module's error paths carry MLflow's codes" "$(cat "$T/errors.out")" \
"attached True False
changed param: INVALID_PARAMETER_VALUE
message True
bad metric value: INVALID_PARAMETER_VALUE
nested without nested=True: INVALID_PARAMETER_VALUE
unknown run: RESOURCE_DOES_NOT_EXIST
failed run True
bad token: UNAUTHENTICATED
deleted experiment: INVALID_PARAMETER_VALUE
no URI: INVALID_PARAMETER_VALUE
unreachable: TEMPORARILY_UNAVAILABLE"
ml GET "runs/get?run_id=$RA"
is "an attached run is ended by end_run" "$(field run.info.status)" FINISHED
check "a run that raised is FAILED" python3 - "$SOCK" <<'PY'
import json, subprocess, sys
out = subprocess.run(["curl", "-s", "--unix-socket", sys.argv[1], "-X", "POST",
    "-H", "Content-Type: application/json", "--data",
    json.dumps({"experiment_ids": ["0"], "filter": "tags.`mlflow.runName` = 'fails'"}),
    "http://l/api/2.0/mlflow/runs/search"], capture_output=True, text=True).stdout
runs = json.loads(out).get("runs", [])
assert len(runs) == 1 and runs[0]["info"]["status"] == "FAILED", out
PY

# Every answer kept above has MLflow's field names and types.
check "answers match MLflow's message definitions" \
    python3 "$top_srcdir/tests/integration/mlflow_proto.py" "$T/resp"

stop_core
is "lathed stops cleanly" "$CORE_STATUS" 0
done_testing
