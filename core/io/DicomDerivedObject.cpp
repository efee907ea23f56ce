#include "io/DicomDerivedObject.h"

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmiod/modcommoninstanceref.h>
#include <dcmtk/dcmseg/segdoc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "task/InputError.h"

namespace voxplain::dicomDerived {

void check(const OFCondition& status, const std::string& file, const std::string& what) {
  if (status.bad()) throw InputError(file, what + ": " + status.text());
}

std::string decimalString(double value) {
  if (std::abs(value) < 1e-12) return "0";
  char text[40];
  for (int digits = 15; digits > 0; --digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::string(text).size() <= 16) return text;
  }
  return text;
}

namespace {
/// The attributes importHierarchy would copy from `source` whose values break their VR or VM
/// (tag, "Name 'value'"), found by importing into a scratch segmentation: they are emptied in the
/// source copy before the real import, as DCMTK refuses to write an object holding any of them.
std::vector<std::pair<DcmTagKey, std::string>> invalidImportedValues(DcmItem& source) {
  std::vector<std::pair<DcmTagKey, std::string>> invalid;
  DcmSegmentation* created = nullptr;
  if (DcmSegmentation::createBinarySegmentation(created, 1, 1,
                                                IODGeneralEquipmentModule::EquipmentInfo("-", "-", "-", "-"),
                                                ContentIdentificationMacro("1", "PROBE", "", ""))
          .bad())
    return invalid;
  std::unique_ptr<DcmSegmentation> probe(created);
  probe->importHierarchy(source, OFTrue, OFTrue, OFTrue, OFFalse);
  DcmItem& item = *probe->getData();
  for (unsigned long n = 0; n < item.card(); ++n) {
    DcmElement* element = item.getElement(n);
    if (!element || !element->isLeaf() || element->getLength() == 0 || element->checkValue("1-n").good()) continue;
    OFString value;
    element->getOFStringArray(value);
    invalid.emplace_back(element->getTag(),
                         std::string(DcmTag(element->getTag()).getTagName()) + " '" + value.c_str() + "'");
  }
  return invalid;
}
/// Type 1 attributes a derived object copies or references and that nothing can stand in for:
/// their absence is an error naming the attribute and the source file.
void requireReferenceableSource(DcmItem& dataset, const DicomSource& source) {
  std::string missing;
  OFString value;
  if (dataset.findAndGetOFString(DCM_StudyInstanceUID, value).bad() || value.empty())
    missing += "Study Instance UID (0020,000D)";
  if (source.seriesUid.empty() || source.seriesUid.rfind("(no SeriesInstanceUID)", 0) == 0)
    missing += std::string(missing.empty() ? "" : ", ") + "Series Instance UID (0020,000E)";
  if (!missing.empty())
    throw InputError(source.firstFile, "has no " + missing +
                                           ": a DICOM SEG or Parametric Map must reference its source study and "
                                           "series by them");
}

}  // namespace

