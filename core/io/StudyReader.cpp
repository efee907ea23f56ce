#include "io/StudyReader.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "io/DicomCatalog.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "runtime/TextCase.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

std::string modalityNameOf(const fs::path& path) {
  std::string name = path.filename().string();
  if (name.empty() || name == ".") name = path.parent_path().filename().string();
  for (const std::string ext : {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".dcm"}) {
    if (name.size() <= ext.size()) continue;
    if (lowerCase(name.substr(name.size() - ext.size())) == ext) return name.substr(0, name.size() - ext.size());
  }
  return name;
}

StudyInput parseStudyInput(const std::string& argument) {
  StudyInput input;
  input.path = argument;
  const std::size_t equals = argument.find('=');
  std::error_code ec;
  if (equals == std::string::npos || equals == 0 || fs::exists(argument, ec)) return input;
  const std::string name = argument.substr(0, equals);
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) return input;
  input.name = name;
  input.nameGiven = true;
  input.path = argument.substr(equals + 1);
  return input;
}

namespace {

std::string trimmed(std::string text) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && space(text.back())) text.pop_back();
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), [&](unsigned char c) { return !space(c); }));
  return text;
}

/// The Series Description of the one image series at `path`; empty when `path` is NIfTI, not
/// DICOM, holds several image series (the reader will ask which) or none has a description.
std::string seriesDescriptionAt(const fs::path& path, const std::string& series, const TaskControl& control) {
  std::error_code ec;
  if (!fs::exists(path, ec) || (!fs::is_directory(path, ec) && looksLikeNifti(path))) return {};
  try {
    const DicomCatalog catalog = scanDicom(path, control);
    std::vector<const DicomSeries*> images;
    for (const DicomSeries& s : catalog.series)
      if (s.hasPixelData && (series.empty() || series.substr(0, series.find('#')) == s.seriesUid)) images.push_back(&s);
    return images.size() == 1 ? trimmed(images.front()->seriesDescription) : std::string();
  } catch (const InputError&) {
    return {};  // the reader says what is wrong with it, when it reads it
  }
}

}  // namespace

void nameStudyInputs(std::vector<StudyInput>& inputs, const TaskControl& control) {
  const double n = double(std::max<std::size_t>(inputs.size(), 1));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    StudyInput& in = inputs[i];
    if (!in.name.empty()) continue;
    in.name = seriesDescriptionAt(in.path, in.series, control.range(double(i) / n, double(i + 1) / n));
    if (in.name.empty()) in.name = modalityNameOf(in.path);
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (inputs[i].name == inputs[j].name)
        throw InputError(inputs[i].path.string(), "this input and " + inputs[j].path.string() + " are both named \"" +
                                                      inputs[i].name + "\"; name each with NAME=PATH, e.g. --input " +
                                                      inputs[j].name + "=" + inputs[j].path.string() + " --input " +
                                                      inputs[i].name + "_2=" + inputs[i].path.string());
}

StudyRead readStudy(const std::vector<StudyInput>& inputs, const TaskControl& control) {
  StudyRead out;
  std::set<std::string> names;
  const double n = double(std::max<std::size_t>(inputs.size(), 1));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const StudyInput& in = inputs[i];
    const std::string source = in.path.string() + (in.series.empty() ? "" : " (series " + in.series + ")");
    const std::string name = in.name.empty() ? modalityNameOf(in.path) : in.name;
    if (!names.insert(name).second)
      throw InputError(source, "a second modality named \"" + name + "\"; give each input its own name");
    const TaskControl step = control.range(double(i) / n, double(i + 1) / n);
    LoadedImage image = readImage(in.path, in.series, {}, step);
    for (const std::string& note : image.notes) out.notes.push_back(source + ": " + note);
    if (image.volumes.size() > 1)
      out.notes.push_back(source + ": 4D image, the first of " + std::to_string(image.volumes.size()) +
                          " volumes is used");
    const Modality& m = out.study.addModality(name, source, std::move(image.volumes.front()), step);
    if (!m.resampledBecause.empty())
      out.notes.push_back(source + ": resampled onto the grid of " + out.study.modalities().front().source + " (" +
                          m.resampledBecause + ")");
  }
  return out;
}

}  // namespace voxplain
