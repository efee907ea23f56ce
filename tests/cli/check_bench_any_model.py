#!/usr/bin/env python3
"""voxplain-cli methods and bench --method all on a bare TorchScript file (no manifest, no layer groups):

- `methods --json` lists every method with its family and parameters (kind, default, range or
  choices), and the text form names every method;
- `bench --method all` on a foreign network benches every method of the registry, the CAM methods on
  the layer chosen as the last block before the head, said in the report;
- a bad --param (unknown key, value out of range, a method the run does not include) is refused
  with exit 2 naming it, before any pass: the progress shows no unit-pass timing.

    check_bench_any_model.py CLI FOREIGN_NETWORKS_DIR
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_checks import fail, run  # noqa: E402


def main():
    cli, nets = sys.argv[1:3]
    result = run([cli, "methods", "--json"])
    if result.returncode != 0:
        fail(f"methods --json exited {result.returncode}: {result.stderr}")
    methods = json.loads(result.stdout)["methods"]
    names = [m["name"] for m in methods]
    for m in methods:
        for key in ("family", "summary", "parameters", "needs_layers"):
            if key not in m:
                fail(f"methods --json: {m['name']} has no {key}")
        for p in m["parameters"]:
            if p["kind"] in ("integer", "number") and len(p.get("range", [])) != 2:
                fail(f"methods --json: {m['name']}.{p['key']} has no range")
            if p["kind"] == "choice" and not p.get("choices"):
                fail(f"methods --json: {m['name']}.{p['key']} has no choices")
    text = run([cli, "methods"]).stdout
    missing = [n for n in names if n not in text]
    if missing:
        fail(f"methods (text) does not name {missing}")
    print(f"methods: {len(names)} methods listed as JSON and text")

    model = f"{nets}/gnorm_net.pt"
    for params, what in ((["--param", "saliency.nosuch=1"], "nosuch"),
                         (["--param", "smoothgrad.samples=0"], "samples"),
                         (["--param", "gradcam.layers=decoder"], "gradcam")):
        result = run([cli, "bench", "--model", model, "--size", "16", "--method", "saliency", "--method",
                      "smoothgrad", "--progress"] + params)
        if result.returncode != 2 or what not in result.stderr:
            fail(f"bench {params}: exit {result.returncode}, message: {result.stderr}")
        if "unit passes" in result.stderr:
            fail(f"bench {params}: refused only after the unit passes ran:\n{result.stderr}")
    print("bench: bad parameters refused before any pass")

    result = run([cli, "bench", "--model", model, "--size", "16", "--method", "all", "--repeats", "1", "--json"])
    if result.returncode != 0:
        fail(f"bench --method all on a bare TorchScript exited {result.returncode}: {result.stderr}")
    report = json.loads(result.stdout)
    benched = [m["name"] for m in report["methods"]]
    if sorted(benched) != sorted(names):
        fail(f"bench --method all ran {benched}, the registry has {names}")
    for m in report["methods"]:
        if m["name"] in ("gradcam", "gradcam++", "kwc"):
            if m.get("layers") != ["decoder"] or "before the output convolution head" not in (m.get("layer_choice") or ""):
                fail(f"bench: {m['name']} ran on {m.get('layers')} ({m.get('layer_choice')}), expected decoder before head")
    print(f"bench --method all: {len(benched)} methods on a bare TorchScript, CAM methods on 'decoder'")
    print("OK")


if __name__ == "__main__":
    main()
