"""What the CLI checks (tests/cli, tests/io, tests/model) share: failing with one line, running a command,
the checksums that prove inputs unchanged, and dciodvfy's errors."""
import hashlib
import os
import subprocess
import sys


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run(command, env=None):
    return subprocess.run(command, capture_output=True, text=True, env=env)


def checksums(folder):
    """SHA-256 of every file below `folder`, by path."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            out[path] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return out


def dciodvfy_errors(tool, path):
    """The lines of dciodvfy's report that are errors (fails when it printed nothing: it did not run)."""
    result = subprocess.run([tool, path], capture_output=True, text=True)
    lines = (result.stdout + result.stderr).splitlines()
    if not lines:
        fail(f"dciodvfy printed nothing for {path}")
    return [line for line in lines if line.startswith("Error")]
