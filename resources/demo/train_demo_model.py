#!/usr/bin/env python3
"""Trains the Voxplain demo model on volumes written by the C++ phantom generator and exports it.

    /usr/bin/python3 resources/demo/train_demo_model.py --cli build/app/voxplain-cli --out resources/demo

Deterministic (fixed seeds, CPU, 2 threads); about 10 minutes on 2 cores. Writes demo_unet.pt
(TorchScript, scripted), demo_unet.json (manifest), training_report.json (held-out Dice).

`--informative flair` or `--informative t1` trains on phantoms where only that modality shows the
lesions (the other shows only distractors; `voxplain-cli phantom --informative`) and writes
demo_unet_<modality>_only.{pt,json} and training_report_<modality>_only.json: the models of
docs/results.md's informative-modality check. The default (`both`) is the demo model.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from demo_unet import DemoUNet  # noqa: E402
from nifti_numpy import read_nifti  # noqa: E402

SIZE = (64, 64, 48)
PATCH = (48, 48, 48)


def zscore_nonzero(x):
    """Per-volume z-score over non-zero voxels; zeros stay zero (as the manifest's zscore_nonzero)."""
    mask = x != 0
    if not mask.any():
        return x
    mean, std = x[mask].mean(), x[mask].std()
    out = np.zeros_like(x)
    out[mask] = (x[mask] - mean) / max(std, 1e-8)
    return out


def make_case(cli, seed, folder, informative="both"):
    out = os.path.join(folder, str(seed))
    subprocess.run([cli, "phantom", "--seed", str(seed), "--size", ",".join(map(str, SIZE)), "--informative",
                    informative, "--out", out], check=True, stdout=subprocess.DEVNULL)
    x = np.stack([zscore_nonzero(read_nifti(os.path.join(out, f))) for f in ("flair.nii.gz", "t1.nii.gz")])
    y = read_nifti(os.path.join(out, "lesions.nii.gz")).astype(np.int64)
    return x.astype(np.float32), y


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def export_model(model, out_dir, stem, name, description, spacing, labels):
    """Scripts `model` to <stem>.pt and writes its manifest <stem>.json (the layout, inputs, window and
    layer groups both demo models share). Returns the .pt path."""
    scripted = torch.jit.script(model)
    model_path = os.path.join(out_dir, stem + ".pt")
    scripted.save(model_path)
    sha = hashlib.sha256(open(model_path, "rb").read()).hexdigest()
    manifest = {
        "name": name,
        "version": "1.0",
        "description": description,
        "model": stem + ".pt",
        "sha256": sha,
        "layout": "NCXYZ",
        "inputs": [{"name": "FLAIR", "normalization": {"type": "zscore_nonzero"}},
                   {"name": "T1", "normalization": {"type": "zscore_nonzero"}}],
        "spacing": spacing,
        "sliding_window": {"patch_size": list(PATCH), "overlap": 0.25, "blend": "gaussian"},
        "output": {"activation": "softmax"},
        "labels": labels,
        "layers": {"encoder": ["enc1", "enc2"], "bottleneck": ["bottleneck"],
                   "decoder": ["up2", "dec2", "up1", "dec1"], "decoder_no_transpose": ["dec2", "dec1"],
                   "encoder_decoder": ["enc1", "enc2", "up2", "dec2", "up1", "dec1"]},
    }
    write_json(os.path.join(out_dir, stem + ".json"), manifest)
    return model_path


def train_model(model, iterations, next_batch, loss_of, start):
    """The demo models' training loop: Adam (lr 3e-3) with cosine annealing over `iterations`; each
    iteration takes next_batch() -> (x, y) and minimises loss_of(logits, y)."""
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, iterations)
    for it in range(iterations):
        x, y = next_batch()
        loss = loss_of(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if it % 50 == 0 or it == iterations - 1:
            print(f"iteration {it:4d} loss {loss.item():.4f} ({time.time() - start:.0f} s)", flush=True)


def dice(pred, truth):
    inter = np.logical_and(pred, truth).sum()
    total = pred.sum() + truth.sum()
    return 1.0 if total == 0 else 2.0 * inter / total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--train-cases", type=int, default=32)
    ap.add_argument("--test-cases", type=int, default=10)
    ap.add_argument("--informative", choices=("both", "flair", "t1"), default="both",
                    help="which modality shows the lesions in the training phantoms (both: the demo model)")
    args = ap.parse_args()
    suffix = "" if args.informative == "both" else f"_{args.informative}_only"
    torch.manual_seed(0)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        train = [make_case(args.cli, 1000 + i, tmp, args.informative) for i in range(args.train_cases)]
        test = [make_case(args.cli, 5000 + i, tmp, args.informative) for i in range(args.test_cases)]
    print(f"data: {len(train)} training, {len(test)} held-out volumes ({time.time() - start:.0f} s)", flush=True)

    def next_batch():
        xs, ys = [], []
        for _ in range(2):
            x, y = train[rng.integers(len(train))]
            o = [rng.integers(0, s - p + 1) for s, p in zip(SIZE, PATCH)]
            sl = tuple(slice(a, a + p) for a, p in zip(o, PATCH))
            xs.append(x[(slice(None),) + sl])
            ys.append(y[sl])
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))

    def loss_of(logits, y):
        prob = torch.softmax(logits, 1)[:, 1]
        fg = (y == 1).float()
        soft_dice = 1 - (2 * (prob * fg).sum() + 1) / (prob.sum() + fg.sum() + 1)
        return F.cross_entropy(logits, y, weight=torch.tensor([1.0, 5.0])) + soft_dice

    model = DemoUNet()
    train_model(model, args.iterations, next_batch, loss_of, start)

    model.eval()
    scores = []
    with torch.no_grad():
        for x, y in test:
            pred = model(torch.from_numpy(x)[None]).argmax(1)[0].numpy()
            scores.append(dice(pred == 1, y == 1))
    mean_dice = float(np.mean(scores))
    print(f"held-out Dice {mean_dice:.3f} (min {min(scores):.3f}) over {len(scores)} volumes", flush=True)

    description = {
        "both": "Segments synthetic lesions that are bright in FLAIR and dark in T1; single-modality "
                "distractors are not lesions.",
        "flair": "Segments synthetic lesions that show only in FLAIR (bright); T1 shows only distractors.",
        "t1": "Segments synthetic lesions that show only in T1 (dark); FLAIR shows only distractors.",
    }[args.informative]
    name = "Voxplain demo lesion U-Net" + {"both": "", "flair": " (FLAIR only)", "t1": " (T1 only)"}[args.informative]
    model_path = export_model(
        model, args.out, "demo_unet" + suffix, name,
        description + " Trained by resources/demo/train_demo_model.py"
        + ("" if args.informative == "both" else f" --informative {args.informative}") + ".",
        [1.0, 1.0, 1.0],
        [{"value": 0, "name": "background", "color": [0, 0, 0]}, {"value": 1, "name": "lesion", "color": [230, 70, 50]}])
    report = {"held_out_dice_mean": mean_dice, "held_out_dice_min": float(min(scores)),
              "held_out_dice": [float(s) for s in scores], "held_out_seeds": [5000 + i for i in range(len(test))],
              "iterations": args.iterations, "train_cases": len(train), "volume_size": list(SIZE),
              "parameters": sum(p.numel() for p in model.parameters()), "seconds": round(time.time() - start),
              "informative": args.informative, "torch": torch.__version__}
    write_json(os.path.join(args.out, f"training_report{suffix}.json"), report)
    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes) in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
