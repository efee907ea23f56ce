#include "NnunetChoiceDialog.h"

#include <algorithm>

#include <QCheckBox>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace voxplain::ui {

NnunetChoiceDialog::NnunetChoiceDialog(const std::vector<NnunetTrainer>& trainers, QWidget* parent)
    : QDialog(parent), trainers_(trainers) {
  setObjectName("nnunetChoiceDialog");
  setWindowTitle(tr("Open an nnU-Net model"));
  auto* layout = new QVBoxLayout(this);
  auto* hint = new QLabel(tr("As nnUNetv2_predict does by default: every trained fold is an ensemble member (their "
                             "logits averaged), with test-time mirroring. The first opening converts the "
                             "checkpoints once (Python with PyTorch); later ones reuse the result."),
                          this);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  auto* form = new QFormLayout;
  trainer_ = new QComboBox(this);
  trainer_->setObjectName("nnunetTrainer");
  for (const NnunetTrainer& t : trainers_)
    trainer_->addItem(QString::fromStdString(t.configuration + "  (" + t.folder.filename().string() + ")"));
  form->addRow(tr("Configuration"), trainer_);
  checkpoint_ = new QComboBox(this);
  checkpoint_->setObjectName("nnunetCheckpoint");
  checkpoint_->addItem(tr("final (checkpoint_final.pth)"), "checkpoint_final.pth");
  checkpoint_->addItem(tr("best (checkpoint_best.pth)"), "checkpoint_best.pth");
  form->addRow(tr("Checkpoint"), checkpoint_);
  layout->addLayout(form);
  auto* foldBox = new QGroupBox(tr("Folds"), this);
  foldsLayout_ = new QVBoxLayout(foldBox);
  layout->addWidget(foldBox);
  mirroring_ = new QCheckBox(tr("Test-time mirroring (on in nnUNetv2_predict)"), this);
  mirroring_->setObjectName("nnunetMirroring");
  mirroring_->setChecked(true);
  layout->addWidget(mirroring_);
  problem_ = new QLabel(this);
  problem_->setObjectName("nnunetProblem");
  problem_->setWordWrap(true);
  layout->addWidget(problem_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons_);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(trainer_, &QComboBox::currentIndexChanged, this, [this] { showFolds(); });
  connect(checkpoint_, &QComboBox::currentIndexChanged, this, [this] { showFolds(); });
  showFolds();
}

void NnunetChoiceDialog::showFolds() {
  for (auto& [fold, box] : folds_) delete box;
  folds_.clear();
  const std::size_t index = std::size_t(std::max(0, trainer_->currentIndex()));
  const NnunetTrainer& t = trainers_.at(index);
  const bool best = checkpoint_->currentIndex() == 1;
  for (int fold : best ? t.bestFolds : t.finalFolds) {
    auto* box = new QCheckBox(tr("fold %1").arg(fold), this);
    box->setObjectName(QString("nnunetFold%1").arg(fold));
    box->setChecked(true);
    foldsLayout_->addWidget(box);
    connect(box, &QCheckBox::toggled, this, [this] { validate(); });
    folds_.push_back({fold, box});
  }
  validate();
}

void NnunetChoiceDialog::validate() {
  const bool any = std::any_of(folds_.begin(), folds_.end(), [](const auto& f) { return f.second->isChecked(); });
  problem_->setText(folds_.empty() ? tr("No fold of this configuration has that checkpoint.")
                    : any          ? QString()
                                   : tr("Choose at least one fold."));
  buttons_->button(QDialogButtonBox::Open)->setEnabled(any);
}

QString NnunetChoiceDialog::trainerFolder() const {
  return QString::fromStdString(trainers_.at(std::size_t(std::max(0, trainer_->currentIndex()))).folder.string());
}

NnunetChoice NnunetChoiceDialog::choice() const {
  NnunetChoice c;
  c.configuration = trainers_.at(std::size_t(std::max(0, trainer_->currentIndex()))).configuration;
  for (const auto& [fold, box] : folds_)
    if (box->isChecked()) c.folds.push_back(fold);
  c.checkpoint = checkpoint_->currentData().toString().toStdString();
  c.mirroring = mirroring_->isChecked();
  return c;
}

void NnunetChoiceDialog::setFold(int fold, bool used) {
  for (auto& [f, box] : folds_)
    if (f == fold) box->setChecked(used);
}

void NnunetChoiceDialog::setTrainer(int index) {
  trainer_->setCurrentIndex(index);
}

}  // namespace voxplain::ui
