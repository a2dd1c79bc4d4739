// Image configuration and trust checks: the image config (user, healthcheck, ENV,
// history) and the squashed file tree (modes, package databases, account files), turned
// into findings from the check catalog. Pure functions of their input; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/image/manifest.h"
#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::config {

struct CheckOptions {
  /// Registries (optionally with a repository prefix, e.g. "registry.example.com/team")
  /// that images may come from. Empty: the trust check is not run.
  std::vector<std::string> trusted_registries;
  /// The day the end-of-life check compares against, "YYYY-MM-DD"; empty means today
  /// (UTC). Tests and reproducible reports set it.
  std::string today;
};

struct CheckInput {
  const Target& target;
  const image::ImageConfig* config;  ///< Null for a rootfs: config checks are skipped.
  const pkg::FileSet& files;
  std::span<const Package> packages;
  std::string_view requested_tag;  ///< The tag or digest the user named, if any.
};

/// Captures the account files the checks read (/etc/passwd, /etc/shadow). Register it
/// with the analyzers of a scan that runs the checks.
class AccountFilesAnalyzer final : public pkg::Analyzer {
 public:
  std::string_view Type() const override { return "accounts"; }
  uint32_t Version() const override { return 1; }
  bool Required(std::string_view path, const pkg::FileMeta& meta) const noexcept override;
  Status Analyze(const pkg::AnalysisInput&, pkg::AnalysisSink&) const override {
    return Status::OK();
  }
};

/// Runs every check of the catalog that applies. Findings carry the check's id,
/// severity, title and NIST section; file findings carry the path and the layer.
std::vector<Finding> RunImageChecks(const CheckInput& input, const CheckOptions& options);

/// "docker.io/library/alpine" for "alpine:3.19", "ghcr.io/a/b" for "ghcr.io/a/b:1" or
/// "ghcr.io/a/b@sha256:...": the registry and repository of an image reference, with
/// Docker Hub's defaults applied (index.docker.io and registry-1.docker.io become
/// docker.io; a single-component Docker Hub name gets "library/").
std::string NormalizeRepository(std::string_view reference);

/// The date of the end of security support of `os`, "YYYY-MM-DD", or "" when unknown.
std::string_view EndOfLife(const OsInfo& os);

}  // namespace bulkhead::config
