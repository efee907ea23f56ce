// The demo brain model's held-out scores, re-checked through the C++ pipeline: the held-out cases
// of resources/demo/brain_training_report.json generated again by the C++ generator on mricron-data's
// ch2bet, segmented by predict() (sliding window, Gaussian blending: not the training script's
// whole-volume pass), scored by analysis/SegmentationScores.h. A missing anatomy fails the test.
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "analysis/SegmentationScores.h"
#include "io/ImageReader.h"
#include "model/ModelPackage.h"
#include "model/SegmentationRunner.h"
#include "synthetic/BrainLesionPhantom.h"

using namespace voxplain;

class TestBrainDemoModel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void heldOutScoresMatchTheTrainingReport() {
    QVERIFY2(std::filesystem::exists(VOXPLAIN_BRAIN_ANATOMY),
             VOXPLAIN_BRAIN_ANATOMY ": missing; install Debian's mricron-data (setup.sh does)");
    const Volume anatomy = readImage(VOXPLAIN_BRAIN_ANATOMY).volumes.at(0);
    std::ifstream in(VOXPLAIN_BRAIN_REPORT);
    QVERIFY2(in, VOXPLAIN_BRAIN_REPORT ": cannot be read");
    const nlohmann::json report = nlohmann::json::parse(in);
    ModelPackage package = ModelPackage::open(VOXPLAIN_BRAIN_MODEL);
    const std::vector<std::string> classes{"lesion", "ventricles", "white matter", "grey matter"};
    std::vector<double> diceSum(classes.size(), 0.0);
    std::size_t references = 0, detected = 0, falsePositives = 0;
    const auto seeds = report.at("held_out_seeds").get<std::vector<std::uint64_t>>();
    for (std::uint64_t seed : seeds) {
      BrainPhantomOptions options;
      options.seed = seed;
      const BrainLesionPhantom p = makeBrainLesionPhantom(anatomy, options);
      Study study;
      study.addModality("FLAIR", "seed " + std::to_string(seed), p.flair);
      study.addModality("T1", "seed " + std::to_string(seed), p.t1);
      PredictOptions po;
      po.device = "cpu";
      const Prediction prediction = predict(package, study, po);
      for (std::size_t c = 0; c < classes.size(); ++c)
        diceSum[c] += diceOfLabel(prediction.labels, p.labels, std::uint16_t(c + 1));
      LabelVolume predictedLesions(prediction.labels.geometry());
      for (std::size_t i = 0; i < predictedLesions.voxelCount(); ++i)
        predictedLesions.voxels()[i] = prediction.labels.voxels()[i] == std::uint16_t(BrainLabel::Lesion);
      const LesionDetection d = lesionDetection(predictedLesions, p.lesions);
      references += d.referenceLesions;
      detected += d.detected;
      falsePositives += d.falsePositives;
    }
    const nlohmann::json& expected = report.at("held_out_dice_mean");
    for (std::size_t c = 0; c < classes.size(); ++c) {
      const double mean = diceSum[c] / double(seeds.size()), reported = expected.at(classes[c]).get<double>();
      qInfo("%s: Dice %.3f (training report %.3f)", classes[c].c_str(), mean, reported);
      QVERIFY2(std::abs(mean - reported) < 0.03, qPrintable(QString::fromStdString(classes[c])));
    }
    const nlohmann::json& detection = report.at("lesion_detection");
    qInfo("lesions: %zu of %zu detected, %zu false positives (report: %d of %d, %d)", detected, references,
          falsePositives, detection.at("detected").get<int>(), detection.at("reference_lesions").get<int>(),
          detection.at("false_positives").get<int>());
    // The generator is deterministic: the same reference lesions as the script counted.
    QCOMPARE(int(references), detection.at("reference_lesions").get<int>());
    QVERIFY(std::abs(int(detected) - detection.at("detected").get<int>()) <= 2);
    QVERIFY(std::abs(int(falsePositives) - detection.at("false_positives").get<int>()) <= 3);
  }
};

QTEST_GUILESS_MAIN(TestBrainDemoModel)
#include "test_brain_demo_model.moc"
