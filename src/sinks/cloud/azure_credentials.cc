#include "sinks/cloud/azure_credentials.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "core/error.h"
#include "sinks/cloud/cloud_crypto.h"

namespace sluice {

namespace {

// Azurite's development account, published in Microsoft's Azurite documentation.
constexpr const char* kDevelopmentAccount = "devstoreaccount1";
constexpr const char* kDevelopmentKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr const char* kDevelopmentEndpoint = "http://127.0.0.1:10000/devstoreaccount1";

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string StripQuestionMark(std::string sas) {
  if (!sas.empty() && sas.front() == '?') sas.erase(0, 1);
  return sas;
}

std::string DefaultEndpoint(const std::string& account, const std::string& protocol,
                            const std::string& suffix) {
  return protocol + "://" + account + ".blob." + suffix;
}

AzureCredentials FromConnectionString(const std::string& text, const std::string& account) {
  std::map<std::string, std::string> fields;
  for (auto& [key, value] : ParseConnectionString(text)) fields[Lowercase(key)] = value;

  AzureCredentials credentials;
  if (Lowercase(fields["usedevelopmentstorage"]) == "true") {
    fields["accountname"] = kDevelopmentAccount;
    fields["accountkey"] = kDevelopmentKey;
    fields["blobendpoint"] = kDevelopmentEndpoint;
  }
  credentials.account = fields["accountname"].empty() ? account : fields["accountname"];
  if (credentials.account != account) {
    throw InvalidOption("AZURE_STORAGE_CONNECTION_STRING is for account '" + credentials.account +
                        "', not '" + account + "'; use that account's connection string");
  }
  if (!fields["accountkey"].empty()) {
    credentials.account_key = Base64Decode(fields["accountkey"], "the AccountKey in AZURE_STORAGE_CONNECTION_STRING");
  }
  credentials.sas_token = StripQuestionMark(fields["sharedaccesssignature"]);
  if (credentials.account_key.empty() && credentials.sas_token.empty()) {
    throw InvalidOption("AZURE_STORAGE_CONNECTION_STRING has neither AccountKey nor "
                        "SharedAccessSignature; add one of them");
  }
  credentials.blob_endpoint = fields["blobendpoint"];
  if (credentials.blob_endpoint.empty()) {
    std::string protocol = fields["defaultendpointsprotocol"].empty() ? "https" : fields["defaultendpointsprotocol"];
    std::string suffix = fields["endpointsuffix"].empty() ? "core.windows.net" : fields["endpointsuffix"];
    credentials.blob_endpoint = DefaultEndpoint(account, protocol, suffix);
  }
  while (!credentials.blob_endpoint.empty() && credentials.blob_endpoint.back() == '/') {
    credentials.blob_endpoint.pop_back();
  }
  return credentials;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseConnectionString(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> fields;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find(';', begin);
    if (end == std::string::npos) end = text.size();
    std::string field = text.substr(begin, end - begin);
    size_t equals = field.find('=');
    if (equals != std::string::npos && equals > 0) {
      fields.emplace_back(field.substr(0, equals), field.substr(equals + 1));
    } else if (!field.empty()) {
      throw InvalidOption("AZURE_STORAGE_CONNECTION_STRING has a field without '=': write it as "
                          "Key=Value;Key=Value");
    }
    begin = end + 1;
  }
  return fields;
}

AzureCredentials LoadAzureCredentials(const std::string& account) {
  std::string connection_string = Environment("AZURE_STORAGE_CONNECTION_STRING");
  if (!connection_string.empty()) return FromConnectionString(connection_string, account);

  AzureCredentials credentials;
  credentials.account = account;
  credentials.blob_endpoint = DefaultEndpoint(account, "https", "core.windows.net");
  std::string key = Environment("AZURE_STORAGE_KEY");
  std::string key_account = Environment("AZURE_STORAGE_ACCOUNT");
  if (!key.empty() && (key_account.empty() || key_account == account)) {
    credentials.account_key = Base64Decode(key, "AZURE_STORAGE_KEY");
    return credentials;
  }
  credentials.sas_token = StripQuestionMark(Environment("AZURE_STORAGE_SAS_TOKEN"));
  if (!credentials.sas_token.empty()) return credentials;
  throw InvalidOption("no Azure credentials for account '" + account +
                      "': set AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY (with "
                      "AZURE_STORAGE_ACCOUNT) or AZURE_STORAGE_SAS_TOKEN");
}

std::string AzureStringToSign(const AzureSignedRequest& request, const std::string& account) {
  std::map<std::string, std::string> standard;
  std::map<std::string, std::string> ms_headers;
  for (const auto& [name, value] : request.headers) {
    std::string key = Lowercase(name);
    if (key.rfind("x-ms-", 0) == 0) {
      ms_headers[key] = value;
    } else {
      standard[key] = value;
    }
  }
  // Since version 2015-02-21 a zero Content-Length is signed as empty.
  if (standard["content-length"] == "0") standard["content-length"] = "";

  std::string text = request.method + "\n";
  for (const char* name : {"content-encoding", "content-language", "content-length", "content-md5",
                           "content-type", "date", "if-modified-since", "if-match", "if-none-match",
                           "if-unmodified-since", "range"}) {
    text += standard[name] + "\n";
  }
  for (const auto& [name, value] : ms_headers) text += name + ":" + value + "\n";

  text += "/" + account + request.path;
  std::map<std::string, std::vector<std::string>> parameters;
  for (const auto& [name, value] : request.query) parameters[Lowercase(name)].push_back(value);
  for (auto& [name, values] : parameters) {
    std::sort(values.begin(), values.end());
    text += "\n" + name + ":";
    for (size_t i = 0; i < values.size(); ++i) text += (i > 0 ? "," : "") + values[i];
  }
  return text;
}

std::string AzureSharedKeyAuthorization(const AzureSignedRequest& request, const std::string& account,
                                        const std::string& account_key) {
  std::string signature = Base64Encode(HmacSha256(account_key, AzureStringToSign(request, account)));
  return "SharedKey " + account + ":" + signature;
}

}  // namespace sluice
