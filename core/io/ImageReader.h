#pragma once
// One entry point for "open this path": a NIfTI file, a DICOM file, or a folder of DICOM.

#include <filesystem>
#include <string>
#include <vector>

#include "io/LoadedImage.h"
#include "io/ReadLimits.h"
#include "task/InputError.h"
#include "task/TaskControl.h"

namespace voxplain {

/// A path holds several series and none was chosen: the caller asks the user to pick one (the CLI
/// names its --series flag, the app can list them).
class SeriesChoiceNeeded : public InputError {
 public:
  SeriesChoiceNeeded(const std::string& path, std::vector<std::string> uids, const std::string& reason)
      : InputError(path, reason), uids_(std::move(uids)) {}
  /// SeriesInstanceUIDs (or "UID#n" parts) found, in reading order.
  const std::vector<std::string>& uids() const { return uids_; }

 private:
  std::vector<std::string> uids_;
};

/// Every image found at `path`: one for a NIfTI file; one per series (or split part) for DICOM.
/// Series that are not images (SR, RT Plan, PDF) are skipped with `skipped` receiving
/// "uid: reason" lines. Throws InputError when nothing loadable is found (with the reason).
std::vector<LoadedImage> readAllImages(const std::filesystem::path& path, std::vector<std::string>* skipped = nullptr,
                                       const ReadLimits& limits = {}, const TaskControl& control = {});

/// Exactly one image: `series` selects a DICOM series by SeriesInstanceUID (or "UID#n" for a split
/// part); when empty the path must hold exactly one image. Throws SeriesChoiceNeeded when it holds
/// several, InputError for anything else.
LoadedImage readImage(const std::filesystem::path& path, const std::string& series = {}, const ReadLimits& limits = {},
                      const TaskControl& control = {});

}  // namespace voxplain
