#pragma once
// Writing outputs atomically: write to a temporary name in the same folder, then rename.
// A crash or a full disk never leaves a half-written file under the user's chosen name.

#include <filesystem>
#include <functional>
#include <string>

namespace voxplain {

enum class Overwrite { Refuse, Allow };

/// Calls write(tempPath) and renames tempPath to `target`. The temporary name keeps the target's
/// extension(s) so that extension-driven writers (ITK) pick the right format.
/// Throws InputError when `target` exists and overwrite == Refuse, or when the rename fails;
/// rethrows what `write` throws, after removing the temporary file.
void writeAtomically(const std::filesystem::path& target, Overwrite overwrite,
                     const std::function<void(const std::filesystem::path&)>& write);

/// Writes `text` to `target` through writeAtomically (bytes as given). Throws InputError naming
/// `target` when it cannot be written, or exists and overwrite == Refuse.
void writeTextAtomically(const std::filesystem::path& target, const std::string& text, Overwrite overwrite);

}  // namespace voxplain
