// libFuzzer harness for the session reader (.voxplain): any input must read or raise InputError.
// Anything else (a crash, a sanitizer report, another exception, a JSON exception) is a finding.
#include <cstdint>

#include "FuzzInputFile.h"
#include "io/SessionFile.h"
#include "task/InputError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static voxplain::fuzz::FuzzInputFile file(".voxplain");
  file.write(data, size);
  try {
    voxplain::readSession(file.path());
  } catch (const voxplain::InputError&) {
  }
  return 0;
}
