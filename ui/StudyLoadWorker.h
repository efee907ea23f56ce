#pragma once
// Loads a study (NIfTI files / DICOM series, one per modality) and scans DICOM folders, in a
// worker thread.
// Lives in its own QThread; results travel by value over queued signals (Qt's Mandelbrot
// pattern); cancel() may be called from any thread and stops between files/slices.

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

#include "DisplayLayers.h"
#include "SessionRuns.h"
#include "analysis/CohortMerge.h"
#include "analysis/SegmentImportance.h"
#include "io/DicomCatalog.h"
#include "io/StudyReader.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain::ui {

/// What a finished load hands to the GUI thread (immutable, shared).
struct LoadedStudy {
  std::shared_ptr<const Study> study;
  std::shared_ptr<const DisplayStudy> display;  ///< prepared for the slice panes (DisplayLayers.h)
  std::vector<StudyInput> inputs;               ///< what was read (to reopen it: recent studies)
  QStringList notes;                            ///< resampling and reader notes for the user
};

/// Overlays read for a shown study: labels and one attribution map per modality, on its grid.
struct LoadedOverlays {
  std::shared_ptr<const LabelVolume> labels;  ///< null when none was asked for
  std::shared_ptr<const std::vector<Volume>> heatmaps;
  std::shared_ptr<const DisplayLabels> displayLabels;      ///< with labels
  std::shared_ptr<const DisplayHeatmaps> displayHeatmaps;  ///< with heatmaps
  /// With maps: each modality's share of |A| (analysis/ModalityImportance.h); with maps and labels:
  /// the share of |A| in each labelled segment (analysis/SegmentImportance.h, one target).
  std::vector<double> modalityShares;
  std::shared_ptr<const SegmentImportance> segments;
  QStringList notes;
};

class StudyLoadWorker : public QObject {
  Q_OBJECT
 public:
  /// Thread-safe.
  void cancel() { token_.cancel(); }

 public Q_SLOTS:
  /// Reads one modality per input (io/StudyReader.h: names default to file stems).
  void load(const std::vector<voxplain::StudyInput>& inputs);
  /// Scans a folder for DICOM series (headers only; progress per file, cancel() stops it) for the
  /// series browser: scanned() or scanFailed() follow (or scanCancelled()). Every other request is
  /// answered by exactly one signal: its result, failed(), seriesChoiceNeeded() or cancelled().
  void scan(const QString& folder);
  /// Reads a cohort result of `voxplain-cli merge` (segment_importance.json): cohortLoaded() or failed().
  void loadCohort(const QString& path);
  /// Reads a label map and attribution maps (one per modality, in study order) and brings them
  /// onto the study's grid (nearest / linear) with a note when that was needed.
  void loadOverlays(std::shared_ptr<const voxplain::Study> study, const QString& labels, const QStringList& heatmaps);
  /// Reads a session file (io/SessionFile.h): sessionRead() or failed().
  void loadSession(const QString& path);
  /// Rebuilds a session's runs on `study` (ui/SessionRuns.h): sessionRunsLoaded() follows.
  void loadSessionRuns(std::shared_ptr<const voxplain::Study> study, const voxplain::Session& session,
                       std::shared_ptr<const voxplain::LabelVolume> labels);

 Q_SIGNALS:
  void progress(double fraction, const QString& stage);
  void loaded(const voxplain::ui::LoadedStudy& result);
  void overlaysLoaded(const voxplain::ui::LoadedOverlays& result);
  void failed(const QString& message);
  void scanned(const QString& folder, std::shared_ptr<const voxplain::DicomCatalog> catalog);
  void scanFailed(const QString& message);
  void scanCancelled();
  void cohortLoaded(std::shared_ptr<const voxplain::CohortSummary> cohort);
  void sessionRead(const voxplain::Session& session);
  void sessionRunsLoaded(const std::vector<voxplain::ui::ExplanationResult>& runs, const QStringList& notes);
  /// load() met a folder of several series and no choice: the app opens the series browser on it.
  void seriesChoiceNeeded(const QString& folder, const QString& message);
  void cancelled();

 private:
  /// Runs `job`, turning cancellation and errors into the cancelled / failed signals.
  void guarded(const std::function<void()>& job);
  CancellationToken token_;
};

}  // namespace voxplain::ui

Q_DECLARE_METATYPE(voxplain::ui::LoadedStudy)
Q_DECLARE_METATYPE(voxplain::ui::LoadedOverlays)
Q_DECLARE_METATYPE(std::shared_ptr<const voxplain::Study>)
Q_DECLARE_METATYPE(std::vector<voxplain::StudyInput>)
Q_DECLARE_METATYPE(std::shared_ptr<const voxplain::DicomCatalog>)
Q_DECLARE_METATYPE(std::shared_ptr<const voxplain::CohortSummary>)
Q_DECLARE_METATYPE(std::shared_ptr<const voxplain::LabelVolume>)
