// The yaml-cpp adapter for policy files: yaml-cpp throws, bulkhead does not, so every
// call into it happens inside ParsePolicy's try block.
#include "bulkhead/policy/policy_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "bulkhead/core/controls.h"
#include "bulkhead/policy/gate.h"

namespace bulkhead::policy {
namespace {

Status Bad(const std::string& name, const std::string& what) {
  return Status::InvalidArgument(name + ": " + what);
}

// Counts nodes, following aliases, so that a billion-laughs document is refused before
// anything walks it.
bool WithinNodeBudget(const YAML::Node& node, size_t* budget) {
  if (*budget == 0) return false;
  --*budget;
  if (node.IsSequence() || node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (node.IsMap()) {
        if (!WithinNodeBudget(it->first, budget) || !WithinNodeBudget(it->second, budget)) {
          return false;
        }
      } else if (!WithinNodeBudget(*it, budget)) {
        return false;
      }
    }
  }
  return true;
}

Result<std::vector<std::string>> StringList(const YAML::Node& node, const std::string& where) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
    return out;
  }
  if (!node.IsSequence()) return Status::InvalidArgument(where + " must be a list of strings");
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) return Status::InvalidArgument(where + " must be a list of strings");
    out.push_back(item.as<std::string>());
  }
  return out;
}

Status CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                 const std::string& where) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Status::InvalidArgument(where + ": unknown key '" + key + "' (known: " + list + ")");
    }
  }
  return Status::OK();
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

Result<FindingKind> ParseKind(const std::string& text, const std::string& where) {
  for (FindingKind k : {FindingKind::kVulnerability, FindingKind::kSecret, FindingKind::kMalware,
                        FindingKind::kMisconfiguration}) {
    if (FindingKindName(k) == text) return k;
  }
  return Status::InvalidArgument(where + ": unknown kind '" + text +
                                 "' (vulnerability, secret, malware, misconfiguration)");
}

Status ParseFailOn(const YAML::Node& node, const std::string& name, Policy* p) {
  if (!node.IsSequence()) return Bad(name, "fail_on must be a list of rules");
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node& rule = node[i];
    std::string where = name + ": fail_on[" + std::to_string(i) + "]";
    if (!rule.IsMap()) return Status::InvalidArgument(where + " must be a map");
    BULKHEAD_RETURN_IF_ERROR(CheckKeys(rule, {"kind", "severity", "fixed_only"}, where));
    FailRule r;
    if (rule["kind"]) {
      BULKHEAD_ASSIGN_OR_RETURN(r.kind, ParseKind(rule["kind"].as<std::string>(), where));
    }
    if (rule["severity"]) {
      BULKHEAD_ASSIGN_OR_RETURN(std::vector<std::string> list,
                                StringList(rule["severity"], where + ".severity"));
      std::string joined;
      for (const std::string& s : list) joined += s + ",";
      Result<std::vector<Severity>> sev = ParseSeverities(joined);
      if (!sev.ok())
        return Status::InvalidArgument(where + ": " + std::string(sev.error().message()));
      r.severities = std::move(sev).value();
    }
    if (rule["fixed_only"]) r.fixed_only = rule["fixed_only"].as<bool>();
    p->fail_on.push_back(std::move(r));
  }
  return Status::OK();
}

Status ParseExceptions(const YAML::Node& node, const std::string& name, Policy* p) {
  if (!node.IsSequence()) return Bad(name, "exceptions must be a list");
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node& e = node[i];
    std::string where = name + ": exceptions[" + std::to_string(i) + "]";
    if (!e.IsMap()) return Status::InvalidArgument(where + " must be a map");
    BULKHEAD_RETURN_IF_ERROR(CheckKeys(e, {"id", "purl", "path", "reason", "expires"}, where));
    Exception x;
    if (e["id"]) x.id = e["id"].as<std::string>();
    if (e["purl"]) x.purl = e["purl"].as<std::string>();
    if (e["path"]) x.path = e["path"].as<std::string>();
    if (e["reason"]) x.reason = e["reason"].as<std::string>();
    if (e["expires"]) x.expires = e["expires"].as<std::string>();
    if (x.id.empty() && x.purl.empty() && x.path.empty()) {
      return Status::InvalidArgument(where + " names no id, purl or path");
    }
    if (x.reason.empty()) return Status::InvalidArgument(where + " needs a reason");
    if (!x.expires.empty() && !IsDate(x.expires)) {
      return Status::InvalidArgument(where + ": expires '" + x.expires + "' is not YYYY-MM-DD");
    }
    p->exceptions.push_back(std::move(x));
  }
  return Status::OK();
}

bool Matches(const Exception& x, const Finding& f) {
  // An exception may name a vulnerability by any of its ids (CVE, GHSA, DSA...).
  if (!x.id.empty() && x.id != f.id &&
      std::find(f.aliases.begin(), f.aliases.end(), x.id) == f.aliases.end()) {
    return false;
  }
  if (!x.purl.empty()) {
    if (!f.package) return false;
    if (!PurlMatches(x.purl, f.package->purl)) return false;
  }
  if (!x.path.empty()) {
    bool prefix = x.path.back() == '/';
    if (prefix ? f.path.rfind(x.path, 0) != 0 : f.path != x.path) return false;
  }
  return true;
}

