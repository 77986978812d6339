"""Check lathed's MLflow answers against MLflow's own message definitions.

The messages below are those of mlflow/protos/service.proto (MLflow 2.x)
that the tracking client parses. Every answer kept by mlflow.sh
(DIR/MESSAGE.N.json) must use only these field names, with the JSON types
of protobuf's JSON mapping as MLflow's server writes it (int64 as numbers,
doubles as numbers or "NaN"/"Infinity"/"-Infinity", enums by name), and
carry the fields MLflow always sets.

usage: python3 mlflow_proto.py DIR
"""

import json
import os
import sys

S, I64, DBL, BOOL = "string", "int64", "double", "bool"

# message -> {field: (type, repeated)}; a type naming a message nests.
MESSAGES = {
    "Metric": {"key": (S, 0), "value": (DBL, 0), "timestamp": (I64, 0),
               "step": (I64, 0)},
    "Param": {"key": (S, 0), "value": (S, 0)},
    "RunTag": {"key": (S, 0), "value": (S, 0)},
    "ExperimentTag": {"key": (S, 0), "value": (S, 0)},
    "InputTag": {"key": (S, 0), "value": (S, 0)},
    "Dataset": {"name": (S, 0), "digest": (S, 0), "source_type": (S, 0),
                "source": (S, 0), "schema": (S, 0), "profile": (S, 0)},
    "DatasetInput": {"tags": ("InputTag", 1), "dataset": ("Dataset", 0)},
    "RunInputs": {"dataset_inputs": ("DatasetInput", 1)},
    "RunData": {"metrics": ("Metric", 1), "params": ("Param", 1),
                "tags": ("RunTag", 1)},
    "RunInfo": {"run_id": (S, 0), "run_uuid": (S, 0), "run_name": (S, 0),
                "experiment_id": (S, 0), "user_id": (S, 0),
                "status": ("RunStatus", 0), "start_time": (I64, 0),
                "end_time": (I64, 0), "artifact_uri": (S, 0),
                "lifecycle_stage": (S, 0)},
    "Run": {"info": ("RunInfo", 0), "data": ("RunData", 0),
            "inputs": ("RunInputs", 0)},
    "Experiment": {"experiment_id": (S, 0), "name": (S, 0),
                   "artifact_location": (S, 0), "lifecycle_stage": (S, 0),
                   "last_update_time": (I64, 0), "creation_time": (I64, 0),
                   "tags": ("ExperimentTag", 1)},
    "FileInfo": {"path": (S, 0), "is_dir": (BOOL, 0), "file_size": (I64, 0)},
    # Responses.
    "CreateExperiment.Response": {"experiment_id": (S, 0)},
    "GetExperiment.Response": {"experiment": ("Experiment", 0)},
    "GetExperimentByName.Response": {"experiment": ("Experiment", 0)},
    "SearchExperiments.Response": {"experiments": ("Experiment", 1),
                                   "next_page_token": (S, 0)},
    "CreateRun.Response": {"run": ("Run", 0)},
    "GetRun.Response": {"run": ("Run", 0)},
    "UpdateRun.Response": {"run_info": ("RunInfo", 0)},
    "SearchRuns.Response": {"runs": ("Run", 1), "next_page_token": (S, 0)},
    "GetMetricHistory.Response": {"metrics": ("Metric", 1),
                                  "next_page_token": (S, 0)},
    "ListArtifacts.Response": {"root_uri": (S, 0), "files": ("FileInfo", 1),
                               "next_page_token": (S, 0)},
    "Empty.Response": {},
}

# Fields MLflow's server always sets on these messages.
REQUIRED = {
    "RunInfo": ["run_id", "run_uuid", "run_name", "experiment_id", "user_id",
                "status", "start_time", "artifact_uri", "lifecycle_stage"],
    "Run": ["info", "data"],
    "Experiment": ["experiment_id", "name", "artifact_location",
                   "lifecycle_stage", "creation_time", "last_update_time"],
    "Metric": ["key", "value", "timestamp", "step"],
    "Param": ["key", "value"],
    "RunTag": ["key", "value"],
    "ExperimentTag": ["key", "value"],
    "FileInfo": ["path", "is_dir"],
    "Dataset": ["name", "digest", "source_type", "source"],
    "CreateExperiment.Response": ["experiment_id"],
    "GetExperiment.Response": ["experiment"],
    "GetRun.Response": ["run"],
    "CreateRun.Response": ["run"],
    "UpdateRun.Response": ["run_info"],
    "ListArtifacts.Response": ["root_uri"],
}

RUN_STATUSES = {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"}


def check_value(where, typ, v, errors):
    if typ == S:
        ok = isinstance(v, str)
    elif typ == I64:
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif typ == DBL:
        ok = (isinstance(v, (int, float)) and not isinstance(v, bool)) or \
            v in ("NaN", "Infinity", "-Infinity")
    elif typ == BOOL:
        ok = isinstance(v, bool)
    elif typ == "RunStatus":
        ok = v in RUN_STATUSES
    else:
        check_message(where, typ, v, errors)
        return
    if not ok:
        errors.append("%s: %r is not a %s" % (where, v, typ))


def check_message(where, name, obj, errors):
    if not isinstance(obj, dict):
        errors.append("%s: %s is not an object" % (where, name))
        return
    fields = MESSAGES[name]
    for key, v in obj.items():
        if key not in fields:
            errors.append("%s: %s has no field '%s'" % (where, name, key))
            continue
        typ, repeated = fields[key]
        if repeated:
            if not isinstance(v, list) or not v:
                # protobuf's JSON leaves empty lists out
                errors.append("%s.%s: a repeated field must be a non-empty "
                              "list, got %r" % (where, key, v))
                continue
            for i, e in enumerate(v):
                check_value("%s.%s[%d]" % (where, key, i), typ, e, errors)
        else:
            check_value("%s.%s" % (where, key), typ, v, errors)
    for key in REQUIRED.get(name, []):
        if key not in obj:
            errors.append("%s: %s lacks '%s'" % (where, name, key))


def main():
    d = sys.argv[1]
    errors, seen = [], {}
    for f in sorted(os.listdir(d)):
        message = f.rsplit(".", 2)[0]
        if message not in MESSAGES:
            errors.append("%s: no such message" % f)
            continue
        with open(os.path.join(d, f)) as fh:
            check_message(f, message, json.load(fh), errors)
        seen[message] = seen.get(message, 0) + 1
    for e in errors:
        print(e)
    print("checked %d answers: %s" % (sum(seen.values()), ", ".join(
        "%s x%d" % kv for kv in sorted(seen.items()))))
    missing = [m for m in MESSAGES if m.endswith(".Response") and
               m not in seen]
    if missing:
        print("no answer kept for: %s" % ", ".join(missing))
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
