// The Workspace without any widget (a QCoreApplication, no display): the state the app shows
// (study, model, jobs, runs, sessions) is kept, answered and restored by it alone.
#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "JobQueue.h"
#include "RunHistory.h"
#include "Workspace.h"

using voxplain::ui::JobQueue;
using voxplain::ui::JobRequest;
using voxplain::ui::JobState;
using voxplain::ui::Workspace;

namespace {
std::vector<voxplain::StudyInput> phantomInputs() {
  return {{QDir(VOXPLAIN_GUI_TEST_STUDY).filePath("flair.nii.gz").toStdString(), {}, {}},
          {QDir(VOXPLAIN_GUI_TEST_STUDY).filePath("t1.nii.gz").toStdString(), {}, {}}};
}

QString lesions() {
  return QDir(VOXPLAIN_GUI_TEST_STUDY).filePath("lesions.nii.gz");
}

bool openStudyAndModel(Workspace& workspace) {
  QSignalSpy study(&workspace, &Workspace::studyOpened);
  QSignalSpy model(&workspace, &Workspace::modelOpened);
  workspace.openModel(VOXPLAIN_DEMO_MODEL);
  workspace.openStudy(phantomInputs());
  return (study.count() > 0 || study.wait(60000)) && (model.count() > 0 || model.wait(60000));
}

JobRequest gradCam() {
  JobRequest request;
  request.kind = JobRequest::Kind::Explain;
  request.method = "gradcam";
  request.target = voxplain::TargetSpec::ofClass(1);
  return request;
}
}  // namespace

