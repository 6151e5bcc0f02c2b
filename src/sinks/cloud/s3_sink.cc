#include "sinks/cloud/s3_sink.h"

#include <cstdlib>
#include <ctime>

#include "core/error.h"
#include "sinks/cloud/cloud_crypto.h"
#include "sinks/cloud/cloud_error.h"

namespace sluice {

namespace {

constexpr const char* kProvider = "S3";

PartLimits S3Limits() {
  PartLimits limits;
  limits.min_part_bytes = 5 * kMiB;
  limits.max_part_bytes = 5 * kGiB;
  limits.max_parts = 10000;
  limits.parts_per_step = 900;
  return limits;
}

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string ResolveEndpoint(const CloudOptions& options, const std::string& region) {
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) endpoint = Environment("AWS_ENDPOINT_URL_S3");
  if (endpoint.empty()) endpoint = Environment("AWS_ENDPOINT_URL");
  if (endpoint.empty()) return "https://s3." + region + ".amazonaws.com";
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    throw InvalidOption("invalid S3 endpoint '" + endpoint +
                        "': give a URL starting with http:// or https://");
  }
  while (endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

// Virtual-hosted addressing needs a DNS name per bucket, which a local or
// IP-addressed S3-compatible server does not have, and TLS certificates do
// not cover bucket names with dots.
bool NeedsPathStyle(const std::string& endpoint, const std::string& bucket) {
  std::string host = endpoint.substr(endpoint.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/"));
  bool numeric = !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
  return bucket.find('.') != std::string::npos || numeric || host == "localhost" ||
         host.front() == '[';
}

std::string XmlElement(const std::string& body, const std::string& name) {
  size_t begin = body.find("<" + name + ">");
  if (begin == std::string::npos) return "";
  begin += name.size() + 2;
  size_t end = body.find("</" + name + ">", begin);
  return end == std::string::npos ? "" : body.substr(begin, end - begin);
}

// S3 may return 200 with an <Error> body for CompleteMultipartUpload after
// it began assembling the object; InternalError and SlowDown may be retried.
bool IsRetryableErrorBody(const std::string& body) {
  std::string code = XmlElement(body, "Code");
  return code == "InternalError" || code == "SlowDown" || code == "ServiceUnavailable";
}

// Seconds since the epoch of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37
// GMT"), or 0 when `text` is not one.
int64_t ParseHttpDate(const std::string& text) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr || *end != '\0') return 0;
  return static_cast<int64_t>(timegm(&parts));
}

}  // namespace

S3Sink::S3Sink(const CloudDestination& destination, const CloudOptions& options,
               uint64_t max_object_bytes)
    : MultipartSink(kProvider, destination.url, options, max_object_bytes, S3Limits()),
      destination_(destination),
      credentials_(LoadAwsCredentials(options.profile)),
      region_(ResolveAwsRegion(options.region, options.profile)),
      endpoint_(ResolveEndpoint(options, region_)),
      path_style_(options.path_style || NeedsPathStyle(endpoint_, destination.bucket)) {}

S3Sink::~S3Sink() { abort(); }

void S3Sink::set_key(const std::string& key) { destination_.key = key; }

std::string S3Sink::ObjectUrl(const std::string& endpoint, const std::string& bucket,
                              const std::string& key, bool path_style, const std::string& query) {
  std::string path = "/" + UriEncode(key, true);
  std::string url;
  if (path_style) {
    url = endpoint + "/" + bucket + path;
  } else {
    size_t scheme_end = endpoint.find("://") + 3;
    url = endpoint.substr(0, scheme_end) + bucket + "." + endpoint.substr(scheme_end) + path;
  }
  return query.empty() ? url : url + "?" + query;
}

HttpRequest S3Sink::make_request(const std::string& method, const std::string& query,
                                 std::string_view body, const std::string& content_type) const {
  HttpRequest request;
  request.method = method;
  request.url = ObjectUrl(endpoint_, destination_.bucket, destination_.key, path_style_, query);
  request.body = body;
  request.headers.push_back("x-amz-content-sha256: " + Sha256Hex(body));
  if (!content_type.empty()) request.headers.push_back("Content-Type: " + content_type);
  if (!credentials_.session_token.empty()) {
    request.headers.push_back("x-amz-security-token: " + credentials_.session_token);
  }
  request.aws_sigv4 = "aws:amz:" + region_ + ":s3";
  request.aws_user_password = credentials_.access_key_id + ":" + credentials_.secret_access_key;
  return request;
}

void S3Sink::fail(const std::string& operation, const HttpResponse& response) const {
  throw IOError(DescribeHttpFailure(kProvider, operation, object(), response));
}

void S3Sink::start_upload() {
  try {
    HttpResponse response = SendWithRetry(
        client(), [this] { return make_request("POST", "uploads=", "", "application/octet-stream"); },
        retry_policy(), nullptr);
    if (response.status != 200) fail("CreateMultipartUpload", response);
    upload_id_ = XmlElement(response.body, "UploadId");
    upload_started_ = ParseHttpDate(response.header("date"));
    if (upload_id_.empty()) {
      throw IOError("S3 CreateMultipartUpload of " + object() +
                    " returned no UploadId; check that the endpoint is an S3 service");
    }
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, "CreateMultipartUpload", object(), error,
                                           retry_policy().max_attempts));
  }
}

