#pragma once
// Reading one case's segment importance back (SegmentImportance::toJson()), e.g. from a saved
// session. Every field is checked: a damaged value gets an InputError naming the source and the
// field, never a partial matrix.

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/SegmentImportance.h"

namespace voxplain {

/// `source` names the file (and field prefix) in messages. Throws InputError(source, "<field>:
/// <what is wrong>") for a missing or mistyped field, or cells that do not name a known target,
/// segment and modality.
SegmentImportance segmentImportanceFromJson(const nlohmann::json& json, const std::string& source);

}  // namespace voxplain
