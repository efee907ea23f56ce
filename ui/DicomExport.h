#pragma once
// Writing the shown results as DICOM objects next to the source series: the prediction as DICOM
// SEG and the shown explanation's maps as Parametric Maps (io/DicomSegmentation.h,
// io/DicomParametricMap.h). Runs on a worker thread; the request holds everything it needs.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "io/AtomicFile.h"
#include "io/DicomExportOptions.h"
#include "io/DicomSegmentation.h"
#include "io/StudyReader.h"
#include "task/TaskControl.h"
#include "volume/Image.h"

namespace voxplain::ui {

struct DicomExportRequest {
  std::vector<StudyInput> inputs;                   ///< the study's inputs; modality c was read from inputs[c]
  std::vector<std::string> studyModalities;         ///< the study's modality names, in input order
  std::shared_ptr<const LabelVolume> labels;        ///< the prediction (study grid); null: no SEG
  std::vector<SegmentDefinition> segments;          ///< names of label values (the model's labels)
  std::string model;                                ///< the model's name (algorithm name of the segments)
  std::shared_ptr<const std::vector<Volume>> maps;  ///< one per entry of mapModalities; null: no maps
  std::vector<std::string> mapModalities;
  std::string method, target;  ///< of the maps ("integrated_gradients", "class=1")
  std::filesystem::path folder;
  DicomExportOptions options;
  Overwrite overwrite = Overwrite::Refuse;

  /// The files the request writes: folder/segmentation.dcm, folder/<method>_<modality>.dcm.
  std::vector<std::filesystem::path> files() const;
};

struct DicomExportResult {
  std::vector<std::string> files;  ///< written, in order
  std::vector<std::string> notes;  ///< for the user (source values left out)
  std::string error;               ///< empty on success: "<file>: <reason>"
};

/// Finds the source series of the study's inputs and writes the objects. Never throws: a failure
/// is returned in `error` (files written before it stay; none is half-written).
DicomExportResult exportToDicom(const DicomExportRequest& request, const TaskControl& control = {});

}  // namespace voxplain::ui
