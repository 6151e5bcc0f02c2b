#include "pipeline/output_chain.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "sinks/cloud/cloud_sink_factory.h"
#include "sinks/stdout_sink.h"
#include "transforms/encryption/wrap_with_encryption.h"
#include "transforms/transform_chain.h"

namespace sluice {

namespace {

// Feeds the first `length` bytes of `path` to `sink`.
void ReadPrefixInto(const std::string& path, uint64_t length, ByteSink& sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw IOError("cannot read the partial file " + path + ": " + std::strerror(errno) +
                  "; start the export again");
  }
  std::vector<char> buffer(1 << 20);
  while (length > 0) {
    ssize_t count = ::read(fd, buffer.data(), std::min<uint64_t>(buffer.size(), length));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      ::close(fd);
      throw IOError("cannot read the partial file " + path + ": it ended early; start the export again");
    }
    sink.write(std::string_view(buffer.data(), static_cast<size_t>(count)));
    length -= static_cast<uint64_t>(count);
  }
  ::close(fd);
}

}  // namespace

OutputChain::OutputChain(const std::string& final_path, const ExportOptions& options) {
  std::unique_ptr<ByteSink> sink;
  if (final_path == "-") {
    sink = std::make_unique<StdoutSink>();
  } else if (IsCloudDestination(final_path)) {
    sink = MakeCloudSink(final_path, options);
  } else {
    auto file = std::make_unique<FileSink>(final_path);
    file_ = file.get();
    sink = std::move(file);
  }
  auto hook = std::make_unique<SkippingSink>(std::move(sink), 0, 0);
  file_hook_ = hook.get();
  auto hashing = std::make_unique<HashingSink>(std::move(hook));
  hashing_ = hashing.get();

  age_ = options.encryption.mode == EncryptionMode::kAge;
  pending_ = WrapWithEncryption(std::move(hashing), options.encryption);
  container_ = dynamic_cast<SluiceContainerWriter*>(pending_.get());
  wrap_above_encryption(options, 0, 0);
}

OutputChain::OutputChain(const std::string& final_path, const ExportOptions& options,
                         const ChainResume& resume) {
  if (options.encryption.mode == EncryptionMode::kAge) {
    throw Error(ErrorKind::kInternal, "an age-encrypted part cannot be continued mid-file");
  }
  auto file = std::make_unique<FileSink>(final_path, resume.temp_path, resume.output_offset);
  file_ = file.get();
  // The file keeps its bytes: hash them again, then let only new bytes through.
  auto prefix = std::make_unique<SkippingSink>(std::move(file), 0, resume.output_offset);
  file_hook_ = prefix.get();
  auto hashing = std::make_unique<HashingSink>(std::move(prefix));
  hashing_ = hashing.get();
  ReadPrefixInto(resume.temp_path, resume.output_offset, *hashing_);

  if (resume.encryption) {
    ValidateEncryptionOptions(options.encryption);
    pending_ = std::make_unique<SluiceContainerWriter>(std::move(hashing), options.encryption.password,
                                                       *resume.encryption);
    container_ = static_cast<SluiceContainerWriter*>(pending_.get());
  } else {
    pending_ = std::move(hashing);
  }
  wrap_above_encryption(options, resume.stream_offset, resume.skip);
}

OutputChain::~OutputChain() {
  if (!closed_) abort();
}

void OutputChain::wrap_above_encryption(const ExportOptions& options, uint64_t stream_offset, uint64_t skip) {
  auto counter = std::make_unique<SkippingSink>(std::move(pending_), stream_offset, skip);
  counter_ = counter.get();
  ExportOptions compression_only = options;
  compression_only.encryption = EncryptionOptions{};
  top_ = WrapWithTransforms(std::move(counter), compression_only);
  compression_ = dynamic_cast<CompressionSink*>(top_.get());
}

std::optional<SluiceContainerState> OutputChain::encryption_state() const {
  if (container_ == nullptr) return std::nullopt;
  return container_->state();
}

void OutputChain::end_frame() {
  if (compression_ != nullptr) compression_->end_frame();
}

uint64_t OutputChain::sync() {
  if (file_ == nullptr) throw Error(ErrorKind::kInternal, "standard output cannot be synced");
  return file_->sync();
}

const std::string& OutputChain::temp_path() const {
  static const std::string kNone;
  return file_ != nullptr ? file_->temp_path() : kNone;
}

void OutputChain::commit() {
  closed_ = true;
  top_->commit();
}

void OutputChain::abort() noexcept {
  closed_ = true;
  if (top_) top_->abort();
}

}  // namespace sluice
