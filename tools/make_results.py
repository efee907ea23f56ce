#!/usr/bin/env python3
"""Generates docs/results.md: the seed papers' findings checked with voxplain-cli on the demo model,
the demo study and the synthetic phantom set. Every number in the page comes from the CLI's outputs
of this run (nothing is typed by hand); the raw summaries are copied to docs/results/.

    tools/make_results.py --cli build/app/voxplain-cli [--n 10] [--cohort 20] [--cam-cases 100] [--shards 2]
                          [--sanity-cases 30] [--work build/results-work]

It also regenerates docs/results-cam.md (tools/make_cam_results.py: the CAM comparison at 100 cases in
--shards processes, Grad-CAM through a sliding window, the sanity check on every method) and summarises
it here. Section (c) scores the two modality-informative demo models (resources/demo/
demo_unet_{flair,t1}_only.json, train_demo_model.py --informative) on phantoms of their kind. Section (e)
runs the instance analysis on realistic brain cases (synthetic/BrainLesionPhantom.h on mricron-data's
ch2bet) with the demo brain model.

About 4 hours on 2 CPU cores from nothing (plus 20 min for the two informative models if they are
retrained); re-running resumes every evaluate run (stored cases) and takes about 10 minutes."""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "resources", "demo", "demo_unet.json")
# The models trained on phantoms where only one modality shows the lesions (train_demo_model.py --informative).
INFORMATIVE_LABEL = {"flair": "FLAIR", "t1": "T1"}
INFORMATIVE_MODELS = {m: os.path.join(ROOT, "resources", "demo", f"demo_unet_{m}_only.json") for m in ("flair", "t1")}
BRAIN_MODEL = os.path.join(ROOT, "resources", "demo", "brain_unet.json")
BRAIN_ANATOMY = "/usr/share/mricron/templates/ch2bet.nii.gz"
# Not the brain model's training (2000-2023) or held-out (9000-9007) seeds; enough cases for >= 30 false positives.
BRAIN_SEEDS = [9100 + i for i in range(32)]
CAM = ["kwc", "gradcam", "gradcam++"]
GRADIENT = ["saliency", "input_x_gradient", "smoothgrad", "integrated_gradients", "guided_backprop", "deeplift"]
PERTURBATION = ["occlusion", "lime", "kernel_shap"]
PARAMS = ["smoothgrad.samples=8", "integrated_gradients.steps=16", "lime.samples=128", "kernel_shap.samples=128"]
PARAM_ARGS = [a for p in PARAMS for a in ("--param", p)]  # PARAMS as evaluate's arguments


def run(command):
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def load(path):
    with open(path) as f:
        return json.load(f)


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def auc(pos, neg):
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def write_relative(path, text):
    """Writes `text` to a docs file with this checkout's absolute paths made relative to the repository
    (the raw outputs name the files they read; the docs must not name this machine's folders)."""
    with open(path, "w") as f:
        f.write(text.replace(ROOT + os.sep, ""))


def bootstrap_auc(per_case, reps=2000, seed=0):
    """95 % interval of the pooled ROC AUC by resampling cases with replacement (instances of one
    case are not independent). per_case: [(tp peaks, fp peaks)]."""
    import random
    rng = random.Random(seed)
    values = []
    for _ in range(reps):
        tp, fp = [], []
        for _ in per_case:
            t, f = per_case[rng.randrange(len(per_case))]
            tp += t
            fp += f
        a = auc(tp, fp)
        if a is not None:
            values.append(a)
    if not values:
        return None
    values.sort()
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


def evaluate(cli, work, name, methods, n, sanity, extra=(), model=MODEL):
    out = os.path.join(work, name)
    command = [cli, "evaluate", "--suite", "synthetic", "--n", str(n), "--model", model, "--methods", ",".join(methods),
               "--sanity-cases", str(sanity), "--threads", "1", "--out", out, *PARAM_ARGS, *extra]
    run(command)
    return out, load(os.path.join(out, "summary.json")), command


def shown(command):
    """A command as the page prints it: this checkout's paths relative to the repository."""
    return " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in command)


def cell(summary, combo, metric):
    for c in summary["combos"]:
        if c["combo"] == combo and metric in c:
            return c[metric]
    return None


