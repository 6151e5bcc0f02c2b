// CloudUploadState: what a resumed export needs to continue an unfinished
// S3 multipart upload, Azure block list or GCS resumable session.
//
// It never contains a credential: no access key, SAS token or access token.
// The GCS session URI is the exception to watch: it grants write access to
// the upload by itself, so the job store that keeps this state must be
// readable by its owner only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

// A part (S3), block (Azure) or chunk (GCS) that the provider acknowledged.
struct UploadedPart {
  uint64_t number = 0;  // 1-based
  uint64_t offset = 0;  // byte offset of its first byte in the object
  uint64_t size = 0;    // bytes
  std::string tag;      // the S3 ETag or the Azure block id; empty for GCS
};

struct CloudUploadState {
  std::string provider;              // "s3", "azure" or "gcs"
  std::string object;                // the destination URL, e.g. s3://bucket/key
  std::string upload_id;             // S3 UploadId
  int64_t started_at = 0;            // S3: server time of CreateMultipartUpload, seconds since the epoch
  std::string session_uri;           // GCS resumable session URI
  uint64_t persisted_bytes = 0;      // GCS: bytes the session had acknowledged
  std::vector<UploadedPart> parts;   // S3 and Azure: acknowledged parts, by number
  // Azure: the random prefix of this upload's block ids, so a committed
  // block list names this upload's blocks and no earlier upload's.
  std::string block_prefix;
  // The object's first bytes, when the sink was asked to record them: the
  // Sluice container header of an encrypted export, which a resume checks
  // the password against. Never secret, because anyone who can read the
  // object reads it.
  std::string head;

  // Set just before the request that assembles the object (S3
  // CompleteMultipartUpload, Azure Put Block List) is sent. `parts` then
  // lists every part with its real size, and the fields below are final. A
  // resume of such a state only checks or repeats that request.
  bool completing = false;
  uint64_t object_bytes = 0;         // the object's size, with `completing`
  uint64_t object_rows = 0;          // rows the object contains, with `completing`

  // True once an upload was started that a resume can continue.
  bool started() const {
    return !upload_id.empty() || !session_uri.empty() || !block_prefix.empty() || !parts.empty();
  }
};

// The end of the acknowledged bytes that start at offset 0 with no gap:
// parts 1, 2, ... while each begins where the one before ended, or for GCS
// the persisted byte count.
uint64_t AcknowledgedPrefix(const CloudUploadState& state);

// Encodes the state as one JSON object.
std::string UploadStateToJson(const CloudUploadState& state);

// Decodes UploadStateToJson's output, also that of versions before the
// blockPrefix, head and completing fields, which then keep their defaults.
// Throws InvalidInput for anything else.
CloudUploadState UploadStateFromJson(const std::string& json);

}  // namespace sluice
