// voxplain-cli info PATH [--json]: geometry and value range of every image at PATH.
#include <iostream>

#include "CliCommand.h"
#include "ImageJson.h"
#include "StderrProgress.h"
#include "io/ImageReader.h"

namespace voxplain::cli {

CommandRunner addInfoCommand(CLI::App& app) {
  struct Options {
    std::string path;
    bool json = false;
    bool progress = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("info", "Geometry (LPS) and values of a NIfTI file or every series of a DICOM file/folder");
  cmd->add_option("PATH", o->path, "NIfTI file, DICOM file or DICOM folder")->required();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_flag("--progress", o->progress, "Show progress on stderr even when it is not a terminal");
  return [o]() {
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    std::vector<std::string> skipped;
    const std::vector<LoadedImage> images = readAllImages(o->path, &skipped, {}, control);
    nlohmann::json out;
    out["path"] = o->path;
    out["images"] = nlohmann::json::array();
    for (const LoadedImage& image : images) out["images"].push_back(imageSummary(image));
    out["skipped"] = skipped;
    if (o->json) {
      std::cout << out.dump(1) << "\n";
    } else {
      for (const auto& s : out["images"]) std::cout << imageSummaryText(s) << "\n";
      for (const auto& s : skipped) std::cout << "skipped    " << s << "\n";
    }
    return kExitOk;
  };
}

}  // namespace voxplain::cli
