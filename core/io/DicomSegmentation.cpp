#include "io/DicomSegmentation.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgseg.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <dcmtk/dcmseg/segutils.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "io/DicomDerivedObject.h"
#include "runtime/TextCase.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
using namespace dicomDerived;

namespace {

bool soundsLikeLesion(const std::string& text) {
  const std::string name = lowerCase(text);
  for (const char* word : {"lesion", "tumo", "metasta", "nodule", "infarct", "hyperintens", "edema", "oedema", "necro"})
    if (name.find(word) != std::string::npos) return true;
  return false;
}

std::unique_ptr<DcmSegment> makeSegment(const std::string& name, const std::string& algorithm, const std::string& out) {
  const bool lesion = soundsLikeLesion(name);
  const CodeSequenceMacro category = lesion ? CodeSequenceMacro("49755003", "SCT", "Morphologically abnormal structure")
                                            : CodeSequenceMacro("85756007", "SCT", "Tissue");
  const CodeSequenceMacro type =
      lesion ? CodeSequenceMacro("52988006", "SCT", "Lesion") : CodeSequenceMacro("85756007", "SCT", "Tissue");
  DcmSegment* segment = nullptr;
  check(DcmSegment::create(segment, name.substr(0, 64).c_str(), category, type, DcmSegTypes::SAT_AUTOMATIC,
                           (algorithm.empty() ? std::string("Voxplain") : algorithm).substr(0, 64).c_str()),
        out, "segment '" + name + "'");
  return std::unique_ptr<DcmSegment>(segment);
}

}  // namespace

std::vector<std::string> writeDicomSegmentation(const fs::path& out, const LabelVolume& labels,
                                                const std::vector<SegmentDefinition>& segments,
                                                const std::string& algorithm, const DicomSource& source,
                                                const DicomExportOptions& options, Overwrite overwrite) {
  const Geometry& grid = labels.geometry();
  const std::string where = out.string();
  std::vector<std::uint16_t> present;
  for (std::uint16_t v : labels.voxels())
    if (v != 0 && std::find(present.begin(), present.end(), v) == present.end()) present.push_back(v);
  std::sort(present.begin(), present.end());
  if (present.empty()) throw InputError(where, "the label map is empty: a DICOM SEG needs at least one segment");
  if (grid.size[0] > 65535 || grid.size[1] > 65535 || present.size() * grid.size[2] > 65535)
    throw InputError(where, "too many frames or pixels for one DICOM SEG (" +
                                std::to_string(present.size() * grid.size[2]) + " frames)");

  const std::string content = "Voxplain segmentation" + (algorithm.empty() ? std::string() : " (" + algorithm + ")");
  DcmSegmentation* created = nullptr;
  check(DcmSegmentation::createBinarySegmentation(
            created, Uint16(grid.size[1]), Uint16(grid.size[0]),
            IODGeneralEquipmentModule::EquipmentInfo(
                "Voxplain", "voxplain", "1",
                options.softwareVersion.empty() ? "unknown" : options.softwareVersion.c_str()),
            ContentIdentificationMacro("1", "SEGMENTATION", content.substr(0, 64).c_str(), options.creator.c_str())),
        where, "cannot create the segmentation");
  std::unique_ptr<DcmSegmentation> seg(created);
  std::vector<std::string> notes;
  describeSource(*seg, seg->getCommonInstanceReference(), source, options, content, where, notes);

  check(seg->addForAllFrames(pixelMeasures(grid)), where, "pixel measures");
  check(seg->addForAllFrames(planeOrientation(grid)), where, "plane orientation");
  char organisation[100];
  dcmGenerateUniqueIdentifier(organisation, SITE_INSTANCE_UID_ROOT);
  IODMultiframeDimensionModule& dimensions = seg->getDimensions();
  check(dimensions.addDimensionIndex(DCM_ReferencedSegmentNumber, organisation, DCM_SegmentIdentificationSequence,
                                     "segment"),
        where, "dimension index");
  check(
      dimensions.addDimensionIndex(DCM_ImagePositionPatient, organisation, DCM_PlanePositionSequence, "slice position"),
      where, "dimension index");

  const std::size_t plane = grid.size[0] * grid.size[1];
  std::vector<Uint8> frame(plane);
  const CodeSequenceMacro derivation("113076", "DCM", "Segmentation");
  for (std::uint16_t value : present) {
    std::string name = "label " + std::to_string(value);
    for (const SegmentDefinition& d : segments)
      if (d.value == value && !d.name.empty()) name = d.name;
    Uint16 number = 0;
    std::unique_ptr<DcmSegment> segment = makeSegment(name, algorithm, where);
    check(seg->addSegment(segment.get(), number), where, "segment '" + name + "'");
    static_cast<void>(segment.release());  // owned by the segmentation now
    for (std::size_t k = 0; k < grid.size[2]; ++k) {
      const std::uint16_t* slice = labels.data() + k * plane;
      for (std::size_t i = 0; i < plane; ++i) frame[i] = slice[i] == value ? 1 : 0;
      FGPlanePosPatient position = planePosition(grid, k);
      FGFrameContent frameContent;
      frameContent.setDimensionIndexValues(number, 0);
      frameContent.setDimensionIndexValues(Uint32(k + 1), 1);
      FGSegmentation segmentGroup;
      segmentGroup.setReferencedSegmentNumber(number);
      OFVector<FGBase*> groups{&position, &frameContent, &segmentGroup};
      std::unique_ptr<FGDerivationImage> derived = derivationImage(source, k, derivation, "Segmented by " + algorithm);
      if (derived) groups.push_back(derived.get());
      check(seg->addFrame(frame.data(), number, groups), where,
            "frame " + std::to_string(k + 1) + " of segment '" + name + "'");
    }
  }
  writeAtomically(out, overwrite, [&](const fs::path& temp) {
    check(seg->saveFile(temp.string().c_str(), EXS_LittleEndianExplicit), where,
          "cannot write the DICOM SEG from the header of " + source.firstFile);
  });
  return notes;
}

