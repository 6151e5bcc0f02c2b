// Error messages for failed object-storage requests. Each names the
// provider, the operation, the object, the HTTP status and the provider's
// own error code and message, and never contains a key, token, signature
// or SAS.
#pragma once

#include <string>

#include "sinks/cloud/http_client.h"

namespace sluice {

struct ProviderError {
  std::string code;     // "NoSuchBucket", "AuthenticationFailed", "notFound", ...
  std::string message;  // first line of the provider's message
};

// Reads the code and message of an S3 or Azure XML error body
// (<Error><Code>..</Code><Message>..</Message>), of a GCS JSON error body
// ({"error": {"message": .., "errors": [{"reason": ..}]}}), or of Azure's
// x-ms-error-code header.
ProviderError ParseProviderError(const HttpResponse& response);

// "S3 UploadPart of s3://bucket/key failed: HTTP 403 AccessDenied: Access
// Denied; check the credentials and their permissions".
std::string DescribeHttpFailure(const std::string& provider, const std::string& operation,
                                const std::string& object, const HttpResponse& response);

// "S3 UploadPart of s3://bucket/key failed after 5 attempts: Connection refused; ...".
std::string DescribeTransportFailure(const std::string& provider, const std::string& operation,
                                     const std::string& object, const HttpTransportError& error,
                                     int attempts);

// Replaces what looks like a credential in text from a server or libcurl
// with "***": the values of sig=, Signature=, Credential=, access_token and
// similar names, bearer tokens, and runs of 32 or more base64 or hex
// characters such as the MAC signatures that Azure echoes back.
std::string RedactSecrets(const std::string& text);

}  // namespace sluice
