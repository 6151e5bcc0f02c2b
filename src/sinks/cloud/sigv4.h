// AWS Signature Version 4 computed by Sluice itself.
//
// S3 requests are signed by libcurl (CURLOPT_AWS_SIGV4). This independent
// implementation exists so the tests can check libcurl's Authorization
// headers against AWS's published examples and against a recomputation of
// each captured request.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice {

struct SigV4Request {
  std::string method;
  std::string path;   // URI-encoded once, as sent
  std::string query;  // as sent, without '?'; parameters in any order
  std::vector<std::pair<std::string, std::string>> headers;  // the headers to sign
  std::string payload_hash;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

// Sorts the parameters by name, then value, and gives each an '='.
std::string CanonicalQueryString(const std::string& query);

// The canonical request: method, path, query, "name:value" header lines with
// names in lower case sorted and values trimmed, the signed header list and
// the payload hash, separated by newlines.
std::string CanonicalRequest(const SigV4Request& request);

// "host;range;x-amz-date": the lower-case header names, sorted.
std::string SignedHeaders(const SigV4Request& request);

// amz_date is "YYYYMMDDTHHMMSSZ"; the scope is DATE/REGION/SERVICE/aws4_request.
std::string SigV4StringToSign(const std::string& amz_date, const std::string& region,
                              const std::string& service, const std::string& canonical_request);

// Lower-case hex signature of `string_to_sign`.
std::string SigV4Signature(const std::string& secret_access_key, const std::string& amz_date,
                           const std::string& region, const std::string& service,
                           const std::string& string_to_sign);

// The whole Authorization header value.
std::string SigV4Authorization(const SigV4Request& request, const std::string& access_key_id,
                               const std::string& secret_access_key, const std::string& amz_date,
                               const std::string& region, const std::string& service);

}  // namespace sluice
