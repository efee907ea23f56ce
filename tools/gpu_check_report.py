#!/usr/bin/env python3
"""The two computing steps of tools/gpu-check.sh.

    gpu_check_report.py agreement --maps DIR --device DEV --out FILE [--tolerance 1e-4]
        Compares each method's maps of DIR/<net>-device with DIR/<net>-reference (the CPU run), as
        `voxplain-cli bench --save-maps` wrote them (torch.load): relative L2 ||a - b|| / ||b|| and the
        largest absolute difference. Writes FILE; exit 1 when a map differs by more than the tolerance
        or a method's maps are missing on one side.
    gpu_check_report.py markdown --results DIR --build-seconds S --total-seconds S --dry-run 0|1
        Prints the Markdown summary of DIR's environment.json, agreement.json and bench_*.json.
"""
import argparse
import glob
import json
import os
import sys

MIB = 1024 * 1024


def agreement(a):
    import torch
    rows, ok = [], True
    for ref_dir in sorted(glob.glob(os.path.join(a.maps, "*-reference"))):
        net = os.path.basename(ref_dir)[: -len("-reference")]
        dev_dir = os.path.join(a.maps, net + "-device")
        for ref_file in sorted(glob.glob(os.path.join(ref_dir, "*.pt"))):
            method = os.path.basename(ref_file)[:-3]
            dev_file = os.path.join(dev_dir, method + ".pt")
            row = {"net": net, "method": method, "device": a.device}
            if not os.path.exists(dev_file):
                row["error"] = "no maps from the device run"
                ok = False
            else:
                ref = torch.load(ref_file).double()
                got = torch.load(dev_file).double()
                if ref.shape != got.shape:
                    row["error"] = f"shapes differ: {tuple(ref.shape)} vs {tuple(got.shape)}"
                    ok = False
                else:
                    row["relative_l2"] = float((got - ref).norm() / ref.norm().clamp_min(1e-30))
                    row["max_abs_difference"] = float((got - ref).abs().max())
                    row["passed"] = row["relative_l2"] <= a.tolerance
                    ok = ok and row["passed"]
            rows.append(row)
    if not rows:
        rows.append({"error": f"no maps under {a.maps}"})
        ok = False
    with open(a.out, "w") as f:
        json.dump({"tolerance": a.tolerance, "passed": ok, "maps": rows}, f, indent=1)
    for r in rows:
        print(f"{r.get('net', '?'):12s} {r.get('method', '?'):22s} "
              + (r["error"] if "error" in r else f"rel L2 {r['relative_l2']:.2e}  max |d| {r['max_abs_difference']:.2e}"))
    return 0 if ok else 1


def markdown(a):
    env = json.load(open(os.path.join(a.results, "environment.json")))
    lines = ["# GPU check" + (" (dry run: the CPU stands in for the GPU)" if a.dry_run == "1" else ""), ""]
    lines.append(f"PyTorch {env['torch']} (CUDA {env['cuda']}), device {env['device_name'] or 'cpu'}; "
                 f"core + voxplain-cli built in {a.build_seconds} s; the whole check took {a.total_seconds} s.")
    lines += ["", "## CUDA against the CPU (fp32, map by map)", ""]
    agreed = json.load(open(os.path.join(a.results, "agreement.json")))
    lines += [f"Tolerance: relative L2 <= {agreed['tolerance']:g}; " + ("all passed." if agreed["passed"] else "**failed**."), "",
              "| network | method | relative L2 | max abs difference |", "|---|---|---:|---:|"]
    for r in agreed["maps"]:
        if "error" in r:
            lines.append(f"| {r.get('net', '')} | {r.get('method', '')} | {r['error']} | |")
        else:
            lines.append(f"| {r['net']} | {r['method']} | {r['relative_l2']:.2e} | {r['max_abs_difference']:.2e} |")
    lines += ["", "## Benchmarks (`voxplain-cli bench`, ratio = time / k-pass limit)", "",
              "| model | volume | precision | method | time (s) | k | limit (s) | ratio | prediction (s) | peak GPU (MiB) |",
              "|---|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for path in sorted(glob.glob(os.path.join(a.results, "bench_*.json"))):
        b = json.load(open(path))
        volume = "x".join(str(v) for v in b["volume"])
        for m in b["methods"]:
            lines.append(f"| {b['model']['file']} | {volume} | {b['precision']} | {m['name']} | {m['seconds']:.3f} | {m['k']} | "
                         f"{m['limit_seconds']:.3f} | {m['ratio']:.2f} | {m['prediction_seconds']:.3f} | "
                         f"{m['peak_gpu_bytes'] / MIB:.0f} |")
    print("\n".join(lines))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    ag = sub.add_parser("agreement")
    ag.add_argument("--maps", required=True)
    ag.add_argument("--device", required=True)
    ag.add_argument("--out", required=True)
    ag.add_argument("--tolerance", type=float, default=1e-4)
    md = sub.add_parser("markdown")
    md.add_argument("--results", required=True)
    md.add_argument("--build-seconds", required=True)
    md.add_argument("--total-seconds", required=True)
    md.add_argument("--dry-run", default="0")
    a = ap.parse_args()
    sys.exit(agreement(a) if a.command == "agreement" else markdown(a))


if __name__ == "__main__":
    main()
