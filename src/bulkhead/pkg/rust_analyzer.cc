#include "bulkhead/pkg/rust_analyzer.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "bulkhead/pkg/internal/toml_lock.h"

namespace bulkhead::pkg {
namespace {

bool Wanted(std::string_view path) noexcept { return internal::BaseName(path) == "Cargo.lock"; }

// "[dev-dependencies]" / "[target.'cfg(x)'.dev-dependencies]" (and "...dev-dependencies.foo]").
bool IsDevSection(std::string_view header) {
  return header.find("dev-dependencies") != std::string_view::npos;
}

}  // namespace

CargoManifest ParseCargoManifest(std::string_view text) {
  CargoManifest out;
  std::string section;
  std::set<std::string> dev, normal;
  ForEachLine(text, [&](std::string_view line) {
    line = internal::Trim(line);
    if (line.empty() || line.front() == '#') return;
    if (line.front() == '[') {
      section = std::string(line);
      // "[dependencies.foo]" names a dependency in its header.
      for (std::string_view kind : {"dev-dependencies.", "dependencies."}) {
        size_t at = section.find(kind);
        if (at != std::string::npos && section.find('.', at + kind.size()) == std::string::npos) {
          std::string name = section.substr(at + kind.size());
          if (!name.empty() && name.back() == ']') name.pop_back();
          (kind.starts_with("dev-") ? dev : normal).insert(name);
          section.clear();
          break;
        }
      }
      return;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return;
    std::string key(internal::Unquote(internal::Trim(line.substr(0, eq))));
    if (section == "[package]" && key == "name" && out.name.empty()) {
      out.name = std::string(internal::Unquote(internal::Trim(line.substr(eq + 1))));
    } else if (IsDevSection(section)) {
      dev.insert(key);
    } else if (section.find("dependencies]") != std::string::npos) {
      normal.insert(key);
    }
  });
  for (const std::string& d : dev) {
    if (!normal.count(d)) out.dev_only.push_back(d);
  }
  return out;
}

Result<std::vector<internal::LangEntry>> ParseCargoLock(std::string_view text,
                                                        const std::string& name,
                                                        const CargoManifest* manifest) {
  BULKHEAD_ASSIGN_OR_RETURN(std::vector<internal::TomlTable> tables,
                            internal::ReadTomlArrayTables(text, "package", name));
  std::vector<internal::LangEntry> out;
  auto add = [&](const internal::TomlTable& t) {
    if (internal::TomlValue(t, "source").empty()) return;  // the workspace's own crates
    out.push_back({std::string(internal::TomlValue(t, "name")),
                   std::string(internal::TomlValue(t, "version"))});
  };
  std::optional<size_t> root;
  if (manifest && !manifest->name.empty()) {
    for (size_t i = 0; i < tables.size(); ++i) {
      if (internal::TomlValue(tables[i], "name") == manifest->name &&
          internal::TomlValue(tables[i], "source").empty()) {
        root = i;
      }
    }
  }
  if (!root) {
    for (const internal::TomlTable& t : tables) add(t);
    return out;
  }
  // What the root crate needs outside its dev-dependencies, followed through the lock.
  std::multimap<std::string, size_t, std::less<>> by_name;
  for (size_t i = 0; i < tables.size(); ++i) {
    by_name.emplace(std::string(internal::TomlValue(tables[i], "name")), i);
  }
  auto resolve = [&](std::string_view ref) -> std::optional<size_t> {
    // "name", "name version" or "name version (source)".
    size_t sp = ref.find(' ');
    std::string_view n = ref.substr(0, sp);
    std::string_view v;
    if (sp != std::string_view::npos) {
      v = ref.substr(sp + 1);
      v = v.substr(0, v.find(' '));
    }
    auto [lo, hi] = by_name.equal_range(n);
    for (auto it = lo; it != hi; ++it) {
      if (v.empty() || internal::TomlValue(tables[it->second], "version") == v) return it->second;
    }
    return std::nullopt;
  };
  std::vector<bool> seen(tables.size(), false);
  std::deque<size_t> queue;
  seen[*root] = true;
  for (const std::string& dep :
       internal::TomlStringArray(internal::TomlValue(tables[*root], "dependencies"))) {
    std::string_view dep_name = std::string_view(dep).substr(0, dep.find(' '));
    if (std::find(manifest->dev_only.begin(), manifest->dev_only.end(), dep_name) !=
        manifest->dev_only.end()) {
      continue;
    }
    if (auto i = resolve(dep); i && !seen[*i]) {
      seen[*i] = true;
      queue.push_back(*i);
    }
  }
  while (!queue.empty()) {  // each crate is queued once: cycles end
    size_t i = queue.front();
    queue.pop_front();
    add(tables[i]);
    for (const std::string& dep :
         internal::TomlStringArray(internal::TomlValue(tables[i], "dependencies"))) {
      if (auto j = resolve(dep); j && !seen[*j]) {
        seen[*j] = true;
        queue.push_back(*j);
      }
    }
  }
  return out;
}

bool RustAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  return meta.type != image::EntryType::kDirectory &&
         (Wanted(path) || internal::BaseName(path) == "Cargo.toml");
}

Status RustAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  internal::ForEachWantedFile(
      input.files, sink, Wanted, [&](const std::string& path, std::string_view text) -> Status {
        std::optional<CargoManifest> manifest;
        std::string toml = std::string(internal::DirName(path)) + "/Cargo.toml";
        if (Result<std::string_view> m = input.files.ReadFinal(toml); m.ok()) {
          manifest = ParseCargoManifest(*m);
        }
        BULKHEAD_ASSIGN_OR_RETURN(std::vector<internal::LangEntry> entries,
                                  ParseCargoLock(text, path, manifest ? &*manifest : nullptr));
        internal::EmitPackages("cargo", path, std::move(entries), input.files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
