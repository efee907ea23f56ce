#pragma once
// Which part of an nnU-Net v2 results folder to open (model/NnunetFolder.h): the trainer folder
// (configuration), the folds to ensemble, the checkpoint and test-time mirroring — the choices
// nnUNetv2_predict takes as -c, -f, -chk and --disable_tta, with its defaults preselected.

#include <QDialog>

#include <vector>

#include "model/NnunetFolder.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QVBoxLayout;

namespace voxplain::ui {

class NnunetChoiceDialog : public QDialog {
  Q_OBJECT
 public:
  /// `trainers`: nnunetTrainers() of the folder (at least one).
  NnunetChoiceDialog(const std::vector<NnunetTrainer>& trainers, QWidget* parent = nullptr);
  /// The trainer folder chosen.
  QString trainerFolder() const;
  /// Folds, checkpoint and mirroring chosen (the configuration is the trainer folder's).
  NnunetChoice choice() const;
  /// Unticks or ticks fold `fold` (tests).
  void setFold(int fold, bool used);
  /// Chooses trainer `index` (tests).
  void setTrainer(int index);

 private:
  void showFolds();  ///< one box per fold of the chosen trainer and checkpoint, all ticked
  void validate();   ///< Open needs one fold at least
  std::vector<NnunetTrainer> trainers_;
  QComboBox* trainer_ = nullptr;
  QComboBox* checkpoint_ = nullptr;
  QVBoxLayout* foldsLayout_ = nullptr;
  std::vector<std::pair<int, QCheckBox*>> folds_;
  QCheckBox* mirroring_ = nullptr;
  QLabel* problem_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace voxplain::ui
