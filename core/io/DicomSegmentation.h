#pragma once
// A label map as a DICOM Segmentation object (binary SEG, PS3.3 A.51) that references the series
// it was computed from, and read back. Written with DCMTK's dcmseg.
//
// - One segment per label value present in the label map (value 0 is background), numbered 1..n in
//   label order, with its name as Segment Label, a SNOMED CT category and type (lesion-like names
//   map to "Morphologically abnormal structure" / "Lesion", others to "Tissue"), algorithm type
//   AUTOMATIC and the model's name as algorithm name.
// - Every slice of the grid is a frame of every segment, empty ones included, so that any reader
//   recovers the full grid (binary frames cost rows x columns / 8 bytes).
// - Frames carry Plane Position (Patient); orientation and pixel spacing are shared; a frame whose
//   slice lies on a source image derives from it (Derivation Image, Segmentation 113076).
// - The grid must be the source series' (same rows, columns and plane directions); slices need not
//   coincide with source frames (a resampled series is referenced as a whole).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/AtomicFile.h"
#include "io/DicomExportOptions.h"
#include "io/DicomSource.h"
#include "volume/Image.h"

namespace voxplain {

/// A label value and what it is called (manifest labels).
struct SegmentDefinition {
  std::uint16_t value = 0;
  std::string name;
};

/// Writes `labels` to `out` as DICOM SEG. `segments` names label values (a value present in `labels`
/// without a definition is called "label N"); `algorithm` is the model's name. Returns notes for
/// the user (source values left out because they are not valid DICOM).
/// Throws InputError naming `out` when the label map is empty, has more than 65535 frames, or
/// cannot be written; naming the source file when it cannot be read; when `out` exists and
/// overwrite == Refuse.
std::vector<std::string> writeDicomSegmentation(const std::filesystem::path& out, const LabelVolume& labels,
                                                const std::vector<SegmentDefinition>& segments,
                                                const std::string& algorithm, const DicomSource& source,
                                                const DicomExportOptions& options, Overwrite overwrite);

/// A DICOM SEG read back: label values are the segment numbers.
struct DicomSegmentationRead {
  LabelVolume labels;                       ///< on the grid of the frames (overlaps: the higher segment wins)
  std::vector<SegmentDefinition> segments;  ///< segment number and Segment Label
  std::string frameOfReferenceUid, referencedSeriesUid;
};

/// Reads a binary or fractional (thresholded at half) DICOM SEG. Throws InputError naming `file`
/// when it is not a Segmentation object, or its frames cannot be placed on one grid.
DicomSegmentationRead readDicomSegmentation(const std::filesystem::path& file);

}  // namespace voxplain
