#include "transforms/encryption/age_header.h"

#include <openssl/crypto.h>

#include "sluice/error.h"
#include "transforms/encryption/base64_unpadded.h"
#include "transforms/encryption/hkdf_sha256.h"

namespace sluice {

namespace {

constexpr std::string_view kVersionLine = "age-encryption.org/v1";
constexpr size_t kMaxLineBytes = 4096;   // bounds a hostile header's memory use
constexpr size_t kMaxStanzas = 1024;
constexpr size_t kBodyColumns = 64;

// Reads one LF-terminated line without the LF, including it in `raw`.
std::string ReadLine(std::istream& in, std::string& raw, const std::string& file_label) {
  std::string line;
  char c = 0;
  while (in.get(c)) {
    if (c == '\n') {
      raw += line;
      raw += '\n';
      return line;
    }
    line.push_back(c);
    if (line.size() > kMaxLineBytes) {
      throw InvalidInput(file_label + " has an age header line longer than " +
                         std::to_string(kMaxLineBytes) + " bytes; the file is corrupt");
    }
  }
  throw InvalidInput(file_label + " is truncated inside its age header");
}

std::vector<std::string> SplitArguments(const std::string& text, const std::string& file_label) {
  std::vector<std::string> args;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string arg = text.substr(start, end - start);
    bool printable = !arg.empty();
    for (char c : arg) {
      printable &= c > 32 && c < 127;
    }
    if (!printable) {
      throw InvalidInput(file_label + " has an invalid age stanza argument; the header is corrupt");
    }
    args.push_back(arg);
    start = end + 1;
  }
  return args;
}

std::vector<uint8_t> DecodeBase64OrThrow(std::string_view text, const std::string& file_label) {
  auto decoded = DecodeBase64Unpadded(text);
  if (!decoded) {
    throw InvalidInput(file_label + " has invalid base64 in its age header; the header is corrupt");
  }
  return *decoded;
}

AgeStanza ReadStanzaBody(std::istream& in, std::string& raw, std::vector<std::string> args,
                         const std::string& file_label) {
  std::string text;
  for (;;) {
    std::string line = ReadLine(in, raw, file_label);
    if (line.size() > kBodyColumns) {
      throw InvalidInput(file_label + " has an age stanza body line longer than 64 columns");
    }
    text += line;
    if (text.size() > kMaxLineBytes) {
      throw InvalidInput(file_label + " has an age stanza body over " +
                         std::to_string(kMaxLineBytes) + " bytes; the file is corrupt");
    }
    if (line.size() < kBodyColumns) {
      return AgeStanza{std::move(args), DecodeBase64OrThrow(text, file_label)};
    }
  }
}

}  // namespace

std::string EncodeAgeHeaderWithoutMac(const std::vector<AgeStanza>& stanzas) {
  std::string out(kVersionLine);
  out += '\n';
  for (const AgeStanza& stanza : stanzas) {
    out += "->";
    for (const std::string& arg : stanza.args) {
      out += ' ';
      out += arg;
    }
    out += '\n';

    // A body that is a multiple of 64 columns ends with an empty line.
    std::string body = EncodeBase64Unpadded(stanza.body);
    for (size_t offset = 0;; offset += kBodyColumns) {
      std::string line = body.substr(offset, kBodyColumns);
      out += line;
      out += '\n';
      if (line.size() < kBodyColumns) {
        break;
      }
    }
  }
  out += "---";
  return out;
}

std::array<uint8_t, 32> ComputeAgeHeaderMac(const AgeFileKey& file_key,
                                            const std::string& mac_input) {
  std::array<uint8_t, 32> mac_key{};
  HkdfSha256(file_key, {}, "header", mac_key);
  Sha256Digest mac = HmacSha256(mac_key, mac_input);
  OPENSSL_cleanse(mac_key.data(), mac_key.size());
  return mac;
}

AgeHeader ReadAgeHeader(std::istream& in, const std::string& file_label) {
  AgeHeader header;
  std::string& raw = header.mac_input;
  std::string version = ReadLine(in, raw, file_label);
  if (version != kVersionLine) {
    throw InvalidInput(file_label + " is an age file of version \"" + version.substr(19) +
                       "\", but only v1 is supported");
  }

  for (;;) {
    std::string line = ReadLine(in, raw, file_label);
    if (line.rfind("-> ", 0) == 0) {
      if (header.stanzas.size() == kMaxStanzas) {
        throw InvalidInput(file_label + " has more than " + std::to_string(kMaxStanzas) +
                           " age recipient stanzas; the file is corrupt");
      }
      header.stanzas.push_back(
          ReadStanzaBody(in, raw, SplitArguments(line.substr(3), file_label), file_label));
      continue;
    }
    if (line.rfind("--- ", 0) == 0 && !header.stanzas.empty()) {
      std::vector<uint8_t> mac = DecodeBase64OrThrow(line.substr(4), file_label);
      if (mac.size() != header.mac.size()) {
        throw InvalidInput(file_label + " has an age header MAC of the wrong length");
      }
      std::copy(mac.begin(), mac.end(), header.mac.begin());
      raw.resize(raw.size() - line.size() - 1 + 3);  // keep "---", drop " MAC\n"
      return header;
    }
    throw InvalidInput(file_label + " has a malformed age header line; the file is corrupt");
  }
}

}  // namespace sluice
