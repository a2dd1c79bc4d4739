// The report model shared by every command (DESIGN.md, "The report model").
//
// Plain value types: no behaviour beyond sorting, safe to copy and to read from many
// threads once built. Writers in `report/` turn a Report into table, JSON, SBOM formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

enum class Severity { kUnknown = 0, kLow, kMedium, kHigh, kCritical };
enum class FindingKind { kVulnerability, kSecret, kMalware, kMisconfiguration };

/// "CRITICAL", "HIGH", "MEDIUM", "LOW" or "UNKNOWN".
std::string_view SeverityName(Severity s);
/// "vulnerability", "secret", "malware" or "misconfiguration".
std::string_view FindingKindName(FindingKind k);

/// One installed package, from an OS package database (or, later, a language manifest).
struct Package {
  std::string name;
  std::string version;  ///< The ecosystem's full version: dpkg "1:2.3-1", rpm "[E:]V-R".
  std::string type;     ///< purl type: "deb", "apk", "rpm".
  std::string source_name;
  std::string source_version;
  std::string arch;
  std::string purl;
  std::string epoch;               ///< rpm only; empty when the package has none.
  std::string modularity_label;    ///< rpm only.
  std::string layer;               ///< Digest of the layer that installed this version.
  std::string db_path;             ///< The database file it was read from.
  std::vector<std::string> files;  ///< Absolute paths the package owns, sorted.
};

struct PackageRef {
  std::string name;
  std::string version;
  std::string purl;
  std::string source_name;  ///< deb/apk: the source package the advisory names.
  std::string source_version;
};

/// A CVSS base score computed from its vector string (vulndb/cvss.h).
struct CvssScore {
  std::string version;  ///< "3.0", "3.1" or "4.0".
  std::string vector;   ///< Verbatim, e.g. "CVSS:3.1/AV:N/AC:L/...".
  double score = 0;     ///< Base score, 0.0 to 10.0, one decimal.
};

struct Finding {
  std::string id;
  FindingKind kind = FindingKind::kMisconfiguration;
  Severity severity = Severity::kUnknown;
  std::string title;
  std::string path;
  uint32_t line = 0;  ///< 1-based; 0 when not applicable.
  std::string layer;
  std::string object;  ///< Manifest object (k8s "Kind/ns/name"), when not a file.
  std::optional<PackageRef> package;
  std::vector<std::string> controls;  ///< NIST SP 800-190 section ids, e.g. "4.1.1".
  std::vector<std::string> references;
  /// Rule-level text, the same for every finding with this `id`; empty when the source of
  /// the finding has none. What the rule looks for and why it matters, and how to fix it.
  /// Writers that describe rules (SARIF, JUnit, HTML) show them when present.
  std::string description;
  std::string remediation;
  std::string fixed_version;     ///< Vulnerabilities: the first fixed version, if any.
  std::string deleted_in_layer;  ///< A later layer that deleted the file; still shipped.
  std::string match;             ///< Secrets: the line with the secret masked. Never the secret.
  std::string secret;            ///< Secrets: the masked secret, e.g. "AKIA****".

  // Vulnerabilities.
  std::vector<std::string> aliases;  ///< Other ids of the same vulnerability, sorted.
  std::optional<CvssScore> cvss;
  /// Where `severity` comes from, e.g. "cvss:3.1", "osv:database_specific",
  /// "debian:urgency", "alpine" (none: "").
  std::string severity_source;
  /// fixed, affected, fix-deferred, will-not-fix, end-of-life, under-investigation.
  std::string status;
  std::string status_note;  ///< The feed's own wording, e.g. Debian's "no-dsa", "ignored".
  std::string installed_version;

  // Manifests (k8s): the container a finding is about and the field path that decides
  // it, e.g. "spec.template.spec.containers[0].securityContext.privileged".
  std::string container;
  std::string field;
};

/// A finding that a policy exception or a VEX statement silenced: kept in the report so
/// that auditors see what was accepted and why.
struct SuppressedFinding {
  Finding finding;
  std::string by;      ///< "exception" or "vex".
  std::string reason;  ///< The exception's reason or the VEX justification.
};

/// Something about the policy itself that a reader must see: an exception that matched
/// nothing (a stale ignore) or one that expired.
struct PolicyNote {
  std::string kind;     ///< "unused-exception", "expired-exception", "unused-vex".
  std::string subject;  ///< What the exception or statement names.
  std::string message;
};

/// Something bulkhead could not read or judge: it is reported, never dropped silently.
struct Diagnostic {
  std::string layer;
  std::string path;
  std::string source;  ///< The analyzer or stage, e.g. "dpkg", "walk".
  std::string message;
};

struct OsInfo {
  std::string family;  ///< "debian", "alpine", "rocky", ... empty when unknown.
  std::string version;
  std::string pretty_name;
};

struct LayerInfo {
  std::string digest;  ///< The blob digest (compressed); equals diff_id for dir sources.
  std::string diff_id;
  std::string media_type;
  uint64_t size = 0;
  std::string created_by;
};

struct Target {
  std::string name;    ///< What the user asked for, e.g. "oci:./img:v1".
  std::string kind;    ///< "image" or "rootfs".
  std::string digest;  ///< Manifest digest; empty for a rootfs.
  std::string config_digest;
  std::string architecture;
  std::string os_name;  ///< The config's "os", e.g. "linux".
  std::string created;  ///< The config's "created", verbatim.
  std::vector<std::string> repo_tags;
  OsInfo os;
};

enum class ControlStatus { kPass, kFail, kNotAssessed };
std::string_view ControlStatusName(ControlStatus s);

struct ControlResult {
  std::string id;
  std::string title;
  ControlStatus status = ControlStatus::kNotAssessed;
  std::vector<std::string> finding_ids;  ///< Distinct ids of the findings, sorted.
  size_t finding_count = 0;              ///< Findings that bear on the control.
};

struct Report {
  Target target;
  std::vector<LayerInfo> layers;
  std::vector<Package> packages;
  std::vector<Finding> findings;
  std::vector<ControlResult> controls;
  std::vector<Diagnostic> diagnostics;
  std::vector<SuppressedFinding> suppressed;
  std::vector<PolicyNote> policy_notes;
  /// The NIST sections the command speaks to, and those of them its scanners actually
  /// assessed; RollUpControls(Report*) turns these and the findings into `controls`.
  std::vector<std::string> control_scope;
  std::vector<std::string> assessed_controls;

  /// Puts packages, findings and diagnostics in their canonical order, so that the same
  /// input always gives the same bytes.
  void Sort();
};

}  // namespace bulkhead
