// Tests of the choice of the checkpoint a resumed upload continues from.
#include "pipeline/upload_resume.h"

#include <gtest/gtest.h>

#include "transforms/encryption/sluice_container_format.h"

namespace sluice {
namespace {

Checkpoint PartStart() {
  Checkpoint checkpoint;
  checkpoint.part_start = true;
  checkpoint.source_position = "row=0";
  return checkpoint;
}

Checkpoint At(uint64_t chunk, uint64_t stream_offset, uint64_t output_offset) {
  Checkpoint checkpoint;
  checkpoint.chunk = chunk;
  checkpoint.stream_offset = stream_offset;
  checkpoint.output_offset = output_offset;
  checkpoint.source_position = "row=" + std::to_string(chunk * 100);
  return checkpoint;
}

Checkpoint Sealed(uint64_t chunk, uint64_t stream_offset, uint64_t output_offset, uint64_t segments) {
  Checkpoint checkpoint = At(chunk, stream_offset, output_offset);
  SluiceContainerState state;
  state.segments_sealed = segments;
  checkpoint.encryption = state;
  return checkpoint;
}

CloudUploadState Upload() {
  CloudUploadState upload;
  upload.provider = "s3";
  upload.object = "s3://bucket/out.csv";
  upload.upload_id = "id-1";
  return upload;
}

TEST(PlanUploadResume, NewestCheckpointWithinStoredBytes) {
  std::vector<Checkpoint> in_part = {PartStart(), At(4, 400, 300), At(8, 800, 600), At(12, 1200, 900)};
  SplitResume output;
  ASSERT_TRUE(PlanUploadResume(in_part, Upload(), 700, false, output));
  EXPECT_EQ(output.replay.chunk, 8u);
  ASSERT_TRUE(output.chain.has_value());
  EXPECT_EQ(output.chain->output_offset, 600u);
  EXPECT_EQ(output.chain->stream_offset, 800u);
  EXPECT_EQ(output.chain->skip, 0u);
  ASSERT_TRUE(output.chain->upload.has_value());
  EXPECT_EQ(output.chain->upload->upload_id, "id-1");
}

TEST(PlanUploadResume, CheckpointAtStoredBytesIsUsable) {
  std::vector<Checkpoint> in_part = {PartStart(), At(4, 400, 300), At(8, 800, 600)};
  SplitResume output;
  ASSERT_TRUE(PlanUploadResume(in_part, Upload(), 600, false, output));
  EXPECT_EQ(output.replay.chunk, 8u);
}

TEST(PlanUploadResume, PartStartWhenNothingStored) {
  std::vector<Checkpoint> in_part = {PartStart(), At(4, 400, 300)};
  SplitResume output;
  ASSERT_TRUE(PlanUploadResume(in_part, Upload(), 200, false, output));
  EXPECT_TRUE(output.replay.part_start);
  EXPECT_EQ(output.chain->output_offset, 0u);
  EXPECT_EQ(output.chain->stream_offset, 0u);
}

TEST(PlanUploadResume, EncryptedReplaysBeforeSealedBoundary) {
  uint64_t boundary = 2 * kContainerSegmentBytes;
  std::vector<Checkpoint> in_part = {PartStart(), Sealed(4, boundary - 1000, 5000, 1),
                                     Sealed(8, boundary + 500, 9000, 2)};
  SplitResume output;
  ASSERT_TRUE(PlanUploadResume(in_part, Upload(), 9500, true, output));
  EXPECT_EQ(output.replay.chunk, 4u);
  EXPECT_EQ(output.chain->output_offset, 9000u);
  EXPECT_EQ(output.chain->stream_offset, boundary - 1000);
  EXPECT_EQ(output.chain->skip, 1000u);
  ASSERT_TRUE(output.chain->encryption.has_value());
  EXPECT_EQ(output.chain->encryption->segments_sealed, 2u);
}

TEST(PlanUploadResume, EncryptedSkipsUnsealedCheckpoint) {
  std::vector<Checkpoint> in_part = {PartStart(), Sealed(4, 1000, 80, 0)};
  SplitResume output;
  EXPECT_FALSE(PlanUploadResume(in_part, Upload(), 5000, true, output));
}

TEST(PlanUploadResume, EncryptedPartStartOnlyWhenNothingStored) {
  std::vector<Checkpoint> in_part = {PartStart()};
  SplitResume output;
  EXPECT_TRUE(PlanUploadResume(in_part, Upload(), 0, true, output));
  EXPECT_FALSE(PlanUploadResume(in_part, Upload(), 1, true, output));
}

}  // namespace
}  // namespace sluice
