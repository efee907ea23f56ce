#pragma once
// Reading the --input files of a command into a Study (one modality per input, in order).

#include <string>
#include <vector>

#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain::cli {

/// Modality name from a file or folder name: "FLAIR.nii.gz" -> "FLAIR".
std::string stemOf(const std::string& path);

/// Reads `paths` (NIfTI files, DICOM files or folders) into a study named `names[i]` (or the file
/// stem). The first input defines the grid; others are resampled onto it with a note on stderr.
Study readStudy(const std::vector<std::string>& paths, const std::vector<std::string>& names, const TaskControl& control);

}  // namespace voxplain::cli
