// GcsCredentials: OAuth 2.0 access tokens for the GCS JSON API.
//
// Sources, first match wins: SLUICE_GCS_ACCESS_TOKEN (a token obtained
// elsewhere, used as is); GOOGLE_APPLICATION_CREDENTIALS naming a service
// account key file, whose RS256-signed JWT is exchanged at the key's
// token_uri (RFC 7523 JWT bearer grant) and exchanged again shortly before
// the token expires; no authorization at all when STORAGE_EMULATOR_HOST
// points at an emulator.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "sinks/cloud/http_client.h"
#include "sinks/cloud/retry_policy.h"

namespace sluice {

struct ServiceAccountKey {
  std::string client_email;
  std::string private_key_id;
  std::string private_key_pem;  // secret
  std::string token_uri;
};

// Reads a service account key file. Throws InvalidOption naming the file
// when it is unreadable or lacks a field.
ServiceAccountKey ReadServiceAccountKey(const std::string& path);

// The signed JWT assertion for `key`, issued at `now` (seconds since the
// epoch) and valid for an hour, for the devstorage.read_write scope.
std::string MakeServiceAccountJwt(const ServiceAccountKey& key, int64_t now);

class GcsCredentials {
 public:
  // Throws InvalidOption when nothing authorizes requests and no emulator is set.
  static std::unique_ptr<GcsCredentials> Load(bool emulator, const RetryPolicy& retry,
                                              int stall_timeout_seconds);

  // "Authorization: Bearer TOKEN", or "" when requests go unauthorized.
  // Safe to call from several threads.
  std::string authorization_header();

 private:
  GcsCredentials() = default;
  void refresh_locked();

  std::mutex mutex_;
  std::string token_;             // secret
  int64_t expires_at_ = 0;        // seconds since the epoch; 0 = never
  std::unique_ptr<ServiceAccountKey> key_;
  RetryPolicy retry_;
  int stall_timeout_seconds_ = 60;
};

}  // namespace sluice
