// voxplain-cli explain --model M --input A [--input B] --method NAME [--param k=v ...]
//                      --target class=1|instance=all|instance=K|roi=...|voxel=x,y,z --out DIR [--device ...] [--json]
//                      [--dicom-pmap DIR [--keep-patient-identity]]
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "CliCommand.h"
#include "StderrProgress.h"
#include "StudyInputs.h"
#include "attribution/AttributionMethod.h"
#include "attribution/Explainer.h"
#include "io/DicomParametricMap.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

namespace voxplain::cli {

CommandRunner addExplainCommand(CLI::App& app) {
  struct Options : ModelRunOptions {
    std::string method, target = "class=1", out, dicomPmap;
    DicomExportOptions dicom;
    std::vector<std::string> params, baseline;
  };
  auto o = std::make_shared<Options>();
  std::string methods;
  for (const MethodInfo& m : methodRegistry()) methods += (methods.empty() ? "" : ", ") + m.name;
  CLI::App* cmd =
      app.add_subcommand("explain", "Attribution maps of a prediction, one NIfTI per modality (and per instance)");
  addModelRunOptions(*cmd, *o);
  cmd->add_option("--method", o->method, "One of: " + methods)->required();
  cmd->add_option("--param", o->params, "Method parameter key=value (repeatable)");
  cmd->add_option("--target", o->target,
                  "class=N | instance=all | instance=K | roi=x0,y0,z0,x1,y1,z1[,mm] | voxel=x,y,z");
  cmd->add_option("--out", o->out, "Output folder")->required();
  cmd->add_option("--dicom-pmap", o->dicomPmap, "Also write each map as a DICOM Parametric Map into this folder");
  addDicomExportOptions(*cmd, o->dicom);
  cmd->add_option("--baseline", o->baseline,
                  "Custom baseline image, one per modality in --input order (baseline=custom)");
  return [o]() {
    namespace fs = std::filesystem;
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    std::vector<StudyInput> inputs = studyInputs(o->inputs, control);
    ModelPackage package = openModelForInputs(*o, inputs);
    const ModelManifest& m = package.manifest();
    ExplainRequest request = explainRequest(*o, o->method, o->params);
    request.target = TargetSpec::parse(o->target, m.defaultTargetLabel());
    const Study study = readModelStudy(package, inputs, control);
    if (!o->baseline.empty()) {
      if (o->baseline.size() != o->inputs.size())
        throw InputError("--baseline",
                         "give one baseline image per --input (" + std::to_string(o->inputs.size()) + ")");
      request.baseline =
          std::make_shared<const Study>(readModelStudy(package, unnamedStudyInputs(o->baseline), control));
      if (!compareGeometry(request.baseline->referenceGrid(), study.referenceGrid()).sameGrid())
        throw InputError(o->baseline.front(), "the baseline images must be on the grid of the inputs");
    }
    const std::vector<DicomSource> sources =
        o->dicomPmap.empty() ? std::vector<DicomSource>{} : dicomSources(inputs, study.referenceGrid(), control);
    const Explanation e = explain(package, study, request, control);
    std::vector<std::string> studyModalities;  // the inputs' order; the maps follow the model's
    for (const Modality& m : study.modalities()) studyModalities.push_back(m.name);

    fs::create_directories(o->out);
    if (!o->dicomPmap.empty()) fs::create_directories(o->dicomPmap);
    const Overwrite overwrite = o->force ? Overwrite::Allow : Overwrite::Refuse;
    nlohmann::json record = e.record;
    record["files"] = nlohmann::json::array();
    for (const RegionMaps& region : e.regions)
      for (std::size_t c = 0; c < e.modalities.size(); ++c) {
        const std::string file =
            o->method + "_" + e.modalities[c] + (region.suffix.empty() ? "" : "_" + region.suffix) + ".nii.gz";
        writeNifti(region.perModality[c], fs::path(o->out) / file, overwrite);
        record["files"].push_back(file);
        if (!o->dicomPmap.empty()) {
          const std::string dicomFile = fs::path(file).stem().stem().string() + ".dcm";
          for (const std::string& note : writeDicomParametricMap(
                   fs::path(o->dicomPmap) / dicomFile, region.perModality[c], {o->method, e.modalities[c], o->target},
                   sourceOfModality(sources, studyModalities, e.modalities[c]), o->dicom, overwrite))
            std::cerr << "note: " << note << "\n";
          record["dicom_files"].push_back(dicomFile);
        }
      }
    record["inputs"] = inputPaths(inputs);
    record["input_names"] = inputRecord(inputs, m);
    writeTextAtomically(fs::path(o->out) / "attribution.json", record.dump(1) + "\n", Overwrite::Allow);
    if (o->json)
      std::cout << record.dump(1) << "\n";
    else
      std::cout << "wrote " << record["files"].size() << " map(s) and attribution.json to " << o->out << " ("
                << record["patch_passes"].get<std::size_t>() << " patch passes, "
                << record["timing_seconds"]["method"].get<double>() << " s)\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
