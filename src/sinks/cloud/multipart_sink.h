// MultipartSink: the part buffering shared by the S3, Azure and GCS sinks.
//
// write() fills a part buffer; each full part goes to a PartUploader that
// uploads it in the background while the export continues. commit() sends
// the last part and asks the provider to assemble the object, which becomes
// visible only then. An output smaller than one part is sent in a single
// request instead, where the provider allows that.
//
// Part sizes start at CloudOptions::part_bytes and double every
// `parts_per_step` parts, so an upload of unknown total size stays within
// the provider's part count limit.
//
// With a memory governor, each part buffer is reserved before it is
// allocated and stays reserved until its upload ends. When no room is left
// for the next buffer, the sink waits for uploads in flight to finish, so
// fewer parts upload at once (down to one) rather than the export failing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sinks/byte_sink.h"
#include "sinks/cloud/http_client.h"
#include "sinks/cloud/part_uploader.h"
#include "sinks/cloud/retry_policy.h"
#include "sinks/cloud/upload_state.h"
#include "sluice/memory_governor.h"
#include "sluice/options.h"

namespace sluice {

struct PartLimits {
  uint64_t min_part_bytes = 1;      // every part but the last
  uint64_t max_part_bytes = 0;      // size growth stops here
  uint64_t part_multiple = 1;       // every part but the last is a multiple of this
  uint64_t max_parts = 0;           // 0 = no limit
  uint64_t parts_per_step = 0;      // the part size doubles after this many parts; 0 = never
  bool ordered = false;             // parts must upload one at a time, in order
  bool single_request = true;       // an output below one part goes in one request
  bool empty_last_part = false;     // commit() sends a last part even when it is empty
  // commit() assembles the object with a request of its own after the last
  // part (S3 CompleteMultipartUpload, Azure Put Block List). A GCS session
  // finishes with its last chunk instead.
  bool completion_request = true;
};

class MultipartSink : public ByteSink {
 public:
  ~MultipartSink() override;

  void write(std::string_view data) override;
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

  // Reserves part buffers from `memory` from now on. Null: no budget.
  // REQUIRES: called before the first write(); `memory` outlives the sink.
  void set_memory_governor(MemoryGovernor* memory) {
    memory_ = memory;
    client_->set_memory_governor(memory);
  }

  // The part size for 1-based part `number`.
  static uint64_t PartSize(uint64_t first_part_bytes, const PartLimits& limits, uint64_t number);

  // The upload's ids and the parts the provider has acknowledged so far,
  // for a checkpoint. Parts still uploading are left out. Safe to call
  // between writes while parts upload.
  CloudUploadState upload_state();

  // Re-opens the upload that `state` describes and returns how many bytes
  // from offset 0 the provider has stored: the recorded parts that are
  // contiguous and sized as PartSize() gives, or for GCS the offset the
  // session reports. Returns kUploadFinished when the provider has already
  // assembled the object: the GCS session reports it finished, or `state`
  // is completing and upload_completed() confirms it. Returns 0 for a state
  // with no upload. Throws IOError when the provider cannot be reached or
  // no longer has the upload.
  // REQUIRES: called before the first write().
  uint64_t reopen_upload(const CloudUploadState& state);

  // Continues the upload that `state` describes. The next write() carries
  // the object's bytes from `offset` on. The sink drops those the provider
  // has already stored and uploads the rest under the part numbers an
  // uninterrupted upload would use, which replaces parts sent after the
  // stored prefix. Throws IOError when the provider has stored fewer than `offset`
  // bytes. REQUIRES: called before the first write().
  void resume_upload(const CloudUploadState& state, uint64_t offset);

  // What restore_upload() returns when the provider has already assembled
  // the object, so a resume only has to record the export as completed.
  static constexpr uint64_t kUploadFinished = UINT64_MAX;

  // With `keep` set, abort() stops the transfers but leaves the provider's
  // upload in place, so a resume can continue it. An upload that
  // upload_state() has not yet described since it started is aborted
  // anyway, because no checkpoint can have recorded it.
  void keep_upload(bool keep) { keep_upload_ = keep; }

  // Returns upload_state() without counting as a checkpoint, so abort() still
  // aborts an upload that no checkpoint has described.
  CloudUploadState current_state();

  // Sets a hook that receives the upload's state whenever a job store must
  // record it outside a checkpoint:
  // - once the provider has started the upload, so resume or cancel can find
  //   an upload whose export was killed before its first checkpoint;
  // - when abort() keeps the upload, with the parts acknowledged by then;
  // - just before the completing request, with `completing` set and every
  //   part listed, so a resume after a kill can finish the upload without
  //   regenerating it (see finish_recorded_upload()).
  // An exception from the hook fails commit(); abort() ignores it.
  void set_state_hook(std::function<void(const CloudUploadState&)> hook) { state_hook_ = std::move(hook); }

  // Keeps the object's first `bytes` bytes in the upload state's `head`.
  // REQUIRES: called before the first write().
  void record_head(size_t bytes) { head_bytes_ = bytes; }

  // Finishes an upload whose `state` was recorded with `completing` set. It
  // queries the provider whether it already assembled the object from exactly
  // these parts and, unless it did, sends the completing request again.
  // Throws IOError when that request fails, and then keeps the upload.
  // REQUIRES: state.completing; called instead of any write().
  void finish_recorded_upload(const CloudUploadState& state);

