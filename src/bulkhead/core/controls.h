// The NIST SP 800-190 catalog (sections 3.x risks and 4.x countermeasures), generated at
// build time from the shared catalog, and the per-report rollup of findings to controls.
// Immutable static data: thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"

namespace bulkhead {

struct Control {
  std::string_view id;     ///< "4.1.1"
  std::string_view kind;   ///< "risk" or "countermeasure"
  std::string_view title;  ///< "Image vulnerabilities"
  std::string_view group;  ///< "Image countermeasures"
  std::string_view
      related;  ///< The countermeasure of a risk, or the risk a countermeasure mitigates.
};

/// Every section of the catalog, in document order. Empty when bulkhead was built
/// without the catalog.
std::span<const Control> ControlCatalog();

/// The control with `id`, or nullptr.
const Control* FindControl(std::string_view id);

/// Fills report->controls for the countermeasure sections in `scope`: `fail` when a
/// finding names the control, `pass` when the section is in `assessed` and nothing names
/// it, `not-assessed` otherwise. Section ids missing from the catalog keep an empty title.
void RollUpControls(std::span<const std::string_view> scope,
                    std::span<const std::string_view> assessed, Report* report);

/// The same, with the scope and the assessed sections recorded in the report.
void RollUpControls(Report* report);

}  // namespace bulkhead
