#include "ExplainPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <map>

#include "JobQueue.h"
#include "attribution/MethodCatalog.h"

namespace voxplain::ui {
namespace {
// What each family of methods shows, for the method list's tooltips.
QString familyHelp(const std::string& family) {
  if (family == "gradient")
    return QObject::tr("Gradient-based: how the score of the target changes with each input voxel.");
  if (family == "cam")
    return QObject::tr(
        "Class activation: which feature channels of a layer drive the target's score, mapped back to voxels.");
  return QObject::tr(
      "Perturbation: how the target's score changes when parts of the input are removed (forward passes only).");
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
  inputs_ = new QLabel(this);
  inputs_->setObjectName("modelInputsLabel");
  inputs_->setWordWrap(true);
  form->addRow(tr("Inputs"), inputs_);

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
    method_->setItemData(method_->count() - 1, QString::fromStdString(m.summary) + "\n" + familyHelp(m.family),
                         Qt::ToolTipRole);
  }
  form->addRow(tr("Method"), method_);

  summary_ = new QLabel(this);
  summary_->setObjectName("methodSummary");
  summary_->setWordWrap(true);
  summary_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);  // never clipped by a short dock
  form->addRow(QString(), summary_);
  parameterForms_ = new QStackedWidget(this);
  parameterForms_->setObjectName("parameterForms");
  for (const MethodInfo& m : methodRegistry()) parameterForms_->addWidget(makeParameterForm(m));
  // The parameters go below the buttons (added there): a method's form differs in height, and the
  // Explain button must not move when the method changes.
  auto* parameters = new QGroupBox(tr("Parameters"), this);
  parameters->setObjectName("parametersBox");
  (new QVBoxLayout(parameters))->addWidget(parameterForms_);
  auto showMethod = [this] {
    const MethodInfo& m = findMethod(method().toStdString());
    summary_->setText(QString::fromStdString(m.summary));
    // The stack is as tall as the shown form, not as the longest one (LIME's).
    for (int page = 0; page < parameterForms_->count(); ++page) {
      QWidget* form = parameterForms_->widget(page);
      const bool shown = form->objectName() == "params_" + method();
      form->setSizePolicy(QSizePolicy::Preferred, shown ? QSizePolicy::Maximum : QSizePolicy::Ignored);
      if (shown) parameterForms_->setCurrentIndex(page);
    }
    parameterForms_->adjustSize();
  };
  connect(method_, &QComboBox::currentIndexChanged, this, showMethod);
  showMethod();

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
  instances_ = new QPushButton(tr("Instances"), this);
  instances_->setObjectName("instancesButton");
  connect(instances_, &QPushButton::clicked, this, &ExplainPanel::instancesRequested);
  buttons->addWidget(predict_);
  buttons->addWidget(explain_);
  buttons->addWidget(instances_);
  importance_ = new QPushButton(tr("Importance"), this);
  importance_->setObjectName("importanceButton");
  connect(importance_, &QPushButton::clicked, this, &ExplainPanel::caseAnalysisRequested);
  buttons->addWidget(importance_);
  layout->addLayout(buttons);
  layout->addWidget(parameters);

  layout->addWidget(new QLabel(tr("Jobs (click a finished one to show it again)"), this));
  jobs_ = new QListView(this);
  jobs_->setObjectName("jobsList");
  jobs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  connect(jobs_, &QListView::clicked, this,
          [this](const QModelIndex& index) { Q_EMIT jobActivated(index.data(JobQueue::IdRole).toInt()); });
  jobs_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  jobs_->setWordWrap(true);  // a run's label with its time is read whole, never cut off
  jobs_->setToolTip(tr("Every run of this session. Ctrl+click a second finished run to compare the two side by side."));
  layout->addWidget(jobs_, 1);
  compare_ = new QPushButton(tr("Compare the two selected runs"), this);
  compare_->setObjectName("compareButton");
  compare_->setEnabled(false);
  connect(compare_, &QPushButton::clicked, this, [this] {
    const std::vector<int> ids = selectedJobs();
    if (ids.size() == 2) Q_EMIT compareRequested(ids[0], ids[1]);
  });
  layout->addWidget(compare_);
  setReady(false, false);
}

