// MainWindow's menus and the dialogs they open: File (studies, models, overlays, cohort results,
// DICOM export, recent files) and View; files dropped on the window. The window itself is in MainWindow.cpp.
#include <QCheckBox>
#include <QCoreApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QThreadPool>
#include <QUrl>
#include <filesystem>

#include "DicomExportDialog.h"
#include "MainWindow.h"
#include "PresentationMode.h"
#include "VolumeScene.h"
#include "VtkView.h"

namespace voxplain::ui {

namespace {
constexpr int kRecentCount = 8;  ///< studies and models remembered each

bool isModelFile(const QString& path) {
  for (const char* ext : {".json", ".pt", ".ts", ".pth"})
    if (path.endsWith(ext, Qt::CaseInsensitive)) return true;
  // Folders that are models: an nnU-Net v2 results folder, a MONAI bundle.
  return isNnunetFolder(path.toStdString()) || QFileInfo(path + "/configs/metadata.json").isFile();
}
}  // namespace

QString MainWindow::lastFolder(const char* kind) {
  return QSettings().value(QString("folders/") + kind).toString();
}

void MainWindow::rememberFolder(const char* kind, const QString& chosenPath) {
  QSettings().setValue(QString("folders/") + kind, QFileInfo(chosenPath).absolutePath());
}

void MainWindow::chooseFiles() {
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Open images (one per modality)"), lastFolder("images"),
                                    tr("Images (*.nii *.nii.gz *.hdr *.dcm);;All files (*)"));
  if (!files.isEmpty()) rememberFolder("images", files.front());
  openStudy(files);
}

void MainWindow::chooseDicomFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a DICOM folder"), lastFolder("dicom"));
  if (dir.isEmpty()) return;
  rememberFolder("dicom", dir + "/");
  browseDicomFolder(dir);
}

void MainWindow::chooseModel() {
  const QString file =
      QFileDialog::getOpenFileName(this, tr("Open a model (manifest, TorchScript, or a MONAI bundle's metadata)"),
                                   lastFolder("models"), tr("Models (*.json *.pt *.ts *.pth);;All files (*)"));
  if (file.isEmpty()) return;
  rememberFolder("models", file);
  openModel(file);
}

