// voxplain-cli demo [--out DIR] [--model M] [--anatomy FILE] [--spheres]: the headless main job on
// the bundled demo. Writes the demo study and a report of its geometry, read back from disk: the
// realistic brain study (synthetic/BrainLesionPhantom.h on mricron-data's ch2bet T1: FLAIR + T1 +
// ground truth as NIfTI, and FLAIR and T1 as a DICOM study of a synthetic patient under dicom/), or
// with --spheres the sphere phantom the fast tests use. With --model, the report also explains the
// model on it: modality importance (Integrated Gradients share of |A| and exact Shapley values),
// Agg^2Exp segment importance with its figure, and per-instance statistics (Saliency) matched
// against the ground-truth lesions.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "BrainAnatomy.h"
#include "CliCommand.h"
#include "ImageJson.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/CaseAggregation.h"
#include "analysis/ImportanceCharts.h"
#include "analysis/InstanceStatistics.h"
#include "io/DicomSeriesWriter.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "synthetic/LesionPhantom.h"

namespace voxplain::cli {

namespace {

// The analyses of the report; returns their text and adds them to `report`.
std::string explainDemo(const std::string& model, const std::filesystem::path& dir, const LabelVolume& lesions,
                        int steps, nlohmann::json& report) {
  StderrProgress progress(false);
  const TaskControl control(&progress, &interruptToken());
  ModelPackage package = ModelPackage::open(model);
  const Study study = readModelStudy(
      package, unnamedStudyInputs({(dir / "demo_flair.nii.gz").string(), (dir / "demo_t1.nii.gz").string()}), control);
  ParameterSet integratedGradients;
  integratedGradients.set("steps", steps);
  const CaseAggregation agg =
      aggregateCase(package, study, "integrated_gradients", integratedGradients, {}, true, control.range(0, 0.7));
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
  t << "Explanations of " << package.manifest().name << "\n\nmodality importance (Integrated Gradients, " << steps
    << " steps):";
  for (std::size_t m = 0; m < mi.modalities.size(); ++m)
    t << " " << mi.modalities[m] << " share of |A| " << mi.absShare[m] << ", Shapley " << mi.shapley[m] << ";";
  t << "\nsegment importance (Agg2Exp):";
  for (std::size_t s = 0; s < agg.segments.segments.size(); ++s)
    t << " " << agg.segments.segments[s].name << " holds " << agg.segments.cells[0][s].back().share << " of |A|;";
  std::size_t tp = 0;
  for (const InstanceStats& i : instances.instances) tp += i.match == "TP";
  t << "\ninstances (Saliency): " << instances.instances.size() << " predicted, " << tp << " true positive(s), "
    << instances.instances.size() - tp << " false positive(s), " << instances.falseNegatives
    << " false negative(s) against demo_lesions.nii.gz\n";
  writeFigure(dir, "segment_importance", barChartSvg(segmentImportanceChart(agg.segments, "Integrated Gradients")));
  writeFigure(
      dir, "modality_importance",
      barChartSvg(modalityImportanceChart(mi.modalities, mi.absShare, mi.shapleyShare, "Integrated Gradients")));
  return t.str();
}

// The sphere phantom of the fast tests (seed 7, 96 x 96 x 64); returns its lesions.
LabelVolume writeSphereStudy(const std::filesystem::path& dir) {
  LesionPhantomOptions options;
  options.seed = 7;
  options.size = {96, 96, 64};
  const LesionPhantom p = makeLesionPhantom(options);
  writeNifti(p.flair, dir / "demo_flair.nii.gz", Overwrite::Allow);
  writeNifti(p.t1, dir / "demo_t1.nii.gz", Overwrite::Allow);
  writeNifti(p.lesions, dir / "demo_lesions.nii.gz", Overwrite::Allow);
  return p.lesions;
}

// The realistic brain study (seed 7, held out from the demo model's training and test seeds) as
// NIfTI, and its FLAIR and T1 as one DICOM study; returns its lesions.
LabelVolume writeBrainStudy(const std::filesystem::path& dir, const std::filesystem::path& anatomy) {
  BrainPhantomOptions options;
  options.seed = 7;
  const BrainLesionPhantom p = makeBrainLesionPhantom(readBrainAnatomy(anatomy), options);
  writeBrainPhantom(p, dir, "demo_");
  DicomSeriesIdentity id;
  id.patientName = "Demo^Voxplain";
  id.patientId = "VOXPLAIN-DEMO-0007";
  id.studyDescription = "Brain MRI with white-matter lesions (synthetic, Voxplain demo)";
  id.studyUid = newDicomUid();
  id.frameOfReferenceUid = newDicomUid();
  id.seriesDescription = "AX FLAIR 2mm (synthetic)";
  id.seriesNumber = 1;
  writeDicomSeries(p.flair, dir / "dicom" / "FLAIR", id);
  id.seriesDescription = "AX T1 2mm (synthetic)";
  id.seriesNumber = 2;
  id.seriesUid.clear();
  writeDicomSeries(p.t1, dir / "dicom" / "T1", id);
  return p.lesions;
}

}  // namespace

CommandRunner addDemoCommand(CLI::App& app) {
  struct Options {
    std::string out = "voxplain-demo", model, anatomy = kDefaultBrainAnatomy.string();
    bool spheres = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("demo", "Write the demo study and its report to a folder");
  cmd->add_option("--out", o->out, "Output folder (created)");
  cmd->add_option("--model", o->model,
                  "Also explain this model on the demo study (e.g. resources/demo/brain_unet.json)");
  cmd->add_option("--anatomy", o->anatomy, "Brain-extracted T1 the realistic study is built on");
  cmd->add_flag("--spheres", o->spheres, "Write the sphere phantom of the fast tests instead (no DICOM)");
  return [o]() {
    namespace fs = std::filesystem;
    const fs::path dir(o->out);
    fs::create_directories(dir);
    const LabelVolume lesions = o->spheres ? writeSphereStudy(dir) : writeBrainStudy(dir, o->anatomy);

    nlohmann::json report;
    report["study"] = nlohmann::json::array();
    std::string text = "Voxplain demo study\n\n";
    std::vector<fs::path> images{dir / "demo_flair.nii.gz", dir / "demo_t1.nii.gz", dir / "demo_lesions.nii.gz"};
    if (!o->spheres) images.push_back(dir / "dicom");
    for (const fs::path& image : images) {
      for (const LoadedImage& read : readAllImages(image)) {
        const nlohmann::json s = imageSummary(read);
        report["study"].push_back(s);
        text += imageSummaryText(s) + "\n";
      }
    }
    if (!o->model.empty()) text += explainDemo(o->model, dir, lesions, o->spheres ? 16 : 8, report);
    std::ofstream(dir / "report.json") << report.dump(1) << "\n";
    std::ofstream(dir / "report.txt") << text;
    std::cout << text << "Demo written to " << fs::absolute(dir).string() << " (report.txt, report.json, *.nii.gz"
              << (o->spheres ? "" : ", dicom/") << ")\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
