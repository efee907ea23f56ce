#!/usr/bin/python3
"""Generates docs/results-cam.md: seed 000's comparison at its scale (KWC vs Grad-CAM++ vs Grad-CAM over
the five layer groups on 100 phantoms, with its attribution quality AQ), Grad-CAM through a sliding
window (per-patch channel weights vs one global weighting vs PyTorch), and the sanity check of every method on 30 cases
with both targets. Every number comes from this run's
outputs of voxplain-cli and tools/compare_cam_windows.py; the raw summaries go to docs/results/.

    tools/make_cam_results.py --cli build/app/voxplain-cli [--n 100] [--shards 2] [--window-cases 3]
                              [--sanity-cases 30] [--work build/results-work]

The evaluate run is split into --shards processes (`evaluate --shard I/N`) merged with `--merge`, the
commands the page prints; stored cases are resumed. About 30 min for 100 cases on 2 CPU cores (2 shards,
1 thread each), 8 min per window case and about 2 h for the sanity check of 12 methods on 30 cases."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_cam_windows import markdown_table  # noqa: E402
from make_results import (CAM, GRADIENT, MODEL, PARAM_ARGS, PERTURBATION, ROOT, load, mean, mean_sd, run,  # noqa: E402
                          rows_of, sanity_at_full_depth, shown, write_relative)

ORDER = ["kwc", "gradcam++", "gradcam"]  # the page's column order
SANITY_METHODS = GRADIENT + PERTURBATION + CAM  # the CAM-family methods on the decoder group
INPUT_SCALED = {"integrated_gradients", "input_x_gradient", "deeplift"}
METRICS = [("aq", "AQ"), ("pp", "PP"), ("re", "RE"), ("rfa", "RFA"), ("energy_inside", "energy inside"), ("auc", "ROC AUC")]


def run_in_parallel(commands, parallel):
    """Runs the commands, `parallel` at a time (the next starts when one ends); exits naming the first that fails."""
    pending, running = list(commands), []
    while pending or running:
        while pending and len(running) < parallel:
            command = pending.pop(0)
            print("+", " ".join(command), flush=True)
            running.append((command, subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        command, p = running.pop(0)
        if p.poll() is None:
            running.append((command, p))
            time.sleep(1)
            continue
        err = p.stderr.read()
        if p.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({p.returncode}):\n{err}")


def evaluate_in_shards(cli, work, n, shards):
    """The CAM comparison in `shards` processes, then merged. Returns the commands (the shards', then the
    merge) and the merged folder."""
    base = [cli, "evaluate", "--suite", "synthetic", "--n", str(n), "--model", MODEL, "--methods", ",".join(CAM),
            "--deletion-steps", "0", "--sanity-cases", "0", "--threads", "1"]
    dirs = [os.path.join(work, "cam100", f"shard{i}") for i in range(1, shards + 1)]
    merged = os.path.join(work, "cam100", "all")
    commands = [base + ["--shard", f"{i}/{shards}", "--out", d] for i, d in enumerate(dirs, 1)]
    commands.append(base + ["--merge", *dirs, "--out", merged])
    run_in_parallel(commands[:-1], shards)
    run(commands[-1])
    return commands, merged


SANITY_BLOCK = 10  # cases per sanity run (seeds 9000-9009, 9010-9019, ...): more cases add runs, stored ones are kept


def sanity_run(cli, work, n, parallel):
    """Cascading randomisation on n cases for every method (CAMs on the decoder group), both targets,
    with the parameters of docs/results.md's faithfulness run; in runs of SANITY_BLOCK cases, `parallel`
    at a time. Returns the commands and the case records in seed order."""
    commands, outs = [], []
    for start in range(0, n, SANITY_BLOCK):
        count = min(SANITY_BLOCK, n - start)
        out = os.path.join(work, f"sanity{count}_all" + (f"_{9000 + start}" if start else ""))
        commands.append([cli, "evaluate", "--suite", "synthetic", "--n", str(count), "--first-seed", str(9000 + start), "--model", MODEL,
                         "--methods", ",".join(SANITY_METHODS), "--layers", "decoder", *PARAM_ARGS,
                         "--deletion-steps", "0", "--sanity-cases", str(count), "--no-aq", "--threads", "1", "--out", out])
        outs.append((out, count))
    run_in_parallel(commands, parallel)
    return commands, [load(os.path.join(out, "cases", f"case_{i}.json")) for out, count in outs for i in range(count)]


def sanity_table(cases):
    """Per combination: |rho| at each depth for the kept target and for the randomised model's own target."""
    lines = ["| method [layers] | blocks randomised | \\|rho\\|, trained model's target kept | \\|rho\\|, randomised model's own target | "
             "cases without a predicted lesion |", "|---|---|---|---|---|"]
    combos = [r["combo"] for r in cases[0]["rows"]]
    for combo in combos:
        rows = [r["sanity"] for r in rows_of(cases, combo)]
        for d, blocks in enumerate(rows[0]["blocks"]):
            kept = [abs(r["rho"][d]) for r in rows]
            own = [abs(r["rho_own_target"][d]) for r in rows if r["rho_own_target"][d] is not None]
            lines.append(f"| {combo} | {blocks} of {len(rows[0]['names'])} ({', '.join(rows[0]['names'][:blocks])}) | "
                         f"{mean_sd(kept)} | {mean_sd(own)} | {len(rows) - len(own)} |")
    return "\n".join(lines)


