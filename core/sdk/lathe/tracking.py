"""Experiment tracking for scripts run by lathe, with no package to install.

lathed serves MLflow's tracking API, so scripts that have the ``mlflow``
package simply use it. This module is for those that do not: the same
calls, on the standard library alone (urllib), reading the same environment
as MLflow's client:

    MLFLOW_TRACKING_URI     lathed's address, e.g. http://127.0.0.1:PORT
    MLFLOW_TRACKING_TOKEN   a lathe API key, sent as "Authorization: Bearer"
    MLFLOW_EXPERIMENT_ID / MLFLOW_EXPERIMENT_NAME   where new runs go
    MLFLOW_RUN_ID           a run to log to instead of starting one

    from lathe import tracking

    with tracking.start_run(run_name="baseline"):
        tracking.log_params({"lr": 0.01, "depth": 6})
        for step in range(10):
            tracking.log_metric("loss", 1.0 / (step + 1), step=step)

Errors from lathed raise TrackingError, which carries MLflow's error_code
(RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...) and message.
"""

import atexit
import getpass
import json
import math
import numbers
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = [
    "TrackingError", "Client", "ActiveRun", "start_run", "end_run",
    "active_run", "log_param", "log_params", "log_metric", "log_metrics",
    "set_tag", "set_tags", "set_experiment", "get_run",
    "get_metric_history",
]

# MLflow's batch limits (one log-batch request).
MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_TAGS_PER_BATCH = 100

RUN_NAME_TAG = "mlflow.runName"
PARENT_RUN_TAG = "mlflow.parentRunId"
TERMINAL_STATUSES = ("FINISHED", "FAILED", "KILLED")
STATUSES = ("RUNNING", "SCHEDULED") + TERMINAL_STATUSES

# Answers worth another try: lathed busy or restarting.
_RETRY_STATUSES = (429, 502, 503, 504)
_RETRIES = 4


class TrackingError(Exception):
    """An error from lathed's tracking API, or found before sending.

    error_code is MLflow's code (RESOURCE_DOES_NOT_EXIST,
    INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS, ...); status is the
    HTTP status, or None when the request was not sent or got no answer.
    """

    def __init__(self, error_code, message, status=None):
        super().__init__("%s: %s" % (error_code, message))
        self.error_code = error_code
        self.message = message
        self.status = status


def _now_ms():
    return int(time.time() * 1000)


