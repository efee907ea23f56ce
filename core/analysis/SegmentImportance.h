#pragma once
// Segment importance, Agg^2Exp (design.md section 6; seed paper 001: Chrabaszcz et al.,
// "Aggregated attributions for explanatory analysis of 3D segmentation models", WACV 2025, public
// code MI2DataLab/agg2exp). For a target class c, E_c is the map of S_c = the sum of the class-c
// logit over the voxels predicted as c. For each predicted segment s (the voxels predicted as one
// class, background included) and each modality (and "all": |E_c| summed over the modalities):
//   share(c, s)    = sum_{v in s} |E_c| / sum_v |E_c|         (the "mass"; sums to 1 over s)
//   mean(c, s)     = sum_{v in s} |E_c| / |s|                 (per voxel)
//   perMm3(c, s)   = sum_{v in s} |E_c| / volume(s) in mm^3
//   signed(c, s)   = sum_{v in s} E_c
//   positive/negative share: the same share with E_c clipped to > 0 / < 0.
// One case gives the class x segment matrix; a cohort gives mean and spread per cell
// (analysis/CohortMerge.h).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "volume/Image.h"

namespace voxplain {

struct SegmentInfo {
  int label = 0;
  std::string name;
};

struct SegmentCell {
  double share = 0, mean = 0, perMm3 = 0, signedSum = 0, positiveShare = 0, negativeShare = 0, absSum = 0;
};

/// The map of one target class: one volume per modality, on the segments' grid.
struct TargetClassMaps {
  SegmentInfo target;
  std::vector<Volume> perModality;
};

struct SegmentImportance {
  std::vector<std::string> modalities;  ///< cells' last index: modalities, then "all"
  std::vector<SegmentInfo> targets;     ///< rows
  std::vector<SegmentInfo> segments;    ///< columns (only segments present in the prediction)
  std::vector<std::size_t> segmentVoxels;
  std::vector<double> segmentMm3;
  std::vector<std::vector<std::vector<SegmentCell>>> cells;  ///< [target][segment][modality or all]
  /// {"modalities", "targets", "segments": [{label, name, voxels, volume_mm3}], "cells": [{target,
  /// segment, modality, share, mean, per_mm3, signed, positive_share, negative_share, abs_sum}]}.
  nlohmann::json toJson() const;
  std::string toCsv() const;
};

/// `predicted`: labels on the maps' grid; `segments`: names per label value (labels without a name
/// are called "label N"). Throws std::invalid_argument on grid or modality count mismatches.
SegmentImportance segmentImportance(const LabelVolume& predicted, const std::vector<SegmentInfo>& segments,
                                    const std::vector<std::string>& modalities,
                                    const std::vector<TargetClassMaps>& targets);

}  // namespace voxplain
