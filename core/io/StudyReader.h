#pragma once
// Reading a study: one image per modality (NIfTI file, DICOM file, or one series of a DICOM
// folder) onto one reference grid. The one reader of the CLI (--input) and the app (Open, the
// series browser), so both name modalities and resample the same way.

#include <filesystem>
#include <string>
#include <vector>

#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain {

/// One modality to read.
struct StudyInput {
  std::filesystem::path path;  ///< NIfTI file, DICOM file or DICOM folder
  /// SeriesInstanceUID (or "UID#n" for a split part) of a series in `path`; empty when `path`
  /// holds exactly one image (else SeriesChoiceNeeded is thrown).
  std::string series;
  std::string name;        ///< modality name; empty: modalityNameOf(path)
  bool nameGiven = false;  ///< the user named it (NAME=PATH), rather than the file or series
};

/// One input as people type it: "PATH", or "NAME=PATH" when the text is not itself an existing
/// path, has an '=' and no path separator before it, and a non-empty name. Never touches the file.
StudyInput parseStudyInput(const std::string& argument);

/// Gives every unnamed input a name, as the app's series browser does: a DICOM file or folder of
/// one image series by its Series Description (trimmed), otherwise (NIfTI, no description,
/// several series) by modalityNameOf(path) — "a/DICOM" is "DICOM". Two inputs with one name
/// (case-sensitive) are refused, naming both paths and the NAME=PATH form that settles it.
/// Reads DICOM headers only. Throws InputError, OperationCancelled.
void nameStudyInputs(std::vector<StudyInput>& inputs, const TaskControl& control = {});

/// Modality name from a file or folder name: "FLAIR.nii.gz" -> "FLAIR", "data/T1/" -> "T1",
/// "ct.dcm" -> "ct".
std::string modalityNameOf(const std::filesystem::path& path);

struct StudyRead {
  Study study;
  /// For the user, each "<path>: <what happened>": reader notes (resampled slices, rescale), 4D
  /// images reduced to their first volume, modalities resampled onto the first one's grid and why.
  std::vector<std::string> notes;
};

/// Reads `inputs` in order; the first defines the reference grid, later ones are resampled
/// (linear) onto it with a note saying what differed. Progress is reported per input.
/// Throws InputError naming the file and the reason (unreadable, two inputs with one name),
/// SeriesChoiceNeeded (a folder of several series and no `series`), OperationCancelled.
StudyRead readStudy(const std::vector<StudyInput>& inputs, const TaskControl& control = {});

}  // namespace voxplain
