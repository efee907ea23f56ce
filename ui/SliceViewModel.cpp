#include "SliceViewModel.h"

#include <vtkImageData.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "ImageDataBridge.h"
#include "VolumeScene.h"

namespace voxplain::ui {

SliceViewModel::SliceViewModel(QObject* parent) : QObject(parent) {}

QStringList modalityNames(const Study& study) {
  QStringList names;
  for (const Modality& m : study.modalities()) names << QString::fromStdString(m.name);
  return names;
}

void SliceViewModel::setRenamedStudy(const std::shared_ptr<const Study>& study) {
  const QStringList names = modalityNames(*study);
  names_.assign(names.begin(), names.end());
  Q_EMIT layersChanged();
}

void SliceViewModel::setStudy(const std::shared_ptr<const Study>& study) {
  setStudy(study, std::make_shared<const DisplayStudy>(prepareStudy(*study)));
}

void SliceViewModel::setStudy(const std::shared_ptr<const Study>& study,
                              const std::shared_ptr<const DisplayStudy>& display) {
  setPanes(*display, modalityNames(*study), false);
}

void SliceViewModel::setPanes(const DisplayStudy& display, const QStringList& names, bool keepView) {
  bases_.clear();
  heatmaps_.clear();
  heatmapLayers_.reset();
  paneSigned_.clear();
  names_.assign(names.begin(), names.end());
  if (!keepView) {
    labelsFilled_ = nullptr;
    outlines_ = {};
    labelLayers_.reset();
    mixed_ = {};
  }
  for (const Volume& lps : display.lps) bases_.push_back(render::toVtkImage(lps));
  windowLevel_ = display.windowLevel;
  autoWindowLevel_ = windowLevel_;
  if (!bases_.empty() && !keepView) {
    double bounds[6];
    bases_.front()->GetBounds(bounds);
    cursor_ = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, (bounds[4] + bounds[5]) / 2};
    centre_ = cursor_;
    zoom_ = 1.0;
  }
  Q_EMIT layersChanged();
  Q_EMIT cursorChanged();
  Q_EMIT viewChanged();
}

void SliceViewModel::setLabels(const std::shared_ptr<const DisplayLabels>& labels,
                               const std::vector<render::LabelColor>& colors) {
  labelsFilled_ = render::toVtkImage(labels->lps);
  for (int axis = 0; axis < 3; ++axis)
    outlines_[std::size_t(axis)] = render::toVtkImage(labels->outlines[std::size_t(axis)]);
  labelLayers_ = labels;
  mixed_ = {};
  labelColors_ = colors;
  // Put the cursor on the largest labelled structure: the first thing a reader wants to see.
  if (labels->largestCentroidLps) cursor_ = *labels->largestCentroidLps;
  Q_EMIT layersChanged();
}

void SliceViewModel::setHeatmaps(std::shared_ptr<const DisplayHeatmaps> maps, const QString& units) {
  heatmaps_.clear();
  for (const Volume& lps : maps->lps) heatmaps_.push_back(render::toVtkImage(lps));
  heatmapLayers_ = std::move(maps);
  updateHeatmapRange();
  heatmapStyle_.signedMap = heatmapLayers_->range.signedMap;
  if (!heatmapStyle_.signedMap && heatmapStyle_.colormap == "bwr") heatmapStyle_.colormap = "inferno";
  if (heatmapStyle_.signedMap) heatmapStyle_.colormap = "bwr";
  heatmapStyle_.units = units.toStdString();
  Q_EMIT layersChanged();
}

void SliceViewModel::updateHeatmapRange() {
  heatmapStyle_.range = heatmapLayers_ ? heatmapLayers_->range.at(rangePercentile_) : 1.0;
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

QString SliceViewModel::modalityName(int m) const {
  return names_[std::size_t(m)];
}

render::HeatmapStyle SliceViewModel::heatmapStyle(int m) const {
  render::HeatmapStyle style = heatmapStyle_;
  if (m < 0 || std::size_t(m) >= paneSigned_.size()) return style;
  style.signedMap = paneSigned_[std::size_t(m)];
  if (style.signedMap)
    style.colormap = "bwr";
  else if (style.colormap == "bwr")
    style.colormap = "inferno";
  return style;
}

void SliceViewModel::setPaneSigned(std::vector<bool> signedPerPane) {
  paneSigned_ = std::move(signedPerPane);
  Q_EMIT layersChanged();
}

LabelStyle SliceViewModel::labelStyle(int value) const {
  const auto it = labelStyles_.find(value);
  return it == labelStyles_.end() ? LabelStyle::Filled : it->second;
}

vtkSmartPointer<vtkImageData> SliceViewModel::labels(int normalAxis) const {
  const std::size_t axis = std::size_t(normalAxis);
  if (!labelLayers_) return labelOutline_ ? outlines_[axis] : labelsFilled_;
  // One style for every class: the prepared layers as they are.
  bool allFilled = true, allOutlined = true;
  for (const render::LabelColor& c : labelColors_) {
    const LabelStyle style = labelStyle(c.value);
    allFilled &= style == LabelStyle::Filled && !labelOutline_;
    allOutlined &= style != LabelStyle::Hidden && (labelOutline_ || style == LabelStyle::Outline);
  }
  if (allFilled) return labelsFilled_;
  if (allOutlined) return outlines_[axis];
  if (!mixed_[axis]) {
    // Each voxel: its class when that class is filled, the outline's class when that one is outlined.
    const LabelVolume& filled = labelLayers_->lps;
    const LabelVolume& outline = labelLayers_->outlines[axis];
    LabelVolume mixed(filled.geometry());
    auto drawn = [this](std::uint16_t value, LabelStyle wanted) {
      if (value == 0) return false;
      const LabelStyle style = labelStyle(value);
      return style != LabelStyle::Hidden && (labelOutline_ ? LabelStyle::Outline : style) == wanted;
    };
    for (std::size_t i = 0; i < filled.voxelCount(); ++i)
      mixed.voxels()[i] = drawn(filled.voxels()[i], LabelStyle::Filled)     ? filled.voxels()[i]
                          : drawn(outline.voxels()[i], LabelStyle::Outline) ? outline.voxels()[i]
                                                                            : std::uint16_t(0);
    mixed_[axis] = render::toVtkImage(mixed);
  }
  return mixed_[axis];
}

void SliceViewModel::setLabelStyle(int value, LabelStyle style) {
  if (labelStyle(value) == style) return;
  labelStyles_[value] = style;
  mixed_ = {};
  Q_EMIT layersChanged();
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
  mixed_ = {};
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
