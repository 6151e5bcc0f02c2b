// XlsxSizeEstimate: the expected size of an XLSX file whose sheets are still
// being written, for split outputs that must end a part before the limit.
//
// libxlsxwriter compresses the sheet XML only when the workbook closes, so
// the writer has no byte count to report until then. The estimate rebuilds
// the XML of one row in kSampleEvery, deflates it at zlib's default level
// (the level libxlsxwriter's zip uses) and scales the compressed size by the
// rows written. Sampled rows are further apart than neighbouring rows, so
// they share less text and the estimate errs high, usually by a few percent.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

class XlsxSizeEstimate {
 public:
  XlsxSizeEstimate();
  ~XlsxSizeEstimate();
  XlsxSizeEstimate(const XlsxSizeEstimate&) = delete;
  XlsxSizeEstimate& operator=(const XlsxSizeEstimate&) = delete;

  void add_sheet() { ++sheets_; }

  // Starts data row `row` (0-based, as libxlsxwriter counts) and returns
  // true when the row is sampled, so its cells must be added.
  bool start_row(uint32_t row);
  // Adds a cell of the sampled row. `styled` is true when the cell has a
  // number format, which libxlsxwriter writes as an s attribute.
  void add_number(uint16_t column, double value, bool styled);
  void add_text(uint16_t column, std::string_view text, bool styled);
  void add_boolean(uint16_t column, bool value);
  void end_row();

  // Compresses the sampled XML so far, so estimated_bytes() counts all of it.
  void sync();

  // Estimated size of the finished file in bytes.
  uint64_t estimated_bytes() const;

 private:
  void start_cell(uint16_t column, bool styled, std::string_view type);
  void deflate_xml(int flush);

  static constexpr uint32_t kSampleEvery = 8;

  z_stream stream_{};
  bool sampling_ = false;
  uint32_t row_ = 0;
  std::string xml_;             // sampled XML not yet compressed
  std::string out_;             // deflate output, discarded after counting
  uint64_t compressed_bytes_ = 0;
  uint64_t rows_ = 0;
  uint64_t sampled_rows_ = 0;
  uint64_t sheets_ = 0;
};

}  // namespace sluice
