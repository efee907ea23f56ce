// MainWindow's jobs: what the model and method panel, the slice panes (point and box targets), the
// layer browser and the report export queue in the analysis worker, their progress and time left,
// and their results coming back (onPredicted / onExplained). The window itself is in MainWindow.cpp.
#include <QDateTime>
#include <QProgressBar>
#include <QStatusBar>
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "ExplainPanel.h"
#include "MainWindow.h"
#include "RunHistory.h"
#include "SliceViewModel.h"
#include "VtkView.h"

namespace voxplain::ui {

int MainWindow::queueJob(JobRequest request) {
  if (!modelOpen_ || !study_) return 0;
  request.id = nextJobId_++;
  request.study = study_;
  request.device = explain_->device().toStdString();
  jobTitles_[request.id] = request.title();
  explain_->addJob(request.id, request.title());
  ++pendingJobs_;
  Q_EMIT requestJob(request);
  return request.id;
}

int MainWindow::queuePrediction() {
  JobRequest request;
  request.kind = JobRequest::Kind::Predict;
  return queueJob(request);
}

JobRequest MainWindow::panelRequest(JobRequest::Kind kind) const {
  JobRequest request;
  request.kind = kind;
  request.method = explain_->method().toStdString();
  request.parameters = explain_->parameters();
  request.targetLabel = explain_->targetLabel();
  return request;
}

int MainWindow::queueInstances() {
  JobRequest request = panelRequest(JobRequest::Kind::Instances);
  request.reference = reference_;
  return queueJob(request);
}

int MainWindow::queueActivation(const QString& layer, int channel) {
  JobRequest request = panelRequest(JobRequest::Kind::Explain);
  request.method = "activations";
  request.parameters = {("layer=" + layer).toStdString(), "channel=" + std::to_string(channel)};
  return queueJob(request);
}

int MainWindow::queueCaseAnalysis() {
  return queueJob(panelRequest(JobRequest::Kind::CaseAnalysis));
}

int MainWindow::queueReport(const QString& folder, bool keepPatientIdentity, bool replace) {
  JobRequest request = panelRequest(JobRequest::Kind::Report);
  request.reportFolder = folder.toStdString();
  request.inputs = studyInputs_;
  request.keepPatientIdentity = keepPatientIdentity;
  request.replaceReport = replace;
  return queueJob(request);
}

int MainWindow::queuePointExplanation(const std::array<double, 3>& lps) {
  if (!study_) return 0;
  const Vec3 index = study_->referenceGrid().physicalToIndex(lps);
  JobRequest request = panelRequest(JobRequest::Kind::Explain);
  request.target = QString("voxel=%1,%2,%3")
                       .arg(std::lround(index[0]))
                       .arg(std::lround(index[1]))
                       .arg(std::lround(index[2]))
                       .toStdString();
  return queueJob(request);
}

int MainWindow::queueBoxExplanation(const std::array<double, 3>& fromLps, const std::array<double, 3>& toLps,
                                    int normalAxis) {
  if (!study_) return 0;
  std::array<double, 3> low{}, high{};
  double side = 1e30;
  for (std::size_t a = 0; a < 3; ++a) {
    low[a] = std::min(fromLps[a], toLps[a]);
    high[a] = std::max(fromLps[a], toLps[a]);
    if (int(a) != normalAxis) side = std::min(side, high[a] - low[a]);
  }
  low[std::size_t(normalAxis)] -= side / 2;
  high[std::size_t(normalAxis)] += side / 2;
  JobRequest request = panelRequest(JobRequest::Kind::Explain);
  QStringList corners;
  for (const std::array<double, 3>& corner : {low, high})
    for (double v : corner) corners << QString::number(v, 'f', 1);
  request.target = ("roi=" + corners.join(',') + ",mm").toStdString();
  return queueJob(request);
}

int MainWindow::queueExplanation() {
  return queueJob(panelRequest(JobRequest::Kind::Explain));
}

void MainWindow::explainWhenReady(const QString& method, const QString& parameters) {
  autoMethod_ = method;
  autoParameters_ = parameters;
  startPendingExplanation();
}

void MainWindow::startPendingExplanation() {
  if (autoMethod_.isEmpty() || autoJob_ != 0 || !modelOpen_ || !study_) return;
  explain_->selectMethod(autoMethod_);
  explain_->setParameters(autoParameters_);
  autoJob_ = queueExplanation();
}

void MainWindow::cancelJobs() {
  analysisWorker_->cancelUpTo(nextJobId_);
}

void MainWindow::onJobProgress(int id, double fraction, const QString& stage) {
  if (id != runningJob_) return;
  progress_->setValue(int(fraction * 1000));
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
  const QString text = tr("%1: %2 (%3 %%4)").arg(jobTitles_[id], stage).arg(int(fraction * 100)).arg(eta);
  statusBar()->showMessage(text);
  Q_EMIT jobProgressShown(fraction, text);
}

void MainWindow::onJobEnded(int id, const QString& state) {
  explain_->setJobState(id, state);
  pendingJobs_ = std::max(0, pendingJobs_ - 1);
  if (id == runningJob_) runningJob_ = 0;
  if (pendingJobs_ == 0) setBusy(false);
}

void MainWindow::onPredicted(const PredictionResult& result) {
  if (result.endsJob)
    onJobEnded(result.jobId, tr("done, %1").arg(result.summary));  // also when another study is open now
  if (result.study != study_) return;
  predicted_ = result.labels;
  sliceModel_->setLabels(result.displayLabels, labelColors_);
  show3dLabels(result.labels);
  view_->requestRender();
  statusBar()->showMessage(tr("Prediction: %1").arg(result.summary), 8000);
  Q_EMIT predictionShown(result.jobId);
}

void MainWindow::onExplained(const ExplanationResult& result) {
  history_->add(result);
  onJobEnded(result.jobId, tr("done in %1 s on %2").arg(result.seconds, 0, 'f', 1).arg(result.device));
  if (result.study == study_) showExplanation(result);
  if (result.jobId == autoJob_) Q_EMIT everythingShown();
}

}  // namespace voxplain::ui
