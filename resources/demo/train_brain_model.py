#!/usr/bin/env python3
"""Trains the realistic demo model (brain MRI with white-matter lesions) and exports it.

    /usr/bin/python3 resources/demo/train_brain_model.py --cli build/app/voxplain-cli --out resources/demo

The cases come from the C++ generator (`voxplain-cli phantom --anatomy`, synthetic/BrainLesionPhantom.h)
on Debian's mricron-data ch2bet T1: FLAIR-like + T1, 2 mm, five classes (background, lesion,
ventricles, white matter, grey matter). Deterministic (fixed seeds, CPU, 2 threads). Writes
brain_unet.pt (TorchScript), brain_unet.json (manifest) and brain_training_report.json: held-out
Dice per class and lesion-wise detection (a reference lesion, a 26-connected component, is detected
when a predicted lesion component reaches Dice 0.1 with it, the rule of analysis/InstanceStatistics.h;
a predicted component that reaches it with none is a false positive).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from demo_unet import DemoUNet  # noqa: E402
from nifti_numpy import read_nifti  # noqa: E402
from train_demo_model import PATCH, dice, export_model, train_model, write_json, zscore_nonzero  # noqa: E402

ANATOMY = "/usr/share/mricron/templates/ch2bet.nii.gz"
CLASSES = ["background", "lesion", "ventricles", "white matter", "grey matter"]
COLOURS = [[0, 0, 0], [255, 210, 0], [60, 200, 220], [120, 180, 120], [190, 140, 110]]
TRAIN_SEEDS = [2000 + i for i in range(24)]
TEST_SEEDS = [9000 + i for i in range(8)]
LESION = 1


def make_case(cli, anatomy, seed, folder):
    out = os.path.join(folder, str(seed))
    subprocess.run([cli, "phantom", "--anatomy", anatomy, "--seed", str(seed), "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    x = np.stack([zscore_nonzero(read_nifti(os.path.join(out, f))) for f in ("flair.nii.gz", "t1.nii.gz")])
    y = read_nifti(os.path.join(out, "labels.nii.gz")).astype(np.int64)
    return x.astype(np.float32), y


def lesion_detection(pred, truth, match_dice=0.1):
    """(reference lesions, detected, predicted lesions, false positives), 26-connectivity."""
    full = np.ones((3, 3, 3), bool)
    ref, nref = ndimage.label(truth, full)
    inst, ninst = ndimage.label(pred, full)
    ref_sizes = np.bincount(ref.ravel(), minlength=nref + 1)
    detected = np.zeros(nref + 1, bool)
    false_positives = 0
    for k in range(1, ninst + 1):
        inside = inst == k
        overlap = np.bincount(ref[inside], minlength=nref + 1)
        overlap[0] = 0
        best = int(np.argmax(overlap))
        d = 2.0 * overlap[best] / (inside.sum() + ref_sizes[best]) if overlap[best] > 0 else 0.0
        if d >= match_dice:
            detected[best] = True
        else:
            false_positives += 1
    return nref, int(detected[1:].sum()), ninst, false_positives


def patch_at(x, y, rng, focus):
    size = y.shape
    if focus is not None:
        c = focus[rng.integers(len(focus))]
        o = [int(np.clip(c[d] - p // 2 + rng.integers(-8, 9), 0, s - p)) for d, (s, p) in enumerate(zip(size, PATCH))]
    else:
        o = [int(rng.integers(0, s - p + 1)) for s, p in zip(size, PATCH)]
    sl = tuple(slice(a, a + p) for a, p in zip(o, PATCH))
    return x[(slice(None),) + sl], y[sl]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--anatomy", default=ANATOMY)
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--iterations", type=int, default=1200)  # the committed model's
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        train = [make_case(args.cli, args.anatomy, s, tmp) for s in TRAIN_SEEDS]
        test = [make_case(args.cli, args.anatomy, s, tmp) for s in TEST_SEEDS]
    lesion_voxels = [np.argwhere(y == LESION) for _, y in train]
    print(f"data: {len(train)} training, {len(test)} held-out volumes ({time.time() - start:.0f} s)", flush=True)

    weights = torch.tensor([1.0, 4.0, 1.0, 1.0, 1.0])

    def next_batch():
        xs, ys = [], []
        for b in range(2):
            case = int(rng.integers(len(train)))
            focus = lesion_voxels[case] if b == 0 and len(lesion_voxels[case]) else None
            x, y = patch_at(*train[case], rng, focus)
            xs.append(x)
            ys.append(y)
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))

    def loss_of(logits, y):
        prob = torch.softmax(logits, 1)
        onehot = F.one_hot(y, len(CLASSES)).permute(0, 4, 1, 2, 3).float()
        inter = (prob * onehot).sum((0, 2, 3, 4))
        soft_dice = 1 - ((2 * inter + 1) / (prob.sum((0, 2, 3, 4)) + onehot.sum((0, 2, 3, 4)) + 1))[1:].mean()
        return F.cross_entropy(logits, y, weight=weights) + soft_dice

    model = DemoUNet(in_channels=2, classes=len(CLASSES), width=8)
    train_model(model, args.iterations, next_batch, loss_of, start)

    model.eval()
    per_class = {c: [] for c in CLASSES[1:]}
    detection = []
    with torch.no_grad():
        for x, y in test:
            pred = model(torch.from_numpy(x)[None]).argmax(1)[0].numpy()
            for v, c in enumerate(CLASSES[1:], start=1):
                per_class[c].append(float(dice(pred == v, y == v)))
            detection.append(lesion_detection(pred == LESION, y == LESION))
    refs = sum(d[0] for d in detection)
    found = sum(d[1] for d in detection)
    fps = sum(d[3] for d in detection)
    print("held-out Dice " + ", ".join(f"{c} {np.mean(v):.3f}" for c, v in per_class.items()), flush=True)
    print(f"lesion-wise: {found} of {refs} detected, {fps / len(test):.2f} false positives per case", flush=True)

    model_path = export_model(
        model, args.out, "brain_unet", "Voxplain demo brain U-Net",
        "Segments white-matter lesions (bright in FLAIR and dark or faint in T1; FLAIR-bright blobs with normal "
        "T1 are not lesions), the ventricles, white and grey matter of 2 mm brain MRI generated on a real T1 "
        "anatomy. Trained by resources/demo/train_brain_model.py.",
        [2.0, 2.0, 2.0], [{"value": v, "name": n, "color": c} for v, (n, c) in enumerate(zip(CLASSES, COLOURS))])
    report = {
        "held_out_seeds": TEST_SEEDS,
        "held_out_dice_mean": {c: float(np.mean(v)) for c, v in per_class.items()},
        "held_out_dice": per_class,
        "lesion_detection": {"reference_lesions": refs, "detected": found,
                             "sensitivity": found / refs if refs else None,
                             "false_positives": fps, "false_positives_per_case": fps / len(test),
                             "match_dice": 0.1, "per_case": [list(d) for d in detection]},
        "train_seeds": TRAIN_SEEDS, "iterations": args.iterations, "volume_size": list(test[0][1].shape),
        "spacing_mm": 2.0, "anatomy": os.path.basename(args.anatomy),
        "parameters": sum(p.numel() for p in model.parameters()), "seconds": round(time.time() - start),
        "torch": torch.__version__,
    }
    write_json(os.path.join(args.out, "brain_training_report.json"), report)
    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes) in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
