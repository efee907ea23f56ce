#pragma once
// The readers take file names (ITK, DCMTK): each fuzz input is written to one private temp file.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace voxplain::fuzz {

class FuzzInputFile {
 public:
  explicit FuzzInputFile(const std::string& extension)
      : path_(std::filesystem::temp_directory_path() / ("voxplain-fuzz-" + std::to_string(::getpid()) + extension)) {}
  ~FuzzInputFile() { std::remove(path_.c_str()); }
  void write(const std::uint8_t* data, std::size_t size) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace voxplain::fuzz
