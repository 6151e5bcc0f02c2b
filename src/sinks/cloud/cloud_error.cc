#include "sinks/cloud/cloud_error.h"

#include <nlohmann/json.hpp>

#include <regex>

namespace sluice {

namespace {

std::string XmlElement(const std::string& body, const std::string& name) {
  std::string open = "<" + name + ">";
  size_t begin = body.find(open);
  if (begin == std::string::npos) return "";
  begin += open.size();
  size_t end = body.find("</" + name + ">", begin);
  if (end == std::string::npos) return "";
  return body.substr(begin, end - begin);
}

std::string FirstLine(const std::string& text) {
  size_t end = text.find_first_of("\r\n");
  return end == std::string::npos ? text : text.substr(0, end);
}

const char* FixFor(long status) {
  switch (status) {
    case 400:
      return "the request was rejected as invalid; check the destination and the upload options";
    case 401:
    case 403:
      return "check the credentials and their permissions on the destination";
    case 404:
      return "check that the bucket or container exists and the endpoint is right";
    case 409:
    case 412:
      return "the object is being changed by another writer; try again";
    default:
      return status >= 500 ? "the service failed; try again later" : "check the destination";
  }
}

}  // namespace

ProviderError ParseProviderError(const HttpResponse& response) {
  ProviderError error;
  if (response.body.find("<Error>") != std::string::npos) {
    error.code = XmlElement(response.body, "Code");
    error.message = FirstLine(XmlElement(response.body, "Message"));
  } else if (!response.body.empty() && response.body.front() == '{') {
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
      const nlohmann::json& detail = body["error"];
      if (detail.contains("message") && detail["message"].is_string()) {
        error.message = FirstLine(detail["message"].get<std::string>());
      }
      if (detail.contains("errors") && detail["errors"].is_array() && !detail["errors"].empty() &&
          detail["errors"][0].contains("reason") && detail["errors"][0]["reason"].is_string()) {
        error.code = detail["errors"][0]["reason"].get<std::string>();
      }
    }
  }
  if (error.code.empty()) error.code = response.header("x-ms-error-code");
  return error;
}

std::string DescribeHttpFailure(const std::string& provider, const std::string& operation,
                                const std::string& object, const HttpResponse& response) {
  ProviderError error = ParseProviderError(response);
  std::string text = provider + " " + operation + " of " + object + " failed: HTTP " +
                     std::to_string(response.status);
  // Only the provider's text is redacted: object names are not secret, and
  // a long one must stay readable.
  if (!error.code.empty()) text += " " + RedactSecrets(error.code);
  if (!error.message.empty()) text += ": " + RedactSecrets(error.message);
  text += "; ";
  text += FixFor(response.status);
  return text;
}

std::string DescribeTransportFailure(const std::string& provider, const std::string& operation,
                                     const std::string& object, const HttpTransportError& error,
                                     int attempts) {
  std::string text = provider + " " + operation + " of " + object + " failed";
  if (attempts > 1) text += " after " + std::to_string(attempts) + " attempts";
  text += ": ";
  text += RedactSecrets(error.what());
  text += "; check the network and the endpoint, or raise --cloud-retries";
  return text;
}

std::string RedactSecrets(const std::string& text) {
  static const std::regex kNamedValue(
      R"(((?:sig|Signature|Credential|access_token|assertion|AccountKey|SharedAccessSignature)\s*[=:]\s*"?)[^&\s",;]+)",
      std::regex::icase);
  static const std::regex kBearer(R"((Bearer|SharedKey)\s+[^\s'",]+)", std::regex::icase);
  static const std::regex kLongToken(R"([A-Za-z0-9+/_\-]{32,}={0,2})");
  std::string redacted = std::regex_replace(text, kNamedValue, "$1***");
  redacted = std::regex_replace(redacted, kBearer, "$1 ***");
  return std::regex_replace(redacted, kLongToken, "***");
}

}  // namespace sluice
