#include "sinks/cloud/retry_policy.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <thread>

namespace sluice {

bool IsRetryableStatus(long status) { return status == 408 || status == 429 || status >= 500; }

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt,
                                       long retry_after_seconds) {
  int shift = std::clamp(attempt - 1, 0, 20);
  int64_t ceiling = std::min<int64_t>(policy.max_delay.count(), policy.base_delay.count() << shift);
  thread_local std::mt19937_64 generator{std::random_device{}()};
  int64_t delay = std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(ceiling, 0))(generator);
  int64_t floor = std::min<int64_t>(policy.max_delay.count(), retry_after_seconds * 1000);
  return std::chrono::milliseconds(std::max(delay, floor));
}

bool SleepUnlessCancelled(std::chrono::milliseconds delay, const std::atomic<bool>* cancel) {
  constexpr std::chrono::milliseconds kSlice{50};
  auto deadline = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        kSlice, deadline - std::chrono::steady_clock::now()));
  }
  return cancel == nullptr || !cancel->load(std::memory_order_relaxed);
}

HttpResponse SendWithRetry(HttpClient& client, const std::function<HttpRequest()>& make_request,
                           const RetryPolicy& policy, const std::atomic<bool>* cancel) {
  for (int attempt = 1;; ++attempt) {
    bool last = attempt >= policy.max_attempts;
    long retry_after = 0;
    try {
      HttpResponse response = client.send(make_request());
      if (!IsRetryableStatus(response.status) || last) return response;
      retry_after = std::strtol(response.header("retry-after").c_str(), nullptr, 10);
    } catch (const HttpTransportError& error) {
      if (last || error.cancelled()) throw;
    }
    if (!SleepUnlessCancelled(BackoffDelay(policy, attempt, retry_after), cancel)) {
      throw HttpTransportError("cancelled", true);
    }
  }
}

}  // namespace sluice
