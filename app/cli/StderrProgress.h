#pragma once
// Progress on stderr for the CLI (only when stderr is a terminal, or when forced), and Ctrl-C
// wired to a CancellationToken so long work stops cleanly between units.

#include <string>

#include "task/TaskControl.h"

namespace voxplain::cli {

class StderrProgress : public ProgressSink {
 public:
  explicit StderrProgress(bool force = false);
  ~StderrProgress() override;
  void report(double fraction, const std::string& stage) override;

 private:
  bool enabled_;
  int lastPermille_ = -1;
  std::string lastStage_;
};

/// The process-wide token that SIGINT cancels (installed on first use).
CancellationToken& interruptToken();

}  // namespace voxplain::cli
