// Shared plumbing of the application-package analyzers (npm, python, java, go, rust,
// ruby, php, dotnet): walking the captured files an analyzer asked for, turning
// (name, version) pairs into Packages with purl, path and layer, and a reusable JSON
// parser with bounds. Module-private (bulkhead::pkg::internal).
//
// Nothing here keeps state between calls except JsonParser, which is one per Analyze()
// call and not thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/reducing_analyzer.h"

namespace bulkhead::pkg::internal {

/// The largest manifest or lockfile parsed; larger ones are a diagnostic.
inline constexpr uint64_t kMaxManifestBytes = uint64_t{32} << 20;
/// The most packages taken from one file.
inline constexpr size_t kMaxPackagesPerFile = 200'000;
/// The deepest nesting followed in lockfiles that nest (package-lock v1, JSON).
inline constexpr size_t kMaxLockDepth = 64;

/// One package found in a file, before it becomes a Package.
struct LangEntry {
  std::string name;
  std::string version;
};

/// "/a/b/c.txt" -> "c.txt".
std::string_view BaseName(std::string_view path);
/// "/a/b/c.txt" -> "/a/b"; "/c" -> "".
std::string_view DirName(std::string_view path);
std::string_view Trim(std::string_view s);
/// Strips one pair of matching surrounding quotes (" or ').
std::string_view Unquote(std::string_view s);

/// Calls `fn(path, content)` for each captured file of the final image for which
/// `wanted(path)` holds, in path order. A non-OK Status from `fn`, or a file over
/// kMaxManifestBytes, becomes a diagnostic naming the path and its layer.
void ForEachWantedFile(const FileSet& files, AnalysisSink& sink,
                       const std::function<bool(std::string_view)>& wanted,
                       const std::function<Status(const std::string&, std::string_view)>& fn);

/// Adds `entries` as packages of purl `type` read from `path`: entries without a name
/// or version are dropped, duplicates (name, version) kept once, output sorted.
void EmitPackages(std::string_view type, const std::string& path, std::vector<LangEntry> entries,
                  const FileSet& files, AnalysisSink& sink);

/// Analyze() of a ReducingAnalyzer: reads the summary of each wanted file (reducing raw
/// content first when that is what was captured) and reports its packages and problems.
void AnalyzeReduced(const ReducingAnalyzer& analyzer, const FileSet& files, AnalysisSink& sink,
                    const std::function<bool(std::string_view)>& wanted);

/// The layer digest of the final version of `path`, or "" when unknown.
std::string LayerOf(const FileSet& files, std::string_view path);

/// A simdjson DOM parser reused across documents, with kMaxManifestBytes and
/// kMaxLockDepth bounds. Elements stay valid until the next Parse().
class JsonParser {
 public:
  /// Corruption naming `name` on invalid JSON; ResourceExhausted when too big or deep.
  Result<simdjson::dom::element> Parse(std::string_view text, const std::string& name);

 private:
  simdjson::dom::parser parser_{kMaxManifestBytes};
  simdjson::padded_string buffer_;
};

/// Member `key` of object `e` as a string; "" when absent or not a string.
std::string_view JsonStr(simdjson::dom::element e, std::string_view key);

}  // namespace bulkhead::pkg::internal