std::string S3Sink::upload_part(HttpClient& part_client, const UploadPart& part) {
  std::string query = "partNumber=" + std::to_string(part.number) + "&uploadId=" + UriEncode(upload_id_, false);
  std::string operation = "UploadPart " + std::to_string(part.number);
  try {
    HttpResponse response = SendWithRetry(
        part_client, [&] { return make_request("PUT", query, part.data, "application/octet-stream"); },
        retry_policy(), cancel_flag());
    if (response.status != 200) fail(operation, response);
    std::string etag = response.header("etag");
    if (etag.empty()) {
      throw IOError("S3 " + operation + " of " + object() +
                    " returned no ETag; check that the endpoint is an S3 service");
    }
    return etag;
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, operation, object(), error,
                                           retry_policy().max_attempts));
  }
}

std::string S3Sink::MultipartEtag(const std::vector<std::string>& part_etags) {
  std::string digests;
  for (const std::string& etag : part_etags) {
    std::string hex = etag.size() == 34 && etag.front() == '"' && etag.back() == '"' ? etag.substr(1, 32) : etag;
    if (hex.size() != 32 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) return "";
    for (size_t i = 0; i < 32; i += 2) {
      digests.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
  }
  return "\"" + Md5Hex(digests) + "-" + std::to_string(part_etags.size()) + "\"";
}

bool S3Sink::object_is_assembled(const std::vector<std::string>& etags) {
  // On S3 a multipart object's ETag (MultipartEtag) identifies this
  // upload's object. Servers that compute ETags otherwise (s3rver 3.7 stores
  // the whole object's MD5; SSE-KMS ETags are not MD5s) get a weaker test:
  // the size matches and the object changed after this upload began, by the
  // server's own clock.
  // NOTE: the weaker test also passes for an object of the same size that
  // another writer stored at the key after this upload began.
  try {
    HttpResponse response = client().send(make_request("HEAD", "", "", ""));
    if (response.status != 200) return false;
    std::string composite = MultipartEtag(etags);
    if (!composite.empty() && response.header("etag") == composite) return true;
    int64_t modified = ParseHttpDate(response.header("last-modified"));
    return response.header("content-length") == std::to_string(total_bytes()) && modified > 0 &&
           upload_started_ > 0 && modified >= upload_started_;
  } catch (const HttpTransportError&) {
    return false;
  }
}

void S3Sink::complete_upload(const std::vector<std::string>& etags) {
  std::string body = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] +
            "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  std::string query = "uploadId=" + UriEncode(upload_id_, false);

  // Retried by hand: a 200 with an <Error> body can be retryable, and a
  // retry after a lost response finds the upload gone (NoSuchUpload) even
  // though the object was assembled.
  for (int attempt = 1;; ++attempt) {
    bool last = attempt >= retry_policy().max_attempts;
    try {
      HttpResponse response = client().send(make_request("POST", query, body, "application/xml"));
      bool error_body = response.body.find("<Error>") != std::string::npos;
      if (response.status == 200 && !error_body) return;
      if (attempt > 1 && object_is_assembled(etags)) return;
      bool retryable = IsRetryableStatus(response.status) ||
                       (response.status == 200 && IsRetryableErrorBody(response.body));
      if (!retryable || last) fail("CompleteMultipartUpload", response);
    } catch (const HttpTransportError& error) {
      if (last) {
        throw IOError(DescribeTransportFailure(kProvider, "CompleteMultipartUpload", object(), error,
                                               attempt));
      }
    }
    SleepUnlessCancelled(BackoffDelay(retry_policy(), attempt), nullptr);
  }
}

void S3Sink::put_object(const std::string& data) {
  try {
    HttpResponse response = SendWithRetry(
        client(), [&] { return make_request("PUT", "", data, "application/octet-stream"); },
        retry_policy(), nullptr);
    if (response.status != 200) fail("PutObject", response);
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, "PutObject", object(), error,
                                           retry_policy().max_attempts));
  }
}

void S3Sink::describe_upload(CloudUploadState& state) const {
  state.provider = "s3";
  state.upload_id = upload_id_;
  state.started_at = upload_started_;
}

// NOTE: the recorded ETags are trusted, not checked with ListParts. An
// upload that was aborted or expired meanwhile fails the first UploadPart
// with NoSuchUpload on S3. (s3rver 3.7 stores the part under a new upload
// directory, then fails CompleteMultipartUpload with HTTP 500.)
uint64_t S3Sink::restore_upload(const CloudUploadState& state, uint64_t recorded_bytes) {
  upload_id_ = state.upload_id;
  upload_started_ = state.started_at;
  return recorded_bytes;
}

bool S3Sink::upload_completed(const CloudUploadState& state) {
  std::vector<std::string> etags;
  for (const UploadedPart& part : state.parts) etags.push_back(part.tag);
  return object_is_assembled(etags);
}

// The request is AbortMultipartUpload as the S3 API defines it: DELETE on
// the object's URL with ?uploadId=ID. S3 returns 204 No Content, or 404
// NoSuchUpload once the upload is gone.
// NOTE: s3rver 3.7 has no route for it and returns 405 MethodNotAllowed,
// so there the parts stay until the server's directory is removed.
MultipartSink::AbortResult S3Sink::abort_upload(const CloudUploadState& state) {
  // Whatever the response, this sink no longer describes the upload.
  upload_id_.clear();
  if (state.upload_id.empty()) return AbortResult::kNotFound;

  const char* operation = "AbortMultipartUpload";
  std::string query = "uploadId=" + UriEncode(state.upload_id, false);
  RetryPolicy policy = retry_policy();
  policy.max_attempts = std::min(policy.max_attempts, 3);
  HttpResponse response;
  try {
    response = SendWithRetry(client(), [&] { return make_request("DELETE", query, "", ""); }, policy, nullptr);
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, operation, object(), error, policy.max_attempts));
  }
  if (response.status >= 200 && response.status < 300) return AbortResult::kAborted;
  if (response.status == 404) return AbortResult::kNotFound;
  fail(operation, response);
}

}  // namespace sluice
