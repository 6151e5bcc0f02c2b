// Random-access reads of a Parquet file and its footer.
#pragma once

#include <cstdint>
#include <string>

#include "formats/parquet/parquet_metadata.h"

namespace sluice::parquet {

class ParquetFile {
 public:
  // Opens `path`; throws IOError when it cannot be opened.
  explicit ParquetFile(const std::string& path);
  ~ParquetFile();
  ParquetFile(const ParquetFile&) = delete;
  ParquetFile& operator=(const ParquetFile&) = delete;

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Replaces out with bytes [offset, offset + length). Throws InvalidInput
  // when the range passes the end of the file, IOError when reading fails.
  void read(uint64_t offset, uint64_t length, std::string& out);
  uint64_t bytes_read() const { return bytes_read_; }

  // Checks both magics and decodes the footer. Throws InvalidInput naming the
  // file for a truncated file, bad magic or a footer length past the file.
  FileMetaData read_footer();

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace sluice::parquet
