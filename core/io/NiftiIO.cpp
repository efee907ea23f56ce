#include "io/NiftiIO.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkNiftiImageIO.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "io/NiftiHeader.h"
#include "runtime/TextCase.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
namespace {

using Image4 = itk::Image<float, 4>;

// ITK exception text is multi-line with source locations; keep the description only.
std::string itkReason(const itk::ExceptionObject& e) {
  std::string d = e.GetDescription();
  std::replace(d.begin(), d.end(), '\n', ' ');
  return d.empty() ? "ITK could not read the file" : d;
}

template <class ImageT>
void setItkGeometry(ImageT* image, const Geometry& g) {
  typename ImageT::SpacingType spacing;
  typename ImageT::PointType origin;
  typename ImageT::DirectionType direction;
  direction.SetIdentity();
  spacing.Fill(1.0);
  origin.Fill(0.0);
  for (int r = 0; r < 3; ++r) {
    spacing[r] = g.spacing[r];
    origin[r] = g.origin[r];
    for (int c = 0; c < 3; ++c) direction(r, c) = g.direction[3 * r + c];
  }
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
}

template <class T, unsigned D>
typename itk::Image<T, D>::Pointer allocateItk(const Geometry& g, std::size_t fourth) {
  using ImageT = itk::Image<T, D>;
  auto image = ImageT::New();
  typename ImageT::SizeType size;
  for (unsigned d = 0; d < D; ++d) size[d] = d < 3 ? g.size[d] : fourth;
  image->SetRegions(typename ImageT::RegionType(size));
  image->Allocate();
  setItkGeometry(image.GetPointer(), g);
  return image;
}

template <class ImageT>
void writeItk(ImageT* image, const fs::path& path) {
  auto writer = itk::ImageFileWriter<ImageT>::New();
  writer->SetImageIO(itk::NiftiImageIO::New());
  writer->SetFileName(path.string());
  writer->SetInput(image);
  writer->SetUseCompression(lowerCase(path.string()).size() > 3 &&
                            lowerCase(path.string()).substr(path.string().size() - 3) == ".gz");
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& e) {
    throw InputError(path.string(), "write failed: " + itkReason(e));
  }
}

bool needsNifti2(const Geometry& g, std::size_t volumes) {
  return g.size[0] > 32767 || g.size[1] > 32767 || g.size[2] > 32767 || volumes > 32767;
}

}  // namespace

bool looksLikeNifti(const fs::path& path) {
  const std::string n = lowerCase(path.filename().string());
  for (const char* ext : {".nii", ".nii.gz", ".hdr", ".hdr.gz"}) {
    const std::string e(ext);
    if (n.size() > e.size() && n.compare(n.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

LoadedImage readNifti(const fs::path& path, const ReadLimits& limits) {
  const NiftiHeader header = inspectNifti(path, limits);
  if (header.version == 2) return readNifti2(path, header);

  const std::string name = path.string();
  Image4::Pointer image;
  try {
    auto io = itk::NiftiImageIO::New();
    auto reader = itk::ImageFileReader<Image4>::New();
    reader->SetImageIO(io);
    reader->SetFileName(name);
    reader->Update();
    image = reader->GetOutput();
  } catch (const itk::ExceptionObject& e) {
    throw InputError(name, itkReason(e));
  } catch (const std::bad_alloc&) {
    throw InputError(name, "not enough memory to read the image");
  }
  const auto size = image->GetLargestPossibleRegion().GetSize();
  Geometry g;
  for (int d = 0; d < 3; ++d) {
    g.size[d] = size[d];
    g.spacing[d] = image->GetSpacing()[d];
    g.origin[d] = image->GetOrigin()[d];
    for (int c = 0; c < 3; ++c) g.direction[3 * d + c] = image->GetDirection()(d, c);
  }
  try {
    g.validate();
  } catch (const std::invalid_argument& e) {
    throw InputError(name, std::string("bad geometry: ") + e.what());
  }
  LoadedImage out;
  out.source = name;
  out.format = "NIfTI-1";
  out.storedDataType = header.dataTypeName();
  out.description = header.descrip;
  const std::size_t perVolume = g.voxelCount();
  const float* src = image->GetBufferPointer();
  for (std::size_t t = 0; t < size[3]; ++t)
    out.volumes.emplace_back(g, std::vector<float>(src + t * perVolume, src + (t + 1) * perVolume));
  return out;
}

void writeNifti(const std::vector<Volume>& volumes, const fs::path& path, Overwrite overwrite) {
  if (volumes.empty()) throw std::invalid_argument("writeNifti: nothing to write");
  const Geometry& g = volumes.front().geometry();
  for (const Volume& v : volumes)
    if (!compareGeometry(v.geometry(), g).sameGrid())
      throw std::invalid_argument("writeNifti: the volumes of a 4D file must share one grid");
  writeAtomically(path, overwrite, [&](const fs::path& temp) {
    if (needsNifti2(g, volumes.size())) return writeNifti2(volumes, temp);
    if (volumes.size() == 1) {
      auto image = allocateItk<float, 3>(g, 1);
      std::copy(volumes[0].voxels().begin(), volumes[0].voxels().end(), image->GetBufferPointer());
      writeItk(image.GetPointer(), temp);
    } else {
      auto image = allocateItk<float, 4>(g, volumes.size());
      float* dst = image->GetBufferPointer();
      for (const Volume& v : volumes) dst = std::copy(v.voxels().begin(), v.voxels().end(), dst);
      writeItk(image.GetPointer(), temp);
    }
  });
}

void writeNifti(const Volume& volume, const fs::path& path, Overwrite overwrite) {
  writeNifti(std::vector<Volume>{volume}, path, overwrite);
}

void writeNifti(const LabelVolume& labels, const fs::path& path, Overwrite overwrite) {
  writeAtomically(path, overwrite, [&](const fs::path& temp) {
    auto image = allocateItk<std::uint16_t, 3>(labels.geometry(), 1);
    std::copy(labels.voxels().begin(), labels.voxels().end(), image->GetBufferPointer());
    writeItk(image.GetPointer(), temp);
  });
}

LabelVolume readLabelNifti(const fs::path& path, const ReadLimits& limits) {
  LoadedImage image = readNifti(path, limits);
  if (image.volumes.size() != 1)
    throw InputError(path.string(),
                     "a label map must be 3D (this file has " + std::to_string(image.volumes.size()) + " volumes)");
  const Volume& v = image.volumes.front();
  LabelVolume labels(v.geometry());
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    const double x = std::isfinite(v.data()[i]) ? std::round(double(v.data()[i])) : 0.0;
    labels.data()[i] = std::uint16_t(std::clamp(x, 0.0, 65535.0));
  }
  return labels;
}

}  // namespace voxplain
