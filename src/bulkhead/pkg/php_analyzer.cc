#include "bulkhead/pkg/php_analyzer.h"

namespace bulkhead::pkg {
namespace {

using internal::LangEntry;

bool Wanted(std::string_view path) noexcept {
  std::string_view base = internal::BaseName(path);
  return base == "composer.lock" || PathHasSuffix(path, "/composer/installed.json");
}

void AddPackages(simdjson::dom::array packages, std::vector<LangEntry>* out) {
  for (simdjson::dom::element p : packages) {
    if (out->size() >= internal::kMaxPackagesPerFile) return;
    out->push_back(
        {std::string(internal::JsonStr(p, "name")), std::string(internal::JsonStr(p, "version"))});
  }
}

}  // namespace

Result<std::vector<LangEntry>> ParseComposerPackages(std::string_view text,
                                                     const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  std::vector<LangEntry> out;
  simdjson::dom::array packages;
  if (root.get_array().get(packages) == simdjson::SUCCESS ||
      root["packages"].get_array().get(packages) == simdjson::SUCCESS) {
    AddPackages(packages, &out);
  } else {
    return Status::Corruption(name + ": no \"packages\" array");
  }
  return out;
}

bool PhpAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  return meta.type != image::EntryType::kDirectory && Wanted(path);
}

Status PhpAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  internal::ForEachWantedFile(
      input.files, sink, Wanted, [&](const std::string& path, std::string_view text) -> Status {
        BULKHEAD_ASSIGN_OR_RETURN(std::vector<LangEntry> entries,
                                  ParseComposerPackages(text, path));
        internal::EmitPackages("composer", path, std::move(entries), input.files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
