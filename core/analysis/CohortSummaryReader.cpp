#include "analysis/CohortSummaryReader.h"

#include "runtime/JsonFields.h"
#include "runtime/JsonFile.h"

namespace voxplain {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  for (const std::string& v : list)
    if (v == value) return true;
  return false;
}

Spread spread(const FieldReader& r, const nlohmann::json& object, const char* key, const std::string& field) {
  const std::string f = field + "." + key;
  const nlohmann::json& s = r.require(object, key, field + ".");
  Spread out;
  out.n = r.count(r.require(s, "n", f + "."), f + ".n");
  out.mean = r.number(r.require(s, "mean", f + "."), f + ".mean");
  out.sd = r.number(r.require(s, "sd", f + "."), f + ".sd");
  out.min = r.number(r.require(s, "min", f + "."), f + ".min");
  out.max = r.number(r.require(s, "max", f + "."), f + ".max");
  if (out.sd < 0) r.fail(f + ".sd", "negative");
  return out;
}

}  // namespace

CohortSummary cohortSummaryFromJson(const nlohmann::json& json, const std::string& source) {
  const FieldReader r(source);
  if (!json.is_object())
    r.fail("(top level)", "must be an object: is this a cohort summary (segment_importance.json of merge)?");
  CohortSummary out;
  out.cases = r.strings(r.require(json, "cases", ""), "cases");
  out.targets = r.strings(r.require(json, "targets", ""), "targets");
  out.segments = r.strings(r.require(json, "segments", ""), "segments");
  out.modalities = r.strings(r.require(json, "modalities", ""), "modalities");
  if (out.cases.empty()) r.fail("cases", "empty");
  out.provenance = json.value("provenance", nlohmann::json::object());
  const nlohmann::json& cells = r.list(r.require(json, "cells", ""), "cells");
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string f = "cells[" + std::to_string(i) + "]";
    MergedCell c;
    c.target = r.string(r.require(cells[i], "target", f + "."), f + ".target");
    c.segment = r.string(r.require(cells[i], "segment", f + "."), f + ".segment");
    c.modality = r.string(r.require(cells[i], "modality", f + "."), f + ".modality");
    if (!contains(out.targets, c.target)) r.fail(f + ".target", "\"" + c.target + "\" is not among the targets");
    if (!contains(out.segments, c.segment)) r.fail(f + ".segment", "\"" + c.segment + "\" is not among the segments");
    if (!contains(out.modalities, c.modality))
      r.fail(f + ".modality", "\"" + c.modality + "\" is not among the modalities");
    c.share = spread(r, cells[i], "share", f);
    c.mean = spread(r, cells[i], "mean", f);
    c.perMm3 = spread(r, cells[i], "per_mm3", f);
    c.signedSum = spread(r, cells[i], "signed", f);
    c.positiveShare = spread(r, cells[i], "positive_share", f);
    c.negativeShare = spread(r, cells[i], "negative_share", f);
    out.cells.push_back(std::move(c));
  }
  const nlohmann::json& modalities = r.list(r.require(json, "modality_importance", ""), "modality_importance");
  for (std::size_t i = 0; i < modalities.size(); ++i) {
    const std::string f = "modality_importance[" + std::to_string(i) + "]";
    MergedModality m;
    m.name = r.string(r.require(modalities[i], "name", f + "."), f + ".name");
    m.absShare = spread(r, modalities[i], "abs_share", f);
    m.shapley = spread(r, modalities[i], "shapley", f);
    out.modalityImportance.push_back(std::move(m));
  }
  return out;
}

CohortSummary readCohortSummary(const std::filesystem::path& path) {
  return cohortSummaryFromJson(readJsonFile(path), path.string());
}

}  // namespace voxplain
