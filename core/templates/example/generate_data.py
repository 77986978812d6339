#!/usr/bin/env python3
"""Generate a synthetic customer-churn data set.

Each row is one customer of a (made-up) telecoms company. Whether the customer
churned (left) is drawn from a logistic function of their features plus noise,
so the data set behaves like real churn data: customers on month-to-month
contracts, with fibre internet, high bills, many support calls and short
tenure leave more often.

Uses only the Python standard library. The same --seed gives the same file.

    python3 generate_data.py                  # 5000 rows into data/churn.csv
    python3 generate_data.py --rows 100000 --seed 7 --out data/big.csv
"""

import argparse
import csv
import math
import os
import random
import sys

COLUMNS = [
    "customer_id",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "contract",
    "internet_service",
    "support_calls",
    "paperless_billing",
    "churned",
]

# Share of customers on each contract, and of each kind of internet service.
CONTRACTS = [("month-to-month", 0.55), ("one-year", 0.21), ("two-year", 0.24)]
INTERNET = [("fiber", 0.44), ("dsl", 0.34), ("none", 0.22)]

# The "true" model behind the churn label (log-odds). The intercept is chosen
# so that about a quarter of customers churn, as in typical telecoms data.
INTERCEPT = -1.5
CONTRACT_EFFECT = {"month-to-month": 0.9, "one-year": -0.6, "two-year": -1.8}
INTERNET_EFFECT = {"fiber": 0.6, "dsl": 0.0, "none": -0.9}
TENURE_EFFECT = -0.035          # per month with the company
CHARGES_EFFECT = 0.012          # per currency unit above 65 a month
SUPPORT_CALL_EFFECT = 0.35      # per support call in the last year
PAPERLESS_EFFECT = 0.35
NOISE_SD = 0.6                  # unobserved reasons to stay or leave


def pick(rng, choices):
    """Draw a value from a list of (value, probability) pairs."""
    r = rng.random()
    total = 0.0
    for value, p in choices:
        total += p
        if r < total:
            return value
    return choices[-1][0]


def poisson(rng, mean):
    """Draw from a Poisson distribution (Knuth's method; fine for small means)."""
    limit = math.exp(-mean)
    k = 0
    p = rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def make_customer(rng, index):
    contract = pick(rng, CONTRACTS)
    # Longer contracts go with longer tenure.
    if contract == "month-to-month":
        tenure = int(rng.expovariate(1 / 18.0))
    elif contract == "one-year":
        tenure = int(rng.triangular(3, 72, 36))
    else:
        tenure = int(rng.triangular(10, 72, 64))
    tenure = max(0, min(72, tenure))

    internet = pick(rng, INTERNET)
    # A phone line costs about 20 a month; internet and add-ons come on top.
    if internet == "none":
        monthly = 20.0 + rng.gauss(0, 1.5)
    elif internet == "dsl":
        monthly = 45.0 + rng.uniform(0, 30)
    else:
        monthly = 70.0 + rng.uniform(0, 40)
    monthly = round(max(18.25, monthly), 2)

    # Prices change over the years, so the total is not exactly tenure x bill.
    total = round(tenure * monthly * rng.gauss(1.0, 0.04), 2) if tenure else 0.0
    total = max(0.0, total)

    call_rate = 0.7 + (0.8 if internet == "fiber" else 0.0) \
        + (0.4 if contract == "month-to-month" else 0.0)
    support_calls = min(12, poisson(rng, call_rate))

    paperless = rng.random() < (0.72 if internet == "fiber" else 0.5)

    z = (INTERCEPT
         + CONTRACT_EFFECT[contract]
         + INTERNET_EFFECT[internet]
         + TENURE_EFFECT * tenure
         + CHARGES_EFFECT * (monthly - 65.0)
         + SUPPORT_CALL_EFFECT * support_calls
         + (PAPERLESS_EFFECT if paperless else 0.0)
         + rng.gauss(0, NOISE_SD))
    churned = 1 if rng.random() < sigmoid(z) else 0

    return {
        "customer_id": f"CUST-{index:06d}",
        "tenure_months": tenure,
        "monthly_charges": f"{monthly:.2f}",
        "total_charges": f"{total:.2f}",
        "contract": contract,
        "internet_service": internet,
        "support_calls": support_calls,
        "paperless_billing": "yes" if paperless else "no",
        "churned": churned,
    }


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Generate a synthetic customer-churn data set as CSV.")
    parser.add_argument("--rows", type=positive_int,
                        default=positive_int(os.environ.get("CHURN_ROWS",
                                                            "5000")),
                        help="number of customers to generate (default: "
                        "$CHURN_ROWS, else 5000)")
    parser.add_argument("--seed", type=int, default=42,
                        help="random seed; the same seed gives the same data "
                             "(default: 42)")
    parser.add_argument("--out", default=os.path.join("data", "churn.csv"),
                        help="where to write the CSV file "
                             "(default: data/churn.csv)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    rng = random.Random(args.seed)

    directory = os.path.dirname(args.out)
    tmp = args.out + ".tmp"
    churned = 0
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
        # Write to a temporary file and rename it, so that an interrupted run
        # never leaves a truncated data set behind.
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            for i in range(1, args.rows + 1):
                row = make_customer(rng, i)
                churned += row["churned"]
                writer.writerow(row)
        os.replace(tmp, args.out)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        print(f"generate_data.py: cannot write {args.out}: {e.strerror or e}",
              file=sys.stderr)
        return 1

    print(f"wrote {args.rows} rows to {args.out} "
          f"(churn rate {churned / args.rows:.1%}, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
