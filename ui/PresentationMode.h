#pragma once
// Presentation mode, for showing a case to clinical partners: full screen, larger fonts, the slice
// panes and the 3D view only (docks hidden; the Analysis dock comes back for the chart), and a
// walk-through bar with a caption and Previous / Next (keys: Right or Space, Left, Escape leaves):
//   1 the study, 2 the model's own segmentation, 3 the attribution map of each modality,
//   4 one instance (the largest lesion, with its own map), 5 the segment importance chart.
// A step that needs a result the window does not have yet queues the job (prediction,
// explanation, instances) and is shown again when it arrives; meanwhile the bar shows the job's
// progress and time left. Leaving restores the window's geometry, layout, font and layer settings
// exactly as they were.

#include <QByteArray>
#include <QFont>
#include <QObject>
#include <QRect>
#include <QString>

#include <nlohmann/json.hpp>

class QAction;
class QLabel;
class QProgressBar;
class QToolBar;

namespace voxplain::ui {

class MainWindow;

class PresentationMode : public QObject {
  Q_OBJECT
 public:
  static constexpr int kSteps = 5;
  explicit PresentationMode(MainWindow* window);
  /// Puts the application's font back when the window goes while presenting.
  ~PresentationMode() override;

  bool active() const { return active_; }
  /// 1..kSteps while active; 0 otherwise.
  int step() const { return active_ ? step_ : 0; }
  /// The caption shown for the current step.
  QString caption() const;

 public Q_SLOTS:
  void start();
  void stop();
  void next();
  void previous();
  /// Shows step `step` (clamped to 1..kSteps).
  void showStep(int step);

 Q_SIGNALS:
  /// A step is on screen (again, once a result it waited for arrived).
  void stepShown(int step, const QString& caption);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  /// Shows the current step again when a result it waits for arrives.
  void refresh();

  MainWindow* window_;
  QToolBar* bar_ = nullptr;
  QLabel* caption_ = nullptr;
  QProgressBar* progress_ = nullptr;   ///< the job a step waits for (the status bar is hidden)
  QAction* progressAction_ = nullptr;  ///< shows or hides progress_ in the bar
  QString stepText_;                   ///< the caption without the job's progress
  bool active_ = false;
  int step_ = 1;
  bool waiting_ = false;  ///< the current step queued a job and waits for it
  // What leaving restores.
  QByteArray state_;
  QRect normalGeometry_;  ///< the window's geometry (not full screen, not maximized) when it started
  QFont font_;
  nlohmann::json controls_;
  bool wasFullScreen_ = false, wasMaximized_ = false;
};

}  // namespace voxplain::ui
