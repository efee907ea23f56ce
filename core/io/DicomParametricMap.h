#pragma once
// An attribution map as a DICOM Parametric Map (PS3.3 A.75, 32-bit float pixels) that references
// the series it was computed from, and read back. Written with DCMTK's dcmpmap.
//
// - Float Pixel Data holds the map's values unchanged; the Real World Value Mapping says what they
//   are (LUT Label / Explanation: method and modality; units "no units", UCUM "1"; quantity coded in
//   the private scheme 99VOXPLAIN: no standard code for "attribution" could be checked offline).
// - One frame per slice of the grid with Plane Position (Patient); orientation, pixel spacing,
//   frame type, anatomy, identity pixel value transformation shared; a frame whose slice lies on a
//   source image derives from it (Derivation Image).

#include <filesystem>
#include <string>

#include "io/AtomicFile.h"
#include "io/DicomExportOptions.h"
#include "io/DicomSource.h"
#include "volume/Image.h"

namespace voxplain {

/// What the map's values are.
struct ParametricMapMeaning {
  std::string method;    ///< "integrated_gradients"
  std::string modality;  ///< the input the map belongs to ("FLAIR")
  std::string target;    ///< "class=1" (for the description)
};

/// Writes `map` to `out`; returns notes for the user (source values left out because they are not
/// valid DICOM). Throws InputError naming `out` when the map is too large for one object
/// (over 65535 frames, rows or columns), holds non-finite values, or cannot be written; naming the
/// source file when it cannot be read; when `out` exists and overwrite == Refuse.
std::vector<std::string> writeDicomParametricMap(const std::filesystem::path& out, const Volume& map,
                                                 const ParametricMapMeaning& meaning, const DicomSource& source,
                                                 const DicomExportOptions& options, Overwrite overwrite);

struct DicomParametricMapRead {
  Volume map;  ///< values as stored (Float Pixel Data), on the grid of the frames
  std::string lutLabel, frameOfReferenceUid, referencedSeriesUid;
};

/// Reads a Parametric Map with Float Pixel Data. Throws InputError naming `file` when it is not a
/// Parametric Map, holds integer or double pixels, or its frames cannot be placed on one grid.
DicomParametricMapRead readDicomParametricMap(const std::filesystem::path& file);

}  // namespace voxplain
