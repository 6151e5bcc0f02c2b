// libxlsxwriter can only write a workbook to a file path, so the writer
// builds the workbook in a temporary file and streams its bytes into the
// ByteSink when the export finishes. Compression, encryption and the sink see
// the same bytes as for any other format. In constant-memory mode
// libxlsxwriter keeps one row in memory and spools each sheet's XML to its own
// temporary file, so memory stays flat but the export needs free disk space
// for the uncompressed sheet XML plus the finished file.
#include "formats/xlsx/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/error.h"
#include "core/temporal.h"
#include "formats/formula_guard.h"
#include "formats/value_text.h"
#include "formats/xlsx/xlsx_cell_values.h"
#include "formats/xlsx/xlsx_sheet_name.h"
#include "formats/xlsx/xlsx_size_estimate.h"
#include "formats/xlsx/xlsx_text.h"

namespace sluice {

namespace {

// The workbook's creation time in docProps/core.xml, fixed so the same
// export writes the same bytes: 1980-01-01T00:00:00Z, the earliest ZIP
// timestamp, which libxlsxwriter also gives every ZIP entry.
constexpr time_t kFixedCreationTime = 315532800;

constexpr size_t kStreamBufferBytes = 1 * kMiB;

// 10^0 to 10^22, the powers of ten that a double represents exactly.
constexpr int kMaxExactPowerOfTen = 22;
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

std::string DecimalFormatCode(int scale) {
  if (scale == 0) return "0";
  return "0." + std::string(static_cast<size_t>(scale), '0');
}

class XlsxWriter : public FormatWriter {
 public:
  explicit XlsxWriter(const ExportOptions& options) : options_(options.xlsx_write) {
    if (options_.max_rows < 2 || options_.max_rows > 1048576) {
      throw InvalidOption("invalid XLSX rows per sheet " + std::to_string(options_.max_rows) + ": use 2 to 1048576");
    }
    if (options_.max_columns < 1 || options_.max_columns > 16384) {
      throw InvalidOption("invalid XLSX column limit " + std::to_string(options_.max_columns) + ": use 1 to 16384");
    }
    if (options_.max_text_units < 1 || options_.max_text_units > kExcelMaxTextUnits) {
      throw InvalidOption("invalid XLSX text limit " + std::to_string(options_.max_text_units) +
                         ": use 1 to 32767 UTF-16 code units");
    }
  }

  ~XlsxWriter() override {
    if (workbook_ != nullptr) lxw_workbook_free(workbook_);
    if (!temp_path_.empty()) std::remove(temp_path_.c_str());
  }

  void begin(const Schema& schema, ByteSink& sink) override {
    if (schema.size() > options_.max_columns) {
      throw InvalidInput("the data has " + std::to_string(schema.size()) + " columns but an XLSX sheet allows at most " +
                         std::to_string(options_.max_columns) + ": select fewer columns or use another format");
    }
    schema_ = schema;
    sink_ = &sink;
    open_workbook();
    add_formats();
    start_sheet();
  }

  void write_batch(const Batch& batch) override {
    for (size_t row = 0; row < batch.num_rows(); ++row) {
      if (sheet_row_ == options_.max_rows) next_sheet();
      sampled_row_ = size_estimate_.start_row(sheet_row_);
      for (size_t column = 0; column < batch.num_columns(); ++column) {
        write_cell(batch.column(column), row, static_cast<lxw_col_t>(column));
      }
      size_estimate_.end_row();
      sampled_row_ = false;
      ++sheet_row_;
      ++rows_written_;
    }
    size_estimate_.sync();
  }

  // The workbook reaches the sink only in finish(), so every byte is pending.
  uint64_t pending_output_bytes() const override { return size_estimate_.estimated_bytes(); }

  void finish() override {
    lxw_error status = workbook_close(workbook_);
    workbook_ = nullptr;
    if (status != LXW_NO_ERROR) {
      throw IOError(std::string("writing the XLSX workbook failed: ") + lxw_strerror(status));
    }
    stream_temp_file();
  }

  uint64_t altered_values() const override { return altered_; }

