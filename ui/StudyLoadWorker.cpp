#include "StudyLoadWorker.h"

#include "analysis/CohortSummaryReader.h"
#include "analysis/ModalityImportance.h"

#include <QFileInfo>
#include <algorithm>

#include "io/DicomCatalog.h"
#include "io/ImageReader.h"

#include "io/NiftiIO.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain::ui {
namespace {
class SignalProgress : public ProgressSink {
 public:
  explicit SignalProgress(StudyLoadWorker* worker) : worker_(worker) {}
  void report(double fraction, const std::string& stage) override {
    Q_EMIT worker_->progress(fraction, QString::fromStdString(stage));
  }

 private:
  StudyLoadWorker* worker_;
};
}  // namespace

void StudyLoadWorker::guarded(const std::function<void()>& job) {
  token_.reset();
  try {
    job();
  } catch (const OperationCancelled&) {
    Q_EMIT cancelled();
  } catch (const InputError& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString("Unexpected error: ") + e.what());
  }
}

void StudyLoadWorker::load(const std::vector<StudyInput>& inputs) {
  guarded([&] {
    SignalProgress sink(this);
    StudyRead read;
    try {
      read = readStudy(inputs, TaskControl(&sink, &token_));
    } catch (const SeriesChoiceNeeded& e) {
      // A folder opened without a choice goes to the browser; a chosen series that splits does not.
      const bool unchosen = std::any_of(inputs.begin(), inputs.end(), [&](const StudyInput& in) {
        return in.series.empty() && in.path.string() == e.source();
      });
      if (!unchosen) throw;
      Q_EMIT seriesChoiceNeeded(QString::fromStdString(e.source()), QString::fromStdString(e.what()));
      return;
    }
    LoadedStudy result;
    result.study = std::make_shared<const Study>(std::move(read.study));
    result.display = std::make_shared<const DisplayStudy>(prepareStudy(*result.study));
    result.inputs = inputs;
    for (const std::string& note : read.notes) result.notes << QString::fromStdString(note);
    Q_EMIT loaded(result);
  });
}

void StudyLoadWorker::loadCohort(const QString& path) {
  guarded([&] { Q_EMIT cohortLoaded(std::make_shared<const CohortSummary>(readCohortSummary(path.toStdString()))); });
}

void StudyLoadWorker::scan(const QString& folder) {
  token_.reset();
  try {
    SignalProgress sink(this);
    auto catalog = std::make_shared<const DicomCatalog>(scanDicom(folder.toStdString(), TaskControl(&sink, &token_)));
    Q_EMIT scanned(folder, std::move(catalog));
  } catch (const OperationCancelled&) {
    Q_EMIT scanCancelled();
  } catch (const std::exception& e) {
    Q_EMIT scanFailed(QString::fromStdString(e.what()));
  }
}

void StudyLoadWorker::loadOverlays(std::shared_ptr<const Study> study, const QString& labels,
                                   const QStringList& heatmaps) {
  guarded([&] {
    const TaskControl control(nullptr, &token_);
    const Geometry& grid = study->referenceGrid();
    LoadedOverlays result;
    if (!labels.isEmpty()) {
      LabelVolume l = readLabelNifti(labels.toStdString());
      if (!compareGeometry(l.geometry(), grid).sameGrid()) {
        result.notes << QFileInfo(labels).fileName() + ": labels resampled (nearest) onto the study grid";
        l = resampleNearest(l, grid, 0, control);
      }
      result.labels = std::make_shared<const LabelVolume>(std::move(l));
      result.displayLabels = std::make_shared<const DisplayLabels>(prepareLabels(*result.labels));
    }
    if (!heatmaps.isEmpty()) {
      if (heatmaps.size() != int(study->modalities().size()))
        throw InputError(heatmaps.join(", ").toStdString(),
                         "give one attribution map per modality (" + std::to_string(study->modalities().size()) + ")");
      auto maps = std::make_shared<std::vector<Volume>>();
      for (const QString& path : heatmaps) {
        LoadedImage image = readNifti(path.toStdString());
        Volume v = std::move(image.volumes.front());
        if (!compareGeometry(v.geometry(), grid).sameGrid()) {
          result.notes << QFileInfo(path).fileName() + ": map resampled (linear) onto the study grid";
          v = resampleLinear(v, grid, 0.0f, control);
        }
        maps->push_back(std::move(v));
      }
      result.modalityShares = absShares(*maps);
      if (result.labels) {
        std::vector<std::string> names;
        for (const Modality& m : study->modalities()) names.push_back(m.name);
        result.segments = std::make_shared<const SegmentImportance>(
            segmentImportance(*result.labels, {}, names, {{{1, "attribution"}, *maps}}));
      }
      result.displayHeatmaps = std::make_shared<const DisplayHeatmaps>(prepareHeatmaps(*maps));
      result.heatmaps = std::move(maps);
    }
    Q_EMIT overlaysLoaded(result);
  });
}

void StudyLoadWorker::loadSession(const QString& path) {
  guarded([&] { Q_EMIT sessionRead(readSession(path.toStdString())); });
}

void StudyLoadWorker::loadSessionRuns(std::shared_ptr<const Study> study, const Session& session,
                                      std::shared_ptr<const LabelVolume> labels) {
  guarded([&] {
    SignalProgress sink(this);
    std::vector<std::string> notes;
    std::vector<ExplanationResult> runs =
        restoreSessionRuns(session, study, labels, notes, TaskControl(&sink, &token_));
    QStringList messages;
    for (const std::string& n : notes) messages << QString::fromStdString(n);
    Q_EMIT sessionRunsLoaded(runs, messages);
  });
}

}  // namespace voxplain::ui
