#!/usr/bin/env python3
"""voxplain-cli report on the demo study written as DICOM (FLAIR, T1, with a patient name, ID and
birth date) and as NIfTI:

- exit 0 and every file the command lists exists: README, prediction, maps, CSV/JSON tables,
  SVG (and PNG) figures, and for DICOM inputs a DICOM SEG and one Parametric Map per modality;
- the CSV tables parse (RFC 4180) and hold the JSON tables' numbers;
- one PNG slice picture per explained class and modality (figures/slices_<class>_<modality>.png, a
  real 8-bit RGB PNG of at least 100 px), each shown in the README;
- the README names the model's SHA-256, the method and its parameters, and nothing of the patient
  (name, ID, birth date) nor the machine's folders; the DICOM objects carry no patient identity;
- a second run into the same folder is refused (exit 2) and leaves the files as they were;
- NIfTI inputs give the report without DICOM objects, saying why.

    check_report_cli.py CLI MODEL FLAIR.nii.gz T1.nii.gz OUT_DIR
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

import pydicom
from pydicom.uid import generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "io"))
from check_dicom_export_cli import PATIENT, write_series  # noqa: E402


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def report(cli, model, inputs, out):
    command = [cli, "report", "--model", model, "--method", "saliency", "--out", out, "--json"]
    for path in inputs:
        command += ["--input", path]
    return subprocess.run(command, capture_output=True, text=True)


PNG_FIGURES = True  # the build writes a PNG beside each SVG figure (argument 6: png | svg-only)


def check_folder(out, record, dicom, private_strings):
    files = record["files"]
    for name in files:
        if not os.path.isfile(os.path.join(out, name)):
            fail(f"{name} is listed but missing")
    expected = ["README.md", "prediction.nii.gz", "modality_importance.csv", "modality_importance.json",
                "segment_importance.csv", "segment_importance.json", "case.json", "figures/modality_importance.svg",
                "figures/segment_importance.svg", "figures/segment_matrix.svg"]
    if dicom:
        expected += ["dicom/segmentation.dcm", "dicom/saliency_FLAIR.dcm", "dicom/saliency_T1.dcm"]
    for name in expected:
        if name not in files:
            fail(f"{name} missing from the report ({files})")
    if not any(name.startswith("maps/") for name in files):
        fail("no maps in the report")
    # PNG beside every SVG figure when this build renders them (with Qt Svg; not the core-only or
    # sanitized builds).
    for name in files:
        if name.endswith(".svg") and PNG_FIGURES and not os.path.isfile(os.path.join(out, name[:-4] + ".png")):
            fail(f"{name} has no PNG")

    modalities = json.load(open(os.path.join(out, "modality_importance.json")))
    readme = open(os.path.join(out, "README.md")).read()
    for m in modalities["modalities"]:
        slices = [n for n in files if n.startswith("figures/slices_") and n.endswith("_" + m["name"] + ".png")]
        if not slices:
            fail(f"no slice picture of {m['name']} ({files})")
        for name in slices:
            with open(os.path.join(out, name), "rb") as f:
                head = f.read(26)
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            if head[:8] != b"\x89PNG\r\n\x1a\n" or head[24] != 8 or head[25] != 2 or min(width, height) < 100:
                fail(f"{name} is not an 8-bit RGB PNG of at least 100 px ({head!r})")
            if f"]({name})" not in readme:
                fail(f"the README does not show {name}")
    with open(os.path.join(out, "modality_importance.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if [r["modality"] for r in rows] != [m["name"] for m in modalities["modalities"]]:
        fail(f"modality_importance.csv rows {rows} do not follow the JSON")
    for row, m in zip(rows, modalities["modalities"]):
        for key in ("abs_share", "shapley", "shapley_share"):
            if abs(float(row[key]) - m[key]) > 1e-6 * max(1.0, abs(m[key])):
                fail(f"modality_importance.csv {key} {row[key]} differs from the JSON's {m[key]}")
    segments = json.load(open(os.path.join(out, "segment_importance.json")))
    with open(os.path.join(out, "segment_importance.csv"), newline="") as f:
        cells = list(csv.DictReader(f))
    if len(cells) != len(segments["cells"]):
        fail("segment_importance.csv does not have one row per cell")
    for row, cell in zip(cells, segments["cells"]):
        if row["segment"] != cell["segment"] or abs(float(row["share"]) - cell["share"]) > 1e-6:
            fail(f"segment_importance.csv row {row} differs from the JSON cell {cell}")

    if not re.search(r"Model SHA-256 \| `[0-9a-f]{64}`", readme):
        fail("the README does not name the model's SHA-256")
    if "saliency" not in readme or "Parameters" not in readme:
        fail("the README does not name the method and its parameters")
    for secret in private_strings:
        if secret in readme:
            fail(f"the README contains '{secret}'")
    if dicom:
        for name in ("dicom/segmentation.dcm", "dicom/saliency_FLAIR.dcm"):
            ds = pydicom.dcmread(os.path.join(out, name))
            for key in PATIENT:
                if str(ds.get(key, "")):
                    fail(f"{name}: {key} is '{ds.get(key)}' (must be empty)")
    return readme


def main():
    global PNG_FIGURES
    cli, model, flair, t1, out = sys.argv[1:6]
    PNG_FIGURES = len(sys.argv) < 7 or sys.argv[6] == "png"
    shutil.rmtree(out, ignore_errors=True)
    study, frame_of_reference = generate_uid(), generate_uid()
    dicom = [os.path.join(out, "dicom_study", name) for name in ("FLAIR", "T1")]
    write_series(flair, dicom[0], "FLAIR", study, frame_of_reference, 1)
    write_series(t1, dicom[1], "T1", study, frame_of_reference, 2)
    private = list(PATIENT.values()) + [os.path.abspath(out), os.path.dirname(os.path.abspath(flair))]

    folder = os.path.join(out, "report_dicom")
    result = report(cli, model, dicom, folder)
    if result.returncode != 0:
        fail(f"report on DICOM exited {result.returncode}: {result.stderr}")
    check_folder(folder, json.loads(result.stdout), True, private)
    print(f"DICOM study: {len(json.loads(result.stdout)['files'])} files checked")

    before = {n: os.path.getmtime(os.path.join(folder, n)) for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n))}
    again = report(cli, model, dicom, folder)
    if again.returncode != 2 or "already holds files" not in again.stderr:
        fail(f"a second report into the same folder: exit {again.returncode}, {again.stderr}")
    after = {n: os.path.getmtime(os.path.join(folder, n)) for n in before}
    if after != before:
        fail("the refused run changed the report's files")

    folder = os.path.join(out, "report_nifti")
    result = report(cli, model, [flair, t1], folder)
    if result.returncode != 0:
        fail(f"report on NIfTI exited {result.returncode}: {result.stderr}")
    readme = check_folder(folder, json.loads(result.stdout), False, private)
    if "no DICOM objects: demo_flair.nii.gz" not in readme:
        fail("the NIfTI report does not say why it has no DICOM objects")
    print("NIfTI study: report without DICOM, reason given")
    print("OK")


if __name__ == "__main__":
    main()
