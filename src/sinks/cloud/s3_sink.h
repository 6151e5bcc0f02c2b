// S3Sink: uploads an export to s3://BUCKET/KEY with a multipart upload
// (CreateMultipartUpload, UploadPart in parallel, CompleteMultipartUpload),
// or one PutObject when the output is smaller than one part.
//
// Requests are signed by libcurl's AWS Signature Version 4 and carry the
// SHA-256 of their body in x-amz-content-sha256, so S3 rejects a body that
// changed on the way. Parts are at least 5 MiB (except the last), at most
// 5 GiB, at most 10,000; the part size doubles every 900 parts so an
// output of unknown size fits: starting at 5 MiB, 10,000 parts hold more
// than S3's 5 TiB object limit.
#pragma once

#include <string>

#include "sinks/cloud/aws_credentials.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/cloud/multipart_sink.h"

namespace sluice {

class S3Sink : public MultipartSink {
 public:
  // Resolves credentials, region and endpoint; throws InvalidOption when
  // they are missing or invalid. Sends nothing yet.
  S3Sink(const CloudDestination& destination, const CloudOptions& options,
         uint64_t max_object_bytes);
  ~S3Sink() override;

  // The URL of the object with `query` (without '?'), for the given
  // endpoint and addressing style. Exposed for tests.
  static std::string ObjectUrl(const std::string& endpoint, const std::string& bucket,
                               const std::string& key, bool path_style, const std::string& query);

  // The ETag S3 gives an object assembled from parts with these ETags
  // (quoted or bare hex MD5s): the MD5 of the concatenated binary part MD5s,
  // then "-" and the part count, quoted. Returns "" when an ETag is not an
  // MD5, as with SSE-KMS.
  static std::string MultipartEtag(const std::vector<std::string>& part_etags);

 private:
  void start_upload() override;
  std::string upload_part(HttpClient& client, const UploadPart& part) override;
  void complete_upload(const std::vector<std::string>& etags) override;
  void put_object(const std::string& data) override;
  AbortResult abort_upload(const CloudUploadState& state) override;
  void describe_upload(CloudUploadState& state) const override;
  uint64_t restore_upload(const CloudUploadState& state, uint64_t recorded_bytes) override;
  void set_key(const std::string& key) override;
  bool upload_completed(const CloudUploadState& state) override;

  HttpRequest make_request(const std::string& method, const std::string& query,
                           std::string_view body, const std::string& content_type) const;
  // True when the object at the key is the one these parts assemble: a
  // CompleteMultipartUpload whose response was lost, or that a killed run
  // sent, already took effect. Returns false when the HEAD request fails.
  bool object_is_assembled(const std::vector<std::string>& etags);
  [[noreturn]] void fail(const std::string& operation, const HttpResponse& response) const;

  CloudDestination destination_;
  AwsCredentials credentials_;
  std::string region_;
  std::string endpoint_;
  bool path_style_;
  std::string upload_id_;
  int64_t upload_started_ = 0;  // server time of CreateMultipartUpload, seconds since the epoch
};

}  // namespace sluice
