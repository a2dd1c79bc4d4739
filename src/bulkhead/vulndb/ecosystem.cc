#include "bulkhead/vulndb/ecosystem.h"

#include <array>

namespace bulkhead::vulndb {
namespace {

using version::Scheme;

struct Known {
  std::string_view name;
  std::optional<Scheme> scheme;
  bool keyed_by_release;  ///< The key keeps the release suffix.
};

// Every ecosystem of the OSV schema (ossf/osv-schema, "ecosystemName"); those without a
// scheme here have no version order in bulkhead yet.
constexpr std::array<Known, 48> kKnown = {{
    {"AlmaLinux", Scheme::kRpm, true},
    {"Alpaquita", Scheme::kApk, true},
    {"Alpine", Scheme::kApk, true},
    {"Android", std::nullopt, false},
    {"Azure Linux", Scheme::kRpm, true},
    {"BellSoft Hardened Containers", Scheme::kApk, true},
    {"Bioconductor", std::nullopt, false},
    {"Bitnami", Scheme::kSemver, false},
    {"Chainguard", Scheme::kApk, false},
    {"CleanStart", std::nullopt, false},
    {"ConanCenter", std::nullopt, false},
    {"CRAN", std::nullopt, false},
    {"crates.io", Scheme::kSemver, false},
    {"Debian", Scheme::kDpkg, true},
    {"Docker Hardened Images", std::nullopt, false},
    {"Echo", std::nullopt, false},
    {"FreeBSD", std::nullopt, false},
    {"GHC", std::nullopt, false},
    {"GitHub Actions", std::nullopt, false},
    {"Go", Scheme::kSemver, false},
    {"Hackage", std::nullopt, false},
    {"Hex", Scheme::kSemver, false},
    {"Julia", std::nullopt, false},
    {"Kubernetes", Scheme::kSemver, false},
    {"Linux", std::nullopt, false},
    {"Mageia", Scheme::kRpm, true},
    {"Maven", Scheme::kMaven, false},
    {"MinimOS", Scheme::kApk, false},
    {"npm", Scheme::kSemver, false},
    {"NuGet", Scheme::kNuGet, false},
    {"opam", std::nullopt, false},
    {"openEuler", Scheme::kRpm, true},
    {"openSUSE", Scheme::kRpm, true},
    {"OSS-Fuzz", std::nullopt, false},
    {"Packagist", Scheme::kSemver, false},
    {"Photon OS", Scheme::kRpm, true},
    {"Pub", Scheme::kSemver, false},
    {"PyPI", Scheme::kPep440, false},
    {"Red Hat", Scheme::kRpm, true},
    {"Rocky Linux", Scheme::kRpm, true},
    {"Root", std::nullopt, false},
    {"RubyGems", Scheme::kGem, false},
    {"SUSE", Scheme::kRpm, true},
    {"SwiftURL", std::nullopt, false},
    {"TuxCare", std::nullopt, false},
    {"Ubuntu", Scheme::kDpkg, true},
    {"VSCode", std::nullopt, false},
    {"Wolfi", Scheme::kApk, false},
}};

const Known* FindKnown(std::string_view name) {
  for (const Known& k : kKnown) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The first ':'-separated field that starts with a digit, e.g. "22.04" of
// "Ubuntu:Pro:22.04:LTS", or "9" of "Red Hat:enterprise_linux:9::appstream".
std::string_view FirstNumericField(std::string_view suffix) {
  while (!suffix.empty()) {
    size_t colon = suffix.find(':');
    std::string_view field = suffix.substr(0, colon);
    if (!field.empty() && IsDigit(field[0])) return field;
    if (colon == std::string_view::npos) break;
    suffix.remove_prefix(colon + 1);
  }
  return {};
}

std::string_view MajorOf(std::string_view v) { return v.substr(0, v.find('.')); }

// "3.19.1" -> "v3.19".
std::string AlpineBranch(std::string_view v) {
  size_t first = v.find('.');
  if (first == std::string_view::npos) return "v" + std::string(v);
  size_t second = v.find('.', first + 1);
  return "v" + std::string(v.substr(0, second));
}

}  // namespace

Result<EcosystemInfo> ResolveEcosystem(std::string_view osv_ecosystem) {
  const size_t colon = osv_ecosystem.find(':');
  const std::string_view base = osv_ecosystem.substr(0, colon);
  const std::string_view suffix =
      colon == std::string_view::npos ? std::string_view() : osv_ecosystem.substr(colon + 1);
  const Known* known = FindKnown(base);
  if (!known) {
    return Status::InvalidArgument("unknown ecosystem '" +
                                   std::string(osv_ecosystem.substr(0, 80)) +
                                   "' (not in the OSV schema)");
  }
  EcosystemInfo info;
  info.scheme = known->scheme;
  if (!known->keyed_by_release || suffix.empty()) {
    info.key = std::string(base);
  } else if (base == "Ubuntu") {
    // "Ubuntu:22.04:LTS", "Ubuntu:Pro:22.04:LTS", "Ubuntu:Pro:FIPS:22.04:LTS" -> one release.
    std::string_view release = FirstNumericField(suffix);
    info.key = "Ubuntu:" + std::string(release.empty() ? suffix : release);
  } else if (base == "Red Hat") {
    // "Red Hat:enterprise_linux:9::appstream", "Red Hat:rhel_eus:9.2::baseos" -> "Red Hat:9".
    std::string_view release = FirstNumericField(suffix);
    info.key = "Red Hat:" + std::string(release.empty() ? suffix : MajorOf(release));
  } else {
    info.key = std::string(osv_ecosystem);
  }
  return info;
}

Result<std::string_view> EcosystemKeyCache::Key(std::string_view osv_ecosystem) {
  for (const auto& [name, key] : known_) {
    if (name == osv_ecosystem) return std::string_view(key);
  }
  Result<EcosystemInfo> info = ResolveEcosystem(osv_ecosystem);
  if (!info.ok()) return info.error();
  if (known_.size() >= 64) known_.clear();  // bounded whatever the input
  known_.emplace_back(std::string(osv_ecosystem), std::move(info->key));
  return std::string_view(known_.back().second);
}

std::optional<EcosystemInfo> OsEcosystem(const OsInfo& os) {
  const std::string& v = os.version;
  const std::string& f = os.family;
  auto make = [](std::string key, Scheme scheme) {
    return std::optional<EcosystemInfo>(EcosystemInfo{std::move(key), scheme});
  };
  if (f == "wolfi") return make("Wolfi", Scheme::kApk);
  if (f == "chainguard") return make("Chainguard", Scheme::kApk);
  if (v.empty()) return std::nullopt;
  if (f == "debian") return make("Debian:" + std::string(MajorOf(v)), Scheme::kDpkg);
  if (f == "ubuntu") return make("Ubuntu:" + v, Scheme::kDpkg);
  if (f == "alpine") return make("Alpine:" + AlpineBranch(v), Scheme::kApk);
  if (f == "almalinux") return make("AlmaLinux:" + std::string(MajorOf(v)), Scheme::kRpm);
  if (f == "rocky") return make("Rocky Linux:" + std::string(MajorOf(v)), Scheme::kRpm);
  if (f == "rhel") return make("Red Hat:" + std::string(MajorOf(v)), Scheme::kRpm);
  if (f == "mageia") return make("Mageia:" + std::string(MajorOf(v)), Scheme::kRpm);
  if (f == "opensuse-leap") return make("openSUSE:Leap " + v, Scheme::kRpm);
  return std::nullopt;
}

std::optional<EcosystemInfo> LanguageEcosystem(std::string_view purl_type) {
  struct Map {
    std::string_view type;
    std::string_view key;
    Scheme scheme;
  };
  static constexpr Map kMap[] = {
      {"npm", "npm", Scheme::kSemver},
      {"pypi", "PyPI", Scheme::kPep440},
      {"maven", "Maven", Scheme::kMaven},
      {"golang", "Go", Scheme::kSemver},
      {"cargo", "crates.io", Scheme::kSemver},
      {"gem", "RubyGems", Scheme::kGem},
      {"composer", "Packagist", Scheme::kSemver},
      {"nuget", "NuGet", Scheme::kNuGet},
  };
  for (const Map& m : kMap) {
    if (m.type == purl_type) return EcosystemInfo{std::string(m.key), m.scheme};
  }
  return std::nullopt;
}

void AppendNormalizedPackageName(std::string_view key, std::string_view name, std::string* out) {
  if (key == "PyPI") {
    bool in_separator = false;
    for (char c : name) {
      if (c == '-' || c == '_' || c == '.') {
        if (!in_separator) out->push_back('-');
        in_separator = true;
        continue;
      }
      in_separator = false;
      out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
  } else if (key == "NuGet" || key == "Packagist") {
    for (char c : name) out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  } else {
    out->append(name);
  }
}

std::string NormalizePackageName(std::string_view key, std::string_view name) {
  std::string out;
  out.reserve(name.size());
  AppendNormalizedPackageName(key, name, &out);
  return out;
}

}  // namespace bulkhead::vulndb
