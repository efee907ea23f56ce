// voxplain-cli demo [--out DIR]: the headless main job on the bundled demo. Writes the demo study
// (synthetic FLAIR + T1 + ground truth) and a report of its geometry, read back from disk.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "CliCommand.h"
#include "ImageJson.h"
#include "io/ImageReader.h"
#include "io/NiftiIO.h"
#include "synthetic/LesionPhantom.h"

namespace voxplain::cli {

CommandRunner addDemoCommand(CLI::App& app) {
  struct Options {
    std::string out = "voxplain-demo";
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("demo", "Write the demo study and its report to a folder");
  cmd->add_option("--out", o->out, "Output folder (created)");
  return [o]() {
    namespace fs = std::filesystem;
    const fs::path dir(o->out);
    fs::create_directories(dir);
    LesionPhantomOptions options;
    options.seed = 7;
    options.size = {96, 96, 64};
    const LesionPhantom p = makeLesionPhantom(options);
    writeNifti(p.flair, dir / "demo_flair.nii.gz", Overwrite::Allow);
    writeNifti(p.t1, dir / "demo_t1.nii.gz", Overwrite::Allow);
    writeNifti(p.lesions, dir / "demo_lesions.nii.gz", Overwrite::Allow);

    nlohmann::json report;
    report["study"] = nlohmann::json::array();
    std::string text = "Voxplain demo study\n\n";
    for (const char* name : {"demo_flair.nii.gz", "demo_t1.nii.gz", "demo_lesions.nii.gz"}) {
      const nlohmann::json s = imageSummary(readImage(dir / name));
      report["study"].push_back(s);
      text += imageSummaryText(s) + "\n";
    }
    std::ofstream(dir / "report.json") << report.dump(1) << "\n";
    std::ofstream(dir / "report.txt") << text;
    std::cout << text << "Demo written to " << fs::absolute(dir).string() << " (report.txt, report.json, *.nii.gz)\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
