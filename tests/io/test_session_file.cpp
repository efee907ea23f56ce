// Session files (.voxplain): a round trip keeps every field, paths below the session's folder are
// stored relative (the folder can move), and damaged or foreign files fail naming the file and the
// field.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "io/SessionFile.h"
#include "task/InputError.h"

using namespace voxplain;
namespace fs = std::filesystem;

class TestSessionFile : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path root() const { return fs::path(dir_.path().toStdString()); }

  Session sample() const {
    Session s;
    s.study = {{(root() / "study" / "FLAIR.nii.gz").string(), "", "FLAIR"}, {"/elsewhere/dicom/T1", "1.2.3", "T1"}};
    s.model = (root() / "model.json").string();
    s.prediction = (root() / "s_files" / "prediction.nii.gz").string();
    SessionRun run;
    run.method = "integrated_gradients";
    run.methodLabel = "Integrated Gradients";
    run.target = "class=1";
    run.parameters = "steps=8";
    run.device = "cpu";
    run.seconds = 12.5;
    run.modalities = {"FLAIR", "T1"};
    run.maps = {(root() / "s_files" / "run1_FLAIR.nii.gz").string(), (root() / "s_files" / "run1_T1.nii.gz").string()};
    run.modalityShares = {0.25, 0.75};
    run.segments = nlohmann::json{{"modalities", {"FLAIR", "T1"}}};
    s.runs = {run};
    s.shownRun = 0;
    s.view = {{"zoom", 2.0}, {"colormap", "viridis"}};
    return s;
  }

  // Writes `text` as a session file and returns the message of the InputError its reading throws.
  std::string failureOf(const std::string& text) {
    const fs::path file = root() / "bad.voxplain";
    std::ofstream(file) << text;
    try {
      readSession(file);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }

 private Q_SLOTS:
  void roundTripKeepsEveryField() {
    const fs::path file = root() / "s.voxplain";
    writeSession(file, sample(), Overwrite::Refuse);
    const Session read = readSession(file);
    const Session expected = sample();
    QCOMPARE(read.study.size(), std::size_t(2));
    QCOMPARE(read.study[0].path, expected.study[0].path);
    QCOMPARE(read.study[1].path, expected.study[1].path);
    QCOMPARE(read.study[1].series, std::string("1.2.3"));
    QCOMPARE(read.model, expected.model);
    QCOMPARE(read.prediction, expected.prediction);
    QCOMPARE(read.runs.size(), std::size_t(1));
    QCOMPARE(read.runs[0].maps, expected.runs[0].maps);
    QCOMPARE(read.runs[0].parameters, std::string("steps=8"));
    QCOMPARE(read.runs[0].seconds, 12.5);
    QCOMPARE(read.runs[0].modalityShares, expected.runs[0].modalityShares);
    QVERIFY(read.runs[0].segments == expected.runs[0].segments);
    QCOMPARE(read.shownRun, 0);
    QVERIFY(read.view == expected.view);
  }

  void pathsBelowTheSessionAreRelative() {
    const fs::path file = root() / "rel.voxplain";
    writeSession(file, sample(), Overwrite::Refuse);
    std::ifstream in(file);
    const nlohmann::json json = nlohmann::json::parse(in);
    QCOMPARE(json["study"][0]["path"].get<std::string>(), std::string("study/FLAIR.nii.gz"));
    QCOMPARE(json["study"][1]["path"].get<std::string>(), std::string("/elsewhere/dicom/T1"));  // outside: absolute
    QCOMPARE(json["runs"][0]["maps"][0].get<std::string>(), std::string("s_files/run1_FLAIR.nii.gz"));
    // The folder moves: relative paths follow it.
    const fs::path moved = root() / "moved";
    fs::create_directories(moved);
    fs::copy_file(file, moved / "rel.voxplain");
    QCOMPARE(readSession(moved / "rel.voxplain").study[0].path, (moved / "study" / "FLAIR.nii.gz").string());
  }

  void existingSessionIsNotOverwrittenUnlessAsked() {
    const fs::path file = root() / "kept.voxplain";
    writeSession(file, sample(), Overwrite::Refuse);
    QVERIFY_THROWS_EXCEPTION(InputError, writeSession(file, Session{}, Overwrite::Refuse));
    QCOMPARE(readSession(file).runs.size(), std::size_t(1));
    writeSession(file, Session{}, Overwrite::Allow);
    QCOMPARE(readSession(file).runs.size(), std::size_t(0));
  }

  void damagedOrForeignFilesNameTheFileAndTheField_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "{\"format\": "
                              << "not valid JSON";
    QTest::newRow("foreign json") << "{\"name\": \"a model manifest\"}"
                                  << "format: missing or not \"voxplain-session\"";
    QTest::newRow("newer schema") << R"({"format":"voxplain-session","schema_version":7,"study":[]})"
                                  << "schema_version: 7 was written by a newer Voxplain";
    QTest::newRow("no study") << R"({"format":"voxplain-session","schema_version":1})"
                              << "study: missing";
    QTest::newRow("path not a string") << R"({"format":"voxplain-session","schema_version":1,"study":[{"path":3}]})"
                                       << "study[0].path: must be a string";
    QTest::newRow("maps miscounted")
        << R"({"format":"voxplain-session","schema_version":1,"study":[],"runs":[{"method":"m","modalities":["A","B"],"maps":["a.nii"]}]})"
        << "runs[0].maps: 1 files for 2 modalities";
    QTest::newRow("share not a number")
        << R"({"format":"voxplain-session","schema_version":1,"study":[],"runs":[{"method":"m","modalities":["A"],"maps":["a"],"modality_shares":["x"]}]})"
        << "runs[0].modality_shares[0]: must be a number";
    QTest::newRow("shown run out of range")
        << R"({"format":"voxplain-session","schema_version":1,"study":[],"shown_run":3})"
        << "shown_run: 3 is not a run of this session";
    QTest::newRow("view not an object") << R"({"format":"voxplain-session","schema_version":1,"study":[],"view":[1]})"
                                        << "view: must be an object";
  }
  void damagedOrForeignFilesNameTheFileAndTheField() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::string message = failureOf(text.toStdString());
    QVERIFY2(message.find("bad.voxplain") != std::string::npos, message.c_str());
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }

  void missingFileIsNamed() {
    try {
      readSession(root() / "none.voxplain");
      QFAIL("a missing file was read");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find("none.voxplain: no such session file") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "test_session_file.moc"
