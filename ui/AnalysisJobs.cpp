#include "AnalysisJobs.h"

#include <QCoreApplication>
#include <QDir>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "SvgFigure.h"
#include "analysis/ModalityImportance.h"
#include "attribution/MethodCatalog.h"
#include "task/InputError.h"

namespace voxplain::ui {
namespace {

class JobProgress : public ProgressSink {
 public:
  JobProgress(AnalysisWorker* worker, int id) : worker_(worker), id_(id) {}
  void report(double fraction, const std::string& stage) override {
    // At most ~20 signals a second: a sliding window reports every patch.
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(50) && fraction < 1.0) return;
    last_ = now;
    Q_EMIT worker_->progress(id_, fraction, QString::fromStdString(stage));
  }

 private:
  AnalysisWorker* worker_;
  int id_;
  std::chrono::steady_clock::time_point last_{};
};

// "steps=32, rule=riemann": numbers as JSON writes them (shortest form that reads back the same).
QString compactParameters(const std::map<std::string, ParameterValue>& parameters) {
  QStringList items;
  for (const auto& [key, value] : parameters) {
    const std::string text = std::visit(
        [](const auto& v) {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
            return v;
          else
            return nlohmann::json(v).dump();
        },
        value);
    items << QString::fromStdString(key + "=" + text);
  }
  return items.join(", ");
}

}  // namespace

QString JobRequest::title() const {
  if (kind == Kind::Predict) return QObject::tr("Prediction");
  QString label;
  for (const MethodInfo& m : methodRegistry())
    if (m.name == method) label = QString::fromStdString(m.label);
  const QString name = label.isEmpty() ? QString::fromStdString(method) : label;
  const int targetLabel = target.label;
  if (kind == Kind::Instances) return QObject::tr("Instances of class %2 (%1)").arg(name).arg(targetLabel);
  if (kind == Kind::CaseAnalysis) return QObject::tr("Modality and segment importance (%1)").arg(name);
  if (kind == Kind::Report) return QObject::tr("Report (%1)").arg(name);
  if (target.kind == TargetSpec::Kind::Voxel)
    return QObject::tr("%1, voxel (%2, %3, %4) of class %5")
        .arg(name)
        .arg(target.voxel[0])
        .arg(target.voxel[1])
        .arg(target.voxel[2])
        .arg(targetLabel);
  if (target.kind == TargetSpec::Kind::Roi) return QObject::tr("%1, a box of class %2").arg(name).arg(targetLabel);
  return QObject::tr("%1, class %2").arg(name).arg(targetLabel);
}

AnalysisWorker::AnalysisWorker() = default;

int AnalysisWorker::jobNiceness() {
  bool ok = false;
  const int chosen = qEnvironmentVariableIntValue("VOXPLAIN_JOB_NICE", &ok);
  if (!ok) return 10;
  return std::clamp(chosen, 0, 19);
}

void AnalysisWorker::lowerPriority() {
#ifdef __linux__
  // Per-thread on Linux; threads created from here (LibTorch's intra-op pool) inherit it.
  const int nice = jobNiceness();
  if (nice > 0 && setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), nice) != 0)
    qWarning("cannot lower the priority of the analysis thread: %s", std::strerror(errno));
#endif
}
AnalysisWorker::~AnalysisWorker() = default;

void AnalysisWorker::nameInputs(const QStringList& names) {
  if (!logic_.hasModel()) return;
  std::vector<std::string> chosen;
  for (const QString& n : names) chosen.push_back(n.toStdString());
  try {
    logic_.nameInputs(chosen);
  } catch (const InputError& e) {
    Q_EMIT modelFailed(QString::fromStdString(e.what()));
  }
}

