#pragma once
// Modality importance (design.md section 6; seed paper 002: Jin et al., "Guidelines and evaluation
// of clinical explainable AI in medical image analysis", Med Image Anal 2023, public code
// weinajin/multimodal_explanation):
//  - share of |A|: sum_v |A_m(v)| / sum_m' sum_v |A_m'(v)| for each modality m of one map;
//  - exact modality Shapley values phi_m (attribution method modality_shapley) and their shares
//    phi_m / sum |phi|;
//  - MSFI, the modality-specific feature importance: sum_m w_m FP_m / sum_m w_m, where w_m is the
//    min-max normalised Shapley value (with two modalities the weights are 1 and 0, i.e. MSFI is the
//    localisation of the more important modality; all weights 1 when the values are equal) and
//    FP_m = sum of the positive attribution of modality m inside its (dilated) ground-truth mask /
//    all positive attribution of modality m (0 when the modality has none). MSFI is in [0, 1].

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "volume/Image.h"

namespace voxplain {

/// Share of |A| per modality (sums to 1; all 0 for an all-zero map). `inside` (optional, same
/// grid): count only its non-zero voxels. Throws std::invalid_argument on grid mismatches.
std::vector<double> absShares(const std::vector<Volume>& maps, const LabelVolume* inside = nullptr);

/// False when every modality's map is the same voxel for voxel (CAM methods upsample one layer map
/// for every input): their shares of |A| are then equal by construction and say nothing about the
/// modalities. True for a single map.
bool mapsDifferByModality(const std::vector<Volume>& maps);

/// FP_m of MSFI for one modality: positive attribution inside `mask` / all positive attribution.
double positiveFractionInside(const Volume& map, const LabelVolume& mask);

/// w_m: min-max normalised values (all 1 when they are equal). Throws on an empty list.
std::vector<double> minMaxWeights(const std::vector<double>& values);

/// MSFI of `maps` against per-modality masks (already dilated as wanted) with modality weights
/// from `shapley` (one per modality). Throws std::invalid_argument on count or grid mismatches.
double msfi(const std::vector<Volume>& maps, const std::vector<LabelVolume>& masks, const std::vector<double>& shapley);

struct ModalityImportance {
  std::vector<std::string> modalities;
  std::string method;                ///< the map's method (for the |A| shares)
  std::vector<double> absShare;      ///< share of |A|
  std::vector<double> shapley;       ///< phi_m (empty when not computed)
  std::vector<double> shapleyShare;  ///< phi_m / sum |phi|
  double scoreGap = 0;               ///< S(x) - S(x') that the phi_m add up to
  double msfiValue = -1;             ///< -1 without ground truth
  /// Sets shapley, shapleyShare and scoreGap from exact values (ModalityShapley's details).
  void setShapley(std::vector<double> phi, double sum);
  /// Index of the largest |A| share (and of the largest phi, when computed).
  std::size_t topByShare() const;
  std::size_t topByShapley() const;
  nlohmann::json toJson() const;
  std::string toCsv() const;
};

}  // namespace voxplain
