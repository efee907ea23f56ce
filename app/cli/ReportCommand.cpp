// voxplain-cli report --model M --input A [--input B ...] [--method NAME] [--param k=v ...] --out DIR
//                     [--keep-patient-identity] [--force] [--device ...] [--json]
// A report folder for one case (report/CaseReport.h): the prediction, every predicted class
// explained (maps), modality importance with exact Shapley values, Agg^2Exp segment importance,
// tables (CSV, JSON), figures (SVG, and PNG when built with Qt Svg), DICOM SEG and Parametric Maps
// when the inputs are DICOM series, and a README with the model, method, parameters, versions and
// timings. The app's Report job, through the same core call (logic/CaseLogic.h).
#include <iostream>

#include "CliCommand.h"
#include "ReportFiles.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "logic/CaseLogic.h"
#include "model/ModelPackage.h"

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
    auto package = std::make_unique<ModelPackage>(openModelForInputs(*o, inputs));
    const auto study = std::make_shared<const Study>(readModelStudy(*package, inputs, control.range(0.01, 0.05)));
    CaseAnalysisRequest request;
    request.method = o->method;
    request.parameters = ParameterSet::parse(o->params);
    request.runtime = predictOptions(*o);
    request.reportFolder = o->out;
    request.inputs = inputs;
    request.replaceReport = o->force;
    request.dicom = o->dicom;
    CaseLogic logic;
    logic.adoptModel(std::move(package));
    // Checks the folder first (before the work, not after it), then predicts and explains.
    const CaseExplanation result = logic.analyse(study, request, control.range(0.05, 1.0));
    for (const std::string& svg : result.reportSvgFigures) writePngOfSvg(svg);
    for (const std::string& note : result.reportNotes) std::cerr << "note: " << note << "\n";
    if (o->json) {
      std::cout << nlohmann::json{{"out", o->out}, {"files", result.reportFiles}, {"notes", result.reportNotes}}.dump(1)
                << "\n";
    } else {
      std::cout << "wrote the report (" << result.reportFiles.size() << " files) to " << o->out << "\n";
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