def pairwise_p(summary, metric, a, b):
    for p in summary["pairwise"]:
        if p["metric"] == metric and {p["a"], p["b"]} == {a, b}:
            return p["p"]
    return None


def fmt_p(p):
    return "-" if p is None else ("< 0.0001" if p < 1e-4 else f"{p:.4f}")


def cam_table(summary, groups, metrics):
    """Markdown rows of KWC vs Grad-CAM++ vs Grad-CAM per layer group and metric with KWC's paired p-values;
    wins[metric]: groups where KWC beats both with p < 0.05; the AQ exceptions as text."""
    cell = {(c["combo"], m): c[m] for c in summary["combos"] for m, _ in metrics if m in c}
    L = ["| layers | metric | KWC | Grad-CAM++ | Grad-CAM | p KWC vs Grad-CAM++ | p KWC vs Grad-CAM |", "|---|---|---|---|---|---|---|"]
    add = L.append
    wins = {m: 0 for m, _ in metrics}
    aq_exceptions = []
    for g in groups:
        for metric, label in metrics:
            vals = [cell.get((f"{m}[{g}]", metric)) for m in ORDER]
            text = ["-" if v is None else f"{v['mean']:.3f} ± {v['sd']:.3f}" for v in vals]
            ps = [pairwise_p(summary, metric, f"kwc[{g}]", f"{m}[{g}]") for m in ORDER[1:]]
            add(f"| {g} | {label} | " + " | ".join(text) + " | " + " | ".join(fmt_p(p) for p in ps) + " |")
            if all(v is not None for v in vals):
                lower = metric == "re"
                if all((vals[0]["mean"] < v["mean"]) if lower else (vals[0]["mean"] > v["mean"]) for v in vals[1:]) and \
                        all(p is not None and p < 0.05 for p in ps):
                    wins[metric] += 1
                elif metric == "aq":
                    aq_exceptions.append(g + " (" + ", ".join(f"{m} {v['mean']:.3f}" for m, v in zip(ORDER, vals)) + ")")
    return L, wins, aq_exceptions


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--window-cases", type=int, default=3)
    ap.add_argument("--sanity-cases", type=int, default=30)
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "results-work"))
    args = ap.parse_args()
    generate(os.path.abspath(args.cli), os.path.abspath(args.work), args)