 private:
  void open_workbook() {
    std::filesystem::path pattern = std::filesystem::temp_directory_path() / "sluice-xlsx-XXXXXX";
    std::string path = pattern.string();
    int fd = mkstemp(path.data());
    if (fd < 0) throw IOError("cannot create a temporary file in " + pattern.parent_path().string() + ": set TMPDIR to a writable directory");
    close(fd);
    temp_path_ = path;

    lxw_workbook_options workbook_options = {};
    workbook_options.constant_memory = LXW_TRUE;
    workbook_options.use_zip64 = LXW_TRUE;  // a workbook past 4 GB stays readable
    workbook_ = workbook_new_opt(temp_path_.c_str(), &workbook_options);
    if (workbook_ == nullptr) throw IOError("libxlsxwriter could not create a workbook at " + temp_path_);

    lxw_doc_properties properties = {};
    properties.created = kFixedCreationTime;
    workbook_set_properties(workbook_, &properties);
  }

  void add_formats() {
    header_format_ = workbook_add_format(workbook_);
    format_set_bold(header_format_);
    date_format_ = workbook_add_format(workbook_);
    format_set_num_format(date_format_, "yyyy-mm-dd");
    timestamp_format_ = workbook_add_format(workbook_);
    format_set_num_format(timestamp_format_, "yyyy-mm-dd hh:mm:ss");

    decimal_formats_.assign(schema_.size(), nullptr);
    for (size_t i = 0; i < schema_.size(); ++i) {
      if (schema_[i].type.id != TypeId::kDecimal) continue;
      decimal_formats_[i] = workbook_add_format(workbook_);
      format_set_num_format(decimal_formats_[i], DecimalFormatCode(schema_[i].type.scale).c_str());
    }
  }

  void next_sheet() {
    if (options_.overflow == XlsxOverflow::kError) {
      throw InvalidInput("the data has more than " + std::to_string(options_.max_rows - 1) +
                         " rows, which do not fit one XLSX sheet with its header: use --xlsx-overflow=new-sheet or another format");
    }
    start_sheet();
  }

  void start_sheet() {
    ++sheet_number_;
    std::string name = SheetNameFor(options_.sheet_name, sheet_number_);
    sheet_ = workbook_add_worksheet(workbook_, name.c_str());
    size_estimate_.add_sheet();
    if (sheet_ == nullptr) throw InvalidOption("libxlsxwriter rejected the sheet name '" + name + "': choose another --sheet-name");

    worksheet_freeze_panes(sheet_, 1, 0);
    for (size_t i = 0; i < schema_.size(); ++i) {
      auto column = static_cast<lxw_col_t>(i);
      if (schema_[i].type.id == TypeId::kDate) worksheet_set_column(sheet_, column, column, 11, nullptr);
      if (schema_[i].type.id == TypeId::kTimestamp || schema_[i].type.id == TypeId::kTimestampTz) {
        worksheet_set_column(sheet_, column, column, 20, nullptr);
      }
    }

    // Column names come from the data too, so the formula guard covers them.
    sheet_row_ = 0;
    for (size_t i = 0; i < schema_.size(); ++i) {
      write_text(static_cast<lxw_col_t>(i), schema_[i].name, true, header_format_);
    }
    sheet_row_ = 1;
  }

  void check(lxw_error status) const {
    if (status != LXW_NO_ERROR) {
      throw IOError("writing XLSX sheet " + std::to_string(sheet_number_) + ", row " + std::to_string(sheet_row_ + 1) +
                    " failed: " + lxw_strerror(status));
    }
  }

  void write_text(lxw_col_t column, std::string_view text, bool guard, lxw_format* format = nullptr) {
    if (text.empty()) return;  // an empty string and a null both leave the cell blank
    if (guard && options_.formula_guard && NeedsFormulaGuard(text)) {
      guarded_.assign(1, kFormulaGuardPrefix);
      guarded_.append(text);
      text = guarded_;
    }
    XlsxTextResult result = PrepareXlsxText(text, options_.max_text_units, text_);
    if (result.truncated || result.replaced_invalid) ++altered_;
    check(worksheet_write_string(sheet_, sheet_row_, column, text_.c_str(), format));
    if (sampled_row_) size_estimate_.add_text(column, text_, format != nullptr);
  }

  void write_number(lxw_col_t column, double value, lxw_format* format) {
    check(worksheet_write_number(sheet_, sheet_row_, column, value, format));
    if (sampled_row_) size_estimate_.add_number(column, value, format != nullptr);
  }