void AnalysisWorker::openModel(const QString& path, const NnunetChoice& nnunet) {
  try {
    const ModelDescription d = logic_.openModel(path.toStdString(), nnunet);
    const ModelManifest& m = d.manifest;
    ModelSummary s;
    s.path = path;
    s.name = QString::fromStdString(m.name);
    s.version = QString::fromStdString(m.version);
    for (const ModelInput& in : m.inputs) s.inputs << QString::fromStdString(in.name);
    s.inputNamesGuessed = m.inputNamesGuessed;
    s.labels = m.labels;
    for (const auto& [group, layers] : m.layerGroups) {
      QStringList names;
      for (const std::string& l : layers) names << QString::fromStdString(l);
      s.layerGroups << QString::fromStdString(group) + ": " + names.join(", ");
    }
    for (const std::string& device : d.devices) s.devices << QString::fromStdString(device);
    for (const std::string& note : m.notes) s.notes << QString::fromStdString(note);
    for (const ModelLayerInfo& l : d.layers)
      s.layers.push_back({QString::fromStdString(l.name), QString::fromStdString(l.type), l.channels});
    if (!d.layersError.empty())
      s.notes << tr("layers could not be listed: %1").arg(QString::fromStdString(d.layersError));
    s.defaultTargetLabel = m.defaultTargetLabel();
    displayedLabels_.reset();
    displayLabels_.reset();
    Q_EMIT modelOpened(s);
  } catch (const std::exception& e) {
    Q_EMIT modelFailed(QString::fromStdString(e.what()));
  }
}

std::shared_ptr<const DisplayLabels> AnalysisWorker::displayLabelsOf(const std::shared_ptr<const LabelVolume>& labels) {
  if (labels != displayedLabels_) {
    displayLabels_ =
        std::make_shared<const DisplayLabels>(prepareLabels(*labels, logic_.manifest().defaultTargetLabel()));
    displayedLabels_ = labels;
  }
  return displayLabels_;
}

void AnalysisWorker::predictFor(const JobRequest& request, const TaskControl& control) {
  const bool again = request.kind == JobRequest::Kind::Predict;
  if (!again && logic_.hasPredictionFor(request.study)) return;
  PredictOptions runtime;
  runtime.device = request.device;
  const PredictionSummary p = logic_.predict(request.study, runtime, again, control);
  PredictionResult result;
  result.jobId = request.id;
  result.study = request.study;
  result.labels = p.labels;
  result.displayLabels = displayLabelsOf(p.labels);
  result.endsJob = again;
  result.summary = tr("%1, %2 s, %3 voxels labelled")
                       .arg(QString::fromStdString(p.device))
                       .arg(p.seconds, 0, 'f', 1)
                       .arg(p.labelledVoxels);
  Q_EMIT predicted(result);
}

ExplanationResult AnalysisWorker::resultOf(const JobRequest& request, CaseExplanation&& e) {
  ExplanationResult r;
  r.jobId = request.id;
  r.study = request.study;
  r.method = QString::fromStdString(e.method);
  r.methodLabel = QString::fromStdString(e.methodLabel);
  r.target = QString::fromStdString(e.target);
  r.parameters = compactParameters(e.parameters);
  r.device = QString::fromStdString(e.device);
  r.seconds = e.seconds;
  r.modalities = std::move(e.volumes);
  r.modalityShares = std::move(e.modalityShares);
  r.shapleyShares = std::move(e.shapleyShares);
  r.predictedLabels = e.predictedLabels;
  r.segments = std::make_shared<const SegmentImportance>(std::move(e.segments));
  if (e.instances) {
    r.instances = std::make_shared<const InstanceReport>(std::move(*e.instances));
    r.instanceMaps = std::make_shared<const std::vector<std::vector<Volume>>>(std::move(e.instanceMaps));
  }
  r.maps = std::make_shared<const std::vector<Volume>>(std::move(e.maps));
  r.displayMaps = std::make_shared<const DisplayHeatmaps>(prepareHeatmaps(*r.maps));
  r.separableByModality = mapsDifferByModality(*r.maps);
  r.displayLabels = displayLabelsOf(r.predictedLabels);
  return r;
}

