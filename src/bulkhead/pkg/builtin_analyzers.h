// The one explicit list of bulkhead's own analyzers (no static registration).
#pragma once

#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg {

/// Adds every built-in analyzer to `registry`, in a fixed order.
Status RegisterBuiltinAnalyzers(AnalyzerRegistry* registry);

}  // namespace bulkhead::pkg
