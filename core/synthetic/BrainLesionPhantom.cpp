#include "synthetic/BrainLesionPhantom.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/ConnectedComponents.h"
#include "analysis/MaskMorphology.h"
#include "synthetic/SmoothRandomField.h"
#include "synthetic/SplitMix64.h"
#include "synthetic/TissueClasses.h"
#include "volume/Resampler.h"

namespace voxplain {
namespace {

constexpr double kT1WhiteMatter = 600.0;  // output T1 units of white matter
constexpr double kFlairScale = 1000.0;
constexpr double kFlairCsf = 0.08, kFlairGrey = 0.62, kFlairWhite = 0.50;

// FLAIR-like contrast of a T1 intensity: piecewise linear through (0, 0), (csf, 0.08), (grey, 0.62),
// (white, 0.50), constant beyond white matter.
double flairOfT1(double t1, const TissueMeans& m) {
  if (t1 <= 0) return 0.0;
  if (t1 < m.csf) return kFlairCsf * t1 / m.csf;
  if (t1 < m.greyMatter) return kFlairCsf + (kFlairGrey - kFlairCsf) * (t1 - m.csf) / (m.greyMatter - m.csf);
  if (t1 < m.whiteMatter)
    return kFlairGrey + (kFlairWhite - kFlairGrey) * (t1 - m.greyMatter) / (m.whiteMatter - m.greyMatter);
  return kFlairWhite;
}

// The output grid: the anatomy's axes, centred on the physical centre of its non-zero voxels.
Geometry outputGrid(const Volume& anatomy, const BrainPhantomOptions& o) {
  const Geometry& a = anatomy.geometry();
  std::array<std::size_t, 3> lo{a.size[0], a.size[1], a.size[2]}, hi{0, 0, 0};
  for (std::size_t k = 0; k < a.size[2]; ++k)
    for (std::size_t j = 0; j < a.size[1]; ++j)
      for (std::size_t i = 0; i < a.size[0]; ++i)
        if (anatomy.at(i, j, k) > 0.0f) {
          const std::array<std::size_t, 3> ijk{i, j, k};
          for (int d = 0; d < 3; ++d) {
            lo[d] = std::min(lo[d], ijk[d]);
            hi[d] = std::max(hi[d], ijk[d]);
          }
        }
  if (lo[0] > hi[0]) throw std::invalid_argument("brain phantom: the anatomy has no voxel above zero");
  const Vec3 centre =
      a.indexToPhysical({0.5 * double(lo[0] + hi[0]), 0.5 * double(lo[1] + hi[1]), 0.5 * double(lo[2] + hi[2])});
  Geometry g;
  g.size = o.size;
  g.spacing = o.spacing;
  g.direction = a.direction;
  const Vec3 halfExtent{0.5 * double(o.size[0] - 1) * o.spacing[0], 0.5 * double(o.size[1] - 1) * o.spacing[1],
                        0.5 * double(o.size[2] - 1) * o.spacing[2]};
  const Vec3 offset = multiply(g.direction, halfExtent);
  for (int d = 0; d < 3; ++d) g.origin[d] = centre[d] - offset[d];
  return g;
}

struct Lobe {
  Vec3 centre;    // mm, physical
  Mat3 toLocal;   // rotation, physical -> lobe axes
  Vec3 semiAxes;  // mm
};

// One lesion or distractor: lobes whose union, with an uneven surface, is the blob.
struct Blob {
  std::vector<Lobe> lobes;
  double radius = 0;     // mm, nominal
  double flairGain = 1;  // FLAIR level as a multiple of white matter's
  double t1Drop = 0;     // fractional T1 darkening (0 for distractors)
  bool lesion = true;
};

Mat3 randomRotation(SplitMix64& rng) {
  // A uniformly random unit quaternion (four normals, normalised) as a rotation matrix.
  double q[4] = {rng.normal(), rng.normal(), rng.normal(), rng.normal()};
  const double len = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  for (double& v : q) v /= std::max(len, 1e-12);
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  return {1 - 2 * (y * y + z * z), 2 * (x * y - z * w),     2 * (x * z + y * w),
          2 * (x * y + z * w),     1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
          2 * (x * z - y * w),     2 * (y * z + x * w),     1 - 2 * (x * x + y * y)};
}

Blob makeBlob(SplitMix64& rng, const Vec3& centre, double radius) {
  Blob b;
  b.radius = radius;
  const int lobes = rng.uniformInt(1, 3);
  for (int l = 0; l < lobes; ++l) {
    Lobe lobe;
    const double scale = l == 0 ? 1.0 : rng.uniform(0.5, 0.85);
    for (int d = 0; d < 3; ++d) lobe.semiAxes[d] = radius * scale * rng.uniform(0.65, 1.35);
    lobe.toLocal = randomRotation(rng);
    lobe.centre = centre;
    if (l > 0) {
      Vec3 u{rng.normal(), rng.normal(), rng.normal()};
      const double len = std::max(norm(u), 1e-12), shift = radius * rng.uniform(0.5, 0.9);
      for (int d = 0; d < 3; ++d) lobe.centre[d] += u[d] / len * shift;
    }
    b.lobes.push_back(lobe);
  }
  return b;
}

// Approximate signed distance (mm, > 0 inside) to the union of the blob's lobes.
double blobDepth(const Blob& b, const Vec3& p) {
  double best = -1e30;
  for (const Lobe& lobe : b.lobes) {
    const Vec3 local =
        multiply(lobe.toLocal, Vec3{p[0] - lobe.centre[0], p[1] - lobe.centre[1], p[2] - lobe.centre[2]});
    double e = 0, mean = 0;
    for (int d = 0; d < 3; ++d) {
      e += (local[d] / lobe.semiAxes[d]) * (local[d] / lobe.semiAxes[d]);
      mean += lobe.semiAxes[d] / 3.0;
    }
    best = std::max(best, (1.0 - std::sqrt(e)) * mean);
  }
  return best;
}

// Voxels of `mask` (non-zero) as linear indices.
std::vector<std::size_t> voxelsOf(const std::vector<std::uint8_t>& mask) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) out.push_back(i);
  return out;
}

