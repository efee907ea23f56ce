#pragma once
// A smooth random scalar field over physical space, for the synthetic generators' deformations and
// bias fields: a sum of plane cosines with random directions, wavelengths and phases,
//     f(p) = amplitude * sqrt(2 / waves) * sum_n cos(2 pi <u_n, p> / lambda_n + phi_n),
// u_n uniform on the sphere, lambda_n uniform in [minWavelength, maxWavelength] (mm), phi_n uniform
// in [0, 2 pi). Each cosine has variance 1/2 over space, so the field's standard deviation is
// `amplitude`; nothing varies faster than the shortest wavelength.

#include <vector>

#include "geometry/Geometry.h"
#include "synthetic/SplitMix64.h"

namespace voxplain {

class SmoothRandomField {
 public:
  /// Draws the waves from `rng`. Throws std::invalid_argument unless 0 < minWavelengthMm <=
  /// maxWavelengthMm and waves >= 1.
  SmoothRandomField(SplitMix64& rng, double amplitude, double minWavelengthMm, double maxWavelengthMm, int waves = 8);

  /// The field at a point (mm); the same units as `amplitude`.
  double operator()(const Vec3& point) const;

 private:
  struct Wave {
    Vec3 wavevector;  ///< u_n * 2 pi / lambda_n, rad/mm
    double phase;
  };
  std::vector<Wave> waves_;
  double scale_ = 0;
};

}  // namespace voxplain
