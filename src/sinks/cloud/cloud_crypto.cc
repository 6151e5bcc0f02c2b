#include "sinks/cloud/cloud_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>

#include "core/error.h"

namespace sluice {

namespace {

std::string Digest(const EVP_MD* type, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, type, nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "OpenSSL digest failed");
  }
  return std::string(reinterpret_cast<char*>(digest), length);
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xF]);
  }
  return hex;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Digest(EVP_sha256(), data)); }

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &length) == nullptr) {
    throw Error(ErrorKind::kInternal, "OpenSSL HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<char*>(mac), length);
}

std::string Md5Hex(std::string_view data) { return HexEncode(Digest(EVP_md5(), data)); }

std::string Md5Base64(std::string_view data) { return Base64Encode(Digest(EVP_md5(), data)); }

std::string Base64Encode(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                               reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<int>(bytes.size()));
  text.resize(static_cast<size_t>(length));
  return text;
}

std::string Base64Decode(std::string_view text, const std::string& what) {
  auto invalid = [&what] { return InvalidOption(what + " is not valid base64; copy it again from its source"); };
  if (text.size() % 4 != 0) throw invalid();
  std::string bytes(3 * text.size() / 4, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                               reinterpret_cast<const unsigned char*>(text.data()),
                               static_cast<int>(text.size()));
  if (length < 0) throw invalid();
  // EVP_DecodeBlock counts padding as zero bytes.
  size_t padding = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
  bytes.resize(static_cast<size_t>(length) - padding);
  return bytes;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string text = Base64Encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kDigits[c >> 4]);
      encoded.push_back(kDigits[c & 0xF]);
    }
  }
  return encoded;
}

}  // namespace sluice
