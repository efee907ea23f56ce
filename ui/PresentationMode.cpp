#include "PresentationMode.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QKeyEvent>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <algorithm>

#include "AnalysisPanel.h"
#include "ExplainPanel.h"
#include "InstanceTable.h"
#include "LayerControls.h"
#include "MainWindow.h"
#include "RunHistory.h"
#include "attribution/MethodCatalog.h"

namespace voxplain::ui {

PresentationMode::PresentationMode(MainWindow* window) : QObject(window), window_(window) {
  bar_ = new QToolBar(tr("Presentation"), window);
  bar_->setObjectName("presentationBar");
  bar_->setMovable(false);
  bar_->addAction(tr("◀ Previous"), this, &PresentationMode::previous);
  caption_ = new QLabel(bar_);
  caption_->setObjectName("presentationCaption");
  caption_->setWordWrap(true);
  caption_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  caption_->setMargin(8);
  bar_->addWidget(caption_);
  progress_ = new QProgressBar(bar_);
  progress_->setObjectName("presentationProgress");
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(200);
  progressAction_ = bar_->addWidget(progress_);
  progressAction_->setVisible(false);
  bar_->addAction(tr("Next ▶"), this, &PresentationMode::next);
  bar_->addAction(tr("Leave"), this, &PresentationMode::stop);
  window->addToolBar(Qt::TopToolBarArea, bar_);
  bar_->hide();
  // A step waiting for a result is shown again when it arrives.
  connect(window, &MainWindow::predictionShown, this, &PresentationMode::refresh);
  connect(window, &MainWindow::explanationShown, this, &PresentationMode::refresh);
  connect(window, &MainWindow::jobProgressShown, this, [this](double fraction, const QString& text) {
    if (!active_ || !waiting_) return;
    progress_->setValue(int(fraction * 1000));
    caption_->setText(stepText_ + "\n" + text);
  });
}

PresentationMode::~PresentationMode() {
  if (active_) {
    qApp->removeEventFilter(this);
    QApplication::setFont(font_);
  }
}

QString PresentationMode::caption() const {
  return active_ ? caption_->text() : QString();
}

void PresentationMode::start() {
  if (active_) return;
  active_ = true;
  normalGeometry_ = window_->isMaximized() || window_->isFullScreen() ? window_->normalGeometry() : window_->geometry();
  state_ = window_->saveState();
  wasFullScreen_ = window_->isFullScreen();
  wasMaximized_ = window_->isMaximized();
  font_ = QApplication::font();
  controls_ = window_->findChild<LayerControls*>()->state();
  QFont larger = font_;
  larger.setPointSizeF(font_.pointSizeF() * 1.4);
  QApplication::setFont(larger);
  for (QDockWidget* dock : window_->findChildren<QDockWidget*>()) dock->hide();
  window_->menuBar()->hide();
  window_->statusBar()->hide();
  bar_->show();
  qApp->installEventFilter(this);
  window_->showFullScreen();
  showStep(1);
}

void PresentationMode::stop() {
  if (!active_) return;
  active_ = false;
  waiting_ = false;
  qApp->removeEventFilter(this);
  bar_->hide();
  QApplication::setFont(font_);
  window_->menuBar()->show();
  window_->statusBar()->show();
  window_->findChild<LayerControls*>()->setState(controls_);
  window_->restoreState(state_);
  if (wasFullScreen_) {
    window_->showFullScreen();
  } else if (wasMaximized_) {
    window_->showMaximized();
  } else {
    window_->showNormal();
    window_->setGeometry(normalGeometry_);
    // A window manager may apply its own geometry when full screen ends: set it once more after it.
    QTimer::singleShot(0, window_, [window = window_, rect = normalGeometry_] {
      if (!window->isFullScreen() && !window->isMaximized()) window->setGeometry(rect);
    });
  }
  Q_EMIT stepShown(0, {});
}

void PresentationMode::next() {
  showStep(step_ + 1);
}
void PresentationMode::previous() {
  showStep(step_ - 1);
}

void PresentationMode::refresh() {
  if (active_ && waiting_) showStep(step_);
}

void PresentationMode::showStep(int step) {
  if (!active_) return;
  step_ = std::clamp(step, 1, kSteps);
  waiting_ = false;
  LayerControls* controls = window_->findChild<LayerControls*>();
  auto* analysisDock = window_->findChild<QDockWidget*>("analysisDock");
  analysisDock->hide();
  const ExplanationResult* run = window_->shownExplanation();  // step 3 may show another run
  const bool hasRun = run && run->study == window_->study();
  const bool hasPrediction = window_->prediction() != nullptr;
  QString text;
  const QString prefix = tr("%1 of %2 · ").arg(step_).arg(kSteps);
  switch (step_) {
    case 1:
      controls->setState({{"showMapsCheck", false}, {"labelOpacity", 0}});
      text = window_->study() ? tr("The study: each column is one MR sequence, in axial, coronal and sagittal views.")
                              : tr("Open a study first (File > Open).");
      break;
    case 2:
      controls->setState({{"showMapsCheck", false}, {"labelOpacity", 55}, {"outlineCheck", false}});
      if (hasPrediction) {
        text = tr("What the model segmented, computed here on this study (coloured).");
      } else {
        waiting_ = window_->queuePrediction() != 0;
        text = waiting_ ? tr("Running the model on this study…") : tr("Open a model first.");
      }
      break;
    case 3: {
      controls->setState({{"showMapsCheck", true}, {"labelOpacity", 30}, {"outlineCheck", true}});
      // An instances run shows one lesion's map: this step shows the newest run of the class.
      int classRun = 0;
      if (hasRun && run->instances)
        for (int id : window_->runHistory()->ids())
          if (const ExplanationResult* other = window_->runHistory()->find(id);
              !other->instances && other->study == window_->study())
            classRun = id;
      if (classRun) {
        window_->showRun(classRun);
        if (window_->shownExplanation() && window_->shownExplanation()->jobId == classRun) {
          run = window_->shownExplanation();
        } else {
          waiting_ = true;  // its maps come back from disk; the step is shown again then
          text = tr("Bringing the explanation back...");
          break;
        }
      }
      if (hasRun) {
        // The method's own one-line meaning (core's registry): what red (positive) and blue mean differs.
        text = tr("Why: %1 per sequence. %2 Red positive, blue negative; the brighter, the stronger.")
                   .arg(run->methodLabel, QString::fromStdString(findMethod(run->method.toStdString()).summary));
      } else {
        waiting_ = window_->queueExplanation() != 0;
        text = waiting_ ? tr("Computing the explanation…") : tr("Open a model first.");
      }
      break;
    }
    case 4: {
      controls->setState({{"showMapsCheck", true}, {"labelOpacity", 30}, {"outlineCheck", true}});
      InstanceTable* instances = window_->instanceTable();
      if (instances->activateLargest()) {
        text = tr("One lesion on its own: the views are centred on the largest one and show its own map.");
      } else {
        waiting_ = window_->queueInstances() != 0;
        text = waiting_ ? tr("Explaining each lesion on its own…") : tr("Open a model first.");
      }
      break;
    }
    case 5:
      analysisDock->show();
      analysisDock->raise();
      text = hasRun ? tr("Where the evidence lies: the share of the explanation in each segment and sequence.")
                    : tr("Run an explanation first (step 3).");
      break;
  }
  stepText_ = prefix + text;
  caption_->setText(stepText_);
  progress_->setValue(0);
  progressAction_->setVisible(waiting_);
  Q_EMIT stepShown(step_, caption_->text());
}

bool PresentationMode::eventFilter(QObject* watched, QEvent* event) {
  if (active_ && event->type() == QEvent::KeyPress) {
    switch (static_cast<QKeyEvent*>(event)->key()) {
      case Qt::Key_Right:
      case Qt::Key_Space:
      case Qt::Key_PageDown:
        next();
        return true;
      case Qt::Key_Left:
      case Qt::Key_PageUp:
        previous();
        return true;
      case Qt::Key_Escape:
        stop();
        return true;
      default:
        break;
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace voxplain::ui
