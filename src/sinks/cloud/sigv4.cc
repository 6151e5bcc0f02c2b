#include "sinks/cloud/sigv4.h"

#include <algorithm>
#include <cctype>

#include "sinks/cloud/cloud_crypto.h"

namespace sluice {

namespace {

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Trims the value and collapses runs of spaces to one, as SigV4 requires.
std::string CanonicalHeaderValue(const std::string& value) {
  std::string result;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !result.empty();
      continue;
    }
    if (space) result.push_back(' ');
    space = false;
    result.push_back(c);
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> SortedHeaders(const SigV4Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    headers.emplace_back(Lowercase(name), CanonicalHeaderValue(value));
  }
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return headers;
}

std::string Scope(const std::string& amz_date, const std::string& region,
                  const std::string& service) {
  return amz_date.substr(0, 8) + "/" + region + "/" + service + "/aws4_request";
}

}  // namespace

std::string CanonicalQueryString(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  size_t begin = 0;
  while (begin <= query.size() && !query.empty()) {
    size_t end = query.find('&', begin);
    if (end == std::string::npos) end = query.size();
    std::string parameter = query.substr(begin, end - begin);
    if (!parameter.empty()) {
      size_t equals = parameter.find('=');
      if (equals == std::string::npos) {
        parameters.emplace_back(parameter, "");
      } else {
        parameters.emplace_back(parameter.substr(0, equals), parameter.substr(equals + 1));
      }
    }
    begin = end + 1;
  }
  std::sort(parameters.begin(), parameters.end());

  std::string canonical;
  for (const auto& [name, value] : parameters) {
    if (!canonical.empty()) canonical += '&';
    canonical += name + "=" + value;
  }
  return canonical;
}

std::string SignedHeaders(const SigV4Request& request) {
  std::string names;
  for (const auto& [name, value] : SortedHeaders(request)) {
    if (!names.empty()) names += ';';
    names += name;
  }
  return names;
}

std::string CanonicalRequest(const SigV4Request& request) {
  std::string canonical = request.method + "\n" + request.path + "\n" +
                          CanonicalQueryString(request.query) + "\n";
  for (const auto& [name, value] : SortedHeaders(request)) canonical += name + ":" + value + "\n";
  canonical += "\n" + SignedHeaders(request) + "\n" + request.payload_hash;
  return canonical;
}

std::string SigV4StringToSign(const std::string& amz_date, const std::string& region,
                              const std::string& service, const std::string& canonical_request) {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + Scope(amz_date, region, service) + "\n" +
         Sha256Hex(canonical_request);
}

std::string SigV4Signature(const std::string& secret_access_key, const std::string& amz_date,
                           const std::string& region, const std::string& service,
                           const std::string& string_to_sign) {
  std::string key = HmacSha256("AWS4" + secret_access_key, amz_date.substr(0, 8));
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  key = HmacSha256(key, "aws4_request");
  return HexEncode(HmacSha256(key, string_to_sign));
}

std::string SigV4Authorization(const SigV4Request& request, const std::string& access_key_id,
                               const std::string& secret_access_key, const std::string& amz_date,
                               const std::string& region, const std::string& service) {
  std::string string_to_sign =
      SigV4StringToSign(amz_date, region, service, CanonicalRequest(request));
  return "AWS4-HMAC-SHA256 Credential=" + access_key_id + "/" + Scope(amz_date, region, service) +
         ", SignedHeaders=" + SignedHeaders(request) + ", Signature=" +
         SigV4Signature(secret_access_key, amz_date, region, service, string_to_sign);
}

}  // namespace sluice
