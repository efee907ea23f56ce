#include "analysis/ConnectedComponents.h"

#include <array>
#include <cstdlib>
#include <stdexcept>

namespace voxplain {

Components connectedComponents(const std::vector<std::uint8_t>& mask, const Size3& size, int connectivity,
                               std::size_t minVoxels) {
  const std::size_t nx = size[0], ny = size[1], nz = size[2];
  if (mask.size() != nx * ny * nz)
    throw std::invalid_argument("connectedComponents: mask size does not match the grid");
  if (connectivity != 6 && connectivity != 18 && connectivity != 26)
    throw std::invalid_argument("connectedComponents: connectivity must be 6, 18 or 26");
  std::vector<std::array<int, 3>> offsets;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int manhattan = std::abs(dx) + std::abs(dy) + std::abs(dz);
        if (manhattan == 0) continue;
        if (connectivity == 6 && manhattan > 1) continue;
        if (connectivity == 18 && manhattan > 2) continue;
        offsets.push_back({dx, dy, dz});
      }
  Components out;
  out.labels.assign(mask.size(), 0);
  std::vector<std::size_t> queue;
  std::int32_t next = 0;
  for (std::size_t start = 0; start < mask.size(); ++start) {
    if (!mask[start] || out.labels[start]) continue;
    const std::int32_t id = ++next;
    queue.assign(1, start);
    out.labels[start] = id;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t v = queue[head];
      const long x = long(v % nx), y = long((v / nx) % ny), z = long(v / (nx * ny));
      for (const auto& o : offsets) {
        const long a = x + o[0], b = y + o[1], c = z + o[2];
        if (a < 0 || b < 0 || c < 0 || a >= long(nx) || b >= long(ny) || c >= long(nz)) continue;
        const std::size_t w = std::size_t(a) + nx * (std::size_t(b) + ny * std::size_t(c));
        if (mask[w] && !out.labels[w]) {
          out.labels[w] = id;
          queue.push_back(w);
        }
      }
    }
    out.sizes.push_back(queue.size());
  }
  if (minVoxels > 1) {
    std::vector<std::int32_t> remap(out.sizes.size() + 1, 0);
    std::vector<std::size_t> kept;
    for (std::size_t k = 0; k < out.sizes.size(); ++k)
      if (out.sizes[k] >= minVoxels) {
        kept.push_back(out.sizes[k]);
        remap[k + 1] = std::int32_t(kept.size());
      }
    for (auto& l : out.labels) l = remap[std::size_t(l)];
    out.sizes = kept;
  }
  return out;
}

}  // namespace voxplain
