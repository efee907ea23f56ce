#!/usr/bin/env python3
"""voxplain-cli bench on a non-cubic volume with --save-maps (what tools/gpu-check.sh compares devices
with), and its thread default.

    check_bench_maps.py CLI MODEL OUT_DIR

- the report's volume is the X,Y,Z given, and its CPU threads are the CPUs this process may use
  (the default of every command, printed), unless --threads says otherwise;
- each method's maps are DIR/<method>.pt, a float32 tensor [regions, inputs, Z, Y, X] that torch.load
  reads, finite and not all zero;
- two runs give the same saliency map (what the device comparison relies on);
- a wrong --size is one line naming the flag, exit 2.
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_checks import fail, run  # noqa: E402


def bench(cli, model, out, extra=()):
    r = run([cli, "bench", "--model", model, "--size", "24,32,16", "--method", "saliency", "--method", "occlusion",
             "--param", "occlusion.block=8", "--repeats", "1", "--save-maps", out, "--json", *extra])
    if r.returncode != 0:
        fail(f"bench failed ({r.returncode}): {r.stderr.strip()}")
    return json.loads(r.stdout)


def main():
    cli, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    report = bench(cli, model, os.path.join(out, "first"))
    if report["volume"] != [24, 32, 16]:
        fail(f"volume {report['volume']}, expected [24, 32, 16]")
    cpus = len(os.sched_getaffinity(0))
    if report["cpu_threads"] != cpus:
        fail(f"bench ran with {report['cpu_threads']} CPU threads by default; this process may use {cpus}")
    for method in ("saliency", "occlusion"):
        path = os.path.join(out, "first", method + ".pt")
        if not os.path.exists(path):
            fail(f"--save-maps wrote no {path}")
        maps = torch.load(path)
        if maps.dtype != torch.float32 or list(maps.shape) != [1, 2, 16, 32, 24]:
            fail(f"{method}: maps {maps.dtype} {list(maps.shape)}, expected float32 [1, 2, 16, 32, 24]")
        if not torch.isfinite(maps).all() or maps.abs().max() == 0:
            fail(f"{method}: maps not finite or all zero")
    second = bench(cli, model, os.path.join(out, "second"), ["--threads", "1"])
    if second["cpu_threads"] != 1:
        fail(f"--threads 1 ran with {second['cpu_threads']} threads")
    a = torch.load(os.path.join(out, "first", "saliency.pt"))
    b = torch.load(os.path.join(out, "second", "saliency.pt"))
    error = float((a.double() - b.double()).norm() / b.double().norm())
    if error > 1e-5:
        fail(f"two runs of saliency differ: relative L2 {error:.2e}")
    bad = run([cli, "bench", "--model", model, "--size", "24,32", "--method", "saliency"])
    if bad.returncode != 2 or "--size" not in bad.stderr or len(bad.stderr.strip().splitlines()) != 1:
        fail(f"--size 24,32: exit {bad.returncode}, stderr {bad.stderr!r}")
    print(f"ok bench volume 24x32x16, {cpus} CPU threads by default, maps [1, 2, 16, 32, 24], runs agree ({error:.1e})")


if __name__ == "__main__":
    main()
