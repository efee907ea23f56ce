#pragma once
// Percentiles, one definition for every number and picture of the project: the statistics, the
// report's figures and the screen's window/level and colour ranges use these, so a figure and the
// screen agree (numpy.percentile's default, "linear": Hyndman & Fan 1996, definition 7).

#include <vector>

#include "volume/Image.h"

namespace voxplain {

/// The p-th percentile (p in [0, 100], clamped) of `values` with numpy.percentile's default
/// ("linear"): interpolates between the two nearest ranks. 0 for no values.
double percentile(std::vector<float> values, double p);

/// Several percentiles of one set of values (each as percentile()), in the order of `ps`; partitions
/// the values once per percentile instead of copying them.
std::vector<double> percentiles(std::vector<float> values, const std::vector<double>& ps);

/// The percentiles `ps` (each as percentile()) of `volume`'s finite voxels above `floor` (every
/// finite voxel when none is): an MR image's window ignores the air around the head (floor 0).
std::vector<double> percentilesAbove(const Volume& volume, const std::vector<double>& ps, float floor);
/// One of those.
double percentileAbove(const Volume& volume, double p, float floor);

}  // namespace voxplain
