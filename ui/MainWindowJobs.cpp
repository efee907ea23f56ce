// MainWindow's jobs: what the model and method panel, the slice panes (point and box targets), the
// layer browser and the report export queue in the Workspace, and the demo's first explanation. The
// window itself is in MainWindow.cpp; what comes back is shown by MainWindowRuns.cpp.
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "ExplainPanel.h"
#include "MainWindow.h"

namespace voxplain::ui {

int MainWindow::queueJob(JobRequest request) {
  request.device = explain_->device().toStdString();
  return workspace_->queue(std::move(request));
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
  request.target = TargetSpec::ofClass(explain_->targetLabel());
  return request;
}

int MainWindow::queueInstances() {
  JobRequest request = panelRequest(JobRequest::Kind::Instances);
  request.reference = workspace_->reference();
  return queueJob(request);
}

int MainWindow::queueActivation(const QString& layer, int channel) {
  JobRequest request = panelRequest(JobRequest::Kind::Explain);
  request.method = "activations";
  request.parameters.set("layer", layer.toStdString());
  request.parameters.set("channel", channel);
  return queueJob(request);
}

int MainWindow::queueCaseAnalysis() {
  return queueJob(panelRequest(JobRequest::Kind::CaseAnalysis));
}

int MainWindow::queueReport(const QString& folder, bool keepPatientIdentity, bool replace) {
  JobRequest request = panelRequest(JobRequest::Kind::Report);
  request.reportFolder = folder.toStdString();
  request.inputs = workspace_->studyInputs();
  request.keepPatientIdentity = keepPatientIdentity;
  request.replaceReport = replace;
  return queueJob(request);
}

int MainWindow::queuePointExplanation(const std::array<double, 3>& lps) {
  if (!workspace_->study()) return 0;
  const Vec3 index = workspace_->study()->referenceGrid().physicalToIndex(lps);
  JobRequest request = panelRequest(JobRequest::Kind::Explain);
  request.target =
      TargetSpec::atVoxel(request.target.label, {std::lround(index[0]), std::lround(index[1]), std::lround(index[2])});
  return queueJob(request);
}

int MainWindow::queueBoxExplanation(const std::array<double, 3>& fromLps, const std::array<double, 3>& toLps,
                                    int normalAxis) {
  if (!workspace_->study()) return 0;
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
  request.target = TargetSpec::inBoxMm(request.target.label, low, high);
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
  if (autoMethod_.isEmpty() || autoJob_ != 0 || !workspace_->modelOpen() || !workspace_->study()) return;
  explain_->selectMethod(autoMethod_);
  explain_->setParameters(autoParameters_);
  autoJob_ = queueExplanation();
}

void MainWindow::cancelJobs() {
  workspace_->cancelJobs();
}

}  // namespace voxplain::ui
