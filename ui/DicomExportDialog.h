#pragma once
// File > Export to DICOM: which results to write (the prediction as DICOM SEG, the shown
// explanation's maps as Parametric Maps), where, and whether the patient's name, ID and birth date
// go with them (not by default).

#include <QDialog>

#include "DicomExport.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QDialogButtonBox;
class QLineEdit;
QT_END_NAMESPACE

namespace voxplain::ui {

class DicomExportDialog : public QDialog {
  Q_OBJECT
 public:
  /// `proposal` holds what can be exported (null labels / maps: that part is offered disabled).
  explicit DicomExportDialog(DicomExportRequest proposal, QWidget* parent = nullptr);
  /// The proposal reduced to the ticked parts, with the folder and the identity choice.
  DicomExportRequest request() const;
  /// Tests: set the folder and the ticks.
  void choose(const QString& folder, bool segmentation, bool maps, bool keepIdentity);

 private:
  void validate();
  DicomExportRequest proposal_;
  QCheckBox* segmentation_ = nullptr;
  QCheckBox* maps_ = nullptr;
  QCheckBox* identity_ = nullptr;
  QLineEdit* folder_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace voxplain::ui
