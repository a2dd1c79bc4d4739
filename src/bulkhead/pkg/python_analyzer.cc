#include "bulkhead/pkg/python_analyzer.h"

#include <deque>
#include <map>

#include "bulkhead/pkg/internal/toml_lock.h"
#include "bulkhead/pkg/purl.h"

namespace bulkhead::pkg {
namespace {

using internal::LangEntry;

bool IsMetadata(std::string_view path) noexcept {
  return PathHasSuffix(path, ".dist-info/METADATA") || PathHasSuffix(path, ".egg-info/PKG-INFO") ||
         PathHasSuffix(path, ".egg-info");
}

bool IsRequirements(std::string_view base) noexcept {
  return base.starts_with("requirements") && PathHasSuffix(base, ".txt");
}

bool IsLockfile(std::string_view path) noexcept {
  std::string_view base = internal::BaseName(path);
  return base == "poetry.lock" || base == "Pipfile.lock" || base == "uv.lock" ||
         IsRequirements(base);
}

bool Wanted(std::string_view path) noexcept { return IsMetadata(path) || IsLockfile(path); }

}  // namespace

Result<LangEntry> ParsePythonMetadata(std::string_view text, const std::string& name) {
  LangEntry out;
  size_t lines = 0;
  while (!text.empty() && lines++ < 10'000) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the body (description) follows the header block
    if (line.starts_with("Name:") && out.name.empty()) {
      out.name = std::string(internal::Trim(line.substr(5)));
    } else if (line.starts_with("Version:") && out.version.empty()) {
      out.version = std::string(internal::Trim(line.substr(8)));
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  if (out.name.empty() || out.version.empty()) {
    return Status::Corruption(name + ": no Name and Version in the metadata header");
  }
  return out;
}

std::vector<LangEntry> ParseRequirements(std::string_view text) {
  std::vector<LangEntry> out;
  ForEachLine(text, [&](std::string_view line) {
    if (out.size() >= internal::kMaxPackagesPerFile) return;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (size_t semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
    line = internal::Trim(line);
    if (line.empty() || line.front() == '-') return;  // options: -r, -e, --hash ...
    size_t eq = line.find("==");
    if (eq == std::string_view::npos) return;
    std::string_view name = internal::Trim(line.substr(0, eq));
    if (size_t bracket = name.find('['); bracket != std::string_view::npos) {
      name = internal::Trim(name.substr(0, bracket));
    }
    std::string_view version = line.substr(eq + 2);
    if (!version.empty() && version.front() == '=') version.remove_prefix(1);  // "==="
    version = internal::Trim(version);
    version = version.substr(0, version.find_first_of(" \t\\"));
    if (name.empty() || version.empty() ||
        version.find_first_of("*,<>!~") != std::string_view::npos ||
        name.find_first_of(" <>!~=@") != std::string_view::npos) {
      return;
    }
    out.push_back({std::string(name), std::string(version)});
  });
  return out;
}

Result<std::vector<LangEntry>> ParsePipfileLock(std::string_view text, const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  std::vector<LangEntry> out;
  simdjson::dom::object deps;
  if (root["default"].get_object().get(deps) != simdjson::SUCCESS) return out;  // "develop" is dev
  for (auto [key, value] : deps) {
    std::string_view version = internal::JsonStr(value, "version");
    if (!version.starts_with("==")) continue;  // git or path dependencies carry no version
    version.remove_prefix(2);
    out.push_back({std::string(key), std::string(version)});
  }
  return out;
}

Result<std::vector<LangEntry>> ParsePoetryLock(std::string_view text, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(std::vector<internal::TomlTable> tables,
                            internal::ReadTomlArrayTables(text, "package", name));
  std::vector<LangEntry> out;
  for (const internal::TomlTable& t : tables) {
    if (internal::TomlValue(t, "category") == "dev") continue;  // poetry < 1.2 marks dev
    out.push_back({std::string(internal::TomlValue(t, "name")),
                   std::string(internal::TomlValue(t, "version"))});
  }
  return out;
}

namespace {

// The `name = "..."` values of an array of inline tables written as text.
std::vector<std::string> InlineNames(std::string_view array) {
  std::vector<std::string> out;
  for (size_t at = array.find("name"); at != std::string_view::npos && out.size() < 100'000;
       at = array.find("name", at + 4)) {
    std::string_view rest = internal::Trim(array.substr(at + 4));
    if (rest.empty() || rest.front() != '=') continue;
    rest = internal::Trim(rest.substr(1));
    if (rest.empty() || rest.front() != '"') continue;
    size_t end = rest.find('"', 1);
    if (end == std::string_view::npos) break;
    out.emplace_back(rest.substr(1, end - 1));
  }
  return out;
}

bool LocalSource(std::string_view source) {
  return !internal::InlineTableValue(source, "virtual").empty() ||
         !internal::InlineTableValue(source, "editable").empty() ||
         !internal::InlineTableValue(source, "directory").empty();
}

}  // namespace

Result<std::vector<LangEntry>> ParseUvLock(std::string_view text, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(std::vector<internal::TomlTable> tables,
                            internal::ReadTomlArrayTables(text, "package", name));
  // Production packages are those the project (the virtual or editable root) needs
  // through `dependencies`; [package.dev-dependencies] groups are not followed. A lock
  // without such a root lists everything.
  std::multimap<std::string, size_t> by_name;
  std::vector<size_t> roots;
  for (size_t i = 0; i < tables.size(); ++i) {
    by_name.emplace(NormalizePypiName(internal::TomlValue(tables[i], "name")), i);
    if (LocalSource(internal::TomlValue(tables[i], "source"))) roots.push_back(i);
  }
  std::vector<bool> reached(tables.size(), roots.empty());
  std::deque<size_t> queue(roots.begin(), roots.end());
  for (size_t r : roots) reached[r] = true;
  while (!queue.empty()) {  // each package is queued once: cycles end
    size_t i = queue.front();
    queue.pop_front();
    for (const std::string& dep : InlineNames(internal::TomlValue(tables[i], "dependencies"))) {
      auto [lo, hi] = by_name.equal_range(NormalizePypiName(dep));
      for (auto it = lo; it != hi; ++it) {
        if (!reached[it->second]) {
          reached[it->second] = true;
          queue.push_back(it->second);
        }
      }
    }
  }
  std::vector<LangEntry> out;
  for (size_t i = 0; i < tables.size(); ++i) {
    // The project itself and local path packages: not releases of an index.
    if (!reached[i] || LocalSource(internal::TomlValue(tables[i], "source"))) continue;
    out.push_back({std::string(internal::TomlValue(tables[i], "name")),
                   std::string(internal::TomlValue(tables[i], "version"))});
  }
  return out;
}

bool PythonAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  if (meta.type == image::EntryType::kDirectory) return false;
  return Wanted(path);
}

Status PythonAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  const FileSet& files = input.files;
  internal::ForEachWantedFile(
      files, sink, Wanted, [&](const std::string& path, std::string_view text) -> Status {
        std::vector<LangEntry> entries;
        std::string_view base = internal::BaseName(path);
        if (IsMetadata(path)) {
          BULKHEAD_ASSIGN_OR_RETURN(LangEntry e, ParsePythonMetadata(text, path));
          entries.push_back(std::move(e));
        } else if (base == "poetry.lock") {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParsePoetryLock(text, path));
        } else if (base == "Pipfile.lock") {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParsePipfileLock(text, path));
        } else if (base == "uv.lock") {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParseUvLock(text, path));
        } else {
          entries = ParseRequirements(text);
        }
        internal::EmitPackages("pypi", path, std::move(entries), files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
