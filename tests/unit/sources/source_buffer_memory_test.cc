// The CSV and JSON readers reserve their buffers from the memory budget once
// a record or object needs more than kUnreservedBufferBytes.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "core/error.h"
#include "sources/csv_source.h"
#include "sources/csv_tokenizer.h"
#include "sources/json_object_reader.h"
#include "sources/json_source.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;

ReadFunction StringReader(std::string input) {
  auto offset = std::make_shared<size_t>(0);
  auto text = std::make_shared<std::string>(std::move(input));
  return [=](char* dest, size_t capacity) {
    size_t count = std::min(capacity, text->size() - *offset);
    text->copy(dest, count, *offset);
    *offset += count;
    return count;
  };
}

class SourceBufferMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sluice_source_memory_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Write(const std::string& content, const std::string& name) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string dir_;
  ExportOptions options_;
};

TEST(CsvTokenizerMemory, LongRecordIsReservedAndReleased) {
  MemoryGovernor governor(64 * kMiB, milliseconds(10));
  // More short records after the long one than its 8 MiB buffer has room
  // for, so the buffer is refilled and shrinks back.
  std::string input = "a,b\n1," + std::string(6 * kMiB, 'x') + "\n";
  for (int i = 0; i < 800000; ++i) input += "2,y\n";
  CsvTokenizer tokenizer(StringReader(input), CsvDialect{});
  tokenizer.set_memory_governor(&governor);

  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(governor.reserved(), 0u);
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.field(1).size(), 6 * kMiB);
  // The buffer doubled from 512 KiB to 8 MiB; the last copy held the 4 MiB
  // and 8 MiB blocks at once.
  EXPECT_EQ(governor.reserved(), 8 * kMiB);
  EXPECT_EQ(governor.peak_reserved(), 12 * kMiB);

  uint64_t records = 2;
  while (tokenizer.next_record()) ++records;
  EXPECT_EQ(records, 800002u);
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST(CsvTokenizerMemory, RecordPastLimitTrips) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  std::string input = "a\n" + std::string(5 * kMiB, 'x') + "\n";
  CsvTokenizer tokenizer(StringReader(input), CsvDialect{});
  tokenizer.set_memory_governor(&governor);

  ASSERT_TRUE(tokenizer.next_record());
  try {
    tokenizer.next_record();
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_STREQ(error.what(), "memory limit exceeded: CSV read buffer needs 6MB but --memory-limit is 4MB; "
                               "raise --memory-limit");
  }
  EXPECT_LE(governor.peak_reserved(), 4 * kMiB);
}

TEST(CsvTokenizerMemory, EscapedFieldIsReserved) {
  MemoryGovernor governor(64 * kMiB, milliseconds(10));
  std::string value(3 * kMiB, 'q');
  value[10] = '"';
  std::string quoted = "\"" + value.substr(0, 10) + "\"\"" + value.substr(11) + "\"";
  CsvTokenizer tokenizer(StringReader("a\n" + quoted + "\nshort\n"), CsvDialect{});
  tokenizer.set_memory_governor(&governor);

  ASSERT_TRUE(tokenizer.next_record());
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.field(0), value);
  // The read buffer (4 MiB) and the unescaped copy (at least 3 MiB).
  EXPECT_GE(governor.reserved(), 7 * kMiB);

  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.field(0), "short");
  EXPECT_EQ(governor.reserved(), 4 * kMiB);  // the copy was given back; the read buffer shrinks on refill
}

TEST_F(SourceBufferMemoryTest, CsvSourceTripsOnLongField) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  std::string path = Write("id,text\n1,a\n2," + std::string(5 * kMiB, 'x') + "\n", "long.csv");
  try {
    CsvSource source(path, options_, kCsvBlockBytes, &governor);
    FAIL() << "expected the circuit breaker while the sample is read";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("CSV read buffer needs"), std::string::npos) << error.what();
  }
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST_F(SourceBufferMemoryTest, CsvSourceReadsLongFieldWithinLimit) {
  MemoryGovernor governor(32 * kMiB, milliseconds(10));
  std::string path = Write("id,text\n1,a\n2," + std::string(5 * kMiB, 'x') + "\n3,b\n", "long.csv");
  {
    CsvSource source(path, options_, kCsvBlockBytes, &governor);
    Batch batch(source.schema());
    uint64_t rows = 0;
    while (source.next_batch(batch)) rows += batch.num_rows();
    EXPECT_EQ(rows, 3u);
    EXPECT_GE(governor.peak_reserved(), 8 * kMiB);
  }
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST_F(SourceBufferMemoryTest, CsvSampleCappedByBudget) {
  // An eighth of 16 MiB is 2 MiB of sample, so the read buffer stops at
  // 2 MiB, and its last copy holds the 1 MiB and 2 MiB blocks at once.
  // Without the cap the whole 6 MB file would be sampled into 8 MiB.
  MemoryGovernor governor(16 * kMiB, milliseconds(10));
  std::string text = "id,text\n";
  for (int i = 0; i < 400000; ++i) text += std::to_string(i) + ",some text\n";
  std::string path = Write(text, "rows.csv");
  options_.csv_read.sample_rows = 1000000;

  CsvSource source(path, options_, kCsvBlockBytes, &governor);
  Batch batch(source.schema());
  uint64_t rows = 0;
  while (source.next_batch(batch)) rows += batch.num_rows();
  EXPECT_EQ(rows, 400000u);
  EXPECT_EQ(source.schema()[0].type.id, TypeId::kInt64);
  EXPECT_LE(governor.peak_reserved(), 3 * kMiB);
}

TEST_F(SourceBufferMemoryTest, JsonReaderTripsOnLongObject) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  std::string path = Write("{\"a\":1}\n{\"a\":\"" + std::string(5 * kMiB, 'x') + "\"}\n", "long.ndjson");
  JsonObjectReader reader(path, false, false);
  reader.set_memory_governor(&governor);
  std::vector<JsonMember> members;
  ASSERT_TRUE(reader.next(members));
  try {
    reader.next(members);
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_STREQ(error.what(), "memory limit exceeded: JSON object buffer needs 6MB but --memory-limit is 4MB; "
                               "raise --memory-limit");
  }
}

TEST_F(SourceBufferMemoryTest, JsonReaderReleasesAfterLongObject) {
  MemoryGovernor governor(64 * kMiB, milliseconds(10));
  std::string lines = "{\"a\":\"" + std::string(5 * kMiB, 'x') + "\"}\n";
  for (int i = 0; i < 20000; ++i) lines += "{\"a\":\"short line " + std::to_string(i) + "\"}\n";
  std::string path = Write(lines, "long.ndjson");
  JsonObjectReader reader(path, false, false);
  reader.set_memory_governor(&governor);
  std::vector<JsonMember> members;

  ASSERT_TRUE(reader.next(members));
  // 1 MiB doubled to 8 MiB; the last copy held the 4 MiB and 8 MiB blocks.
  EXPECT_EQ(governor.reserved(), 8 * kMiB);
  EXPECT_EQ(governor.peak_reserved(), 12 * kMiB);

  int objects = 1;
  while (reader.next(members)) ++objects;
  EXPECT_EQ(objects, 20001);
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST_F(SourceBufferMemoryTest, JsonSourceReservesDuringInference) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  std::string path = Write("{\"a\":\"" + std::string(5 * kMiB, 'x') + "\"}\n", "long.ndjson");
  try {
    JsonSource source(path, false, options_, &governor);
    FAIL() << "expected the circuit breaker while the sample is read";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
  }
  EXPECT_EQ(governor.reserved(), 0u);
}

}  // namespace
}  // namespace sluice
