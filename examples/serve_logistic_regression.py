#!/usr/bin/env python3
"""Serves the model that logistic_regression.py trains: a Kiln model service.

Loads model.json from KILN_MODEL_DIR (or the file KILN_MODEL_PATH names) and listens on
PORT. Answers:

  GET  /healthz   200 once the model is loaded, with the predictions under way
  POST /predict   {"instances": [[x1, x2, ...], ...]} -> {"predictions": [...], "probabilities": [...]}

Stops cleanly on SIGTERM: it finishes the requests it has and exits. Python 3 standard
library only.
"""
import json
import math
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY_BYTES = 1 << 20
# On SIGTERM, how long the requests under way get to finish before the process exits.
STOP_GRACE_SECONDS = 10


class InFlight:
    """Counts predictions under way, so a stop waits for them rather than cutting them off."""

    def __init__(self):
        self.count = 0
        self.stopping = False
        self.changed = threading.Condition()

    def __enter__(self):
        with self.changed:
            self.count += 1

    def __exit__(self, *_):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_idle(self, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout)


IN_FLIGHT = InFlight()


def load_model():
    path = os.environ.get("KILN_MODEL_PATH")
    if not path or os.path.isdir(path):
        path = os.path.join(path or os.environ.get("KILN_MODEL_DIR", "."), "model.json")
    with open(path, encoding="utf-8") as handle:
        model = json.load(handle)
    if not isinstance(model.get("weights"), list) or not isinstance(model.get("bias"), (int, float)):
        raise ValueError(f"{path} has no weights and bias")
    return model


def predict(model, instances):
    weights, bias = model["weights"], model["bias"]
    probabilities = []
    for row in instances:
        if not isinstance(row, list) or len(row) != len(weights):
            raise ValueError(f"each instance must be a list of {len(weights)} numbers")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row):
            raise ValueError("instances hold numbers only")
        z = sum(w * v for w, v in zip(weights, row)) + bias
        probabilities.append(1 / (1 + math.exp(-max(min(z, 500), -500))))
    return {"predictions": [1 if p >= 0.5 else 0 for p in probabilities], "probabilities": probabilities}


class Handler(BaseHTTPRequestHandler):
    model = None
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes; with Nagle on, keep-alive clients wait for
    # the delayed ACK (40 ms) before the body
    disable_nagle_algorithm = True

    def do_GET(self):
        return self.get()

    def do_POST(self):
        with IN_FLIGHT:
            return self.post()

    def get(self):
        if self.path == "/healthz":
            revision = os.environ.get("KILN_SERVICE_REVISION")
            return self.answer(200, {"status": "ok", "revision": revision, "predicting": IN_FLIGHT.count})
        return self.answer(404, {"error": "not found"})

    def post(self):
        if self.path != "/predict":
            return self.answer(404, {"error": "not found"})
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            return self.answer(413, {"error": "body too large"})
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            instances = body["instances"]
            if not isinstance(instances, list):
                raise ValueError("instances must be a list")
            result = predict(self.model, instances)
        except (ValueError, KeyError, TypeError) as error:
            return self.answer(400, {"error": str(error)})
        result["revision"] = os.environ.get("KILN_SERVICE_REVISION")
        return self.answer(200, result)

    def answer(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        if IN_FLIGHT.stopping:
            # idle keep-alive connections would otherwise hold the stop until they time out
            self.send_header("connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        if self.path == "/healthz":
            return  # Kiln checks it twice a second; the log keeps the real requests
        sys.stdout.write("%s %s\n" % (self.address_string(), format % args))
        sys.stdout.flush()


def main():
    Handler.model = load_model()
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer((os.environ.get("HOST", "0.0.0.0"), port), Handler)
    # Threads serving idle keep-alive connections must not keep the process alive at exit;
    # the requests under way are waited for through IN_FLIGHT instead.
    server.daemon_threads = True

    def stop(*_):
        IN_FLIGHT.stopping = True
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    print(f"serving {len(Handler.model['weights'])}-feature logistic regression on port {port}", flush=True)
    server.serve_forever()
    IN_FLIGHT.wait_until_idle(STOP_GRACE_SECONDS)
    server.server_close()


if __name__ == "__main__":
    main()
