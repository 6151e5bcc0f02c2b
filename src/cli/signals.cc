#include "cli/signals.h"

#include <csignal>

namespace sluice::cli {

namespace {

CancellationToken* g_token = nullptr;

extern "C" void HandleSignal(int signal_number) {
  if (g_token != nullptr) g_token->cancel();
  std::signal(signal_number, SIG_DFL);
}

}  // namespace

void CancelOnSignals(CancellationToken& token) {
  g_token = &token;
  std::signal(SIGINT, HandleSignal);
  std::signal(SIGTERM, HandleSignal);
}

}  // namespace sluice::cli
