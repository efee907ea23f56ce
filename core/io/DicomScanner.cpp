// Folder scan: headers only (parsing stops at Pixel Data), grouped by SeriesInstanceUID.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include "io/DicomCatalog.h"
#include "io/DicomTags.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
namespace {

// Enhanced multi-frame objects keep per-frame geometry in functional groups (PS3.3 C.7.6.16):
// look in the frame's item of the Per-frame sequence first, then in the Shared one.
DcmItem* functionalGroup(DcmItem* perFrame, DcmItem* shared, const DcmTagKey& sequence) {
  DcmItem* item = nullptr;
  if (perFrame && perFrame->findAndGetSequenceItem(sequence, item, 0).good() && item) return item;
  if (shared && shared->findAndGetSequenceItem(sequence, item, 0).good() && item) return item;
  return nullptr;
}

void readPlaneGeometry(DcmItem* item, DicomFrame& f) {
  if (!item) return;
  double v[6];
  if (dicomTags::getDoubles(item, DCM_ImagePositionPatient, v, 3)) {
    f.position = {v[0], v[1], v[2]};
    f.hasPosition = true;
  }
  if (dicomTags::getDoubles(item, DCM_ImageOrientationPatient, v, 6)) {
    f.rowCosine = {v[0], v[1], v[2]};
    f.columnCosine = {v[3], v[4], v[5]};
    f.hasOrientation = true;
  }
  if (dicomTags::getDoubles(item, DCM_PixelSpacing, v, 2)) {
    f.rowSpacing = v[0];
    f.columnSpacing = v[1];
    f.hasPixelSpacing = true;
  }
  f.sliceThickness = dicomTags::getDouble(item, DCM_SliceThickness, f.sliceThickness);
  f.spacingBetweenSlices = dicomTags::getDouble(item, DCM_SpacingBetweenSlices, f.spacingBetweenSlices);
  f.rescaleSlope = dicomTags::getDouble(item, DCM_RescaleSlope, f.rescaleSlope);
  f.rescaleIntercept = dicomTags::getDouble(item, DCM_RescaleIntercept, f.rescaleIntercept);
}

std::vector<DicomFrame> framesOf(DcmDataset* ds, const std::string& file, std::uintmax_t fileBytes) {
  DicomFrame base;
  base.file = file;
  base.sopInstanceUid = dicomTags::getString(ds, DCM_SOPInstanceUID);
  base.rows = dicomTags::getUnsigned(ds, DCM_Rows);
  base.columns = dicomTags::getUnsigned(ds, DCM_Columns);
  base.bitsAllocated = dicomTags::getUnsigned(ds, DCM_BitsAllocated);
  base.bitsStored = dicomTags::getUnsigned(ds, DCM_BitsStored, base.bitsAllocated);
  base.highBit = dicomTags::getUnsigned(ds, DCM_HighBit, base.bitsStored ? base.bitsStored - 1 : 0);
  base.pixelRepresentation = dicomTags::getUnsigned(ds, DCM_PixelRepresentation);
  base.samplesPerPixel = dicomTags::getUnsigned(ds, DCM_SamplesPerPixel, 1);
  base.photometric = dicomTags::getString(ds, DCM_PhotometricInterpretation);
  base.instanceNumber = dicomTags::getInt(ds, DCM_InstanceNumber);
  base.acquisitionNumber = dicomTags::getInt(ds, DCM_AcquisitionNumber);
  base.temporalIndex = dicomTags::getInt(ds, DCM_TemporalPositionIdentifier);
  base.echoNumber = dicomTags::getInt(ds, DCM_EchoNumbers);
  base.echoTime = dicomTags::getDouble(ds, DCM_EchoTime, 0.0);
  base.acquisitionTime = dicomTags::getString(ds, DCM_AcquisitionTime);
  base.gantryTilt = dicomTags::getDouble(ds, DCM_GantryDetectorTilt, 0.0);
  readPlaneGeometry(ds, base);

  const long frames = std::max(1, dicomTags::getInt(ds, DCM_NumberOfFrames, 1));
  // An absurd NumberOfFrames must fail here, before one record per frame is made: a 1 KB file
  // claiming 65,520 frames of zero columns cost a second of copies before the loader refused it.
  if (frames > 100000) throw InputError(file, "absurd NumberOfFrames " + std::to_string(frames));
  if (base.rows == 0 || base.columns == 0) throw InputError(file, "image has zero rows or columns");
  DcmElement* pixelData = nullptr;
  const bool encapsulated = DcmXfer(ds->getOriginalXfer()).isEncapsulated();
  // Each encapsulated frame needs at least one 8-byte item (PS3.5 A.4), so the file bounds the count.
  if (encapsulated && std::uintmax_t(frames) * 8 > fileBytes)
    throw InputError(file, "NumberOfFrames " + std::to_string(frames) + " cannot fit in a file of " +
                               std::to_string(fileBytes) + " bytes");
  if (!encapsulated && ds->findAndGetElement(DCM_PixelData, pixelData).good() && pixelData) {
    // Bits, not bytes: BitsAllocated 1 (bitmaps) or a nonsense 0 must still bound the frame count;
    // a double holds the product without the wrap-around a 64-bit integer could make of it.
    const double needBits = double(base.rows) * base.columns * std::max(1u, base.bitsAllocated) * double(frames) *
                            std::max(1u, base.samplesPerPixel);
    const double need = std::ceil(needBits / 8.0);
    if (double(pixelData->getLength()) < need) {
      char needText[32];
      std::snprintf(needText, sizeof needText, "%.0f", need);
      throw InputError(file, "Pixel Data has " + std::to_string(pixelData->getLength()) + " bytes but " +
                                 std::to_string(base.rows) + "x" + std::to_string(base.columns) + "x" +
                                 std::to_string(frames) + " frames need " + needText);
    }
  }
  base.framesInFile = unsigned(frames);
  DcmSequenceOfItems* perFrameSeq = nullptr;
  DcmItem* shared = nullptr;
  ds->findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  const bool enhanced = ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrameSeq).good() && perFrameSeq;

