"""Experiments and runs for the Experiments section's screen tests, made
through lathed's MLflow tracking API on its unix socket (test_experiments.c
runs this before it starts lathe, and again to log while lathe watches).

    mlflow_fixture.py SOCKET setup          make everything below
    mlflow_fixture.py SOCKET log RUN KEY VALUE STEP
    mlflow_fixture.py SOCKET finish RUN

setup prints "NAME RUN_ID" for each run it makes, so the test can log to
them later.
"""

import http.client
import json
import socket
import sys

API = "/api/2.0/mlflow"
T0 = 1700000000000      # start times: fixed, one minute apart


class Conn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(conn, endpoint, body):
    conn.request("POST", API + "/" + endpoint, json.dumps(body),
                 {"Content-Type": "application/json"})
    answer = conn.getresponse()
    data = answer.read()
    if answer.status != 200:
        sys.exit("%s: %d %s" % (endpoint, answer.status, data.decode()))
    return json.loads(data or b"{}")


def experiment(conn, name):
    return call(conn, "experiments/create", {"name": name})["experiment_id"]


def run(conn, exp, name, start, params, history, status, end=None):
    run_id = call(conn, "runs/create", {
        "experiment_id": exp, "run_name": name, "start_time": start,
    })["run"]["info"]["run_id"]
    metrics = []
    for key, values in history.items():
        for step, value in enumerate(values):
            metrics.append({"key": key, "value": value, "step": step,
                            "timestamp": start + 1000 * step})
    call(conn, "runs/log-batch", {
        "run_id": run_id, "metrics": metrics,
        "params": [{"key": k, "value": v} for k, v in params.items()],
    })
    if status != "RUNNING":
        call(conn, "runs/update", {"run_id": run_id, "status": status,
                                   "end_time": end or start + 83000})
    print(name, run_id)
    return run_id


def setup(conn):
    exp = experiment(conn, "churn-exp")
    run(conn, exp, "run-alpha", T0, {"lr": "0.01", "depth": "6",
        "optimizer": "adam"}, {"acc": [0.5, 0.6, 0.7, 0.85, 0.92],
        "loss": [1.0, 0.7, 0.5, 0.3, 0.2]}, "FINISHED")
    run(conn, exp, "run-beta", T0 + 60000, {"lr": "0.1", "depth": "4",
        "optimizer": "adam"}, {"acc": [0.4, 0.5, 0.6, 0.7, 0.75],
        "loss": [1.2, 0.9, 0.8, 0.6, 0.5]}, "FINISHED")
    run(conn, exp, "run-gamma", T0 + 120000, {"lr": "0.05", "depth": "8",
        "optimizer": "adam"}, {"acc": [0.6, 0.7, 0.8, 0.86, 0.88],
        "loss": [0.9, 0.6, 0.4, 0.35, 0.3]}, "FINISHED")
    run(conn, exp, "run-delta", T0 + 180000, {"lr": "0.2", "depth": "2",
        "optimizer": "sgd"}, {"acc": [0.3, 0.55],
        "loss": [2.0, 1.5]}, "FAILED")

    exp = experiment(conn, "live-exp")
    run(conn, exp, "run-live", T0, {"lr": "0.3"},
        {"loss": [5.0, 4.0, 3.0]}, "RUNNING")

    # More runs than one page of the runs table holds.
    exp = experiment(conn, "bulk-exp")
    for i in range(1100):
        call(conn, "runs/create", {
            "experiment_id": exp, "run_name": "bulk-%04d" % i,
            "start_time": T0 + i,
        })


def main():
    conn = Conn(sys.argv[1])
    what = sys.argv[2]
    if what == "setup":
        setup(conn)
    elif what == "log":
        run_id, key, value, step = sys.argv[3:7]
        call(conn, "runs/log-metric", {
            "run_id": run_id, "key": key, "value": float(value),
            "step": int(step), "timestamp": T0 + 1000 * int(step)})
    elif what == "finish":
        call(conn, "runs/update", {"run_id": sys.argv[3],
                                   "status": "FINISHED"})
    else:
        sys.exit("unknown command " + what)


main()
