// CVSS vector parsing and scoring on arbitrary bytes: ScoreCvss must either fail with
// InvalidArgument or return a score in [0, 10] with one decimal and the version of the
// prefix, and scoring must be deterministic.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/vulndb/cvss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bulkhead::Result<bulkhead::CvssScore> r = bulkhead::vulndb::ScoreCvss(input);
  if (!r.ok()) {
    if (r.status().code() != bulkhead::StatusCode::kInvalidArgument) __builtin_trap();
    return 0;
  }
  const double score = r->score;
  if (!(score >= 0.0 && score <= 10.0)) __builtin_trap();
  if (std::fabs(score * 10 - std::round(score * 10)) > 1e-9) __builtin_trap();
  if (r->vector != input) __builtin_trap();
  if (input.substr(5, 3) != r->version) __builtin_trap();
  bulkhead::Result<bulkhead::CvssScore> again = bulkhead::vulndb::ScoreCvss(input);
  if (!again.ok() || again->score != score) __builtin_trap();
  (void)bulkhead::vulndb::CvssSeverity(score);
  return 0;
}