class TestWorkspace : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void jobQueueKeepsStatesAsValues() {
    JobQueue jobs;
    jobs.add(1, "Prediction");
    jobs.add(2, "Grad-CAM, class 1");
    QCOMPARE(jobs.rowCount(), 2);
    QCOMPARE(jobs.index(0).data(JobQueue::IdRole).toInt(), 2);  // newest first
    QCOMPARE(jobs.unfinished(), 2);
    jobs.setState(1, JobState::Done, ", cpu, 1.0 s");
    jobs.setState(2, JobState::Running);
    QCOMPARE(jobs.unfinished(), 1);
    QCOMPARE(jobs.find(1)->state, JobState::Done);
    QCOMPARE(jobs.index(1).data().toString(), QString("1. Prediction - done, cpu, 1.0 s"));
    QCOMPARE(jobs.index(0).data().toString(), QString("2. Grad-CAM, class 1 - running"));
    jobs.markOfAnotherStudy(1);
    QVERIFY(jobs.index(1).data(JobQueue::OfAnotherStudyRole).toBool());
    QVERIFY(jobs.index(1).data().toString().endsWith("[another study]"));
    QCOMPARE(jobs.find(3), nullptr);
  }

  void queueIsRefusedWithoutAStudyAndAModel() {
    Workspace workspace;
    QCOMPARE(workspace.queue(gradCam()), 0);
    QCOMPARE(workspace.jobs()->rowCount(), 0);
    QVERIFY(!workspace.busy());
  }

  void explanationRunsAndEndsItsJobWithoutAnyWidget() {
    Workspace workspace;
    QVERIFY(openStudyAndModel(workspace));
    QSignalSpy explained(&workspace, &Workspace::explained);
    QSignalSpy failed(&workspace, &Workspace::jobFailed);
    QSignalSpy busy(&workspace, &Workspace::busyChanged);
    const int id = workspace.queue(gradCam());
    QVERIFY(id > 0);
    QVERIFY(workspace.busy());
    QCOMPARE(workspace.jobs()->find(id)->state, JobState::Queued);
    QVERIFY(explained.wait(300000));
    QVERIFY(failed.isEmpty());
    QCOMPARE(workspace.jobs()->find(id)->state, JobState::Done);
    QVERIFY(workspace.runs()->find(id) != nullptr);
    QCOMPARE(workspace.runs()->find(id)->study, workspace.study());
    QVERIFY(!workspace.busy());
    QCOMPARE(busy.last().at(0).toBool(), false);
    QCOMPARE(workspace.unsavedRuns(), 1);
  }

  // Cancel stops the running job and drops the queued one: both end Cancelled and nothing stays busy.
  void cancelEndsTheRunningAndTheQueuedJobs() {
    Workspace workspace;
    QVERIFY(openStudyAndModel(workspace));
    QSignalSpy started(&workspace, &Workspace::jobStarted);
    QSignalSpy cancelled(&workspace, &Workspace::jobCancelled);
    QSignalSpy explained(&workspace, &Workspace::explained);
    JobRequest slow = gradCam();
    slow.method = "occlusion";  // many forward passes: still running when cancelled
    const int running = workspace.queue(slow);
    const int queued = workspace.queue(gradCam());
    QVERIFY(started.wait(60000));
    workspace.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 2, 120000);
    QCOMPARE(workspace.jobs()->find(running)->state, JobState::Cancelled);
    QCOMPARE(workspace.jobs()->find(queued)->state, JobState::Cancelled);
    QVERIFY(explained.isEmpty());
    QVERIFY(!workspace.busy());
    QCOMPARE(workspace.runningJob(), 0);
  }

  // Each answer of the loading worker is matched to its own request: a reference asked for before
  // the study and the study's own label map arrive as what they are.
  void referenceAndStudyLabelsAreToldApart() {
    Workspace workspace;
    QSignalSpy reference(&workspace, &Workspace::referenceOpened);
    QSignalSpy overlays(&workspace, &Workspace::overlaysOpened);
    QSignalSpy study(&workspace, &Workspace::studyOpened);
    workspace.openReference(lesions());
    workspace.openStudy(phantomInputs(), lesions());
    QVERIFY(study.wait(60000));
    QCOMPARE(study.first().at(1).toBool(), true);  // overlays follow
    QTRY_VERIFY_WITH_TIMEOUT(reference.count() == 1 && overlays.count() == 1, 60000);
    QVERIFY(workspace.reference() != nullptr);
    QVERIFY(!workspace.busy());
  }

  // A study that fails to load takes its overlay request with it: the next study opens bare.
  void aFailedLoadDropsItsOverlays() {
    Workspace workspace;
    QSignalSpy failed(&workspace, &Workspace::loadFailed);
    QSignalSpy study(&workspace, &Workspace::studyOpened);
    QSignalSpy overlays(&workspace, &Workspace::overlaysOpened);
    workspace.openStudy({{QString(VOXPLAIN_TEST_DATA).toStdString() + "/bad/empty.nii", {}, {}}}, lesions());
    QVERIFY(failed.wait(60000));
    QVERIFY(!workspace.busy());
    workspace.openStudy(phantomInputs());
    QVERIFY(study.wait(60000));
    QCOMPARE(study.first().at(1).toBool(), false);
    QTest::qWait(200);
    QCOMPARE(overlays.count(), 0);
  }

  // Only the three most recently used runs keep their maps in memory; an older one reads them back
  // voxel for voxel when asked.
  void olderRunsMoveTheirMapsToDiskAndComeBack() {
    Workspace workspace;
    QVERIFY(openStudyAndModel(workspace));
    QSignalSpy explained(&workspace, &Workspace::explained);
    std::vector<int> ids;
    std::vector<double> sums;
    for (double noise : {0.05, 0.1, 0.15, 0.2, 0.25}) {
      JobRequest request = gradCam();
      request.method = "smoothgrad";
      request.parameters.set("samples", 2);
      request.parameters.set("noise", noise);
      request.parameters.set("seed", 3);
      ids.push_back(workspace.queue(request));
      QVERIFY(explained.wait(300000));
      double sum = 0;
      for (const voxplain::Volume& v : *explained.last().first().value<voxplain::ui::ExplanationResult>().maps)
        for (float x : v.voxels()) sum += std::abs(x);
      sums.push_back(sum);
    }
    voxplain::ui::RunHistory* runs = workspace.runs();
    QTRY_VERIFY_WITH_TIMEOUT(runs->runsInMemory() <= 3, 30000);
    QCOMPARE(runs->size(), 5);
    QVERIFY(!runs->hasVoxels(ids[0]));
    QVERIFY(runs->find(ids[0]) != nullptr);  // its numbers stay
    QSignalSpy ready(runs, &voxplain::ui::RunHistory::ready);
    runs->restore(ids[0]);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 30000);
    QCOMPARE(ready.first().first().toInt(), ids[0]);
    double sum = 0;
    for (const voxplain::Volume& v : *runs->find(ids[0])->maps)
      for (float x : v.voxels()) sum += std::abs(x);
    QCOMPARE(sum, sums[0]);
  }

  void aBadStudyFileIsNamedAndNothingOpens() {
    Workspace workspace;
    QSignalSpy failed(&workspace, &Workspace::loadFailed);
    workspace.openStudy({{QString(VOXPLAIN_TEST_DATA).toStdString() + "/bad/empty.nii", {}, {}}});
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.first().first().toString().contains("empty.nii"), qPrintable(failed.first().first().toString()));
    QVERIFY(!workspace.study());
  }

  void sessionComesBackInAnotherWorkspace() {
    QTemporaryDir dir;
    const QString file = dir.filePath("case.voxplain");
    int run = 0;
    {
      Workspace workspace;
      QVERIFY(openStudyAndModel(workspace));
      QSignalSpy explained(&workspace, &Workspace::explained);
      run = workspace.queue(gradCam());
      QVERIFY(explained.wait(300000));
      workspace.setShownRun(run);
      QSignalSpy saved(&workspace, &Workspace::sessionSaved);
      workspace.saveSession(file, false, {{"zoom", 2.0}});
      QVERIFY(saved.wait(60000));
      QCOMPARE(saved.first().at(1).toString(), QString());
      QCOMPARE(saved.first().at(2).toInt(), 1);
      QCOMPARE(workspace.unsavedRuns(), 0);
    }
    Workspace reopened;
    int shown = -1, runs = 0;
    nlohmann::json view;
    connect(&reopened, &Workspace::sessionRestored, this,
            [&](int shownRun, const nlohmann::json& v, const QStringList&, int count) {
              shown = shownRun;
              view = v;
              runs = count;
            });
    QSignalSpy model(&reopened, &Workspace::modelOpened);
    reopened.openSession(file);
    QTRY_VERIFY_WITH_TIMEOUT(shown >= 0, 120000);
    QVERIFY(shown > 0);
    QCOMPARE(runs, 1);
    QCOMPARE(view.value("zoom", 0.0), 2.0);
    QCOMPARE(reopened.runs()->find(shown)->method, QString("gradcam"));
    QCOMPARE(reopened.jobs()->find(shown)->state, JobState::Done);
    QCOMPARE(reopened.runs()->find(shown)->study, reopened.study());
    QCOMPARE(reopened.unsavedRuns(), 0);
    QVERIFY(model.count() > 0 || model.wait(60000));
  }
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);  // no GUI: the Workspace needs none
  QStandardPaths::setTestModeEnabled(true);
  TestWorkspace test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_workspace.moc"
