// Targets: parsing, class and instance regions (26-connected components), ROI boxes, voxels.
#include <QtTest>

#include "AttributionTestSupport.h"
#include "analysis/ConnectedComponents.h"
#include "attribution/Explainer.h"
#include "attribution/Target.h"
#include "model/PredictedLabels.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

using namespace voxplain;

namespace {
LabelVolume twoCubes() {
  Geometry g;
  g.size = {10, 10, 10};
  LabelVolume l(g);
  for (int z = 1; z < 3; ++z)
    for (int y = 1; y < 3; ++y)
      for (int x = 1; x < 3; ++x) l.at(x, y, z) = 1;  // 8 voxels
  for (int z = 6; z < 9; ++z)
    for (int y = 6; y < 9; ++y)
      for (int x = 6; x < 9; ++x) l.at(x, y, z) = 1;  // 27 voxels
  l.at(4, 4, 4) = 2;
  return l;
}
}  // namespace

class TestTargets : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void parsesEveryForm() {
    QVERIFY(TargetSpec::parse("class=2").label == 2);
    QVERIFY(TargetSpec::parse("instance=all").kind == TargetSpec::Kind::AllInstances);
    QCOMPARE(TargetSpec::parse("instance=3").instance, 3);
    const TargetSpec roi = TargetSpec::parse("roi=1,2,3,4,5,6,mm;score=probability");
    QVERIFY(roi.kind == TargetSpec::Kind::Roi && roi.boxInMm && roi.probability);
    QCOMPARE(TargetSpec::parse("voxel=4,5,6").voxel[2], 6L);
    QVERIFY_THROWS_EXCEPTION(InputError, TargetSpec::parse("roi=1,2,3"));
    QVERIFY_THROWS_EXCEPTION(InputError, TargetSpec::parse("lesion=1"));
  }
  void diagonalNeighboursAreOneComponentWith26Connectivity() {
    std::vector<std::uint8_t> mask(27, 0);
    mask[0] = mask[13] = mask[26] = 1;  // (0,0,0), (1,1,1), (2,2,2)
    QCOMPARE(connectedComponents(mask, {3, 3, 3}, 26).count(), 1);
    QCOMPARE(connectedComponents(mask, {3, 3, 3}, 6).count(), 3);
    QCOMPARE(connectedComponents(mask, {3, 3, 3}, 26, 4).count(), 0);
  }
  void instancesAreTheComponentsOfTheClass() {
    const LabelVolume l = twoCubes();
    const auto regions = targetRegions(TargetSpec::parse("instance=all"), l, l.geometry());
    QCOMPARE(regions.size(), std::size_t(2));
    QCOMPARE(regions[0].voxels, std::size_t(8));
    QCOMPARE(regions[1].voxels, std::size_t(27));
    QCOMPARE(QString::fromStdString(regions[1].suffix), QString("instance2"));
    QCOMPARE(targetRegions(TargetSpec::parse("class=1"), l, l.geometry())[0].voxels, std::size_t(35));
    QVERIFY_THROWS_EXCEPTION(InputError, targetRegions(TargetSpec::parse("instance=3"), l, l.geometry()));
  }
  void roiAndVoxelSelectTheirVoxels() {
    const LabelVolume l = twoCubes();
    QCOMPARE(targetRegions(TargetSpec::parse("roi=0,0,0,1,1,1"), l, l.geometry())[0].voxels, std::size_t(8));
    QCOMPARE(targetRegions(TargetSpec::parse("voxel=9,9,9"), l, l.geometry())[0].voxels, std::size_t(1));
    QVERIFY_THROWS_EXCEPTION(InputError, targetRegions(TargetSpec::parse("roi=20,20,20,30,30,30"), l, l.geometry()));
  }
  // The front ends' factories give the targets the command line's text gives, without the text.
  void factoriesEqualTheParsedForms() {
    const LabelVolume l = twoCubes();
    const Geometry& g = l.geometry();
    QCOMPARE(targetRegions(TargetSpec::ofClass(1), l, g)[0].voxels,
             targetRegions(TargetSpec::parse("class=1"), l, g)[0].voxels);
    QCOMPARE(targetRegions(TargetSpec::allInstances(1), l, g).size(), std::size_t(2));
    QCOMPARE(targetRegions(TargetSpec::atVoxel(1, {9, 9, 9}), l, g)[0].voxels, std::size_t(1));
    // A box between two mm corners (identity geometry: mm = index), in any order; the corners are
    // kept as given, not rounded.
    const TargetSpec box = TargetSpec::inBoxMm(1, {1.04, 1.04, 1.04}, {0.0, 0.0, 0.0});
    QVERIFY(box.kind == TargetSpec::Kind::Roi && box.boxInMm);
    QCOMPARE(box.box[0], 0.0);
    QCOMPARE(box.box[3], 1.04);
    QCOMPARE(targetRegions(box, l, g)[0].voxels,
             targetRegions(TargetSpec::parse("roi=0,0,0,1.04,1.04,1.04,mm"), l, g)[0].voxels);
  }
  void labelsFromLogitsFollowTheActivation() {
    Geometry g;
    g.size = {3, 1, 1};
    // Channels x voxels: voxel 0 favours channel 1, voxel 1 channel 2, voxel 2 no channel above 0.
    const torch::Tensor logits =
        torch::tensor({-1.0f, -2.0f, -3.0f, 2.0f, 0.5f, -0.5f, 1.0f, 3.0f, -0.1f}).reshape({3, 3, 1, 1});
    ModelManifest softmax;
    softmax.labels = {{0, "background"}, {1, "lesion"}, {4, "ventricle"}};
    const LabelVolume s = labelsFromLogits(logits, softmax, g);
    QCOMPARE((std::vector<int>{s.data()[0], s.data()[1], s.data()[2]}), (std::vector<int>{1, 4, 4}));
    ModelManifest sigmoid;
    sigmoid.activation = "sigmoid";  // no labels: channel c is label c + 1
    const LabelVolume m = labelsFromLogits(logits, sigmoid, g);
    QCOMPARE((std::vector<int>{m.data()[0], m.data()[1], m.data()[2]}), (std::vector<int>{2, 3, 0}));
  }
  void classTargetCoversExactlyThePredictedSegmentation() {
    // With and without resampling to the model grid: the region of "class 1" is the set of voxels
    // that predict() labels 1, voxel for voxel on the study grid.
    for (const bool resample : {false, true}) {
      ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
      if (resample) pkg.manifest().spacing = std::array<double, 3>{1.7, 1.3, 1.9};
      const Study study = testing::phantomStudy({44, 40, 36}, 77);
      PredictOptions cpu;
      cpu.device = "cpu";
      const Prediction prediction = predict(pkg, study, cpu);
      ExplainRequest request;
      request.method = "saliency";
      request.runtime = cpu;
      ExplanationSession session(pkg, study, request);
      const LabelVolume& written = prediction.labels;
      const LabelVolume& explained = session.predictedLabels();
      std::size_t differ = 0, predicted = 0;
      ParameterSet none;
      const Explanation e = session.explain("saliency", none);
      for (std::size_t i = 0; i < written.voxelCount(); ++i) {
        predicted += written.data()[i] == 1;
        differ += (written.data()[i] == 1) != (e.regionIds.data()[i] != 0);
        differ += written.data()[i] != explained.data()[i];
      }
      QVERIFY2(predicted > 100, qPrintable(QString("only %1 voxels predicted").arg(predicted)));
      QVERIFY2(differ == 0, qPrintable(QString("resample=%1: %2 voxels differ").arg(resample).arg(differ)));
      // The same with the prediction handed over (no second forward pass).
      request.prediction = std::make_shared<const Prediction>(prediction);
      ExplanationSession reused(pkg, study, request);
      QVERIFY(std::equal(written.data(), written.data() + written.voxelCount(), reused.predictedLabels().data()));
    }
  }
  // AQ through a session on the demo model: a uniform map keeps the whole input, so PP = RE = 1 and
  // RFA = 0, AQ = 1 exactly; a map on the lesions alone has RFA = 1 and keeps little of the image
  // (RE well below 1). ROI targets have no prediction to preserve.
  void attributionQualityOfAUniformMapIsOne() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    const Study study = testing::phantomStudy({48, 48, 48}, 9001);
    LesionPhantomOptions o;
    o.size = {48, 48, 48};
    o.seed = 9001;
    const LesionPhantom p = makeLesionPhantom(o);  // its lesions: the foreground
    ExplainRequest request;
    ExplanationSession session(pkg, study, request);
    const Geometry& g = p.lesions.geometry();
    LabelVolume regions(g);
    Volume onLesions(g, 0.0f);
    for (std::size_t i = 0; i < regions.voxelCount(); ++i)
      if (p.lesions.data()[i]) {
        regions.data()[i] = std::uint16_t(QualityRegion::Foreground);
        onLesions.data()[i] = 1.0f;
      }
    const AttributionQuality uniform = session.attributionQuality({Volume(g, 1.0f), Volume(g, 1.0f)}, regions);
    QCOMPARE(uniform.predictionPreserved, 1.0);
    QCOMPARE(uniform.relativeEntropy, 1.0);
    QCOMPARE(uniform.localisation.relativeForegroundAttribution, 0.0);
    QCOMPARE(uniform.score, 1.0);
    const AttributionQuality lesions = session.attributionQuality({onLesions, onLesions}, regions);
    QCOMPARE(lesions.localisation.relativeForegroundAttribution, 1.0);
    QVERIFY2(lesions.relativeEntropy < 0.5, qPrintable(QString::number(lesions.relativeEntropy)));
    QVERIFY(lesions.predictionPreserved >= 0.0 && lesions.predictionPreserved <= 1.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, session.attributionQuality({Volume(g, 1.0f)}, regions));

    ExplainRequest roi;
    roi.target = TargetSpec::parse("roi=10,10,10,20,20,20");
    ExplanationSession box(pkg, study, roi);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, box.attributionQuality({onLesions, onLesions}, regions));
  }
};

QTEST_APPLESS_MAIN(TestTargets)
#include "test_targets.moc"
