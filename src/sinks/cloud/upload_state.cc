#include "sinks/cloud/upload_state.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "sinks/cloud/cloud_crypto.h"

namespace sluice {

namespace {

std::string DecodeHead(const std::string& text) {
  try {
    return Base64Decode(text, "head");
  } catch (const Error&) {
    throw InvalidInput("invalid upload state in the job store: its head field is not base64; start the export again");
  }
}

}  // namespace

uint64_t AcknowledgedPrefix(const CloudUploadState& state) {
  if (state.provider == "gcs") return state.persisted_bytes;
  uint64_t end = 0;
  uint64_t expected_number = 1;
  for (const UploadedPart& part : state.parts) {
    if (part.number != expected_number || part.offset != end) break;
    end += part.size;
    ++expected_number;
  }
  return end;
}

std::string UploadStateToJson(const CloudUploadState& state) {
  nlohmann::json parts = nlohmann::json::array();
  for (const UploadedPart& part : state.parts) {
    parts.push_back({{"number", part.number}, {"offset", part.offset}, {"size", part.size}, {"tag", part.tag}});
  }
  nlohmann::json json = {
      {"provider", state.provider},
      {"object", state.object},
      {"uploadId", state.upload_id},
      {"startedAt", state.started_at},
      {"sessionUri", state.session_uri},
      {"persistedBytes", state.persisted_bytes},
      {"parts", parts},
      {"blockPrefix", state.block_prefix},
      {"head", Base64Encode(state.head)},
      {"completing", state.completing},
      {"objectBytes", state.object_bytes},
      {"objectRows", state.object_rows},
  };
  return json.dump();
}

CloudUploadState UploadStateFromJson(const std::string& text) {
  try {
    nlohmann::json json = nlohmann::json::parse(text);
    CloudUploadState state;
    state.provider = json.at("provider").get<std::string>();
    state.object = json.at("object").get<std::string>();
    state.upload_id = json.at("uploadId").get<std::string>();
    state.started_at = json.at("startedAt").get<int64_t>();
    state.session_uri = json.at("sessionUri").get<std::string>();
    state.persisted_bytes = json.at("persistedBytes").get<uint64_t>();
    for (const nlohmann::json& entry : json.at("parts")) {
      UploadedPart part;
      part.number = entry.at("number").get<uint64_t>();
      part.offset = entry.at("offset").get<uint64_t>();
      part.size = entry.at("size").get<uint64_t>();
      part.tag = entry.at("tag").get<std::string>();
      state.parts.push_back(part);
    }
    state.block_prefix = json.value("blockPrefix", std::string());
    state.head = DecodeHead(json.value("head", std::string()));
    state.completing = json.value("completing", false);
    state.object_bytes = json.value("objectBytes", uint64_t{0});
    state.object_rows = json.value("objectRows", uint64_t{0});
    if (state.provider != "s3" && state.provider != "azure" && state.provider != "gcs") {
      throw InvalidInput("invalid upload state in the job store: unknown provider '" + state.provider +
                         "'; start the export again");
    }
    return state;
  } catch (const nlohmann::json::exception& error) {
    throw InvalidInput(std::string("invalid upload state in the job store: ") + error.what() +
                       "; start the export again");
  }
}

}  // namespace sluice
