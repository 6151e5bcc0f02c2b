// Creates the sink for an object-storage destination (see cloud_destination.h).
#pragma once

#include <memory>
#include <string>

#include "sinks/byte_sink.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/cloud/multipart_sink.h"
#include "sinks/cloud/upload_state.h"
#include "sluice/options.h"

namespace sluice {

// Returns the S3, Azure or GCS sink for `destination`. Resolves credentials
// and settings now, so a missing credential fails before any row is read.
// The sink sets no size limit of its own: SplitOutput starts a new object
// (a part) where a local export starts a new file.
std::unique_ptr<MultipartSink> MakeCloudSink(const std::string& destination, const ExportOptions& options);

// Returns how many bytes of the unfinished upload `state` describes the
// provider has stored from offset 0 (see MultipartSink::reopen_upload). For GCS
// this queries the session. For S3 and Azure it checks the recorded parts.
uint64_t CloudStoredBytes(const CloudUploadState& state, const ExportOptions& options);

// Aborts the unfinished upload `state` describes: S3 AbortMultipartUpload,
// GCS DELETE on the session (see MultipartSink::abort_recorded_upload).
// Azure has no such call and returns kUnsupported; its uncommitted blocks
// expire after 7 days. Throws IOError when the provider rejects the abort
// or cannot be reached, and InvalidOption when credentials are missing.
MultipartSink::AbortResult AbortCloudUpload(const CloudUploadState& state, const ExportOptions& options);

// Finishes the upload `state` describes, recorded just before its completing
// request (state.completing): checks whether the provider already assembled
// the object and otherwise sends that request again (see
// MultipartSink::finish_recorded_upload). Throws IOError when it fails.
void FinishCloudUpload(const CloudUploadState& state, const ExportOptions& options);

// Returns whether the provider already assembled the object of the upload
// `state` describes, sending nothing that changes it. A state recorded as
// completing (S3, Azure) gets the check FinishCloudUpload makes. Any other
// state is checked only for GCS, whose session reports when it received the
// final chunk, so for S3 and Azure the result is false. Returns false when
// the query fails, except that a failed GCS status query throws IOError.
bool CloudUploadCompleted(const CloudUploadState& state, const ExportOptions& options);

}  // namespace sluice
