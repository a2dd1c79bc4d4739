#include "bulkhead/pkg/dpkg_analyzer.h"

#include <algorithm>
#include <map>

#include "bulkhead/core/path.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/pkg/purl.h"

namespace bulkhead::pkg {
namespace {

constexpr std::string_view kStatusPath = "/var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "/var/lib/dpkg/status.d/";
constexpr std::string_view kInfoDir = "/var/lib/dpkg/info/";

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Status is "<want> <error flag> <state>". The package's files are on disk when the state
// is "installed" (or only awaits trigger processing), whether the want flag is "install"
// or "hold" (apt-mark hold); "deinstall"/"purge" and states such as "config-files" or
// "not-installed" do not count.
bool Installed(const DpkgStanza& s, bool from_status_d) {
  if (s.status.empty()) return from_status_d;  // distroless writes no Status field
  std::string_view rest = s.status;
  std::string_view words[3];
  for (std::string_view& w : words) {
    rest = TrimView(rest);
    size_t end = rest.find_first_of(" \t");
    w = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (!TrimView(rest).empty()) return false;
  const std::string_view want = words[0], state = words[2];
  if (want == "deinstall" || want == "purge") return false;
  return state == "installed" || state == "triggers-pending" || state == "triggers-awaited";
}

// "glibc (2.36-9)" -> {"glibc", "2.36-9"}; "glibc" -> {"glibc", ""}.
std::pair<std::string, std::string> SplitSource(std::string_view source) {
  size_t paren = source.find('(');
  if (paren == std::string_view::npos) return {std::string(TrimView(source)), ""};
  std::string_view name = TrimView(source.substr(0, paren));
  std::string_view rest = source.substr(paren + 1);
  size_t close = rest.find(')');
  return {std::string(name), std::string(TrimView(rest.substr(0, close)))};
}

// A file-list path that the package itself owns. Directories are left out (many
// packages list /usr/bin), and so are links that stand for directories (usrmerge's /lib).
bool IsOwnedFile(const image::Overlay& overlay, std::string_view path) {
  Result<std::string> resolved = overlay.Resolve(path);
  if (!resolved.ok()) return true;  // listed but absent: still the package's claim
  const image::Overlay::File* f = overlay.Find(*resolved);
  return f && f->meta.type != image::EntryType::kDirectory;
}

struct Parsed {
  std::vector<DpkgStanza> stanzas;
  std::string db_path;
  bool status_d = false;
};

}  // namespace

Result<std::vector<DpkgStanza>> ParseDpkgStatus(std::string_view text, const std::string& name,
                                                size_t max_stanzas, Status* problem) {
  std::vector<DpkgStanza> out;
  DpkgStanza cur;
  bool in_stanza = false;
  bool damaged = false;  // the current stanza holds a malformed line: dropped
  size_t line_no = 0;
  Status error;  // stops the parse
  Status first_problem;
  auto flush = [&] {
    if (in_stanza && !damaged && !cur.package.empty()) out.push_back(std::move(cur));
    cur = DpkgStanza();
    in_stanza = false;
    damaged = false;
  };
  auto malformed = [&](const std::string& what) {
    Status s = Status::Corruption(name + ":" + std::to_string(line_no) + ": " + what);
    if (!problem) {
      error = std::move(s);
      return;
    }
    if (first_problem.ok()) first_problem = std::move(s);
    damaged = true;
  };
  ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    if (!error.ok()) return;
    if (TrimView(line).empty()) {
      flush();
      if (out.size() > max_stanzas) {
        error = Status::ResourceExhausted(name + ": more than " + std::to_string(max_stanzas) +
                                          " packages");
      }
      return;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (!in_stanza) malformed("continuation line outside a stanza");
      return;  // continuation of a multi-line field (Description, Conffiles...)
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      in_stanza = true;
      malformed("expected 'Field: value'");
      return;
    }
    in_stanza = true;
    std::string_view field = line.substr(0, colon);
    std::string_view value = TrimView(line.substr(colon + 1));
    std::string* last_field = nullptr;
    if (field == "Package")
      last_field = &cur.package;
    else if (field == "Status")
      last_field = &cur.status;
    else if (field == "Version")
      last_field = &cur.version;
    else if (field == "Architecture")
      last_field = &cur.architecture;
    else if (field == "Source")
      last_field = &cur.source;
    else if (field == "Multi-Arch")
      last_field = &cur.multi_arch;
    if (last_field) *last_field = std::string(value);
  });
  if (!error.ok()) return error;
  flush();
  if (out.size() > max_stanzas) {
    return Status::ResourceExhausted(name + ": more than " + std::to_string(max_stanzas) +
                                     " packages");
  }
  if (problem) *problem = std::move(first_problem);
  return out;
}

