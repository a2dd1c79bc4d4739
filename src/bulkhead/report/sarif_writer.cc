// SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: one run, one rule per distinct
// finding id, one result per finding. GitHub wants, for every result, a message, a physical
// location whose URI is relative (or file:) with region.startLine, and partialFingerprints
// to match alerts across runs; it reads a rule's properties.security-severity (a string,
// 0.0 to 10.0) as the alert's severity when the rule is tagged "security".
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "bulkhead/core/controls.h"
#include "bulkhead/core/sha256.h"
#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// The partialFingerprints key; bump the version if the fingerprint's inputs ever change.
constexpr std::string_view kFingerprintKey = "bulkhead/v1";

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
    case Severity::kUnknown:
      break;
  }
  return "note";
}

// GitHub maps > 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
std::string_view SecuritySeverity(Severity s);

// The SecuritySeverity band a CVSS score falls in (FIRST's qualitative scale).
std::string_view BandOf(double score) {
  return SecuritySeverity(score >= 9.0   ? Severity::kCritical
                          : score >= 7.0 ? Severity::kHigh
                          : score >= 4.0 ? Severity::kMedium
                                         : Severity::kLow);
}

std::string_view SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "2.0";
    case Severity::kUnknown:
      break;
  }
  return {};
}

// A relative URI reference for `path`: leading '/' dropped, and every byte outside the
// unreserved set, '/' and a few sub-delimiters percent-encoded. ':' is encoded too, so the
// first segment never reads as a scheme ("oci:./img" is not an absolute URI).
std::string RelativeUri(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("-._~/!$&()*+,;=@").find(ch) != std::string_view::npos) {
      uri += ch;
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

// Stable across rebuilds of the image: no layer digest and no package version, so a
// finding that survives an upgrade or a rebuild matches its earlier alert.
std::string Fingerprint(const Finding& f) {
  std::string key = f.id;
  for (std::string_view part :
       {FindingKindName(f.kind), std::string_view(f.path), std::string_view(f.object)}) {
    key += '\0';
    key += part;
  }
  key += '\0' + std::to_string(f.line) + '\0';
  if (f.package) key += f.package->name;
  return Sha256Digest(key).substr(7);
}

// What GitHub shows as the rule's help: generic, drawn from the findings themselves.
std::string HelpText(const Finding& first, const std::set<std::string>& controls,
                     const std::vector<std::string>& references) {
  std::string text = first.title.empty() ? first.id : first.title;
  text += "\n\n";
  if (!first.description.empty()) text += first.description + "\n\n";
  if (!first.remediation.empty()) text += "Remediation: " + first.remediation + "\n\n";
  text += "Kind: " + std::string(FindingKindName(first.kind)) +
          ". Severity: " + std::string(SeverityName(first.severity)) + ".\n";
  for (const std::string& id : controls) {
    const Control* c = FindControl(id);
    text += "NIST SP 800-190 " + id + (c ? " " + std::string(c->title) : "") + "\n";
  }
  if (!references.empty()) text += "References:\n";
  for (const std::string& r : references) text += "- " + r + "\n";
  return text;
}

struct RuleFacts {
  const Finding* first = nullptr;  // the most severe occurrence (findings are sorted)
  std::set<std::string> controls;
  std::vector<std::string> references;  // in order of first appearance, distinct
  size_t index = 0;
};

Json RuleJson(const std::string& id, const RuleFacts& facts) {
  const Finding& f = *facts.first;
  Json rule;
  rule["id"] = id;
  rule["shortDescription"] = {{"text", f.title.empty() ? id : f.title}};
  if (!f.description.empty()) rule["fullDescription"] = {{"text", f.description}};
  rule["defaultConfiguration"] = {{"level", Level(f.severity)}};
  for (const std::string& r : facts.references) {
    if (r.rfind("https://", 0) == 0 || r.rfind("http://", 0) == 0) {
      rule["helpUri"] = r;
      break;
    }
  }
  rule["help"] = {{"text", HelpText(f, facts.controls, facts.references)}};
  Json tags = Json::array({"security", FindingKindName(f.kind)});
  for (const std::string& c : facts.controls) tags.push_back("nist-800-190:" + c);
  Json props;
  props["tags"] = tags;
  props["kind"] = FindingKindName(f.kind);
  props["severity"] = SeverityName(f.severity);
  if (f.cvss && f.cvss->score > 0 && SecuritySeverity(f.severity) == BandOf(f.cvss->score)) {
    // The exact CVSS score when it agrees with the severity bulkhead reports.
    char score[8];
    std::snprintf(score, sizeof(score), "%.1f", f.cvss->score);
    props["security-severity"] = score;
  } else if (!SecuritySeverity(f.severity).empty()) {
    props["security-severity"] = SecuritySeverity(f.severity);
  }
  props["nist-800-190"] = facts.controls;
  rule["properties"] = props;
  return rule;
}

std::string Message(const Finding& f) {
  std::string text = f.title.empty() ? f.id : f.title;
  if (f.package) {
    text = f.id + " in " + f.package->name + " " + f.package->version + ": " + text;
  } else if (!f.path.empty()) {
    text += " (" + f.path + (f.line ? ":" + std::to_string(f.line) : "") + ")";
  } else if (!f.object.empty()) {
    text += " (" + f.object + ")";
  }
  if (!f.layer.empty()) text += " [layer " + f.layer + "]";
  return text;
}

// A finding without a path is located at the image itself; GitHub needs a physical
// location with a start line for every result, so a line-less one points at line 1.
Json LocationJson(const Finding& f, const Target& target) {
  const std::string& where = !f.path.empty() ? f.path : target.name;
  std::string uri = RelativeUri(where);
  if (uri.empty()) uri = "image";
  Json location;
  location["physicalLocation"] = {{"artifactLocation", {{"uri", uri}}},
                                  {"region", {{"startLine", f.line > 0 ? f.line : 1}}}};
  if (!f.object.empty()) {
    const size_t slash = f.object.rfind('/');
    location["logicalLocations"] =
        Json::array({{{"name", slash == std::string::npos ? f.object : f.object.substr(slash + 1)},
                      {"fullyQualifiedName", f.object},
                      {"kind", "resource"}}});
  }
  return location;
}

Json ResultJson(const Finding& f, size_t rule_index, const Report& report) {
  Json result;
  result["ruleId"] = f.id;
  result["ruleIndex"] = rule_index;
  result["level"] = Level(f.severity);
  result["message"] = {{"text", Message(f)}};
  result["locations"] = Json::array({LocationJson(f, report.target)});
  result["partialFingerprints"] = {{kFingerprintKey, Fingerprint(f)}};
  Json props;
  props["kind"] = FindingKindName(f.kind);
  props["severity"] = SeverityName(f.severity);
  if (!f.path.empty()) props["path"] = f.path;
  if (!f.object.empty()) props["object"] = f.object;
  if (!f.layer.empty()) {
    props["layer"] = f.layer;
    for (const LayerInfo& l : report.layers) {
      if (l.digest == f.layer && !l.created_by.empty()) props["layer_created_by"] = l.created_by;
    }
  }
  if (f.package) {
    props["package"] = {
        {"name", f.package->name}, {"version", f.package->version}, {"purl", f.package->purl}};
  }
  if (!f.references.empty()) props["references"] = f.references;
  if (f.kind == FindingKind::kVulnerability) {
    if (!f.installed_version.empty()) props["installed_version"] = f.installed_version;
    if (!f.fixed_version.empty()) props["fixed_version"] = f.fixed_version;
    if (!f.status.empty()) props["status"] = f.status;
    if (!f.status_note.empty()) props["status_note"] = f.status_note;
    if (!f.aliases.empty()) props["aliases"] = f.aliases;
    if (f.cvss)
      props["cvss"] = {
          {"version", f.cvss->version}, {"vector", f.cvss->vector}, {"score", f.cvss->score}};
  }
  if (!f.container.empty()) props["container"] = f.container;
  if (!f.field.empty()) props["field"] = f.field;
  result["properties"] = props;
  return result;
}

Json NotificationJson(const Diagnostic& d) {
  Json n;
  n["level"] = "warning";
  n["message"] = {{"text", d.path.empty() ? d.message : d.path + ": " + d.message}};
  if (!d.path.empty()) {
    std::string uri = RelativeUri(d.path);
    if (!uri.empty()) {
      n["locations"] =
          Json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", uri}}}}}}});
    }
  }
  Json props;
  if (!d.source.empty()) props["source"] = d.source;
  if (!d.layer.empty()) props["layer"] = d.layer;
  if (!props.empty()) n["properties"] = props;
  return n;
}

}  // namespace

