// Which database rows can apply to which installed package: OSV ecosystems, the key
// they are stored under, their version scheme, and the key of an image's OS release.
//
// A key names one distro release ("Debian:12", "Ubuntu:22.04", "Alpine:v3.19",
// "AlmaLinux:9", "Rocky Linux:9", "Red Hat:9") or one language ecosystem ("npm",
// "PyPI", ...). Records are looked up by (key, package), so a record for another release
// can never match.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/version/version.h"

namespace bulkhead::vulndb {

struct EcosystemInfo {
  std::string key;
  /// The ecosystem's version order; nullopt for ecosystems bulkhead cannot order (then
  /// only explicit `versions` lists match).
  std::optional<version::Scheme> scheme;
};

/// Resolves an OSV `affected[].package.ecosystem`. InvalidArgument for a name that the
/// OSV schema does not define.
Result<EcosystemInfo> ResolveEcosystem(std::string_view osv_ecosystem);

/// ResolveEcosystem's key, remembered: feeds name a handful of ecosystems thousands of
/// times. Not thread-safe.
class EcosystemKeyCache {
 public:
  /// The key of `osv_ecosystem`, valid until the next call; the error as ResolveEcosystem.
  Result<std::string_view> Key(std::string_view osv_ecosystem);

 private:
  std::vector<std::pair<std::string, std::string>> known_;  // name, key; bounded
};

/// The key of the release an image runs (os-release ID and VERSION_ID), e.g. debian 12
/// -> "Debian:12", alpine 3.19.1 -> "Alpine:v3.19", rocky 9.3 -> "Rocky Linux:9";
/// nullopt when bulkhead knows no feed for it.
std::optional<EcosystemInfo> OsEcosystem(const OsInfo& os);

/// The key of a language package by its purl type ("npm" -> "npm", "pypi" -> "PyPI",
/// "golang" -> "Go", "cargo" -> "crates.io", ...); nullopt for OS package types.
std::optional<EcosystemInfo> LanguageEcosystem(std::string_view purl_type);

/// A package name as it is stored and looked up under `key`: PEP 503 for PyPI
/// (lower case, runs of "-_." become "-"), lower case for NuGet and Packagist;
/// unchanged elsewhere.
std::string NormalizePackageName(std::string_view key, std::string_view name);
/// NormalizePackageName, appended to `out`.
void AppendNormalizedPackageName(std::string_view key, std::string_view name, std::string* out);

}  // namespace bulkhead::vulndb
