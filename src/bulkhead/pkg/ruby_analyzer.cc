#include "bulkhead/pkg/ruby_analyzer.h"

namespace bulkhead::pkg {
namespace {

using internal::LangEntry;

bool IsGemspec(std::string_view path) noexcept {
  return PathHasSuffix(path, ".gemspec") &&
         PathHasSuffix(internal::DirName(path), "/specifications");
}

bool Wanted(std::string_view path) noexcept {
  return IsGemspec(path) || internal::BaseName(path) == "Gemfile.lock";
}

// The string literal at the start of `v` ("x" or 'x'), else "".
std::string_view Literal(std::string_view v) {
  v = internal::Trim(v);
  if (v.starts_with("Gem::Version.new(")) v.remove_prefix(17);
  if (v.empty() || (v.front() != '"' && v.front() != '\'')) return {};
  size_t end = v.find(v.front(), 1);
  if (end == std::string_view::npos) return {};
  return v.substr(1, end - 1);
}

// "1.13.10-x86_64-linux" -> "1.13.10"; plain versions unchanged.
std::string_view StripPlatform(std::string_view v) {
  size_t dash = v.find('-');
  if (dash == std::string_view::npos) return v;
  std::string_view platform = v.substr(dash + 1);
  for (std::string_view p : {"linux", "darwin", "mingw", "mswin", "java", "x86", "x64", "arm",
                             "aarch64", "universal", "musl"}) {
    if (platform.find(p) != std::string_view::npos) return v.substr(0, dash);
  }
  return v;
}

}  // namespace

Result<LangEntry> ParseGemspec(std::string_view text, const std::string& name) {
  LangEntry out;
  ForEachLine(text, [&](std::string_view line) {
    line = internal::Trim(line);
    size_t dot = line.find('.');
    if (dot == std::string_view::npos || dot == 0) return;
    std::string_view rest = line.substr(dot + 1);
    for (auto [field, target] : {std::pair<std::string_view, std::string*>{"name", &out.name},
                                 {"version", &out.version}}) {
      if (!rest.starts_with(field) || !target->empty()) continue;
      std::string_view after = internal::Trim(rest.substr(field.size()));
      if (after.empty() || after.front() != '=') continue;
      *target = std::string(Literal(after.substr(1)));
    }
  });
  if (out.name.empty() || out.version.empty()) {
    return Status::Corruption(name + ": no name and version assignments in the gemspec");
  }
  return out;
}

std::vector<LangEntry> ParseGemfileLock(std::string_view text) {
  std::vector<LangEntry> out;
  bool in_gem = false, in_specs = false;
  ForEachLine(text, [&](std::string_view line) {
    if (line.empty()) return;
    if (line.front() != ' ') {
      in_gem = line == "GEM";
      in_specs = false;
      return;
    }
    if (!in_gem) return;
    if (line == "  specs:") {
      in_specs = true;
      return;
    }
    if (!in_specs || out.size() >= internal::kMaxPackagesPerFile) return;
    // Gems are indented by 4, their dependencies by 6.
    if (line.size() < 5 || line.substr(0, 4) != "    " || line[4] == ' ') return;
    std::string_view spec = line.substr(4);
    size_t open = spec.find(" (");
    if (open == std::string_view::npos || spec.back() != ')') return;
    std::string_view version = spec.substr(open + 2, spec.size() - open - 3);
    out.push_back({std::string(spec.substr(0, open)), std::string(StripPlatform(version))});
  });
  return out;
}

bool RubyAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  return meta.type != image::EntryType::kDirectory && Wanted(path);
}

Status RubyAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  internal::ForEachWantedFile(
      input.files, sink, Wanted, [&](const std::string& path, std::string_view text) -> Status {
        std::vector<LangEntry> entries;
        if (IsGemspec(path)) {
          BULKHEAD_ASSIGN_OR_RETURN(LangEntry e, ParseGemspec(text, path));
          entries.push_back(std::move(e));
        } else {
          entries = ParseGemfileLock(text);
        }
        internal::EmitPackages("gem", path, std::move(entries), input.files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
