// YAML feeds (OSV records as the PyPA and PSF databases keep them, Alpine secdb YAML)
// turned into JSON text, so that one parser per feed reads both forms. Every scalar
// becomes a JSON string (the feeds' versions, ids and dates are strings; "1.10" must
// not become the number 1.1), except YAML nulls.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::vulndb::internal {

/// Corruption naming `name` for invalid YAML; ResourceExhausted when the document
/// expands (through aliases) past a node budget or nests deeper than 64.
/// Tries BlockYamlToJson, then libyaml.
Result<std::string> YamlToJson(std::string_view text, std::string_view name);

/// YamlToJson through libyaml alone.
Result<std::string> LibyamlToJson(std::string_view text, std::string_view name);

/// The fast path: the block-style subset that PyPA's and PSF's tooling writes, read by
/// hand (yaml_block.cc). nullopt for any text outside it; what it returns equals what
/// LibyamlToJson returns for the same text.
std::optional<std::string> BlockYamlToJson(std::string_view text);

/// `s` as a JSON string literal; bytes that are not UTF-8 are read as Latin-1.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace bulkhead::vulndb::internal
