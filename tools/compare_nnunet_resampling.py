#!/usr/bin/env python3
"""Voxplain against nnU-Net's own path on a study whose spacing differs from the plans' (crop, normalise,
third-order spline resize with order_z 0 across an anisotropic axis, window, logits back linearly);
docs/model-package.md. With --min-agreement it is a test (cli_nnunet_resampling).

    /usr/bin/python3 tools/compare_nnunet_resampling.py CLI NNUNET_DIR OUT_DIR [--spacing Z Y X]

NNUNET_DIR is what tests/model/make_nnunet_folders.py writes. The study is resampled (cubic) to
--spacing (default 2.4 x 1.0 x 1.0 mm) and written as NIfTI; then
- nnU-Net's path, written here after nnunetv2's DefaultPreprocessor and export: crop to non-zero,
  normalise, resample the data to the plans' spacing with third-order splines (skimage.resize's
  coordinates, edge mode; separate z with order 0 when the spacing is anisotropic beyond 3), the
  sliding window of make_nnunet_folders.py, logits resampled back linearly, argmax;
- Voxplain: `voxplain-cli predict` on the same files;
and prints the share of voxels whose labels agree, per label Dice, as JSON. Needs python3-scipy (the
reference uses scipy.ndimage, which skimage.transform.resize calls).
"""
import argparse
import json
import os
import subprocess
import sys

import nibabel
import numpy as np
import torch
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "model"))
sys.path.insert(0, HERE)
import make_nnunet_folders as nn  # noqa: E402


def resize(data, shape, order):
    """skimage.transform.resize(data, shape, order, mode='edge', anti_aliasing=False) per axis scale."""
    coords = [(np.arange(n) + 0.5) * (old / n) - 0.5 for old, n in zip(data.shape, shape)]
    grid = np.meshgrid(*coords, indexing="ij")
    return ndimage.map_coordinates(data, grid, order=order, mode="nearest")


def resample_like_nnunet(data, old_spacing, new_spacing, order):
    """nnU-Net's resample_data_or_seg: order in-plane, order_z 0 along an axis 3x coarser than the others."""
    shape = [int(round(s * o / n)) for s, o, n in zip(data.shape[1:], old_spacing, new_spacing)]
    anisotropic = max(old_spacing) / min(old_spacing) > 3 or max(new_spacing) / min(new_spacing) > 3
    out = []
    for channel in data:
        if anisotropic:
            axis = int(np.argmax(new_spacing if max(new_spacing) / min(new_spacing) > 3 else old_spacing))
            planes = [resize(np.take(channel, i, axis=axis)[None], [1] + [shape[a] for a in range(3) if a != axis],
                             order)[0] for i in range(channel.shape[axis])]
            stacked = np.stack(planes, axis=axis)
            out.append(resize(stacked, shape, 0))
        else:
            out.append(resize(channel, shape, order))
    return np.stack(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--spacing", type=float, nargs=3, default=[2.4, 1.0, 1.0])
    parser.add_argument("--min-agreement", type=float, default=None,
                        help="exit 1 when a case's labels agree on a smaller share of voxels (a test)")
    a = parser.parse_args()
    os.makedirs(a.out, exist_ok=True)
    info = json.load(open(os.path.join(a.data, "nnunet_folders.json")))
    image = np.stack([np.asarray(nibabel.load(os.path.join(a.data, p)).dataobj).transpose(2, 1, 0)
                      for p in info["study"]]).astype(np.float64)
    # The study as another scanner would give it: cubic to the new spacing, zero border kept at zero.
    study = resample_like_nnunet(image, nn.SPACING_ZYX, a.spacing, 3)
    study[:, resize((image != 0).any(0).astype(float), study.shape[1:], 0) == 0] = 0
    files = []
    for c, name in enumerate(("CT", "T2")):
        path = os.path.join(a.out, f"{name}.nii.gz")
        affine = np.diag([-a.spacing[2], -a.spacing[1], a.spacing[0], 1.0])
        nibabel.save(nibabel.Nifti1Image(study[c].transpose(2, 1, 0).astype(np.float32), affine), path)
        files.append(path)
    study = np.stack([np.asarray(nibabel.load(f).dataobj).transpose(2, 1, 0) for f in files]).astype(np.float64)

    results = {"study_spacing_zyx": a.spacing, "plans_spacing_zyx": nn.SPACING_ZYX, "cases": []}
    for case in info["cases"]:
        folder = os.path.join(a.data, case["folder"])
        forwards = []
        for fold in case["folds"]:
            _, weights, forward = nn.make_network("PlainConvUNet" if case["name"] == "plain" else "ResidualEncoderUNet",
                                                  2, len(nn.LABELS), seed=10 * info["cases"].index(case) + fold)
            forwards.append(forward)
        # nnU-Net: crop, normalise, resample to the plans, predict, logits back (linear), argmax.
        box = nn.nonzero_box(study)
        cropped = study[(slice(None),) + box]
        normalised = nn.normalise(cropped).astype(np.float64)
        resampled = resample_like_nnunet(normalised, a.spacing, nn.SPACING_ZYX, 3).astype(np.float32)
        with torch.no_grad():
            logits = nn.predict_logits(forwards, torch.tensor(resampled)[None], [0, 1, 2])[0].numpy()
        back = np.stack([resize(l, cropped.shape[1:], 1) for l in logits])
        reference = np.zeros(study.shape[1:], dtype=np.int64)
        reference[box] = back.argmax(0)
        out = os.path.join(a.out, f"{case['name']}_labels.nii.gz")
        run = subprocess.run([a.cli, "predict", "--model", folder, "--input", "CT=" + files[0], "--input",
                              "T2=" + files[1], "--out", out, "--force"], capture_output=True, text=True,
                             env=dict(os.environ, VOXPLAIN_CACHE_DIR=os.path.join(a.out, "cache")))
        if run.returncode != 0:
            sys.exit(f"predict failed: {run.stderr}")
        ours = np.asarray(nibabel.load(out).dataobj).transpose(2, 1, 0)
        dice = {}
        for name, value in nn.LABELS.items():
            x, y = ours == value, reference == value
            dice[name] = float(2 * (x & y).sum() / max(x.sum() + y.sum(), 1))
        results["cases"].append({"case": case["name"], "agreement": float((ours == reference).mean()), "dice": dice})
    print(json.dumps(results, indent=1))
    if a.min_agreement is not None:
        low = [c for c in results["cases"] if c["agreement"] < a.min_agreement]
        if low:
            sys.exit(f"FAIL: labels agree on less than {a.min_agreement}: {low}")
        print("OK")


if __name__ == "__main__":
    main()
