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

#include <vtkLookupTable.h>
#include <vtkPlane.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>

#include "ImageDataBridge.h"
#include "volume/Percentile.h"
#include "volume/Reorient.h"

namespace voxplain::render {

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
  clipPlane_ = vtkSmartPointer<vtkPlane>::New();
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
  for (vtkCaptionActor2D* c :
       {axes->GetXAxisCaptionActor2D(), axes->GetYAxisCaptionActor2D(), axes->GetZAxisCaptionActor2D()})
    c->GetCaptionTextProperty()->SetFontSize(14);
  marker_ = vtkSmartPointer<vtkOrientationMarkerWidget>::New();
  marker_->SetOrientationMarker(axes);
  marker_->SetInteractor(interactor);
  marker_->SetViewport(0.0, 0.0, 0.2, 0.2);
  marker_->SetEnabled(1);
  marker_->InteractiveOff();
}

std::array<double, 2> mrTransferWindow(const Volume& volume) {
  const std::vector<double> range = percentilesAbove(volume, {5.0, 99.5}, 0.0f);  // one copy, two ranks
  return {range[0], range[1]};
}

void VolumeScene::setVolume(const Volume& volume, TransferPreset preset) {
  setVolume(orientToLps(volume), preset, mrTransferWindow(volume));
}

void VolumeScene::setVolume(const Volume& lpsVolume, TransferPreset preset, const std::array<double, 2>& mrWindow) {
  mapper_->SetInputData(toVtkImage(lpsVolume));
  auto colour = vtkSmartPointer<vtkColorTransferFunction>::New();
  auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
  switch (preset) {
    case TransferPreset::MR: {
      const double lo = mrWindow[0], hi = mrWindow[1];
      const double span = std::max(hi - lo, 1e-6);
      windowLow_ = lo;
      windowHigh_ = hi;
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
      windowLow_ = -160;
      windowHigh_ = 240;
      colour->AddRGBPoint(-160, 0.0, 0.0, 0.0);
      colour->AddRGBPoint(40, 0.8, 0.45, 0.35);
      colour->AddRGBPoint(240, 1.0, 0.9, 0.8);
      opacity->AddPoint(-160, 0.0);
      opacity->AddPoint(20, 0.05);
      opacity->AddPoint(240, 0.3);
      break;
    case TransferPreset::CtBone:
      windowLow_ = 150;
      windowHigh_ = 1500;
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

void VolumeScene::setOpacityRamp(double low, double high, double maxOpacity) {
  auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
  const double span = windowHigh_ - windowLow_;
  const double a = windowLow_ + std::clamp(low, 0.0, 1.0) * span;
  const double b = std::max(a + 1e-6 * span, windowLow_ + std::clamp(high, 0.0, 1.0) * span);
  opacity->AddPoint(a, 0.0);
  opacity->AddPoint(b, std::clamp(maxOpacity, 0.0, 1.0));
  volume_->GetProperty()->SetScalarOpacity(opacity);
}

void VolumeScene::setLabels(const LabelVolume& labels, const std::vector<LabelColor>& colors) {
  setLabelMesh(buildLabelMesh(labels, colors), colors);
}

void VolumeScene::setLabelMesh(const LabelMesh& mesh, const std::vector<LabelColor>& colors) {
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(mesh.surfaces);
  mapper->SetLookupTable(labelLookupTable(colors, 1.0, true));
  mapper->SetScalarRange(0, mesh.maxValue);
  mapper->SetScalarModeToUsePointData();
  if (clipping_) mapper->AddClippingPlane(clipPlane_);
  if (labelSurfaces_ && renderer_) renderer_->RemoveActor(labelSurfaces_);
  labelSurfaces_ = vtkSmartPointer<vtkActor>::New();
  labelSurfaces_->SetMapper(mapper);
  if (renderer_) renderer_->AddActor(labelSurfaces_);
}

void VolumeScene::setHeatmap(const Volume& map, const HeatmapStyle& style) {
  setHeatmapShells(buildHeatmapShells(map, style));
}

void VolumeScene::setHeatmapShells(const std::vector<HeatmapShell>& shells) {
  for (auto& actor : heatmapSurfaces_)
    if (renderer_) renderer_->RemoveActor(actor);
  heatmapSurfaces_.clear();
  for (const HeatmapShell& shell : shells) {
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(shell.mesh);
    mapper->ScalarVisibilityOff();
    if (clipping_) mapper->AddClippingPlane(clipPlane_);
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(shell.rgb[0], shell.rgb[1], shell.rgb[2]);
    actor->GetProperty()->SetOpacity(shell.opacity);
    heatmapSurfaces_.push_back(actor);
    if (renderer_) renderer_->AddActor(actor);
  }
}

void VolumeScene::setClipping(bool enabled, const std::array<double, 3>& lps) {
  clipPlane_->SetOrigin(lps[0], lps[1], lps[2]);
  clipPlane_->SetNormal(0, 0, -1);  // keeps what lies below (inferior to) the plane
  if (enabled == clipping_) return;
  clipping_ = enabled;
  std::vector<vtkAbstractMapper*> mappers{mapper_};
  if (labelSurfaces_) mappers.push_back(labelSurfaces_->GetMapper());
  for (auto& a : heatmapSurfaces_) mappers.push_back(a->GetMapper());
  for (vtkAbstractMapper* m : mappers) {
    if (enabled)
      m->AddClippingPlane(clipPlane_);
    else
      m->RemoveClippingPlane(clipPlane_);
  }
}

int VolumeScene::overlayActorCount() const {
  return int(heatmapSurfaces_.size()) + (labelSurfaces_ != nullptr ? 1 : 0);
}

void VolumeScene::clearOverlays() {
  setHeatmapShells({});
  if (labelSurfaces_ && renderer_) renderer_->RemoveActor(labelSurfaces_);
  labelSurfaces_ = nullptr;
}

void VolumeScene::resetCamera() {
  if (!renderer_) return;
  vtkCamera* camera = renderer_->GetActiveCamera();
  // Anterior view, head up: look from anterior (-P) towards posterior, S up.
  camera->SetFocalPoint(0, 0, 0);
  camera->SetPosition(0, -1, 0);
  camera->SetViewUp(0, 0, 1);
  renderer_->ResetCamera();
  camera->Zoom(1.3);  // ResetCamera fits the bounding sphere; the box itself may fill more
  renderer_->ResetCameraClippingRange();
}

}  // namespace voxplain::render
