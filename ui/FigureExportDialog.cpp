#include "FigureExportDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

namespace voxplain::ui {

FigureExportDialog::FigureExportDialog(const QStringList& subjects, const QString& caption, const QString& folder,
                                       QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Export figure"));
  auto* form = new QFormLayout(this);
  subject_ = new QComboBox(this);
  subject_->setObjectName("figureSubject");
  subject_->addItems(subjects);
  form->addRow(tr("&Draw"), subject_);

  auto* fileRow = new QHBoxLayout;
  file_ = new QLineEdit(QDir(folder.isEmpty() ? QDir::homePath() : folder).filePath("figure.png"), this);
  file_->setObjectName("figureFile");
  file_->setToolTip(
      tr("The suffix picks the format: .png (pixels at the chosen resolution), .svg or .pdf (vector "
         "text and charts; a view's pixels embedded at the chosen resolution)"));
  auto* browse = new QPushButton(tr("Browse..."), this);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export figure"), file_->text(), tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (!chosen.isEmpty()) file_->setText(chosen);
  });
  fileRow->addWidget(file_, 1);
  fileRow->addWidget(browse);
  auto* fileLabel = new QLabel(tr("&File"), this);  // a row of a layout: its mnemonic needs a buddy
  fileLabel->setBuddy(file_);
  form->addRow(fileLabel, fileRow);

  dpi_ = new QSpinBox(this);
  dpi_->setObjectName("figureDpi");
  dpi_->setRange(72, 1200);
  dpi_->setSingleStep(50);
  dpi_->setValue(kDefaultFigureDpi);
  dpi_->setSuffix(tr(" dpi"));
  dpi_->setToolTip(
      tr("The figure is as many inches wide as on screen (96 pixels per inch); views are rendered "
         "again at this resolution, not enlarged"));
  form->addRow(tr("&Resolution"), dpi_);

  caption_ = new QPlainTextEdit(caption, this);
  caption_->setObjectName("figureCaption");
  caption_->setToolTip(tr("Drawn above the figure; empty: no caption"));
  caption_->setFixedHeight(90);
  form->addRow(tr("&Caption"), caption_);

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons_);
  connect(file_, &QLineEdit::textChanged, this, &FigureExportDialog::validate);
  validate();
}

QString FigureExportDialog::subject() const {
  return subject_->currentText();
}
QString FigureExportDialog::file() const {
  return file_->text().trimmed();
}

FigureOptions FigureExportDialog::options() const {
  FigureOptions options;
  options.dpi = dpi_->value();
  options.caption = caption_->toPlainText().trimmed();
  return options;
}

void FigureExportDialog::choose(const QString& subject, const QString& file, int dpi, const QString& caption) {
  subject_->setCurrentText(subject);
  file_->setText(file);
  dpi_->setValue(dpi);
  caption_->setPlainText(caption);
}

void FigureExportDialog::validate() {
  const bool known = isFigureFormat(QFileInfo(file()).suffix());
  buttons_->button(QDialogButtonBox::Save)->setEnabled(!file().isEmpty() && known);
  file_->setStyleSheet(known || file().isEmpty() ? QString() : QString("color: #b00020"));
}

}  // namespace voxplain::ui