  // Returns whether the provider already assembled the object from exactly
  // the parts of `state`, with the query finish_recorded_upload() makes, and
  // sends nothing else. Returns false when the query fails.
  // REQUIRES: state.completing; called instead of any write().
  bool recorded_upload_completed(const CloudUploadState& state);

  // The result of abort_recorded_upload().
  enum class AbortResult {
    kAborted,      // the provider deleted the upload and what it had stored
    kNotFound,     // the provider no longer had the upload
    kUnsupported,  // the provider has no request that deletes it (Azure)
  };

  // Aborts the unfinished upload that `state` describes, which an export
  // that has stopped left behind. Throws IOError naming the object and the
  // provider's response when the provider rejects the request or cannot be
  // reached. REQUIRES: called instead of any write().
  AbortResult abort_recorded_upload(const CloudUploadState& state);

  // Sets a function that returns the object's URL at the moment the upload
  // starts: before the first part is sent, or before the single request of
  // an output smaller than one part. Until then no key is fixed, so a split
  // export can name its first part by what it has written by then. The URL
  // may differ from the one the sink was made for only in the key.
  // REQUIRES: called before the first write().
  void set_object_resolver(std::function<std::string()> resolver) { object_resolver_ = std::move(resolver); }

 protected:
  // `provider` and `object` name the upload in messages. A write() that
  // takes the object past max_object_bytes fails.
  MultipartSink(std::string provider, std::string object, const CloudOptions& options,
                uint64_t max_object_bytes, const PartLimits& limits);

  // Called once, on the exporting thread, before the first part uploads.
  virtual void start_upload() = 0;
  // Uploads one part on a pool thread; returns what complete_upload needs.
  virtual std::string upload_part(HttpClient& client, const UploadPart& part) = 0;
  // Assembles the object from the parts' results, in part order.
  virtual void complete_upload(const std::vector<std::string>& part_results) = 0;
  // Sends an output smaller than one part in a single request.
  virtual void put_object(const std::string& data) = 0;
  // Asks the provider to delete the unfinished upload whose ids `state`
  // contains, and everything it stored. Throws IOError as
  // abort_recorded_upload() does.
  virtual AbortResult abort_upload(const CloudUploadState& state) = 0;
  // Sets the provider and the upload's ids in `state`, whose parts the
  // base class has filled.
  virtual void describe_upload(CloudUploadState& state) const = 0;
  // Takes over the upload's ids from `state` and returns the bytes the
  // provider has stored from offset 0 (for S3 and Azure `recorded_bytes`, the
  // checked prefix of the recorded parts).
  virtual uint64_t restore_upload(const CloudUploadState& state, uint64_t recorded_bytes) = 0;
  // True when the provider stores the object that completing the parts of
  // `state` (completing set, ids restored) gives, so the completing request
  // was already carried out. Returns false when the query fails.
  virtual bool upload_completed(const CloudUploadState& state) { (void)state; return false; }
  // Points the upload at `key` in the same bucket or container. Called only
  // before start_upload() or put_object().
  virtual void set_key(const std::string& key);

  const std::string& provider() const { return provider_; }
  const std::string& object() const { return object_; }
  const CloudOptions& options() const { return options_; }
  const RetryPolicy& retry_policy() const { return retry_; }
  HttpClient& client() { return *client_; }
  // Set once the export aborts; pool threads stop retrying.
  const std::atomic<bool>* cancel_flag() const;
  uint64_t total_bytes() const { return bytes_written_; }

 private:
  void submit_buffer(bool last);
  void start_uploader();
  void reserve_buffer(uint64_t part_size);
  void check_open() const;
  // Calls the object resolver, if any, and points the upload at the URL it returns.
  void resolve_object();
  // The state for the completing request: every part of `results` (the
  // tags in part order), with the last part's real size.
  CloudUploadState completing_state(const std::vector<std::string>& results);

  std::string provider_;
  std::string object_;
  CloudOptions options_;
  uint64_t max_object_bytes_;
  PartLimits limits_;
  RetryPolicy retry_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<PartUploader> uploader_;
  std::string buffer_;
  MemoryGovernor* memory_ = nullptr;
  MemoryReservation buffer_reservation_;  // for buffer_'s capacity
  uint64_t next_part_ = 1;
  uint64_t part_filled_ = 0;    // bytes of part next_part_ the provider stored before a resume
  uint64_t skip_ = 0;           // bytes still to drop because the provider has stored them
  uint64_t last_part_ = 0;      // number of the object's last part once commit() submitted it, else 0
  uint64_t last_part_bytes_ = 0;  // its size, which may be below PartSize()
  bool keep_upload_ = false;
  bool finished_ = false;       // resumed after the provider assembled the object
  std::function<void(const CloudUploadState&)> state_hook_;
  std::function<std::string()> object_resolver_;  // see set_object_resolver()
  size_t head_bytes_ = 0;       // see record_head()
  std::string head_;            // the object's first head_bytes_ bytes, once written
  bool completing_ = false;     // the completing state was handed to state_hook_
  bool state_given_ = false;    // upload_state() described the started upload
  uint64_t bytes_written_ = 0;
  bool started_ = false;
  bool closed_ = false;
};

}  // namespace sluice
