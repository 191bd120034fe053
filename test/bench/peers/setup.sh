#!/bin/sh
# Installs what the Python peers of the benchmarks run on, from Debian packages (PyPI is
# not needed): Flask, gunicorn, psycopg2, PyJWT, Celery and its Redis client.
set -e
apt-get install -y python3-flask gunicorn python3-psycopg2 python3-jwt python3-celery python3-redis
