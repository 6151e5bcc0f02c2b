// RetryPolicy: which failed requests to an object store are tried again,
// and how long to wait between tries (exponential backoff with full jitter).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "sinks/cloud/http_client.h"

namespace sluice {

struct RetryPolicy {
  int max_attempts = 5;  // including the first
  std::chrono::milliseconds base_delay{250};
  std::chrono::milliseconds max_delay{10000};
};

// 408 Request Timeout, 429 Too Many Requests and every 5xx can succeed when
// repeated; other statuses cannot.
bool IsRetryableStatus(long status);

// A random wait in [0, min(max_delay, base_delay * 2^(attempt - 1))], where
// attempt 1 is the first retry. A Retry-After value in seconds, when the
// server sent one, sets the lower bound (still capped at max_delay).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt,
                                       long retry_after_seconds = 0);

// Sleeps for `delay`, waking early and returning false once `cancel` is set.
bool SleepUnlessCancelled(std::chrono::milliseconds delay, const std::atomic<bool>* cancel);

// Sends the request built by `make_request` (called again for each attempt,
// so signatures and dates are fresh) until a response is not retryable or
// the attempts are used up, and returns that last response. Throws
// HttpTransportError when the last attempt got no response.
HttpResponse SendWithRetry(HttpClient& client, const std::function<HttpRequest()>& make_request,
                           const RetryPolicy& policy, const std::atomic<bool>* cancel);

}  // namespace sluice