bool DpkgAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  if (meta.type == image::EntryType::kDirectory) return false;
  if (path == kStatusPath) return true;
  if (PathHasPrefix(path, kStatusDir))
    return path.find('/', kStatusDir.size()) == std::string_view::npos;
  return PathHasPrefix(path, kInfoDir) && PathHasSuffix(path, ".list") &&
         path.find('/', kInfoDir.size()) == std::string_view::npos;
}

Status DpkgAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  const FileSet& files = input.files;
  PackageLayers layers;
  for (size_t layer = 0; layer < files.layer_count(); ++layer) {
    std::optional<std::string_view> text = files.ReadInLayer(layer, kStatusPath);
    if (!text) continue;
    Status damaged;  // reported below if it is the final database
    Result<std::vector<DpkgStanza>> stanzas =
        ParseDpkgStatus(*text, std::string(kStatusPath), 200'000, &damaged);
    if (!stanzas.ok()) continue;
    std::vector<std::pair<std::string, std::string>> entries;
    for (const DpkgStanza& s : *stanzas) {
      if (Installed(s, false)) entries.emplace_back(s.package + ":" + s.architecture, s.version);
    }
    layers.Observe(layer, entries);
  }

  std::vector<Parsed> dbs;
  Status first_error;
  if (Result<std::string_view> text = files.ReadFinal(kStatusPath); text.ok()) {
    Status problem;
    Result<std::vector<DpkgStanza>> stanzas =
        ParseDpkgStatus(*text, std::string(kStatusPath), 200'000, &problem);
    if (stanzas.ok()) {
      dbs.push_back({std::move(stanzas).value(), std::string(kStatusPath), false});
      first_error = std::move(problem);  // the scanner reports it as a diagnostic
    } else {
      first_error = stanzas.error();
    }
  }
  for (const std::string& path : files.FinalPathsUnder(kStatusDir)) {
    if (PathHasSuffix(path, ".md5sums")) continue;
    Result<std::string_view> text = files.ReadFinal(path);
    if (!text.ok()) continue;
    Status problem;
    Result<std::vector<DpkgStanza>> stanzas = ParseDpkgStatus(*text, path, 200'000, &problem);
    if (!stanzas.ok()) {
      sink.AddDiagnostic(path, std::string(stanzas.error().message()));
      continue;
    }
    if (!problem.ok()) sink.AddDiagnostic(path, std::string(problem.message()));
    dbs.push_back({std::move(stanzas).value(), path, true});
  }

  const std::string distro = DistroQualifier(input.os);
  const std::string ns = input.os.family.empty() ? "debian" : input.os.family;
  for (const Parsed& db : dbs) {
    for (const DpkgStanza& s : db.stanzas) {
      if (!Installed(s, db.status_d)) continue;
      Package p;
      p.type = "deb";
      p.name = s.package;
      p.version = s.version;
      p.arch = s.architecture;
      auto [src_name, src_version] = SplitSource(s.source);
      p.source_name = src_name.empty() ? s.package : src_name;
      p.source_version = src_version.empty() ? s.version : src_version;
      p.db_path = db.db_path;
      std::string version = s.version;
      std::string epoch;
      if (size_t colon = version.find(':'); colon != std::string::npos) {
        epoch = version.substr(0, colon);
        version = version.substr(colon + 1);
      }
      p.purl = BuildPurl("deb", ns, s.package, version,
                         {{"arch", s.architecture}, {"distro", distro}, {"epoch", epoch}});
      // Layer: status.d files belong to the layer that wrote them.
      std::optional<uint32_t> layer;
      if (db.status_d) {
        layer = files.FinalLayer(db.db_path);
      } else {
        std::optional<size_t> found = layers.Find(s.package + ":" + s.architecture, s.version);
        layer = found ? std::optional<uint32_t>(static_cast<uint32_t>(*found))
                      : files.FinalLayer(db.db_path);
      }
      if (layer) p.layer = files.layer_digest(*layer);
      // Owned files: info/<name>.list or info/<name>:<arch>.list.
      std::string info = std::string(kInfoDir) + s.package;
      Result<std::string_view> list = files.ReadFinal(info + ".list");
      if (!list.ok()) list = files.ReadFinal(info + ":" + s.architecture + ".list");
      if (list.ok()) {
        ForEachLine(*list, [&](std::string_view line) {
          if (line.empty() || line == "/.") return;
          std::string path = CanonicalizePath(line).path;
          if (IsOwnedFile(files.overlay(), path)) p.files.push_back(std::move(path));
        });
        std::sort(p.files.begin(), p.files.end());
        p.files.erase(std::unique(p.files.begin(), p.files.end()), p.files.end());
      }
      sink.AddPackage(std::move(p));
    }
  }
  return first_error;
}

}  // namespace bulkhead::pkg
