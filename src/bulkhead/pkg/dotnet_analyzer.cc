#include "bulkhead/pkg/dotnet_analyzer.h"

namespace bulkhead::pkg {
namespace {

using internal::LangEntry;

bool Wanted(std::string_view path) noexcept {
  return PathHasSuffix(path, ".deps.json") || internal::BaseName(path) == "packages.lock.json";
}

}  // namespace

Result<std::vector<LangEntry>> ParseDepsJson(std::string_view text, const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  simdjson::dom::object libraries;
  if (root["libraries"].get_object().get(libraries) != simdjson::SUCCESS) {
    return Status::Corruption(name + ": no \"libraries\" object");
  }
  std::vector<LangEntry> out;
  for (auto [key, value] : libraries) {
    if (out.size() >= internal::kMaxPackagesPerFile) break;
    if (internal::JsonStr(value, "type") != "package") continue;
    size_t slash = key.rfind('/');  // "Name/1.2.3"
    if (slash == std::string_view::npos) continue;
    out.push_back({std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))});
  }
  return out;
}

Result<std::vector<LangEntry>> ParseNugetLock(std::string_view text, const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  simdjson::dom::object frameworks;
  if (root["dependencies"].get_object().get(frameworks) != simdjson::SUCCESS) {
    return Status::Corruption(name + ": no \"dependencies\" object");
  }
  std::vector<LangEntry> out;
  for (auto [framework, deps] : frameworks) {
    simdjson::dom::object pkgs;
    if (deps.get_object().get(pkgs) != simdjson::SUCCESS) continue;
    for (auto [key, value] : pkgs) {
      if (out.size() >= internal::kMaxPackagesPerFile) break;
      std::string_view type = internal::JsonStr(value, "type");
      if (type == "Project") continue;  // another project of the solution
      out.push_back({std::string(key), std::string(internal::JsonStr(value, "resolved"))});
    }
  }
  return out;
}

bool DotnetAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  return meta.type != image::EntryType::kDirectory && Wanted(path);
}

Status DotnetAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  internal::ForEachWantedFile(
      input.files, sink, Wanted, [&](const std::string& path, std::string_view text) -> Status {
        std::vector<LangEntry> entries;
        if (PathHasSuffix(path, ".deps.json")) {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParseDepsJson(text, path));
        } else {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParseNugetLock(text, path));
        }
        internal::EmitPackages("nuget", path, std::move(entries), input.files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
