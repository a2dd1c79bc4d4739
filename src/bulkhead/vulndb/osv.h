// OSV records (https://ossf.github.io/osv-schema/) into the normalised model.
//
// Validation is what matching needs plus the OSV linter's structural rules: an id and
// `modified`, known ecosystems, each ECOSYSTEM/SEMVER/GIT range with at least one
// `introduced`, no event twice and no empty interval (introduced X, then fixed X). Whether a
// package exists in its registry (the linter's online check) cannot be judged offline and is not.
// Sizes and counts are bounded; strings with control characters are refused.
//
// Not thread-safe: one parser per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/record.h"

namespace bulkhead::vulndb {

struct PreparedRecord;

inline constexpr size_t kMaxOsvRecordBytes = 32 << 20;

class OsvParser {
 public:
  OsvParser();
  ~OsvParser();
  OsvParser(const OsvParser&) = delete;
  OsvParser& operator=(const OsvParser&) = delete;

  /// One record. nullopt for a withdrawn record (ignored, as OSV says). Corruption or
  /// InvalidArgument naming `name` and what is wrong.
  Result<std::optional<Vulnerability>> Parse(std::string_view json, std::string_view name);

  /// As Parse, for the database: the affected entries are encoded into `out` as record
  /// `vid` (as DatabaseWriter::Prepare would) straight from the text, and the returned
  /// record has none.
  Result<std::optional<Vulnerability>> ParsePrepared(std::string_view json, std::string_view name,
                                                     int64_t vid, PreparedRecord* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulkhead::vulndb
