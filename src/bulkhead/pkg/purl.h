// Package URLs (https://github.com/package-url/purl-spec), built with the spec's
// percent-encoding. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulkhead::pkg {

/// "pkg:type/namespace/name@version?k=v&k=v"; `ns` may hold several "/"-separated
/// segments, each encoded on its own. Qualifiers with empty values are left
/// out and the rest are sorted by key, as the spec requires.
std::string BuildPurl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      std::vector<std::pair<std::string, std::string>> qualifiers);

/// Percent-encodes everything but the purl-safe characters (alphanumerics, ".-_~" and
/// ":", which the spec says must never be encoded).
std::string PurlEncode(std::string_view text);

}  // namespace bulkhead::pkg
