#!/usr/bin/env python3
"""voxplain-cli predict --dicom-seg and explain --dicom-pmap on the demo study written as two DICOM
series (FLAIR, T1) by pydicom, independently of Voxplain's DICOM code:

- dciodvfy (dicom3tools) reports no error for the SEG and for each Parametric Map;
- pydicom reads back the source geometry (per-frame Image Position, orientation, spacing), the
  source references (Frame of Reference, referenced series and the source image of each frame) and
  the values Voxplain wrote as NIfTI from the same run (labels, float attribution maps);
- patient name, ID and birth date are empty unless --keep-patient-identity is given;
- a NIfTI input with --dicom-seg fails with exit 2 naming the file, before the model runs;
- the DICOM inputs are byte-for-byte unchanged.

    check_dicom_export_cli.py CLI MODEL FLAIR.nii.gz T1.nii.gz DCIODVFY OUT_DIR
"""
import json
import os
import shutil
import sys

import nibabel
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from nifti_numpy import read_nifti  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
from cli_checks import checksums, dciodvfy_errors, fail, run  # noqa: E402

PATIENT = {"PatientName": "Doe^Jane", "PatientID": "PID-123", "PatientBirthDate": "19800101"}




def lps_affine(path):
    """Voxel index -> LPS mm (NIfTI stores RAS)."""
    return np.diag([-1.0, -1.0, 1.0, 1.0]) @ nibabel.load(path).affine


def write_series(nifti, folder, description, study_uid, frame_of_reference, number):
    """One MR file per slice k with the NIfTI grid's geometry; values stored as int16 with a slope."""
    volume = nibabel.load(nifti).get_fdata(dtype=np.float32)
    affine = lps_affine(nifti)
    spacing = np.linalg.norm(affine[:3, :3], axis=0)
    row, column = affine[:3, 0] / spacing[0], affine[:3, 1] / spacing[1]
    slope = max(float(np.abs(volume).max()), 1e-6) / 30000.0
    series_uid = generate_uid()
    os.makedirs(folder, exist_ok=True)
    for k in range(volume.shape[2]):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MRImageStorage
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID, ds.SOPInstanceUID = MRImageStorage, meta.MediaStorageSOPInstanceUID
        for key, value in PATIENT.items():
            setattr(ds, key, value)
        ds.PatientSex = "F"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study_uid, series_uid, frame_of_reference
        ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = "20260101", "120000", "1", ""
        ds.ReferringPhysicianName = ""
        ds.Modality, ds.SeriesNumber, ds.SeriesDescription, ds.InstanceNumber = "MR", number, description, k + 1
        ds.ImagePositionPatient = [float(v) for v in (affine @ [0, 0, k, 1])[:3]]
        ds.ImageOrientationPatient = [float(v) for v in list(row) + list(column)]
        ds.PixelSpacing = [float(spacing[1]), float(spacing[0])]
        ds.SliceThickness = float(spacing[2])
        ds.Rows, ds.Columns = volume.shape[1], volume.shape[0]
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleSlope, ds.RescaleIntercept = f"{slope:.10g}"[:16], "0"
        frame = np.round(volume[:, :, k].T / float(ds.RescaleSlope)).astype("<i2")  # [row j, column i]
        ds.PixelData = frame.tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(os.path.join(folder, f"{k + 1:04d}.dcm"), write_like_original=False)
    return series_uid








def frame_geometry(ds):
    """Per-frame LPS positions, shared orientation and spacing of a multi-frame object."""
    shared = ds.SharedFunctionalGroupsSequence[0]
    orientation = [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient]
    spacing = [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing]
    positions = [[float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient]
                 for f in ds.PerFrameFunctionalGroupsSequence]
    return np.array(positions), np.array(orientation), np.array(spacing)


def check_geometry(ds, source_files, what):
    """Frame f of each segment / map lies on source slice f with its orientation and spacing."""
    positions, orientation, spacing = frame_geometry(ds)
    slices = len(source_files)
    for f, position in enumerate(positions):
        source = source_files[f % slices]
        if not np.allclose(position, [float(v) for v in source.ImagePositionPatient], atol=1e-3):
            fail(f"{what}: frame {f + 1} at {position}, source slice at {source.ImagePositionPatient}")
        refs = ds.PerFrameFunctionalGroupsSequence[f].DerivationImageSequence[0].SourceImageSequence
        if refs[0].ReferencedSOPInstanceUID != source.SOPInstanceUID:
            fail(f"{what}: frame {f + 1} derives from {refs[0].ReferencedSOPInstanceUID}, not its source slice")
    if not np.allclose(orientation, [float(v) for v in source_files[0].ImageOrientationPatient], atol=1e-4):
        fail(f"{what}: orientation {orientation} differs from the source's")
    if not np.allclose(spacing, [float(v) for v in source_files[0].PixelSpacing], atol=1e-4):
        fail(f"{what}: pixel spacing {spacing} differs from the source's")


def check_references(ds, series_uid, frame_of_reference, slices, what):
    if ds.FrameOfReferenceUID != frame_of_reference:
        fail(f"{what}: Frame of Reference {ds.FrameOfReferenceUID}, source {frame_of_reference}")
    referenced = ds.ReferencedSeriesSequence[0]
    if referenced.SeriesInstanceUID != series_uid or len(referenced.ReferencedInstanceSequence) != slices:
        fail(f"{what}: references series {referenced.SeriesInstanceUID} with "
             f"{len(referenced.ReferencedInstanceSequence)} instances, not the source's {slices}")


