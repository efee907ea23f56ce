#include "ExplainPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "attribution/AttributionMethod.h"

namespace voxplain::ui {
namespace {
// What each family of methods shows, for the method list's tooltips.
QString familyHelp(const std::string& family) {
  if (family == "gradient") return QObject::tr("Gradient-based: how the score of the target changes with each input voxel.");
  if (family == "cam") return QObject::tr("Class activation: which feature channels of a layer drive the target's score, mapped back to voxels.");
  return QObject::tr("Perturbation: how the target's score changes when parts of the input are removed (forward passes only).");
}
}  // namespace

ExplainPanel::ExplainPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  layout->addLayout(form);

  auto* modelRow = new QHBoxLayout;
  model_ = new QLabel(tr("No model"), this);
  model_->setObjectName("modelLabel");
  model_->setWordWrap(true);
  auto* open = new QPushButton(tr("Open model..."), this);
  open->setObjectName("openModelButton");
  connect(open, &QPushButton::clicked, this, &ExplainPanel::openModelRequested);
  modelRow->addWidget(model_, 1);
  modelRow->addWidget(open);
  form->addRow(tr("Model"), modelRow);

  device_ = new QComboBox(this);
  device_->setObjectName("deviceCombo");
  device_->addItems({"auto", "cpu"});
  device_->setToolTip(tr("auto: the first CUDA device when there is one, else the CPU"));
  form->addRow(tr("Device"), device_);

  method_ = new QComboBox(this);
  method_->setObjectName("methodCombo");
  std::string family;
  for (const MethodInfo& m : methodRegistry()) {
    if (!family.empty() && m.family != family) method_->insertSeparator(method_->count());
    family = m.family;
    method_->addItem(QString::fromStdString(m.label), QString::fromStdString(m.name));
    method_->setItemData(method_->count() - 1, familyHelp(m.family), Qt::ToolTipRole);
  }
  form->addRow(tr("Method"), method_);

  parameters_ = new QLineEdit(this);
  parameters_->setObjectName("parametersEdit");
  parameters_->setPlaceholderText(tr("defaults (e.g. samples=16 noise=0.1)"));
  parameters_->setToolTip(tr("Method parameters as key=value, separated by spaces; the values used are listed with each run"));
  form->addRow(tr("Parameters"), parameters_);

  target_ = new QComboBox(this);
  target_->setObjectName("targetCombo");
  target_->setToolTip(tr("Explain the voxels the model labels with this class"));
  form->addRow(tr("Explain class"), target_);

  auto* buttons = new QHBoxLayout;
  predict_ = new QPushButton(tr("Predict"), this);
  predict_->setObjectName("predictButton");
  explain_ = new QPushButton(tr("Explain"), this);
  explain_->setObjectName("explainButton");
  explain_->setDefault(true);
  connect(predict_, &QPushButton::clicked, this, &ExplainPanel::predictRequested);
  connect(explain_, &QPushButton::clicked, this, &ExplainPanel::explainRequested);
  buttons->addWidget(predict_);
  buttons->addWidget(explain_);
  layout->addLayout(buttons);

  layout->addWidget(new QLabel(tr("Jobs (click a finished one to show it again)"), this));
  jobs_ = new QListWidget(this);
  jobs_->setObjectName("jobsList");
  connect(jobs_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) { Q_EMIT jobActivated(item->data(Qt::UserRole).toInt()); });
  layout->addWidget(jobs_, 1);
  setReady(false, false);
}

void ExplainPanel::showModel(const ModelSummary& model) {
  model_->setText(model.name + (model.version.isEmpty() ? QString() : " " + model.version) + "\n" +
                  tr("inputs: %1").arg(model.inputs.join(", ")));
  QStringList tip = model.layerGroups;
  tip << model.notes;
  model_->setToolTip(tip.join("\n"));
  const QString device = device_->currentText();
  device_->clear();
  device_->addItems(model.devices);
  device_->setCurrentText(device);
  target_->clear();
  for (const LabelInfo& l : model.labels)
    if (l.value != 0) target_->addItem(QString("%1 (%2)").arg(QString::fromStdString(l.name)).arg(l.value), l.value);
  if (target_->count() == 0) target_->addItem("1", 1);
  const int index = target_->findData(model.defaultTargetLabel);
  if (index >= 0) target_->setCurrentIndex(index);
}

void ExplainPanel::setReady(bool modelOpen, bool studyOpen) {
  predict_->setEnabled(modelOpen && studyOpen);
  explain_->setEnabled(modelOpen && studyOpen);
  const QString why = !modelOpen ? tr("Open a model first") : !studyOpen ? tr("Open a study first") : QString();
  predict_->setToolTip(why.isEmpty() ? tr("Run the model on the study and show its segmentation") : why);
  explain_->setToolTip(why.isEmpty() ? tr("Explain the chosen class of the model's segmentation with the method") : why);
}

bool ExplainPanel::selectMethod(const QString& name) {
  const int index = method_->findData(name);
  if (index < 0) return false;
  method_->setCurrentIndex(index);
  return true;
}

void ExplainPanel::setParameters(const QString& text) {
  parameters_->setText(text);
}

QString ExplainPanel::method() const {
  return method_->currentData().toString();
}

std::vector<std::string> ExplainPanel::parameters() const {
  std::vector<std::string> items;
  for (const QString& item : parameters_->text().split(QRegularExpression("[\\s,;]+"), Qt::SkipEmptyParts))
    items.push_back(item.toStdString());
  return items;
}

int ExplainPanel::targetLabel() const {
  return target_->currentData().toInt();
}

QString ExplainPanel::device() const {
  return device_->currentText();
}

QListWidgetItem* ExplainPanel::jobItem(int id) const {
  for (int row = 0; row < jobs_->count(); ++row)
    if (jobs_->item(row)->data(Qt::UserRole).toInt() == id) return jobs_->item(row);
  return nullptr;
}

void ExplainPanel::addJob(int id, const QString& title) {
  auto* item = new QListWidgetItem(tr("%1. %2 - queued").arg(id).arg(title));
  item->setData(Qt::UserRole, id);
  item->setData(Qt::UserRole + 1, title);
  jobs_->insertItem(0, item);
}

void ExplainPanel::setJobState(int id, const QString& state) {
  if (QListWidgetItem* item = jobItem(id)) item->setText(tr("%1. %2 - %3").arg(id).arg(item->data(Qt::UserRole + 1).toString(), state));
}

}  // namespace voxplain::ui
