#include "io/AtomicFile.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

void writeAtomically(const fs::path& target, Overwrite overwrite, const std::function<void(const fs::path&)>& write) {
  std::error_code ec;
  if (overwrite == Overwrite::Refuse && fs::exists(target, ec))
    throw InputError(target.string(), "already exists (not overwritten)");
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) throw InputError(target.string(), "the output folder does not exist");
  const std::string name = target.filename().string();
  const auto dot = name.find('.');
  const std::string stem = name.substr(0, dot);
  const std::string ext = dot == std::string::npos ? std::string() : name.substr(dot);
  const fs::path temp = dir / ("." + stem + ".partial-" + std::to_string(::getpid()) + ext);
  try {
    write(temp);
  } catch (...) {
    fs::remove(temp, ec);
    throw;
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw InputError(target.string(), "cannot move the finished file into place (" + ec.message() + ")");
  }
}

void writeTextAtomically(const fs::path& target, const std::string& text, Overwrite overwrite) {
  writeAtomically(target, overwrite, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary);
    if (!(out << text) || !out.flush()) throw InputError(target.string(), "cannot be written");
  });
}

}  // namespace voxplain
