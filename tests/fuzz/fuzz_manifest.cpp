// libFuzzer harness for the model descriptions users hand us: any JSON must become a manifest or
// raise InputError through each reader (Voxplain manifest, MONAI bundle metadata.json, MONAI
// inference.json). Anything else (a crash, a sanitizer report, a JSON type exception) is a finding.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "model/ModelManifest.h"
#include "model/MonaiBundle.h"
#include "task/InputError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;  // not JSON: the file readers say so before any parser runs
  try {
    voxplain::parseManifest(json, "/nonexistent", "fuzz.json");
  } catch (const voxplain::InputError&) {
  }
  try {
    voxplain::ModelManifest m = voxplain::manifestFromMonaiMetadata(json, "/nonexistent/model.ts", "metadata.json");
    voxplain::applyMonaiInferenceConfig(m, json, "inference.json");
  } catch (const voxplain::InputError&) {
  }
  try {
    voxplain::ModelManifest m = voxplain::defaultManifest("/nonexistent/model.ts", {"FLAIR", "T1"});
    voxplain::applyMonaiInferenceConfig(m, json, "inference.json");
  } catch (const voxplain::InputError&) {
  }
  return 0;
}
