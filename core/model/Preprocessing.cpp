#include "model/Preprocessing.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "analysis/RankStatistics.h"
#include "model/NnunetResample.h"
#include "runtime/TextCase.h"
#include "task/InputError.h"
#include "volume/Resampler.h"

namespace voxplain {
namespace {

// Mean and population standard deviation (MONAI NormalizeIntensity) over the voxels of `volumes`
// (only non-zero ones with `nonzero`); count 0 when there are none.
struct ZStatistics {
  double mean = 0, sd = 0;
  std::size_t count = 0;
};
ZStatistics zStatistics(const std::vector<const Volume*>& volumes, bool nonzero) {
  double sum = 0, sq = 0;
  ZStatistics z;
  for (const Volume* v : volumes)
    for (float x : v->voxels())
      if (!nonzero || x != 0.0f) sum += x, sq += double(x) * x, ++z.count;
  if (z.count == 0) return z;
  z.mean = sum / double(z.count);
  z.sd = std::sqrt(std::max(0.0, sq / double(z.count) - z.mean * z.mean));
  return z;
}

void applyZScore(Volume& volume, const ZStatistics& z, bool nonzero) {
  if (z.count == 0) return;
  for (float& x : volume.voxels())
    if (!nonzero || x != 0.0f) x = z.sd > 1e-8 ? float((x - z.mean) / z.sd) : 0.0f;
}

// LPS unit vector of an anatomical letter.
Vec3 letterAxis(char c, const std::string& code) {
  switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'L':
      return {1, 0, 0};
    case 'R':
      return {-1, 0, 0};
    case 'P':
      return {0, 1, 0};
    case 'A':
      return {0, -1, 0};
    case 'S':
      return {0, 0, 1};
    case 'I':
      return {0, 0, -1};
    default:
      throw InputError("manifest", "orientation '" + code + "' has an unknown letter");
  }
}

}  // namespace

void normalize(Volume& volume, const Normalization& n) {
  std::vector<float>& v = volume.voxels();
  switch (n.type) {
    case Normalization::Type::None:
      return;
    case Normalization::Type::ZScore:
    case Normalization::Type::ZScoreNonZero: {
      const bool nonzero = n.type == Normalization::Type::ZScoreNonZero;
      applyZScore(volume, zStatistics({&volume}, nonzero), nonzero);
      return;
    }
    case Normalization::Type::ClipScale:
      for (float& x : v) {
        const double c = n.clip ? std::clamp(double(x), n.aMin, n.aMax) : double(x);
        x = float(n.bMin + (c - n.aMin) / (n.aMax - n.aMin) * (n.bMax - n.bMin));
      }
      return;
    case Normalization::Type::Percentile: {
      const double lo = percentile(v, n.lower), hi = percentile(v, n.upper);
      for (float& x : v) {
        const double c = n.clip ? std::clamp(double(x), lo, hi) : double(x);
        // MONAI ScaleIntensityRange with a_min == a_max: x - a_min + b_min.
        x = hi > lo ? float(n.bMin + (c - lo) / (hi - lo) * (n.bMax - n.bMin)) : float(c - lo + n.bMin);
      }
      return;
    }
  }
}

