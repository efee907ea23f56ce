#pragma once
// The runs of a session on disk and back: saving writes the prediction and every run's maps as
// NIfTI into "<session stem>_files/" beside the session file (an instances run: each instance's
// maps too, with its statistics), then the session file (io/SessionFile.h); restoring reads them back
// onto the study and rebuilds each run with its numbers (from the file, or recomputed from the maps),
// its instance table and its display layers. Both run off the GUI thread.

#include <QMetaType>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "AnalysisJobs.h"
#include "io/SessionFile.h"
#include "task/TaskControl.h"

namespace voxplain::ui {

/// What saving needs, taken on the GUI thread (maps are fetched on the saving thread).
struct SessionSave {
  std::filesystem::path file;
  Session session;  ///< study, model, view, shown run and the runs' numbers; file names are filled in
  std::shared_ptr<const LabelVolume> prediction;      ///< null: none
  std::vector<std::function<RunVoxels()>> runVoxels;  ///< per session.runs
  Overwrite overwrite = Overwrite::Refuse;            ///< of the session file (its _files folder belongs to it)
};

/// A run's numbers as a session entry (its map files are named when saving).
SessionRun sessionRunOf(const ExplanationResult& run);

/// Writes the files, then the session file. Throws InputError naming the file that failed.
void writeSessionFiles(const SessionSave& save, const TaskControl& control = {});

/// The runs of `session` rebuilt on `study` (maps must be on its grid), with `labels` as the
/// segmentation they explain; each run's jobId is its index in session.runs. A run whose files are
/// missing or do not fit is left out and `notes` says why. Throws OperationCancelled.
std::vector<ExplanationResult> restoreSessionRuns(const Session& session, const std::shared_ptr<const Study>& study,
                                                  const std::shared_ptr<const LabelVolume>& labels,
                                                  std::vector<std::string>& notes, const TaskControl& control = {});

}  // namespace voxplain::ui

Q_DECLARE_METATYPE(voxplain::Session)
Q_DECLARE_METATYPE(std::vector<voxplain::ui::ExplanationResult>)
