#include "volume/LabelOutline.h"

#include <stdexcept>

namespace voxplain {

LabelVolume labelOutline(const LabelVolume& labels, int normalAxis) {
  if (normalAxis < 0 || normalAxis > 2) throw std::invalid_argument("labelOutline: normal axis must be 0, 1 or 2");
  const Size3& n = labels.geometry().size;
  LabelVolume out(labels.geometry());
  const int a = normalAxis == 0 ? 1 : 0, b = normalAxis == 2 ? 1 : 2;  // the in-plane axes
  for (std::size_t z = 0; z < n[2]; ++z)
    for (std::size_t y = 0; y < n[1]; ++y)
      for (std::size_t x = 0; x < n[0]; ++x) {
        const std::size_t i = labels.geometry().linearIndex(x, y, z);
        const std::uint16_t v = labels.voxels()[i];
        if (v == 0) continue;
        const std::array<std::size_t, 3> p{x, y, z};
        bool edge = false;
        for (int axis : {a, b})
          for (int step : {-1, 1}) {
            std::array<std::size_t, 3> q = p;
            if ((step < 0 && p[std::size_t(axis)] == 0) ||
                (step > 0 && p[std::size_t(axis)] + 1 == n[std::size_t(axis)])) {
              edge = true;
              continue;
            }
            q[std::size_t(axis)] = std::size_t(long(q[std::size_t(axis)]) + step);
            edge = edge || labels.voxels()[labels.geometry().linearIndex(q[0], q[1], q[2])] != v;
          }
        if (edge) out.data()[i] = v;
      }
  return out;
}

}  // namespace voxplain