void ExplainPanel::showModel(const ModelSummary& model) {
  model_->setText(model.name + (model.version.isEmpty() ? QString() : " " + model.version));
  QStringList tip = model.layerGroups;
  tip << model.notes;
  model_->setToolTip(tip.join("\n"));
  const QString device = device_->currentText();
  device_->clear();
  device_->addItems(model.devices);
  device_->setCurrentText(device);
  // The model's own names for the free-text parameters: groups, layers, inputs.
  QStringList groups, layers;
  for (const QString& entry : model.layerGroups) {
    const int colon = int(entry.indexOf(':'));
    if (colon <= 0) continue;
    groups << entry.left(colon).trimmed();
    for (const QString& layer : entry.mid(colon + 1).split(',', Qt::SkipEmptyParts))
      if (!layers.contains(layer.trimmed())) layers << layer.trimmed();
  }
  offerNames({{"param_group", groups}, {"param_layers", layers}, {"param_layer", layers}});
  showInputNames(model.inputs);
  target_->clear();
  for (const LabelInfo& l : model.labels)
    if (l.value != 0) target_->addItem(QString("%1 (%2)").arg(QString::fromStdString(l.name)).arg(l.value), l.value);
  if (target_->count() == 0) target_->addItem("1", 1);
  const int index = target_->findData(model.defaultTargetLabel);
  if (index >= 0) target_->setCurrentIndex(index);
}

void ExplainPanel::showInputNames(const QStringList& inputs) {
  inputs_->setText(inputs.join(", "));
  offerNames({{"param_reference", inputs}});
}

void ExplainPanel::offerNames(const std::map<QString, QStringList>& offered) {
  for (QComboBox* box : parameterForms_->findChildren<QComboBox*>()) {
    const auto it = offered.find(box->objectName());
    if (it == offered.end() || !box->isEditable()) continue;
    const QString typed = box->currentText();
    box->clear();
    box->addItems(it->second);
    box->setCurrentText(typed);
  }
}

void ExplainPanel::setReady(bool modelOpen, bool studyOpen) {
  predict_->setEnabled(modelOpen && studyOpen);
  explain_->setEnabled(modelOpen && studyOpen);
  instances_->setEnabled(modelOpen && studyOpen);
  importance_->setEnabled(modelOpen && studyOpen);
  const QString why = !modelOpen ? tr("Open a model first") : !studyOpen ? tr("Open a study first") : QString();
  predict_->setToolTip(why.isEmpty() ? tr("Run the model on the study and show its segmentation") : why);
  explain_->setToolTip(why.isEmpty() ? tr("Explain the chosen class of the model's segmentation with the method")
                                     : why);
  instances_->setToolTip(
      why.isEmpty() ? tr("Explain every predicted instance of the class on its own, with its statistics") : why);
  importance_->setToolTip(why.isEmpty()
                              ? tr("Modality importance (share of |A| and exact Shapley values) and segment importance "
                                   "(Agg²Exp) over every class the model predicts")
                              : why);
}

bool ExplainPanel::selectMethod(const QString& name) {
  const int index = method_->findData(name);
  if (index < 0) return false;
  method_->setCurrentIndex(index);
  return true;
}

QWidget* ExplainPanel::makeParameterForm(const MethodInfo& method) {
  auto* page = new QWidget;
  page->setObjectName("params_" + QString::fromStdString(method.name));
  auto* form = new QFormLayout(page);
  form->setContentsMargins(0, 0, 0, 0);
  if (method.parameters.empty()) form->addRow(new QLabel(tr("none"), page));
  for (const ParameterSpec& p : method.parameters) {
    const QString key = QString::fromStdString(p.key);
    const bool dynamic = p.defaultValue.empty();
    QString tip = QString::fromStdString(p.help);
    QWidget* control = nullptr;
    switch (p.kind) {
      case ParameterSpec::Kind::Integer: {
        auto* box = new QSpinBox(page);
        // A default that depends on the model shows as "default", one below the range.
        box->setRange(int(p.min) - (dynamic ? 1 : 0), int(p.max));
        if (dynamic) box->setSpecialValueText(tr("default"));
        box->setValue(dynamic ? int(p.min) - 1 : QString::fromStdString(p.defaultValue).toInt());
        tip += tr("\n%1 .. %2").arg(int(p.min)).arg(int(p.max));
        control = box;
        break;
      }
      case ParameterSpec::Kind::Number: {
        auto* box = new QDoubleSpinBox(page);
        box->setDecimals(3);
        box->setRange(p.min, p.max);
        box->setSingleStep(p.max - p.min > 10 ? 1.0 : 0.05);
        box->setValue(QString::fromStdString(p.defaultValue).toDouble());
        tip += tr("\n%1 .. %2").arg(p.min).arg(p.max);
        control = box;
        break;
      }
      case ParameterSpec::Kind::Choice: {
        auto* box = new QComboBox(page);
        for (const std::string& c : p.choices) box->addItem(QString::fromStdString(c));
        box->setCurrentText(QString::fromStdString(p.defaultValue));
        control = box;
        break;
      }
      case ParameterSpec::Kind::Text: {
        // Names the model defines (layer groups, layers, inputs) are offered in a list once a model
        // is open (showModel); anything may still be typed.
        auto* box = new QComboBox(page);
        box->setEditable(true);
        box->setInsertPolicy(QComboBox::NoInsert);
        box->lineEdit()->setPlaceholderText(tr("default"));
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
        control = box;
        break;
      }
    }
    control->setObjectName("param_" + key);
    control->setProperty("defaultValue", QString::fromStdString(p.defaultValue));
    control->setToolTip(tip);
    auto* label = new QLabel(key, page);
    label->setToolTip(tip);
    form->addRow(label, control);
  }
  return page;
}

