// Matching: which installed packages the database says are vulnerable (NIST SP 800-190
// 4.1.1), judged by the distro's own data.
//
// - OS packages are looked up under the image's release only (vulndb/ecosystem.h): deb by
//   source package name with the source version (so binNMUs "+bN" carry their source's
//   version), apk by origin, rpm by binary name with its [epoch:]version-release.
//   Findings are reported per installed binary package.
// - Language packages are looked up in their ecosystem, except files that an OS package
//   owns (per its file list): those are the distro's to judge, so a backported fix is no
//   false positive. A copy the owner does not list (vendored) is matched.
// - rpm epochs: an advisory version without an epoch is compared on version-release
//   only when the installed package has a non-zero epoch. rpm itself reads a missing
//   epoch as 0, which would call every such package fixed; feeds that omit the epoch
//   (it is in the package, not in the advisory) mean "this version-release", so
//   bulkhead compares that, and says so in the finding's status_note.
// - OSV ranges are evaluated as the OSV specification says (events sorted by version),
//   and overlapping intervals in one range count as their union, as osv.dev's own
//   version lists do (see RangeHolds).
// - Records of one vulnerability under several ids (CVE, GHSA, DSA...) are merged into one
//   finding per package, id = the CVE when there is one, the other ids in `aliases`. A
//   distro's not-affected verdict for any of the ids wins over other feeds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/version/version.h"
#include "bulkhead/vulndb/database.h"

namespace bulkhead::vuln {

struct MatchOptions {
  bool ignore_unfixed = false;             ///< Drop findings that have no fixed version.
  std::vector<std::string> ignore_status;  ///< Drop findings with these statuses.
};

struct MatchStats {
  size_t packages = 0;    ///< Packages looked up.
  size_t unmatched = 0;   ///< Packages with no ecosystem bulkhead knows a feed for.
  size_t candidates = 0;  ///< Stored entries evaluated.
  size_t findings = 0;
};

/// Validates --ignore-status names (vulndb::StatusName values other than not-affected).
Status ValidateStatuses(const std::vector<std::string>& names);

struct Verdict {
  bool affected = false;
  std::string fixed;  ///< The fix of the range that holds the version, if any.
};

/// Whether `version` is in `affected` (its ranges and explicit versions). `scheme` orders
/// ECOSYSTEM ranges (SEMVER ranges always use SemVer); without one, only the explicit
/// versions can match.
Verdict Evaluate(const vulndb::Affected& affected, std::optional<version::Scheme> scheme,
                 std::string_view version);

/// Appends a finding for every vulnerable package of `report` (its packages and its
/// target's OS) to report->findings.
Status MatchReport(vulndb::Database& db, const MatchOptions& options, Report* report,
                   MatchStats* stats = nullptr);

}  // namespace bulkhead::vuln
