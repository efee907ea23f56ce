#include "DicomExport.h"

#include <algorithm>

#include "io/DicomParametricMap.h"
#include "io/DicomSource.h"
#include "task/InputError.h"

namespace voxplain::ui {

std::vector<std::filesystem::path> DicomExportRequest::files() const {
  std::vector<std::filesystem::path> out;
  if (labels) out.push_back(folder / "segmentation.dcm");
  if (maps)
    for (const std::string& modality : mapModalities) out.push_back(folder / (method + "_" + modality + ".dcm"));
  return out;
}

DicomExportResult exportToDicom(const DicomExportRequest& request, const TaskControl& control) {
  DicomExportResult result;
  try {
    if (!request.labels && !request.maps) throw InputError(request.folder.string(), "nothing to export");
    const Geometry& grid = request.labels ? request.labels->geometry() : request.maps->front().geometry();
    const std::vector<DicomSource> sources = findStudyDicomSources(request.inputs, grid, control);
    std::filesystem::create_directories(request.folder);
    const std::vector<std::filesystem::path> files = request.files();
    std::size_t next = 0;
    auto keep = [&](const std::vector<std::string>& notes) {
      result.notes.insert(result.notes.end(), notes.begin(), notes.end());
      result.files.push_back(files[next++].string());
    };
    if (request.labels) {
      control.step(0.0, "writing the DICOM SEG");
      keep(writeDicomSegmentation(files[next], *request.labels, request.segments, request.model, sources.front(),
                                  request.options, request.overwrite));
    }
    if (request.maps)
      for (std::size_t c = 0; c < request.mapModalities.size(); ++c) {
        control.checkpoint();
        control.step(double(c + 1) / double(request.mapModalities.size() + 1), "writing Parametric Maps");
        keep(writeDicomParametricMap(files[next], (*request.maps)[c],
                                     {request.method, request.mapModalities[c], request.target},
                                     sourceOfModality(sources, request.studyModalities, request.mapModalities[c]),
                                     request.options, request.overwrite));
      }
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace voxplain::ui
