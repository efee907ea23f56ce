#include "volume/Study.h"

#include <stdexcept>

#include "volume/Resampler.h"

namespace voxplain {

void Study::setReferenceGrid(const Geometry& grid) {
  grid.validate();
  reference_ = grid;
  hasReference_ = true;
}

const Modality& Study::addModality(const std::string& name, const std::string& source, Volume volume,
                                   const TaskControl& control) {
  for (const auto& m : modalities_)
    if (m.name == name) throw std::invalid_argument("modality '" + name + "' is already in the study");
  if (!hasReference_) setReferenceGrid(volume.geometry());
  Modality m;
  m.name = name;
  m.source = source;
  const GeometryMismatch mismatch = compareGeometry(volume.geometry(), reference_);
  if (mismatch.sameGrid()) {
    volume.setGeometry(reference_);  // snap sub-tolerance differences
    m.volume = std::move(volume);
  } else {
    m.resampledBecause = mismatch.describe(volume.geometry(), reference_);
    m.volume = resampleLinear(volume, reference_, 0.0f, control);
  }
  modalities_.push_back(std::move(m));
  return modalities_.back();
}

void Study::renameModalities(const std::vector<std::string>& names) {
  if (names.size() != modalities_.size())
    throw std::invalid_argument(std::to_string(names.size()) + " names for " + std::to_string(modalities_.size()) +
                                " modalities");
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = i + 1; j < names.size(); ++j)
      if (names[i] == names[j]) throw std::invalid_argument("modality '" + names[i] + "' named twice");
  for (std::size_t i = 0; i < names.size(); ++i) modalities_[i].name = names[i];
}

const Modality& Study::modality(const std::string& name) const {
  for (const auto& m : modalities_)
    if (m.name == name) return m;
  throw std::out_of_range("no modality named '" + name + "' in the study");
}

}  // namespace voxplain
