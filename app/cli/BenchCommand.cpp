// voxplain-cli bench --model M [--inputs N] [--size N|X,Y,Z] [--method NAME|all ...] [--param method.key=value ...]
//                    [--device cpu|cuda|auto] [--precision fp32|fp16|bf16] [--threads T] [--json] [--out FILE]
//                    [--save-maps DIR]
#include <iomanip>
#include <iostream>

#include "CliCommand.h"
#include "StderrProgress.h"
#include "benchmark/AttributionBenchmark.h"
#include "runtime/JsonFile.h"
#include "task/InputError.h"

namespace voxplain::cli {

CommandRunner addBenchCommand(CLI::App& app) {
  struct Options : BenchmarkOptions {
    std::string model, out;
    int inputs = 0;
    std::vector<int> sizeArgument;  // N or X,Y,Z
    bool json = false, progress = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("bench", "Time each attribution method against the network's own pass (ratios, peak memory)");
  cmd->add_option("--model", o->model, "Manifest (.json), TorchScript file or MONAI bundle folder")->required();
  cmd->add_option("--inputs", o->inputs, "Input channels of a bare TorchScript file (default: found by dry runs)");
  cmd->add_option("--size", o->sizeArgument, "Synthetic volume: N (a cube) or X,Y,Z voxels (default 64)")
      ->expected(1, 3)
      ->delimiter(',');
  cmd->add_option("--method", o->methods, "Method name(s), or all (default)");
  cmd->add_option("--param", o->params, "method.key=value (repeatable), e.g. occlusion.block=8");
  cmd->add_option("--device", o->device, "cpu, cuda, cuda:N or auto");
  cmd->add_option("--precision", o->precision, "fp32, fp16 or bf16 (autocast of forward passes, CUDA only)");
  cmd->add_option("--threads", o->threads, "CPU threads (0: all cores, as every command)");
  cmd->add_option("--repeats", o->repeats, "Runs per method; the fastest is kept (one when a run takes over 30 s)");
  cmd->add_option("--target", o->target, "Target (as for explain)");
  cmd->add_option("--out", o->out, "Also write the JSON report to this file");
  cmd->add_option("--save-maps", o->mapsFolder,
                  "Write each method's maps to DIR/METHOD.pt (torch.load) to compare runs");
  cmd->add_flag("--json", o->json, "Print the report as JSON");
  cmd->add_flag("--progress", o->progress, "Progress on stderr");
  return [o]() {
    const std::vector<int>& edges = o->sizeArgument;
    if (edges.size() == 1)
      o->size = {edges[0], edges[0], edges[0]};
    else if (edges.size() == 3)
      o->size = {edges[0], edges[1], edges[2]};
    else if (!edges.empty())
      throw InputError(InputField::Size, std::to_string(edges.size()) + " values", "give N or X,Y,Z");
    StderrProgress progress(o->progress);
    const TaskControl control(&progress, &interruptToken());
    std::vector<std::string> names;
    for (int i = 1; i <= o->inputs; ++i) names.push_back("input" + std::to_string(i));
    ModelPackage package = ModelPackage::open(o->model, names, true);
    const nlohmann::json report = runAttributionBenchmark(package, *o, control);
    if (!o->out.empty() && !replaceJsonFile(o->out, report)) throw InputError(o->out, "cannot write the report");
    if (o->json) {
      std::cout << report.dump(1) << "\n";
      return kExitOk;
    }
    const auto& unit = report["unit"];
    std::cout << "device " << report["device"].get<std::string>() << ", " << report["cpu_threads"]
              << " CPU threads, volume " << report["volume"].dump() << ", window " << report["window"].dump() << ", "
              << report["patches"] << " patch(es)\n";
    for (const auto& note : report["notes"]) std::cout << "note: " << note.get<std::string>() << "\n";
    for (const char* kind : {"forward_backward", "forward"})
      std::cout << "unit pass " << kind << ": " << unit[kind]["seconds_per_sample"].get<double>()
                << " s per sample at batch " << unit[kind]["best_batch"] << " (per sample by batch "
                << unit[kind]["batch_seconds_per_sample"].dump() << ")\n";
    std::cout << std::left << std::setw(22) << "method" << std::setw(10) << "seconds" << std::setw(8) << "k"
              << std::setw(18) << "unit" << std::setw(10) << "limit s" << std::setw(8) << "ratio"
              << "peak host MiB\n";
    for (const auto& m : report["methods"])
      if (m.contains("layer_choice") && m["layer_choice"].is_string())
        std::cout << "note: " << m["name"].get<std::string>() << " on " << m["layer_choice"].get<std::string>() << "\n";
    for (const auto& m : report["methods"])
      std::cout << std::setw(22) << m["name"].get<std::string>() << std::setw(10) << std::setprecision(3)
                << m["seconds"].get<double>() << std::setw(8) << m["k"].get<std::size_t>() << std::setw(18)
                << m["unit"].get<std::string>() << std::setw(10) << m["limit_seconds"].get<double>() << std::setw(8)
                << m["ratio"].get<double>() << m["peak_host_bytes"].get<std::size_t>() / (1024 * 1024) << "\n";
    return kExitOk;
  };
}

}  // namespace voxplain::cli
