#pragma once
// Reading and writing small JSON files (manifests, bundle configs, caches).

#include <filesystem>

#include <nlohmann/json.hpp>

namespace voxplain {

/// Parses `path`. Throws InputError(path, "cannot open the file" / "not valid JSON (...)").
nlohmann::json readJsonFile(const std::filesystem::path& path);

/// Writes `value` to a temporary file beside `path`, then renames it over `path` (a reader never
/// sees a half-written file; concurrent writers lose one update, never the file). Creates the
/// folder. Returns false (and writes nothing) when the folder or file cannot be written.
bool replaceJsonFile(const std::filesystem::path& path, const nlohmann::json& value);

}  // namespace voxplain
