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

/// PEP 503 normalised Python project name: lowercase, each run of "-", "_" and "."
/// replaced by one "-".
std::string NormalizePypiName(std::string_view name);

/// The purl of an application package of `type` (npm, pypi, maven, golang, cargo, gem,
/// composer, nuget), with that type's name rules:
///   npm       "@scope/name" -> namespace "@scope" (the "@" encoded), name; lowercased.
///   pypi      PEP 503 name.
///   maven     `name` is "groupId:artifactId" -> namespace groupId, name artifactId.
///   golang    module path: namespace is everything before the last "/".
///   composer  "vendor/name" -> namespace vendor, name; lowercased.
///   cargo, gem, nuget: the name as is.
/// An unknown type gets the name as is, without namespace.
std::string LanguagePurl(std::string_view type, std::string_view name, std::string_view version);

}  // namespace bulkhead::pkg