def fmt(c):
    if c is None:
        return "-"
    return f"{c['mean']:.3f} ± {c['sd']:.3f}" if c["n"] > 1 else f"{c['mean']:.3f} (n = 1)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--n", type=int, default=10, help="synthetic cases per evaluate run")
    ap.add_argument("--cohort", type=int, default=20, help="synthetic cases for the instance and cohort findings")
    ap.add_argument("--cam-cases", type=int, default=100, help="cases of the CAM comparison (docs/results-cam.md)")
    ap.add_argument("--shards", type=int, default=2, help="evaluate processes for the CAM comparison")
    ap.add_argument("--window-cases", type=int, default=3, help="cases of the sliding-window Grad-CAM comparison")
    ap.add_argument("--sanity-cases", type=int, default=30, help="cases of the sanity check, every method (runs of 10)")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "results-work"))
    args = ap.parse_args()
    cli, work = os.path.abspath(args.cli), os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    docs = os.path.join(ROOT, "docs", "results")
    os.makedirs(docs, exist_ok=True)
    start = time.time()
    version = run([cli, "--version"]).splitlines()

    # (a) and the sanity check: docs/results-cam.md's runs (100 cases in shards; every method on 30 cases).
    import make_cam_results
    cam = make_cam_results.generate(cli, work, argparse.Namespace(n=args.cam_cases, shards=args.shards,
                                                                   window_cases=args.window_cases, sanity_cases=args.sanity_cases))
    # (b) faithfulness of gradient vs perturbation methods.
    faith_dir, faith, faith_command = evaluate(cli, work, "faithfulness", GRADIENT + PERTURBATION, args.n, 0)
    for f in ("summary.md", "summary.csv", "summary.json", "evaluation.csv", "wilcoxon.csv"):
        shutil.copy(os.path.join(faith_dir, f), os.path.join(docs, f"faithfulness_{f}"))
    # (c) the modality-informative models on phantoms of their kind (the demo model's are (b)'s cases).
    informative = {}
    for m, model in INFORMATIVE_MODELS.items():
        d, _, command = evaluate(cli, work, f"informative_{m}", GRADIENT + PERTURBATION, args.n, 0,
                                       ("--informative", m, "--deletion-steps", "0", "--no-aq"), model)
        report = load(os.path.join(os.path.dirname(model), f"training_report_{m}_only.json"))
        informative[m] = {"cases": [load(os.path.join(d, "cases", f"case_{i}.json")) for i in range(args.n)],
                          "command": command, "report": report, "dir": d}
        for f in ("summary.csv", "evaluation.csv"):
            shutil.copy(os.path.join(d, f), os.path.join(docs, f"informative_{m}_{f}"))

    # (c) modality importance: the demo study with its ground truth, and the synthetic cases.
    demo = os.path.join(ROOT, "build", "resources", "demo")
    mod = load_json_stdout(run([cli, "modalities", "--model", MODEL, "--input", os.path.join(demo, "demo_flair.nii.gz"),
                                "--input", os.path.join(demo, "demo_t1.nii.gz"), "--reference", os.path.join(demo, "demo_lesions.nii.gz"),
                                "--out", os.path.join(work, "modalities_demo"), "--json"]))
    with open(os.path.join(work, "modalities_demo", "modalities.json")) as f:
        write_relative(os.path.join(docs, "modalities_demo.json"), f.read())
    cases = [load(os.path.join(faith_dir, "cases", f"case_{i}.json")) for i in range(args.n)]

    # (d) instances: the synthetic cohort at the training size, with reference lesions; and Agg2Exp in 4 shards.
    cohort_dir = os.path.join(work, "cohort")
    rows = []
    for i in range(args.cohort):
        case = os.path.join(cohort_dir, "data", f"syn-{i:02d}")
        if not os.path.exists(os.path.join(case, "lesions.nii.gz")):
            run([cli, "phantom", "--seed", str(9200 + i), "--out", case])
        rows.append((f"syn-{i:02d}", case))
    instance_reports = []
    for name, case in rows:
        out = os.path.join(cohort_dir, "instances", name)
        run([cli, "instances", "--model", MODEL, "--input", os.path.join(case, "flair.nii.gz"), "--input", os.path.join(case, "t1.nii.gz"),
             "--method", "saliency", "--reference", os.path.join(case, "lesions.nii.gz"), "--out", out])
        instance_reports.append(load(os.path.join(out, "instances.json")))
    table = os.path.join(cohort_dir, "cases.csv")
    with open(table, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "FLAIR", "T1"])
        for name, case in rows:
            w.writerow([name, os.path.join(case, "flair.nii.gz"), os.path.join(case, "t1.nii.gz")])
    shards = [os.path.join(cohort_dir, f"shard{s}") for s in range(1, 5)]
    for s, d in enumerate(shards, 1):
        run([cli, "aggregate", "--cases", table, "--model", MODEL, "--method", "saliency", "--shapley", "--shard", f"{s}/4", "--out", d])
    merged = load_json_stdout(run([cli, "merge", *shards, "--out", os.path.join(cohort_dir, "merged"), "--json"]))
    for f in ("matrix.svg", "matrix.png", "bars_lesion.svg", "bars_lesion.png", "modalities.svg", "modalities.png", "segment_importance.csv"):
        if os.path.exists(os.path.join(cohort_dir, "merged", f)):
            shutil.copy(os.path.join(cohort_dir, "merged", f), os.path.join(docs, f"cohort_{f}"))

    # (e) instances on realistic brain cases with the brain model.
    brain_reports = []
    for seed in BRAIN_SEEDS:
        case = os.path.join(work, "brain", f"seed-{seed}")
        if not os.path.exists(os.path.join(case, "lesions.nii.gz")):
            run([cli, "phantom", "--anatomy", BRAIN_ANATOMY, "--seed", str(seed), "--out", case])
        out = os.path.join(work, "brain", "instances", f"seed-{seed}")
        run([cli, "instances", "--model", BRAIN_MODEL, "--input", os.path.join(case, "flair.nii.gz"), "--input",
             os.path.join(case, "t1.nii.gz"), "--method", "saliency", "--reference", os.path.join(case, "lesions.nii.gz"), "--out", out])
        brain_reports.append(load(os.path.join(out, "instances.json")))
    write_relative(os.path.join(docs, "brain_instances.json"), json.dumps({"seeds": BRAIN_SEEDS, "reports": brain_reports}, indent=1))

    # Compute time of the evaluate runs from the stored cases (a resumed run does not redo them).
    compute = cam["compute"] + sum(r["seconds"] for c in cam["sanity_cases"] for r in c["rows"])
    compute += sum(r["seconds"] for d in [faith_dir] + [v["dir"] for v in informative.values()] for i in range(args.n)
                   for r in load(os.path.join(d, "cases", f"case_{i}.json"))["rows"])
    commands = {"faithfulness": faith_command, "informative": [v["command"] for v in informative.values()]}
    write_page(version, args, cam, faith["summary"], mod, cases, informative, instance_reports, merged, compute, brain_reports,
               commands, time.time() - start)


