#include "io/DicomSeriesWriter.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <cmath>
#include <cstdio>

#include "io/DicomDerivedObject.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

std::string joinDecimals(const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "\\" : "") + dicomDerived::decimalString(values[i]);
  return out;
}

}  // namespace

std::string newDicomUid() {
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
}

std::vector<std::filesystem::path> writeDicomSeries(const Volume& volume, const std::filesystem::path& dir,
                                                    const DicomSeriesIdentity& identity) {
  for (float v : volume.voxels())
    if (!(v >= -0.5f && v < 65535.5f))
      throw InputError(dir.string(), "a voxel value (" + std::to_string(v) +
                                         ") lies outside 0..65535 and cannot be stored as unsigned 16-bit");
  std::filesystem::create_directories(dir);
  const Geometry& g = volume.geometry();
  const std::string studyUid = identity.studyUid.empty() ? newDicomUid() : identity.studyUid;
  const std::string frameUid = identity.frameOfReferenceUid.empty() ? newDicomUid() : identity.frameOfReferenceUid;
  const std::string seriesUid = identity.seriesUid.empty() ? newDicomUid() : identity.seriesUid;
  const Vec3 rowAxis = g.axis(0), columnAxis = g.axis(1);
  const std::string orientation =
      joinDecimals({rowAxis[0], rowAxis[1], rowAxis[2], columnAxis[0], columnAxis[1], columnAxis[2]});
  const std::size_t rows = g.size[1], columns = g.size[0];
  std::vector<std::filesystem::path> files;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "IM%04zu.dcm", k + 1);
    const std::filesystem::path file = dir / name;
    DcmFileFormat ff;
    DcmDataset* ds = ff.getDataset();
    auto put = [&](const DcmTagKey& tag, const std::string& value) {
      dicomDerived::check(ds->putAndInsertString(tag, value.c_str()), file.string(), DcmTag(tag).getTagName());
    };
    put(DCM_SOPClassUID, UID_MRImageStorage);
    put(DCM_SOPInstanceUID, newDicomUid());
    put(DCM_SpecificCharacterSet, "ISO_IR 192");
    put(DCM_ImageType, "DERIVED\\SECONDARY\\OTHER");
    put(DCM_PatientPosition, "HFS");
    put(DCM_StudyDate, identity.studyDate);
    put(DCM_SeriesDate, identity.studyDate);
    put(DCM_StudyTime, "120000");
    put(DCM_SeriesTime, "120000");
    put(DCM_AccessionNumber, "");
    put(DCM_Modality, "MR");
    put(DCM_Manufacturer, "Voxplain");
    put(DCM_ReferringPhysicianName, "");
    put(DCM_StudyDescription, identity.studyDescription);
    put(DCM_SeriesDescription, identity.seriesDescription);
    put(DCM_PatientName, identity.patientName);
    put(DCM_PatientID, identity.patientId);
    put(DCM_PatientBirthDate, "");
    put(DCM_PatientSex, "O");
    put(DCM_BodyPartExamined, "BRAIN");
    // MR Image module: type 1/2 attributes of a synthetic acquisition.
    put(DCM_ScanningSequence, "RM");
    put(DCM_SequenceVariant, "NONE");
    put(DCM_ScanOptions, "");
    put(DCM_MRAcquisitionType, "3D");
    put(DCM_RepetitionTime, "");
    put(DCM_EchoTime, "");
    put(DCM_EchoTrainLength, "");
    put(DCM_SliceThickness, dicomDerived::decimalString(g.spacing[2]));
    put(DCM_SpacingBetweenSlices, dicomDerived::decimalString(g.spacing[2]));
    put(DCM_StudyInstanceUID, studyUid);
    put(DCM_SeriesInstanceUID, seriesUid);
    put(DCM_StudyID, "1");
    put(DCM_SeriesNumber, std::to_string(identity.seriesNumber));
    put(DCM_InstanceNumber, std::to_string(k + 1));
    put(DCM_FrameOfReferenceUID, frameUid);
    put(DCM_PositionReferenceIndicator, "");
    const Vec3 position = g.indexToPhysical({0.0, 0.0, double(k)});
    put(DCM_ImagePositionPatient, joinDecimals({position[0], position[1], position[2]}));
    put(DCM_ImageOrientationPatient, orientation);
    put(DCM_PixelSpacing, joinDecimals({g.spacing[1], g.spacing[0]}));
    put(DCM_PhotometricInterpretation, "MONOCHROME2");
    dicomDerived::check(ds->putAndInsertUint16(DCM_Rows, Uint16(rows)), file.string(), "Rows");
    dicomDerived::check(ds->putAndInsertUint16(DCM_Columns, Uint16(columns)), file.string(), "Columns");
    dicomDerived::check(ds->putAndInsertUint16(DCM_SamplesPerPixel, 1), file.string(), "SamplesPerPixel");
    dicomDerived::check(ds->putAndInsertUint16(DCM_BitsAllocated, 16), file.string(), "BitsAllocated");
    dicomDerived::check(ds->putAndInsertUint16(DCM_BitsStored, 16), file.string(), "BitsStored");
    dicomDerived::check(ds->putAndInsertUint16(DCM_HighBit, 15), file.string(), "HighBit");
    dicomDerived::check(ds->putAndInsertUint16(DCM_PixelRepresentation, 0), file.string(), "PixelRepresentation");
    std::vector<Uint16> pixels(rows * columns);
    const float* slice = volume.data() + k * rows * columns;  // i fastest: DICOM's column index
    for (std::size_t p = 0; p < pixels.size(); ++p) pixels[p] = Uint16(std::lround(std::max(0.0f, slice[p])));
    dicomDerived::check(ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(), unsigned(pixels.size())),
                        file.string(), "Pixel Data");
    dicomDerived::check(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit), file.string(), "writing");
    files.push_back(file);
  }
  return files;
}

}  // namespace voxplain
