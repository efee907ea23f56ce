#!/usr/bin/python3
"""Grad-CAM on segmentation through a sliding window: per-patch channel weights vs one global weighting.

For each phantom case (larger than the model's patch) and each layer group of the demo model, this
runs `voxplain-cli explain` twice: with the manifest's window (per-patch channel weights, maps
blended over patches) and with the window widened to the whole volume (one pass: one global channel
weighting), and computes an independent PyTorch Grad-CAM / Grad-CAM++ of the same layers on the
whole volume (eager model, forward hooks: tests/attribution/make_attribution_references.py). It
reports, per method and group: the largest difference between the engine's global map and PyTorch's
(relative to the map's maximum), Spearman's rho between the per-patch and the global map, and the ROC
AUC of each map against the phantom's lesion voxels.

    compare_cam_windows.py --cli build/app/voxplain-cli --out DIR [--cases 4] [--size 96] [--first-seed 9500]

Writes DIR/cam_windows.json and prints a markdown table. Needs python3-torch and python3-scipy.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
from scipy.stats import rankdata, spearmanr

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MODEL = os.path.join(ROOT, "resources", "demo", "demo_unet.json")
sys.path.insert(0, os.path.join(ROOT, "tests", "attribution"))
sys.path.insert(0, os.path.join(ROOT, "resources", "demo"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from make_attribution_references import grad_cam  # noqa: E402  the tests' reference Grad-CAM
from demo_unet import DemoUNet  # noqa: E402
from nifti_numpy import read_nifti  # noqa: E402


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def engine_zscore_nonzero(volume):
    """The manifest's zscore_nonzero as the engine computes it (model/Preprocessing.cpp: mean and
    population sd accumulated in double). Not train_demo_model.zscore_nonzero, whose float32 statistics
    move the reference by up to 1e-4 of the map's maximum (Grad-CAM++): this script compares to the engine."""
    out = volume.astype(np.float64).copy()
    nz = out != 0
    out[nz] = (out[nz] - out[nz].mean()) / out[nz].std()
    return out.astype(np.float32)


def auc(scores, truth):
    """ROC AUC from mid-ranks (Mann-Whitney)."""
    ranks = rankdata(scores)
    pos = truth.astype(bool)
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def markdown_table(report):
    """The comparison as a markdown table: mean ± sd over the cases (the largest difference for PyTorch)."""
    lines = ["| method [layers] | max \\|global - PyTorch\\| / max | Spearman per-patch vs global | AUC per-patch | AUC global | AUC PyTorch |",
             "|---|---|---|---|---|---|"]
    for name, r in report["rows"].items():
        m = {k: (np.mean(v), np.std(v, ddof=1) if len(v) > 1 else 0.0) for k, v in r.items() if isinstance(v, list)}
        lines.append(f"| {name} | {max(r['global_vs_pytorch']):.1e} | {m['rho_patch_global'][0]:.3f} ± {m['rho_patch_global'][1]:.3f} | "
                     f"{m['auc_per_patch'][0]:.3f} ± {m['auc_per_patch'][1]:.3f} | {m['auc_global'][0]:.3f} ± {m['auc_global'][1]:.3f} | "
                     f"{m['auc_pytorch'][0]:.3f} ± {m['auc_pytorch'][1]:.3f} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cases", type=int, default=4)
    ap.add_argument("--size", type=int, default=96)
    ap.add_argument("--first-seed", type=int, default=9500)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    start = time.time()

    with open(MODEL) as f:
        manifest = json.load(f)
    groups = manifest["layers"]
    whole = dict(manifest)
    whole["model"] = os.path.join(os.path.dirname(MODEL), manifest["model"])
    whole["sliding_window"] = dict(manifest["sliding_window"], patch_size=[args.size] * 3)
    whole_manifest = os.path.join(args.out, "demo_unet_whole_volume.json")
    with open(whole_manifest, "w") as f:
        json.dump(whole, f, indent=1)

    scripted = torch.jit.load(whole["model"]).eval()
    eager = DemoUNet()
    eager.load_state_dict(scripted.state_dict())
    eager.eval()

    rows = {}
    for c in range(args.cases):
        seed = args.first_seed + c
        case = os.path.join(args.out, f"case_{seed}")
        size = ",".join([str(args.size)] * 3)
        run([args.cli, "phantom", "--seed", str(seed), "--size", size, "--out", case])
        flair = read_nifti(os.path.join(case, "flair.nii.gz")).astype(np.float32)
        t1 = read_nifti(os.path.join(case, "t1.nii.gz")).astype(np.float32)
        lesions = read_nifti(os.path.join(case, "lesions.nii.gz")) > 0
        x = torch.from_numpy(np.stack([engine_zscore_nonzero(flair), engine_zscore_nonzero(t1)]))[None]
        for method in ("gradcam", "gradcam++"):
            for group, layers in groups.items():
                maps = {}
                for window, model in (("per_patch", MODEL), ("global", whole_manifest)):
                    out = os.path.join(case, f"{method}_{group}_{window}")
                    run([args.cli, "explain", "--model", model, "--input", os.path.join(case, "flair.nii.gz"), "--input",
                         os.path.join(case, "t1.nii.gz"), "--method", method, "--param", f"group={group}", "--out", out,
                         "--threads", "1", "--no-sha-check"])
                    maps[window] = read_nifti(os.path.join(out, f"{method}_FLAIR.nii.gz")).astype(np.float32)
                reference, _ = grad_cam(eager, x, layers, method == "gradcam++")
                reference = reference.numpy()
                scale = max(float(np.abs(reference).max()), 1e-12)
                row = rows.setdefault(f"{method}[{group}]", {"cases": 0, "global_vs_pytorch": [], "rho_patch_global": [],
                                                             "auc_per_patch": [], "auc_global": [], "auc_pytorch": []})
                row["cases"] += 1
                row["global_vs_pytorch"].append(float(np.abs(maps["global"] - reference).max() / scale))
                row["rho_patch_global"].append(float(spearmanr(maps["per_patch"].ravel(), maps["global"].ravel())[0]))
                row["auc_per_patch"].append(auc(maps["per_patch"].ravel(), lesions.ravel()))
                row["auc_global"].append(auc(maps["global"].ravel(), lesions.ravel()))
                row["auc_pytorch"].append(auc(reference.ravel(), lesions.ravel()))
        print(f"case {seed} done", file=sys.stderr)

    report = {"seconds": time.time() - start, "cases": args.cases, "size": args.size, "first_seed": args.first_seed,
              "window": manifest["sliding_window"], "rows": rows}
    with open(os.path.join(args.out, "cam_windows.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(markdown_table(report))

if __name__ == "__main__":
    main()
