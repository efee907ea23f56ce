#!/usr/bin/env python3
"""Regenerates docs/benchmarks.md: `voxplain-cli bench` on the demo model and on networks this project
did not train (tests/model/make_foreign_networks.py), and tools/compare_with_pytorch.py on each.

    /usr/bin/python3 tools/make_benchmarks.py --cli build/app/voxplain-cli [--threads 2] [--device cpu]
                                              [--work build/benchmarks] [--skip-demo-all]

Raw JSON goes to docs/benchmarks/ (bench_<name>.json, compare_<name>.json); the page is written by
tools/benchmarks_to_markdown.py, with the render and large-volume sections kept from their JSON.
Runs one job at a time (two at once on 2 cores distort every figure). About 40 minutes on 2 cores.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GRADIENT = ["saliency", "input_x_gradient", "smoothgrad", "integrated_gradients"]
RELU_ONLY = ["guided_backprop", "deeplift"]
CAM = ["gradcam", "gradcam++", "kwc"]

# name, model file (in the work folder), volume edge, CAM layer, has plain ReLUs
FOREIGN = [("inorm_unet", "inorm_unet.pt", 64, "dec2", False),
           ("gnorm_net", "gnorm_net.pt", 64, "decoder", True),
           ("monai_style", "monai_style.pt", 64, "decoder.0", False),
           ("fixed_shape", "fixed_shape.pt", 32, "dec2", False)]


def run(cmd):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "benchmarks"))
    ap.add_argument("--skip-demo-all", action="store_true", help="only the single-window demo table")
    ap.add_argument("--page-only", action="store_true", help="rewrite the page from the JSON in docs/benchmarks, run nothing")
    a = ap.parse_args()
    raw = os.path.join(ROOT, "docs", "benchmarks")
    os.makedirs(a.work, exist_ok=True)
    if not a.page_only:
        run(["/usr/bin/python3", os.path.join(ROOT, "tests", "model", "make_foreign_networks.py"), a.work])
    common = ["--threads", str(a.threads), "--device", a.device]
    benches, compares = [], []

    def bench(name, model, size, methods, params, inputs=None):
        out = os.path.join(raw, f"bench_{name}.json")
        cmd = [a.cli, "bench", "--model", model, "--size", str(size)] + common + ["--out", out]
        if inputs:
            cmd += ["--inputs", str(inputs)]
        for m in methods:
            cmd += ["--method", m]
        for p in params:
            cmd += ["--param", p]
        if not a.page_only:
            run(cmd)
        shown = " ".join(os.path.relpath(c, ROOT) if os.path.isabs(c) else c for c in cmd[1:])
        benches.append(f"{out}=voxplain-cli {shown}".replace(os.path.relpath(a.work, ROOT), "NETS"))

    def compare(name, model, size, inputs=None):
        out = os.path.join(raw, f"compare_{name}.json")
        cmd = ["/usr/bin/python3", os.path.join(HERE, "compare_with_pytorch.py"), "--cli", a.cli, "--model", model,
               "--size", str(size), "--threads", str(a.threads), "--out", out]
        if inputs:
            cmd += ["--inputs", str(inputs)]
        if not a.page_only:
            run(cmd)
        compares.append(out)

    demo = os.path.join(ROOT, "resources", "demo", "demo_unet.json")
    bench("demo_48", demo, 48, GRADIENT + RELU_ONLY + CAM + ["activations"], [])
    compare("demo_48", demo, 48)
    if not a.skip_demo_all:
        bench("demo_64_all", demo, 64, ["all"], ["lime.samples=64", "kernel_shap.samples=64"])
    for name, file, size, layer, relu in FOREIGN:
        model = os.path.join(a.work, file)
        methods = GRADIENT + (RELU_ONLY if relu else []) + CAM
        params = [f"{m}.layers={layer}" for m in CAM]
        bench(name, model, size, methods, params, inputs=2)
        compare(name, model, size, inputs=2)
    occlusions = []
    for modalities in ("separate", "joint"):  # against Captum's Occlusion algorithm in eager PyTorch
        out = os.path.join(raw, f"occlusion_vs_captum_{modalities}.json")
        if not a.page_only:
            run(["/usr/bin/python3", os.path.join(HERE, "compare_occlusion_eager.py"), "--cli", a.cli, "--nets", a.work,
                 "--modalities", modalities, "--threads", str(a.threads), "--out", out])
        occlusions.append(out)
    cmd = ["/usr/bin/python3", os.path.join(HERE, "benchmarks_to_markdown.py"), "--out", os.path.join(ROOT, "docs", "benchmarks.md")]
    for o in occlusions:
        cmd += ["--occlusion", o]
    soak = os.path.join(raw, "soak_app.md")  # tools/soak_app.py, measured by hand
    if os.path.exists(soak):
        cmd += ["--appendix", soak]
    gpu = os.path.join(raw, "gpu-check.md")
    if os.path.exists(gpu):
        cmd += ["--gpu-check", gpu]
    for b in benches:
        cmd += ["--bench", b]
    for c in compares:
        cmd += ["--compare", c]
    render = os.path.join(raw, "render_256.json")
    if os.path.exists(render):
        cmd += ["--render", render + "=xvfb-run -a build/app/voxplain-render-bench --size 256"]
    explain = os.path.join(raw, "smoothgrad_512x512x300_attribution.json")
    if os.path.exists(explain):
        cmd += ["--explain", explain + "=voxplain-cli explain (512x512x300 phantom, smoothgrad samples=4, class=1)",
                "--explain-time", os.path.join(raw, "smoothgrad_512x512x300_time.txt")]
    run(cmd)


if __name__ == "__main__":
    main()
