#include "ImageDataBridge.h"

#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkUnsignedShortArray.h>

#include <algorithm>

namespace voxplain::render {
namespace {
template <class ArrayT, class T>
vtkSmartPointer<vtkImageData> convert(const Image<T>& image, int vtkType) {
  const Geometry& g = image.geometry();
  auto data = vtkSmartPointer<vtkImageData>::New();
  data->SetDimensions(int(g.size[0]), int(g.size[1]), int(g.size[2]));
  data->SetSpacing(g.spacing[0], g.spacing[1], g.spacing[2]);
  data->SetOrigin(g.origin[0], g.origin[1], g.origin[2]);
  data->SetDirectionMatrix(g.direction.data());
  data->AllocateScalars(vtkType, 1);
  auto* dst = static_cast<T*>(data->GetScalarPointer());
  std::copy(image.voxels().begin(), image.voxels().end(), dst);
  return data;
}
}  // namespace

vtkSmartPointer<vtkImageData> toVtkImage(const Volume& volume) {
  return convert<vtkFloatArray>(volume, VTK_FLOAT);
}
vtkSmartPointer<vtkImageData> toVtkImage(const LabelVolume& labels) {
  return convert<vtkUnsignedShortArray>(labels, VTK_UNSIGNED_SHORT);
}

}  // namespace voxplain::render
