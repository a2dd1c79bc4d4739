#include "bulkhead/pkg/apk_analyzer.h"

#include <algorithm>

#include "bulkhead/core/path.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/pkg/purl.h"

namespace bulkhead::pkg {
namespace {
constexpr std::string_view kInstalledPath = "/lib/apk/db/installed";
}

Result<std::vector<ApkRecord>> ParseApkInstalled(std::string_view text, const std::string& name,
                                                 size_t max_records) {
  std::vector<ApkRecord> out;
  ApkRecord cur;
  std::string dir;
  size_t line_no = 0;
  Status error;
  auto flush = [&] {
    if (!cur.name.empty()) out.push_back(std::move(cur));
    cur = ApkRecord();
    dir.clear();
  };
  ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    if (!error.ok()) return;
    if (line.empty()) {
      flush();
      if (out.size() > max_records) {
        error = Status::ResourceExhausted(name + ": more than " + std::to_string(max_records) +
                                          " packages");
      }
      return;
    }
    if (line.size() < 2 || line[1] != ':') {
      error =
          Status::Corruption(name + ":" + std::to_string(line_no) + ": expected 'X:value', got '" +
                             std::string(line.substr(0, 40)) + "'");
      return;
    }
    std::string_view value = line.substr(2);
    switch (line[0]) {
      case 'P':
        cur.name = std::string(value);
        break;
      case 'V':
        cur.version = std::string(value);
        break;
      case 'A':
        cur.arch = std::string(value);
        break;
      case 'o':
        cur.origin = std::string(value);
        break;
      case 'F':
        dir = std::string(value);
        break;
      case 'R':
        cur.files.push_back(CanonicalizePath(dir + "/" + std::string(value)).path);
        break;
      default:
        break;
    }
  });
  if (!error.ok()) return error;
  flush();
  if (out.size() > max_records) {
    return Status::ResourceExhausted(name + ": more than " + std::to_string(max_records) +
                                     " packages");
  }
  return out;
}

bool ApkAnalyzer::Required(std::string_view path, const FileMeta&) const noexcept {
  return path == kInstalledPath;
}

Status ApkAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  const FileSet& files = input.files;
  PackageLayers layers;
  for (size_t layer = 0; layer < files.layer_count(); ++layer) {
    std::optional<std::string_view> text = files.ReadInLayer(layer, kInstalledPath);
    if (!text) continue;
    Result<std::vector<ApkRecord>> records = ParseApkInstalled(*text, std::string(kInstalledPath));
    if (!records.ok()) continue;
    std::vector<std::pair<std::string, std::string>> entries;
    for (const ApkRecord& r : *records) entries.emplace_back(r.name, r.version);
    layers.Observe(layer, entries);
  }
  Result<std::string_view> text = files.ReadFinal(kInstalledPath);
  if (!text.ok()) return Status::OK();
  BULKHEAD_ASSIGN_OR_RETURN(std::vector<ApkRecord> records,
                            ParseApkInstalled(*text, std::string(kInstalledPath)));
  const std::string distro = DistroQualifier(input.os);
  const std::string ns = input.os.family.empty() ? "alpine" : input.os.family;
  for (ApkRecord& r : records) {
    Package p;
    p.type = "apk";
    p.name = r.name;
    p.version = r.version;
    p.arch = r.arch;
    p.source_name = r.origin.empty() ? r.name : r.origin;
    p.source_version = r.version;
    p.db_path = std::string(kInstalledPath);
    p.purl = BuildPurl("apk", ns, r.name, r.version, {{"arch", r.arch}, {"distro", distro}});
    std::optional<size_t> layer = layers.Find(r.name, r.version);
    if (!layer) layer = files.FinalLayer(kInstalledPath);
    if (layer) p.layer = files.layer_digest(*layer);
    std::sort(r.files.begin(), r.files.end());
    p.files = std::move(r.files);
    sink.AddPackage(std::move(p));
  }
  return Status::OK();
}

}  // namespace bulkhead::pkg
