#include "io/DicomSeriesLoader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

#include "io/DicomSliceStack.h"
#include "io/Jpeg2000Decoder.h"
#include "task/InputError.h"

namespace voxplain {
namespace {

void registerDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();      // JPEG baseline, extended, lossless
    DJLSDecoderRegistration::registerCodecs();    // JPEG-LS
    DcmRLEDecoderRegistration::registerCodecs();  // RLE; deflate is built into dcmdata
  });
}

std::string storedTypeName(const DicomFrame& f) {
  const bool s = f.pixelRepresentation == 1;
  return (s ? "int" : "uint") + std::to_string(f.bitsAllocated);
}

// Groups frames that form one volume: same matrix, orientation, pixel spacing and echo.
std::string groupKey(const DicomFrame& f) {
  std::ostringstream k;
  k << f.rows << 'x' << f.columns;
  for (double v : f.rowCosine) k << ',' << std::lround(v * 1e4);
  for (double v : f.columnCosine) k << ',' << std::lround(v * 1e4);
  k << '|' << std::lround(f.rowSpacing * 1e4) << ',' << std::lround(f.columnSpacing * 1e4);
  k << "|e" << f.echoNumber << ',' << std::lround(f.echoTime * 100);
  return k.str();
}

std::string describeGroup(const DicomFrame& f) {
  std::ostringstream d;
  d.precision(4);
  d << f.columns << "x" << f.rows;
  if (f.echoNumber || f.echoTime > 0) d << ", echo " << f.echoNumber << " (TE " << f.echoTime << " ms)";
  const Vec3 n = cross(f.rowCosine, f.columnCosine);
  d << ", normal (" << n[0] << ", " << n[1] << ", " << n[2] << ")";
  return d.str();
}

// Decodes every frame of one file into stored values (after BitsStored masking and sign
// extension), one vector per frame.
std::vector<std::vector<float>> decodeFile(const DicomFrame& ref) {
  registerDecoders();
  const std::string& file = ref.file;
  DcmFileFormat ff;
  OFCondition status = ff.loadFile(ref.file.c_str());
  if (status.bad()) throw InputError(file, std::string("cannot read the DICOM file (") + status.text() + ")");
  DcmDataset* ds = ff.getDataset();
  const E_TransferSyntax xfer = ds->getOriginalXfer();
  const DcmXfer xferInfo(xfer);
  const std::size_t perFrame = std::size_t(ref.rows) * ref.columns;
  const std::size_t bytes = std::size_t(ref.bitsAllocated / 8);
  const std::size_t need = perFrame * bytes * ref.framesInFile;
  Uint8* raw8 = nullptr;
  Uint16* raw16 = nullptr;
  std::vector<char> jpeg2000;  // frames decoded by GDCM, laid out as uncompressed Pixel Data
  if (isJpeg2000TransferSyntax(xferInfo.getXferID())) {
    jpeg2000 = decodeJpeg2000PixelData(file, need);
    raw8 = reinterpret_cast<Uint8*>(jpeg2000.data());
    if (ref.bitsAllocated == 16) raw16 = reinterpret_cast<Uint16*>(jpeg2000.data());  // operator new aligns
  } else {
    status = ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (status.bad() || !ds->canWriteXfer(EXS_LittleEndianExplicit))
      throw InputError(file, std::string("cannot decode transfer syntax ") + xferInfo.getXferName() +
                                 (status.bad() ? std::string(" (") + status.text() + ")" : std::string()));
    DcmElement* element = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, element).bad() || !element) throw InputError(file, "no Pixel Data");
    if (element->getLength() < need)
      throw InputError(file, "truncated Pixel Data (" + std::to_string(element->getLength()) + " bytes, " +
                                 std::to_string(need) + " needed)");
    if (ref.bitsAllocated == 16 ? element->getUint16Array(raw16).bad() : element->getUint8Array(raw8).bad())
      throw InputError(file, "cannot access Pixel Data");
  }
  if (!raw8 && !raw16) throw InputError(file, "empty Pixel Data");

  const unsigned shift = ref.highBit + 1 >= ref.bitsStored ? ref.highBit + 1 - ref.bitsStored : 0;
  const std::uint64_t mask = ref.bitsStored >= 32 ? 0xffffffffull : ((std::uint64_t(1) << ref.bitsStored) - 1);
  const bool isSigned = ref.pixelRepresentation == 1;
  std::vector<std::vector<float>> frames(ref.framesInFile, std::vector<float>(perFrame));
  for (unsigned f = 0; f < ref.framesInFile; ++f)
    for (std::size_t i = 0; i < perFrame; ++i) {
      const std::size_t at = std::size_t(f) * perFrame + i;
      std::uint64_t word;
      if (ref.bitsAllocated == 8)
        word = raw8[at];
      else if (ref.bitsAllocated == 16)
        word = raw16[at];
      else {
        std::uint32_t w;
        std::memcpy(&w, raw8 + 4 * at, 4);
        word = w;
      }
      std::int64_t value = std::int64_t((word >> shift) & mask);
      if (isSigned && ref.bitsStored < 64 && (value >> (ref.bitsStored - 1)) & 1)
        value -= std::int64_t(1) << ref.bitsStored;
      frames[f][i] = float(value);
    }
  return frames;
}

