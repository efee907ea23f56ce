#include "runtime/JsonFile.h"

#include <unistd.h>

#include <fstream>

#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

nlohmann::json readJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), "cannot open the file");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path.string(), std::string("not valid JSON (") + e.what() + ")");
  }
}

bool replaceJsonFile(const fs::path& path, const nlohmann::json& value) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path temp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp);
    if (!out) return false;
    out << value.dump(1) << "\n";
    if (!out.flush()) {
      fs::remove(temp, ec);
      return false;
    }
  }
  fs::rename(temp, path, ec);
  if (!ec) return true;
  fs::remove(temp, ec);
  return false;
}

}  // namespace voxplain
