#include "bulkhead/core/controls.h"

#include <algorithm>

namespace bulkhead {
namespace {
constexpr Control kCatalog[] = {
#include "bulkhead/core/controls_data.inc"
    {"", "", "", "", ""},  // keeps the array non-empty when the catalog is absent
};
}  // namespace

std::span<const Control> ControlCatalog() {
  return std::span<const Control>(kCatalog, std::size(kCatalog) - 1);
}

const Control* FindControl(std::string_view id) {
  for (const Control& c : ControlCatalog()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

void RollUpControls(std::span<const std::string_view> scope,
                    std::span<const std::string_view> assessed, Report* report) {
  report->controls.clear();
  for (std::string_view id : scope) {
    ControlResult r;
    r.id = std::string(id);
    if (const Control* c = FindControl(id)) r.title = std::string(c->title);
    for (const Finding& f : report->findings) {
      if (std::find(f.controls.begin(), f.controls.end(), id) != f.controls.end()) {
        r.finding_ids.push_back(f.id);
        ++r.finding_count;
      }
    }
    std::sort(r.finding_ids.begin(), r.finding_ids.end());
    r.finding_ids.erase(std::unique(r.finding_ids.begin(), r.finding_ids.end()),
                        r.finding_ids.end());
    bool was_assessed = std::find(assessed.begin(), assessed.end(), id) != assessed.end();
    r.status = !r.finding_ids.empty() ? ControlStatus::kFail
               : was_assessed         ? ControlStatus::kPass
                                      : ControlStatus::kNotAssessed;
    report->controls.push_back(std::move(r));
  }
}

void RollUpControls(Report* report) {
  std::vector<std::string_view> scope(report->control_scope.begin(), report->control_scope.end());
  std::vector<std::string_view> assessed(report->assessed_controls.begin(),
                                         report->assessed_controls.end());
  RollUpControls(scope, assessed, report);
}

}  // namespace bulkhead
