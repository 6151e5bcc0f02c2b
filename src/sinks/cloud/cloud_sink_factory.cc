#include "sinks/cloud/cloud_sink_factory.h"

#include <limits>

#include "sinks/cloud/azure_sink.h"
#include "sinks/cloud/gcs_sink.h"
#include "sinks/cloud/s3_sink.h"

namespace sluice {

std::unique_ptr<MultipartSink> MakeCloudSink(const std::string& destination, const ExportOptions& options) {
  CloudDestination parsed = ParseCloudDestination(destination);
  // The export splits its output at --max-file-size before it reaches the
  // sink, and a part may pass that limit by one row, as a local part may.
  constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();
  switch (parsed.provider) {
    case CloudProvider::kS3:
      return std::make_unique<S3Sink>(parsed, options.cloud, kNoLimit);
    case CloudProvider::kAzure:
      return std::make_unique<AzureSink>(parsed, options.cloud, kNoLimit);
    case CloudProvider::kGcs:
      return std::make_unique<GcsSink>(parsed, options.cloud, kNoLimit);
  }
  return nullptr;
}

uint64_t CloudStoredBytes(const CloudUploadState& state, const ExportOptions& options) {
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(state.object, options);
  sink->keep_upload(true);
  return sink->reopen_upload(state);
}

MultipartSink::AbortResult AbortCloudUpload(const CloudUploadState& state, const ExportOptions& options) {
  if (!state.started()) return MultipartSink::AbortResult::kNotFound;
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(state.object, options);
  return sink->abort_recorded_upload(state);
}

void FinishCloudUpload(const CloudUploadState& state, const ExportOptions& options) {
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(state.object, options);
  sink->finish_recorded_upload(state);
}

bool CloudUploadCompleted(const CloudUploadState& state, const ExportOptions& options) {
  if (!state.started()) return false;
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(state.object, options);
  sink->keep_upload(true);
  if (state.completing) return sink->recorded_upload_completed(state);
  return sink->reopen_upload(state) == MultipartSink::kUploadFinished;
}

}  // namespace sluice
