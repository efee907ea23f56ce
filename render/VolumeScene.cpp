#include "VolumeScene.h"

#include <vtkAxesActor.h>
#include <vtkCamera.h>
#include <vtkCaptionActor2D.h>
#include <vtkColorTransferFunction.h>
#include <vtkImageData.h>
#include <vtkOrientationMarkerWidget.h>
#include <vtkPiecewiseFunction.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkSmartVolumeMapper.h>
#include <vtkTextProperty.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <algorithm>
#include <vector>

#include "ImageDataBridge.h"

namespace voxplain::render {

double percentile(const Volume& volume, double p, float floor) {
  std::vector<float> values;
  values.reserve(volume.voxelCount());
  for (float v : volume.voxels())
    if (v > floor) values.push_back(v);
  if (values.empty()) values = volume.voxels();
  if (values.empty()) return 0.0;
  const std::size_t k = std::min(values.size() - 1, std::size_t(p / 100.0 * double(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + long(k), values.end());
  return values[k];
}

VolumeScene::VolumeScene() {
  volume_ = vtkSmartPointer<vtkVolume>::New();
  mapper_ = vtkSmartPointer<vtkSmartVolumeMapper>::New();
  mapper_->SetRequestedRenderModeToGPU();
  mapper_->SetAutoAdjustSampleDistances(true);
  volume_->SetMapper(mapper_);
  auto property = vtkSmartPointer<vtkVolumeProperty>::New();
  property->ShadeOn();
  property->SetInterpolationTypeToLinear();
  property->SetAmbient(0.3);
  property->SetDiffuse(0.7);
  property->SetSpecular(0.2);
  volume_->SetProperty(property);
}

VolumeScene::~VolumeScene() {
  if (marker_) marker_->SetEnabled(0);
}

void VolumeScene::attach(vtkRenderer* renderer, vtkRenderWindowInteractor* interactor) {
  renderer_ = renderer;
  renderer_->SetBackground(0.08, 0.09, 0.11);
  renderer_->SetBackground2(0.20, 0.22, 0.27);
  renderer_->GradientBackgroundOn();
  auto axes = vtkSmartPointer<vtkAxesActor>::New();
  // World is LPS: +x points to the patient's Left, +y Posterior, +z Superior.
  axes->SetXAxisLabelText("L");
  axes->SetYAxisLabelText("P");
  axes->SetZAxisLabelText("S");
  for (vtkCaptionActor2D* c : {axes->GetXAxisCaptionActor2D(), axes->GetYAxisCaptionActor2D(), axes->GetZAxisCaptionActor2D()})
    c->GetCaptionTextProperty()->SetFontSize(14);
  marker_ = vtkSmartPointer<vtkOrientationMarkerWidget>::New();
  marker_->SetOrientationMarker(axes);
  marker_->SetInteractor(interactor);
  marker_->SetViewport(0.0, 0.0, 0.2, 0.2);
  marker_->SetEnabled(1);
  marker_->InteractiveOff();
}

void VolumeScene::setVolume(const Volume& volume, TransferPreset preset) {
  mapper_->SetInputData(toVtkImage(volume));
  auto colour = vtkSmartPointer<vtkColorTransferFunction>::New();
  auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
  switch (preset) {
    case TransferPreset::MR: {
      const double lo = percentile(volume, 5.0, 0.0f), hi = percentile(volume, 99.5, 0.0f);
      const double span = std::max(hi - lo, 1e-6);
      colour->AddRGBPoint(lo, 0.10, 0.05, 0.03);
      colour->AddRGBPoint(lo + 0.4 * span, 0.75, 0.55, 0.45);
      colour->AddRGBPoint(hi, 1.0, 0.97, 0.90);
      opacity->AddPoint(lo, 0.0);
      opacity->AddPoint(lo + 0.3 * span, 0.02);
      opacity->AddPoint(lo + 0.7 * span, 0.15);
      opacity->AddPoint(hi, 0.6);
      break;
    }
    case TransferPreset::CtSoftTissue:
      colour->AddRGBPoint(-160, 0.0, 0.0, 0.0);
      colour->AddRGBPoint(40, 0.8, 0.45, 0.35);
      colour->AddRGBPoint(240, 1.0, 0.9, 0.8);
      opacity->AddPoint(-160, 0.0);
      opacity->AddPoint(20, 0.05);
      opacity->AddPoint(240, 0.3);
      break;
    case TransferPreset::CtBone:
      colour->AddRGBPoint(150, 0.9, 0.8, 0.6);
      colour->AddRGBPoint(1500, 1.0, 1.0, 0.95);
      opacity->AddPoint(150, 0.0);
      opacity->AddPoint(300, 0.3);
      opacity->AddPoint(1500, 0.9);
      break;
  }
  volume_->GetProperty()->SetColor(colour);
  volume_->GetProperty()->SetScalarOpacity(opacity);
  if (renderer_ && !hasVolume_) renderer_->AddVolume(volume_);
  hasVolume_ = true;
  resetCamera();
}

void VolumeScene::resetCamera() {
  if (!renderer_) return;
  vtkCamera* camera = renderer_->GetActiveCamera();
  // Anterior view, head up: look from anterior (-P) towards posterior, S up.
  camera->SetFocalPoint(0, 0, 0);
  camera->SetPosition(0, -1, 0);
  camera->SetViewUp(0, 0, 1);
  renderer_->ResetCamera();
  renderer_->ResetCameraClippingRange();
}

}  // namespace voxplain::render
