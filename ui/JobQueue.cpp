#include "JobQueue.h"

#include <QGuiApplication>
#include <QPalette>

namespace voxplain::ui {

JobQueue::JobQueue(QObject* parent) : QAbstractListModel(parent) {}

void JobQueue::add(int id, const QString& title, JobState state, const QString& outcome) {
  beginInsertRows({}, 0, 0);
  jobs_.insert(jobs_.begin(), JobEntry{id, title, state, outcome, false});
  endInsertRows();
}

int JobQueue::rowOf(int id) const {
  for (std::size_t row = 0; row < jobs_.size(); ++row)
    if (jobs_[row].id == id) return int(row);
  return -1;
}

void JobQueue::setState(int id, JobState state, const QString& outcome) {
  const int row = rowOf(id);
  if (row < 0) return;
  jobs_[std::size_t(row)].state = state;
  jobs_[std::size_t(row)].outcome = outcome;
  Q_EMIT dataChanged(index(row), index(row));
}

void JobQueue::markOfAnotherStudy(int id) {
  const int row = rowOf(id);
  if (row < 0 || jobs_[std::size_t(row)].ofAnotherStudy) return;
  jobs_[std::size_t(row)].ofAnotherStudy = true;
  Q_EMIT dataChanged(index(row), index(row));
}

const JobEntry* JobQueue::find(int id) const {
  const int row = rowOf(id);
  return row < 0 ? nullptr : &jobs_[std::size_t(row)];
}

QString JobQueue::title(int id) const {
  const JobEntry* job = find(id);
  return job ? job->title : QString();
}

int JobQueue::unfinished() const {
  int n = 0;
  for (const JobEntry& job : jobs_) n += job.state == JobState::Queued || job.state == JobState::Running;
  return n;
}

QString JobQueue::text(const JobEntry& job) {
  QString state;
  switch (job.state) {
    case JobState::Queued:
      state = tr("queued");
      break;
    case JobState::Running:
      state = tr("running");
      break;
    case JobState::Done:
      state = tr("done") + job.outcome;
      break;
    case JobState::Failed:
      state = tr("failed");
      break;
    case JobState::Cancelled:
      state = tr("cancelled");
      break;
  }
  QString line = tr("%1. %2 - %3").arg(job.id).arg(job.title, state);
  if (job.ofAnotherStudy) line = tr("%1 [another study]").arg(line);
  return line;
}

int JobQueue::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(jobs_.size());
}

QVariant JobQueue::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const JobEntry& job = jobs_[std::size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return text(job);
    case Qt::ToolTipRole:
      return job.ofAnotherStudy ? tr("Made on a study that is no longer open: open that study again to show it")
                                : text(job);
    case Qt::ForegroundRole:
      // Greyed as disabled text is (a GUI-less program, such as a test, has no palette).
      if (job.ofAnotherStudy && qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
      return {};
    case IdRole:
      return job.id;
    case StateRole:
      return int(job.state);
    case OfAnotherStudyRole:
      return job.ofAnotherStudy;
    default:
      return {};
  }
}

}  // namespace voxplain::ui
