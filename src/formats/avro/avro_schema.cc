#include "formats/avro/avro_schema.h"

#include <map>

#include "core/error.h"
#include "formats/avro/avro_names.h"

namespace sluice {

using Json = nlohmann::ordered_json;

class AvroSchemaParser {
 public:
  AvroSchemaParser(AvroSchema& schema, const std::string& origin)
      : schema_(schema), origin_(origin) {}

  const AvroNode* parse(const Json& json, const std::string& enclosing_namespace) {
    if (json.is_string()) return parse_name(json.get<std::string>(), enclosing_namespace);
    if (json.is_array()) return parse_union(json, enclosing_namespace);
    if (!json.is_object() || !json.contains("type")) fail("expected a type name, an array or an object with \"type\"", json);

    const Json& type = json["type"];
    if (!type.is_string()) {
      // {"type": {...}} or {"type": [...]} nests a full schema.
      return parse(type, enclosing_namespace);
    }
    std::string name = type.get<std::string>();
    if (name == "record" || name == "error") return parse_record(json, enclosing_namespace);
    if (name == "enum") return parse_enum(json, enclosing_namespace);
    if (name == "fixed") return parse_fixed(json, enclosing_namespace);
    if (name == "array") return parse_container(json, AvroType::kArray, "items", enclosing_namespace);
    if (name == "map") return parse_container(json, AvroType::kMap, "values", enclosing_namespace);

    const AvroNode* primitive = parse_name(name, enclosing_namespace);
    if (!json.contains("logicalType")) return primitive;
    // A logical type annotates a copy of the primitive.
    AvroNode* node = add(primitive->type);
    node->full_name = primitive->full_name;
    annotate_logical_type(*node, json);
    return node;
  }

 private:
  [[noreturn]] void fail(const std::string& what, const Json& json) const {
    std::string text = json.dump();
    if (text.size() > 120) text = text.substr(0, 117) + "...";
    throw InvalidOption("invalid Avro schema in " + origin_ + ": " + what + " at " + text);
  }

  AvroNode* add(AvroType type) {
    schema_.nodes_.push_back(std::make_unique<AvroNode>());
    schema_.nodes_.back()->type = type;
    return schema_.nodes_.back().get();
  }

  const AvroNode* parse_name(const std::string& name, const std::string& enclosing_namespace) {
    static const std::map<std::string, AvroType> kPrimitives = {
        {"null", AvroType::kNull},     {"boolean", AvroType::kBoolean}, {"int", AvroType::kInt},
        {"long", AvroType::kLong},     {"float", AvroType::kFloat},     {"double", AvroType::kDouble},
        {"bytes", AvroType::kBytes},   {"string", AvroType::kString},
    };
    auto primitive = kPrimitives.find(name);
    if (primitive != kPrimitives.end()) return add(primitive->second);

    std::string full = full_name(name, enclosing_namespace);
    auto named = named_.find(full);
    if (named == named_.end()) named = named_.find(name);
    if (named == named_.end()) fail("unknown type name '" + name + "'", Json(name));
    return named->second;
  }

  static std::string full_name(const std::string& name, const std::string& space) {
    if (name.find('.') != std::string::npos || space.empty()) return name;
    return space + "." + name;
  }

  // Registers a named type and returns the namespace its members inherit.
  std::string define_name(AvroNode& node, const Json& json, const std::string& enclosing_namespace) {
    if (!json.contains("name") || !json["name"].is_string()) fail("a named type needs a string \"name\"", json);
    std::string name = json["name"].get<std::string>();
    std::string space = enclosing_namespace;
    if (json.contains("namespace") && json["namespace"].is_string()) space = json["namespace"].get<std::string>();
    node.full_name = full_name(name, space);

    size_t dot = node.full_name.rfind('.');
    std::string simple = dot == std::string::npos ? node.full_name : node.full_name.substr(dot + 1);
    std::string own_space = dot == std::string::npos ? "" : node.full_name.substr(0, dot);
    if (!IsValidAvroName(simple) || !IsValidAvroNamespace(own_space)) fail("invalid name '" + node.full_name + "'", json);
    if (!named_.emplace(node.full_name, &node).second) fail("type '" + node.full_name + "' is defined twice", json);
    return own_space;
  }

  const AvroNode* parse_record(const Json& json, const std::string& enclosing_namespace) {
    AvroNode* node = add(AvroType::kRecord);
    std::string space = define_name(*node, json, enclosing_namespace);
    if (!json.contains("fields") || !json["fields"].is_array()) fail("a record needs a \"fields\" array", json);

    for (const Json& field_json : json["fields"]) {
      if (!field_json.is_object() || !field_json.contains("name") || !field_json["name"].is_string() ||
          !field_json.contains("type")) {
        fail("a field needs a string \"name\" and a \"type\"", field_json);
      }
      AvroField field;
      field.name = field_json["name"].get<std::string>();
      if (!IsValidAvroName(field.name)) fail("invalid field name '" + field.name + "'", field_json);
      for (const AvroField& other : node->fields) {
        if (other.name == field.name) fail("field '" + field.name + "' appears twice", field_json);
      }
      field.type = parse(field_json["type"], space);
      if (field_json.contains("default")) {
        field.has_default = true;
        field.default_value = field_json["default"];
      }
      if (field_json.contains("aliases") && field_json["aliases"].is_array()) {
        for (const Json& alias : field_json["aliases"]) {
          if (alias.is_string()) field.aliases.push_back(alias.get<std::string>());
        }
      }
      node->fields.push_back(std::move(field));
    }
    return node;
  }

