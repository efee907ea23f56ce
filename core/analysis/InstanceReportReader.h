#pragma once
// Reading one case's instance statistics back (InstanceReport::toJson()), e.g. from a saved
// session. Every field is checked: a damaged value gets an InputError naming the source and the
// field, never a partial table.

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/InstanceStatistics.h"

namespace voxplain {

/// `source` names the file (and field prefix) in messages. Throws InputError(source, "<field>:
/// <what is wrong>") for a missing or mistyped field, an instance without a value for a listed
/// modality, or duplicate instance ids. |A| sums inside (not written by toJson) read back as 0.
InstanceReport instanceReportFromJson(const nlohmann::json& json, const std::string& source);

}  // namespace voxplain
