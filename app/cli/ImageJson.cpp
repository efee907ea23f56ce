#include "ImageJson.h"

#include <algorithm>
#include <sstream>

namespace voxplain::cli {

nlohmann::json imageSummary(const LoadedImage& image) {
  const Geometry& g = image.geometry();
  double lo = 0.0, hi = 0.0;
  bool first = true;
  for (const Volume& v : image.volumes) {
    const auto [a, b] = valueRange(v);
    lo = first ? a : std::min(lo, a);
    hi = first ? b : std::max(hi, b);
    first = false;
  }
  nlohmann::json j;
  j["uid"] = image.uid;
  j["description"] = image.description;
  j["modality"] = image.modality;
  if (!image.studyUid.empty()) {
    j["patient_id"] = image.patientId;
    j["study_uid"] = image.studyUid;
    j["study_description"] = image.studyDescription;
    j["series_number"] = image.seriesNumber;
  }
  j["format"] = image.format;
  j["size"] = {g.size[0], g.size[1], g.size[2]};
  j["volumes"] = image.volumes.size();
  j["spacing"] = {g.spacing[0], g.spacing[1], g.spacing[2]};
  j["origin"] = {g.origin[0], g.origin[1], g.origin[2]};
  j["direction"] = std::vector<double>(g.direction.begin(), g.direction.end());
  j["axis_codes"] = g.axisCodes();
  j["data_type"] = image.storedDataType;
  j["min"] = lo;
  j["max"] = hi;
  j["files"] = image.fileCount;
  j["notes"] = image.notes;
  j["source"] = image.source;
  return j;
}

std::string imageSummaryText(const nlohmann::json& s) {
  std::ostringstream out;
  auto vec = [](const nlohmann::json& a) {
    std::ostringstream v;
    v << "[";
    for (std::size_t i = 0; i < a.size(); ++i) v << (i ? ", " : "") << a[i].get<double>();
    v << "]";
    return v.str();
  };
  if (s.contains("study_uid"))
    out << "patient    " << s["patient_id"].get<std::string>() << "\nstudy      " << s["study_uid"].get<std::string>()
        << (s["study_description"].get<std::string>().empty() ? ""
                                                              : " (" + s["study_description"].get<std::string>() + ")")
        << "\n";
  if (!s["uid"].get<std::string>().empty())
    out << "series     " << s["uid"].get<std::string>() << " (number " << s.value("series_number", 0) << ")\n";
  out << "source     " << s["source"].get<std::string>() << " (" << s["format"].get<std::string>() << ", "
      << s["files"].get<std::size_t>() << " file(s))\n";
  if (!s["description"].get<std::string>().empty())
    out << "description " << s["description"].get<std::string>() << "\n";
  if (!s["modality"].get<std::string>().empty()) out << "modality   " << s["modality"].get<std::string>() << "\n";
  out << "size       " << vec(s["size"]);
  if (s["volumes"].get<std::size_t>() > 1) out << " x " << s["volumes"].get<std::size_t>() << " volumes";
  out << "\nspacing    " << vec(s["spacing"]) << " mm\n"
      << "origin     " << vec(s["origin"]) << " mm (LPS)\n"
      << "direction  " << vec(s["direction"]) << " (" << s["axis_codes"].get<std::string>() << ")\n"
      << "data type  " << s["data_type"].get<std::string>() << ", values " << s["min"].get<double>() << " .. "
      << s["max"].get<double>() << "\n";
  for (const auto& n : s["notes"]) out << "note       " << n.get<std::string>() << "\n";
  return out.str();
}

}  // namespace voxplain::cli
