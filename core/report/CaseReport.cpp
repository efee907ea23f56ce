#include "report/CaseReport.h"

#include <cctype>
#include <sstream>
#include <tuple>

#include "analysis/ImportanceCharts.h"
#include "figure/SliceFigure.h"
#include "io/DicomParametricMap.h"
#include "io/DicomSegmentation.h"
#include "io/DicomSource.h"
#include "io/NiftiIO.h"
#include "io/PngFile.h"
#include "model/Preprocessing.h"
#include "runtime/FileStem.h"
#include "runtime/TorchRuntime.h"
#include "task/InputError.h"
#include "volume/Reorient.h"

namespace voxplain {
namespace fs = std::filesystem;

namespace {

class ReportWriter {
 public:
  ReportWriter(fs::path folder, CaseReportFiles& files) : folder_(std::move(folder)), files_(files) {}

  void text(const std::string& name, const std::string& content) {
    const fs::path path = folder_ / name;
    fs::create_directories(path.parent_path());
    writeTextAtomically(path, content, Overwrite::Allow);
    files_.files.push_back(name);
  }
  void figure(const std::string& stem, const std::string& svg) {
    text("figures/" + stem + ".svg", svg);
    files_.svgFigures.push_back((folder_ / "figures" / (stem + ".svg")).string());
  }
  void volume(const std::string& name, const Volume& v) {
    fs::create_directories((folder_ / name).parent_path());
    writeNifti(v, folder_ / name, Overwrite::Allow);
    files_.files.push_back(name);
  }
  void picture(const std::string& name, const RgbRaster& picture) {
    fs::create_directories((folder_ / name).parent_path());
    writePng(folder_ / name, picture, Overwrite::Allow);
    files_.files.push_back(name);
  }
  void labels(const std::string& name, const LabelVolume& v) {
    writeNifti(v, folder_ / name, Overwrite::Allow);
    files_.files.push_back(name);
  }
  const fs::path& folder() const { return folder_; }

