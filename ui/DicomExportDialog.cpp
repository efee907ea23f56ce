#include "DicomExportDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace voxplain::ui {

DicomExportDialog::DicomExportDialog(DicomExportRequest proposal, QWidget* parent)
    : QDialog(parent), proposal_(std::move(proposal)) {
  setWindowTitle(tr("Export to DICOM"));
  auto* layout = new QVBoxLayout(this);
  auto* intro =
      new QLabel(tr("DICOM objects that reference the study's source series, for a PACS, 3D Slicer or OHIF."));
  intro->setWordWrap(true);
  layout->addWidget(intro);

  segmentation_ = new QCheckBox(tr("Segmentation (DICOM SEG) of the prediction"));
  segmentation_->setEnabled(proposal_.labels != nullptr);
  segmentation_->setChecked(proposal_.labels != nullptr);
  if (!proposal_.labels) segmentation_->setToolTip(tr("Run a prediction first"));
  layout->addWidget(segmentation_);

  QStringList modalities;
  for (const std::string& m : proposal_.mapModalities) modalities << QString::fromStdString(m);
  maps_ = new QCheckBox(proposal_.maps ? tr("Attribution maps (Parametric Maps): %1 of %2")
                                             .arg(QString::fromStdString(proposal_.method), modalities.join(", "))
                                       : tr("Attribution maps (Parametric Maps)"));
  maps_->setEnabled(proposal_.maps != nullptr);
  maps_->setChecked(proposal_.maps != nullptr);
  if (!proposal_.maps) maps_->setToolTip(tr("Run an explanation first"));
  layout->addWidget(maps_);

  identity_ = new QCheckBox(tr("Include the patient's name, ID and birth date"));
  identity_->setToolTip(tr("Off: the objects keep the study and frame of reference, but name no person"));
  layout->addWidget(identity_);

  auto* folderRow = new QHBoxLayout;
  folder_ = new QLineEdit(QString::fromStdString(proposal_.folder.string()));
  auto* browse = new QPushButton(tr("Browse..."));
  folderRow->addWidget(new QLabel(tr("Folder:")));
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(browse);
  layout->addLayout(folderRow);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Export to folder"), folder_->text());
    if (!chosen.isEmpty()) folder_->setText(chosen);
  });

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Export"));
  layout->addWidget(buttons_);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  for (QCheckBox* box : {segmentation_, maps_}) connect(box, &QCheckBox::toggled, this, &DicomExportDialog::validate);
  connect(folder_, &QLineEdit::textChanged, this, &DicomExportDialog::validate);
  validate();
}

void DicomExportDialog::validate() {
  buttons_->button(QDialogButtonBox::Ok)
      ->setEnabled((segmentation_->isChecked() || maps_->isChecked()) && !folder_->text().trimmed().isEmpty());
}

DicomExportRequest DicomExportDialog::request() const {
  DicomExportRequest r = proposal_;
  if (!segmentation_->isChecked()) r.labels = nullptr;
  if (!maps_->isChecked()) r.maps = nullptr;
  r.folder = folder_->text().trimmed().toStdString();
  r.options.keepPatientIdentity = identity_->isChecked();
  return r;
}

void DicomExportDialog::choose(const QString& folder, bool segmentation, bool maps, bool keepIdentity) {
  folder_->setText(folder);
  segmentation_->setChecked(segmentation && segmentation_->isEnabled());
  maps_->setChecked(maps && maps_->isEnabled());
  identity_->setChecked(keepIdentity);
}

}  // namespace voxplain::ui
