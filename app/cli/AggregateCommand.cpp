// voxplain-cli aggregate --cases cases.csv --model M --method NAME [--param k=v ...] [--shard I/N]
//                        [--shapley] --out DIR [--device ...] [--force] [--progress] [--json]
// Agg^2Exp over a cohort (analysis/CaseAggregation.h): each case of this shard is written as
// DIR/cases/<case>.json as soon as it is done, so a shard that stops resumes where it stopped
// (existing results are kept unless --force). Shards run anywhere (Slurm job arrays, GNU parallel)
// and `merge` combines their folders; without --shard the cohort report is written at the end.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "CliCommand.h"
#include "CliErrors.h"
#include "CohortReport.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/CaseAggregation.h"
#include "analysis/CohortTable.h"
#include "attribution/AttributionMethod.h"
#include "task/InputError.h"

namespace voxplain::cli {

CommandRunner addAggregateCommand(CLI::App& app) {
  struct Options : ModelRunOptions {
    std::string cases, method, shard, out;
    std::vector<std::string> params;
    bool shapley = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("aggregate", "Agg^2Exp segment importance (class x segment) over a cohort, shardable");
  addModelRunOptions(*cmd, *o, /*withInputs=*/false);
  cmd->add_option("--cases", o->cases, "Cohort table: header 'case,<input names...>[,reference]', one row per case")
      ->required();
  cmd->add_option("--method", o->method, "Attribution method (see explain)")->required();
  cmd->add_option("--param", o->params, "Method parameter key=value (repeatable)");
  cmd->add_option("--shard", o->shard, "I/N: run every N-th case starting at the I-th (1-based)");
  cmd->add_flag("--shapley", o->shapley, "Also compute exact modality Shapley values (2^M forward passes per case)");
  cmd->add_option("--out", o->out, "Output folder (cases/<case>.json, and the report when not sharded)")->required();
  return [o]() {
    namespace fs = std::filesystem;
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    findMethod(o->method);
    const CaseShard shard = o->shard.empty() ? CaseShard{} : parseCaseShard(o->shard);
    ModelPackage package = ModelPackage::open(o->model, {}, !o->noSha);
    std::vector<std::string> inputNames;
    for (const ModelInput& in : package.manifest().inputs) inputNames.push_back(in.name);
    std::ifstream table(o->cases);
    if (!table) throw InputError(o->cases, "cannot be opened");
    std::stringstream text;
    text << table.rdbuf();
    const std::vector<CohortCase> all = parseCohortTable(text.str(), o->cases, inputNames);
    const std::vector<CohortCase> mine = shardOf(all, shard);

    const fs::path caseDir = fs::path(o->out) / "cases";
    fs::create_directories(caseDir);
    std::size_t done = 0, skipped = 0, failed = 0;
    for (std::size_t i = 0; i < mine.size(); ++i) {
      const CohortCase& c = mine[i];
      const fs::path file = caseDir / (c.id + ".json");
      if (fs::exists(file) && !o->force) {
        ++skipped;
        continue;
      }
      const TaskControl step = control.range(double(i) / double(mine.size()), double(i + 1) / double(mine.size()));
      step.step(0, "case " + c.id);
      try {
        const Study study = readModelStudy(package, unnamedStudyInputs(c.inputs), step);
        const CaseAggregation result = aggregateCase(package, study, o->method, ParameterSet::parse(o->params),
                                                     predictOptions(*o), o->shapley, step);
        nlohmann::json j = result.toJson();
        j["case"] = c.id;
        j["inputs"] = c.inputs;
        writeTextFile(caseDir, c.id + ".json", j.dump(1) + "\n");
        ++done;
      } catch (const InputError& e) {  // one bad case must not stop a cohort: reported, exit status 2
        std::cerr << "error: case " << c.id << " (" << o->cases << ":" << c.line << "): " << cliMessage(e) << "\n";
        ++failed;
      }
    }
    std::cout << "shard " << shard.index << "/" << shard.count << ": " << done << " case(s) done, " << skipped
              << " already there, " << failed << " failed; results in " << caseDir.string() << "\n";
    if (o->shard.empty() && failed == 0) {
      const CohortSummary summary = mergeFolders({fs::path(o->out)});
      writeCohortReport(summary, o->out);
      if (o->json)
        std::cout << summary.toJson().dump(1) << "\n";
      else
        std::cout << "cohort report (" << summary.cases.size() << " cases) written to " << o->out << "\n";
    }
    return failed ? kExitBadInput : kExitOk;
  };
}

}  // namespace voxplain::cli
