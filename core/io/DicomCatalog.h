#pragma once
// The DICOM files found in a folder, organised as patients / studies / series, with the
// per-frame header facts a series loader needs (no pixel data is read while scanning).

#include <filesystem>
#include <string>
#include <vector>

#include "geometry/Geometry.h"
#include "task/TaskControl.h"

namespace voxplain {

/// One 2D frame: a classic single-frame file, or one frame of a multi-frame file.
struct DicomFrame {
  std::string file;
  std::string sopInstanceUid;  ///< of the file (shared by a multi-frame file's frames)
  unsigned frameIndex = 0;     ///< 0-based frame within its file
  unsigned framesInFile = 1;
  int instanceNumber = 0;
  int acquisitionNumber = 0;
  int temporalIndex = 0;  ///< TemporalPositionIdentifier / TemporalPositionIndex (0 = none)
  int echoNumber = 0;
  double echoTime = 0.0;  ///< ms
  std::string acquisitionTime;
  bool hasPosition = false, hasOrientation = false;
  Vec3 position{};                                 ///< ImagePositionPatient, LPS mm
  Vec3 rowCosine{1, 0, 0}, columnCosine{0, 1, 0};  ///< ImageOrientationPatient
  double rowSpacing = 1.0;                         ///< PixelSpacing[0]: between rows (along the column cosine)
  double columnSpacing = 1.0;                      ///< PixelSpacing[1]: between columns (along the row cosine)
  bool hasPixelSpacing = false;
  double sliceThickness = 0.0, spacingBetweenSlices = 0.0;
  double gantryTilt = 0.0;  ///< degrees, (0018,1120)
  double rescaleSlope = 1.0, rescaleIntercept = 0.0;
  unsigned rows = 0, columns = 0;
  unsigned bitsAllocated = 0, bitsStored = 0, highBit = 0, pixelRepresentation = 0, samplesPerPixel = 1;
  std::string photometric;
  std::string transferSyntax;  ///< UID
};

struct DicomSeries {
  std::string patientId, patientName;
  std::string studyUid, studyDescription, studyDate;
  std::string seriesUid, seriesDescription, modality, sopClassUid;
  std::string frameOfReferenceUid;  ///< (0020,0052); empty when absent
  int seriesNumber = 0;
  std::vector<std::string> files;
  std::vector<DicomFrame> frames;
  bool hasPixelData = false;
  /// Human name of the SOP class (e.g. "RT Plan Storage") for messages.
  std::string sopClassName;
  /// Files whose dataset has no SOP Class UID (0008,0016): the file meta header's Media Storage SOP
  /// Class UID (0002,0002) stands in for it; files with neither (the series cannot be referenced
  /// by derived objects then). The loader turns both into notes.
  std::size_t sopClassFromMetaHeader = 0, sopClassMissing = 0;
};

/// A DICOM-looking file the scan could not use, and why.
struct UnreadableFile {
  std::string file;
  std::string reason;
  std::string describe() const { return file + ": " + reason; }
};

struct DicomCatalog {
  std::vector<DicomSeries> series;         ///< sorted by patient, study, series number
  std::size_t filesSeen = 0;               ///< all regular files visited
  std::size_t nonDicomFiles = 0;           ///< files that are not DICOM (skipped)
  std::vector<UnreadableFile> unreadable;  ///< DICOM-looking files that failed
};

/// Scans `path` (one file, or a folder recursively) into series. Reports progress per file and
/// checks cancellation per file (a 10,000-file folder can be cancelled at once).
/// Throws InputError when the path does not exist or holds no DICOM file; OperationCancelled.
DicomCatalog scanDicom(const std::filesystem::path& path, const TaskControl& control = {});

/// True when the file starts with a DICOM preamble ("DICM" at byte 128) or parses as DICOM.
bool looksLikeDicomFile(const std::filesystem::path& path);

}  // namespace voxplain
