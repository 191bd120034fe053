#!/usr/bin/env python3
"""Logistic regression on generated data: a real (tiny) training run for Kiln.

Reads its hyperparameters from KILN_HPARAMS (JSON) or, failing that, from
hyperparameters.json in the working directory. Reports to Kiln by printing
`KILN_METRIC {json}` and `KILN_PROGRESS x` lines, and writes model.json to
KILN_OUTPUT_DIR. Python 3 standard library only.
"""
import json
import math
import os
import random
import sys

DEFAULTS = {"learning_rate": 0.5, "epochs": 30, "samples": 2000, "features": 4, "seed": 42}
LIMITS = {
    "learning_rate": (1e-6, 100.0),
    "epochs": (1, 100000),
    "samples": (10, 1000000),
    "features": (1, 1000),
    "seed": (-(2**63), 2**63 - 1),
}
INTEGERS = {"epochs", "samples", "features", "seed"}


class BadHyperparameters(Exception):
    pass


def load_hyperparameters():
    text = os.environ.get("KILN_HPARAMS")
    source = "KILN_HPARAMS"
    if not text and os.path.exists("hyperparameters.json"):
        with open("hyperparameters.json", encoding="utf-8") as handle:
            text = handle.read()
        source = "hyperparameters.json"
    try:
        given = json.loads(text) if text else {}
    except json.JSONDecodeError as error:
        raise BadHyperparameters(f"{source} is not valid JSON: {error}") from error
    if not isinstance(given, dict):
        raise BadHyperparameters(f"{source} must be a JSON object")
    return validate({**DEFAULTS, **given})


def validate(params):
    for name, (low, high) in LIMITS.items():
        value = params[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadHyperparameters(f"{name} must be a number, got {value!r}")
        if name in INTEGERS and value != int(value):
            raise BadHyperparameters(f"{name} must be an integer, got {value!r}")
        if not low <= value <= high:
            raise BadHyperparameters(f"{name} must be between {low} and {high}, got {value!r}")
    return {name: (int(v) if name in INTEGERS else float(v)) for name, v in params.items() if name in LIMITS}


def make_dataset(samples, features, rng):
    """Points labelled by a random hyperplane, so a linear model can separate them."""
    true_weights = [rng.uniform(-2, 2) for _ in range(features)]
    rows, labels = [], []
    for _ in range(samples):
        x = [rng.gauss(0, 1) for _ in range(features)]
        rows.append(x)
        labels.append(1 if sum(w * v for w, v in zip(true_weights, x)) > 0 else 0)
    return rows, labels


def sigmoid(z):
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def train_epoch(rows, labels, weights, bias, learning_rate):
    """One full-batch gradient step; returns the new parameters, loss and accuracy."""
    n = len(rows)
    grad_w = [0.0] * len(weights)
    grad_b = 0.0
    loss = 0.0
    correct = 0
    for x, y in zip(rows, labels):
        p = sigmoid(sum(w * v for w, v in zip(weights, x)) + bias)
        loss -= math.log(max(p, 1e-12)) if y else math.log(max(1 - p, 1e-12))
        correct += (p >= 0.5) == bool(y)
        for i, v in enumerate(x):
            grad_w[i] += (p - y) * v
        grad_b += p - y
    weights = [w - learning_rate * g / n for w, g in zip(weights, grad_w)]
    bias -= learning_rate * grad_b / n
    return weights, bias, loss / n, correct / n


def report(name, step, value):
    print("KILN_METRIC " + json.dumps({"name": name, "step": step, "value": value}), flush=True)


def main():
    try:
        params = load_hyperparameters()
    except BadHyperparameters as error:
        print(f"error: bad hyperparameters: {error}", file=sys.stderr, flush=True)
        return 2
    print(f"training logistic regression with {json.dumps(params, sort_keys=True)}", flush=True)
    rng = random.Random(params["seed"])
    rows, labels = make_dataset(params["samples"], params["features"], rng)
    weights, bias = [0.0] * params["features"], 0.0
    for epoch in range(1, params["epochs"] + 1):
        weights, bias, loss, accuracy = train_epoch(rows, labels, weights, bias, params["learning_rate"])
        report("loss", epoch, loss)
        report("accuracy", epoch, accuracy)
        print(f"KILN_PROGRESS {epoch / params['epochs']:.4f}", flush=True)
    output_dir = os.environ.get("KILN_OUTPUT_DIR", "output")
    os.makedirs(output_dir, exist_ok=True)
    model = {"weights": weights, "bias": bias, "loss": loss, "accuracy": accuracy, "hyperparameters": params}
    with open(os.path.join(output_dir, "model.json"), "w", encoding="utf-8") as handle:
        json.dump(model, handle, indent=2)
    print(f"done: loss={loss:.4f} accuracy={accuracy:.4f}, model written to {output_dir}/model.json", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
