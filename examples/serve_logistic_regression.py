#!/usr/bin/env python3
"""Serves the model that logistic_regression.py trains: a Kiln model service.

Loads model.json from KILN_MODEL_DIR (or the file KILN_MODEL_PATH names) and listens on
PORT. Answers:

  GET  /healthz   200 once the model is loaded
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
        if self.path == "/healthz":
            return self.answer(200, {"status": "ok", "revision": os.environ.get("KILN_SERVICE_REVISION")})
        return self.answer(404, {"error": "not found"})

    def do_POST(self):
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
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"serving {len(Handler.model['weights'])}-feature logistic regression on port {port}", flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
