#include "analysis/CohortSummaryReader.h"

#include <cmath>

#include "runtime/JsonFile.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(source_, field + ": " + what);
  }

  const nlohmann::json& member(const nlohmann::json& object, const std::string& key, const std::string& field) const {
    if (!object.is_object()) fail(field.empty() ? "(top level)" : field, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) fail(field.empty() ? key : field + "." + key, "missing");
    return *it;
  }
  std::string text(const nlohmann::json& object, const std::string& key, const std::string& field) const {
    const nlohmann::json& v = member(object, key, field);
    if (!v.is_string()) fail(field + "." + key, "expected a string");
    return v.get<std::string>();
  }
  double number(const nlohmann::json& object, const std::string& key, const std::string& field) const {
    const nlohmann::json& v = member(object, key, field);
    if (!v.is_number()) fail(field + "." + key, "expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(field + "." + key, "not a finite number");
    return d;
  }
  std::vector<std::string> texts(const nlohmann::json& object, const std::string& key) const {
    const nlohmann::json& v = member(object, key, "");
    if (!v.is_array()) fail(key, "expected a list");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) fail(key + "[" + std::to_string(i) + "]", "expected a string");
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }
  const nlohmann::json& list(const nlohmann::json& object, const std::string& key) const {
    const nlohmann::json& v = member(object, key, "");
    if (!v.is_array()) fail(key, "expected a list");
    return v;
  }
  Spread spread(const nlohmann::json& object, const std::string& key, const std::string& field) const {
    const nlohmann::json& s = member(object, key, field);
    const std::string f = field + "." + key;
    Spread out;
    const double n = number(s, "n", f);
    if (n < 0 || n != std::floor(n) || n > 1e12) fail(f + ".n", "expected a count");
    out.n = std::size_t(n);
    out.mean = number(s, "mean", f);
    out.sd = number(s, "sd", f);
    out.min = number(s, "min", f);
    out.max = number(s, "max", f);
    if (out.sd < 0) fail(f + ".sd", "negative");
    return out;
  }

 private:
  std::string source_;
};

bool contains(const std::vector<std::string>& list, const std::string& value) {
  for (const std::string& v : list)
    if (v == value) return true;
  return false;
}

}  // namespace

CohortSummary cohortSummaryFromJson(const nlohmann::json& json, const std::string& source) {
  const Reader r(source);
  if (!json.is_object())
    r.fail("(top level)", "expected an object: is this a cohort summary (segment_importance.json of merge)?");
  CohortSummary out;
  out.cases = r.texts(json, "cases");
  out.targets = r.texts(json, "targets");
  out.segments = r.texts(json, "segments");
  out.modalities = r.texts(json, "modalities");
  if (out.cases.empty()) r.fail("cases", "empty");
  out.provenance = json.value("provenance", nlohmann::json::object());
  const nlohmann::json& cells = r.list(json, "cells");
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string f = "cells[" + std::to_string(i) + "]";
    MergedCell c;
    c.target = r.text(cells[i], "target", f);
    c.segment = r.text(cells[i], "segment", f);
    c.modality = r.text(cells[i], "modality", f);
    if (!contains(out.targets, c.target)) r.fail(f + ".target", "\"" + c.target + "\" is not among the targets");
    if (!contains(out.segments, c.segment)) r.fail(f + ".segment", "\"" + c.segment + "\" is not among the segments");
    if (!contains(out.modalities, c.modality))
      r.fail(f + ".modality", "\"" + c.modality + "\" is not among the modalities");
    c.share = r.spread(cells[i], "share", f);
    c.mean = r.spread(cells[i], "mean", f);
    c.perMm3 = r.spread(cells[i], "per_mm3", f);
    c.signedSum = r.spread(cells[i], "signed", f);
    c.positiveShare = r.spread(cells[i], "positive_share", f);
    c.negativeShare = r.spread(cells[i], "negative_share", f);
    out.cells.push_back(std::move(c));
  }
  const nlohmann::json& modalities = r.list(json, "modality_importance");
  for (std::size_t i = 0; i < modalities.size(); ++i) {
    const std::string f = "modality_importance[" + std::to_string(i) + "]";
    MergedModality m;
    m.name = r.text(modalities[i], "name", f);
    m.absShare = r.spread(modalities[i], "abs_share", f);
    m.shapley = r.spread(modalities[i], "shapley", f);
    out.modalityImportance.push_back(std::move(m));
  }
  return out;
}

CohortSummary readCohortSummary(const std::filesystem::path& path) {
  return cohortSummaryFromJson(readJsonFile(path), path.string());
}

}  // namespace voxplain
