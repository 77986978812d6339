#!/usr/bin/env python3
"""Train a logistic-regression churn model in pure Python.

Reads the CSV written by generate_data.py, standardises the numeric features,
one-hot encodes the categorical ones, splits the rows into a training and a
test set, and fits the model with mini-batch gradient descent and L2
regularisation. Prints the training loss and the test accuracy and AUC after
every epoch, then the final test metrics, and writes the model as JSON to
model/model.json (weights, feature names, means and standard deviations), from
which predict() below can score new customers.

Uses only the Python standard library.

    python3 train.py
    python3 train.py --epochs 50 --learning-rate 0.05 --l2 0.01
"""

import argparse
import csv
import json
import math
import os
import random
import shlex
import sys

TARGET = "churned"
NUMERIC = ["tenure_months", "monthly_charges", "total_charges", "support_calls"]
CATEGORICAL = ["contract", "internet_service", "paperless_billing"]


# --- Tracking --------------------------------------------------------------
# Every parameter and metric of a training run goes through these functions.
# They print, and where a tracking server is set (lathe sets
# MLFLOW_TRACKING_URI for the runs it starts) they log to it too: with the
# mlflow package when it is installed, else with lathe's own module, which
# needs nothing but the standard library. Runs land in the experiment the
# job names (MLFLOW_RUN_ID), else in "churn".

_tracker = None


def tracker():
    """The tracking module with a run started, or None without a server."""
    global _tracker
    if _tracker is not None or not os.environ.get("MLFLOW_TRACKING_URI"):
        return _tracker or None
    try:
        import mlflow
    except ImportError:
        try:
            from lathe import tracking as mlflow
        except ImportError:
            return None
    if not (os.environ.get("MLFLOW_RUN_ID")
            or os.environ.get("MLFLOW_EXPERIMENT_ID")
            or os.environ.get("MLFLOW_EXPERIMENT_NAME")):
        mlflow.set_experiment("churn")
    if mlflow.active_run() is None:
        mlflow.start_run()
    _tracker = mlflow
    return _tracker


def log_param(key, value):
    """Record one parameter of the run."""
    log_params({key: value})


def log_params(params):
    """Record several parameters of the run."""
    for key, value in params.items():
        print(f"param {key} {value}")
    t = tracker()
    if t is not None:
        t.log_params({key: str(value) for key, value in params.items()})


def log_metrics(metrics, step=None):
    """Record several metrics at once, at an optional step (the epoch)."""
    prefix = f"epoch {step}" if step is not None else "test"
    print(prefix + " " + " ".join(f"{key} {value:.4f}"
                                  for key, value in metrics.items()),
          flush=True)
    t = tracker()
    if t is not None:
        t.log_metrics({("test_" + key if step is None else key): value
                       for key, value in metrics.items()}, step=step)


def log_metric(key, value, step=None):
    """Record one metric, at an optional step (the epoch)."""
    log_metrics({key: value}, step)


# --- Data ------------------------------------------------------------------

class DataError(Exception):
    pass


