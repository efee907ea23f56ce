#include "io/ImageReader.h"

#include <optional>

#include "io/DicomCatalog.h"
#include "io/DicomSeriesLoader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

namespace {
/// "<what> (uid1, uid2, ...)" naming every image's UID, which the error also carries.
SeriesChoiceNeeded choiceAmong(const fs::path& path, const std::vector<LoadedImage>& images, const std::string& what) {
  std::string known;
  std::vector<std::string> uids;
  for (const LoadedImage& image : images) {
    known += (known.empty() ? "" : ", ") + image.uid;
    uids.push_back(image.uid);
  }
  return SeriesChoiceNeeded(path.string(), std::move(uids), what + " (" + known + ")");
}
}  // namespace

std::vector<LoadedImage> readAllImages(const fs::path& path, std::vector<std::string>* skipped,
                                       const ReadLimits& limits, const TaskControl& control) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path.string(), "no such file or folder");
  if (!fs::is_directory(path, ec) && looksLikeNifti(path)) return {readNifti(path, limits)};

  const DicomCatalog catalog = scanDicom(path, control);
  std::vector<LoadedImage> images;
  std::string firstError;
  std::optional<InputError> onlyError;
  for (const DicomSeries& series : catalog.series) {
    try {
      std::vector<LoadedImage> parts = loadDicomSeries(series, limits, control);
      for (auto& p : parts) {
        if (fs::is_directory(path, ec)) p.source = path.string();
        images.push_back(std::move(p));
      }
    } catch (const InputError& e) {
      if (firstError.empty()) {
        firstError = e.what();
        onlyError = e;
      }
      if (skipped) skipped->push_back(series.seriesUid + ": " + e.what());
    }
  }
  if (skipped)
    for (const UnreadableFile& u : catalog.unreadable) skipped->push_back(u.describe());
  if (images.empty()) {
    // A single series' own error names the file and the reason: pass it on unchanged.
    if (catalog.series.size() == 1 && onlyError) throw *onlyError;
    throw InputError(path.string(), firstError.empty() ? "no loadable image"
                                                       : "no loadable image series (first error: " + firstError + ")");
  }
  return images;
}

LoadedImage readImage(const fs::path& path, const std::string& series, const ReadLimits& limits,
                      const TaskControl& control) {
  std::error_code ec;
  if (!series.empty()) {
    if (!fs::exists(path, ec)) throw InputError(path.string(), "no such file or folder");
    // Only the chosen series is loaded (a folder may hold hundreds): "UID" or "UID#n" (a split part).
    const DicomCatalog catalog = scanDicom(path, control);
    const std::string uid = series.substr(0, series.find('#'));
    std::string known;
    for (const DicomSeries& s : catalog.series) {
      known += (known.empty() ? "" : ", ") + s.seriesUid;
      if (s.seriesUid != uid) continue;
      std::vector<LoadedImage> parts = loadDicomSeries(s, limits, control);
      for (LoadedImage& image : parts)
        if (image.uid == series || (series == uid && parts.size() == 1)) {
          if (fs::is_directory(path, ec)) image.source = path.string();
          return std::move(image);
        }
      throw choiceAmong(path, parts,
                        "series " + uid + " splits into " + std::to_string(parts.size()) + " volumes; choose one");
    }
    throw InputError(path.string(), "no series with UID " + series + " (found: " + known + ")");
  }
  std::vector<LoadedImage> images = readAllImages(path, nullptr, limits, control);
  if (images.size() > 1)
    throw choiceAmong(path, images,
                      std::to_string(images.size()) + " series found; choose one by its series instance UID");
  return std::move(images.front());
}

}  // namespace voxplain
