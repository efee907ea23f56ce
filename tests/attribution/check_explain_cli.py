#!/usr/bin/env python3
"""voxplain-cli explain on a FLAIR + T1 study (the tests: a 64x64x48 phantom), one method, three targets (class, every instance, ROI):
exit 0, one map per modality (and per instance) on the input's grid and affine, attribution.json
with the method, parameters, target and model SHA-256; the inputs (images, manifest, weights) are
byte-for-byte unchanged afterwards. With --interrupt: SIGINT during a long
run ends it with exit 130 within 5 s and leaves no attribution.json behind.

    check_explain_cli.py CLI MODEL FLAIR T1 OUT_DIR METHOD [key=value ...]
    check_explain_cli.py --interrupt CLI MODEL FLAIR T1 OUT_DIR
"""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from nifti_numpy import read_nifti  # noqa: E402

TARGETS = {"class": "class=1", "instances": "instance=all", "roi": "roi=30,30,20,60,60,44"}


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def same_grid(a, b):
    checker = os.path.join(HERE, "..", "model", "check_same_affine.py")
    return subprocess.run([sys.executable, checker, a, b], capture_output=True).returncode == 0


def explain(cli, model, flair, t1, out, method, params, target):
    command = [cli, "explain", "--model", model, "--input", flair, "--input", t1, "--method", method,
               "--target", target, "--out", out, "--force", "--json"]
    for p in params:
        command += ["--param", p]
    return subprocess.run(command, capture_output=True, text=True)


def checksums(model, *files):
    """SHA-256 of every input file: the images, the manifest and every file beside it it names."""
    paths = list(files) + [model]
    manifest = json.load(open(model))
    for key in ("file", "weights", "model"):
        if isinstance(manifest.get(key), str):
            paths.append(os.path.join(os.path.dirname(model), manifest[key]))
    return {p: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in paths if os.path.isfile(p)}


def check_method(cli, model, flair, t1, root, method, params):
    before = checksums(model, flair, t1)
    for name, target in TARGETS.items():
        out = os.path.join(root, f"{method}_{name}")
        shutil.rmtree(out, ignore_errors=True)
        started = time.time()
        r = explain(cli, model, flair, t1, out, method, params, target)
        if r.returncode != 0:
            fail(f"{method} {target}: exit {r.returncode}: {r.stderr.strip()[-400:]}")
        record = json.load(open(os.path.join(out, "attribution.json")))
        if record["method"] != method or len(record["model"]["sha256"]) != 64 or record["target"]["spec"] == "":
            fail(f"{method} {target}: incomplete record")
        regions = [reg["name"] for reg in record["regions"]]
        if name == "instances" and (len(regions) < 2 or not all(n.startswith("instance") for n in regions)):
            fail(f"{method}: instance=all gave regions {regions}")
        expected = []
        for reg in record["regions"]:
            suffix = "" if reg["name"] == "target" else "_" + reg["name"]
            expected += [f"{method}_{m}{suffix}.nii.gz" for m in record["modalities"]]
        if sorted(record["files"]) != sorted(expected):
            fail(f"{method} {target}: files {record['files']} != {expected}")
        for f in expected:
            path = os.path.join(out, f)
            if not same_grid(flair, path):
                fail(f"{path} is not on the input's grid/affine")
            if not np.isfinite(read_nifti(path)).all():
                fail(f"{path} has non-finite values")
        print(f"ok {method} {target}: {len(expected)} maps, {record['patch_passes']} patch passes, "
              f"{time.time() - started:.1f} s")
    after = checksums(model, flair, t1)
    if after != before:
        fail(f"{method}: inputs changed: {sorted(p for p in before if before[p] != after.get(p))}")
    print(f"ok {method}: {len(before)} input files unchanged")


def check_interrupt(cli, model, flair, t1, root):
    out = os.path.join(root, "interrupted")
    shutil.rmtree(out, ignore_errors=True)
    command = [cli, "explain", "--model", model, "--input", flair, "--input", t1, "--method", "smoothgrad",
               "--param", "samples=500", "--out", out]
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)
    if p.poll() is not None:
        fail(f"finished before the interrupt (exit {p.returncode})")
    sent = time.time()
    p.send_signal(signal.SIGINT)
    try:
        _, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("did not stop within 20 s of SIGINT")
    latency = time.time() - sent
    if p.returncode != 130:
        fail(f"exit {p.returncode} after SIGINT (expected 130): {err.strip()[-300:]}")
    if latency > 5:
        fail(f"took {latency:.1f} s to stop")
    if os.path.exists(os.path.join(out, "attribution.json")):
        fail("attribution.json written by a cancelled run")
    print(f"ok: SIGINT stopped explain in {latency:.2f} s with exit 130, nothing written")


def main():
    if sys.argv[1] == "--interrupt":
        check_interrupt(*sys.argv[2:7])
    else:
        cli, model, flair, t1, root, method = sys.argv[1:7]
        check_method(cli, model, flair, t1, root, method, sys.argv[7:])


if __name__ == "__main__":
    main()