namespace {
// The control's value as text; empty for "default".
QString controlValue(const QWidget* control) {
  if (auto* box = qobject_cast<const QSpinBox*>(control))
    return box->specialValueText().isEmpty() || box->value() != box->minimum() ? QString::number(box->value())
                                                                               : QString();
  if (auto* box = qobject_cast<const QDoubleSpinBox*>(control)) return QString::number(box->value(), 'g', 12);
  if (auto* box = qobject_cast<const QComboBox*>(control)) return box->currentText();
  if (auto* edit = qobject_cast<const QLineEdit*>(control)) return edit->text().trimmed();
  return {};
}
void setControlValue(QWidget* control, const QString& value) {
  if (auto* box = qobject_cast<QSpinBox*>(control))
    box->setValue(value.isEmpty() ? box->minimum() : value.toInt());
  else if (auto* box = qobject_cast<QDoubleSpinBox*>(control))
    box->setValue(value.toDouble());
  else if (auto* box = qobject_cast<QComboBox*>(control))
    box->setCurrentText(value);
  else if (auto* edit = qobject_cast<QLineEdit*>(control))
    edit->setText(value);
}
}  // namespace

bool ExplainPanel::setParameters(const QString& text) {
  QWidget* page = parameterForms_->currentWidget();
  for (QWidget* control : page->findChildren<QWidget*>(QRegularExpression("^param_")))
    setControlValue(control, control->property("defaultValue").toString());
  bool known = true;
  for (const QString& item : text.split(QRegularExpression("[\\s,;]+"), Qt::SkipEmptyParts)) {
    const int eq = int(item.indexOf('='));
    auto* control = eq > 0 ? page->findChild<QWidget*>("param_" + item.left(eq)) : nullptr;
    if (!control) {
      known = false;
      continue;
    }
    setControlValue(control, item.mid(eq + 1));
  }
  return known;
}

QString ExplainPanel::method() const {
  return method_->currentData().toString();
}

ParameterSet ExplainPanel::parameters() const {
  ParameterSet parameters;
  const QWidget* page = parameterForms_->currentWidget();
  for (const QWidget* control : page->findChildren<QWidget*>(QRegularExpression("^param_"))) {
    const QString value = controlValue(control);
    const QString fallback = control->property("defaultValue").toString();
    if (value.isEmpty()) continue;
    bool same = value == fallback;
    bool numeric = false;
    const double v = value.toDouble(&numeric);
    if (numeric && !fallback.isEmpty()) same = same || v == fallback.toDouble();
    if (same) continue;
    // Typed as the control holds it: nothing is written out as text for core to read back.
    const std::string key = control->objectName().mid(6).toStdString();
    if (auto* box = qobject_cast<const QSpinBox*>(control))
      parameters.set(key, box->value());
    else if (auto* box = qobject_cast<const QDoubleSpinBox*>(control))
      parameters.set(key, box->value());
    else
      parameters.set(key, value.toStdString());
  }
  return parameters;
}

int ExplainPanel::targetLabel() const {
  return target_->currentData().toInt();
}

QString ExplainPanel::device() const {
  return device_->currentText();
}

void ExplainPanel::setJobs(QAbstractItemModel* jobs) {
  jobs_->setModel(jobs);
  connect(jobs_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { compare_->setEnabled(selectedJobs().size() == 2); });
}

std::vector<int> ExplainPanel::selectedJobs() const {
  std::vector<int> ids;
  if (!jobs_->model()) return ids;
  for (int row = jobs_->model()->rowCount() - 1; row >= 0; --row) {  // oldest first
    const QModelIndex index = jobs_->model()->index(row, 0);
    if (jobs_->selectionModel()->isSelected(index)) ids.push_back(index.data(JobQueue::IdRole).toInt());
  }
  return ids;
}

bool ExplainPanel::selectJobs(const std::vector<int>& ids) {
  if (!jobs_->model()) return ids.empty();
  jobs_->clearSelection();
  int found = 0;
  for (int id : ids)
    for (int row = 0; row < jobs_->model()->rowCount(); ++row)
      if (const QModelIndex index = jobs_->model()->index(row, 0); index.data(JobQueue::IdRole).toInt() == id) {
        jobs_->selectionModel()->select(index, QItemSelectionModel::Select);
        ++found;
      }
  return found == int(ids.size());
}

}  // namespace voxplain::ui
