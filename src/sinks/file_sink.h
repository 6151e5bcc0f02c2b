// FileSink: writes a local file so that its final name only ever contains a
// complete output.
//
// Bytes go to a temporary file in the destination's directory, named
// ".<name>.sluice-tmp-<16 hex digits>", through a 1 MiB buffer. commit()
// flushes, fsyncs, renames the temporary file to the final name (replacing a
// file that is already there) and fsyncs the directory so the rename survives
// a crash. abort(), or destruction without commit(), closes and deletes the
// temporary file. A process killed by SIGKILL leaves its temporary file
// behind under the hidden name, never under the final one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sinks/byte_sink.h"
#include "sinks/fd_write_buffer.h"

namespace sluice {

class FileSink : public ByteSink {
 public:
  // Creates the temporary file. Throws IOError naming `final_path` when the
  // directory is missing or not writable, or `final_path` is a directory.
  //
  // Without `temp_tag` the temporary file gets a random name. With one, the
  // name follows from `final_path` and the tag, and a file left under it is
  // truncated and reused. An export killed after creating the file, but
  // before recording it, then leaves nothing behind once it is resumed.
  explicit FileSink(std::string final_path, const std::string& temp_tag = {});

  // Continues the temporary file of an interrupted export: truncates
  // `temp_path` to `offset` bytes, which count as written and durable, and
  // appends after them. Throws IOError when the file is missing or shorter
  // than `offset`.
  FileSink(std::string final_path, std::string temp_path, uint64_t offset);
  ~FileSink() override;

  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // Throws IOError naming the final path and the OS error (for example
  // "No space left on device") with what to do about it.
  void write(std::string_view data) override;
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

  // Flushes the buffer and fsyncs the temporary file, so every byte written
  // so far is durable when a checkpoint records it. Returns durable_bytes().
  uint64_t sync();
  uint64_t durable_bytes() const { return durable_bytes_; }

  // Writes on the calling thread instead of a write thread of its own, for
  // a caller that is a worker thread already. Call before the first write().
  void write_on_caller_thread() { buffer_.set_synchronous(true); }

  // With `keep` set, abort() and failed writes close the temporary file but
  // leave it in place, so a resumed export can continue it.
  void keep_partial_file(bool keep) { keep_partial_ = keep; }

  // Names `path` instead of the final path in write errors. A single-part
  // export is written as DEST.part-00001.ext and renamed to DEST at the end,
  // and its errors name DEST, the requested file. Empty restores the final
  // path.
  void set_error_path(std::string path) { error_path_ = std::move(path); }

  const std::string& final_path() const { return final_path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  void flush_buffer();
  void start_writeback();
  [[noreturn]] void fail(int error_number);

  std::string final_path_;
  std::string temp_path_;
  std::string error_path_;  // empty: errors name final_path_
  int fd_ = -1;
  FdWriteBuffer buffer_;
  bool committed_ = false;
  bool keep_partial_ = false;
  uint64_t bytes_written_ = 0;
  uint64_t writeback_from_ = 0;  // file offset where the next start_writeback() begins
  uint64_t durable_bytes_ = 0;
};

// Returns the directory part of `path` ("." when it has none, "/" for a file
// in the root directory).
std::string DirectoryOf(const std::string& path);

// Formats the message of a failed write to `path`: the OS error and a fix,
// such as "cannot write /x/y.csv: No space left on device; free space or
// choose another destination".
std::string WriteErrorMessage(const std::string& path, int error_number);

}  // namespace sluice
