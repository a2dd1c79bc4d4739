// CVSS base scores from vector strings, as OSV `severity` entries carry them.
//
// v3.0 and v3.1 follow FIRST's specifications (sections 7.1 and Appendix A of v3.1); they
// differ only in Roundup: 3.0 takes the ceiling to one decimal of the floating-point value,
// 3.1 rounds on integers first so that 4.000000000000001 stays 4.0. Temporal and
// environmental metrics are validated but do not change the base score.
//
// v4.0 follows FIRST's reference calculator (github.com/FIRSTdotorg/cvss-v4-calculator):
// the six equivalence classes EQ1..EQ6 pick a macrovector, whose score comes from the
// specification's lookup table, and the vector's severity distance from the macrovector's
// highest vectors interpolates towards the next lower macrovectors. Threat (E) and
// environmental metrics (CR/IR/AR and the modified base metrics) take part exactly as in
// the reference calculator, so CVSS-BT, CVSS-BE and CVSS-BTE vectors score as it does;
// supplemental metrics are validated and ignored.
//
// Metric names and values are case-sensitive, each metric may appear once, in any order,
// and every base metric is mandatory. Vectors longer than kMaxCvssVectorBytes are refused.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: InvalidArgument, with one line naming the vector (shortened, non-printable bytes
// replaced) and what is wrong. Parsing allocates nothing; a result holds copies of the
// version and the vector.
#pragma once

#include <cstddef>
#include <string_view>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::vulndb {

/// Longer vectors are refused: the longest valid v4.0 vector, every metric set, is ~180 bytes.
inline constexpr size_t kMaxCvssVectorBytes = 512;

/// Parses a CVSS v3.0, v3.1 or v4.0 vector ("CVSS:3.1/AV:N/...", "CVSS:4.0/AV:N/...") and
/// computes its base score (for v4.0, the CVSS-B/BT/BE/BTE score of the metrics present).
/// InvalidArgument (one line naming the vector and what is wrong) for unknown versions,
/// missing/duplicate/unknown metrics, bad values, overlong input.
Result<CvssScore> ScoreCvss(std::string_view vector);

/// FIRST's qualitative rating: 0.0 -> kUnknown (None), 0.1-3.9 Low, 4.0-6.9 Medium,
/// 7.0-8.9 High, 9.0-10.0 Critical. Negative and NaN scores are kUnknown.
Severity CvssSeverity(double score);

}  // namespace bulkhead::vulndb
