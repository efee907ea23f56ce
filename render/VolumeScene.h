#pragma once
// The 3D scene of one study: GPU ray-cast volume rendering of a modality (presets and an editable
// opacity ramp), label surfaces, attribution iso-surfaces, an axial clipping plane, an orientation
// marker with L/P/S axes, and camera reset. Volumes are shown LPS-aligned (volume/Reorient.h), like
// the slice views, so both agree on where things are. Never computes anything model-related.

#include <vtkSmartPointer.h>

#include <array>
#include <vector>

#include "ColorMaps.h"
#include "SceneMeshes.h"
#include "volume/Image.h"

class vtkRenderer;
class vtkVolume;
class vtkSmartVolumeMapper;
class vtkOrientationMarkerWidget;
class vtkRenderWindowInteractor;
class vtkActor;
class vtkPlane;

namespace voxplain::render {

enum class TransferPreset { MR, CtSoftTissue, CtBone };

/// The intensity window of the MR preset: the 5th and 99.5th percentiles of `volume`'s positive
/// voxels (volume/Percentile.h). A full-volume selection: compute it off the GUI thread.
std::array<double, 2> mrTransferWindow(const Volume& volume);

class VolumeScene {
 public:
  VolumeScene();
  ~VolumeScene();
  /// Adds the scene's props to `renderer` and the orientation marker to `interactor`.
  void attach(vtkRenderer* renderer, vtkRenderWindowInteractor* interactor);
  /// Shows `lpsVolume` (already in LPS orientation) with `preset`; `mrWindow` is the MR preset's
  /// window (mrTransferWindow). Neither reorients nor ranks voxels: fit for the GUI thread when the
  /// volume and window were prepared elsewhere (the app prepares them in its loading worker).
  void setVolume(const Volume& lpsVolume, TransferPreset preset, const std::array<double, 2>& mrWindow);
  /// Shows `volume` in any orientation: reorients it and computes its window on the calling thread.
  void setVolume(const Volume& volume, TransferPreset preset = TransferPreset::MR);
  /// Label map as one smoothed surface per label value, coloured like the slice overlays. Builds the
  /// surfaces on the calling thread; setLabelMesh takes them built elsewhere (SceneMeshes.h).
  void setLabels(const LabelVolume& labels, const std::vector<LabelColor>& colors);
  void setLabelMesh(const LabelMesh& mesh, const std::vector<LabelColor>& colors);
  /// Attribution shells (SceneMeshes.h, buildHeatmapShells); setHeatmap builds them on this thread.
  void setHeatmap(const Volume& map, const HeatmapStyle& style);
  void setHeatmapShells(const std::vector<HeatmapShell>& shells);
  /// Editable transfer function: opacity rises from 0 at `low` to `maxOpacity` at `high`, both
  /// fractions of the preset's intensity window.
  void setOpacityRamp(double low, double high, double maxOpacity);
  /// Clips everything above the axial plane through `lps` (LPS mm), or nothing.
  void setClipping(bool enabled, const std::array<double, 3>& lps);
  /// Removes the label surfaces and attribution shells (a new study: nothing of the old one stays).
  void clearOverlays();
  /// Label surfaces and attribution shells in the scene (tests: a study switch leaves none).
  int overlayActorCount() const;
  void resetCamera();
  bool hasVolume() const { return hasVolume_; }

 private:
  vtkSmartPointer<vtkRenderer> renderer_;
  vtkSmartPointer<vtkVolume> volume_;
  vtkSmartPointer<vtkSmartVolumeMapper> mapper_;
  vtkSmartPointer<vtkOrientationMarkerWidget> marker_;
  vtkSmartPointer<vtkActor> labelSurfaces_;
  std::vector<vtkSmartPointer<vtkActor>> heatmapSurfaces_;
  vtkSmartPointer<vtkPlane> clipPlane_;
  bool clipping_ = false;
  bool hasVolume_ = false;
  double windowLow_ = 0.0, windowHigh_ = 1.0;  // the preset's intensity window (for the ramp)
};

}  // namespace voxplain::render