  void write_cell(const Column& values, size_t row, lxw_col_t column) {
    if (values.is_null(row)) return;
    switch (values.type().id) {
      case TypeId::kBoolean:
        check(worksheet_write_boolean(sheet_, sheet_row_, column, values.bool_at(row), nullptr));
        if (sampled_row_) size_estimate_.add_boolean(column, values.bool_at(row));
        return;
      case TypeId::kInt64:
        write_int64(column, values.int64_at(row));
        return;
      case TypeId::kFloat64:
        write_double(column, values.double_at(row));
        return;
      case TypeId::kDecimal:
        write_decimal(column, values.decimal_at(row), values.type().scale);
        return;
      case TypeId::kString:
        write_text(column, values.bytes_at(row), true);
        return;
      case TypeId::kBinary:
        scratch_.clear();
        AppendBase64(scratch_, values.bytes_at(row));
        write_text(column, scratch_, false);
        return;
      case TypeId::kDate:
        write_date(column, values.int64_at(row));
        return;
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
        write_timestamp(column, values.int64_at(row));
        return;
    }
  }

  void write_int64(lxw_col_t column, int64_t value) {
    bool exact = value >= -kMaxExactDoubleInteger && value <= kMaxExactDoubleInteger;
    if (exact || options_.large_int64_as_numbers) {
      write_number(column, static_cast<double>(value), nullptr);
      return;
    }
    scratch_.clear();
    AppendInt64(scratch_, value);
    write_text(column, scratch_, false);
  }

  void write_double(lxw_col_t column, double value) {
    if (std::isfinite(value)) {
      write_number(column, value, nullptr);
      return;
    }
    // Excel has no NaN or infinity; the text form matches the CSV output.
    ++altered_;
    scratch_.clear();
    AppendDouble(scratch_, value);
    write_text(column, scratch_, false);
  }

  void write_decimal(lxw_col_t column, Int128 unscaled, int scale) {
    // A double keeps up to 15 significant digits, so such a number reads back
    // as the same decimal. Longer values are written as exact text.
    constexpr Int128 kFifteenDigits = 1000000000000000;
    if (unscaled > -kFifteenDigits && unscaled < kFifteenDigits && scale <= kMaxExactPowerOfTen) {
      // Both operands are exact doubles and IEEE division rounds correctly,
      // so this is the double nearest the decimal, as strtod would return.
      write_number(column, static_cast<double>(unscaled) / kPowersOfTen[scale], decimal_formats_[column]);
      return;
    }
    scratch_.clear();
    AppendDecimal(scratch_, unscaled, scale);
    if (SignificantDigits(unscaled) <= 15) {
      write_number(column, std::strtod(scratch_.c_str(), nullptr), decimal_formats_[column]);
      return;
    }
    write_text(column, scratch_, false);
  }

  void write_date(lxw_col_t column, int64_t days) {
    if (std::optional<double> serial = ExcelSerialFromDays(days)) {
      write_number(column, *serial, date_format_);
      return;
    }
    ++altered_;
    scratch_.clear();
    AppendDate(scratch_, days);
    write_text(column, scratch_, false);
  }

  void write_timestamp(lxw_col_t column, int64_t micros) {
    if (std::optional<double> serial = ExcelSerialFromMicros(micros)) {
      write_number(column, *serial, timestamp_format_);
      return;
    }
    ++altered_;
    scratch_.clear();
    AppendTimestamp(scratch_, micros, 'T');
    write_text(column, scratch_, false);
  }

  void stream_temp_file() {
    std::ifstream file(temp_path_, std::ios::binary);
    if (!file) throw IOError("cannot reopen the temporary XLSX file " + temp_path_);
    std::string buffer(kStreamBufferBytes, '\0');
    while (file) {
      file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      std::streamsize count = file.gcount();
      if (count > 0) sink_->write(std::string_view(buffer.data(), static_cast<size_t>(count)));
    }
    if (file.bad()) throw IOError("reading the temporary XLSX file " + temp_path_ + " failed");
  }

  XlsxWriteOptions options_;
  Schema schema_;
  ByteSink* sink_ = nullptr;
  std::string temp_path_;

  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* header_format_ = nullptr;
  lxw_format* date_format_ = nullptr;
  lxw_format* timestamp_format_ = nullptr;
  std::vector<lxw_format*> decimal_formats_;  // per column; null for other types

  uint64_t sheet_number_ = 0;
  lxw_row_t sheet_row_ = 0;   // next row of the current sheet, 0 = header
  uint64_t rows_written_ = 0;
  uint64_t altered_ = 0;
  std::string text_;          // the escaped cell text handed to libxlsxwriter
  std::string guarded_;
  std::string scratch_;
  XlsxSizeEstimate size_estimate_;
  bool sampled_row_ = false;  // the row being written is one the size estimate samples
};

}  // namespace

std::unique_ptr<FormatWriter> MakeXlsxWriter(const ExportOptions& options) {
  return std::make_unique<XlsxWriter>(options);
}

}  // namespace sluice
