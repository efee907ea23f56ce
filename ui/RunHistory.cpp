#include "RunHistory.h"

#include <QThreadPool>
#include <algorithm>
#include <fstream>

namespace voxplain::ui {
namespace {

bool writeVoxels(const std::string& file, const ExplanationResult& r) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  auto put = [&out](const Volume& v) {
    out.write(reinterpret_cast<const char*>(v.voxels().data()), std::streamsize(v.voxels().size() * sizeof(float)));
  };
  if (r.maps)
    for (const Volume& v : *r.maps) put(v);
  if (r.instanceMaps)
    for (const auto& instance : *r.instanceMaps)
      for (const Volume& v : instance) put(v);
  out.flush();
  return bool(out);
}

/// Reads back what writeVoxels wrote: `mapCount` maps, then `instanceCount` instances of
/// `mapCount` maps each, every one on `grid` (the study grid).
bool readVoxels(const std::string& file, const Geometry& grid, std::size_t mapCount, std::size_t instanceCount,
                std::vector<Volume>& maps, std::vector<std::vector<Volume>>& instances) {
  std::ifstream in(file, std::ios::binary);
  auto next = [&in, &grid](Volume& v) {
    std::vector<float> voxels(grid.voxelCount());
    in.read(reinterpret_cast<char*>(voxels.data()), std::streamsize(voxels.size() * sizeof(float)));
    v = Volume(grid, std::move(voxels));
    return bool(in);
  };
  maps.resize(mapCount);
  for (Volume& v : maps)
    if (!next(v)) return false;
  instances.assign(instanceCount, std::vector<Volume>(mapCount));
  for (auto& instance : instances)
    for (Volume& v : instance)
      if (!next(v)) return false;
  return true;
}

}  // namespace

RunHistory::RunHistory(int keptInMemory, QObject* parent) : QObject(parent), kept_(std::max(1, keptInMemory)) {}

RunHistory::~RunHistory() {
  // Running writes and reads finish before the session folder goes; the results they queue for
  // this object are dropped by Qt with it.
  QThreadPool::globalInstance()->waitForDone();
}

void RunHistory::add(ExplanationResult result) {
  const int id = result.jobId;
  Entry entry;
  entry.result = std::move(result);
  runs_[id] = std::move(entry);
  touch(id);
  evict();
}

const ExplanationResult* RunHistory::find(int id) const {
  const auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : &it->second.result;
}

bool RunHistory::hasVoxels(int id) const {
  const auto it = runs_.find(id);
  return it != runs_.end() && !it->second.onDisk && it->second.result.maps;
}

std::vector<RunHistory::Snapshot> RunHistory::snapshot() const {
  std::vector<Snapshot> out;
  for (const auto& [id, e] : runs_) {
    Snapshot s{e.result, {}};
    if (e.result.maps) {
      s.voxels = [maps = e.result.maps, instances = e.result.instanceMaps] { return RunVoxels{maps, instances}; };
    } else {
      // On disk: the file stays until this history is destroyed (the window waits for the pool).
      s.voxels = [file = e.file.toStdString(), grid = e.grid, maps = e.mapCount, instances = e.instanceCount]() {
        auto mapVolumes = std::make_shared<std::vector<Volume>>();
        auto instanceVolumes = std::make_shared<std::vector<std::vector<Volume>>>();
        if (!readVoxels(file, grid, maps, instances, *mapVolumes, *instanceVolumes)) return RunVoxels{};
        return RunVoxels{mapVolumes, instances ? instanceVolumes : nullptr};
      };
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<int> RunHistory::ids() const {
  std::vector<int> out;
  for (const auto& [id, e] : runs_) out.push_back(id);
  return out;
}

int RunHistory::runsInMemory() const {
  int n = 0;
  for (const auto& [id, e] : runs_) n += !e.onDisk;
  return n;
}

void RunHistory::pin(int id) {
  pinned_ = id;
  touch(id);
}

void RunHistory::touch(int id) {
  recent_.remove(id);
  recent_.push_front(id);
}

void RunHistory::evict() {
  int inMemory = 0;
  for (int id : recent_) {
    Entry& e = runs_.at(id);
    if (e.onDisk || e.moving) continue;
    if (++inMemory > kept_ && id != pinned_) spill(id);
  }
}

void RunHistory::spill(int id) {
  Entry& e = runs_.at(id);
  if (!folder_.isValid() || !e.result.maps || e.result.maps->empty()) return;  // keep it in memory
  e.moving = true;
  e.file = folder_.filePath(QString("run%1.f32").arg(id));
  e.grid = e.result.maps->front().geometry();
  e.mapCount = e.result.maps->size();
  e.instanceCount = e.result.instanceMaps ? e.result.instanceMaps->size() : 0;
  // The task shares the (immutable) maps; the GUI thread drops its references once they are written.
  auto task = [this, id, file = e.file.toStdString(), result = e.result] {
    const bool written = writeVoxels(file, result);
    QMetaObject::invokeMethod(
        this,
        [this, id, written] {
          Entry& entry = runs_.at(id);
          entry.moving = false;
          if (!written) return;       // a full disk: the run simply stays in memory
          if (id == pinned_) return;  // shown again while it was being written
          entry.onDisk = true;
          entry.result.maps.reset();
          entry.result.instanceMaps.reset();
          entry.result.displayMaps.reset();
        },
        Qt::QueuedConnection);
  };
  QThreadPool::globalInstance()->start(task);
}

void RunHistory::restore(int id) {
  const auto it = runs_.find(id);
  if (it == runs_.end()) return;
  Entry& e = it->second;
  touch(id);
  if (!e.onDisk) {
    if (!e.moving) {
      evict();
      Q_EMIT ready(id);
    } else {
      // Being written: it is still whole in memory; keep it there.
      QMetaObject::invokeMethod(
          this, [this, id] { Q_EMIT ready(id); }, Qt::QueuedConnection);
    }
    return;
  }
  if (e.moving) return;  // a read is already running
  e.moving = true;
  auto task = [this, id, file = e.file.toStdString(), grid = e.grid, maps = e.mapCount, instances = e.instanceCount] {
    auto mapVolumes = std::make_shared<std::vector<Volume>>();
    auto instanceVolumes = std::make_shared<std::vector<std::vector<Volume>>>();
    const bool read = readVoxels(file, grid, maps, instances, *mapVolumes, *instanceVolumes);
    std::shared_ptr<const DisplayHeatmaps> display;
    if (read) display = std::make_shared<const DisplayHeatmaps>(prepareHeatmaps(*mapVolumes));
    QMetaObject::invokeMethod(
        this,
        [this, id, read, mapVolumes, instanceVolumes, display] {
          Entry& entry = runs_.at(id);
          entry.moving = false;
          if (!read) {
            Q_EMIT failed(id, tr("The maps of run %1 could not be read back from %2").arg(id).arg(entry.file));
            return;
          }
          entry.onDisk = false;
          entry.result.maps = mapVolumes;
          if (!instanceVolumes->empty()) entry.result.instanceMaps = instanceVolumes;
          entry.result.displayMaps = display;
          evict();
          Q_EMIT ready(id);
        },
        Qt::QueuedConnection);
  };
  QThreadPool::globalInstance()->start(task);
}

}  // namespace voxplain::ui
