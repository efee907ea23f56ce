// libFuzzer harness for the session reader (.voxplain): any JSON must read as a session or raise
// InputError (io/SessionFile.h, sessionFromJson: every field checked). Anything else (a crash, a
// sanitizer report, another exception, a JSON type exception) is a finding. The input is parsed in
// memory as readSession() parses the file (no file per input: ten times the executions).
#include <cstdint>

#include <nlohmann/json.hpp>

#include "io/SessionFile.h"
#include "task/InputError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;  // readSession: "not valid JSON"
  try {
    voxplain::sessionFromJson(json, "/fuzz/session.voxplain");
  } catch (const voxplain::InputError&) {
  }
  return 0;
}
