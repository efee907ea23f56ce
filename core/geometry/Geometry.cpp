#include "geometry/Geometry.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace voxplain {

Mat3 identityMat3() {
  return {1, 0, 0, 0, 1, 0, 0, 0, 1};
}

Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 r{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double s = 0.0;
      for (int k = 0; k < 3; ++k) s += a[3 * i + k] * b[3 * k + j];
      r[3 * i + j] = s;
    }
  return r;
}

Vec3 multiply(const Mat3& m, const Vec3& v) {
  return {m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
          m[6] * v[0] + m[7] * v[1] + m[8] * v[2]};
}

Mat3 transpose(const Mat3& m) {
  return {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
}

double determinant(const Mat3& m) {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

Mat3 inverse(const Mat3& m) {
  const double det = determinant(m);
  if (std::abs(det) < 1e-12) throw std::invalid_argument("singular 3x3 matrix");
  const double inv = 1.0 / det;
  return {(m[4] * m[8] - m[5] * m[7]) * inv, (m[2] * m[7] - m[1] * m[8]) * inv, (m[1] * m[5] - m[2] * m[4]) * inv,
          (m[5] * m[6] - m[3] * m[8]) * inv, (m[0] * m[8] - m[2] * m[6]) * inv, (m[2] * m[3] - m[0] * m[5]) * inv,
          (m[3] * m[7] - m[4] * m[6]) * inv, (m[1] * m[6] - m[0] * m[7]) * inv, (m[0] * m[4] - m[1] * m[3]) * inv};
}

Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
double norm(const Vec3& a) {
  return std::sqrt(dot(a, a));
}

Vec3 Geometry::indexToPhysical(const Vec3& index) const {
  const Vec3 scaled{index[0] * spacing[0], index[1] * spacing[1], index[2] * spacing[2]};
  const Vec3 d = multiply(direction, scaled);
  return {origin[0] + d[0], origin[1] + d[1], origin[2] + d[2]};
}

Vec3 Geometry::physicalToIndex(const Vec3& point) const {
  const Vec3 rel{point[0] - origin[0], point[1] - origin[1], point[2] - origin[2]};
  const Vec3 d = multiply(inverse(direction), rel);
  return {d[0] / spacing[0], d[1] / spacing[1], d[2] / spacing[2]};
}

void Geometry::indexMapFrom(const Geometry& other, Mat3& a, Vec3& b) const {
  // index_this = S^-1 D^-1 (o_other + D_o S_o idx - o_this)
  const Mat3 dInv = inverse(direction);
  Mat3 sInvDInv = dInv;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) sInvDInv[3 * r + c] /= spacing[r];
  Mat3 otherScaled = other.direction;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) otherScaled[3 * r + c] *= other.spacing[c];
  a = multiply(sInvDInv, otherScaled);
  const Vec3 delta{other.origin[0] - origin[0], other.origin[1] - origin[1], other.origin[2] - origin[2]};
  b = multiply(sInvDInv, delta);
}

std::string Geometry::axisCodes() const {
  static const char kPositive[3] = {'L', 'P', 'S'};
  static const char kNegative[3] = {'R', 'A', 'I'};
  std::string codes;
  for (int k = 0; k < 3; ++k) {
    const Vec3 v = axis(k);
    int best = 0;
    for (int r = 1; r < 3; ++r)
      if (std::abs(v[r]) > std::abs(v[best])) best = r;
    codes += v[best] >= 0 ? kPositive[best] : kNegative[best];
  }
  return codes;
}

void Geometry::validate() const {
  for (int k = 0; k < 3; ++k) {
    if (size[k] == 0) throw std::invalid_argument("size: zero voxels along axis " + std::to_string(k));
    if (!(spacing[k] > 0.0) || !std::isfinite(spacing[k]))
      throw std::invalid_argument("spacing: axis " + std::to_string(k) + " is not a positive number");
    if (!std::isfinite(origin[k])) throw std::invalid_argument("origin: not a finite number");
  }
  for (double v : direction)
    if (!std::isfinite(v)) throw std::invalid_argument("direction: not a finite number");
  if (std::abs(determinant(direction)) < 1e-6) throw std::invalid_argument("direction: the matrix is singular");
}

bool GeometryMismatch::sameGrid() const {
  return !sizeDiffers && maxSpacingDifference <= 1e-3 && maxOriginDistance <= 1e-3 && maxDirectionDifference <= 1e-4 &&
         maxCornerDistance <= 1e-3;
}

std::string formatSize(const Size3& s) {
  return std::to_string(s[0]) + "x" + std::to_string(s[1]) + "x" + std::to_string(s[2]);
}

std::string GeometryMismatch::describe(const Geometry& a, const Geometry& b) const {
  if (sameGrid()) return "same grid";
  std::ostringstream out;
  out.precision(4);
  const char* sep = "";
  if (sizeDiffers) {
    out << "size " << formatSize(a.size) << " vs " << formatSize(b.size);
    sep = "; ";
  }
  if (maxSpacingDifference > 1e-3) {
    out << sep << "spacing differs by up to " << maxSpacingDifference << " mm";
    sep = "; ";
  }
  if (maxOriginDistance > 1e-3) {
    out << sep << "origin differs by " << maxOriginDistance << " mm";
    sep = "; ";
  }
  if (maxDirectionDifference > 1e-4) {
    out << sep << "direction differs (" << a.axisCodes() << " vs " << b.axisCodes() << ", max element difference "
        << maxDirectionDifference << ")";
    sep = "; ";
  }
  if (maxCornerDistance > 1e-3) out << sep << "corners differ by up to " << maxCornerDistance << " mm";
  return out.str();
}

GeometryMismatch compareGeometry(const Geometry& a, const Geometry& b) {
  GeometryMismatch m;
  m.sizeDiffers = a.size != b.size;
  for (int k = 0; k < 3; ++k)
    m.maxSpacingDifference = std::max(m.maxSpacingDifference, std::abs(a.spacing[k] - b.spacing[k]));
  m.maxOriginDistance = norm({a.origin[0] - b.origin[0], a.origin[1] - b.origin[1], a.origin[2] - b.origin[2]});
  for (int e = 0; e < 9; ++e)
    m.maxDirectionDifference = std::max(m.maxDirectionDifference, std::abs(a.direction[e] - b.direction[e]));
  for (int corner = 0; corner < 8; ++corner) {
    Vec3 ia{}, ib{};
    for (int k = 0; k < 3; ++k) {
      const bool far = (corner >> k) & 1;
      ia[k] = far ? double(a.size[k]) - 1.0 : 0.0;
      ib[k] = far ? double(b.size[k]) - 1.0 : 0.0;
    }
    const Vec3 pa = a.indexToPhysical(ia), pb = b.indexToPhysical(ib);
    m.maxCornerDistance = std::max(m.maxCornerDistance, norm({pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]}));
  }
  return m;
}

}  // namespace voxplain