void describeSource(DcmIODCommon& object, IODCommonInstanceReferenceModule& references, const DicomSource& source,
                    const DicomExportOptions& options, const std::string& defaultDescription, const std::string& out,
                    std::vector<std::string>& notes) {
  bool newFrameOfReference = false;
  DcmFileFormat file;
  check(file.loadFile(source.firstFile.c_str(), EXS_Unknown, EGL_noChange, 256), source.firstFile,
        "cannot read the source image");
  DcmDataset& dataset = *file.getDataset();
  for (const auto& [tag, name] : invalidImportedValues(dataset)) {
    dataset.putAndInsertString(tag, "");
    notes.push_back(name + " of " + source.firstFile + " is not valid DICOM: left empty in " + out);
  }
  // Patient, study (with equipment, overwritten below) and Frame of Reference of the source.
  check(object.importHierarchy(dataset, OFTrue, OFTrue, OFTrue, OFFalse), source.firstFile,
        "cannot copy patient and study");
  requireReferenceableSource(dataset, source);
  // Type 2 attributes (PS3.3 C.7.1.1 Patient, C.7.2.1 General Study, C.7.4.1 Frame of Reference)
  // that anonymisers and converters drop are written empty, as the standard allows.
  DcmItem& data = *object.getData();
  for (const DcmTagKey& tag :
       {DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex, DCM_StudyDate, DCM_StudyTime,
        DCM_ReferringPhysicianName, DCM_StudyID, DCM_AccessionNumber, DCM_PositionReferenceIndicator})
    if (!data.tagExists(tag)) data.insertEmptyElement(tag);
  OFString frameOfReference;
  object.getFrameOfReference().getFrameOfReferenceUID(frameOfReference);
  newFrameOfReference = frameOfReference.empty();
  if (newFrameOfReference) {
    char made[100];
    dcmGenerateUniqueIdentifier(made, SITE_INSTANCE_UID_ROOT);
    check(object.getFrameOfReference().setFrameOfReferenceUID(made), out, "Frame of Reference UID");
    notes.push_back(source.firstFile + " has no Frame of Reference UID: " + out + " has a new one (" + made +
                    "), so it lines up with its source series by the references only, with no other series");
  }
  if (!options.keepPatientIdentity) {
    object.getPatient().setPatientName("");
    object.getPatient().setPatientID("");
    object.getPatient().setPatientBirthDate("");
  }
  OFString sourceNumber;
  dataset.findAndGetOFString(DCM_SeriesNumber, sourceNumber);
  const int number = options.seriesNumber > 0 ? options.seriesNumber : 1000 + std::atoi(sourceNumber.c_str());
  IODGeneralSeriesModule& series = object.getSeries();
  char uid[100];
  check(series.setSeriesInstanceUID(dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT)), out, "series UID");
  check(series.setSeriesNumber(std::to_string(number).c_str()), out, "series number");
  const std::string description = options.seriesDescription.empty() ? defaultDescription : options.seriesDescription;
  const std::string newFrameSuffix = newFrameOfReference ? std::string(" (new Frame of Reference)") : std::string();
  check(series.setSeriesDescription((description.substr(0, 64 - newFrameSuffix.size()) + newFrameSuffix).c_str()), out,
        "series description");
  OFString date, time;
  DcmDate::getCurrentDate(date);
  DcmTime::getCurrentTime(time);
  series.setSeriesDate(date);
  series.setSeriesTime(time);
  IODGeneralEquipmentModule& equipment = object.getEquipment();
  equipment.setManufacturer("Voxplain");
  equipment.setManufacturerModelName("voxplain");
  equipment.setDeviceSerialNumber("1");
  if (!options.softwareVersion.empty()) equipment.setSoftwareVersions(options.softwareVersion.substr(0, 64).c_str());

  IODReferences all;
  for (const DicomSourceInstance& instance : source.instances)
    all.add(new IODImageReference("", source.studyUid.c_str(), source.seriesUid.c_str(),
                                  instance.sopInstanceUid.c_str(), instance.sopClassUid.c_str()));
  references.addReferences(all, source.studyUid.c_str());
}

FGPixelMeasures pixelMeasures(const Geometry& grid) {
  FGPixelMeasures measures;
  // Pixel Spacing is (between rows, between columns) = (spacing along j, spacing along i).
  measures.setPixelSpacing((decimalString(grid.spacing[1]) + "\\" + decimalString(grid.spacing[0])).c_str());
  measures.setSliceThickness(decimalString(grid.spacing[2]).c_str());
  measures.setSpacingBetweenSlices(decimalString(grid.spacing[2]).c_str());
  return measures;
}

FGPlaneOrientationPatient planeOrientation(const Geometry& grid) {
  const Vec3 row = grid.axis(0), column = grid.axis(1);
  FGPlaneOrientationPatient orientation;
  orientation.setImageOrientationPatient(decimalString(row[0]).c_str(), decimalString(row[1]).c_str(),
                                         decimalString(row[2]).c_str(), decimalString(column[0]).c_str(),
                                         decimalString(column[1]).c_str(), decimalString(column[2]).c_str());
  return orientation;
}

FGPlanePosPatient planePosition(const Geometry& grid, std::size_t k) {
  const Vec3 p = grid.indexToPhysical({0.0, 0.0, double(k)});
  FGPlanePosPatient position;
  position.setImagePositionPatient(decimalString(p[0]).c_str(), decimalString(p[1]).c_str(),
                                   decimalString(p[2]).c_str());
  return position;
}

std::unique_ptr<FGDerivationImage> derivationImage(const DicomSource& source, std::size_t k,
                                                   const CodeSequenceMacro& derivation,
                                                   const std::string& description) {
  const bool anyMatched = std::any_of(source.sliceFrames.begin(), source.sliceFrames.end(),
                                      [](const DicomSourceFrame& f) { return f.instance >= 0; });
  if (!anyMatched) return nullptr;
  // Once some frames derive from a source image, the group is per-frame for all of them: a slice
  // between source images carries the group with an empty Derivation Image Sequence (type 2).
  if (k >= source.sliceFrames.size() || source.sliceFrames[k].instance < 0)
    return std::make_unique<FGDerivationImage>();
  const DicomSourceFrame& at = source.sliceFrames[k];
  const DicomSourceInstance& instance = source.instances[std::size_t(at.instance)];
  ImageSOPInstanceReferenceMacro reference;
  reference.setReferencedSOPClassUID(instance.sopClassUid.c_str());
  reference.setReferencedSOPInstanceUID(instance.sopInstanceUid.c_str());
  if (instance.frames > 1) reference.setReferencedFrameNumber(OFVector<Uint16>(1, Uint16(at.frame + 1)));
  OFVector<ImageSOPInstanceReferenceMacro> references(1, reference);
  return std::unique_ptr<FGDerivationImage>(FGDerivationImage::createMinimal(
      references, description.c_str(), derivation,
      CodeSequenceMacro("121322", "DCM", "Source image for image processing operation")));
}

