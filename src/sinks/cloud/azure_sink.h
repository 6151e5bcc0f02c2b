// AzureSink: uploads an export to a block blob with Put Block (blocks in
// parallel) and Put Block List, or one Put Blob when the output is smaller
// than one block.
//
// The blob changes only when Put Block List commits the list. Blocks of an
// aborted upload stay uncommitted and are invisible; Azure discards them
// after seven days, or when another upload commits the blob, so abort()
// sends nothing. Every block carries a Content-MD5 that the service checks.
// Block ids are base64 of a random per-upload prefix and a fixed-width
// number, 16 bytes before encoding, so all have the same length as the
// service requires, and a committed block list shows which upload it came
// from. At most 50,000 blocks; the block size doubles every 5,000 blocks.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sinks/cloud/azure_credentials.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/cloud/multipart_sink.h"

namespace sluice {

class AzureSink : public MultipartSink {
 public:
  // Resolves the credentials; throws InvalidOption when none fit. Sends nothing yet.
  AzureSink(const CloudDestination& destination, const CloudOptions& options,
            uint64_t max_object_bytes);
  ~AzureSink() override;

  // The block id of 1-based block `number` of the upload whose block ids
  // start with `prefix` (6 characters), before URL encoding. An empty prefix
  // gives the ids of uploads recorded before block ids had one.
  static std::string BlockId(const std::string& prefix, uint64_t number);

  // True when a Get Block List response body lists exactly `parts` (ids in
  // `tag`, and sizes) as committed blocks, in order.
  static bool CommittedBlocksMatch(const std::string& block_list_xml, const std::vector<UploadedPart>& parts);

 private:
  using Pairs = std::vector<std::pair<std::string, std::string>>;

  void start_upload() override;
  std::string upload_part(HttpClient& client, const UploadPart& part) override;
  void complete_upload(const std::vector<std::string>& block_ids) override;
  void put_object(const std::string& data) override;
  // Azure has no call that discards uncommitted blocks: the service
  // deletes them when they are not committed within 7 days.
  AbortResult abort_upload(const CloudUploadState&) override { return AbortResult::kUnsupported; }
  void describe_upload(CloudUploadState& state) const override;
  // Block ids are a function of the prefix and the block number, so the
  // recorded ones are the ids the committed block list will name.
  uint64_t restore_upload(const CloudUploadState& state, uint64_t recorded_bytes) override;
  void set_key(const std::string& key) override;
  // Reads the committed block list (Get Block List) and compares it with
  // the recorded blocks' ids and sizes.
  bool upload_completed(const CloudUploadState& state) override;

  // `query` and `headers` beyond the x-ms-date, x-ms-version, Content-Length
  // and Authorization that every request gets.
  HttpRequest make_request(const std::string& method, const Pairs& query, std::string_view body,
                           const Pairs& headers) const;
  void send(HttpClient& client, const std::string& operation, long expected_status,
            const std::function<HttpRequest()>& make, const std::atomic<bool>* cancel) const;

  CloudDestination destination_;
  AzureCredentials credentials_;
  std::string blob_path_;  // URL path of the blob, URI-encoded
  std::string blob_url_;   // without query
  std::string block_prefix_;  // see BlockId()
};

}  // namespace sluice
