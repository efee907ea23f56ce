#pragma once
// Quality of a map against ground-truth masks of the features that decide the label (design.md
// section 6; the approach of seed paper 000, Mullan et al. 2023, whose synthetic data labels the
// deciding feature). Features are (modality, voxel) pairs; masks are per modality because a
// feature may decide the label in one modality and not in another (synthetic/LesionPhantom.h).
//  - energy inside: sum of |A| inside the masks / sum of |A| (1 = all evidence on deciding voxels;
//    a uniform map scores the masks' share of the volume);
//  - ROC AUC of |A| for features inside vs outside the masks (0.5 = chance).

#include <vector>

#include "volume/Image.h"

namespace voxplain {

struct MaskAgreement {
  double energyInside = 0;  ///< in [0, 1]; 0 for an all-zero map
  double auc = -1;          ///< -1 when the masks are empty or cover everything
  double maskShare = 0;     ///< share of the features inside the masks (the uniform map's energy)
};

/// Throws std::invalid_argument on count or grid mismatches.
MaskAgreement maskAgreement(const std::vector<Volume>& maps, const std::vector<LabelVolume>& masks);

}  // namespace voxplain
