#pragma once
// Voxel containers on a Geometry: float32 intensity volumes and uint16 label volumes.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "geometry/Geometry.h"

namespace voxplain {

/// A 3D image: voxels with X (index i) fastest, then j, then k, on `geometry`.
template <class T>
class Image {
 public:
  using value_type = T;

  Image() = default;
  /// Allocates geometry.voxelCount() voxels set to `fill`. Throws std::invalid_argument on a bad geometry.
  explicit Image(const Geometry& geometry, T fill = T{}) : geometry_(geometry) {
    geometry_.validate();
    voxels_.assign(geometry_.voxelCount(), fill);
  }
  /// Takes ownership of `voxels`; their count must equal geometry.voxelCount().
  Image(const Geometry& geometry, std::vector<T> voxels) : geometry_(geometry), voxels_(std::move(voxels)) {
    geometry_.validate();
    if (voxels_.size() != geometry_.voxelCount())
      throw std::invalid_argument("voxel count " + std::to_string(voxels_.size()) + " does not match the grid " +
                                  formatSize(geometry_.size));
  }

  const Geometry& geometry() const { return geometry_; }
  /// Changes origin/spacing/direction only; the size must stay the same.
  void setGeometry(const Geometry& g) {
    if (g.size != geometry_.size) throw std::invalid_argument("setGeometry: size differs");
    g.validate();
    geometry_ = g;
  }
  const Size3& size() const { return geometry_.size; }
  std::size_t voxelCount() const { return voxels_.size(); }
  bool empty() const { return voxels_.empty(); }

  T& at(std::size_t i, std::size_t j, std::size_t k) { return voxels_[geometry_.linearIndex(i, j, k)]; }
  const T& at(std::size_t i, std::size_t j, std::size_t k) const { return voxels_[geometry_.linearIndex(i, j, k)]; }
  T* data() { return voxels_.data(); }
  const T* data() const { return voxels_.data(); }
  std::vector<T>& voxels() { return voxels_; }
  const std::vector<T>& voxels() const { return voxels_; }

 private:
  Geometry geometry_;
  std::vector<T> voxels_;
};

using Volume = Image<float>;
using LabelVolume = Image<std::uint16_t>;

/// Minimum and maximum voxel value (NaNs ignored); {0, 0} for an empty volume.
std::pair<double, double> valueRange(const Volume& volume);

}  // namespace voxplain
