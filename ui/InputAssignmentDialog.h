#pragma once
// Which volume of the study feeds which input of the model. Proposed by core
// (model/InputAssignment.h) from names and series descriptions, shown with the reason for each
// input, overridable per input; warns when the volumes' grids differ (they were resampled onto the
// first one's grid) or when the counts differ.

#include <QDialog>
#include <QStringList>
#include <vector>

#include "model/InputAssignment.h"
#include "volume/Study.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QDialogButtonBox;
class QLabel;
QT_END_NAMESPACE

namespace voxplain::ui {

class InputAssignmentDialog : public QDialog {
  Q_OBJECT
 public:
  /// `inputs`: the model's input names (manifest order); `proposal` preselects the volumes.
  InputAssignmentDialog(const Study& study, const QStringList& inputs, const InputAssignment& proposal,
                        QWidget* parent = nullptr);
  /// Per input, the chosen modality index of the study.
  std::vector<int> chosen() const;
  /// Chooses modality `volume` for input `input` (tests).
  void choose(int input, int volume);
  /// The grid / count warning shown (empty when none), for tests.
  QString warning() const;

 private:
  void validate();
  std::vector<QComboBox*> combos_;
  QLabel* warning_ = nullptr;
  QLabel* problem_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

/// What describes each modality of `study` for matching: its name and the file name of its source.
std::vector<VolumeDescription> describeModalities(const Study& study);

}  // namespace voxplain::ui
