#pragma once
// The "Model and method" panel: which model (opened in the worker), which device, which attribution
// method (the list comes from core's method registry), its parameters, which class to explain, and
// the jobs list (queued, running, done, failed, cancelled; a finished explanation is shown again by
// clicking it). It computes nothing: it asks, and the main window queues jobs on AnalysisWorker.

#include <QWidget>

#include "AnalysisJobs.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
QT_END_NAMESPACE

namespace voxplain::ui {

class ExplainPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ExplainPanel(QWidget* parent = nullptr);

  /// Fills the device and target choices from an opened model.
  void showModel(const ModelSummary& model);
  /// Enables Predict / Explain when both a model and a study are open.
  void setReady(bool modelOpen, bool studyOpen);
  /// Selects a method by registry name (false when unknown).
  bool selectMethod(const QString& name);
  void setParameters(const QString& text);

  QString method() const;        ///< registry name
  std::vector<std::string> parameters() const;  ///< "key=value" items from the text field
  int targetLabel() const;
  QString device() const;

  /// The jobs list: one row per job, updated as it runs.
  void addJob(int id, const QString& title);
  void setJobState(int id, const QString& state);

 Q_SIGNALS:
  void openModelRequested();
  void predictRequested();
  void explainRequested();
  /// A finished job's row was clicked.
  void jobActivated(int id);

 private:
  QListWidgetItem* jobItem(int id) const;
  QLabel* model_ = nullptr;
  QComboBox* device_ = nullptr;
  QComboBox* method_ = nullptr;
  QLineEdit* parameters_ = nullptr;
  QComboBox* target_ = nullptr;
  QPushButton* predict_ = nullptr;
  QPushButton* explain_ = nullptr;
  QListWidget* jobs_ = nullptr;
};

}  // namespace voxplain::ui
