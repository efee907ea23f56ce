#include "StudyInputs.h"

#include <filesystem>
#include <iostream>

#include "io/ImageReader.h"

namespace voxplain::cli {

std::string stemOf(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (name.empty()) name = std::filesystem::path(path).parent_path().filename().string();
  for (const char* ext : {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".dcm"}) {
    const std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return name.substr(0, name.size() - e.size());
  }
  return name;
}

Study readStudy(const std::vector<std::string>& paths, const std::vector<std::string>& names, const TaskControl& control) {
  Study study;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    LoadedImage image = readImage(paths[i], {}, {}, control);
    const std::string name = i < names.size() ? names[i] : stemOf(paths[i]);
    for (const std::string& note : image.notes) std::cerr << "note: " << paths[i] << ": " << note << "\n";
    if (image.volumes.size() > 1) std::cerr << "note: " << paths[i] << ": 4D image, the first volume is used\n";
    const Modality& m = study.addModality(name, paths[i], std::move(image.volumes.front()), control);
    if (!m.resampledBecause.empty())
      std::cerr << "note: " << paths[i] << ": resampled onto the grid of " << paths.front() << " (" << m.resampledBecause << ")\n";
  }
  return study;
}

}  // namespace voxplain::cli
