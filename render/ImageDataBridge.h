#pragma once
// Conversion of core volumes to vtkImageData with the full geometry (VTK 9 image data carries a
// direction matrix, so oblique volumes are placed in LPS patient space like in ITK).

#include <vtkSmartPointer.h>

#include "volume/Image.h"

class vtkImageData;

namespace voxplain::render {

/// Copies voxels (float) and sets origin, spacing and direction. World coordinates are LPS mm.
vtkSmartPointer<vtkImageData> toVtkImage(const Volume& volume);
/// Label maps as unsigned short.
vtkSmartPointer<vtkImageData> toVtkImage(const LabelVolume& labels);

}  // namespace voxplain::render
