#pragma once
// The voxplain-cli subcommands. Each registers its options on a CLI11 app and returns a runner.
// Exit status convention (README): 0 ok, 1 usage error, 2 bad input, 3 internal error, 130 cancelled.

#include <CLI/CLI.hpp>

#include <functional>

namespace voxplain::cli {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;
constexpr int kExitCancelled = 130;

using CommandRunner = std::function<int()>;

CommandRunner addPhantomCommand(CLI::App& app);
CommandRunner addModelInfoCommand(CLI::App& app);
CommandRunner addBenchCommand(CLI::App& app);
/// voxplain-cli methods: the attribution method registry as text or JSON.
CommandRunner addMethodsCommand(CLI::App& app);
#ifdef VOXPLAIN_HAS_IO
CommandRunner addInfoCommand(CLI::App& app);
CommandRunner addConvertCommand(CLI::App& app);
CommandRunner addDemoCommand(CLI::App& app);
CommandRunner addPredictCommand(CLI::App& app);
CommandRunner addExplainCommand(CLI::App& app);
CommandRunner addInstancesCommand(CLI::App& app);
CommandRunner addAggregateCommand(CLI::App& app);
CommandRunner addMergeCommand(CLI::App& app);
CommandRunner addModalitiesCommand(CLI::App& app);
CommandRunner addEvaluateCommand(CLI::App& app);
CommandRunner addReportCommand(CLI::App& app);
#endif

/// Runs the CLI: parses argv, dispatches, maps exceptions to exit statuses.
int run(int argc, char** argv);

}  // namespace voxplain::cli
