#include "Workspace.h"

#include <QDateTime>
#include <QFileInfo>
#include <QThreadPool>
#include <algorithm>
#include <utility>

#include "JobQueue.h"
#include "RunHistory.h"
#include "SessionRuns.h"
#include "model/InputAssignment.h"

namespace voxplain::ui {

Workspace::Workspace(QObject* parent) : QObject(parent) {
  qRegisterMetaType<voxplain::ui::LoadedStudy>();
  qRegisterMetaType<voxplain::ui::LoadedOverlays>();
  qRegisterMetaType<std::shared_ptr<const voxplain::Study>>();
  qRegisterMetaType<std::vector<voxplain::StudyInput>>();
  qRegisterMetaType<std::shared_ptr<const voxplain::CohortSummary>>();
  qRegisterMetaType<std::shared_ptr<const voxplain::DicomCatalog>>();
  qRegisterMetaType<voxplain::Session>();
  qRegisterMetaType<voxplain::NnunetChoice>();
  qRegisterMetaType<std::vector<voxplain::ui::ExplanationResult>>();
  qRegisterMetaType<std::shared_ptr<const voxplain::LabelVolume>>();
  qRegisterMetaType<voxplain::ui::ModelSummary>();
  qRegisterMetaType<voxplain::ui::JobRequest>();
  qRegisterMetaType<voxplain::ui::PredictionResult>();
  qRegisterMetaType<voxplain::ui::ExplanationResult>();
  jobs_ = new JobQueue(this);
  runs_ = new RunHistory(3, this);

  loader_ = new StudyLoadWorker;
  loader_->moveToThread(&loaderThread_);
  connect(&loaderThread_, &QThread::finished, loader_, &QObject::deleteLater);
  connect(this, &Workspace::requestLoad, loader_, &StudyLoadWorker::load);
  connect(this, &Workspace::requestOverlays, loader_, &StudyLoadWorker::loadOverlays);
  connect(this, &Workspace::requestSession, loader_, &StudyLoadWorker::loadSession);
  connect(this, &Workspace::requestSessionRuns, loader_, &StudyLoadWorker::loadSessionRuns);
  connect(this, &Workspace::requestCohort, loader_, &StudyLoadWorker::loadCohort);
  connect(loader_, &StudyLoadWorker::loaded, this, &Workspace::onLoaded);
  connect(loader_, &StudyLoadWorker::overlaysLoaded, this, &Workspace::onOverlays);
  connect(loader_, &StudyLoadWorker::failed, this, &Workspace::onLoadFailed);
  connect(loader_, &StudyLoadWorker::sessionRead, this, &Workspace::onSessionRead);
  connect(loader_, &StudyLoadWorker::sessionRunsLoaded, this,
          [this](const std::vector<ExplanationResult>& runs, const QStringList& notes) {
            answered();
            finishSessionRestore(runs, notes);
          });
  connect(loader_, &StudyLoadWorker::cohortLoaded, this, [this](const std::shared_ptr<const CohortSummary>& cohort) {
    answered();
    Q_EMIT cohortOpened(cohort);
  });
  connect(loader_, &StudyLoadWorker::seriesChoiceNeeded, this, [this](const QString& folder, const QString& message) {
    answered();
    Q_EMIT seriesChoiceNeeded(folder, message);
  });
  connect(loader_, &StudyLoadWorker::progress, this, &Workspace::loadProgress);
  connect(loader_, &StudyLoadWorker::cancelled, this, [this] {
    answered();
    restoring_.reset();  // a session whose loading was cancelled is not restored half-way later
    Q_EMIT loadCancelled();
  });
  loaderThread_.start();

  analysis_ = new AnalysisWorker;
  analysis_->moveToThread(&analysisThread_);
  connect(&analysisThread_, &QThread::finished, analysis_, &QObject::deleteLater);
  connect(&analysisThread_, &QThread::started, analysis_, &AnalysisWorker::lowerPriority);
  connect(this, &Workspace::requestModel, analysis_, &AnalysisWorker::openModel);
  connect(this, &Workspace::requestJob, analysis_, &AnalysisWorker::run);
  connect(this, &Workspace::requestInputNames, analysis_, &AnalysisWorker::nameInputs);
  connect(analysis_, &AnalysisWorker::modelOpened, this, [this](const ModelSummary& model) {
    modelOpen_ = true;
    model_ = model;
    labelNames_.clear();
    for (const LabelInfo& l : model.labels) labelNames_[l.value] = l.name;
    Q_EMIT modelOpened(model);
  });
  connect(analysis_, &AnalysisWorker::modelFailed, this, &Workspace::modelFailed);
  connect(analysis_, &AnalysisWorker::jobStarted, this, &Workspace::onJobStarted);
  connect(analysis_, &AnalysisWorker::progress, this, &Workspace::onJobProgress);
  connect(analysis_, &AnalysisWorker::predicted, this, &Workspace::onPredicted);
  connect(analysis_, &AnalysisWorker::explained, this, &Workspace::onExplained);
  connect(analysis_, &AnalysisWorker::reported, this, &Workspace::reportWritten);
  connect(analysis_, &AnalysisWorker::jobFailed, this, [this](int id, const QString& message) {
    jobs_->setState(id, JobState::Failed);
    onJobEnded(id);
    Q_EMIT jobFailed(id, message);
  });
  connect(analysis_, &AnalysisWorker::jobCancelled, this, [this](int id) {
    jobs_->setState(id, JobState::Cancelled);
    onJobEnded(id);
    Q_EMIT jobCancelled(id);
  });
  analysisThread_.start();
}

Workspace::~Workspace() {
  QThreadPool::globalInstance()->waitForDone();  // a session being written refers to this workspace
  loader_->cancel();
  analysis_->cancelUpTo(nextJobId_);
  loaderThread_.quit();
  analysisThread_.quit();
  loaderThread_.wait();
  analysisThread_.wait();
}

// --- The study -----------------------------------------------------------------------------------

void Workspace::askLoader(LoadRequest request) {
  loads_.push_back(std::move(request));
  updateBusy();
}

Workspace::LoadRequest Workspace::answered() {
  LoadRequest request;
  if (!loads_.empty()) {
    request = std::move(loads_.front());
    loads_.pop_front();
  }
  updateBusy();
  return request;
}

void Workspace::openStudy(const std::vector<StudyInput>& inputs, const QString& labels, const QStringList& heatmaps) {
  if (inputs.empty()) return;
  askLoader({LoadRequest::Kind::Study, labels, heatmaps});
  Q_EMIT requestLoad(inputs);
}

void Workspace::openOverlays(const QString& labels, const QStringList& heatmaps) {
  if (!study_ || (labels.isEmpty() && heatmaps.isEmpty())) return;
  askLoader({LoadRequest::Kind::Overlays, {}, {}});
  Q_EMIT requestOverlays(study_, labels, heatmaps);
}

void Workspace::openReference(const QString& path) {
  if (path.isEmpty()) return;
  if (!study_) {
    referenceAfterLoad_ = path;
    return;
  }
  askLoader({LoadRequest::Kind::Reference, {}, {}});
  Q_EMIT requestOverlays(study_, path, {});
}

void Workspace::openCohort(const QString& path) {
  if (path.isEmpty()) return;
  askLoader({LoadRequest::Kind::Cohort, {}, {}});
  Q_EMIT requestCohort(path);
}

void Workspace::onLoaded(const LoadedStudy& result) {
  const LoadRequest request = answered();
  study_ = result.study;
  studyInputs_ = result.inputs;
  display_ = result.display;
  studyNotes_ = result.notes;
  prediction_ = nullptr;
  reference_.reset();
  shownRun_ = 0;
  instanceRun_ = 0;
  // The runs of the previous study stay in the list, marked as another study's.
  for (int id : runs_->ids())
    if (runs_->find(id)->study != study_) jobs_->markOfAnotherStudy(id);
  const bool overlaysFollow = !request.labels.isEmpty() || !request.heatmaps.isEmpty();
  Q_EMIT studyOpened(result, overlaysFollow);
  if (!referenceAfterLoad_.isEmpty()) openReference(std::exchange(referenceAfterLoad_, QString()));
  if (overlaysFollow)
    openOverlays(request.labels, request.heatmaps);
  else if (restoring_)
    continueSessionRestore(nullptr);
}

void Workspace::onOverlays(const LoadedOverlays& result) {
  if (answered().kind == LoadRequest::Kind::Reference) {
    reference_ = result.labels;
    Q_EMIT referenceOpened();
    return;
  }
  Q_EMIT overlaysOpened(result);
  if (restoring_) continueSessionRestore(result.labels);
}

void Workspace::onLoadFailed(const QString& message) {
  answered();
  restoring_.reset();
  Q_EMIT loadFailed(message);
}

void Workspace::renameModalities(const std::vector<int>& volumeOfInput) {
  if (!study_) return;
  auto renamed = std::make_shared<Study>(*study_);
  std::vector<std::string> inputs, volumes;
  for (const QString& in : model_.inputs) inputs.push_back(in.toStdString());
  for (const Modality& m : study_->modalities()) volumes.push_back(m.name);
  renamed->renameModalities(assignedNames(volumes, inputs, volumeOfInput));
  study_ = std::move(renamed);
  Q_EMIT studyRenamed();
}

QString Workspace::studyTitle() const {
  if (!study_) return {};
  QStringList names;
  for (const Modality& m : study_->modalities()) names << QFileInfo(QString::fromStdString(m.source)).fileName();
  return names.join(" + ");
}

// --- The model -----------------------------------------------------------------------------------

void Workspace::openModel(const QString& path, const NnunetChoice& nnunet) {
  if (!path.isEmpty()) Q_EMIT requestModel(path, nnunet);
}

QString Workspace::modelTitle() const {
  return model_.version.isEmpty() ? model_.name : model_.name + " " + model_.version;
}

void Workspace::nameModelInputs(const QStringList& names) {
  Q_EMIT requestInputNames(names);
}

// --- Jobs ----------------------------------------------------------------------------------------

int Workspace::queue(JobRequest request) {
  if (!modelOpen_ || !study_) return 0;
  request.id = nextJobId_++;
  request.study = study_;
  jobs_->add(request.id, request.title());
  updateBusy();
  Q_EMIT requestJob(request);
  return request.id;
}

void Workspace::cancel() {
  loader_->cancel();
  cancelJobs();
}

void Workspace::cancelJobs() {
  analysis_->cancelUpTo(nextJobId_);
}

void Workspace::onJobStarted(int id) {
  runningJob_ = id;
  jobStartedMs_ = QDateTime::currentMSecsSinceEpoch();
  progressSamples_.clear();
  jobs_->setState(id, JobState::Running);
  Q_EMIT jobStarted(id);
}

void Workspace::onJobProgress(int id, double fraction, const QString& stage) {
  if (id != runningJob_) return;
  // Time left from the progress made over the last 10 s (not since the start): a job whose first
  // stage is quick (the prediction) then reads its later pace at once instead of a time left that
  // keeps climbing.
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  if (progressSamples_.empty() || progressSamples_.back().second > fraction) progressSamples_.clear();
  progressSamples_.emplace_back(now, fraction);
  while (progressSamples_.size() > 2 && now - progressSamples_[1].first >= 10000) progressSamples_.pop_front();
  const auto [sinceMs, since] = progressSamples_.front();
  QString eta;
  if (fraction < 1.0 && fraction > since && now - sinceMs >= 2000 && now - jobStartedMs_ >= 3000)
    eta =
        tr(", about %1 s left").arg(double(now - sinceMs) / 1000.0 * (1.0 - fraction) / (fraction - since), 0, 'f', 0);
  Q_EMIT jobProgress(id, fraction,
                     tr("%1: %2 (%3 %%4)").arg(jobs_->title(id), stage).arg(int(fraction * 100)).arg(eta));
}

void Workspace::onJobEnded(int id) {
  if (id == runningJob_) runningJob_ = 0;
  updateBusy();
}

void Workspace::onPredicted(const PredictionResult& result) {
  if (result.endsJob) {  // also when another study is open now
    jobs_->setState(result.jobId, JobState::Done, tr(", %1").arg(result.summary));
    onJobEnded(result.jobId);
  }
  if (result.study != study_) return;
  prediction_ = result.labels;
  Q_EMIT predicted(result);
}

void Workspace::onExplained(const ExplanationResult& result) {
  runs_->add(result);
  jobs_->setState(result.jobId, JobState::Done, tr(" in %1 s on %2").arg(result.seconds, 0, 'f', 1).arg(result.device));
  onJobEnded(result.jobId);
  Q_EMIT explained(result);
}

void Workspace::setShownRun(int id) {
  shownRun_ = id;
  if (id > 0) runs_->pin(id);
}

int Workspace::unsavedRuns() const {
  int unsaved = 0;
  for (int id : runs_->ids()) unsaved += runs_->find(id)->study == study_ && !savedRuns_.count(id);
  return unsaved;
}

void Workspace::updateBusy() {
  const bool busy = !loads_.empty() || jobs_->unfinished() > 0;
  if (busy == busy_) return;
  busy_ = busy;
  Q_EMIT busyChanged(busy);
}

// --- Sessions ------------------------------------------------------------------------------------

void Workspace::saveSession(const QString& path, bool replace, const nlohmann::json& view) {
  if (!study_) {
    Q_EMIT sessionSaved(path, tr("Open a study first: a session starts with one"), 0);
    return;
  }
  SessionSave save;
  save.file = path.toStdString();
  save.overwrite = replace ? Overwrite::Allow : Overwrite::Refuse;
  for (const StudyInput& in : studyInputs_) save.session.study.push_back({in.path.string(), in.series, in.name});
  // Modality names given by the model's inputs are those of the study shown.
  for (std::size_t c = 0; c < save.session.study.size() && c < study_->modalities().size(); ++c)
    save.session.study[c].name = study_->modalities()[c].name;
  save.session.model = modelOpen_ ? model_.path.toStdString() : std::string();
  save.session.view = view;
  save.prediction = prediction_;
  std::set<int> saving;  // the runs this file holds once written
  for (const RunHistory::Snapshot& run : runs_->snapshot()) {
    if (run.result.study != study_) continue;  // runs of studies no longer open
    if (run.result.jobId == shownRun_) save.session.shownRun = int(save.session.runs.size());
    save.session.runs.push_back(sessionRunOf(run.result));
    save.runVoxels.push_back(run.voxels);
    saving.insert(run.result.jobId);
  }
  savingSession_ = true;
  QThreadPool::globalInstance()->start([this, path, save = std::move(save), saving] {
    QString error;
    try {
      writeSessionFiles(save);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    // The destructor waits for the pool: `this` outlives the call.
    QMetaObject::invokeMethod(
        this,
        [this, path, error, runs = int(save.session.runs.size()), saving] {
          savingSession_ = false;
          if (error.isEmpty()) savedRuns_.insert(saving.begin(), saving.end());
          Q_EMIT sessionSaved(path, error, runs);
        },
        Qt::QueuedConnection);
  });
}

void Workspace::openSession(const QString& path) {
  if (path.isEmpty()) return;
  askLoader({LoadRequest::Kind::Session, {}, {}});
  Q_EMIT requestSession(path);
}

void Workspace::onSessionRead(const Session& session) {
  answered();
  if (session.study.empty()) {
    Q_EMIT loadFailed(tr("The session names no study"));
    return;
  }
  restoring_ = session;
  if (!session.model.empty()) openModel(QString::fromStdString(session.model));
  std::vector<StudyInput> inputs;
  for (const SessionInput& in : session.study) inputs.push_back({in.path, in.series, in.name});
  openStudy(inputs, QString::fromStdString(session.prediction));
}

void Workspace::continueSessionRestore(const std::shared_ptr<const LabelVolume>& labels) {
  if (labels) prediction_ = labels;
  if (restoring_->runs.empty()) {
    finishSessionRestore({}, {});
    return;
  }
  askLoader({LoadRequest::Kind::SessionRuns, {}, {}});
  Q_EMIT requestSessionRuns(study_, *restoring_, labels);
}

void Workspace::finishSessionRestore(const std::vector<ExplanationResult>& runs, const QStringList& notes) {
  if (!restoring_) return;
  const Session session = std::move(*restoring_);
  restoring_.reset();
  int shown = 0;
  for (const ExplanationResult& restored : runs) {
    ExplanationResult run = restored;
    const int index = run.jobId;  // the run's place in the session file
    run.study = study_;           // the study as shown (its modality names may have been assigned since)
    run.jobId = nextJobId_++;
    jobs_->add(run.jobId, tr("%1 (%2) from the session").arg(run.methodLabel, run.target), JobState::Done,
               tr(" in %1 s on %2 (restored)").arg(run.seconds, 0, 'f', 1).arg(run.device));
    savedRuns_.insert(run.jobId);
    if (index == session.shownRun) shown = run.jobId;
    runs_->add(std::move(run));
  }
  Q_EMIT sessionRestored(shown, session.view, notes, int(runs.size()));
}

}  // namespace voxplain::ui
