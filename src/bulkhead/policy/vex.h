// OpenVEX documents (https://github.com/openvex/spec): statements that a vulnerability
// does not affect a product (`not_affected`) or is `fixed` in it suppress the matching
// vulnerability findings, which the report keeps as suppressed with the justification.
// Statements that match nothing are listed, so stale VEX comes to light.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::policy {

inline constexpr size_t kMaxVexBytes = 16 << 20;
inline constexpr size_t kMaxVexStatements = 100'000;

struct VexStatement {
  std::string vulnerability;          ///< "CVE-2023-1234" (name or @id).
  std::vector<std::string> aliases;   ///< vulnerability.aliases
  std::vector<std::string> products;  ///< purls or image references; empty: any product.
  std::string status;                 ///< not_affected, affected, fixed, under_investigation
  std::string justification;
  std::string impact_statement;
};

struct VexDocument {
  std::string source;
  std::vector<VexStatement> statements;
};

/// Parses an OpenVEX JSON document. InvalidArgument names `name` and the statement.
Result<VexDocument> ParseOpenVex(std::string_view json, const std::string& name);
Result<VexDocument> LoadOpenVex(const std::string& path);

/// Moves vulnerability findings that a not_affected or fixed statement covers into
/// report->suppressed (by "vex"), notes unused statements, and rolls controls up again.
/// A statement covers a finding when its vulnerability (or an alias) is the finding's id
/// and one of its products is the finding's package purl (qualifiers ignored unless the
/// product has some) or the scanned image (its digest or a repo tag), or it names no
/// product.
void ApplyVex(const VexDocument& vex, Report* report);

}  // namespace bulkhead::policy
