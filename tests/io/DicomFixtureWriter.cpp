#include "DicomFixtureWriter.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>

#include <cmath>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace voxplain::testing {
namespace {

std::string newUid() {
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
}

std::string joinDs(const std::vector<double>& v) {
  std::ostringstream s;
  s.precision(10);
  for (std::size_t i = 0; i < v.size(); ++i) s << (i ? "\\" : "") << v[i];
  return s.str();
}

void check(OFCondition c, const std::string& what) {
  if (c.bad()) throw std::runtime_error(what + ": " + c.text());
}

void registerEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

void putPatientStudy(DcmDataset* ds, const std::string& studyUid) {
  ds->putAndInsertString(DCM_PatientName, "Phantom^Synthetic");
  ds->putAndInsertString(DCM_PatientID, "VOXPLAIN-TEST");
  ds->putAndInsertString(DCM_PatientBirthDate, "19700101");
  ds->putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
  ds->putAndInsertString(DCM_FrameOfReferenceUID, "1.2.826.0.1.3680043.9.7533.2");
  ds->putAndInsertString(DCM_SOPInstanceUID, newUid().c_str());
}

}  // namespace

std::vector<Vec3> stackPositions(const Vec3& origin, const Vec3& step, int count) {
  std::vector<Vec3> p;
  for (int n = 0; n < count; ++n)
    p.push_back({origin[0] + n * step[0], origin[1] + n * step[1], origin[2] + n * step[2]});
  return p;
}

std::string writeSeries(const SeriesSpec& spec) {
  std::filesystem::create_directories(spec.folder);
  const std::string seriesUid = spec.seriesUid.empty() ? newUid() : spec.seriesUid;
  for (std::size_t n = 0; n < spec.positions.size(); ++n) {
    DcmFileFormat ff;
    DcmDataset* ds = ff.getDataset();
    const char* sop = spec.modality == "MR" ? UID_MRImageStorage : UID_CTImageStorage;
    ds->putAndInsertString(DCM_SOPClassUID, sop);
    putPatientStudy(ds, spec.studyUid);
    ds->putAndInsertString(DCM_SeriesInstanceUID, seriesUid.c_str());
    ds->putAndInsertString(DCM_Modality, spec.modality.c_str());
    ds->putAndInsertString(DCM_SeriesDescription, spec.description.c_str());
    ds->putAndInsertString(DCM_SeriesNumber, std::to_string(spec.seriesNumber).c_str());
    const std::size_t instance = spec.instanceNumbersDescending ? spec.positions.size() - n : n + 1;
    ds->putAndInsertString(DCM_InstanceNumber, std::to_string(instance).c_str());
    if (spec.echoNumber) ds->putAndInsertString(DCM_EchoNumbers, std::to_string(spec.echoNumber).c_str());
    if (spec.gantryTilt != 0.0) ds->putAndInsertString(DCM_GantryDetectorTilt, joinDs({spec.gantryTilt}).c_str());
    const Vec3& p = spec.positions[n];
    ds->putAndInsertString(DCM_ImagePositionPatient, joinDs({p[0], p[1], p[2]}).c_str());
    ds->putAndInsertString(DCM_ImageOrientationPatient,
                           joinDs({spec.rowCosine[0], spec.rowCosine[1], spec.rowCosine[2], spec.columnCosine[0],
                                   spec.columnCosine[1], spec.columnCosine[2]})
                               .c_str());
    ds->putAndInsertString(DCM_PixelSpacing, joinDs({spec.rowSpacing, spec.columnSpacing}).c_str());
    ds->putAndInsertString(DCM_SliceThickness, "1");
    ds->putAndInsertString(DCM_RescaleSlope, joinDs({spec.slope}).c_str());
    ds->putAndInsertString(DCM_RescaleIntercept, joinDs({spec.intercept}).c_str());
    ds->putAndInsertUint16(DCM_Rows, Uint16(spec.rows));
    ds->putAndInsertUint16(DCM_Columns, Uint16(spec.columns));
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    const bool eightBit = spec.transferSyntax == "jpeg-baseline";
    ds->putAndInsertUint16(DCM_BitsAllocated, eightBit ? 8 : 16);
    ds->putAndInsertUint16(DCM_BitsStored, eightBit ? 8 : 16);
    ds->putAndInsertUint16(DCM_HighBit, eightBit ? 7 : 15);
    ds->putAndInsertUint16(DCM_PixelRepresentation, eightBit ? 0 : 1);
    std::vector<Uint16> pixels(std::size_t(spec.rows) * spec.columns);
    for (unsigned r = 0; r < spec.rows; ++r)
      for (unsigned c = 0; c < spec.columns; ++c) {
        Vec3 x = p;
        for (int d = 0; d < 3; ++d)
          x[d] += c * spec.columnSpacing * spec.rowCosine[d] + r * spec.rowSpacing * spec.columnCosine[d];
        const long stored = std::lround((spec.value(x) - spec.intercept) / spec.slope);
        pixels[r * spec.columns + c] = eightBit ? Uint16(std::max(0L, std::min(255L, stored)))
                                                : Uint16(Sint16(std::max(-32768L, std::min(32767L, stored))));
      }
    if (eightBit) {
      std::vector<Uint8> bytes(pixels.begin(), pixels.end());
      check(ds->putAndInsertUint8Array(DCM_PixelData, bytes.data(), unsigned(bytes.size())), "pixel data");
    } else {
      check(ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(), unsigned(pixels.size())), "pixel data");
    }

    E_TransferSyntax xfer = EXS_LittleEndianExplicit;
    if (spec.transferSyntax == "implicit")
      xfer = EXS_LittleEndianImplicit;
    else if (spec.transferSyntax == "deflate")
      xfer = EXS_DeflatedLittleEndianExplicit;
    else if (spec.transferSyntax != "explicit") {
      registerEncoders();
      if (spec.transferSyntax == "jpeg-lossless") {
        DJ_RPLossless params;
        xfer = EXS_JPEGProcess14SV1;
        check(ds->chooseRepresentation(xfer, &params), "JPEG lossless encoding");
      } else if (spec.transferSyntax == "jpeg-baseline") {
        DJ_RPLossy params(95);
        xfer = EXS_JPEGProcess1;
        check(ds->chooseRepresentation(xfer, &params), "JPEG baseline encoding");
      } else if (spec.transferSyntax == "jpeg-ls") {
        DJLSRepresentationParameter params(0, OFTrue);
        xfer = EXS_JPEGLSLossless;
        check(ds->chooseRepresentation(xfer, &params), "JPEG-LS encoding");
      } else if (spec.transferSyntax == "rle") {
        DcmRLERepresentationParameter params;
        xfer = EXS_RLELossless;
        check(ds->chooseRepresentation(xfer, &params), "RLE encoding");
      } else {
        throw std::runtime_error("unknown transfer syntax " + spec.transferSyntax);
      }
      if (!ds->canWriteXfer(xfer)) throw std::runtime_error("cannot write " + spec.transferSyntax);
    }
    const std::string file = spec.folder + "/slice" + std::to_string(1000 + n) + ".dcm";
    check(ff.saveFile(file.c_str(), xfer), "save " + file);
  }
  return seriesUid;
}

