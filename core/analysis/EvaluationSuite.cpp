#include "analysis/EvaluationSuite.h"

#include "runtime/CsvWriter.h"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "analysis/AttributionQuality.h"
#include "analysis/ExplanationQuality.h"
#include "analysis/MaskMorphology.h"
#include "analysis/ModalityImportance.h"
#include "analysis/RankStatistics.h"
#include "analysis/SegmentationScores.h"
#include "attribution/AttributionMethod.h"
#include "model/ParameterRandomisation.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

// Metrics of a row, and whether larger is better.
const std::vector<std::pair<std::string, bool>>& metrics() {
  static const std::vector<std::pair<std::string, bool>> m{{"energy_inside", true},
                                                           {"auc", true},
                                                           {"aq", true},
                                                           {"pp", true},
                                                           {"re", false},
                                                           {"rfa", true},
                                                           {"msfi", true},
                                                           {"deletion_area", false},
                                                           {"insertion_area", true},
                                                           {"sanity_rho", false},
                                                           {"sanity_rho_own", false}};
  return m;
}

ParameterSet paramsFor(const EvaluationCombo& combo, const std::vector<std::string>& items) {
  const std::map<std::string, ParameterSet> byMethod = parseQualifiedParameters(items);
  ParameterSet p = byMethod.count(combo.method) ? byMethod.at(combo.method) : ParameterSet();
  if (!combo.group.empty()) p.set("group", combo.group);
  return p;
}

std::vector<double> absValues(const std::vector<Volume>& maps) {
  std::vector<double> v;
  for (const Volume& m : maps)
    for (std::size_t i = 0; i < m.voxelCount(); ++i) v.push_back(std::abs(double(m.data()[i])));
  return v;
}

// The label map of the attribution quality's localisation terms: lesions are the foreground,
// distractors the lures; this phantom has no deciding feature outside its lesions, so EPA is 0.
LabelVolume qualityRegions(const LesionPhantom& phantom) {
  LabelVolume regions(phantom.lesions.geometry());
  for (std::size_t i = 0; i < regions.voxelCount(); ++i)
    regions.data()[i] = std::uint16_t(phantom.lesions.data()[i]       ? QualityRegion::Foreground
                                      : phantom.distractors.data()[i] ? QualityRegion::Lure
                                                                      : QualityRegion::Background);
  return regions;
}

}  // namespace

std::vector<EvaluationCombo> evaluationCombos(const ModelManifest& manifest, const std::vector<std::string>& methods,
                                              const std::vector<std::string>& groups) {
  std::vector<std::string> names = methods;
  if (names.empty())
    for (const MethodInfo& info : methodRegistry())
      if (info.perVoxel) names.push_back(info.name);
  std::vector<std::string> layerGroups = groups;
  if (layerGroups.empty())
    for (const auto& [name, layers] : manifest.layerGroups) layerGroups.push_back(name);
  for (const std::string& g : layerGroups)
    if (!manifest.layerGroups.count(g))
      throw InputError(InputField::Layers, "", "the model has no layer group '" + g + "'");
  std::vector<EvaluationCombo> combos;
  for (const std::string& name : names) {
    const MethodInfo& info = findMethod(name);
    if (findParameter(info, "group") && !layerGroups.empty())  // one combination per layer group
      for (const std::string& g : layerGroups) combos.push_back({info.name, g});
    else
      combos.push_back({info.name, ""});
  }
  return combos;
}

