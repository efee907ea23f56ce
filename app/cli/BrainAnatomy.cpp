#include "BrainAnatomy.h"

#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

namespace voxplain::cli {

Volume readBrainAnatomy(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    const bool isDefault = path == kDefaultBrainAnatomy;
    throw InputError(path.string(), isDefault ? "no such file: install Debian's mricron-data package "
                                                "(apt install mricron-data), or give another brain-extracted T1"
                                              : "no such file");
  }
  LoadedImage image = readImage(path);
  if (image.volumes.size() != 1)
    throw InputError(path.string(),
                     "the anatomy must be one 3D volume; this file holds " + std::to_string(image.volumes.size()));
  if (!(valueRange(image.volumes.front()).second > 0))
    throw InputError(path.string(), "no voxel above zero: not a brain-extracted T1");
  return std::move(image.volumes.front());
}

void writeBrainPhantom(const BrainLesionPhantom& p, const std::filesystem::path& dir, const std::string& prefix) {
  std::filesystem::create_directories(dir);
  writeNifti(p.flair, dir / (prefix + "flair.nii.gz"), Overwrite::Allow);
  writeNifti(p.t1, dir / (prefix + "t1.nii.gz"), Overwrite::Allow);
  writeNifti(p.labels, dir / (prefix + "labels.nii.gz"), Overwrite::Allow);
  writeNifti(p.lesions, dir / (prefix + "lesions.nii.gz"), Overwrite::Allow);
  writeNifti(p.lesionInstances, dir / (prefix + "lesion_instances.nii.gz"), Overwrite::Allow);
}

}  // namespace voxplain::cli
