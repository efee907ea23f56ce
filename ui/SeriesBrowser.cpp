#include "SeriesBrowser.h"

#include <QDate>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <set>

#include "StudyLoadWorker.h"

namespace voxplain::ui {
namespace {
enum Column { Description, Modality, Size, Files, Number, Uid };

QString seriesSize(const DicomSeries& s) {
  if (s.frames.empty()) return {};
  const DicomFrame& f = s.frames.front();
  return QString("%1 x %2 x %3").arg(f.columns).arg(f.rows).arg(s.frames.size());
}

QString seriesName(const DicomSeries& s) {
  QString name = QString::fromStdString(s.seriesDescription).trimmed();
  if (name.isEmpty()) name = QString("%1 %2").arg(QString::fromStdString(s.modality)).arg(s.seriesNumber).trimmed();
  return name;
}
}  // namespace

SeriesBrowser::SeriesBrowser(StudyLoadWorker* worker, QWidget* parent) : QDialog(parent), worker_(worker) {
  setObjectName("seriesBrowser");
  setWindowTitle(tr("Open DICOM series"));
  resize(900, 480);
  auto* layout = new QVBoxLayout(this);
  auto* hint = new QLabel(tr("Tick one series per modality (e.g. FLAIR and T1). Each becomes one image of the study; "
                             "the first ticked defines the grid, the others are resampled onto it when they differ."),
                          this);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  tree_ = new QTreeWidget(this);
  tree_->setObjectName("seriesTree");
  tree_->setHeaderLabels({tr("Patient / study / series"), tr("Modality"), tr("Size (columns x rows x frames)"),
                          tr("Files"), tr("Number"), tr("Series UID")});
  tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  tree_->setRootIsDecorated(true);
  layout->addWidget(tree_, 1);
  auto* row = new QHBoxLayout;
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  cancelScan_ = new QPushButton(tr("Stop scanning"), this);
  cancelScan_->setObjectName("stopScanButton");
  row->addWidget(progress_, 1);
  row->addWidget(cancelScan_);
  layout->addLayout(row);
  message_ = new QLabel(this);
  message_->setObjectName("seriesMessage");
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(message_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons_);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(cancelScan_, &QPushButton::clicked, this, [this] { worker_->cancel(); });
  connect(tree_, &QTreeWidget::itemChanged, this, &SeriesBrowser::updateOk);
  // A double click on a series opens it alone.
  connect(tree_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
    for (auto& [i, index] : seriesItems_) i->setCheckState(Description, i == item ? Qt::Checked : Qt::Unchecked);
    if (!chosenInputs().empty()) accept();
  });
  connect(worker_, &StudyLoadWorker::scanned, this, &SeriesBrowser::onScanned);
  connect(worker_, &StudyLoadWorker::scanFailed, this, &SeriesBrowser::onScanFailed);
  connect(worker_, &StudyLoadWorker::progress, this, [this](double fraction, const QString& stage) {
    if (!scanning_) return;
    progress_->setValue(int(fraction * 1000));
    message_->setText(stage);
  });
  connect(worker_, &StudyLoadWorker::scanCancelled, this, [this] {
    if (!scanning_) return;
    setScanning(false);
    message_->setText(tr("Scan stopped: the series found so far are not listed; open the folder again to rescan."));
    Q_EMIT scanFinished(0);
  });
  connect(this, &QDialog::rejected, this, [this] {
    if (scanning_) worker_->cancel();
  });
  updateOk();
}

void SeriesBrowser::scan(const QString& folder) {
  folder_ = folder;
  tree_->clear();
  seriesItems_.clear();
  catalog_.reset();
  setWindowTitle(tr("Open DICOM series: %1").arg(QDir(folder).dirName()));
  message_->setText(tr("Scanning %1 ...").arg(QDir(folder).dirName()));
  setScanning(true);
  QMetaObject::invokeMethod(
      worker_, [w = worker_, folder] { w->scan(folder); }, Qt::QueuedConnection);
}

void SeriesBrowser::setScanning(bool scanning) {
  scanning_ = scanning;
  progress_->setVisible(scanning);
  cancelScan_->setVisible(scanning);
  if (scanning) progress_->setValue(0);
  updateOk();
}

