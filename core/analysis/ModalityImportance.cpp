#include "analysis/ModalityImportance.h"

#include "runtime/CsvWriter.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace voxplain {
namespace {

void requireSameGrid(const Geometry& a, const Geometry& b) {
  if (!compareGeometry(a, b).sameGrid())
    throw std::invalid_argument("modality importance: maps and masks must share one grid");
}

std::size_t argMax(const std::vector<double>& v) {
  return v.empty() ? 0 : std::size_t(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

bool mapsDifferByModality(const std::vector<Volume>& maps) {
  for (std::size_t m = 1; m < maps.size(); ++m)
    if (maps[m].voxels() != maps[0].voxels()) return true;
  return maps.size() < 2;
}

std::vector<double> absShares(const std::vector<Volume>& maps, const LabelVolume* inside) {
  std::vector<double> sums;
  double total = 0;
  for (const Volume& m : maps) {
    requireSameGrid(m.geometry(), maps.front().geometry());
    if (inside) requireSameGrid(inside->geometry(), m.geometry());
    double s = 0;
    for (std::size_t i = 0; i < m.voxelCount(); ++i)
      if (!inside || inside->data()[i] != 0) s += std::abs(double(m.data()[i]));
    sums.push_back(s);
    total += s;
  }
  for (double& s : sums) s = total > 0 ? s / total : 0.0;
  return sums;
}

double positiveFractionInside(const Volume& map, const LabelVolume& mask) {
  requireSameGrid(map.geometry(), mask.geometry());
  double in = 0, all = 0;
  for (std::size_t i = 0; i < map.voxelCount(); ++i) {
    const double v = map.data()[i];
    if (v <= 0) continue;
    all += v;
    if (mask.data()[i] != 0) in += v;
  }
  return all > 0 ? in / all : 0.0;
}

std::vector<double> minMaxWeights(const std::vector<double>& values) {
  if (values.empty()) throw std::invalid_argument("minMaxWeights: no values");
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::vector<double> w;
  for (double v : values) w.push_back(*hi > *lo ? (v - *lo) / (*hi - *lo) : 1.0);
  return w;
}

double msfi(const std::vector<Volume>& maps, const std::vector<LabelVolume>& masks,
            const std::vector<double>& shapley) {
  if (maps.size() != masks.size() || maps.size() != shapley.size() || maps.empty())
    throw std::invalid_argument("msfi: one map, one mask and one Shapley value per modality expected");
  const std::vector<double> w = minMaxWeights(shapley);
  double num = 0, den = 0;
  for (std::size_t m = 0; m < maps.size(); ++m) {
    num += w[m] * positiveFractionInside(maps[m], masks[m]);
    den += w[m];
  }
  return den > 0 ? num / den : 0.0;
}

void ModalityImportance::setShapley(std::vector<double> phi, double sum) {
  shapley = std::move(phi);
  scoreGap = sum;
  double total = 0;
  for (double v : shapley) total += std::abs(v);
  shapleyShare.clear();
  for (double v : shapley) shapleyShare.push_back(total > 0 ? v / total : 0.0);
}

std::size_t ModalityImportance::topByShare() const {
  return argMax(absShare);
}
std::size_t ModalityImportance::topByShapley() const {
  return argMax(shapley);
}

nlohmann::json ModalityImportance::toJson() const {
  nlohmann::json j{{"method", method}, {"modalities", nlohmann::json::array()}};
  for (std::size_t m = 0; m < modalities.size(); ++m) {
    nlohmann::json row{{"name", modalities[m]}, {"abs_share", absShare.at(m)}};
    if (!shapley.empty()) {
      row["shapley"] = shapley[m];
      row["shapley_share"] = shapleyShare[m];
    }
    j["modalities"].push_back(row);
  }
  j["top_by_abs_share"] = modalities.empty() ? "" : modalities[topByShare()];
  if (!shapley.empty()) {
    j["top_by_shapley"] = modalities[topByShapley()];
    j["shapley_sum"] = scoreGap;
  }
  if (msfiValue >= 0) j["msfi"] = msfiValue;
  return j;
}

std::string ModalityImportance::toCsv() const {
  CsvWriter csv({"modality", "abs_share", "shapley", "shapley_share"});
  for (std::size_t m = 0; m < modalities.size(); ++m) {
    csv.row() << modalities[m] << absShare.at(m);
    if (!shapley.empty())
      csv << shapley[m] << shapleyShare[m];
    else
      csv.skip().skip();
  }
  return csv.str();
}

}  // namespace voxplain
