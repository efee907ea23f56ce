#pragma once
// Per-instance statistics of explanations (design.md section 6; seed paper 004: Spagnolo et al.,
// instance-level explanations of lesion segmentation, public code federicospagnolo/IES). Every
// 26-connected component of the prediction is explained on its own (target instance=K); for each
// one: volume, mean probability, and per modality the sum, mean, peak (the value of largest
// magnitude, with its sign) of its own map inside it, the signed mean inside and in a ring around
// it (dilation by ring_mm minus the instance), and the modality's share of |A| inside. With a
// reference segmentation each instance is a true positive when its Dice with some reference
// component reaches `matchDice` (default 0.1, i.e. a clear overlap; 0 accepts any overlap), else a
// false positive; reference components no instance matches are false negatives. The ROC AUC of the
// peak |A| (the largest |peak| over modalities, InstanceStats::peakAbs) separates TP from FP
// (Mann-Whitney).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/RankStatistics.h"
#include "volume/Image.h"

namespace voxplain {

struct InstanceOptions {
  double ringMm = 7.0;        ///< ring width in mm (> 0)
  double matchDice = 0.1;     ///< Dice at or above which an instance matches a reference component
  std::size_t minVoxels = 1;  ///< smaller components are ignored (the paper drops <= 5 voxels)
};

struct ModalityInstanceStats {
  double sum = 0, mean = 0, peak = 0, absSum = 0;  ///< inside the instance
  double insideMean = 0, ringMean = 0;             ///< signed means
  double share = 0;                                ///< |A| inside / sum over modalities of |A| inside
};

struct InstanceStats {
  int id = 0;  ///< 1-based, the order of instance=K targets (scan order, x fastest)
  std::size_t voxels = 0;
  double volumeMm3 = 0;
  double meanProbability = 0;
  std::array<double, 3> centroidMm{};  ///< LPS
  std::size_t ringVoxels = 0;
  std::vector<ModalityInstanceStats> modalities;
  std::string match;  ///< "TP", "FP" or "" without a reference
  double dice = 0;    ///< best Dice with a reference component
  /// max over modalities of |peak|: the score whose TP-vs-FP ROC AUC the report gives.
  double peakAbs() const;
};

struct InstanceReport {
  std::vector<std::string> modalities;
  std::vector<InstanceStats> instances;
  bool hasReference = false;
  std::size_t falseNegatives = 0;
  double aucPeakTpVsFp = -1;  ///< -1 when there are no TP or no FP
  nlohmann::json toJson() const;
  std::string toCsv() const;
};

/// `instances`: component ids (0 background, 1..N) on the study grid; `probability`: the class
/// probability on the same grid (may be empty: then 0); `maps[k-1][m]`: the map of instance k for
/// modality m; `reference`: optional ground truth (non-zero = the class). Throws
/// std::invalid_argument when grids or counts do not match.
InstanceReport instanceStatistics(const LabelVolume& instances, const Volume* probability,
                                  const std::vector<std::vector<Volume>>& maps,
                                  const std::vector<std::string>& modalities, const LabelVolume* reference,
                                  const InstanceOptions& options);

}  // namespace voxplain
