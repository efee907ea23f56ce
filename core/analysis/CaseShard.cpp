#include "analysis/CaseShard.h"

#include <sstream>

#include "task/InputError.h"

namespace voxplain {

CaseShard parseCaseShard(const std::string& text) {
  CaseShard shard;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> shard.index >> slash >> shard.count) || slash != '/' || !in.eof())
    throw InputError(InputField::Shard, "", "'" + text + "' is not I/N");
  shardIndices(0, shard);  // validates the range
  return shard;
}

std::vector<std::size_t> shardIndices(std::size_t total, const CaseShard& shard) {
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    throw InputError(InputField::Shard, "",
                     std::to_string(shard.index) + "/" + std::to_string(shard.count) + " is not I/N with 1 <= I <= N");
  std::vector<std::size_t> out;
  for (std::size_t i = std::size_t(shard.index - 1); i < total; i += std::size_t(shard.count)) out.push_back(i);
  return out;
}

}  // namespace voxplain
