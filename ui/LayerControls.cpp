#include "LayerControls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QPushButton>
#include <QSlider>
#include <algorithm>

#include "LabelLegend.h"
#include "SliceViewModel.h"
#include "VolumeScene.h"
#include "VtkView.h"

namespace voxplain::ui {
namespace {
constexpr int kRampLowDefault = 30, kRampHighDefault = 100, kRampOpacityDefault = 60;  // % of the preset's window
}  // namespace

LayerControls::LayerControls(SliceViewModel* slices, render::VolumeScene* scene, render::VtkView* view,
                             StudySource study, QWidget* parent)
    : QWidget(parent), sliceModel_(slices), scene_(scene), view_(view), study_(std::move(study)) {
  QWidget* box = this;
  auto* form = new QFormLayout(box);
  auto* radiological = new QCheckBox(tr("Radiological (patient left on screen right)"), box);
  radiological->setObjectName("radiologicalCheck");
  radiological->setChecked(true);
  connect(radiological, &QCheckBox::toggled, sliceModel_, &SliceViewModel::setRadiological);
  form->addRow(radiological);
  auto slider = [box](const char* name, int value) {
    auto* s = new QSlider(Qt::Horizontal, box);
    s->setObjectName(name);
    s->setRange(0, 100);
    s->setValue(value);
    return s;
  };
  QSlider* labelOpacity = slider("labelOpacity", 50);
  connect(labelOpacity, &QSlider::valueChanged, sliceModel_,
          [this](int v) { sliceModel_->setLabelOpacity(v / 100.0); });
  form->addRow(tr("Label opacity"), labelOpacity);
  auto* outline = new QCheckBox(tr("Outline labels"), box);
  outline->setObjectName("outlineCheck");
  outline->setToolTip(tr("Every class outlined, whatever the legend says"));
  connect(outline, &QCheckBox::toggled, sliceModel_, &SliceViewModel::setLabelOutline);
  form->addRow(outline);
  legend_ = new LabelLegend(sliceModel_, box);
  form->addRow(legend_);
  auto* showMaps = new QCheckBox(tr("Show attribution"), box);
  showMaps->setObjectName("showMapsCheck");
  showMaps->setChecked(true);
  connect(showMaps, &QCheckBox::toggled, sliceModel_, &SliceViewModel::setHeatmapsShown);
  form->addRow(showMaps);
  auto* colormap = new QComboBox(box);
  colormap->setObjectName("colormapCombo");
  for (const std::string& name : render::colormapNames()) colormap->addItem(QString::fromStdString(name));
  connect(colormap, &QComboBox::currentTextChanged, sliceModel_, &SliceViewModel::setHeatmapColormap);
  connect(sliceModel_, &SliceViewModel::layersChanged, colormap, [this, colormap] {
    const QSignalBlocker block(colormap);
    colormap->setCurrentText(QString::fromStdString(sliceModel_->heatmapStyle().colormap));
  });
  form->addRow(tr("Colour map"), colormap);
  auto* range = new QComboBox(box);
  range->setObjectName("rangeCombo");
  range->addItem(tr("99.5th percentile of |A|"), 99.5);
  range->addItem(tr("99th percentile of |A|"), 99.0);
  range->addItem(tr("Maximum of |A|"), 100.0);
  connect(range, &QComboBox::currentIndexChanged, this,
          [this, range](int i) { sliceModel_->setHeatmapRangePercentile(range->itemData(i).toDouble()); });
  form->addRow(tr("Colour range"), range);
  QSlider* threshold = slider("thresholdSlider", 10);
  connect(threshold, &QSlider::valueChanged, sliceModel_,
          [this](int v) { sliceModel_->setHeatmapThreshold(v / 100.0); });
  form->addRow(tr("Threshold (% of range)"), threshold);
  mapModality_ = new QComboBox(box);
  mapModality_->setObjectName("mapModalityCombo");
  mapModality_->setToolTip(tr("Whose attribution map the 3D view shows"));
  connect(sliceModel_, &SliceViewModel::layersChanged, mapModality_, [this] {
    QStringList names;
    for (int m = 0; m < sliceModel_->modalityCount(); ++m) names << sliceModel_->modalityName(m);
    QStringList shown;
    for (int i = 0; i < mapModality_->count(); ++i) shown << mapModality_->itemText(i);
    if (names == shown) return;
    const QSignalBlocker block(mapModality_);
    const int current = mapModality_->currentIndex();
    mapModality_->clear();
    mapModality_->addItems(names);
    mapModality_->setCurrentIndex(std::clamp(current, 0, int(names.size()) - 1));
  });
  connect(mapModality_, &QComboBox::currentIndexChanged, this, &LayerControls::mapStyleChanged);
  for (QComboBox* c : {colormap, range})
    connect(c, &QComboBox::currentIndexChanged, this, &LayerControls::mapStyleChanged);
  connect(threshold, &QSlider::valueChanged, this, &LayerControls::mapStyleChanged);
  form->addRow(tr("3D map of"), mapModality_);
  QSlider* mapOpacity = slider("heatmapOpacity", 70);
  connect(mapOpacity, &QSlider::valueChanged, sliceModel_,
          [this](int v) { sliceModel_->setHeatmapOpacity(v / 100.0); });
  form->addRow(tr("Attribution opacity"), mapOpacity);
  auto* windowPreset = new QComboBox(box);
  windowPreset->setObjectName("windowPresetCombo");
  windowPreset->addItem(tr("Auto (1st-99th percentile)"), "auto");
  windowPreset->addItem(tr("CT soft tissue (400/40)"), "ct-soft-tissue");
  windowPreset->addItem(tr("CT bone (2000/500)"), "ct-bone");
  windowPreset->addItem(tr("CT lung (1500/-600)"), "ct-lung");
  windowPreset->addItem(tr("CT brain (80/40)"), "ct-brain");
  connect(windowPreset, &QComboBox::currentIndexChanged, this,
          [this, windowPreset](int i) { sliceModel_->applyWindowPreset(windowPreset->itemData(i).toString()); });
  form->addRow(tr("Window/level"), windowPreset);
  preset_ = new QComboBox(box);
  preset_->setObjectName("presetCombo");
  preset_->addItems({tr("MR"), tr("CT soft tissue"), tr("CT bone")});
  connect(preset_, &QComboBox::currentIndexChanged, this, &LayerControls::showVolume);
  form->addRow(tr("3D preset"), preset_);
  // The editable transfer function: opacity ramp over the preset's intensity window.
  rampLow_ = slider("rampLow", kRampLowDefault);
  rampHigh_ = slider("rampHigh", kRampHighDefault);
  rampOpacity_ = slider("rampOpacity", kRampOpacityDefault);
  auto applyRamp = [this] {
    if (!study_()) return;
    applyOpacityRamp();
    view_->requestRender();
  };
  for (QSlider* s : {rampLow_, rampHigh_, rampOpacity_}) connect(s, &QSlider::valueChanged, this, applyRamp);
  form->addRow(tr("3D opacity from (%)"), rampLow_);
  form->addRow(tr("3D opacity to (%)"), rampHigh_);
  form->addRow(tr("3D maximum opacity"), rampOpacity_);
  auto* clip = new QCheckBox(tr("Clip 3D at the cursor (axial plane)"), box);
  clip->setObjectName("clipCheck");
  connect(clip, &QCheckBox::toggled, this, [this](bool on) {
    scene_->setClipping(on, sliceModel_->cursor());
    view_->requestRender();
  });
  connect(sliceModel_, &SliceViewModel::cursorChanged, this, [this, clip] {
    if (!clip->isChecked()) return;
    scene_->setClipping(true, sliceModel_->cursor());
    view_->requestRender();
  });
  form->addRow(clip);
  auto* reset = new QPushButton(tr("Reset views"), box);
  connect(reset, &QPushButton::clicked, this, [this] {
    sliceModel_->resetView();
    scene_->resetCamera();
    view_->requestRender();
  });
  form->addRow(reset);
}

int LayerControls::mapModality() const {
  return mapModality_->currentIndex();
}

void LayerControls::showVolume() {
  const std::shared_ptr<const DisplayStudy> study = study_();
  if (!study || study->lps.empty()) return;
  // Oriented and ranked in the loading worker: nothing here walks the whole volume.
  scene_->setVolume(study->lps.front(), static_cast<render::TransferPreset>(preset_->currentIndex()),
                    study->volumeWindow.front());
  // At their defaults the ramp sliders stand for the preset's own opacity curve; once moved (by the
  // user, a session or the demo) their ramp replaces it.
  const bool rampMoved = rampLow_->value() != kRampLowDefault || rampHigh_->value() != kRampHighDefault ||
                         rampOpacity_->value() != kRampOpacityDefault;
  if (rampMoved) applyOpacityRamp();
  view_->requestRender();
}

void LayerControls::applyOpacityRamp() {
  scene_->setOpacityRamp(rampLow_->value() / 100.0, rampHigh_->value() / 100.0, rampOpacity_->value() / 100.0);
}

nlohmann::json LayerControls::state() const {
  nlohmann::json out = nlohmann::json::object();
  for (const QCheckBox* c : findChildren<QCheckBox*>())
    if (!c->objectName().isEmpty()) out[c->objectName().toStdString()] = c->isChecked();
  for (const QSlider* s : findChildren<QSlider*>())
    if (!s->objectName().isEmpty()) out[s->objectName().toStdString()] = s->value();
  for (const QComboBox* c : findChildren<QComboBox*>())
    if (!c->objectName().isEmpty()) out[c->objectName().toStdString()] = c->currentIndex();
  return out;
}

void LayerControls::setState(const nlohmann::json& state) {
  if (!state.is_object()) return;
  for (auto it = state.begin(); it != state.end(); ++it) {
    const QString name = QString::fromStdString(it.key());
    if (auto* c = findChild<QCheckBox*>(name); c && it->is_boolean()) c->setChecked(it->get<bool>());
    if (auto* s = findChild<QSlider*>(name); s && it->is_number_integer())
      s->setValue(std::clamp(it->get<int>(), s->minimum(), s->maximum()));
    if (auto* c = findChild<QComboBox*>(name); c && it->is_number_integer() && c->count() > 0)
      c->setCurrentIndex(std::clamp(it->get<int>(), 0, c->count() - 1));
  }
}

}  // namespace voxplain::ui
