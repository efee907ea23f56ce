#pragma once
// Which loaded volume feeds which model input. A study opened as files or DICOM series carries
// names that rarely equal the manifest's ("AX T2 FLAIR FS" for input "FLAIR", "t1_mprage.nii.gz"
// for "T1"): the app proposes an assignment from names and descriptions, shows why, and lets the
// user override it. Plain C++, no model needed (the manifest's input names suffice).

#include <string>
#include <vector>

namespace voxplain {

/// What is known of one loaded volume, for matching.
struct VolumeDescription {
  std::string name;                ///< its modality name in the study (file stem, series description)
  std::vector<std::string> hints;  ///< further words: file name, series description, DICOM Modality
};

struct InputAssignment {
  /// Per model input (manifest order): index into the volumes, or -1 when none is left.
  std::vector<int> volumeOfInput;
  /// Per model input: why ("name", "description 'AX T2 FLAIR'", "position", "none left").
  std::vector<std::string> reasons;
  /// True when every input has a volume and every volume is used at most once.
  bool complete() const;
  /// True when every input was matched by name or description (not by position): the app asks
  /// the user to confirm otherwise.
  bool confident() const;
};

/// Matches inputs to volumes: an equal name (case-insensitive) first, then a word of the name or
/// hints equal to the input name or a known synonym (T1: t1w, mprage, spgr, tfl; T2: t2w; FLAIR:
/// t2flair, dark fluid; T1ce: t1c, t1gd, t1post, gad), each volume used once; inputs left over take the
/// remaining volumes in order ("position"). Ties are resolved in input order.
InputAssignment assignInputs(const std::vector<std::string>& inputNames, const std::vector<VolumeDescription>& volumes);

/// The volumes' names once `volumeOfInput` (per input, a volume index; -1: none) is chosen: a chosen
/// volume takes its input's name; the others keep theirs, with " (unused)" appended when that name is
/// an input's (so that no two volumes answer to one input's name).
std::vector<std::string> assignedNames(const std::vector<std::string>& volumeNames,
                                       const std::vector<std::string>& inputNames,
                                       const std::vector<int>& volumeOfInput);

}  // namespace voxplain
