// Aborting the unfinished upload of a cancelled export, and telling the user
// what the provider still stores when that fails or is not possible.
#pragma once

#include <string>

#include "sinks/cloud/upload_state.h"
#include "sluice/options.h"

namespace sluice {

// The result of aborting an unfinished upload, for `sluice cancel` to report.
// Both fields are empty when the provider no longer had the upload.
struct UploadAbortReport {
  // "the unfinished upload of URL", when the provider deleted the upload.
  std::string removed;
  // A description of what the provider still stores, why, and how to remove
  // it: after a failed abort, and for Azure, which has no request that
  // deletes uncommitted blocks. It names the object and, for S3, the upload
  // ID, never a credential or a GCS session URI.
  std::string warning;
};

// Aborts the unfinished upload `upload` describes (see AbortCloudUpload).
// A failed abort, missing credentials included, becomes the report's
// warning instead of an Error.
// REQUIRES: upload.started().
UploadAbortReport AbortUnfinishedUpload(const CloudUploadState& upload, const ExportOptions& options);

}  // namespace sluice
