// libFuzzer harness for the DICOM scanner + series loader: any input must load or raise InputError.
#include <cstdint>

#include "FuzzInputFile.h"
#include "io/ImageReader.h"
#include "task/InputError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static voxplain::fuzz::FuzzInputFile file(".dcm");
  file.write(data, size);
  voxplain::ReadLimits limits;
  limits.maxVoxels = 1u << 24;
  try {
    voxplain::readAllImages(file.path(), nullptr, limits);
  } catch (const voxplain::InputError&) {
  }
  return 0;
}
