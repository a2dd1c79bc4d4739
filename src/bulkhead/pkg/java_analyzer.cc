#include "bulkhead/pkg/java_analyzer.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

#include "bulkhead/pkg/internal/lang.h"
#include "bulkhead/pkg/internal/summary.h"

namespace bulkhead::pkg {
namespace {

constexpr uint64_t kMaxTextEntryBytes = 1 << 20;  // pom.properties, MANIFEST.MF

bool IsArchiveName(std::string_view path) noexcept {
  return PathHasSuffix(path, ".jar") || PathHasSuffix(path, ".war") ||
         PathHasSuffix(path, ".ear") || PathHasSuffix(path, ".hpi") || PathHasSuffix(path, ".jpi");
}

// libarchive's message for the last error; it may have none.
std::string ArchiveError(::archive* a) {
  const char* e = archive_error_string(a);
  return e ? e : "unknown error";
}

struct ArchiveFree {
  void operator()(::archive* a) const { archive_read_free(a); }
};

struct Walk {
  const JarLimits& limits;
  uint64_t inflated = 0;
  size_t entries = 0;
  internal::Summary summary;
  bool stopped = false;  // a bound was hit: the rest of the archive is not read

  void Problem(std::string message) {
    if (summary.problems.size() < 100) summary.problems.push_back(std::move(message));
  }
};

// Reads the current entry, at most `max` bytes. False (and a problem) past a bound.
bool ReadEntry(::archive* a, std::string_view where, uint64_t max, Walk& walk, std::string* out) {
  char buf[64 * 1024];
  for (;;) {
    la_ssize_t n = archive_read_data(a, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      walk.Problem(std::string(where) + ": cannot inflate: " + ArchiveError(a));
      return false;
    }
    walk.inflated += static_cast<uint64_t>(n);
    if (walk.inflated > walk.limits.max_inflated_bytes) {
      walk.Problem(std::string(where) + ": archive inflates past " +
                   std::to_string(walk.limits.max_inflated_bytes) + " bytes (a zip bomb?)");
      walk.stopped = true;
      return false;
    }
    if (out->size() + static_cast<uint64_t>(n) > max) {
      walk.Problem(std::string(where) + ": entry inflates past " + std::to_string(max) +
                   " bytes; not read");
      return false;
    }
    out->append(buf, static_cast<size_t>(n));
  }
}

// "key=value" lines of a java .properties file (no escapes or continuations needed here).
std::string PropertyValue(std::string_view text, std::string_view key) {
  std::string out;
  ForEachLine(text, [&](std::string_view line) {
    line = internal::Trim(line);
    if (line.empty() || line.front() == '#' || line.front() == '!') return;
    size_t eq = line.find_first_of("=:");
    if (eq == std::string_view::npos) return;
    if (internal::Trim(line.substr(0, eq)) == key && out.empty()) {
      out = std::string(internal::Trim(line.substr(eq + 1)));
    }
  });
  return out;
}

// A MANIFEST.MF main-section attribute (continuation lines start with one space).
std::string ManifestValue(std::string_view text, std::string_view key) {
  std::string out;
  bool in_value = false, done = false;
  ForEachLine(text, [&](std::string_view line) {
    if (done) return;
    if (line.empty()) {
      done = !out.empty() || in_value;  // the main section ends at the first blank line
      in_value = false;
      return;
    }
    if (line.front() == ' ') {
      if (in_value) out += line.substr(1);
      return;
    }
    in_value = false;
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && line.substr(0, colon) == key && out.empty()) {
      out = std::string(internal::Trim(line.substr(colon + 1)));
      in_value = true;
    }
  });
  return std::string(internal::Trim(out));
}

// The package all of an archive's classes share ("org.slf4j" for org/slf4j/*.class and
// org/slf4j/helpers/*.class), built one class entry at a time.
class ClassPackage {
 public:
  void Add(std::string_view entry) {
    if (!entry.ends_with(".class") || entry.starts_with("META-INF/")) return;
    const size_t slash = entry.rfind('/');
    const std::string_view dir = slash == std::string_view::npos ? "" : entry.substr(0, slash);
    if (!seen_) {
      prefix_ = std::string(dir);
      seen_ = true;
      return;
    }
    size_t common = 0;  // the longest common run of whole path segments
    for (size_t i = 0; i < prefix_.size() && i < dir.size() && prefix_[i] == dir[i]; ++i) {
      if (i + 1 == prefix_.size() || prefix_[i + 1] == '/') {
        if (i + 1 == dir.size() || dir[i + 1] == '/') common = i + 1;
      }
    }
    prefix_.resize(common);
  }
  /// The shared package with dots, or "" when the classes share none.
  std::string Dotted() const {
    std::string out = prefix_;
    std::replace(out.begin(), out.end(), '/', '.');
    return out;
  }

