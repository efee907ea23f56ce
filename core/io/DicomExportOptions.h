#pragma once
// What the user chooses when results are written as DICOM objects (SEG, Parametric Map).

#include <string>

namespace voxplain {

struct DicomExportOptions {
  /// Copy Patient's Name, Patient ID and Patient's Birth Date from the source series. Off by default:
  /// the attributes are then present but empty (they are type 2), so a PACS files the object under
  /// the study (Study Instance UID and Frame of Reference are always kept) but no person is named.
  bool keepPatientIdentity = false;
  std::string seriesDescription;  ///< empty: a default naming the content ("Voxplain segmentation")
  int seriesNumber = 0;           ///< 0: 1000 + the source series number
  std::string softwareVersion;    ///< Software Versions (0018,1020), e.g. "voxplain 0.9.0"
  /// Content Creator's Name: the person who made the result, in DICOM PN form ("Doe^Jane"); empty
  /// by default (the software is named in the equipment attributes).
  std::string creator;
};

}  // namespace voxplain
