#pragma once
// Every explanation of the session, kept for the jobs list, with bounded memory: the voxels (maps,
// instance maps, display copies) of the `keptInMemory` most recently used runs stay in memory; older
// runs keep their numbers (charts, instance rows, parameters) and move their maps to a private
// session folder (raw float32 files written and read on the thread pool), from which restore()
// brings them back when the user shows or compares them again. The resident memory of the app then
// stays flat however many runs a session makes.

#include <QObject>
#include <QTemporaryDir>
#include <functional>
#include <list>
#include <map>
#include <memory>

#include "AnalysisJobs.h"

namespace voxplain::ui {

class RunHistory : public QObject {
  Q_OBJECT
 public:
  explicit RunHistory(int keptInMemory = 3, QObject* parent = nullptr);
  ~RunHistory() override;

  /// Keeps `result` (its voxels in memory); the least recently used run beyond the bound (never
  /// the pinned one) moves its voxels to disk.
  void add(ExplanationResult result);
  /// The run, or null. Its maps are null while they are on disk (hasVoxels() false).
  const ExplanationResult* find(int id) const;
  bool hasVoxels(int id) const;
  /// Brings a run's voxels back (from disk, on the thread pool; prepared for display there too);
  /// ready(id) follows, at once when they are in memory. failed() when the files cannot be read.
  void restore(int id);
  /// Marks a run as shown: it is never moved to disk while pinned, and counts as just used.
  void pin(int id);
  /// One run for saving a session: its numbers, and its maps and instance maps, in memory or read
  /// back from its file by `voxels()` (on the calling thread: call it off the GUI thread; maps null
  /// when the file is unreadable).
  struct Snapshot {
    ExplanationResult result;
    std::function<RunVoxels()> voxels;
  };
  /// Every run, oldest first.
  std::vector<Snapshot> snapshot() const;
  /// Every run's id, oldest first (look a run up with find(): nothing is copied).
  std::vector<int> ids() const;
  /// Runs whose voxels are in memory (tests, the soak figures).
  int runsInMemory() const;
  int size() const { return int(runs_.size()); }

 Q_SIGNALS:
  void ready(int id);
  void failed(int id, const QString& message);

 private:
  struct Entry {
    ExplanationResult result;
    QString file;   ///< raw float32 voxels when on disk: maps, then instance maps
    Geometry grid;  ///< every map's grid (the study's)
    std::size_t mapCount = 0, instanceCount = 0;
    bool onDisk = false;  ///< voxels written and dropped from memory
    bool moving = false;  ///< a write or read is running
  };
  void touch(int id);
  void evict();
  void spill(int id);

  int kept_;
  int pinned_ = 0;
  std::map<int, Entry> runs_;
  std::list<int> recent_;  ///< most recently used first
  QTemporaryDir folder_;
};

}  // namespace voxplain::ui