 private:
  std::string prefix_;
  bool seen_ = false;
};

void FromManifest(std::string_view mf, const ClassPackage& classes, Walk& walk) {
  std::string group = ManifestValue(mf, "Implementation-Vendor-Id");
  if (group.empty()) {
    // "com.fasterxml.jackson.core.jackson-databind": the group is all but the last part.
    group = ManifestValue(mf, "Bundle-SymbolicName");
    if (size_t semi = group.find(';'); semi != std::string::npos) group.resize(semi);
    size_t dot = group.rfind('.');
    group = dot == std::string::npos || dot == 0 ? std::string() : group.substr(0, dot);
    // A one-word remainder is not a reverse-DNS group: slf4j-api's "slf4j.api" would give
    // "slf4j" (its group is org.slf4j). The package its classes share is the better clue
    // when it has at least two parts; otherwise there is no coordinate to report.
    if (group.find('.') == std::string::npos) {
      const std::string shared = classes.Dotted();
      group = shared.find('.') == std::string::npos ? std::string() : shared;
    }
  }
  std::string artifact = ManifestValue(mf, "Implementation-Title");
  if (artifact.empty()) artifact = ManifestValue(mf, "Specification-Title");
  if (artifact.empty()) artifact = ManifestValue(mf, "Bundle-Name");
  std::string version = ManifestValue(mf, "Implementation-Version");
  if (version.empty()) version = ManifestValue(mf, "Specification-Version");
  if (version.empty()) version = ManifestValue(mf, "Bundle-Version");
  // Without a group, or with a title that is prose rather than an artifact id, there is
  // no Maven coordinate to match: report nothing rather than a guess.
  if (group.empty() || artifact.empty() || version.empty() ||
      artifact.find(' ') != std::string::npos) {
    return;
  }
  walk.summary.packages.push_back({"maven", group + ":" + artifact, version});
}

// Every zip ends with an end-of-central-directory record (22 bytes plus a comment of at
// most 64 KiB); a file cut short has none.
bool HasEndOfCentralDirectory(std::string_view data) {
  size_t from = data.size() > 22 + 65535 ? data.size() - 22 - 65535 : 0;
  return data.substr(from).find(std::string_view("PK\x05\x06", 4)) != std::string_view::npos;
}

void WalkArchive(std::string_view where, std::string_view data, size_t depth, Walk& walk) {
  if (!HasEndOfCentralDirectory(data)) {
    walk.Problem(std::string(where) + ": truncated zip (no end of central directory)");
  }
  std::unique_ptr<::archive, ArchiveFree> a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK) {
    walk.Problem(std::string(where) + ": not a zip archive: " + ArchiveError(a.get()));
    return;
  }
  std::string manifest;
  ClassPackage classes;
  size_t poms = 0;
  ::archive_entry* entry = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      walk.Problem(std::string(where) + ": corrupt zip: " + ArchiveError(a.get()));
      break;
    }
    if (++walk.entries > walk.limits.max_entries) {
      walk.Problem(std::string(where) + ": more than " + std::to_string(walk.limits.max_entries) +
                   " entries; the rest is not read");
      walk.stopped = true;
    }
    if (walk.stopped) break;
    const char* raw = archive_entry_pathname(entry);
    if (!raw || archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string_view name(raw);
    classes.Add(name);
    std::string inner = std::string(where) + "!/" + std::string(name);
    if (name.starts_with("META-INF/maven/") && PathHasSuffix(name, "/pom.properties")) {
      std::string text;
      if (!ReadEntry(a.get(), inner, kMaxTextEntryBytes, walk, &text)) continue;
      std::string g = PropertyValue(text, "groupId"), art = PropertyValue(text, "artifactId"),
                  v = PropertyValue(text, "version");
      if (g.empty() || art.empty() || v.empty()) {
        walk.Problem(inner + ": no groupId, artifactId and version");
        continue;
      }
      walk.summary.packages.push_back({"maven", g + ":" + art, v});
      ++poms;
    } else if (name == "META-INF/MANIFEST.MF") {
      manifest.clear();
      if (!ReadEntry(a.get(), inner, kMaxTextEntryBytes, walk, &manifest)) manifest.clear();
    } else if (IsArchiveName(name)) {
      if (depth + 1 >= walk.limits.max_depth) {
        walk.Problem(inner + ": archives nest deeper than " +
                     std::to_string(walk.limits.max_depth) + "; not read");
        continue;
      }
      std::string nested;
      if (!ReadEntry(a.get(), inner, walk.limits.max_nested_bytes, walk, &nested)) continue;
      WalkArchive(inner, nested, depth + 1, walk);
    }
  }
  if (poms == 0 && !manifest.empty()) FromManifest(manifest, classes, walk);
}

}  // namespace

bool JavaAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  return meta.type != image::EntryType::kDirectory && IsArchiveName(path);
}

bool JavaAnalyzer::Accepts(std::string_view head) const noexcept {
  return head.size() >= 4 && head.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

namespace {

class JarReduction final : public Reduction {
 public:
  JarReduction(std::string_view path, uint64_t size, const JarLimits& limits)
      : path_(path), limits_(limits) {
    data_.reserve(static_cast<size_t>(std::min<uint64_t>(size, uint64_t{1} << 30)));
  }
  bool Feed(std::string_view chunk) override {
    data_.append(chunk);
    return true;
  }
  std::string Finish() override {
    Walk walk{limits_};
    WalkArchive(path_, data_, 0, walk);
    return internal::EncodeSummary(walk.summary);
  }

 private:
  std::string path_;
  const JarLimits& limits_;
  std::string data_;
};

}  // namespace

std::unique_ptr<Reduction> JavaAnalyzer::StartReduction(std::string_view path,
                                                        uint64_t size) const {
  return std::make_unique<JarReduction>(path, size, limits_);
}

Status JavaAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  internal::AnalyzeReduced(*this, input.files, sink, IsArchiveName);
  return Status::OK();
}

}  // namespace bulkhead::pkg
