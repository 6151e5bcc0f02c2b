// A parsed Avro schema (Apache Avro 1.11 specification): the tree of types
// that a user's .avsc file or a derived schema describes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice {

enum class AvroType {
  kNull, kBoolean, kInt, kLong, kFloat, kDouble, kBytes, kString,
  kRecord, kEnum, kArray, kMap, kUnion, kFixed,
};

struct AvroNode;

struct AvroField {
  std::string name;
  const AvroNode* type = nullptr;
  bool has_default = false;
  nlohmann::ordered_json default_value;
  std::vector<std::string> aliases;
};

struct AvroNode {
  AvroType type = AvroType::kNull;
  std::string full_name;       // records, enums and fixed: namespace.name
  std::string logical_type;    // "" when absent
  int precision = 0;           // decimal
  int scale = 0;               // decimal
  size_t fixed_size = 0;       // fixed
  std::vector<AvroField> fields;           // record
  std::vector<std::string> symbols;        // enum
  const AvroNode* items = nullptr;         // array
  const AvroNode* values = nullptr;        // map
  std::vector<const AvroNode*> branches;   // union
};

// Owns every node; named types may refer to themselves, so nodes point at
// each other with raw pointers into this arena.
class AvroSchema {
 public:
  // Parses schema JSON. Throws InvalidInput naming `origin` (a file name or
  // "derived schema") and the part of the schema that is invalid.
  static AvroSchema Parse(const nlohmann::ordered_json& json, const std::string& origin);

  const AvroNode& root() const { return *root_; }
  const nlohmann::ordered_json& json() const { return json_; }

 private:
  std::vector<std::unique_ptr<AvroNode>> nodes_;
  const AvroNode* root_ = nullptr;
  nlohmann::ordered_json json_;

  friend class AvroSchemaParser;
};

// Describes a type for messages: "long", "int (date)", "bytes
// (decimal(10,2))", "record com.example.Row", "union [null, string]".
std::string DescribeAvroType(const AvroNode& node);

}  // namespace sluice
