#include "synthetic/SmoothRandomField.h"

#include <cmath>
#include <stdexcept>

namespace voxplain {

SmoothRandomField::SmoothRandomField(SplitMix64& rng, double amplitude, double minWavelengthMm, double maxWavelengthMm,
                                     int waves) {
  if (!(minWavelengthMm > 0) || !(maxWavelengthMm >= minWavelengthMm) || waves < 1)
    throw std::invalid_argument("smooth random field: wavelengths must satisfy 0 < min <= max, and waves >= 1");
  constexpr double kTwoPi = 6.283185307179586;
  for (int n = 0; n < waves; ++n) {
    Vec3 u{rng.normal(), rng.normal(), rng.normal()};
    const double length = std::max(norm(u), 1e-12);
    const double k = kTwoPi / rng.uniform(minWavelengthMm, maxWavelengthMm);
    waves_.push_back({{u[0] / length * k, u[1] / length * k, u[2] / length * k}, rng.uniform(0.0, kTwoPi)});
  }
  scale_ = amplitude * std::sqrt(2.0 / waves);
}

double SmoothRandomField::operator()(const Vec3& point) const {
  double sum = 0.0;
  for (const Wave& w : waves_) sum += std::cos(dot(w.wavevector, point) + w.phase);
  return scale_ * sum;
}

}  // namespace voxplain
