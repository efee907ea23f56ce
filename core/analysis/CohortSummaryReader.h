#pragma once
// Reading a cohort summary back (the segment_importance.json that `voxplain-cli merge` writes,
// CohortSummary::toJson()), for the app's Analysis dock. Every field is checked: a damaged or
// foreign file gets an InputError naming the file and the field, never a partial summary.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/CohortMerge.h"

namespace voxplain {

/// `source` names the file in messages. Throws InputError(source, "<field>: <what is wrong>").
CohortSummary cohortSummaryFromJson(const nlohmann::json& json, const std::string& source);

/// Reads and checks `path`. Throws InputError (unreadable, not JSON, not a cohort summary).
CohortSummary readCohortSummary(const std::filesystem::path& path);

}  // namespace voxplain
