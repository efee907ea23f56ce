#pragma once
// PNG pictures (report slice figures) through ITK's PNGImageIO (libpng).

#include <filesystem>

#include "figure/RgbRaster.h"
#include "io/AtomicFile.h"

namespace voxplain {

/// Writes `picture` as an 8-bit RGB PNG at `path`, atomically (io/AtomicFile.h). Throws InputError
/// naming `path` when it cannot be written or exists and overwrite == Refuse, std::invalid_argument
/// when the picture is empty or its pixel count differs from width x height.
void writePng(const std::filesystem::path& path, const RgbRaster& picture, Overwrite overwrite);

}  // namespace voxplain
