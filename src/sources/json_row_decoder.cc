#include "sources/json_row_decoder.h"

#include <charconv>

#include "core/decimal.h"
#include "core/temporal.h"

namespace sluice {

namespace {

constexpr size_t kMaxProblemValueBytes = 60;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Decodes standard base64 with optional '=' padding. Returns false for any
// other character or a length that cannot come from an encoder.
bool AppendBase64Decoded(std::string& out, std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    int value = Base64Value(c);
    if (value < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  return true;
}

}  // namespace

JsonRowDecoder::JsonRowDecoder(const Schema& schema, bool ignore_unknown_keys)
    : schema_(schema),
      ignore_unknown_keys_(ignore_unknown_keys),
      cells_(schema.size()),
      staged_(schema.size()),
      scratch_(schema.size()) {
  for (size_t i = 0; i < schema_.size(); ++i) index_.try_emplace(schema_[i].name, i);
}

// Objects of one file usually list their keys in the same order, so the key
// is first compared with the column after the previous match, and the hash
// lookup runs only when that guess fails.
bool JsonRowDecoder::find_column(const JsonMember& member, size_t& column) {
  std::string_view key = member.key;
  if (member.key_escaped) {
    key_scratch_.clear();
    AppendDecodedString(key_scratch_, member.key);
    key = key_scratch_;
  }
  if (next_expected_ < schema_.size() && schema_[next_expected_].name == key) {
    column = next_expected_++;
    return true;
  }
  auto it = index_.find(std::string(key));
  if (it == index_.end()) return false;
  column = it->second;
  next_expected_ = column + 1;
  return true;
}

bool JsonRowDecoder::append_row(const std::vector<JsonMember>& members, Batch& batch,
                                JsonRowProblem& problem) {
  std::fill(cells_.begin(), cells_.end(), nullptr);
  next_expected_ = 0;
  for (const JsonMember& member : members) {
    size_t column;
    if (find_column(member, column)) {
      cells_[column] = &member;
    } else if (!ignore_unknown_keys_) {
      problem.kind = JsonRowProblem::Kind::kUnknownKey;
      problem.column.clear();
      AppendDecodedString(problem.column, member.key);
      problem.value.clear();
      return false;
    }
  }

  for (size_t column = 0; column < schema_.size(); ++column) {
    const JsonMember* member = cells_[column];
    if (member == nullptr || member->kind == JsonKind::kNull) {
      staged_[column].is_null = true;
      continue;
    }
    if (!convert(column, *member)) {
      problem.kind = JsonRowProblem::Kind::kBadValue;
      problem.column = schema_[column].name;
      problem.value.assign(member->text.substr(0, kMaxProblemValueBytes));
      if (member->kind == JsonKind::kString) problem.value = '"' + problem.value + '"';
      return false;
    }
  }

  for (size_t column = 0; column < schema_.size(); ++column) append(column, batch.column(column));
  return true;
}

bool JsonRowDecoder::convert(size_t column, const JsonMember& member) {
  Staged& staged = staged_[column];
  staged.is_null = false;
  const DataType& type = schema_[column].type;
  std::string_view text = member.text;
  const char* end = text.data() + text.size();

  // Temporal and binary columns read the decoded string.
  if (member.kind == JsonKind::kString && member.escaped && type.id != TypeId::kString) {
    unescaped_.clear();
    AppendDecodedString(unescaped_, text);
    text = unescaped_;
  }

  switch (type.id) {
    case TypeId::kBoolean:
      if (member.kind != JsonKind::kTrue && member.kind != JsonKind::kFalse) return false;
      staged.boolean = member.kind == JsonKind::kTrue;
      return true;

    case TypeId::kInt64:
      if (member.kind != JsonKind::kNumber || !member.integral) return false;
      return std::from_chars(text.data(), end, staged.integer).ec == std::errc();

    case TypeId::kFloat64:
      if (member.kind != JsonKind::kNumber) return false;
      return std::from_chars(text.data(), end, staged.real).ec == std::errc();

    case TypeId::kDecimal: {
      if (member.kind != JsonKind::kNumber || member.exponent) return false;
      std::optional<ParsedDecimal> parsed = ParseDecimalText(text);
      if (!parsed) return false;
      std::optional<Int128> value = RescaleDecimal(*parsed, type.precision, type.scale);
      if (!value) return false;
      staged.decimal = *value;
      return true;
    }

    case TypeId::kString:
      if (member.kind == JsonKind::kString && member.escaped) {
        scratch_[column].clear();
        AppendDecodedString(scratch_[column], text);
        staged.bytes = scratch_[column];
      } else if (member.kind == JsonKind::kObject || member.kind == JsonKind::kArray) {
        scratch_[column].clear();
        AppendCompactJson(scratch_[column], text);
        staged.bytes = scratch_[column];
      } else {
        staged.bytes = text;  // string contents, number or literal as written
      }
      return true;

    case TypeId::kBinary: {
      if (member.kind != JsonKind::kString) return false;
      scratch_[column].clear();
      if (!AppendBase64Decoded(scratch_[column], text)) return false;
      staged.bytes = scratch_[column];
      return true;
    }

    case TypeId::kDate: {
      if (member.kind != JsonKind::kString) return false;
      std::optional<int64_t> days = ParseDate(text);
      if (!days) return false;
      staged.integer = *days;
      return true;
    }

    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      if (member.kind != JsonKind::kString) return false;
      std::optional<ParsedTimestamp> timestamp = ParseTimestamp(text);
      if (!timestamp) return false;
      if (type.id == TypeId::kTimestamp) {
        if (timestamp->has_zone) return false;
        staged.integer = timestamp->micros;
      } else {
        staged.integer = timestamp->micros_utc;
      }
      return true;
    }
  }
  return false;
}

void JsonRowDecoder::append(size_t column, Column& out) const {
  const Staged& staged = staged_[column];
  if (staged.is_null) {
    out.append_null();
    return;
  }
  switch (schema_[column].type.id) {
    case TypeId::kBoolean: out.append_bool(staged.boolean); break;
    case TypeId::kFloat64: out.append_double(staged.real); break;
    case TypeId::kDecimal: out.append_decimal(staged.decimal); break;
    case TypeId::kString:
    case TypeId::kBinary: out.append_bytes(staged.bytes); break;
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: out.append_int64(staged.integer); break;
  }
}

}  // namespace sluice