// A dataset with patient/study/series identity and the given SOP class and modality.
void startObject(DcmDataset* ds, const char* sopClass, const char* modality, const std::string& studyUid) {
  ds->putAndInsertString(DCM_SOPClassUID, sopClass);
  putPatientStudy(ds, studyUid);
  ds->putAndInsertString(DCM_SeriesInstanceUID, newUid().c_str());
  ds->putAndInsertString(DCM_Modality, modality);
}

void writeStructuredReport(const std::string& file) {
  DcmFileFormat ff;
  startObject(ff.getDataset(), UID_BasicTextSRStorage, "SR", "1.2.826.0.1.3680043.9.7533.3");
  check(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit), "save SR");
}

void writeEncapsulatedPdf(const std::string& file) {
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  startObject(ds, UID_EncapsulatedPDFStorage, "DOC", "1.2.826.0.1.3680043.9.7533.4");
  ds->putAndInsertString(DCM_MIMETypeOfEncapsulatedDocument, "application/pdf");
  const char pdf[] = "%PDF-1.4\n%%EOF\n";
  ds->putAndInsertUint8Array(DCM_EncapsulatedDocument, reinterpret_cast<const Uint8*>(pdf), sizeof(pdf) - 1 + 1);
  check(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit), "save PDF");
}

void writeImageWithoutPixelData(const std::string& file) {
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  startObject(ds, UID_CTImageStorage, "CT", "1.2.826.0.1.3680043.9.7533.5");
  ds->putAndInsertUint16(DCM_Rows, 4);
  ds->putAndInsertUint16(DCM_Columns, 4);
  check(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit), "save no-pixel CT");
}

void writeImageWithAbsurdSize(const std::string& file, unsigned rows, unsigned columns, unsigned frames) {
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  startObject(ds, UID_CTImageStorage, "CT", "1.2.826.0.1.3680043.9.7533.6");
  ds->putAndInsertUint16(DCM_Rows, Uint16(rows));
  ds->putAndInsertUint16(DCM_Columns, Uint16(columns));
  ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 16);
  ds->putAndInsertUint16(DCM_HighBit, 15);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds->putAndInsertString(DCM_ImagePositionPatient, "0\\0\\0");
  ds->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  const Uint16 few[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  check(ds->putAndInsertUint16Array(DCM_PixelData, few, 8), "pixel data");
  check(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit), "save absurd CT");
}

}  // namespace voxplain::testing
