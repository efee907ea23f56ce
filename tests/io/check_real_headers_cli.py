#!/usr/bin/env python3
"""voxplain-cli on real DICOM series whose headers are what anonymisers and converters leave behind.

The series are the real ones of shared/data (GE CT, GE oblique MR, Siemens enhanced multi-frame MR),
copied and then changed by pydicom here, the way real exports lose attributes:

- "stripped": no Frame of Reference UID and none of the Type 2 attributes Accession Number,
  Referring Physician's Name, Patient's Sex, Position Reference Indicator, Study ID. predict
  --dicom-seg and explain --dicom-pmap must write objects that dciodvfy (dicom3tools) reports no
  error for and pydicom reads; the new Frame of Reference is said on stderr and in the Series
  Description;
- "no SOP class": (0008,0016) removed from every dataset, the file meta header keeps Media Storage
  SOP Class UID: the series loads (with a note) and its SEG references the meta header's class;
- "no study UID": Study Instance UID removed: the SEG is refused with exit 2, naming the attribute
  and the source file;
- two inputs in folders both called DICOM: named by their Series Descriptions; the same Series
  Description twice is refused naming both inputs and the NAME=PATH form, and NAME=PATH works.

The models are bare TorchScript files written here (class 1 where an input is above its mean), so
no project model is involved. Every input stays byte-for-byte unchanged.

    check_real_headers_cli.py CLI SHARED_DATA_DIR DCIODVFY OUT_DIR
"""
import os
import shutil
import sys

import pydicom
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_checks import checksums, dciodvfy_errors, fail, run  # noqa: E402

SERIES = {
    "ct": "dicom/ct_ge_tiny_5slice/series",
    "mr_oblique": "dicom/mr_ge_sag_oblique_4slice/series",
    "mr_enhanced": "dicom/mr_siemens_enhanced_multiframe/series",
}
TYPE2_DROPPED = ["AccessionNumber", "ReferringPhysicianName", "PatientSex", "PositionReferenceIndicator", "StudyID"]




class AboveMean(nn.Module):
    """Two classes; class 1 where the channel sum is above its mean over the patch."""

    def __init__(self, channels: int):
        super().__init__()
        self.mix = nn.Conv3d(channels, 1, 1, bias=False)
        nn.init.constant_(self.mix.weight, 1.0)

    def forward(self, x):
        y = self.mix(x)
        y = y - y.mean(dim=(2, 3, 4), keepdim=True)
        return torch.cat([torch.zeros_like(y), y], 1)


def write_model(path, channels):
    torch.jit.script(AboveMean(channels).eval()).save(path)




def rewrite(source, target, change):
    """Copies every DICOM file of `source` into `target`, applying `change(dataset)` to each."""
    os.makedirs(target, exist_ok=True)
    for n, name in enumerate(sorted(os.listdir(source))):
        ds = pydicom.dcmread(os.path.join(source, name))
        change(ds)
        ds.save_as(os.path.join(target, f"{n + 1:04d}.dcm"))


def strip_frame_and_type2(ds):
    for key in ["FrameOfReferenceUID"] + TYPE2_DROPPED:
        if key in ds:
            delattr(ds, key)


def strip_sop_class(ds):
    del ds.SOPClassUID


def strip_study_uid(ds):
    del ds.StudyInstanceUID






def check_object(dciodvfy, path, what):
    errors = dciodvfy_errors(dciodvfy, path)
    if errors:
        fail(f"dciodvfy on {what} ({path}):\n" + "\n".join(errors))
    ds = pydicom.dcmread(path)
    ds.pixel_array  # decodes every frame
    return ds


def check_new_frame_of_reference(ds, stderr, what):
    if not ds.get("FrameOfReferenceUID"):
        fail(f"{what}: no Frame of Reference UID written")
    if "new Frame of Reference" not in ds.SeriesDescription:
        fail(f"{what}: the Series Description '{ds.SeriesDescription}' does not say the Frame of Reference is new")
    if "no Frame of Reference UID" not in stderr:
        fail(f"{what}: stderr does not say the source has no Frame of Reference UID:\n{stderr}")


def export_both(cli, model, folder, out, what):
    """predict --dicom-seg and explain --dicom-pmap on one series; returns (SEG path, PMap path, stderr)."""
    seg = os.path.join(out, what + "_seg.dcm")
    result = run([cli, "predict", "--model", model, "--input", folder, "--out", os.path.join(out, what + ".nii.gz"),
                  "--dicom-seg", seg])
    if result.returncode != 0:
        fail(f"predict --dicom-seg on {what} exited {result.returncode}: {result.stderr}")
    stderr = result.stderr
    maps = os.path.join(out, what + "_pmaps")
    result = run([cli, "explain", "--model", model, "--input", folder, "--method", "saliency", "--target", "class=1",
                  "--out", os.path.join(out, what + "_maps"), "--dicom-pmap", maps])
    if result.returncode != 0:
        fail(f"explain --dicom-pmap on {what} exited {result.returncode}: {result.stderr}")
    pmaps = [os.path.join(maps, n) for n in os.listdir(maps) if n.endswith(".dcm")]
    if len(pmaps) != 1:
        fail(f"{what}: expected one Parametric Map, found {pmaps}")
    return seg, pmaps[0], stderr + result.stderr


