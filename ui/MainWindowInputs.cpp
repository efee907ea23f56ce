// MainWindow: which volume of the study feeds which input of the model (model/InputAssignment.h).
#include <QStatusBar>

#include "ExplainPanel.h"
#include "InputAssignmentDialog.h"
#include "MainWindow.h"
#include "model/InputAssignment.h"

namespace voxplain::ui {

InputAssignmentDialog* MainWindow::assignModelInputs(bool ask) {
  const std::shared_ptr<const Study> study = workspace_->study();
  const QStringList& modelInputs = workspace_->model().inputs;
  if (!workspace_->modelOpen() || !study || modelInputs.isEmpty()) return nullptr;
  const bool guessed = workspace_->model().inputNamesGuessed;
  std::vector<std::string> inputs;
  for (const QString& in : modelInputs) inputs.push_back(in.toStdString());
  const InputAssignment proposal = assignInputs(inputs, describeModalities(*study));
  if (guessed) {
    // The model file names no input: the volumes keep their names and the inputs take them, in the
    // study's order unless the user assigns otherwise.
    if (!ask && study->modalities().size() == inputs.size() && proposal.complete()) {
      nameModelInputs(proposal.volumeOfInput);
      return nullptr;
    }
  } else {
    // Nothing to do only when every volume already carries its input's exact name ("flair" matches
    // FLAIR by name but is renamed, so panes, maps and records spell it as the model does).
    bool named = true;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      named &= proposal.reasons[i] == "name" &&
               study->modalities()[std::size_t(proposal.volumeOfInput[i])].name == inputs[i];
    if (!ask && named) return nullptr;
    if (!ask && proposal.confident()) {
      QStringList how;
      for (std::size_t i = 0; i < inputs.size(); ++i)
        how << tr("%1 = %2").arg(
            modelInputs[int(i)],
            QString::fromStdString(study->modalities()[std::size_t(proposal.volumeOfInput[i])].name));
      applyInputAssignment(proposal.volumeOfInput);
      statusBar()->showMessage(tr("Model inputs: %1 (File > Assign model inputs to change)").arg(how.join(", ")),
                               10000);
      return nullptr;
    }
  }
  auto* dialog = new InputAssignmentDialog(*study, modelInputs, proposal, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, study, guessed] {
    if (workspace_->study() != study) return;
    if (guessed)
      nameModelInputs(dialog->chosen());
    else
      applyInputAssignment(dialog->chosen());
  });
  dialog->open();
  return dialog;
}

void MainWindow::applyInputAssignment(const std::vector<int>& volumeOfInput) {
  leaveComparison();
  workspace_->renameModalities(volumeOfInput);  // studyRenamed follows
}

void MainWindow::nameModelInputs(const std::vector<int>& volumeOfInput) {
  QStringList names, how;
  for (std::size_t i = 0; i < volumeOfInput.size(); ++i) {
    const QString name =
        QString::fromStdString(workspace_->study()->modalities().at(std::size_t(volumeOfInput[i])).name);
    names << name;
    how << tr("input %1 = %2").arg(i + 1).arg(name);
  }
  workspace_->nameModelInputs(names);
  explain_->showInputNames(names);
  statusBar()->showMessage(
      tr("Model inputs: %1 (the model file names none; File > Assign model inputs to change)").arg(how.join(", ")),
      10000);
}

}  // namespace voxplain::ui