def load_json_stdout(text):
    return json.loads(text)


def instance_findings(reports):
    """Pooled TP/FP peaks (and per case), and the sign pattern of the TP and of the FP instances, per modality."""
    names = list(reports[0]["modalities"]) if reports else []
    f = {"tp": [], "fp": [], "fn": 0, "n": 0, "names": names, "per_case": []}
    for group in ("TP", "FP"):
        f[group] = {"n": 0, "inside": {n: 0 for n in names}, "ring": {n: 0 for n in names}, "share": {n: [] for n in names}}
    for r in reports:
        f["fn"] += r["false_negatives"]
        case_tp, case_fp = [], []
        for inst in r["instances"]:
            f["n"] += 1
            peak = max(abs(m["peak"]) for m in inst["modalities"].values())
            group = "TP" if inst["match"] == "TP" else "FP"
            (case_tp if group == "TP" else case_fp).append(peak)
            g = f[group]
            g["n"] += 1
            for name, m in inst["modalities"].items():
                g["inside"][name] += m["inside_mean"] > 0
                g["ring"][name] += m["ring_mean"] < 0
                g["share"][name].append(m["share"])
        f["tp"] += case_tp
        f["fp"] += case_fp
        f["per_case"].append((case_tp, case_fp))
    # The TP-only names the page's text uses.
    f["inside"], f["ring"], f["share"] = f["TP"]["inside"], f["TP"]["ring"], f["TP"]["share"]
    return f


