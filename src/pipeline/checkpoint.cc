#include "pipeline/checkpoint.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sluice {

namespace {

std::string ToHex(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

std::string FromHex(const std::string& hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) throw InvalidInput("invalid hex text in a checkpoint");
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = digit(hex[i]);
    int low = digit(hex[i + 1]);
    if (high < 0 || low < 0) throw InvalidInput("invalid hex text in a checkpoint");
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

}  // namespace

std::string CheckpointToJson(const Checkpoint& checkpoint) {
  nlohmann::json json = {
      {"part", checkpoint.part},
      {"chunk", checkpoint.chunk},
      {"records", checkpoint.records},
      {"sourcePosition", checkpoint.source_position},
      {"skipRows", checkpoint.skip_rows},
      {"partStart", checkpoint.part_start},
      {"writerState", checkpoint.writer_state},
      {"writerBytes", checkpoint.writer_bytes},
      {"streamOffset", checkpoint.stream_offset},
      {"outputOffset", checkpoint.output_offset},
      {"tempPath", checkpoint.temp_path},
      {"partRows", checkpoint.part_rows},
      {"bytesPerRow", checkpoint.bytes_per_row},
      {"transformRatio", checkpoint.transform_ratio},
      {"emptyPartBytes", checkpoint.empty_part_bytes},
      {"flushedNearLimit", checkpoint.flushed_near_limit},
      {"alteredValues", checkpoint.altered_values},
  };
  if (checkpoint.encryption) {
    // The container fields hold the magic, version, scrypt costs, salt and
    // nonce prefix: public values that are also in the file's header.
    json["encryption"] = {
        {"containerFields", ToHex(EncodeContainerFields(checkpoint.encryption->params))},
        {"segmentsSealed", checkpoint.encryption->segments_sealed},
    };
  }
  return json.dump();
}

Checkpoint CheckpointFromJson(const std::string& text) {
  try {
    nlohmann::json json = nlohmann::json::parse(text);
    Checkpoint checkpoint;
    checkpoint.part = json.at("part").get<uint64_t>();
    checkpoint.chunk = json.at("chunk").get<uint64_t>();
    checkpoint.records = json.at("records").get<uint64_t>();
    checkpoint.source_position = json.at("sourcePosition").get<std::string>();
    checkpoint.skip_rows = json.at("skipRows").get<uint64_t>();
    checkpoint.part_start = json.at("partStart").get<bool>();
    checkpoint.writer_state = json.at("writerState").get<std::string>();
    checkpoint.writer_bytes = json.at("writerBytes").get<uint64_t>();
    checkpoint.stream_offset = json.at("streamOffset").get<uint64_t>();
    checkpoint.output_offset = json.at("outputOffset").get<uint64_t>();
    checkpoint.temp_path = json.at("tempPath").get<std::string>();
    checkpoint.part_rows = json.at("partRows").get<uint64_t>();
    checkpoint.bytes_per_row = json.at("bytesPerRow").get<double>();
    checkpoint.transform_ratio = json.at("transformRatio").get<double>();
    checkpoint.altered_values = json.at("alteredValues").get<uint64_t>();
    // Absent from checkpoints of earlier versions; the defaults only make
    // the part's estimate per row a little larger.
    if (json.contains("emptyPartBytes")) checkpoint.empty_part_bytes = json.at("emptyPartBytes").get<uint64_t>();
    if (json.contains("flushedNearLimit")) checkpoint.flushed_near_limit = json.at("flushedNearLimit").get<bool>();
    if (json.contains("encryption")) {
      const nlohmann::json& encryption = json.at("encryption");
      std::string fields = FromHex(encryption.at("containerFields").get<std::string>());
      if (fields.size() != kContainerFieldsBytes) throw InvalidInput("invalid container fields");
      SluiceContainerState state;
      state.params = DecodeContainerFields(fields, "checkpoint");
      state.segments_sealed = encryption.at("segmentsSealed").get<uint64_t>();
      checkpoint.encryption = state;
    }
    return checkpoint;
  } catch (const nlohmann::json::exception& error) {
    throw InvalidInput(std::string("invalid checkpoint in the job store: ") + error.what() +
                       "; start the export again");
  }
}

}  // namespace sluice
