#pragma once
// Our own NIfTI-1 / NIfTI-2 header parser, used (1) to validate any .nii/.nii.gz/.hdr before
// a reader allocates anything, and (2) to read and write NIfTI-2, which ITK 5.2's NiftiImageIO
// does not support (its bundled niftilib is NIfTI-1 only; see shared/data/bad/nifti2.hdr).
// Layouts: nifti1.h and nifti2.h of the NIfTI DFWG (348- and 540-byte headers).

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

#include "io/LoadedImage.h"
#include "io/ReadLimits.h"

namespace voxplain {

struct NiftiHeader {
  int version = 1;                  ///< 1 or 2
  bool byteSwapped = false;         ///< file endianness differs from this machine's
  bool singleFile = true;           ///< .nii (true) or .hdr/.img pair (false)
  std::filesystem::path imageFile;  ///< where voxels live (.nii itself, or the .img partner)
  std::array<std::int64_t, 8> dim{};
  std::array<double, 8> pixdim{};
  int datatype = 0;  ///< NIFTI_TYPE_* code
  int bitpix = 0;
  std::int64_t voxOffset = 0;  ///< bytes
  double sclSlope = 0.0, sclInter = 0.0;
  int qformCode = 0, sformCode = 0;
  std::array<double, 3> quatern{};  ///< b, c, d
  std::array<double, 3> qoffset{};
  std::array<std::array<double, 4>, 3> srow{};
  std::string descrip;

  std::uint64_t voxelCount() const;  ///< product of dim[1..dim[0]]
  int bytesPerVoxel() const;         ///< from datatype; 0 when unsupported
  std::string dataTypeName() const;  ///< "int16", "float32", ...; "unknown(N)" otherwise
  /// LPS geometry of the first three axes (sform if sform_code > 0, else qform, else pixdim).
  Geometry geometry() const;
};

/// Reads and validates the header of `path` (.nii, .nii.gz, .hdr, .hdr.gz): magic, dimensions,
/// data type, voxel count against `limits`, presence of the .img partner, and for uncompressed
/// files that the voxel data fits in the file. Throws InputError naming the file and the reason.
NiftiHeader inspectNifti(const std::filesystem::path& path, const ReadLimits& limits = {});

/// Reads a NIfTI-2 image (the header from inspectNifti) with scl_slope/inter applied.
/// Throws InputError on short data.
LoadedImage readNifti2(const std::filesystem::path& path, const NiftiHeader& header);

/// Writes `volumes` (same geometry) as a NIfTI-2 float32 file (gzip when the name ends in .gz);
/// sform_code 1 (scanner), qform_code 0. Writes straight to `path`; callers make it atomic.
void writeNifti2(const std::vector<Volume>& volumes, const std::filesystem::path& path);

}  // namespace voxplain
