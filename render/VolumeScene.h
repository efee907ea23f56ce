#pragma once
// The 3D scene of one study: GPU ray-cast volume rendering of a modality, an orientation marker
// with L/P/S axes, and camera reset. Owned by a view; never computes anything model-related.

#include <vtkSmartPointer.h>

#include "volume/Image.h"

class vtkRenderer;
class vtkVolume;
class vtkSmartVolumeMapper;
class vtkOrientationMarkerWidget;
class vtkRenderWindowInteractor;

namespace voxplain::render {

enum class TransferPreset { MR, CtSoftTissue, CtBone };

class VolumeScene {
 public:
  VolumeScene();
  ~VolumeScene();
  /// Adds the scene's props to `renderer` and the orientation marker to `interactor`.
  void attach(vtkRenderer* renderer, vtkRenderWindowInteractor* interactor);
  /// Shows `volume` with `preset` (MR: window from the 1st-99th percentile of non-zero voxels).
  void setVolume(const Volume& volume, TransferPreset preset = TransferPreset::MR);
  void resetCamera();
  bool hasVolume() const { return hasVolume_; }

 private:
  vtkSmartPointer<vtkRenderer> renderer_;
  vtkSmartPointer<vtkVolume> volume_;
  vtkSmartPointer<vtkSmartVolumeMapper> mapper_;
  vtkSmartPointer<vtkOrientationMarkerWidget> marker_;
  bool hasVolume_ = false;
};

/// p-th percentile (0..100) of the voxels above `floor` (all voxels when none is).
double percentile(const Volume& volume, double p, float floor = -1e30f);

}  // namespace voxplain::render