void AnalysisWorker::runExplanation(const JobRequest& request, const TaskControl& control) {
  CaseExplainRequest explain;
  explain.method = request.method;
  explain.parameters = request.parameters;
  explain.target =
      request.kind == JobRequest::Kind::Instances ? TargetSpec::allInstances(request.target.label) : request.target;
  explain.reference = request.reference;
  explain.runtime.device = request.device;
  ExplanationResult r = resultOf(request, logic_.explain(request.study, explain, control));
  control.step(1.0, "done");
  Q_EMIT explained(r);
}

void AnalysisWorker::runCaseAnalysis(const JobRequest& request, const TaskControl& control) {
  const CaseAnalysisRequest analysis = caseAnalysisRequest(request);
  CaseExplanation e = logic_.analyse(request.study, analysis, control.range(0.0, 0.98));
  if (!analysis.reportFolder.empty()) {
    QStringList written, notes;
    for (const std::string& f : e.reportFiles) written << QString::fromStdString(f);
    for (const std::string& n : e.reportNotes) notes << QString::fromStdString(n);
    // PNGs of the figures, as voxplain-cli report writes them (ui/SvgFigure.h).
    const QDir folder(QString::fromStdString(request.reportFolder));
    for (const std::string& svg : e.reportSvgFigures) {
      control.checkpoint();
      const QString error = writePngOfSvg(QString::fromStdString(svg), kDefaultFigureDpi);
      if (!error.isEmpty()) throw InputError(svg, error.toStdString());
      written << folder.relativeFilePath(pngFileOf(QString::fromStdString(svg)));
    }
    Q_EMIT reported(request.id, QString::fromStdString(request.reportFolder), written, notes);
  }
  ExplanationResult r = resultOf(request, std::move(e));
  r.target = tr("every predicted class");
  control.step(1.0, "done");
  Q_EMIT explained(r);
}

void AnalysisWorker::run(const JobRequest& request) {
  if (request.id < dropBelow_.load()) {
    Q_EMIT jobCancelled(request.id);
    return;
  }
  token_.reset();
  Q_EMIT jobStarted(request.id);
  JobProgress sink(this, request.id);
  const TaskControl control(&sink, &token_);
  try {
    if (!logic_.hasModel()) throw InputError("model", "open a model first");
    if (!request.study) throw InputError("study", "open a study first");
    const bool caseAnalysis =
        request.kind == JobRequest::Kind::CaseAnalysis || request.kind == JobRequest::Kind::Report;
    if (caseAnalysis) CaseLogic::checkReportFolder(caseAnalysisRequest(request));
    const bool predicts = request.kind == JobRequest::Kind::Predict || !logic_.hasPredictionFor(request.study);
    const double predictShare = !predicts ? 0.0 : (request.kind == JobRequest::Kind::Predict ? 1.0 : 0.3);
    predictFor(request, control.range(0.0, predictShare));
    if (request.kind == JobRequest::Kind::Predict) {
      sink.report(1.0, "prediction done");
      return;
    }
    if (caseAnalysis)
      runCaseAnalysis(request, control.range(predictShare, 1.0));
    else
      runExplanation(request, control.range(predictShare, 1.0));
  } catch (const OperationCancelled&) {
    Q_EMIT jobCancelled(request.id);
  } catch (const std::exception& e) {
    Q_EMIT jobFailed(request.id, QString::fromStdString(e.what()));
  }
}

CaseAnalysisRequest AnalysisWorker::caseAnalysisRequest(const JobRequest& request) {
  CaseAnalysisRequest analysis;
  analysis.method = request.method;
  analysis.parameters = request.parameters;
  analysis.shownLabel = request.target.label;
  analysis.runtime.device = request.device;
  if (request.kind == JobRequest::Kind::Report) {
    analysis.reportFolder = request.reportFolder;
    analysis.inputs = request.inputs;
    analysis.replaceReport = request.replaceReport;
    analysis.dicom.keepPatientIdentity = request.keepPatientIdentity;
    analysis.dicom.softwareVersion = "voxplain " + QCoreApplication::applicationVersion().toStdString();
  }
  return analysis;
}

}  // namespace voxplain::ui
