// bulkhead's own JSON report; its schema is docs/schema/report-v1.schema.json.
#include <nlohmann/json.hpp>

#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {

using Json = nlohmann::ordered_json;

Json TargetJson(const Target& t) {
  Json j;
  j["name"] = t.name;
  j["kind"] = t.kind;
  j["digest"] = t.digest;
  j["config_digest"] = t.config_digest;
  j["architecture"] = t.architecture;
  j["repo_tags"] = t.repo_tags;
  j["created"] = t.created;
  j["os"] = {{"family", t.os.family}, {"version", t.os.version}, {"name", t.os.pretty_name}};
  return j;
}

Json PackageJson(const Package& p, bool with_files) {
  Json j;
  j["name"] = p.name;
  j["version"] = p.version;
  j["type"] = p.type;
  j["source_name"] = p.source_name;
  j["source_version"] = p.source_version;
  j["arch"] = p.arch;
  j["purl"] = p.purl;
  j["layer"] = p.layer;
  if (!p.epoch.empty()) j["epoch"] = p.epoch;
  if (!p.modularity_label.empty()) j["modularity_label"] = p.modularity_label;
  j["db_path"] = p.db_path;
  if (with_files) j["files"] = p.files;
  return j;
}

Json FindingJson(const Finding& f) {
  Json j;
  j["id"] = f.id;
  j["kind"] = FindingKindName(f.kind);
  j["severity"] = SeverityName(f.severity);
  j["title"] = f.title;
  j["path"] = f.path;
  if (f.line) j["line"] = f.line;
  j["layer"] = f.layer;
  if (!f.object.empty()) j["object"] = f.object;
  if (!f.container.empty()) j["container"] = f.container;
  if (!f.field.empty()) j["field"] = f.field;
  if (f.package) {
    j["package"] = {
        {"name", f.package->name}, {"version", f.package->version}, {"purl", f.package->purl}};
    if (!f.package->source_name.empty()) {
      j["package"]["source_name"] = f.package->source_name;
      j["package"]["source_version"] = f.package->source_version;
    }
  }
  if (!f.aliases.empty()) j["aliases"] = f.aliases;
  if (f.cvss) {
    j["cvss"] = {
        {"version", f.cvss->version}, {"vector", f.cvss->vector}, {"score", f.cvss->score}};
  }
  if (!f.severity_source.empty()) j["severity_source"] = f.severity_source;
  if (!f.status.empty()) j["status"] = f.status;
  if (!f.status_note.empty()) j["status_note"] = f.status_note;
  if (!f.installed_version.empty()) j["installed_version"] = f.installed_version;
  j["controls"] = f.controls;
  j["references"] = f.references;
  if (!f.fixed_version.empty()) j["fixed_version"] = f.fixed_version;
  if (!f.deleted_in_layer.empty()) j["deleted_in_layer"] = f.deleted_in_layer;
  if (!f.match.empty()) j["match"] = f.match;
  if (!f.secret.empty()) j["secret"] = f.secret;
  return j;
}

}  // namespace

void WriteJson(const Report& report, const WriteOptions& options, std::ostream& out) {
  Json j;
  j["schema_version"] = "1";
  j["tool"] = {{"name", "bulkhead"}, {"version", options.tool_version}};
  j["target"] = TargetJson(report.target);
  j["layers"] = Json::array();
  for (const LayerInfo& l : report.layers) {
    j["layers"].push_back({{"digest", l.digest},
                           {"diff_id", l.diff_id},
                           {"media_type", l.media_type},
                           {"size", l.size},
                           {"created_by", l.created_by}});
  }
  j["packages"] = Json::array();
  for (const Package& p : report.packages) {
    j["packages"].push_back(PackageJson(p, options.package_files));
  }
  j["findings"] = Json::array();
  for (const Finding& f : report.findings) j["findings"].push_back(FindingJson(f));
  j["controls"] = Json::array();
  for (const ControlResult& c : report.controls) {
    j["controls"].push_back({{"id", c.id},
                             {"title", c.title},
                             {"status", ControlStatusName(c.status)},
                             {"findings", c.finding_ids}});
  }
  j["suppressed"] = Json::array();
  for (const SuppressedFinding& sf : report.suppressed) {
    Json f = FindingJson(sf.finding);
    f["suppressed_by"] = sf.by;
    f["reason"] = sf.reason;
    j["suppressed"].push_back(std::move(f));
  }
  j["policy_notes"] = Json::array();
  for (const PolicyNote& n : report.policy_notes) {
    j["policy_notes"].push_back({{"kind", n.kind}, {"subject", n.subject}, {"message", n.message}});
  }
  j["diagnostics"] = Json::array();
  for (const Diagnostic& d : report.diagnostics) {
    j["diagnostics"].push_back(
        {{"layer", d.layer}, {"path", d.path}, {"source", d.source}, {"message", d.message}});
  }
  // Replace invalid UTF-8 (file names in hostile layers) instead of failing.
  out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace bulkhead::report