DerivedObjectHeader loadDerivedObject(DcmFileFormat& ff, const std::string& file, const char* sopClassUid,
                                      const std::string& what) {
  check(ff.loadFile(file.c_str()), file, "cannot read the DICOM file");
  DcmDataset* dataset = ff.getDataset();
  OFString value;
  dataset->findAndGetOFString(DCM_SOPClassUID, value);
  if (value != sopClassUid)
    throw InputError(file, "is not a " + what + " (SOP class " + std::string(value.c_str()) + ")");
  DerivedObjectHeader header;
  dataset->findAndGetUint16(DCM_Rows, header.rows);
  dataset->findAndGetUint16(DCM_Columns, header.columns);
  if (dataset->findAndGetOFString(DCM_FrameOfReferenceUID, value).good()) header.frameOfReferenceUid = value.c_str();
  DcmItem* series = nullptr;
  if (dataset->findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series, 0).good() && series &&
      series->findAndGetOFString(DCM_SeriesInstanceUID, value).good())
    header.referencedSeriesUid = value.c_str();
  return header;
}

Geometry gridOfFrames(FGInterface& groups, std::size_t frames, unsigned rows, unsigned columns, const std::string& file,
                      std::vector<std::size_t>& sliceOfFrame) {
  if (frames == 0) throw InputError(file, "has no frames");
  auto* orientation = dynamic_cast<FGPlaneOrientationPatient*>(groups.get(0, DcmFGTypes::EFG_PLANEORIENTPATIENT));
  auto* measures = dynamic_cast<FGPixelMeasures*>(groups.get(0, DcmFGTypes::EFG_PIXELMEASURES));
  if (!orientation || !measures) throw InputError(file, "no plane orientation or pixel measures functional group");
  Float64 o[6];
  Float64 rowSpacing = 0, columnSpacing = 0;
  if (orientation->getImageOrientationPatient(o[0], o[1], o[2], o[3], o[4], o[5]).bad() ||
      measures->getPixelSpacing(rowSpacing, 0).bad() || measures->getPixelSpacing(columnSpacing, 1).bad() ||
      rowSpacing <= 0 || columnSpacing <= 0)
    throw InputError(file, "unreadable Image Orientation (Patient) or Pixel Spacing");
  const Vec3 row{o[0], o[1], o[2]}, column{o[3], o[4], o[5]}, normal = cross(row, column);
  std::vector<Vec3> positions(frames);
  std::vector<double> along(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    auto* position = dynamic_cast<FGPlanePosPatient*>(groups.get(Uint32(f), DcmFGTypes::EFG_PLANEPOSPATIENT));
    Float64 x, y, z;
    if (!position || position->getImagePositionPatient(x, y, z).bad())
      throw InputError(file, "frame " + std::to_string(f + 1) + " has no Image Position (Patient)");
    positions[f] = {x, y, z};
    along[f] = dot(positions[f], normal);
  }
  std::vector<double> distinct = along;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(
      std::unique(distinct.begin(), distinct.end(), [](double a, double b) { return std::abs(a - b) < 1e-3; }),
      distinct.end());
  double step = 1.0;
  if (distinct.size() > 1) {
    step = distinct[1] - distinct[0];
    for (std::size_t s = 1; s < distinct.size(); ++s)
      if (std::abs(distinct[s] - distinct[s - 1] - step) > 1e-3 * std::max(1.0, step))
        throw InputError(file, "frames are not evenly spaced along the slice normal");
  } else {
    measures->getSpacingBetweenSlices(step);
    if (step <= 0) step = 1.0;
  }
  const std::size_t first = std::size_t(std::min_element(along.begin(), along.end()) - along.begin());
  Geometry grid;
  grid.size = {columns, rows, distinct.size()};
  grid.spacing = {columnSpacing, rowSpacing, step};
  grid.origin = positions[first];
  grid.direction = {row[0], column[0], normal[0], row[1], column[1], normal[1], row[2], column[2], normal[2]};
  grid.validate();
  sliceOfFrame.resize(frames);
  for (std::size_t f = 0; f < frames; ++f) sliceOfFrame[f] = std::size_t(std::lround((along[f] - distinct[0]) / step));
  return grid;
}

}  // namespace voxplain::dicomDerived
