#!/usr/bin/env python3
"""Prints a line on each stream and exits with the code given as its first argument (default 1)."""
import sys

code = int(sys.argv[1]) if len(sys.argv) > 1 else 1
print(f"about to fail with exit code {code}", flush=True)
print(f"error: failing on purpose with exit code {code}", file=sys.stderr, flush=True)
sys.exit(code)
