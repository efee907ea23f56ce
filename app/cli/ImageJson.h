#pragma once
// JSON and text summaries of loaded images (the `info` output schema, documented in README).

#include <nlohmann/json.hpp>

#include "io/LoadedImage.h"

namespace voxplain::cli {

/// {uid, description, modality, format, size [x,y,z], volumes, spacing, origin, direction (9, row-major, LPS),
///  axis_codes, data_type, min, max, files, notes}, and for DICOM patient_id, study_uid,
///  study_description, series_number (info is a local inspection tool; exports leave these out).
nlohmann::json imageSummary(const LoadedImage& image);

/// Multi-line human-readable form of imageSummary().
std::string imageSummaryText(const nlohmann::json& summary);

}  // namespace voxplain::cli
