#pragma once
// Loads a study (NIfTI files / DICOM folders, one per modality) in a worker thread.
// Lives in its own QThread; results travel by value over queued signals (Qt's Mandelbrot
// pattern); cancel() may be called from any thread and stops between files/slices.

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

#include "analysis/SegmentImportance.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain::ui {

/// What a finished load hands to the GUI thread (immutable, shared).
struct LoadedStudy {
  std::shared_ptr<const Study> study;
  QStringList notes;  ///< resampling and reader notes for the user
};

/// Overlays read for a shown study: labels and one attribution map per modality, on its grid.
struct LoadedOverlays {
  std::shared_ptr<const LabelVolume> labels;   ///< null when none was asked for
  std::shared_ptr<const std::vector<Volume>> heatmaps;
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
  /// `paths[i]` is loaded as modality `names[i]` (names may be empty: file stems are used).
  void load(const QStringList& paths, const QStringList& names);
  /// Reads a label map and attribution maps (one per modality, in study order) and brings them
  /// onto the study's grid (nearest / linear) with a note when that was needed.
  void loadOverlays(std::shared_ptr<const voxplain::Study> study, const QString& labels, const QStringList& heatmaps);

 Q_SIGNALS:
  void progress(double fraction, const QString& stage);
  void loaded(const voxplain::ui::LoadedStudy& result);
  void overlaysLoaded(const voxplain::ui::LoadedOverlays& result);
  void failed(const QString& message);
  void cancelled();

 private:
  /// Runs `job`, turning cancellation and errors into the cancelled / failed signals.
  void guarded(const std::function<void()>& job);
  CancellationToken token_;
};

/// Modality name from a file name: "flair.nii.gz" -> "flair".
QString modalityNameFromPath(const QString& path);

}  // namespace voxplain::ui

Q_DECLARE_METATYPE(voxplain::ui::LoadedStudy)
Q_DECLARE_METATYPE(voxplain::ui::LoadedOverlays)
Q_DECLARE_METATYPE(std::shared_ptr<const voxplain::Study>)
