// A reader for the `[[package]]` tables of generated TOML lockfiles (Cargo.lock,
// poetry.lock, uv.lock). Not a TOML parser: it keeps the top-level `key = value` pairs of
// each table of one array of tables, with basic and literal strings unquoted and other
// values (inline tables, arrays, numbers) kept as written (multi-line ones joined into one
// line); multi-line strings are skipped over. Module-private. Pure; thread-safe.
//
// The pkg module does not link toml++ (only the secret module does); these lockfiles are
// machine-written, so their layout is fixed enough for this subset.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"

namespace bulkhead::pkg::internal {

using TomlTable = std::map<std::string, std::string, std::less<>>;

/// The tables `[[array]]` of `text`, in order. Corruption naming `name` and the line on
/// an unterminated string or array; ResourceExhausted past `max_tables`.
Result<std::vector<TomlTable>> ReadTomlArrayTables(std::string_view text, std::string_view array,
                                                   const std::string& name,
                                                   size_t max_tables = 200'000);

/// The strings of an array written as text: `[ "a 1.0", "b" ]` -> {"a 1.0", "b"}.
std::vector<std::string> TomlStringArray(std::string_view array);

/// The value of `key` in `table`, or "".
std::string_view TomlValue(const TomlTable& table, std::string_view key);

/// Value of `key` inside an inline table written as text: `{ virtual = "." }` -> ".".
/// "" when absent.
std::string InlineTableValue(std::string_view inline_table, std::string_view key);

}  // namespace bulkhead::pkg::internal