def load_rows(path):
    """Read the CSV file into a list of dicts with typed values."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in NUMERIC + CATEGORICAL + [TARGET]
                   if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{path}: missing column(s): {', '.join(missing)}")
        for line, record in enumerate(reader, start=2):
            try:
                row = {name: float(record[name]) for name in NUMERIC}
                label = int(record[TARGET])
            except (TypeError, ValueError):
                raise DataError(f"{path}:{line}: not a number in a numeric "
                                f"column or in {TARGET!r}")
            if label not in (0, 1):
                raise DataError(f"{path}:{line}: {TARGET!r} must be 0 or 1")
            for name in CATEGORICAL:
                row[name] = record[name] or ""
            row[TARGET] = label
            rows.append(row)
    if len(rows) < 10:
        raise DataError(f"{path}: only {len(rows)} row(s); need at least 10")
    return rows


def split(rows, test_fraction, seed):
    """Shuffle the rows with the seed and cut off a test set."""
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    n_test = max(1, int(round(len(rows) * test_fraction)))
    return rows[n_test:], rows[:n_test]


def fit_encoding(rows):
    """Learn the preprocessing from the training rows only."""
    means, stds = [], []
    for name in NUMERIC:
        values = [r[name] for r in rows]
        mean = sum(values) / len(values)
        var = sum((v - mean) ** 2 for v in values) / len(values)
        means.append(mean)
        stds.append(math.sqrt(var) or 1.0)
    categories = {name: sorted({r[name] for r in rows}) for name in CATEGORICAL}
    features = list(NUMERIC)
    for name in CATEGORICAL:
        features += [f"{name}={value}" for value in categories[name]]
    return {"numeric": NUMERIC, "means": means, "stds": stds,
            "categorical": CATEGORICAL, "categories": categories,
            "feature_names": features}


def encode(encoding, row):
    """Turn one row (a dict) into a feature vector."""
    x = [(row[name] - mean) / std for name, mean, std in
         zip(encoding["numeric"], encoding["means"], encoding["stds"])]
    for name in encoding["categorical"]:
        value = row.get(name)
        # A category not seen in training gets all zeros.
        x += [1.0 if value == c else 0.0 for c in encoding["categories"][name]]
    return x


# --- Model -----------------------------------------------------------------

def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def predict_proba(weights, bias, x):
    return sigmoid(bias + sum(w * v for w, v in zip(weights, x)))


def log_loss(weights, bias, X, y):
    eps = 1e-12
    total = 0.0
    for x, label in zip(X, y):
        p = min(max(predict_proba(weights, bias, x), eps), 1 - eps)
        total -= math.log(p) if label else math.log(1 - p)
    return total / len(X)


def train_epoch(weights, bias, X, y, lr, l2, batch_size, rng):
    """One pass of mini-batch gradient descent over the training set."""
    order = list(range(len(X)))
    rng.shuffle(order)
    n_features = len(weights)
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        grad = [0.0] * n_features
        grad_bias = 0.0
        for i in batch:
            x = X[i]
            err = predict_proba(weights, bias, x) - y[i]
            grad_bias += err
            for j in range(n_features):
                grad[j] += err * x[j]
        scale = 1.0 / len(batch)
        for j in range(n_features):
            weights[j] -= lr * (grad[j] * scale + l2 * weights[j])
        bias -= lr * grad_bias * scale
    return weights, bias


def auc(scores, labels):
    """Area under the ROC curve (Mann-Whitney U, ties count one half)."""
    pairs = sorted(zip(scores, labels))
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid_rank = (i + 1 + j) / 2.0     # ranks i+1 .. j share their mean
        rank_sum += mid_rank * sum(label for _, label in pairs[i:j])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def evaluate(weights, bias, X, y, threshold=0.5):
    scores = [predict_proba(weights, bias, x) for x in X]
    tp = fp = tn = fn = 0
    for s, label in zip(scores, y):
        if s >= threshold:
            if label:
                tp += 1
            else:
                fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return {
        "accuracy": (tp + tn) / len(y),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "auc": auc(scores, y),
    }


# --- Saved model -----------------------------------------------------------

def save_model(path, model):
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def load_model(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def predict(model, record):
    """Churn probability of one customer (a dict of the CSV's columns).

    Numeric values may be numbers or strings; missing ones count as the
    training mean.
    """
    row = {}
    for name, mean in zip(model["numeric"], model["means"]):
        value = record.get(name)
        row[name] = mean if value in (None, "") else float(value)
    for name in model["categorical"]:
        row[name] = str(record.get(name, ""))
    return predict_proba(model["weights"], model["bias"], encode(model, row))


# --- Command line ----------------------------------------------------------

def number(kind, minimum, strict=False):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}")
        if value < minimum or (strict and value == minimum):
            bound = "greater than" if strict else "at least"
            raise argparse.ArgumentTypeError(f"must be {bound} {minimum}")
        return value
    return parse


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Train a logistic-regression customer-churn model.")
    parser.add_argument("--data", default=os.path.join("data", "churn.csv"),
                        help="CSV file from generate_data.py "
                             "(default: data/churn.csv)")
    parser.add_argument("--epochs", type=number(int, 1), default=30,
                        help="passes over the training set (default: 30)")
    parser.add_argument("--learning-rate", type=number(float, 0.0, True),
                        default=0.1, help="gradient-descent step (default: 0.1)")
    parser.add_argument("--l2", type=number(float, 0.0), default=0.001,
                        help="L2 regularisation strength (default: 0.001)")
    parser.add_argument("--batch-size", type=number(int, 1), default=128,
                        help="rows per gradient step (default: 128)")
    parser.add_argument("--test-fraction", type=number(float, 0.0, True),
                        default=0.2,
                        help="share of rows held out for testing (default: 0.2)")
    parser.add_argument("--seed", type=int, default=42,
                        help="seed of the split and the shuffling (default: 42)")
    parser.add_argument("--out", default=os.path.join("model", "model.json"),
                        help="where to write the model "
                             "(default: model/model.json)")
    args = parser.parse_args(argv)
    if args.test_fraction >= 1:
        parser.error("argument --test-fraction: must be less than 1")
    return args


def main(argv=None):
    args = parse_args(argv)

    if not os.path.isfile(args.data):
        command = "python3 generate_data.py"
        if args.data != os.path.join("data", "churn.csv"):
            command += " --out " + shlex.quote(args.data)
        print(f"train.py: data file {args.data} not found.\n"
              f"Create it first with:  {command}", file=sys.stderr)
        return 2
    try:
        rows = load_rows(args.data)
    except (OSError, UnicodeDecodeError, csv.Error, DataError) as e:
        print(f"train.py: cannot read the data: {e}", file=sys.stderr)
        return 1

    log_params({
        "data": args.data,
        "rows": len(rows),
        "epochs": args.epochs,
        "learning_rate": args.learning_rate,
        "l2": args.l2,
        "batch_size": args.batch_size,
        "test_fraction": args.test_fraction,
        "seed": args.seed,
    })

    train_rows, test_rows = split(rows, args.test_fraction, args.seed)
    if not train_rows:
        print("train.py: no rows left for training; lower --test-fraction",
              file=sys.stderr)
        return 2
    encoding = fit_encoding(train_rows)
    X_train = [encode(encoding, r) for r in train_rows]
    y_train = [r[TARGET] for r in train_rows]
    X_test = [encode(encoding, r) for r in test_rows]
    y_test = [r[TARGET] for r in test_rows]

    rng = random.Random(args.seed)
    weights = [0.0] * len(encoding["feature_names"])
    bias = 0.0
    for epoch in range(1, args.epochs + 1):
        weights, bias = train_epoch(weights, bias, X_train, y_train,
                                    args.learning_rate, args.l2,
                                    args.batch_size, rng)
        loss = log_loss(weights, bias, X_train, y_train)
        if not math.isfinite(loss):
            print("train.py: the loss diverged; lower --learning-rate",
                  file=sys.stderr)
            return 1
        metrics = evaluate(weights, bias, X_test, y_test)
        log_metrics({"loss": loss, "accuracy": metrics["accuracy"],
                     "auc": metrics["auc"]}, step=epoch)

    final = evaluate(weights, bias, X_test, y_test)
    final["loss"] = log_loss(weights, bias, X_test, y_test)
    log_metrics(final)

    model = dict(encoding)
    model.update({
        "format": "lathe-example-logistic-regression",
        "version": 1,
        "target": TARGET,
        "weights": weights,
        "bias": bias,
        "threshold": 0.5,
        # JSON has no NaN: an AUC of a one-class test set is stored as null.
        "metrics": {key: value if math.isfinite(value) else None
                    for key, value in final.items()},
        "params": {"epochs": args.epochs, "learning_rate": args.learning_rate,
                   "l2": args.l2, "batch_size": args.batch_size,
                   "seed": args.seed},
    })
    try:
        save_model(args.out, model)
    except OSError as e:
        print(f"train.py: cannot write {args.out}: {e.strerror or e}",
              file=sys.stderr)
        return 1
    print(f"model written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
