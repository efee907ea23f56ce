#include "AnalysisJobs.h"

#include <QDir>

#include "SvgFigure.h"

#include <QCoreApplication>

#include <torch/cuda.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "analysis/CaseAggregation.h"
#include "analysis/ModalityImportance.h"
#include "attribution/AttributionMethod.h"
#include "attribution/Explainer.h"
#include "model/ModelPackage.h"
#include "model/Preprocessing.h"
#include "model/SegmentationRunner.h"
#include "report/CaseReport.h"
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

QString compactParameters(const nlohmann::json& resolved) {
  QStringList items;
  for (auto it = resolved.begin(); it != resolved.end(); ++it)
    items << QString::fromStdString(it.key() + "=" +
                                    (it.value().is_string() ? it.value().get<std::string>() : it.value().dump()));
  return items.join(", ");
}

// For each volume of `study` (the panes' order), the model channel it fed, or -1: as
// model/Preprocessing.h orderedInputs fed them.
std::vector<int> channelOfVolume(const Study& study, const ModelManifest& manifest) {
  const std::vector<const Modality*> fed = orderedInputs(study, manifest);
  std::vector<int> channelOf(study.modalities().size(), -1);
  for (std::size_t c = 0; c < fed.size(); ++c) channelOf[std::size_t(fed[c] - study.modalities().data())] = int(c);
  return channelOf;
}

// `byChannel` in the study's volume order; a volume that fed no channel gets absent().
template <class T, class Absent>
std::vector<T> inVolumeOrder(std::vector<T> byChannel, const std::vector<int>& channelOf, Absent absent) {
  bool same = byChannel.size() == channelOf.size();
  for (std::size_t v = 0; same && v < channelOf.size(); ++v) same = channelOf[v] == int(v);
  if (same) return byChannel;
  std::vector<T> out;
  for (int c : channelOf) out.push_back(c >= 0 ? std::move(byChannel[std::size_t(c)]) : absent());
  return out;
}

// A run's maps (model channel order) in the study's volume order, the panes' order: a volume that
// fed no input of the model gets a map of zeros.
std::vector<Volume> mapsInVolumeOrder(std::vector<Volume> maps, const std::vector<int>& channelOf, const Study& study) {
  return inVolumeOrder(std::move(maps), channelOf, [&] { return Volume(study.referenceGrid()); });
}

std::vector<std::string> volumeNames(const Study& study) {
  std::vector<std::string> names;
  for (const Modality& m : study.modalities()) names.push_back(m.name);
  return names;
}
}  // namespace

QString JobRequest::title() const {
  if (kind == Kind::Predict) return QObject::tr("Prediction");
  QString label;
  for (const MethodInfo& m : methodRegistry())
    if (m.name == method) label = QString::fromStdString(m.label);
  const QString name = label.isEmpty() ? QString::fromStdString(method) : label;
  if (kind == Kind::Instances) return QObject::tr("Instances of class %2 (%1)").arg(name).arg(targetLabel);
  if (kind == Kind::CaseAnalysis) return QObject::tr("Modality and segment importance (%1)").arg(name);
  if (kind == Kind::Report) return QObject::tr("Report (%1)").arg(name);
  if (!target.empty())
    return QObject::tr("%1, %2 of class %3").arg(name, QString::fromStdString(target)).arg(targetLabel);
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
  if (!package_) return;
  std::vector<std::string> chosen;
  for (const QString& n : names) chosen.push_back(n.toStdString());
  std::vector<std::string> before;
  for (const ModelInput& in : package_->manifest().inputs) before.push_back(in.name);
  if (before == chosen) return;
  try {
    package_->nameInputs(chosen);
    prediction_.reset();  // made with the inputs fed in another order
    predictionStudy_.reset();
  } catch (const InputError& e) {
    Q_EMIT modelFailed(QString::fromStdString(e.what()));
  }
}

