// Label selectors (matchLabels + matchExpressions) as Kubernetes evaluates them.
#pragma once

#include <string>
#include <vector>

#include "bulkhead/k8s/manifest.h"
#include "bulkhead/k8s/workload.h"

namespace bulkhead::k8s::internal {

struct Requirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist, kGt, kLt, kInvalid };
  std::string key;
  Op op = Op::kInvalid;
  std::vector<std::string> values;
};

/// A parsed LabelSelector. Empty (no requirements) selects everything; `invalid` selects
/// nothing (an unknown operator, which the API server would have refused).
struct Selector {
  std::vector<Requirement> requirements;
  bool invalid = false;
};

/// Parses a LabelSelector map (or a node selector term's matchExpressions when
/// `expressions_only`). A null node gives the empty selector.
Selector ParseSelector(const Node& node);
/// Parses a list of matchExpressions.
void ParseExpressions(const Node& list, Selector* out);
/// Requirement::Op from its spelling.
Requirement::Op ParseOp(std::string_view op);

/// Whether `labels` satisfy every requirement.
bool Matches(const Selector& s, const Labels& labels);

}  // namespace bulkhead::k8s::internal
