# The list peer: what the Python stack Kiln replaces does for GET /api/v1/tasks?limit=N.
# Flask under gunicorn (sync workers), psycopg2; it checks the bearer JWT (HS256, issuer,
# audience, expiry), runs the query Kiln runs for an admin with no filters (every column,
# newest first, limit + 1 rows) and answers with the same JSON, byte for byte: the same
# fields in the same order, dates as JavaScript writes them, the same keyset cursor.
# tasks-list.bench.js checks the bytes before it measures.
import base64
import json
from datetime import timezone

from flask import Flask, request

from peer_support import connection, principal, problem

MAX_LIMIT = 200

COLUMNS = [
    "id", "owner_id", "name", "description", "labels", "queue", "priority", "command",
    "shell", "image", "working_dir", "env", "hyperparameters", "cpu_millis", "memory_mib",
    "gpu", "max_retries", "retry_backoff_seconds", "timeout_seconds", "depends_on",
    "no_retry_exit_codes", "status", "progress_permille", "attempt", "retries_used",
    "lost_count", "exit_code", "failure_reason", "not_before", "version", "idempotency_key",
    "idempotency_fingerprint", "created_at", "updated_at", "queued_at", "started_at",
    "finished_at",
]
SQL = (
    "SELECT " + ", ".join(f'"t"."{column}"' for column in COLUMNS)
    + ' FROM "tasks" "t" ORDER BY "t"."created_at" DESC, "t"."id" DESC LIMIT %s'
)

app = Flask(__name__)


def iso(value):
    """A timestamp as JavaScript's Date.toISOString writes it (milliseconds, Z)."""
    if value is None:
        return None
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def number(value):
    """A quotient as JavaScript writes it: 1, not 1.0."""
    return int(value) if value == int(value) else value


def task_of(row):
    t = dict(zip(COLUMNS, row))
    return {
        "id": t["id"],
        "ownerId": t["owner_id"],
        "name": t["name"],
        "description": t["description"],
        "labels": t["labels"],
        "queue": t["queue"],
        "priority": t["priority"],
        "command": t["command"],
        "shell": t["shell"],
        "image": t["image"],
        "workingDir": t["working_dir"],
        "env": t["env"],
        "hyperparameters": t["hyperparameters"],
        "resources": {
            "cpu": number(t["cpu_millis"] / 1000),
            "memoryMiB": t["memory_mib"],
            "gpu": t["gpu"],
        },
        "maxRetries": t["max_retries"],
        "retryBackoffSeconds": t["retry_backoff_seconds"],
        "timeoutSeconds": t["timeout_seconds"],
        "noRetryExitCodes": t["no_retry_exit_codes"],
        "dependsOn": t["depends_on"],
        "status": t["status"],
        "progress": number(t["progress_permille"] / 1000),
        "attempt": t["attempt"],
        "retriesUsed": t["retries_used"],
        "exitCode": t["exit_code"],
        "failureReason": t["failure_reason"],
        "notBefore": iso(t["not_before"]),
        "version": t["version"],
        "createdAt": iso(t["created_at"]),
        "updatedAt": iso(t["updated_at"]),
        "queuedAt": iso(t["queued_at"]),
        "startedAt": iso(t["started_at"]),
        "finishedAt": iso(t["finished_at"]),
    }


def dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def cursor_of(task):
    key = dumps({"c": task["createdAt"], "id": task["id"]}).encode("utf-8")
    return base64.urlsafe_b64encode(key).rstrip(b"=").decode("ascii")


@app.get("/api/v1/tasks")
def list_tasks():
    if principal() is None:
        return problem(401, "Unauthorized")
    try:
        limit = min(MAX_LIMIT, max(1, int(request.args.get("limit", 50))))
    except ValueError:
        return problem(400, "limit must be an integer")
    # One statement, no transaction around it: Kiln's list runs none either.
    with connection(autocommit=True).cursor() as cursor:
        cursor.execute(SQL, (limit + 1,))
        rows = cursor.fetchall()
    items = [task_of(row) for row in rows[:limit]]
    next_cursor = cursor_of(items[-1]) if len(rows) > limit else None
    body = dumps({"items": items, "nextCursor": next_cursor}).encode("utf-8")
    return app.response_class(body, 200, mimetype="application/json")
