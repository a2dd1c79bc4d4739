#include "bulkhead/pkg/internal/lang.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "bulkhead/pkg/internal/summary.h"
#include "bulkhead/pkg/purl.h"

namespace bulkhead::pkg::internal {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

std::string LayerOf(const FileSet& files, std::string_view path) {
  std::optional<uint32_t> layer = files.FinalLayer(path);
  return layer ? files.layer_digest(*layer) : std::string();
}

namespace {

// The content and layer digest of `path` when it is, in the final image, a captured
// regular file (or a hard link to one) that `wanted` accepts.
struct Wanted {
  std::string_view content;
  const std::string* layer = nullptr;
};
std::optional<Wanted> ReadWanted(const FileSet& files, const std::string& path) {
  // The paths FinalPaths() lists are canonical and final: no links to resolve.
  const image::Overlay::File* f = files.overlay().Find(path);
  if (!f ||
      (f->meta.type != image::EntryType::kFile && f->meta.type != image::EntryType::kHardlink)) {
    return std::nullopt;
  }
  std::optional<std::string_view> content = files.ReadInLayer(f->layer, path);
  if (!content) return std::nullopt;
  return Wanted{*content, &files.layer_digest(f->layer)};
}

}  // namespace

void ForEachWantedFile(const FileSet& files, AnalysisSink& sink,
                       const std::function<bool(std::string_view)>& wanted,
                       const std::function<Status(const std::string&, std::string_view)>& fn) {
  for (const std::string& path : files.FinalPaths()) {
    if (!wanted(path)) continue;
    std::optional<Wanted> w = ReadWanted(files, path);
    if (!w) continue;  // a link or a directory now: nothing to read
    Status s;
    if (w->content.size() > kMaxManifestBytes) {
      s = Status::ResourceExhausted(path + ": " + std::to_string(w->content.size()) +
                                    " bytes, over the limit of " +
                                    std::to_string(kMaxManifestBytes));
    } else {
      s = fn(path, w->content);
    }
    if (!s.ok()) sink.AddDiagnostic(path, std::string(s.message()), *w->layer);
  }
}

void EmitPackages(std::string_view type, const std::string& path, std::vector<LangEntry> entries,
                  const FileSet& files, AnalysisSink& sink) {
  std::erase_if(entries, [](const LangEntry& e) { return e.name.empty() || e.version.empty(); });
  if (entries.empty()) return;
  if (entries.size() > 1) {  // sorted, each (name, version) once
    std::sort(entries.begin(), entries.end(), [](const LangEntry& a, const LangEntry& b) {
      return std::tie(a.name, a.version) < std::tie(b.name, b.version);
    });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const LangEntry& a, const LangEntry& b) {
                                return a.name == b.name && a.version == b.version;
                              }),
                  entries.end());
  }
  const image::Overlay::File* f = files.overlay().Find(path);
  const std::string layer = f ? files.layer_digest(f->layer) : LayerOf(files, path);
  for (LangEntry& e : entries) {
    Package p;
    p.type = std::string(type);
    p.purl = LanguagePurl(type, e.name, e.version);
    p.name = std::move(e.name);
    p.version = std::move(e.version);
    p.db_path = path;
    p.layer = layer;
    sink.AddPackage(std::move(p));
  }
}

void AnalyzeReduced(const ReducingAnalyzer& analyzer, const FileSet& files, AnalysisSink& sink,
                    const std::function<bool(std::string_view)>& wanted) {
  for (const std::string& path : files.FinalPaths()) {
    if (!wanted(path)) continue;
    std::optional<Wanted> w = ReadWanted(files, path);
    if (!w) continue;
    Summary summary;
    if (IsSummary(w->content)) {
      summary = DecodeSummary(w->content);
    } else if (analyzer.Accepts(w->content)) {
      summary = DecodeSummary(analyzer.Reduce(path, w->content));
    } else {
      continue;  // not a kind of file this analyzer reads (a script, a text file)
    }
    for (std::string& problem : summary.problems) {
      sink.AddDiagnostic(path, std::move(problem), *w->layer);
    }
    std::map<std::string, std::vector<LangEntry>> by_type;
    for (SummaryPackage& p : summary.packages) {
      by_type[p.type].push_back({std::move(p.name), std::move(p.version)});
    }
    for (auto& [type, entries] : by_type) EmitPackages(type, path, std::move(entries), files, sink);
  }
}

Result<simdjson::dom::element> JsonParser::Parse(std::string_view text, const std::string& name) {
  if (text.size() > kMaxManifestBytes) {
    return Status::ResourceExhausted(name + ": JSON document of " + std::to_string(text.size()) +
                                     " bytes is over the limit");
  }
  if (buffer_.size() < text.size()) buffer_ = simdjson::padded_string(text.size());
  // padded_string has no resize: copy into the reused buffer and parse the prefix.
  std::copy(text.begin(), text.end(), buffer_.data());
  simdjson::dom::element root;
  simdjson::error_code err =
      parser_.parse(buffer_.data(), text.size(), /*realloc_if_needed=*/false).get(root);
  if (err == simdjson::CAPACITY) {
    return Status::ResourceExhausted(name + ": JSON document too large");
  }
  if (err != simdjson::SUCCESS) {
    return Status::Corruption(name + ": invalid JSON: " + simdjson::error_message(err));
  }
  return root;
}

std::string_view JsonStr(simdjson::dom::element e, std::string_view key) {
  std::string_view out;
  if (e[key].get_string().get(out) != simdjson::SUCCESS) return std::string_view();
  return out;
}

}  // namespace bulkhead::pkg::internal
