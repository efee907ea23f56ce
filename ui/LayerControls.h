#pragma once
// The "Layers" dock: how the slice panes and the 3D view draw the study and its overlays
// (orientation convention, the segmentation's legend, label and attribution opacity, colour map and range, threshold,
// window/level presets, the 3D transfer function and clipping). It only sets display state on the
// slice view model and the VTK scene; nothing is computed here.

#include <QWidget>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "DisplayLayers.h"
#include "volume/Study.h"

class QComboBox;
class QSlider;

namespace voxplain::render {
class VolumeScene;
class VtkView;
}  // namespace voxplain::render

namespace voxplain::ui {

class LabelLegend;
class SliceViewModel;

class LayerControls : public QWidget {
  Q_OBJECT
 public:
  /// The study shown now, prepared for display (null before one is open); asked when a 3D setting
  /// changes.
  using StudySource = std::function<std::shared_ptr<const DisplayStudy>()>;
  LayerControls(SliceViewModel* slices, render::VolumeScene* scene, render::VtkView* view, StudySource study,
                QWidget* parent = nullptr);
  /// The modality whose map the 3D view shows (index into the panes; 0 when none).
  int mapModality() const;
  /// Every named control's value: {"thresholdSlider": 10, "radiologicalCheck": true,
  /// "colormapCombo": 1, ...} (a saved session's view).
  nlohmann::json state() const;
  /// Sets the named controls found in `state` (their signals update the views); unknown names and
  /// values of the wrong type are ignored, out-of-range values clamped.
  void setState(const nlohmann::json& state);
  /// Volume-renders the study's first modality with the chosen 3D preset, and the opacity ramp
  /// once its sliders were moved from their defaults (at the defaults the preset's own curve);
  /// called when a study opens.
  void showVolume();
  /// The segmentation's legend (one row per class; LabelLegend.h).
  LabelLegend* legend() const { return legend_; }

 Q_SIGNALS:
  /// The 3D map's modality, colour map, colour range or threshold changed.
  void mapStyleChanged();

 private:
  /// Sets the 3D opacity ramp from the three ramp sliders.
  void applyOpacityRamp();

  SliceViewModel* sliceModel_;
  render::VolumeScene* scene_;
  render::VtkView* view_;
  StudySource study_;
  LabelLegend* legend_ = nullptr;
  QComboBox* mapModality_ = nullptr;
  QComboBox* preset_ = nullptr;
  QSlider *rampLow_ = nullptr, *rampHigh_ = nullptr, *rampOpacity_ = nullptr;
};

}  // namespace voxplain::ui
