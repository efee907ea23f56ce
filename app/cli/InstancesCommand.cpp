// voxplain-cli instances --model M --input A [--input B] --method NAME [--param k=v ...]
//                        [--reference REF.nii.gz] [--ring-mm 7] [--match-dice 0.1] [--min-voxels 1]
//                        [--label N] --out DIR [--json]
// Every predicted instance explained on its own (target instance=all), then the statistics of
// analysis/InstanceStatistics.h written as instances.csv and instances.json: the app's Instances
// job, through the same core call (logic/CaseLogic.h).
#include <filesystem>
#include <iostream>

#include "CliCommand.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/InstanceStatistics.h"
#include "io/AtomicFile.h"
#include "io/NiftiIO.h"
#include "logic/CaseLogic.h"
#include "model/ModelPackage.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain::cli {

CommandRunner addInstancesCommand(CLI::App& app) {
  struct Options : ModelRunOptions {
    std::string method, reference, out;
    std::vector<std::string> params;
    int label = -1;
    InstanceOptions instance;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "instances", "Explain every predicted instance on its own; per-instance statistics (CSV, JSON)");
  addModelRunOptions(*cmd, *o);
  cmd->add_option("--method", o->method, "Attribution method (see explain)")->required();
  cmd->add_option("--param", o->params, "Method parameter key=value (repeatable)");
  cmd->add_option("--reference", o->reference,
                  "Reference segmentation (non-zero = the class) for TP/FP/FN and the AUC");
  cmd->add_option("--ring-mm", o->instance.ringMm, "Width of the ring around each instance (mm)");
  cmd->add_option("--match-dice", o->instance.matchDice,
                  "Dice with a reference component at which an instance is a TP");
  cmd->add_option("--min-voxels", o->instance.minVoxels, "Ignore smaller instances");
  cmd->add_option("--label", o->label, "Class label (default: the manifest's first foreground label)");
  cmd->add_option("--out", o->out, "Output folder")->required();
  return [o]() {
    namespace fs = std::filesystem;
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    std::vector<StudyInput> inputs = studyInputs(o->inputs, control);
    auto package = std::make_unique<ModelPackage>(openModelForInputs(*o, inputs));
    CaseExplainRequest request;
    request.method = o->method;
    request.parameters = ParameterSet::parse(o->params);
    request.target = TargetSpec::allInstances(o->label >= 0 ? o->label : package->manifest().defaultTargetLabel());
    request.instanceOptions = o->instance;
    request.runtime = predictOptions(*o);
    const int label = request.target.label;
    const auto study = std::make_shared<const Study>(readModelStudy(*package, inputs, control));
    if (!o->reference.empty()) {
      LabelVolume ref = readLabelNifti(o->reference);
      if (!compareGeometry(ref.geometry(), study->referenceGrid()).sameGrid())
        ref = resampleNearest(ref, study->referenceGrid(), 0, control);
      request.reference = std::make_shared<const LabelVolume>(std::move(ref));
    }
    CaseLogic logic;
    logic.adoptModel(std::move(package));
    const CaseExplanation e = logic.explain(study, request, control);
    const InstanceReport& report = *e.instances;

    fs::create_directories(o->out);
    nlohmann::json json = report.toJson();
    json["explanation"] = e.record;
    json["options"] = {{"ring_mm", o->instance.ringMm},
                       {"match_dice", o->instance.matchDice},
                       {"min_voxels", o->instance.minVoxels},
                       {"reference", o->reference},
                       {"label", label}};
    writeTextAtomically(fs::path(o->out) / "instances.csv", report.toCsv(), Overwrite::Allow);
    writeTextAtomically(fs::path(o->out) / "instances.json", json.dump(1) + "\n", Overwrite::Allow);
    if (o->json)
      std::cout << json.dump(1) << "\n";
    else {
      std::cout << report.instances.size() << " instance(s) explained with " << o->method
                << "; wrote instances.csv and instances.json to " << o->out;
      if (report.hasReference)
        std::cout << " (false negatives " << report.falseNegatives << ", AUC of peak |A| TP vs FP "
                  << (report.aucPeakTpVsFp < 0 ? std::string("undefined") : std::to_string(report.aucPeakTpVsFp))
                  << ")";
      std::cout << "\n";
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
