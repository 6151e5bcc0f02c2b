#include "sources/parquet/value_decoding.h"

#include <cstring>

#include "core/error.h"
#include "formats/parquet/rle_bit_packed.h"

namespace sluice::parquet {

namespace {

// Days between the Julian day number epoch and 1970-01-01 (INT96 timestamps).
constexpr int64_t kJulianDayOfEpoch = 2440588;
constexpr int64_t kNanosPerDay = 86400LL * 1000000000LL;

[[noreturn]] void Corrupt(const ColumnSpec& spec, const std::string& what) {
  throw InvalidInput("corrupt Parquet page in column '" + spec.field.name + "': " + what);
}

template <class T>
T Load(const char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

// Appends an INT32 or INT64 physical value, converted for the column.
void AppendInteger(const ColumnSpec& spec, int64_t raw, DecodedValues& out) {
  if (spec.unsigned_int && spec.physical == PhysicalType::kInt32) raw = static_cast<uint32_t>(raw);
  if (spec.kind == ValueKind::kDecimal) {
    bool wide_unsigned = spec.unsigned_int && spec.physical == PhysicalType::kInt64;
    out.decimals.push_back(wide_unsigned ? static_cast<Int128>(static_cast<uint64_t>(raw)) : Int128{raw});
    return;
  }
  int64_t value = raw;
  if (spec.multiplier != 1) value = static_cast<int64_t>(static_cast<uint64_t>(raw) * spec.multiplier);
  if (spec.divisor != 1) value = FloorDivide(raw, spec.divisor);
  out.ints.push_back(value);
}

// Appends a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value: bytes, or a signed
// big-endian decimal.
void AppendByteArray(const ColumnSpec& spec, std::string_view value, DecodedValues& out) {
  if (spec.kind == ValueKind::kBytes) {
    out.bytes.append(value);
    out.offsets.push_back(out.bytes.size());
    return;
  }
  if (value.size() > 16) Corrupt(spec, "a decimal value is longer than 16 bytes");
  unsigned __int128 bits = 0;
  for (char byte : value) bits = (bits << 8) | static_cast<uint8_t>(byte);
  if (!value.empty() && static_cast<uint8_t>(value[0]) & 0x80) {
    // Sign-extend from the value's width to 128 bits.
    if (value.size() < 16) bits |= ~static_cast<unsigned __int128>(0) << (8 * value.size());
  }
  out.decimals.push_back(static_cast<Int128>(bits));
}

void AppendInt96(const char* bytes, DecodedValues& out) {
  auto nanos_of_day = Load<int64_t>(bytes);
  auto julian_day = Load<int32_t>(bytes + 8);
  int64_t micros = (julian_day - kJulianDayOfEpoch) * (kNanosPerDay / 1000) + FloorDivide(nanos_of_day, 1000);
  out.ints.push_back(micros);
}

size_t FixedWidth(const ColumnSpec& spec) {
  switch (spec.physical) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kInt96: return 12;
    case PhysicalType::kFixedLenByteArray: return static_cast<size_t>(spec.type_length);
    default: return 0;
  }
}

void AppendFixed(const ColumnSpec& spec, const char* bytes, DecodedValues& out) {
  switch (spec.physical) {
    case PhysicalType::kInt32: AppendInteger(spec, Load<int32_t>(bytes), out); break;
    case PhysicalType::kInt64: AppendInteger(spec, Load<int64_t>(bytes), out); break;
    case PhysicalType::kInt96: AppendInt96(bytes, out); break;
    case PhysicalType::kFloat: out.doubles.push_back(Load<float>(bytes)); break;
    case PhysicalType::kDouble: out.doubles.push_back(Load<double>(bytes)); break;
    default: AppendByteArray(spec, std::string_view(bytes, spec.type_length), out); break;
  }
}

void DecodePlain(const ColumnSpec& spec, std::string_view data, size_t count, DecodedValues& out) {
  if (spec.physical == PhysicalType::kBoolean) {
    if (count > data.size() * 8) Corrupt(spec, "PLAIN booleans end early");
    for (size_t i = 0; i < count; ++i) out.ints.push_back((static_cast<uint8_t>(data[i / 8]) >> (i % 8)) & 1);
    return;
  }
  if (spec.physical == PhysicalType::kByteArray) {
    size_t pos = 0;
    for (size_t i = 0; i < count; ++i) {
      if (data.size() - pos < 4) Corrupt(spec, "PLAIN byte array length past the end of the page");
      uint32_t length = Load<uint32_t>(data.data() + pos);
      pos += 4;
      if (length > data.size() - pos) Corrupt(spec, "PLAIN byte array past the end of the page");
      AppendByteArray(spec, data.substr(pos, length), out);
      pos += length;
    }
    return;
  }
  size_t width = FixedWidth(spec);
  if (width == 0 || count > data.size() / width) Corrupt(spec, "PLAIN values end early");
  for (size_t i = 0; i < count; ++i) AppendFixed(spec, data.data() + i * width, out);
}

void DecodeByteStreamSplit(const ColumnSpec& spec, std::string_view data, size_t count, DecodedValues& out) {
  size_t width = FixedWidth(spec);
  if (width == 0 || spec.physical == PhysicalType::kInt96) Corrupt(spec, "BYTE_STREAM_SPLIT on a variable-width type");
  if (data.size() % width != 0 || count > data.size() / width) Corrupt(spec, "BYTE_STREAM_SPLIT values end early");
  size_t stride = data.size() / width;  // streams hold every value of the page, nulls excluded
  std::string value(width, '\0');
  for (size_t i = 0; i < count; ++i) {
    for (size_t b = 0; b < width; ++b) value[b] = data[b * stride + i];
    AppendFixed(spec, value.data(), out);
  }
}

// DELTA_LENGTH_BYTE_ARRAY: the lengths DELTA_BINARY_PACKED, then the bytes back to back.
size_t DecodeDeltaLength(const ColumnSpec& spec, std::string_view data, size_t count, std::vector<std::string_view>& values) {
  std::vector<int64_t> lengths;
  size_t pos = DecodeDeltaBinaryPacked(data, count, lengths);
  for (int64_t length : lengths) {
    if (length < 0 || static_cast<uint64_t>(length) > data.size() - pos) Corrupt(spec, "DELTA_LENGTH_BYTE_ARRAY value past the end");
    values.push_back(data.substr(pos, length));
    pos += length;
  }
  return pos;
}

void DecodeDeltaByteArray(const ColumnSpec& spec, std::string_view data, size_t count, DecodedValues& out) {
  std::vector<int64_t> prefixes;
  size_t pos = DecodeDeltaBinaryPacked(data, count, prefixes);
  std::vector<std::string_view> suffixes;
  DecodeDeltaLength(spec, data.substr(pos), count, suffixes);
  std::string previous, current;
  for (size_t i = 0; i < count; ++i) {
    if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > previous.size()) {
      Corrupt(spec, "DELTA_BYTE_ARRAY prefix longer than the previous value");
    }
    current.assign(previous, 0, prefixes[i]);
    current.append(suffixes[i]);
    AppendByteArray(spec, current, out);
    previous.swap(current);
  }
}

}  // namespace

