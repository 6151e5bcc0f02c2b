#include "sources/parquet_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <random>

#include "core/error.h"
#include "parquet_test_util.h"
#include "sources/parquet/value_decoding.h"

namespace sluice {
namespace {

using parquet_test::ReadAll;
using parquet_test::TempFile;
using parquet_test::WriteParquet;

// A small file with nulls, dictionary and PLAIN pages, and two row groups.
std::string SampleFile() {
  Schema schema = {{"id", DataType{TypeId::kInt64}, false},
                   {"name", DataType{TypeId::kString}, true},
                   {"amount", DataType::Decimal(30, 4), true},
                   {"flag", DataType{TypeId::kBoolean}, true},
                   {"value", DataType{TypeId::kFloat64}, true}};
  Batch batch(schema);
  for (int i = 0; i < 300; ++i) {
    batch.column(0).append_int64(i);
    if (i % 5 == 0) batch.column(1).append_null();
    else batch.column(1).append_bytes("name " + std::to_string(i % 17));
    batch.column(2).append_decimal(Int128{i} * 1000003 - 50);
    batch.column(3).append_bool(i % 3 == 0);
    batch.column(4).append_double(i / 7.0);
  }
  ParquetWriteOptions options;
  options.row_group_rows = 200;
  options.page_bytes = 512;
  return WriteParquet(schema, {batch}, options);
}

void ExpectInvalid(const std::string& bytes, const std::string& fragment) {
  TempFile file(bytes);
  try {
    ReadAll(file.path());
    FAIL() << "no error for " << fragment;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

TEST(ParquetSource, ReadsRowsAndExactTotal) {
  TempFile file(SampleFile());
  ExportOptions options;
  ParquetSource source(file.path(), options);
  EXPECT_EQ(*source.progress().total_rows, 300u);
  EXPECT_TRUE(source.progress().total_rows_exact);
  Batch all = ReadAll(file.path(), nullptr, 8 * 1024);
  ASSERT_EQ(all.num_rows(), 300u);
  EXPECT_EQ(all.column(0).int64_at(299), 299);
  EXPECT_TRUE(all.column(1).is_null(0));
  EXPECT_EQ(all.column(1).bytes_at(1), "name 1");
  EXPECT_TRUE(all.column(2).decimal_at(250) == Int128{250} * 1000003 - 50);
  EXPECT_TRUE(all.column(3).bool_at(3));
  EXPECT_DOUBLE_EQ(all.column(4).double_at(14), 2.0);
}

TEST(ParquetSource, CorruptFilesThrowInvalidInput) {
  std::string good = SampleFile();
  ExpectInvalid("", "too short");
  ExpectInvalid(good.substr(0, good.size() / 2), "PAR1");
  ExpectInvalid("XXXX" + good.substr(4), "PAR1");

  std::string long_footer = good;
  long_footer[long_footer.size() - 5] = '\x7f';  // top byte of the footer length
  ExpectInvalid(long_footer, "footer length");

  std::string bad_footer = good;
  uint32_t footer_length;
  std::memcpy(&footer_length, good.data() + good.size() - 8, 4);
  for (size_t i = good.size() - 8 - footer_length; i < good.size() - 8; ++i) bad_footer[i] = '\xff';
  ExpectInvalid(bad_footer, "corrupt");

  std::string bad_page = good;
  for (size_t i = 40; i < 80; ++i) bad_page[i] ^= 0x55;  // inside the first column chunk
  ExpectInvalid(bad_page, "corrupt");
}

TEST(ParquetSource, MissingFileThrowsIOError) {
  ExportOptions options;
  try {
    ParquetSource source("/nonexistent/file.parquet", options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
  }
}

// Bounded random mutation of a valid file: every outcome must be rows or a
// sluice::Error, never a crash (the sanitizer build catches memory errors).
TEST(ParquetSource, RandomMutationsNeverCrash) {
  std::string good = SampleFile();
  std::mt19937_64 random(20240601);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  int runs = 0;
  int errors = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string bytes = good;
    int mutations = 1 + static_cast<int>(random() % 8);
    for (int m = 0; m < mutations; ++m) {
      // Half the mutations hit the footer, where one byte changes the most.
      size_t span = random() % 2 ? bytes.size() : std::min<size_t>(bytes.size(), 400);
      size_t at = bytes.size() - 1 - random() % span;
      switch (random() % 4) {
        case 0: bytes[at] = static_cast<char>(random()); break;
        case 1: bytes[at] ^= static_cast<char>(1 << (random() % 8)); break;
        case 2: bytes.erase(at, 1 + random() % 4); break;
        default: bytes.insert(at, 1 + random() % 4, static_cast<char>(random())); break;
      }
      if (bytes.empty()) bytes = "P";
    }
    TempFile file(bytes);
    try {
      ReadAll(file.path(), nullptr, 8 * 1024);
    } catch (const Error&) {
      ++errors;
    }
    ++runs;
  }
  EXPECT_GT(runs, 50);
  EXPECT_GT(errors, 0);
}

// DELTA_BINARY_PACKED of the given values in blocks of 128 with 4 miniblocks
// of 32, every miniblock 8 bits wide. REQUIRES: values.size() <= 33 and
// consecutive deltas differ from the smallest by less than 256.
std::string EncodeDelta(const std::vector<int64_t>& values) {
  auto uleb = [](uint64_t value, std::string& out) {
    while (value >= 0x80) {
      out.push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out.push_back(static_cast<char>(value));
  };
  auto zigzag = [](int64_t value) { return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63); };
  std::string out;
  uleb(128, out);
  uleb(4, out);
  uleb(values.size(), out);
  uleb(zigzag(values.empty() ? 0 : values[0]), out);
  if (values.size() <= 1) return out;
  int64_t min_delta = INT64_MAX;
  for (size_t i = 1; i < values.size(); ++i) min_delta = std::min(min_delta, values[i] - values[i - 1]);
  uleb(zigzag(min_delta), out);
  out += std::string("\x08\x00\x00\x00", 4);
  for (size_t i = 1; i <= 32; ++i) {
    out.push_back(static_cast<char>(i < values.size() ? values[i] - values[i - 1] - min_delta : 0));
  }
  return out;
}

TEST(ParquetValueDecoding, DeltaBinaryPackedSpecExample) {
  // 1, 2, 3, 4, 5: min delta 1, every miniblock 0 bits wide, so no packed bytes.
  std::string bytes("\x80\x01\x04\x05\x02" "\x02\x00\x00\x00\x00", 10);
  std::vector<int64_t> values;
  EXPECT_EQ(parquet::DecodeDeltaBinaryPacked(bytes, 5, values), bytes.size());
  EXPECT_EQ(values, (std::vector<int64_t>{1, 2, 3, 4, 5}));

  std::vector<int64_t> mixed = {7, 5, 3, 1, 2, 3, 4, 5, -100, 49};
  std::string encoded = EncodeDelta(mixed);
  values.clear();
  parquet::DecodeDeltaBinaryPacked(encoded, mixed.size(), values);
  EXPECT_EQ(values, mixed);
  values.clear();
  EXPECT_THROW(parquet::DecodeDeltaBinaryPacked(encoded, mixed.size() + 1, values), Error);
  EXPECT_THROW(parquet::DecodeDeltaBinaryPacked(encoded.substr(0, 12), mixed.size(), values), Error);
}

TEST(ParquetValueDecoding, DeltaByteArraySpecExample) {
  // axis, axle, babble, babyhood: prefixes 0 2 0 3, suffixes axis le babble yhood.
  std::string bytes = EncodeDelta({0, 2, 0, 3}) + EncodeDelta({4, 2, 6, 5}) + "axislebabbleyhood";
  parquet::ColumnSpec spec;
  spec.field = {"word", DataType{TypeId::kString}, true};
  spec.physical = parquet::PhysicalType::kByteArray;
  spec.kind = parquet::ValueKind::kBytes;
  parquet::DecodedValues values;
  parquet::DecodeValues(spec, parquet::Encoding::kDeltaByteArray, bytes, 4, values);
  ASSERT_EQ(values.size(spec.kind), 4u);
  EXPECT_EQ(values.bytes_at(0), "axis");
  EXPECT_EQ(values.bytes_at(1), "axle");
  EXPECT_EQ(values.bytes_at(2), "babble");
  EXPECT_EQ(values.bytes_at(3), "babyhood");

  parquet::DecodedValues lengths_only;
  parquet::DecodeValues(spec, parquet::Encoding::kDeltaLengthByteArray,
                        EncodeDelta({4, 2, 6, 5}) + "axislebabbleyhood", 4, lengths_only);
  EXPECT_EQ(lengths_only.bytes_at(3), "yhood");
}

TEST(ParquetValueDecoding, Int96AndUnitConversions) {
  parquet::ColumnSpec spec;
  spec.field = {"t", DataType{TypeId::kTimestamp}, true};
  spec.physical = parquet::PhysicalType::kInt96;
  spec.kind = parquet::ValueKind::kInt;
  // Julian day 2440589 (1970-01-02) and 1.5 s of nanoseconds.
  std::string bytes(12, '\0');
  int64_t nanos = 1500000000;
  int32_t day = 2440589;
  std::memcpy(bytes.data(), &nanos, 8);
  std::memcpy(bytes.data() + 8, &day, 4);
  parquet::DecodedValues values;
  parquet::DecodeValues(spec, parquet::Encoding::kPlain, bytes, 1, values);
  EXPECT_EQ(values.ints[0], 86400LL * 1000000 + 1500000);

  spec.physical = parquet::PhysicalType::kInt64;
  spec.divisor = 1000;  // nanoseconds to microseconds, rounding down
  int64_t before_epoch = -1;
  std::string raw(8, '\0');
  std::memcpy(raw.data(), &before_epoch, 8);
  values.clear();
  parquet::DecodeValues(spec, parquet::Encoding::kPlain, raw, 1, values);
  EXPECT_EQ(values.ints[0], -1);
}

}  // namespace
}  // namespace sluice
