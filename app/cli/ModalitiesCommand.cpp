// voxplain-cli modalities --model M --input A [--input B ...] [--method NAME] [--param k=v ...]
//                         [--mask FILE ... | --reference FILE] [--dilation-mm 2] --out DIR [--json]
// Modality importance of one case (analysis/ModalityImportance.h): share of |A| of a map
// (default Integrated Gradients), exact modality Shapley values, and MSFI when ground truth is
// given (--mask: one per modality, e.g. the deciding-feature masks of the phantom; --reference:
// one mask for every modality). Writes modalities.{json,csv} and modalities.{svg,png}.
#include <filesystem>
#include <iostream>

#include "CliCommand.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/ImportanceCharts.h"
#include "analysis/MaskMorphology.h"
#include "analysis/ModalityImportance.h"
#include "attribution/Explainer.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain::cli {

CommandRunner addModalitiesCommand(CLI::App& app) {
  struct Options : ModelRunOptions {
    std::string method = "integrated_gradients", reference, out;
    std::vector<std::string> params, masks;
    double dilationMm = 2.0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("modalities", "Modality importance: share of |A|, exact modality Shapley values, MSFI");
  addModelRunOptions(*cmd, *o);
  cmd->add_option("--method", o->method, "Map whose |A| is shared out (default integrated_gradients)");
  cmd->add_option("--param", o->params, "Method parameter key=value (repeatable)");
  cmd->add_option("--mask", o->masks, "Ground-truth mask per modality, in --input order (MSFI)");
  cmd->add_option("--reference", o->reference, "One ground-truth mask for every modality (MSFI)");
  cmd->add_option("--dilation-mm", o->dilationMm, "Dilate the masks by this radius before MSFI (mm)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--out", o->out, "Output folder")->required();
  return [o]() {
    namespace fs = std::filesystem;
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    std::vector<StudyInput> inputs = studyInputs(o->inputs, control);
    ModelPackage package = openModelForInputs(*o, inputs);
    ExplainRequest request = explainRequest(*o, o->method, o->params);
    request.target.label = package.manifest().defaultTargetLabel();
    if (!o->masks.empty() && o->masks.size() != o->inputs.size())
      throw InputError("--mask", "give one mask per --input (" + std::to_string(o->inputs.size()) + ")");
    const Study study = readModelStudy(package, inputs, control);
    std::vector<LabelVolume> masks;
    for (const std::string& file : o->masks.empty() && !o->reference.empty()
                                       ? std::vector<std::string>(o->inputs.size(), o->reference)
                                       : o->masks) {
      LabelVolume mask = readLabelNifti(file);
      if (!compareGeometry(mask.geometry(), study.referenceGrid()).sameGrid())
        mask = resampleNearest(mask, study.referenceGrid(), 0, control);
      masks.push_back(dilate(mask, o->dilationMm));
    }

    ExplanationSession session(package, study, request, control.range(0, 0.2));
    const Explanation e = session.explain(request.method, request.params, control.range(0.2, 0.8));
    ParameterSet none;
    const Explanation s = session.explain("modality_shapley", none, control.range(0.8, 1.0));
    ModalityImportance importance;
    importance.modalities = e.modalities;
    importance.method = o->method;
    importance.absShare = absShares(e.regions.front().perModality);
    const ShapleyValues& phi = s.shapley.front();
    importance.setShapley(phi.values, phi.sum());
    if (!masks.empty()) importance.msfiValue = msfi(e.regions.front().perModality, masks, importance.shapley);

    nlohmann::json json = importance.toJson();
    json["explanation"] = e.record;
    json["shapley_record"] = phi.toJson();
    json["inputs"] = inputPaths(inputs);
    if (!masks.empty())
      json["msfi_masks"] = {{"files", o->masks.empty() ? std::vector<std::string>{o->reference} : o->masks},
                            {"dilation_mm", o->dilationMm}};
    const fs::path out(o->out);
    writeTextFile(out, "modalities.json", json.dump(1) + "\n");
    writeTextFile(out, "modalities.csv", importance.toCsv());
    writeFigure(out, "modalities",
                barChartSvg(modalityImportanceChart(importance.modalities, importance.absShare, importance.shapleyShare,
                                                    o->method)));
    writeFigure(out, "modalities_shapley",
                rankedBarsSvg("Modality importance: exact Shapley values", importance.modalities, importance.shapley,
                              {}, "phi (score units; they add up to S(x) - S(baseline))"));
    if (o->json)
      std::cout << json.dump(1) << "\n";
    else {
      std::cout << "modality importance written to " << o->out << ":";
      for (std::size_t m = 0; m < importance.modalities.size(); ++m)
        std::cout << " " << importance.modalities[m] << " share " << importance.absShare[m] << " phi "
                  << importance.shapley[m] << ";";
      if (importance.msfiValue >= 0) std::cout << " MSFI " << importance.msfiValue;
      std::cout << "\n";
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
