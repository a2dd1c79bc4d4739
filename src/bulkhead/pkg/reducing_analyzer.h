// Analyzers of files too big to keep whole (jars, executables). The FileSet keeps every
// captured file in memory, which suits manifests but not an image's gigabytes of
// binaries. So, during the layer pass, each file a ReducingAnalyzer claims is streamed
// through a Reduction, which keeps only the bytes it needs, and the small summary it
// returns (the packages the file holds, any problems) is what gets captured under the
// file's path. Analyze() then reads summaries; given raw content instead (a test's
// FakeImage captures whole files), it reduces it itself, so both paths give the same
// packages.
//
// Like every analyzer, const and stateless: thread-safe. A Reduction is one file's state:
// not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg {

/// The reduction of one file in progress.
class Reduction {
 public:
  virtual ~Reduction() = default;
  /// Takes the next bytes of the file, in order. Returns false once it needs no more
  /// (the caller may then stop feeding and call Finish()).
  virtual bool Feed(std::string_view chunk) = 0;
  /// The summary. Never fails: problems with the file are carried inside the summary and
  /// become diagnostics at Analyze(). Called once, after the last Feed().
  virtual std::string Finish() = 0;
};

class ReducingAnalyzer : public Analyzer {
 public:
  /// Files larger than this are not reduced (the scanner reports a diagnostic).
  virtual uint64_t MaxReduceBytes() const noexcept = 0;
  /// Whether content starting with `head` (the first bytes of the file, at least 64
  /// unless the file is shorter) is a kind this analyzer reduces. Pure, no allocation.
  virtual bool Accepts(std::string_view head) const noexcept = 0;
  /// Starts reducing `path`, a file of `size` bytes (as its header declares).
  virtual std::unique_ptr<Reduction> StartReduction(std::string_view path, uint64_t size) const = 0;
  /// The summary of the whole `content` of `path`, in one go.
  std::string Reduce(std::string_view path, std::string_view content) const {
    std::unique_ptr<Reduction> r = StartReduction(path, content.size());
    r->Feed(content);
    return r->Finish();
  }
};

}  // namespace bulkhead::pkg
