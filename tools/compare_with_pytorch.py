#!/usr/bin/env python3
"""Voxplain's prediction and gradient pass against the same TorchScript file run from Python.

    /usr/bin/python3 tools/compare_with_pytorch.py --cli build/app/voxplain-cli --model MODEL.pt
        [--inputs N] [--size 64] [--threads 2] [--repeats 3] [--out compare.json]

Runs `voxplain-cli bench` (saliency and Grad-CAM need no extra parameters; a manifest's layer groups or
the last submodule give Grad-CAM its layer) on a size^3 study that fits one window, then times, in this
process with the same thread count, what Voxplain ran:

  forward          one forward pass of the window at the rows Voxplain ran it with (the measured
                   batch: a single window is padded to the cheapest batch), best of --repeats after a
                   warm-up: compared with Voxplain's prediction time (sliding window, blending and
                   copies included);
  forward+backward the input gradient of S = sum of the class-1 logit over the voxels predicted as
                   class 1, at the same rows: compared with Voxplain's saliency time (the target,
                   window weights and accumulation included).

Also reported: the same passes at batch 1 (what a per-sample tool such as Captum runs for one study).
Prints JSON; ratio = Voxplain / Python (1.0: no overhead). Single-window studies only: the script
refuses a model whose window does not cover the volume.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import torch


def best_time(fn, repeats):
    fn()  # warm-up: TorchScript specialises on the first calls
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def rows_run(unit):
    """Rows of a pass with one sample: the batch padded as Voxplain pads it (PassBatch::rowsFor(1))."""
    return max(1, min(unit["pad_to"], unit["best_batch"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--inputs", type=int, default=0)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()

    cmd = [a.cli, "bench", "--model", a.model, "--size", str(a.size), "--threads", str(a.threads), "--device", "cpu",
           "--method", "saliency", "--json"]
    if a.inputs:
        cmd += ["--inputs", str(a.inputs)]
    bench = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    if bench["patches"] != 1:
        sys.exit(f"{a.model}: the {bench['window']} window does not cover the {bench['volume']} volume in one patch")
    saliency = next(m for m in bench["methods"] if m["name"] == "saliency")

    torch.set_num_threads(a.threads)
    path = a.model
    if path.endswith(".json"):
        path = os.path.join(os.path.dirname(path), json.load(open(path))["model"])
    model = torch.jit.load(path).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    channels = bench["model"]["inputs"]
    window = bench["window"]

    def forward(rows):
        x = torch.randn(rows, channels, *window)
        return lambda: model(x)

    def gradient(rows):
        x0 = torch.randn(rows, channels, *window)

        def run():
            x = x0.clone().requires_grad_(True)
            logits = model(x)
            mask = logits[:1].argmax(1) == 1
            return torch.autograd.grad((logits[:1, 1] * mask).sum(), x)[0]
        return run

    fwd_rows, grad_rows = rows_run(bench["unit"]["forward"]), rows_run(bench["unit"]["forward_backward"])
    py = {"forward": best_time(forward(fwd_rows), a.repeats), "forward_backward": best_time(gradient(grad_rows), a.repeats),
          "forward_batch1": best_time(forward(1), a.repeats), "forward_backward_batch1": best_time(gradient(1), a.repeats)}
    vox = {"prediction": saliency["prediction_seconds"], "saliency": saliency["seconds"]}
    report = {"model": os.path.basename(a.model), "threads": a.threads, "window": window, "rows": {"forward": fwd_rows, "forward_backward": grad_rows},
              "voxplain_seconds": vox, "python_seconds": py,
              "ratio": {"prediction_vs_python_same_rows": vox["prediction"] / py["forward"],
                        "saliency_vs_python_same_rows": vox["saliency"] / py["forward_backward"],
                        "prediction_vs_python_batch1": vox["prediction"] / py["forward_batch1"],
                        "saliency_vs_python_batch1": vox["saliency"] / py["forward_backward_batch1"]}}
    text = json.dumps(report, indent=1)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
