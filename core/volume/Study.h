#pragma once
// A Study: the named modalities of one subject on one reference grid.

#include <string>
#include <vector>

#include "task/TaskControl.h"
#include "volume/Image.h"

namespace voxplain {

struct Modality {
  std::string name;    ///< e.g. "FLAIR", "T1", "CT"; unique within a study
  std::string source;  ///< file or series it came from (for messages and provenance)
  Volume volume;       ///< on the study's reference grid
  /// Empty when the modality was already on the reference grid; otherwise what differed
  /// (it was then resampled linearly onto the reference grid).
  std::string resampledBecause;
};

class Study {
 public:
  /// The first modality added defines the reference grid unless setReferenceGrid() was called.
  void setReferenceGrid(const Geometry& grid);
  bool hasReferenceGrid() const { return hasReference_; }
  const Geometry& referenceGrid() const { return reference_; }

  /// Adds a modality; resamples it (linear) onto the reference grid when its grid differs and
  /// records why in Modality::resampledBecause. Throws std::invalid_argument on a duplicate name.
  const Modality& addModality(const std::string& name, const std::string& source, Volume volume,
                              const TaskControl& control = {});

  /// Renames the modalities, in order (e.g. to the model's input names, model/InputAssignment.h).
  /// Throws std::invalid_argument when the count differs or two names are equal.
  void renameModalities(const std::vector<std::string>& names);

  const std::vector<Modality>& modalities() const { return modalities_; }
  /// Throws std::out_of_range naming the modality when absent.
  const Modality& modality(const std::string& name) const;

 private:
  Geometry reference_;
  bool hasReference_ = false;
  std::vector<Modality> modalities_;
};

}  // namespace voxplain
