// The policy gate: what is reported (severity filter) and the exit decision that lets
// one line in a pipeline stop a build. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::policy {

/// Parses a comma-separated list such as "CRITICAL,HIGH" (any case). InvalidArgument
/// names the unknown entry.
Result<std::vector<Severity>> ParseSeverities(std::string_view list);

/// Keeps only the findings whose severity is in `keep` and rolls the controls up again,
/// so that the report and its verdicts speak of the same findings.
void FilterBySeverity(std::span<const Severity> keep, Report* report);

/// Whether a package purl `have` is the one a policy or VEX statement names: exactly,
/// or ignoring `have`'s qualifiers and subpath when `wanted` has none.
bool PurlMatches(std::string_view wanted, std::string_view have);

/// The gate without a policy file: it fails when any finding remains.
bool GateFails(const Report& report);

}  // namespace bulkhead::policy
