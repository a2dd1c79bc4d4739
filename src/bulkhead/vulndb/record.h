// The normalised vulnerability record that every feed (OSV, the Debian security tracker,
// Alpine's secdb) is turned into before it is stored, and that matching reads back.
//
// One status model for all feeds (issue 3): each feed's own wording is kept beside it in
// `status_note`, so that no state is dropped or renamed silently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::vulndb {

enum class VulnStatus : uint8_t {
  kFixed,               ///< Fixed in `fixed` of a range; older versions are affected.
  kAffected,            ///< Affected, no fix yet.
  kFixDeferred,         ///< Debian "postponed": a fix will come with a later update.
  kWillNotFix,          ///< Debian "ignored", Ubuntu "ignored": no fix is planned.
  kEndOfLife,           ///< The package is out of support: affected, never fixed.
  kNotAffected,         ///< The distro judged this release not affected: no finding.
  kUnderInvestigation,  ///< Debian "undetermined".
};

/// "fixed", "affected", "fix-deferred", "will-not-fix", "end-of-life", "not-affected",
/// "under-investigation".
std::string_view StatusName(VulnStatus s);
/// The inverse of StatusName; nullopt for anything else.
std::optional<VulnStatus> ParseStatus(std::string_view name);

struct Event {
  enum class Kind : uint8_t { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind = Kind::kIntroduced;
  std::string version;  ///< "0" for introduced means "every version".
};

struct Range {
  enum class Type : uint8_t { kEcosystem, kSemver };
  Type type = Type::kEcosystem;
  std::vector<Event> events;
};

/// One package of one ecosystem that a vulnerability affects.
struct Affected {
  std::string ecosystem;  ///< As the feed names it, e.g. "Debian:12", "Alpine:v3.19".
  std::string package;    ///< Source name for Debian/Ubuntu, origin for Alpine, else binary.
  VulnStatus status = VulnStatus::kAffected;
  std::string status_note;  ///< The feed's own words, e.g. "no-dsa", "ignored", "postponed".
  std::vector<Range> ranges;
  std::vector<std::string> versions;       ///< Explicitly affected versions (OSV `versions`).
  Severity severity = Severity::kUnknown;  ///< Per-package severity, when the feed has one.
  std::string severity_source;
};

struct Vulnerability {
  std::string id;
  std::vector<std::string> aliases;
  std::string summary;
  std::string modified;  ///< RFC 3339, verbatim; empty when the feed has none.
  std::vector<std::string> references;
  Severity severity = Severity::kUnknown;
  std::string severity_source;  ///< "osv:database_specific", "cvss:3.1", "debian:urgency"...
  std::optional<CvssScore> cvss;
  std::vector<Affected> affected;
};

/// Severity words of the feeds ("CRITICAL", "Important", "moderate", "medium", "low"...),
/// case-insensitively; nullopt for words that are not a severity.
std::optional<Severity> ParseSeverityWord(std::string_view word);

}  // namespace bulkhead::vulndb
