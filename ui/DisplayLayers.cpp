#include "DisplayLayers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "VolumeScene.h"
#include "analysis/ConnectedComponents.h"
#include "figure/SliceFigure.h"
#include "volume/LabelOutline.h"
#include "volume/Reorient.h"

namespace voxplain::ui {
DisplayStudy prepareStudy(const Study& study) {
  DisplayStudy out;
  for (const Modality& m : study.modalities()) {
    out.lps.push_back(orientToLps(m.volume));
    const auto [low, high] = anatomyWindow(m.volume);  // the report's window too
    out.windowLevel.push_back({std::max(high - low, 1e-6), (high + low) / 2});
    out.volumeWindow.push_back(render::mrTransferWindow(m.volume));
  }
  return out;
}

DisplayLabels prepareLabels(const LabelVolume& labels, int focusLabel) {
  DisplayLabels out;
  out.lps = orientToLps(labels);
  for (int axis = 0; axis < 3; ++axis) out.outlines[std::size_t(axis)] = labelOutline(out.lps, axis);
  const std::vector<std::uint16_t>& v = out.lps.voxels();
  const bool focus = focusLabel > 0 && std::find(v.begin(), v.end(), std::uint16_t(focusLabel)) != v.end();
  std::vector<std::uint8_t> mask(out.lps.voxelCount());
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = focus ? v[i] == std::uint16_t(focusLabel) : v[i] != 0;
  const Size3& n = out.lps.geometry().size;
  const Components c = connectedComponents(mask, n);
  if (c.count() > 0) {
    const int largest = int(std::max_element(c.sizes.begin(), c.sizes.end()) - c.sizes.begin()) + 1;
    Vec3 sum{0, 0, 0};
    for (std::size_t i = 0; i < c.labels.size(); ++i)
      if (c.labels[i] == largest) {
        const std::size_t x = i % n[0], y = (i / n[0]) % n[1], z = i / (n[0] * n[1]);  // voxel index
        sum[0] += double(x);
        sum[1] += double(y);
        sum[2] += double(z);
      }
    const double count = double(c.sizes[std::size_t(largest - 1)]);
    out.largestCentroidLps = out.lps.geometry().indexToPhysical({sum[0] / count, sum[1] / count, sum[2] / count});
  }
  return out;
}

DisplayHeatmaps prepareHeatmaps(const std::vector<Volume>& maps) {
  DisplayHeatmaps out;
  for (const Volume& v : maps) out.lps.push_back(orientToLps(v));
  out.range = mapRange(maps);  // the report's figures use the same
  return out;
}

std::pair<DisplayStudy, DisplayHeatmaps> sideBySide(const DisplayStudy& study, const DisplayHeatmaps& first,
                                                    const DisplayHeatmaps& second, double percentile) {
  if (first.lps.size() != study.lps.size() || second.lps.size() != study.lps.size())
    throw std::invalid_argument("side by side: one map per modality expected");
  DisplayStudy panes;
  DisplayHeatmaps maps;
  for (const DisplayHeatmaps* run : {&first, &second}) {
    const float scale = float(1.0 / run->range.at(percentile));
    for (std::size_t m = 0; m < study.lps.size(); ++m) {
      panes.lps.push_back(study.lps[m]);
      panes.windowLevel.push_back(study.windowLevel[m]);
      if (m < study.volumeWindow.size()) panes.volumeWindow.push_back(study.volumeWindow[m]);
      Volume v = run->lps[m];
      for (float& x : v.voxels()) x *= scale;
      maps.lps.push_back(std::move(v));
    }
    maps.range.signedMap = maps.range.signedMap || run->range.signedMap;
  }
  maps.range.p99 = maps.range.p995 = maps.range.max = 1.0;
  return {std::move(panes), std::move(maps)};
}

}  // namespace voxplain::ui
