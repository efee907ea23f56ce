// The engine's threading contract, as the application's workers use it (ui/AnalysisJobs.h: one
// analysis worker thread; ui/StudyLoadWorker.h: loading beside it; saving on a thread pool), with
// std::thread and no Qt at all, so that ThreadSanitizer sees every hand-over: Debian's Qt is not
// built with TSan and its futex-based mutexes are invisible to it (even QtTest's own watchdog
// thread is reported). `./setup.sh tsan` runs this program in a TSan build. A job runs on its own
// thread, reports progress to a sink the other thread reads, stops when the other thread cancels,
// and hands its result over by value; loading and saving run at the same time as an explanation
// without changing its result. Exit status 0 when every check holds.
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "attribution/Explainer.h"
#include "io/DicomSeriesWriter.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "io/StudyReader.h"
#include "model/ModelPackage.h"
#include "model/SegmentationRunner.h"
#include "synthetic/LesionPhantom.h"
#include "task/TaskControl.h"

using namespace voxplain;

namespace {

int failures = 0;

#define CHECK(condition)                                                                 \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                                        \
    }                                                                                    \
  } while (false)

// A fresh folder under the system's temporary folder, removed at the end of the scope.
struct TemporaryFolder {
  std::filesystem::path path;
  explicit TemporaryFolder(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TemporaryFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// What a UI worker's sink does: the worker thread writes, the UI thread reads.
class RecordingProgress : public ProgressSink {
 public:
  void report(double fraction, const std::string& stage) override {
    std::lock_guard<std::mutex> lock(mutex_);
    fraction_ = fraction;
    stage_ = stage;
    ++reports_;
  }
  int reports() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reports_;
  }
  std::string stage() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stage_;
  }

 private:
  mutable std::mutex mutex_;
  double fraction_ = 0;
  std::string stage_;
  int reports_ = 0;
};

Study phantomStudy() {
  LesionPhantomOptions o;
  o.size = {64, 64, 48};
  o.seed = 21;
  const LesionPhantom p = makeLesionPhantom(o);
  Study s;
  s.addModality("FLAIR", "phantom", p.flair);
  s.addModality("T1", "phantom", p.t1);
  return s;
}

ExplainRequest request(const std::string& method, const std::vector<std::string>& params) {
  ExplainRequest r;
  r.method = method;
  r.params = ParameterSet::parse(params);
  r.target = TargetSpec::parse("class=1", 1);
  r.runtime.device = "cpu";
  return r;
}

void aJobOnAWorkerThreadReportsProgressAndStopsWhenCancelled() {
  ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
  const Study study = phantomStudy();
  RecordingProgress progress;
  CancellationToken token;
  std::atomic<bool> cancelled{false};
  std::thread worker([&] {
    try {
      ExplainRequest r = request("integrated_gradients", {"steps=64"});
      explain(package, study, r, TaskControl(&progress, &token));
    } catch (const OperationCancelled&) {
      cancelled = true;
    }
  });
  // The "UI thread": waits for the first progress report, then cancels.
  for (int i = 0; i < 6000 && progress.reports() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(progress.reports() > 0);
  CHECK(!progress.stage().empty());
  token.cancel();
  worker.join();
  CHECK(cancelled);
}

void aResultIsHandedOverByValueAndLoadingAndSavingRunBesideIt() {
  const Study study = phantomStudy();
  // Alone first: the reference map.
  ModelPackage alone = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
  ExplainRequest first = request("saliency", {});
  const Explanation reference = explain(alone, study, first);

  // Then on a worker thread (its own package, as the analysis worker holds one), while a loading
  // thread reads a study (NIfTI files and a DICOM series) and a saving thread writes volumes, as
  // the application's loading worker and save pool do.
  ModelPackage package = ModelPackage::open(VOXPLAIN_DEMO_MODEL);
  std::promise<Explanation> handOver;
  std::future<Explanation> result = handOver.get_future();
  RecordingProgress progress;
  CancellationToken token;
  std::thread worker([&] {
    try {
      ExplainRequest r = request("saliency", {});
      handOver.set_value(explain(package, study, r, TaskControl(&progress, &token)));
    } catch (...) {
      handOver.set_exception(std::current_exception());
    }
  });
  // The files the loading thread reads: the study as NIfTI and as a DICOM series, written first.
  TemporaryFolder inputs("voxplain-job-threads-in");
  const std::string in = inputs.path.string();
  writeNifti(study.modalities()[0].volume, in + "/flair.nii.gz");
  writeNifti(study.modalities()[1].volume, in + "/t1.nii.gz");
  writeDicomSeries(study.modalities()[1].volume, in + "/dicom", {});
  std::size_t loaded = 0;
  std::thread loader([&] {
    const StudyRead read = readStudy({{in + "/flair.nii.gz", "", "FLAIR"}, {in + "/t1.nii.gz", "", "T1"}});
    loaded = read.study.modalities().size() + readAllImages(in + "/dicom").size();
  });
  TemporaryFolder dir("voxplain-job-threads-out");
  std::thread saver([&] {
    for (int i = 0; i < 3; ++i)
      writeNifti(study.modalities()[0].volume, dir.path / ("saved" + std::to_string(i) + ".nii.gz"), Overwrite::Refuse);
  });
  worker.join();
  loader.join();
  saver.join();
  const Explanation e = result.get();
  CHECK(loaded == std::size_t(3));
  CHECK(e.regions.size() == reference.regions.size());
  for (std::size_t m = 0; m < e.regions[0].perModality.size(); ++m)
    CHECK(e.regions[0].perModality[m].voxels() == reference.regions[0].perModality[m].voxels());
  CHECK(std::filesystem::file_size(dir.path / "saved2.nii.gz") > 0);
}

}  // namespace

int main() {
  try {
    aJobOnAWorkerThreadReportsProgressAndStopsWhenCancelled();
    aResultIsHandedOverByValueAndLoadingAndSavingRunBesideIt();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception: %s\n", e.what());
    return 1;
  }
  std::printf("%s\n", failures == 0 ? "job threads: every check held" : "job threads: checks failed");
  return failures == 0 ? 0 : 1;
}
