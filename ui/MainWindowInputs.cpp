// MainWindow: which volume of the study feeds which input of the model (model/InputAssignment.h).
#include <QStatusBar>

#include "ExplainPanel.h"
#include "GeometryPanel.h"
#include "InputAssignmentDialog.h"
#include "MainWindow.h"
#include "SliceViewModel.h"
#include "model/InputAssignment.h"

namespace voxplain::ui {

InputAssignmentDialog* MainWindow::assignModelInputs(bool ask) {
  if (!modelOpen_ || !study_ || modelInputs_.isEmpty()) return nullptr;
  std::vector<std::string> inputs;
  for (const QString& in : modelInputs_) inputs.push_back(in.toStdString());
  const InputAssignment proposal = assignInputs(inputs, describeModalities(*study_));
  if (modelInputsGuessed_) {
    // The model file names no input: the volumes keep their names and the inputs take them, in the
    // study's order unless the user assigns otherwise.
    if (!ask && study_->modalities().size() == inputs.size() && proposal.complete()) {
      nameModelInputs(proposal.volumeOfInput);
      return nullptr;
    }
  } else {
    // Nothing to do only when every volume already carries its input's exact name ("flair" matches
    // FLAIR by name but is renamed, so panes, maps and records spell it as the model does).
    bool named = true;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      named &= proposal.reasons[i] == "name" &&
               study_->modalities()[std::size_t(proposal.volumeOfInput[i])].name == inputs[i];
    if (!ask && named) return nullptr;
    if (!ask && proposal.confident()) {
      QStringList how;
      for (std::size_t i = 0; i < inputs.size(); ++i)
        how << tr("%1 = %2").arg(
            modelInputs_[int(i)],
            QString::fromStdString(study_->modalities()[std::size_t(proposal.volumeOfInput[i])].name));
      applyInputAssignment(proposal.volumeOfInput);
      statusBar()->showMessage(tr("Model inputs: %1 (File > Assign model inputs to change)").arg(how.join(", ")),
                               10000);
      return nullptr;
    }
  }
  auto* dialog = new InputAssignmentDialog(*study_, modelInputs_, proposal, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, study = study_] {
    if (study_ != study) return;
    if (modelInputsGuessed_)
      nameModelInputs(dialog->chosen());
    else
      applyInputAssignment(dialog->chosen());
  });
  dialog->open();
  return dialog;
}

void MainWindow::applyInputAssignment(const std::vector<int>& volumeOfInput) {
  leaveComparison();
  auto renamed = std::make_shared<Study>(*study_);
  renamed->renameModalities(assignedNames(*study_, modelInputs_, volumeOfInput));
  study_ = std::move(renamed);
  geometry_->showStudy(*study_, studyNotes_);
  sliceModel_->setRenamedStudy(study_);
}

void MainWindow::nameModelInputs(const std::vector<int>& volumeOfInput) {
  QStringList names, how;
  for (std::size_t i = 0; i < volumeOfInput.size(); ++i) {
    const QString name = QString::fromStdString(study_->modalities().at(std::size_t(volumeOfInput[i])).name);
    names << name;
    how << tr("input %1 = %2").arg(i + 1).arg(name);
  }
  Q_EMIT requestInputNames(names);
  explain_->showInputNames(names);
  statusBar()->showMessage(
      tr("Model inputs: %1 (the model file names none; File > Assign model inputs to change)").arg(how.join(", ")),
      10000);
}

}  // namespace voxplain::ui
