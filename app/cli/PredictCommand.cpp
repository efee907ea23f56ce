// voxplain-cli predict --model M --input A [--input B ...] --out seg.nii.gz [--probabilities p.nii.gz]
//                      [--dicom-seg seg.dcm [--keep-patient-identity]]
//                      [--device auto|cpu|cuda] [--precision fp32|fp16|bf16] [--threads N] [--json]
#include <iostream>

#include <nlohmann/json.hpp>

#include "CliCommand.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "io/DicomSegmentation.h"
#include "io/NiftiIO.h"
#include "model/SegmentationRunner.h"
#include "task/InputError.h"

namespace voxplain::cli {

CommandRunner addPredictCommand(CLI::App& app) {
  struct Options : ModelRunOptions {
    std::string out, probabilities, precision = "fp32", dicomSeg;
    DicomExportOptions dicom;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("predict", "Run a segmentation model on a study and write the label map");
  addModelRunOptions(*cmd, *o);
  cmd->add_option("--out", o->out, "Label map to write (.nii.gz)")->required();
  cmd->add_option("--probabilities", o->probabilities, "Also write the class probabilities (4D .nii.gz)");
  cmd->add_option("--precision", o->precision, "fp32, fp16 or bf16 (autocast, CUDA only)");
  cmd->add_option("--dicom-seg", o->dicomSeg,
                  "Also write the label map as DICOM SEG referencing the first --input's series");
  addDicomExportOptions(*cmd, o->dicom);
  return [o]() {
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    std::vector<StudyInput> inputs = studyInputs(o->inputs, control);
    ModelPackage package = openModelForInputs(*o, inputs);
    const ModelManifest& m = package.manifest();
    const Study study = readModelStudy(package, inputs, control);
    // The DICOM source is found before the model runs: a NIfTI input fails at once.
    const std::vector<DicomSource> sources =
        o->dicomSeg.empty() ? std::vector<DicomSource>{} : dicomSources(inputs, study.referenceGrid(), control);
    PredictOptions options = predictOptions(*o);
    options.precision = o->precision;
    const Prediction p = predict(package, study, options, control);
    const Overwrite overwrite = o->force ? Overwrite::Allow : Overwrite::Refuse;
    writeNifti(p.labels, o->out, overwrite);
    if (!o->probabilities.empty()) writeNifti(p.probabilities, o->probabilities, overwrite);
    if (!o->dicomSeg.empty()) {
      std::vector<SegmentDefinition> segments;
      for (const LabelInfo& label : m.labels) segments.push_back({std::uint16_t(label.value), label.name});
      for (const std::string& note :
           writeDicomSegmentation(o->dicomSeg, p.labels, segments, m.name, sources.front(), o->dicom, overwrite))
        std::cerr << "note: " << note << "\n";
    }
    for (const std::string& note : p.notes) std::cerr << "note: " << note << "\n";
    std::size_t labelled = 0;
    for (std::uint16_t v : p.labels.voxels()) labelled += v != 0;
    if (o->json) {
      nlohmann::json j{{"model", m.name},
                       {"model_sha256", package.sha256()},
                       {"device", p.device},
                       {"batch_size", p.batchSize},
                       {"patches", p.patches},
                       {"inference_seconds", p.seconds},
                       {"total_seconds", p.totalSeconds},
                       {"labelled_voxels", labelled},
                       {"inputs", inputRecord(inputs, m)},
                       {"out", o->out},
                       {"notes", p.notes}};
      if (!o->dicomSeg.empty()) j["dicom_seg"] = o->dicomSeg;
      std::cout << j.dump(1) << "\n";
    } else {
      std::cout << "wrote " << o->out << ": " << labelled << " labelled voxels; " << p.patches << " patches on "
                << p.device << " in " << p.seconds << " s\n";
      if (!o->dicomSeg.empty()) std::cout << "wrote " << o->dicomSeg << " (DICOM SEG)\n";
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