void MainWindow::chooseReference() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open a reference segmentation (non-zero = the class)"),
                                                    {}, tr("Images (*.nii *.nii.gz);;All files (*)"));
  openReference(file);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &images..."), this, &MainWindow::chooseFiles, QKeySequence::Open);
  file->addAction(tr("Open &DICOM folder..."), this, &MainWindow::chooseDicomFolder);
  file->addAction(tr("Open &model..."), QKeySequence(tr("Ctrl+M")), this, &MainWindow::chooseModel);
  file->addAction(tr("Open model &folder (MONAI bundle, nnU-Net)..."), this, [this] {
    openModel(
        QFileDialog::getExistingDirectory(
            this, tr("Open a model folder: a MONAI bundle (configs/ and models/) or an nnU-Net v2 results folder")),
        true);
  });
  demoModelAction_ = file->addAction(tr("Open the &demo model"), this, [this] { openModel(demoModel_); });
  demoModelAction_->setVisible(false);
  file->addAction(tr("Assign model &inputs..."), this, [this] {
    if (!assignModelInputs(true)) statusBar()->showMessage(tr("Open a study and a model first"), 5000);
  });
  file->addAction(tr("Open &reference segmentation..."), this, &MainWindow::chooseReference);
  file->addAction(tr("Open &labels..."), this, [this] {
    openLabels(
        QFileDialog::getOpenFileName(this, tr("Open a label map"), {}, tr("Images (*.nii *.nii.gz);;All files (*)")));
  });
  file->addAction(tr("Open attribution &maps..."), this, [this] {
    openMaps(QFileDialog::getOpenFileNames(this, tr("Open attribution maps (one per modality, in study order)"), {},
                                           tr("Images (*.nii *.nii.gz);;All files (*)")));
  });
  file->addAction(tr("Open &cohort result..."), this, [this] {
    openCohort(QFileDialog::getOpenFileName(this,
                                            tr("Open a cohort result (segment_importance.json of voxplain-cli merge)"),
                                            {}, tr("Cohort results (*.json);;All files (*)")));
  });
  file->addAction(tr("Open s&ession..."), this, &MainWindow::chooseSessionToOpen);
  file->addAction(tr("&Save session..."), QKeySequence::Save, this, &MainWindow::chooseSessionToSave);
  file->addAction(tr("Export &figure..."), QKeySequence(tr("Ctrl+E")), this, &MainWindow::chooseFigureExport);
  file->addAction(tr("&Export to DICOM..."), this, &MainWindow::chooseDicomExport);
  file->addAction(tr("Export &report..."), this, [this] {
    if (!workspace_->study() || !workspace_->modelOpen()) {
      warn(tr("Export report"),
           tr("Open a study and a model first: the report runs the panel's method on every predicted class."));
      return;
    }
    // A folder that exists, or a new one named in the dialog (created by the report job).
    QFileDialog chooser(this, tr("Report folder (an existing one, or type a new name)"), lastFolder("report"));
    chooser.setAcceptMode(QFileDialog::AcceptSave);
    chooser.setFileMode(QFileDialog::AnyFile);
    chooser.setOption(QFileDialog::ShowDirsOnly);
    chooser.setLabelText(QFileDialog::Accept, tr("Choose"));
    chooser.setLabelText(QFileDialog::FileName, tr("Folder"));
    chooser.selectFile("report");
    if (chooser.exec() != QDialog::Accepted || chooser.selectedFiles().isEmpty()) return;
    const QString folder = chooser.selectedFiles().front();
    if (QFileInfo(folder).exists() && !QFileInfo(folder).isDir()) {
      warn(tr("Export report"), tr("%1 is a file, not a folder: choose a folder for the report.").arg(folder));
      return;
    }
    rememberFolder("report", folder + "/");
    const bool holdsFiles = QFileInfo(folder).isDir() && !QDir(folder).isEmpty();
    // One confirmation: what will be written where, replacing files or not, and the patient's
    // identity (left out unless ticked; it only ever goes into the DICOM objects).
    QMessageBox box(QMessageBox::Question, tr("Export report"),
                    (holdsFiles ? tr("%1 holds files: write the report there, replacing its files of the same names?")
                     : QFileInfo(folder).exists() ? tr("Write the report into %1?")
                                                  : tr("Write the report into the new folder %1?"))
                        .arg(QFileInfo(folder).fileName()),
                    QMessageBox::Ok | QMessageBox::Cancel, this);
    auto* identity = new QCheckBox(tr("Include the patient's name, ID and birth date in the DICOM objects"), &box);
    box.setCheckBox(identity);
    if (box.exec() != QMessageBox::Ok) return;
    queueReport(folder, identity->isChecked(), holdsFiles);
  });
  recentMenu_ = file->addMenu(tr("&Recent"));
  recentMenu_->setObjectName("recentMenu");
  fillRecentMenu();
  file->addSeparator();
  file->addAction(tr("&Quit"), this, &QWidget::close, QKeySequence::Quit);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("&Reset camera"), this, [this] {
    scene_->resetCamera();
    view_->requestRender();
  });
  presentation_ = new PresentationMode(this);
  view->addAction(tr("&Presentation mode"), QKeySequence(Qt::Key_F5), presentation_, &PresentationMode::start);
}

DicomExportRequest MainWindow::dicomExportProposal() const {
  DicomExportRequest request;
  const std::shared_ptr<const Study> study = workspace_->study();
  if (!study) return request;
  request.inputs = workspace_->studyInputs();
  for (const Modality& m : study->modalities()) request.studyModalities.push_back(m.name);
  request.labels = workspace_->prediction();
  for (const auto& [value, name] : workspace_->labelNames())
    if (value > 0) request.segments.push_back({std::uint16_t(value), name});
  request.model = workspace_->modelTitle().toStdString();
  if (const ExplanationResult* run = shownExplanation(); run && run->study == study && run->maps) {
    request.maps = run->maps;
    request.mapModalities = run->modalities;
    request.method = run->method.toStdString();
    request.target = run->target.toStdString();
  }
  if (!request.inputs.empty()) request.folder = request.inputs.front().path.parent_path() / "voxplain_dicom";
  request.options.softwareVersion = "voxplain " + QCoreApplication::applicationVersion().toStdString();
  return request;
}