nlohmann::json evaluateCase(ModelPackage& package, std::size_t index, const EvaluationOptions& options,
                            const TaskControl& control) {
  const ModelManifest& manifest = package.manifest();
  if (manifest.inputs.size() != 2)
    throw InputError(InputField::Model, "",
                     "the synthetic suite needs a model with two inputs (FLAIR, T1); this one has " +
                         std::to_string(manifest.inputs.size()));
  LesionPhantomOptions po;
  po.size = options.size;
  po.seed = options.firstSeed + index;
  po.informative = options.informative;
  LesionPhantom phantom = makeLesionPhantom(po);
  Study study;
  study.addModality(manifest.inputs[0].name, "phantom FLAIR seed " + std::to_string(po.seed), phantom.flair, control);
  study.addModality(manifest.inputs[1].name, "phantom T1 seed " + std::to_string(po.seed), phantom.t1, control);
  const std::vector<LabelVolume> deciding{phantom.decidingFlair, phantom.decidingT1};
  const std::vector<LabelVolume> dilated{dilate(phantom.decidingFlair, options.msfiDilationMm),
                                         dilate(phantom.decidingT1, options.msfiDilationMm)};
  const LabelVolume regions = qualityRegions(phantom);

  const std::size_t steps = options.combos.size() + 2;
  ExplainRequest request;
  request.target.label = manifest.defaultTargetLabel();
  request.runtime = options.runtime;
  ExplanationSession session(package, study, request, control.range(0, 1.0 / double(steps)));
  nlohmann::json record{{"case", index},
                        {"seed", po.seed},
                        {"dice", diceOfMasks(session.predictedLabels(), phantom.lesions)},
                        {"rows", nlohmann::json::array()}};
  if (options.informative != InformativeModality::Both)
    record["informative"] = informativeModalityName(options.informative);

  ParameterSet shapleyParams;
  const Explanation shapley = session.explain("modality_shapley", shapleyParams, control);
  const std::vector<double> phi = shapley.shapley.front().values;
  record["shapley"] = phi;

  std::unique_ptr<ExplanationSession> probability;
  if (options.faithfulness.steps > 0) {
    ExplainRequest p = request;
    p.target.probability = true;
    probability = std::make_unique<ExplanationSession>(package, study, p, control);
  }
  const bool sanity = int(index) < options.sanityCases;
  for (std::size_t c = 0; c < options.combos.size(); ++c) {
    const EvaluationCombo& combo = options.combos[c];
    const TaskControl step = control.range(double(c + 1) / double(steps), double(c + 2) / double(steps));
    step.step(0, "case " + std::to_string(index) + ": " + combo.name());
    const auto start = std::chrono::steady_clock::now();
    ParameterSet params = paramsFor(combo, options.params);
    const Explanation e = session.explain(combo.method, params, step);
    const std::vector<Volume>& maps = e.regions.front().perModality;
    const MaskAgreement q = maskAgreement(maps, deciding);
    nlohmann::json row{{"combo", combo.name()},
                       {"method", combo.method},
                       {"group", combo.group},
                       {"parameters", e.record["parameters"]},
                       {"energy_inside", q.energyInside},
                       {"auc", q.auc},
                       {"mask_share", q.maskShare},
                       {"msfi", msfi(maps, dilated, phi)},
                       {"abs_share", absShares(maps)}};
    if (options.attributionQuality) {
      const AttributionQuality aq = session.attributionQuality(maps, regions, {}, step);
      const PeakLocalisation& loc = aq.localisation;
      row["aq"] = aq.score;
      row["pp"] = aq.predictionPreserved;
      row["re"] = aq.relativeEntropy;
      row["rfa"] = loc.relativeForegroundAttribution;
      row["epa"] = loc.externalPeakAttribution;
      row["peaks"] = {{"hit", loc.peaksHit},
                      {"missed", loc.peaksMissed},
                      {"undecided", loc.peaksUndecided},
                      {"too_small", loc.peaksTooSmall}};
    }
    if (probability) {
      const FaithfulnessCurves f = probability->faithfulness(maps, 0, options.faithfulness, step);
      row["deletion_area"] = f.deletionArea;
      row["insertion_area"] = f.insertionArea;
      row["deletion"] = f.deletion;
      row["insertion"] = f.insertion;
      row["fractions"] = f.fractions;
    }
    if (sanity) {
      // Two targets (issue 17): the trained model's predicted region kept (the map must still
      // change), and the randomised model's own prediction (null where it predicts no lesion).
      const std::vector<double> original = absValues(maps);
      CascadingRandomisation cascade(package.module(), po.seed);
      const std::size_t blocks = cascade.blocks().size();
      nlohmann::json depth = nlohmann::json::array(), rho = nlohmann::json::array(), own = nlohmann::json::array();
      for (std::size_t k : {std::size_t(1), (blocks + 1) / 2, blocks}) {
        if (!depth.empty() && depth.back().get<std::size_t>() >= k) continue;
        cascade.randomiseFirst(k);
        ParameterSet again = paramsFor(combo, options.params);
        const Explanation r = session.explain(combo.method, again, step);
        depth.push_back(k);
        rho.push_back(spearman(original, absValues(r.regions.front().perModality)));
        try {
          ExplanationSession randomised(package, study, request, step);
          ParameterSet third = paramsFor(combo, options.params);
          const Explanation o = randomised.explain(combo.method, third, step);
          own.push_back(spearman(original, absValues(o.regions.front().perModality)));
        } catch (const InputError&) {  // the randomised model predicts no voxel of the class
          own.push_back(nullptr);
        }
      }
      cascade.restore();
      row["sanity"] = {{"blocks", depth}, {"rho", rho}, {"rho_own_target", own}, {"names", cascade.blocks()}};
      row["sanity_rho"] = rho.back();
      row["sanity_rho_own"] = own.back();
    }
    row["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    record["rows"].push_back(row);
  }
  control.step(1.0, "case " + std::to_string(index) + " done");
  return record;
}

nlohmann::json summariseEvaluation(const std::vector<nlohmann::json>& cases) {
  // values[combo][metric][case] (NaN where a case lacks the metric).
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, std::vector<double>>> values;
  for (std::size_t i = 0; i < cases.size(); ++i)
    for (const auto& row : cases[i].at("rows")) {
      const std::string combo = row.at("combo");
      if (!values.count(combo)) order.push_back(combo);
      for (const auto& [metric, higher] : metrics()) {
        auto& v = values[combo][metric];
        v.resize(cases.size(), NAN);
        if (row.contains(metric) && row[metric].is_number())
          v[i] = metric.rfind("sanity_rho", 0) == 0 ? std::abs(row[metric].get<double>()) : row[metric].get<double>();
      }
    }
  auto finite = [](const std::vector<double>& v) {
    std::vector<double> out;
    for (double x : v)
      if (std::isfinite(x)) out.push_back(x);
    return out;
  };
  nlohmann::json summary{{"cases", cases.size()},
                         {"metrics", nlohmann::json::array()},
                         {"combos", nlohmann::json::array()},
                         {"best", nlohmann::json::object()},
                         {"pairwise", nlohmann::json::array()}};
  std::map<std::string, std::string> best;
  for (const auto& [metric, higher] : metrics()) {
    summary["metrics"].push_back({{"name", metric}, {"higher_is_better", higher}});
    double bestMean = higher ? -INFINITY : INFINITY;
    for (const std::string& combo : order) {
      const std::vector<double> v = finite(values[combo][metric]);
      if (v.empty()) continue;
      const double mean = spreadOf(v).mean;
      if (higher ? mean > bestMean : mean < bestMean) bestMean = mean, best[metric] = combo;
    }
    if (best.count(metric)) summary["best"][metric] = best[metric];
  }
  // Paired over the cases where both have the metric.
  auto paired = [&](const std::string& a, const std::string& b, const std::string& metric) {
    std::vector<double> x, y;
    const auto &va = values[a][metric], &vb = values[b][metric];
    for (std::size_t i = 0; i < va.size() && i < vb.size(); ++i)
      if (std::isfinite(va[i]) && std::isfinite(vb[i])) x.push_back(va[i]), y.push_back(vb[i]);
    return wilcoxonSignedRank(x, y);
  };
  for (const std::string& combo : order) {
    nlohmann::json row{{"combo", combo}};
    for (const auto& [metric, higher] : metrics()) {
      const std::vector<double> v = finite(values[combo][metric]);
      if (v.empty()) continue;
      const Spread s = spreadOf(v);
      nlohmann::json cell{{"n", s.n}, {"mean", s.mean}, {"sd", s.sd}};
      if (best.count(metric) && best[metric] != combo) cell["p_vs_best"] = paired(combo, best[metric], metric).p;
      row[metric] = cell;
    }
    summary["combos"].push_back(row);
  }
  for (const auto& [metric, higher] : metrics())
    for (std::size_t a = 0; a < order.size(); ++a)
      for (std::size_t b = a + 1; b < order.size(); ++b) {
        if (finite(values[order[a]][metric]).empty() || finite(values[order[b]][metric]).empty()) continue;
        const WilcoxonResult w = paired(order[a], order[b], metric);
        summary["pairwise"].push_back({{"metric", metric},
                                       {"a", order[a]},
                                       {"b", order[b]},
                                       {"n", w.n},
                                       {"w_plus", w.statistic},
                                       {"p", w.p},
                                       {"exact", w.exact}});
      }
  return summary;
}

std::string evaluationCsv(const nlohmann::json& summary) {
  CsvWriter csv({"combo", "metric", "n", "mean", "sd", "p_vs_best"});
  for (const auto& row : summary.at("combos"))
    for (const auto& [metric, higher] : metrics()) {
      if (!row.contains(metric)) continue;
      const auto& c = row[metric];
      csv.row() << row["combo"].get<std::string>() << metric << c["n"].get<std::size_t>() << c["mean"].get<double>()
                << c["sd"].get<double>();
      if (c.contains("p_vs_best"))
        csv << c["p_vs_best"].get<double>();
      else
        csv.skip();
    }
  return csv.str();
}

std::string evaluationMarkdown(const nlohmann::json& summary) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  out << "| method [layers] |";
  for (const auto& [metric, higher] : metrics())
    out << " " << metric << (higher ? " (higher better)" : " (lower better)") << " |";
  out << "\n|---|";
  for (std::size_t i = 0; i < metrics().size(); ++i) out << "---|";
  out << "\n";
  for (const auto& row : summary.at("combos")) {
    out << "| " << row["combo"].get<std::string>() << " |";
    for (const auto& [metric, higher] : metrics()) {
      if (!row.contains(metric)) {
        out << " - |";
        continue;
      }
      const auto& c = row[metric];
      out << " " << c["mean"].get<double>() << " ± " << c["sd"].get<double>();
      if (c.contains("p_vs_best")) {
        const double p = c["p_vs_best"].get<double>();
        out << (p < 0.001 ? " (p<0.001)" : "");
        if (p >= 0.001) out << " (p=" << p << ")";
      } else {
        out << " **best**";
      }
      out << " |";
    }
    out << "\n";
  }
  out << "\nMean ± sd over " << summary.at("cases").get<std::size_t>()
      << " cases; p: two-sided paired Wilcoxon signed-rank test against the best combination of the column. "
         "sanity_rho is |Spearman| of |A| after randomising every block, the trained model's target kept; "
         "sanity_rho_own "
         "the same with the randomised model's own prediction as the target (lower = the map depends on the "
         "weights).\n";
  return out.str();
}

}  // namespace voxplain
