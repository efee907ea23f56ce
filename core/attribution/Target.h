#pragma once
// What is explained: a scalar score S(x) = sum over a target region of the class logit (or of the
// class probability), design.md section 4:
//  - class c:      the voxels predicted as c;
//  - instance k:   one 26-connected component of the voxels predicted as c (seed paper 004);
//  - all instances: every component, each with its own map;
//  - roi:          a box (voxel indices, inclusive, or mm with ",mm") intersected with nothing;
//  - voxel:        one voxel.

#include <array>
#include <string>
#include <vector>

#include "volume/Image.h"

namespace voxplain {

struct TargetSpec {
  enum class Kind { Class, Instance, AllInstances, Roi, Voxel };
  Kind kind = Kind::Class;
  int label = 1;                ///< class value (manifest label) whose channel is scored
  int instance = 0;             ///< 1-based, for Kind::Instance
  std::array<double, 6> box{};  ///< x0, y0, z0, x1, y1, z1 (study voxel indices or LPS mm)
  bool boxInMm = false;
  std::array<long, 3> voxel{};  ///< study voxel index
  bool probability = false;     ///< score the probability instead of the logit

  /// Parses the command line's "class=1", "instance=all", "instance=3", "roi=x0,y0,z0,x1,y1,z1[,mm]",
  /// "voxel=x,y,z"; "label=N" and "score=probability" may follow after ';'. Throws InputError naming
  /// the text. Front ends that have the values build targets with the functions below instead.
  static TargetSpec parse(const std::string& text, int defaultLabel = 1);
  /// The voxels predicted as `label`.
  static TargetSpec ofClass(int label);
  /// Every 26-connected component predicted as `label`, each explained on its own.
  static TargetSpec allInstances(int label);
  /// One voxel of the study grid (its index) in `label`'s channel.
  static TargetSpec atVoxel(int label, const std::array<long, 3>& index);
  /// A box in `label`'s channel between two LPS corners in mm, given in any order (stored as the
  /// lower and upper corner, not rounded).
  static TargetSpec inBoxMm(int label, const std::array<double, 3>& from, const std::array<double, 3>& to);
  std::string describe() const;
};

/// One target region on a grid: weights (0/1) per voxel and a name for file names ("", "instance3").
struct TargetRegion {
  std::string suffix;
  std::vector<float> weights;
  std::size_t voxels = 0;
};

/// The regions of `spec` on `grid` given the predicted labels on that grid; `study` is the grid
/// that ROI/voxel indices refer to. Throws InputError when the target is empty (nothing predicted
/// as the class, instance out of range, ROI outside the volume).
std::vector<TargetRegion> targetRegions(const TargetSpec& spec, const LabelVolume& predicted, const Geometry& study);

}  // namespace voxplain