  const AvroNode* parse_enum(const Json& json, const std::string& enclosing_namespace) {
    AvroNode* node = add(AvroType::kEnum);
    define_name(*node, json, enclosing_namespace);
    if (!json.contains("symbols") || !json["symbols"].is_array()) fail("an enum needs a \"symbols\" array", json);
    for (const Json& symbol : json["symbols"]) {
      if (!symbol.is_string() || !IsValidAvroName(symbol.get<std::string>())) fail("invalid enum symbol", symbol);
      node->symbols.push_back(symbol.get<std::string>());
    }
    return node;
  }

  const AvroNode* parse_fixed(const Json& json, const std::string& enclosing_namespace) {
    AvroNode* node = add(AvroType::kFixed);
    define_name(*node, json, enclosing_namespace);
    if (!json.contains("size") || !json["size"].is_number_unsigned()) fail("a fixed type needs a \"size\" of at least 0", json);
    node->fixed_size = json["size"].get<size_t>();
    if (json.contains("logicalType")) annotate_logical_type(*node, json);
    return node;
  }

  const AvroNode* parse_container(const Json& json, AvroType type, const char* key,
                                  const std::string& enclosing_namespace) {
    if (!json.contains(key)) fail(std::string("missing \"") + key + "\"", json);
    AvroNode* node = add(type);
    const AvroNode* element = parse(json[key], enclosing_namespace);
    if (type == AvroType::kArray) node->items = element;
    else node->values = element;
    return node;
  }

  const AvroNode* parse_union(const Json& json, const std::string& enclosing_namespace) {
    AvroNode* node = add(AvroType::kUnion);
    for (const Json& branch_json : json) {
      const AvroNode* branch = parse(branch_json, enclosing_namespace);
      if (branch->type == AvroType::kUnion) fail("a union may not contain a union", json);
      for (const AvroNode* other : node->branches) {
        bool same_unnamed = other->type == branch->type && other->full_name.empty() && branch->full_name.empty();
        bool same_named = !branch->full_name.empty() && other->full_name == branch->full_name;
        if (same_unnamed || same_named) fail("a union may contain each type only once", json);
      }
      node->branches.push_back(branch);
    }
    return node;
  }

  // Records a logical type. Per the specification an invalid annotation is
  // ignored and the underlying type is used, which is what happens here for
  // unknown names and for decimals whose precision or scale is out of range.
  void annotate_logical_type(AvroNode& node, const Json& json) {
    if (!json["logicalType"].is_string()) return;
    std::string logical = json["logicalType"].get<std::string>();
    if (logical != "decimal") {
      node.logical_type = logical;
      return;
    }
    if (node.type != AvroType::kBytes && node.type != AvroType::kFixed) return;
    if (!json.contains("precision") || !json["precision"].is_number_integer()) return;
    int precision = json["precision"].get<int>();
    int scale = json.contains("scale") && json["scale"].is_number_integer() ? json["scale"].get<int>() : 0;
    if (precision < 1 || scale < 0 || scale > precision) return;
    node.logical_type = logical;
    node.precision = precision;
    node.scale = scale;
  }

  AvroSchema& schema_;
  std::string origin_;
  std::map<std::string, const AvroNode*> named_;
};

AvroSchema AvroSchema::Parse(const Json& json, const std::string& origin) {
  AvroSchema schema;
  schema.json_ = json;
  AvroSchemaParser parser(schema, origin);
  schema.root_ = parser.parse(schema.json_, "");
  return schema;
}

std::string DescribeAvroType(const AvroNode& node) {
  static const char* kNames[] = {"null", "boolean", "int", "long", "float", "double", "bytes",
                                 "string", "record", "enum", "array", "map", "union", "fixed"};
  std::string text = kNames[static_cast<int>(node.type)];
  if (node.type == AvroType::kUnion) {
    text += " [";
    for (size_t i = 0; i < node.branches.size(); ++i) {
      if (i > 0) text += ", ";
      text += DescribeAvroType(*node.branches[i]);
    }
    return text + "]";
  }
  if (!node.full_name.empty()) text += " " + node.full_name;
  if (node.logical_type == "decimal") {
    text += " (decimal(" + std::to_string(node.precision) + "," + std::to_string(node.scale) + "))";
  } else if (!node.logical_type.empty()) {
    text += " (" + node.logical_type + ")";
  }
  return text;
}

}  // namespace sluice