 private:
  fs::path folder_;
  CaseReportFiles& files_;
};

// figures/slices_<class>_<modality>.png for every explained class, and the README's section on them.
std::string writeSliceFigures(ReportWriter& w, const CaseReportInput& in, const TaskControl& control) {
  const CaseAggregation& a = *in.aggregation;
  // Per model input, the image that fed it and its grey window (the same for every class).
  const std::vector<const Modality*> fed = orderedInputs(*in.study, in.package->manifest());
  std::vector<std::array<double, 2>> windows;
  for (const Modality* m : fed) windows.push_back(anatomyWindow(m->volume));
  const LabelVolume& labels = in.prediction->labels;
  const std::size_t slices = labels.size()[std::size_t(lpsPermutation(labels.geometry()).sourceAxis[2])];
  std::ostringstream md;
  md << "## Slices\n\n";
  for (const TargetClassMaps& t : a.maps) {
    SliceFigureStyle style;
    const MapRange range = mapRange(t.perModality);
    style.range = range.p995;
    style.signedMap = range.signedMap;
    const std::size_t slice = axialSliceWithMostOf(labels, t.target.label);
    md << "**" << t.target.name << "**: axial slice " << slice + 1 << " of " << slices
       << " from the feet (the one with the most " << t.target.name
       << " voxels predicted), the patient's right on the left and anterior at the top. Grey: the image "
       << "(1st to 99th percentile of its positive voxels, as the app shows it); colours: the " << a.modalities.method
       << " map, " << (style.signedMap ? "blue negative to red positive" : "dark to yellow") << ", from "
       << (style.signedMap ? -style.range : 0.0) << " to " << style.range
       << " (the 99.5th percentile of |A| over this class's maps), under 10 % of that not drawn; green outline: the "
       << "predicted " << t.target.name << ".\n\n";
    for (std::size_t c = 0; c < t.perModality.size(); ++c) {
      control.checkpoint();
      const std::string& modality = a.modalities.modalities[c];
      style.window = windows.at(c);
      const std::string name = "figures/" + fileStem("slices_" + t.target.name + "_" + modality) + ".png";
      w.picture(name, axialSliceFigure(fed.at(c)->volume, t.perModality[c], labels, t.target.label, slice, style));
      md << "![" << t.target.name << ", " << modality << "](" << name << ") ";
    }
    md << "\n\n";
  }
  return md.str();
}

std::string readme(const CaseReportInput& in, const CaseReportFiles& files, const std::vector<std::string>& notes,
                   const std::string& slices) {
  const ModelManifest& m = in.package->manifest();
  const CaseAggregation& a = *in.aggregation;
  std::ostringstream md;
  md << "# Voxplain report\n\n";
  md << "| | |\n|---|---|\n";
  md << "| Model | " << m.name << (m.version.empty() ? "" : " " + m.version) << " |\n";
  md << "| Model SHA-256 | `" << in.package->sha256() << "` |\n";
  md << "| Method | " << a.modalities.method << " |\n";
  md << "| Parameters | `" << a.record.value("parameters", nlohmann::json::object()).dump() << "` |\n";
  std::string classes;
  for (const SegmentInfo& t : a.segments.targets)
    classes += (classes.empty() ? "" : ", ") + t.name + " (" + std::to_string(t.label) + ")";
  md << "| Classes explained | " << classes << " |\n";
  if (!a.skippedTargets.empty()) {
    std::string skipped;
    for (const std::string& s : a.skippedTargets) skipped += (skipped.empty() ? "" : ", ") + s;
    md << "| Classes not predicted | " << skipped << " |\n";
  }
  std::string inputs;
  for (std::size_t c = 0; c < in.inputs.size(); ++c) {
    const std::string name = c < in.study->modalities().size() ? in.study->modalities()[c].name : in.inputs[c].name;
    // File or folder names only: a machine's paths (and folder names above them) stay out.
    inputs += (inputs.empty() ? "" : ", ") + name + ": " + in.inputs[c].path.filename().string();
  }
  md << "| Inputs | " << inputs << " |\n";
  md << "| Device | " << in.prediction->device << " |\n";
  md << "| Versions | " << in.softwareVersion << ", LibTorch " << torchRuntimeInfo().torchVersion << " |\n";
  md << "| Timings | prediction " << in.prediction->totalSeconds << " s; explanations and importance "
     << a.record.value("timing_seconds", 0.0) << " s |\n\n";
  md << "## Modality importance\n\n| modality | share of abs(A) | Shapley value | Shapley share |\n|---|---|---|---|\n";
  for (std::size_t i = 0; i < a.modalities.modalities.size(); ++i) {
    md << "| " << a.modalities.modalities[i] << " | " << a.modalities.absShare[i] << " | ";
    if (!a.modalities.shapley.empty())
      md << a.modalities.shapley[i] << " | " << a.modalities.shapleyShare[i];
    else
      md << " | ";
    md << " |\n";
  }
  md << "\n" << slices;
  md << "Patient name, ID and birth date are not part of this report"
     << " (DICOM objects carry them only when asked for).\n";
  if (!notes.empty()) {
    md << "\n## Notes\n\n";
    for (const std::string& n : notes) md << "- " << n << "\n";
  }
  md << "\n## Files\n\n";
  for (const std::string& f : files.files) md << "- `" << f << "`\n";
  return md.str();
}

}  // namespace

void checkReportFolder(const fs::path& folder, Overwrite overwrite) {
  std::error_code ec;
  if (overwrite == Overwrite::Refuse && fs::is_directory(folder, ec) && !fs::is_empty(folder, ec))
    throw InputError(folder.string(), "already holds files (not overwritten)");
}

CaseReportFiles writeCaseReport(const fs::path& folder, const CaseReportInput& in, const DicomExportOptions& options,
                                Overwrite overwrite, const TaskControl& control) {
  if (!in.package || !in.study || !in.prediction || !in.aggregation)
    throw std::invalid_argument("writeCaseReport: incomplete input");
  checkReportFolder(folder, overwrite);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw InputError(folder.string(), "cannot create the folder (" + ec.message() + ")");
  CaseReportFiles out;
  ReportWriter w(folder, out);
  const CaseAggregation& a = *in.aggregation;

  control.step(0.0, "writing the prediction and maps");
  w.labels("prediction.nii.gz", in.prediction->labels);
  for (const TargetClassMaps& t : a.maps)
    for (std::size_t c = 0; c < t.perModality.size(); ++c) {
      control.checkpoint();
      w.volume(
          "maps/" + fileStem(a.modalities.method + "_" + t.target.name + "_" + a.modalities.modalities[c]) + ".nii.gz",
          t.perModality[c]);
    }

  control.step(0.5, "writing tables and figures");
  w.text("modality_importance.csv", a.modalities.toCsv());
  w.text("modality_importance.json", a.modalities.toJson().dump(1) + "\n");
  w.text("segment_importance.csv", a.segments.toCsv());
  w.text("segment_importance.json", a.segments.toJson().dump(1) + "\n");
  w.text("case.json", a.toJson().dump(1) + "\n");
  w.figure("modality_importance", barChartSvg(modalityImportanceChart(a.modalities.modalities, a.modalities.absShare,
                                                                      a.modalities.shapleyShare, a.modalities.method)));
  w.figure("segment_importance", barChartSvg(segmentImportanceChart(a.segments, a.modalities.method)));
  w.figure("segment_matrix", segmentMatrixSvg(a.segments, a.modalities.method));
  control.step(0.6, "drawing slices");
  const std::string slices = writeSliceFigures(w, in, control.range(0.6, 0.8));

  control.step(0.8, "writing DICOM objects");
  try {
    const std::vector<DicomSource> sources = findStudyDicomSources(in.inputs, in.study->referenceGrid(), control);
    std::vector<SegmentDefinition> segments;
    for (const LabelInfo& l : in.package->manifest().labels) segments.push_back({std::uint16_t(l.value), l.name});
    fs::create_directories(folder / "dicom");
    for (const std::string& n :
         writeDicomSegmentation(folder / "dicom" / "segmentation.dcm", in.prediction->labels, segments,
                                in.package->manifest().name, sources.front(), options, Overwrite::Allow))
      out.notes.push_back(n);
    out.files.push_back("dicom/segmentation.dcm");
    const TargetClassMaps& shown = a.maps.front();
    std::vector<std::string> studyModalities;  // the inputs' order; the maps follow the model's
    for (const Modality& m : in.study->modalities()) studyModalities.push_back(m.name);
    for (std::size_t c = 0; c < shown.perModality.size(); ++c) {
      const std::string name = "dicom/" + fileStem(a.modalities.method + "_" + a.modalities.modalities[c]) + ".dcm";
      for (const std::string& n : writeDicomParametricMap(
               folder / name, shown.perModality[c],
               {a.modalities.method, a.modalities.modalities[c], shown.target.name},
               sourceOfModality(sources, studyModalities, a.modalities.modalities[c]), options, Overwrite::Allow))
        out.notes.push_back(n);
      out.files.push_back(name);
    }
  } catch (const InputError& e) {
    // File names only: the folders above them (a machine's paths) stay out of the report.
    out.notes.push_back("no DICOM objects: " + fs::path(e.source()).filename().string() + ": " + e.reason());
  }
  w.text("README.md", readme(in, out, out.notes, slices));
  control.step(1.0, "report written");
  return out;
}

}  // namespace voxplain