void AnalysisWorker::openModel(const QString& path, const NnunetChoice& nnunet) {
  try {
    auto package = std::make_unique<ModelPackage>(ModelPackage::open(path.toStdString(), {}, true, nnunet));
    const ModelManifest& m = package->manifest();
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
    s.devices << "auto"
              << "cpu";
    if (torch::cuda::is_available())
      for (std::size_t d = 0; d < torch::cuda::device_count(); ++d) s.devices << QString("cuda:%1").arg(d);
    for (const std::string& note : m.notes) s.notes << QString::fromStdString(note);
    // Layers and channel counts from one small dry run (the window the model was traced at, if any).
    try {
      const auto& w = package->dryRunWindow();
      const int edge = w[0] > 0 ? int(w[0]) : 32;
      for (const SubmoduleInfo& l :
           package->describeSubmodules({edge, w[1] > 0 ? int(w[1]) : edge, w[2] > 0 ? int(w[2]) : edge}))
        s.layers.push_back({QString::fromStdString(l.name), QString::fromStdString(l.type),
                            l.outputShape.size() >= 2 ? int(l.outputShape[1]) : 0});
    } catch (const std::exception& e) {
      s.notes << tr("layers could not be listed: %1").arg(e.what());
    }
    s.defaultTargetLabel = m.defaultTargetLabel();
    package_ = std::move(package);
    prediction_.reset();
    predictionStudy_.reset();
    Q_EMIT modelOpened(s);
  } catch (const std::exception& e) {
    Q_EMIT modelFailed(QString::fromStdString(e.what()));
  }
}

bool AnalysisWorker::reusesPrediction(const JobRequest& request) const {
  return prediction_ && predictionStudy_ == request.study && request.kind != JobRequest::Kind::Predict;
}

std::shared_ptr<const Prediction> AnalysisWorker::predictionFor(const JobRequest& request, const TaskControl& control) {
  if (reusesPrediction(request)) return prediction_;
  PredictOptions options;
  options.device = request.device;
  auto prediction = std::make_shared<const Prediction>(predict(*package_, *request.study, options, control));
  prediction_ = prediction;
  predictionStudy_ = request.study;
  PredictionResult result;
  result.jobId = request.id;
  result.study = request.study;
  result.prediction = prediction;
  result.labels = std::make_shared<const LabelVolume>(prediction->labels);
  predictionLabels_ = result.labels;
  result.displayLabels =
      std::make_shared<const DisplayLabels>(prepareLabels(*result.labels, package_->manifest().defaultTargetLabel()));
  displayLabels_ = result.displayLabels;
  result.endsJob = request.kind == JobRequest::Kind::Predict;
  std::size_t labelled = 0;
  for (std::size_t i = 0; i < prediction->labels.voxelCount(); ++i) labelled += prediction->labels.data()[i] != 0;
  result.summary = tr("%1, %2 s, %3 voxels labelled")
                       .arg(QString::fromStdString(prediction->device))
                       .arg(prediction->totalSeconds, 0, 'f', 1)
                       .arg(labelled);
  Q_EMIT predicted(result);
  return prediction;
}

std::shared_ptr<const LabelVolume> AnalysisWorker::labelsOf(const std::shared_ptr<const Prediction>& prediction) const {
  // Every run on one prediction shares its labels (they are not copied per run).
  return prediction == prediction_ && predictionLabels_ ? predictionLabels_
                                                        : std::make_shared<const LabelVolume>(prediction->labels);
}

void AnalysisWorker::prepareDisplay(ExplanationResult& r, const std::shared_ptr<const Prediction>& prediction) const {
  r.displayMaps = std::make_shared<const DisplayHeatmaps>(prepareHeatmaps(*r.maps));
  r.separableByModality = mapsDifferByModality(*r.maps);
  // The labels of the last prediction were prepared when it was made.
  r.displayLabels = prediction == prediction_ && displayLabels_
                        ? displayLabels_
                        : std::make_shared<const DisplayLabels>(
                              prepareLabels(*r.predictedLabels, package_->manifest().defaultTargetLabel()));
}