LabelVolume maskOf(const LabelVolume& labels, BrainLabel label) {
  LabelVolume m(labels.geometry());
  for (std::size_t i = 0; i < m.voxelCount(); ++i) m.voxels()[i] = labels.voxels()[i] == std::uint16_t(label);
  return m;
}

// The anatomy on the output grid, deformed: T1 (anatomy units, mean of 8 subsamples), FLAIR (0..1)
// and the tissue class by majority of the subsamples.
struct SampledAnatomy {
  Volume t1, flair;
  LabelVolume tissue;
};

SampledAnatomy sampleAnatomy(const Volume& anatomy, const Volume& brainMask, const Geometry& g,
                             const TissueMeans& means, SplitMix64& rng, const BrainPhantomOptions& o) {
  const SmoothRandomField dx(rng, o.deformationMm, 30.0, 120.0), dy(rng, o.deformationMm, 30.0, 120.0),
      dz(rng, o.deformationMm, 30.0, 120.0);
  const Vec3 scale{rng.uniform(0.94, 1.06), rng.uniform(0.94, 1.06), rng.uniform(0.94, 1.06)};
  const Vec3 centre =
      g.indexToPhysical({0.5 * double(g.size[0] - 1), 0.5 * double(g.size[1] - 1), 0.5 * double(g.size[2] - 1)});
  const Geometry& a = anatomy.geometry();
  SampledAnatomy out{Volume(g), Volume(g), LabelVolume(g)};
  std::size_t linear = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++linear) {
        const Vec3 p = g.indexToPhysical({double(i), double(j), double(k)});
        const Vec3 shift{dx(p), dy(p), dz(p)};
        double t1 = 0, flair = 0;
        std::array<int, 4> votes{0, 0, 0, 0};
        for (int s = 0; s < 8; ++s) {
          const Vec3 sub =
              g.indexToPhysical({double(i) + ((s & 1) ? 0.25 : -0.25), double(j) + ((s & 2) ? 0.25 : -0.25),
                                 double(k) + ((s & 4) ? 0.25 : -0.25)});
          Vec3 q;
          for (int d = 0; d < 3; ++d) q[d] = centre[d] + scale[d] * (sub[d] - centre[d]) + shift[d];
          const Vec3 index = a.physicalToIndex(q);
          const double value = interpolateLinear(anatomy, index, 0.0),
                       inside = interpolateLinear(brainMask, index, 0.0);
          t1 += value / 8.0;
          if (inside < 0.5) {
            ++votes[0];
            continue;
          }
          const double brainValue = value / inside;  // the brain's own intensity at the edge
          flair += flairOfT1(brainValue, means) * inside / 8.0;
          ++votes[std::size_t(means.nearest(brainValue))];
        }
        out.t1.voxels()[linear] = float(t1);
        out.flair.voxels()[linear] = float(flair);
        // Majority; ties go to the later class (white over grey over CSF over outside).
        std::size_t best = 0;
        for (std::size_t c = 1; c < 4; ++c)
          if (votes[c] >= votes[best]) best = c;
        out.tissue.voxels()[linear] = std::uint16_t(best);
      }
  return out;
}