void MainWindow::chooseDicomExport() {
  DicomExportRequest proposal = dicomExportProposal();
  if (!workspace_->study() || (!proposal.labels && !proposal.maps)) {
    warn(tr("Export to DICOM"), tr("Open a DICOM study and run a prediction or an explanation first."));
    return;
  }
  auto* dialog = new DicomExportDialog(std::move(proposal), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] {
    DicomExportRequest request = dialog->request();
    QStringList existing;
    for (const std::filesystem::path& file : request.files())
      if (std::filesystem::exists(file)) existing << QString::fromStdString(file.filename().string());
    if (!existing.isEmpty()) {
      if (QMessageBox::question(this, tr("Export to DICOM"), tr("Replace %1?").arg(existing.join(", "))) !=
          QMessageBox::Yes)
        return;
      request.overwrite = Overwrite::Allow;
    }
    exportDicom(std::move(request));
  });
  dialog->open();
}

void MainWindow::exportDicom(DicomExportRequest request) {
  statusBar()->showMessage(tr("Writing DICOM objects..."));
  QThreadPool::globalInstance()->start([this, request = std::move(request)] {
    const DicomExportResult result = exportToDicom(request);
    QMetaObject::invokeMethod(
        this,
        [this, result, folder = QString::fromStdString(request.folder.filename().string())] {
          QStringList files;
          for (const std::string& f : result.files) files << QString::fromStdString(f);
          if (!result.error.empty()) {
            warn(tr("Export to DICOM"), QString::fromStdString(result.error));
          } else {
            QStringList notes;
            for (const std::string& n : result.notes) notes << QString::fromStdString(n);
            statusBar()->showMessage(tr("Wrote %1 DICOM object(s) to %2%3")
                                         .arg(files.size())
                                         .arg(folder, notes.isEmpty() ? QString() : " (" + notes.join("; ") + ")"),
                                     15000);
          }
          Q_EMIT dicomExported(files, QString::fromStdString(result.error));
        },
        Qt::QueuedConnection);
  });
}

QList<std::vector<StudyInput>> MainWindow::recentStudies() {
  QList<std::vector<StudyInput>> studies;
  for (const QString& entry : QSettings().value("recent/studies").toStringList()) {
    std::vector<StudyInput> inputs;
    for (const QString& line : entry.split('\n')) {
      const QStringList parts = line.split('\t');
      inputs.push_back({parts.value(0).toStdString(), parts.value(1).toStdString(), parts.value(2).toStdString()});
    }
    studies << inputs;
  }
  return studies;
}

QStringList MainWindow::recentModels() {
  return QSettings().value("recent/models").toStringList();
}

void MainWindow::fillRecentMenu() {
  recentMenu_->clear();
  for (const std::vector<StudyInput>& study : recentStudies()) {
    QStringList names, paths;
    for (const StudyInput& in : study) {
      const QString path = QString::fromStdString(in.path.string());
      names << (in.name.empty() ? QFileInfo(path).fileName() : QString::fromStdString(in.name));
      paths << path;
    }
    QAction* action = recentMenu_->addAction(names.join(" + "), this, [this, study] { openInputs(study); });
    action->setToolTip(paths.join("\n"));
  }
  if (!recentMenu_->isEmpty()) recentMenu_->addSeparator();
  for (const QString& model : recentModels())
    recentMenu_->addAction(tr("Model: %1").arg(QFileInfo(model).fileName()), this, [this, model] { openModel(model); });
  recentMenu_->setEnabled(!recentMenu_->isEmpty());
}

void MainWindow::rememberRecent(const QString& key, const QString& entry) {
  QSettings settings;
  QStringList list = settings.value(key).toStringList();
  list.removeAll(entry);
  list.prepend(entry);
  while (list.size() > kRecentCount) list.removeLast();
  settings.setValue(key, list);
  fillRecentMenu();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) {
      event->acceptProposedAction();
      return;
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList study;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QString path = url.toLocalFile();
    if (isModelFile(path))
      openModel(path, true);
    else
      study << path;
  }
  if (!study.isEmpty()) openStudy(study);
  event->acceptProposedAction();
}

}  // namespace voxplain::ui
