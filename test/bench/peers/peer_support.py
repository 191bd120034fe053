# What the Flask peers share: the access token check Kiln makes (HS256, issuer, audience,
# expiry), one database connection per sync worker, and problem+json errors.
import json
import os

import jwt
import psycopg2
from flask import Response, request

SECRET = os.environ["PEER_JWT_SECRET"]
ISSUER = os.environ["PEER_JWT_ISSUER"]
AUDIENCE = os.environ["PEER_JWT_AUDIENCE"]
DATABASE_URL = os.environ["DATABASE_URL"]

_connection = None


def connection(autocommit=False):
    """One connection per sync worker, opened on its first request."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(DATABASE_URL)
        _connection.autocommit = autocommit
    return _connection


def problem(status, title, errors=None):
    body = {"type": "about:blank", "title": title, "status": status}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status, mimetype="application/problem+json")


def principal():
    """The claims of the request's bearer token, or None when it has no valid one."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        return jwt.decode(
            header[7:], SECRET, algorithms=["HS256"], issuer=ISSUER, audience=AUDIENCE
        )
    except jwt.InvalidTokenError:
        return None
