#pragma once
// The anatomy of the realistic demo (synthetic/BrainLesionPhantom.h): read from a file, and the
// generated case written as NIfTI files.

#include <filesystem>

#include "synthetic/BrainLesionPhantom.h"

namespace voxplain::cli {

/// Where Debian's mricron-data installs the brain-extracted ch2 T1 the demo is built on.
inline const std::filesystem::path kDefaultBrainAnatomy = "/usr/share/mricron/templates/ch2bet.nii.gz";

/// Reads a brain-extracted T1 (one 3D volume). Throws InputError naming the file: missing (with the
/// package that provides the default), not one 3D volume, or no voxel above zero.
Volume readBrainAnatomy(const std::filesystem::path& path);

/// Writes flair.nii.gz, t1.nii.gz, labels.nii.gz, lesions.nii.gz and lesion_instances.nii.gz, each
/// name after `prefix` (e.g. "demo_"), replacing files of those names.
void writeBrainPhantom(const BrainLesionPhantom& phantom, const std::filesystem::path& dir,
                       const std::string& prefix = {});

}  // namespace voxplain::cli
