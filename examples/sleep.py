#!/usr/bin/env python3
"""Sleeps N seconds (first argument, default 60), printing a progress line each second.

On SIGTERM it says so and exits 143, like a well-behaved training script saving its
state. With --ignore-sigterm it ignores SIGTERM, to show Kiln's SIGKILL after the grace.
"""
import signal
import sys
import time

args = [a for a in sys.argv[1:] if not a.startswith("--")]
seconds = float(args[0]) if args else 60.0
ignore = "--ignore-sigterm" in sys.argv


def on_sigterm(_signum, _frame):
    print("received SIGTERM, exiting", flush=True)
    sys.exit(143)


signal.signal(signal.SIGTERM, signal.SIG_IGN if ignore else on_sigterm)
print(f"sleeping {seconds:g}s (pid {__import__('os').getpid()})", flush=True)
start = time.monotonic()
while (elapsed := time.monotonic() - start) < seconds:
    time.sleep(min(1.0, seconds - elapsed))
    print(f"KILN_PROGRESS {min(1.0, (time.monotonic() - start) / seconds):.3f}", flush=True)
print("done sleeping", flush=True)
