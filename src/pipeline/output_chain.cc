#include "pipeline/output_chain.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "sinks/cloud/cloud_sink_factory.h"
#include "sinks/cloud/multipart_sink.h"
#include "sinks/special_file_sink.h"
#include "sinks/stdout_sink.h"
#include "transforms/encryption/wrap_with_encryption.h"
#include "transforms/transform_chain.h"
#include "transforms/transform_memory.h"

namespace sluice {

namespace {

// Returns how many of an upload's first bytes its recorded state keeps, so
// that a resume can check the password (CheckRecordedPassword): the Sluice
// container's header, or an age header with one scrypt stanza, which takes
// about 150 bytes. Age files for X25519 recipients have no password.
size_t RecordedHeadBytes(const EncryptionOptions& options) {
  if (options.mode == EncryptionMode::kSluice) return kContainerHeaderBytes;
  if (options.mode == EncryptionMode::kAge && options.recipients.empty()) return 512;
  return 0;
}

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

// Returns the Sluice container header at the start of a partial file, or ""
// when the file is shorter than a whole header.
std::string ReadStoredHeader(const std::string& path, uint64_t length) {
  if (length < kContainerHeaderBytes) return "";
  std::string header;
  struct HeaderSink : ByteSink {
    std::string& out;
    explicit HeaderSink(std::string& target) : out(target) {}
    void write(std::string_view data) override { out.append(data); }
    void commit() override {}
    void abort() noexcept override {}
    uint64_t bytes_written() const override { return out.size(); }
  } sink(header);
  ReadPrefixInto(path, kContainerHeaderBytes, sink);
  return header;
}

}  // namespace

OutputChain::OutputChain(const std::string& final_path, const ExportOptions& options, MemoryGovernor* memory,
                         const std::string& temp_tag, const CancellationToken* cancel) {
  reserve_transform_buffers(options, memory);
  std::unique_ptr<ByteSink> sink;
  if (final_path == "-") {
    sink = std::make_unique<StdoutSink>();
  } else if (IsSpecialFile(final_path)) {
    // A rename would replace the device or FIFO with a regular file.
    sink = std::make_unique<SpecialFileSink>(final_path, cancel);
  } else if (IsCloudDestination(final_path)) {
    std::unique_ptr<MultipartSink> upload = MakeCloudSink(final_path, options);
    upload->set_memory_governor(memory);
    // The header, for a resume to check its password against.
    upload->record_head(RecordedHeadBytes(options.encryption));
    upload_ = upload.get();
    sink = std::move(upload);
  } else {
    auto file = std::make_unique<FileSink>(final_path, temp_tag);
    file_ = file.get();
    sink = std::move(file);
  }
  auto hook = std::make_unique<SkippingSink>(std::move(sink), 0, 0);
  file_hook_ = hook.get();
  auto hashing = std::make_unique<HashingSink>(std::move(hook));
  hashing_ = hashing.get();

  age_ = options.encryption.mode == EncryptionMode::kAge;
  {
    MemoryReservation scrypt;
    if (memory != nullptr && options.encryption.mode != EncryptionMode::kNone) {
      ValidateEncryptionOptions(options.encryption);  // bounds the scrypt cost first
      scrypt = memory->reserve(KeyDerivationMemoryBytes(options.encryption), "scrypt key derivation");
    }
    pending_ = WrapWithEncryption(std::move(hashing), options.encryption);
    container_ = dynamic_cast<SluiceContainerWriter*>(pending_.get());
    if (container_ != nullptr) container_->hold_key_derivation_memory(std::move(scrypt));
  }
  wrap_above_encryption(options, 0, 0);
}

OutputChain::OutputChain(const std::string& final_path, const ExportOptions& options,
                         const ChainResume& resume, MemoryGovernor* memory) {
  // The age file key is not kept, so an age part is continued only from its
  // first byte: an upload started over within the same multipart upload.
  age_ = options.encryption.mode == EncryptionMode::kAge;
  if (age_ && resume.output_offset != 0) {
    throw Error(ErrorKind::kInternal, "an age-encrypted part cannot be continued mid-file");
  }
  reserve_transform_buffers(options, memory);
  std::unique_ptr<HashingSink> hashing;
  if (resume.upload) {
    // The provider keeps the bytes before output_offset; they are not read back.
    std::unique_ptr<MultipartSink> upload = MakeCloudSink(resume.upload->object, options);
    upload->set_memory_governor(memory);
    upload->record_head(RecordedHeadBytes(options.encryption));
    // Until the chain is built, a failure (such as a wrong password) keeps
    // the upload, so the resume can be run again.
    upload->keep_upload(true);
    upload_ = upload.get();
    upload_->resume_upload(*resume.upload, resume.output_offset);
    upload_base_ = resume.output_offset;
    auto hook = std::make_unique<SkippingSink>(std::move(upload), 0, 0);
    file_hook_ = hook.get();
    hashing = std::make_unique<HashingSink>(std::move(hook));
    hashing_ = hashing.get();
  } else {
    auto file = std::make_unique<FileSink>(final_path, resume.temp_path, resume.output_offset);
    // Until the chain is built, a failure (such as a wrong password) keeps
    // the partial file, so the resume can be run again.
    file->keep_partial_file(true);
    file_ = file.get();
    // The file keeps its bytes: hash them again, then let only new bytes through.
    auto prefix = std::make_unique<SkippingSink>(std::move(file), 0, resume.output_offset);
    file_hook_ = prefix.get();
    hashing = std::make_unique<HashingSink>(std::move(prefix));
    hashing_ = hashing.get();
    ReadPrefixInto(resume.temp_path, resume.output_offset, *hashing_);
  }

  if (resume.encryption) {
    ValidateEncryptionOptions(options.encryption);
    MemoryReservation scrypt;
    if (memory != nullptr) scrypt = memory->reserve(KeyDerivationMemoryBytes(options.encryption), "scrypt key derivation");
    // An upload's header is the one recorded with its state. States
    // recorded before the header was kept have none, and then the password
    // is not checked.
    std::string stored_header;
    if (!resume.upload) {
      stored_header = ReadStoredHeader(resume.temp_path, resume.output_offset);
    } else if (resume.upload->head.size() == kContainerHeaderBytes) {
      stored_header = resume.upload->head;
    }
    pending_ = std::make_unique<SluiceContainerWriter>(std::move(hashing), options.encryption.password,
                                                       *resume.encryption, stored_header, final_path);
    container_ = static_cast<SluiceContainerWriter*>(pending_.get());
  } else if (options.encryption.mode != EncryptionMode::kNone) {
    // No sealed segment is stored yet (an upload resumed from its first
    // byte), so the part starts a new container, header included.
    if (resume.output_offset != 0) {
      throw Error(ErrorKind::kInternal, "an encrypted part resumed past its start without its encryption state");
    }
    ValidateEncryptionOptions(options.encryption);
    MemoryReservation scrypt;
    if (memory != nullptr) scrypt = memory->reserve(KeyDerivationMemoryBytes(options.encryption), "scrypt key derivation");
    pending_ = WrapWithEncryption(std::move(hashing), options.encryption);
    container_ = dynamic_cast<SluiceContainerWriter*>(pending_.get());
    if (container_ != nullptr) container_->hold_key_derivation_memory(std::move(scrypt));
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
  // An upload has threads of its own. Standard output and device nodes keep
  // their write thread, which absorbs a slow reader at the other end.
  if (file_ == nullptr) return;

  // The worker writes the file itself: a third thread for the same bytes
  // only added copies and context switches on two cores (bench/NOTES.md).
  file_->write_on_caller_thread();
  auto background = std::make_unique<BackgroundSink>(std::move(top_));
  background_ = background.get();
  passed_bytes_.store(hashing_->bytes_written(), std::memory_order_relaxed);
  background_->set_after_each_buffer(
      [this] { passed_bytes_.store(hashing_->bytes_written(), std::memory_order_relaxed); });
  top_ = std::move(background);
}

void OutputChain::reserve_transform_buffers(const ExportOptions& options, MemoryGovernor* memory) {
  if (memory == nullptr) return;
  // The transform thread's two 256 KiB buffers are not reserved: like the
  // other fixed buffers up to 1 MiB, they are part of the overhead outside
  // the budget (docs/configuration.md). Reserving them made exports that
  // share a small budget hold each other up.
  uint64_t bytes = CompressionMemoryBytes(options) + EncryptionBufferBytes(options.encryption);
  transform_memory_ = memory->reserve(bytes, "compression and encryption buffers (--compression-level)");
}

// Waits until the worker has passed on every byte written so far, so the
// layers below it can be read or driven from this thread.
void OutputChain::settle() const {
  if (background_ != nullptr) background_->drain();
}

uint64_t OutputChain::file_bytes() const {
  settle();
  return upload_base_ + hashing_->bytes_written();
}

uint64_t OutputChain::file_bytes_estimate() const {
  if (background_ == nullptr) return upload_base_ + hashing_->bytes_written();
  return upload_base_ + passed_bytes_.load(std::memory_order_relaxed);
}

uint64_t OutputChain::stream_offset() const {
  settle();
  return counter_->bytes_written();
}

std::optional<SluiceContainerState> OutputChain::encryption_state() const {
  settle();
  if (container_ == nullptr) return std::nullopt;
  return container_->state();
}

void OutputChain::wait_for_keys() {
  if (container_ != nullptr) container_->wait_for_keys();
}

void OutputChain::end_frame() {
  settle();
  if (compression_ != nullptr) compression_->end_frame();
}

uint64_t OutputChain::sync() {
  settle();
  if (upload_ != nullptr) return file_bytes();
  if (file_ == nullptr) throw Error(ErrorKind::kInternal, "standard output cannot be synced");
  return file_->sync();
}

const std::string& OutputChain::sha256_hex() const {
  static const std::string kUnknown;
  return upload_base_ > 0 ? kUnknown : hashing_->sha256_hex();
}

void OutputChain::set_upload_recorder(std::function<void(const CloudUploadState&)> hook) {
  if (upload_ != nullptr) upload_->set_state_hook(std::move(hook));
}

std::optional<CloudUploadState> OutputChain::upload_state() const {
  if (upload_ == nullptr) return std::nullopt;
  return upload_->upload_state();
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
