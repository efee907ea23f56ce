#pragma once
// Display orientation: a volume permuted and flipped so that its voxel axes run along +x = patient
// Left, +y = Posterior, +z = Superior (LPS), the nearest orthogonal orientation - what ITK's
// OrientImageFilter does for "LPS" and what slice views need to label L/R/A/P/S/I correctly.
// An oblique residual rotation (angle between each voxel axis and its LPS axis) is dropped from the
// direction and reported; positions are exact for axis-aligned data.

#include <array>

#include "volume/Image.h"

namespace voxplain {

struct LpsPermutation {
  std::array<int, 3> sourceAxis{0, 1, 2};  ///< voxel axis of the input that runs along LPS axis a
  std::array<bool, 3> flipped{false, false, false};
  double obliqueDegrees = 0.0;  ///< largest angle between a voxel axis and its LPS axis
};

/// The permutation that aligns `geometry`'s voxel axes with L, P, S.
LpsPermutation lpsPermutation(const Geometry& geometry);

/// `image` re-laid out with identity direction (see above). Voxel values are copied, not resampled.
template <class T>
Image<T> orientToLps(const Image<T>& image, LpsPermutation* permutation = nullptr);

}  // namespace voxplain
