// voxplain-cli convert INPUT OUT.nii[.gz] [--series UID] [--force]
#include <iostream>

#include "CliCommand.h"
#include "StderrProgress.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "task/InputError.h"

namespace voxplain::cli {

CommandRunner addConvertCommand(CLI::App& app) {
  struct Options {
    std::string input, output, series;
    bool force = false, progress = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("convert", "Convert a DICOM series or NIfTI file to NIfTI (float32, LPS geometry kept)");
  cmd->add_option("INPUT", o->input, "NIfTI file, DICOM file or DICOM folder")->required();
  cmd->add_option("OUTPUT", o->output, "Output .nii or .nii.gz")->required();
  cmd->add_option("--series", o->series, "SeriesInstanceUID (or UID#n for a split part) when INPUT holds several");
  cmd->add_flag("--force", o->force, "Overwrite OUTPUT if it exists");
  cmd->add_flag("--progress", o->progress, "Show progress on stderr even when it is not a terminal");
  return [o]() {
    if (!looksLikeNifti(o->output) || o->output.size() < 5 ||
        !(o->output.substr(o->output.size() - 4) == ".nii" || o->output.substr(o->output.size() - 7) == ".nii.gz")) {
      std::cerr << "error: " << o->output << ": output must end in .nii or .nii.gz\n";
      return kExitUsage;
    }
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    const LoadedImage image = readImage(o->input, o->series, {}, control);
    writeNifti(image.volumes, o->output, o->force ? Overwrite::Allow : Overwrite::Refuse);
    for (const std::string& note : image.notes) std::cerr << "note: " << note << "\n";
    std::cerr << "wrote " << o->output << " (" << image.volumes.size() << " volume(s))\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
