// HttpClient: one libcurl easy handle that sends one request at a time and
// keeps its connections open between requests. A client is used by one
// thread; each upload thread owns its own.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/memory_governor.h"

namespace sluice {

struct HttpRequest {
  std::string method;                // GET, HEAD, PUT, POST or DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // must outlive send()
  // AWS Signature Version 4 done by libcurl: "aws:amz:REGION:SERVICE" and
  // "ACCESS_KEY_ID:SECRET_ACCESS_KEY". Empty = no SigV4.
  std::string aws_sigv4;
  std::string aws_user_password;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;                                          // first 1 MiB at most

  // The value of the first header called `name` (lower case), or "".
  std::string header(std::string_view name) const;
};

// A request that got no HTTP response: refused or dropped connection,
// timeout, stall, DNS failure. The message is libcurl's, without the URL.
class HttpTransportError : public std::runtime_error {
 public:
  HttpTransportError(const std::string& message, bool cancelled)
      : std::runtime_error(message), cancelled_(cancelled) {}
  bool cancelled() const { return cancelled_; }

 private:
  bool cancelled_;
};

class HttpClient {
 public:
  // A transfer that moves no byte for `stall_timeout_seconds` fails with
  // HttpTransportError. When `cancel` becomes true a running transfer stops.
  HttpClient(int stall_timeout_seconds, const std::atomic<bool>* cancel = nullptr);
  ~HttpClient();

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and returns the response whatever its status. Throws
  // HttpTransportError when no response arrived.
  HttpResponse send(const HttpRequest& request);

  // Reserves each response body from `memory` (null: no budget) before it
  // is buffered, in 64 KiB steps up to the 1 MiB that is kept. When the
  // breaker trips, send() stops the transfer and throws Error(kMemoryLimit).
  // NOTE: the reservation ends when send() returns, although the caller
  // still has the body it returned.
  void set_memory_governor(MemoryGovernor* memory) { memory_ = memory; }

 private:
  void* curl_;  // CURL*
  int stall_timeout_seconds_;
  const std::atomic<bool>* cancel_;
  MemoryGovernor* memory_ = nullptr;
};

}  // namespace sluice