void SeriesBrowser::onScanned(const QString& folder, std::shared_ptr<const DicomCatalog> catalog) {
  if (!scanning_ || folder != folder_) return;
  setScanning(false);
  catalog_ = std::move(catalog);
  const QSignalBlocker block(tree_);
  QTreeWidgetItem* patient = nullptr;
  QTreeWidgetItem* study = nullptr;
  std::string patientKey, studyKey;
  int skipped = 0;
  for (std::size_t i = 0; i < catalog_->series.size(); ++i) {
    const DicomSeries& s = catalog_->series[i];
    if (!patient || s.patientId + "|" + s.patientName != patientKey) {
      patientKey = s.patientId + "|" + s.patientName;
      patient = new QTreeWidgetItem(tree_, {tr("Patient %1 (ID %2)")
                                                .arg(QString::fromStdString(s.patientName).replace('^', ' ').trimmed(),
                                                     QString::fromStdString(s.patientId))});
      patient->setExpanded(true);
      studyKey.clear();
    }
    if (s.studyUid != studyKey) {
      studyKey = s.studyUid;
      QString title = QString::fromStdString(s.studyDescription).trimmed();
      if (title.isEmpty()) title = tr("Study");
      if (!s.studyDate.empty()) {
        const QDate date = QDate::fromString(QString::fromStdString(s.studyDate), "yyyyMMdd");  // DICOM DA
        title +=
            QString(" (%1)").arg(date.isValid() ? date.toString(Qt::ISODate) : QString::fromStdString(s.studyDate));
      }
      study = new QTreeWidgetItem(patient, {title});
      study->setExpanded(true);
    }
    auto* item = new QTreeWidgetItem(study);
    item->setText(Description, seriesName(s));
    item->setText(Modality, QString::fromStdString(s.modality));
    item->setText(Size, seriesSize(s));
    item->setText(Files, QString::number(s.files.size()));
    item->setText(Number, QString::number(s.seriesNumber));
    item->setText(Uid, QString::fromStdString(s.seriesUid));
    if (!s.hasPixelData) {
      item->setDisabled(true);
      item->setToolTip(Description, tr("%1: not an image").arg(QString::fromStdString(s.sopClassName)));
      ++skipped;
      continue;
    }
    item->setCheckState(Description, Qt::Unchecked);
    seriesItems_.push_back({item, i});
  }
  if (seriesItems_.size() == 1) seriesItems_.front().first->setCheckState(Description, Qt::Checked);
  QStringList notes;
  notes << tr("%n image series", nullptr, int(seriesItems_.size()));
  if (skipped > 0) notes << tr("%n series without images (greyed out)", nullptr, skipped);
  if (!catalog_->unreadable.empty())
    notes << tr("%n unreadable DICOM files (first: %1)", nullptr, int(catalog_->unreadable.size()))
                 .arg(QString::fromStdString(catalog_->unreadable.front().describe()));
  message_->setText(notes.join("; "));
  updateOk();
  Q_EMIT scanFinished(int(seriesItems_.size()));
}

void SeriesBrowser::onScanFailed(const QString& message) {
  if (!scanning_) return;
  setScanning(false);
  message_->setText(message);
  Q_EMIT scanFinished(0);
}

std::vector<StudyInput> SeriesBrowser::chosenInputs() const {
  std::vector<StudyInput> inputs;
  std::set<std::string> names;
  for (const auto& [item, index] : seriesItems_) {
    if (item->checkState(Description) != Qt::Checked) continue;
    const DicomSeries& s = catalog_->series[index];
    std::string name = seriesName(s).toStdString();
    if (names.count(name)) name += " #" + std::to_string(s.seriesNumber);
    for (int n = 2; names.count(name); ++n) name = seriesName(s).toStdString() + " (" + std::to_string(n) + ")";
    names.insert(name);
    inputs.push_back({folder_.toStdString(), s.seriesUid, name});
  }
  return inputs;
}

bool SeriesBrowser::setSeriesChecked(const QString& uid, bool checked) {
  for (const auto& [item, index] : seriesItems_)
    if (item->text(Uid) == uid) {
      item->setCheckState(Description, checked ? Qt::Checked : Qt::Unchecked);
      return true;
    }
  return false;
}

QString SeriesBrowser::message() const {
  return message_->text();
}

void SeriesBrowser::updateOk() {
  buttons_->button(QDialogButtonBox::Open)->setEnabled(!scanning_ && !chosenInputs().empty());
}

}  // namespace voxplain::ui
