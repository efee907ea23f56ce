#pragma once
// File > Open DICOM folder: the series browser. The folder is scanned in the loading worker
// (headers only, progress and cancel); patients, their studies and their series are listed with
// description, modality, size and file count, and the user ticks one or several series, each of
// which becomes one modality of the study (named by its series description).

#include <QDialog>
#include <memory>
#include <vector>

#include "io/DicomCatalog.h"
#include "io/StudyReader.h"

QT_BEGIN_NAMESPACE
class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
QT_END_NAMESPACE

namespace voxplain::ui {

class StudyLoadWorker;

class SeriesBrowser : public QDialog {
  Q_OBJECT
 public:
  /// Scans through `worker` (which lives on its own thread); the dialog never blocks.
  SeriesBrowser(StudyLoadWorker* worker, QWidget* parent = nullptr);

  /// Starts scanning `folder`; scanFinished() follows.
  void scan(const QString& folder);
  /// The ticked series, in the order listed: the folder, the series UID and a modality name (the
  /// series description, else "<Modality> <SeriesNumber>"; made unique by the series number).
  std::vector<StudyInput> chosenInputs() const;
  /// Image series listed (series without pixel data are listed greyed out and not counted).
  int seriesCount() const { return int(seriesItems_.size()); }
  /// Ticks or unticks the series with this SeriesInstanceUID; false when it is not listed.
  bool setSeriesChecked(const QString& uid, bool checked);
  /// The text of the message line (scan errors, what was skipped), for tests.
  QString message() const;

 Q_SIGNALS:
  /// The scan ended: `seriesCount` image series listed (0 after an error or a cancel).
  void scanFinished(int seriesCount);

 private:
  void onScanned(const QString& folder, std::shared_ptr<const DicomCatalog> catalog);
  void onScanFailed(const QString& message);
  void setScanning(bool scanning);
  void updateOk();

  StudyLoadWorker* worker_;
  QString folder_;
  bool scanning_ = false;
  std::shared_ptr<const DicomCatalog> catalog_;
  QTreeWidget* tree_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancelScan_ = nullptr;
  QLabel* message_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
  /// One per image series: its tree item and the index in catalog_->series.
  std::vector<std::pair<QTreeWidgetItem*, std::size_t>> seriesItems_;
};

}  // namespace voxplain::ui