// Places `count` blobs at centres drawn from `candidates`, clear of `placed` (and of each other) by
// 4 mm between their nominal surfaces; bounded tries.
std::vector<Blob> placeBlobs(SplitMix64& rng, const Geometry& g,
                             const std::vector<std::vector<std::size_t>>& candidateSets,
                             const std::vector<double>& setWeights, int count, const BrainPhantomOptions& o,
                             std::vector<Blob>& placed) {
  std::vector<Blob> out;
  for (int tries = 0; int(out.size()) < count && tries < 500; ++tries) {
    double pick = rng.uniform(), cumulative = 0;
    std::size_t set = 0;
    for (; set + 1 < setWeights.size(); ++set) {
      cumulative += setWeights[set];
      if (pick < cumulative) break;
    }
    const std::vector<std::size_t>& candidates = candidateSets[set];
    if (candidates.empty()) continue;
    const std::size_t linear = candidates[std::size_t(rng.next() % candidates.size())];
    const std::size_t i = linear % g.size[0], j = (linear / g.size[0]) % g.size[1],
                      k = linear / (g.size[0] * g.size[1]);
    const Vec3 centre = g.indexToPhysical({double(i), double(j), double(k)});
    const double radius = o.minRadiusMm * std::pow(o.maxRadiusMm / o.minRadiusMm, rng.uniform());
    bool clear = true;
    for (const Blob& other : placed) {
      const Vec3& c = other.lobes.front().centre;
      if (norm(Vec3{centre[0] - c[0], centre[1] - c[1], centre[2] - c[2]}) < 1.6 * (radius + other.radius) + 4.0)
        clear = false;
    }
    if (!clear) continue;
    Blob b = makeBlob(rng, centre, radius);
    placed.push_back(b);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

BrainLesionPhantom makeBrainLesionPhantom(const Volume& anatomy, const BrainPhantomOptions& o) {
  for (int d = 0; d < 3; ++d) {
    if (o.size[d] < 16) throw std::invalid_argument("brain phantom size must be at least 16 along every axis");
    if (!(o.spacing[d] > 0)) throw std::invalid_argument("brain phantom spacing must be positive");
  }
  if (o.minLesions < 0 || o.maxLesions < o.minLesions || o.minDistractors < 0 || o.maxDistractors < o.minDistractors)
    throw std::invalid_argument("brain phantom: lesion and distractor counts must satisfy 0 <= min <= max");
  if (!(o.minRadiusMm > 0) || o.maxRadiusMm < o.minRadiusMm)
    throw std::invalid_argument("brain phantom: lesion radii must satisfy 0 < min <= max");
  const Geometry g = outputGrid(anatomy, o);
  const TissueMeans means = tissueMeans(anatomy);
  Volume brainMask(anatomy.geometry());
  for (std::size_t i = 0; i < anatomy.voxelCount(); ++i)
    brainMask.voxels()[i] = anatomy.voxels()[i] > 0.0f ? 1.0f : 0.0f;

  SplitMix64 rng(o.seed);
  SampledAnatomy s = sampleAnatomy(anatomy, brainMask, g, means, rng, o);
  const std::size_t n = g.voxelCount();

  // Ground-truth anatomy: ventricles, white and grey matter; other CSF is background.
  const LabelVolume ventricles = lateralVentricles(s.tissue);
  BrainLesionPhantom out{Volume(g), Volume(g), LabelVolume(g), LabelVolume(g), LabelVolume(g)};
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = Tissue(s.tissue.voxels()[i]);
    BrainLabel label = BrainLabel::Background;
    if (ventricles.voxels()[i])
      label = BrainLabel::Ventricles;
    else if (t == Tissue::WhiteMatter)
      label = BrainLabel::WhiteMatter;
    else if (t == Tissue::GreyMatter)
      label = BrainLabel::GreyMatter;
    out.labels.voxels()[i] = std::uint16_t(label);
  }

  // Where lesions and distractors may sit.
  const LabelVolume white = maskOf(out.labels, BrainLabel::WhiteMatter),
                    grey = maskOf(out.labels, BrainLabel::GreyMatter);
  LabelVolume notWhite(g);
  for (std::size_t i = 0; i < n; ++i) notWhite.voxels()[i] = !white.voxels()[i];
  const LabelVolume nearVentricle = dilate(ventricles, 6.0), nearNotWhite = dilate(notWhite, 4.0);
  LabelVolume outside(g);
  for (std::size_t i = 0; i < n; ++i) outside.voxels()[i] = s.tissue.voxels()[i] == 0;
  const LabelVolume nearOutside = dilate(outside, 3.0);
  std::vector<std::uint8_t> periventricular(n), deepWhite(n), cortex(n);
  for (std::size_t i = 0; i < n; ++i) {
    periventricular[i] = white.voxels()[i] && nearVentricle.voxels()[i];
    deepWhite[i] = white.voxels()[i] && !nearNotWhite.voxels()[i];
    cortex[i] = grey.voxels()[i] && !nearOutside.voxels()[i];
  }
  const std::vector<std::vector<std::size_t>> lesionSites{voxelsOf(periventricular), voxelsOf(deepWhite)};
  const std::vector<std::vector<std::size_t>> distractorSites{voxelsOf(deepWhite), voxelsOf(cortex)};

  std::vector<Blob> placed;
  std::vector<Blob> lesions =
      placeBlobs(rng, g, lesionSites, {0.55, 0.45}, rng.uniformInt(o.minLesions, o.maxLesions), o, placed);
  std::vector<Blob> distractors =
      placeBlobs(rng, g, distractorSites, {0.7, 0.3}, rng.uniformInt(o.minDistractors, o.maxDistractors), o, placed);
  for (Blob& b : lesions) {
    b.flairGain = rng.uniform(1.7, 2.4);
    b.t1Drop = rng.uniform(0.20, 0.55);
  }
  for (Blob& b : distractors) {
    b.flairGain = rng.uniform(1.7, 2.4);
    b.lesion = false;
  }
  out.distractorCount = int(distractors.size());
  const SmoothRandomField surface(rng, 0.6, 4.0, 10.0);  // uneven lesion borders, mm
  const double edge = std::min({g.spacing[0], g.spacing[1], g.spacing[2]});

  // Blobs act on brain tissue only (not on the ventricles, not outside): soft weight over one voxel.
  std::vector<Blob> blobs = lesions;
  blobs.insert(blobs.end(), distractors.begin(), distractors.end());
  std::size_t linear = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++linear) {
        const auto label = BrainLabel(out.labels.voxels()[linear]);
        if (label != BrainLabel::WhiteMatter && label != BrainLabel::GreyMatter) continue;
        const Vec3 p = g.indexToPhysical({double(i), double(j), double(k)});
        for (const Blob& b : blobs) {
          const Vec3& c = b.lobes.front().centre;
          if (norm(Vec3{p[0] - c[0], p[1] - c[1], p[2] - c[2]}) > 3.0 * b.radius + 2.0 * edge) continue;
          const double depth = blobDepth(b, p) + surface(p);
          const double w = std::clamp(0.5 + depth / edge, 0.0, 1.0);
          if (w <= 0) continue;
          const double flairLevel = b.flairGain * kFlairWhite;
          s.flair.voxels()[linear] =
              float(s.flair.voxels()[linear] + w * std::max(0.0, flairLevel - s.flair.voxels()[linear]));
          s.t1.voxels()[linear] = float(s.t1.voxels()[linear] * (1.0 - b.t1Drop * w));
          if (b.lesion && depth >= 0) out.labels.voxels()[linear] = std::uint16_t(BrainLabel::Lesion);
        }
      }

  // Bias field and noise inside the brain; zero outside (a brain-extracted study).
  const SmoothRandomField biasFlair(rng, rng.uniform(0.3, 1.0) * o.biasField, 80.0, 250.0),
      biasT1(rng, rng.uniform(0.3, 1.0) * o.biasField, 80.0, 250.0);
  linear = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++linear) {
        if (s.t1.voxels()[linear] <= 0.0f) continue;
        const Vec3 p = g.indexToPhysical({double(i), double(j), double(k)});
        const double t1 = s.t1.voxels()[linear] / means.whiteMatter * std::exp(biasT1(p)) + o.noise * rng.normal();
        const double flair = s.flair.voxels()[linear] / kFlairWhite * std::exp(biasFlair(p)) + o.noise * rng.normal();
        out.t1.voxels()[linear] = float(std::max(1e-3, t1) * kT1WhiteMatter);
        out.flair.voxels()[linear] = float(std::max(1e-3, flair) * kFlairWhite * kFlairScale);
      }

  std::vector<std::uint8_t> lesionMask(n);
  for (std::size_t i = 0; i < n; ++i) lesionMask[i] = out.labels.voxels()[i] == std::uint16_t(BrainLabel::Lesion);
  const Components instances = connectedComponents(lesionMask, g.size, 26);
  for (std::size_t i = 0; i < n; ++i) {
    out.lesions.voxels()[i] = lesionMask[i];
    out.lesionInstances.voxels()[i] = std::uint16_t(instances.labels[i]);
  }
  out.lesionCount = instances.count();
  return out;
}

}  // namespace voxplain
