// voxplain-cli phantom [--seed N] [--size X,Y,Z] [--informative both|flair|t1] [--out DIR] [--json] [--anatomy FILE]
// Generates the synthetic multi-modal lesion phantom; works in the core-only build (no --out).
// With --anatomy (a brain-extracted T1, e.g. mricron-data's ch2bet.nii.gz): the realistic brain
// phantom of the demo (synthetic/BrainLesionPhantom.h), 2 mm, with multi-class labels.
#include <iostream>

#include <nlohmann/json.hpp>

#include "CliCommand.h"
#include "synthetic/LesionPhantom.h"
#ifdef VOXPLAIN_HAS_IO
#include <filesystem>

#include "BrainAnatomy.h"
#include "io/NiftiIO.h"
#endif

namespace voxplain::cli {

namespace {

struct PhantomOptions {
  std::uint64_t seed = 1;
  std::vector<std::size_t> size;
  std::string out, anatomy, informative = "both";
  bool json = false;
};

#ifdef VOXPLAIN_HAS_IO
int runBrainPhantom(const PhantomOptions& o) {
  BrainPhantomOptions options;
  options.seed = o.seed;
  if (!o.size.empty()) options.size = {o.size[0], o.size[1], o.size[2]};
  const BrainLesionPhantom p = makeBrainLesionPhantom(readBrainAnatomy(o.anatomy), options);
  std::array<std::size_t, 5> voxels{0, 0, 0, 0, 0};
  for (std::uint16_t v : p.labels.voxels()) ++voxels[std::min<std::size_t>(v, 4)];
  nlohmann::json j{{"seed", o.seed},
                   {"size", {options.size[0], options.size[1], options.size[2]}},
                   {"spacing_mm", options.spacing},
                   {"lesions", p.lesionCount},
                   {"distractors", p.distractorCount},
                   {"voxels",
                    {{"background", voxels[0]},
                     {"lesion", voxels[1]},
                     {"ventricles", voxels[2]},
                     {"white_matter", voxels[3]},
                     {"grey_matter", voxels[4]}}}};
  if (!o.out.empty()) {
    writeBrainPhantom(p, o.out);
    j["out"] = o.out;
  }
  if (o.json)
    std::cout << j.dump(1) << "\n";
  else
    std::cout << "brain phantom seed " << o.seed << ": " << p.lesionCount << " lesions (" << voxels[1] << " voxels), "
              << p.distractorCount << " distractors\n";
  return kExitOk;
}
#endif

}  // namespace

CommandRunner addPhantomCommand(CLI::App& app) {
  auto o = std::make_shared<PhantomOptions>();
  CLI::App* cmd = app.add_subcommand("phantom", "Generate the synthetic FLAIR/T1 lesion phantom with ground truth");
  cmd->add_option("--seed", o->seed, "Random seed (same seed, same volumes)");
  cmd->add_option("--size", o->size, "Voxels along x y z (default 64,64,48; with --anatomy 80,96,80)")
      ->expected(3)
      ->delimiter(',');
#ifdef VOXPLAIN_HAS_IO
  cmd->add_option("--out", o->out, "Folder to write flair.nii.gz, t1.nii.gz, lesions.nii.gz, deciding_*.nii.gz");
  cmd->add_option("--anatomy", o->anatomy,
                  "Build the realistic brain phantom on this brain-extracted T1 (e.g. " +
                      kDefaultBrainAnatomy.string() +
                      "); writes labels.nii.gz (1 lesion, 2 ventricles, 3 white matter, 4 grey matter)");
#endif
  cmd->add_option("--informative", o->informative,
                  "Which modality carries the lesions: both (the demo), flair or t1 (the other shows only distractors)")
      ->check(CLI::IsMember(informativeModalityNames()));
  cmd->add_flag("--json", o->json, "Print a JSON summary");
  return [o]() {
#ifdef VOXPLAIN_HAS_IO
    if (!o->anatomy.empty()) return runBrainPhantom(*o);
#endif
    LesionPhantomOptions options;
    options.seed = o->seed;
    if (!o->size.empty()) options.size = {o->size[0], o->size[1], o->size[2]};
    options.informative = informativeModalityFromName(o->informative);
    const LesionPhantom p = makeLesionPhantom(options);
    std::size_t lesionVoxels = 0;
    std::uint16_t instances = 0;
    for (std::size_t i = 0; i < p.lesions.voxelCount(); ++i) {
      lesionVoxels += p.lesions.data()[i];
      instances = std::max(instances, p.lesionInstances.data()[i]);
    }
    const auto [flo, fhi] = valueRange(p.flair);
    nlohmann::json j{{"seed", o->seed},
                     {"size", {options.size[0], options.size[1], options.size[2]}},
                     {"lesion_voxels", lesionVoxels},
                     {"lesions", instances},
                     {"informative", o->informative},
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
    if (o->json)
      std::cout << j.dump(1) << "\n";
    else
      std::cout << "phantom seed " << o->seed << ": " << instances << " lesions, " << lesionVoxels
                << " lesion voxels\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
