#include "io/DicomParametricMap.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgframeanatomy.h>
#include <dcmtk/dcmfg/fgframevoilut.h>
#include <dcmtk/dcmfg/fgparametricmapframetype.h>
#include <dcmtk/dcmfg/fgpixeltransform.h>
#include <dcmtk/dcmfg/fgrealworldvaluemapping.h>
#include <dcmtk/dcmiod/iodcontentitemmacro.h>
#include <dcmtk/dcmiod/modfloatingpointimagepixel.h>
#include <dcmtk/dcmpmap/dpmparametricmapiod.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "io/DicomDerivedObject.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;
using namespace dicomDerived;

namespace {

/// The Real World Value Mapping of an attribution map: identity, no units, quantity "attribution".
FGRealWorldValueMapping valueMapping(const ParametricMapMeaning& meaning, double low, double high,
                                     const std::string& where) {
  FGRealWorldValueMapping mapping;
  auto item = std::make_unique<FGRealWorldValueMapping::RWVMItem>();
  check(item->setRealWorldValueSlope(1.0), where, "value mapping");
  check(item->setRealWorldValueIntercept(0.0), where, "value mapping");
  check(item->setDoubleFloatRealWorldValueFirstValueMapped(low), where, "value mapping");
  check(item->setDoubleFloatRealWorldValueLastValueMapped(high), where, "value mapping");
  check(item->setLUTLabel(("attr_" + meaning.modality).substr(0, 16).c_str()), where, "LUT label");
  check(item->setLUTExplanation((meaning.method + " attribution of " + meaning.modality).substr(0, 64).c_str()), where,
        "LUT explanation");
  item->getMeasurementUnitsCode().set("1", "UCUM", "no units");
  auto quantity = std::make_unique<ContentItemMacro>();
  quantity->getEntireConceptNameCodeSequence().push_back(new CodeSequenceMacro("246205007", "SCT", "Quantity"));
  quantity->getEntireConceptCodeSequence().push_back(new CodeSequenceMacro("ATTRIBUTION", "99VOXPLAIN", "Attribution"));
  quantity->setValueType(ContentItemMacro::VT_CODE);
  item->getEntireQuantityDefinitionSequence().push_back(quantity.release());
  mapping.getRealWorldValueMapping().push_back(item.release());
  return mapping;
}

}  // namespace

std::vector<std::string> writeDicomParametricMap(const fs::path& out, const Volume& map,
                                                 const ParametricMapMeaning& meaning, const DicomSource& source,
                                                 const DicomExportOptions& options, Overwrite overwrite) {
  const Geometry& grid = map.geometry();
  const std::string where = out.string();
  if (grid.size[0] > 65535 || grid.size[1] > 65535 || grid.size[2] > 65535)
    throw InputError(where, "the map is too large for one Parametric Map (" + formatSize(grid.size) + ")");
  double low = 0.0, high = 0.0;
  for (float v : map.voxels()) {
    if (!std::isfinite(v)) throw InputError(where, "the map holds a non-finite value: it cannot be written");
    low = std::min(low, double(v));
    high = std::max(high, double(v));
  }
  if (high <= low) high = low + 1.0;

  const std::string content = meaning.method + " attribution of " + meaning.modality +
                              (meaning.target.empty() ? std::string() : " for " + meaning.target);
  OFvariant<OFCondition, DPMParametricMapIOD> created = DPMParametricMapIOD::create<IODFloatingPointImagePixelModule>(
      source.modality.empty() ? "OT" : source.modality.c_str(), "1", "1", Uint16(grid.size[1]), Uint16(grid.size[0]),
      IODEnhGeneralEquipmentModule::EquipmentInfo(
          "Voxplain", "voxplain", "1", options.softwareVersion.empty() ? "unknown" : options.softwareVersion.c_str()),
      ContentIdentificationMacro("1", "ATTRIBUTION", content.substr(0, 64).c_str(), options.creator.c_str()), "VOLUME",
      "NONE", DPMTypes::CQ_RESEARCH);
  if (OFCondition* failed = OFget<OFCondition>(&created)) check(*failed, where, "cannot create the Parametric Map");
  DPMParametricMapIOD& pmap = *OFget<DPMParametricMapIOD>(&created);
  std::vector<std::string> notes;
  describeSource(pmap, pmap.getIODCommonInstanceReferenceModule(), source, options,
                 "Voxplain " + meaning.method + " " + meaning.modality, where, notes);
  check(pmap.setRecognizableVisualFeatures(DPMTypes::RVF_NO), where, "recognizable visual features");

  check(pmap.addForAllFrames(pixelMeasures(grid)), where, "pixel measures");
  check(pmap.addForAllFrames(planeOrientation(grid)), where, "plane orientation");
  FGFrameAnatomy anatomy;
  anatomy.setLaterality(FGFrameAnatomy::LATERALITY_UNPAIRED);
  anatomy.getAnatomy().getAnatomicRegion().set("38266002", "SCT", "Entire body");
  check(pmap.addForAllFrames(anatomy), where, "frame anatomy");
  FGPixelValueTransformation identity;
  identity.setUseAsIdentityPixelValueTransformation();
  check(pmap.addForAllFrames(identity), where, "pixel value transformation");
  FGParametricMapFrameType frameType;
  check(frameType.setFrameType("DERIVED\\PRIMARY\\VOLUME\\NONE"), where, "frame type");
  check(pmap.addForAllFrames(frameType), where, "frame type");
  FGFrameVOILUT window;
  window.setWindowCenter(decimalString((low + high) / 2).c_str());
  window.setWindowWidth(decimalString(high - low).c_str());
  check(pmap.addForAllFrames(window), where, "window");
  check(pmap.addForAllFrames(valueMapping(meaning, low, high, where)), where, "value mapping");

  char organisation[100];
  dcmGenerateUniqueIdentifier(organisation, SITE_INSTANCE_UID_ROOT);
  check(pmap.getIODMultiframeDimensionModule().addDimensionIndex(DCM_ImagePositionPatient, organisation,
                                                                 DCM_PlanePositionSequence, "slice position"),
        where, "dimension index");

  DPMParametricMapIOD::FramesType frames = pmap.getFrames();
  auto* floats = OFget<DPMParametricMapIOD::Frames<Float32>>(&frames);
  if (!floats) throw InputError(where, "cannot add float frames to the Parametric Map");
  const std::size_t plane = grid.size[0] * grid.size[1];
  std::vector<Float32> frame(plane);
  const CodeSequenceMacro derivation("ATTRIBUTION", "99VOXPLAIN", "Attribution map");
  for (std::size_t k = 0; k < grid.size[2]; ++k) {
    std::copy_n(map.data() + k * plane, plane, frame.begin());
    FGPlanePosPatient position = planePosition(grid, k);
    FGFrameContent frameContent;
    frameContent.setDimensionIndexValues(Uint32(k + 1), 0);
    OFVector<FGBase*> groups{&position, &frameContent};
    std::unique_ptr<FGDerivationImage> derived = derivationImage(source, k, derivation, content);
    if (derived) groups.push_back(derived.get());
    check(floats->addFrame(frame.data(), plane, groups), where, "frame " + std::to_string(k + 1));
  }
  writeAtomically(out, overwrite, [&](const fs::path& temp) {
    check(pmap.saveFile(temp.string().c_str(), EXS_LittleEndianExplicit), where,
          "cannot write the Parametric Map from the header of " + source.firstFile);
  });
  return notes;
}

