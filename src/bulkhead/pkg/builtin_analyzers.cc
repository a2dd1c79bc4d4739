#include "bulkhead/pkg/builtin_analyzers.h"

#include "bulkhead/pkg/apk_analyzer.h"
#include "bulkhead/pkg/dpkg_analyzer.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/pkg/rpm_analyzer.h"

namespace bulkhead::pkg {

Status RegisterBuiltinAnalyzers(AnalyzerRegistry* registry) {
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<OsReleaseAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<DpkgAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<ApkAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<RpmAnalyzer>()));
  return Status::OK();
}

}  // namespace bulkhead::pkg
