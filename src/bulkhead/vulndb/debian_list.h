// The Debian security tracker's own source format, `data/CVE/list`, and the JSON form of
// it that vuln-list (and so Trivy's DB builder) keeps: one file per issue under CVE/,
// with each annotation pre-parsed.
//
//   CVE-2021-36367 (PuTTY through 0.75 proceeds with establishing an SSH ...)
//           {DLA-2691-1}
//           - putty 0.75-3 (low; bug #990901)          unstable: fixed in 0.75-3
//           [bullseye] - putty <no-dsa> (Minor issue)  bullseye: affected, no-dsa
//
// A release with its own line takes it: a version is a fix; <no-dsa> and <unfixed> are
// affected; <ignored> is will-not-fix; <postponed> is fix-deferred; <end-of-life> and
// <removed> (the package left the release, unfixed) are end-of-life; <not-affected> is
// no finding; <undetermined> is under-investigation. A release without its own line
// follows unstable: unstable's fix applies to it only when that release carries that
// version or a newer one (from the release's Sources, when given); when it carries an
// older one the issue is open there, and when its Sources lack the package the release is
// skipped (it does not ship it). Without Sources the fix is kept as the bound, so an
// installed version at or above it is judged fixed. Ids the tracker has not assigned yet
// (CVE-2023-XXXX) are skipped and counted. Urgency is the first word of the note when it
// is one of unimportant, low, medium, high.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/feeds.h"

namespace bulkhead::vulndb {

struct DebianAnnotation {
  std::string release;  ///< Code name; empty for unstable.
  std::string package;  ///< Source package.
  std::string kind;     ///< "fixed", "unfixed", "no-dsa", "ignored", ... (no brackets).
  std::string version;  ///< For "fixed".
  std::string note;     ///< The text in parentheses, e.g. "low; bug #990901".
};

struct DebianIssue {
  std::string id;
  std::string description;
  std::vector<std::string> xrefs;  ///< DSA/DLA ids from {...}.
  std::vector<DebianAnnotation> annotations;
};

/// `data/CVE/list`. Issues without an assigned id are counted in `*unassigned`.
Status ParseDebianCveList(std::string_view text, std::string_view name,
                          std::vector<DebianIssue>* out, size_t* unassigned = nullptr);

/// One vuln-list issue file (CVE/CVE-....json).
Status ParseVulnListDebianIssue(std::string_view json, std::string_view name, DebianIssue* out);

/// The newest version of `package` that `release` carries; "" when the release's Sources
/// are known and lack the package (it is not in that release); nullopt when unknown.
using CarriedVersion =
    std::function<std::optional<std::string>(std::string_view release, std::string_view package)>;

/// Records for every release in `releases` (code name -> number, e.g. "bookworm" ->
/// "12") and for unstable.
Status EmitDebianIssue(const DebianIssue& issue,
                       const std::map<std::string, std::string, std::less<>>& releases,
                       const CarriedVersion& carried, const RecordSink& sink);

/// Debian's code names and numbers, for trees without a distributions.json.
std::map<std::string, std::string, std::less<>> KnownDebianReleases();

/// A Debian Sources index: package -> newest version, added to `*out`.
void ParseDebianSources(std::string_view text, std::map<std::string, std::string>* out);

}  // namespace bulkhead::vulndb
