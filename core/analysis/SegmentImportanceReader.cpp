#include "analysis/SegmentImportanceReader.h"

#include <algorithm>

#include "runtime/JsonFields.h"

namespace voxplain {

namespace {
std::size_t indexOf(const FieldReader& r, const std::vector<std::string>& names, const std::string& name,
                    const std::string& field) {
  const auto at = std::find(names.begin(), names.end(), name);
  if (at == names.end()) r.fail(field, "'" + name + "' is not listed");
  return std::size_t(at - names.begin());
}
}  // namespace

SegmentImportance segmentImportanceFromJson(const nlohmann::json& json, const std::string& source) {
  const FieldReader r(source);
  if (!json.is_object()) r.fail("segments", "must be an object");
  SegmentImportance s;
  s.modalities = r.strings(r.require(json, "modalities", ""), "modalities");
  std::vector<std::string> targetNames, segmentNames, modalityNames = s.modalities;
  modalityNames.push_back("all");
  const nlohmann::json& targets = r.list(r.require(json, "targets", ""), "targets");
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const std::string f = "targets[" + std::to_string(t) + "].";
    s.targets.push_back({r.integer(r.require(targets[t], "label", f), f + "label"),
                         r.string(r.require(targets[t], "name", f), f + "name")});
    targetNames.push_back(s.targets.back().name);
  }
  const nlohmann::json& segments = r.list(r.require(json, "segments", ""), "segments");
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string f = "segments[" + std::to_string(i) + "].";
    s.segments.push_back({r.integer(r.require(segments[i], "label", f), f + "label"),
                          r.string(r.require(segments[i], "name", f), f + "name")});
    segmentNames.push_back(s.segments.back().name);
    s.segmentVoxels.push_back(r.count(r.require(segments[i], "voxels", f), f + "voxels"));
    s.segmentMm3.push_back(r.number(r.require(segments[i], "volume_mm3", f), f + "volume_mm3"));
  }
  s.cells.assign(s.targets.size(), std::vector<std::vector<SegmentCell>>(
                                       s.segments.size(), std::vector<SegmentCell>(modalityNames.size())));
  const nlohmann::json& cells = r.list(r.require(json, "cells", ""), "cells");
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string f = "cells[" + std::to_string(i) + "].";
    const nlohmann::json& c = cells[i];
    const std::size_t t = indexOf(r, targetNames, r.string(r.require(c, "target", f), f + "target"), f + "target");
    const std::size_t g = indexOf(r, segmentNames, r.string(r.require(c, "segment", f), f + "segment"), f + "segment");
    const std::size_t m =
        indexOf(r, modalityNames, r.string(r.require(c, "modality", f), f + "modality"), f + "modality");
    SegmentCell& cell = s.cells[t][g][m];
    cell.share = r.number(r.require(c, "share", f), f + "share");
    cell.mean = r.number(r.require(c, "mean", f), f + "mean");
    cell.perMm3 = r.number(r.require(c, "per_mm3", f), f + "per_mm3");
    cell.signedSum = r.number(r.require(c, "signed", f), f + "signed");
    cell.positiveShare = r.number(r.require(c, "positive_share", f), f + "positive_share");
    cell.negativeShare = r.number(r.require(c, "negative_share", f), f + "negative_share");
    cell.absSum = r.number(r.require(c, "abs_sum", f), f + "abs_sum");
  }
  return s;
}

}  // namespace voxplain
