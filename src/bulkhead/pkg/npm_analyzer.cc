#include "bulkhead/pkg/npm_analyzer.h"

#include <deque>
#include <map>
#include <set>

#include "bulkhead/pkg/internal/yaml.h"

namespace bulkhead::pkg {
namespace {

using internal::LangEntry;

constexpr std::string_view kNodeModules = "/node_modules/";

// node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, the
// manifest npm writes for each installed package (not files deeper in the package).
bool IsInstalledPackageJson(std::string_view path) noexcept {
  if (!PathHasSuffix(path, "/package.json")) return false;
  size_t nm = path.rfind(kNodeModules);
  if (nm == std::string_view::npos) return false;
  std::string_view rest = path.substr(nm + kNodeModules.size());
  rest.remove_suffix(std::string_view("/package.json").size());
  if (rest.empty() || rest.front() == '.') return false;  // .bin, .pnpm, ...
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return true;
  if (rest.front() != '@') return false;
  return rest.find('/', slash + 1) == std::string_view::npos && slash + 1 < rest.size();
}

bool IsLockfile(std::string_view path) noexcept {
  if (path.find(kNodeModules) != std::string_view::npos) return false;
  std::string_view base = internal::BaseName(path);
  return base == "package-lock.json" || base == "yarn.lock" || base == "pnpm-lock.yaml";
}

// A project manifest beside a lockfile: its dependency lists say which lockfile
// entries a production install holds.
bool IsProjectPackageJson(std::string_view path) noexcept {
  return internal::BaseName(path) == "package.json" &&
         path.find(kNodeModules) == std::string_view::npos;
}

// "name@range" -> {"name", "range"}; a leading "@" belongs to the scope.
std::pair<std::string_view, std::string_view> SplitSpec(std::string_view spec) {
  size_t at = spec.find('@', 1);
  if (at == std::string_view::npos) return {spec, std::string_view()};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

// Versions that name no registry release (git, file, link, workspace): nothing to match.
bool RegistryVersion(std::string_view v) {
  return !v.empty() && v.find(':') == std::string_view::npos &&
         v.find('/') == std::string_view::npos;
}

// package-lock v1 "dependencies", nested per package.
Status WalkLockV1(simdjson::dom::object deps, size_t depth, const std::string& name,
                  std::vector<LangEntry>* out) {
  if (depth > internal::kMaxLockDepth) {
    return Status::ResourceExhausted(name + ": dependencies nest deeper than " +
                                     std::to_string(internal::kMaxLockDepth));
  }
  for (auto [key, value] : deps) {
    if (out->size() > internal::kMaxPackagesPerFile) {
      return Status::ResourceExhausted(name + ": too many packages");
    }
    bool dev = false;
    if (value["dev"].get_bool().get(dev) == simdjson::SUCCESS && dev) continue;
    std::string_view version = internal::JsonStr(value, "version");
    std::string_view pkg_name = key;
    if (version.starts_with("npm:")) {  // an alias: "npm:real-name@1.2.3"
      auto [real, v] = SplitSpec(version.substr(4));
      pkg_name = real;
      version = v;
    }
    if (RegistryVersion(version)) out->push_back({std::string(pkg_name), std::string(version)});
    simdjson::dom::object nested;
    if (value["dependencies"].get_object().get(nested) == simdjson::SUCCESS) {
      BULKHEAD_RETURN_IF_ERROR(WalkLockV1(nested, depth + 1, name, out));
    }
  }
  return Status::OK();
}

struct ProjectDeps {
  std::vector<std::pair<std::string, std::string>> prod;  // (name, range)
};

Result<ProjectDeps> ParseProjectPackageJson(internal::JsonParser& json, std::string_view text,
                                            const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  ProjectDeps out;
  for (const char* field : {"dependencies", "optionalDependencies"}) {
    simdjson::dom::object deps;
    if (root[field].get_object().get(deps) != simdjson::SUCCESS) continue;
    for (auto [k, v] : deps) {
      std::string_view range;
      if (v.get_string().get(range) == simdjson::SUCCESS) {
        out.prod.emplace_back(std::string(k), std::string(range));
      }
    }
  }
  return out;
}

// yarn.lock entries, keyed by each of their specs ("name@range").
struct YarnEntry {
  std::string name;
  std::string version;
  std::vector<std::string> deps;  // specs
};

Result<std::vector<YarnEntry>> ParseYarnEntries(std::string_view text, const std::string& name,
                                                std::map<std::string, size_t>* by_spec) {
  std::vector<YarnEntry> out;
  bool in_entry = false, in_deps = false, skip = false;
  size_t line_no = 0;
  Status error;
  ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    if (!error.ok() || line.empty() || internal::Trim(line).empty()) return;
    if (line.front() == '#') return;
    if (line.front() != ' ') {  // an entry header: specs separated by ", ", then ':'
      in_deps = false;
      if (line.back() != ':') {
        error = Status::Corruption(name + ":" + std::to_string(line_no) +
                                   ": expected an entry header ending with ':'");
        return;
      }
      if (out.size() >= internal::kMaxPackagesPerFile) {
        error = Status::ResourceExhausted(name + ": too many packages");
        return;
      }
      std::string_view specs = line.substr(0, line.size() - 1);
      in_entry = specs != "__metadata";
      skip = !in_entry;
      if (!in_entry) return;
      out.emplace_back();
      while (!specs.empty()) {
        size_t comma = specs.find(',');
        std::string_view spec = internal::Unquote(internal::Trim(specs.substr(0, comma)));
        auto [n, range] = SplitSpec(spec);
        if (out.back().name.empty()) out.back().name = std::string(n);
        // Workspace and local packages are the project's own code.
        if (range.starts_with("workspace:") || range.starts_with("link:") ||
            range.starts_with("portal:") || range.starts_with("file:")) {
          skip = true;
        }
        (*by_spec)[std::string(spec)] = out.size() - 1;
        if (comma == std::string_view::npos) break;
        specs.remove_prefix(comma + 1);
      }
      if (skip) out.back().name.clear();
      return;
    }
    if (!in_entry) return;
    size_t indent = line.find_first_not_of(' ');
    std::string_view body = line.substr(indent);
    if (indent == 2) {
      in_deps = body == "dependencies:" || body == "optionalDependencies:";
      if (body.starts_with("version")) {
        std::string_view v = internal::Trim(body.substr(7));
        if (!v.empty() && v.front() == ':') v = internal::Trim(v.substr(1));
        out.back().version = std::string(internal::Unquote(v));
      }
    } else if (indent == 4 && in_deps) {
      // v1: `name "range"`; berry: `name: "npm:range"` (ranges may hold spaces).
      std::string_view dep = body;
      size_t split = dep.find(": ");
      std::string_view dep_name, range;
      if (split != std::string_view::npos && (dep.front() == '"' || dep.find(' ') > split)) {
        dep_name = internal::Unquote(dep.substr(0, split));
        range = internal::Unquote(internal::Trim(dep.substr(split + 2)));
      } else {
        size_t sp = dep.find(' ');
        dep_name = internal::Unquote(dep.substr(0, sp));
        range = sp == std::string_view::npos ? std::string_view()
                                             : internal::Unquote(internal::Trim(dep.substr(sp)));
      }
      out.back().deps.push_back(std::string(dep_name) + "@" + std::string(range));
    }
  });
  if (!error.ok()) return error;
  return out;
}

// Entries reachable from the project's production dependencies; all entries when the
// project manifest is unknown.
std::vector<LangEntry> YarnReachable(const std::vector<YarnEntry>& entries,
                                     const std::map<std::string, size_t>& by_spec,
                                     const ProjectDeps* project) {
  std::vector<LangEntry> out;
  auto add = [&](const YarnEntry& e) {
    if (!e.name.empty() && RegistryVersion(e.version)) out.push_back({e.name, e.version});
  };
  if (!project) {
    for (const YarnEntry& e : entries) add(e);
    return out;
  }
  auto find = [&](const std::string& spec) -> std::optional<size_t> {
    auto it = by_spec.find(spec);
    if (it == by_spec.end()) {
      // berry writes "name@npm:range" keys for plain "range" dependencies.
      auto [n, range] = SplitSpec(spec);
      it = by_spec.find(std::string(n) + "@npm:" + std::string(range));
    }
    if (it == by_spec.end()) return std::nullopt;
    return it->second;
  };
  std::vector<bool> seen(entries.size(), false);
  std::deque<size_t> queue;
  for (const auto& [n, range] : project->prod) {
    if (auto i = find(n + "@" + range); i && !seen[*i]) {
      seen[*i] = true;
      queue.push_back(*i);
    }
  }
  while (!queue.empty()) {  // each entry is queued once: cycles end
    size_t i = queue.front();
    queue.pop_front();
    add(entries[i]);
    for (const std::string& spec : entries[i].deps) {
      if (auto j = find(spec); j && !seen[*j]) {
        seen[*j] = true;
        queue.push_back(*j);
      }
    }
  }
  return out;
}

// pnpm package keys: "/name/1.2.3_peer" (v5), "/name@1.2.3(peer)" (v6), "name@1.2.3" (v9).
LangEntry PnpmKey(std::string_view key, bool v5) {
  if (!key.empty() && key.front() == '/') key.remove_prefix(1);
  std::string_view name, version;
  if (v5) {
    // The name is one segment, or two with a scope; the peer suffix after "_" may hold
    // slashes of its own ("_@types+react@18").
    size_t scope_end = 0;
    if (!key.empty() && key.front() == '@') {
      scope_end = key.find('/');
      if (scope_end == std::string_view::npos) return {};
      ++scope_end;
    }
    size_t slash = key.find('/', scope_end);
    if (slash == std::string_view::npos) return {};
    name = key.substr(0, slash);
    version = key.substr(slash + 1);
    version = version.substr(0, version.find('_'));
  } else {
    key = key.substr(0, key.find('('));
    size_t at = key.find('@', 1);
    if (at == std::string_view::npos) return {};
    name = key.substr(0, at);
    version = key.substr(at + 1);
  }
  if (name.empty() || !RegistryVersion(version)) return {};
  return {std::string(name), std::string(version)};
}

Result<std::vector<LangEntry>> ParsePnpmNode(const YAML::Node& root, const std::string& name) {
  std::vector<LangEntry> out;
  if (!root.IsMap()) return Status::Corruption(name + ": not a pnpm lockfile (no mapping)");
  YAML::Node packages = root["packages"];
  if (!packages || !packages.IsMap()) return out;
  YAML::Node snapshots = root["snapshots"];
  YAML::Node importers = root["importers"];
  // lockfileVersion 5.x (a number or a string) names packages "/name/version".
  const std::string lock_version = internal::YamlScalar(root, "lockfileVersion");
  const bool v5 = !lock_version.empty() && lock_version.front() < '6' &&
                  (lock_version.size() == 1 || lock_version[1] == '.');
  if (snapshots && snapshots.IsMap()) {
    // v9: production packages are those reachable from the importers' dependencies.
    std::deque<std::string> queue;
    std::set<std::string> seen;
    auto push = [&](const std::string& n, const std::string& v) {
      std::string key = n + "@" + v;  // snapshot keys keep the peer suffix
      if (seen.size() < internal::kMaxPackagesPerFile && seen.insert(key).second) {
        queue.push_back(key);
      }
    };
    std::vector<YAML::Node> roots;
    if (importers && importers.IsMap()) {
      for (const auto& imp : importers) roots.push_back(imp.second);
    } else {
      roots.push_back(root);
    }
    for (const YAML::Node& r : roots) {
      for (const char* field : {"dependencies", "optionalDependencies"}) {
        YAML::Node deps = r[field];
        if (!deps || !deps.IsMap()) continue;
        for (const auto& d : deps) {
          std::string v = d.second.IsMap() ? internal::YamlScalar(d.second, "version")
                                           : (d.second.IsScalar() ? d.second.Scalar() : "");
          push(d.first.Scalar(), v);
        }
      }
    }
    while (!queue.empty()) {
      std::string key = queue.front();
      queue.pop_front();
      LangEntry e = PnpmKey(key, v5);
      if (!e.name.empty()) out.push_back(e);
      YAML::Node snap = snapshots[key];
      if (!snap || !snap.IsMap()) continue;
      for (const char* field : {"dependencies", "optionalDependencies"}) {
        YAML::Node deps = snap[field];
        if (!deps || !deps.IsMap()) continue;
        for (const auto& d : deps) {
          if (d.second.IsScalar()) push(d.first.Scalar(), d.second.Scalar());
        }
      }
    }
    return out;
  }
  for (const auto& entry : packages) {
    if (out.size() >= internal::kMaxPackagesPerFile) {
      return Status::ResourceExhausted(name + ": too many packages");
    }
    if (entry.second.IsMap() && internal::YamlScalar(entry.second, "dev") == "true") continue;
    LangEntry e = PnpmKey(entry.first.Scalar(), v5);
    std::string n = internal::YamlScalar(entry.second, "name");
    std::string v = internal::YamlScalar(entry.second, "version");
    if (!n.empty() && RegistryVersion(v)) e = {n, v};
    if (!e.name.empty()) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<LangEntry>> ParsePackageLock(std::string_view text, const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  std::vector<LangEntry> out;
  simdjson::dom::object packages;
  if (root["packages"].get_object().get(packages) == simdjson::SUCCESS) {  // v2, v3
    for (auto [key, value] : packages) {
      if (out.size() > internal::kMaxPackagesPerFile) {
        return Status::ResourceExhausted(name + ": too many packages");
      }
      size_t nm = key.rfind("node_modules/");
      if (nm == std::string_view::npos) continue;  // the root or a workspace folder
      bool flag = false;
      if (value["dev"].get_bool().get(flag) == simdjson::SUCCESS && flag) continue;
      if (value["link"].get_bool().get(flag) == simdjson::SUCCESS && flag) continue;
      std::string_view pkg_name = internal::JsonStr(value, "name");
      if (pkg_name.empty()) pkg_name = key.substr(nm + std::string_view("node_modules/").size());
      std::string_view version = internal::JsonStr(value, "version");
      if (RegistryVersion(version)) out.push_back({std::string(pkg_name), std::string(version)});
    }
    return out;
  }
  simdjson::dom::object deps;
  if (root["dependencies"].get_object().get(deps) == simdjson::SUCCESS) {  // v1
    BULKHEAD_RETURN_IF_ERROR(WalkLockV1(deps, 0, name, &out));
  }
  return out;
}

Result<std::vector<LangEntry>> ParseYarnLock(std::string_view text, const std::string& name) {
  std::map<std::string, size_t> by_spec;
  BULKHEAD_ASSIGN_OR_RETURN(std::vector<YarnEntry> entries, ParseYarnEntries(text, name, &by_spec));
  return YarnReachable(entries, by_spec, nullptr);
}

Result<std::vector<LangEntry>> ParsePnpmLock(std::string_view text, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(YAML::Node root, internal::LoadYaml(text, name));
  try {
    return ParsePnpmNode(root, name);
  } catch (const std::exception& e) {
    return Status::Corruption(name + ": unexpected pnpm lockfile layout: " + e.what());
  }
}

bool NpmAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  if (meta.type == image::EntryType::kDirectory) return false;
  return IsInstalledPackageJson(path) || IsLockfile(path) || IsProjectPackageJson(path);
}

Status NpmAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  const FileSet& files = input.files;
  internal::JsonParser json;
  // Projects (the folder holding node_modules) with an installed tree.
  std::set<std::string, std::less<>> installed_roots;
  std::string_view last_root;  // consecutive packages mostly share their project
  internal::ForEachWantedFile(
      files, sink, IsInstalledPackageJson,
      [&](const std::string& path, std::string_view text) -> Status {
        BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, path));
        std::string_view project = std::string_view(path).substr(0, path.find(kNodeModules));
        if (last_root != project) last_root = *installed_roots.insert(std::string(project)).first;
        std::vector<LangEntry> entry{{std::string(internal::JsonStr(root, "name")),
                                      std::string(internal::JsonStr(root, "version"))}};
        internal::EmitPackages("npm", path, std::move(entry), files, sink);
        return Status::OK();
      });
  internal::ForEachWantedFile(
      files, sink, IsLockfile, [&](const std::string& path, std::string_view text) -> Status {
        std::string_view dir = internal::DirName(path);
        if (installed_roots.count(dir)) return Status::OK();  // the tree is the truth
        std::string_view base = internal::BaseName(path);
        std::vector<LangEntry> entries;
        if (base == "package-lock.json") {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParsePackageLock(text, path));
        } else if (base == "pnpm-lock.yaml") {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParsePnpmLock(text, path));
        } else {
          std::map<std::string, size_t> by_spec;
          BULKHEAD_ASSIGN_OR_RETURN(std::vector<YarnEntry> yarn,
                                    ParseYarnEntries(text, path, &by_spec));
          std::optional<ProjectDeps> project;
          std::string manifest = std::string(dir) + "/package.json";
          if (Result<std::string_view> m = files.ReadFinal(manifest); m.ok()) {
            Result<ProjectDeps> parsed = ParseProjectPackageJson(json, *m, manifest);
            if (parsed.ok()) project = std::move(parsed).value();
          }
          entries = YarnReachable(yarn, by_spec, project ? &*project : nullptr);
        }
        internal::EmitPackages("npm", path, std::move(entries), files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