void validatePixelModule(const DicomFrame& f, const DicomSeries& series) {
  if (f.samplesPerPixel != 1)
    throw InputError(f.file, "colour images (" + std::to_string(f.samplesPerPixel) + " samples per pixel, " +
                                 f.photometric + ") are not supported; Voxplain needs greyscale volumes");
  if (f.rows == 0 || f.columns == 0) throw InputError(f.file, "image has zero rows or columns");
  if (f.bitsAllocated != 8 && f.bitsAllocated != 16 && f.bitsAllocated != 32)
    throw InputError(f.file, "unsupported BitsAllocated " + std::to_string(f.bitsAllocated));
  if (f.bitsStored == 0 || f.bitsStored > f.bitsAllocated || f.highBit >= f.bitsAllocated)
    throw InputError(f.file, "inconsistent BitsStored/HighBit (" + std::to_string(f.bitsStored) + "/" +
                                 std::to_string(f.highBit) + ")");
  (void)series;
}

/// What the scan found missing about the SOP class, for the user (io/DicomCatalog.h).
std::vector<std::string> sopClassNotes(const DicomSeries& series) {
  std::vector<std::string> notes;
  const std::string files = std::to_string(series.files.size());
  if (series.sopClassFromMetaHeader > 0)
    notes.push_back(
        std::to_string(series.sopClassFromMetaHeader) + " of " + files +
        " files have no SOP Class UID in the dataset; the file meta header's Media Storage SOP Class UID (" +
        series.sopClassName + ") is used");
  if (series.sopClassMissing > 0)
    notes.push_back(std::to_string(series.sopClassMissing) + " of " + files +
                    " files have no SOP Class UID, neither in the dataset nor in the file meta header: the images "
                    "load, but DICOM SEG and Parametric Map objects cannot reference them");
  return notes;
}

}  // namespace

std::vector<LoadedImage> loadDicomSeries(const DicomSeries& series, const ReadLimits& limits,
                                         const TaskControl& control) {
  const std::string where = series.files.empty() ? series.seriesUid : series.files.front();
  if (!series.hasPixelData || series.frames.empty()) {
    const bool imageClass = series.sopClassName.find("Image") != std::string::npos;
    throw InputError(where, imageClass ? "image object (" + series.sopClassName + ") without Pixel Data"
                                       : "not an image: " + series.sopClassName + " (" +
                                             (series.modality.empty() ? "no modality" : series.modality) +
                                             ") has no Pixel Data");
  }

  // Split into volume groups.
  std::map<std::string, std::vector<DicomFrame>> groups;
  std::vector<std::string> order;
  for (const DicomFrame& f : series.frames) {
    validatePixelModule(f, series);
    const std::string key = groupKey(f);
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(f);
  }

  std::uint64_t totalVoxels = 0;
  for (const DicomFrame& f : series.frames) totalVoxels += std::uint64_t(f.rows) * f.columns;
  if (totalVoxels > limits.maxVoxels)
    throw InputError(where, "series too large (" + std::to_string(totalVoxels) + " voxels, limit " +
                                std::to_string(limits.maxVoxels) + ")");

  // Decode each file once; cache frames by file.
  std::map<std::string, std::vector<std::vector<float>>> decoded;
  std::size_t filesDone = 0;
  const std::size_t fileCount = series.files.size();
  auto pixelsOf = [&](const DicomFrame& f) -> const std::vector<float>& {
    auto it = decoded.find(f.file);
    if (it == decoded.end()) {
      control.step(double(filesDone) / double(std::max<std::size_t>(fileCount, 1)),
                   "decoding " + std::to_string(filesDone + 1) + "/" + std::to_string(fileCount));
      ++filesDone;
      it = decoded.emplace(f.file, decodeFile(f)).first;
    }
    if (f.frameIndex >= it->second.size())
      throw InputError(f.file, "frame " + std::to_string(f.frameIndex + 1) + " is missing");
    return it->second[f.frameIndex];
  };

  std::vector<LoadedImage> out;
  for (std::size_t g = 0; g < order.size(); ++g) {
    std::vector<DicomFrame>& frames = groups[order[g]];
    std::vector<SliceStackVolume> stacks = arrangeSlices(frames, where);
    for (std::size_t s = 0; s < stacks.size(); ++s) {
      LoadedImage image;
      image.source = where;
      image.format = "DICOM";
      image.storedDataType = storedTypeName(frames.front());
      image.uid = series.seriesUid;
      if (order.size() > 1 || stacks.size() > 1) image.uid += "#" + std::to_string(out.size() + 1);
      image.description = series.seriesDescription;
      image.modality = series.modality;
      image.patientId = series.patientId;
      image.studyUid = series.studyUid;
      image.studyDescription = series.studyDescription;
      image.seriesNumber = series.seriesNumber;
      std::vector<std::string> files;
      for (const auto& vol : stacks[s].volumes)
        for (const DicomFrame& f : vol) files.push_back(f.file);
      std::sort(files.begin(), files.end());
      image.fileCount = std::size_t(std::unique(files.begin(), files.end()) - files.begin());
      for (const std::string& note : sopClassNotes(series)) image.notes.push_back(note);
      if (order.size() > 1)
        image.notes.push_back("series split into " + std::to_string(order.size()) +
                              " volumes by matrix/orientation/echo; this one: " + describeGroup(frames.front()));
      if (stacks.size() > 1)
        image.notes.push_back("split by acquisition number: part " + std::to_string(s + 1) + " of " +
                              std::to_string(stacks.size()));
      try {
        buildVolumes(stacks[s], pixelsOf, image);
      } catch (const std::invalid_argument& e) {  // a geometry that slipped past the checks above
        throw InputError(where, std::string("inconsistent geometry: ") + e.what());
      } catch (const std::bad_alloc&) {
        throw InputError(where, "not enough memory for this series");
      }
      out.push_back(std::move(image));
    }
  }
  control.step(1.0, "loaded");
  return out;
}

}  // namespace voxplain
