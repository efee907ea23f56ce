#pragma once
// Image grid geometry in LPS patient coordinates (the ITK / DICOM convention).
//
// A voxel with continuous index (i, j, k) sits at the physical point
//     p = origin + D * diag(spacing) * [i, j, k]^T          (millimetres, LPS)
// where D is the 3x3 direction matrix whose COLUMNS are the unit vectors along
// which i, j and k increase. i (x) is the fastest-varying index in memory.
// NIfTI stores RAS; readers and writers convert (flip the signs of the first two
// rows of D and of origin[0..1]).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace voxplain {

using Vec3 = std::array<double, 3>;
/// 3x3 matrix, row-major: m[3 * row + col].
using Mat3 = std::array<double, 9>;
using Size3 = std::array<std::size_t, 3>;

Mat3 identityMat3();
Mat3 multiply(const Mat3& a, const Mat3& b);
Vec3 multiply(const Mat3& m, const Vec3& v);
Mat3 transpose(const Mat3& m);
double determinant(const Mat3& m);
/// Inverse of m. Throws std::invalid_argument when |det m| < 1e-12.
Mat3 inverse(const Mat3& m);
Vec3 cross(const Vec3& a, const Vec3& b);
double dot(const Vec3& a, const Vec3& b);
double norm(const Vec3& a);

struct Geometry {
  Size3 size{0, 0, 0};              ///< voxels along i, j, k
  Vec3 spacing{1.0, 1.0, 1.0};      ///< mm between voxel centres along i, j, k; all > 0
  Vec3 origin{0.0, 0.0, 0.0};       ///< LPS mm of voxel (0, 0, 0)'s centre
  Mat3 direction = identityMat3();  ///< columns = LPS unit vectors of i, j, k

  std::size_t voxelCount() const { return size[0] * size[1] * size[2]; }
  std::size_t linearIndex(std::size_t i, std::size_t j, std::size_t k) const { return i + size[0] * (j + size[1] * k); }
  /// LPS mm of a continuous index.
  Vec3 indexToPhysical(const Vec3& index) const;
  /// Continuous index of an LPS point (may lie outside the grid).
  Vec3 physicalToIndex(const Vec3& point) const;
  /// Affine A, b with index_this = A * index_other + b, mapping other's indices onto this grid.
  void indexMapFrom(const Geometry& other, Mat3& a, Vec3& b) const;
  /// Column k of the direction matrix.
  Vec3 axis(int k) const { return {direction[k], direction[3 + k], direction[6 + k]}; }
  /// Anatomical letters towards which i, j, k increase (nearest axis, LPS letters), e.g. "LPS", "PIR".
  std::string axisCodes() const;
  /// Throws std::invalid_argument naming the bad field (zero size, spacing <= 0, singular direction).
  void validate() const;
};

/// What differs between two grids, with tolerances: a report, never silently ignored.
struct GeometryMismatch {
  bool sizeDiffers = false;
  double maxSpacingDifference = 0.0;    ///< mm
  double maxOriginDistance = 0.0;       ///< mm
  double maxDirectionDifference = 0.0;  ///< largest |element| difference
  double maxCornerDistance = 0.0;       ///< mm between matching corner voxel centres

  /// True when the grids coincide within the tolerances (spacing/origin/corner 1e-3 mm, direction 1e-4).
  bool sameGrid() const;
  /// One line for a user, e.g. "size 64x64x9 vs 64x64x8; origin differs by 2.5 mm".
  std::string describe(const Geometry& a, const Geometry& b) const;
};

GeometryMismatch compareGeometry(const Geometry& a, const Geometry& b);

std::string formatSize(const Size3& s);

}  // namespace voxplain
