#include <iostream>
#include <map>

#include "CliCommand.h"
#include "CliErrors.h"
#include "runtime/TorchRuntime.h"
#include "task/InputError.h"

#include <c10/util/Exception.h>
#include "task/TaskControl.h"

#ifndef VOXPLAIN_VERSION
#define VOXPLAIN_VERSION "unknown"
#endif

namespace voxplain::cli {

int run(int argc, char** argv) {
  CLI::App app{"voxplain-cli: explain 3D medical image segmentation models (headless engine)", "voxplain-cli"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print version, LibTorch version and compute devices");

  std::map<CLI::App*, CommandRunner> runners;
  // Each factory adds exactly one subcommand; it is the newest one afterwards.
  auto add = [&](CommandRunner (*factory)(CLI::App&)) {
    CommandRunner runner = factory(app);
    runners[app.get_subcommands([](CLI::App*) { return true; }).back()] = std::move(runner);
  };
  add(addPhantomCommand);
  add(addModelInfoCommand);
  add(addBenchCommand);
  add(addMethodsCommand);
#ifdef VOXPLAIN_HAS_IO
  add(addInfoCommand);
  add(addConvertCommand);
  add(addDemoCommand);
  add(addPredictCommand);
  add(addExplainCommand);
  add(addInstancesCommand);
  add(addAggregateCommand);
  add(addMergeCommand);
  add(addModalitiesCommand);
  add(addEvaluateCommand);
  add(addReportCommand);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  if (version) {
    const TorchRuntimeInfo info = torchRuntimeInfo();
    std::cout << "voxplain-cli " << VOXPLAIN_VERSION << "\n"
              << "LibTorch " << info.torchVersion << ", CUDA " << (info.cudaAvailable ? "available" : "not available")
              << " (" << info.cudaDeviceCount << " device(s)), CPU threads " << info.cpuThreads << "\n"
#ifdef VOXPLAIN_HAS_IO
              << "I/O: NIfTI-1 (ITK), NIfTI-2, DICOM (DCMTK)\n";
#else
              << "I/O: none (core-only build)\n";
#endif
    return kExitOk;
  }
  const auto chosen = app.get_subcommands();
  if (chosen.empty()) {
    std::cerr << app.help();
    return kExitUsage;
  }
  try {
    return runners.at(chosen.front())();
  } catch (const InputError& e) {
    std::cerr << "error: " << cliMessage(e) << "\n";
    return kExitBadInput;
  } catch (const OperationCancelled&) {
    std::cerr << "cancelled\n";
    return kExitCancelled;
  } catch (const c10::Error& e) {  // one line, never a TorchScript traceback
    std::cerr << "internal error (LibTorch): " << torchErrorSummary(e.what_without_backtrace()) << "\n";
    return kExitInternal;
  } catch (const std::exception& e) {  // torch::jit::JITException carries a TorchScript traceback: one line of it
    std::cerr << "internal error: " << torchErrorSummary(e.what()) << "\n";
    return kExitInternal;
  }
}

}  // namespace voxplain::cli
