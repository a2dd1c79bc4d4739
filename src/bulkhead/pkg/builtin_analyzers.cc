#include "bulkhead/pkg/builtin_analyzers.h"

#include "bulkhead/pkg/apk_analyzer.h"
#include "bulkhead/pkg/binary_analyzer.h"
#include "bulkhead/pkg/dotnet_analyzer.h"
#include "bulkhead/pkg/dpkg_analyzer.h"
#include "bulkhead/pkg/java_analyzer.h"
#include "bulkhead/pkg/npm_analyzer.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/pkg/php_analyzer.h"
#include "bulkhead/pkg/python_analyzer.h"
#include "bulkhead/pkg/rpm_analyzer.h"
#include "bulkhead/pkg/ruby_analyzer.h"
#include "bulkhead/pkg/rust_analyzer.h"

namespace bulkhead::pkg {

Status RegisterBuiltinAnalyzers(AnalyzerRegistry* registry) {
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<OsReleaseAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<DpkgAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<ApkAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<RpmAnalyzer>()));
  // Application dependencies (issue 7).
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<NpmAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<PythonAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<JavaAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<BinaryAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<RustAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<RubyAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<PhpAnalyzer>()));
  BULKHEAD_RETURN_IF_ERROR(registry->Add(std::make_unique<DotnetAnalyzer>()));
  return Status::OK();
}

}  // namespace bulkhead::pkg
