#pragma once
// NIfTI reading and writing. NIfTI-1 goes through ITK's NiftiImageIO (which converts RAS <->
// LPS and qform/sform exactly as ITK-SNAP and 3D Slicer do); NIfTI-2 through our own codec
// (ITK 5.2 has none). Every file is validated by inspectNifti() before anything is allocated.

#include <filesystem>
#include <vector>

#include "io/AtomicFile.h"
#include "io/LoadedImage.h"
#include "io/ReadLimits.h"

namespace voxplain {

/// True for names ending in .nii, .nii.gz, .hdr, .hdr.gz (case-insensitive).
bool looksLikeNifti(const std::filesystem::path& path);

/// Reads a 3D or 4D NIfTI file as float32 volumes (scl_slope/scl_inter applied); a 4D file gives
/// one volume per index of the 4th axis. Throws InputError naming the file and the reason.
LoadedImage readNifti(const std::filesystem::path& path, const ReadLimits& limits = {});

/// Writes one volume (3D) or several on one grid (4D) as float32 NIfTI-1, or NIfTI-2 when a
/// dimension exceeds NIfTI-1's 32767. Gzip when the name ends in .gz. Atomic (temp + rename).
/// Throws InputError (bad path, exists and Refuse) or std::invalid_argument (mismatched grids).
void writeNifti(const std::vector<Volume>& volumes, const std::filesystem::path& path,
                Overwrite overwrite = Overwrite::Refuse);
void writeNifti(const Volume& volume, const std::filesystem::path& path, Overwrite overwrite = Overwrite::Refuse);
/// Label maps are written as uint16 NIfTI-1.
void writeNifti(const LabelVolume& labels, const std::filesystem::path& path, Overwrite overwrite = Overwrite::Refuse);

/// Reads a label map (nearest integer of each voxel, clamped to 0..65535).
LabelVolume readLabelNifti(const std::filesystem::path& path, const ReadLimits& limits = {});

}  // namespace voxplain