DicomSegmentationRead readDicomSegmentation(const fs::path& file) {
  const std::string where = file.string();
  DcmFileFormat ff;
  const DerivedObjectHeader header = loadDerivedObject(ff, where, UID_SegmentationStorage, "DICOM Segmentation object");
  const Uint16 rows = header.rows, columns = header.columns;
  DcmSegmentation* loaded = nullptr;
  check(DcmSegmentation::loadDataset(*ff.getDataset(), loaded), where, "not a readable Segmentation");
  std::unique_ptr<DcmSegmentation> seg(loaded);

  DicomSegmentationRead read;
  read.frameOfReferenceUid = header.frameOfReferenceUid;
  read.referencedSeriesUid = header.referencedSeriesUid;

  const std::size_t frames = seg->getNumberOfFrames();
  std::vector<std::size_t> sliceOfFrame;
  const Geometry grid = gridOfFrames(seg->getFunctionalGroups(), frames, rows, columns, where, sliceOfFrame);
  read.labels = LabelVolume(grid, std::uint16_t(0));
  for (std::size_t s = 1; s <= seg->getNumberOfSegments(); ++s) {
    DcmSegment* segment = seg->getSegment(s);
    OFString label;
    if (segment) segment->getSegmentLabel(label);
    read.segments.push_back({std::uint16_t(s), label.c_str()});
  }
  const bool binary = seg->getSegmentationType() == DcmSegTypes::ST_BINARY;
  const std::size_t plane = std::size_t(rows) * columns;
  for (std::size_t f = 0; f < frames; ++f) {
    auto* segmentGroup =
        dynamic_cast<FGSegmentation*>(seg->getFunctionalGroups().get(Uint32(f), DcmFGTypes::EFG_SEGMENTATION));
    Uint16 number = 0;
    if (!segmentGroup || segmentGroup->getReferencedSegmentNumber(number).bad() || number == 0)
      throw InputError(where, "frame " + std::to_string(f + 1) + " names no segment");
    const DcmIODTypes::Frame* stored = seg->getFrame(f);
    if (!stored) throw InputError(where, "frame " + std::to_string(f + 1) + " has no pixel data");
    std::unique_ptr<DcmIODTypes::Frame> unpacked(binary ? DcmSegUtils::unpackBinaryFrame(stored, rows, columns)
                                                        : nullptr);
    const DcmIODTypes::Frame* pixels = binary ? unpacked.get() : stored;
    if (!pixels || pixels->length < plane) throw InputError(where, "frame " + std::to_string(f + 1) + " is truncated");
    std::uint16_t* slice = read.labels.data() + sliceOfFrame[f] * plane;
    // Fractional: 8-bit occupancy/probability, set at half of the maximum (255).
    const Uint8 threshold = binary ? 1 : 128;
    for (std::size_t i = 0; i < plane; ++i)
      if (pixels->pixData[i] >= threshold) slice[i] = std::max<std::uint16_t>(slice[i], number);
  }
  return read;
}

}  // namespace voxplain
