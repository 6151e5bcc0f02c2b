// PartUploader: uploads the parts of one object on a small pool of threads
// while the export keeps producing the next part.
//
// At most `threads` parts are queued or uploading at once; submit() blocks
// until one finishes, so memory stays at about (threads + 1) part buffers,
// counting the one the caller is filling. With one thread the parts upload
// strictly in order, as a GCS resumable upload needs.
//
// The first failed part stops the pool: later parts are dropped and
// submit() and finish() rethrow that failure.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sinks/cloud/http_client.h"
#include "sluice/memory_governor.h"

namespace sluice {

struct UploadPart {
  uint64_t number = 0;  // 1-based
  std::string data;
  bool last = false;    // the final part of the object
  // The budget held for `data`; released together with it once the part
  // has uploaded, failed or been dropped.
  MemoryReservation reservation;
};

class PartUploader {
 public:
  // Uploads one part and returns what completing the object needs (an S3
  // ETag, an Azure block id). Runs on a pool thread with that thread's client.
  using UploadFunction = std::function<std::string(HttpClient& client, const UploadPart& part)>;

  PartUploader(int threads, int stall_timeout_seconds, UploadFunction upload);
  ~PartUploader();

  PartUploader(const PartUploader&) = delete;
  PartUploader& operator=(const PartUploader&) = delete;

  // Queues `part`, first waiting for room. Rethrows an earlier part's failure.
  void submit(UploadPart part);

  // Parts queued or uploading now.
  size_t in_flight();

  // Waits until fewer than `count` parts are queued or uploading. Rethrows
  // an earlier part's failure.
  void wait_until_fewer_than(size_t count);

  // Waits for every queued part and returns the upload function's results
  // in part-number order. Rethrows the first failure.
  std::vector<std::string> finish();

  // Drops queued parts and stops running transfers; waits for the threads.
  void cancel() noexcept;

  // Records `result` for part `number` as if it had uploaded now: a resumed
  // upload keeps the parts the provider already holds.
  void add_result(uint64_t number, std::string result);

  // The results of the parts uploaded so far, by part number.
  std::map<uint64_t, std::string> results();

  // Set while cancelling; upload functions pass it to their retries.
  const std::atomic<bool>* cancel_flag() const { return &cancelled_; }

 private:
  void run_worker(int stall_timeout_seconds);
  void rethrow_failure_locked();

  UploadFunction upload_;
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<UploadPart> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::atomic<bool> cancelled_{false};
  std::exception_ptr failure_;
  std::map<uint64_t, std::string> results_;
  std::vector<std::thread> threads_;
};

}  // namespace sluice
