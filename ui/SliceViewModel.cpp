#include "SliceViewModel.h"

#include <vtkImageData.h>

#include <algorithm>
#include <map>
#include <cmath>

#include "ImageDataBridge.h"
#include "VolumeScene.h"
#include "analysis/ConnectedComponents.h"
#include "volume/LabelOutline.h"
#include "volume/Reorient.h"

namespace voxplain::ui {

SliceViewModel::SliceViewModel(QObject* parent) : QObject(parent) {}

void SliceViewModel::setStudy(std::shared_ptr<const Study> study) {
  study_ = std::move(study);
  bases_.clear();
  heatmaps_.clear();
  names_.clear();
  windowLevel_.clear();
  labelsFilled_ = nullptr;
  outlines_ = {};
  for (const Modality& m : study_->modalities()) {
    const Volume lps = orientToLps(m.volume);
    bases_.push_back(render::toVtkImage(lps));
    names_.push_back(QString::fromStdString(m.name));
    const double low = render::percentile(m.volume, 1.0, 0.0f), high = render::percentile(m.volume, 99.0, 0.0f);
    windowLevel_.push_back({std::max(high - low, 1e-6), (high + low) / 2});
  }
  autoWindowLevel_ = windowLevel_;
  if (!bases_.empty()) {
    double bounds[6];
    bases_.front()->GetBounds(bounds);
    cursor_ = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, (bounds[4] + bounds[5]) / 2};
    centre_ = cursor_;
  }
  zoom_ = 1.0;
  Q_EMIT layersChanged();
  Q_EMIT cursorChanged();
  Q_EMIT viewChanged();
}

void SliceViewModel::setLabels(const LabelVolume& labels, const std::vector<render::LabelColor>& colors) {
  labelsLps_ = orientToLps(labels);
  labelsFilled_ = render::toVtkImage(labelsLps_);
  for (int axis = 0; axis < 3; ++axis) outlines_[std::size_t(axis)] = render::toVtkImage(voxplain::labelOutline(labelsLps_, axis));
  labelColors_ = colors;
  // Put the cursor on the largest labelled structure: the first thing a reader wants to see.
  const Components c = connectedComponents([&] {
    std::vector<std::uint8_t> mask(labelsLps_.voxelCount());
    for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = labelsLps_.voxels()[i] != 0;
    return mask;
  }(), labelsLps_.geometry().size);
  if (c.count() > 0) {
    const int largest = int(std::max_element(c.sizes.begin(), c.sizes.end()) - c.sizes.begin()) + 1;
    Vec3 sum{0, 0, 0};
    const Size3& n = labelsLps_.geometry().size;
    for (std::size_t i = 0; i < c.labels.size(); ++i)
      if (c.labels[i] == largest) {
        sum[0] += double(i % n[0]);
        sum[1] += double((i / n[0]) % n[1]);
        sum[2] += double(i / (n[0] * n[1]));
      }
    const double count = double(c.sizes[std::size_t(largest - 1)]);
    cursor_ = labelsLps_.geometry().indexToPhysical({sum[0] / count, sum[1] / count, sum[2] / count});
  }
  Q_EMIT layersChanged();
}

void SliceViewModel::setHeatmaps(const std::vector<Volume>& maps, const QString& units) {
  heatmaps_.clear();
  heatMagnitudes_.clear();
  bool anyNegative = false;
  for (const Volume& v : maps) {
    heatmaps_.push_back(render::toVtkImage(orientToLps(v)));
    for (float x : v.voxels()) {
      anyNegative = anyNegative || x < 0;
      if (x != 0.0f && std::isfinite(x)) heatMagnitudes_.push_back(std::abs(x));
    }
  }
  std::sort(heatMagnitudes_.begin(), heatMagnitudes_.end());
  updateHeatmapRange();
  heatmapStyle_.signedMap = anyNegative;
  if (!anyNegative && heatmapStyle_.colormap == "bwr") heatmapStyle_.colormap = "inferno";
  if (anyNegative) heatmapStyle_.colormap = "bwr";
  heatmapStyle_.units = units.toStdString();
  Q_EMIT layersChanged();
}

