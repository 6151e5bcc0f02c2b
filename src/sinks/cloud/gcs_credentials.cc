#include "sinks/cloud/gcs_credentials.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "sinks/cloud/cloud_crypto.h"
#include "sinks/cloud/cloud_error.h"

namespace sluice {

namespace {

constexpr const char* kScope = "https://www.googleapis.com/auth/devstorage.read_write";
constexpr int64_t kTokenLifetimeSeconds = 3600;
constexpr int64_t kRefreshMarginSeconds = 300;

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string SignRs256(const std::string& pem, const std::string& input) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                               BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (key == nullptr) {
    throw InvalidOption("the private_key of the GCS service account key is not a PEM private key; "
                        "download the key file again");
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw InvalidOption("the GCS service account key cannot sign RS256; use an RSA key file");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw Error(ErrorKind::kInternal, "OpenSSL RS256 signing failed");
  }
  signature.resize(length);
  return signature;
}

}  // namespace

ServiceAccountKey ReadServiceAccountKey(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw InvalidOption("cannot read the GCS key file " + path +
                        " named by GOOGLE_APPLICATION_CREDENTIALS; check the path");
  }
  std::stringstream text;
  text << file.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
  ServiceAccountKey key;
  auto field = [&](const char* name) -> std::string {
    if (!json.is_object() || !json.contains(name) || !json[name].is_string()) {
      throw InvalidOption("the GCS key file " + path + " has no \"" + name +
                          "\"; give a service account key file (type service_account)");
    }
    return json[name].get<std::string>();
  };
  key.client_email = field("client_email");
  key.private_key_pem = field("private_key");
  key.token_uri = field("token_uri");
  if (json.contains("private_key_id") && json["private_key_id"].is_string()) {
    key.private_key_id = json["private_key_id"].get<std::string>();
  }
  return key;
}

std::string MakeServiceAccountJwt(const ServiceAccountKey& key, int64_t now) {
  nlohmann::ordered_json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key.private_key_id.empty()) header["kid"] = key.private_key_id;
  nlohmann::ordered_json claims = {{"iss", key.client_email},
                                   {"scope", kScope},
                                   {"aud", key.token_uri},
                                   {"iat", now},
                                   {"exp", now + kTokenLifetimeSeconds}};
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  return input + "." + Base64UrlEncode(SignRs256(key.private_key_pem, input));
}

std::unique_ptr<GcsCredentials> GcsCredentials::Load(bool emulator, const RetryPolicy& retry,
                                                     int stall_timeout_seconds) {
  std::unique_ptr<GcsCredentials> credentials(new GcsCredentials());
  credentials->retry_ = retry;
  credentials->stall_timeout_seconds_ = stall_timeout_seconds;
  credentials->token_ = Environment("SLUICE_GCS_ACCESS_TOKEN");
  if (!credentials->token_.empty()) return credentials;

  std::string key_path = Environment("GOOGLE_APPLICATION_CREDENTIALS");
  if (!key_path.empty()) {
    credentials->key_ = std::make_unique<ServiceAccountKey>(ReadServiceAccountKey(key_path));
    // Sign once now so a bad key fails before any data moves.
    MakeServiceAccountJwt(*credentials->key_, std::time(nullptr));
    return credentials;
  }
  if (emulator) return credentials;
  throw InvalidOption("no GCS credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service account "
                      "key file, or SLUICE_GCS_ACCESS_TOKEN to an access token");
}

std::string GcsCredentials::authorization_header() {
  std::lock_guard lock(mutex_);
  if (key_ != nullptr && (token_.empty() || std::time(nullptr) >= expires_at_ - kRefreshMarginSeconds)) {
    refresh_locked();
  }
  return token_.empty() ? "" : "Authorization: Bearer " + token_;
}

void GcsCredentials::refresh_locked() {
  std::string body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                     MakeServiceAccountJwt(*key_, std::time(nullptr));
  HttpClient client(stall_timeout_seconds_);
  HttpResponse response;
  try {
    response = SendWithRetry(client, [&] {
      HttpRequest request;
      request.method = "POST";
      request.url = key_->token_uri;
      request.body = body;
      request.headers = {"Content-Type: application/x-www-form-urlencoded"};
      return request;
    }, retry_, nullptr);
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure("GCS", "token request", key_->token_uri, error,
                                           retry_.max_attempts));
  }
  nlohmann::json json = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status != 200 || !json.is_object() || !json.contains("access_token") ||
      !json["access_token"].is_string()) {
    std::string reason = json.is_object() && json.contains("error") && json["error"].is_string()
                             ? " " + RedactSecrets(json["error"].get<std::string>())
                             : "";
    throw IOError("GCS token request to " + key_->token_uri + " for " + key_->client_email +
                  " failed: HTTP " + std::to_string(response.status) + reason +
                  "; check that the service account key is valid and not deleted");
  }
  token_ = json["access_token"].get<std::string>();
  int64_t lifetime = json.contains("expires_in") && json["expires_in"].is_number_integer()
                         ? json["expires_in"].get<int64_t>()
                         : kTokenLifetimeSeconds;
  expires_at_ = std::time(nullptr) + lifetime;
}

}  // namespace sluice
