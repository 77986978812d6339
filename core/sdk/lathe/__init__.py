"""lathe's package for the scripts it runs.

lathe puts this directory on the PYTHONPATH of its jobs and sessions.
lathe.tracking logs experiments to lathed through MLflow's tracking API
with the standard library alone; scripts that have the mlflow package can
use it instead, unchanged.
"""

from .tracking import (
    ActiveRun,
    Client,
    TrackingError,
    active_run,
    end_run,
    get_metric_history,
    get_run,
    log_metric,
    log_metrics,
    log_param,
    log_params,
    set_experiment,
    set_tag,
    set_tags,
    start_run,
)

__all__ = [
    "ActiveRun", "Client", "TrackingError", "active_run", "end_run",
    "get_metric_history", "get_run", "log_metric", "log_metrics",
    "log_param", "log_params", "set_experiment", "set_tag", "set_tags",
    "start_run",
]
