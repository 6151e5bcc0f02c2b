#include "transforms/encryption/bech32.h"

#include <cctype>

namespace sluice {

namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

uint32_t Polymod(const std::vector<uint8_t>& values) {
  constexpr uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t checksum = 1;
  for (uint8_t value : values) {
    uint32_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) {
        checksum ^= kGenerator[i];
      }
    }
  }
  return checksum;
}

std::vector<uint8_t> ExpandHrp(std::string_view hrp) {
  std::vector<uint8_t> out;
  for (char c : hrp) {
    out.push_back(static_cast<uint8_t>(c) >> 5);
  }
  out.push_back(0);
  for (char c : hrp) {
    out.push_back(static_cast<uint8_t>(c) & 31);
  }
  return out;
}

}  // namespace

std::optional<Bech32Data> DecodeBech32(std::string_view text) {
  bool has_lower = false;
  bool has_upper = false;
  std::string lower;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) {
      return std::nullopt;
    }
    has_lower |= std::islower(u) != 0;
    has_upper |= std::isupper(u) != 0;
    lower.push_back(static_cast<char>(std::tolower(u)));
  }
  size_t separator = lower.rfind('1');
  if ((has_lower && has_upper) || separator == std::string::npos || separator == 0 ||
      lower.size() - separator - 1 < 6) {
    return std::nullopt;
  }

  std::string hrp = lower.substr(0, separator);
  std::vector<uint8_t> values = ExpandHrp(hrp);
  std::vector<uint8_t> groups;
  for (char c : std::string_view(lower).substr(separator + 1)) {
    size_t value = kCharset.find(c);
    if (value == std::string_view::npos) {
      return std::nullopt;
    }
    groups.push_back(static_cast<uint8_t>(value));
  }
  values.insert(values.end(), groups.begin(), groups.end());
  if (Polymod(values) != 1) {
    return std::nullopt;
  }
  groups.resize(groups.size() - 6);

  Bech32Data result{hrp, {}};
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t group : groups) {
    buffer = (buffer << 5) | group;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      result.bytes.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  if (bits >= 5 || (buffer & ((1u << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return result;
}

std::string EncodeBech32(std::string_view hrp, std::span<const uint8_t> bytes) {
  std::vector<uint8_t> groups;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      groups.push_back((buffer >> bits) & 31);
    }
  }
  if (bits > 0) {
    groups.push_back((buffer << (5 - bits)) & 31);
  }

  std::vector<uint8_t> values = ExpandHrp(hrp);
  values.insert(values.end(), groups.begin(), groups.end());
  values.insert(values.end(), 6, 0);
  uint32_t checksum = Polymod(values) ^ 1;

  std::string out(hrp);
  out.push_back('1');
  for (uint8_t group : groups) {
    out.push_back(kCharset[group]);
  }
  for (int i = 0; i < 6; ++i) {
    out.push_back(kCharset[(checksum >> (5 * (5 - i))) & 31]);
  }
  return out;
}

}  // namespace sluice
