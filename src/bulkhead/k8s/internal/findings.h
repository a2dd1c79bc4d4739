// Building findings from the check catalog (private to the k8s module).
#pragma once

#include <string>
#include <string_view>

#include "bulkhead/core/report.h"
#include "bulkhead/k8s/manifest.h"

namespace bulkhead::k8s::internal {

/// A finding of catalog check `id` about `object`: severity, description, remediation,
/// controls and references from the catalog; `title` is the instance's own sentence.
/// REQUIRES: `id` is in the catalog.
Finding MakeFinding(std::string_view id, const Object& object, std::string title,
                    std::string container, std::string field, uint32_t line);

/// `prefix` + "[" + i + "]".
std::string Indexed(std::string_view prefix, size_t i);

}  // namespace bulkhead::k8s::internal
