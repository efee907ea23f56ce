// voxplain-cli demo [--out DIR] [--model M]: the headless main job on the bundled demo. Writes the
// demo study (synthetic FLAIR + T1 + ground truth) and a report of its geometry, read back from
// disk; with --model, the report also explains the model on it: modality importance (Integrated
// Gradients share of |A| and exact Shapley values), Agg^2Exp segment importance with its figure, and
// per-instance statistics (Saliency) matched against the ground truth.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "CliCommand.h"
#include "ImageJson.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/CaseAggregation.h"
#include "analysis/InstanceStatistics.h"
#include "analysis/ImportanceCharts.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "synthetic/LesionPhantom.h"

namespace voxplain::cli {

namespace {

// The analyses of the report; returns their text and adds them to `report`.
std::string explainDemo(const std::string& model, const std::filesystem::path& dir, const LabelVolume& lesions, nlohmann::json& report) {
  StderrProgress progress(false);
  const TaskControl control(&progress, &interruptToken());
  ModelPackage package = ModelPackage::open(model);
  const Study study = readModelStudy(package, {(dir / "demo_flair.nii.gz").string(), (dir / "demo_t1.nii.gz").string()}, control);
  const CaseAggregation agg = aggregateCase(package, study, "integrated_gradients", {"steps=16"}, {}, true, control.range(0, 0.7));
  ExplainRequest request;
  request.method = "saliency";
  request.target = TargetSpec::parse("instance=all", package.manifest().defaultTargetLabel());
  const Explanation e = explain(package, study, request, control.range(0.7, 1));
  std::vector<std::vector<Volume>> maps;
  for (const RegionMaps& r : e.regions) maps.push_back(r.perModality);
  const InstanceReport instances = instanceStatistics(e.regionIds, &e.probability, maps, e.modalities, &lesions, {});
  report["analyses"] = {{"aggregation", agg.toJson()}, {"instances", instances.toJson()}};

  std::ostringstream t;
  t.precision(3);
  const ModalityImportance& mi = agg.modalities;
  t << "Explanations of " << package.manifest().name << "\n\nmodality importance (Integrated Gradients, 16 steps):";
  for (std::size_t m = 0; m < mi.modalities.size(); ++m)
    t << " " << mi.modalities[m] << " share of |A| " << mi.absShare[m] << ", Shapley " << mi.shapley[m] << ";";
  t << "\nsegment importance (Agg2Exp):";
  for (std::size_t s = 0; s < agg.segments.segments.size(); ++s)
    t << " " << agg.segments.segments[s].name << " holds " << agg.segments.cells[0][s].back().share << " of |A|;";
  std::size_t tp = 0;
  for (const InstanceStats& i : instances.instances) tp += i.match == "TP";
  t << "\ninstances (Saliency): " << instances.instances.size() << " predicted, " << tp << " true positive(s), " << instances.falseNegatives
    << " false negative(s) against demo_lesions.nii.gz\n";
  writeFigure(dir, "segment_importance", barChartSvg(segmentImportanceChart(agg.segments, "Integrated Gradients")));
  writeFigure(dir, "modality_importance", barChartSvg(modalityImportanceChart(mi.modalities, mi.absShare, mi.shapleyShare, "Integrated Gradients")));
  return t.str();
}

}  // namespace

CommandRunner addDemoCommand(CLI::App& app) {
  struct Options {
    std::string out = "voxplain-demo", model;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("demo", "Write the demo study and its report to a folder");
  cmd->add_option("--out", o->out, "Output folder (created)");
  cmd->add_option("--model", o->model, "Also explain this model on the demo study (e.g. resources/demo/demo_unet.json)");
  return [o]() {
    namespace fs = std::filesystem;
    const fs::path dir(o->out);
    fs::create_directories(dir);
    LesionPhantomOptions options;
    options.seed = 7;
    options.size = {96, 96, 64};
    const LesionPhantom p = makeLesionPhantom(options);
    writeNifti(p.flair, dir / "demo_flair.nii.gz", Overwrite::Allow);
    writeNifti(p.t1, dir / "demo_t1.nii.gz", Overwrite::Allow);
    writeNifti(p.lesions, dir / "demo_lesions.nii.gz", Overwrite::Allow);

    nlohmann::json report;
    report["study"] = nlohmann::json::array();
    std::string text = "Voxplain demo study\n\n";
    for (const char* name : {"demo_flair.nii.gz", "demo_t1.nii.gz", "demo_lesions.nii.gz"}) {
      const nlohmann::json s = imageSummary(readImage(dir / name));
      report["study"].push_back(s);
      text += imageSummaryText(s) + "\n";
    }
    if (!o->model.empty()) text += explainDemo(o->model, dir, p.lesions, report);
    std::ofstream(dir / "report.json") << report.dump(1) << "\n";
    std::ofstream(dir / "report.txt") << text;
    std::cout << text << "Demo written to " << fs::absolute(dir).string() << " (report.txt, report.json, *.nii.gz)\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