def generate(cli, work, args):
    """Runs (or resumes) the 100-case CAM evaluation, the window comparison and the sanity run in `work`,
    writes docs/results-cam.md and its raw files, and returns what docs/results.md summarises:
    {"summary", "sanity_cases", "sanity_commands", "shard_commands", "compute", "seconds"}.
    args: n, shards, window_cases, sanity_cases."""
    docs = os.path.join(ROOT, "docs", "results")
    os.makedirs(docs, exist_ok=True)
    version = run([cli, "--version"]).splitlines()
    start = time.time()

    shard_commands, merged = evaluate_in_shards(cli, work, args.n, args.shards)
    summary = load(os.path.join(merged, "summary.json"))["summary"]
    for f in ("summary.md", "summary.csv", "summary.json", "evaluation.csv", "wilcoxon.csv"):
        shutil.copy(os.path.join(merged, f), os.path.join(docs, f"cam100_{f}"))
    rows = [r for i in range(args.n) for r in load(os.path.join(merged, "cases", f"case_{i}.json"))["rows"]]
    compute = sum(r["seconds"] for r in rows)
    peaks = {k: sum(r["peaks"][k] for r in rows) for k in ("hit", "missed", "undecided", "too_small")}

    # The window comparison is deterministic: a stored one with the same cases is reused.
    windows_dir = os.path.join(work, "cam_windows")
    windows_json = os.path.join(windows_dir, "cam_windows.json")
    if not os.path.exists(windows_json) or load(windows_json)["cases"] != args.window_cases:
        run(["/usr/bin/python3", os.path.join(ROOT, "tools", "compare_cam_windows.py"), "--cli", cli, "--out", windows_dir,
             "--cases", str(args.window_cases)])
    windows = load(windows_json)
    window_table = markdown_table(windows)
    write_relative(os.path.join(docs, "cam_windows.json"), open(windows_json).read())
    sanity_commands, sanity_cases = sanity_run(cli, work, args.sanity_cases, args.shards)
    write_relative(os.path.join(docs, "sanity_cases.json"), json.dumps(
        [{"case": c["case"], "seed": c["seed"], "rows": [{"combo": r["combo"], "sanity": r["sanity"]} for r in c["rows"]]}
         for c in sanity_cases], indent=1))
    wall = time.time() - start
    windows_time = f", {windows['seconds'] / 60:.0f} min for the window comparison" if "seconds" in windows else ""

    groups = sorted({c["combo"].split("[")[1].rstrip("]") for c in summary["combos"]})
    cell = {(c["combo"], m): c[m] for c in summary["combos"] for m, _ in METRICS if m in c}
    L = []
    add = L.append
    add("# Results at the seeds' scale: KWC, Grad-CAM++ and Grad-CAM on 100 cases; Grad-CAM through a sliding window; sanity with two targets")
    add("")
    add(f"Generated by `tools/make_cam_results.py` from the outputs of `voxplain-cli` ({version[0]}; {version[1]}) on the demo model "
        f"(`resources/demo/demo_unet.json`) and synthetic phantoms never used in training, on 2 CPU cores: {compute / 60:.0f} min of "
        f"method time in the evaluate cases (one thread per shard){windows_time}; this regeneration {wall / 60:.0f} min (stored "
        "cases and a stored window comparison are reused). "
        "Raw outputs: `docs/results/cam100_*`, `docs/results/cam_windows.json`, `docs/results/sanity_cases.json`. Do not edit by hand: re-run the script.")
    add("")
    add(f"## KWC vs Grad-CAM++ vs Grad-CAM over the five layer groups, {summary['cases']} cases (seed 000)")
    add("")
    add(f"Cases: {summary['cases']} phantoms of 48³ voxels, seeds 9000-{9000 + summary['cases'] - 1} (`voxplain-cli phantom`), in "
        f"{args.shards} shards merged into one summary:")
    add("")
    add("```sh")
    for command in shard_commands:
        add(shown(command))
    add("```")
    add("")
    add("AQ = PP / RE + RFA (1 + EPA) as seed 000 defines it (`core/analysis/AttributionQuality.h`): PP, the share of the predicted "
        "lesion voxels the model still predicts when its normalised input is multiplied by the map scaled to [0, 1]; RE, the DEFLATE "
        "ratio of that masked input over the input's (lower: less of the image kept); RFA, the mean scaled map on the lesions minus "
        "on the background (distractors excluded, as the paper's lures); EPA, the share of map peaks outside the lesions that hit "
        "deciding features outside them. This phantom has none (its deciding voxels are the lesions), so EPA is 0 for every map "
        f"(peaks over all rows: {peaks['hit']} hit, {peaks['missed']} missed, {peaks['too_small']} under 100 mm³) and AQ = PP / RE + RFA. "
        "p: two-sided paired Wilcoxon signed-rank test of KWC against the method of the column, over the cases.")
    add("")
    table, wins, aq_exceptions = cam_table(summary, groups, METRICS)
    L += table
    add("")
    add(f"**Measured.** KWC is better than both Grad-CAM++ and Grad-CAM with p < 0.05 against each in {wins['aq']} of {len(groups)} "
        f"layer groups on AQ, {wins['rfa']} on RFA, {wins['pp']} on PP, {wins['energy_inside']} on energy inside and {wins['auc']} on ROC "
        "AUC" + (f"; on AQ the exception is {'; '.join(aq_exceptions)}" if aq_exceptions else "") + ". Seed 000 reports KWC "
        "above both on AQ in four of five experiments (p < 0.0005), the fifth being the decoder without its transposed convolutions, "
        "where it reports KWC equivalent to Grad-CAM++. Read AQ with its terms: a map that is zero "
        "almost everywhere makes the masked input compress well (RE far below 1) and so scores a high PP / RE whether or not it sits on "
        "the lesions; RFA is the term that measures localisation.")
    add("")
    add("## Grad-CAM on segmentation: per-patch channel weights or one global weighting")
    add("")
    add(f"Cases: {windows['cases']} phantoms of {windows['size']}³ voxels (seeds {windows['first_seed']}-"
        f"{windows['first_seed'] + windows['cases'] - 1}), larger than the model's {windows['window']['patch_size'][0]}³ window. "
        "*Per-patch*: the engine's Grad-CAM as the app runs it, channel weights from each window's gradients, maps blended with the "
        "window's Gaussian weights. *Global*: the same engine with the window widened to the whole volume (one pass, one channel "
        "weighting). *PyTorch*: an independent Grad-CAM of the same layers on the whole volume (eager model, forward hooks; "
        "`tools/compare_cam_windows.py`). AUC: ROC AUC of the map against the lesion voxels (0.5 = chance).")
    add("")
    add(window_table.strip())
    add("")
    worst = max(max(r["global_vs_pytorch"]) for r in windows["rows"].values())
    wrows = windows["rows"].values()
    avg = lambda key: sum(sum(r[key]) / len(r[key]) for r in wrows) / len(wrows)  # noqa: E731
    higher = sum(1 for r in wrows if sum(r["auc_per_patch"]) > sum(r["auc_global"]))
    decoder_auc = {g: cell.get((f"gradcam[{g}]", "auc")) for g in groups if g.startswith("decoder")}
    add(f"**Measured.** The engine's global Grad-CAM equals PyTorch's to {worst:.0e} of the map's maximum in every method and layer "
        "group: the weighting itself is the textbook one. The evaluation cases of the first section are 48³, exactly one window, so "
        "there the engine's Grad-CAM *is* the global one, and its ROC AUC on the decoder groups ("
        + ", ".join(f"{g} {v['mean']:.3f}" for g, v in decoder_auc.items() if v) + ") is a property of this model under the global "
        "weighting, not of patch blending. Through a sliding window the per-patch map has the higher AUC in "
        f"{higher} of {len(wrows)} method x group rows (mean AUC {avg('auc_per_patch'):.3f} per-patch against {avg('auc_global'):.3f} "
        f"global), and the two maps' mean Spearman correlation is {avg('rho_patch_global'):.3f}: each window weights the channels by "
        "its own gradients, and windows without target voxels are not run (their map is zero), so the blended map inherits a "
        "localisation from the target's windows.")
    add("")
    add("**Which one the app shows, and why.** The app and the CLI show the per-patch blended map: it is the only one that exists "
        "for a volume larger than what fits in one pass (a 512×512×300 CT), it is what MONAI-style sliding-window inference computes, "
        "and on a volume that fits one window it is the global map. Its higher AUC must not be read as a better explanation: part of "
        "it is the window's locality. To see the global weighting of a volume that fits in memory, widen the window in the manifest "
        "(`sliding_window.patch_size`), as this comparison does.")
    add("")
    add(f"## Sanity: cascading randomisation on {args.sanity_cases} cases, two targets")
    add("")
    add("Blocks are the network's top-level modules, re-initialised from the output end inwards (`model/ParameterRandomisation.h`): "
        "every parameter tensor of a block (convolution weights and biases, normalisation scales and shifts) is replaced by Gaussian "
        "noise with that tensor's own standard deviation (0.02 where it is 0), from a generator seeded per block; buffers (running "
        "statistics) are kept. After each step the map is recomputed with (1) the trained model's predicted lesion region kept as the "
        "target, and (2) the randomised model's own prediction as the target; the table gives |Spearman| of |A| against the trained "
        "model's map (mean ± sd over cases; low = the map depends on the weights). (1) asks whether the map changes when only the "
        "weights change; on segmentation the target region alone localises a gradient map, so (1) can stay high for a map that does "
        "depend on the weights. (2) is the check as a user meets it: a randomised model explaining its own output. A randomised model "
        "that predicts no lesion voxel has no target: counted in the last column.")
    add("")
    add("```sh")
    for command in sanity_commands:
        add(shown(command))
    add("```")
    add("")
    add(sanity_table(sanity_cases))
    add("")
    failing = [f"{combo} (|rho| {mean(kept):.2f} kept, {mean(own):.2f} own target)"
               for combo, (kept, own, _) in sanity_at_full_depth(sanity_cases).items() if own and mean(own) > 0.5]
    add("**Measured.** With every block randomised, " + (
        "the maps that keep |rho| above 0.5 even for the randomised model's own target, and so fail the check here: "
        + "; ".join(failing) + "." + (" Each is an input-scaled map (x times a gradient), which follows |x| wherever the gradient "
                                      "is not near zero, whatever the weights." if all(f.split(" ")[0] in INPUT_SCALED for f in failing) else "")
        if failing else "every map's |rho| with the randomised model's own target is below 0.5.")
        + " Where the randomised model predicts no lesion the own-target check has no target, so its n is smaller.")
    add("")
    with open(os.path.join(ROOT, "docs", "results-cam.md"), "w") as f:
        f.write("\n".join(L).replace(ROOT + os.sep, ""))
    print("wrote docs/results-cam.md")
    return {"summary": summary, "sanity_cases": sanity_cases, "sanity_commands": sanity_commands, "shard_commands": shard_commands,
            "compute": compute, "seconds": wall}


if __name__ == "__main__":
    main()
