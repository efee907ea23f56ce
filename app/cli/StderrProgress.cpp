#include "StderrProgress.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace voxplain::cli {
namespace {
CancellationToken* gToken = nullptr;
extern "C" void onInterrupt(int) {
  if (gToken) gToken->cancel();
}
}  // namespace

CancellationToken& interruptToken() {
  static CancellationToken token;
  if (!gToken) {
    gToken = &token;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
  }
  return token;
}

StderrProgress::StderrProgress(bool force) : enabled_(force || ::isatty(STDERR_FILENO)) {}

StderrProgress::~StderrProgress() {
  if (enabled_ && lastPermille_ >= 0) std::fputc('\n', stderr);
}

void StderrProgress::report(double fraction, const std::string& stage) {
  if (!enabled_) return;
  const int permille = int(fraction * 1000.0);
  if (permille == lastPermille_ && stage == lastStage_) return;
  lastPermille_ = permille;
  lastStage_ = stage;
  std::fprintf(stderr, "\r[%5.1f%%] %-60.60s", permille / 10.0, stage.c_str());
  std::fflush(stderr);
}

}  // namespace voxplain::cli
