// Hashes, MACs and encodings that the object-storage protocols need, all
// through OpenSSL's EVP interfaces.
#pragma once

#include <string>
#include <string_view>

namespace sluice {

// Lower-case hex SHA-256 of `data`, as SigV4's payload hash and canonical
// request hash use it.
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(std::string_view key, std::string_view message);

std::string HexEncode(std::string_view bytes);

// Lower-case hex MD5 of `data`, the form of an S3 ETag.
std::string Md5Hex(std::string_view data);

// Base64 of the raw MD5 digest, the form of a Content-MD5 header.
std::string Md5Base64(std::string_view data);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(std::string_view bytes);

// Decodes standard base64; throws InvalidOption naming `what` when `text` is
// not valid base64.
std::string Base64Decode(std::string_view text, const std::string& what);

// URL-safe base64 without padding (RFC 4648 section 5), as JWTs use it.
std::string Base64UrlEncode(std::string_view bytes);

// Percent-encodes every byte outside RFC 3986's unreserved set
// (A-Z a-z 0-9 - . _ ~); '/' stays as it is when `keep_slash`.
std::string UriEncode(std::string_view text, bool keep_slash);

}  // namespace sluice
