// voxplain-cli evaluate --suite synthetic [--n 100] [--model M] [--methods a,b] [--layers g1,g2]
//                       [--param method.key=value ...] [--size 48,48,48] [--first-seed 9000] [--informative
//                       both|flair|t1]
//                       [--deletion-steps 10] [--max-fraction 0.05] [--sanity-cases 2]
//                       [--msfi-dilation-mm 2] [--no-aq] [--shard I/N | --merge DIR...] --out DIR
//                       [--force] [--progress] [--json]
// The explanation evaluation suite (analysis/EvaluationSuite.h). Every case is stored as
// DIR/cases/case_<i>.json when done; a run that stops (Ctrl-C, a lost node) resumes at the next
// case with the same options. Writes evaluation.csv (one row per case and method), summary.json,
// summary.csv, summary.md and wilcoxon.csv. With --shard I/N only that shard's cases are computed
// (no summary); --merge gathers the shards' case files (same options) into DIR and summarises them,
// refusing when a case is in none of them.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "CliCommand.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/CaseShard.h"
#include "analysis/EvaluationSuite.h"
#include "runtime/CsvWriter.h"
#include "runtime/JsonFile.h"
#include "task/InputError.h"

#ifndef VOXPLAIN_DEMO_MODEL
#define VOXPLAIN_DEMO_MODEL ""
#endif

namespace voxplain::cli {
namespace {

std::string perCaseCsv(const std::vector<nlohmann::json>& cases) {
  // The numeric keys of a row, in column order (blank where a row lacks one).
  const std::vector<std::string> keys{
      "energy_inside",  "auc",        "mask_share",     "aq",     "pp", "re", "rfa", "epa", "msfi", "deletion_area",
      "insertion_area", "sanity_rho", "sanity_rho_own", "seconds"};
  std::vector<std::string> header{"case", "seed", "dice", "combo", "method", "group"};
  header.insert(header.end(), keys.begin(), keys.end());
  CsvWriter csv(header);
  for (const auto& c : cases)
    for (const auto& row : c["rows"]) {
      csv.row() << c["case"].dump() << c["seed"].dump() << c["dice"].get<double>() << row["combo"].get<std::string>()
                << row["method"].get<std::string>() << row["group"].get<std::string>();
      for (const std::string& key : keys) {
        if (row.contains(key) && row[key].is_number())
          csv << row[key].get<double>();
        else
          csv.skip();
      }
    }
  return csv.str();
}

std::string pairwiseCsv(const nlohmann::json& summary) {
  CsvWriter csv({"metric", "a", "b", "n", "w_plus", "p", "exact"});
  for (const auto& p : summary["pairwise"])
    csv.row() << p["metric"].get<std::string>() << p["a"].get<std::string>() << p["b"].get<std::string>()
              << p["n"].dump() << p["w_plus"].get<double>() << p["p"].get<double>() << p["exact"].dump();
  return csv.str();
}

std::vector<std::string> splitList(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::istringstream in(item);
    std::string part;
    while (std::getline(in, part, ','))
      if (!part.empty()) out.push_back(part);
  }
  return out;
}

}  // namespace

namespace {
// The demo model installed beside the executable (<prefix>/share/voxplain/demo), else the build tree's.
std::string demoModel() {
  std::error_code ec;
  const std::filesystem::path installed = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / ".." /
                                          "share" / "voxplain" / "demo" / "demo_unet.json";
  return !ec && std::filesystem::exists(installed, ec) ? installed.lexically_normal().string()
                                                       : std::string(VOXPLAIN_DEMO_MODEL);
}

// The combinations of --methods x --layers; an unknown method is named by this command's flag
// (--methods), not by the single-method flag the other commands share.
std::vector<EvaluationCombo> combosOf(const ModelManifest& manifest, const std::vector<std::string>& methods,
                                      const std::vector<std::string>& layers) {
  try {
    return evaluationCombos(manifest, splitList(methods), splitList(layers));
  } catch (const InputError& e) {
    if (e.field() != InputField::Method) throw;
    throw InputError("--methods " + e.source(), e.reason());
  }
}
}  // namespace

