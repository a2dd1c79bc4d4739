// Helpers for the k8s tests: audit YAML text or a testdata file and list findings compactly.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bulkhead/k8s/audit.h"
#include "bulkhead/k8s/manifest.h"
#include "bulkhead/secret/builtin_rules.h"
#include "tests/testing/test_util.h"

namespace bulkhead::k8s::testutil {

inline const secret::Engine& SecretEngine() {
  static const secret::Engine* engine = [] {
    auto compiled = secret::Engine::Compile(secret::BuiltinRules(), nullptr);
    return compiled.ok() ? std::move(compiled).value().release() : nullptr;
  }();
  return *engine;
}

inline AuditResult AuditText(std::string_view yaml, AuditOptions options = {}) {
  Manifests m;
  Status s = ParseManifests(yaml, "test.yaml", {}, &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (options.secrets == nullptr) options.secrets = &SecretEngine();
  Result<AuditResult> r = Audit(m, options, "test.yaml");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : AuditResult{};
}

inline std::string TestData(const std::string& name) {
  return testing::ReadFileOrDie(std::string(BULKHEAD_TESTDATA) + "/k8s/testdata/" + name);
}

/// "id container field" per finding, sorted; only ids starting with `prefix`.
inline std::vector<std::string> Lines(const Report& r, std::string_view prefix = "") {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    if (!f.id.starts_with(prefix)) continue;
    std::string line = f.id;
    if (!f.container.empty()) line += " " + f.container;
    if (!f.field.empty()) line += " " + f.field;
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Titles of the findings with `id`, sorted.
inline std::vector<std::string> Titles(const Report& r, std::string_view id) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    if (f.id == id) out.push_back(f.title);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bulkhead::k8s::testutil
