#include "analysis/InstanceReportReader.h"

#include <set>

#include "runtime/JsonFields.h"

namespace voxplain {

InstanceReport instanceReportFromJson(const nlohmann::json& json, const std::string& source) {
  const FieldReader r(source);
  if (!json.is_object()) r.fail("instances", "must be an object");
  InstanceReport report;
  report.modalities = r.strings(r.require(json, "modalities", ""), "modalities");
  report.hasReference = json.contains("false_negatives");
  if (report.hasReference) {
    report.falseNegatives = r.count(json["false_negatives"], "false_negatives");
    const nlohmann::json& auc = r.require(json, "auc_peak_tp_vs_fp", "");
    report.aucPeakTpVsFp = auc.is_null() ? -1.0 : r.number(auc, "auc_peak_tp_vs_fp");
  }
  const nlohmann::json& instances = r.list(r.require(json, "instances", ""), "instances");
  std::set<int> ids;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const std::string f = "instances[" + std::to_string(i) + "].";
    const nlohmann::json& j = instances[i];
    InstanceStats s;
    s.id = r.integer(r.require(j, "id", f), f + "id", 1, 2147483647);
    if (!ids.insert(s.id).second) r.fail(f + "id", std::to_string(s.id) + " is listed twice");
    s.voxels = r.count(r.require(j, "voxels", f), f + "voxels");
    s.volumeMm3 = r.number(r.require(j, "volume_mm3", f), f + "volume_mm3");
    s.meanProbability = r.number(r.require(j, "mean_probability", f), f + "mean_probability");
    const nlohmann::json& centroid = r.list(r.require(j, "centroid_lps_mm", f), f + "centroid_lps_mm");
    if (centroid.size() != 3) r.fail(f + "centroid_lps_mm", "must hold 3 numbers");
    for (std::size_t a = 0; a < 3; ++a)
      s.centroidMm[a] = r.number(centroid[a], f + "centroid_lps_mm[" + std::to_string(a) + "]");
    s.ringVoxels = r.count(r.require(j, "ring_voxels", f), f + "ring_voxels");
    for (const std::string& m : report.modalities) {
      const std::string g = f + "modalities." + m + ".";
      const nlohmann::json& q = r.require(r.require(j, "modalities", f), m.c_str(), f + "modalities.");
      ModalityInstanceStats stats;
      stats.sum = r.number(r.require(q, "sum", g), g + "sum");
      stats.mean = r.number(r.require(q, "mean", g), g + "mean");
      stats.peak = r.number(r.require(q, "peak", g), g + "peak");
      stats.insideMean = r.number(r.require(q, "inside_mean", g), g + "inside_mean");
      stats.ringMean = r.number(r.require(q, "ring_mean", g), g + "ring_mean");
      stats.share = r.number(r.require(q, "share", g), g + "share");
      s.modalities.push_back(stats);
    }
    if (report.hasReference) {
      s.match = r.string(r.require(j, "match", f), f + "match");
      if (s.match != "TP" && s.match != "FP") r.fail(f + "match", "must be \"TP\" or \"FP\"");
      s.dice = r.number(r.require(j, "dice", f), f + "dice");
    }
    report.instances.push_back(std::move(s));
  }
  return report;
}

}  // namespace voxplain