def main():
    cli, data, dciodvfy, out = sys.argv[1:5]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    one, two = os.path.join(out, "above_mean_1.pt"), os.path.join(out, "above_mean_2.pt")
    write_model(one, 1)
    write_model(two, 2)
    sources = {key: os.path.join(data, path) for key, path in SERIES.items()}
    before = checksums(os.path.join(data, "dicom"))

    for key, source in sources.items():
        # As shipped: the export works and is valid.
        seg, pmap, _ = export_both(cli, one, source, out, key)
        check_object(dciodvfy, seg, f"{key} SEG")
        check_object(dciodvfy, pmap, f"{key} Parametric Map")

        # Frame of Reference and Type 2 attributes removed.
        stripped = os.path.join(out, "series", key + "_stripped")
        rewrite(source, stripped, strip_frame_and_type2)
        seg, pmap, stderr = export_both(cli, one, stripped, out, key + "_stripped")
        for path, what in ((seg, "SEG"), (pmap, "Parametric Map")):
            ds = check_object(dciodvfy, path, f"{key} stripped {what}")
            check_new_frame_of_reference(ds, stderr, f"{key} stripped {what}")
        print(f"{key}: SEG and Parametric Map valid as shipped and without Frame of Reference / Type 2 attributes")

        # SOP Class UID only in the file meta header.
        no_sop = os.path.join(out, "series", key + "_no_sop_class")
        rewrite(source, no_sop, strip_sop_class)
        meta_class = pydicom.dcmread(os.path.join(no_sop, sorted(os.listdir(no_sop))[0])).file_meta.MediaStorageSOPClassUID
        result = run([cli, "info", no_sop])
        if result.returncode != 0:
            fail(f"info on {key} without SOP Class UID exited {result.returncode}: {result.stderr}")
        seg = os.path.join(out, key + "_no_sop_seg.dcm")
        result = run([cli, "predict", "--model", one, "--input", no_sop, "--out", os.path.join(out, key + "_no_sop.nii.gz"),
                      "--dicom-seg", seg])
        if result.returncode != 0:
            fail(f"predict on {key} without SOP Class UID exited {result.returncode}: {result.stderr}")
        if "Media Storage SOP Class UID" not in result.stderr:
            fail(f"{key} without SOP Class UID: no note on stderr:\n{result.stderr}")
        ds = check_object(dciodvfy, seg, f"{key} (no SOP Class UID) SEG")
        referenced = ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence[0].ReferencedSOPClassUID
        if referenced != meta_class:
            fail(f"{key} without SOP Class UID: the SEG references class {referenced}, the meta header says {meta_class}")
        print(f"{key}: loads without SOP Class UID in the dataset (note given), SEG references {meta_class.name}")

    # No Study Instance UID: refused, naming the attribute and a source file, nothing written.
    no_study = os.path.join(out, "series", "ct_no_study_uid")
    rewrite(sources["ct"], no_study, strip_study_uid)
    refused = os.path.join(out, "refused_seg.dcm")
    result = run([cli, "predict", "--model", one, "--input", no_study, "--out", os.path.join(out, "refused.nii.gz"),
                  "--dicom-seg", refused])
    if result.returncode != 2 or "Study Instance UID" not in result.stderr or no_study not in result.stderr:
        fail(f"no Study Instance UID: exit {result.returncode}, message: {result.stderr}")
    if os.path.exists(refused):
        fail("the refused SEG was written")
    print("no Study Instance UID: refused naming the attribute and the file")

    # Two folders called DICOM: named by their Series Descriptions.
    flair, t1 = (os.path.join(out, "exports", name, "DICOM") for name in ("a", "b"))
    rewrite(sources["mr_oblique"], flair, lambda ds: setattr(ds, "SeriesDescription", "AX FLAIR"))
    rewrite(sources["mr_oblique"], t1, lambda ds: setattr(ds, "SeriesDescription", "AX T1"))
    result = run([cli, "predict", "--model", two, "--input", flair, "--input", t1, "--out",
                  os.path.join(out, "two_dicom.nii.gz"), "--json"])
    if result.returncode != 0:
        fail(f"two folders named DICOM exited {result.returncode}: {result.stderr}")
    if "AX FLAIR" not in result.stdout or "AX T1" not in result.stdout:
        fail(f"two folders named DICOM: the run does not name its inputs by Series Description:\n{result.stdout}")
    # The same description twice: refused with both inputs and the NAME=PATH form; then named.
    same = os.path.join(out, "exports", "c", "DICOM")
    rewrite(sources["mr_oblique"], same, lambda ds: setattr(ds, "SeriesDescription", "AX FLAIR"))
    result = run([cli, "predict", "--model", two, "--input", flair, "--input", same, "--out",
                  os.path.join(out, "same.nii.gz")])
    if result.returncode != 2 or flair not in result.stderr or same not in result.stderr or "NAME=PATH" not in result.stderr:
        fail(f"two inputs named alike: exit {result.returncode}, message: {result.stderr}")
    result = run([cli, "predict", "--model", two, "--input", "flair=" + flair, "--input", "flair2=" + same, "--out",
                  os.path.join(out, "named.nii.gz"), "--json"])
    if result.returncode != 0 or '"flair2"' not in result.stdout:
        fail(f"--input NAME=PATH: exit {result.returncode}: {result.stderr}{result.stdout}")
    print("two folders named DICOM: named by Series Description; a collision is refused; NAME=PATH names them")

    if checksums(os.path.join(data, "dicom")) != before:
        fail("the shared DICOM inputs changed")
    print("OK")


if __name__ == "__main__":
    main()
