#pragma once
// The explanation evaluation suite on synthetic cases with ground truth (design.md section 6;
// issue 7): each case is a LesionPhantom (synthetic/LesionPhantom.h) whose deciding features are
// labelled; every method x layer-group combination is scored by
//  - quality against the deciding masks: energy inside / total and ROC AUC of |A|
//    (analysis/ExplanationQuality.h);
//  - attribution quality AQ = PP / RE + RFA (1 + EPA) of seed paper 000 (analysis/AttributionQuality.h):
//    lesions are the foreground, distractors the lures; with no deciding feature outside the
//    lesions in this phantom, EPA is 0 and AQ = PP / RE + RFA;
//  - MSFI with exact modality Shapley weights (analysis/ModalityImportance.h), masks dilated by
//    `msfiDilationMm`;
//  - faithfulness: deletion and insertion areas (attribution/FaithfulnessCurves.h) of the
//    probability score S = sum of the class probability over the predicted voxels;
//  - sanity: Spearman's rank correlation of |A| before and after cascading randomisation of the
//    model's parameters (model/ParameterRandomisation.h) at depths 1 (output block), half and all
//    blocks, on the first `sanityCases` cases (a map that keeps its ranks does not explain the model),
//    for two targets: the trained model's predicted region kept ("rho"), and the randomised model's
//    own prediction ("rho_own_target", null where it predicts no voxel of the class). On
//    segmentation the kept target region alone localises a gradient map, so the first can stay high
//    for a map that does depend on the weights; the second removes that.
// Maps explain S = the sum of the class logit over the predicted voxels (the engine's default).
// Cases are independent: the CLI stores each case's record and resumes where it stopped.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/Explainer.h"
#include "synthetic/LesionPhantom.h"
#include "volume/Image.h"

namespace voxplain {

struct EvaluationCombo {
  std::string method, group;  ///< group: a manifest layer group for CAM-family methods, else ""
  std::string name() const { return group.empty() ? method : method + "[" + group + "]"; }
};

struct EvaluationOptions {
  std::uint64_t firstSeed = 9000;  ///< case i is the phantom of seed firstSeed + i (never trained on)
  Size3 size{48, 48, 48};
  /// Which modality shows the lesions (LesionPhantomOptions::informative): Both for the demo model;
  /// Flair or T1 for models trained on those phantoms (only that modality's deciding mask is set,
  /// so MSFI and the modality Shapley values can name the informative modality).
  InformativeModality informative = InformativeModality::Both;
  std::vector<EvaluationCombo> combos;
  std::vector<std::string> params;   ///< "method.key=value" (e.g. "integrated_gradients.steps=16")
  FaithfulnessOptions faithfulness;  ///< steps 0: not measured
  int sanityCases = 2;
  bool attributionQuality = true;  ///< AQ and its terms (one more forward pass per combination)
  double msfiDilationMm = 2.0;
  PredictOptions runtime;
};

/// Combinations for `methods` (empty: every registered method with per-voxel maps, i.e. not
/// modality_shapley, MethodInfo::perVoxel) with each of `groups` for the methods that take a layer
/// group (empty: every group of the manifest). Throws InputError for an unknown method or group.
std::vector<EvaluationCombo> evaluationCombos(const ModelManifest& manifest, const std::vector<std::string>& methods,
                                              const std::vector<std::string>& groups);

/// Scores case `index` (seed firstSeed + index). Record: {"case", "seed", "dice", "shapley": [...],
/// "informative" (only when not Both),
/// "rows": [{"combo", "method", "group", "energy_inside", "auc", "mask_share", "aq", "pp", "re", "rfa",
/// "epa", "peaks": {"hit", "missed", "undecided", "too_small"}, "msfi",
/// "deletion_area", "insertion_area", "deletion", "insertion", "sanity": {"blocks", "rho",
/// "rho_own_target", "names"}, "sanity_rho", "sanity_rho_own", "seconds"}]}.
/// Throws InputError, OperationCancelled.
nlohmann::json evaluateCase(ModelPackage& package, std::size_t index, const EvaluationOptions& options,
                            const TaskControl& control = {});

/// Per combination: mean and sd of every metric over the cases, and two-sided paired Wilcoxon
/// signed-rank p-values against the best combination of each metric (higher is better except
/// RE, deletion area and |sanity rho|). {"metrics", "combos": [{"combo", "n", "<metric>": {mean, sd,
/// p_vs_best}}], "best": {metric: combo}, "pairwise": [{metric, a, b, p, n}]}.
nlohmann::json summariseEvaluation(const std::vector<nlohmann::json>& cases);

/// The summary as CSV rows (combo, metric, n, mean, sd, p_vs_best) and as a markdown table.
std::string evaluationCsv(const nlohmann::json& summary);
std::string evaluationMarkdown(const nlohmann::json& summary);

}  // namespace voxplain
