// Avro names: column names become field names that match [A-Za-z_][A-Za-z0-9_]*.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// Field property that stores a column's name when the field name differs.
inline constexpr const char* kAvroOriginalNameProperty = "sluice.originalName";

bool IsValidAvroName(std::string_view name);

// Returns true for a dotted namespace such as "com.example" (each part a
// valid name) or the empty namespace.
bool IsValidAvroNamespace(std::string_view name);

// Maps column names to unique, valid Avro field names, in column order:
//   1. A valid name that no earlier column already took is kept.
//   2. Otherwise each UTF-8 character outside [A-Za-z0-9_] becomes '_', an
//      empty result becomes "_", and a leading digit gets a '_' in front.
//   3. If that name is taken, by an earlier column or by a later column's
//      valid name, "_2", "_3", ... is appended until it is free.
// So ["a b", "a_b", "1x", "€"] becomes ["a_b_2", "a_b", "_1x", "_"].
std::vector<std::string> SanitizeAvroNames(const std::vector<std::string>& names);

}  // namespace sluice
