// The analyses' measures on hand-checkable cases: rank statistics (against values worked out by
// hand and scipy's), segment importance of two cubes with known sums, modality shares and MSFI,
// agreement with masks, cohort merging and tables.
#include <QtTest>

#include <cmath>

#include "analysis/CohortMerge.h"
#include "analysis/CohortSummaryReader.h"
#include "analysis/CohortTable.h"
#include "analysis/ExplanationQuality.h"
#include "analysis/ImportanceCharts.h"
#include "analysis/MaskMorphology.h"
#include "analysis/ModalityImportance.h"
#include "analysis/RankStatistics.h"
#include "analysis/SegmentImportance.h"
#include "analysis/SegmentImportanceReader.h"
#include "analysis/SvgCharts.h"
#include "task/InputError.h"

using namespace voxplain;

namespace {
// 10 x 4 x 4 voxels of 2 x 1 x 1 mm. Segment "lesion" (label 1): x 0..1 (32 voxels); "organ"
// (label 2): x 2..4 (48 voxels); background the rest (80 voxels).
Geometry grid() {
  Geometry g;
  g.size = {10, 4, 4};
  g.spacing = {2, 1, 1};
  return g;
}
LabelVolume segments() {
  LabelVolume s(grid());
  for (std::size_t i = 0; i < s.voxelCount(); ++i) {
    const std::size_t x = i % 10;
    s.data()[i] = x < 2 ? 1 : x < 5 ? 2 : 0;
  }
  return s;
}
Volume filled(float lesion, float organ, float background) {
  Volume v(grid());
  const LabelVolume s = segments();
  for (std::size_t i = 0; i < v.voxelCount(); ++i)
    v.data()[i] = s.data()[i] == 1 ? lesion : s.data()[i] == 2 ? organ : background;
  return v;
}
}  // namespace

namespace {
// One case of `aggregate` as merge reads it: one cell (lesion, lesion, all) holding `share`.
nlohmann::json cohortCase(const std::string& id, double share) {
  return nlohmann::json{{"case", id},
                        {"model", {{"sha256", "abc"}}},
                        {"method", "saliency"},
                        {"parameters", nlohmann::json::object()},
                        {"segment_importance",
                         {{"modalities", {"FLAIR"}},
                          {"targets", {{{"label", 1}, {"name", "lesion"}}}},
                          {"segments", {{{"label", 1}, {"name", "lesion"}}}},
                          {"cells",
                           {{{"target", "lesion"},
                             {"segment", "lesion"},
                             {"modality", "all"},
                             {"share", share},
                             {"mean", 1.0},
                             {"per_mm3", 1.0},
                             {"signed", 1.0},
                             {"positive_share", 1.0},
                             {"negative_share", 0.0}}}}}}};
}
}  // namespace

