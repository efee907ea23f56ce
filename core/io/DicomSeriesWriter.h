#pragma once
// Writes a volume as a DICOM MR image series (MR Image Storage, one file per slice k, explicit VR
// little endian) with DCMTK: the demo study as a PACS would deliver it, so the series browser and
// the DICOM reader have a real series to open. Geometry is exact: Image Orientation (Patient) is
// the grid's i and j axes, Image Position (Patient) of slice k the LPS position of voxel (0, 0, k),
// Pixel Spacing (j, i) and Spacing Between Slices / Slice Thickness the k spacing. DICOM readers
// stack slices along row x column: a left-handed grid (k = -(i x j)) reads back with k reversed,
// every voxel at the same physical position.

#include <filesystem>
#include <string>
#include <vector>

#include "volume/Image.h"

namespace voxplain {

/// The identity of a written series. Empty UIDs are generated (DCMTK's UID root); give the same
/// study and frame-of-reference UIDs to several series to make them one study on one grid.
struct DicomSeriesIdentity {
  std::string patientName = "Synthetic^Patient";  ///< a synthetic patient: never a real person's name
  std::string patientId = "VOXPLAIN-SYNTHETIC";
  std::string studyUid, frameOfReferenceUid, seriesUid;
  std::string studyDescription, seriesDescription;
  std::string studyDate = "20260101";  ///< DA, YYYYMMDD
  int seriesNumber = 1;
};

/// A new UID under DCMTK's root (dcmGenerateUniqueIdentifier).
std::string newDicomUid();

/// Writes slice k of `volume` to dir/IM{k+1:04}.dcm (dir is created; files of those names are
/// replaced). Voxel values are rounded to integers and stored as unsigned 16-bit. Returns the files.
/// Throws InputError naming the folder when a value lies outside 0..65535 (or is NaN), and naming
/// the file when it cannot be written.
std::vector<std::filesystem::path> writeDicomSeries(const Volume& volume, const std::filesystem::path& dir,
                                                    const DicomSeriesIdentity& identity);

}  // namespace voxplain
