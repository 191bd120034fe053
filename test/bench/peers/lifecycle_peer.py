# The lifecycle peer: a Celery app with a Redis broker and result backend whose one task
# runs a command as a child process, as the job queue Kiln replaces ran training steps.
# The worker is started by tasks-lifecycle.bench.js; lifecycle_client.py submits.
import os
import subprocess

from celery import Celery

REDIS_URL = os.environ["PEER_REDIS_URL"]
QUEUE = os.environ["PEER_QUEUE"]

app = Celery("lifecycle_peer", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    result_expires=600,
    worker_prefetch_multiplier=4,
    worker_hijack_root_logger=False,
)


@app.task(name="run_command")
def run_command(command):
    return subprocess.run(command, check=False).returncode
