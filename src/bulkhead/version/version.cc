#include "bulkhead/version/version.h"

#include <string>

#include "bulkhead/version/apk_version.h"
#include "bulkhead/version/dpkg_version.h"
#include "bulkhead/version/gem_version.h"
#include "bulkhead/version/internal/chars.h"
#include "bulkhead/version/maven_version.h"
#include "bulkhead/version/pep440.h"
#include "bulkhead/version/rpm_version.h"
#include "bulkhead/version/semver.h"

namespace bulkhead::version {
namespace {

struct Alias {
  std::string_view name;
  Scheme scheme;
};

constexpr Alias kAliases[] = {
    {"dpkg", Scheme::kDpkg},        {"deb", Scheme::kDpkg},      {"debian", Scheme::kDpkg},
    {"ubuntu", Scheme::kDpkg},      {"apk", Scheme::kApk},       {"alpine", Scheme::kApk},
    {"wolfi", Scheme::kApk},        {"rpm", Scheme::kRpm},       {"red hat", Scheme::kRpm},
    {"redhat", Scheme::kRpm},       {"almalinux", Scheme::kRpm}, {"rocky linux", Scheme::kRpm},
    {"fedora", Scheme::kRpm},       {"opensuse", Scheme::kRpm},  {"suse", Scheme::kRpm},
    {"semver", Scheme::kSemver},    {"npm", Scheme::kSemver},    {"go", Scheme::kSemver},
    {"crates.io", Scheme::kSemver}, {"cargo", Scheme::kSemver},  {"hex", Scheme::kSemver},
    {"nuget", Scheme::kNuGet},      {"pep440", Scheme::kPep440}, {"pypi", Scheme::kPep440},
    {"maven", Scheme::kMaven},      {"gem", Scheme::kGem},       {"rubygems", Scheme::kGem},
};

}  // namespace

std::string_view SchemeName(Scheme scheme) {
  switch (scheme) {
    case Scheme::kDpkg:
      return "dpkg";
    case Scheme::kApk:
      return "apk";
    case Scheme::kRpm:
      return "rpm";
    case Scheme::kSemver:
      return "semver";
    case Scheme::kNuGet:
      return "nuget";
    case Scheme::kPep440:
      return "pep440";
    case Scheme::kMaven:
      return "maven";
    case Scheme::kGem:
      return "gem";
  }
  return "unknown";
}

Result<Scheme> ParseScheme(std::string_view name) {
  for (const Alias& alias : kAliases) {
    if (internal::EqualsIgnoreCase(name, alias.name)) return alias.scheme;
  }
  return Status::InvalidArgument("unknown version scheme \"" + std::string(name) + "\"");
}

int Compare(Scheme scheme, std::string_view a, std::string_view b) {
  switch (scheme) {
    case Scheme::kDpkg:
      return CompareDpkgVersions(a, b);
    case Scheme::kApk:
      return CompareApkVersions(a, b);
    case Scheme::kRpm:
      return CompareRpmVersions(a, b);
    case Scheme::kSemver:
      return CompareSemver(a, b);
    case Scheme::kNuGet:
      return CompareNuGetVersions(a, b);
    case Scheme::kPep440:
      return ComparePep440(a, b);
    case Scheme::kMaven:
      return CompareMavenVersions(a, b);
    case Scheme::kGem:
      return CompareGemVersions(a, b);
  }
  return internal::CompareBytes(a, b);
}

bool IsValid(Scheme scheme, std::string_view v) {
  switch (scheme) {
    case Scheme::kDpkg:
      return IsValidDpkgVersion(v);
    case Scheme::kApk:
      return IsValidApkVersion(v);
    case Scheme::kRpm:
      return !v.empty();
    case Scheme::kSemver:
      return IsValidSemver(v);
    case Scheme::kNuGet:
      return IsValidNuGetVersion(v);
    case Scheme::kPep440:
      return IsValidPep440(v);
    case Scheme::kMaven:
      return true;
    case Scheme::kGem:
      return IsValidGemVersion(v);
  }
  return false;
}

}  // namespace bulkhead::version
