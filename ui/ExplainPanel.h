#pragma once
// The "Model and method" panel: which model (opened in the worker), which device, which attribution
// method and its parameters (a form per method built from core's method registry: type, default,
// range and help of each parameter), which class to explain, and
// the jobs list (the Workspace's JobQueue: queued, running, done, failed, cancelled; a finished
// explanation is shown again by clicking it). It computes nothing: it asks, and the main window
// queues jobs in the Workspace.

#include <QWidget>

#include <map>

#include "AnalysisJobs.h"
#include "attribution/ParameterSet.h"

namespace voxplain {
struct MethodInfo;
}

QT_BEGIN_NAMESPACE
class QComboBox;
class QStackedWidget;
class QLabel;
class QLineEdit;
class QAbstractItemModel;
class QListView;
class QPushButton;
QT_END_NAMESPACE

namespace voxplain::ui {

class ExplainPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ExplainPanel(QWidget* parent = nullptr);

  /// Fills the device and target choices from an opened model.
  void showModel(const ModelSummary& model);
  /// Shows the model's input names (and offers them for a reference modality): a bare file's take
  /// the names of the study's volumes once they are assigned.
  void showInputNames(const QStringList& inputs);
  /// Enables Predict / Explain when both a model and a study are open.
  void setReady(bool modelOpen, bool studyOpen);
  /// Selects a method by registry name (false when unknown).
  bool selectMethod(const QString& name);
  /// Sets the current method's parameter controls from "key=value" items (space separated); the
  /// others go back to their defaults. Returns false when a key is not a parameter of the method.
  bool setParameters(const QString& text);

  QString method() const;  ///< registry name
  /// Every parameter whose control differs from the method's default, typed as its control holds
  /// it (an integer, a number, a choice or text).
  ParameterSet parameters() const;
  int targetLabel() const;
  QString device() const;

  /// The jobs list shows `jobs` (a JobQueue: one row per job, newest first, updated as it runs).
  void setJobs(QAbstractItemModel* jobs);
  /// Jobs selected in the list, oldest first.
  std::vector<int> selectedJobs() const;
  /// Selects exactly these jobs (tests); false when one is not listed.
  bool selectJobs(const std::vector<int>& ids);

 Q_SIGNALS:
  void openModelRequested();
  void predictRequested();
  void explainRequested();
  void instancesRequested();
  void caseAnalysisRequested();
  /// A finished job's row was clicked.
  void jobActivated(int id);
  /// "Compare" with two runs selected (job ids, oldest first).
  void compareRequested(int first, int second);

 private:
  /// Fills the editable parameter lists named in `offered` (object name -> names), keeping what was typed.
  void offerNames(const std::map<QString, QStringList>& offered);
  QWidget* makeParameterForm(const MethodInfo& method);
  QLabel* inputs_ = nullptr;
  QLabel* model_ = nullptr;
  QComboBox* device_ = nullptr;
  QComboBox* method_ = nullptr;
  QStackedWidget* parameterForms_ = nullptr;  ///< one page per method, in registry order
  QLabel* summary_ = nullptr;
  QComboBox* target_ = nullptr;
  QPushButton* predict_ = nullptr;
  QPushButton* explain_ = nullptr;
  QPushButton* instances_ = nullptr;
  QPushButton* importance_ = nullptr;
  QListView* jobs_ = nullptr;
  QPushButton* compare_ = nullptr;
};

}  // namespace voxplain::ui
