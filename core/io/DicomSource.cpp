#include "io/DicomSource.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "io/DicomCatalog.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

namespace {

bool sameDirection(const Vec3& a, const Vec3& b) {
  for (int d = 0; d < 3; ++d)
    if (std::abs(a[d] - b[d]) > 1e-3) return false;
  return true;
}

/// Slice k of `grid` when the frame's first pixel lies on voxel (0, 0, k); -1 otherwise.
long matchingSlice(const DicomFrame& f, const Geometry& grid) {
  if (!f.hasPosition || f.rows != grid.size[1] || f.columns != grid.size[0]) return -1;
  if (!sameDirection(f.rowCosine, grid.axis(0)) || !sameDirection(f.columnCosine, grid.axis(1))) return -1;
  const Vec3 index = grid.physicalToIndex(f.position);
  const double k = std::round(index[2]);
  if (std::abs(index[0]) > 0.01 || std::abs(index[1]) > 0.01 || std::abs(index[2] - k) > 0.01) return -1;
  if (k < 0 || k >= double(grid.size[2])) return -1;
  return long(k);
}

const DicomSeries& chooseSeries(const DicomCatalog& catalog, const fs::path& path, const std::string& uid) {
  std::vector<const DicomSeries*> images;
  std::string known;
  for (const DicomSeries& s : catalog.series) {
    if (!s.hasPixelData) continue;
    if (!uid.empty() && s.seriesUid == uid) return s;
    images.push_back(&s);
    known += (known.empty() ? "" : ", ") + s.seriesUid;
  }
  if (!uid.empty()) throw InputError(path.string(), "no image series with UID " + uid + " (found: " + known + ")");
  if (images.empty()) throw InputError(path.string(), "no DICOM image series");
  if (images.size() > 1)
    throw InputError(path.string(), std::to_string(images.size()) +
                                        " image series found; name the one the result was computed from (" + known +
                                        ")");
  return *images.front();
}

}  // namespace

bool DicomSource::everySliceMatched() const {
  return !sliceFrames.empty() &&
         std::all_of(sliceFrames.begin(), sliceFrames.end(), [](const DicomSourceFrame& f) { return f.instance >= 0; });
}

namespace {

/// The catalog of `path` (scanned once per path and call: two series of one folder share a scan).
const DicomCatalog& catalogOf(const fs::path& path, std::map<std::string, DicomCatalog>& scanned,
                              const TaskControl& control) {
  const auto found = scanned.find(path.string());
  if (found != scanned.end()) return found->second;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path.string(), "no such file or folder");
  if (!fs::is_directory(path, ec) && looksLikeNifti(path))
    throw InputError(
        path.string(),
        "is NIfTI: DICOM SEG and Parametric Map objects reference a DICOM series, open the study from DICOM");
  return scanned.emplace(path.string(), scanDicom(path, control)).first->second;
}

DicomSource sourceIn(const DicomCatalog& catalog, const fs::path& path, const std::string& series,
                     const Geometry& grid) {
  const DicomSeries& s = chooseSeries(catalog, path, series.substr(0, series.find('#')));
  DicomSource source;
  source.path = path.string();
  source.studyUid = s.studyUid;
  source.seriesUid = s.seriesUid;
  source.frameOfReferenceUid = s.frameOfReferenceUid;
  source.modality = s.modality;
  source.seriesDescription = s.seriesDescription;
  source.firstFile = s.frames.empty() ? s.files.front() : s.frames.front().file;
  source.sliceFrames.assign(grid.size[2], DicomSourceFrame{});

  std::map<std::string, int> instanceOfFile;
  for (const DicomFrame& f : s.frames) {
    auto [it, inserted] = instanceOfFile.try_emplace(f.file, int(source.instances.size()));
    if (inserted) source.instances.push_back({f.file, s.sopClassUid, f.sopInstanceUid, f.framesInFile});
    const long k = matchingSlice(f, grid);
    // 4D series: the first frame found on a slice stands for it (all lie on the same plane).
    if (k >= 0 && source.sliceFrames[std::size_t(k)].instance < 0)
      source.sliceFrames[std::size_t(k)] = {it->second, f.frameIndex};
  }
  for (const DicomSourceInstance& instance : source.instances) {
    if (instance.sopInstanceUid.empty())
      throw InputError(instance.file, "has no SOP Instance UID: it cannot be referenced");
    if (instance.sopClassUid.empty())
      throw InputError(instance.file,
                       "has no SOP Class UID (neither in the dataset nor in the file meta header): it cannot be "
                       "referenced");
  }
  return source;
}

}  // namespace

DicomSource findDicomSource(const fs::path& path, const std::string& series, const Geometry& grid,
                            const TaskControl& control) {
  std::map<std::string, DicomCatalog> scanned;
  return sourceIn(catalogOf(path, scanned, control), path, series, grid);
}

std::vector<DicomSource> findStudyDicomSources(const std::vector<StudyInput>& inputs, const Geometry& grid,
                                               const TaskControl& control) {
  if (inputs.empty()) throw InputError("study", "no inputs");
  std::map<std::string, DicomCatalog> scanned;
  const StudyInput& first = inputs.front();
  std::vector<DicomSource> sources{sourceIn(catalogOf(first.path, scanned, control), first.path, first.series, grid)};
  for (std::size_t c = 1; c < inputs.size(); ++c) {
    DicomSource own = sources.front();
    try {
      own = sourceIn(catalogOf(inputs[c].path, scanned, control), inputs[c].path, inputs[c].series, grid);
    } catch (const InputError&) {
      // NIfTI or unusable: this input's maps reference the reference series.
    }
    sources.push_back(own.frameOfReferenceUid == sources.front().frameOfReferenceUid ? own : sources.front());
  }
  return sources;
}

const DicomSource& sourceOfModality(const std::vector<DicomSource>& sources,
                                    const std::vector<std::string>& studyModalities, const std::string& modality) {
  const auto at = std::find(studyModalities.begin(), studyModalities.end(), modality);
  const std::size_t input = at == studyModalities.end() ? 0 : std::size_t(at - studyModalities.begin());
  return sources.at(std::min(input, sources.size() - 1));
}

}  // namespace voxplain
