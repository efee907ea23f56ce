#include "io/StudyReader.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "io/ImageReader.h"
#include "task/InputError.h"

namespace voxplain {
namespace fs = std::filesystem;

std::string modalityNameOf(const fs::path& path) {
  std::string name = path.filename().string();
  if (name.empty() || name == ".") name = path.parent_path().filename().string();
  for (const std::string ext : {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".dcm"}) {
    if (name.size() <= ext.size()) continue;
    std::string tail = name.substr(name.size() - ext.size());
    for (char& c : tail) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (tail == ext) return name.substr(0, name.size() - ext.size());
  }
  return name;
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
