// OS detection from the release files of the final image: /etc/os-release, then
// /usr/lib/os-release, /etc/debian_version, /etc/alpine-release, /etc/redhat-release.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "bulkhead/core/report.h"
#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg {

/// KEY=VALUE pairs of an os-release file, with shell quoting and escapes removed.
std::map<std::string, std::string> ParseOsRelease(std::string_view text);

/// Captures the release files; never reports packages. Used by DetectOs().
class OsReleaseAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "os-release"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput&, AnalysisSink&) const override { return Status::OK(); }
};

/// The OS of the final image. family is empty when nothing identifies it.
OsInfo DetectOs(const FileSet& files);

/// The purl "distro" qualifier for `os`, e.g. "debian-12" (major only for Debian, as
/// Trivy and Syft write it), "alpine-3.19.1".
std::string DistroQualifier(const OsInfo& os);

}  // namespace bulkhead::pkg
