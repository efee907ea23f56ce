#pragma once
#include <filesystem>
#include <string>

namespace voxplain {
/// Lower-case hex SHA-256 of a file (OpenSSL). Throws InputError when the file cannot be read,
/// std::runtime_error when this build has no OpenSSL.
std::string sha256OfFile(const std::filesystem::path& path);
}  // namespace voxplain
