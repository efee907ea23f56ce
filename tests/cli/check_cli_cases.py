#!/usr/bin/env python3
"""voxplain-cli `info --json` and `convert` agree with every case of shared/data/cases.json.

Usage: check_cli_cases.py VOXPLAIN_CLI DATA_DIR WORK_DIR
Standard library only. Prints one line per check and 'N passed, M failed' at the end.
"""
import gzip
import json
import math
import os
import shutil
import struct
import subprocess
import sys

cli, data, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


def run(*args):
    p = subprocess.run([cli, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def close(a, b, tol):
    return all(abs(x - y) <= tol for x, y in zip(a, b)) and len(a) == len(b)


def nifti_header(path):
    """(dims, sform rows RAS) of a NIfTI-1 file written by convert."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        h = f.read(348)
    dims = struct.unpack("<8h", h[40:56])
    srow = [struct.unpack("<4f", h[280 + 16 * r:296 + 16 * r]) for r in range(3)]
    return list(dims[1:dims[0] + 1]), srow


def lps_from_sform(srow):
    origin = [-srow[0][3], -srow[1][3], srow[2][3]]
    direction, spacing = [0.0] * 9, []
    for c in range(3):
        col = [-srow[0][c], -srow[1][c], srow[2][c]]
        n = math.sqrt(sum(v * v for v in col))
        spacing.append(n)
        for r in range(3):
            direction[3 * r + c] = col[r] / n
    return origin, direction, spacing


cases = json.load(open(os.path.join(data, "cases.json")))["cases"]
for case in cases:
    cid, path = case["id"], os.path.join(data, case["path"])
    if case["kind"] in ("dicom_series", "nifti"):
        if case["kind"] == "dicom_series":
            v = case["series"][0]["volumes"][0]
            dims, spacing, origin = v["dims"], v["spacing"], v["origin_lps"]
            direction = [x for row in v["direction_lps_row_major"] for x in row]
            lo, hi = v["pixel_stats"]["rescaled"]["min"], v["pixel_stats"]["rescaled"]["max"]
        else:
            h = case["header"]
            dims, spacing = case["dims"], case["spacing"]
            origin, direction, _ = lps_from_sform(h["sform_rows_ras"])
            stats = h["stats"]["scaled"] if "scaled" in h["stats"] else h["stats"]["raw"]
            lo, hi = stats["min"], stats["max"]
        rc, out, err = run("info", path, "--json")
        check(rc == 0, f"{cid}: info exit status {rc} ({err.strip()})")
        if rc != 0:
            continue
        images = json.loads(out)["images"]
        check(len(images) == 1, f"{cid}: one image")
        img = images[0]
        check(img["size"] == dims[:3], f"{cid}: size {img['size']} vs {dims[:3]}")
        check(img["volumes"] == (dims[3] if len(dims) > 3 else 1), f"{cid}: volumes")
        zfree = dims[2] == 1
        check(close(img["spacing"][:2 if zfree else 3], spacing[:2 if zfree else 3], 1e-5), f"{cid}: spacing {img['spacing']}")
        check(close(img["origin"], origin, 1e-3), f"{cid}: origin {img['origin']} vs {origin}")
        check(close(img["direction"], direction, 1e-3), f"{cid}: direction")
        check(abs(img["min"] - lo) < 1e-3 and abs(img["max"] - hi) < 1e-2, f"{cid}: range {img['min']}..{img['max']}")
        check(img["data_type"] != "", f"{cid}: data type")

        out_path = os.path.join(work, cid + ".nii.gz")
        rc, _, err = run("convert", path, out_path)
        check(rc == 0 and os.path.exists(out_path), f"{cid}: convert ({err.strip()})")
        if rc != 0:
            continue
        ndims, srow = nifti_header(out_path)
        o2, d2, s2 = lps_from_sform(srow)
        check(ndims[:3] == dims[:3], f"{cid}: converted dims {ndims}")
        check(close(o2, origin, 1e-3) and close(d2, direction, 1e-3), f"{cid}: converted sform geometry")
        rc, out2, _ = run("info", out_path, "--json")
        back = json.loads(out2)["images"][0]
        check(close(back["origin"], img["origin"], 1e-3) and back["size"] == img["size"]
              and abs(back["max"] - img["max"]) < 1e-2, f"{cid}: converted file reads back identical")
        rc, _, err = run("convert", path, out_path)
        check(rc == 2 and "exists" in err, f"{cid}: convert refuses to overwrite ({rc})")
    elif case["kind"] == "bad":
        rc, out, err = run("info", path, "--json")
        name = os.path.basename(path)
        check(rc == 2, f"{cid}: info exit status {rc}, expected 2")
        check(name in err and len(err.strip().splitlines()) == 1, f"{cid}: one-line error naming the file: {err.strip()!r}")
        out_path = os.path.join(work, cid + "-bad.nii.gz")
        rc, _, err = run("convert", path, out_path)
        check(rc == 2 and not os.path.exists(out_path), f"{cid}: convert exit {rc} and nothing written")

rc, _, _ = run("info")
check(rc == 1, "missing PATH is a usage error (1)")
rc, _, _ = run("convert", os.path.join(data, "nifti/standard.nii.gz"), os.path.join(work, "x.txt"))
check(rc == 1, "bad output extension is a usage error (1)")
leftovers = [f for f in os.listdir(work) if ".partial-" in f]
check(not leftovers, f"no partial files left: {leftovers}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
