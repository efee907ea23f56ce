#include "analysis/SegmentationScores.h"

#include <algorithm>
#include <stdexcept>

namespace voxplain {
namespace {

void requireSameSize(const LabelVolume& a, const LabelVolume& b, const char* what) {
  if (a.size() != b.size())
    throw std::invalid_argument(std::string(what) + ": sizes differ (" + formatSize(a.size()) + " vs " +
                                formatSize(b.size()) + ")");
}

template <class Inside>
double dice(const LabelVolume& a, const LabelVolume& b, Inside inside) {
  double both = 0, total = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    const bool x = inside(a.voxels()[i]), y = inside(b.voxels()[i]);
    both += x && y;
    total += double(x) + double(y);
  }
  return total > 0 ? 2.0 * both / total : 1.0;
}

std::vector<std::uint8_t> nonZero(const LabelVolume& v) {
  std::vector<std::uint8_t> mask(v.voxelCount());
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = v.voxels()[i] != 0;
  return mask;
}

}  // namespace

double diceOfMasks(const LabelVolume& a, const LabelVolume& b) {
  requireSameSize(a, b, "Dice");
  return dice(a, b, [](std::uint16_t v) { return v != 0; });
}

double diceOfLabel(const LabelVolume& predicted, const LabelVolume& truth, std::uint16_t label) {
  requireSameSize(predicted, truth, "Dice");
  return dice(predicted, truth, [label](std::uint16_t v) { return v == label; });
}

LesionMatching matchLesions(const LabelVolume& instances, int count, const LabelVolume& reference, double matchDice,
                            std::size_t minVoxels) {
  requireSameSize(instances, reference, "lesion matching");
  if (count < 0) throw std::invalid_argument("lesion matching: negative instance count");
  LesionMatching m;
  m.reference = connectedComponents(nonZero(reference), reference.size(), 26);
  const std::size_t refs = std::size_t(m.reference.count()), n = std::size_t(count);
  // overlap[k][r] is sparse in practice: gather (instance, component) pairs in one pass.
  std::vector<std::size_t> sizes(n, 0);
  std::vector<std::vector<std::pair<int, std::size_t>>> overlaps(n);
  for (std::size_t i = 0; i < instances.voxelCount(); ++i) {
    const std::uint16_t k = instances.voxels()[i];
    if (k == 0 || k > n) continue;
    ++sizes[k - 1];
    const int r = m.reference.labels[i];
    if (r == 0) continue;
    auto& list = overlaps[k - 1];
    auto it = std::find_if(list.begin(), list.end(), [r](const auto& p) { return p.first == r - 1; });
    if (it == list.end())
      list.push_back({r - 1, 1});
    else
      ++it->second;
  }
  m.bestReference.assign(n, -1);
  m.dice.assign(n, 0.0);
  m.truePositive.assign(n, false);
  m.skipped.assign(n, false);
  m.referenceDetected.assign(refs, false);
  for (std::size_t k = 0; k < n; ++k) {
    if (sizes[k] < std::max<std::size_t>(1, minVoxels)) {
      m.skipped[k] = true;
      continue;
    }
    for (const auto& [r, overlap] : overlaps[k]) {
      const double d = 2.0 * double(overlap) / double(sizes[k] + m.reference.sizes[std::size_t(r)]);
      if (d > m.dice[k]) m.dice[k] = d, m.bestReference[k] = r;
    }
    m.truePositive[k] = m.bestReference[k] >= 0 && m.dice[k] >= matchDice;
    if (m.truePositive[k]) {
      m.referenceDetected[std::size_t(m.bestReference[k])] = true;
      ++m.truePositives;
    } else {
      ++m.falsePositives;
    }
  }
  m.falseNegatives = std::size_t(std::count(m.referenceDetected.begin(), m.referenceDetected.end(), false));
  return m;
}

nlohmann::json LesionDetection::toJson() const {
  return {{"reference_lesions", referenceLesions},
          {"detected", detected},
          {"predicted_lesions", predictedLesions},
          {"false_positives", falsePositives},
          {"sensitivity", sensitivity()}};
}

LesionDetection lesionDetection(const LabelVolume& predicted, const LabelVolume& reference, double matchDice) {
  requireSameSize(predicted, reference, "lesion detection");
  const Components parts = connectedComponents(nonZero(predicted), predicted.size(), 26);
  if (parts.count() > 65535) throw std::invalid_argument("lesion detection: more than 65535 predicted lesions");
  LabelVolume instances(predicted.geometry());
  for (std::size_t i = 0; i < instances.voxelCount(); ++i) instances.voxels()[i] = std::uint16_t(parts.labels[i]);
  const LesionMatching m = matchLesions(instances, parts.count(), reference, matchDice);
  LesionDetection d;
  d.referenceLesions = std::size_t(m.reference.count());
  d.detected = d.referenceLesions - m.falseNegatives;
  d.predictedLesions = std::size_t(parts.count());
  d.falsePositives = m.falsePositives;
  return d;
}

}  // namespace voxplain
