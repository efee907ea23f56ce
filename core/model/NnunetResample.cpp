#include "model/NnunetResample.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace voxplain {
namespace {

constexpr std::size_t kPad = 12;  // scipy's _prepad_for_spline_filter for mode 'nearest'

/// Cubic B-spline coefficients of `c` in place (Unser's recursive filter, pole sqrt(3) - 2, gain 6),
/// mirror boundaries as scipy's spline_filter1d(mode='mirror').
void splineCoefficients(std::vector<double>& c) {
  const std::size_t n = c.size();
  if (n < 2) return;
  const double z = std::sqrt(3.0) - 2.0;
  for (double& v : c) v *= 6.0;
  // Causal initialisation (mirror): sum over the whole line, as scipy's _init_causal_mirror.
  double zi = z;
  const double zn1 = std::pow(z, double(n - 1));
  double first = c[0] + zn1 * c[n - 1];
  for (std::size_t i = 1; i + 1 < n; ++i) {
    first += zi * (c[i] + zn1 * c[n - 1 - i]);
    zi *= z;
  }
  c[0] = first / (1.0 - zn1 * zn1);
  for (std::size_t i = 1; i < n; ++i) c[i] += z * c[i - 1];
  // Anticausal initialisation (mirror), then the backward pass.
  c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1.0);
  for (std::size_t i = n - 1; i-- > 0;) c[i] = z * (c[i + 1] - c[i]);
}

}  // namespace

void resizeLine(const float* in, std::size_t n, std::size_t stride, float* out, std::size_t m, std::size_t outStride,
                bool cubic) {
  const double scale = double(n) / double(m);
  if (!cubic) {
    for (std::size_t i = 0; i < m; ++i) {
      const double x = (double(i) + 0.5) * scale - 0.5;
      const long k = std::clamp(long(std::floor(x + 0.5)), 0L, long(n) - 1);
      out[i * outStride] = in[std::size_t(k) * stride];
    }
    return;
  }
  // Edge-padded copy, its spline coefficients, then the B-spline at each sample position.
  std::vector<double> c(n + 2 * kPad);
  for (std::size_t i = 0; i < c.size(); ++i) {
    const long k = std::clamp(long(i) - long(kPad), 0L, long(n) - 1);
    c[i] = in[std::size_t(k) * stride];
  }
  splineCoefficients(c);
  for (std::size_t i = 0; i < m; ++i) {
    const double x = (double(i) + 0.5) * scale - 0.5 + double(kPad);
    const double f = std::floor(x), t = x - f;
    const double w0 = (1 - t) * (1 - t) * (1 - t) / 6.0, w3 = t * t * t / 6.0;
    const double w1 = (3 * t * t * t - 6 * t * t + 4) / 6.0, w2 = 1.0 - w0 - w1 - w3;
    const long k = long(f);
    auto at = [&](long j) { return c[std::size_t(std::clamp(j, 0L, long(c.size()) - 1))]; };
    out[i * outStride] = float(w0 * at(k - 1) + w1 * at(k) + w2 * at(k + 1) + w3 * at(k + 2));
  }
}

Volume nnunetResample(const Volume& source, const Geometry& target, const std::array<double, 3>& targetSpacing) {
  const Geometry& g = source.geometry();
  // The low-resolution axis: nnU-Net's get_do_separate_z on the source spacing, else the target's;
  // only when exactly one axis is the coarsest.
  auto lowAxis = [](const std::array<double, 3>& s) -> int {
    const double lo = *std::min_element(s.begin(), s.end()), hi = *std::max_element(s.begin(), s.end());
    if (hi / lo <= 3.0) return -1;
    int axis = -1, count = 0;
    for (int d = 0; d < 3; ++d)
      if (s[std::size_t(d)] == hi) axis = d, ++count;
    return count == 1 ? axis : -2;  // -2: anisotropic, but no single axis (nnU-Net resizes in 3D)
  };
  int separate = lowAxis({g.spacing[0], g.spacing[1], g.spacing[2]});
  if (separate == -1) separate = lowAxis(targetSpacing);
  // Axis by axis (the tensor-product B-spline is separable), x first.
  std::array<std::size_t, 3> size{g.size[0], g.size[1], g.size[2]};
  std::vector<float> data(source.voxels().begin(), source.voxels().end());
  for (int axis = 0; axis < 3; ++axis) {
    const std::size_t m = target.size[std::size_t(axis)];
    if (m == size[std::size_t(axis)]) continue;
    std::array<std::size_t, 3> next = size;
    next[std::size_t(axis)] = m;
    std::vector<float> out(next[0] * next[1] * next[2]);
    const std::size_t strideIn = axis == 0 ? 1 : axis == 1 ? size[0] : size[0] * size[1];
    const std::size_t strideOut = axis == 0 ? 1 : axis == 1 ? next[0] : next[0] * next[1];
    const int a = (axis + 1) % 3, b = (axis + 2) % 3;
    for (std::size_t u = 0; u < size[std::size_t(a)]; ++u)
      for (std::size_t v = 0; v < size[std::size_t(b)]; ++v) {
        std::array<std::size_t, 3> at{0, 0, 0};
        at[std::size_t(a)] = u, at[std::size_t(b)] = v;
        const std::size_t inBase = at[0] + size[0] * (at[1] + size[1] * at[2]);
        const std::size_t outBase = at[0] + next[0] * (at[1] + next[1] * at[2]);
        resizeLine(data.data() + inBase, size[std::size_t(axis)], strideIn, out.data() + outBase, m, strideOut,
                   axis != separate);
      }
    data.swap(out);
    size = next;
  }
  return Volume(target, std::move(data));
}

}  // namespace voxplain