DicomParametricMapRead readDicomParametricMap(const fs::path& file) {
  const std::string where = file.string();
  DcmFileFormat ff;
  const DerivedObjectHeader header = loadDerivedObject(ff, where, UID_ParametricMapStorage, "DICOM Parametric Map");
  const Uint16 rows = header.rows, columns = header.columns;
  OFvariant<OFCondition, DPMParametricMapIOD*> loaded = DPMParametricMapIOD::loadDataset(*ff.getDataset());
  if (OFCondition* failed = OFget<OFCondition>(&loaded)) check(*failed, where, "not a readable Parametric Map");
  std::unique_ptr<DPMParametricMapIOD> pmap(*OFget<DPMParametricMapIOD*>(&loaded));

  DicomParametricMapRead read;
  read.frameOfReferenceUid = header.frameOfReferenceUid;
  read.referencedSeriesUid = header.referencedSeriesUid;
  OFString value;
  auto* mapping =
      dynamic_cast<FGRealWorldValueMapping*>(pmap->getFunctionalGroups().get(0, DcmFGTypes::EFG_REALWORLDVALUEMAPPING));
  if (mapping && !mapping->getRealWorldValueMapping().empty()) {
    mapping->getRealWorldValueMapping().front()->getLUTLabel(value);
    read.lutLabel = value.c_str();
  }

  const std::size_t count = pmap->getNumberOfFrames();
  std::vector<std::size_t> sliceOfFrame;
  const Geometry grid = gridOfFrames(pmap->getFunctionalGroups(), count, rows, columns, where, sliceOfFrame);
  DPMParametricMapIOD::FramesType frames = pmap->getFrames();
  auto* floats = OFget<DPMParametricMapIOD::Frames<Float32>>(&frames);
  if (!floats) throw InputError(where, "holds no 32-bit float pixels (Float Pixel Data)");
  read.map = Volume(grid, 0.0f);
  const std::size_t plane = std::size_t(rows) * columns;
  for (std::size_t f = 0; f < count; ++f) {
    const Float32* pixels = floats->getFrame(f);
    if (!pixels) throw InputError(where, "frame " + std::to_string(f + 1) + " has no pixel data");
    std::copy_n(pixels, plane, read.map.data() + sliceOfFrame[f] * plane);
  }
  return read;
}

}  // namespace voxplain
