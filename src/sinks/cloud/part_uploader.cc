#include "sinks/cloud/part_uploader.h"

#include "core/free_buffer.h"
#include "core/process_memory.h"

namespace sluice {

PartUploader::PartUploader(int threads, int stall_timeout_seconds, UploadFunction upload)
    : upload_(std::move(upload)), capacity_(static_cast<size_t>(threads < 1 ? 1 : threads)) {
  for (size_t i = 0; i < capacity_; ++i) {
    threads_.emplace_back([this, stall_timeout_seconds] { run_worker(stall_timeout_seconds); });
  }
}

PartUploader::~PartUploader() { cancel(); }

void PartUploader::run_worker(int stall_timeout_seconds) {
  HttpClient client(stall_timeout_seconds, &cancelled_);
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    UploadPart part = std::move(queue_.front());
    queue_.pop_front();
    if (failure_ != nullptr) {
      changed_.notify_all();
      continue;
    }
    ++running_;
    lock.unlock();

    std::string result;
    std::exception_ptr error;
    try {
      result = upload_(client, part);
    } catch (...) {
      error = std::current_exception();
    }
    FreeBuffer(part.data);  // release the buffer before waking the producer
    part.reservation.release();
    ReleaseFreedMemory();

    lock.lock();
    --running_;
    if (error != nullptr) {
      if (failure_ == nullptr) failure_ = error;
    } else {
      results_[part.number] = std::move(result);
    }
    changed_.notify_all();
  }
}

void PartUploader::rethrow_failure_locked() {
  if (failure_ != nullptr) std::rethrow_exception(failure_);
}

void PartUploader::submit(UploadPart part) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] {
    return failure_ != nullptr || queue_.size() + running_ < capacity_;
  });
  rethrow_failure_locked();
  queue_.push_back(std::move(part));
  changed_.notify_all();
}

size_t PartUploader::in_flight() {
  std::lock_guard lock(mutex_);
  return queue_.size() + running_;
}

void PartUploader::wait_until_fewer_than(size_t count) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this, count] { return failure_ != nullptr || queue_.size() + running_ < count; });
  rethrow_failure_locked();
}

std::vector<std::string> PartUploader::finish() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
  rethrow_failure_locked();
  std::vector<std::string> ordered;
  ordered.reserve(results_.size());
  // Copied, not moved: when commit() fails after this, abort() records them again.
  for (const auto& [number, result] : results_) ordered.push_back(result);
  return ordered;
}

void PartUploader::add_result(uint64_t number, std::string result) {
  std::lock_guard lock(mutex_);
  results_[number] = std::move(result);
}

std::map<uint64_t, std::string> PartUploader::results() {
  std::lock_guard lock(mutex_);
  return results_;
}

void PartUploader::cancel() noexcept {
  {
    std::lock_guard lock(mutex_);
    if (threads_.empty()) return;
    cancelled_.store(true);
    stopping_ = true;
    queue_.clear();
    changed_.notify_all();
  }
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

}  // namespace sluice
