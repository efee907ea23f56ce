#include "SceneMeshes.h"

#include <vtkDiscreteFlyingEdges3D.h>
#include <vtkFlyingEdges3D.h>
#include <vtkIdTypeArray.h>
#include <vtkImageData.h>
#include <vtkLookupTable.h>
#include <vtkPolyData.h>
#include <vtkPolyDataConnectivityFilter.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include <algorithm>

#include "ImageDataBridge.h"
#include "volume/Reorient.h"

namespace voxplain::render {

LabelMesh buildLabelMesh(const LabelVolume& labels, const std::vector<LabelColor>& colors) {
  LabelMesh out;
  for (const LabelColor& c : colors) out.maxValue = std::max(out.maxValue, c.value);
  auto surfaces = vtkSmartPointer<vtkDiscreteFlyingEdges3D>::New();
  surfaces->SetInputData(toVtkImage(orientToLps(labels)));
  surfaces->GenerateValues(out.maxValue, 1, out.maxValue);
  auto smooth = vtkSmartPointer<vtkWindowedSincPolyDataFilter>::New();
  smooth->SetInputConnection(surfaces->GetOutputPort());
  smooth->SetNumberOfIterations(15);
  smooth->SetPassBand(0.1);
  smooth->NormalizeCoordinatesOn();
  smooth->Update();
  out.surfaces = vtkSmartPointer<vtkPolyData>::New();
  out.surfaces->ShallowCopy(smooth->GetOutput());
  return out;
}

namespace {
// `surface` without its specks: connected pieces of fewer than kSpeckCells triangles and under 1 %
// of the largest piece (a CAM's checkerboard of transposed convolutions in the air around the
// head crosses the shell's level in a regular grid of dots; a real structure is larger).
constexpr vtkIdType kSpeckCells = 200;
vtkSmartPointer<vtkPolyData> withoutSpecks(vtkSmartPointer<vtkPolyData> surface) {
  auto pieces = vtkSmartPointer<vtkPolyDataConnectivityFilter>::New();
  pieces->SetInputData(surface);
  pieces->SetExtractionModeToAllRegions();
  pieces->Update();
  vtkIdTypeArray* sizes = pieces->GetRegionSizes();
  vtkIdType largest = 0;
  for (vtkIdType r = 0; r < sizes->GetNumberOfTuples(); ++r) largest = std::max(largest, sizes->GetValue(r));
  const vtkIdType minimum = std::min(kSpeckCells, largest / 100 + 1);
  bool specks = false;
  for (vtkIdType r = 0; r < sizes->GetNumberOfTuples() && !specks; ++r) specks = sizes->GetValue(r) < minimum;
  if (!specks) return surface;  // nothing to leave out: no second pass
  pieces->SetExtractionModeToSpecifiedRegions();
  pieces->InitializeSpecifiedRegionList();
  for (vtkIdType r = 0; r < sizes->GetNumberOfTuples(); ++r)
    if (sizes->GetValue(r) >= minimum) pieces->AddSpecifiedRegion(int(r));
  pieces->Update();
  auto kept = vtkSmartPointer<vtkPolyData>::New();
  kept->ShallowCopy(pieces->GetOutput());
  return kept;
}
}  // namespace

std::vector<HeatmapShell> buildHeatmapShells(const Volume& map, const HeatmapStyle& style) {
  const vtkSmartPointer<vtkImageData> image = toVtkImage(orientToLps(map));
  const vtkSmartPointer<vtkLookupTable> lut = heatmapLookupTable(style);
  const double outer = std::max(style.threshold, 0.3) * style.range, inner = std::max(outer, 0.7 * style.range);
  std::vector<HeatmapShell> shells;
  for (const double sign : style.signedMap ? std::vector<double>{1.0, -1.0} : std::vector<double>{1.0})
    for (const auto& [level, opacity] : {std::pair{outer, 0.35}, std::pair{inner, 0.75}}) {
      HeatmapShell shell;
      lut->GetColor(style.signedMap ? sign * style.range : level, shell.rgb.data());
      shell.opacity = opacity;
      auto iso = vtkSmartPointer<vtkFlyingEdges3D>::New();
      iso->SetInputData(image);
      iso->SetValue(0, sign * level);
      iso->ComputeScalarsOff();
      iso->Update();
      shell.mesh = vtkSmartPointer<vtkPolyData>::New();
      shell.mesh->ShallowCopy(withoutSpecks(iso->GetOutput()));
      shells.push_back(std::move(shell));
    }
  return shells;
}

}  // namespace voxplain::render
