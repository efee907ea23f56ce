#pragma once
// The importance figures of a case or a cohort, built once from core numbers for every front end:
// the app shows and saves these charts, the CLI's report, `modalities` and `merge` commands write
// them (analysis/SvgCharts.h draws them), so a figure looks the same wherever it was made.
//  - modality importance: share of |A| per modality and, when computed, the Shapley share
//    phi_m / sum |phi| (analysis/ModalityImportance.h);
//  - segment importance (Agg^2Exp, seed 002): share of the target's |A| in each predicted segment
//    (analysis/SegmentImportance.h), ranked largest first, and the class x segment matrix;
//  - cohort versions: means with +-1 sd whiskers (analysis/CohortMerge.h).

#include <map>
#include <string>
#include <vector>

#include "analysis/CohortMerge.h"
#include "analysis/SegmentImportance.h"
#include "analysis/SvgCharts.h"

namespace voxplain {

/// A segment's (or target class's) name in every chart and table: `labelNames` by label value,
/// else the SegmentInfo's name, else "label N" ("background" for 0).
std::string segmentName(const SegmentInfo& segment, const std::map<int, std::string>& labelNames = {});

/// Series "share of |A|" (when `absShare` is not empty: leave it empty for maps that do not differ by
/// modality, mapsDifferByModality) and, when `shapleyShare` is not empty, "Shapley share";
/// categories in the modalities' order. `method` goes in the title ("" leaves it out).
BarChart modalityImportanceChart(const std::vector<std::string>& modalities, const std::vector<double>& absShare,
                                 const std::vector<double>& shapleyShare, const std::string& method);

/// Segments ranked by the first target's share over all modalities, largest first. One target: a
/// series per modality and "all modalities"; several: a series per target (all modalities).
/// Segment and target names: segmentName.
BarChart segmentImportanceChart(const SegmentImportance& importance, const std::string& method,
                                const std::map<int, std::string>& labelNames = {});

/// The class x segment matrix (share of |A| over all modalities, 0..1) as SVG; names as above.
std::string segmentMatrixSvg(const SegmentImportance& importance, const std::string& method,
                             const std::map<int, std::string>& labelNames = {});

/// Cohort: mean share of |A| per modality (+-1 sd); empty categories when the cases had none.
BarChart cohortModalityChart(const CohortSummary& cohort);
/// Cohort: mean share of each target's |A| per segment over all modalities (+-1 sd), a series per
/// target, segments ranked by the first target's mean, largest first (absent cells: no bar).
BarChart cohortSegmentChart(const CohortSummary& cohort, const std::vector<std::string>& targets);
/// Cohort: the target x segment matrix of mean shares (missing cells hatched) as SVG.
std::string cohortMatrixSvg(const CohortSummary& cohort);

/// "Segment importance (integrated_gradients, 12 cases)": the method and case count of a cohort.
std::string cohortDescription(const CohortSummary& cohort);

}  // namespace voxplain
