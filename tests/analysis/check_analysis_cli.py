#!/usr/bin/env python3
"""The analysis commands of voxplain-cli, end to end.

    check_analysis_cli.py cohort CLI MODEL OUT     20 synthetic cases, aggregate in 4 shards, merge;
                                                   resume, overlapping shards, a bad case
    check_analysis_cli.py demo CLI MODEL OUT       aggregate (one case) and modalities with MSFI on the
                                                   demo's sphere phantom at 64x64x48
    check_analysis_cli.py evaluate CLI MODEL OUT   evaluate on 2 small cases; resume; other options refused;
                                                   two shards merged equal the whole run
    check_analysis_cli.py informative CLI MODEL_DIR OUT   the FLAIR-only and T1-only demo models rely on their
                                                   modality (exact Shapley share > 0.8 on a phantom of their kind;
                                                   the demo model, which needs both, has about 0.5)
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run(command, expect=0):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != expect:
        fail(f"{' '.join(command)} exited {result.returncode}, expected {expect}\n{result.stdout}\n{result.stderr}")
    return result


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def cohort(cli, model, out):
    fresh(out)
    rows = []
    for i in range(20):
        folder = os.path.join(out, "data", f"sub-{i:02d}")
        run([cli, "phantom", "--seed", str(9100 + i), "--size", "40,40,32", "--out", folder])
        rows.append((f"sub-{i:02d}", f"data/sub-{i:02d}/flair.nii.gz", f"data/sub-{i:02d}/t1.nii.gz"))
    table = os.path.join(out, "cases.csv")
    with open(table, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "FLAIR", "T1"])  # relative paths: resolved against the table's folder
        w.writerows(rows)
    shards = []
    for s in range(1, 5):
        d = os.path.join(out, f"shard{s}")
        r = run([cli, "aggregate", "--cases", table, "--model", model, "--method", "saliency", "--shapley",
                 "--shard", f"{s}/4", "--out", d])
        if "5 case(s) done" not in r.stdout:
            fail(f"shard {s}: {r.stdout}")
        if len(os.listdir(os.path.join(d, "cases"))) != 5:
            fail(f"shard {s} did not write 5 case results")
        shards.append(d)
    # A shard that is run again keeps its results (resumable).
    r = run([cli, "aggregate", "--cases", table, "--model", model, "--method", "saliency", "--shapley", "--shard", "1/4", "--out", shards[0]])
    if "0 case(s) done, 5 already there" not in r.stdout:
        fail("re-running a shard recomputed its cases: " + r.stdout)
    merged = os.path.join(out, "merged")
    r = run([cli, "merge", *shards, "--out", merged, "--json"])
    summary = json.loads(r.stdout)
    if len(summary["cases"]) != 20:
        fail(f"merged {len(summary['cases'])} cases, expected 20")
    cell = next(c for c in summary["cells"] if c["target"] == "lesion" and c["segment"] == "lesion" and c["modality"] == "all")
    if cell["share"]["n"] != 20 or not 0 < cell["share"]["mean"] < 1 or cell["share"]["sd"] <= 0:
        fail(f"lesion x lesion cell: {cell['share']}")
    shares = [c["share"]["mean"] for c in summary["cells"] if c["target"] == "lesion" and c["modality"] == "all"]
    if abs(sum(shares) - 1) > 1e-6:
        fail(f"the segment shares of one class do not add up to 1: {shares}")
    mods = {m["name"]: m for m in summary["modality_importance"]}
    if set(mods) != {"FLAIR", "T1"} or mods["FLAIR"]["shapley"]["n"] != 20:
        fail(f"modality importance: {summary['modality_importance']}")
    for f in ("segment_importance.csv", "segment_importance.json", "matrix.svg", "bars_lesion.svg", "modalities.svg"):
        if not os.path.getsize(os.path.join(merged, f)):
            fail(f"{f} missing or empty")
    with open(os.path.join(merged, "segment_importance.csv")) as f:
        if len(list(csv.DictReader(f))) != len(summary["cells"]):
            fail("segment_importance.csv does not have one row per cell")
    # Overlapping shards are refused, naming the duplicate case.
    r = run([cli, "merge", shards[0], shards[0], "--out", os.path.join(out, "dup")], expect=2)
    if "appears twice" not in r.stderr:
        fail("merging a shard twice: " + r.stderr)
    # A case whose image is missing is reported with its file, the others are still done.
    bad = os.path.join(out, "bad.csv")
    with open(bad, "w") as f:
        f.write("case,FLAIR,T1\nok,data/sub-00/flair.nii.gz,data/sub-00/t1.nii.gz\nmissing,data/nope.nii.gz,data/sub-01/t1.nii.gz\n")
    r = run([cli, "aggregate", "--cases", bad, "--model", model, "--method", "saliency", "--out", os.path.join(out, "bad")], expect=2)
    if "nope.nii.gz" not in r.stderr or not os.path.exists(os.path.join(out, "bad", "cases", "ok.json")):
        fail("a bad case must be reported by file and not stop the others: " + r.stderr)
    print("cohort: 20 cases in 4 shards merged; resume, overlap and bad-case checks passed")


def demo(cli, model, out):
    """On the demo's sphere phantom (seed 7) at 64x64x48: 4 patches a pass where the 96x96x64 demo
    needs 18."""
    fresh(out)
    study = os.path.join(out, "study")
    run([cli, "phantom", "--seed", "7", "--size", "64,64,48", "--out", study])
    flair, t1, lesions = (os.path.join(study, f) for f in ("flair.nii.gz", "t1.nii.gz", "lesions.nii.gz"))
    table = os.path.join(out, "cases.csv")
    with open(table, "w") as f:
        f.write(f"case,FLAIR,T1\ndemo,{flair},{t1}\n")
    run([cli, "aggregate", "--cases", table, "--model", model, "--method", "integrated_gradients", "--param", "steps=8",
         "--out", os.path.join(out, "aggregate")])
    with open(os.path.join(out, "aggregate", "segment_importance.json")) as f:
        s = json.load(f)
    if s["cases"] != ["demo"] or s["targets"] != ["lesion"] or s["segments"] != ["background", "lesion"]:
        fail(f"demo aggregate: {s['cases']} {s['targets']} {s['segments']}")
    r = run([cli, "modalities", "--model", model, "--input", flair, "--input", t1, "--reference", lesions,
             "--param", "steps=8", "--out", os.path.join(out, "modalities"), "--json"])
    m = json.loads(r.stdout)
    phi = [x["shapley"] for x in m["modalities"]]
    if abs(sum(phi) - m["shapley_sum"]) > 1e-6 * max(1, abs(m["shapley_sum"])):
        fail("Shapley values do not add up")
    if not 0 <= m["msfi"] <= 1 or abs(sum(x["abs_share"] for x in m["modalities"]) - 1) > 1e-9:
        fail(f"MSFI or shares out of range: {m}")
    for f in ("modalities.json", "modalities.csv", "modalities.svg", "modalities_shapley.svg"):
        if not os.path.exists(os.path.join(out, "modalities", f)):
            fail(f"{f} missing")
    print(f"demo: aggregate and modalities (MSFI {m['msfi']:.3f}) passed")


def informative(cli, model_dir, out):
    fresh(out)
    for which, name in (("flair", "FLAIR"), ("t1", "T1")):
        case = os.path.join(out, which)
        run([cli, "phantom", "--seed", "9000", "--size", "48,48,48", "--informative", which, "--out", case])
        r = run([cli, "modalities", "--model", os.path.join(model_dir, f"demo_unet_{which}_only.json"), "--input",
                 os.path.join(case, "flair.nii.gz"), "--input", os.path.join(case, "t1.nii.gz"), "--mask",
                 os.path.join(case, "deciding_flair.nii.gz"), "--mask", os.path.join(case, "deciding_t1.nii.gz"),
                 "--method", "saliency", "--out", os.path.join(case, "modalities"), "--json"])
        shares = {x["name"]: x["shapley_share"] for x in json.loads(r.stdout)["modalities"]}
        if shares[name] < 0.8:
            fail(f"the {name}-only model should rely on {name}: Shapley shares {shares}")
        print(f"informative: the {name}-only model's Shapley share of {name} is {shares[name]:.3f}")


def evaluate(cli, model, out):
    fresh(out)
    base = [cli, "evaluate", "--suite", "synthetic", "--n", "2", "--model", model, "--methods", "saliency,gradcam",
            "--layers", "encoder", "--size", "32,32,32", "--deletion-steps", "4", "--sanity-cases", "1", "--out", out]
    run(base)
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)["summary"]
    combos = [c["combo"] for c in summary["combos"]]
    if combos != ["saliency", "gradcam[encoder]"]:
        fail(f"combinations: {combos}")
    for c in summary["combos"]:
        for metric in ("energy_inside", "auc", "aq", "pp", "re", "rfa", "msfi", "deletion_area", "insertion_area"):
            if c[metric]["n"] != 2:
                fail(f"{c['combo']} {metric}: {c[metric]}")
        if c["sanity_rho"]["n"] != 1:
            fail("sanity is measured on the first case only")
    with open(os.path.join(out, "cases", "case_0.json")) as f:
        for row in json.load(f)["rows"]:
            sanity = row["sanity"]
            if len(sanity["rho_own_target"]) != len(sanity["rho"]) or len(sanity["rho"]) < 2:
                fail(f"{row['combo']}: sanity at each depth with both targets expected: {sanity}")
            if any(r is not None and not -1 <= r <= 1 for r in sanity["rho"] + sanity["rho_own_target"]):
                fail(f"{row['combo']}: a rank correlation outside [-1, 1]: {sanity}")
    with open(os.path.join(out, "evaluation.csv")) as f:
        if len(list(csv.DictReader(f))) != 4:
            fail("evaluation.csv: one row per case and combination expected")
    with open(os.path.join(out, "summary.md")) as f:
        if "| saliency |" not in f.read():
            fail("summary.md has no row for saliency")
    r = run(base)
    if "(2 resumed)" not in r.stdout:
        fail("a finished run must resume from its stored cases: " + r.stdout)
    other = [x if x != "saliency,gradcam" else "saliency" for x in base]
    r = run(other, expect=2)
    if "other options" not in r.stderr:
        fail("stored cases made with other options must not be mixed in: " + r.stderr)
    r = run(base + ["--informative", "flair"], expect=2)
    if "other options" not in r.stderr:
        fail("cases of the both-modality phantom must not be mixed with FLAIR-only ones: " + r.stderr)
    informative = os.path.join(out, "informative")
    command = [x if x != out else informative for x in base] + ["--informative", "flair"]
    command[command.index("--n") + 1] = "1"
    run(command)
    with open(os.path.join(informative, "cases", "case_0.json")) as f:
        record = json.load(f)
    if record.get("informative") != "flair" or record["config"].get("informative") != "flair":
        fail("a FLAIR-only evaluation must say so in its case record and config")
    # Ctrl-C after the first case: exit 130, the finished case stays, the next run resumes from it.
    stopped = os.path.join(out, "stopped")
    command = [x if x != out else stopped for x in base]
    command[command.index("--n") + 1] = "3"
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = os.path.join(stopped, "cases", "case_0.json")
    deadline = time.time() + 300
    while not os.path.exists(first) and process.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    if not os.path.exists(first):
        process.kill()
        fail("the first case was not stored")
    process.send_signal(signal.SIGINT)
    try:
        rc = process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        fail("evaluate did not stop within 30 s of Ctrl-C")
    if rc not in (130, 0):  # 0 only if it had finished all 3 cases before the signal arrived
        fail(f"evaluate exited {rc} after Ctrl-C, expected 130")
    r = run(command)
    if "resumed" not in r.stdout or "(0 resumed)" in r.stdout:
        fail("after Ctrl-C the next run must resume from the stored cases: " + r.stdout)
    # Two shards, then --merge: the same cases and summary as the whole run; a missing shard is named.
    shards = []
    for s in (1, 2):
        d = os.path.join(out, f"shard{s}")
        command = [x if x != out else d for x in base] + ["--shard", f"{s}/2"]
        r = run(command)
        if "1 case(s) done" not in r.stdout or os.path.exists(os.path.join(d, "summary.json")):
            fail(f"shard {s}/2 must compute its one case and write no summary: {r.stdout}")
        shards.append(d)
    merged = os.path.join(out, "merged")
    r = run([x if x != out else merged for x in base] + ["--merge"] + shards)
    if "(2 resumed)" not in r.stdout:
        fail("--merge must gather both shards' cases: " + r.stdout)
    with open(os.path.join(merged, "summary.json")) as f:
        merged_summary = json.load(f)["summary"]
    for a, b in zip(summary["combos"], merged_summary["combos"]):
        for metric in ("energy_inside", "auc", "aq", "msfi"):
            if abs(a[metric]["mean"] - b[metric]["mean"]) > 1e-4:
                fail(f"merged shards differ from the whole run: {a['combo']} {metric} {a[metric]} vs {b[metric]}")
    lone = os.path.join(out, "lone")
    r = run([x if x != out else lone for x in base] + ["--merge", shards[0]], expect=2)
    if "1 of the 2 cases are in none of the folders (case 1)" not in r.stderr:
        fail("a merge without a shard must name the missing case: " + r.stderr)
    r = run([x if x != "saliency,gradcam" else "saliency,sailency" for x in base], expect=2)
    if "--methods sailency: unknown method" not in r.stderr:
        fail("an unknown method must be refused naming --methods and the method: " + r.stderr)
    r = run(base + ["--shard", "3/2"], expect=2)
    if "--shard" not in r.stderr:
        fail("a shard outside 1..N must be refused naming --shard: " + r.stderr)
    print("evaluate: 2 cases x 2 combinations, resume, option, informative modality, Ctrl-C, shard and merge checks passed")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    {"cohort": cohort, "demo": demo, "evaluate": evaluate, "informative": informative}[mode](*args)
