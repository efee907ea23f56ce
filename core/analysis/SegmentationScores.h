#pragma once
// How well a segmentation matches a reference: Dice overlap per label, and lesion-wise detection
// (instances are 26-connected components, as in seed paper 004, Spagnolo et al.). An instance is a
// true positive when its Dice with some reference component reaches `matchDice` (0.1 by default: a
// clear overlap; 0 accepts any overlap), else a false positive; reference components that no
// instance matches are false negatives. analysis/InstanceStatistics.h and the demo model's training
// report (resources/demo/train_brain_model.py) use this rule.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/ConnectedComponents.h"
#include "volume/Image.h"

namespace voxplain {

/// Dice 2|A n B| / (|A| + |B|) of the non-zero voxels; 1 when both are empty. Throws
/// std::invalid_argument when the sizes differ.
double diceOfMasks(const LabelVolume& a, const LabelVolume& b);

/// Dice of the voxels equal to `label` in each map. Throws std::invalid_argument when the sizes differ.
double diceOfLabel(const LabelVolume& predicted, const LabelVolume& truth, std::uint16_t label);

struct LesionMatching {
  Components reference;  ///< 26-connected components of the reference's non-zero voxels
  std::vector<int>
      bestReference;         ///< per instance (id - 1): the overlapping component of highest Dice (0-based), or -1
  std::vector<double> dice;  ///< per instance: that Dice (0 without overlap)
  std::vector<bool> truePositive;       ///< per instance: dice >= matchDice (false for skipped instances)
  std::vector<bool> skipped;            ///< per instance: fewer than minVoxels voxels (neither TP nor FP)
  std::vector<bool> referenceDetected;  ///< per reference component
  std::size_t truePositives = 0, falsePositives = 0, falseNegatives = 0;
};

/// Matches `instances` (0 background, 1..count) against the components of `reference` (non-zero).
/// Throws std::invalid_argument when the sizes differ or count < 0.
LesionMatching matchLesions(const LabelVolume& instances, int count, const LabelVolume& reference,
                            double matchDice = 0.1, std::size_t minVoxels = 1);

struct LesionDetection {
  std::size_t referenceLesions = 0, detected = 0, predictedLesions = 0, falsePositives = 0;
  /// detected / referenceLesions; 1 when the reference has no lesion.
  double sensitivity() const { return referenceLesions ? double(detected) / double(referenceLesions) : 1.0; }
  /// {"reference_lesions", "detected", "predicted_lesions", "false_positives", "sensitivity"}.
  nlohmann::json toJson() const;
};

/// Lesion-wise detection of the non-zero voxels of `predicted` against those of `reference`.
LesionDetection lesionDetection(const LabelVolume& predicted, const LabelVolume& reference, double matchDice = 0.1);

}  // namespace voxplain
