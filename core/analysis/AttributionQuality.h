#pragma once
// Attribution quality AQ of seed paper 000 (Mullan et al., "Kernel-weighted contribution",
// J. Med. Imaging 2023, and the metrics of their AttributionQuality package):
//
//   AQ = PP / RE + RFA (1 + EPA)
//
// computed on the map M = max(A, 0) / max(A) (the paper's CAMs are non-negative and scaled to
// [0, 1]; a signed map keeps its positive evidence):
//  - PP, prediction preserved: |B and B'| / |B|, B the model's segmentation of the input x, B' its
//    segmentation of x * M (every channel multiplied by its modality's M);
//  - RE, relative entropy: the DEFLATE compression ratio (compressed / raw bytes) of x * M over the
//    ratio of x (zlib at its default level, as SimpleITK's compressed NIfTI of the paper); a compact
//    map leaves an image that compresses well, RE < 1;
//  - RFA, relative foreground attribution: mean M over the foreground (the segmented object) minus
//    mean M over the background (voxels that are neither foreground, deciding background nor lure);
//  - EPA, external peak attribution: the share of attribution peaks outside the foreground that
//    hit deciding background features (below).
// A good map keeps the prediction with little of the image (PP / RE high) and sits on the object
// (RFA near 1); EPA rewards peaks outside the object only where the deciding features are.
//
// Peaks: voxels above the `peakPercentile` percentile of M (numpy's linear percentile), outside the
// foreground, grouped in face-connected components (SimpleITK's ConnectedComponent default); a
// peak under `minPeakMm3` is ignored. A peak that overlaps no deciding-background component is
// missed. One that overlaps some is a hit when the centroid of those whole components lies within
// `maxCentroidMm` of the peak's centroid and (the deciding voxels make more than `minPeakCoverage`
// of the peak, or the median share of those components the peak covers exceeds
// `medianComponentCoverage`, or it covers more than 90 % of at least `strongComponents` of them);
// a peak that overlaps but fails is neither hit nor missed (the paper's rule). EPA = hits /
// (hits + misses), 0 without hits. One deliberate difference: the package divides the deciding
// voxels inside a peak by the size of the first peak (label 1) rather than of that peak; here it is
// that peak's own size, as its documentation describes.

#include <cstdint>
#include <vector>

#include "volume/Image.h"

namespace voxplain {

/// Region codes of the label map the localisation terms read (the paper's full label image).
enum class QualityRegion : std::uint16_t {
  Background = 0,          ///< counts for RFA's background mean
  Foreground = 1,          ///< the segmented object
  DecidingBackground = 2,  ///< features outside the object that decide the label (EPA's hits)
  Lure = 3                 ///< neither: e.g. distractors that look like the object
};

struct PeakOptions {
  double peakPercentile = 99.0;  ///< [0, 100]
  double minPeakMm3 = 100.0;     ///< smaller peaks are ignored
  double maxCentroidMm = 10.0;
  double minPeakCoverage = 0.25;  ///< share of the peak that is deciding background
  double medianComponentCoverage = 0.75;
  int strongComponents = 3;  ///< components covered > 90 %
};

struct PeakLocalisation {
  double relativeForegroundAttribution = 0;  ///< RFA in [-1, 1]
  double externalPeakAttribution = 0;        ///< EPA in [0, 1]
  int peaksHit = 0, peaksMissed = 0, peaksUndecided = 0, peaksTooSmall = 0;
};

struct AttributionQuality {
  double predictionPreserved = 0;  ///< PP in [0, 1]
  double relativeEntropy = 1;      ///< RE > 0
  PeakLocalisation localisation;
  double score = 0;  ///< AQ
};

/// M per modality: max(A, 0) divided by the largest value over all maps (so that modalities keep
/// their relative weight); all zeros when no value is positive. Throws std::invalid_argument on
/// maps of different grids.
std::vector<Volume> unitAttributionMask(const std::vector<Volume>& maps);

/// One map for the localisation terms: the per-voxel maximum of the unit masks.
Volume combinedUnitMask(const std::vector<Volume>& unitMasks);

/// PP: |B and B'| / |B| with B = (baseline == label), B' = (masked == label). Throws
/// std::invalid_argument when B is empty or the grids differ.
double predictionPreserved(const LabelVolume& baseline, const LabelVolume& masked, std::uint16_t label);

/// Compressed / raw size of the float32 voxels of `channels` (one buffer, channel after channel),
/// DEFLATE at zlib's default level. Throws std::invalid_argument on no voxels, std::runtime_error
/// if zlib fails.
double compressionRatio(const std::vector<Volume>& channels);

/// The channels multiplied voxel-wise by their masks. Throws std::invalid_argument on a count or
/// grid mismatch.
std::vector<Volume> maskedChannels(const std::vector<Volume>& channels, const std::vector<Volume>& unitMasks);

/// RE: compressionRatio(x * M) / compressionRatio(x).
double relativeEntropy(const std::vector<Volume>& channels, const std::vector<Volume>& unitMasks);

/// RFA and EPA of `unitMask` over `regions` (QualityRegion codes). Throws std::invalid_argument on
/// grids that differ or an empty foreground or background.
PeakLocalisation peakLocalisation(const Volume& unitMask, const LabelVolume& regions, const PeakOptions& options = {});

/// AQ = PP / RE + RFA (1 + EPA).
double attributionQualityScore(double predictionPreserved, double relativeEntropy, double rfa, double epa);

}  // namespace voxplain
