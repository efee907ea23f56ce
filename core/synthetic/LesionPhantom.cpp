#include "synthetic/LesionPhantom.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "synthetic/SplitMix64.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

struct Blob {
  Vec3 centre;    // mm, grid-relative
  double radius;  // mm
  enum Kind { Lesion, FlairOnly, T1Only } kind;
};

// Tissue intensities (FLAIR, T1) as arbitrary units in [0, 1].
constexpr double kFlairWm = 0.45, kFlairGm = 0.55, kFlairCsf = 0.10, kFlairLesion = 0.95;
constexpr double kT1Wm = 0.80, kT1Gm = 0.60, kT1Csf = 0.20, kT1Lesion = 0.30;

double ellipsoid(const Vec3& p, const Vec3& c, const Vec3& r) {
  double s = 0.0;
  for (int d = 0; d < 3; ++d) s += ((p[d] - c[d]) / r[d]) * ((p[d] - c[d]) / r[d]);
  return std::sqrt(s);  // < 1 inside
}

}  // namespace

LesionPhantom makeLesionPhantom(const LesionPhantomOptions& o) {
  for (int d = 0; d < 3; ++d) {
    if (o.size[d] < 16) throw std::invalid_argument("phantom size must be at least 16 along every axis");
    if (!(o.spacing[d] > 0)) throw std::invalid_argument("phantom spacing must be positive");
  }
  Geometry g;
  g.size = o.size;
  g.spacing = o.spacing;
  for (int d = 0; d < 3; ++d) g.origin[d] = -0.5 * double(o.size[d] - 1) * o.spacing[d];

  SplitMix64 rng(o.seed);
  const Vec3 extent{o.size[0] * o.spacing[0], o.size[1] * o.spacing[1], o.size[2] * o.spacing[2]};
  const Vec3 centre{0.5 * extent[0], 0.5 * extent[1], 0.5 * extent[2]};
  const Vec3 brainR{0.42 * extent[0], 0.45 * extent[1], 0.42 * extent[2]};
  const Vec3 wmR{0.30 * extent[0], 0.33 * extent[1], 0.30 * extent[2]};
  const Vec3 ventR{0.06 * extent[0], 0.14 * extent[1], 0.07 * extent[2]};
  const Vec3 ventL{centre[0] - 0.08 * extent[0], centre[1], centre[2]};
  const Vec3 ventRc{centre[0] + 0.08 * extent[0], centre[1], centre[2]};

  // Place blobs inside the white matter, without overlap (rejection sampling, bounded tries).
  std::vector<Blob> blobs;
  const int total = o.lesions + o.distractors;
  for (int n = 0, tries = 0; n < total && tries < 10000; ++tries) {
    Blob b;
    b.radius = rng.uniform(o.minRadiusMm, o.maxRadiusMm);
    for (int d = 0; d < 3; ++d) b.centre[d] = centre[d] + rng.uniform(-1.0, 1.0) * wmR[d];
    if (ellipsoid(b.centre, centre, {wmR[0] - b.radius, wmR[1] - b.radius, wmR[2] - b.radius}) >= 1.0) continue;
    if (ellipsoid(b.centre, ventL, ventR) < 1.6 || ellipsoid(b.centre, ventRc, ventR) < 1.6) continue;
    bool clear = true;
    for (const Blob& other : blobs) {
      const Vec3 dv{b.centre[0] - other.centre[0], b.centre[1] - other.centre[1], b.centre[2] - other.centre[2]};
      if (norm(dv) < b.radius + other.radius + 3.0) clear = false;
    }
    if (!clear) continue;
    if (n < o.lesions)
      b.kind = Blob::Lesion;
    else if (o.informative == InformativeModality::Flair)
      b.kind = Blob::T1Only;  // distractors only where the lesions show nothing
    else if (o.informative == InformativeModality::T1)
      b.kind = Blob::FlairOnly;
    else
      b.kind = (n - o.lesions) % 2 == 0 ? Blob::FlairOnly : Blob::T1Only;
    blobs.push_back(b);
    ++n;
  }

  LesionPhantom out{Volume(g),      Volume(g),      LabelVolume(g), LabelVolume(g),
                    LabelVolume(g), LabelVolume(g), LabelVolume(g)};
  std::size_t linear = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++linear) {
        const Vec3 p{(i + 0.5) * o.spacing[0], (j + 0.5) * o.spacing[1], (k + 0.5) * o.spacing[2]};
        double flair = 0.0, t1 = 0.0;
        const double brain = ellipsoid(p, centre, brainR);
        if (brain < 1.0) {
          const bool wm = ellipsoid(p, centre, wmR) < 1.0;
          flair = wm ? kFlairWm : kFlairGm;
          t1 = wm ? kT1Wm : kT1Gm;
          if (ellipsoid(p, ventL, ventR) < 1.0 || ellipsoid(p, ventRc, ventR) < 1.0) {
            flair = kFlairCsf;
            t1 = kT1Csf;
          }
        }
        for (std::size_t b = 0; b < blobs.size(); ++b) {
          const Blob& blob = blobs[b];
          const Vec3 dv{p[0] - blob.centre[0], p[1] - blob.centre[1], p[2] - blob.centre[2]};
          const double dist = norm(dv);
          // Soft edge: full signal inside radius - 0.5 mm, fading to nothing at radius + 0.5 mm.
          const double w = std::clamp(blob.radius + 0.5 - dist, 0.0, 1.0);
          if (w <= 0.0) continue;
          const bool lesion = blob.kind == Blob::Lesion;
          const bool inFlair = lesion ? o.informative != InformativeModality::T1 : blob.kind == Blob::FlairOnly;
          const bool inT1 = lesion ? o.informative != InformativeModality::Flair : blob.kind == Blob::T1Only;
          if (inFlair) flair += w * (kFlairLesion - flair);
          if (inT1) t1 += w * (kT1Lesion - t1);
          if (dist > blob.radius) continue;
          if (lesion) {
            out.lesions.voxels()[linear] = 1;
            out.lesionInstances.voxels()[linear] = std::uint16_t(b + 1);
            out.decidingFlair.voxels()[linear] = inFlair;
            out.decidingT1.voxels()[linear] = inT1;
          } else {
            out.distractors.voxels()[linear] = 1;
          }
        }
        if (brain < 1.0) {
          flair += o.noise * rng.normal() * kFlairGm;
          t1 += o.noise * rng.normal() * kT1Gm;
        }
        out.flair.voxels()[linear] = float(std::max(0.0, flair) * 1000.0);
        out.t1.voxels()[linear] = float(std::max(0.0, t1) * 1000.0);
      }
  return out;
}

const char* informativeModalityName(InformativeModality m) {
  switch (m) {
    case InformativeModality::Flair:
      return "flair";
    case InformativeModality::T1:
      return "t1";
    case InformativeModality::Both:
      break;
  }
  return "both";
}

namespace {
constexpr InformativeModality kInformativeModalities[] = {InformativeModality::Both, InformativeModality::Flair,
                                                          InformativeModality::T1};
}  // namespace

std::vector<std::string> informativeModalityNames() {
  std::vector<std::string> names;
  for (InformativeModality m : kInformativeModalities) names.emplace_back(informativeModalityName(m));
  return names;
}

InformativeModality informativeModalityFromName(const std::string& name) {
  for (InformativeModality m : kInformativeModalities)
    if (name == informativeModalityName(m)) return m;
  throw InputError(InputField::Parameter, name, "not an informative modality (both, flair or t1)");
}

}  // namespace voxplain