void SliceViewModel::updateHeatmapRange() {
  double range = 1.0;
  if (!heatMagnitudes_.empty()) {
    const std::size_t k = std::min(heatMagnitudes_.size() - 1, std::size_t(rangePercentile_ / 100.0 * double(heatMagnitudes_.size())));
    range = std::max(double(heatMagnitudes_[k]), 1e-12);
  }
  heatmapStyle_.range = range;
}

void SliceViewModel::setHeatmapRangePercentile(double percentile) {
  rangePercentile_ = std::clamp(percentile, 50.0, 100.0);
  updateHeatmapRange();
  Q_EMIT layersChanged();
}

void SliceViewModel::applyWindowPreset(const QString& preset) {
  static const std::map<QString, std::array<double, 2>> ct = {
      {"ct-soft-tissue", {400, 40}}, {"ct-bone", {2000, 500}}, {"ct-lung", {1500, -600}}, {"ct-brain", {80, 40}}};
  for (std::size_t m = 0; m < windowLevel_.size(); ++m) {
    windowLevel_[m] = ct.count(preset) ? ct.at(preset) : autoWindowLevel_[m];
    Q_EMIT windowLevelChanged(int(m));
  }
}

QString SliceViewModel::modalityName(int m) const { return names_[std::size_t(m)]; }

vtkSmartPointer<vtkImageData> SliceViewModel::labels(int normalAxis) const {
  return labelOutline_ ? outlines_[std::size_t(normalAxis)] : labelsFilled_;
}

vtkSmartPointer<vtkImageData> SliceViewModel::heatmap(int m) const {
  return heatmapsShown_ && std::size_t(m) < heatmaps_.size() ? heatmaps_[std::size_t(m)] : nullptr;
}

void SliceViewModel::setCursor(const std::array<double, 3>& lps) {
  cursor_ = lps;
  Q_EMIT cursorChanged();
}
void SliceViewModel::setCentre(const std::array<double, 3>& lps) {
  centre_ = lps;
  Q_EMIT viewChanged();
}
void SliceViewModel::setZoom(double zoom) {
  zoom_ = std::clamp(zoom, 0.1, 50.0);
  Q_EMIT viewChanged();
}
void SliceViewModel::setRadiological(bool radiological) {
  radiological_ = radiological;
  Q_EMIT viewChanged();
}
void SliceViewModel::setWindowLevel(int modality, double window, double level) {
  windowLevel_[std::size_t(modality)] = {std::max(window, 1e-6), level};
  Q_EMIT windowLevelChanged(modality);
}
void SliceViewModel::setLabelOpacity(double opacity) {
  labelOpacity_ = std::clamp(opacity, 0.0, 1.0);
  Q_EMIT layersChanged();
}
void SliceViewModel::setLabelOutline(bool outline) {
  labelOutline_ = outline;
  Q_EMIT layersChanged();
}
void SliceViewModel::setHeatmapColormap(const QString& name) {
  heatmapStyle_.colormap = name.toStdString();
  Q_EMIT layersChanged();
}
void SliceViewModel::setHeatmapThreshold(double fraction) {
  heatmapStyle_.threshold = std::clamp(fraction, 0.0, 1.0);
  Q_EMIT layersChanged();
}
void SliceViewModel::setHeatmapOpacity(double opacity) {
  heatmapStyle_.opacity = std::clamp(opacity, 0.0, 1.0);
  Q_EMIT layersChanged();
}
void SliceViewModel::setHeatmapsShown(bool shown) {
  heatmapsShown_ = shown;
  Q_EMIT layersChanged();
}
void SliceViewModel::resetView() {
  if (bases_.empty()) return;
  double bounds[6];
  bases_.front()->GetBounds(bounds);
  centre_ = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, (bounds[4] + bounds[5]) / 2};
  zoom_ = 1.0;
  Q_EMIT viewChanged();
}

}  // namespace voxplain::ui
