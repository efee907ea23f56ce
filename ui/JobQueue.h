#pragma once
// The session's jobs as a list model (newest first): each job's id, title and state, as an
// explicit value rather than text in a list item. The Workspace keeps it up to date; the jobs list
// of the "Model and method" panel shows it, and tests read it without any widget.

#include <QAbstractListModel>
#include <QString>
#include <vector>

namespace voxplain::ui {

/// Where a job is: waiting in the worker's queue, running, or ended one of three ways.
enum class JobState { Queued, Running, Done, Failed, Cancelled };

/// One row of the jobs list.
struct JobEntry {
  int id = 0;
  QString title;  ///< e.g. "Grad-CAM, class 1 (lesion)"
  JobState state = JobState::Queued;
  QString outcome;              ///< Done: what follows "done" (" in 2.1 s on cpu", ", <summary>")
  bool ofAnotherStudy = false;  ///< made on a study that is no longer open
};

class JobQueue : public QAbstractListModel {
  Q_OBJECT
 public:
  /// Data roles beside Qt's display, tool tip and foreground.
  enum Role { IdRole = Qt::UserRole, StateRole, OfAnotherStudyRole };

  explicit JobQueue(QObject* parent = nullptr);

  /// Adds a job at the top of the list (ids are given by the caller, increasing).
  void add(int id, const QString& title, JobState state = JobState::Queued, const QString& outcome = {});
  /// Moves a job to `state`; `outcome` is shown after "done" (e.g. " in 2.1 s on cpu").
  void setState(int id, JobState state, const QString& outcome = {});
  /// Marks a job as made on a study that is no longer open (greyed, "[another study]").
  void markOfAnotherStudy(int id);
  /// The job, or null.
  const JobEntry* find(int id) const;
  /// Its title ("" when unknown).
  QString title(int id) const;
  /// Jobs queued or running.
  int unfinished() const;
  /// What the list shows for a job: "3. Grad-CAM, class 1 (lesion) - done in 2.1 s on cpu".
  static QString text(const JobEntry& job);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  int rowOf(int id) const;
  std::vector<JobEntry> jobs_;  ///< newest first, as listed
};

}  // namespace voxplain::ui
