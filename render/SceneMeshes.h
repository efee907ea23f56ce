#pragma once
// The 3D view's surfaces, built to completion by VTK filters on any thread (the app builds them
// on its thread pool, not on the GUI thread) and handed to VolumeScene, which only wraps them in
// actors: label surfaces (one per label value, smoothed) and attribution shells.

#include <vtkSmartPointer.h>

#include <array>
#include <vector>

#include "ColorMaps.h"
#include "volume/Image.h"

class vtkPolyData;

namespace voxplain::render {

/// Smoothed surfaces of every label value 1..maxValue (point scalars = the label value).
struct LabelMesh {
  vtkSmartPointer<vtkPolyData> surfaces;
  int maxValue = 1;
};

/// One attribution shell: an iso-surface of the map with its colour and opacity.
struct HeatmapShell {
  vtkSmartPointer<vtkPolyData> mesh;
  std::array<double, 3> rgb{1, 0, 0};
  double opacity = 0.5;
};

/// `labels` in any orientation (shown LPS-aligned); `colors` gives the largest label value.
LabelMesh buildLabelMesh(const LabelVolume& labels, const std::vector<LabelColor>& colors);

/// Nested iso-surfaces at +/- max(threshold, 0.3) x range and 0.7 x range, coloured by the style's
/// colour map at those values (at the end of the range for signed maps, whose colours near 0 are too
/// pale in 3D); magnitude maps get the positive shells only. Specks are left out: pieces of a shell
/// under 200 triangles and under 1 % of its largest piece (a CAM's checkerboard in the air); the
/// slice panes show every voxel.
std::vector<HeatmapShell> buildHeatmapShells(const Volume& map, const HeatmapStyle& style);

}  // namespace voxplain::render
