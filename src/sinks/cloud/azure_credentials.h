// AzureCredentials: how requests to a storage account are authorized, and
// the Shared Key signature (HMAC-SHA256 over a canonical string-to-sign, as
// Microsoft's "Authorize with Shared Key" documentation defines it for
// service version 2015-02-21 and later).
//
// Sources, first match wins: AZURE_STORAGE_CONNECTION_STRING (AccountName,
// AccountKey, BlobEndpoint, SharedAccessSignature, DefaultEndpointsProtocol,
// EndpointSuffix, or UseDevelopmentStorage=true); AZURE_STORAGE_KEY for the
// destination's account; AZURE_STORAGE_SAS_TOKEN.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice {

struct AzureCredentials {
  std::string account;
  std::string account_key;    // secret, decoded from base64; empty when a SAS is used
  std::string sas_token;      // secret, without a leading '?'
  std::string blob_endpoint;  // "https://ACCOUNT.blob.core.windows.net", no trailing '/'
};

// Throws InvalidOption when nothing authorizes `account`, or the connection
// string names another account or is malformed.
AzureCredentials LoadAzureCredentials(const std::string& account);

// The fields of a connection string "Key=Value;Key=Value".
std::vector<std::pair<std::string, std::string>> ParseConnectionString(const std::string& text);

struct AzureSignedRequest {
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;  // every header sent
  std::string path;                                          // URL path as sent, URI-encoded
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values
};

// The Shared Key string-to-sign of `request` for `account`.
std::string AzureStringToSign(const AzureSignedRequest& request, const std::string& account);

// "SharedKey ACCOUNT:BASE64(HMAC-SHA256(key, string-to-sign))".
std::string AzureSharedKeyAuthorization(const AzureSignedRequest& request, const std::string& account,
                                        const std::string& account_key);

}  // namespace sluice
