// voxplain-cli merge DIR... [--out OUT] [--json]
// Combines the case results of `aggregate` shards into mean and spread per cell
// (analysis/CohortMerge.h) and writes the cohort report (CohortReport.h).
#include <filesystem>
#include <iostream>

#include "CliCommand.h"
#include "CohortReport.h"
#include "analysis/CohortMerge.h"

namespace voxplain::cli {

CommandRunner addMergeCommand(CLI::App& app) {
  struct Options {
    std::vector<std::string> dirs;
    std::string out;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("merge", "Merge aggregate outputs (shards) into the cohort's segment-importance report");
  cmd->add_option("dirs", o->dirs, "Output folders of aggregate runs")->required();
  cmd->add_option("--out", o->out, "Report folder (default: the first folder)");
  cmd->add_flag("--json", o->json, "Print the merged summary as JSON");
  return [o]() {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs(o->dirs.begin(), o->dirs.end());
    const CohortSummary summary = mergeFolders(dirs);
    const fs::path out = o->out.empty() ? dirs.front() : fs::path(o->out);
    writeCohortReport(summary, out);
    if (o->json)
      std::cout << summary.toJson().dump(1) << "\n";
    else
      std::cout << "merged " << summary.cases.size() << " case(s) from " << dirs.size() << " folder(s) into "
                << out.string() << "\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
