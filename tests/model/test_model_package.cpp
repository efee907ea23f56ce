// Model packages: manifest validation names the wrong field; MONAI bundles and bare TorchScript
// files open with their documented defaults; the SHA-256 check catches a changed model file.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "attribution/Explainer.h"
#include "model/ModelPackage.h"
#include "model/Preprocessing.h"
#include "synthetic/LesionPhantom.h"
#include "task/InputError.h"

using namespace voxplain;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
json demoManifest() {
  std::ifstream in(VOXPLAIN_DEMO_MODEL);
  return json::parse(in);
}
}  // namespace

class TestModelPackage : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

 private Q_SLOTS:
  void demoPackageOpensWithItsManifest() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    QCOMPARE(pkg.classes(), 2);
    QCOMPARE(QString::fromStdString(pkg.manifest().inputs[1].name), QString("T1"));
    QCOMPARE(pkg.manifest().patchSize, (std::array<int, 3>{48, 48, 48}));
    QCOMPARE(QString::fromStdString(pkg.sha256()), QString::fromStdString(demoManifest()["sha256"]));
  }
  void badFieldsAreNamed_data() {
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("field");
    QTest::newRow("patch") << "/sliding_window/patch_size"
                           << "[48, -1, 48]"
                           << "sliding_window.patch_size";
    QTest::newRow("overlap") << "/sliding_window/overlap"
                             << "1.5"
                             << "sliding_window.overlap";
    QTest::newRow("activation") << "/output/activation"
                                << "\"tanh\""
                                << "output.activation";
    QTest::newRow("normalisation") << "/inputs/0/normalization/type"
                                   << "\"magic\""
                                   << "inputs[0].normalization.type";
    QTest::newRow("label colour") << "/labels/1/color"
                                  << "[1, 2]"
                                  << "labels[1].color";
    QTest::newRow("spacing") << "/spacing"
                             << "[1, 0, 1]"
                             << "spacing";
    QTest::newRow("inputs") << "/inputs"
                            << "[]"
                            << "inputs";
    QTest::newRow("sha") << "/sha256"
                         << "\"xyz\""
                         << "sha256";
  }
  void badFieldsAreNamed() {
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, field);
    json j = demoManifest();
    j[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
    try {
      parseManifest(j, fs::path(VOXPLAIN_DEMO_MODEL).parent_path(), "m.json");
      QFAIL("accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).startsWith("m.json: " + field + ":"), e.what());
    }
  }
  void missingModelFieldIsNamed() {
    json j = demoManifest();
    j.erase("model");
    QVERIFY_THROWS_EXCEPTION(InputError, parseManifest(j, ".", "m.json"));
  }
  void changedModelFileFailsTheShaCheck() {
    json j = demoManifest();
    j["model"] = (fs::path(VOXPLAIN_DEMO_MODEL).parent_path() / "demo_unet.pt").string();
    j["sha256"] = std::string(64, '0');
    std::ofstream(path("tampered.json")) << j.dump();
    try {
      ModelPackage::open(path("tampered.json"));
      QFAIL("accepted");
    } catch (const InputError& e) {
      QVERIFY2(QString(e.what()).contains("SHA-256"), e.what());
    }
    ModelPackage::open(path("tampered.json"), {}, /*verifySha=*/false);
  }
  void bareTorchScriptGetsDefaultsAndSaysSo() {
    fs::copy_file(fs::path(VOXPLAIN_DEMO_MODEL).parent_path() / "demo_unet.pt", path("bare.pt"));
    ModelPackage pkg = ModelPackage::open(path("bare.pt"), {"flair", "t1"});
    const ModelManifest& m = pkg.manifest();
    QCOMPARE(pkg.classes(), 2);
    QCOMPARE(QString::fromStdString(m.labels[1].name), QString("label 1"));
    QCOMPARE(m.patchSize, (std::array<int, 3>{128, 128, 128}));
    QCOMPARE(QString::fromStdString(m.inputs[0].name), QString("flair"));
    QVERIFY(m.inputs[0].normalization.type == Normalization::Type::None);
    QVERIFY(!m.notes.empty() && QString::fromStdString(m.notes[0]).contains("no manifest"));
  }
  // Opened without input names (as the app opens a model before any study), a bare file's inputs
  // are placeholders: a study feeds them in its order and the maps carry the study's names; named
  // after the volumes assigned to them, the study feeds them by name.
  void unnamedInputsTakeTheStudysNames() {
    fs::copy_file(fs::path(VOXPLAIN_DEMO_MODEL).parent_path() / "demo_unet.pt", path("unnamed.pt"));
    ModelPackage pkg = ModelPackage::open(path("unnamed.pt"));
    QVERIFY(pkg.manifest().inputNamesGuessed);
    QCOMPARE(pkg.manifest().inputs.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(pkg.manifest().inputs[0].name), QString("input1"));
    LesionPhantomOptions options;
    options.size = {48, 48, 48};
    const LesionPhantom phantom = makeLesionPhantom(options);
    Study study;
    study.addModality("flair", "phantom", phantom.flair);
    study.addModality("t1", "phantom", phantom.t1);
    QCOMPARE(orderedInputs(study, pkg.manifest()).front(), &study.modalities()[0]);
    ExplainRequest request;
    request.method = "saliency";
    const Explanation e = explain(pkg, study, request);
    QCOMPARE(e.modalities, (std::vector<std::string>{"flair", "t1"}));

    pkg.nameInputs({"t1", "flair"});
    QCOMPARE(orderedInputs(study, pkg.manifest()).front(), &study.modalities()[1]);
    QCOMPARE(explain(pkg, study, request).modalities, (std::vector<std::string>{"t1", "flair"}));
  }
  void namingInputsRefusesWhatCannotBeRight() {
    fs::copy_file(fs::path(VOXPLAIN_DEMO_MODEL).parent_path() / "demo_unet.pt", path("unnamed2.pt"));
    ModelPackage bare = ModelPackage::open(path("unnamed2.pt"));
    QVERIFY_THROWS_EXCEPTION(InputError, bare.nameInputs({"FLAIR"}));
    QVERIFY_THROWS_EXCEPTION(InputError, bare.nameInputs({"FLAIR", "flair"}));
    QVERIFY_THROWS_EXCEPTION(InputError, bare.nameInputs({"FLAIR", ""}));
    QCOMPARE(QString::fromStdString(bare.manifest().inputs[1].name), QString("input2"));  // unchanged
    ModelPackage named = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    QVERIFY(!named.manifest().inputNamesGuessed);
    QVERIFY_THROWS_EXCEPTION(InputError, named.nameInputs({"a", "b"}));
  }
  void monaiBundleMapsNetworkDataFormat() {
    fs::create_directories(path("bundle/configs"));
    fs::create_directories(path("bundle/models"));
    fs::copy_file(fs::path(VOXPLAIN_DEMO_MODEL).parent_path() / "demo_unet.pt", path("bundle/models/model.ts"));
    const json meta = {
        {"name", "lesion bundle"},
        {"version", "0.2"},
        {"network_data_format",
         {{"inputs",
           {{"image",
             {{"num_channels", 2}, {"spatial_shape", {32, 32, 32}}, {"channel_def", {{"0", "FLAIR"}, {"1", "T1"}}}}}}},
          {"outputs", {{"pred", {{"num_channels", 2}, {"channel_def", {{"0", "background"}, {"1", "lesion"}}}}}}}}}};
    std::ofstream(path("bundle/configs/metadata.json")) << meta.dump();
    ModelPackage pkg = ModelPackage::open(path("bundle"));
    QCOMPARE(QString::fromStdString(pkg.manifest().name), QString("lesion bundle"));
    QCOMPARE(QString::fromStdString(pkg.manifest().inputs[1].name), QString("T1"));
    QCOMPARE(QString::fromStdString(pkg.manifest().labels[1].name), QString("lesion"));
    QCOMPARE(pkg.manifest().patchSize, (std::array<int, 3>{32, 32, 32}));
  }
  void notAModelIsAnInputError() {
    std::ofstream(path("junk.pt")) << "not a zip";
    QVERIFY_THROWS_EXCEPTION(InputError, ModelPackage::open(path("junk.pt"), {"a"}));
    QVERIFY_THROWS_EXCEPTION(InputError, ModelPackage::open(path("absent.pt"), {"a"}));
  }
  void submodulesAreListedWithShapes() {
    ModelPackage pkg = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
    const auto modules = pkg.describeSubmodules({16, 16, 16});
    bool found = false;
    for (const auto& s : modules)
      if (s.name == "dec1.conv2") {
        found = true;
        QCOMPARE(s.outputShape, (std::vector<std::int64_t>{1, 8, 16, 16, 16}));
      }
    QVERIFY(found);
  }
};

QTEST_GUILESS_MAIN(TestModelPackage)
#include "test_model_package.moc"