size_t DecodedValues::size(ValueKind kind) const {
  switch (kind) {
    case ValueKind::kBool:
    case ValueKind::kInt: return ints.size();
    case ValueKind::kDouble: return doubles.size();
    case ValueKind::kDecimal: return decimals.size();
    case ValueKind::kBytes: return offsets.size() - 1;
  }
  return 0;
}

void DecodedValues::clear() {
  ints.clear();
  doubles.clear();
  decimals.clear();
  offsets.assign(1, 0);
  bytes.clear();
}

void DecodeValues(const ColumnSpec& spec, Encoding encoding, std::string_view data, size_t count, DecodedValues& out) {
  bool integer = spec.physical == PhysicalType::kInt32 || spec.physical == PhysicalType::kInt64;
  bool byte_array = spec.physical == PhysicalType::kByteArray;
  switch (encoding) {
    case Encoding::kPlain:
      return DecodePlain(spec, data, count, out);
    case Encoding::kByteStreamSplit:
      return DecodeByteStreamSplit(spec, data, count, out);
    case Encoding::kRle:
      if (spec.physical != PhysicalType::kBoolean) break;
      {
        // Booleans in RLE carry a 4-byte length prefix, like v1 levels.
        if (data.size() < 4) Corrupt(spec, "RLE booleans without a length");
        uint32_t length = Load<uint32_t>(data.data());
        if (length > data.size() - 4) Corrupt(spec, "RLE boolean length past the end of the page");
        std::vector<uint8_t> bits(count);
        RleBitPackedDecoder(data.substr(4, length), 1).decode(bits.data(), count);
        for (uint8_t bit : bits) out.ints.push_back(bit);
        return;
      }
    case Encoding::kDeltaBinaryPacked: {
      if (!integer) break;
      std::vector<int64_t> values;
      DecodeDeltaBinaryPacked(data, count, values);
      for (int64_t value : values) AppendInteger(spec, spec.physical == PhysicalType::kInt32 ? static_cast<int32_t>(value) : value, out);
      return;
    }
    case Encoding::kDeltaLengthByteArray: {
      if (!byte_array) break;
      std::vector<std::string_view> values;
      DecodeDeltaLength(spec, data, count, values);
      for (std::string_view value : values) AppendByteArray(spec, value, out);
      return;
    }
    case Encoding::kDeltaByteArray:
      if (!byte_array && spec.physical != PhysicalType::kFixedLenByteArray) break;
      return DecodeDeltaByteArray(spec, data, count, out);
    default:
      break;
  }
  throw InvalidInput("Parquet column '" + spec.field.name + "' uses encoding " +
                     std::to_string(static_cast<int>(encoding)) +
                     ", which Sluice cannot read for its type: rewrite the file with PLAIN or dictionary encoding");
}

}  // namespace sluice::parquet
