#include "SessionRuns.h"

#include <QFileInfo>

#include "DisplayLayers.h"
#include "analysis/InstanceReportReader.h"
#include "analysis/ModalityImportance.h"
#include "analysis/SegmentImportanceReader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

namespace voxplain::ui {
namespace fs = std::filesystem;

namespace {
// A map file of a session, which must lie on the study's grid. Throws InputError naming it.
Volume readMapOnGrid(const std::string& file, const Geometry& grid) {
  LoadedImage image = readNifti(file);
  if (!compareGeometry(image.geometry(), grid).sameGrid()) throw InputError(file, "not on the study's grid");
  return std::move(image.volumes.front());
}
}  // namespace

SessionRun sessionRunOf(const ExplanationResult& run) {
  SessionRun s;
  s.method = run.method.toStdString();
  s.methodLabel = run.methodLabel.toStdString();
  s.target = run.target.toStdString();
  s.parameters = run.parameters.toStdString();
  s.device = run.device.toStdString();
  s.seconds = run.seconds;
  s.modalities = run.modalities;
  s.modalityShares = run.modalityShares;
  s.shapleyShares = run.shapleyShares;
  if (run.segments) s.segments = run.segments->toJson();
  if (run.instances) s.instances = run.instances->toJson();
  return s;
}

void writeSessionFiles(const SessionSave& save, const TaskControl& control) {
  Session session = save.session;
  const fs::path folder = save.file.parent_path() / (save.file.stem().string() + "_files");
  fs::create_directories(folder);
  // The folder belongs to the session file: its files are replaced when the session is.
  if (save.prediction) {
    session.prediction = (folder / "prediction.nii.gz").string();
    writeNifti(*save.prediction, session.prediction, Overwrite::Allow);
  }
  for (std::size_t r = 0; r < session.runs.size(); ++r) {
    control.step(double(r) / double(session.runs.size() + 1), "writing the maps of run " + std::to_string(r + 1));
    SessionRun& run = session.runs[r];
    const RunVoxels voxels = save.runVoxels[r]();
    const std::shared_ptr<const std::vector<Volume>>& maps = voxels.maps;
    if (!maps || maps->size() != run.modalities.size())
      throw InputError(save.file.string(),
                       "the maps of run " + std::to_string(r + 1) + " (" + run.method + ") could not be read back");
    const std::string stem = "run" + std::to_string(r + 1);
    run.maps.clear();
    for (std::size_t c = 0; c < maps->size(); ++c) {
      const fs::path file = folder / (stem + "_" + run.modalities[c] + ".nii.gz");
      writeNifti((*maps)[c], file, Overwrite::Allow);
      run.maps.push_back(file.string());
    }
    run.instanceMaps.clear();
    if (!run.instances.is_null() && voxels.instanceMaps)
      for (std::size_t k = 0; k < voxels.instanceMaps->size(); ++k) {
        run.instanceMaps.emplace_back();
        for (std::size_t c = 0; c < (*voxels.instanceMaps)[k].size() && c < run.modalities.size(); ++c) {
          const fs::path file =
              folder / (stem + "_instance" + std::to_string(k + 1) + "_" + run.modalities[c] + ".nii.gz");
          writeNifti((*voxels.instanceMaps)[k][c], file, Overwrite::Allow);
          run.instanceMaps.back().push_back(file.string());
        }
      }
    if (!run.instances.is_null() && run.instanceMaps.empty()) run.instances = nullptr;  // a table without its maps
  }
  writeSession(save.file, session, save.overwrite);
}

std::vector<ExplanationResult> restoreSessionRuns(const Session& session, const std::shared_ptr<const Study>& study,
                                                  const std::shared_ptr<const LabelVolume>& labels,
                                                  std::vector<std::string>& notes, const TaskControl& control) {
  std::vector<ExplanationResult> out;
  const Geometry& grid = study->referenceGrid();
  std::shared_ptr<const DisplayLabels> displayLabels =
      labels ? std::make_shared<const DisplayLabels>(prepareLabels(*labels)) : nullptr;
  for (std::size_t r = 0; r < session.runs.size(); ++r) {
    control.checkpoint();
    control.step(double(r) / double(session.runs.size()), "reading run " + std::to_string(r + 1));
    const SessionRun& s = session.runs[r];
    try {
      auto maps = std::make_shared<std::vector<Volume>>();
      for (const std::string& file : s.maps) maps->push_back(readMapOnGrid(file, grid));
      ExplanationResult run;
      run.jobId = int(r);  // the run's place in the session; the window gives it a job id
      run.study = study;
      run.method = QString::fromStdString(s.method);
      run.methodLabel = QString::fromStdString(s.methodLabel.empty() ? s.method : s.methodLabel);
      run.target = QString::fromStdString(s.target);
      run.parameters = QString::fromStdString(s.parameters);
      run.device = QString::fromStdString(s.device);
      run.seconds = s.seconds;
      run.modalities = s.modalities;
      run.modalityShares = s.modalityShares.empty() ? absShares(*maps) : s.modalityShares;
      run.shapleyShares = s.shapleyShares;
      if (!s.segments.is_null())
        run.segments = std::make_shared<const SegmentImportance>(
            segmentImportanceFromJson(s.segments, "session run " + std::to_string(r + 1) + " segments"));
      else if (labels)
        run.segments = std::make_shared<const SegmentImportance>(
            segmentImportance(*labels, {}, s.modalities, {{{1, "attribution"}, *maps}}));
      run.predictedLabels = labels;
      run.displayLabels = displayLabels;
      run.displayMaps = std::make_shared<const DisplayHeatmaps>(prepareHeatmaps(*maps));
      run.separableByModality = mapsDifferByModality(*maps);
      run.maps = std::move(maps);
      if (!s.instances.is_null()) {
        const std::string source = "session run " + std::to_string(r + 1) + " instances";
        run.instances = std::make_shared<const InstanceReport>(instanceReportFromJson(s.instances, source));
        auto instanceMaps = std::make_shared<std::vector<std::vector<Volume>>>();
        for (const std::vector<std::string>& files : s.instanceMaps) {
          instanceMaps->emplace_back();
          for (const std::string& file : files) instanceMaps->back().push_back(readMapOnGrid(file, grid));
        }
        if (instanceMaps->size() != run.instances->instances.size())
          throw InputError(source, std::to_string(instanceMaps->size()) + " instance maps for " +
                                       std::to_string(run.instances->instances.size()) + " instances");
        run.instanceMaps = std::move(instanceMaps);
      }
      out.push_back(std::move(run));
    } catch (const std::invalid_argument& e) {
      notes.push_back("run " + std::to_string(r + 1) + " (" + s.method + ") left out: " + e.what());
    } catch (const InputError& e) {
      notes.push_back("run " + std::to_string(r + 1) + " (" + s.method + ") left out: " + e.what());
    }
  }
  return out;
}

}  // namespace voxplain::ui