def add_instance_table(add, f):
    pooled = auc(f["tp"], f["fp"])
    if pooled is None:
        add("**Measured.** The ROC AUC of peak |saliency| for TP vs FP is undefined: the model made "
            + ("no false positives" if not f["fp"] else "no true positives") + " on these cases, so this part of the finding cannot be "
            "checked with this model (it would need a weaker model or harder cases).")
    else:
        ci = bootstrap_auc(f["per_case"])
        interval = f", bootstrap 95 % interval {ci[0]:.3f}-{ci[1]:.3f} over cases" if ci else ""
        add(f"**Measured.** ROC AUC of the peak |saliency| (largest over modalities), TP vs FP, pooled over the cases: {pooled:.3f}"
            f"{interval} (mean peak TP {mean(f['tp']):.3g}, FP {mean(f['fp']):.3g}; {len(f['tp'])} TP, {len(f['fp'])} FP).")
    add("")
    add("| modality | group | positive mean inside | negative mean in the 7 mm ring | mean share of abs(A) inside |")
    add("|---|---|---|---|---|")
    for n in f["names"]:
        for group in ("TP", "FP"):
            g = f[group]
            if g["n"]:
                add(f"| {n} | {group} | {g['inside'][n]}/{g['n']} | {g['ring'][n]}/{g['n']} | {mean(g['share'][n]):.3f} |")
    add("")


def rows_of(cases, combo):
    """The rows of one method/layer combination over the cases (a case without it is skipped)."""
    return [r for c in cases for r in c["rows"] if r["combo"] == combo]


def shapley_shares(cases, k):
    """Per case, modality k's exact Shapley value over the sum of all (S(x) - S(baseline)); cases whose
    values sum to 0 have no share and are skipped."""
    return [c["shapley"][k] / sum(c["shapley"]) for c in cases if sum(c["shapley"])]


def sanity_at_full_depth(cases):
    """Per combination, |rho| with every block randomised: (kept-target values, own-target values, cases
    where the randomised model predicts no lesion)."""
    out = {}
    for combo in [r["combo"] for r in cases[0]["rows"]]:
        rows = [r["sanity"] for r in rows_of(cases, combo)]
        own = [abs(r["rho_own_target"][-1]) for r in rows if r["rho_own_target"][-1] is not None]
        out[combo] = ([abs(r["rho"][-1]) for r in rows], own, len(rows) - len(own))
    return out


def mean_sd(values):
    import statistics
    if not values:
        return "-"
    return f"{mean(values):.3f} ± {statistics.stdev(values) if len(values) > 1 else 0.0:.3f} (n = {len(values)})"


def largest(values):
    return max(range(len(values)), key=lambda k: values[k])


