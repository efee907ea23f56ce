#pragma once
// The main window: a 3D view of the study, the geometry panel, progress with cancel.
// It owns no computation: loading runs in StudyLoadWorker on its own thread.

#include <QMainWindow>
#include <QStringList>
#include <QThread>
#include <memory>

#include "StudyLoadWorker.h"

class QProgressBar;
class QPushButton;

namespace voxplain::render {
class VtkView;
class VolumeScene;
}  // namespace voxplain::render

namespace voxplain::ui {

class GeometryPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Starts loading `paths` (one modality each) in the worker thread.
  void openStudy(const QStringList& paths);
  /// The study currently shown (null before the first load).
  std::shared_ptr<const Study> study() const { return study_; }

 Q_SIGNALS:
  void studyShown();
  void loadFailed(const QString& message);
  void requestLoad(const QStringList& paths, const QStringList& names);

 private Q_SLOTS:
  void onLoaded(const voxplain::ui::LoadedStudy& result);
  void onFailed(const QString& message);
  void onProgress(double fraction, const QString& stage);
  void chooseFiles();
  void chooseDicomFolder();

 private:
  void setBusy(bool busy);

  QThread workerThread_;
  StudyLoadWorker* worker_ = nullptr;
  render::VtkView* view_ = nullptr;
  std::unique_ptr<render::VolumeScene> scene_;
  GeometryPanel* geometry_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  std::shared_ptr<const Study> study_;
};

}  // namespace voxplain::ui
