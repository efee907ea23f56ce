#!/usr/bin/env python3
"""Voxplain's occlusion against Captum's Occlusion algorithm run in eager PyTorch on the same network.

    /usr/bin/python3 tools/compare_occlusion_eager.py --cli build/app/voxplain-cli --nets DIR
        [--net inorm_unet] [--size 64] [--block 32] [--stride 16] [--modalities separate|joint]
        [--threads 2] [--out FILE]

DIR holds the networks of tests/model/make_foreign_networks.py (this script writes them there when
they are missing). The network is rebuilt as the eager nn.Module that script defines and given the
weights of its TorchScript file, so the reference runs the way a Captum user runs it.

The reference follows Captum 0.8's `Occlusion.attribute` (captum/attr/_core/occlusion.py and
feature_ablation.py) step by step, without Captum (not packaged for Debian): sliding window
(1, block, block, block) with strides (1, stride, stride, stride) on a [1, C, N, N, N] input, so each
modality is occluded on its own (Voxplain's modalities=separate), or (C, block, block, block) for
modalities=joint; per step a 0/1 mask is built and
the ablated input is input * (1 - mask) + baseline * mask, `perturbations_per_eval` of them per
forward; the score is the class-1 logit summed over the voxels the unperturbed input predicts as
class 1 (Voxplain's `class=1` target on one window); attribution += (S(x) - S(ablated)) * mask,
divided by the number of windows covering each voxel. Baseline zero.

Timed (best of --repeats after a warm-up, same threads): the reference with Captum's default
perturbations_per_eval = 1 and with the best of 1, 2 and 4; Voxplain's `bench --method occlusion`
(the method's own time, its unperturbed pass included). Prints JSON; ratio = Voxplain / reference.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NETS = {"inorm_unet": "InormUNet", "gnorm_net": "GNormNet", "monai_style": "MonaiStyleNet"}


def foreign_module():
    path = os.path.join(ROOT, "tests", "model", "make_foreign_networks.py")
    spec = importlib.util.spec_from_file_location("make_foreign_networks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def starts(size, block, stride):
    """Window starts along one axis: 0, stride, ... while the window fits, as Captum steps; Voxplain
    adds one flush with the end when the strides miss it, so sizes where they differ are refused."""
    out = list(range(0, max(size - block, 0) + 1, stride))
    if out[-1] + block < size:
        sys.exit(f"block {block} with stride {stride} does not end flush on {size} voxels: Captum and Voxplain differ")
    return out


def captum_occlusion(model, x, mask, block, stride, per_eval, joint):
    """Captum's Occlusion algorithm (see the module docstring); returns the attribution [1, C, ...]."""
    with torch.no_grad():
        def score(batch):
            logits = model(batch)
            return (logits[:, 1] * mask).flatten(1).sum(1)

        base = score(x)[0]
        channels, size = x.shape[1], x.shape[2:]
        total = torch.zeros_like(x)
        weights = torch.zeros_like(x)
        windows = [(c, a, b, d) for c in ([slice(None)] if joint else range(channels))
                   for a in starts(size[0], block, stride)
                   for b in starts(size[1], block, stride) for d in starts(size[2], block, stride)]
        baseline = torch.zeros_like(x)
        for i in range(0, len(windows), per_eval):
            masks = []
            for c, a, b, d in windows[i:i + per_eval]:
                m = torch.zeros_like(x)
                m[:, c, a:a + block, b:b + block, d:d + block] = 1
                masks.append(m)
            m = torch.cat(masks, 0)
            ablated = x * (1 - m) + baseline * m
            diff = base - score(ablated)
            total += (diff.view(-1, 1, 1, 1, 1) * m).sum(0, keepdim=True)
            weights += m.sum(0, keepdim=True)
        return total / weights.clamp_min(1)


def best_time(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--nets", required=True, help="folder of make_foreign_networks.py's networks")
    ap.add_argument("--net", default="inorm_unet", choices=sorted(NETS))
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--block", type=int, default=32)
    ap.add_argument("--stride", type=int, default=16)
    ap.add_argument("--modalities", default="separate", choices=["separate", "joint"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--out")
    a = ap.parse_args()
    scripted_path = os.path.join(a.nets, a.net + ".pt")
    if not os.path.exists(scripted_path):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "model", "make_foreign_networks.py"), a.nets],
                       check=True, stdout=subprocess.DEVNULL)

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    nets = foreign_module()
    eager = getattr(nets, NETS[a.net])().eval()
    eager.load_state_dict(torch.jit.load(scripted_path).state_dict())
    for p in eager.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 2, a.size, a.size, a.size)
    with torch.no_grad():
        mask = (eager(x).argmax(1) == 1).float()

    reference = {}
    for per_eval in (1, 2, 4):
        reference[per_eval] = best_time(lambda: captum_occlusion(eager, x, mask, a.block, a.stride, per_eval, a.modalities == "joint"), a.repeats)
    best_per_eval = min(reference, key=reference.get)

    cmd = [a.cli, "bench", "--model", scripted_path, "--inputs", "2", "--size", str(a.size), "--threads", str(a.threads),
           "--device", "cpu", "--method", "occlusion", "--param", f"occlusion.block={a.block}",
           "--param", f"occlusion.stride={a.stride}", "--param", f"occlusion.modalities={a.modalities}", "--repeats", str(a.repeats), "--json"]
    bench = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    if bench["patches"] != 1:
        sys.exit(f"{a.net}: the {bench['window']} window does not cover the {bench['volume']} volume in one patch")
    occlusion = next(m for m in bench["methods"] if m["name"] == "occlusion")
    report = {
        "net": a.net, "size": a.size, "block": a.block, "stride": a.stride, "modalities": a.modalities, "threads": a.threads,
        "forwards": occlusion["k"], "torch_python": torch.__version__,
        "reference_seconds": {f"perturbations_per_eval={k}": v for k, v in reference.items()},
        "reference_best_perturbations_per_eval": best_per_eval,
        "voxplain_seconds": occlusion["seconds"], "voxplain_limit_seconds": occlusion["limit_seconds"],
        "voxplain_ratio_to_limit": occlusion["ratio"],
        "ratio_vs_captum_default": occlusion["seconds"] / reference[1],
        "ratio_vs_captum_best_batch": occlusion["seconds"] / reference[best_per_eval],
    }
    text = json.dumps(report, indent=1)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
