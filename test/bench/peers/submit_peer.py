# The submit peer: what the Python stack Kiln replaces does for POST /api/v1/tasks.
# Flask under gunicorn (sync workers), psycopg2; it checks the bearer JWT (HS256, issuer,
# audience, expiry), validates the body by the rules Kiln's CreateTaskDto applies to the
# fields the benchmark sends, inserts one row and answers 201 with it. Run by
# tasks-submit.bench.js, which creates the table.
import json
import uuid
from datetime import datetime, timezone

from flask import Flask, request

from peer_support import connection, principal, problem

app = Flask(__name__)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def problems_of(body):
    problems = []
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        problems.append({"field": "name", "message": "must be 1 to 200 characters"})
    command = body.get("command")
    if (
        not isinstance(command, list)
        or not 1 <= len(command) <= 256
        or not all(isinstance(arg, str) and 1 <= len(arg) <= 8192 for arg in command)
    ):
        problems.append({"field": "command", "message": "must be 1 to 256 non-empty strings"})
    priority = body.get("priority", 0)
    if priority is not None and (not is_int(priority) or not -1000 <= priority <= 1000):
        problems.append({"field": "priority", "message": "must be an integer in -1000..1000"})
    hyperparameters = body.get("hyperparameters", {})
    if not isinstance(hyperparameters, dict):
        problems.append({"field": "hyperparameters", "message": "must be an object"})
    unknown = set(body) - {"name", "command", "priority", "hyperparameters"}
    problems.extend({"field": field, "message": "is not allowed"} for field in sorted(unknown))
    return problems


@app.post("/api/v1/tasks")
def submit():
    claims = principal()
    if claims is None:
        return problem(401, "Unauthorized")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, "The body must be a JSON object.")
    problems = problems_of(body)
    if problems:
        return problem(400, "The task is not valid.", problems)
    task = {
        "id": str(uuid.uuid4()),
        "ownerId": claims["sub"],
        "name": body["name"],
        "command": body["command"],
        "priority": body.get("priority") or 0,
        "hyperparameters": body.get("hyperparameters", {}),
        "status": "pending",
        "createdAt": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
    }
    db = connection()
    with db, db.cursor() as cursor:
        cursor.execute(
            "INSERT INTO peer_tasks (id, owner_id, name, command, priority, hyperparameters,"
            " status, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                task["id"],
                task["ownerId"],
                task["name"],
                json.dumps(task["command"]),
                task["priority"],
                json.dumps(task["hyperparameters"]),
                task["status"],
                task["createdAt"],
            ),
        )
    return app.response_class(json.dumps(task), 201, mimetype="application/json")
