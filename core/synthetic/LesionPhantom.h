#pragma once
// Deterministic multi-modal phantom with full ground truth (the approach of seed paper 000,
// Mullan et al. 2023, whose NoduleSeg generator labels the deciding feature of each target).
//
// Two channels over a brain-like ellipsoid: "FLAIR" and "T1". Lesions are bright in FLAIR AND
// dark in T1; distractor blobs are bright in only one modality (FLAIR-bright with normal T1, or
// T1-dark with normal FLAIR) and are NOT lesions, so the label can only be decided by combining
// both modalities. The same seed gives the same volumes on every platform (no std:: distributions).

#include <cstdint>
#include <string>
#include <vector>

#include "volume/Image.h"

namespace voxplain {

/// Which modality carries the lesions' signature (issue 17: can modality importance find the
/// informative one?). Both: a lesion is bright in FLAIR and dark in T1, and the distractors are bright
/// in one modality only, so both are needed (the demo). Flair: lesions are bright in FLAIR with a
/// normal T1, every distractor is dark in T1 only: T1 decides nothing. T1: lesions are dark in T1 with
/// a normal FLAIR, every distractor is bright in FLAIR only.
enum class InformativeModality { Both, Flair, T1 };

/// "both", "flair", "t1": the names the CLI and the stored evaluation records use.
const char* informativeModalityName(InformativeModality m);
/// Every name of informativeModalityName, in enum order (what a front end offers).
std::vector<std::string> informativeModalityNames();
/// The inverse of informativeModalityName; throws InputError (InputField::Parameter) for another name.
InformativeModality informativeModalityFromName(const std::string& name);

struct LesionPhantomOptions {
  Size3 size{64, 64, 48};
  Vec3 spacing{1.0, 1.0, 1.0};  ///< mm
  std::uint64_t seed = 1;
  int lesions = 4;      ///< true lesions (label 1)
  int distractors = 4;  ///< single-modality blobs (label 0)
  double noise = 0.03;  ///< Gaussian noise, fraction of tissue intensity
  double minRadiusMm = 2.5, maxRadiusMm = 5.0;
  InformativeModality informative = InformativeModality::Both;  ///< Both draws the same volumes as before
};

struct LesionPhantom {
  Volume flair;
  Volume t1;
  LabelVolume lesions;          ///< 0 background, 1 lesion
  LabelVolume lesionInstances;  ///< 0 background, 1..N one id per lesion
  /// Per modality, the voxels that decide the label: lesion voxels in each channel that carries the
  /// signature (both, or only the informative one). Distractor voxels are not deciding.
  LabelVolume decidingFlair;
  LabelVolume decidingT1;
  /// 1 inside the single-modality distractors (the lures of the paper's data: they resemble the
  /// target in one modality and are not lesions).
  LabelVolume distractors;
};

/// Throws std::invalid_argument on a size below 16 along any axis or a non-positive spacing.
LesionPhantom makeLesionPhantom(const LesionPhantomOptions& options);

}  // namespace voxplain
