// rpm: BerkeleyDB `Packages`, NDB `Packages.db` and `rpmdb.sqlite`, read with librpm from
// a private temporary copy (librpm's sqlite backend writes to the database it opens).
//
// librpm keeps process-wide state (macros, the log), so every use of it in bulkhead goes
// through one lock in rpm_analyzer.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg {

struct RpmRecord {
  std::string name;
  std::string epoch;  ///< Empty when the header has no epoch.
  std::string version;
  std::string release;
  std::string arch;
  std::string source_rpm;
  std::string modularity_label;
  std::vector<std::string> files;
};

enum class RpmDbFormat { kBerkeley, kNdb, kSqlite };

/// Reads every package header of a database whose bytes are `db` (plus `wal`, the
/// sqlite write-ahead log, when present), leaving out gpg-pubkey entries. Corruption
/// (naming `name`) when the bytes are not a database of `format`; Unsupported when the
/// librpm bulkhead runs with cannot read `format` (Debian's librpm has no NDB).
Result<std::vector<RpmRecord>> ReadRpmDatabase(std::string_view db, std::string_view wal,
                                               RpmDbFormat format, const std::string& name);

class RpmAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "rpm"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
