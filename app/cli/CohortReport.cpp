#include "CohortReport.h"

#include <algorithm>
#include <cmath>

#include "ReportFiles.h"
#include "analysis/ImportanceCharts.h"
#include "runtime/JsonFile.h"
#include "task/InputError.h"

namespace voxplain::cli {
namespace fs = std::filesystem;

std::vector<nlohmann::json> readCaseResults(const std::vector<fs::path>& dirs) {
  std::vector<nlohmann::json> cases;
  for (const fs::path& dir : dirs) {
    const fs::path folder = dir / "cases";
    if (!fs::is_directory(folder)) throw InputError(dir.string(), "has no cases/ folder (not an aggregate output)");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      nlohmann::json j = readJsonFile(f);
      if (!j.is_object() || !j.contains("case") || !j.contains("segment_importance"))
        throw InputError(f.string(), "is not a case result of voxplain-cli aggregate");
      cases.push_back(std::move(j));
    }
  }
  return cases;
}

CohortSummary mergeFolders(const std::vector<fs::path>& dirs) {
  const std::vector<nlohmann::json> cases = readCaseResults(dirs);
  try {
    return mergeCases(cases);
  } catch (const std::invalid_argument& e) {
    throw InputError(dirs.front().string(), e.what());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(dirs.front().string(), std::string("a case result lacks a field (") + e.what() + ")");
  }
}

void writeCohortReport(const CohortSummary& summary, const fs::path& out) {
  writeTextFile(out, "segment_importance.csv", summary.toCsv());
  writeTextFile(out, "segment_importance.json", summary.toJson().dump(1) + "\n");
  writeFigure(out, "matrix", cohortMatrixSvg(summary));
  for (const std::string& t : summary.targets)
    writeFigure(out, "bars_" + fileStem(t), barChartSvg(cohortSegmentChart(summary, {t})));
  if (!summary.modalityImportance.empty()) writeFigure(out, "modalities", barChartSvg(cohortModalityChart(summary)));
}

}  // namespace voxplain::cli
