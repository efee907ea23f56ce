#pragma once
// Loading one DICOM series as volumes with exact geometry.
//
// - Frames are split into separate volumes when a series mixes orientations, matrix sizes,
//   pixel spacings or echoes; a series whose positions repeat is a 4D series (one volume per
//   temporal position / acquisition) when every position repeats equally often.
// - Slices are sorted along the slice normal (row x column cosine) by ImagePositionPatient, never
//   by InstanceNumber (shared/data/dicom/ct_ge_tiny_5slice: InstanceNumber rises while z falls).
// - RescaleSlope/Intercept (per frame for enhanced objects) are applied: voxels are in modality
//   units (HU for CT).
// - Missing slices, non-uniform spacing and gantry tilt are detected; the stack is then resampled
//   onto a uniform orthogonal grid (linear between slices, bilinear in-plane) and a note says so.

#include <vector>

#include "io/DicomCatalog.h"
#include "io/LoadedImage.h"
#include "io/ReadLimits.h"

namespace voxplain {

/// Loads every volume group of `series` (usually one). Throws InputError naming a file and the
/// reason (not an image, undecodable transfer syntax, truncated pixel data, frames that cannot be
/// placed), or OperationCancelled. Checks cancellation per file.
std::vector<LoadedImage> loadDicomSeries(const DicomSeries& series, const ReadLimits& limits = {},
                                         const TaskControl& control = {});

}  // namespace voxplain
