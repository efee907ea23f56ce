// voxplain-cli phantom [--seed N] [--size X,Y,Z] [--out DIR] [--json]
// Generates the synthetic multi-modal lesion phantom; works in the core-only build (no --out).
#include <iostream>

#include <nlohmann/json.hpp>

#include "CliCommand.h"
#include "synthetic/LesionPhantom.h"
#ifdef VOXPLAIN_HAS_IO
#include <filesystem>

#include "io/NiftiIO.h"
#endif

namespace voxplain::cli {

CommandRunner addPhantomCommand(CLI::App& app) {
  struct Options {
    std::uint64_t seed = 1;
    std::vector<std::size_t> size{64, 64, 48};
    std::string out;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("phantom", "Generate the synthetic FLAIR/T1 lesion phantom with ground truth");
  cmd->add_option("--seed", o->seed, "Random seed (same seed, same volumes)");
  cmd->add_option("--size", o->size, "Voxels along x y z")->expected(3)->delimiter(',');
#ifdef VOXPLAIN_HAS_IO
  cmd->add_option("--out", o->out, "Folder to write flair.nii.gz, t1.nii.gz, lesions.nii.gz, deciding_*.nii.gz");
#endif
  cmd->add_flag("--json", o->json, "Print a JSON summary");
  return [o]() {
    LesionPhantomOptions options;
    options.seed = o->seed;
    options.size = {o->size[0], o->size[1], o->size[2]};
    const LesionPhantom p = makeLesionPhantom(options);
    std::size_t lesionVoxels = 0;
    std::uint16_t instances = 0;
    for (std::size_t i = 0; i < p.lesions.voxelCount(); ++i) {
      lesionVoxels += p.lesions.data()[i];
      instances = std::max(instances, p.lesionInstances.data()[i]);
    }
    const auto [flo, fhi] = valueRange(p.flair);
    nlohmann::json j{{"seed", o->seed},
                     {"size", o->size},
                     {"lesion_voxels", lesionVoxels},
                     {"lesions", instances},
                     {"flair_range", {flo, fhi}}};
#ifdef VOXPLAIN_HAS_IO
    if (!o->out.empty()) {
      std::filesystem::create_directories(o->out);
      const std::filesystem::path dir(o->out);
      writeNifti(p.flair, dir / "flair.nii.gz", Overwrite::Allow);
      writeNifti(p.t1, dir / "t1.nii.gz", Overwrite::Allow);
      writeNifti(p.lesions, dir / "lesions.nii.gz", Overwrite::Allow);
      writeNifti(p.lesionInstances, dir / "lesion_instances.nii.gz", Overwrite::Allow);
      writeNifti(p.decidingFlair, dir / "deciding_flair.nii.gz", Overwrite::Allow);
      writeNifti(p.decidingT1, dir / "deciding_t1.nii.gz", Overwrite::Allow);
      j["out"] = o->out;
    }
#endif
    if (o->json) std::cout << j.dump(1) << "\n";
    else std::cout << "phantom seed " << o->seed << ": " << instances << " lesions, " << lesionVoxels << " lesion voxels\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
