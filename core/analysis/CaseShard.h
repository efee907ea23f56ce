#pragma once
// Shards of a list of cases: shard I of N takes every N-th case starting at the I-th (1-based), so
// N processes (GNU parallel, Slurm job arrays) cover every case once.

#include <cstddef>
#include <string>
#include <vector>

namespace voxplain {

struct CaseShard {
  int index = 1;  ///< I, 1-based
  int count = 1;  ///< N
};

/// "I/N" with 1 <= I <= N. Throws InputError (field Shard) otherwise.
CaseShard parseCaseShard(const std::string& text);

/// The 0-based indices among `total` cases that `shard` takes. Throws InputError (field Shard) on
/// a shard outside 1 <= I <= N.
std::vector<std::size_t> shardIndices(std::size_t total, const CaseShard& shard);

}  // namespace voxplain
