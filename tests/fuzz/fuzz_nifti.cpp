// libFuzzer harness for the NIfTI reader: any input must load or raise InputError.
// Anything else (a crash, a sanitizer report, another exception, a huge allocation) is a finding.
#include <cstdint>
#include <cstdlib>

#include "FuzzInputFile.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static voxplain::fuzz::FuzzInputFile file(".nii");
  file.write(data, size);
  voxplain::ReadLimits limits;
  limits.maxVoxels = 1u << 24;  // keep each input cheap; the check is what is fuzzed
  try {
    voxplain::readNifti(file.path(), limits);
  } catch (const voxplain::InputError&) {
  }
  return 0;
}
