#pragma once
// Arranging the frames of one volume group into slice stacks and building exact geometry.
// No DCMTK here: pure geometry on DicomFrame records, unit-testable with synthetic frames.

#include <functional>
#include <string>
#include <vector>

#include "io/DicomCatalog.h"
#include "io/LoadedImage.h"

namespace voxplain {

/// volumes[t][s]: frame of time point / repetition t at slice s (slices sorted along the normal).
struct SliceStackVolume {
  std::vector<std::vector<DicomFrame>> volumes;
};

/// Sorts frames of one group (same orientation/matrix) along the slice normal and splits
/// repeated positions into a 4D series or, when uneven, by acquisition number.
/// Throws InputError (naming `where`) when frames have no position/orientation and there are
/// several, or when positions repeat in a way that cannot be separated.
std::vector<SliceStackVolume> arrangeSlices(std::vector<DicomFrame> frames, const std::string& where);

using FramePixels = std::function<const std::vector<float>&(const DicomFrame&)>;

/// Fills out.volumes (rescaled voxels) and their geometry from a stack. Slices with uneven gaps,
/// missing slices or a gantry tilt are resampled onto a uniform orthogonal grid; out.notes says so.
void buildVolumes(const SliceStackVolume& stack, const FramePixels& pixels, LoadedImage& out);

/// Slice-normal coordinate (mm) of a frame's position.
double sliceCoordinate(const DicomFrame& f);

}  // namespace voxplain