void WriteSarif(const Report& report, const WriteOptions& options, std::ostream& out) {
  std::map<std::string, RuleFacts> rules;  // by id: the rule order is the id order
  for (const Finding& f : report.findings) {
    RuleFacts& facts = rules[f.id];
    if (!facts.first) facts.first = &f;
    facts.controls.insert(f.controls.begin(), f.controls.end());
    for (const std::string& r : f.references) {
      if (std::find(facts.references.begin(), facts.references.end(), r) ==
          facts.references.end()) {
        facts.references.push_back(r);
      }
    }
  }
  Json rule_list = Json::array();
  for (auto& [id, facts] : rules) {
    facts.index = rule_list.size();
    rule_list.push_back(RuleJson(id, facts));
  }

  Json driver;
  driver["name"] = "bulkhead";
  driver["version"] = options.tool_version;
  driver["informationUri"] = options.information_uri;
  driver["rules"] = rule_list;

  Json results = Json::array();
  for (const Finding& f : report.findings) {
    results.push_back(ResultJson(f, rules.at(f.id).index, report));
  }

  Json invocation;
  invocation["executionSuccessful"] = true;
  if (!report.diagnostics.empty()) {
    Json notes = Json::array();
    for (const Diagnostic& d : report.diagnostics) notes.push_back(NotificationJson(d));
    invocation["toolExecutionNotifications"] = notes;
  }

  const Target& t = report.target;
  Json target = {{"name", t.name}, {"kind", t.kind}};
  if (!t.digest.empty()) target["digest"] = t.digest;
  if (!t.os.family.empty()) target["os"] = t.os.family + " " + t.os.version;
  if (!t.architecture.empty()) target["architecture"] = t.architecture;

  Json run;
  run["tool"] = {{"driver", driver}};
  run["invocations"] = Json::array({invocation});
  run["results"] = results;
  run["properties"] = {{"target", target}};

  Json log;
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = Json::array({run});
  // Replace invalid UTF-8 (file names in hostile layers) instead of failing.
  out << log.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace bulkhead::report
