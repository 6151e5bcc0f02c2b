#include "sinks/cloud/gcs_sink.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "sinks/cloud/cloud_crypto.h"
#include "sinks/cloud/cloud_error.h"

namespace sluice {

namespace {

constexpr const char* kProvider = "GCS";
constexpr long kResumeIncomplete = 308;

PartLimits GcsLimits() {
  PartLimits limits;
  limits.min_part_bytes = GcsSink::kChunkMultiple;
  limits.part_multiple = GcsSink::kChunkMultiple;
  limits.ordered = true;
  limits.single_request = false;
  limits.empty_last_part = true;
  limits.completion_request = false;
  return limits;
}

std::string ResolveEndpoint() {
  const char* emulator = std::getenv("STORAGE_EMULATOR_HOST");
  if (emulator == nullptr || *emulator == '\0') return "https://storage.googleapis.com";
  std::string endpoint = emulator;
  if (endpoint.find("://") == std::string::npos) endpoint = "http://" + endpoint;
  while (endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

}  // namespace

GcsSink::GcsSink(const CloudDestination& destination, const CloudOptions& options,
                 uint64_t max_object_bytes)
    : MultipartSink(kProvider, destination.url, options, max_object_bytes, GcsLimits()),
      destination_(destination),
      endpoint_(ResolveEndpoint()),
      credentials_(GcsCredentials::Load(std::getenv("STORAGE_EMULATOR_HOST") != nullptr,
                                        retry_policy(), options.stall_timeout_seconds)) {}

GcsSink::~GcsSink() { abort(); }

void GcsSink::set_key(const std::string& key) { destination_.key = key; }

uint64_t GcsSink::PersistedBytes(const HttpResponse& response) {
  std::string range = response.header("range");
  size_t dash = range.find('-');
  if (range.rfind("bytes=", 0) != 0 || dash == std::string::npos) return 0;
  return std::strtoull(range.c_str() + dash + 1, nullptr, 10) + 1;
}

void GcsSink::fail(const std::string& operation, const HttpResponse& response) const {
  throw IOError(DescribeHttpFailure(kProvider, operation, object(), response));
}

void GcsSink::start_upload() {
  std::string url = endpoint_ + "/upload/storage/v1/b/" + UriEncode(destination_.bucket, false) +
                    "/o?uploadType=resumable&name=" + UriEncode(destination_.key, false);
  try {
    HttpResponse response = SendWithRetry(client(), [&] {
      HttpRequest request;
      request.method = "POST";
      request.url = url;
      request.headers = {"Content-Type: application/json; charset=UTF-8",
                         "X-Upload-Content-Type: application/octet-stream"};
      std::string authorization = credentials_->authorization_header();
      if (!authorization.empty()) request.headers.push_back(authorization);
      return request;
    }, retry_policy(), nullptr);
    if (response.status != 200 && response.status != 201) fail("resumable upload start", response);
    session_uri_ = response.header("location");
    if (session_uri_.empty()) {
      throw IOError("GCS resumable upload start of " + object() +
                    " returned no session URI (Location header); check the endpoint");
    }
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, "resumable upload start", object(), error,
                                           retry_policy().max_attempts));
  }
}

HttpRequest GcsSink::chunk_request(std::string_view body, uint64_t first, uint64_t total,
                                   bool last) const {
  HttpRequest request;
  request.method = "PUT";
  request.url = session_uri_;
  request.body = body;
  std::string size = last ? std::to_string(total) : "*";
  std::string range = body.empty() ? "*" : std::to_string(first) + "-" + std::to_string(first + body.size() - 1);
  request.headers = {"Content-Range: bytes " + range + "/" + size,
                     "Content-Type: application/octet-stream"};
  std::string authorization = credentials_->authorization_header();
  if (!authorization.empty()) request.headers.push_back(authorization);
  return request;
}

HttpResponse GcsSink::query_status(HttpClient& http, uint64_t total, bool last) const {
  return http.send(chunk_request("", 0, total, last));
}

void GcsSink::check_final(const HttpResponse& response, uint64_t total) const {
  nlohmann::json json = nlohmann::json::parse(response.body, nullptr, false);
  if (!json.is_object() || !json.contains("size")) return;
  std::string size = json["size"].is_string() ? json["size"].get<std::string>() : json["size"].dump();
  if (size != std::to_string(total)) {
    throw IOError("GCS upload of " + object() + " finished with " + size + " bytes instead of " +
                  std::to_string(total) + "; export again");
  }
}

std::string GcsSink::upload_part(HttpClient& http, const UploadPart& part) {
  const uint64_t start = chunk_start_;
  const uint64_t end = start + part.data.size();
  std::string operation = "chunk upload at byte " + std::to_string(start);
  uint64_t persisted = start;
  int failures = 0;

  for (;;) {
    bool sent_ok = false;
    try {
      std::string_view rest = std::string_view(part.data).substr(persisted - start);
      HttpResponse response = http.send(chunk_request(rest, persisted, end, part.last));
      if (response.status == 200 || response.status == 201) {
        if (!part.last) fail(operation, response);
        check_final(response, end);
        chunk_start_ = end;
        return "";
      }
      if (response.status == kResumeIncomplete) {
        uint64_t before = persisted;
        persisted = PersistedBytes(response);
        // A session that keeps no new byte counts as a failed attempt.
        sent_ok = persisted > before || rest.empty();
        if (!sent_ok && failures + 1 >= retry_policy().max_attempts) fail(operation, response);
      } else if (!IsRetryableStatus(response.status) || failures + 1 >= retry_policy().max_attempts) {
        fail(operation, response);
      }
    } catch (const HttpTransportError& error) {
      if (error.cancelled() || failures + 1 >= retry_policy().max_attempts) {
        throw IOError(DescribeTransportFailure(kProvider, operation, object(), error, failures + 1));
      }
    }

    if (!sent_ok) {
      ++failures;
      if (!SleepUnlessCancelled(BackoffDelay(retry_policy(), failures), cancel_flag())) {
        throw IOError("GCS upload of " + object() + " was cancelled");
      }
      try {
        HttpResponse status = query_status(http, end, part.last);
        if ((status.status == 200 || status.status == 201) && part.last) {
          check_final(status, end);
          chunk_start_ = end;
          return "";
        }
        if (status.status != kResumeIncomplete) {
          if (!IsRetryableStatus(status.status)) fail("upload status query", status);
          continue;  // the session is unknown for now: send the whole remainder again
        }
        persisted = PersistedBytes(status);
      } catch (const HttpTransportError&) {
        continue;
      }
    }

    if (persisted < start || persisted > end) {
      throw IOError("GCS session for " + object() + " reports " + std::to_string(persisted) +
                    " bytes persisted, outside the chunk " + std::to_string(start) + "-" +
                    std::to_string(end) + " still held; export again");
    }
    if (persisted == end && !part.last) {
      chunk_start_ = end;
      return "";
    }
  }
}

void GcsSink::put_object(const std::string&) {
  throw Error(ErrorKind::kInternal, "GCS uploads always use a resumable session");
}

void GcsSink::describe_upload(CloudUploadState& state) const {
  state.provider = "gcs";
  state.parts.clear();
  state.session_uri = session_uri_;
  state.persisted_bytes = chunk_start_.load();
}

uint64_t GcsSink::restore_upload(const CloudUploadState& state, uint64_t) {
  session_uri_ = state.session_uri;
  std::string operation = "upload status query";
  try {
    HttpResponse response = SendWithRetry(client(), [&] { return chunk_request("", 0, 0, false); },
                                           retry_policy(), nullptr);
    if (response.status == 200 || response.status == 201) return kUploadFinished;
    if (response.status != kResumeIncomplete) fail(operation, response);
    chunk_start_ = PersistedBytes(response);
    return chunk_start_;
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, operation, object(), error,
                                           retry_policy().max_attempts));
  }
}

MultipartSink::AbortResult GcsSink::abort_upload(const CloudUploadState& state) {
  // Whatever the response, this sink no longer describes the session.
  session_uri_.clear();
  if (state.session_uri.empty()) return AbortResult::kNotFound;

  // An abandoned session expires a week after it started without creating
  // an object, so a few attempts are enough.
  const char* operation = "resumable upload cancel";
  RetryPolicy policy = retry_policy();
  policy.max_attempts = std::min(policy.max_attempts, 3);
  HttpRequest request;
  request.method = "DELETE";
  request.url = state.session_uri;
  std::string authorization = credentials_->authorization_header();
  if (!authorization.empty()) request.headers.push_back(authorization);
  HttpResponse response;
  try {
    response = SendWithRetry(client(), [&] { return request; }, policy, nullptr);
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, operation, object(), error, policy.max_attempts));
  }
  if (response.status == 499 || (response.status >= 200 && response.status < 300)) return AbortResult::kAborted;
  if (response.status == 404 || response.status == 410) return AbortResult::kNotFound;
  fail(operation, response);
}

}  // namespace sluice
