#include "sources/generator_source.h"

#include <array>
#include <string_view>

#include "core/counter_state.h"
#include "core/error.h"
#include "core/temporal.h"

namespace sluice {

namespace {

// splitmix64: a fast 64-bit generator whose outputs pass BigCrush; each row
// seeds its own stream, so rows do not depend on the rows before them.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) : state_(state) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // A value in [low, high], slightly biased for spans far from 2^64 (fine
  // for synthetic data).
  int64_t between(int64_t low, int64_t high) {
    uint64_t span = static_cast<uint64_t>(high - low) + 1;
    return low + static_cast<int64_t>(next() % span);
  }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 12> kWords = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
    "golf", "hotel", "india", "juliett", "kilo", "lima"};

// Names that exercise quoting and encoding in every writer.
constexpr std::array<std::string_view, 10> kAwkwardNames = {
    "Say \"hello\"",  "Smith, John",        "two\nlines",   "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e",
    "\xE6\x9D\xB1\xE4\xBA\xAC", "rocket \xF0\x9F\x9A\x80", "",   " padded ",
    "tab\there",      "=1+2"};

constexpr int kColumns = 10;

// Days of 1900-01-01 and 2099-12-31.
constexpr int64_t kFirstDay = -25567;
constexpr int64_t kLastDay = 47481;

const Int128 kTenPow37 = [] {
  Int128 value = 1;
  for (int i = 0; i < 37; ++i) value *= 10;
  return value;
}();

// Writes "word-<n>" into `buffer` and returns its length.
size_t FormatWordName(char* buffer, std::string_view word, uint64_t number) {
  size_t length = word.copy(buffer, word.size());
  buffer[length++] = '-';
  char digits[20];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + number % 10);
    number /= 10;
  } while (number != 0);
  while (count > 0) buffer[length++] = digits[--count];
  return length;
}

}  // namespace

GeneratorSource::GeneratorSource(uint64_t rows, uint64_t seed, const ExportOptions& options)
    : rows_(rows), seed_(seed), chunk_bytes_(options.chunk_bytes) {
  schema_ = {
      {"id", {TypeId::kInt64}, false},
      {"flag", {TypeId::kBoolean}, true},
      {"amount", {TypeId::kFloat64}, true},
      {"price", DataType::Decimal(18, 2), true},
      {"big", DataType::Decimal(38, 10), true},
      {"name", {TypeId::kString}, true},
      {"payload", {TypeId::kBinary}, true},
      {"day", {TypeId::kDate}, true},
      {"local_time", {TypeId::kTimestamp}, true},
      {"instant", {TypeId::kTimestampTz}, true},
  };
}

bool GeneratorSource::next_batch(Batch& batch) {
  batch.clear();
  // Checking the size every 64 rows keeps the check off the per-row path;
  // a batch overshoots the chunk size by at most 63 rows.
  while (next_row_ < rows_) {
    append_row(batch, next_row_++);
    if (next_row_ % 64 == 0 && batch.byte_size() >= chunk_bytes_) break;
  }
  return batch.num_rows() > 0;
}

void GeneratorSource::append_row(Batch& batch, uint64_t row) const {
  SplitMix64 random(seed_ ^ (row * 0xD1B54A32D192ED03ULL));
  uint64_t null_bits = random.next();
  auto is_null = [&](int column) { return ((null_bits >> (4 * column)) & 0xF) == 0; };

  batch.column(0).append_int64(static_cast<int64_t>(row) + 1);

  for (int c = 1; c < kColumns; ++c) {
    Column& column = batch.column(static_cast<size_t>(c));
    uint64_t draw = random.next();
    if (is_null(c)) {
      column.append_null();
      continue;
    }
    switch (c) {
      case 1:
        column.append_bool((draw & 1) != 0);
        break;
      case 2:
        // Cents between -1e6 and 1e6 so most values have a fraction.
        column.append_double(static_cast<double>(random.between(-100000000, 100000000)) / 100.0);
        break;
      case 3:
        column.append_decimal(random.between(-999999999999LL, 999999999999LL));
        break;
      case 4: {
        // Up to 37 digits from two draws, both signs.
        Int128 magnitude = ((static_cast<Int128>(draw) << 64) | random.next()) % kTenPow37;
        column.append_decimal((draw & 1) ? -magnitude : magnitude);
        break;
      }
      case 5: {
        char buffer[40];
        if (draw % 8 == 0) {
          column.append_bytes(kAwkwardNames[(draw >> 8) % kAwkwardNames.size()]);
        } else {
          size_t length = FormatWordName(buffer, kWords[(draw >> 8) % kWords.size()], draw >> 32);
          column.append_bytes(std::string_view(buffer, length));
        }
        break;
      }
      case 6: {
        // Byte order fixed by shifting, so the bytes match on every platform.
        char bytes[16];
        uint64_t words[2] = {random.next(), random.next()};
        for (int i = 0; i < 16; ++i) bytes[i] = static_cast<char>(words[i / 8] >> (8 * (i % 8)));
        column.append_bytes(std::string_view(bytes, draw % 17));
        break;
      }
      case 7:
        column.append_int64(random.between(kFirstDay, kLastDay));
        break;
      case 8:
      case 9:
        // Microsecond precision, 1900..2099, including pre-1970 fractions.
        column.append_int64(random.between(kFirstDay * kMicrosPerDay, (kLastDay + 1) * kMicrosPerDay - 1));
        break;
    }
  }
}

SourceProgress GeneratorSource::progress() const {
  SourceProgress progress;
  progress.rows_read = next_row_;
  progress.total_rows = rows_;
  progress.total_rows_exact = true;
  return progress;
}

std::string GeneratorSource::position() const { return "row=" + std::to_string(next_row_); }

void GeneratorSource::seek(const std::string& position) {
  uint64_t row = ParseStateCounter(position, "row", "generator position");
  if (row > rows_) {
    throw InvalidInput("invalid generator position " + position + ": the source has only " +
                       std::to_string(rows_) + " rows");
  }
  next_row_ = row;
}

}  // namespace sluice
