#include "CohortReport.h"

#include <algorithm>
#include <cmath>

#include "ReportFiles.h"
#include "runtime/JsonFile.h"
#include "analysis/SvgCharts.h"
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
  const std::string n = std::to_string(summary.cases.size()) + (summary.cases.size() == 1 ? " case" : " cases");
  const std::string method = summary.provenance.value("method", "");
  std::vector<std::vector<double>> matrix;
  for (const std::string& t : summary.targets) {
    std::vector<double> row;
    for (const std::string& s : summary.segments) {
      const MergedCell* c = summary.cell(t, s, "all");
      row.push_back(c ? c->share.mean : NAN);
    }
    matrix.push_back(row);
  }
  writeFigure(out, "matrix",
              matrixSvg("Segment importance (" + method + ", " + n + ")", summary.targets, summary.segments, matrix,
                        "Mean share of |A| of the target class (rows) in each predicted segment (columns), all modalities", 0, 1));
  for (const std::string& t : summary.targets) {
    std::vector<std::string> labels;
    std::vector<double> means, sds;
    for (const std::string& s : summary.segments)
      if (const MergedCell* c = summary.cell(t, s, "all")) {
        labels.push_back(s);
        means.push_back(c->share.mean);
        sds.push_back(c->share.sd);
      }
    writeFigure(out, "bars_" + fileStem(t),
                rankedBarsSvg("Segments driving '" + t + "' (" + method + ", " + n + ")", labels, means, sds, "share of |A| (mean, +-1 sd)"));
  }
  if (!summary.modalityImportance.empty()) {
    std::vector<std::string> labels;
    std::vector<double> means, sds;
    for (const MergedModality& m : summary.modalityImportance) {
      labels.push_back(m.name);
      means.push_back(m.absShare.mean);
      sds.push_back(m.absShare.sd);
    }
    writeFigure(out, "modalities", rankedBarsSvg("Modality importance (" + method + ", " + n + ")", labels, means, sds, "share of |A| (mean, +-1 sd)"));
  }
}

}  // namespace voxplain::cli
