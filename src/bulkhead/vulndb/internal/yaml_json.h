// YAML feeds (OSV records as the PyPA and PSF databases keep them, Alpine secdb YAML)
// turned into JSON text, so that one parser per feed reads both forms. Every scalar
// becomes a JSON string (the feeds' versions, ids and dates are strings; "1.10" must
// not become the number 1.1), except YAML nulls.
#pragma once

#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::vulndb::internal {

/// Corruption naming `name` for invalid YAML; ResourceExhausted when the document
/// expands (through aliases) past a node budget or nests deeper than 64.
Result<std::string> YamlToJson(std::string_view text, std::string_view name);

}  // namespace bulkhead::vulndb::internal