def check_identity(ds, kept, what):
    for key, value in PATIENT.items():
        written = str(ds.get(key, ""))
        if written != (value if kept else ""):
            fail(f"{what}: {key} is '{written}' ({'kept' if kept else 'must be empty'})")


def main():
    cli, model, flair, t1, dciodvfy, out = sys.argv[1:7]
    shutil.rmtree(out, ignore_errors=True)
    study, frame_of_reference = generate_uid(), generate_uid()
    series = {name: write_series(path, os.path.join(out, "dicom", name), name, study, frame_of_reference, n + 1)
              for n, (name, path) in enumerate([("FLAIR", flair), ("T1", t1)])}
    inputs = ["--input", os.path.join(out, "dicom", "FLAIR"), "--input", os.path.join(out, "dicom", "T1")]
    flair_files = sorted((pydicom.dcmread(os.path.join(out, "dicom", "FLAIR", n))
                          for n in os.listdir(os.path.join(out, "dicom", "FLAIR"))), key=lambda d: d.InstanceNumber)
    before = checksums(os.path.join(out, "dicom"))
    labels_manifest = {entry["value"]: entry["name"] for entry in json.load(open(model)).get("labels", [])}

    # predict --dicom-seg
    seg_nifti, seg_dicom = os.path.join(out, "seg.nii.gz"), os.path.join(out, "seg.dcm")
    result = run([cli, "predict", "--model", model] + inputs + ["--out", seg_nifti, "--dicom-seg", seg_dicom])
    if result.returncode != 0:
        fail(f"predict --dicom-seg exited {result.returncode}: {result.stderr}")
    errors = dciodvfy_errors(dciodvfy, seg_dicom)
    if errors:
        fail("dciodvfy on the SEG:\n" + "\n".join(errors))
    seg = pydicom.dcmread(seg_dicom)
    check_identity(seg, False, "SEG")
    check_references(seg, series["FLAIR"], frame_of_reference, len(flair_files), "SEG")
    check_geometry(seg, flair_files, "SEG")
    labels = read_nifti(seg_nifti)
    frames = seg.pixel_array.reshape(-1, seg.Rows, seg.Columns)
    names = {s.SegmentNumber: s.SegmentLabel for s in seg.SegmentSequence}
    present = sorted(int(v) for v in np.unique(labels) if v != 0)
    if [names[n] for n in sorted(names)] != [labels_manifest.get(v, f"label {v}") for v in present]:
        fail(f"SEG segments {names} do not name the predicted labels {present}")
    slices = labels.shape[2]
    for f in range(frames.shape[0]):
        number = seg.PerFrameFunctionalGroupsSequence[f].SegmentIdentificationSequence[0].ReferencedSegmentNumber
        value = present[number - 1]
        expected = (labels[:, :, f % slices].T == value)
        if not np.array_equal(frames[f].astype(bool), expected):
            fail(f"SEG frame {f + 1} (segment {number}) differs from the NIfTI label map")
    print(f"SEG: {len(names)} segments x {slices} frames equal to the NIfTI labels, geometry and references checked")

    # explain --dicom-pmap --keep-patient-identity
    maps, pmaps = os.path.join(out, "maps"), os.path.join(out, "pmaps")
    result = run([cli, "explain", "--model", model] + inputs +
                 ["--method", "saliency", "--target", "class=1", "--out", maps, "--dicom-pmap", pmaps,
                  "--keep-patient-identity", "--json"])
    if result.returncode != 0:
        fail(f"explain --dicom-pmap exited {result.returncode}: {result.stderr}")
    record = json.loads(result.stdout)
    if len(record.get("dicom_files", [])) != 2:
        fail(f"explain listed {record.get('dicom_files')} as DICOM files, expected one per modality")
    for name in ("FLAIR", "T1"):
        path = os.path.join(pmaps, f"saliency_{name}.dcm")
        errors = dciodvfy_errors(dciodvfy, path)
        if errors:
            fail(f"dciodvfy on {path}:\n" + "\n".join(errors))
        pmap = pydicom.dcmread(path)
        check_identity(pmap, True, path)
        check_references(pmap, series[name], frame_of_reference, len(flair_files), path)
        source_files = sorted((pydicom.dcmread(os.path.join(out, "dicom", name, n))
                               for n in os.listdir(os.path.join(out, "dicom", name))), key=lambda d: d.InstanceNumber)
        check_geometry(pmap, source_files, path)
        values = pmap.pixel_array.reshape(-1, pmap.Rows, pmap.Columns)
        expected = read_nifti(os.path.join(maps, f"saliency_{name}.nii.gz"))
        for k in range(values.shape[0]):
            if not np.array_equal(values[k], expected[:, :, k].T.astype(np.float32)):
                fail(f"{path}: frame {k + 1} differs from the NIfTI map")
        print(f"Parametric Map {name}: {values.shape[0]} float frames equal to the NIfTI map, identity kept as asked")

    # A NIfTI study cannot be written as DICOM SEG: exit 2 before the model runs, naming the file.
    refused = os.path.join(out, "refused.nii.gz")
    result = run([cli, "predict", "--model", model, "--input", flair, "--input", t1, "--out", refused,
                  "--dicom-seg", os.path.join(out, "refused.dcm")])
    if result.returncode != 2 or flair not in result.stderr or "NIfTI" not in result.stderr:
        fail(f"NIfTI input with --dicom-seg: exit {result.returncode}, message: {result.stderr}")
    if os.path.exists(refused) or os.path.exists(os.path.join(out, "refused.dcm")):
        fail("the refused run wrote outputs")

    if checksums(os.path.join(out, "dicom")) != before:
        fail("the DICOM inputs changed")
    print("OK")


if __name__ == "__main__":
    main()