Geometry modelGrid(const Geometry& study, const ModelManifest& manifest) {
  if (!manifest.spacing && manifest.orientation.empty()) return study;
  if (manifest.windowScheme == ModelManifest::WindowScheme::Nnunet && manifest.spacing &&
      manifest.orientation.empty()) {
    // nnU-Net's resize (skimage.transform.resize): new size round(n * s / t); new voxel i samples
    // old index (i + 0.5) * n / n' - 0.5.
    Geometry g = study;
    Vec3 offset{};
    for (int d = 0; d < 3; ++d) {
      const double n = double(study.size[d]);
      // numpy rounds half to even (compute_new_shape: np.round); so does nearbyint.
      const double resized = std::max(1.0, std::nearbyint(study.spacing[d] / (*manifest.spacing)[d] * n));
      g.size[d] = std::size_t(resized);
      g.spacing[d] = study.spacing[d] * n / resized;
      offset[d] = 0.5 * n / resized - 0.5;
    }
    g.origin = study.indexToPhysical(offset);
    return g;
  }
  Geometry g = study;
  if (!manifest.orientation.empty())
    for (int c = 0; c < 3; ++c) {
      const Vec3 a = letterAxis(manifest.orientation[std::size_t(c)], manifest.orientation);
      for (int r = 0; r < 3; ++r) g.direction[3 * r + c] = a[r];
    }
  if (std::abs(determinant(g.direction)) < 0.5)
    throw InputError("manifest", "orientation '" + manifest.orientation + "' repeats an axis");
  if (manifest.spacing) g.spacing = *manifest.spacing;
  // Cover the study's physical box (its voxel-centre corners) on the new axes.
  Vec3 lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
  const Mat3 dInv = inverse(g.direction);
  for (int corner = 0; corner < 8; ++corner) {
    Vec3 idx;
    for (int d = 0; d < 3; ++d) idx[d] = ((corner >> d) & 1) ? double(study.size[d]) - 1.0 : 0.0;
    const Vec3 local = multiply(dInv, study.indexToPhysical(idx));
    for (int d = 0; d < 3; ++d) lo[d] = std::min(lo[d], local[d]), hi[d] = std::max(hi[d], local[d]);
  }
  for (int d = 0; d < 3; ++d) g.size[d] = std::size_t(std::floor((hi[d] - lo[d]) / g.spacing[d] + 1e-6)) + 1;
  g.origin = multiply(g.direction, lo);
  return g;
}

Geometry runGrid(const Study& study, const ModelManifest& manifest) {
  return modelGrid(nonzeroBox(study, manifest), manifest);
}

Geometry nonzeroBox(const Study& study, const ModelManifest& manifest) {
  const Geometry& grid = study.referenceGrid();
  if (!manifest.cropToNonzero) return grid;
  std::array<std::size_t, 3> lo{grid.size[0], grid.size[1], grid.size[2]}, hi{0, 0, 0};
  bool any = false;
  for (const Modality* m : orderedInputs(study, manifest)) {
    const float* data = m->volume.data();
    for (std::size_t k = 0; k < grid.size[2]; ++k)
      for (std::size_t j = 0; j < grid.size[1]; ++j)
        for (std::size_t i = 0; i < grid.size[0]; ++i)
          if (data[grid.linearIndex(i, j, k)] != 0.0f) {
            const std::array<std::size_t, 3> at{i, j, k};
            for (int d = 0; d < 3; ++d) lo[d] = std::min(lo[d], at[d]), hi[d] = std::max(hi[d], at[d]);
            any = true;
          }
  }
  if (!any) return grid;
  Geometry box = grid;
  for (int d = 0; d < 3; ++d) box.size[d] = hi[d] - lo[d] + 1;
  if (box.size == grid.size) return grid;
  box.origin = grid.indexToPhysical({double(lo[0]), double(lo[1]), double(lo[2])});
  return box;
}

std::vector<const Modality*> orderedInputs(const Study& study, const ModelManifest& manifest) {
  std::vector<const Modality*> out;
  for (const ModelInput& in : manifest.inputs)
    for (const Modality& m : study.modalities())
      if (lowerCase(m.name) == lowerCase(in.name)) {
        out.push_back(&m);
        break;
      }
  if (out.size() == manifest.inputs.size()) return out;
  if (study.modalities().size() == manifest.inputs.size()) {
    out.clear();
    for (const Modality& m : study.modalities()) out.push_back(&m);
    return out;
  }
  std::string names;
  for (const ModelInput& in : manifest.inputs) names += (names.empty() ? "" : ", ") + in.name;
  throw InputError("study", "the model needs " + std::to_string(manifest.inputs.size()) + " input(s) (" + names +
                                "), the study has " + std::to_string(study.modalities().size()));
}

