#include "pipeline/upload_abort.h"

#include "core/error.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/cloud/cloud_sink_factory.h"

namespace sluice {

namespace {

constexpr const char* kAzureBlocksStay =
    "Azure Blob Storage has no request that deletes uncommitted blocks. It discards them 7 days after they "
    "were uploaded, or when another upload commits the blob, and they never become part of the blob";

// Describes what stays on the provider after a failed abort, and how to remove it.
std::string LeftoverAfterFailedAbort(const CloudUploadState& upload) {
  if (upload.provider == "s3") {
    std::string upload_name = "upload ID " + upload.upload_id;
    try {
      CloudDestination destination = ParseCloudDestination(upload.object);
      upload_name = "bucket " + destination.bucket + ", key " + destination.key + " and " + upload_name;
    } catch (const Error&) {
      // The URL is in the message already.
    }
    return "Its parts stay stored, and S3 charges for them, until they are removed: run `aws s3api "
           "abort-multipart-upload` with " + upload_name +
           ", or let a bucket lifecycle rule with AbortIncompleteMultipartUpload remove them (see docs/cloud.md)";
  }
  if (upload.provider == "gcs") {
    // The session URI would grant write access to anyone who reads the log.
    return "Its resumable session keeps the bytes sent so far until Google Cloud Storage discards it, "
           "a week after the session started; it never becomes an object";
  }
  if (upload.provider == "azure") return kAzureBlocksStay;
  return "What the provider stored of it stays until the provider discards it";
}

std::string DescribeUpload(const CloudUploadState& upload) {
  std::string text = "the unfinished upload of " + upload.object;
  if (upload.provider == "s3" && !upload.upload_id.empty()) text += " (upload ID " + upload.upload_id + ")";
  return text;
}

}  // namespace

UploadAbortReport AbortUnfinishedUpload(const CloudUploadState& upload, const ExportOptions& options) {
  UploadAbortReport report;
  MultipartSink::AbortResult result;
  try {
    result = AbortCloudUpload(upload, options);
  } catch (const Error& error) {
    report.warning = DescribeUpload(upload) + " was not removed: " + error.what() + ". " +
                     LeftoverAfterFailedAbort(upload);
    return report;
  }

  switch (result) {
    case MultipartSink::AbortResult::kAborted:
      report.removed = "the unfinished upload of " + upload.object;
      break;
    case MultipartSink::AbortResult::kNotFound:
      break;
    case MultipartSink::AbortResult::kUnsupported:
      report.warning = "the uncommitted blocks of " + upload.object + " were not removed. " + kAzureBlocksStay;
      break;
  }
  return report;
}

}  // namespace sluice
