// nlohmann-json is used without exceptions here (parse with allow_exceptions = false and
// type checks before every access), so this file is its adapter.
#include "bulkhead/policy/vex.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bulkhead/core/controls.h"
#include "bulkhead/policy/gate.h"

namespace bulkhead::policy {
namespace {

using Json = nlohmann::json;

std::string StringAt(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

bool ProductMatches(std::string_view product, const Finding& f, const Target& t) {
  if (f.package && PurlMatches(product, f.package->purl)) return true;
  if (!t.digest.empty() && product.find(t.digest) != std::string_view::npos) return true;
  return std::find(t.repo_tags.begin(), t.repo_tags.end(), product) != t.repo_tags.end();
}

bool Covers(const VexStatement& s, const Finding& f, const Target& t) {
  if (f.kind != FindingKind::kVulnerability) return false;
  if (s.status != "not_affected" && s.status != "fixed") return false;
  // The statement names the vulnerability by any of its ids, and so may the finding
  // (its id is the CVE when there is one; GHSA, DSA... are in its aliases).
  auto names = [&](const std::string& id) {
    return s.vulnerability == id ||
           std::find(s.aliases.begin(), s.aliases.end(), id) != s.aliases.end();
  };
  if (!names(f.id) && std::none_of(f.aliases.begin(), f.aliases.end(), names)) return false;
  if (s.products.empty()) return true;
  return std::any_of(s.products.begin(), s.products.end(),
                     [&](const std::string& p) { return ProductMatches(p, f, t); });
}

}  // namespace

Result<VexDocument> ParseOpenVex(std::string_view text, const std::string& name) {
  if (text.size() > kMaxVexBytes) {
    return Status::ResourceExhausted(name + ": VEX document larger than " +
                                     std::to_string(kMaxVexBytes) + " bytes");
  }
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(name + ": not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument(name + ": an OpenVEX document is an object");
  auto statements = doc.find("statements");
  if (statements == doc.end() || !statements->is_array()) {
    return Status::InvalidArgument(name + ": no 'statements' array (is it OpenVEX?)");
  }
  if (statements->size() > kMaxVexStatements) {
    return Status::ResourceExhausted(name + ": more than " + std::to_string(kMaxVexStatements) +
                                     " statements");
  }
  VexDocument out;
  out.source = name;
  for (size_t i = 0; i < statements->size(); ++i) {
    const Json& st = (*statements)[i];
    std::string where = name + ": statements[" + std::to_string(i) + "]";
    if (!st.is_object()) return Status::InvalidArgument(where + " is not an object");
    VexStatement s;
    auto vuln = st.find("vulnerability");
    if (vuln != st.end() && vuln->is_string()) {
      s.vulnerability = vuln->get<std::string>();  // OpenVEX 0.0.x form
    } else if (vuln != st.end() && vuln->is_object()) {
      s.vulnerability = StringAt(*vuln, "name");
      if (s.vulnerability.empty()) s.vulnerability = StringAt(*vuln, "@id");
      auto aliases = vuln->find("aliases");
      if (aliases != vuln->end() && aliases->is_array()) {
        for (const Json& a : *aliases) {
          if (a.is_string()) s.aliases.push_back(a.get<std::string>());
        }
      }
    }
    if (s.vulnerability.empty()) return Status::InvalidArgument(where + " names no vulnerability");
    auto products = st.find("products");
    if (products != st.end() && products->is_array()) {
      for (const Json& p : *products) {
        if (p.is_string()) {
          s.products.push_back(p.get<std::string>());
        } else if (p.is_object()) {
          std::string id = StringAt(p, "@id");
          if (!id.empty()) s.products.push_back(id);
          auto ids = p.find("identifiers");
          if (ids != p.end() && ids->is_object()) {
            std::string purl = StringAt(*ids, "purl");
            if (!purl.empty()) s.products.push_back(purl);
          }
        }
      }
    }
    s.status = StringAt(st, "status");
    static constexpr std::string_view kStatuses[] = {"not_affected", "affected", "fixed",
                                                     "under_investigation"};
    if (std::find(std::begin(kStatuses), std::end(kStatuses), s.status) == std::end(kStatuses)) {
      return Status::InvalidArgument(where + ": unknown status '" + s.status + "'");
    }
    s.justification = StringAt(st, "justification");
    s.impact_statement = StringAt(st, "impact_statement");
    out.statements.push_back(std::move(s));
  }
  return out;
}

Result<VexDocument> LoadOpenVex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open VEX document");
  std::string text(kMaxVexBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return ParseOpenVex(text, path);
}

void ApplyVex(const VexDocument& vex, Report* report) {
  std::vector<bool> used(vex.statements.size(), false);
  std::vector<Finding> kept;
  for (Finding& f : report->findings) {
    const VexStatement* hit = nullptr;
    for (size_t i = 0; i < vex.statements.size(); ++i) {
      if (Covers(vex.statements[i], f, report->target)) {
        used[i] = true;
        if (!hit) hit = &vex.statements[i];
      }
    }
    if (!hit) {
      kept.push_back(std::move(f));
      continue;
    }
    std::string reason = hit->status;
    if (!hit->justification.empty()) reason += ": " + hit->justification;
    if (!hit->impact_statement.empty()) reason += " (" + hit->impact_statement + ")";
    report->suppressed.push_back({std::move(f), "vex", reason});
  }
  report->findings = std::move(kept);
  for (size_t i = 0; i < vex.statements.size(); ++i) {
    const VexStatement& s = vex.statements[i];
    if (used[i] || (s.status != "not_affected" && s.status != "fixed")) continue;
    report->policy_notes.push_back(
        {"unused-vex", s.vulnerability, "VEX statement matches no finding (" + vex.source + ")"});
  }
  RollUpControls(report);
}

}  // namespace bulkhead::policy
