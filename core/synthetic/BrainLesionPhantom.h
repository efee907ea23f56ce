#pragma once
// The realistic demo generator: multi-modal brain MRI studies with white-matter lesions, built on a
// real T1 anatomy (Debian's mricron-data: ch2bet.nii.gz, the brain-extracted Colin27-based "ch2"
// single-subject T1, 1 mm MNI space, BSD-3-Clause) with full ground truth.
//
// Per case (seed): a smooth random deformation and a global scaling of the anatomy; the anatomy
// resampled onto the output grid with 2 x 2 x 2 supersampling; tissue classes by intensity
// (synthetic/TissueClasses.h) by majority of the subsamples, and the lateral ventricles as deep CSF;
//   - T1 = the anatomy, scaled so that white matter is 600;
//   - FLAIR-like = a piecewise-linear map of the T1 intensity through the tissue centres
//     (CSF dark 0.08, grey matter 0.62, white matter 0.50, times 1000), so partial volume carries over;
//   - lesions: irregular (1 to 3 ellipsoidal lobes with an uneven surface) in the white matter,
//     periventricular (within 6 mm of a ventricle) or deep; bright in FLAIR (1.7 to 2.4 times white
//     matter) AND dark or faint in T1 (20 to 55 % darker): label 1;
//   - distractors: FLAIR-bright blobs with normal T1 (deep white matter or cortex): NOT lesions;
//   - a multiplicative bias field per modality and Gaussian noise inside the brain.
// Labels: 0 background (outside the brain and CSF other than the ventricles), 1 lesion,
// 2 lateral ventricles, 3 white matter, 4 grey matter. The same seed gives the same case on every
// platform (synthetic/SplitMix64.h).

#include <cstdint>

#include "volume/Image.h"

namespace voxplain {

/// Label values of the realistic phantom's ground truth.
enum class BrainLabel : std::uint16_t { Background = 0, Lesion = 1, Ventricles = 2, WhiteMatter = 3, GreyMatter = 4 };

struct BrainPhantomOptions {
  Size3 size{80, 96, 80};
  Vec3 spacing{2.0, 2.0, 2.0};  ///< mm
  std::uint64_t seed = 1;
  int minLesions = 3, maxLesions = 9;  ///< lesions drawn uniformly in [min, max]
  int minDistractors = 2, maxDistractors = 5;
  double minRadiusMm = 2.5, maxRadiusMm = 7.0;  ///< lesion size, log-uniform
  double deformationMm = 2.0;                   ///< standard deviation of each displacement component
  double biasField = 0.08;                      ///< standard deviation of the log bias field (at most)
  double noise = 0.03;                          ///< Gaussian noise, fraction of white matter's intensity
};

struct BrainLesionPhantom {
  Volume flair, t1;
  LabelVolume labels;           ///< BrainLabel values
  LabelVolume lesions;          ///< 0/1
  LabelVolume lesionInstances;  ///< 0 background, 1..N the 26-connected lesions
  int lesionCount = 0;          ///< connected lesions (lesions that touch count once)
  int distractorCount = 0;      ///< FLAIR-bright blobs placed
};

/// `anatomy`: a brain-extracted T1 (zero outside the brain), any grid; the output grid has the
/// anatomy's axes, `options.size` and `options.spacing`, centred on the anatomy's brain.
/// Throws std::invalid_argument on an empty anatomy, a size below 16 or a non-positive spacing.
BrainLesionPhantom makeBrainLesionPhantom(const Volume& anatomy, const BrainPhantomOptions& options);

}  // namespace voxplain
