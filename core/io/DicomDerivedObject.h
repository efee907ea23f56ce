#pragma once
// Internal to voxplain_io: what DICOM SEG and Parametric Map objects share when they are written
// from a result on a grid (io/DicomSource.h) and read back. Includes DCMTK; not part of the API.

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fginterface.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/iodcommn.h>

#include <memory>
#include <string>
#include <vector>

#include "geometry/Geometry.h"
#include "io/DicomExportOptions.h"
#include "io/DicomSource.h"

namespace voxplain::dicomDerived {

/// Throws InputError(file, what + ": " + DCMTK's text) when `status` is bad.
void check(const OFCondition& status, const std::string& file, const std::string& what);

/// A Decimal String of at most 16 characters with as many digits as fit.
std::string decimalString(double value);

/// Patient, study and Frame of Reference copied from the source's first file (patient identity
/// blanked unless options.keepPatientIdentity), a new series (number, description, date/time),
/// equipment, and every source instance in the Common Instance Reference module (`references`:
/// the object's own module, the Parametric Map keeps a separate one). Copied values that break
/// their value representation (a real GE series has Patient's Age "0Y") are left empty, and
/// `notes` says which. Type 2 attributes the source lacks (Accession Number, Referring Physician's
/// Name, Patient's Sex, Position Reference Indicator, ...) are written empty; a source without a
/// Frame of Reference UID gets a new one, said in `notes` and in the Series Description. Throws
/// InputError naming the source file when it cannot be read or lacks a Type 1 attribute nothing
/// can stand in for (Study or Series Instance UID).
void describeSource(DcmIODCommon& object, IODCommonInstanceReferenceModule& references, const DicomSource& source,
                    const DicomExportOptions& options, const std::string& defaultDescription, const std::string& out,
                    std::vector<std::string>& notes);

FGPixelMeasures pixelMeasures(const Geometry& grid);
FGPlaneOrientationPatient planeOrientation(const Geometry& grid);
/// Image Position (Patient) of slice k: the LPS position of voxel (0, 0, k).
FGPlanePosPatient planePosition(const Geometry& grid, std::size_t k);
/// The source frame slice k lies on, with the derivation code; an empty group when slice k lies on
/// none but others do; null when no slice lies on a source frame.
std::unique_ptr<FGDerivationImage> derivationImage(const DicomSource& source, std::size_t k,
                                                   const CodeSequenceMacro& derivation, const std::string& description);

/// The header facts of a derived object read back.
struct DerivedObjectHeader {
  Uint16 rows = 0, columns = 0;
  std::string frameOfReferenceUid, referencedSeriesUid;  ///< the first referenced series
};

/// Loads `file` into `ff` and checks its SOP class. Throws InputError naming the file when it cannot
/// be read, or "is not a <what> (SOP class ...)".
DerivedObjectHeader loadDerivedObject(DcmFileFormat& ff, const std::string& file, const char* sopClassUid,
                                      const std::string& what);

/// The grid of a multi-frame object from its functional groups: orientation and pixel spacing
/// (shared or first frame) and each frame's position. sliceOfFrame[f] receives the slice index of
/// frame f. Throws InputError(file, ...) when frames miss positions or do not form an evenly
/// spaced stack along the normal.
Geometry gridOfFrames(FGInterface& groups, std::size_t frames, unsigned rows, unsigned columns, const std::string& file,
                      std::vector<std::size_t>& sliceOfFrame);

}  // namespace voxplain::dicomDerived
