#!/usr/bin/python3
"""Soak test of the desktop app: resident memory over successive runs of a method, then CPU use and
resident memory while the window sits idle. Prints one JSON object.

    tools/soak_app.py build/app/voxplain [--runs 20] [--idle-minutes 10] [--method gradcam]

Runs the app on its demo under xvfb-run (Debian package xvfb). Resident memory is VmRSS of the app's
process from /proc; CPU is user + system ticks of the process over the idle period.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def app_pid(wrapper_pid, app):
    """The app's own process under xvfb-run (a child of its shell)."""
    name = os.path.basename(app)
    for _ in range(100):
        out = subprocess.run(["pgrep", "-P", str(wrapper_pid), "-f", name], capture_output=True, text=True).stdout.split()
        for child in out:
            return int(child)
        # xvfb-run runs the app from a shell: look one level deeper
        for shell in subprocess.run(["pgrep", "-P", str(wrapper_pid)], capture_output=True, text=True).stdout.split():
            out = subprocess.run(["pgrep", "-P", shell, "-f", name], capture_output=True, text=True).stdout.split()
            if out:
                return int(out[0])
        time.sleep(0.1)
    sys.exit("soak_app: the app did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("app")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle-minutes", type=float, default=10.0)
    parser.add_argument("--method", default="gradcam")
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    args = parser.parse_args()

    command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", args.app, "--demo", "--explain", args.method,
               "--repeat", str(args.runs)]
    wrapper = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    pid = app_pid(wrapper.pid, args.app)
    runs = []
    start = time.monotonic()
    for line in wrapper.stdout:
        if "shown" in line:
            runs.append({"run": len(runs) + 1, "seconds": round(time.monotonic() - start, 1), "resident_mb": round(resident_mb(pid), 1)})
            if len(runs) == args.runs:
                break
    idle = []
    idle_start_cpu, idle_start = cpu_seconds(pid), time.monotonic()
    while time.monotonic() - idle_start < args.idle_minutes * 60:
        time.sleep(min(args.sample_seconds, max(0.1, args.idle_minutes * 60 - (time.monotonic() - idle_start))))
        idle.append({"seconds": round(time.monotonic() - idle_start, 1), "resident_mb": round(resident_mb(pid), 1)})
    idle_cpu = cpu_seconds(pid) - idle_start_cpu
    idle_seconds = time.monotonic() - idle_start
    wrapper.terminate()
    subprocess.run(["kill", str(pid)], stderr=subprocess.DEVNULL)
    wrapper.wait(timeout=30)
    result = {
        "method": args.method,
        "runs": runs,
        "resident_mb_first_run": runs[0]["resident_mb"] if runs else None,
        "resident_mb_last_run": runs[-1]["resident_mb"] if runs else None,
        "idle_minutes": round(idle_seconds / 60, 2),
        "idle_cpu_percent_of_one_core": round(100.0 * idle_cpu / idle_seconds, 2) if idle_seconds > 0 else None,
        "idle_resident_mb": idle,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