bool Fails(const Policy& p, const Finding& f) {
  if (std::find(p.enforce_checks.begin(), p.enforce_checks.end(), f.id) != p.enforce_checks.end()) {
    return true;
  }
  if (p.fail_on.empty()) return true;
  for (const FailRule& r : p.fail_on) {
    if (r.kind && *r.kind != f.kind) continue;
    if (!r.severities.empty() &&
        std::find(r.severities.begin(), r.severities.end(), f.severity) == r.severities.end()) {
      continue;
    }
    if (r.fixed_only && f.fixed_version.empty()) continue;
    return true;
  }
  return false;
}

std::string Describe(const Exception& x) {
  std::string out;
  for (auto [k, v] : {std::pair<std::string_view, const std::string&>{"id", x.id},
                      {"purl", x.purl},
                      {"path", x.path}}) {
    if (!v.empty()) out += (out.empty() ? "" : " ") + std::string(k) + "=" + v;
  }
  return out;
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view yaml, const std::string& name) {
  if (yaml.size() > kMaxPolicyBytes) {
    return Status::ResourceExhausted(name + ": policy file larger than " +
                                     std::to_string(kMaxPolicyBytes) + " bytes");
  }
  Policy p;
  p.source = name;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root || root.IsNull()) return p;  // an empty policy: the default gate
    size_t budget = kMaxPolicyNodes;
    if (!WithinNodeBudget(root, &budget)) {
      return Status::ResourceExhausted(name + ": more than " + std::to_string(kMaxPolicyNodes) +
                                       " YAML nodes (aliases included)");
    }
    if (!root.IsMap()) return Bad(name, "a policy is a YAML map");
    BULKHEAD_RETURN_IF_ERROR(
        CheckKeys(root, {"fail_on", "checks", "exceptions", "trusted_registries"}, name));
    if (root["fail_on"]) BULKHEAD_RETURN_IF_ERROR(ParseFailOn(root["fail_on"], name, &p));
    if (const YAML::Node& checks = root["checks"]) {
      if (!checks.IsMap()) return Bad(name, "checks must be a map with skip and enforce");
      BULKHEAD_RETURN_IF_ERROR(CheckKeys(checks, {"skip", "enforce"}, name + ": checks"));
      if (checks["skip"]) {
        BULKHEAD_ASSIGN_OR_RETURN(p.skip_checks,
                                  StringList(checks["skip"], name + ": checks.skip"));
      }
      if (checks["enforce"]) {
        BULKHEAD_ASSIGN_OR_RETURN(p.enforce_checks,
                                  StringList(checks["enforce"], name + ": checks.enforce"));
      }
    }
    if (root["exceptions"]) BULKHEAD_RETURN_IF_ERROR(ParseExceptions(root["exceptions"], name, &p));
    if (root["trusted_registries"]) {
      BULKHEAD_ASSIGN_OR_RETURN(p.trusted_registries, StringList(root["trusted_registries"],
                                                                 name + ": trusted_registries"));
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(name + ": invalid YAML: " + e.what());
  }
  return p;
}

Result<Policy> LoadPolicy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open policy file");
  std::string text;
  text.resize(kMaxPolicyBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return ParsePolicy(text, path);
}

bool ApplyPolicy(const Policy& policy, std::string_view today, Report* report) {
  std::erase_if(report->findings, [&](const Finding& f) {
    return std::find(policy.skip_checks.begin(), policy.skip_checks.end(), f.id) !=
           policy.skip_checks.end();
  });
  std::vector<bool> used(policy.exceptions.size(), false);
  std::vector<Finding> kept;
  for (Finding& f : report->findings) {
    const Exception* hit = nullptr;
    for (size_t i = 0; i < policy.exceptions.size(); ++i) {
      const Exception& x = policy.exceptions[i];
      if (!Matches(x, f)) continue;
      used[i] = true;
      if (!x.expires.empty() && today > x.expires) continue;  // expired: no longer silences
      hit = &x;
      break;
    }
    if (hit) {
      report->suppressed.push_back({std::move(f), "exception", hit->reason});
    } else {
      kept.push_back(std::move(f));
    }
  }
  report->findings = std::move(kept);
  for (size_t i = 0; i < policy.exceptions.size(); ++i) {
    const Exception& x = policy.exceptions[i];
    if (!x.expires.empty() && today > x.expires) {
      report->policy_notes.push_back({"expired-exception", Describe(x),
                                      "exception expired on " + x.expires + " (" + policy.source +
                                          "); its findings are reported again"});
    } else if (!used[i]) {
      report->policy_notes.push_back({"unused-exception", Describe(x),
                                      "exception matches no finding (" + policy.source + ")"});
    }
  }
  RollUpControls(report);
  return std::any_of(report->findings.begin(), report->findings.end(),
                     [&](const Finding& f) { return Fails(policy, f); });
}

}  // namespace bulkhead::policy