class TestAnalysisMeasures : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void rocAucFromRanksEqualsPairCounting() {
    QCOMPARE(rocAuc({3, 2}, {1, 2}), 0.875);  // pairs: 1 + 1 + 1 + 0.5 of 4
    QCOMPARE(rocAuc({1, 1}, {1}), 0.5);
    QCOMPARE(rocAuc({}, {1}), -1.0);
  }
  void spearmanOfMonotoneAndReversedSeries() {
    QCOMPARE(spearman({1, 2, 3, 4}, {10, 20, 25, 100}), 1.0);
    QCOMPARE(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
    QCOMPARE(spearman({1, 2, 3}, {5, 5, 5}), 0.0);
    // Ties: ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): r = 4.5 / sqrt(4.5 * 5).
    QVERIFY(std::abs(spearman({1, 2, 2, 3}, {1, 2, 3, 4}) - 4.5 / std::sqrt(4.5 * 5)) < 1e-12);
  }
  void wilcoxonExactMatchesTheNullDistribution() {
    // d = 1..6, all positive: W+ = 21, the most extreme of 2^6 sign patterns: p = 2 / 64.
    const WilcoxonResult r = wilcoxonSignedRank({2, 3, 4, 5, 6, 7}, {1, 1, 1, 1, 1, 1});
    QVERIFY(r.exact);
    QCOMPARE(r.statistic, 21.0);
    QCOMPARE(r.p, 2.0 / 64.0);
    // d = (1, 2, 3, 4, -5): W+ = 10 of 15, min(W+, W-) = 5; the subsets of {1..5} with a sum
    // <= 5 number 10 of 32, so p = 2 * 10 / 32 = 0.625 (scipy.stats.wilcoxon gives the same).
    const WilcoxonResult s = wilcoxonSignedRank({1, 2, 3, 4, -5}, {0, 0, 0, 0, 0});
    QCOMPARE(s.statistic, 10.0);
    QCOMPARE(s.p, 0.625);
  }
  void wilcoxonNormalApproximationWithTies() {
    std::vector<double> a, b;
    for (int i = 0; i < 30; ++i) a.push_back(i % 3 == 0 ? 2 : 1), b.push_back(0);  // all positive, tied
    const WilcoxonResult r = wilcoxonSignedRank(a, b);
    QVERIFY(!r.exact);
    QVERIFY(r.p < 1e-5);
    QCOMPARE(wilcoxonSignedRank({1, 2}, {1, 2}).p, 1.0);  // no differences
  }
  void spreadUsesTheSampleStandardDeviation() {
    const Spread s = spreadOf({1, 2, 3, 4});
    QCOMPARE(s.mean, 2.5);
    QVERIFY(std::abs(s.sd - std::sqrt(5.0 / 3.0)) < 1e-12);
    QCOMPARE(s.min, 1.0);
    QCOMPARE(s.max, 4.0);
  }
  void segmentImportanceOfKnownSums() {
    // FLAIR map: lesion 1 per voxel, organ -0.5, background 0.1; T1 map: lesion 0, organ 1, background 0.
    const SegmentImportance si =
        segmentImportance(segments(), {{0, "background"}, {1, "lesion"}, {2, "organ"}}, {"FLAIR", "T1"},
                          {{{1, "lesion"}, {filled(1, -0.5f, 0.1f), filled(0, 1, 0)}}});
    QCOMPARE(si.segments.size(), std::size_t(3));
    QCOMPARE(si.segments[1].name, std::string("lesion"));
    QCOMPARE(si.segmentVoxels[1], std::size_t(32));
    QCOMPARE(si.segmentMm3[1], 64.0);
    const double flairTotal = 32 * 1 + 48 * 0.5 + 80 * 0.1;  // 64
    const SegmentCell& lesionFlair = si.cells[0][1][0];
    QVERIFY(std::abs(lesionFlair.share - 32 / flairTotal) < 1e-6);
    QVERIFY(std::abs(lesionFlair.mean - 1.0) < 1e-6);
    QVERIFY(std::abs(lesionFlair.perMm3 - 0.5) < 1e-6);
    QVERIFY(std::abs(si.cells[0][2][0].signedSum + 24) < 1e-5);
    QVERIFY(std::abs(si.cells[0][2][0].negativeShare - 1.0) < 1e-6);    // all negative FLAIR is in the organ
    QVERIFY(std::abs(lesionFlair.positiveShare - 32.0 / 40.0) < 1e-6);  // positive: 32 lesion + 8 background
    const double allTotal = flairTotal + 48;                            // T1 adds 48 in the organ
    QVERIFY(std::abs(si.cells[0][2][2].share - (24 + 48) / allTotal) < 1e-6);
    double sum = 0;
    for (std::size_t s = 0; s < 3; ++s) sum += si.cells[0][s][2].share;
    QVERIFY(std::abs(sum - 1) < 1e-9);
  }
  void segmentImportanceReadsBackFromItsJson() {
    const SegmentImportance si =
        segmentImportance(segments(), {{0, "background"}, {1, "lesion"}, {2, "organ"}}, {"FLAIR", "T1"},
                          {{{1, "lesion"}, {filled(1, -0.5f, 0.1f), filled(0, 1, 0)}}});
    const SegmentImportance back = segmentImportanceFromJson(si.toJson(), "s.voxplain");
    QVERIFY(back.toJson() == si.toJson());
    nlohmann::json damaged = si.toJson();
    damaged["cells"][3]["segment"] = "liver";
    try {
      segmentImportanceFromJson(damaged, "s.voxplain");
      QFAIL("a cell naming an unknown segment was read");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()) == "s.voxplain: cells[3].segment: 'liver' is not listed", e.what());
    }
  }
  void segmentImportanceRejectsAMapOnAnotherGrid() {
    Geometry other = grid();
    other.spacing = {1, 1, 1};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             segmentImportance(segments(), {}, {"FLAIR"}, {{{1, "lesion"}, {Volume(other)}}}));
  }
  void modalitySharesAndMsfi() {
    const Volume flair = filled(2, 0, 0), t1 = filled(1, -1, 1);  // |A|: 64 and 32 + 48 + 80 = 160
    const std::vector<double> shares = absShares({flair, t1});
    QVERIFY(std::abs(shares[0] - 64.0 / 224.0) < 1e-9);
    const LabelVolume s = segments();
    LabelVolume lesion(grid());
    for (std::size_t i = 0; i < s.voxelCount(); ++i) lesion.data()[i] = s.data()[i] == 1;
    QCOMPARE(positiveFractionInside(flair, lesion), 1.0);
    QVERIFY(std::abs(positiveFractionInside(t1, lesion) - 32.0 / 112.0) < 1e-9);
    // Weights min-max normalised: FLAIR (phi 3) -> 1, T1 (phi 1) -> 0: MSFI = FP of FLAIR.
    QCOMPARE(msfi({flair, t1}, {lesion, lesion}, {3, 1}), 1.0);
    QVERIFY(std::abs(msfi({flair, t1}, {lesion, lesion}, {1, 3}) - 32.0 / 112.0) < 1e-9);
    QVERIFY(std::abs(msfi({flair, t1}, {lesion, lesion}, {2, 2}) - (1 + 32.0 / 112.0) / 2) < 1e-9);  // equal: weights 1
    ModalityImportance mi;
    mi.modalities = {"FLAIR", "T1"};
    mi.absShare = shares;
    mi.setShapley({3, -1}, 2);
    QCOMPARE(mi.shapleyShare[1], -0.25);
    QCOMPARE(mi.topByShapley(), std::size_t(0));
    QCOMPARE(mi.topByShare(), std::size_t(1));
  }
  void maskAgreementOfAPerfectAndAUniformMap() {
    const LabelVolume s = segments();
    LabelVolume lesion(grid());
    for (std::size_t i = 0; i < s.voxelCount(); ++i) lesion.data()[i] = s.data()[i] == 1;
    const MaskAgreement perfect = maskAgreement({filled(1, 0, 0)}, {lesion});
    QCOMPARE(perfect.energyInside, 1.0);
    QCOMPARE(perfect.auc, 1.0);
    const MaskAgreement uniform = maskAgreement({filled(1, 1, 1)}, {lesion});
    QCOMPARE(uniform.energyInside, 32.0 / 160.0);
    QCOMPARE(uniform.maskShare, 32.0 / 160.0);
    QCOMPARE(uniform.auc, 0.5);
  }
  void dilationByOneVoxelInMillimetres() {
    Geometry g;
    g.size = {7, 7, 7};
    LabelVolume m(g);
    m.at(3, 3, 3) = 1;
    const LabelVolume one = dilate(m, 1.0), none = dilate(m, 0.0);
    std::size_t count = 0;
    for (std::uint16_t v : one.voxels()) count += v;
    QCOMPARE(count, std::size_t(7));  // the centre and its 6 face neighbours
    count = 0;
    for (std::uint16_t v : none.voxels()) count += v;
    QCOMPARE(count, std::size_t(1));
  }
  void mergeGivesMeanAndSpreadPerCell() {
    const CohortSummary s = mergeCases({cohortCase("b", 0.2), cohortCase("a", 0.6)});
    QCOMPARE(s.cases, (std::vector<std::string>{"a", "b"}));
    const MergedCell* c = s.cell("lesion", "lesion", "all");
    QVERIFY(c);
    QCOMPARE(c->share.n, std::size_t(2));
    QVERIFY(std::abs(c->share.mean - 0.4) < 1e-12);
    QVERIFY(std::abs(c->share.sd - std::sqrt(0.08)) < 1e-12);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mergeCases({cohortCase("a", 0.2), cohortCase("a", 0.6)}));
    nlohmann::json other = cohortCase("c", 0.1);
    other["method"] = "gradcam";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mergeCases({cohortCase("a", 0.2), other}));
  }
  void cohortSummaryReadsBackAndRefusesDamage() {
    const CohortSummary merged = mergeCases({cohortCase("b", 0.2), cohortCase("a", 0.6)});
    const CohortSummary back = cohortSummaryFromJson(merged.toJson(), "cohort.json");
    QCOMPARE(back.cases, merged.cases);
    QCOMPARE(back.toJson().dump(), merged.toJson().dump());  // every field survives
    auto refused = [](const nlohmann::json& j, const QString& expected) {
      try {
        cohortSummaryFromJson(j, "cohort.json");
      } catch (const InputError& e) {
        return QString(e.what()).startsWith("cohort.json: " + expected);
      }
      return false;
    };
    nlohmann::json j = merged.toJson();
    j["cells"][0].erase("share");
    QVERIFY(refused(j, "cells[0].share: missing"));
    j = merged.toJson();
    j["cells"][0]["share"]["mean"] = "high";
    QVERIFY(refused(j, "cells[0].share.mean: must be a number"));
    j = merged.toJson();
    j["cells"][0]["segment"] = "liver";
    QVERIFY(refused(j, "cells[0].segment: \"liver\" is not among the segments"));
    j = merged.toJson();
    j["cells"][0]["share"]["n"] = -3;
    QVERIFY(refused(j, "cells[0].share.n: must be a count"));
    QVERIFY(refused(nlohmann::json::array(), "(top level): must be an object"));
    QVERIFY(refused(nlohmann::json{{"name", "a model manifest"}}, "cases: missing"));
  }
  void cohortTableResolvesPathsAndRejectsBadRows() {
    const auto cases =
        parseCohortTable("# cohort\ncase,t1,FLAIR\nc1,a/t1.nii.gz,\"/abs/f,1.nii\"\n\nc2,t1b.nii,f2.nii\n",
                         "/data/cases.csv", {"FLAIR", "T1"});
    QCOMPARE(cases.size(), std::size_t(2));
    QCOMPARE(cases[0].inputs, (std::vector<std::string>{"/abs/f,1.nii", "/data/a/t1.nii.gz"}));
    QCOMPARE(cases[1].line, std::size_t(5));
    QVERIFY_THROWS_EXCEPTION(InputError,
                             parseCohortTable("case,FLAIR\nc1,f.nii\n", "x.csv", {"FLAIR", "T1"}));  // no T1 column
    QVERIFY_THROWS_EXCEPTION(InputError,
                             parseCohortTable("case,FLAIR\nc1,f\nc1,g\n", "x.csv", {"FLAIR"}));  // duplicate id
    QVERIFY_THROWS_EXCEPTION(InputError,
                             parseCohortTable("case,FLAIR\n../up,f\n", "x.csv", {"FLAIR"}));     // not a file name
    QVERIFY_THROWS_EXCEPTION(InputError, parseCohortTable("case,FLAIR\n", "x.csv", {"FLAIR"}));  // no rows
    QVERIFY_THROWS_EXCEPTION(InputError, parseCohortTable("case,FLAIR\nc1,\"f\n", "x.csv", {"FLAIR"}));  // open quote
    try {
      parseCohortTable("case,FLAIR\nc1\n", "x.csv", {"FLAIR"});
      QFAIL("a short row must throw");
    } catch (const InputError& e) {
      QVERIFY(std::string(e.what()).find("x.csv:2") != std::string::npos);
    }
  }
  void shardsPartitionTheCohort() {
    std::vector<CohortCase> all(10);
    for (std::size_t i = 0; i < all.size(); ++i) all[i].id = std::to_string(i);
    std::size_t total = 0;
    for (int s = 1; s <= 4; ++s) total += shardOf(all, CaseShard{s, 4}).size();
    QCOMPARE(total, all.size());
    QCOMPARE(shardOf(all, CaseShard{2, 4}).front().id, std::string("1"));
    QVERIFY_THROWS_EXCEPTION(InputError, shardOf(all, CaseShard{0, 4}));
    QVERIFY_THROWS_EXCEPTION(InputError, shardOf(all, CaseShard{5, 4}));
  }
  // Shard 2/4 of 10 cases takes 1, 5, 9; the text must be exactly I/N.
  void shardTextIsParsedAndItsIndicesListed() {
    const CaseShard s = parseCaseShard("2/4");
    QCOMPARE(s.index, 2);
    QCOMPARE(s.count, 4);
    QCOMPARE(shardIndices(10, s), (std::vector<std::size_t>{1, 5, 9}));
    QCOMPARE(shardIndices(2, CaseShard{3, 3}), std::vector<std::size_t>{});
    for (const char* bad : {"2", "2/", "0/4", "5/4", "2/4x", "a/b", "2-4", "-1/4"}) {
      try {
        parseCaseShard(bad);
        QFAIL(bad);
      } catch (const InputError& e) {
        QVERIFY2(e.field() == InputField::Shard, e.what());
        QVERIFY2(!e.reason().empty(), e.what());
      }
    }
  }
  void chartsAreWellFormedSvgWithEscapedText() {
    const std::string m = matrixSvg("a < b", {"lesion"}, {"background", "x&y"}, {{0.25, NAN}}, "share");
    QVERIFY(m.find("a &lt; b") != std::string::npos);
    QVERIFY(m.find("x&amp;y") != std::string::npos);
    QVERIFY(m.find("url(#none)") != std::string::npos);  // the missing cell
    QVERIFY(m.rfind("</svg>") != std::string::npos);
    const std::string b = rankedBarsSvg("bars", {"small", "large"}, {0.1, 0.9}, {0.05, 0.1}, "share");
    QVERIFY(b.find("large") < b.find("small"));  // largest first
  }
  void barChartDrawsEverySeriesWithALegendAndASpanIncludingNegatives() {
    const BarChart chart{
        "grouped", {"FLAIR", "T1"}, {{"share of |A|", {0.25, 0.75}, {}}, {"Shapley share", {-0.2, 1.2}, {}}}, "share"};
    const std::string svg = barChartSvg(chart);
    QCOMPARE(chart.value("Shapley share", "FLAIR").value_or(0), -0.2);
    QVERIFY(!chart.value("Shapley share", "DWI"));
    QVERIFY(!chart.value("phi", "FLAIR"));
    QVERIFY(svg.find(">Shapley share</text>") != std::string::npos);  // legend entry
    QVERIFY(svg.find(">-0.200</text>") != std::string::npos);         // the negative value printed
    QVERIFY(svg.find(">-0.200</text>", svg.find(">-0.200</text>") + 1) !=
            std::string::npos);  // and the axis starts there
    QVERIFY(svg.find(">1.20</text>") != std::string::npos);
    std::size_t bars = 0;
    for (std::size_t at = svg.find("<rect x="); at != std::string::npos; at = svg.find("<rect x=", at + 1)) ++bars;
    QCOMPARE(bars, std::size_t(4 + 2));  // 2 x 2 bars and 2 legend swatches
  }
  void importanceChartsRankSegmentsAndNameSeriesLikeTheApp() {
    // FLAIR: lesion 32 of 64, organ 24, background 8; T1: organ only.
    const SegmentImportance si =
        segmentImportance(segments(), {{0, "background"}, {1, "lesion"}, {2, "organ"}}, {"FLAIR", "T1"},
                          {{{1, "lesion"}, {filled(1, -0.5f, 0.1f), filled(0, 1, 0)}}});
    const BarChart chart = segmentImportanceChart(si, "saliency", {{2, "liver"}});
    QCOMPARE(chart.title, std::string("Segment importance, Agg2Exp (saliency)"));
    QCOMPARE(chart.categories,
             (std::vector<std::string>{"liver", "lesion", "background"}));  // (24+48)/112, 32/112, 8/112
    QCOMPARE(chart.series.size(), std::size_t(3));
    QCOMPARE(chart.series[0].name, std::string("all modalities"));
    QCOMPARE(chart.series[2].name, std::string("T1"));
    QVERIFY(std::abs(chart.value("all modalities", "liver").value() - 72.0 / 112.0) < 1e-6);
    QVERIFY(std::abs(chart.value("FLAIR", "lesion").value() - 0.5) < 1e-6);
    const BarChart modalities = modalityImportanceChart({"FLAIR", "T1"}, {0.6, 0.4}, {}, "");
    QCOMPARE(modalities.series.size(), std::size_t(1));
    QCOMPARE(modalities.title, std::string("Modality importance"));
    const std::string matrix = segmentMatrixSvg(si, "saliency");
    QVERIFY(matrix.find(">organ</text>") != std::string::npos && matrix.find(">0.643</text>") != std::string::npos);
  }
  void cohortChartsCarryMeansWithSpreadAndSkipAbsentCells() {
    nlohmann::json other = cohortCase("b", 0.2);
    other["segment_importance"]["segments"].push_back({{"label", 2}, {"name", "organ"}});
    other["segment_importance"]["cells"].push_back({{"target", "lesion"},
                                                    {"segment", "organ"},
                                                    {"modality", "all"},
                                                    {"share", 0.8},
                                                    {"mean", 1.0},
                                                    {"per_mm3", 1.0},
                                                    {"signed", 1.0},
                                                    {"positive_share", 1.0},
                                                    {"negative_share", 0.0}});
    const CohortSummary cohort = mergeCases({other, cohortCase("a", 0.6)});
    const BarChart chart = cohortSegmentChart(cohort, {"lesion"});
    QCOMPARE(chart.title, std::string("Segments driving 'lesion' (saliency, 2 cases)"));
    QCOMPARE(chart.categories, (std::vector<std::string>{"organ", "lesion"}));  // 0.8 (n 1) before 0.4 (n 2)
    QVERIFY(std::abs(chart.series[0].values[1] - 0.4) < 1e-12);
    QVERIFY(std::abs(chart.series[0].errors[1] - std::sqrt(0.08)) < 1e-12);
    QCOMPARE(chart.series[0].errors[0], 0.0);  // one case: no spread
    QVERIFY(cohortMatrixSvg(cohort).find("(saliency, 2 cases)") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestAnalysisMeasures)
#include "test_analysis_measures.moc"
