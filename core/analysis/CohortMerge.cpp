#include "analysis/CohortMerge.h"

#include "runtime/CsvWriter.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace voxplain {
namespace {

void addOnce(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

nlohmann::json spreadJson(const Spread& s) {
  return {{"n", s.n}, {"mean", s.mean}, {"sd", s.sd}, {"min", s.min}, {"max", s.max}};
}

}  // namespace

const MergedCell* CohortSummary::cell(const std::string& target, const std::string& segment,
                                      const std::string& modality) const {
  for (const MergedCell& c : cells)
    if (c.target == target && c.segment == segment && c.modality == modality) return &c;
  return nullptr;
}

CohortSummary mergeCases(const std::vector<nlohmann::json>& cases) {
  if (cases.empty()) throw std::invalid_argument("merge: no case results found");
  CohortSummary out;
  const nlohmann::json first = {{"model", cases.front().at("model")},
                                {"method", cases.front().at("method")},
                                {"parameters", cases.front().value("parameters", nlohmann::json::object())}};
  out.provenance = first;
  std::set<std::string> seen;
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::array<std::vector<double>, 6>> values;
  std::map<std::string, std::array<std::vector<double>, 2>> modalityValues;
  for (const nlohmann::json& c : cases) {
    const std::string id = c.at("case").get<std::string>();
    if (!seen.insert(id).second)
      throw std::invalid_argument("merge: case '" + id + "' appears twice (overlapping shards?)");
    if (c.at("model").value("sha256", "") != first["model"].value("sha256", "") || c.at("method") != first["method"] ||
        c.value("parameters", nlohmann::json::object()) != first["parameters"])
      throw std::invalid_argument("merge: case '" + id +
                                  "' was made with another model, method or parameters than case '" +
                                  cases.front().at("case").get<std::string>() + "'");
    const nlohmann::json& si = c.at("segment_importance");
    for (const auto& t : si.at("targets")) addOnce(out.targets, t.at("name").get<std::string>());
    for (const auto& s : si.at("segments")) addOnce(out.segments, s.at("name").get<std::string>());
    for (const auto& m : si.at("modalities")) addOnce(out.modalities, m.get<std::string>());
    for (const auto& cell : si.at("cells")) {
      auto& v = values[{cell.at("target"), cell.at("segment"), cell.at("modality")}];
      int k = 0;
      for (const char* key : {"share", "mean", "per_mm3", "signed", "positive_share", "negative_share"})
        v[std::size_t(k++)].push_back(cell.at(key).get<double>());
    }
    if (c.contains("modality_importance"))
      for (const auto& m : c["modality_importance"].at("modalities")) {
        auto& v = modalityValues[m.at("name").get<std::string>()];
        v[0].push_back(m.at("abs_share").get<double>());
        if (m.contains("shapley")) v[1].push_back(m["shapley"].get<double>());
      }
  }
  out.cases.assign(seen.begin(), seen.end());
  addOnce(out.modalities, "all");
  for (const std::string& t : out.targets)
    for (const std::string& s : out.segments)
      for (const std::string& m : out.modalities) {
        const auto it = values.find({t, s, m});
        if (it == values.end()) continue;
        const auto& v = it->second;
        out.cells.push_back(
            {t, s, m, spreadOf(v[0]), spreadOf(v[1]), spreadOf(v[2]), spreadOf(v[3]), spreadOf(v[4]), spreadOf(v[5])});
      }
  for (const std::string& m : out.modalities) {
    const auto it = modalityValues.find(m);
    if (it != modalityValues.end())
      out.modalityImportance.push_back({m, spreadOf(it->second[0]), spreadOf(it->second[1])});
  }
  return out;
}

nlohmann::json CohortSummary::toJson() const {
  nlohmann::json j{{"cases", cases},
                   {"targets", targets},
                   {"segments", segments},
                   {"modalities", modalities},
                   {"provenance", provenance},
                   {"cells", nlohmann::json::array()},
                   {"modality_importance", nlohmann::json::array()}};
  for (const MergedCell& c : cells)
    j["cells"].push_back({{"target", c.target},
                          {"segment", c.segment},
                          {"modality", c.modality},
                          {"share", spreadJson(c.share)},
                          {"mean", spreadJson(c.mean)},
                          {"per_mm3", spreadJson(c.perMm3)},
                          {"signed", spreadJson(c.signedSum)},
                          {"positive_share", spreadJson(c.positiveShare)},
                          {"negative_share", spreadJson(c.negativeShare)}});
  for (const MergedModality& m : modalityImportance)
    j["modality_importance"].push_back(
        {{"name", m.name}, {"abs_share", spreadJson(m.absShare)}, {"shapley", spreadJson(m.shapley)}});
  return j;
}

std::string CohortSummary::toCsv() const {
  CsvWriter csv({"target", "segment", "modality", "n", "share_mean", "share_sd", "mean_mean", "mean_sd", "per_mm3_mean",
                 "per_mm3_sd", "signed_mean", "signed_sd", "positive_share_mean", "positive_share_sd",
                 "negative_share_mean", "negative_share_sd"});
  for (const MergedCell& c : cells) {
    csv.row() << c.target << c.segment << c.modality << c.share.n;
    for (const Spread* s : {&c.share, &c.mean, &c.perMm3, &c.signedSum, &c.positiveShare, &c.negativeShare})
      csv << s->mean << s->sd;
  }
  return csv.str();
}

}  // namespace voxplain
