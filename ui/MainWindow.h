#pragma once
// The main window: a 3D view of the study beside linked slice panes (one column per modality)
// with label and attribution overlays, the layer controls, the geometry panel, progress with cancel.
// It owns no computation: loading runs in StudyLoadWorker on its own thread.

#include <QMainWindow>
#include <QStringList>
#include <QThread>
#include <map>
#include <memory>
#include <string>

#include "ColorMaps.h"
#include "StudyLoadWorker.h"

class QProgressBar;
class QPushButton;

namespace voxplain::render {
class VtkView;
class VolumeScene;
}  // namespace voxplain::render

namespace voxplain::ui {

class AnalysisPanel;
class GeometryPanel;
class SliceViewModel;
class SlicePanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Starts loading `paths` (one modality each) in the worker thread; then, when given, a label map
  /// and one attribution map per modality (shown as overlays; colours from `labelColors`).
  void openStudy(const QStringList& paths, const QString& labels = {}, const QStringList& heatmaps = {});
  void setLabelColors(const std::vector<render::LabelColor>& colors) { labelColors_ = colors; }
  /// Names of label values for the charts (e.g. from a model manifest).
  void setLabelNames(const std::map<int, std::string>& names) { labelNames_ = names; }
  AnalysisPanel* analysisPanel() const { return analysis_; }
  SliceViewModel* sliceModel() const { return sliceModel_; }
  SlicePanel* slicePanel() const { return slicePanel_; }
  /// The study currently shown (null before the first load).
  std::shared_ptr<const Study> study() const { return study_; }

 Q_SIGNALS:
  void studyShown();
  /// After the study and any requested overlays are on screen.
  void everythingShown();
  void loadFailed(const QString& message);
  void requestLoad(const QStringList& paths, const QStringList& names);
  void requestOverlays(std::shared_ptr<const voxplain::Study> study, const QString& labels, const QStringList& heatmaps);

 private Q_SLOTS:
  void onLoaded(const voxplain::ui::LoadedStudy& result);
  void onOverlays(const voxplain::ui::LoadedOverlays& result);
  void onFailed(const QString& message);
  void onProgress(double fraction, const QString& stage);
  void chooseFiles();
  void chooseDicomFolder();

 private:
  void setBusy(bool busy);
  QWidget* makeLayerControls();

  QThread workerThread_;
  StudyLoadWorker* worker_ = nullptr;
  render::VtkView* view_ = nullptr;
  std::unique_ptr<render::VolumeScene> scene_;
  GeometryPanel* geometry_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  std::shared_ptr<const Study> study_;
  SliceViewModel* sliceModel_ = nullptr;
  SlicePanel* slicePanel_ = nullptr;
  QString pendingLabels_;
  QStringList pendingHeatmaps_;
  AnalysisPanel* analysis_ = nullptr;
  std::map<int, std::string> labelNames_;
  std::vector<render::LabelColor> labelColors_{{1, {230, 70, 50}}, {2, {60, 180, 75}}, {3, {0, 130, 200}}, {4, {245, 130, 48}}};
};

}  // namespace voxplain::ui