def _metric_value(key, value, timestamp):
    """A metric value as MLflow's JSON carries it: NaN and infinities as
    strings."""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TrackingError(
            "INVALID_PARAMETER_VALUE",
            "Got invalid value %r for metric '%s' (timestamp=%s). Please "
            "specify value as a valid double (64-bit floating point)"
            % (value, key, timestamp))
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Client:
    """Calls to lathed's MLflow endpoints; one per tracking URI."""

    def __init__(self, tracking_uri=None, token=None, timeout=60):
        uri = tracking_uri or os.environ.get("MLFLOW_TRACKING_URI", "")
        if not uri:
            raise TrackingError(
                "INVALID_PARAMETER_VALUE",
                "MLFLOW_TRACKING_URI is not set: point it at lathed, e.g. "
                "http://127.0.0.1:PORT (lathe sets it for the jobs and "
                "sessions it runs)")
        parts = urllib.parse.urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TrackingError(
                "INVALID_PARAMETER_VALUE",
                "MLFLOW_TRACKING_URI must be an http:// or https:// URL, "
                "not '%s'" % uri)
        self.tracking_uri = uri.rstrip("/")
        self._base = self.tracking_uri + "/api/2.0/mlflow/"
        if token is None:
            token = os.environ.get("MLFLOW_TRACKING_TOKEN")
        self._token = token or None
        self._timeout = timeout

    def call(self, method, endpoint, body=None):
        """Send body (a dict) to endpoint ("runs/get", ...): in the query
        string for GET, as JSON for POST. Return the answer as a dict."""
        url = self._base + endpoint
        data = None
        headers = {"Accept": "application/json"}
        if method == "GET":
            if body:
                url += "?" + urllib.parse.urlencode(
                    {k: v for k, v in body.items() if v is not None},
                    doseq=True)
        else:
            data = json.dumps(body or {}, allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        delay = 0.2
        for attempt in range(_RETRIES + 1):
            req = urllib.request.Request(url, data=data, headers=headers,
                                         method=method)
            try:
                with urllib.request.urlopen(req,
                                            timeout=self._timeout) as resp:
                    return self._decode(resp.read(), resp.status, endpoint)
            except urllib.error.HTTPError as e:
                payload = e.read()
                if e.code in _RETRY_STATUSES and attempt < _RETRIES:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise self._error(payload, e.code, endpoint) from None
            except (urllib.error.URLError, ConnectionError) as e:
                if attempt < _RETRIES:
                    time.sleep(delay)
                    delay *= 2
                    continue
                reason = getattr(e, "reason", e)
                raise TrackingError(
                    "TEMPORARILY_UNAVAILABLE",
                    "cannot reach lathed at %s: %s (is it running? "
                    "'lathe core status' tells)" % (self.tracking_uri,
                                                    reason)) from None
        raise AssertionError("unreachable")

    @staticmethod
    def _decode(payload, status, endpoint):
        try:
            return json.loads(payload.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            raise TrackingError(
                "INTERNAL_ERROR", "the answer to %s is not JSON: %r"
                % (endpoint, payload[:200]), status) from None

    @staticmethod
    def _error(payload, status, endpoint):
        try:
            body = json.loads(payload.decode("utf-8"))
            return TrackingError(body.get("error_code", "INTERNAL_ERROR"),
                                 body.get("message", ""), status)
        except (UnicodeDecodeError, ValueError, AttributeError):
            return TrackingError(
                "INTERNAL_ERROR", "%s failed with HTTP %d: %r"
                % (endpoint, status, payload[:200]), status)

    # Experiments.

    def get_experiment(self, experiment_id):
        return self.call("GET", "experiments/get", {
            "experiment_id": str(experiment_id)})["experiment"]

    def get_experiment_by_name(self, name):
        """The experiment named name, or None."""
        try:
            return self.call("GET", "experiments/get-by-name", {
                "experiment_name": name})["experiment"]
        except TrackingError as e:
            if e.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise

    def create_experiment(self, name, artifact_location=None, tags=None):
        body = {"name": name}
        if artifact_location:
            body["artifact_location"] = artifact_location
        if tags:
            body["tags"] = [{"key": k, "value": str(v)}
                            for k, v in tags.items()]
        return self.call("POST", "experiments/create", body)["experiment_id"]

    # Runs.

    def create_run(self, experiment_id, run_name=None, tags=None,
                   start_time=None, user_id=None):
        body = {
            "experiment_id": str(experiment_id),
            "start_time": start_time if start_time is not None else _now_ms(),
            "tags": [{"key": k, "value": str(v)}
                     for k, v in (tags or {}).items()],
        }
        if run_name:
            body["run_name"] = run_name
        if user_id is not None:
            body["user_id"] = user_id
        return self.call("POST", "runs/create", body)["run"]

    def get_run(self, run_id):
        return self.call("GET", "runs/get", {"run_id": run_id})["run"]

    def update_run(self, run_id, status=None, end_time=None, run_name=None):
        body = {"run_id": run_id, "run_uuid": run_id}
        if status is not None:
            if status not in STATUSES:
                raise TrackingError(
                    "INVALID_PARAMETER_VALUE",
                    "status must be one of %s, not %r"
                    % (", ".join(STATUSES), status))
            body["status"] = status
        if end_time is not None:
            body["end_time"] = end_time
        if run_name:
            body["run_name"] = run_name
        return self.call("POST", "runs/update", body)["run_info"]

    def log_batch(self, run_id, metrics=(), params=(), tags=()):
        """Log lists of dicts ({key, value, timestamp, step} for metrics,
        {key, value} for the others), split into requests within MLflow's
        limits. Each request lands whole or not at all."""
        metrics, params, tags = list(metrics), list(params), list(tags)
        for chunk in _chunks(params, MAX_PARAMS_TAGS_PER_BATCH):
            self.call("POST", "runs/log-batch",
                      {"run_id": run_id, "params": chunk})
        for chunk in _chunks(tags, MAX_PARAMS_TAGS_PER_BATCH):
            self.call("POST", "runs/log-batch",
                      {"run_id": run_id, "tags": chunk})
        for chunk in _chunks(metrics, MAX_METRICS_PER_BATCH):
            self.call("POST", "runs/log-batch",
                      {"run_id": run_id, "metrics": chunk})

    def log_metric(self, run_id, key, value, timestamp=None, step=None):
        timestamp = _now_ms() if timestamp is None else int(timestamp)
        self.call("POST", "runs/log-metric", {
            "run_id": run_id, "run_uuid": run_id, "key": key,
            "value": _metric_value(key, value, timestamp),
            "timestamp": timestamp, "step": int(step or 0)})

    def log_param(self, run_id, key, value):
        self.call("POST", "runs/log-parameter", {
            "run_id": run_id, "run_uuid": run_id, "key": key,
            "value": str(value)})

    def set_tag(self, run_id, key, value):
        self.call("POST", "runs/set-tag", {
            "run_id": run_id, "run_uuid": run_id, "key": key,
            "value": str(value)})

    def get_metric_history(self, run_id, key):
        """Every point of metric key, paging through long histories."""
        points, token = [], None
        while True:
            body = {"run_id": run_id, "metric_key": key,
                    "max_results": 25000}
            if token:
                body["page_token"] = token
            answer = self.call("GET", "metrics/get-history", body)
            points.extend(answer.get("metrics", []))
            token = answer.get("next_page_token")
            if not token:
                return points


class _Info:
    """A run's info, as attributes (run.info.run_id, like MLflow's)."""

    def __init__(self, info):
        self.__dict__.update(info)

    def __repr__(self):
        return "<RunInfo %s>" % ", ".join(
            "%s=%r" % kv for kv in sorted(self.__dict__.items()))


class ActiveRun:
    """The run that logging calls write to; a context manager that ends it
    (FINISHED, or FAILED when the block raises)."""

    def __init__(self, run):
        self.info = _Info(run["info"])
        self.data = run.get("data", {})

    @property
    def run_id(self):
        return self.info.run_id

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        end_run("FINISHED" if exc_type is None else "FAILED")
        return False

    def __repr__(self):
        return "<ActiveRun run_id=%s>" % self.info.run_id


_client = None
_runs = []
_experiment_id = None


def _get_client():
    global _client
    uri = os.environ.get("MLFLOW_TRACKING_URI", "")
    if _client is None or _client.tracking_uri != uri.rstrip("/"):
        _client = Client()
    return _client


def _experiment_for_new_run(experiment_id, experiment_name):
    if experiment_id is not None:
        return str(experiment_id)
    if experiment_name is not None:
        return set_experiment(experiment_name)["experiment_id"]
    if _experiment_id is not None:
        return _experiment_id
    name = os.environ.get("MLFLOW_EXPERIMENT_NAME")
    if name:
        return set_experiment(name)["experiment_id"]
    return os.environ.get("MLFLOW_EXPERIMENT_ID") or "0"


def _default_tags():
    tags = {"mlflow.source.type": "LOCAL"}
    try:
        tags["mlflow.user"] = getpass.getuser()
    except (KeyError, OSError):
        pass
    if sys.argv and sys.argv[0]:
        tags["mlflow.source.name"] = sys.argv[0]
    return tags


def set_experiment(experiment_name=None, experiment_id=None):
    """Make an experiment the one new runs go to, creating it by name if
    need be. Return the experiment (a dict)."""
    global _experiment_id
    if (experiment_name is None) == (experiment_id is None):
        raise TrackingError(
            "INVALID_PARAMETER_VALUE",
            "give set_experiment either experiment_name or experiment_id")
    client = _get_client()
    if experiment_id is not None:
        exp = client.get_experiment(experiment_id)
    else:
        exp = client.get_experiment_by_name(experiment_name)
        if exp is None:
            try:
                client.create_experiment(experiment_name)
            except TrackingError as e:
                # Another process made it first: take that one.
                if e.error_code != "RESOURCE_ALREADY_EXISTS":
                    raise
            exp = client.get_experiment_by_name(experiment_name)
    if exp.get("lifecycle_stage") == "deleted":
        raise TrackingError(
            "INVALID_PARAMETER_VALUE",
            "Cannot set a deleted experiment '%s' as the active experiment."
            " You can restore the experiment, or permanently delete the "
            "experiment to create a new one." % exp.get("name"))
    _experiment_id = exp["experiment_id"]
    return exp


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False,
              tags=None, experiment_name=None):
    """Start a run, or attach to run_id (or $MLFLOW_RUN_ID when no run is
    active), and make it the active run. Returns an ActiveRun, usable in a
    with statement."""
    client = _get_client()
    if _runs and not nested:
        raise TrackingError(
            "INVALID_PARAMETER_VALUE",
            "Run with UUID %s is already active. To start a new run, first "
            "end the current run with end_run(). To start a nested run, "
            "call start_run with nested=True" % _runs[-1].run_id)
    if run_id is None and not _runs:
        # As MLflow: the run named by the environment is attached once.
        run_id = os.environ.pop("MLFLOW_RUN_ID", None) or None
    if run_id is not None:
        run = client.get_run(run_id)
        if run["info"].get("lifecycle_stage") == "deleted":
            raise TrackingError(
                "INVALID_PARAMETER_VALUE",
                "Cannot start run with ID %s because it is in the deleted "
                "state." % run_id)
        info = client.update_run(run_id, status="RUNNING",
                                 run_name=run_name)
        run["info"] = info
        if tags:
            _set_tags_for(client, run_id, tags)
        active = ActiveRun(run)
    else:
        all_tags = _default_tags()
        if _runs:
            all_tags[PARENT_RUN_TAG] = _runs[-1].run_id
        all_tags.update(tags or {})
        exp = _experiment_for_new_run(experiment_id, experiment_name)
        run = client.create_run(exp, run_name=run_name, tags=all_tags,
                                user_id=all_tags.get("mlflow.user", ""))
        active = ActiveRun(run)
    _runs.append(active)
    return active


def _set_tags_for(client, run_id, tags):
    client.log_batch(run_id, tags=[{"key": k, "value": str(v)}
                                   for k, v in tags.items()])


def active_run():
    """The active run (an ActiveRun), or None."""
    return _runs[-1] if _runs else None


def end_run(status="FINISHED"):
    """End the active run with status (FINISHED, FAILED or KILLED)."""
    if status not in TERMINAL_STATUSES:
        raise TrackingError(
            "INVALID_PARAMETER_VALUE",
            "end_run's status must be one of %s, not %r"
            % (", ".join(TERMINAL_STATUSES), status))
    if not _runs:
        return
    run = _runs[-1]
    _get_client().update_run(run.run_id, status=status, end_time=_now_ms())
    _runs.pop()


def _run_id():
    if _runs:
        return _runs[-1].run_id
    return start_run().run_id


def log_param(key, value):
    """Log a param of the active run (starting one if none is)."""
    _get_client().log_param(_run_id(), key, value)
    return value


def log_params(params):
    """Log a dict of params in as few requests as MLflow allows."""
    _get_client().log_batch(_run_id(), params=[
        {"key": k, "value": str(v)} for k, v in params.items()])


def log_metric(key, value, step=None, timestamp=None):
    """Log one value of metric key at step (0 by default)."""
    _get_client().log_metric(_run_id(), key, value, timestamp, step)


def log_metrics(metrics, step=None, timestamp=None):
    """Log a dict of metric values, all at one step, batched."""
    timestamp = _now_ms() if timestamp is None else int(timestamp)
    _get_client().log_batch(_run_id(), metrics=[
        {"key": k, "value": _metric_value(k, v, timestamp),
         "timestamp": timestamp, "step": int(step or 0)}
        for k, v in metrics.items()])


def set_tag(key, value):
    _get_client().set_tag(_run_id(), key, value)


def set_tags(tags):
    _set_tags_for(_get_client(), _run_id(), tags)


def get_run(run_id):
    """A run as lathed has it: {"info": ..., "data": ..., "inputs": ...}."""
    return _get_client().get_run(run_id)


def get_metric_history(run_id, key):
    return _get_client().get_metric_history(run_id, key)


def _end_runs_at_exit():
    # As MLflow: runs still active when the script ends are finished.
    while _runs:
        try:
            end_run("FINISHED")
        except TrackingError:
            _runs.pop()


atexit.register(_end_runs_at_exit)
