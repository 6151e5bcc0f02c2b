#include "pipeline/upload_resume.h"

#include "transforms/encryption/sluice_container_format.h"

namespace sluice {

bool PlanUploadResume(const std::vector<Checkpoint>& in_part, const CloudUploadState& upload,
                      uint64_t stored_bytes, bool encrypted, SplitResume& output) {
  const Checkpoint* target = nullptr;
  for (const Checkpoint& checkpoint : in_part) {
    if (checkpoint.output_offset > stored_bytes) continue;
    // An encrypted checkpoint is usable only with a sealed segment, whose
    // end its output offset marks.
    if (encrypted && !checkpoint.part_start &&
        (!checkpoint.encryption || checkpoint.encryption->segments_sealed == 0)) {
      continue;
    }
    target = &checkpoint;
  }
  if (target == nullptr) return false;
  if (encrypted && target->part_start && stored_bytes > 0) return false;

  ChainResume chain;
  chain.upload = upload;
  chain.output_offset = target->output_offset;
  if (!encrypted || target->part_start) {
    chain.stream_offset = target->stream_offset;
    output.replay = *target;
    output.chain = chain;
    return true;
  }

  // The provider stores sealed segments only.
  return PlanSealedReplay(in_part, *target, chain, output);
}

bool PlanSealedReplay(const std::vector<Checkpoint>& in_part, const Checkpoint& target, ChainResume chain,
                      SplitResume& output) {
  uint64_t sealed = target.encryption->segments_sealed;
  if (sealed == 0) return false;
  uint64_t boundary = sealed * kContainerSegmentBytes;
  const Checkpoint* replay = nullptr;
  for (const Checkpoint& checkpoint : in_part) {
    if (checkpoint.stream_offset <= boundary) replay = &checkpoint;
  }
  if (replay == nullptr) return false;
  chain.stream_offset = replay->stream_offset;
  chain.skip = boundary - replay->stream_offset;
  chain.encryption = target.encryption;
  output.replay = *replay;
  output.chain = chain;
  return true;
}

}  // namespace sluice
