#pragma once
// `voxplain-cli bench`: the cost of each attribution method measured against the cost of the
// network itself, in one run on one machine (so that ratios, not absolute times, are compared).
//
//  unit pass  = the best time per patch of one forward+backward pass (gradient and CAM methods) or
//               one forward pass (perturbation methods, KWC), over batch sizes 1, 2, 4, 8;
//  k          = the method's patch passes (KWC: its partial passes from the cut layer);
//  ratio      = method time / (k x unit pass); 1.0 means no overhead beyond the network.
// Peak host memory is VmHWM reset before each method (the process's resident size at the start of
// the method is reported beside it: libraries, model and study); peak GPU memory is the caching
// allocator's (CUDA builds).
// Volume: a synthetic lesion phantom of size^3 (FLAIR-like and T1-like inputs), target class 1.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/ModelPackage.h"
#include "task/TaskControl.h"

namespace voxplain {

struct BenchmarkOptions {
  int size = 64;                              ///< volume edge in voxels
  std::vector<std::string> methods;           ///< names, or {"all"}
  std::vector<std::string> params;            ///< "method:key=value" or "key=value" (every method that takes it)
  std::string device = "cpu";
  int threads = 0;                            ///< CPU threads (0: LibTorch's default)
  int repeats = 3;                            ///< timings of the unit pass (the best is kept)
  std::string target = "class=1";
};

/// Runs the benchmark; returns the report as JSON (see docs/benchmarks.md for the fields).
/// Throws InputError (unknown method, bad parameter), OperationCancelled.
nlohmann::json runAttributionBenchmark(ModelPackage& package, const BenchmarkOptions& options, const TaskControl& control = {});

}  // namespace voxplain