  std::vector<DicomFrame> out;
  for (long n = 0; n < frames; ++n) {
    DicomFrame f = base;
    f.frameIndex = unsigned(n);
    if (enhanced) {
      DcmItem* perFrame = n < long(perFrameSeq->card()) ? perFrameSeq->getItem(unsigned(n)) : nullptr;
      readPlaneGeometry(functionalGroup(perFrame, shared, DCM_PixelMeasuresSequence), f);
      readPlaneGeometry(functionalGroup(perFrame, shared, DCM_PlanePositionSequence), f);
      readPlaneGeometry(functionalGroup(perFrame, shared, DCM_PlaneOrientationSequence), f);
      readPlaneGeometry(functionalGroup(perFrame, shared, DCM_PixelValueTransformationSequence), f);
      if (DcmItem* content = functionalGroup(perFrame, shared, DCM_FrameContentSequence)) {
        f.temporalIndex = dicomTags::getInt(content, DCM_TemporalPositionIndex, f.temporalIndex);
        f.acquisitionNumber = dicomTags::getInt(content, DCM_FrameAcquisitionNumber, f.acquisitionNumber);
      }
      if (DcmItem* echo = functionalGroup(perFrame, shared, DCM_MREchoSequence))
        f.echoTime = dicomTags::getDouble(echo, DCM_EffectiveEchoTime, f.echoTime);
    } else if (frames > 1 && f.hasPosition && f.spacingBetweenSlices > 0) {
      // Classic multi-frame (e.g. NM, legacy converted): frames stacked along the normal.
      const Vec3 normal = cross(f.rowCosine, f.columnCosine);
      for (int d = 0; d < 3; ++d) f.position[d] += double(n) * f.spacingBetweenSlices * normal[d];
    } else if (frames > 1) {
      f.hasPosition = false;  // frames cannot be placed; the loader will say so
    }
    out.push_back(f);
  }
  return out;
}

// "all 12 DICOM files: unknown transfer syntax 1.2.3 (first: /a/b.dcm)" when every unreadable file
// fails for the same reason; otherwise the count and the first file with its reason.
std::string unreadableSummary(const std::vector<UnreadableFile>& unreadable, std::size_t filesSeen) {
  const UnreadableFile& first = unreadable.front();
  const bool alike = std::all_of(unreadable.begin(), unreadable.end(),
                                 [&](const UnreadableFile& u) { return u.reason == first.reason; });
  const std::string among = "no readable DICOM images among " + std::to_string(filesSeen) + " files; ";
  if (alike)
    return among +
           (unreadable.size() == 1 ? std::string("the DICOM file: ")
                                   : "all " + std::to_string(unreadable.size()) + " DICOM files: ") +
           first.reason + " (first: " + first.file + ")";
  return among + std::to_string(unreadable.size()) + " unreadable, first: " + first.describe();
}

}  // namespace

bool looksLikeDicomFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[132] = {};
  in.read(buf, sizeof(buf));
  return in.gcount() == 132 && std::memcmp(buf + 128, "DICM", 4) == 0;
}

