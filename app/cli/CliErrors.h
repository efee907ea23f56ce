#pragma once
// How the CLI names what was wrong: core's InputError names a field of the request ("target"), the
// CLI names the flag that set it ("--target"), so a message points at what to change on the line.

#include <string>

#include "task/InputError.h"

namespace voxplain::cli {

/// The flag that sets `field`: "--model", "--method", "--param", "--target", "--device",
/// "--precision", "--baseline", "--layers", "--size", "--shard".
const char* flagOf(InputField field);

/// "--param steps: must be 1..4096" for a field error; what() for a file error (a folder of several
/// series also says how to pick one: convert --series).
std::string cliMessage(const InputError& error);

}  // namespace voxplain::cli