def write_page(version, args, cam, faith, mod, cases, informative, reports, merged, seconds, brain_reports, commands, wall):
    import make_cam_results
    L = []
    add = L.append
    add("# Results: the seed papers' findings, checked")
    add("")
    add("Generated by `tools/make_results.py` from the outputs of `voxplain-cli` (" + version[0] + "; " + version[1] + ") on the demo "
        "models (`resources/demo/`), the demo study and synthetic phantoms (`voxplain-cli phantom`; seeds never used in training). "
        f"The evaluate runs hold {seconds / 3600:.1f} h of method time (maps, curves, AQ, sanity) on 2 CPU cores, 1 thread per process; "
        f"this regeneration took {wall / 60:.0f} min (stored cases are reused; the commands are under *Reproduce*). No GPU machine "
        "was used. Raw summaries: `docs/results/`. Do not edit by hand: re-run the script. The CAM comparison, Grad-CAM through a "
        "sliding window and the per-depth sanity tables are in [results-cam.md](results-cam.md), generated by the same run.")
    add("")
    add("Evaluation cases: phantoms of 48³ voxels (seeds from 9000); the deciding features are the lesion voxels in "
        "both modalities (a lesion is bright in FLAIR and dark in T1; single-modality distractors are not lesions), or in the one "
        "informative modality in (c). Maps explain the sum of the lesion logit over the predicted voxels. Metrics (see "
        "`core/analysis/EvaluationSuite.h`): energy inside the deciding mask / total, ROC AUC of |A| against the mask, AQ of seed 000 "
        "(`core/analysis/AttributionQuality.h`), MSFI (2 mm dilation), deletion / insertion areas of the probability score over the "
        "top 5 % of features (mean height in units of S(x)), |Spearman| of |A| after randomising all blocks (sanity). p: paired "
        "two-sided Wilcoxon signed-rank test.")
    add("")

    # (a)
    summary = cam["summary"]
    groups = sorted({c["combo"].split("[")[1].rstrip("]") for c in summary["combos"]})
    add(f"## (a) KWC vs Grad-CAM++ and Grad-CAM over the five layer combinations, {summary['cases']} cases (seed 000)")
    add("")
    add(f"Seeds 9000-{9000 + summary['cases'] - 1}, `evaluate --shard I/{args.shards}` merged with `--merge` (commands under "
        "*Reproduce*). Per-term AQ (PP, RE, RFA) and every p-value: [results-cam.md](results-cam.md), `docs/results/cam100_*`.")
    add("")
    metrics = [("aq", "AQ"), ("rfa", "RFA"), ("energy_inside", "energy inside"), ("auc", "ROC AUC")]
    table, wins, aq_exceptions = make_cam_results.cam_table(summary, groups, metrics)
    L += table
    add("")
    add(f"**Measured.** KWC is better than both Grad-CAM++ and Grad-CAM with p < 0.05 against each in {wins['aq']} of {len(groups)} "
        f"layer groups on AQ, {wins['rfa']} on RFA, {wins['energy_inside']} on energy inside and {wins['auc']} on ROC AUC"
        + (f"; on AQ the exception is {'; '.join(aq_exceptions)}" if aq_exceptions else "") + ". Seed 000 reports KWC above both on AQ "
        "in four of its five experiments (p < 0.0005); its exception is also the decoder without transposed convolutions. AQ's PP / RE "
        "term rewards a map that is zero almost everywhere (its masked input compresses well) wherever it lies; RFA is the "
        "localisation term (results-cam.md discusses it).")
    add("")

    # (b)
    sanity = sanity_at_full_depth(cam["sanity_cases"])
    add("## (b) Faithfulness: gradient-based vs perturbation-based methods")
    add("")
    add(f"{args.n} cases (seeds 9000-{9000 + args.n - 1}). Sanity: |Spearman| of |A| with every block randomised, on "
        f"{args.sanity_cases} cases, the trained model's target kept / the randomised model's own target (see *Sanity* below).")
    add("")
    add("| method | family | deletion area (lower better) | insertion area (higher better) | energy inside | AUC | AQ | sanity, target kept | "
        "sanity, own target |")
    add("|---|---|---|---|---|---|---|---|---|")
    fam = {}
    for m in GRADIENT + PERTURBATION:
        family = "gradient" if m in GRADIENT else "perturbation"
        d, i = cell(faith, m, "deletion_area"), cell(faith, m, "insertion_area")
        kept, own, _ = sanity.get(m, ([], [], 0))
        add(f"| {m} | {family} | {fmt(d)} | {fmt(i)} | {fmt(cell(faith, m, 'energy_inside'))} | {fmt(cell(faith, m, 'auc'))} | "
            f"{fmt(cell(faith, m, 'aq'))} | {mean_sd(kept)} | {mean_sd(own)} |")
        if d and i:
            fam.setdefault(family, []).append((d["mean"], i["mean"]))
    add("")
    gd, gi = mean(x[0] for x in fam.get("gradient", [])), mean(x[1] for x in fam.get("gradient", []))
    pd, pi = mean(x[0] for x in fam.get("perturbation", [])), mean(x[1] for x in fam.get("perturbation", []))
    add(f"**Measured.** Mean over the methods of each family: gradient deletion {gd:.3f}, insertion {gi:.3f}; perturbation deletion {pd:.3f}, "
        f"insertion {pi:.3f}. Best deletion: `{faith['best'].get('deletion_area')}`; best insertion: `{faith['best'].get('insertion_area')}`. "
        + ("Perturbation-based maps are the more faithful family on both curves here."
           if pd < gd and pi > gi else "Gradient-based maps are the more faithful family on both curves here."
           if gd < pd and gi > pi else "Neither family is better on both curves here.")
        + " Caveat: the perturbation maps here are coarse (16³ occlusion blocks, 32 supervoxels for LIME and Kernel SHAP), so their "
          "top 5 % of features are whole blocks; finer settings cost more passes. Per-case rows: "
          "`docs/results/faithfulness_evaluation.csv`; pairwise Wilcoxon tests: `docs/results/faithfulness_wilcoxon.csv`.")
    add("")

    # Sanity
    add(f"## Sanity: cascading randomisation, every method, {args.sanity_cases} cases (Adebayo et al. 2018)")
    add("")
    add("What is re-initialised: the network's top-level blocks, from the output end inwards (`model/ParameterRandomisation.h`); "
        "every parameter tensor of a block (convolution weights and biases, normalisation scales and shifts) is replaced by Gaussian "
        "noise with that tensor's own standard deviation (0.02 where it is 0), seeded per block; buffers (running statistics) are "
        "kept. The map is recomputed (1) with the trained model's predicted lesion region kept as the target: does the map change "
        "when only the weights change? and (2) with the randomised model's own prediction as the target: the check as a user meets "
        "it. On segmentation the kept target region alone localises a gradient map, so (1) can stay high for a map that depends on "
        "the weights; (2) removes that, but has no target where the randomised model predicts no lesion. |Spearman| of |A| against "
        "the trained model's map, every block randomised (mean ± sd over cases; low = the map depends on the weights; depth by "
        "depth in results-cam.md):")
    add("")
    add("| method | target kept | own target | cases without a predicted lesion |")
    add("|---|---|---|---|")
    for combo, (kept, own, none) in sanity.items():
        add(f"| {combo} | {mean_sd(kept)} | {mean_sd(own)} | {none} |")
    add("")
    fail_own = [c for c, (k, o, _) in sanity.items() if o and mean(o) > 0.5]
    fail_kept_only = [c for c, (k, o, _) in sanity.items() if mean(k) > 0.5 and c not in fail_own]
    add("**Measured.** With every block randomised, the maps whose |rho| stays above 0.5 even for the randomised model's own target, "
        "and so fail the check on this model: " + (", ".join(f"`{c}`" for c in fail_own) or "none") + ". Above 0.5 only with the "
        "kept target (the region localises them; with the model's own target they change): "
        + (", ".join(f"`{c}`" for c in fail_kept_only) or "none") + ". Adebayo et al. report input-scaled maps (Gradient x Input, "
        "Integrated Gradients) failing in the same way: they follow |x| wherever the gradient is not near zero. So on this model the "
        "most faithful maps by deletion / insertion include the ones that fail the sanity check: high faithfulness alone does not show "
        "that a map explains the model.")
    add("")

    # (c)
    add("## (c) Modality importance: does it identify the informative modality? (seed 002)")
    add("")
    names = [m["name"] for m in mod["modalities"]]
    add("Demo study (`voxplain-cli modalities`, Integrated Gradients, reference lesions as ground truth for both modalities):")
    add("")
    add("| modality | share of abs(A) | Shapley value | Shapley share |")
    add("|---|---|---|---|")
    for m in mod["modalities"]:
        add(f"| {m['name']} | {m['abs_share']:.3f} | {m['shapley']:.1f} | {m['shapley_share']:.3f} |")
    add("")
    add(f"MSFI {mod['msfi']:.3f}; the Shapley values add up to S(x) - S(baseline) = {mod['shapley_sum']:.1f}.")
    add("")
    add("Three models of the same architecture and training (`resources/demo/train_demo_model.py`), each on its own phantoms: the "
        "demo model (lesions need both modalities: the control), and two trained with `--informative flair` and `--informative t1`, "
        "where only that modality shows the lesions and the other shows only distractors (`voxplain-cli phantom --informative`). "
        f"Each is scored on {args.n} phantoms of its kind (seeds 9000-{9000 + args.n - 1}); only the informative modality's deciding "
        "mask is set, so MSFI rewards attribution there. Held-out Dice of the training reports: "
        + ", ".join(f"{INFORMATIVE_LABEL[m]}-only {v['report']['held_out_dice_mean']:.3f}" for m, v in informative.items()) + ". "
        "Shapley share: a modality's exact Shapley value over the sum of both (S(x) - S(baseline)); a share below 0 means that "
        "removing that modality raises the lesion score.")
    add("")
    runs = [("both (demo)", cases, None)] + [(f"{INFORMATIVE_LABEL[m]} only", v["cases"], m) for m, v in informative.items()]
    add("| model | exact modality Shapley share, FLAIR | T1 | informative modality largest | Dice on these cases |")
    add("|---|---|---|---|---|")
    for label, cs, which in runs:
        top = [names[largest(c["shapley"])] for c in cs]
        named = "-" if which is None else f"{sum(t.lower() == which for t in top)}/{len(cs)}"
        add(f"| {label} | {mean_sd(shapley_shares(cs, 0))} | {mean_sd(shapley_shares(cs, 1))} | {named} | "
            f"{mean_sd([c['dice'] for c in cs])} |")
    add("")
    add("Per method: the mean share of |A| in the informative modality (for the demo model, which has none, the share of "
        "FLAIR), the cases where the modality with the larger share of |A| is the one with the larger exact Shapley value, and MSFI:")
    add("")
    add("| method | " + " | ".join(f"{label}: share / agreement / MSFI" for label, _, _ in runs) + " |")
    add("|---|" + "---|" * len(runs))
    for method in GRADIENT + PERTURBATION:
        cells = []
        for label, cs, which in runs:
            k = 0 if which in (None, "flair") else 1
            share, agree, msfi = [], 0, []
            for c in cs:
                row = next((r for r in c["rows"] if r["combo"] == method), None)
                if row is None:
                    continue
                share.append(row["abs_share"][k])
                agree += largest(row["abs_share"]) == largest(c["shapley"])
                if row.get("msfi") is not None:
                    msfi.append(row["msfi"])
            cells.append(f"{mean(share):.2f} / {agree}/{len(share)} / {mean(msfi):.3f}" if share else "-")
        add(f"| {method} | " + " | ".join(cells) + " |")
    add("")
    # What the informative models show, from the same numbers.
    found, missed, shapley_text = [], [], []
    for m, v in informative.items():
        k = 0 if m == "flair" else 1
        cs = v["cases"]
        shapley_text.append(f"on the {names[k]}-only model the exact Shapley share of {names[k]} is {mean(shapley_shares(cs, k)):.3f} ({names[k]} the "
                            f"larger value in {sum(largest(c['shapley']) == k for c in cs)}/{len(cs)} cases)")
        for method in GRADIENT + PERTURBATION:
            rows = rows_of(cs, method)
            majority = sum(r["abs_share"][k] > 0.5 for r in rows)
            (found if rows and majority == len(rows) else missed).append((method, INFORMATIVE_LABEL[m], majority, len(rows)))
    all_found = sorted({x[0] for x in found} - {x[0] for x in missed}, key=(GRADIENT + PERTURBATION).index)
    msfi_rank = []
    for m, v in informative.items():
        by_method = {method: mean(r["msfi"] for r in rows_of(v["cases"], method) if r.get("msfi") is not None)
                     for method in GRADIENT + PERTURBATION}
        ranked = sorted(by_method, key=by_method.get, reverse=True)
        msfi_rank.append(f"{INFORMATIVE_LABEL[m]}-only model: highest `{ranked[0]}` {by_method[ranked[0]]:.3f}, lowest `{ranked[-1]}` "
                         f"{by_method[ranked[-1]]:.3f}")
    msfi_text = ("MSFI (mean over the cases) on the " + "; ".join(msfi_rank) + ". MSFI also asks that |A| stay on the "
                 "deciding voxels: the perturbation maps, made of 32 supervoxels or 16³ blocks, spread it beyond the lesions.")
    demo_flair = shapley_shares(cases, 0)
    demo_gradient = [mean(r["abs_share"][0] for r in rows_of(cases, method)) for method in GRADIENT]
    text = "; ".join(shapley_text)
    add("**Measured.** " + text[:1].upper() + text[1:] + f"; on the demo model, which needs both, FLAIR's share is "
        f"{mean(demo_flair):.3f}. Methods that put most of |A| in the informative modality in every case of both informative models: "
        + (", ".join(f"`{x}`" for x in all_found) or "none")
        + (". Not in every case: " + ", ".join(f"`{x[0]}` on the {x[1]}-only model ({x[2]}/{x[3]})" for x in missed) if missed else "")
        + (". So where one modality carries the label, the share of |A| of every method names it, as seed 002 reports"
           if not missed else ". So where one modality carries the label, the share of |A| names it for the methods listed first")
        + (f"; where both are needed (the demo model), the gradient maps still favour one modality (FLAIR's share of |A| "
           f"{min(demo_gradient):.2f}-{max(demo_gradient):.2f}) while the exact Shapley values split: a share of |A| measures "
           "sensitivity, not reliance, and cannot show that two modalities are needed. " if any(abs(x - 0.5) > 0.15 for x in demo_gradient)
           else "; where both are needed (the demo model), the gradient maps split |A| about evenly, as the Shapley values do. ")
        + msfi_text)
    add("")

    # (d)
    add("## (d) Instance saliency: correct vs incorrect instances, and the sign pattern (seed 004)")
    add("")
    f = instance_findings(reports)
    tp, fp, fn, n_inst, sign_inside, sign_ring, share = f["tp"], f["fp"], f["fn"], f["n"], f["inside"], f["ring"], f["share"]
    add(f"{len(reports)} synthetic cases at the training size (64 x 64 x 48, seeds 9200-{9200 + len(reports) - 1}), `voxplain-cli instances "
        f"--method saliency --reference lesions.nii.gz`: {n_inst} predicted instances, {len(tp)} true positives, {len(fp)} false positives, "
        f"{fn} false negatives (TP: Dice >= 0.1 with a reference lesion).")
    add("")
    add_instance_table(add, f)
    if len(fp) < 30:
        add(f"With {len(fp)} false positives this set is too small for the TP / FP comparison; (e) is the set made for it "
            "(at least 30 false positives).")
        add("")
    larger = max(names, key=lambda n: mean(share[n]))
    add("Seed 004 found positive saliency inside lesions and negative saliency in the rim, and FLAIR relied on more than MPRAGE. "
        f"Here {sign_inside[names[0]]}/{len(tp)} TP have a positive mean {names[0]} gradient inside and {sign_ring[names[0]]}/{len(tp)} "
        f"a negative one in the ring (the seed's pattern); for {names[1]} the inside sign is negative in "
        f"{len(tp) - sign_inside[names[1]]}/{len(tp)}, as expected because the phantom's lesions are dark in {names[1]} (a lower "
        f"intensity raises the lesion score). The modality with the larger share of |saliency| inside TP is {larger} "
        f"({mean(share[larger]):.2f}), while the exact Shapley values of (c) split the reliance about evenly: gradient shares are "
        "sensitivities, so the seed's \"FLAIR relied on more\" cannot be read from them alone.")
    add("")

    # (e) realistic cases.
    add("## (e) Instance saliency on realistic brain cases: a false-positive-rich set (seed 004, brain model)")
    add("")
    b = instance_findings(brain_reports)
    add(f"{len(brain_reports)} realistic cases (`voxplain-cli phantom --anatomy ch2bet.nii.gz`, 2 mm, seeds {BRAIN_SEEDS[0]}-{BRAIN_SEEDS[-1]}: "
        "mricron-data's ch2 T1 deformed, a FLAIR-like contrast, white-matter lesions bright in FLAIR and dark or faint in T1, "
        "FLAIR-bright distractors that are not lesions), the demo brain model (`resources/demo/brain_unet.json`), `voxplain-cli instances "
        f"--method saliency --reference lesions.nii.gz`: {b['n']} predicted instances, {len(b['tp'])} true positives, {len(b['fp'])} false "
        f"positives, {b['fn']} false negatives. Raw: `results/brain_instances.json`.")
    add("")
    add_instance_table(add, b)
    if b["tp"]:
        flair, t1 = b["names"][0], b["names"][1]
        add(f"On these cases {b['inside'][flair]}/{len(b['tp'])} TP have a positive mean {flair} gradient inside and "
            f"{b['ring'][flair]}/{len(b['tp'])} a negative one in the ring; {len(b['tp']) - b['inside'][t1]}/{len(b['tp'])} have a negative "
            f"mean {t1} gradient inside (the lesions are dark or faint in {t1}). Unlike the sphere phantoms, lesions here sit against "
            "ventricles and grey matter, and distractors are as bright in FLAIR as lesions.")
        add("")

    # Cohort figure.
    add("## Agg²Exp over the cohort (seed 001)")
    add("")
    c = next((x for x in merged["cells"] if x["target"] == "lesion" and x["segment"] == "lesion" and x["modality"] == "all"), None)
    if c:
        add(f"`voxplain-cli aggregate --shard I/4` on the {len(merged['cases'])} cases above, then `merge`: the predicted lesions hold "
            f"{c['share']['mean']:.3f} ± {c['share']['sd']:.3f} of the lesion class's |saliency| (n = {c['share']['n']}); the rest is in "
            "the background segment.")
    add("")
    add("![segment importance](results/cohort_matrix.png)")
    add("")
    add("![modality importance](results/cohort_modalities.png)")
    add("")
    add("## Reproduce")
    add("")
    add("The whole page (resumes the stored cases under `--work`):")
    add("")
    add("```sh")
    add("/usr/bin/python3 tools/make_results.py --cli build/app/voxplain-cli")
    add("```")
    add("")
    add("The evaluate runs it makes, one per line; the CAM comparison as shards (run them in parallel, e.g. a Slurm job array "
        "or GNU parallel, then merge):")
    add("")
    add("```sh")
    for c in cam["shard_commands"] + cam["sanity_commands"] + [commands["faithfulness"]] + commands["informative"]:
        add(shown(c))
    add("```")
    add("")
    add("The informative-modality models (about 10 min each on 2 cores):")
    add("")
    add("```sh")
    for m in INFORMATIVE_MODELS:
        add(f"/usr/bin/python3 resources/demo/train_demo_model.py --cli build/app/voxplain-cli --out resources/demo --informative {m}")
    add("```")
    add("")
    with open(os.path.join(ROOT, "docs", "results.md"), "w") as f:
        f.write("\n".join(L) + "\n")
    print("wrote docs/results.md")


if __name__ == "__main__":
    main()
