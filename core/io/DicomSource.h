#pragma once
// The DICOM series a result was computed from, as derived objects (DICOM SEG, Parametric Map)
// must reference it: patient / study / Frame of Reference, every image instance of the series, and
// for each slice of the result's grid the source image it lies on (when there is one).

#include <filesystem>
#include <string>
#include <vector>

#include "geometry/Geometry.h"
#include "io/StudyReader.h"
#include "task/TaskControl.h"

namespace voxplain {

/// One image instance (file) of the source series.
struct DicomSourceInstance {
  std::string file;
  std::string sopClassUid, sopInstanceUid;
  unsigned frames = 1;  ///< frames in the file (multi-frame objects)
};

/// Which source frame a slice of the result grid lies on.
struct DicomSourceFrame {
  int instance = -1;   ///< index into DicomSource::instances; -1: no source frame on this slice
  unsigned frame = 0;  ///< 0-based frame within that instance
};

struct DicomSource {
  std::string path;  ///< file or folder it was found in (for messages)
  std::string studyUid, seriesUid, frameOfReferenceUid, modality, seriesDescription;
  /// A file of the series: patient, study and Frame of Reference attributes are copied from it.
  std::string firstFile;
  std::vector<DicomSourceInstance> instances;  ///< every image instance of the series
  /// One entry per slice k of the grid given to findDicomSource. Slices that do not coincide with
  /// a source frame (the series was resampled onto a uniform grid, or the grid is another
  /// modality's) have instance -1: derived objects then reference the series as a whole.
  std::vector<DicomSourceFrame> sliceFrames;
  /// True when every slice of the grid lies on a source frame.
  bool everySliceMatched() const;
};

/// The DICOM series at `path` (file or folder; `series` a SeriesInstanceUID, or "UID#n" for a split
/// part, or empty when the path holds one image series) and the match of its frames to `grid`: a
/// frame matches slice k when it has the grid's rows and columns, the grid's row and column
/// directions (within 1e-3) and its first pixel lies on voxel (0, 0, k) (within 1 % of a voxel).
/// Throws InputError naming `path` when it is not DICOM (NIfTI has no instances to reference), holds
/// no such series, or several series and none was chosen; OperationCancelled.
DicomSource findDicomSource(const std::filesystem::path& path, const std::string& series, const Geometry& grid,
                            const TaskControl& control = {});

/// The DICOM series of each input of a study, for derived objects on the study's grid `grid` (the
/// first input's): entry c is input c's series when it shares the first input's Frame of Reference,
/// else the first input's (a NIfTI input, or a series in another frame, cannot be referenced for
/// positions on this grid). Throws InputError naming the first input when it is not DICOM.
/// A folder holding several of the inputs' series is scanned once.
std::vector<DicomSource> findStudyDicomSources(const std::vector<StudyInput>& inputs, const Geometry& grid,
                                               const TaskControl& control = {});

/// The source of the study modality called `modality` among `sources` (findStudyDicomSources, in
/// input order; `studyModalities`: the study's modality names in that order). A map's modalities
/// follow the model's inputs, which need not be the study's order. The first input's source when no
/// modality has that name. Throws std::out_of_range when `sources` is empty.
const DicomSource& sourceOfModality(const std::vector<DicomSource>& sources,
                                    const std::vector<std::string>& studyModalities, const std::string& modality);

}  // namespace voxplain
