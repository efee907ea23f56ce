#include "io/PngFile.h"

#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkPNGImageIO.h>
#include <itkRGBPixel.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "task/InputError.h"

namespace voxplain {

void writePng(const std::filesystem::path& path, const RgbRaster& picture, Overwrite overwrite) {
  if (picture.width <= 0 || picture.height <= 0 ||
      picture.rgb.size() != 3 * std::size_t(picture.width) * std::size_t(picture.height))
    throw std::invalid_argument("writePng: " + std::to_string(picture.rgb.size()) + " bytes for a " +
                                std::to_string(picture.width) + "x" + std::to_string(picture.height) + " picture");
  using Picture = itk::Image<itk::RGBPixel<unsigned char>, 2>;
  auto image = Picture::New();
  Picture::RegionType region;
  region.SetSize({{itk::SizeValueType(picture.width), itk::SizeValueType(picture.height)}});
  image->SetRegions(region);
  image->Allocate();
  // Index (x, y) with y = 0 the first row written: the top of the picture.
  std::copy(picture.rgb.begin(), picture.rgb.end(), reinterpret_cast<unsigned char*>(image->GetBufferPointer()));
  writeAtomically(path, overwrite, [&](const std::filesystem::path& temporary) {
    auto writer = itk::ImageFileWriter<Picture>::New();
    writer->SetImageIO(itk::PNGImageIO::New());
    writer->SetFileName(temporary.string());
    writer->SetInput(image);
    try {
      writer->Update();
    } catch (const itk::ExceptionObject& e) {
      throw InputError(path.string(), std::string("cannot be written (") + e.GetDescription() + ")");
    }
  });
}

}  // namespace voxplain
