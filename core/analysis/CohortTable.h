#pragma once
// The cohort table of `voxplain-cli aggregate --cases cases.csv`: one row per case, a header
// naming the columns. Required: "case" (a unique id, used as the file name of the case's result)
// and one column per model input, named as the manifest's inputs (case-insensitive), holding an
// image path (NIfTI file, DICOM file or folder); optional "reference". Relative paths are relative
// to the table's folder. Fields may be double-quoted ("a,b" and "" for a quote); blank lines and
// lines starting with '#' are skipped.
//
//   case,FLAIR,T1
//   sub-01,sub-01/flair.nii.gz,sub-01/t1.nii.gz

#include <string>
#include <vector>

#include "analysis/CaseShard.h"

namespace voxplain {

struct CohortCase {
  std::string id;
  std::vector<std::string> inputs;  ///< in `inputNames` order, resolved paths
  std::string reference;            ///< resolved path or ""
  std::size_t line = 0;             ///< 1-based line in the table
};

/// Parses `text` (the content of `source`, whose folder resolves relative paths). Throws
/// InputError "source:line: reason" for a missing column, a short row, an empty or duplicate id,
/// an id that is not a safe file name, or no rows.
std::vector<CohortCase> parseCohortTable(const std::string& text, const std::string& source,
                                         const std::vector<std::string>& inputNames);

/// The cases of `shard` (analysis/CaseShard.h: every N-th case from the I-th, so that shards of a
/// sorted table have similar sizes). Throws InputError unless 1 <= I <= N.
std::vector<CohortCase> shardOf(const std::vector<CohortCase>& cases, const CaseShard& shard);

}  // namespace voxplain
