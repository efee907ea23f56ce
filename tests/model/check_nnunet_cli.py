#!/usr/bin/env python3
"""voxplain-cli on nnU-Net v2 results folders (make_nnunet_folders.py) against the independent
reference of nnUNetv2_predict's default inference written there:

- predict: labels equal the reference on >= 99.9 % of voxels, for a PlainConvUNet with two folds,
  with one fold (--folds 0), without mirroring (--no-mirroring), and for a ResidualEncoderUNet;
- explain saliency (class 1) correlates >= 0.999 with autograd through the reference pipeline
  (windows, mirroring, folds), within 1e-2 relative L2 (float32 rounding through 8 mirrored passes);
- the dataset folder holding both trainers is refused naming them; a cascade configuration, a
  region-based dataset.json, a damaged checkpoint, a plans value of the wrong type and a truncated
  plans.json are refused naming the reason (exit 2, no traceback); a second open reuses the
  exported network from the cache.

    check_nnunet_cli.py CLI NNUNET_DIR OUT_DIR
"""
import json
import os
import shutil
import sys

import nibabel
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_checks import fail, run  # noqa: E402


def zyx(path):
    """A NIfTI written by the engine as the [Z, Y, X] array the reference uses."""
    return np.asarray(nibabel.load(path).dataobj).transpose(2, 1, 0)


def edit_plans(folder, change):
    path = os.path.join(folder, "plans.json")
    plans = json.load(open(path))
    change(plans)
    json.dump(plans, open(path, "w"))


def main():
    cli, data, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    env = dict(os.environ, VOXPLAIN_CACHE_DIR=os.path.join(out, "cache"))
    info = json.load(open(os.path.join(data, "nnunet_folders.json")))
    inputs = ["--input", "CT=" + os.path.join(data, info["study"][0]), "--input", "T2=" + os.path.join(data, info["study"][1])]
    for case in info["cases"]:
        folder = os.path.join(data, case["folder"])
        refs = torch.jit.load(os.path.join(data, case["refs"]))
        runs = [("mirrored", [], "labels_mirrored")]
        if len(case["folds"]) > 1:
            runs += [("fold 0", ["--folds", "0"], "fold0_labels_mirrored"), ("no mirroring", ["--no-mirroring"],
                                                                              "labels_unmirrored")]
        for what, extra, key in runs:
            labels = os.path.join(out, f"{case['name']}_{key}.nii.gz")
            result = run([cli, "predict", "--model", folder] + inputs + ["--out", labels, "--json"] + extra, env)
            if result.returncode != 0:
                fail(f"{case['name']} {what}: predict exited {result.returncode}: {result.stderr}")
            agree = float((zyx(labels) == getattr(refs, key).numpy()).mean())
            if agree < 0.999:
                fail(f"{case['name']} {what}: labels agree with the reference on {agree:.5f} of voxels")
            print(f"{case['name']} {what}: labels agree with nnU-Net's inference on {100 * agree:.3f} % of voxels")
        maps = os.path.join(out, f"{case['name']}_saliency")
        result = run([cli, "explain", "--model", folder] + inputs + ["--method", "saliency", "--target", "class=1",
                                                                    "--out", maps, "--json"], env)
        if result.returncode != 0:
            fail(f"{case['name']}: explain exited {result.returncode}: {result.stderr}")
        expected = refs.saliency_mirrored.numpy()
        for c, name in enumerate(("CT", "T2")):
            got = zyx(os.path.join(maps, f"saliency_{name}.nii.gz"))
            rho = float(np.corrcoef(got.ravel(), expected[c].ravel())[0, 1])
            rel = float(np.linalg.norm(got - expected[c]) / np.linalg.norm(expected[c]))
            if rho < 0.999 or rel > 1e-2:
                fail(f"{case['name']} saliency {name}: correlation {rho:.6f}, relative L2 {rel:.2e}")
            print(f"{case['name']} saliency {name}: correlation {rho:.6f}, relative L2 {rel:.1e} with autograd")

    # A second open finds the exported network in the cache (one .pt per checkpoint set and no new one).
    cached = sorted(os.listdir(os.path.join(out, "cache", "nnunet")))
    folder = os.path.join(data, info["cases"][0]["folder"])
    result = run([cli, "model-info", folder], env)
    if result.returncode != 0 or sorted(os.listdir(os.path.join(out, "cache", "nnunet"))) != cached:
        fail(f"model-info on a cached folder: exit {result.returncode}, cache {cached}: {result.stderr}")

    # The dataset folder with two trainers for 3d_fullres: refused naming both.
    dataset = os.path.dirname(folder)
    result = run([cli, "predict", "--model", dataset] + inputs + ["--out", os.path.join(out, "x.nii.gz")], env)
    if result.returncode != 2 or "nnUNetTrainer__nnUNetPlans__3d_fullres" not in result.stderr \
            or "nnUNetResEncUNetMPlans" not in result.stderr:
        fail(f"dataset folder with two trainers: exit {result.returncode}: {result.stderr}")
    # Refusals, each naming its reason.
    bad = os.path.join(out, "bad")
    for what, edit, expected in (
            ("cascade", lambda f: os.rename(f, f.replace("3d_fullres", "3d_cascade_fullres")), "cascade"),
            ("regions", lambda f: json.dump({"channel_names": {"0": "CT", "1": "T2"},
                                             "labels": {"background": 0, "whole": [1, 2], "core": 2},
                                             "regions_class_order": [1, 2]},
                                            open(os.path.join(f, "dataset.json"), "w")), "region"),
            ("damaged checkpoint", lambda f: open(os.path.join(f, "fold_0", "checkpoint_final.pth"), "wb").write(
                b"PK\x03\x04 not really a checkpoint"), "checkpoint_final.pth"),
            ("patch of the wrong type", lambda f: edit_plans(f, lambda p: p["configurations"]["3d_fullres"].update(
                patch_size=[8, "a", 8])), "wrong type"),
            ("truncated plans", lambda f: open(os.path.join(f, "plans.json"), "w").write("{"), "not valid JSON")):
        shutil.rmtree(bad, ignore_errors=True)
        target = os.path.join(bad, os.path.basename(folder))
        shutil.copytree(folder, target)
        edit(target)
        model = bad if what == "cascade" else target
        extra = ["--configuration", "3d_cascade_fullres"] if what == "cascade" else []
        result = run([cli, "predict", "--model", model] + inputs + ["--out", os.path.join(out, "x.nii.gz")] + extra, env)
        if result.returncode != 2 or expected not in result.stderr or "Traceback" in result.stderr:
            fail(f"{what}: exit {result.returncode}: {result.stderr}")
        print(f"{what}: refused: {result.stderr.strip().splitlines()[-1][:160]}")
    print("OK")


if __name__ == "__main__":
    main()