CommandRunner addEvaluateCommand(CLI::App& app) {
  struct Options {
    std::string suite = "synthetic", model = demoModel(), out, device = "auto", shard, informative = "both";
    std::vector<std::string> merge;
    std::size_t n = 100;
    std::vector<std::string> methods, layers, params;
    std::vector<std::size_t> size{48, 48, 48};
    std::uint64_t firstSeed = 9000;
    int deletionSteps = 10, sanityCases = 2, threads = 0, batch = 0;
    double maxFraction = 0.05, dilationMm = 2.0;
    bool force = false, progress = false, json = false, noSha = false, noAq = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate",
      "Score explanation methods on synthetic cases with ground truth (quality, MSFI, faithfulness, sanity)");
  cmd->add_option("--suite", o->suite, "Case suite (synthetic: the FLAIR/T1 lesion phantom)")
      ->check(CLI::IsMember({"synthetic"}));
  cmd->add_option("--n", o->n, "Number of cases")->check(CLI::Range(1, 100000));
  cmd->add_option("--model", o->model, "Model manifest (default: the bundled demo model)");
  cmd->add_option("--methods", o->methods, "Comma-separated methods (default: every method)");
  cmd->add_option("--layers", o->layers,
                  "Comma-separated layer groups for CAM methods (default: every group of the manifest)");
  cmd->add_option("--param", o->params, "method.key=value (repeatable), e.g. integrated_gradients.steps=16");
  cmd->add_option("--size", o->size, "Phantom size x,y,z in voxels")->expected(3)->delimiter(',');
  cmd->add_option("--first-seed", o->firstSeed, "Case i is the phantom of seed first-seed + i");
  cmd->add_option("--informative", o->informative,
                  "Which modality shows the lesions in the phantoms: both (the demo model), flair or t1 (for models "
                  "trained with train_demo_model.py --informative)")
      ->check(CLI::IsMember(informativeModalityNames()));
  cmd->add_option("--deletion-steps", o->deletionSteps, "Points of the deletion/insertion curves (0: no faithfulness)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--max-fraction", o->maxFraction, "Largest fraction of features deleted/inserted")
      ->check(CLI::Range(1e-6, 1.0));
  cmd->add_option("--sanity-cases", o->sanityCases, "Cases (the first ones) with the cascading-randomisation check")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--msfi-dilation-mm", o->dilationMm, "Dilation of the ground truth for MSFI (mm)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("--no-aq", o->noAq, "Skip the attribution quality AQ (one forward pass per method and case)");
  cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N");
  cmd->add_option("--threads", o->threads, "CPU threads (0: all cores)");
  cmd->add_option("--batch", o->batch, "Patches per forward pass (0: the manifest's)");
  cmd->add_flag("--no-sha-check", o->noSha, "Do not compare the model file with the manifest's SHA-256");
  CLI::Option* shard =
      cmd->add_option("--shard", o->shard, "I/N: compute every N-th case starting at the I-th (1-based); no summary");
  CLI::Option* merge = cmd->add_option("--merge", o->merge,
                                       "Folders of evaluate shards (same options) to gather into --out and summarise");
  CLI::Option* force = cmd->add_flag("--force", o->force, "Recompute cases that are already stored");
  merge->excludes(shard)->excludes(force);
  cmd->add_option("--out", o->out, "Output folder")->required();
  cmd->add_flag("--progress", o->progress, "Show progress on stderr even when it is not a terminal");
  cmd->add_flag("--json", o->json, "Print the summary as JSON");
  return [o]() {
    namespace fs = std::filesystem;
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    if (o->model.empty()) throw InputError("--model", "no model given and no bundled demo model in this build");
    ModelPackage package = ModelPackage::open(o->model, {}, !o->noSha);
    EvaluationOptions options;
    options.firstSeed = o->firstSeed;
    options.size = {o->size[0], o->size[1], o->size[2]};
    options.informative = informativeModalityFromName(o->informative);
    options.combos = combosOf(package.manifest(), o->methods, o->layers);
    options.params = o->params;
    options.faithfulness.steps = o->deletionSteps;
    options.faithfulness.maxFraction = o->maxFraction;
    options.sanityCases = o->sanityCases;
    options.msfiDilationMm = o->dilationMm;
    options.attributionQuality = !o->noAq;
    options.runtime.device = o->device;
    options.runtime.cpuThreads = o->threads;
    options.runtime.batchSize = o->batch;
    nlohmann::json config{{"suite", o->suite},
                          {"model_sha256", package.sha256()},
                          {"first_seed", o->firstSeed},
                          {"size", o->size},
                          {"combos", nlohmann::json::array()},
                          {"params", o->params},
                          {"deletion_steps", o->deletionSteps},
                          {"max_fraction", o->maxFraction},
                          {"sanity_cases", o->sanityCases},
                          {"msfi_dilation_mm", o->dilationMm},
                          {"attribution_quality", !o->noAq}};
    // Named only when not the default, so the cases stored before the option existed still resume.
    if (options.informative != InformativeModality::Both) config["informative"] = o->informative;
    for (const EvaluationCombo& c : options.combos) config["combos"].push_back(c.name());

    const fs::path out(o->out), caseDir = out / "cases";
    const CaseShard caseShard = o->shard.empty() ? CaseShard{} : parseCaseShard(o->shard);
    for (const std::string& dir : o->merge)
      if (!fs::is_directory(fs::path(dir) / "cases"))
        throw InputError(dir, "is not an evaluate output folder (no cases/ in it)");
    fs::create_directories(caseDir);
    std::vector<nlohmann::json> cases;
    std::vector<std::size_t> missing;
    std::size_t resumed = 0, computed = 0;
    for (std::size_t i : shardIndices(o->n, caseShard)) {
      const std::string name = "case_" + std::to_string(i) + ".json";
      fs::path stored = caseDir / name;
      for (std::size_t d = 0; d < o->merge.size() && !fs::exists(stored); ++d)
        if (fs::exists(fs::path(o->merge[d]) / "cases" / name)) stored = fs::path(o->merge[d]) / "cases" / name;
      if (fs::exists(stored) && !o->force) {
        nlohmann::json record = readJsonFile(stored);
        if (record.value("config", nlohmann::json()) != config)
          throw InputError(
              stored.string(),
              "was made with other options (another model, methods or settings): use another --out or --force");
        if (stored != caseDir / name) writeTextFile(caseDir, name, record.dump(1) + "\n");
        cases.push_back(std::move(record));
        ++resumed;
        continue;
      }
      if (!o->merge.empty()) {
        missing.push_back(i);
        continue;
      }
      nlohmann::json record =
          evaluateCase(package, i, options, control.range(double(i) / double(o->n), double(i + 1) / double(o->n)));
      record["config"] = config;
      writeTextFile(caseDir, name, record.dump(1) + "\n");
      cases.push_back(std::move(record));
      ++computed;
    }
    if (!missing.empty()) {
      std::string list;
      for (std::size_t k = 0; k < missing.size() && k < 10; ++k) list += (k ? ", " : "") + std::to_string(missing[k]);
      if (missing.size() > 10) list += ", ...";
      throw InputError("--merge", std::to_string(missing.size()) + " of the " + std::to_string(o->n) +
                                      " cases are in none of the folders (case " + list + "): run their shards first");
    }
    if (!o->shard.empty()) {
      std::cout << "shard " << caseShard.index << "/" << caseShard.count << ": " << computed << " case(s) done, "
                << resumed << " already there; results in " << caseDir.string() << " (summarise with --merge)\n";
      return kExitOk;
    }
    const nlohmann::json summary = summariseEvaluation(cases);
    writeTextFile(out, "evaluation.csv", perCaseCsv(cases));
    writeTextFile(out, "summary.json", nlohmann::json{{"config", config}, {"summary", summary}}.dump(1) + "\n");
    writeTextFile(out, "summary.csv", evaluationCsv(summary));
    writeTextFile(out, "summary.md", evaluationMarkdown(summary));
    writeTextFile(out, "wilcoxon.csv", pairwiseCsv(summary));
    if (o->json)
      std::cout << summary.dump(1) << "\n";
    else
      std::cout << "evaluated " << options.combos.size() << " method/layer combination(s) on " << o->n << " case(s) ("
                << resumed << " resumed); wrote summary.md, summary.csv, evaluation.csv and wilcoxon.csv to " << o->out
                << "\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
