// The distro feeds that are not OSV: the Debian security tracker's JSON
// (https://security-tracker.debian.org/tracker/data/json) and Alpine's secdb
// (https://secdb.alpinelinux.org/vX.Y/main.json). Each is turned into the normalised
// records of record.h and handed to `sink` one at a time, so that a 100 MB feed never
// exists twice in memory.
//
// Debian, as Debian states it (https://security-team.debian.org/security_tracker.html):
//   resolved + fixed_version "0"   -> not-affected (the release never had the flaw)
//   resolved + fixed_version V     -> fixed in V
//   open + urgency end-of-life     -> end-of-life
//   open + nodsa_reason ignored    -> will-not-fix
//   open + nodsa_reason postponed  -> fix-deferred
//   open (+ no-dsa)                -> affected
//   undetermined                   -> under-investigation
// A release that is still open takes unstable's fix only when that release already
// carries unstable's fixed version or a newer one (its `repositories`).
// Urgency maps to severity: high -> HIGH, medium -> MEDIUM, low and unimportant -> LOW,
// "not yet assigned" -> UNKNOWN; the tracker's marks ("*", "**") are dropped.
//
// Alpine: each secfixes entry "V": ["CVE-..."] is fixed in V; "0" means not affected.
// Ids are the first word of each entry; further words are aliases.
#pragma once

#include <functional>
#include <string_view>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/record.h"

namespace bulkhead::vulndb {

using RecordSink = std::function<Status(Vulnerability&&)>;

inline constexpr size_t kMaxFeedBytes = size_t{1} << 30;

/// The Debian tracker JSON. Releases bulkhead has no number for are skipped; each is
/// counted in `*skipped_releases` (when given).
Status ParseDebianTracker(std::string_view json, std::string_view name, const RecordSink& sink,
                          size_t* skipped_releases = nullptr);

/// One Alpine secdb document (one branch and repository).
Status ParseAlpineSecdb(std::string_view json, std::string_view name, const RecordSink& sink);

/// Which feed a JSON document is, from its shape: "osv", "debian-tracker",
/// "alpine-secdb", or "" when it is none of them (or not JSON).
std::string_view SniffFeed(std::string_view json);

}  // namespace bulkhead::vulndb
