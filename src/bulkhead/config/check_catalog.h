// The catalog of image configuration and trust checks (NIST SP 800-190 4.1.2, 4.1.4,
// 4.1.5): one row per check with a stable id, its severity, why it matters, how to fix
// it, its NIST section and the matching checks of peer tools. Static data; thread-safe.
// docs/checks.md is tested against this table.
#pragma once

#include <span>
#include <string_view>

#include "bulkhead/core/report.h"

namespace bulkhead::config {

struct CheckInfo {
  std::string_view id;  ///< Stable: "BH-IMG-001". Never reused for another meaning.
  Severity severity;
  std::string_view title;
  std::string_view rationale;
  std::string_view remediation;
  std::string_view control;  ///< NIST SP 800-190 section, e.g. "4.1.2".
  std::string_view peers;    ///< CIS Docker 4.x, Dockle CIS-DI / DKL ids; empty if none.
};

inline constexpr std::string_view kRunsAsRoot = "BH-IMG-001";
inline constexpr std::string_view kNoHealthcheck = "BH-IMG-002";
inline constexpr std::string_view kSetuidFile = "BH-IMG-003";
inline constexpr std::string_view kWorldWritable = "BH-IMG-004";
inline constexpr std::string_view kSudoInstalled = "BH-IMG-005";
inline constexpr std::string_view kSshServer = "BH-IMG-006";
inline constexpr std::string_view kSecretEnvKey = "BH-IMG-007";
inline constexpr std::string_view kRemoteAdd = "BH-IMG-008";
inline constexpr std::string_view kPackageCache = "BH-IMG-009";
inline constexpr std::string_view kUpgradeInBuild = "BH-IMG-010";
inline constexpr std::string_view kUnpinnedTag = "BH-IMG-011";
inline constexpr std::string_view kEndOfLifeOs = "BH-IMG-012";
inline constexpr std::string_view kUntrustedRegistry = "BH-IMG-013";
inline constexpr std::string_view kEmptyPassword = "BH-IMG-014";

/// Every check, in id order.
std::span<const CheckInfo> CheckCatalog();
/// The check with `id`, or nullptr.
const CheckInfo* FindCheck(std::string_view id);

}  // namespace bulkhead::config
