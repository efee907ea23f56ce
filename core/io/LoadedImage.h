#pragma once
// What a reader returns: one or more 3D volumes on one grid plus what the user should know.

#include <string>
#include <vector>

#include "volume/Image.h"

namespace voxplain {

struct LoadedImage {
  /// One entry for a 3D image; several for a 4D image (time points, or modalities when the
  /// 4th NIfTI axis holds channels). All share the same geometry.
  std::vector<Volume> volumes;
  std::string source;            ///< file or folder it was read from
  std::string format;            ///< "NIfTI-1", "NIfTI-2", "DICOM"
  std::string storedDataType;    ///< type on disk: "uint8", "int16", "uint16", "int32", "float32", ...
  std::string uid;               ///< DICOM SeriesInstanceUID (+ "#n" for a split part); NIfTI: empty
  std::string description;       ///< SeriesDescription or NIfTI descrip
  std::string modality;          ///< DICOM Modality (MR, CT, ...); NIfTI: empty
  std::string patientId;         ///< DICOM PatientID (kept out of exports unless asked for)
  std::string studyUid;          ///< DICOM StudyInstanceUID
  std::string studyDescription;  ///< DICOM StudyDescription
  int seriesNumber = 0;          ///< DICOM SeriesNumber
  std::size_t fileCount = 1;
  /// Things that were detected and handled (resampled slices, gantry tilt, defaults used).
  std::vector<std::string> notes;

  const Geometry& geometry() const { return volumes.front().geometry(); }
};

}  // namespace voxplain
