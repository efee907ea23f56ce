#include "InputAssignmentDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <set>

namespace voxplain::ui {
namespace {
QString reasonText(const std::string& reason) {
  if (reason == "name") return QObject::tr("same name");
  if (reason == "position") return QObject::tr("by position: no name matched, please check");
  if (reason == "none left") return QObject::tr("no volume left");
  return QObject::tr("matched by %1").arg(QString::fromStdString(reason));
}

QString describe(const Modality& m) {
  const auto size = m.volume.size();
  return QString("%1  (%2; %3 x %4 x %5)")
      .arg(QString::fromStdString(m.name), QFileInfo(QString::fromStdString(m.source)).fileName())
      .arg(size[0])
      .arg(size[1])
      .arg(size[2]);
}
}  // namespace

std::vector<VolumeDescription> describeModalities(const Study& study) {
  std::vector<VolumeDescription> out;
  for (const Modality& m : study.modalities())
    out.push_back({m.name, {QFileInfo(QString::fromStdString(m.source)).fileName().toStdString()}});
  return out;
}

InputAssignmentDialog::InputAssignmentDialog(const Study& study, const QStringList& inputs,
                                             const InputAssignment& proposal, QWidget* parent)
    : QDialog(parent) {
  setObjectName("inputAssignmentDialog");
  setWindowTitle(tr("Model inputs"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Choose the image that feeds each input of the model."), this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* form = new QFormLayout;
  for (int i = 0; i < inputs.size(); ++i) {
    auto* combo = new QComboBox(this);
    combo->setObjectName(QString("inputCombo%1").arg(i));
    for (const Modality& m : study.modalities()) combo->addItem(describe(m));
    const int proposed = std::size_t(i) < proposal.volumeOfInput.size() ? proposal.volumeOfInput[std::size_t(i)] : -1;
    combo->setCurrentIndex(proposed);
    auto* reason = new QLabel(
        reasonText(std::size_t(i) < proposal.reasons.size() ? proposal.reasons[std::size_t(i)] : "none left"), this);
    reason->setEnabled(false);
    auto* row = new QVBoxLayout;
    row->addWidget(combo);
    row->addWidget(reason);
    form->addRow(inputs[i], row);
    combos_.push_back(combo);
    connect(combo, &QComboBox::currentIndexChanged, this, &InputAssignmentDialog::validate);
  }
  layout->addLayout(form);

  QStringList warnings;
  const auto& modalities = study.modalities();
  for (const Modality& m : modalities)
    if (!m.resampledBecause.empty())
      warnings << tr("%1 was resampled onto the grid of %2: %3")
                      .arg(QString::fromStdString(m.name), QString::fromStdString(modalities.front().name),
                           QString::fromStdString(m.resampledBecause));
  if (modalities.size() != std::size_t(inputs.size()))
    warnings << tr("The study has %n image(s); ", nullptr, int(modalities.size())) +
                    tr("the model takes %n input(s).", nullptr, int(inputs.size()));
  warning_ = new QLabel(warnings.join("\n"), this);
  warning_->setObjectName("geometryWarning");
  warning_->setWordWrap(true);
  warning_->setStyleSheet("color: #b35900;");
  warning_->setVisible(!warnings.isEmpty());
  layout->addWidget(warning_);
  problem_ = new QLabel(this);
  problem_->setStyleSheet("color: #b00000;");
  layout->addWidget(problem_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons_);
  validate();
}

std::vector<int> InputAssignmentDialog::chosen() const {
  std::vector<int> out;
  for (QComboBox* c : combos_) out.push_back(c->currentIndex());
  return out;
}

void InputAssignmentDialog::choose(int input, int volume) {
  combos_.at(std::size_t(input))->setCurrentIndex(volume);
}

QString InputAssignmentDialog::warning() const {
  return warning_->text();
}

void InputAssignmentDialog::validate() {
  std::set<int> used;
  QString problem;
  for (int v : chosen()) {
    if (v < 0)
      problem = tr("Every input needs an image.");
    else if (!used.insert(v).second)
      problem = tr("One image is chosen for two inputs.");
  }
  problem_->setText(problem);
  problem_->setVisible(!problem.isEmpty());
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

}  // namespace voxplain::ui
