#include "StudyLoadWorker.h"

#include "analysis/ModalityImportance.h"

#include <QFileInfo>

#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "volume/Resampler.h"
#include "task/InputError.h"

namespace voxplain::ui {
namespace {
class SignalProgress : public ProgressSink {
 public:
  SignalProgress(StudyLoadWorker* worker, int index, int count) : worker_(worker), index_(index), count_(count) {}
  void report(double fraction, const std::string& stage) override {
    Q_EMIT worker_->progress((index_ + fraction) / count_, QString::fromStdString(stage));
  }

 private:
  StudyLoadWorker* worker_;
  int index_, count_;
};
}  // namespace

QString modalityNameFromPath(const QString& path) {
  QString name = QFileInfo(path).fileName();
  for (const char* ext : {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".dcm"})
    if (name.endsWith(ext, Qt::CaseInsensitive)) return name.left(name.size() - int(qstrlen(ext)));
  return name;
}

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

void StudyLoadWorker::load(const QStringList& paths, const QStringList& names) {
  guarded([&] {
    auto study = std::make_shared<Study>();
    LoadedStudy result;
    for (int i = 0; i < paths.size(); ++i) {
      SignalProgress sink(this, i, int(paths.size()));
      const TaskControl control(&sink, &token_);
      LoadedImage image = readImage(paths[i].toStdString(), {}, {}, control);
      const QString name = i < names.size() && !names[i].isEmpty() ? names[i] : modalityNameFromPath(paths[i]);
      for (const std::string& note : image.notes) result.notes << name + ": " + QString::fromStdString(note);
      if (image.volumes.size() > 1)
        result.notes << name + QString(": 4D image, the first of %1 volumes is shown").arg(image.volumes.size());
      const Modality& m = study->addModality(name.toStdString(), paths[i].toStdString(), std::move(image.volumes.front()), control);
      if (!m.resampledBecause.empty())
        result.notes << name + ": resampled onto the reference grid (" + QString::fromStdString(m.resampledBecause) + ")";
    }
    result.study = std::move(study);
    Q_EMIT loaded(result);
  });
}

void StudyLoadWorker::loadOverlays(std::shared_ptr<const Study> study, const QString& labels, const QStringList& heatmaps) {
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
    }
    if (!heatmaps.isEmpty()) {
      if (heatmaps.size() != int(study->modalities().size()))
        throw InputError(heatmaps.join(", ").toStdString(), "give one attribution map per modality (" +
                                                                std::to_string(study->modalities().size()) + ")");
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
        result.segments = std::make_shared<const SegmentImportance>(segmentImportance(*result.labels, {}, names, {{{1, "attribution"}, *maps}}));
      }
      result.heatmaps = std::move(maps);
    }
    Q_EMIT overlaysLoaded(result);
  });
}

}  // namespace voxplain::ui
