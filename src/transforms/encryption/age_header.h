// The textual header of an age v1 file (age-encryption.org/v1, c2sp.org/age):
//
//   age-encryption.org/v1
//   -> TYPE ARG...            one or more recipient stanzas, each with a
//   BASE64 BODY LINES         body wrapped at 64 columns, ending with a
//                             line shorter than 64 (possibly empty)
//   --- BASE64(HMAC-SHA-256(HKDF(file key, "", "header"), header up to "---"))
#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace sluice {

constexpr size_t kAgeFileKeyBytes = 16;
using AgeFileKey = std::array<uint8_t, kAgeFileKeyBytes>;

struct AgeStanza {
  std::vector<std::string> args;  // args[0] is the recipient type, e.g. "X25519" or "scrypt"
  std::vector<uint8_t> body;
};

struct AgeHeader {
  std::vector<AgeStanza> stanzas;
  std::array<uint8_t, 32> mac{};
  std::string mac_input;  // the header text up to and including "---"
};

// Returns the header text up to and including "---" (no trailing space).
std::string EncodeAgeHeaderWithoutMac(const std::vector<AgeStanza>& stanzas);

// Returns the MAC line's 32 bytes for `mac_input`, keyed by the file key.
std::array<uint8_t, 32> ComputeAgeHeaderMac(const AgeFileKey& file_key,
                                            const std::string& mac_input);

// Reads a header from `in`, leaving `in` at the first payload byte. Throws
// InvalidInput naming `file_label` for a malformed header, including
// non-canonical base64 and lines or stanza counts beyond sane bounds.
// REQUIRES: the caller checked that the file starts with "age-encryption.org/".
AgeHeader ReadAgeHeader(std::istream& in, const std::string& file_label);

}  // namespace sluice
