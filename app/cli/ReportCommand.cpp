// voxplain-cli report --model M --input A [--input B ...] [--method NAME] [--param k=v ...] --out DIR
//                     [--keep-patient-identity] [--force] [--device ...] [--json]
// A report folder for one case (report/CaseReport.h): the prediction, every predicted class
// explained (maps), modality importance with exact Shapley values, Agg^2Exp segment importance,
// tables (CSV, JSON), figures (SVG, and PNG when built with Qt Svg), DICOM SEG and Parametric Maps
// when the inputs are DICOM series, and a README with the model, method, parameters, versions and
// timings.
#include <iostream>

#include "CliCommand.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "analysis/CaseAggregation.h"
#include "report/CaseReport.h"

namespace voxplain::cli {

CommandRunner addReportCommand(CLI::App& app) {
  struct Options : ModelRunOptions {
    std::string method = "integrated_gradients", out;
    std::vector<std::string> params;
    DicomExportOptions dicom;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "report", "A report folder for one case: prediction, maps, importance tables, figures, DICOM, README");
  addModelRunOptions(*cmd, *o);
  cmd->add_option("--method", o->method, "Method explaining every predicted class (default integrated_gradients)");
  cmd->add_option("--param", o->params, "Method parameter key=value (repeatable)");
  cmd->add_option("--out", o->out, "Report folder (refused when it holds files, unless --force)")->required();
  addDicomExportOptions(*cmd, o->dicom);
  return [o]() {
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    explainRequest(*o, o->method, o->params);  // a bad method or parameter fails before any work
    std::vector<StudyInput> inputs = studyInputs(o->inputs, control.range(0, 0.01));
    ModelPackage package = openModelForInputs(*o, inputs);
    const Study study = readModelStudy(package, inputs, control.range(0.01, 0.05));
    const Overwrite overwrite = o->force ? Overwrite::Allow : Overwrite::Refuse;
    checkReportFolder(o->out, overwrite);  // before the work, not after it
    const PredictOptions runtime = predictOptions(*o);
    auto prediction = std::make_shared<const Prediction>(predict(package, study, runtime, control.range(0.05, 0.15)));
    const CaseAggregation aggregation =
        aggregateCase(package, study, o->method, o->params, runtime, true, control.range(0.15, 0.9), prediction);
    CaseReportInput input;
    input.package = &package;
    input.inputs = inputs;
    input.study = &study;
    input.prediction = prediction.get();
    input.aggregation = &aggregation;
    input.softwareVersion = o->dicom.softwareVersion;
    const CaseReportFiles files = writeCaseReport(o->out, input, o->dicom, overwrite, control.range(0.9, 1.0));
    for (const std::string& svg : files.svgFigures) writePngOfSvg(svg);
    for (const std::string& note : files.notes) std::cerr << "note: " << note << "\n";
    if (o->json) {
      std::cout << nlohmann::json{{"out", o->out}, {"files", files.files}, {"notes", files.notes}}.dump(1) << "\n";
    } else {
      std::cout << "wrote the report (" << files.files.size() << " files) to " << o->out << "\n";
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
