#pragma once
// `voxplain-cli bench`: the cost of each attribution method measured against the cost of the
// network itself, in one run on one machine (so that ratios, not absolute times, are compared).
//
//  window     = the sliding window the model runs with on the volume (model/InferenceWindow.h);
//  unit pass  = the per-sample cost of one forward+backward pass (gradient and CAM methods) or one
//               forward pass (forward-only methods: perturbations, KWC, activations) at the batch
//               that is cheapest per sample, measured now over batch sizes 1, 2, 4, 8
//               (model/BatchProfile.h; the measurement replaces the cached profile, so the methods
//               run with exactly these batches);
//  k          = the method's passes in its own unit (patches x samples; KWC: its partial passes
//               from the cut layer, each counted as a full forward pass);
//  limit      = max(k, best batch) x unit pass: the physical limit for k samples, since one pass at
//               the best batch is the cheapest way to run even a single sample;
//  ratio      = method time / limit; 1.0 means no overhead beyond the network. Method time is the
//               fastest of `repeats` runs, as the unit pass is the fastest of its repeats.
// cancel     = a prediction of the volume cancelled as its second batch starts: seconds until it
//              stops, and their ratio to one forward pass at the best batch (the mechanism's bound:
//              the cancel is read between batches, so about 1).
// Peak host memory is VmHWM reset before each method (the process's resident size at the start of
// the method is reported beside it: libraries, model and study); peak GPU memory is the caching
// allocator's (CUDA builds).
// Volume: a synthetic lesion phantom of size[0] x size[1] x size[2] voxels (inputs alternate
// FLAIR-like and T1-like), target class = the model's default target label.
// With `mapsFolder`, each method's maps (first run) are written there as <method>.pt, a tensor
// [regions, inputs, Z, Y, X] float32 in torch::pickle_save's format (Python: torch.load), so that two
// runs - CUDA and CPU, say - can be compared map by map (tools/gpu-check.sh).

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/ModelPackage.h"
#include "task/TaskControl.h"

namespace voxplain {

struct BenchmarkOptions {
  std::array<int, 3> size{64, 64, 64};  ///< volume in voxels, x y z (each 8..2048)
  std::vector<std::string> methods;     ///< names, or {"all"}
  std::vector<std::string> params;      ///< "method.key=value" (ParameterSet.h: parseQualifiedParameters)
  std::string device = "cpu";
  std::string precision = "fp32";  ///< of the forward unit pass and prediction (CUDA autocast)
  int threads = 0;         ///< CPU threads (applyCpuThreads: 0 = one per CPU the process may use, as every command)
  int repeats = 2;         ///< runs per method (the fastest is kept; one when a run takes > 30 s)
  std::string target;      ///< as for explain; empty: class of the default label
  std::string mapsFolder;  ///< where to write each method's maps (empty: nowhere)
};

/// Runs the benchmark; returns the report as JSON (see docs/benchmarks.md for the fields).
/// Throws InputError (unknown method, bad parameter, a volume edge outside 8..2048, a maps folder
/// that cannot be written, a model that fails: one line naming the model file and LibTorch's
/// reason), OperationCancelled.
nlohmann::json runAttributionBenchmark(ModelPackage& package, const BenchmarkOptions& options,
                                       const TaskControl& control = {});

}  // namespace voxplain