torch::Tensor tensorFromVolume(const Volume& volume) {
  const Size3& s = volume.size();
  // Memory is x fastest: as a C-ordered tensor that is [Z, Y, X]; permute to [X, Y, Z].
  return torch::from_blob(const_cast<float*>(volume.data()),
                          {std::int64_t(s[2]), std::int64_t(s[1]), std::int64_t(s[0])}, torch::kFloat32)
      .permute({2, 1, 0})
      .contiguous();
}

Volume volumeFromTensor(const torch::Tensor& xyz, const Geometry& grid) {
  const torch::Tensor zyx = xyz.to(torch::kCPU, torch::kFloat32).permute({2, 1, 0}).contiguous();
  const float* p = zyx.data_ptr<float>();
  return Volume(grid, std::vector<float>(p, p + zyx.numel()));
}

torch::Tensor modelInputTensor(const Study& study, const ModelManifest& manifest, const Geometry& grid,
                               const TaskControl& control) {
  const std::vector<const Modality*> inputs = orderedInputs(study, manifest);
  const bool sameGrid = compareGeometry(grid, study.referenceGrid()).sameGrid();
  if (manifest.windowScheme == ModelManifest::WindowScheme::Nnunet && !sameGrid) {
    // nnU-Net: crop, normalise on the source grid, then resample (DefaultPreprocessor.run_case).
    const Geometry box = nonzeroBox(study, manifest);
    std::vector<torch::Tensor> channels;
    for (std::size_t c = 0; c < inputs.size(); ++c) {
      control.step(double(c) / double(inputs.size()), "preparing " + inputs[c]->name);
      Volume source = compareGeometry(box, study.referenceGrid()).sameGrid()
                          ? inputs[c]->volume
                          : resampleLinear(inputs[c]->volume, box, 0.0f, control);
      normalize(source, manifest.inputs[c].normalization);
      // The grid is nnU-Net's resize of the box (modelGrid) unless the manifest reorients.
      const bool resize = manifest.spacing && manifest.orientation.empty();
      channels.push_back(tensorFromVolume(compareGeometry(box, grid).sameGrid() ? source
                                          : resize ? nnunetResample(source, grid, *manifest.spacing)
                                                   : resampleLinear(source, grid, 0.0f, control)));
    }
    return torch::stack(channels).unsqueeze(0);
  }
  std::vector<Volume> volumes;
  for (std::size_t c = 0; c < inputs.size(); ++c) {
    control.step(double(c) / double(inputs.size()), "preparing " + inputs[c]->name);
    volumes.push_back(sameGrid ? inputs[c]->volume : resampleLinear(inputs[c]->volume, grid, 0.0f, control));
  }
  // Joint z-scores (MONAI channel_wise=False) share one mean and deviation over their inputs.
  for (const bool nonzero : {false, true}) {
    const auto type = nonzero ? Normalization::Type::ZScoreNonZero : Normalization::Type::ZScore;
    std::vector<const Volume*> group;
    for (std::size_t c = 0; c < inputs.size(); ++c)
      if (manifest.inputs[c].normalization.joint && manifest.inputs[c].normalization.type == type)
        group.push_back(&volumes[c]);
    if (group.empty()) continue;
    const ZStatistics z = zStatistics(group, nonzero);
    for (std::size_t c = 0; c < inputs.size(); ++c)
      if (manifest.inputs[c].normalization.joint && manifest.inputs[c].normalization.type == type)
        applyZScore(volumes[c], z, nonzero);
  }
  std::vector<torch::Tensor> channels;
  for (std::size_t c = 0; c < inputs.size(); ++c) {
    if (!manifest.inputs[c].normalization.joint) normalize(volumes[c], manifest.inputs[c].normalization);
    channels.push_back(tensorFromVolume(volumes[c]));
  }
  return torch::stack(channels).unsqueeze(0);
}

}  // namespace voxplain
