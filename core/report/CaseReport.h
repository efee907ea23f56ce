#pragma once
// A report folder for one case: what `voxplain-cli report` and the app's File > Export report
// write, from one aggregation of the case (analysis/CaseAggregation.h):
//
//   README.md                          model (name, version, SHA-256), method, parameters, classes,
//                                      inputs (file names), device, versions, timings, file list
//   prediction.nii.gz                  the model's labels on the study grid
//   maps/<method>_<class>_<modality>.nii.gz   each explained class's map per modality
//   modality_importance.{csv,json}     share of |A| and exact Shapley values per modality
//   segment_importance.{csv,json}      Agg^2Exp class x segment x modality cells
//   case.json                          the whole aggregation record
//   figures/*.svg                      modality bars, Shapley bars, class x segment matrix, bars per class
//   figures/slices_<class>_<modality>.png   per explained class and modality, the axial slice with the
//                                      most voxels of the class: anatomy, map and class outline
//                                      (figure/SliceFigure.h), shown in the README
//   dicom/segmentation.dcm, dicom/<method>_<modality>.dcm   when the study came from DICOM
//
// Patient name, ID and birth date appear nowhere unless options.keepPatientIdentity (they are only
// ever copied into the DICOM objects). Every file is written atomically; an existing folder that
// holds files is refused unless `overwrite` is Allow.

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/CaseAggregation.h"
#include "io/AtomicFile.h"
#include "io/DicomExportOptions.h"
#include "io/StudyReader.h"
#include "model/ModelPackage.h"
#include "model/SegmentationRunner.h"

namespace voxplain {

struct CaseReportInput {
  const ModelPackage* package = nullptr;
  std::vector<StudyInput> inputs;  ///< what the study was read from (file names go in the README)
  const Study* study = nullptr;
  const Prediction* prediction = nullptr;
  const CaseAggregation* aggregation = nullptr;
  std::string softwareVersion;  ///< "voxplain 0.1.0"
};

struct CaseReportFiles {
  std::vector<std::string> files;       ///< relative to the folder, in writing order
  std::vector<std::string> svgFigures;  ///< absolute paths of figures/*.svg (front ends may add PNGs)
  std::vector<std::string> notes;       ///< for the user (DICOM left out and why, source values dropped)
};

/// Throws InputError naming `folder` when it holds files and overwrite == Refuse.
void checkReportFolder(const std::filesystem::path& folder, Overwrite overwrite);

/// Writes the report into `folder`. DICOM objects are written when the first input is a DICOM
/// series (a NIfTI study gets a note instead). Throws InputError naming a file that cannot be
/// written, or the folder when it holds files and overwrite == Refuse; OperationCancelled.
CaseReportFiles writeCaseReport(const std::filesystem::path& folder, const CaseReportInput& input,
                                const DicomExportOptions& options, Overwrite overwrite,
                                const TaskControl& control = {});

}  // namespace voxplain
