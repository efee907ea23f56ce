#pragma once
// The outputs of `aggregate` and `merge`: per-case results are DIR/cases/<case>.json; the cohort
// report is segment_importance.{csv,json}, matrix.{svg,png} (mean share of |A|, all modalities),
// bars_<class>.{svg,png} (segments ranked by mean share, +-1 sd), modalities.{svg,png}.

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/CohortMerge.h"

namespace voxplain::cli {

/// Every DIR/cases/*.json of `dirs` (sorted by file name). Throws InputError for a folder without
/// results or an unreadable file.
std::vector<nlohmann::json> readCaseResults(const std::vector<std::filesystem::path>& dirs);

/// mergeCases() of every case result under `dirs`; a mix of models/methods or a duplicate case is an
/// InputError naming the first folder.
CohortSummary mergeFolders(const std::vector<std::filesystem::path>& dirs);

/// Writes the report files into `out`.
void writeCohortReport(const CohortSummary& summary, const std::filesystem::path& out);

}  // namespace voxplain::cli
