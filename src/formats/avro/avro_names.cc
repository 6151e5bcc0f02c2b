#include "formats/avro/avro_names.h"

#include <unordered_set>

namespace sluice {

namespace {

bool IsNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Length of the UTF-8 sequence that starts with `lead`; 1 for a stray byte,
// so invalid text still maps to one '_' per byte.
size_t Utf8SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

std::string ReplaceInvalidCharacters(std::string_view name) {
  std::string result;
  size_t i = 0;
  while (i < name.size()) {
    char c = name[i];
    if (IsNameChar(c)) {
      result += c;
      ++i;
      continue;
    }
    result += '_';
    size_t length = Utf8SequenceLength(static_cast<unsigned char>(c));
    size_t end = i + 1;
    while (end < name.size() && end < i + length &&
           (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) {
      ++end;
    }
    i = end;
  }
  if (result.empty()) result = "_";
  if (result[0] >= '0' && result[0] <= '9') result.insert(0, "_");
  return result;
}

}  // namespace

bool IsValidAvroName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

bool IsValidAvroNamespace(std::string_view name) {
  if (name.empty()) return true;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!IsValidAvroName(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::vector<std::string> SanitizeAvroNames(const std::vector<std::string>& names) {
  // Valid names are reserved first so a renamed column never takes the name
  // of a later column that needs no renaming.
  std::unordered_set<std::string> taken;
  std::vector<bool> keeps(names.size(), false);
  for (size_t i = 0; i < names.size(); ++i) {
    if (IsValidAvroName(names[i]) && taken.insert(names[i]).second) keeps[i] = true;
  }

  std::vector<std::string> result;
  result.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    if (keeps[i]) {
      result.push_back(names[i]);
      continue;
    }
    std::string base = ReplaceInvalidCharacters(names[i]);
    std::string candidate = base;
    for (int suffix = 2; taken.count(candidate) > 0; ++suffix) {
      candidate = base + "_" + std::to_string(suffix);
    }
    taken.insert(candidate);
    result.push_back(candidate);
  }
  return result;
}

}  // namespace sluice
