# Submits N `true` tasks to the lifecycle peer and waits for every result; prints one JSON
# object: {"tasks": N, "seconds": from the first submit to the last result, "failed": n}.
import json
import sys
import time

from lifecycle_peer import run_command

count = int(sys.argv[1])
started = time.monotonic()
results = [run_command.delay(["true"]) for _ in range(count)]
failed = sum(1 for result in results if result.get(timeout=600) != 0)
seconds = time.monotonic() - started
for result in results:
    result.forget()
print(json.dumps({"tasks": count, "seconds": round(seconds, 3), "failed": failed}))