DicomCatalog scanDicom(const fs::path& path, const TaskControl& control) {
  // DCMTK logs parse problems to stderr itself; we report them once, as InputError text.
  static const bool quiet = [] {
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    return true;
  }();
  (void)quiet;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path.string(), "no such file or folder");
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    control.step(0.0, "listing files");
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) files.push_back(it->path());
      if (files.size() % 1024 == 0) control.checkpoint();
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw InputError(path.string(), "empty folder (no files)");
  } else {
    files.push_back(path);
  }

  DicomCatalog catalog;
  std::map<std::string, std::size_t> seriesIndex;
  for (std::size_t n = 0; n < files.size(); ++n) {
    if (n % 16 == 0 || n + 1 == files.size())
      control.step(double(n) / double(files.size()),
                   "reading DICOM headers " + std::to_string(n + 1) + "/" + std::to_string(files.size()));
    const std::string file = files[n].string();
    ++catalog.filesSeen;
    const std::uintmax_t fileBytes = fs::file_size(files[n], ec);
    if (ec || fileBytes == 0) {
      ++catalog.nonDicomFiles;
      continue;
    }
    DcmFileFormat ff;
    // Elements over 256 bytes (Pixel Data) are skipped, not read: scanning 10,000 files must
    // not read 10,000 images. They load on demand when a series is loaded.
    OFCondition status = ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 256, ERM_autoDetect);
    DcmDataset* ds = ff.getDataset();
    std::string sopClass = status.good() ? dicomTags::getString(ds, DCM_SOPClassUID) : std::string();
    // Converters and anonymisers drop (0008,0016) from the dataset while the file meta header keeps
    // its copy, Media Storage SOP Class UID: dcm2niix and pydicom read such files, so do we.
    const bool sopClassFromMeta =
        status.good() && sopClass.empty() &&
        !(sopClass = dicomTags::getString(ff.getMetaInfo(), DCM_MediaStorageSOPClassUID)).empty();
    if (status.bad() || (sopClass.empty() && dicomTags::getString(ds, DCM_SeriesInstanceUID).empty())) {
      if (looksLikeDicomFile(files[n]))
        catalog.unreadable.push_back(
            {file, status.bad() ? "cannot parse DICOM (" + std::string(status.text()) + ")"
                                : "no SOP Class UID (neither in the dataset nor in the file meta header) and no "
                                  "Series Instance UID"});
      else
        ++catalog.nonDicomFiles;
      continue;
    }
    // A transfer syntax DCMTK does not know would be parsed as explicit little endian: it may be a
    // compression nobody here can decode, so the file is refused with its UID.
    const std::string declaredXfer = dicomTags::getString(ff.getMetaInfo(), DCM_TransferSyntaxUID);
    if (!declaredXfer.empty() && DcmXfer(declaredXfer.c_str()).getXfer() == EXS_Unknown) {
      catalog.unreadable.push_back({file, "unknown transfer syntax " + declaredXfer});
      continue;
    }
    const bool hasPixels = ds->tagExists(DCM_PixelData);
    std::vector<DicomFrame> frames;
    if (hasPixels) {
      try {
        frames = framesOf(ds, file, fileBytes);
      } catch (const InputError& e) {
        catalog.unreadable.push_back({e.source(), e.reason()});
        continue;
      }
      const std::string xfer = DcmXfer(ds->getOriginalXfer()).getXferID();
      for (DicomFrame& f : frames) f.transferSyntax = xfer;
    }
    std::string uid = dicomTags::getString(ds, DCM_SeriesInstanceUID);
    if (uid.empty()) uid = "(no SeriesInstanceUID) " + files[n].parent_path().string();
    auto [it, inserted] = seriesIndex.try_emplace(uid, catalog.series.size());
    if (inserted) {
      DicomSeries s;
      s.seriesUid = uid;
      s.patientId = dicomTags::getString(ds, DCM_PatientID);
      s.patientName = dicomTags::getString(ds, DCM_PatientName);
      s.studyUid = dicomTags::getString(ds, DCM_StudyInstanceUID);
      s.studyDescription = dicomTags::getString(ds, DCM_StudyDescription);
      s.studyDate = dicomTags::getString(ds, DCM_StudyDate);
      s.seriesDescription = dicomTags::getString(ds, DCM_SeriesDescription);
      s.modality = dicomTags::getString(ds, DCM_Modality);
      s.seriesNumber = dicomTags::getInt(ds, DCM_SeriesNumber);
      s.sopClassUid = sopClass;
      s.frameOfReferenceUid = dicomTags::getString(ds, DCM_FrameOfReferenceUID);
      s.sopClassName = dcmFindNameOfUID(sopClass.c_str(), sopClass.empty() ? "unknown SOP class" : sopClass.c_str());
      catalog.series.push_back(std::move(s));
    }
    DicomSeries& series = catalog.series[it->second];
    series.files.push_back(file);
    if (sopClassFromMeta) ++series.sopClassFromMetaHeader;
    if (sopClass.empty()) ++series.sopClassMissing;
    if (hasPixels) {
      series.hasPixelData = true;
      series.frames.insert(series.frames.end(), frames.begin(), frames.end());
    }
  }
  control.step(1.0, "scanned " + std::to_string(files.size()) + " files");
  std::sort(catalog.series.begin(), catalog.series.end(), [](const DicomSeries& a, const DicomSeries& b) {
    return std::tie(a.patientId, a.studyUid, a.seriesNumber, a.seriesUid) <
           std::tie(b.patientId, b.studyUid, b.seriesNumber, b.seriesUid);
  });
  if (catalog.series.empty()) {
    const bool single = !fs::is_directory(path, ec);
    std::string reason =
        single ? "not a DICOM or NIfTI file" : "no DICOM files among " + std::to_string(files.size()) + " files";
    if (single && !catalog.unreadable.empty()) {
      reason = catalog.unreadable.front().reason;
    } else if (!catalog.unreadable.empty()) {
      reason = unreadableSummary(catalog.unreadable, files.size());
    }
    throw InputError(path.string(), reason);
  }
  return catalog;
}

}  // namespace voxplain
