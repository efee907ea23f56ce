#pragma once
// Writing outputs atomically: write to a temporary name in the same folder, then rename.
// A crash or a full disk never leaves a half-written file under the user's chosen name.

#include <filesystem>
#include <functional>

namespace voxplain {

enum class Overwrite { Refuse, Allow };

/// Calls write(tempPath) and renames tempPath to `target`. The temporary name keeps the target's
/// extension(s) so that extension-driven writers (ITK) pick the right format.
/// Throws InputError when `target` exists and overwrite == Refuse, or when the rename fails;
/// rethrows what `write` throws, after removing the temporary file.
void writeAtomically(const std::filesystem::path& target, Overwrite overwrite,
                     const std::function<void(const std::filesystem::path&)>& write);

}  // namespace voxplain
