#include "sinks/cloud/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <mutex>

#include "core/error.h"

namespace sluice {

namespace {

constexpr size_t kMaxResponseBody = 1 << 20;
constexpr size_t kBodyReservationStep = 64 << 10;
constexpr long kConnectTimeoutSeconds = 30;

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// The response that OnBody appends a body to, and the memory reserved for it.
struct BodyTarget {
  HttpResponse* response;
  MemoryGovernor* memory;
  MemoryReservation reservation;
  std::exception_ptr error;  // a failed reservation, rethrown by send()
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* target = static_cast<BodyTarget*>(user);
  std::string& body = target->response->body;
  size_t length = size * count;
  size_t stored = std::min(length, kMaxResponseBody - std::min(kMaxResponseBody, body.size()));
  if (stored > 0 && target->memory != nullptr && body.size() + stored > target->reservation.bytes()) {
    size_t steps = (body.size() + stored + kBodyReservationStep - 1) / kBodyReservationStep;
    uint64_t reserved = std::min(kMaxResponseBody, steps * kBodyReservationStep);
    // An exception must not unwind through libcurl, so it is kept for send().
    try {
      if (target->reservation.bytes() == 0) {
        target->reservation = target->memory->reserve(reserved, "HTTP response body");
      } else {
        target->reservation.resize(reserved);
      }
    } catch (...) {
      target->error = std::current_exception();
      return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
    }
  }
  body.append(data, stored);
  return length;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  size_t length = size * count;
  std::string_view line(data, length);
  // A new status line starts the headers of a new response (after a 100
  // Continue, for one), so earlier headers no longer apply.
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();
    return length;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    response->headers.emplace_back(Lowercase(std::string(line.substr(0, colon))),
                                   Trim(line.substr(colon + 1)));
  }
  return length;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load(std::memory_order_relaxed) ? 1 : 0;
}

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(ErrorKind::kInternal, "libcurl failed to initialize");
    }
  });
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

HttpClient::HttpClient(int stall_timeout_seconds, const std::atomic<bool>* cancel)
    : curl_(nullptr), stall_timeout_seconds_(stall_timeout_seconds), cancel_(cancel) {
  InitializeCurlOnce();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error(ErrorKind::kInternal, "libcurl could not create a handle");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the connection cache
  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_slist* headers = nullptr;
  for (const std::string& header : request.headers) headers = curl_slist_append(headers, header.c_str());
  // libcurl would otherwise wait for "100 Continue" before large bodies,
  // and label a body without a Content-Type as a submitted form.
  headers = curl_slist_append(headers, "Expect:");
  bool has_content_type = std::any_of(request.headers.begin(), request.headers.end(),
                                      [](const std::string& header) {
                                        return Lowercase(header.substr(0, 13)) == "content-type:";
                                      });
  if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  // A transfer slower than 1 byte/s for the stall time is abandoned; this
  // also bounds the wait for a response that never comes.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(stall_timeout_seconds_));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  BodyTarget body{&response, memory_, MemoryReservation(), nullptr};
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, cancel_);

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  if (!request.aws_sigv4.empty()) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, request.aws_sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, request.aws_user_password.c_str());
  }

  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (body.error) std::rethrow_exception(body.error);
  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    throw HttpTransportError(detail, code == CURLE_ABORTED_BY_CALLBACK);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace sluice
