#include "MainWindow.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

#include <vtkGenericRenderWindowInteractor.h>
#include <vtkRenderer.h>

#include "GeometryPanel.h"
#include "VolumeScene.h"
#include "VtkView.h"

namespace voxplain::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("mainWindow");
  setWindowTitle(tr("Voxplain"));
  qRegisterMetaType<voxplain::ui::LoadedStudy>();

  view_ = new render::VtkView(this);
  view_->setObjectName("view3d");
  setCentralWidget(view_);
  scene_ = std::make_unique<render::VolumeScene>();
  scene_->attach(view_->renderer(), view_->interactor());

  geometry_ = new GeometryPanel(this);
  auto* dock = new QDockWidget(tr("Study"), this);
  dock->setObjectName("studyDock");
  dock->setWidget(geometry_);
  dock->setMinimumWidth(380);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  progress_ = new QProgressBar(this);
  progress_->setObjectName("progressBar");
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(240);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("cancelButton");
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);
  setBusy(false);

  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &images..."), this, &MainWindow::chooseFiles, QKeySequence::Open);
  file->addAction(tr("Open &DICOM folder..."), this, &MainWindow::chooseDicomFolder);
  file->addSeparator();
  file->addAction(tr("&Quit"), this, &QWidget::close, QKeySequence::Quit);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("&Reset camera"), this, [this] {
    scene_->resetCamera();
    view_->requestRender();
  });

  worker_ = new StudyLoadWorker;
  worker_->moveToThread(&workerThread_);
  connect(&workerThread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(this, &MainWindow::requestLoad, worker_, &StudyLoadWorker::load);
  connect(worker_, &StudyLoadWorker::loaded, this, &MainWindow::onLoaded);
  connect(worker_, &StudyLoadWorker::failed, this, &MainWindow::onFailed);
  connect(worker_, &StudyLoadWorker::progress, this, &MainWindow::onProgress);
  connect(worker_, &StudyLoadWorker::cancelled, this, [this] {
    setBusy(false);
    statusBar()->showMessage(tr("Loading cancelled"), 5000);
  });
  connect(cancel_, &QPushButton::clicked, this, [this] { worker_->cancel(); });
  workerThread_.start();
  resize(1200, 800);
}

MainWindow::~MainWindow() {
  worker_->cancel();
  workerThread_.quit();
  workerThread_.wait();
}

void MainWindow::openStudy(const QStringList& paths) {
  if (paths.isEmpty()) return;
  setBusy(true);
  statusBar()->showMessage(tr("Loading %1").arg(paths.join(", ")));
  Q_EMIT requestLoad(paths, {});
}

void MainWindow::onLoaded(const LoadedStudy& result) {
  setBusy(false);
  study_ = result.study;
  geometry_->showStudy(*study_, result.notes);
  scene_->setVolume(study_->modalities().front().volume);
  view_->requestRender();
  statusBar()->showMessage(tr("Loaded %1 modalities").arg(study_->modalities().size()), 5000);
  Q_EMIT studyShown();
}

void MainWindow::onFailed(const QString& message) {
  setBusy(false);
  statusBar()->showMessage(message);
  Q_EMIT loadFailed(message);
  if (isVisible()) QMessageBox::warning(this, tr("Cannot open the study"), message);
}

void MainWindow::onProgress(double fraction, const QString& stage) {
  progress_->setValue(int(fraction * 1000));
  statusBar()->showMessage(stage);
}

void MainWindow::chooseFiles() {
  const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open images (one per modality)"), {},
                                                          tr("Images (*.nii *.nii.gz *.hdr *.dcm);;All files (*)"));
  openStudy(files);
}

void MainWindow::chooseDicomFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a DICOM folder"));
  if (!dir.isEmpty()) openStudy({dir});
}

void MainWindow::setBusy(bool busy) {
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  if (busy) progress_->setValue(0);
}

}  // namespace voxplain::ui
