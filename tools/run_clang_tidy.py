#!/usr/bin/python3
"""Runs clang-tidy (the rule set of .clang-tidy) on C++ units and fails on any finding.

Which units (of core/, render/, ui/, app/): those a range of commits changed (--base REV, default HEAD~1: the last commit), or
every unit (--all). Units that reach a LibTorch header are skipped unless --with-torch: clang-tidy
spends one to two minutes on each of them on 2 cores, against a few seconds for the others (Qt,
VTK, ITK), which would double CI's time; run them with --with-torch before a release.

Needs a compile database of a build without unity batches (clang-tidy reads each unit's own
flags): setup.sh configures one with
  cmake -S . -B build-tidy -DVOXPLAIN_UNITY_BUILD=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

Usage: run_clang_tidy.py BUILD_DIR [--base REV | --all] [--with-torch] [-j N]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_torch_free import torch_chain  # noqa: E402


def changed_units(root, base):
    try:
        out = subprocess.run(["git", "-C", str(root), "diff", "--name-only", "--diff-filter=AM", base, "HEAD"],
                             check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError:
        print(f"clang-tidy: {base} is not in this clone (a shallow clone?): nothing to check")
        return []
    return [root / line for line in out.splitlines() if line.endswith(".cpp")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build")
    parser.add_argument("--base", default="HEAD~1")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--with-torch", action="store_true")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    tidy = shutil.which("clang-tidy-14") or shutil.which("clang-tidy")
    if not tidy:
        print("clang-tidy-14 is not installed (./setup.sh installs it)")
        return 1
    database = Path(args.build) / "compile_commands.json"
    if not database.is_file():
        print(f"{database}: no compile database (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)")
        return 1
    compiled = {Path(entry["file"]).resolve() for entry in json.loads(database.read_text())}
    units = sorted(compiled) if args.all else [u.resolve() for u in changed_units(root, args.base)]
    # The project's own units (tests include generated .moc files a configure-only tree lacks).
    folders = [root / f for f in ("core", "render", "ui", "app")]
    units = [u for u in units if u in compiled and any(f in u.parents for f in folders)]
    memo = {}
    skipped = [u for u in units if not args.with_torch and torch_chain(root, u, memo, set())]
    units = [u for u in units if u not in skipped]

    def run(unit):
        result = subprocess.run([tidy, "-p", str(args.build), "--quiet", str(unit)], capture_output=True, text=True)
        findings = [line for line in result.stdout.splitlines() if ": error:" in line or ": warning:" in line]
        return unit, result.returncode, findings

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        for unit, code, findings in pool.map(run, units):
            if code != 0 or findings:
                failed += 1
                print(f"{unit.relative_to(root)}:")
                for line in findings:
                    print("  " + line.replace(str(root) + "/", ""))
    print(f"clang-tidy: {len(units)} unit(s) checked, {failed} with findings, {len(skipped)} LibTorch unit(s) "
          f"skipped{' (--with-torch checks them)' if skipped else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