void AnalysisWorker::runCaseAnalysis(const JobRequest& request, const MethodInfo& info,
                                     std::shared_ptr<const Prediction> prediction, const TaskControl& control) {
  PredictOptions runtime;
  runtime.device = request.device;
  const auto start = std::chrono::steady_clock::now();
  const bool report = request.kind == JobRequest::Kind::Report;
  if (report) checkReportFolder(request.reportFolder, request.replaceReport ? Overwrite::Allow : Overwrite::Refuse);
  CaseAggregation a = aggregateCase(*package_, *request.study, info.name, request.parameters, runtime, true,
                                    control.range(0.0, report ? 0.9 : 0.98), prediction);
  if (report) {
    CaseReportInput input;
    input.package = package_.get();
    input.inputs = request.inputs;
    input.study = request.study.get();
    input.prediction = prediction.get();
    input.aggregation = &a;
    input.softwareVersion = "voxplain " + QCoreApplication::applicationVersion().toStdString();
    DicomExportOptions options;
    options.keepPatientIdentity = request.keepPatientIdentity;
    options.softwareVersion = input.softwareVersion;
    const CaseReportFiles files =
        writeCaseReport(request.reportFolder, input, options,
                        request.replaceReport ? Overwrite::Allow : Overwrite::Refuse, control.range(0.9, 0.98));
    QStringList written, notes;
    for (const std::string& f : files.files) written << QString::fromStdString(f);
    for (const std::string& n : files.notes) notes << QString::fromStdString(n);
    // PNGs of the figures, as voxplain-cli report writes them (ui/SvgFigure.h).
    const QDir folder(QString::fromStdString(request.reportFolder));
    for (const std::string& svg : files.svgFigures) {
      control.checkpoint();
      const QString error = writePngOfSvg(QString::fromStdString(svg), kDefaultFigureDpi);
      if (!error.isEmpty()) throw InputError(svg, error.toStdString());
      written << folder.relativeFilePath(pngFileOf(QString::fromStdString(svg)));
    }
    Q_EMIT reported(request.id, QString::fromStdString(request.reportFolder), written, notes);
  }
  ExplanationResult r;
  r.jobId = request.id;
  r.study = request.study;
  r.method = QString::fromStdString(info.name);
  r.methodLabel = QString::fromStdString(info.label);
  r.target = tr("every predicted class");
  r.parameters = compactParameters(a.record["parameters"]);
  r.device = QString::fromStdString(prediction->device);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Maps and shares in the study's volume order (the panes'), not the model's channel order.
  const std::vector<int> channelOf = channelOfVolume(*request.study, package_->manifest());
  r.modalities = volumeNames(*request.study);
  r.modalityShares = inVolumeOrder(a.modalities.absShare, channelOf, [] { return 0.0; });
  if (!a.modalities.shapleyShare.empty())
    r.shapleyShares = inVolumeOrder(a.modalities.shapleyShare, channelOf, [] { return 0.0; });
  r.predictedLabels = labelsOf(prediction);
  // The maps shown: the panel's class when it was explained, else the first class.
  const TargetClassMaps* shown = &a.maps.front();
  for (const TargetClassMaps& t : a.maps)
    if (t.target.label == request.targetLabel) shown = &t;
  r.maps =
      std::make_shared<const std::vector<Volume>>(mapsInVolumeOrder(shown->perModality, channelOf, *request.study));
  r.segments = std::make_shared<const SegmentImportance>(std::move(a.segments));
  prepareDisplay(r, prediction);
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
    if (!package_) throw InputError("model", "open a model first");
    if (!request.study) throw InputError("study", "open a study first");
    const double predictShare =
        reusesPrediction(request) ? 0.0 : (request.kind == JobRequest::Kind::Predict ? 1.0 : 0.3);
    const std::shared_ptr<const Prediction> prediction = predictionFor(request, control.range(0.0, predictShare));
    if (request.kind == JobRequest::Kind::Predict) {
      sink.report(1.0, "prediction done");
      return;
    }
    const MethodInfo& info = findMethod(request.method);
    if (request.kind == JobRequest::Kind::CaseAnalysis || request.kind == JobRequest::Kind::Report) {
      runCaseAnalysis(request, info, prediction, control.range(predictShare, 1.0));
      return;
    }
    ExplainRequest explain;
    explain.method = info.name;
    explain.params = ParameterSet::parse(request.parameters);
    explain.target.label = request.targetLabel;
    const bool instances = request.kind == JobRequest::Kind::Instances;
    if (instances)
      explain.target =
          TargetSpec::parse("instance=all;label=" + std::to_string(request.targetLabel), request.targetLabel);
    else if (!request.target.empty())
      explain.target =
          TargetSpec::parse(request.target + ";label=" + std::to_string(request.targetLabel), request.targetLabel);
    explain.runtime.device = request.device;
    explain.prediction = prediction;
    const TaskControl methodControl = control.range(predictShare, 0.95);
    ExplanationSession session(*package_, *request.study, explain, methodControl.range(0.0, 0.05));
    const auto start = std::chrono::steady_clock::now();
    Explanation e = session.explain(info.name, explain.params, methodControl.range(0.05, 1.0));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    explain.params.rejectUnused(info.name);

    control.step(0.96, "charts");
    ExplanationResult r;
    r.jobId = request.id;
    r.study = request.study;
    r.method = QString::fromStdString(info.name);
    r.methodLabel = QString::fromStdString(info.label);
    r.target = QString::fromStdString(explain.target.describe());
    r.parameters = compactParameters(e.record["parameters"]);
    r.device = QString::fromStdString(e.record.value("device", std::string()));
    r.seconds = seconds;
    // Maps and shares in the study's volume order (the panes'), not the model's channel order.
    const std::vector<int> channelOf = channelOfVolume(*request.study, package_->manifest());
    r.modalities = volumeNames(*request.study);
    r.predictedLabels = labelsOf(prediction);
    const std::vector<Volume>& maps = e.regions.front().perModality;
    r.modalityShares = inVolumeOrder(absShares(maps), channelOf, [] { return 0.0; });
    const ModelManifest& m = package_->manifest();
    std::vector<SegmentInfo> segments;
    for (const LabelInfo& l : m.labels) segments.push_back({l.value, l.name});
    SegmentInfo target{request.targetLabel, ""};
    for (const SegmentInfo& s : segments)
      if (s.label == request.targetLabel) target = s;
    r.segments = std::make_shared<const SegmentImportance>(
        segmentImportance(prediction->labels, segments, e.modalities, {{target, maps}}));
    if (instances) {
      auto all = std::make_shared<std::vector<std::vector<Volume>>>();
      std::size_t largest = 0;
      for (std::size_t i = 0; i < e.regions.size(); ++i) {
        all->push_back(e.regions[i].perModality);
        if (e.regions[i].voxels > e.regions[largest].voxels) largest = i;
      }
      control.step(0.98, "instance statistics");
      // The statistics of the model's inputs (a volume that fed none has no column); then each
      // instance's maps in the panes' order.
      r.instances = std::make_shared<const InstanceReport>(instanceStatistics(
          e.regionIds, &e.probability, *all, e.modalities, request.reference.get(), InstanceOptions{}));
      for (std::vector<Volume>& instanceMaps : *all)
        instanceMaps = mapsInVolumeOrder(std::move(instanceMaps), channelOf, *request.study);
      r.maps = std::make_shared<const std::vector<Volume>>((*all)[largest]);
      r.instanceMaps = std::move(all);
    } else {
      r.maps = std::make_shared<const std::vector<Volume>>(
          mapsInVolumeOrder(std::move(e.regions.front().perModality), channelOf, *request.study));
    }
    prepareDisplay(r, prediction);
    sink.report(1.0, "done");
    Q_EMIT explained(r);
  } catch (const OperationCancelled&) {
    Q_EMIT jobCancelled(request.id);
  } catch (const std::exception& e) {
    Q_EMIT jobFailed(request.id, QString::fromStdString(e.what()));
  }
}

}  // namespace voxplain::ui
